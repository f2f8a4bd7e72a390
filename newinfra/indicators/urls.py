from django.urls import path

from . import views

urlpatterns = [
    path("monitor/", views.monitor, name="monitor"),
    path("monitor/review/", views.review_values, name="value-review"),
    path("monitor/values/<int:pk>/decide/", views.decide_value, name="value-decide"),
    path("monitor/import/", views.value_import, name="value-import"),
    path("monitor/template.xlsx", views.value_template, name="value-template"),
    path("indicators/<int:pk>/", views.indicator_detail, name="indicator-detail"),
    path("indicators/<int:pk>/report/", views.report, name="indicator-report"),
    path("indicators/<int:pk>/profile/", views.profile_edit, name="indicator-profile"),
]
