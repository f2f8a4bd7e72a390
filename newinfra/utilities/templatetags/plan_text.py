from django import template

from newinfra.parsing.normalise import mainland_text

register = template.Library()


@register.filter
def plan_text(text: str, plan) -> str:
    """A plan's own words in Simplified Chinese with mainland vocabulary, whatever its script.
    (The Traditional interface converts the whole page back; 原文 fields show the source.)"""
    return mainland_text(text) if getattr(plan, "script", "") == "traditional" and text else text
