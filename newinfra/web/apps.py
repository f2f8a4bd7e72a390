from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "newinfra.web"
    verbose_name = "页面"
