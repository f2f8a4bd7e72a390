from django.urls import path

from . import views

urlpatterns = [
    path("", views.project_list, name="project-list"),
    path("new/", views.project_form, name="project-new"),
    path("review/", views.review_queue, name="project-review"),
    path("stats/", views.stats, name="project-stats"),
    path("roll/", views.roll, name="project-roll"),
    path("import/", views.import_upload, name="project-import"),
    path("templates/<str:kind>.xlsx", views.import_template, name="project-template"),
    path("adjustments/<int:pk>/decide/", views.adjustment_decide, name="adjustment-decide"),
    path("green/<int:pk>/", views.green_update, name="green-update"),
    path("flags/<int:pk>/", views.flag_update, name="flag-update"),
    path("dispatch/<int:pk>/resolve/", views.problem_resolve, name="problem-resolve"),
    path("<int:pk>/dispatch.xlsx", views.dispatch_export, name="project-dispatch-export"),
    path("<int:pk>/", views.project_detail, name="project-detail"),
    path("<int:pk>/edit/", views.project_form, name="project-edit"),
    path("<int:pk>/action/", views.project_action, name="project-action"),
    path("<int:pk>/dispatch/", views.dispatch_form, name="project-dispatch"),
    path("<int:pk>/adjust/", views.adjustment_form, name="project-adjust"),
    path("<int:pk>/flags/", views.flag_add, name="project-flag"),
    path("<int:pk>/green/", views.green_add, name="project-green"),
]
