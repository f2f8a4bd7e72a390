"""Dashboards: the city overview, a plan, a unit. Every chart comes with its table and its export."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from newinfra.indicators import charts
from newinfra.indicators.attainment import RULE_TEXT, STATUS_LABELS
from newinfra.indicators.queries import DOMAIN_LABELS, as_of_choices, as_of_from, attainment_rows, row_dict
from newinfra.orgs.models import Organization
from newinfra.orgs.permissions import member_required, responsible_ids
from newinfra.plans.models import Plan, Responsibility, Task, with_plan
from newinfra.projects.permissions import visibility_scope, visible_projects
from newinfra.projects.stats_cache import cached_statistics
from newinfra.supervision.models import TaskState, TaskStatus
from newinfra.utilities.tables import xlsx_response

STATUS_ORDER = ["green", "amber", "red", "grey"]


def _target_sections(rows):
    """Targets by domain and light: the chart option and its table."""
    domains = [d for d in DOMAIN_LABELS.values() if any(r["domain"] == d for r in rows)]
    counts = {s: {} for s in STATUS_ORDER}
    for r in rows:
        counts[r["status"]][r["domain"]] = counts[r["status"]].get(r["domain"], 0) + 1
    table = [[d] + [counts[s].get(d, 0) for s in STATUS_ORDER] for d in domains]
    return charts.status_stack(domains, counts, STATUS_LABELS), table


def _task_status_counts(tasks_qs) -> dict[str, int]:
    states = dict(TaskState.objects.filter(task__in=tasks_qs).values_list("task_id", "status"))
    counts = {s: 0 for s in TaskStatus.values}
    for pk in tasks_qs.values_list("pk", flat=True):
        counts[states.get(pk, TaskStatus.NOT_STARTED)] += 1
    return counts


def _export(request, name, header, rows):
    return xlsx_response(f"{name}.xlsx", name, header, rows, [24] + [14] * (len(header) - 1), request.script)


@member_required
def overview(request):
    as_of = as_of_from(request)
    rows = [row_dict(r) for r in attainment_rows(as_of=as_of)]
    target_option, target_table = _target_sections(rows)
    light_counts = {s: sum(1 for r in rows if r["status"] == s) for s in STATUS_ORDER}
    tasks = Task.objects.live()
    task_counts = _task_status_counts(tasks)
    task_table = [[TaskStatus(s).label, n] for s, n in task_counts.items()]
    projects = visible_projects(request.user)
    scope = visibility_scope(request.user)
    stats = cached_statistics(projects, scope, {}, years=False)  # the overview shows no years
    domain_rows = [d for d in stats["by_domain"] if d["n"]]
    district_rows = stats["by_district"]
    library_link = reverse("project-list")
    sections = {
        "targets": (["领域"] + [STATUS_LABELS[s] for s in STATUS_ORDER], target_table),
        "tasks": (["状态", "任务数"], task_table),
        "domains": (
            ["领域", "项目数", "总投资（万元）"],
            [[d["label"], d["n"], float(d["investment"] or 0)] for d in domain_rows],
        ),
        "districts": (
            ["区", "项目数", "总投资（万元）"],
            [
                [d["organization__name"].removesuffix("政府"), d["n"], float(d["investment"] or 0)]
                for d in district_rows
            ],
        ),
    }
    export = request.GET.get("export")
    if export in sections:
        header, table = sections[export]
        return _export(
            request,
            {
                "targets": "目标状态",
                "tasks": "任务状态",
                "domains": "项目投资按领域",
                "districts": "项目投资按区",
            }[export],
            header,
            table,
        )
    overdue = sum(len(r["overdue"]) for r in rows)
    return render(
        request,
        "web/overview.html",
        {
            "as_of": as_of,
            "as_of_choices": as_of_choices(timezone.localdate()),
            "light_counts": light_counts,
            "labels": STATUS_LABELS,
            "rule": RULE_TEXT,
            "overdue": overdue,
            "task_counts": task_counts,
            "stats": stats,
            "sections": sections,
            "options": {
                "targets": target_option,
                "tasks": charts.pie(
                    [(TaskStatus(s).label, n) for s, n in task_counts.items()],
                    ["#9e9e9e", "#1565c0", "#2e7d32", "#c62828", "#6a1b9a"],
                ),
                "domains": charts.bar(
                    [d["label"] for d in domain_rows],
                    [{"name": "总投资（万元）", "data": [float(d["investment"] or 0) for d in domain_rows]}],
                    horizontal=True,
                    unit="万元",
                    links={d["label"]: f"{library_link}?domain={d['key']}" for d in domain_rows},
                ),
                "districts": charts.bar(
                    [d["organization__name"].removesuffix("政府") for d in district_rows],
                    [
                        {
                            "name": "总投资（万元）",
                            "data": [float(d["investment"] or 0) for d in district_rows],
                        }
                    ],
                    unit="万元",
                    links={
                        d["organization__name"].removesuffix(
                            "政府"
                        ): f"{library_link}?district={d['organization_id']}"
                        for d in district_rows
                    },
                ),
            },
            "red_rows": [r for r in rows if r["status"] == "red"][:12],
        },
    )


@member_required
def plan_dashboard(request, pk: int):
    plan = get_object_or_404(Plan.objects.live(), pk=pk)
    as_of = as_of_from(request)
    from newinfra.plans.models import Target

    rows = [
        row_dict(r)
        for r in attainment_rows(
            targets=Target.objects.live().filter(plan=plan), as_of=as_of, use_cache=False
        )
    ]
    option, table = _target_sections(rows)
    tasks = Task.objects.live().filter(plan=plan)
    task_counts = _task_status_counts(tasks)
    states = dict(TaskState.objects.filter(task__plan=plan).values_list("task_id", "status"))
    task_rows = [
        (
            t,
            TaskStatus(states.get(t.pk, TaskStatus.NOT_STARTED)).label,
            states.get(t.pk, TaskStatus.NOT_STARTED),
        )
        for t in tasks.order_by("order")
    ]
    if request.GET.get("export") == "targets":
        return _export(request, "目标状态", ["领域"] + [STATUS_LABELS[s] for s in STATUS_ORDER], table)
    if request.GET.get("export") == "tasks":
        return _export(
            request,
            "任务状态",
            ["序号", "任务", "状态"],
            [[t.number, t.title, label] for t, label, _ in task_rows],
        )
    return render(
        request,
        "web/plan_dashboard.html",
        {
            "plan": plan,
            "as_of": as_of,
            "as_of_choices": as_of_choices(timezone.localdate()),
            "rows": rows,
            "labels": STATUS_LABELS,
            "rule": RULE_TEXT,
            "option": option,
            "table": table,
            "table_header": ["领域"] + [STATUS_LABELS[s] for s in STATUS_ORDER],
            "task_header": ["状态", "任务数"],
            "task_option": charts.pie(
                [(TaskStatus(s).label, n) for s, n in task_counts.items()],
                ["#9e9e9e", "#1565c0", "#2e7d32", "#c62828", "#6a1b9a"],
            ),
            "task_counts": [(TaskStatus(s).label, n) for s, n in task_counts.items()],
            "task_rows": task_rows,
        },
    )


@member_required
def unit_dashboard(request, pk: int):
    from newinfra.evaluation.snapshot import SCORE_RULE, score

    org = get_object_or_404(Organization, pk=pk)
    as_of = as_of_from(request)
    rows = [row_dict(r) for r in attainment_rows(as_of=as_of)]
    lead_tasks = set(
        Responsibility.objects.live()
        .filter(organization_id__in=responsible_ids(org), is_lead=True)
        .values_list("task_id", flat=True)
    )
    mine = [
        r
        for r in rows
        if (r["profile"] and r["profile"].responsible_id == org.pk)
        or (not (r["profile"] and r["profile"].responsible_id) and r["target"].task_id in lead_tasks)
    ]
    tasks = (
        Task.objects.live()
        .filter(
            responsibilities__organization_id__in=responsible_ids(org),
            responsibilities__is_active=True,
        )
        .distinct()
    )
    states = dict(TaskState.objects.filter(task__in=tasks).values_list("task_id", "status"))
    task_rows = [
        (
            t,
            t.pk in lead_tasks,
            TaskStatus(states.get(t.pk, TaskStatus.NOT_STARTED)).label,
            states.get(t.pk, TaskStatus.NOT_STARTED),
        )
        for t in with_plan(tasks).order_by("plan_id", "order")
    ]
    card = {"tasks": 0, "targets": len(mine), "overdue": sum(len(r["overdue"]) for r in mine)}
    card.update({s: sum(1 for r in mine if r["status"] == s) for s in STATUS_ORDER})
    card.update({"tasks_" + s: 0 for s in TaskStatus.values})
    for _, lead, _, status in task_rows:
        if lead:
            card["tasks"] += 1
            card["tasks_" + status] += 1
    option, table = _target_sections(mine)
    if request.GET.get("export") == "targets":
        return _export(request, "负责指标", ["领域"] + [STATUS_LABELS[s] for s in STATUS_ORDER], table)
    status_counts = {s: 0 for s in TaskStatus.values}
    for *_, status in task_rows:
        status_counts[status] += 1
    return render(
        request,
        "web/unit_dashboard.html",
        {
            "org": org,
            "as_of": as_of,
            "as_of_choices": as_of_choices(timezone.localdate()),
            "rows": mine,
            "labels": STATUS_LABELS,
            "rule": RULE_TEXT,
            "option": option,
            "table": table,
            "table_header": ["领域"] + [STATUS_LABELS[s] for s in STATUS_ORDER],
            "task_rows": task_rows,
            "task_option": charts.pie(
                [(TaskStatus(s).label, n) for s, n in status_counts.items()],
                ["#9e9e9e", "#1565c0", "#2e7d32", "#c62828", "#6a1b9a"],
            ),
            "score": score(card),
            "card": card,
            "score_rule": SCORE_RULE,
        },
    )
