"""Test set-up shared by every test directory: settings for a throwaway var/ and the demo data."""

import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
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


@pytest.fixture(scope="session")
def platform_url(tmp_path_factory):
    """A served platform with both plans and the demo users, on its own SQLite database."""
    var = tmp_path_factory.mktemp("var")
    os.environ["NEWINFRA_BROWSER_VAR"] = str(var)  # tests that prepare data for the served platform
    env = {**os.environ, "NEWINFRA_VAR": str(var), "NEWINFRA_TESTING": "1"}
    env.pop("DATABASE_URL", None)
    for step in (["migrate"], ["seed-demo"]):
        subprocess.run(CLI + step, env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        CLI + ["serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/login/", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    else:
        server.kill()
        pytest.fail("the platform did not start")
    yield url
    server.terminate()
    server.wait(timeout=10)


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
