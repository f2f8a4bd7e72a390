"""``newinfra backup`` and ``newinfra restore`` for the default set-up (SQLite in var/).

A backup is one .tar.gz: ``newinfra.sqlite3`` taken with SQLite's online backup API (consistent
while the platform keeps serving and writing), the ``uploads`` and ``media`` folders, and
``manifest.json`` (when, which version, the row count of every table). Restoring copies the
database back page by page, so every row, history included, is exactly what was backed up: no
history row is written, none is lost. PostgreSQL is backed up with its own tools (pg_dump).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from pathlib import Path

from . import __version__

DB_NAME = "newinfra.sqlite3"
FOLDERS = ("uploads", "media")


class BackupError(Exception):
    """Reported in one line by the CLI (English)."""


def _settings():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newinfra.settings")
    from django.conf import settings

    return settings


def database_path() -> Path:
    settings = _settings()
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.sqlite3":
        raise BackupError(
            "the database is not SQLite: back up PostgreSQL with pg_dump and the var/uploads folder "
            "with any file backup (see docs/deploy.md)"
        )
    return Path(db["NAME"])


def table_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {n: conn.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}


def _copy_database(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy even while other processes write."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst, pages=4096)
    finally:
        src.close()
        dst.close()


def backup(output: Path | None = None) -> Path:
    settings = _settings()
    db = database_path()
    if not db.exists():
        raise BackupError(f"no database at {db}: nothing to back up")
    var = Path(settings.VAR_DIR)
    if output is None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        output = var / "backups" / f"newinfra-{stamp}.tar.gz"
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output.parent) as tmp:
        copy = Path(tmp) / DB_NAME
        _copy_database(db, copy)
        manifest = {
            "newinfra": __version__,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "tables": table_counts(copy),
            "folders": [f for f in FOLDERS if (var / f).is_dir()],
        }
        (Path(tmp) / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(Path(tmp) / "manifest.json", "manifest.json")
            tar.add(copy, DB_NAME)
            for folder in manifest["folders"]:
                tar.add(var / folder, folder)
        partial.replace(output)
    return output


def _has_data(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return False
    counts = table_counts(path)
    return any(
        n
        for t, n in counts.items()
        if t not in ("django_migrations", "django_content_type", "auth_permission")
    )


def restore(archive: Path, force: bool = False) -> dict[str, int]:
    """Put the backup's database and folders in place; returns the restored table counts."""
    settings = _settings()
    db = database_path()
    var = Path(settings.VAR_DIR)
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"no backup file at {archive}")
    if _has_data(db) and not force:
        raise BackupError(
            f"{db} already holds data: restoring replaces all of it; run again with --force "
            "(the current database is kept next to it as a .before-restore copy)"
        )
    with tempfile.TemporaryDirectory(dir=var) as tmp:
        try:
            with tarfile.open(archive, "r:gz") as tar:
                names = set(tar.getnames())
                if "manifest.json" not in names or DB_NAME not in names:
                    raise BackupError(f"{archive} is not a newinfra backup (no manifest.json or {DB_NAME})")
                tar.extractall(tmp, filter="data")
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise BackupError(f"cannot read {archive}: {exc}") from exc
        manifest = json.loads((Path(tmp) / "manifest.json").read_text("utf-8"))
        restored = Path(tmp) / DB_NAME
        with sqlite3.connect(restored) as conn:
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"the database in {archive} is damaged")
        if table_counts(restored) != manifest["tables"]:
            raise BackupError(f"the database in {archive} does not match its manifest")
        if db.exists() and _has_data(db):
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            _copy_database(db, db.with_name(f"{db.name}.before-restore-{stamp}"))
        db.parent.mkdir(parents=True, exist_ok=True)
        _copy_database(restored, db)
        for folder in FOLDERS:
            source = Path(tmp) / folder
            if folder in manifest.get("folders", []) and source.is_dir():
                target = var / folder
                if target.exists():
                    shutil.rmtree(target)
                shutil.copytree(source, target)
    return table_counts(db)
