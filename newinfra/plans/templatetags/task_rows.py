"""Filters of the task rows (``plans/_task_rows.html``), 50 rows to a page: work done once per
list in Python rather than once per item in template tags."""

from django import template
from django.utils.html import format_html_join

register = template.Library()


@register.filter
def leads(responsibilities) -> list:
    """The lead units of a task's responsibilities, in their order."""
    return [r for r in responsibilities if r.is_lead]


@register.filter
def partners(responsibilities) -> list:
    """The units that take part without leading, in their order."""
    return [r for r in responsibilities if not r.is_lead]


@register.filter
def datalist_options(values) -> str:
    """``<option value="…">`` for each value (escaped), as a ``<datalist>`` of hundreds lists them."""
    return format_html_join("", '<option value="{}">', ((v,) for v in values))
