from django.urls import path

from . import views

urlpatterns = [
    path("orgs/", views.organization_list, name="organization-list"),
    path("orgs/<int:pk>/", views.organization_detail, name="organization-detail"),
]
