from django.apps import AppConfig


class UtilitiesConfig(AppConfig):
    name = "newinfra.utilities"
    verbose_name = "页面工具"
