"""Simplified (default) or Traditional script for the whole interface.

Pages are written once, in Simplified Chinese. For a user who chose Traditional, this middleware
converts every HTML response with OpenCC (s2hk: the standard of Hong Kong and Macau, our Greater
Bay Area neighbours), so that both scripts are always complete. What users type in Traditional is
converted back to Simplified before it is searched (see ``simplified_query``).
"""

from __future__ import annotations

from functools import cache

SCRIPT_SESSION_KEY = "script"
# Text between these markers is a source as written (a plan's 原文): never converted.
VERBATIM_OPEN, VERBATIM_CLOSE = "<!--verbatim-->", "<!--/verbatim-->"
SCRIPTS = {"hans": "简体", "hant": "繁體"}


@cache
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


def to_traditional(text: str) -> str:
    return _converter("s2hk").convert(text)


def to_simplified(text: str) -> str:
    return _converter("t2s").convert(text) if text else text


def convert_page(html: str, convert) -> str:
    """``convert`` applied to the page except the verbatim passages."""
    if VERBATIM_OPEN not in html:
        return convert(html)
    out, rest = [], html
    while VERBATIM_OPEN in rest:
        before, _, tail = rest.partition(VERBATIM_OPEN)
        kept, _, rest = tail.partition(VERBATIM_CLOSE)
        out += [convert(before), VERBATIM_OPEN, kept, VERBATIM_CLOSE]
    out.append(convert(rest))
    return "".join(out)


def current_script(request) -> str:
    script = getattr(request, "session", {}).get(SCRIPT_SESSION_KEY) if hasattr(request, "session") else None
    return script if script in SCRIPTS else "hans"


def simplified_query(request, name: str, default: str = "") -> str:
    """A GET parameter as Simplified text, whatever script the user typed it in."""
    return to_simplified(request.GET.get(name, default).strip())


class ScriptMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.script = current_script(request)
        response = self.get_response(request)
        if (
            request.script == "hant"
            and not getattr(response, "streaming", False)
            and response.get("Content-Type", "").startswith("text/html")
        ):
            charset = response.charset or "utf-8"
            response.content = convert_page(response.content.decode(charset), to_traditional).encode(charset)
            response["Content-Length"] = str(len(response.content))
        if request.script == "hant":
            response["Content-Language"] = "zh-Hant"
        return response
