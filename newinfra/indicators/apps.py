from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "newinfra.indicators"
    verbose_name = "指标监测"

    def ready(self):
        from django.db.models.signals import post_save

        from newinfra.plans.models import Target

        from .models import IndicatorProfile
        from .queries import bump_values

        def changed(**kwargs):
            bump_values()  # cached attainment depends on targets and reporting settings too

        for model in (Target, IndicatorProfile):
            post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"values-{model.__name__}")
