"""Change records (who, when, before, after) in a form every history table on the pages shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from simple_history.utils import get_app_model_primary_key_name

from .figures import plain
from .script import to_simplified


@dataclass
class FieldChange:
    field: str
    old: object
    new: object


def _label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # a field removed since the record was written
        return name


def _moment(value):
    """Dates and times as the rows beside them show them: local time (Asia/Shanghai), to the
    second (not 2026-11-30 16:35:45.844560+00:00); amounts without trailing zeros."""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return plain(value, 6)
    if isinstance(value, str):
        return to_simplified(value)  # the page's script (a Traditional-source plan's 原文 too)
    return value


def _shown(model, name: str, value):
    """Choice fields show their Chinese label, not the stored code."""
    value = _moment(value)
    try:
        field = model._meta.get_field(name)
    except Exception:
        return value
    if field.many_to_many and isinstance(value, list):
        # simple-history keeps m2m changes as rows of the through table: show the names instead.
        target = field.related_model
        key = target._meta.model_name
        ids = [row.get(key) for row in value if isinstance(row, dict)]
        names = {o.pk: str(o) for o in target._default_manager.filter(pk__in=ids)}
        return "、".join(str(names.get(i, i)) for i in ids)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if field.many_to_one and value not in (None, ""):
        # A foreign key is kept as its id: show whom or what it points at.
        obj = field.related_model._default_manager.filter(pk=value).first()
        if obj is not None:
            full_name = getattr(obj, "get_full_name", None)
            return (full_name() if full_name else "") or str(obj)
    return value


def _previous(record):
    """``record.prev_record`` without the history manager simple-history builds for every call
    (a new manager class each time: half the cost of an indicator's change table): the same query,
    the latest record of the same object before this one."""
    key = get_app_model_primary_key_name(record.instance_type)
    return (
        type(record)
        ._default_manager.filter(**{key: getattr(record, key)}, history_date__lt=record.history_date)
        .order_by("history_date")
        .last()
    )


def changes(history_qs, limit: int = 50, describe=None) -> list[tuple[object, list[FieldChange]]]:
    """Newest first: each record with the fields it changed against the record before it.

    ``describe(record)`` names the record in tables that mix several records (e.g. an indicator's
    targets); it is kept on the record as ``described``.
    """
    rows = []
    for record in history_qs.select_related("history_user").order_by("-history_date", "-history_id")[:limit]:
        prev = _previous(record)
        model = record.instance_type
        diff = record.diff_against(prev).changes if prev else []
        record.described = to_simplified(describe(record)) if describe else ""
        rows.append(
            (
                record,
                [
                    FieldChange(
                        _label(model, c.field), _shown(model, c.field, c.old), _shown(model, c.field, c.new)
                    )
                    for c in diff
                ],
            )
        )
    return rows
