"""What every platform benchmark shares: a throwaway Django set-up and the request timer."""

from __future__ import annotations

import atexit
import contextlib
import os
import secrets
import statistics
import tempfile
import time
import urllib.parse


def database_label() -> str:
    """The database a benchmark runs on, as its section title says it: SQLite unless DATABASE_URL says otherwise."""
    url = os.environ.get("DATABASE_URL", "")
    return "PostgreSQL" if url.startswith(("postgres://", "postgresql://", "pgsql://")) else "SQLite"


def _admin_connection(url: str):
    import psycopg

    parts = urllib.parse.urlsplit(url)
    return psycopg.connect(urllib.parse.urlunsplit(parts._replace(path="/postgres")), autocommit=True)


def create_database(url: str) -> str:
    """A new empty database on the PostgreSQL server of ``url``; its URL."""
    name = f"newinfra_bench_{os.getpid()}_{secrets.token_hex(3)}"
    with _admin_connection(url) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path=f"/{name}"))


def drop_database(url: str) -> None:
    name = urllib.parse.urlsplit(url).path.lstrip("/")
    assert name.startswith("newinfra_bench_"), name  # never anything this module did not create
    with _admin_connection(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def throwaway_database():
    """On PostgreSQL (DATABASE_URL set): a fresh database for this run, dropped afterwards; else None."""
    if database_label() != "PostgreSQL":
        yield None
        return
    url = create_database(os.environ["DATABASE_URL"])
    try:
        yield url
    finally:
        drop_database(url)


def setup() -> None:
    """Django on a fresh database: SQLite in a temporary var/, or, when DATABASE_URL names a
    PostgreSQL server, a new database on it that is dropped when the benchmark ends. Once per process
    (a benchmark may import another one's builder, which calls it again)."""
    from django.conf import settings

    if settings.configured:
        return
    os.environ.setdefault("NEWINFRA_VAR", tempfile.mkdtemp(prefix="newinfra-bench-"))
    if database_label() == "PostgreSQL":
        url = create_database(os.environ["DATABASE_URL"])
        os.environ["DATABASE_URL"] = url

        def drop() -> None:
            from django.db import connections

            connections.close_all()
            drop_database(url)

        atexit.register(drop)
    os.environ.setdefault("NEWINFRA_TESTING", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newinfra.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()


def timed(client, url: str, repeat: int, before=None) -> tuple[float, float, int]:
    """Median and worst server time of ``repeat`` requests, and the SQL queries of one.

    ``before`` runs untimed before each request (e.g. to make a cache stale)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm
    times = []
    for _ in range(repeat):
        if before:
            before()
        t0 = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - t0)
        assert response.status_code == 200, (url, response.status_code)
    if before:
        before()
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return statistics.median(times), max(times), len(ctx.captured_queries)
