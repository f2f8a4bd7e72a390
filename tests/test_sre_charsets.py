"""sre_charsets.optimize_charset (newinfra/parsing/sre_charsets.py) gives what re's own
character-set optimiser gives: on every pattern of the parser, compiled whole, and on random
character sets of literals, ranges and categories in Latin-1, the BMP and beyond."""

import re
import sys
from pathlib import Path
from re import _compiler, _parser
from re._constants import CATEGORY, CATEGORY_DIGIT, CATEGORY_SPACE, CATEGORY_WORD, LITERAL, NEGATE, RANGE

import pytest
from conftest import SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st

from newinfra.parsing import parse_text, sre_charsets

ORIGINAL = sre_charsets._original


def _code(pattern, flags) -> list[int]:
    return list(_compiler._code(_parser.parse(pattern, flags), flags))


def _parser_patterns() -> list[tuple]:
    for seed in SEEDS:
        parse_text(seed.read_text(encoding="utf-8"))
    keys = {(k[1], k[2]) for k in re._cache if k[0] is str and isinstance(k[2], int)}
    for path in Path(sre_charsets.__file__).parent.glob("*.py"):  # also those of other formats
        module = sys.modules.get(f"newinfra.parsing.{path.stem}")
        for value in vars(module).values() if module else ():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                keys.add((value.pattern, value.flags))
    return sorted(keys)


def test_every_parser_pattern_compiles_to_the_same_code(monkeypatch):
    keys = _parser_patterns()
    assert len(keys) > 100
    monkeypatch.setattr(_compiler, "_optimize_charset", ORIGINAL)
    theirs = [_code(p, f) for p, f in keys]
    monkeypatch.setattr(_compiler, "_optimize_charset", sre_charsets.optimize_charset)
    assert [_code(p, f) for p, f in keys] == theirs


@pytest.mark.parametrize(
    "pattern",
    [
        r"[\u4e00-\u9fff]{2,3}",
        r"[^。;；!?！？\n]+",
        r"[a-z\u00e0-\u00ff\U0001F600-\U0001F64F]",
        r"[\U00010000-\U0010FFFF]",
        r"[\w\s\u3000-\u303f\d]",
        r"(约|大约|近|接近)$",
        r"[A-Za-z0-9./+]",
        r"[\x00-\uffff]",
        r"(?i)[a-z\u4e00-\u4e10ſ]",
    ],
)
def test_patterns_of_every_shape_compile_to_the_same_code(monkeypatch, pattern):
    monkeypatch.setattr(_compiler, "_optimize_charset", ORIGINAL)
    theirs = _code(pattern, 0)
    monkeypatch.setattr(_compiler, "_optimize_charset", sre_charsets.optimize_charset)
    assert _code(pattern, 0) == theirs
    assert re.compile(pattern).pattern == pattern


POINT = st.one_of(
    st.integers(0, 0xFF), st.integers(0x100, 0xFFFF), st.integers(0xFF00, 0x10100), st.integers(0, 0x10FFFF)
)
ITEM = st.one_of(
    st.tuples(st.just(LITERAL), POINT),
    st.tuples(st.just(RANGE), st.tuples(POINT, POINT).map(sorted).map(tuple)),
    st.tuples(st.just(CATEGORY), st.sampled_from([CATEGORY_DIGIT, CATEGORY_SPACE, CATEGORY_WORD])),
)


@settings(max_examples=400, deadline=None)
@given(st.booleans(), st.lists(ITEM, min_size=1, max_size=8))
def test_random_character_sets_give_the_same_result(negate, items):
    charset = [(NEGATE, None)] * negate + items
    assert sre_charsets.optimize_charset(list(charset)) == ORIGINAL(list(charset))


def test_installed_only_on_the_python_it_reproduces(monkeypatch):
    monkeypatch.setattr(_compiler, "_optimize_charset", ORIGINAL)
    assert sre_charsets.install() == (sys.version_info[:2] == (3, 11))
    if sys.version_info[:2] == (3, 11):
        assert _compiler._optimize_charset is sre_charsets.optimize_charset
