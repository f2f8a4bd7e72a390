"""Pages of plans: the plan list and page, upload, the task ledger, a task, 我的任务, targets."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from newinfra.orgs.models import Organization
from newinfra.orgs.permissions import (
    can_change_task,
    is_office,
    member_required,
    membership,
    responsible_ids,
    responsible_q,
)
from newinfra.utilities import bounds, history
from newinfra.utilities.tables import query_without, sort_and_page, xlsx_response

from .compare import shared_indicators
from .excel import ledger_xlsx
from .filtersets import TaskFilterSet, organization_for
from .models import Plan, Responsibility, Section, Target, Task
from .queries import tasks_with_units


@member_required
def plan_list(request):
    plans = Plan.objects.filter(is_active=True).annotate(
        task_count=Count("tasks", filter=Q(tasks__is_active=True), distinct=True),
        target_count=Count("targets", filter=Q(targets__is_active=True), distinct=True),
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
    plan = get_object_or_404(Plan, pk=pk, is_active=True)
    sections = list(plan.sections.all())
    tasks = list(tasks_with_units().filter(plan=plan).order_by("order"))
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
        },
    )


LEDGER_SORTS = {"plan": "plan__title", "number": "order", "title": "title", "deadline": "deadline"}


@member_required
def ledger(request):
    """任务分工台账: every task with its units, filterable, sortable, exportable."""
    qs = tasks_with_units()
    f = TaskFilterSet(request.GET, queryset=qs)
    qs = f.qs
    plan_id = f.form.cleaned_data.get("plan")  # a valid id or None: the filter set bounds it
    unit_value = request.GET.get("unit", "").strip()
    unit_org = organization_for(unit_value) if unit_value else None
    if request.GET.get("export") == "xlsx":
        return ledger_xlsx(script=request.script, tasks=qs.order_by("plan_id", "order"))
    page, sort = sort_and_page(request, qs.order_by("plan_id", "order"), LEDGER_SORTS, "plan")
    if sort == "plan":
        page.object_list = list(page.object_list)
    sections = Section.objects.filter(plan_id=plan_id).order_by("order") if plan_id else []
    return render(
        request,
        "plans/ledger.html",
        {
            "page": page,
            "sort": sort,
            "filters": request.GET,
            "plans": Plan.objects.filter(is_active=True),
            "sections": sections,
            "unit_org": unit_org,
            "unit_unknown": bool(unit_value) and unit_org is None,
            "organizations": Organization.objects.filter(is_active=True, responsibilities__is_active=True)
            .distinct()
            .order_by("kind", "name"),
            "query": query_without(request, "page", "sort"),
            "export_query": query_without(request, "page"),
        },
    )


@member_required
def task_detail(request, pk: int):
    from newinfra.projects.permissions import visible_projects
    from newinfra.supervision.services import task_context

    task = get_object_or_404(tasks_with_units(), pk=pk)
    return render(
        request,
        "plans/task_detail.html",
        {
            "task": task,
            "can_change": can_change_task(request.user, task),
            **task_context(task, request.user),
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
    task = get_object_or_404(Task, pk=pk, is_active=True)
    if not can_change_task(request.user, task):
        raise PermissionDenied("您所在单位不是此任务的责任单位，不能填写进展。")
    note = request.POST.get("progress_note", "").strip()
    if len(note) > 5000:
        messages.error(request, "进展情况不能超过5000字。")
    elif note != task.progress_note:
        task.progress_note = note
        task.save()
        messages.success(request, "进展情况已保存。")
    return redirect("task-detail", pk=pk)


@member_required
def my_tasks(request):
    """The tasks the user's organisation answers for, named or through 各区政府 / 市直职能部门."""
    m = membership(request.user)
    role = request.GET.get("role")
    lead = (role == "lead") if role in ("lead", "co") else None
    qs = tasks_with_units().filter(responsible_q(m.organization, lead=lead)).distinct()
    page, sort = sort_and_page(request, qs.order_by("plan_id", "order"), LEDGER_SORTS, "plan")
    collective_ids = set(responsible_ids(m.organization)) - {m.organization.pk}
    for task in page.object_list:
        task.via_collective = not any(
            r.organization_id == m.organization.pk for r in task.active_responsibilities
        ) and any(r.organization_id in collective_ids for r in task.active_responsibilities)
    return render(
        request,
        "plans/my_tasks.html",
        {
            "page": page,
            "sort": sort,
            "organization": m.organization,
            "role": role,
            "query": query_without(request, "page", "sort"),
        },
    )


