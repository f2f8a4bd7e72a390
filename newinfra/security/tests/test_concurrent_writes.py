"""Twenty writers at once on the default SQLite set-up: no "database is locked", exact totals."""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor

import pytest

from newinfra.conftest import serve

pytestmark = pytest.mark.slow

WRITERS = 20
ROUNDS = 4  # per writer: create a draft and rename it, or report a value and correct it


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    with serve(tmp_path_factory.mktemp("var"), workers=4) as served:
        yield served


def _count(db, sql: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchone()[0]


def test_twenty_concurrent_writers_get_no_server_error_and_every_write_is_kept(platform):
    db = platform.var / "newinfra.sqlite3"
    tokens = {name: platform.token(name) for name in ("mobile", "telecom")}
    status, body = platform.request("GET", "/api/organizations/?kind=district", token=tokens["mobile"])
    assert status == 200, body
    district = next(o["id"] for o in body["results"] if o["name"] == "天河区政府")
    tokens["gongxin"] = platform.token("gongxin")
    indicator = _count(
        db,
        "SELECT p.indicator_id FROM indicators_indicatorprofile p JOIN orgs_organization o "
        "ON o.id = p.responsible_id WHERE o.name = '市工业和信息化局' AND p.district_breakdown = 0 "
        "AND p.min_value IS NULL ORDER BY p.indicator_id",
    )
    values_before = _count(db, "SELECT COUNT(*) FROM indicators_datavalue")
    before = _count(db, "SELECT COUNT(*) FROM projects_project")

    def value_writer(n: int) -> list[int]:
        statuses = []
        for quarter in range(ROUNDS):  # one value per quarter of the year 1999 + n, then a correction
            body = {"indicator": indicator, "period": f"{1999 + n}-{3 * quarter + 1:02d}-15", "value": "1"}
            statuses.append(
                platform.request("POST", "/api/data-values/", body, tokens["gongxin"], timeout=60)[0]
            )
            body["note"] = "更正"
            statuses.append(
                platform.request("POST", "/api/data-values/", body, tokens["gongxin"], timeout=60)[0]
            )
        return statuses

    def writer(n: int) -> list[int]:
        if n >= WRITERS // 2:
            return value_writer(n)
        token = tokens["mobile" if n % 2 else "telecom"]
        statuses = []
        for r in range(ROUNDS):
            payload = {
                "name": f"并发申报{n}-{r}",
                "competent": district,
                "districts": [district],
                "domain": "5g",
                "total_investment": "100",
            }
            status, body = platform.request("POST", "/api/projects/", payload, token=token, timeout=60)
            statuses.append(status)
            if status == 201:
                status, _ = platform.request(
                    "PATCH",
                    f"/api/projects/{body['id']}/",
                    {"name": f"并发改名{n}-{r}"},
                    token=token,
                    timeout=60,
                )
                statuses.append(status)
        return statuses

    with ThreadPoolExecutor(WRITERS) as pool:
        results = [s for statuses in pool.map(writer, range(WRITERS)) for s in statuses]
    half = WRITERS // 2
    assert sorted(set(results)) == [200, 201], [s for s in results if s >= 300]
    assert results.count(201) == half * ROUNDS + 2 * half * ROUNDS  # new projects; values and corrections
    assert results.count(200) == half * ROUNDS  # renames
    assert _count(db, "SELECT COUNT(*) FROM projects_project") == before + half * ROUNDS
    assert _count(db, "SELECT COUNT(*) FROM projects_project WHERE name LIKE '并发改名%'") == half * ROUNDS
    # the history keeps every rename (and the creation, and the districts set with it)
    renamed = "SELECT COUNT(DISTINCT id) FROM projects_historicalproject WHERE name LIKE '并发改名%'"
    assert _count(db, renamed) == half * ROUNDS
    assert _count(db, "SELECT COUNT(*) FROM indicators_datavalue") == values_before + half * ROUNDS
    assert _count(db, "SELECT COUNT(*) FROM indicators_datavalue WHERE note = '更正'") == half * ROUNDS
