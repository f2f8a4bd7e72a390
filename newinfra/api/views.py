from django.contrib.auth import authenticate
from django.db.models import Count, Prefetch, Q
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from newinfra.orgs.models import Organization
from newinfra.orgs.permissions import is_office
from newinfra.plans.compare import indicators_with_targets
from newinfra.plans.filtersets import TargetFilterSet, TaskFilterSet
from newinfra.plans.models import Plan, Responsibility, Section, Target, Task

from . import serializers as s


class OrganizationViewSet(viewsets.ModelViewSet):
    serializer_class = s.OrganizationSerializer
    queryset = Organization.objects.prefetch_related("aliases").order_by("id")
    filterset_fields = ["kind", "is_active"]
    http_method_names = ["get", "post", "patch", "put", "head", "options"]  # nothing is deleted


class PlanViewSet(viewsets.ModelViewSet):
    serializer_class = s.PlanSerializer
    queryset = (
        Plan.objects.filter(is_active=True)
        .annotate(
            task_count=Count("tasks", filter=Q(tasks__is_active=True), distinct=True),
            target_count=Count("targets", filter=Q(targets__is_active=True), distinct=True),
        )
        .order_by("id")
    )
    http_method_names = ["get", "patch", "head", "options"]


class SectionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.SectionSerializer
    queryset = Section.objects.order_by("plan_id", "order")
    filterset_fields = ["plan"]


class TaskViewSet(viewsets.ModelViewSet):
    serializer_class = s.TaskSerializer
    filterset_class = TaskFilterSet
    http_method_names = ["get", "patch", "put", "head", "options"]
    queryset = (
        Task.objects.filter(is_active=True)
        .select_related("section", "plan")
        .prefetch_related(
            Prefetch("responsibilities", queryset=Responsibility.objects.select_related("organization"))
        )
        .order_by("plan_id", "order")
    )

    def perform_update(self, serializer):
        # A responsible unit reports progress; the task's wording belongs to the programme office.
        if not is_office(self.request.user):
            changed = {
                k for k, v in serializer.validated_data.items() if getattr(serializer.instance, k) != v
            }
            if changed - {"progress_note"}:
                raise PermissionDenied("责任单位只能填写进展情况，任务内容由统筹办维护。")
        serializer.save()


class TargetViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.TargetSerializer
    filterset_class = TargetFilterSet
    queryset = (
        Target.objects.filter(is_active=True, plan__is_active=True)
        .select_related("indicator", "task")
        .order_by("plan_id", "order")
    )


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.IndicatorSerializer

    def get_queryset(self):
        return indicators_with_targets().order_by("name")


@extend_schema(
    request=inline_serializer(
        "TokenRequest", {"username": serializers.CharField(), "password": serializers.CharField()}
    ),
    responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
)
@api_view(["POST"])
@permission_classes([AllowAny])
def obtain_token(request):
    """Exchange a username and password for an API token (send it as ``Authorization: Token …``)."""
    user = authenticate(request, username=request.data.get("username"), password=request.data.get("password"))
    if user is None or not user.is_active:
        return Response({"detail": "用户名或密码错误。"}, status=status.HTTP_400_BAD_REQUEST)
    token, _ = Token.objects.get_or_create(user=user)
    return Response({"token": token.key})
