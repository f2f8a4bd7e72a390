"""Import previews that are never committed expire and are deleted by `newinfra cleanup` (and remind)."""

from __future__ import annotations

import io
import os
import time

import pytest
from django.core.management import call_command

from newinfra.projects.tests.helpers import client_for

pytestmark = pytest.mark.django_db


def _age(path, hours):
    past = time.time() - hours * 3600
    os.utime(path, (past, past))


@pytest.mark.parametrize("command", ["cleanup", "remind"])
def test_expired_previews_are_deleted_and_fresh_ones_kept(settings, tmp_path, command):
    settings.VAR_DIR = tmp_path
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    old, fresh, other = uploads / "a1b2", uploads / "c3d4", uploads / "keep.txt"
    for p in (old, fresh, other):
        p.write_bytes(b"x")
    _age(old, 25)
    _age(other, 100)  # not a preview token: left alone
    out = io.StringIO()
    call_command(command, stdout=out)
    assert not old.exists() and fresh.exists() and other.exists()
    assert "expired import previews deleted: 1" in out.getvalue()


def test_committing_an_expired_preview_is_refused(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    client = client_for("mobile")
    template = client.get("/projects/templates/declaration.xlsx").content
    upload = io.BytesIO(template)
    upload.name = "t.xlsx"
    r = client.post("/projects/import/", {"kind": "declaration", "file": upload})
    token = r.context["token"] if r.context and "token" in r.context else None
    if token is None:  # the example row only: no preview to commit
        session = client.session
        token = "c0ffee"
        session[f"import-{token}"] = {"kind": "declaration", "meta": {}}
        session.save()
        (tmp_path / "uploads").mkdir(exist_ok=True)
        (tmp_path / "uploads" / token).write_bytes(template)
    _age(tmp_path / "uploads" / token, 25)
    r = client.post("/projects/import/", {"kind": "declaration", "token": token, "commit": "1"}, follow=True)
    assert "导入已过期" in " ".join(str(m) for m in r.context["messages"])
    assert not (tmp_path / "uploads" / token).exists()
