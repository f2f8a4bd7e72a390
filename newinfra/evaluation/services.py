"""Changes to phase evaluations: freezing (the snapshot is built once and never changes
afterwards) and voiding (kept, with who, when and why)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from newinfra.orgs.permissions import is_office

from .models import Evaluation
from .snapshot import build


class EvaluationError(Exception):
    def __init__(self, message: str):
        self.messages = [message]
        super().__init__(message)


@transaction.atomic
def freeze(user, name: str, phase: str, as_of: dt.date) -> Evaluation:
    if not is_office(user):
        raise PermissionDenied("只有统筹办可以冻结评估。")
    return Evaluation.objects.create(
        name=name, phase=phase, as_of=as_of, snapshot=build(as_of), frozen_by=user
    )


@transaction.atomic
def void(user, evaluation: Evaluation, reason: str) -> Evaluation:
    """作废: the evaluation stays readable, marked 已作废 with the reason, and leaves the list."""
    if not is_office(user):
        raise EvaluationError("只有统筹办可以作废评估。")
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.is_voided:
        raise EvaluationError("此评估已作废。")
    reason = (reason or "").strip()
    if not reason:
        raise EvaluationError("请填写作废原因。")
    evaluation.voided_at, evaluation.voided_by, evaluation.void_reason = timezone.now(), user, reason[:500]
    evaluation._history_user = user
    evaluation._change_reason = "作废"
    evaluation.save(update_fields=["voided_at", "voided_by", "void_reason"])
    return evaluation
