from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "newinfra.evaluation"
    verbose_name = "评估"
