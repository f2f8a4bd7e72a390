"""`newinfra backup` → `newinfra restore` into a fresh directory gives identical rows in every table."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CLI = [str(Path(sys.executable).with_name("newinfra"))]

pytestmark = pytest.mark.slow


def run(var: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "NEWINFRA_VAR": str(var), "NEWINFRA_TESTING": "1"}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(CLI + list(args), env=env, capture_output=True, text=True, check=check, cwd=ROOT)


def dump(db: Path) -> dict[str, list]:
    """Every row of every table, in a fixed order."""
    with sqlite3.connect(db) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: conn.execute(f'SELECT * FROM "{t}" ORDER BY 1, 2').fetchall() for t in sorted(tables)}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    run(var, "migrate")
    run(var, "seed-demo")
    (var / "uploads").mkdir(exist_ok=True)
    (var / "uploads" / "a1b2c3").write_bytes(b"an upload waiting for its commit")
    return var


def test_a_backup_restored_into_a_fresh_directory_has_every_row_and_file(seeded, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    out = run(seeded, "backup", "-o", str(archive))
    assert archive.exists() and "backup written" in out.stdout
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    out = run(fresh, "restore", str(archive))
    assert "restored" in out.stdout
    before, after = dump(seeded / "newinfra.sqlite3"), dump(fresh / "newinfra.sqlite3")
    assert before.keys() == after.keys() and len(before) > 40
    for table in before:
        assert before[table] == after[table], table
    history = [t for t in before if "_historical" in t]
    assert history and sum(len(before[t]) for t in history) > 100  # the history came back, no row added
    assert (fresh / "uploads" / "a1b2c3").read_bytes() == b"an upload waiting for its commit"
    # the restored platform works: its check passes and it can be backed up again
    run(fresh, "manage", "check")


def test_restore_refuses_to_replace_data_without_force_and_keeps_the_old_database(seeded, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    run(seeded, "backup", "-o", str(archive))
    with sqlite3.connect(seeded / "newinfra.sqlite3") as conn:
        conn.execute(
            "UPDATE projects_project SET name = '备份后改名' WHERE id = (SELECT MIN(id) FROM projects_project)"
        )
    out = run(seeded, "restore", str(archive), check=False)
    assert out.returncode == 2 and "--force" in out.stderr
    assert "备份后改名" in str(dump(seeded / "newinfra.sqlite3")["projects_project"])
    run(seeded, "restore", str(archive), "--force")
    assert "备份后改名" not in str(dump(seeded / "newinfra.sqlite3")["projects_project"])
    kept = list(seeded.glob("newinfra.sqlite3.before-restore-*"))
    assert len(kept) == 1 and "备份后改名" in str(dump(kept[0])["projects_project"])


def test_a_file_that_is_not_a_backup_is_refused(tmp_path):
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not a tar file")
    out = run(tmp_path, "restore", str(bogus), check=False)
    assert out.returncode == 2 and "cannot read" in out.stderr
