from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "newinfra.indicators"
    verbose_name = "指标监测"

    def ready(self):
        from django.db.models.signals import post_save

        from newinfra.plans.models import Plan, Target

        from .models import IndicatorProfile
        from .queries import bump_values

        def changed(**kwargs):
            bump_values()  # cached attainment depends on targets, their plan's status and reporting settings

        models = [Plan, Target, IndicatorProfile]
        try:  # a coverage analysis recorded on the map is a value of a service-radius indicator
            from newinfra.geo.models import CoverageResult

            models.append(CoverageResult)
        except ImportError:
            pass
        try:
            from newinfra.geo.measures import register

            from .measures import indicator_measures

            register(indicator_measures)
        except ImportError:
            pass
        for model in models:
            post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"values-{model.__name__}")
