from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "newinfra.security"
    verbose_name = "安全"

    def ready(self):
        from . import signin

        signin.connect_signals()
