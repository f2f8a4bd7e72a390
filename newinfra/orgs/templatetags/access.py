"""Show a link exactly when its page opens for the user: the same rule as the page gate.

{% load access %}
{% if user|opens:"order-new" %}<a href="{% url 'order-new' %}">发出督办通知</a>{% endif %}
{% may_open "dashboard-unit" pk=org.pk as ok %}{% if ok %}…{% endif %}
"""

from django import template

from newinfra.orgs.permissions import may_open as _may_open

register = template.Library()


@register.filter
def opens(user, key: str) -> bool:
    return _may_open(user, key)


@register.filter
def sends(user, key: str) -> bool:
    """May the user send the form of this page (POST)? Leaders read, they do not send."""
    return _may_open(user, key, "POST")


@register.simple_tag(takes_context=True)
def may_open(context, key: str, method: str = "GET", **kwargs) -> bool:
    return _may_open(context["user"], key, method, kwargs)
