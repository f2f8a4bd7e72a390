"""docs/benchmarks.md is shared by several benchmarks: each replaces its own "## " section."""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
from pathlib import Path

HEADER = (
    "# Benchmarks\n\nFigures from `make bench` (benchmarks/). Timings on shared machines are noisy;\n"
    "compare figures from one run, not across runs. Each section says when and where it was measured.\n"
    "The benchmarks that use a database run twice, each on a throwaway database: on SQLite, then on\n"
    "PostgreSQL (the server `scripts/ensure-postgres.sh` starts); each of their sections names its\n"
    "database. The parser and the map's coverage analysis use no database and run once.\n"
)


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.node()} · {cpu or platform.processor()} · {os.cpu_count()} cores · Python {platform.python_version()}"


def stamp() -> str:
    return f"Run {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M')} UTC on {machine()}."


def update_section(path: str | Path, title: str, body: str) -> None:
    path = Path(path)
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    if not text.startswith("# Benchmarks"):
        text = HEADER
    section = f"## {title}\n\n{body.strip()}\n\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip() + "\n\n" + section
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.rstrip() + "\n", encoding="utf-8")
