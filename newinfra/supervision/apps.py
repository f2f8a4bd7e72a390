from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "newinfra.supervision"
    verbose_name = "督办"

    def ready(self):
        from newinfra.plans.services import unit_notice

        from .models import Notice
        from .notices import notify

        def tell(sender, organization, title, body="", link="", key=None, **kwargs):
            notify(organization, title, body, link, kind=Notice.Kind.ASSIGNMENT, key=key)

        unit_notice.connect(tell, weak=False, dispatch_uid="supervision-unit-notice")

        from .overdue import connect_signals

        connect_signals()
