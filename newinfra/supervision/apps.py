from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "newinfra.supervision"
    verbose_name = "督办"
