"""benchmarks/bench_load.py at a tiny scale against the served platform of the browser tests:
every simulated user signs in and browses without a single error, and the report is written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_the_load_benchmark_browses_without_errors_and_writes_its_section(platform_url, tmp_path):
    report = tmp_path / "benchmarks.md"
    report.write_text("# Benchmarks\n\n## Parser\n\nkept as it was\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_load.py"), "--url", platform_url]
        # one round each at least: on a busy machine 2 s may not reach every page
        + ["--users", "2", "--seconds", "2", "--rounds", "1", "--write", str(report)],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    text = report.read_text(encoding="utf-8")
    assert "## Parser\n\nkept as it was" in text
    assert f"## Load: users browsing the main pages ({platform_url})" in text
    row = next(line for line in text.splitlines() if line.startswith(f"| {platform_url} | 2 |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    pages, errors, minimal, minimal_errors = float(cells[2]), cells[5], float(cells[8]), cells[11]
    assert pages > 0 and minimal > 0 and errors == "0" and minimal_errors == "0", row
    # every main page was opened by someone, and the per-page table lists them
    for page in ("/ledger/", "/projects/", "/map/", "/search/?q=5G"):
        assert f"`{page}`" in text
