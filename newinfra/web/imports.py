"""Upload → preview with every row's errors → commit all-or-nothing, for every Excel import.

The uploaded file is kept under var/uploads with a random token bound to the user's session, so
the commit imports exactly the file that was previewed.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def upload_dir():
    path = settings.VAR_DIR / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def handle(request, kind: str, run, file_error, back: str, done):
    """Run ``run(data, commit)`` for a POSTed upload or commit; returns (response, context).

    ``done(result)`` gives the URL name to go to after a successful commit; ``back`` the page to
    return to when the file cannot be read at all.
    """
    token = request.POST.get("token", "")
    commit = request.POST.get("commit") == "1"
    if commit:
        path = upload_dir() / f"{token}.xlsx"
        if not token.isalnum() or request.session.get(f"import-{token}") != kind or not path.exists():
            messages.error(request, "导入已过期，请重新上传文件。")
            return redirect(back), None
        data = path.read_bytes()
    else:
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, "请选择要上传的 .xlsx 文件。")
            return redirect(back), None
        if upload.size > MAX_UPLOAD_BYTES:
            messages.error(request, "文件超过20MB，请分批上传。")
            return redirect(back), None
        data = upload.read()
    try:
        result = run(data, commit)
    except file_error as exc:
        messages.error(request, str(exc))
        return redirect(back), None
    if commit:
        if result.ok:
            (upload_dir() / f"{token}.xlsx").unlink(missing_ok=True)
            request.session.pop(f"import-{token}", None)
            messages.success(
                request,
                f"导入完成：新增{result.created}条，更新{result.updated}条，未变化{result.unchanged}条。",
            )
            return redirect(done(result)), None
        messages.error(request, "导入未完成：数据已发生变化，以下行有错误，没有任何数据被导入。")
    else:
        token = uuid.uuid4().hex
        (upload_dir() / f"{token}.xlsx").write_bytes(data)
        request.session[f"import-{token}"] = kind
    return None, {"result": result, "kind": kind, "token": token}
