"""Tags of the task tables (ledger, 我的任务; ``plans/_task_rows.html``), 50 rows to a page: work
done once per cell or list in Python rather than once per item in template tags.

``{% unit_links t.active_responsibilities lead=True %}`` writes the same links as a template loop
with ``{% url %}`` per unit, in a fraction of the time: a page of 50 tasks has some 250 units, and
those loops were the largest part of the ledger's rendering.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from newinfra.utilities.links import pk_url

register = template.Library()


@register.simple_tag
def unit_links(responsibilities, lead: bool):
    """``<a class="unit lead" href="/orgs/N/">name</a>`` for each lead unit (lead=True) or each
    supporting unit (lead=False), in the order given."""
    css = "unit lead" if lead else "unit"
    return mark_safe(  # noqa: S308 - every part escaped by format_html
        "".join(
            format_html(
                '<a class="{}" href="{}">{}</a>',
                css,
                pk_url("organization-detail", r.organization_id),
                r.organization.name,
            )
            for r in responsibilities
            if bool(r.is_lead) == lead
        )
    )


@register.filter
def datalist_options(values) -> str:
    """``<option value="…">`` for each value (escaped), as a ``<datalist>`` of hundreds lists them."""
    return format_html_join("", '<option value="{}">', ((v,) for v in values))
