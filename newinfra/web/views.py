"""The shell's pages: home and the script switch."""

from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from newinfra.orgs.permissions import is_office, member_required, membership
from newinfra.plans.compare import shared_indicators
from newinfra.plans.models import PLAN_TEXTS, Plan
from newinfra.plans.queries import tasks_of, units_with_live_tasks
from newinfra.utilities.script import SCRIPT_SESSION_KEY, SCRIPTS


def set_script(request, script: str):
    if script not in SCRIPTS:
        raise Http404
    request.session[SCRIPT_SESSION_KEY] = script
    nxt = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        nxt = "/"
    return HttpResponseRedirect(nxt)


@member_required
def home(request):
    """Each role's workplace: its to-dos first; the leader, who acts on nothing, sees the city."""
    from newinfra.orgs.models import Role

    from .dashboards import overview
    from .todos import todos_for

    m = membership(request.user)
    if m is not None and m.role == Role.LEADER and not is_office(request.user):
        return overview(request)
    todos = todos_for(request.user)
    plans = (
        Plan.objects.live()
        .defer(*PLAN_TEXTS)
        .annotate(
            task_count=Count("tasks", filter=Q(tasks__is_active=True), distinct=True),
            target_count=Count("targets", filter=Q(targets__is_active=True), distinct=True),
        )
    )
    return render(
        request,
        "web/home.html",
        {
            "todos": todos,
            "todo_total": sum(t.count for t in todos),
            "plans": plans,
            "my_task_count": tasks_of(m.organization).count() if m else 0,  # what 我的任务 lists
            "organization_count": units_with_live_tasks().count(),
            "shared": shared_indicators(),
            **_project_tiles(request.user),
            **_light_tiles(),
        },
    )


def _light_tiles() -> dict:
    """Targets by light today, cached until a value, target or setting changes: the counts under
    the key of the attainment list they are counted from (unpickling that list took 5–10 ms)."""
    from django.core.cache import cache
    from django.utils import timezone

    from newinfra.indicators.queries import attainment_rows, values_version

    key = f"newinfra:light-tiles:{values_version()}:{timezone.localdate().isoformat()}"
    tiles = cache.get(key)
    if tiles is None:
        rows = attainment_rows()
        lights = {
            s: sum(1 for r in rows if r.attainment.status == s) for s in ("green", "amber", "red", "grey")
        }
        tiles = {"lights": lights, "lights_total": len(rows)}
        cache.set(key, tiles, 300)
    return tiles


def _project_tiles(user) -> dict:
    """The library's size as the user sees it (what waits for the user is in the to-dos)."""
    from django.db.models import Sum

    from newinfra.projects.permissions import visible_projects

    visible = visible_projects(user)
    totals = visible.aggregate(n=Count("id"), investment=Sum("total_investment"))
    return {
        "project_count": totals["n"],
        "project_investment": totals["investment"] or 0,
    }


@member_required
def search(request):
    """/search/?q=: tasks, projects, indicators, organisations and plans the user may see."""
    from newinfra.utilities.script import simplified_query

    from .search import MAX_QUERY
    from .search import search as find

    q = simplified_query(request, "q")[:MAX_QUERY]
    groups = find(request.user, q)
    return render(
        request,
        "web/search.html",
        {
            "q": q,
            "search_query": request.GET.get("q", "")[:MAX_QUERY],
            "groups": groups,
            "total": sum(g.total for g in groups),
        },
    )


# --- error pages in the site's frame (urls.handler403/404/500) --------------------------------------


def _back(request) -> str:
    """Where 返回上一页 leads: the referring page of this site, else the home page."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        return referer
    return "/"


def forbidden(request, exception=None):
    message = str(exception) if exception and str(exception) else "您所在单位或角色无权打开此页面。"
    return render(request, "403.html", {"message": message, "back": _back(request)}, status=403)


def not_found(request, exception=None):
    return render(request, "404.html", {"path": request.path, "back": _back(request)}, status=404)


def server_error(request):
    """A 500 page that cannot fail in turn: no database, no context processors that query."""
    from django.http import HttpResponseServerError
    from django.template import loader

    try:
        return HttpResponseServerError(loader.get_template("500.html").render({"back": "/"}))
    except Exception:  # the template itself broke: plain text, still in Chinese
        return HttpResponseServerError(
            "服务器出错，请稍后再试或联系管理员。", content_type="text/plain; charset=utf-8"
        )
