from django.urls import path

from . import views

urlpatterns = [
    path("supervision/", views.overview, name="supervision"),
    path("notices/", views.notices, name="notices"),
    path("supervision/orders/new/", views.order_new, name="order-new"),
    path("supervision/orders/batch/", views.order_batch, name="order-batch"),
    path("supervision/orders/<int:pk>/", views.order_detail, name="order-detail"),
    path("supervision/tasks/<int:pk>/progress/", views.progress, name="task-post-progress"),
    path("supervision/tasks/<int:pk>/closure/", views.closure_request, name="task-closure"),
    path("supervision/closures/<int:pk>/decide/", views.closure_decide, name="closure-decide"),
    path("supervision/evidence/<int:pk>/", views.evidence, name="evidence"),
]
