"""Pages of plans: the plan list and page, upload, the task ledger, a task, 我的任务, targets."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from newinfra.orgs.permissions import (
    can_change_task,
    is_office,
    member_required,
    membership,
    responsible_ids,
)
from newinfra.supervision import sheet
from newinfra.utilities import bounds, history, versions
from newinfra.utilities.tables import query_without, sort_and_page, xlsx_response

from .compare import shared_indicators
from .excel import ledger_xlsx
from .filtersets import TaskFilterSet, organization_for
from .models import (
    PLAN_TEXTS,
    Plan,
    Responsibility,
    Section,
    Target,
    Task,
    with_plan,
)
from .queries import tasks_of, tasks_with_units, units_with_live_tasks


@member_required
def plan_list(request):
    plans = (
        Plan.objects.visible_to(request.user)
        .defer(*PLAN_TEXTS)
        .annotate(
            task_count=Count("tasks", filter=Q(tasks__is_active=True), distinct=True),
            target_count=Count("targets", filter=Q(targets__is_active=True), distinct=True),
        )
    )
    if request.GET.get("export") == "xlsx":
        rows = [
            [
                p.title,
                p.period,
                p.task_count,
                p.target_count,
                p.source_name,
                p.loaded_at.strftime("%Y-%m-%d %H:%M"),
            ]
            for p in plans
        ]
        return xlsx_response(
            "规划.xlsx",
            "规划",
            ["名称", "期限", "任务", "量化目标", "来源文件", "导入时间"],
            rows,
            [40, 14, 8, 10, 30, 18],
            request.script,
        )
    return render(request, "plans/plan_list.html", {"plans": plans, "can_upload": is_office(request.user)})


@member_required
def plan_detail(request, pk: int):
    plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=pk)
    sections = list(plan.sections.all())
    tasks = list(tasks_with_units(request.user).filter(plan=plan).order_by("order"))
    by_section: dict[int | None, list[Task]] = {}
    for t in tasks:
        by_section.setdefault(t.section_id, []).append(t)
    goal_targets = plan.targets.filter(is_active=True, task__isnull=True).select_related("indicator")
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "sections": [(s, by_section.get(s.pk, [])) for s in sections],
            "unsectioned": by_section.get(None, []),
            "goal_targets": goal_targets,
            "task_count": len(tasks),
            "flags": (flags := parser_flags(plan, tasks)),
            "flag_notes": (notes := sum(1 for _, _, f in flags if f.get("severity") == "info")),
            "flag_doubts": len(flags) - notes,
            "is_office": is_office(request.user),
            "revisions": plan.revisions.select_related("created_by")[:10] if is_office(request.user) else [],
            "status_history": plan.history.select_related("history_user").order_by("-history_date")[:20]
            if is_office(request.user)
            else [],
        },
    )


def parser_flags(plan: Plan, tasks: list[Task]) -> list[tuple[Task | None, str, dict]]:
    """Where the parser was unsure: (task, where, flag) for the tasks' flags, then the targets' and
    the plan's from the parsed document the plan was loaded from."""
    out = [(t, f"任务 {t.number}", f) for t in tasks for f in t.flags or []]
    document = plan.document or {}
    for target in document.get("targets") or []:
        out.extend((None, f"指标“{target.get('text', '')}”", f) for f in target.get("flags") or [])
    out.extend((None, "全文", f) for f in document.get("flags") or [])
    return sorted(out, key=lambda x: x[2].get("severity") == "info")  # warnings first, then notes


LEDGER_SORTS = {"plan": "plan__title", "number": "order", "title": "title", "deadline": "deadline_date"}


