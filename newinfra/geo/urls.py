from django.urls import path

from . import views

urlpatterns = [
    path("", views.map_page, name="geo-map"),
    path("map.png", views.map_png, name="geo-map-png"),
    path("coverage/", views.coverage_page, name="geo-coverage"),
    path("coverage/<int:pk>/record/", views.coverage_record, name="geo-coverage-record"),
    path("districts/<str:code>/", views.district_detail, name="geo-district"),
    path("layers/", views.layer_list, name="geo-layers"),
    path("layers/import/", views.import_upload, name="geo-import"),
    path("layers/template.xlsx", views.import_template, name="geo-template"),
    path("layers/<int:pk>/", views.layer_detail, name="geo-layer"),
    path("layers/<int:pk>/toggle/", views.layer_toggle, name="geo-layer-toggle"),
    path("facilities/<int:pk>/", views.facility_detail, name="geo-facility"),
    path("facilities/<int:pk>/toggle/", views.facility_toggle, name="geo-facility-toggle"),
]
