from django.urls import path

from . import dashboards, views

urlpatterns = [
    path("", views.home, name="home"),
    path("script/<str:script>/", views.set_script, name="set-script"),
    path("search/", views.search, name="search"),
    path("dashboard/", dashboards.overview, name="dashboard"),
    path("dashboard/plans/<int:pk>/", dashboards.plan_dashboard, name="dashboard-plan"),
    path("dashboard/units/<int:pk>/", dashboards.unit_dashboard, name="dashboard-unit"),
]
