"""A faster, output-identical replacement for ``re._compiler._optimize_charset``.

Without the regex cache (the first run after a change of the parser, or every run under
``PYTHONDONTWRITEBYTECODE`` / ``-B``), compiling the parser's ~160 patterns took 55–75 ms, and
most of it was sre's character-set optimiser, which is Python: a class with a character beyond
Latin-1 (every class and alternation of Chinese words: ``[。;；]``, ``(约|大约|近)`` gives a class
of first characters) makes it fill a 64K map and then number its 256 chunks in a Python loop,
and a range such as ``[\\u4e00-\\u9fff]`` is filled one character at a time (21K steps, twice
for a pattern that starts with it).

``optimize_charset`` is the same algorithm as CPython 3.11's, doing the same work in bulk: a
range is filled by one slice assignment, and a run of empty chunks is numbered at once. Its
output is the same list, value for value (``tests/test_sre_charsets.py`` compares both on every
pattern of the parser and on random character sets); case-insensitive sets (``fixup``) go to the
original. ``install()`` puts it in place of the original, only on the Python it was written
from (3.11), and ``newinfra.parsing`` calls it when the regex cache did not load. Patterns
compiled by the process, the parser's or not, come out exactly as ``re`` would compile them.
"""

from __future__ import annotations

import sys

try:
    from re import _compiler
    from re._constants import BIGCHARSET, CHARSET, LITERAL, NEGATE, RANGE

    _original = _compiler._optimize_charset
    _mk_bitmap = _compiler._mk_bitmap
    _bytes_to_codes = _compiler._bytes_to_codes
except (ImportError, AttributeError):  # pragma: no cover - another Python: not installed
    _compiler = None

_ZERO_TAIL = bytes(0xFF00)  # what extends the Latin-1 map to the whole BMP
_ONES = b"\1" * 0x10000
_ZERO_CHUNK = bytes(256)


def optimize_charset(charset, iscased=None, fixup=None, fixes=None):
    """``re._compiler._optimize_charset``, same arguments and same result."""
    if fixup:  # a case-insensitive set: as re does it
        return _original(charset, iscased, fixup, fixes)
    out = []
    tail = []
    charmap = bytearray(256)
    for op, av in charset:
        if op is LITERAL:
            if av >= len(charmap):
                if len(charmap) == 256:
                    charmap += _ZERO_TAIL
                if av > 0xFFFF:  # beyond the BMP: kept as it is
                    tail.append((op, av))
                    continue
            charmap[av] = 1
        elif op is RANGE:
            lo, hi = av
            if hi >= len(charmap) and len(charmap) == 256:
                charmap += _ZERO_TAIL
            top = min(hi, len(charmap) - 1)
            if lo <= top:
                charmap[lo : top + 1] = _ONES[: top + 1 - lo]
            if hi > top:  # reaches beyond the BMP: the BMP part is in the map, the range kept too
                tail.append((op, av))
        elif op is NEGATE:
            out.append((op, av))
        else:
            tail.append((op, av))

    # One or two runs: literals and ranges.
    runs = []
    q = 0
    while True:
        p = charmap.find(1, q)
        if p < 0:
            break
        if len(runs) >= 2:
            runs = None
            break
        q = charmap.find(0, p)
        if q < 0:
            runs.append((p, len(charmap)))
            break
        runs.append((p, q))
    if runs is not None:
        for p, q in runs:
            if q - p == 1:
                out.append((LITERAL, p))
            else:
                out.append((RANGE, (p, q - 1)))
        out += tail
        if len(out) < len(charset):
            return out, False
        return charset, False

    if len(charmap) == 256:
        out.append((CHARSET, _mk_bitmap(charmap)))
        out += tail
        return out, False

    # A big charset: 256 chunks of 256 characters, equal chunks numbered once, in order of
    # first appearance; a run of empty chunks takes the empty chunk's number in one step.
    charmap = bytes(charmap)
    comps: dict[bytes, int] = {}
    mapping = bytearray(256)
    block = 0
    data = bytearray()
    k = 0
    while k < 256:
        p = charmap.find(1, k * 256)
        nonzero = 256 if p < 0 else p // 256
        if nonzero > k:
            if _ZERO_CHUNK not in comps:
                comps[_ZERO_CHUNK] = block
                block += 1
                data += _ZERO_CHUNK
            mapping[k:nonzero] = bytes((comps[_ZERO_CHUNK],)) * (nonzero - k)
            k = nonzero
            continue
        chunk = charmap[k * 256 : k * 256 + 256]
        if chunk in comps:
            mapping[k] = comps[chunk]
        else:
            mapping[k] = comps[chunk] = block
            block += 1
            data += chunk
        k += 1
    data = _mk_bitmap(data)
    data[0:0] = [block] + _bytes_to_codes(mapping)
    out.append((BIGCHARSET, data))
    out += tail
    return out, False


def install() -> bool:
    """Use ``optimize_charset`` for every pattern ``re`` compiles from now on, on CPython 3.11
    (whose algorithm it reproduces); True when it is in place."""
    if _compiler is None or sys.implementation.name != "cpython" or sys.version_info[:2] != (3, 11):
        return False
    _compiler._optimize_charset = optimize_charset
    return True
