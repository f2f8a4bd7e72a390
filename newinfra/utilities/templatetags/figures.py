"""Template filters for figures: ``{% load figures %}``.

``{{ a.current|in_terms:target }}`` (a Target, or a snapshot row with ``target_value``/``unit``),
``{{ value|figure:"个" }}``, ``{{ amount|money }}`` (万元), ``{{ share|percent }}``.
"""

from django import template

from newinfra.utilities import figures

register = template.Library()


def _target_of(target):
    if target is None:
        return None, ""
    if isinstance(target, dict):
        return target.get("target_value"), target.get("unit", "")
    return getattr(target, "value", None), getattr(target, "unit", "")


@register.filter
def in_terms(value, target):
    if value is None or value == "":
        return "—"
    target_value, unit = _target_of(target)
    if target_value is None:
        return figures.figure(value, unit)
    return figures.in_terms(value, target_value, unit)


@register.filter
def figure(value, unit=""):
    return "—" if value is None or value == "" else figures.figure(value, unit or "")


@register.filter
def number(value, decimals=4):
    """A value in a column whose header carries the unit: 1,234,567.5 (no trailing zeros)."""
    return "—" if value is None or value == "" else figures.plain(value, int(decimals), separators=True)


@register.filter
def money(value):
    return "—" if value is None or value == "" else figures.money(value)


@register.filter
def percent(value):
    return "—" if value is None or value == "" else figures.percent(value)
