"""The command line loads what a command needs and nothing more (docs/parsing-tables.md, "Speed"):
parsing a .txt imports no Django, no reader of another format and no OpenCC for a Simplified text;
``--help`` does not load the parser; and building only the parser of the command given answers
exactly as the whole command line does."""

import json
import subprocess
import sys

import pytest
from conftest import DATA, SEEDS

from newinfra import cli

HEAVY = ["django", "openpyxl", "docx", "pypdf", "bs4", "opencc", "dataclasses", "inspect"]
PROBE = """
import json, sys
from newinfra.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:  # --help
    code = exc.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def _modules_after(*args: str) -> tuple[int, set[str]]:
    r = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    return out["code"], {m.split(".")[0] for m in out["modules"]} | set(out["modules"])


@pytest.mark.parametrize("fmt", ["json", "md"])
def test_parsing_a_simplified_text_loads_no_heavy_library(tmp_path, fmt):
    code, modules = _modules_after("parse", str(SEEDS[1]), "--format", fmt, "-o", str(tmp_path / "out"))
    assert code == 0
    assert "newinfra.parsing.pipeline" in modules  # the probe did parse
    assert not modules & set(HEAVY), modules & set(HEAVY)
    assert "zipfile" not in modules and "newinfra.parsing.task_tables" not in modules


def test_a_traditional_text_loads_opencc_and_still_no_other_reader(tmp_path):
    code, modules = _modules_after(
        "parse", str(DATA / "unseen" / "b_linjiang_traditional.txt"), "-o", str(tmp_path / "o")
    )
    assert code == 0 and "opencc" in modules
    assert not modules & {"django", "openpyxl", "docx", "pypdf", "bs4"}


@pytest.mark.parametrize("args", [["--help"], ["parse", "--help"], ["--version"]])
def test_help_does_not_load_the_parser(args):
    code, modules = _modules_after(*args)
    assert code == 0
    assert "newinfra.parsing.pipeline" not in modules and "django" not in modules


def _subparsers(parser):
    return next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction").choices


COMMANDS = sorted(_subparsers(cli.build_parser()))


def test_every_command_is_listed():
    assert {"parse", "score", "migrate", "serve", "manage"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_a_command_built_alone_has_the_same_help_and_defaults(command):
    whole = _subparsers(cli.build_parser())[command]
    alone = _subparsers(cli.build_parser(command))
    assert list(alone) == [command]
    assert alone[command].format_help() == whole.format_help()
    assert alone[command].format_usage() == whole.format_usage()
    assert alone[command]._defaults.keys() == whole._defaults.keys()


def test_an_unknown_command_gets_the_whole_list(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["pase", "x.txt"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'pase'" in err and all(c in err for c in COMMANDS)
