"""Load: simulated users browsing the main pages of a real ``newinfra serve``.

Starts ``newinfra serve`` on a free port with its own throwaway var/ (migrate + seed-demo, as the
browser tests do; on a throwaway PostgreSQL database when DATABASE_URL is set), signs in N users of
every role (the demo users, password newinfra2026) and lets them browse for a bounded time, each
user one request after another with no pause (a closed loop: the figures show what the server
sustains, not what a human would ask for). Every level is run twice: once over the main pages and
once over a minimal Django view on the same server (the sign-in page, GET: the whole middleware
stack, a session, a small template), so the ratio shows how much of the time the pages themselves
take. Reports pages/s, median and 95th percentile, and errors (any answer but 200, any exception).

Standard library only (threads + http.client), so the client costs as little as it can; it runs on
the same cores as the server, as the machine's load average in the report shows.

    python benchmarks/bench_load.py --users 10,50 --seconds 30 --write docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.django_bench import database_label, throwaway_database  # noqa: E402
from benchmarks.report import stamp, update_section  # noqa: E402

CLI = [str(Path(sys.executable).with_name("newinfra"))]
PASSWORD = "newinfra2026"
# The demo users (orgs/management/commands/seed_demo.py), in the order simulated users take them:
# every role is present from 8 users on, and the office, the units and the declarants most of all.
USERNAMES = ["office", "gongxin", "mobile", "tianhe", "leader", "telecom", "yuexiu", "admin"]
# The main pages; "{project}" and "{indicator}" are filled with one the user can see.
PAGES = [
    ("home", "/"),
    ("ledger", "/ledger/"),
    ("my tasks", "/my-tasks/"),
    ("projects", "/projects/"),
    ("a project", "/projects/{project}/"),
    ("project statistics", "/projects/stats/"),
    ("dashboard", "/dashboard/"),
    ("monitoring", "/monitor/"),
    ("an indicator", "/indicators/{indicator}/"),
    ("supervision", "/supervision/"),
    ("map", "/map/"),
    ("search", "/search/?q=5G"),
    ("plans", "/plans/"),
]
MINIMAL = ("sign-in page", "/login/")
TITLE = "Load: users browsing the main pages"


TICK = os.sysconf("SC_CLK_TCK")


def _processes() -> list[tuple[int, int, str, float]]:
    """(pid, parent pid, name, CPU seconds used so far) of every process on the machine."""
    out = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            raw = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        name = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        out.append((int(entry.name), int(fields[1]), name, (int(fields[11]) + int(fields[12])) / TICK))
    return out


def cpu_seconds(root_pid: int | None) -> tuple[float, float]:
    """CPU seconds used so far by the server (``root_pid`` and its descendants: gunicorn's master and
    workers) and by PostgreSQL's processes (every ``postgres`` process on the machine)."""
    procs = _processes()
    server = 0.0
    if root_pid is not None:
        tree = {root_pid}
        for _ in range(3):  # master → workers (→ anything they start)
            tree |= {pid for pid, ppid, _, _ in procs if ppid in tree}
        server = sum(cpu for pid, _, _, cpu in procs if pid in tree)
    return server, sum(cpu for _, _, name, cpu in procs if name.startswith("postgres"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A throwaway var/ (and database) with the demo data, served by ``newinfra serve`` on a free port."""

    def __init__(self, database_url: str | None):
        self.var = tempfile.mkdtemp(prefix="newinfra-load-")
        self.env = {**os.environ, "NEWINFRA_VAR": self.var}
        self.env.pop("DATABASE_URL", None)
        if database_url:
            self.env["DATABASE_URL"] = database_url
        for step in (["migrate"], ["seed-demo"]):
            subprocess.run(CLI + step, env=self.env, check=True, capture_output=True)
        self.proc = None

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    def start(self, serve_args: list[str]) -> None:
        self.port = free_port()
        self.log = open(Path(self.var) / "serve.log", "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            CLI + ["serve", "--port", str(self.port), *serve_args],
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        for _ in range(300):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", MINIMAL[1])
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.1)
            if self.proc.poll() is not None:
                raise SystemExit(f"newinfra serve exited:\n{self.read_log()}")
        self.stop()
        raise SystemExit("newinfra serve did not answer within 30 s")

    def read_log(self) -> str:
        self.log.flush()
        return (Path(self.var) / "serve.log").read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
            self.proc = None
            self.log.close()

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.var, ignore_errors=True)


class Running:
    """A server that is already running (``--url``): its demo users must exist; nothing is started."""

    pid = None  # its CPU time is not measured

    def __init__(self, url: str):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme != "http" or not parts.port:
            raise SystemExit(f"--url wants http://HOST:PORT, not {url}")
        self.host, self.port = parts.hostname, parts.port

    def start(self, serve_args: list[str]) -> None:
        pass

    def stop(self) -> None:
        pass

    def read_log(self) -> str:
        return ""


class Browser:
    """One simulated user: its cookies and one keep-alive connection (reopened when the server closes it)."""

    def __init__(self, port: int, host: str = "127.0.0.1"):
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, url: str, body: dict | None = None) -> tuple[int, str, dict]:
        headers = {"Accept": "text/html", "Accept-Encoding": "identity", "User-Agent": "newinfra-bench-load"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}{url}"
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            try:
                self.conn.request(method, url, body=data, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # A kept-alive connection the server closed meanwhile: open a new one, once.
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
                continue
            for raw in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = raw.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            if response.will_close:
                self.conn.close()
                self.conn = None
            return response.status, text, dict(response.headers)
        raise AssertionError("not reached")

    def sign_in(self, username: str) -> None:
        status, text, _ = self.request("GET", "/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
        assert status == 200 and token, f"sign-in page: {status}"
        status, _, headers = self.request(
            "POST", "/login/", {"csrfmiddlewaretoken": token[1], "username": username, "password": PASSWORD}
        )
        assert status == 302 and "sessionid" in self.cookies, f"{username} could not sign in ({status})"


@dataclass
class Tally:
    times: list[float] = field(default_factory=list)
    per_page: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    answered: int = 0

    def add(self, label: str, seconds: float | None, error: str | None) -> None:
        with self.lock:
            if error:
                key = f"{label}: {error}"
                self.errors[key] = self.errors.get(key, 0) + 1
            else:
                self.times.append(seconds)
                self.per_page.setdefault(label, []).append(seconds)


def pages_for(browser: Browser) -> tuple[list[tuple[str, str]], list[str]]:
    """The main pages this user may open (the others answer 403 to its role and are left out)."""
    fill = {}
    _, text, _ = browser.request("GET", "/projects/")
    fill["project"] = (re.findall(r'href="/projects/(\d+)/"', text) or [None])[0]
    _, text, _ = browser.request("GET", "/monitor/")
    fill["indicator"] = (re.findall(r'href="/indicators/(\d+)/[?"]', text) or [None])[0]
    pages, closed = [], []
    for label, url in PAGES:
        if "{" in url:
            key = url.split("{", 1)[1].split("}", 1)[0]
            if fill[key] is None:
                closed.append(label)
                continue
            url = url.format(**fill)
        status, _, _ = browser.request("GET", url)
        if status == 200:
            pages.append((label, url))
        elif status in (403, 404):
            closed.append(label)
        else:
            raise SystemExit(f"{url} answers {status} before the load starts")
    return pages, closed


def browse(
    browser: Browser, pages, deadline: float, tally: Tally, rng: random.Random, rounds: int = 0
) -> None:
    """Open the pages one after another until the deadline, and past it until every page was opened
    ``rounds`` times; an answer that arrives after the deadline is not counted unless a round is
    still owed (but its server time is, so ``Tally.answered`` counts every answer for the CPU figures)."""
    order = list(pages)
    done = 0
    while True:
        rng.shuffle(order)
        for label, url in order:
            t0 = time.perf_counter()
            if t0 >= deadline and done >= rounds:
                return
            try:
                status, _, _ = browser.request("GET", url)
                error = None if status == 200 else f"HTTP {status}"
            except Exception as exc:  # noqa: BLE001 - every failure counts as an error
                error = type(exc).__name__
            t1 = time.perf_counter()
            with tally.lock:
                tally.answered += 1
            if t1 <= deadline or error or done < rounds:
                tally.add(label, t1 - t0, error)
        done += 1


def run_level(
    users: list[tuple[Browser, list]],
    seconds: float,
    minimal: bool,
    seed: int,
    pid: int | None = None,
    rounds: int = 0,
) -> dict:
    tally = Tally()
    start = time.perf_counter()
    deadline = start + seconds
    threads = []
    for i, (browser, pages) in enumerate(users):
        plan = [MINIMAL] if minimal else pages
        t = threading.Thread(
            target=browse, args=(browser, plan, deadline, tally, random.Random(seed + i), rounds)
        )
        threads.append(t)
    load0 = os.getloadavg()[0]
    cpu0, wall0 = cpu_seconds(pid), time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    cpu1, wall1 = cpu_seconds(pid), time.perf_counter()
    times = sorted(tally.times)
    answered = max(1, tally.answered)
    return {
        "pages": len(times),
        # answers owed to a round are counted past the deadline: then over the whole time taken
        "rate": len(times) / (max(seconds, wall1 - start) if rounds else seconds),
        "median": statistics.median(times) if times else float("nan"),
        "p95": times[min(len(times) - 1, int(0.95 * len(times)))] if times else float("nan"),
        "errors": sum(tally.errors.values()),
        "error_kinds": tally.errors,
        "per_page": tally.per_page,
        "load": (load0, os.getloadavg()[0]),
        # server CPU per answer (gunicorn's processes; PostgreSQL's separately) and the share of the
        # two cores the server got: robust to a busy machine where pages/s are not
        "cpu_ms": (cpu1[0] - cpu0[0]) / answered * 1e3 if pid else None,
        "pg_cpu_ms": (cpu1[1] - cpu0[1]) / answered * 1e3,
        "cores": (cpu1[0] - cpu0[0]) / (wall1 - wall0) if pid else None,
    }


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def measure(
    server: Server | Running, serve_args: list[str], levels: list[int], seconds: float, rounds: int = 0
) -> dict:
    """Every level against one server configuration: the main pages, then the minimal view."""
    server.start(serve_args)
    try:
        results, closed_by_user = [], {}
        users: list[tuple[Browser, list]] = []
        for n in levels:
            while len(users) < n:  # sign in the users this level adds
                username = USERNAMES[len(users) % len(USERNAMES)]
                browser = Browser(server.port, getattr(server, "host", "127.0.0.1"))
                browser.sign_in(username)
                pages, closed = pages_for(browser)  # also warms this user's pages
                closed_by_user[username] = closed
                users.append((browser, pages))
            run_level(users[:n], min(3.0, seconds), False, seed=n)  # warm-up, not counted
            pages = run_level(users[:n], seconds, False, seed=n, pid=server.pid, rounds=rounds)
            minimal = run_level(users[:n], seconds, True, seed=n, pid=server.pid, rounds=rounds)
            results.append((n, pages, minimal))
            print(
                f"[{' '.join(serve_args) or 'default'}] {n} users: pages {pages['rate']:.1f}/s "
                f"median {pages['median'] * 1e3:.0f} ms p95 {pages['p95'] * 1e3:.0f} ms errors {pages['errors']}; "
                f"minimal {minimal['rate']:.1f}/s median {minimal['median'] * 1e3:.0f} ms "
                f"errors {minimal['errors']}; load {pages['load'][0]:.2f}→{minimal['load'][1]:.2f}; "
                f"server CPU {pages['cpu_ms'] or 0:.0f} ms/page, {minimal['cpu_ms'] or 0:.0f} ms/minimal, "
                f"PostgreSQL {pages['pg_cpu_ms']:.0f} ms/page, cores {pages['cores'] or 0:.2f}",
                file=sys.stderr,
            )
        failed = any(p["errors"] or m["errors"] for _, p, m in results)
        return {
            "args": serve_args,
            "results": results,
            "closed": closed_by_user,
            "log": server.read_log() if failed else "",
            "failed": failed,
        }
    finally:
        server.stop()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--users", default="10,50", help="comma-separated numbers of simulated users (default 10,50)"
    )
    ap.add_argument("--seconds", type=float, default=30, help="measured time per level and view (default 30)")
    ap.add_argument(
        "--rounds",
        type=int,
        default=0,
        help="go on past --seconds until each user has opened each of its pages this many times "
        "(default 0: stop at --seconds; for checks on a slow machine)",
    )
    ap.add_argument(
        "--serve-args",
        action="append",
        help="arguments for newinfra serve, e.g. '--workers 4'; repeat to compare set-ups on the same data "
        "(default: serve's own defaults)",
    )
    ap.add_argument(
        "--url",
        help="load a platform already running at http://HOST:PORT (with the demo users) instead of starting one",
    )
    ap.add_argument("--write", metavar="MD", help="replace this benchmark's section of the Markdown file")
    args = ap.parse_args()
    levels = [int(n) for n in args.users.split(",") if n.strip()]
    setups = [a.split() for a in (args.serve_args or [""])]

    if args.url:
        runs = [measure(Running(args.url), [], levels, args.seconds, args.rounds)]
        runs[0]["url"] = args.url
        report = render(runs, args, None)
        print(report)
        if args.write:
            update_section(args.write, f"{TITLE} ({args.url})", report)
        return 1 if runs[0]["failed"] else 0

    with throwaway_database() as database_url:
        t0 = time.perf_counter()
        server = Server(database_url)
        setup_s = time.perf_counter() - t0
        try:
            runs = [measure(server, serve_args, levels, args.seconds, args.rounds) for serve_args in setups]
        finally:
            server.remove()

    report = render(runs, args, setup_s)
    print(report)
    for run in runs:
        if run["log"]:
            print(f"\nserver log of {run['args']} (tail):\n" + run["log"], file=sys.stderr)
    if args.write:
        update_section(args.write, f"{TITLE} ({database_label()})", report)
    return 1 if any(run["failed"] for run in runs) else 0


def served(run: dict) -> str:
    if run.get("url"):
        return run["url"]
    return "`newinfra serve" + (" " + " ".join(run["args"]) if run["args"] else "") + "`"


def render(runs: list[dict], args, setup_s: float | None) -> str:
    where = (
        f"The platform at {runs[0]['url']}"
        if setup_s is None
        else f"Database: {database_label()}. {', '.join(served(r) for r in runs)} on a free port with the "
        f"demo data (migrate + seed-demo in {setup_s:.0f} s)"
    )
    lines = [
        f"{stamp()} {where}; each simulated user signs in as one of "
        f"the demo users ({', '.join(USERNAMES)}, in turn) and opens its main pages in a random order, one "
        f"after another with no pause, for {args.seconds:.0f} s per level after a short warm-up"
        + (f" (and on until each had opened each of its pages {args.rounds}×)" if args.rounds else "")
        + ". The client "
        "(benchmarks/bench_load.py, threads + http.client) runs on the same cores. “Minimal view” is the "
        "same users fetching the sign-in page (the whole middleware stack and a small template) from the "
        "same server. Errors: any answer but 200 and any exception. “CPU ms” is the CPU time the server's "
        "processes (gunicorn's master and workers) used per answer, which a busy machine changes far less "
        "than pages/s; “cores” is how much of the machine's two cores the server got meanwhile."
        + (
            " “PostgreSQL ms” is the CPU time of every postgres process on the machine per answer."
            if database_label() == "PostgreSQL" and setup_s is not None
            else ""
        ),
        "",
    ]
    pg = database_label() == "PostgreSQL" and setup_s is not None
    head = (
        "| server | users | pages/s | median ms | p95 ms | errors | CPU ms | cores "
        + ("| PostgreSQL ms " if pg else "")
        + "| minimal view pages/s | median ms | p95 ms | errors | CPU ms | pages ÷ minimal | load average |"
    )
    lines += [head, "| --- |" + " ---: |" * (head.count("|") - 3) + " --- |"]

    def ms(v) -> str:
        return "" if v is None else f"{v:.0f}"

    for run in runs:
        for n, p, m in run["results"]:
            cores = "" if p["cores"] is None else f"{p['cores']:.2f}"
            lines.append(
                f"| {served(run)} | {n} | {p['rate']:.1f} | {p['median'] * 1e3:.0f} | {p['p95'] * 1e3:.0f} "
                f"| {p['errors']} | {ms(p['cpu_ms'])} | {cores} "
                + (f"| {ms(p['pg_cpu_ms'])} " if pg else "")
                + f"| {m['rate']:.1f} | {m['median'] * 1e3:.0f} | {m['p95'] * 1e3:.0f} | {m['errors']} "
                f"| {ms(m['cpu_ms'])} | {p['rate'] / m['rate']:.2f} | {p['load'][0]:.2f} → {m['load'][1]:.2f} |"
            )
    run = runs[0]
    n, p, _ = run["results"][0]  # the fewest users: at more, waiting for a free worker dominates
    lines += [
        "",
        f"Per page, {served(run)} at {n} users (median and 95th percentile of the answers):",
        "",
        "| page | URL | answers | median ms | p95 ms |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    urls = dict(PAGES)
    for label, times in sorted(p["per_page"].items(), key=lambda kv: -statistics.median(kv[1])):
        lines.append(
            f"| {label} | `{urls[label]}` | {len(times)} | {statistics.median(times) * 1e3:.0f} "
            f"| {percentile(times, 0.95) * 1e3:.0f} |"
        )
    closed = "; ".join(f"{u}: {', '.join(c)}" for u, c in run["closed"].items() if c)
    if closed:
        lines += ["", f"Pages a role may not open (403 to it, left out of its round): {closed}."]
    kinds: dict[str, int] = {}
    for r in runs:
        for _, pr, mr in r["results"]:
            for k, v in {**pr["error_kinds"], **mr["error_kinds"]}.items():
                kinds[f"{served(r)} {k}"] = kinds.get(f"{served(r)} {k}", 0) + v
    if kinds:
        lines += ["", "Errors: " + "; ".join(f"{k} × {v}" for k, v in kinds.items()) + "."]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
