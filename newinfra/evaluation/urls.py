from django.urls import path

from . import views

urlpatterns = [
    path("", views.evaluation_list, name="evaluation-list"),
    path("<int:pk>/", views.evaluation_detail, name="evaluation-detail"),
    path("<int:pk>/void/", views.evaluation_void, name="evaluation-void"),
]
