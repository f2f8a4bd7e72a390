from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "newinfra.projects"
    verbose_name = "项目库"
