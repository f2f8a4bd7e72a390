"""Every number and date that comes in is bounded here, the same way for forms, the API, filters
and imports: a value out of bounds is a clear message naming the field (400), never a server error.

- decimals: finite, at most the column's decimal places, and an integer part within the column's
  digits and never beyond 15 digits (SQLite keeps decimals as 8-byte floats: 15 significant digits
  read back exactly; 1e20 could be written but not read back);
- ids: whole numbers from 1 to 2**63 - 1 (SQLite and PostgreSQL bigint);
- whole numbers (years, counts, radii): within 64 bits and the field's own range;
- dates: 1990-01-01 to 2100-12-31, a window around every plan period.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal, InvalidOperation

MAX_ID = 2**63 - 1
MAX_INTEGER_DIGITS = 15
MIN_DATE = dt.date(1990, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)


class OutOfBounds(ValueError):
    """A value that cannot be accepted; ``str()`` is the Chinese message (field named by the caller)."""


def _text(value) -> str:
    return str(value).replace(",", "").replace("，", "").strip()


def decimal(value, max_digits: int = 24, decimal_places: int = 4, label: str = "数值") -> Decimal | None:
    """``value`` (text, int, float, Decimal) as a Decimal that the column can keep; None for empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise OutOfBounds(f"“{label}”应为数字。")
    try:
        number = value if isinstance(value, Decimal) else Decimal(_text(value))
    except (InvalidOperation, ValueError) as exc:
        raise OutOfBounds(f"“{label}”应为数字，收到“{str(value)[:40]}”。") from exc
    if not number.is_finite():
        raise OutOfBounds(f"“{label}”应为有限的数字，收到“{str(value)[:40]}”。")
    digits = min(max_digits - decimal_places, MAX_INTEGER_DIGITS)
    if abs(number) >= Decimal(10) ** digits:
        raise OutOfBounds(f"“{label}”超出允许范围：整数部分最多{digits}位。")
    if decimal_places >= 0 and number != number.quantize(
        Decimal(1).scaleb(-decimal_places), rounding="ROUND_HALF_EVEN"
    ):
        if decimal_places == 0:
            raise OutOfBounds(f"“{label}”应为整数。")
        raise OutOfBounds(f"“{label}”最多保留{decimal_places}位小数。")
    return number


def number(value, label: str = "数值", limit: float = 1e15) -> float | None:
    """A finite float of at most ``limit`` in size (radii, shares, coordinates given as floats)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        x = float(_text(value))
    except (TypeError, ValueError) as exc:
        raise OutOfBounds(f"“{label}”应为数字，收到“{str(value)[:40]}”。") from exc
    if not math.isfinite(x) or abs(x) > limit:
        raise OutOfBounds(f"“{label}”超出允许范围。")
    return x


def integer(value, label: str = "数值", low: int = -(2**63), high: int = 2**63 - 1) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise OutOfBounds(f"“{label}”应为整数。")
    if isinstance(value, int):
        n = value
    else:
        text = _text(value)
        if isinstance(value, float) or "." in text:
            try:
                f = Decimal(text)
            except InvalidOperation as exc:
                raise OutOfBounds(f"“{label}”应为整数，收到“{str(value)[:40]}”。") from exc
            if not f.is_finite() or f != f.to_integral_value():
                raise OutOfBounds(f"“{label}”应为整数，收到“{str(value)[:40]}”。")
            text = str(int(f)) if abs(f) < Decimal(10) ** 30 else text
        if len(text.lstrip("+-")) > 30 or not text.lstrip("+-").isdigit():
            raise OutOfBounds(f"“{label}”应为整数，收到“{str(value)[:40]}”。")
        n = int(text)
    if not low <= n <= high:
        raise OutOfBounds(f"“{label}”应在{low}到{high}之间。")
    return n


def identifier(value, label: str = "编号") -> int | None:
    """A database id: a whole number from 1 to 2**63 - 1; None for empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return integer(value, label, 1, MAX_ID)
    except OutOfBounds as exc:
        raise OutOfBounds(f"“{label}”不是有效的编号：{str(value)[:40]}。") from exc


