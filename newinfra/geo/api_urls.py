from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("layers", api.LayerViewSet, basename="geo-layer-api")

urlpatterns = [
    path("districts/", api.districts, name="api-geo-districts"),
    path("coverage/", api.coverage, name="api-geo-coverage"),
    path("", include(router.urls)),
]
