"""Upload → preview with every row's errors → commit all-or-nothing, for every Excel import.

The uploaded file is kept under var/uploads with a random token bound to the user's session, so
the commit imports exactly the file that was previewed. A preview not committed within
``NEWINFRA_PREVIEW_HOURS`` (default 24) expires; ``newinfra cleanup`` (run by ``newinfra remind``)
deletes expired files.
"""

from __future__ import annotations

import time
import uuid

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def upload_dir():
    path = settings.VAR_DIR / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def preview_seconds() -> float:
    return float(getattr(settings, "NEWINFRA_PREVIEW_HOURS", 24)) * 3600


def expired(path, now: float | None = None) -> bool:
    return path.stat().st_mtime < (now if now is not None else time.time()) - preview_seconds()


def cleanup(now: float | None = None) -> int:
    """Delete previews older than the preview lifetime; returns how many files were deleted."""
    removed = 0
    for path in upload_dir().iterdir():
        if path.is_file() and path.name.isalnum() and expired(path, now):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def handle(
    request,
    kind: str,
    run,
    file_error,
    back: str,
    done,
    meta=None,
    max_mb: int = 20,
    file_label: str = ".xlsx",
    unit: str = "条",
):
    """Run ``run(data, commit, meta)`` for a POSTed upload or commit; returns (response, context).

    ``meta(upload)`` gives what else the import needs from the upload form (kept in the session
    with the token, so that the commit runs with what was previewed); ``done(result)`` gives where
    to go after a successful commit; ``back`` the page to return to when the file cannot be read.
    """
    token = request.POST.get("token", "")
    commit = request.POST.get("commit") == "1"
    if commit:
        path = upload_dir() / token
        saved = request.session.get(f"import-{token}") or {}
        stale = token.isalnum() and path.is_file() and expired(path)
        if stale:
            path.unlink(missing_ok=True)
        if not token.isalnum() or saved.get("kind") != kind or not path.is_file():
            messages.error(request, "导入已过期，请重新上传文件。")
            return redirect(back), None
        data, info = path.read_bytes(), saved.get("meta", {})
    else:
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(
                request, f"请选择要上传的 {file_label} 文件。" if file_label else "请选择要上传的文件。"
            )
            return redirect(back), None
        if upload.size > max_mb * 1024 * 1024:
            messages.error(request, f"文件超过{max_mb}MB，请分批上传。")
            return redirect(back), None
        data, info = upload.read(), (meta(upload) if meta else {})
    try:
        result = run(data, commit, info)
    except file_error as exc:
        messages.error(request, str(exc))
        return redirect(back), None
    if commit:
        if result.ok:
            (upload_dir() / token).unlink(missing_ok=True)
            request.session.pop(f"import-{token}", None)
            messages.success(
                request,
                f"导入完成：新增{result.created}{unit}，更新{result.updated}{unit}，未变化{result.unchanged}{unit}。",
            )
            return redirect(done(result)), None
        messages.error(request, "导入未完成：数据已发生变化，以下行有错误，没有任何数据被导入。")
    else:
        token = uuid.uuid4().hex
        (upload_dir() / token).write_bytes(data)
        request.session[f"import-{token}"] = {"kind": kind, "meta": info}
    return None, {"result": result, "kind": kind, "token": token, "meta": info}
