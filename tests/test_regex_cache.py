"""The regex cache (newinfra/parsing/regex_cache.py): patterns it hands to ``re`` are the ones ``re``
compiles itself, a file for another Python or other sources is not used, and a second run of
``newinfra parse`` (patterns from the cache) writes what the first wrote."""

import os
import re
import subprocess
import sys
from re import _compiler

import pytest
from conftest import SEEDS

from newinfra.parsing import parse_text, regex_cache


@pytest.fixture
def writable(monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(regex_cache, "_loaded", set())


def _parser_patterns() -> list[tuple]:
    parse_text(SEEDS[0].read_text(encoding="utf-8"))
    return [k for k in re._cache if k[0] in (str, bytes) and isinstance(k[2], int)]


def test_loaded_patterns_are_those_re_compiles(tmp_path, monkeypatch, writable):
    keys = _parser_patterns()
    assert len(keys) > 100  # the parser's own, not a handful
    path = str(tmp_path / "cache.regex")
    assert regex_cache.save(path)
    fresh: dict = {}
    monkeypatch.setattr(regex_cache, "_CACHE", fresh)
    assert regex_cache.load(path) == len(keys)
    text = SEEDS[1].read_text(encoding="utf-8")
    for key in keys:
        loaded, own = fresh[key], _compiler.compile(key[1], key[2])
        assert (loaded.pattern, loaded.flags, loaded.groups, loaded.groupindex) == (
            own.pattern,
            own.flags,
            own.groups,
            own.groupindex,
        )
        sample = text if key[0] is str else text.encode("utf-8")
        assert [m.span() for m in loaded.finditer(sample)] == [m.span() for m in own.finditer(sample)], key


def test_a_file_for_other_sources_or_damaged_is_not_used(tmp_path, monkeypatch, writable):
    _parser_patterns()
    path = str(tmp_path / "cache.regex")
    assert regex_cache.save(path)
    monkeypatch.setattr(regex_cache, "_CACHE", {})
    monkeypatch.setattr(regex_cache, "_stamp", lambda: ("another python", 0))
    assert regex_cache.load(path) == 0
    monkeypatch.undo()
    monkeypatch.setattr(regex_cache, "_CACHE", {})
    (tmp_path / "cache.regex").write_bytes(b"\x00 not marshal data")
    assert regex_cache.load(path) == 0
    assert regex_cache.load(str(tmp_path / "missing.regex")) == 0


def test_nothing_is_written_under_dont_write_bytecode(tmp_path, monkeypatch):
    _parser_patterns()
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    monkeypatch.setattr(regex_cache, "_loaded", set())
    assert not regex_cache.save(str(tmp_path / "cache.regex"))
    assert not (tmp_path / "cache.regex").exists()


def test_second_run_from_the_cache_writes_the_same(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(tmp_path / "pycache")
    outputs = []
    for run in (1, 2):
        out = tmp_path / f"run{run}.json"
        r = subprocess.run(
            [sys.executable, "-m", "newinfra.cli", "parse", str(SEEDS[1]), "-o", str(out)],
            env=env,
            capture_output=True,
            text=True,
        )
        assert r.returncode == 0, r.stderr
        outputs.append(out.read_bytes())
    assert list((tmp_path / "pycache").rglob("regex_cache.*.regex")), "the first run saves the cache"
    probe = "from newinfra.parsing import regex_cache; print(len(regex_cache._loaded))"
    loaded = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    assert int(loaded.stdout) > 100, loaded.stderr
    assert outputs[0] == outputs[1]
