from django.urls import path

from . import proofread_views, views

urlpatterns = [
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/upload/", views.plan_upload, name="plan-upload"),
    path("plans/<int:pk>/proofread/", proofread_views.proofread, name="plan-proofread"),
    path("plans/<int:pk>/revisions/<int:rev>/", proofread_views.revision_detail, name="plan-revision"),
    path("ledger/", views.ledger, name="ledger"),
    path("tasks/<int:pk>/", views.task_detail, name="task-detail"),
    path("tasks/<int:pk>/progress/", views.task_progress, name="task-progress"),
    path("my-tasks/", views.my_tasks, name="my-tasks"),
    path("targets/", views.target_list, name="target-list"),
]
