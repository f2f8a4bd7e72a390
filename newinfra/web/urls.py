from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("script/<str:script>/", views.set_script, name="set-script"),
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/upload/", views.plan_upload, name="plan-upload"),
    path("ledger/", views.ledger, name="ledger"),
    path("tasks/<int:pk>/", views.task_detail, name="task-detail"),
    path("tasks/<int:pk>/progress/", views.task_progress, name="task-progress"),
    path("my-tasks/", views.my_tasks, name="my-tasks"),
    path("targets/", views.target_list, name="target-list"),
    path("indicators/<int:pk>/", views.indicator_detail, name="indicator-detail"),
    path("orgs/", views.organization_list, name="organization-list"),
    path("orgs/<int:pk>/", views.organization_detail, name="organization-detail"),
]
