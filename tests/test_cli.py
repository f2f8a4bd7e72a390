"""`newinfra` as a user runs it: a separate process, real files, exit codes."""

import json
import subprocess
import sys

import pytest
from conftest import SEEDS

CLI = [sys.executable, "-m", "newinfra.cli"]


def run(*args, cwd=None):
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, cwd=cwd)


def test_parse_json_to_stdout():
    r = run("parse", SEEDS[1])
    assert r.returncode == 0, r.stderr
    plan = json.loads(r.stdout)
    assert plan["title"] == "广州市加快推进数字新基建发展三年行动计划(2020年—2022年)"
    assert len(plan["tasks"]) == 40


def test_parse_md_and_xlsx_to_files(tmp_path):
    assert run("parse", *SEEDS, "--format", "md", "-o", tmp_path / "p.md").returncode == 0
    assert "任务" in (tmp_path / "p.md").read_text(encoding="utf-8")
    r = run("parse", *SEEDS, "--format", "xlsx", "-o", tmp_path / "p.xlsx")
    assert r.returncode == 0 and (tmp_path / "p.xlsx").stat().st_size > 5000


def test_xlsx_needs_an_output_file():
    r = run("parse", SEEDS[0], "--format", "xlsx")
    assert r.returncode == 2 and "-o" in r.stderr


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("missing.txt", None),
        ("empty.txt", b""),
        ("binary.bin", bytes(range(256)) * 8),
        ("garbled.txt", bytes([0x81, 0xFF, 0xFE, 0x80] * 100)),
    ],
)
def test_bad_files_exit_2_with_one_line(tmp_path, name, data):
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    r = run("parse", path)
    assert r.returncode == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("newinfra: error:") and name in lines[0]
    assert "Traceback" not in r.stderr


def test_score_command():
    from pathlib import Path

    gold = Path(SEEDS[1]).parent.parent / "gold" / (Path(SEEDS[1]).stem + ".json")
    r = run("score", SEEDS[1], gold)
    assert r.returncode == 0 and "targets  F1 1.000" in r.stdout


def test_help_lists_the_commands():
    r = run("--help")
    assert r.returncode == 0 and "parse" in r.stdout and "score" in r.stdout
