"""``{{ task.pk|pk_url:"task-detail" }}``: ``{% url "task-detail" task.pk %}`` for lists of rows,
reversed once per URL name (see utilities.links)."""

from django import template

from newinfra.utilities import links

register = template.Library()


@register.filter
def pk_url(pk, name: str) -> str:
    return links.pk_url(name, pk)
