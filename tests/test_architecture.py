"""The house's rules, read from the code's own imports (docs/architecture.md):
no circle between files, parsing free of Django, no app importing another app's views,
utilities importing no app."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "newinfra"
APPS = sorted(
    p.name
    for p in PACKAGE.iterdir()
    if p.is_dir() and (p / "__init__.py").exists() and p.name != "__pycache__"
)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _product_files() -> list[Path]:
    return [
        p
        for p in PACKAGE.rglob("*.py")
        if "tests" not in p.parts and "migrations" not in p.parts and p.name != "conftest.py"
    ]


def _imports(path: Path) -> set[str]:
    """Every module the file imports, at the top or inside a function, resolved to a dotted name."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            out.add(target)
            # ``from . import views`` names a module, not an attribute
            out.update(f"{target}.{a.name}" for a in node.names)
    return out


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    files = {_module_name(p): p for p in _product_files()}
    return {m: {i for i in _imports(p) if i in files} for m, p in files.items()}


def _app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in APPS) else None


def test_the_graph_is_read(graph):
    # A guard for the checks below: they would pass on an empty graph.
    assert "newinfra.plans.views" in graph and "newinfra.utilities.tables" in graph["newinfra.plans.views"]


def test_no_circle_between_files(graph):
    state: dict[str, int] = {}
    path: list[str] = []
    circles = []

    def visit(m):
        state[m] = 1
        path.append(m)
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                circles.append(path[path.index(n) :] + [n])
            elif n not in state:
                visit(n)
        path.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)
    assert not circles, "files importing each other: " + "; ".join(" -> ".join(c) for c in circles)


def test_parsing_imports_nothing_of_django_or_the_platform():
    bad = []
    for p in (PACKAGE / "parsing").rglob("*.py"):
        for i in _imports(p):
            if i.split(".")[0] in ("django", "rest_framework") or (
                i.startswith("newinfra.") and not i.startswith("newinfra.parsing")
            ):
                bad.append(f"{p.relative_to(ROOT)} imports {i}")
    assert not bad, bad


def test_no_app_imports_another_apps_views(graph):
    bad = [
        f"{m} imports {i}"
        for m, targets in graph.items()
        for i in targets
        if i.endswith(".views") and _app_of(i) != _app_of(m)
    ]
    assert not bad, bad


def test_utilities_import_no_app(graph):
    allowed = ("newinfra.utilities", "newinfra.parsing")  # parsing is a library, not an app
    bad = [
        f"{m} imports {i}"
        for m, targets in graph.items()
        if m.startswith("newinfra.utilities")
        for i in targets
        if not i.startswith(allowed)
    ]
    assert not bad, bad
