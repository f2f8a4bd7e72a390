"""No lost update: a record is edited at the version it was read at.

The version is the record's ``updated_at`` (every save moves it on). Edit forms carry it in a
hidden field, the API as ``ETag`` / ``If-Match`` (or a ``version`` field in the body); a write
at an older version is refused with what changed meanwhile, read from the record's history.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction

from newinfra.utilities import bounds
from newinfra.utilities.figures import plain

STAMPS = ("updated_at", "reported_at", "posted_at")

# The version of "not there yet": a form read when the record did not exist sends this, so that
# a record created meanwhile by someone else is not silently overwritten either.
ABSENT = "new"


def _stamp_field(obj) -> str:
    return next((f for f in STAMPS if hasattr(obj, f)), "")


def version_of(obj) -> str:
    if obj is None or not obj.pk:
        return ABSENT
    stamp = getattr(obj, _stamp_field(obj), None) if _stamp_field(obj) else None
    return f"{obj.pk}-{int(stamp.timestamp() * 1_000_000)}" if stamp else ""


def is_stale(obj, sent: str) -> bool:
    """True when ``sent`` (the version a form or client read) is not the record's version now.
    Nothing sent means an old page or client that knows no versions: it saves as before."""
    return bool(sent) and sent != version_of(obj)


def sent_version(request) -> str:
    """The version an API client read at: ``If-Match``, or ``version`` in the body."""
    header = from_if_match(request.headers.get("If-Match", ""))
    if header:
        return header
    data = getattr(request, "data", None)
    return str(data.get("version") or "") if hasattr(data, "get") else ""


def etag_of(obj) -> str:
    return f'"{version_of(obj)}"'


def tagged(response):
    """``response`` with the ``ETag`` of the record it serialises (its ``version`` field)."""
    response["ETag"] = f'"{response.data["version"]}"'
    return response


def from_if_match(header: str) -> str:
    return header.strip().removeprefix("W/").strip('"') if header else ""


def _moment(version: str) -> dt.datetime | None:
    try:
        micros = int(version.rsplit("-", 1)[1])
    except (IndexError, ValueError):
        return None
    return dt.datetime.fromtimestamp(micros / 1_000_000, tz=dt.UTC)


def changes_since(obj, version: str) -> tuple[str, list[str]]:
    """(who changed it last, ["字段：旧 → 新", …]) between ``version`` and now, from the history."""
    history = getattr(obj, "history", None)
    moment = _moment(version)
    if history is None or moment is None or obj is None:
        return "", []
    stamp = _stamp_field(obj)
    base = history.filter(**{f"{stamp}__lte": moment}).order_by("-history_date").first()
    latest = history.order_by("-history_date").first()
    if latest is None:
        return "", []
    who = (
        getattr(latest.history_user, "first_name", "")
        or getattr(latest.history_user, "username", "")
        or "他人"
    )
    if base is None or base.pk == latest.pk:
        return who, []
    lines = []
    for change in latest.diff_against(base).changes:
        try:
            label = obj._meta.get_field(change.field).verbose_name
        except Exception:  # a history-only field
            label = change.field
        lines.append(f"{label}：{_shown(change.old)} → {_shown(change.new)}")
    return who, lines


def _shown(value) -> str:
    if isinstance(value, list):
        return "、".join(map(str, value))
    if value in (None, ""):
        return "（空）"
    if isinstance(value, Decimal):  # 20, not 20.0000; 1,234.5 as the pages write it
        return plain(value, decimals=4, separators=True)
    return str(value)


def _entered(obj) -> tuple[str, list[str]]:
    """(who, ["字段：值", …]) of a record that did not exist when the form was read."""
    latest = obj.history.order_by("-history_date").first() if hasattr(obj, "history") else None
    user = getattr(latest, "history_user", None)
    who = getattr(user, "first_name", "") or getattr(user, "username", "")
    lines = []
    for field in obj._meta.concrete_fields:
        if field.primary_key or field.is_relation or not field.editable or field.name in STAMPS:
            continue
        shown = obj._get_FIELD_display(field) if field.choices else getattr(obj, field.name)
        if shown not in (None, "", False) and not isinstance(shown, (dict, list)):
            lines.append(f"{field.verbose_name}：{_shown(shown)}")
    return who, lines[:4]


def conflict_message(obj, version: str, noun: str = "记录") -> str:
    if version == ABSENT:
        who, lines = _entered(obj)
        entered = f"（{'；'.join(lines)}）" if lines else ""
        return (
            f"此{noun}在您打开后已由{who or '他人'}填写{entered}。您的内容尚未保存："
            "请核对最新内容后再次提交。"
        )
    who, lines = changes_since(obj, version)
    changed = "；".join(lines[:8]) if lines else "内容已更新"
    return (
        f"此{noun}在您打开后已被{who or '他人'}修改（{changed}）。您的修改尚未保存："
        "请核对最新内容后再次提交。"
    )


class VersionedFormMixin:
    """A hidden ``version`` field; a form submitted at an older version does not save."""

    version_noun = "记录"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.CharField(widget=forms.HiddenInput, required=False)
        self.initial["version"] = version_of(self.instance) if getattr(self.instance, "pk", None) else ""

    def clean(self):
        data = super().clean()
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk:
            current = version_of(type(instance)._default_manager.get(pk=instance.pk))
            sent = self.data.get("version", "")
            if sent and sent != current:  # a form without the field (an old page) saves as before
                fresh = type(instance)._default_manager.get(pk=instance.pk)
                # show the form again with what the user typed, now at the current version
                self.data = self.data.copy()
                self.data["version"] = current
                raise ValidationError(conflict_message(fresh, sent, self.version_noun), code="stale")
        return data


class Stale(Exception):
    """A write at an older version than the record's; the message says what changed meanwhile."""

    def __init__(self, obj, sent: str, noun: str = "记录"):
        self.obj, self.sent = obj, sent
        super().__init__(conflict_message(obj, sent, noun))


def check(obj, sent: str, noun: str = "记录") -> None:
    """Raise ``Stale`` when ``sent`` is not ``obj``'s version now (call it with the row locked)."""
    if is_stale(obj, sent):
        raise Stale(obj, sent, noun)


def conflict_response(exc: Stale):
    """The API's answer to a stale write: 409 with the message and the version to retry at."""
    from rest_framework import status
    from rest_framework.response import Response

    return Response(
        {"detail": str(exc), "version": version_of(exc.obj)},
        status=status.HTTP_409_CONFLICT,
        headers={"ETag": etag_of(exc.obj)},
    )


class VersionedUpdateMixin:
    """For a DRF viewset: a read answers an ``ETag``; a PUT/PATCH is read, checked against the
    version sent (``If-Match`` or ``version``) and written in one transaction with the row locked,
    so two writers never overwrite each other — the later one gets 409."""

    version_noun = "记录"

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        return tagged(response) if "version" in getattr(response, "data", {}) else response

    def locked_object(self):
        """``get_object`` with the row locked (PostgreSQL; SQLite's IMMEDIATE transaction already
        serialises writers). An id that is not one is left to get_object, which answers 404."""
        key = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
        with contextlib.suppress(bounds.OutOfBounds):
            model = self.get_queryset().model
            model._default_manager.select_for_update().filter(pk=bounds.identifier(key)).exists()
        return self.get_object()

    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            instance = self.locked_object()
            try:
                check(instance, sent_version(request), self.version_noun)
            except Stale as exc:
                return conflict_response(exc)
            response = super().update(request, *args, **kwargs)
        instance.refresh_from_db()
        response["ETag"] = etag_of(instance)
        return response