@member_required
def ledger(request):
    """任务分工台账: every task with its units, filterable, sortable, exportable."""
    qs = tasks_with_units()
    params = request.GET.copy()
    if "include_collective" not in params:
        params["include_collective"] = "1"  # a unit's ledger includes its 各区政府 tasks by default
    f = TaskFilterSet(params, queryset=qs)
    qs = f.qs
    plan_id = f.form.cleaned_data.get("plan")  # a valid id or None: the filter set bounds it
    unit_value = request.GET.get("unit", "").strip()
    unit_org = organization_for(unit_value) if unit_value else None
    plan = Plan.objects.live().filter(pk=plan_id).first() if plan_id else None
    if request.GET.get("export") == "xlsx":
        m = membership(request.user)
        return ledger_xlsx(
            script=request.script,
            tasks=qs.order_by("plan_id", "order"),
            made_by=m.organization.name if m else "",
            plan=plan,
        )
    page, sort = sort_and_page(
        request, qs.order_by("plan_id", "order"), LEDGER_SORTS, "plan", keys_first=True
    )
    page.object_list = sheet.annotate(page.object_list, timezone.localdate())
    if unit_org is not None:
        _mark_collective(page.object_list, unit_org)
    sections = Section.objects.filter(plan_id=plan_id).order_by("order") if plan_id else []
    return render(
        request,
        "plans/ledger.html",
        {
            "page": page,
            "sort": sort,
            "filters": request.GET,
            "plan_options": plan_options(Plan.objects.live(), 26),
            "sections": sections,
            "unit_org": unit_org,
            "include_collective": f.collective_included,
            "light_rule": sheet.LIGHT_RULE,
            "unit_unknown": bool(unit_value) and unit_org is None,
            # names only: hundreds of units, read for a datalist
            "unit_names": units_with_live_tasks().order_by("kind", "name").values_list("name", flat=True),
            "query": query_without(request, "page", "sort"),
            "export_query": query_without(request, "page"),
        },
    )


@member_required
def task_detail(request, pk: int):
    from newinfra.projects.permissions import visible_projects
    from newinfra.supervision.services import task_context, typed_for

    task = get_object_or_404(tasks_with_units(request.user), pk=pk)
    return render(
        request,
        "plans/task_detail.html",
        {
            "task": task,
            "can_change": can_change_task(request.user, task),
            **task_context(task, request.user),
            "typed": typed_for(request, task),
            "task_projects": visible_projects(request.user)
            .filter(tasks=task)
            .select_related("declarant")[:50],
            "changes": history.changes(task.history.all()),
            "responsibility_history": Responsibility.history.filter(task_id=task.pk)
            .select_related("history_user", "organization")
            .order_by("-history_date")[:50],
        },
    )


@require_POST
@member_required
def task_progress(request, pk: int):
    task = get_object_or_404(Task.objects.live(), pk=pk)
    if not can_change_task(request.user, task):
        raise PermissionDenied("您所在单位不是此任务的责任单位，不能填写进展。")
    note = request.POST.get("progress_note", "").strip()
    if len(note) > 5000:
        messages.error(request, "进展情况不能超过5000字。")
    elif note != task.progress_note and versions.is_stale(task, request.POST.get("version", "")):
        messages.error(request, versions.conflict_message(task, request.POST["version"], "任务"))
    elif note != task.progress_note:
        task.progress_note = note
        task.save()
        messages.success(request, "进展情况已保存。")
    return redirect("task-detail", pk=pk)


def plan_options(plans, width: int) -> list[tuple[str, str]]:
    """(value, label) of a plan select: the id as the form sends it back, the title cut as
    ``truncatechars`` cuts it (read as two columns, not as plans)."""
    from django.utils.text import Truncator

    return [
        (str(pk), title if len(title) <= width else Truncator(title).chars(width))
        for pk, title in plans.values_list("pk", "title")
    ]


def _mark_collective(tasks, org) -> None:
    """Flag the tasks the unit has only as one of 各区政府 / 市直职能部门."""
    collective_ids = set(responsible_ids(org)) - {org.pk}
    for task in tasks:
        task.via_collective = not any(
            r.organization_id == org.pk for r in task.active_responsibilities
        ) and any(r.organization_id in collective_ids for r in task.active_responsibilities)


@member_required
def my_tasks(request):
    """The tasks the user's organisation answers for, named or through 各区政府 / 市直职能部门."""
    m = membership(request.user)
    role = request.GET.get("role")
    lead = (role == "lead") if role in ("lead", "co") else None
    page, sort = sort_and_page(
        request,
        tasks_of(m.organization, lead=lead).order_by("plan_id", "order"),
        LEDGER_SORTS,
        "plan",
        keys_first=True,
    )
    page.object_list = sheet.annotate(page.object_list, timezone.localdate())
    _mark_collective(page.object_list, m.organization)
    return render(
        request,
        "plans/my_tasks.html",
        {
            "page": page,
            "sort": sort,
            "organization": m.organization,
            "role": role,
            "light_rule": sheet.LIGHT_RULE,
            "query": query_without(request, "page", "sort"),
        },
    )


