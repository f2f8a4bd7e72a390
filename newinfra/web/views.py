"""The shell's pages: home and the script switch."""

from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from newinfra.orgs.models import Organization
from newinfra.orgs.permissions import is_office, member_required, membership
from newinfra.plans.compare import shared_indicators
from newinfra.plans.models import Plan
from newinfra.plans.queries import tasks_with_units
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
    my_tasks = (
        tasks_with_units().filter(
            responsibilities__organization=m.organization, responsibilities__is_active=True
        )
        if m
        else []
    )
    plans = Plan.objects.filter(is_active=True).annotate(
        task_count=Count("tasks", filter=Q(tasks__is_active=True), distinct=True),
        target_count=Count("targets", filter=Q(targets__is_active=True), distinct=True),
    )
    return render(
        request,
        "web/home.html",
        {
            "todos": todos,
            "todo_total": sum(t.count for t in todos),
            "plans": plans,
            "my_task_count": my_tasks.distinct().count() if m else 0,
            "organization_count": Organization.objects.filter(
                is_active=True, responsibilities__is_active=True
            )
            .distinct()
            .count(),
            "shared": shared_indicators(),
            **_project_tiles(request.user),
            **_light_tiles(),
        },
    )


def _light_tiles() -> dict:
    """Targets by light today (cached until a value, target or setting changes)."""
    from newinfra.indicators.queries import attainment_rows

    rows = attainment_rows()
    lights = {s: sum(1 for r in rows if r.attainment.status == s) for s in ("green", "amber", "red", "grey")}
    return {"lights": lights, "lights_total": len(rows)}


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
