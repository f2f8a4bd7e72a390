"""What every platform benchmark shares: a throwaway Django set-up and the request timer."""

from __future__ import annotations

import os
import statistics
import tempfile
import time


def setup() -> None:
    """Django on a fresh SQLite database in a temporary var/ (unless the environment says otherwise)."""
    os.environ.setdefault("NEWINFRA_VAR", tempfile.mkdtemp(prefix="newinfra-bench-"))
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