def date(value, label: str = "日期") -> dt.date | None:
    """A date within 1990–2100 (a ``date``, a ``datetime`` or YYYY-MM-DD text); None for empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value).strip()[:10])
        except ValueError as exc:
            raise OutOfBounds(f"“{label}”应为日期（YYYY-MM-DD），收到“{str(value)[:40]}”。") from exc
    check_date(value, label)
    return value


def check_date(value: dt.date, label: str = "日期") -> None:
    if not MIN_DATE <= value <= MAX_DATE:
        raise OutOfBounds(f"“{label}”应在{MIN_DATE.year}年至{MAX_DATE.year}年之间，收到{value.isoformat()}。")


# --- the same bounds on Django form fields, DRF serializer fields and django-filter filters --------


def _django_validator(check):
    from django.core.exceptions import ValidationError

    def validate(value):
        try:
            check(value)
        except OutOfBounds as exc:
            raise ValidationError(str(exc), code="bounds") from exc

    return validate


def _drf_validator(check):
    from rest_framework.exceptions import ValidationError

    def validate(value):
        try:
            check(value)
        except OutOfBounds as exc:
            raise ValidationError(str(exc), code="bounds") from exc

    return validate


def bound_form_fields(fields: dict) -> None:
    """Add the bounds to every number, date and choice-of-record field of a Django form."""
    from django import forms

    for name, field in fields.items():
        label = str(field.label or name)
        if isinstance(field, forms.ModelMultipleChoiceField | forms.ModelChoiceField):
            _guard_choice(field, label)
        elif isinstance(field, forms.DecimalField):
            md, dp = field.max_digits or 24, field.decimal_places if field.decimal_places is not None else 4
            field.validators.append(
                _django_validator(lambda v, md=md, dp=dp, lb=label: decimal(v, md, dp, lb))
            )
        elif isinstance(field, forms.FloatField):
            field.validators.append(_django_validator(lambda v, lb=label: number(v, lb)))
        elif isinstance(field, forms.IntegerField):
            field.validators.append(_django_validator(lambda v, lb=label: integer(v, lb)))
        elif isinstance(field, forms.DateTimeField):
            field.validators.append(_django_validator(lambda v, lb=label: date(v, lb)))
        elif isinstance(field, forms.DateField):
            field.validators.append(_django_validator(lambda v, lb=label: check_date(v, lb)))


def _guard_choice(field, label: str) -> None:
    """A chosen record's id is checked before the database is asked (SQLite overflows past 64 bits)."""
    from django.core.exceptions import ValidationError

    original = field.clean
    key = getattr(field, "to_field_name", None)

    def clean(value):
        values = value if isinstance(value, list | tuple) else [value]
        if not key:
            for v in values:
                if v in (None, ""):
                    continue
                try:
                    identifier(v, label)
                except OutOfBounds as exc:
                    raise ValidationError(str(exc), code="invalid_choice") from exc
        return original(value)

    field.clean = clean


class BoundedFormMixin:
    """For Django forms: ``class MyForm(BoundedFormMixin, forms.ModelForm)``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound_form_fields(self.fields)


def bound_serializer_fields(fields: dict) -> dict:
    """Add the bounds to every writable number, date and related-record field of a serializer."""
    from rest_framework import relations, serializers

    for name, field in fields.items():
        if field.read_only:
            continue
        label = str(field.label or name)
        if isinstance(field, serializers.ListSerializer | relations.ManyRelatedField):
            child = getattr(field, "child_relation", None) or getattr(field, "child", None)
            if isinstance(child, relations.PrimaryKeyRelatedField):
                _guard_related(child, label)
        elif isinstance(field, relations.PrimaryKeyRelatedField):
            _guard_related(field, label)
        elif isinstance(field, serializers.DecimalField):
            md = field.max_digits or 24
            dp = field.decimal_places if field.decimal_places is not None else 4
            field.validators.append(_drf_validator(lambda v, md=md, dp=dp, lb=label: decimal(v, md, dp, lb)))
        elif isinstance(field, serializers.FloatField):
            field.validators.append(_drf_validator(lambda v, lb=label: number(v, lb)))
        elif isinstance(field, serializers.IntegerField):
            field.validators.append(_drf_validator(lambda v, lb=label: integer(v, lb)))
        elif isinstance(field, serializers.DateTimeField):
            field.validators.append(_drf_validator(lambda v, lb=label: date(v, lb)))
        elif isinstance(field, serializers.DateField):
            field.validators.append(_drf_validator(lambda v, lb=label: check_date(v, lb)))
    return fields


def _guard_related(field, label: str) -> None:
    from rest_framework.exceptions import ValidationError

    original = field.to_internal_value

    def to_internal_value(data):
        if not isinstance(data, bool) and isinstance(data, int | str):
            try:
                identifier(data, label)
            except OutOfBounds as exc:
                raise ValidationError(str(exc), code="bounds") from exc
        return original(data)

    field.to_internal_value = to_internal_value


class BoundedSerializerMixin:
    """For DRF serializers: ``class MySerializer(BoundedSerializerMixin, serializers.ModelSerializer)``."""

    def get_fields(self):
        return bound_serializer_fields(super().get_fields())


def query_id(params, name: str, label: str | None = None) -> int | None:
    """``?name=`` as a record id for a hand-written filter; OutOfBounds for anything but a valid id."""
    return identifier(params.get(name), label or name)


def id_filter(**kwargs):
    """A django-filter filter for a record id (``?plan=3``): bounded like every id."""
    import django_filters
    from django import forms

    class IdField(forms.IntegerField):
        def to_python(self, value):
            try:
                return identifier(value, str(self.label or "编号"))
            except OutOfBounds as exc:
                from django.core.exceptions import ValidationError

                raise ValidationError(str(exc), code="invalid") from exc

    class IdFilter(django_filters.NumberFilter):
        field_class = IdField

    return IdFilter(**kwargs)


def bounded_filterset(cls):
    """Class decorator for a django-filter FilterSet: every number and date filter is bounded."""
    original = cls.form

    def form(self):
        if not hasattr(self, "_form"):
            bound_form_fields(original.fget(self).fields)
        return self._form

    cls.form = property(form)
    return cls
