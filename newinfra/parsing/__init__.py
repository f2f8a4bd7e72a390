"""Plan documents → structured plans. Pure Python: nothing here imports Django.

Stages, each a module: read → normalise → task tables → structure → responsibilities →
quantities → deadlines → flags, put together by ``pipeline``.

The names below are loaded on first use, so that ``import newinfra.parsing.errors`` (which the
command line does for every command) does not load the parser. Its regular expressions come
compiled from the previous run when it saved them (``regex_cache``).
"""

from .errors import DocumentError
from .regex_cache import load as _load_regex_cache

_load_regex_cache()  # the parser's regular expressions, as compiled in an earlier run

__all__ = ["DocumentError", "PlanDocument", "Section", "Target", "Task", "parse_file", "parse_text"]

_LAZY = {
    "PlanDocument": "model",
    "Section": "model",
    "Target": "model",
    "Task": "model",
    "parse_file": "pipeline",
    "parse_text": "pipeline",
}


def __getattr__(name: str):
    if name in _LAZY:
        from importlib import import_module

        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
