from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "newinfra.plans"
    verbose_name = "规划与任务"
