"""Compiled regular expressions kept from one run to the next, as ``.pyc`` files keep code.

The parser's regular expressions (~140) take 40–60 ms to compile in a fresh interpreter, more
than the interpreter takes to start: sre's compiler is written in Python, and a class over the
CJK range fills a 64K table one character at a time. Python keeps none of that between runs.
``save()`` writes what sre's compiler produced for every pattern in ``re``'s own cache to a file
in ``__pycache__``; ``load()``, in the next run, builds the patterns from it and puts them into
``re``'s cache, so that ``re.compile(…)`` and ``re.search(r"…", …)`` anywhere find them compiled.

An entry is the exact pattern (str or bytes) and flags with sre's output for them, and a file is
used only by the same Python build (``sys.version``, ``_sre.MAGIC``) and the same parser sources
(names, sizes and modification times of ``newinfra/parsing/*.py``): a pattern always gets what
``re`` itself would compile. No file, another Python, changed sources, a damaged file, an
unwritable directory or ``-B`` / ``PYTHONDONTWRITEBYTECODE``: ``re`` compiles as usual.
``newinfra parse`` and ``newinfra score`` save; ``import newinfra.parsing`` loads. The file is
trusted as the ``.pyc`` files beside it are (``_sre`` still checks the code it is given).
"""

from __future__ import annotations

import os
import re
import sys

try:  # the private parts of ``re`` this relies on; without them the cache is off
    import _sre
    from re import _compiler, _parser

    _CACHE: dict | None = re._cache if isinstance(getattr(re, "_cache", None), dict) else None
    if sys.implementation.cache_tag is None:  # no __pycache__ either
        _CACHE = None
except ImportError:  # pragma: no cover - another Python implementation
    _CACHE = None

_loaded: set = set()  # keys of re._cache that came from the file


def cache_path() -> str:
    """Where the cache lives: beside this module's .pyc (``sys.pycache_prefix`` respected)."""
    here = os.path.dirname(os.path.abspath(__file__))
    name = f"regex_cache.{sys.implementation.cache_tag}.regex"
    if sys.pycache_prefix:
        return os.path.join(sys.pycache_prefix, os.path.splitdrive(here)[1].lstrip(os.sep), name)
    return os.path.join(here, "__pycache__", name)


def _stamp() -> tuple:
    """What the file is valid for: this Python build and these parser sources."""
    here = os.path.dirname(os.path.abspath(__file__))
    sources = sorted(
        (e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in os.scandir(here) if e.name.endswith(".py")
    )
    return (sys.version, _sre.MAGIC, _sre.CODESIZE, tuple(sources))


def _entry(pattern: str | bytes, flags: int) -> tuple:
    """sre's compiled form of one pattern, as ``re._compiler.compile`` passes it to ``_sre.compile``."""
    p = _parser.parse(pattern, flags)
    code = [int(c) for c in _compiler._code(p, flags)]
    groupindex = dict(p.state.groupdict)
    indexgroup = [None] * p.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    return (
        pattern,
        flags,
        int(flags | p.state.flags),
        code,
        p.state.groups - 1,
        groupindex,
        tuple(indexgroup),
    )


def load(path: str | None = None) -> int:
    """Put the patterns of a valid cache file into ``re``'s cache; the number of patterns."""
    if _CACHE is None:
        return 0
    import marshal

    try:
        with open(path or cache_path(), "rb") as f:
            stamp, entries = marshal.loads(f.read())
        if stamp != _stamp():
            return 0
        compiled = {
            (type(pattern), pattern, flags): _sre.compile(
                pattern, final, code, groups, groupindex, indexgroup
            )
            for pattern, flags, final, code, groups, groupindex, indexgroup in entries
        }
    except Exception:  # no file, or one this Python cannot read: compile as usual
        return 0
    for key, compiled_pattern in compiled.items():
        _CACHE.setdefault(key, compiled_pattern)
    _loaded.update(compiled)
    return len(compiled)


def save(path: str | None = None) -> bool:
    """Write every pattern in ``re``'s cache to the cache file, when some were compiled in this
    run rather than loaded; True when the file was written."""
    if _CACHE is None or sys.dont_write_bytecode:
        return False
    keys = [k for k in list(_CACHE) if k[0] in (str, bytes) and isinstance(k[2], int)]
    if not keys or set(keys) <= _loaded:
        return False
    import marshal

    path = path or cache_path()
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        data = marshal.dumps((_stamp(), [_entry(pattern, flags) for _, pattern, flags in keys]))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except Exception:  # a read-only install, a full disk, a pattern sre cannot redo: no cache
        from contextlib import suppress

        with suppress(OSError):
            os.unlink(tmp)
        return False
    _loaded.update(keys)
    return True
