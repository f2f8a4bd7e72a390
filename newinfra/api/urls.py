from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from newinfra.indicators.api import DataValueViewSet, EvaluationViewSet, NoticeViewSet, attainment
from newinfra.orgs.api import OrganizationViewSet
from newinfra.plans.api import IndicatorViewSet, PlanViewSet, SectionViewSet, TargetViewSet, TaskViewSet
from newinfra.projects.api import DispatchReportViewSet, ProjectViewSet

from . import views

router = DefaultRouter()
router.register("plans", PlanViewSet, basename="plan")
router.register("sections", SectionViewSet, basename="section")
router.register("tasks", TaskViewSet, basename="task")
router.register("targets", TargetViewSet, basename="target")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("projects", ProjectViewSet, basename="project")
router.register("dispatch-reports", DispatchReportViewSet, basename="dispatch-report")
router.register("data-values", DataValueViewSet, basename="data-value")
router.register("notices", NoticeViewSet, basename="notice")
router.register("evaluations", EvaluationViewSet, basename="evaluation")

urlpatterns = [
    path("auth/token/", views.obtain_token, name="api-token"),
    path("attainment/", attainment, name="api-attainment"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("geo/", include("newinfra.geo.api_urls")),
    path("", include(router.urls)),
]
