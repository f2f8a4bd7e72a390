from django.urls import reverse

from newinfra.orgs.permissions import may_open
from newinfra.utilities.script import SCRIPTS

# The sections of the header: URL name, label, and the paths that belong to the section.
NAVIGATION = [
    ("home", "首页", ()),
    ("dashboard", "总览", ("/dashboard/",)),
    ("plan-list", "规划", ("/plans/",)),
    ("ledger", "任务台账", ("/ledger/", "/tasks/")),
    ("my-tasks", "我的任务", ("/my-tasks/",)),
    ("monitor", "指标监测", ("/monitor/",)),
    ("project-list", "项目库", ("/projects/",)),
    ("geo-map", "一张图", ("/map/",)),
    ("supervision", "督办", ("/supervision/", "/notices/")),
    ("evaluation-list", "评估", ("/evaluations/",)),
    ("target-list", "目标对照", ("/targets/", "/indicators/")),
    ("organization-list", "单位", ("/orgs/",)),
]


def menu(user, path: str = "/") -> list[dict]:
    """The header's sections this user may open (the page gate's own rule), the current one marked."""
    items = []
    for key, label, prefixes in NAVIGATION:
        if not may_open(user, key):
            continue
        url = reverse(key)
        items.append(
            {
                "key": key,
                "url": url,
                "label": label,
                "active": path == url or any(path.startswith(p) for p in prefixes),
            }
        )
    return items


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    authenticated = user is not None and user.is_authenticated
    membership = getattr(user, "membership", None) if authenticated else None
    unread = 0
    if membership is not None:
        from newinfra.supervision.models import Notice

        unread = Notice.objects.filter(
            organization_id=membership.organization_id, read_at__isnull=True
        ).count()
    return {
        "menu": menu(user, request.path) if authenticated else [],
        "unread_notices": unread,
        "script": getattr(request, "script", "hans"),
        "scripts": SCRIPTS,
        "membership": membership,
        "html_lang": "zh-Hant" if getattr(request, "script", "hans") == "hant" else "zh-Hans",
    }
