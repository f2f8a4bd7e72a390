"""The plan workflow in the API: upload a draft, publish, withdraw, and correct a task.

Mixed into the plan and task view sets; the contract (names and status codes) is fixed because
scripts and other systems rely on it:
- ``POST /api/plans/`` (multipart ``document``, optional ``title``) → 201 ``{"id", "status": "draft", …}``
- ``POST /api/plans/ID/publish/`` → 200 ``{"status": "published", …}``
- ``POST /api/plans/ID/withdraw/`` with ``reason`` → 200 ``{"status": "withdrawn", …}``
- ``PATCH /api/plans/ID/`` with ``title``, ``period_start``, ``period_end`` (and ``reason`` once
  the plan is published) → 200, or 400 with ``detail``
- ``PATCH /api/tasks/ID/`` with ``title``, ``lead_units``, ``co_units``, ``deadline``, ``deadline_date``
  (and ``reason`` once the plan is published)
"""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.response import Response

from newinfra.orgs.permissions import is_office
from newinfra.parsing import DocumentError
from newinfra.utilities import versions

from . import services

MAX_UPLOAD = 20 * 1024 * 1024
TASK_FIELDS = ("title", "lead_units", "co_units", "deadline", "deadline_date")


def _names(value) -> list[str]:
    if isinstance(value, str):
        return services.split_names(value)
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    raise services.PlanError("单位须为单位名称的列表。")


class PlanRefused(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "请求无法执行。"


class PlanWorkflowMixin:
    """create / publish / withdraw on the plan view set."""

    def _plan_body(self, plan, code=status.HTTP_200_OK, **extra):
        plan = self.get_queryset().get(pk=plan.pk)
        return Response({**self.get_serializer(plan).data, **extra}, status=code)

    @extend_schema(
        request=inline_serializer(
            "PlanUpload",
            {"document": serializers.FileField(), "title": serializers.CharField(required=False)},
        )
    )
    def create(self, request, *args, **kwargs):
        if not is_office(request.user):
            raise PermissionDenied("只有统筹办可以导入规划。")
        upload = request.FILES.get("document")
        if upload is None:
            return Response(
                {"detail": "请上传规划文件（字段 document）。"}, status=status.HTTP_400_BAD_REQUEST
            )
        if upload.size > MAX_UPLOAD:
            return Response({"detail": "文件超过20MB。"}, status=status.HTTP_400_BAD_REQUEST)
        title = (request.data.get("title") or "").strip() or None
        try:
            result = services.upload(upload.read(), upload.name, request.user, title=title)
        except DocumentError as exc:
            return Response(
                {"detail": services.document_error_message(exc)}, status=status.HTTP_400_BAD_REQUEST
            )
        except services.PlanError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        extra = {"upload": result.status}
        if result.revision is not None:
            extra["revision"] = {"id": result.revision.pk, "status": result.revision.status}
        code = status.HTTP_200_OK if result.status == "unchanged" else status.HTTP_201_CREATED
        return self._plan_body(result.plan, code, **extra)

    def perform_update(self, serializer):
        # Through the service, so a published plan's title needs a reason like any amendment.
        try:
            plan = services.edit_plan(
                serializer.instance,
                self.request.user,
                self.request.data.get("reason"),
                **serializer.validated_data,
            )
        except services.PlanError as exc:
            raise PlanRefused(str(exc)) from exc
        for k in services.PLAN_FIELDS:  # the instance keeps its task and target counts
            setattr(serializer.instance, k, getattr(plan, k))

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        plan = self.get_object()
        try:
            services.publish(plan, request.user)
        except services.PlanError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return self._plan_body(plan)

    @extend_schema(request=inline_serializer("PlanWithdraw", {"reason": serializers.CharField()}))
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        plan = self.get_object()
        try:
            services.withdraw(plan, request.data.get("reason", ""), request.user)
        except services.PlanError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return self._plan_body(plan)


class TaskCorrectionMixin:
    """PATCH of a task's title, units and deadline by the office, through the same service as the
    proofreading page; anything else goes the usual way (a unit's progress note). Used with
    ``versions.VersionedUpdateMixin``: a stale version gets 409 on either path."""

    def partial_update(self, request, *args, **kwargs):
        asked = [k for k in TASK_FIELDS if k in request.data]
        if not asked:
            return super().partial_update(request, *args, **kwargs)
        if not is_office(request.user):
            self.get_object()  # 404 before 403 for a task the user cannot see
            raise PermissionDenied("责任单位只能填写进展情况，任务内容由统筹办维护。")
        changes = {k: request.data[k] for k in asked}
        try:
            for k in ("lead_units", "co_units"):
                if k in changes:
                    changes[k] = _names(changes[k])
            with transaction.atomic():
                task = self.get_object()
                services.edit_task(
                    task, request.user, request.data.get("reason"), versions.sent_version(request), **changes
                )
                if "progress_note" in request.data:
                    task.refresh_from_db()
                    task.progress_note = request.data["progress_note"]
                    task.save()
        except versions.Stale as exc:
            return versions.conflict_response(exc)
        except services.UnknownUnit as exc:
            return Response(
                {"detail": str(exc), "unknown_unit": exc.name}, status=status.HTTP_400_BAD_REQUEST
            )
        except services.PlanError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return versions.tagged(Response(self.get_serializer(self.get_queryset().get(pk=task.pk)).data))
