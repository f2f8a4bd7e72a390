from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "newinfra.projects"
    verbose_name = "项目库"

    def ready(self):
        from .stats_cache import connect_signals

        connect_signals()
