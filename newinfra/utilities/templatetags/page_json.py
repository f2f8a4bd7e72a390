"""``{{ value|page_json:"element-id" }}``: like Django's json_script, but Chinese stays Chinese.

json_script writes non-ASCII characters as \\uXXXX escapes, which the Traditional-script middleware
cannot see; chart labels and legends would stay Simplified. This writes them as characters, still
escaping <, > and & so that the data cannot close the script element.
"""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def page_json(value, element_id):
    text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_ESCAPES)
    return format_html('<script id="{}" type="application/json">{}</script>', element_id, mark_safe(text))