@member_required
def target_list(request):
    targets = with_plan(Target.objects.live()).select_related("task", "indicator")
    try:
        if plan_id := bounds.query_id(request.GET, "plan", "规划"):
            targets = targets.filter(plan_id=plan_id)
    except bounds.OutOfBounds:
        targets = targets.none()
    if request.GET.get("export") == "xlsx":
        rows = [
            [
                t.plan.title,
                t.task.number if t.task else "",
                t.indicator.name,
                t.indicator_as_written,
                {">=": "≥", ">": ">", "<": "<", "<=": "≤", "~": "约", "=": "="}[t.comparator],
                float(t.value),
                float(t.value_max) if t.value_max is not None else None,
                t.unit,
                t.year,
                "是" if t.per_year else "",
                t.text,
            ]
            for t in targets.order_by("plan_id", "order")
        ]
        return xlsx_response(
            "量化指标.xlsx",
            "量化指标",
            ["规划", "任务", "指标", "原文指标", "比较", "目标值", "上限", "单位", "年份", "年均", "原文"],
            rows,
            [24, 6, 24, 30, 6, 14, 10, 8, 8, 6, 50],
            request.script,
        )
    page, sort = sort_and_page(
        request,
        targets.order_by("plan_id", "order"),
        {"indicator": "indicator__name", "value": "value", "year": "year", "plan": "plan__title"},
        "plan",
        per_page=100,
    )
    return render(
        request,
        "plans/target_list.html",
        {
            "page": page,
            "sort": sort,
            "shared": shared_indicators(),
            "plan_options": plan_options(Plan.objects.live(), 26),
            "query": query_without(request, "page", "sort"),
            "export_query": query_without(request, "page"),
        },
    )


MAX_UPLOAD = 20 * 1024 * 1024


@member_required
def plan_upload(request):
    """统筹办 uploads a plan document: a draft to proofread, or a draft revision of a plan already
    loaded (same title); refused whole when unreadable. Nothing is shown to the units until it is
    published."""
    from newinfra.parsing import DocumentError

    from . import services

    if not is_office(request.user):
        raise PermissionDenied("只有统筹办可以导入规划。")
    error = None
    plan = None
    try:
        plan_id = bounds.identifier(request.GET.get("plan") or request.POST.get("plan"), "规划")
    except bounds.OutOfBounds as exc:
        raise Http404("没有这个规划。") from exc
    if plan_id:
        plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=plan_id)
    if request.method == "POST":
        upload = request.FILES.get("document")
        title = request.POST.get("title", "").strip() or None
        if upload is None:
            error = "请选择要导入的规划文件。"
        elif upload.size > MAX_UPLOAD:
            error = "文件超过20MB，请检查是否上传了正确的文件。"
        else:
            try:
                result = services.upload(upload.read(), upload.name, request.user, title=title, plan=plan)
            except DocumentError as exc:
                error = services.document_error_message(exc)
            except services.PlanError as exc:
                error = str(exc)
            else:
                if result.status == "unchanged":
                    messages.info(request, f"“{result.plan.title}”与已导入的版本相同，未作改动。")
                    return redirect("plan-detail", pk=result.plan.pk)
                if result.status == "revision":
                    messages.success(
                        request, f"已读入“{result.plan.title}”的修订稿：请核对改动，发布后才生效。"
                    )
                    return redirect("plan-revision", pk=result.plan.pk, rev=result.revision.pk)
                doubts = sum(len(t.flags) for t in result.plan.tasks.filter(is_active=True)) + sum(
                    len(t.flags) for t in result.plan.targets.filter(is_active=True)
                )
                messages.success(
                    request,
                    f"已导入“{result.plan.title}”（草稿）：任务 {result.plan.tasks.filter(is_active=True).count()} 项。"
                    + (f"解析中有 {doubts} 处待核实，" if doubts else "")
                    + "请校对后发布，发布前各责任单位看不到。",
                )
                return redirect("plan-proofread", pk=result.plan.pk)
    return render(
        request,
        "plans/plan_upload.html",
        {"error": error, "plan": plan, "title": request.POST.get("title", "")},
        status=400 if error else 200,
    )
