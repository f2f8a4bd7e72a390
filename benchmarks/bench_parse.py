"""Parser speed: milliseconds per seed plan and throughput in MB/s, against interpreter start-up.

Run with ``make bench``; writes its figures, with date and machine, to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.report import stamp, update_section  # noqa: E402
from newinfra.parsing import parse_text  # noqa: E402

SEEDS = sorted((ROOT / "tests" / "data" / "seeds").glob("*.txt"))
UNSEEN = sorted((ROOT / "tests" / "data" / "unseen").glob("*.txt"))


def big_plan() -> tuple[str, str]:
    """(name, text) of a complete plan of about 45 KB: the largest unseen plan of 38 KB or more,
    else one built from the seeds (labelled so)."""
    real = [p for p in UNSEEN if p.stat().st_size >= 38_000]
    if real:
        p = max(real, key=lambda p: p.stat().st_size)
        return p.name, p.read_text(encoding="utf-8")
    text = SEEDS[-1].read_text(encoding="utf-8")
    while len(text.encode("utf-8")) < 45_000:
        text += "\n" + SEEDS[-1].read_text(encoding="utf-8")
    return "built: seed 004 repeated", text.encode("utf-8")[:46_080].decode("utf-8", "ignore")


def cli_own_work(seed: Path, repeat: int = 15, env: dict | None = None) -> tuple[float, float, float, float]:
    """(start-up median, start-up best, CLI median, CLI best) of ``python -c pass`` and
    ``newinfra parse SEED``, run alternately so that both see the same load."""
    starts, clis = [], []
    cli = [sys.executable, "-m", "newinfra.cli", "parse", str(seed), "-o", os.devnull]
    for _ in range(repeat):
        for cmd, into in (([sys.executable, "-c", "pass"], starts), (cli, clis)):
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, cwd=ROOT, env=env)
            into.append(time.perf_counter() - t0)
    return statistics.median(starts), min(starts), statistics.median(clis), min(clis)


def cli_own_work_cached_and_not(seed: Path, repeat: int = 15) -> dict[str, tuple[float, float, float, float]]:
    """``cli_own_work`` twice, in a private ``PYTHONPYCACHEPREFIX``: "cached" as an installed
    newinfra runs (its .pyc files and regex cache written by one run before), "uncached" with
    newinfra's .pyc files and regex cache removed and nothing written (``PYTHONDONTWRITEBYTECODE``,
    as after every change of the source). The standard library's .pyc files are there in both."""
    import shutil
    import tempfile

    out = {}
    with tempfile.TemporaryDirectory() as prefix:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = prefix
        cli = [sys.executable, "-m", "newinfra.cli", "parse", str(seed), "-o", os.devnull]
        for _ in range(2):  # writes every .pyc and the regex cache
            subprocess.run(cli, check=True, cwd=ROOT, env=env)
            subprocess.run([sys.executable, "-c", "pass"], check=True, cwd=ROOT, env=env)
        out["cached"] = cli_own_work(seed, repeat, env)
        shutil.rmtree(Path(prefix, *ROOT.parts[1:], "newinfra"))
        out["uncached"] = cli_own_work(seed, repeat, {**env, "PYTHONDONTWRITEBYTECODE": "1"})
    return out


def best_of(fn, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times)


def interpreter_startup(repeat: int = 15) -> float:
    """Median wall time of ``python -c pass`` (the bar a 30 KB parse must beat)."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


COLD = """
import sys, time
t0 = time.perf_counter()
from newinfra.parsing import parse_text
t1 = time.perf_counter()
parse_text(open(sys.argv[1], encoding="utf-8").read())
t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""


def cold_parse(seed: Path, repeat: int = 7) -> tuple[float, float]:
    """Median import time and first-parse time in a fresh interpreter (dictionaries not loaded)."""
    imports, parses = [], []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", COLD, str(seed)], check=True, capture_output=True, text=True, cwd=ROOT
        ).stdout.split()
        imports.append(float(out[0]))
        parses.append(float(out[1]))
    return statistics.median(imports), statistics.median(parses)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--write", metavar="MD", help="write the results to this Markdown file")
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()

    rows = []
    for seed in SEEDS:
        text = seed.read_text(encoding="utf-8")
        size = len(text.encode("utf-8"))
        parse_text(text)  # warm caches (OpenCC dictionaries, regexes)
        best, median = best_of(lambda text=text: parse_text(text), args.repeat)
        rows.append((seed.name, size, best, median))
    big_name, big = big_plan()
    parse_text(big)
    big_best, big_median = best_of(lambda: parse_text(big), args.repeat)
    startup = interpreter_startup()
    cold = [(seed.name, *cold_parse(seed)) for seed in SEEDS]
    own = cli_own_work_cached_and_not(SEEDS[-1])
    load = os.getloadavg()
    total_bytes = sum(r[1] for r in rows)
    total_median = sum(r[3] for r in rows)
    lines = [
        f"{stamp()} Best and median of {args.repeat} parses after one warm-up.",
        "",
        "| document | size | best ms | median ms | MB/s (median) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, size, best, median in rows:
        lines.append(
            f"| {name} | {size / 1024:.1f} KB | {best * 1e3:.2f} | {median * 1e3:.2f} | {size / median / 1e6:.2f} |"
        )
    lines += [
        f"| **all seeds** | {total_bytes / 1024:.1f} KB | | {total_median * 1e3:.2f} | "
        f"{total_bytes / total_median / 1e6:.2f} |",
        "",
        f"Interpreter start-up (`python -c pass`, median of 15): {startup * 1e3:.1f} ms. "
        f"Parsing a ~30 KB plan takes {max(r[3] for r in rows) / startup:.2f}× that.",
        "",
        f"A complete plan of {len(big.encode('utf-8')) / 1024:.1f} KB ({big_name}): best "
        f"{big_best * 1e3:.1f} ms, median {big_median * 1e3:.1f} ms (bar: 50 ms).",
        "",
        f"`newinfra parse {SEEDS[-1].name}` against `python -c pass`, run alternately 15 times "
        f"(load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} over 1 / 5 / 15 minutes):",
        "",
        "| newinfra's .pyc and regex cache | start-up median / best ms | CLI median / best ms "
        "| own work median / best ms | own work ÷ start-up (bar: 1×) |",
        "| --- | ---: | ---: | ---: | ---: |",
        *[
            f"| {kind} | {o[0] * 1e3:.1f} / {o[1] * 1e3:.1f} | {o[2] * 1e3:.1f} / {o[3] * 1e3:.1f} "
            f"| {(o[2] - o[0]) * 1e3:.1f} / {(o[3] - o[1]) * 1e3:.1f} | {(o[3] - o[1]) / o[1]:.2f}× |"
            for kind, o in own.items()
        ],
        "",
        "First parse in a fresh interpreter (median of 7), which includes loading the OpenCC",
        "dictionaries for a Traditional text:",
        "",
        "| document | import newinfra.parsing ms | first parse ms | first parse ÷ start-up |",
        "| --- | ---: | ---: | ---: |",
        *[f"| {n} | {i * 1e3:.1f} | {p * 1e3:.1f} | {p / startup:.2f} |" for n, i, p in cold],
    ]
    report = "\n".join(lines)
    print(report)
    if args.write:
        update_section(args.write, "Parser", report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