@member_required
def target_list(request):
    targets = Target.objects.filter(is_active=True, plan__is_active=True).select_related(
        "plan", "task", "indicator"
    )
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
            "plans": Plan.objects.filter(is_active=True),
            "query": query_without(request, "page", "sort"),
            "export_query": query_without(request, "page"),
        },
    )


DOCUMENT_ERRORS_ZH = {
    "not_found": "无法读取上传的文件，请重新上传。",
    "unreadable": "无法读取上传的文件，请重新上传。",
    "empty": "文件是空的，请检查后重新上传。",
    "binary": "文件不是文本、Word、网页或PDF格式的规划文件，请检查后重新上传。",
    "encoding": "无法识别文件的文字编码。请另存为UTF-8、GB18030或Big5编码的文本，或直接上传Word文件。",
    "old_office": "这是旧版Office文件（.doc/.wps），请用Word另存为.docx后再上传。",
    "bad_docx": "Word文件已损坏或不是有效的.docx文件，请用Word打开后另存再上传。",
    "bad_pdf": "PDF文件已损坏或无法读取，请重新导出后再上传。",
    "encrypted": "PDF文件有密码保护，请去除密码后再上传。",
    "no_text_layer": "PDF文件没有文字层（可能是扫描件），请先进行文字识别（OCR）或上传Word版本。",
    "not_a_plan": "文件中未识别出编号的任务条目，看起来不是规划文件，未作任何改动。",
}


MAX_UPLOAD = 20 * 1024 * 1024


@member_required
def plan_upload(request):
    """统筹办 uploads a plan document: parsed and loaded in one transaction, or refused whole."""
    import tempfile
    from pathlib import Path

    from newinfra.parsing import DocumentError, parse_file
    from newinfra.plans.loader import load_document

    if not is_office(request.user):
        raise PermissionDenied("只有统筹办可以导入规划。")
    error = None
    if request.method == "POST":
        upload = request.FILES.get("document")
        title = request.POST.get("title", "").strip() or None
        if upload is None:
            error = "请选择要导入的规划文件。"
        elif upload.size > MAX_UPLOAD:
            error = "文件超过20MB，请检查是否上传了正确的文件。"
        else:
            suffix = Path(upload.name).suffix.lower()[:10]
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / f"upload{suffix}"
                data = upload.read()
                path.write_bytes(data)
                try:
                    document = parse_file(path).to_dict()
                    report = load_document(document, data, upload.name, user=request.user, title=title)
                except DocumentError as exc:
                    error = DOCUMENT_ERRORS_ZH.get(exc.code, DOCUMENT_ERRORS_ZH["unreadable"])
                except ValueError:
                    error = DOCUMENT_ERRORS_ZH["not_a_plan"]
            if error is None:
                if report.status == "unchanged":
                    messages.info(request, f"“{report.plan.title}”与已导入的版本相同，未作改动。")
                else:
                    created = sum(report.created.values())
                    updated = sum(report.updated.values())
                    gone = sum(report.deactivated.values())
                    action = "已导入" if report.status == "created" else "已更新"
                    messages.success(
                        request,
                        f"{action}“{report.plan.title}”：任务 {report.plan.tasks.filter(is_active=True).count()} 项，"
                        f"新增 {created} 条、修改 {updated} 条、停用 {gone} 条记录。",
                    )
                return redirect("plan-detail", pk=report.plan.pk)
    return render(request, "plans/plan_upload.html", {"error": error}, status=400 if error else 200)
