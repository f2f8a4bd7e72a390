"""The unit cells of the task tables (ledger, 我的任务): ``{% load task_rows %}``.

``{% unit_links t.active_responsibilities lead=True %}`` writes the same links as a template loop
with ``{% url %}`` per unit, in a fraction of the time: a page of 50 tasks has some 250 units, and
those loops were the largest part of the ledger's rendering. Each organisation's address is
reversed once per page.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def unit_links(context, responsibilities, lead: bool):
    """``<a class="unit lead" href="/orgs/N/">name</a>`` for each lead unit (lead=True) or each
    supporting unit (lead=False), in the order given."""
    urls = context.render_context.setdefault("unit_links_urls", {})
    css = "unit lead" if lead else "unit"
    out = []
    for r in responsibilities:
        if bool(r.is_lead) != lead:
            continue
        url = urls.get(r.organization_id)
        if url is None:
            url = urls[r.organization_id] = reverse("organization-detail", args=[r.organization_id])
        out.append(format_html('<a class="{}" href="{}">{}</a>', css, url, r.organization.name))
    return mark_safe("".join(out))
