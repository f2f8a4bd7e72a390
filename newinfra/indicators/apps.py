from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "newinfra.indicators"
    verbose_name = "指标监测"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from newinfra.plans.models import Indicator, Plan, Responsibility, Target, Task

        from .models import IndicatorProfile
        from .queries import bump_values

        def changed(**kwargs):
            bump_values()  # cached attainment depends on plans, targets and reporting settings too

        # Deactivating, withdrawing or revising a plan (admin, loader) changes every page at once.
        models = [Plan, Task, Responsibility, Indicator, Target, IndicatorProfile]
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
            post_delete.connect(
                changed, sender=model, weak=False, dispatch_uid=f"values-del-{model.__name__}"
            )
