from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "newinfra.api"
    verbose_name = "接口"
