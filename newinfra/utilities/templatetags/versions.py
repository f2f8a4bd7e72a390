"""``{{ record|version }}``: the version an edit form carries back (see utilities.versions)."""

from django import template

from newinfra.utilities import versions

register = template.Library()


@register.filter
def version(record) -> str:
    return versions.version_of(record)
