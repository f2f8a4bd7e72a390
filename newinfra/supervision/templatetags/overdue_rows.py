"""One row of 督办's overdue table: ``{% load overdue_rows %}{% overdue_row i city_wide office %}``.

The same HTML as the template row it replaces, written in Python: the city's list has some 180
rows, each with three ``{% url %}`` and a date filter, and rendering them was most of the page's
time. Each address is reversed once per page.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


def _url(context, name: str, *args) -> str:
    urls = context.render_context.setdefault("overdue_row_urls", {})
    key = (name, args)
    if key not in urls:
        urls[key] = reverse(name, args=args)
    return urls[key]


@register.simple_tag(takes_context=True)
def overdue_row(context, item, city_wide, office):
    if item.task:
        subject = _url(context, "task-detail", item.task.pk)
    elif item.indicator:
        subject = _url(context, "indicator-detail", item.indicator.pk)
    else:
        subject = _url(context, "project-detail", item.project.pk)
    due = item.due
    actions = "" if city_wide else format_html('<a href="{}">报送</a>', item.link)
    if item.open_order:
        actions += format_html('<a href="{}">已督办</a>', _url(context, "order-detail", item.open_order))
    elif office:
        actions += format_html('<a href="{}?{}">督办</a>', _url(context, "order-new"), item.order_query)
    return format_html(
        '<tr class="overdue" data-kind="{}"><td class="nowrap">{}</td><td><a href="{}">{}</a></td>'
        '<td class="nowrap">{}</td><td class="nowrap">{}</td><td class="nowrap error-text num">{}</td>'
        '<td class="nowrap">{}</td></tr>',
        item.kind,
        item.kind_label,
        subject,
        item.subject,
        item.period,
        f"{due.year:04d}-{due.month:02d}-{due.day:02d}" if due else "",
        item.days,
        mark_safe(actions),
    )
