from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "newinfra.geo"
    verbose_name = "一张图"
