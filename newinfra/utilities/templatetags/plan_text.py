from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from newinfra.parsing.normalise import mainland_text
from newinfra.utilities.script import VERBATIM_CLOSE, VERBATIM_OPEN, to_simplified

register = template.Library()


@register.filter
def plan_text(text: str, plan) -> str:
    """A plan's own words in Simplified Chinese with mainland vocabulary, whatever its script.
    (The Traditional interface converts the whole page back; 原文 fields show the source.)"""
    return mainland_text(text) if getattr(plan, "script", "") == "traditional" and text else text


@register.filter
def source_text(text: str, plan) -> str:
    """A 原文 in the reader's script — Simplified on the page (the Traditional interface converts
    the page) — with the source as written one click away, kept verbatim in either interface."""
    if not text:
        return ""
    shown = to_simplified(text)
    if shown == text:
        return text
    return format_html(
        '{}<details class="source"><summary>原文（{}）</summary>{}<span lang="zh-Hant">{}</span>{}</details>',
        shown,
        "繁体" if getattr(plan, "script", "") == "traditional" else "原稿",
        mark_safe(VERBATIM_OPEN),  # noqa: S308 (a constant comment)
        text,
        mark_safe(VERBATIM_CLOSE),  # noqa: S308
    )
