"""``{% light status label why rule %}``: a status light with its explanation and rule on hover.

One tag instead of an ``{% include %}`` per row: the monitoring list shows hundreds of lights, and
including a template is several times the cost of formatting this one element."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def light(status, label, why, rule=""):
    return format_html(
        '<span class="light {}" title="{}：{}&#10;&#10;{}">{}</span>', status, label, why, rule, label
    )
