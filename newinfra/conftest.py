"""Test set-up shared by every test directory: settings for a throwaway var/ and the demo data."""

import contextlib
import io
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Both Guangzhou plans, the organisations and one user per role, loaded once."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: cached figures are keyed by data-version counters that
    live in the database, and a test's rolled-back transaction winds those counters back, so a figure
    cached by an earlier test could otherwise come back under the same key."""
    from django.core.cache import cache

    cache.clear()
    yield


# --- browser tests: a real `newinfra serve` and Debian's Chromium through Playwright ----------

CHROMIUM = os.environ.get("NEWINFRA_CHROMIUM", "/usr/bin/chromium")
CLI = [str(Path(sys.executable).with_name("newinfra"))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Served:
    """A platform served for real (``newinfra serve``, gunicorn) on its own SQLite database."""

    url: str
    var: Path
    env: dict

    def request(self, method: str, path: str, body=None, token: str = "", timeout: float = 30):
        """(status, parsed JSON or text) of one API call."""
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", f"Token {token}")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                status, raw = r.status, r.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, raw.decode("utf-8", "replace")

    def token(self, username: str, password: str = "newinfra2026") -> str:
        status, body = self.request("POST", "/api/auth/token/", {"username": username, "password": password})
        assert status == 200, body
        return body["token"]

    def manage(self, *args: str) -> str:
        out = subprocess.run(
            CLI + ["manage", *args], env=self.env, check=True, capture_output=True, text=True, cwd=ROOT
        )
        return out.stdout


@contextlib.contextmanager
def serve(var: Path, workers: int = 1, extra_env: dict | None = None):
    """Migrate and seed a fresh database in ``var``, start ``newinfra serve`` with ``workers``
    processes and wait until it answers: the browser tests, and the tests that need real
    concurrency (several processes writing one SQLite file, a worker held by an upload)."""
    env = {**os.environ, "NEWINFRA_VAR": str(var), "NEWINFRA_TESTING": "1", **(extra_env or {})}
    env.pop("DATABASE_URL", None)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    for step in (["migrate"], ["seed-demo"]):
        subprocess.run(CLI + step, env=env, check=True, capture_output=True, cwd=ROOT)
    port = free_port()
    server = subprocess.Popen(
        CLI + ["serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url + "/login/", timeout=1)
                break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError("the platform did not start (newinfra serve exited)") from None
                time.sleep(0.1)
        else:
            raise RuntimeError("the platform did not start within 30 s")
        yield Served(url, var, env)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture(scope="session")
def platform_url(tmp_path_factory):
    """A served platform with both plans and the demo users, on its own SQLite database."""
    var = tmp_path_factory.mktemp("var")
    os.environ["NEWINFRA_BROWSER_VAR"] = str(var)  # tests that prepare data for the served platform
    with serve(var, workers=1) as served:
        yield served.url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API leaves its event loop marked as running in this thread, and Django then
    # refuses every database call of the tests that follow in this process as "async"; the tests
    # themselves never run async code, so Django's guard is switched off for them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser, platform_url, tmp_path):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(15000)
    pg.base = platform_url
    pg.artifacts = Path(os.environ.get("NEWINFRA_SCREENSHOTS", tmp_path))
    yield pg
    context.close()


def login(page, username="office", password="newinfra2026"):
    page.goto(page.base + "/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def confirm(page, says: str = "", accept: bool = True):
    """Answer the confirmation an irreversible action asks for (web/static/web/site.js)."""
    dialog = page.locator("#confirm-dialog[open]")
    dialog.wait_for()
    text = dialog.locator(".confirm-text").inner_text()
    assert says in text, text
    if not accept:
        page.click("#confirm-cancel")
        return text
    # Accepting submits the form: wait for the answer page, or the next read sees the old one.
    with page.expect_navigation():
        page.click("#confirm-ok")
    return text
