"""Freezing a phase evaluation: the snapshot is built once and never changes afterwards."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction

from newinfra.orgs.permissions import is_office

from .models import Evaluation
from .snapshot import build


@transaction.atomic
def freeze(user, name: str, phase: str, as_of: dt.date) -> Evaluation:
    if not is_office(user):
        raise PermissionDenied("只有统筹办可以冻结评估。")
    return Evaluation.objects.create(
        name=name, phase=phase, as_of=as_of, snapshot=build(as_of), frozen_by=user
    )
