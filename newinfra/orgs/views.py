"""Pages of organisations: the registry and one unit with the tasks it answers for."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from newinfra.plans.excel import ledger_xlsx
from newinfra.plans.models import live_responsibility_q
from newinfra.plans.queries import tasks_with_units
from newinfra.utilities.tables import query_without, sort_and_page, xlsx_response

from .models import Organization, OrgKind
from .permissions import member_required, membership, responsible_ids, responsible_q


@member_required
def organization_list(request):
    orgs = Organization.objects.filter(is_active=True).annotate(
        lead_count=Count(
            "responsibilities",
            filter=live_responsibility_q() & Q(responsibilities__is_lead=True),
        ),
        task_count=Count("responsibilities", filter=live_responsibility_q()),
    )
    kind = request.GET.get("kind")
    if kind:
        orgs = orgs.filter(kind=kind)
    if request.GET.get("export") == "xlsx":
        rows = [
            [o.name, o.get_kind_display(), o.code or "", o.lead_count, o.task_count]
            for o in orgs.order_by("kind", "name")
        ]
        return xlsx_response(
            "单位.xlsx",
            "单位",
            ["名称", "类型", "代码", "牵头任务", "全部任务"],
            rows,
            [36, 12, 22, 10, 10],
            request.script,
        )
    page, sort = sort_and_page(
        request, orgs, {"name": "name", "kind": "kind", "tasks": "task_count"}, "kind", 100
    )
    return render(
        request,
        "orgs/organization_list.html",
        {
            "page": page,
            "sort": sort,
            "kinds": OrgKind.choices,
            "kind": kind,
            "query": query_without(request, "page", "sort"),
            "export_query": query_without(request, "page"),
        },
    )


@member_required
def organization_detail(request, pk: int):
    org = get_object_or_404(Organization, pk=pk)
    tasks = list(tasks_with_units().filter(responsible_q(org)).distinct().order_by("plan_id", "order"))
    own = set(responsible_ids(org, include_collective=False))
    lead = [
        t for t in tasks if any(r.is_lead and r.organization_id in own for r in t.active_responsibilities)
    ]
    named = [
        t for t in tasks if t not in lead and any(r.organization_id in own for r in t.active_responsibilities)
    ]
    collective = [t for t in tasks if t not in lead and t not in named]
    if request.GET.get("export") == "xlsx":
        m = membership(request.user)
        return ledger_xlsx(script=request.script, tasks=tasks, made_by=m.organization.name if m else "")
    return render(
        request,
        "orgs/organization_detail.html",
        {
            "organization": org,
            "lead": lead,
            "co": named,
            "collective": collective,
            "ledger_url": reverse("ledger") + f"?unit={org.pk}",
        },
    )
