"""No lost update: a record is edited at the version it was read at.

The version is the record's ``updated_at`` (every save moves it on). Edit forms carry it in a
hidden field, the API as ``ETag`` / ``If-Match`` (or a ``version`` field in the body); a write
at an older version is refused with what changed meanwhile, read from the record's history.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError


def version_of(obj) -> str:
    stamp = getattr(obj, "updated_at", None) or getattr(obj, "reported_at", None)
    return f"{obj.pk}-{int(stamp.timestamp() * 1_000_000)}" if obj.pk and stamp else ""


def etag_of(obj) -> str:
    return f'"{version_of(obj)}"'


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
    if history is None or moment is None:
        return "", []
    stamp = "updated_at" if hasattr(obj, "updated_at") else "reported_at"
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
        old, new = ("、".join(map(str, v)) if isinstance(v, list) else v for v in (change.old, change.new))
        lines.append(
            f"{label}：{old if old not in (None, '') else '（空）'} → {new if new not in (None, '') else '（空）'}"
        )
    return who, lines


def conflict_message(obj, version: str, noun: str = "记录") -> str:
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
