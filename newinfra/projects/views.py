"""Pages of the project library. Every rule lives in services and permissions; pages only ask."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from newinfra.orgs.models import Role
from newinfra.orgs.permissions import is_office, member_required, membership
from newinfra.plans.models import with_plan
from newinfra.utilities import bounds, history
from newinfra.utilities.tables import query_without, sort_and_page, xlsx_response
from newinfra.utilities.workbooks import ImportFileError

from . import permissions as perm
from . import services
from .forms import AdjustmentForm, DispatchForm, FlagForm, GreenItemForm, ProjectForm, districts
from .models import (
    STAGE_ORDER,
    AdjustmentRequest,
    Domain,
    FlagKind,
    GreenChannelItem,
    Project,
    ProjectContribution,
    ProjectEvent,
    RollingConfirmation,
    Stage,
    Status,
)
from .queries import FILTERS, filter_projects
from .stats_cache import cached_statistics

SORTABLE = {
    "code": "code",
    "name": "name",
    "domain": "domain",
    "investment": "total_investment",
    "invested": "invested_to_date",
    "stage": "stage",
    "status": "status",
    "start": "planned_start",
    "id": "id",
}


def visible_or_404(user, pk: int) -> Project:
    """A project the user may not see does not exist for them (404, never a hint that it exists)."""
    project = perm.visible_projects(user).filter(pk=pk).select_related("declarant", "competent").first()
    if project is None:
        raise Http404("项目不存在或您无权查看。")
    return project


def _district_names(project) -> str:
    return "、".join(d.name.removesuffix("政府") for d in project.districts.all())


@member_required
def project_list(request):
    qs = perm.visible_projects(request.user).select_related("declarant").prefetch_related("districts")
    qs, errors = filter_projects(qs, request.GET)
    if request.GET.get("export") == "xlsx":
        return _list_xlsx(request, qs.order_by("id"))
    page, sort = sort_and_page(request, qs, SORTABLE, "-id", per_page=30)
    return render(
        request,
        "projects/project_list.html",
        {
            "page": page,
            "sort": sort,
            "errors": errors,
            "filters": {
                k: request.GET.get(k, "")
                for k in ("domain", "district", "stage", "status", "flag", "org", "inv_min", "inv_max", "q")
            },
            "domains": Domain.choices,
            "stages": Stage.choices,
            "statuses": Status.choices,
            "flags": FlagKind.choices,
            "districts": districts(),
            "query": query_without(request, "page", "sort"),
            "export_query": query_without(request, "page"),
            "can_declare": perm.can_declare(request.user),
        },
    )


def _list_xlsx(request, qs):
    rows = [
        [
            p.code or "",
            p.name,
            p.declarant.name,
            _district_names(p),
            p.get_domain_display(),
            float(p.total_investment),
            float(p.invested_to_date),
            p.get_status_display(),
            p.get_stage_display(),
            p.planned_start.isoformat() if p.planned_start else "",
            p.planned_finish.isoformat() if p.planned_finish else "",
            "演示数据" if p.is_demo else "",
        ]
        for p in qs.iterator(chunk_size=2000)
    ]
    return xlsx_response(
        "项目库.xlsx",
        "项目库",
        [
            "投资项目统一代码",
            "项目名称",
            "申报单位",
            "所在区",
            "领域",
            "总投资（万元）",
            "累计完成投资（万元）",
            "审核状态",
            "建设阶段",
            "计划开工",
            "计划建成",
            "备注",
        ],
        rows,
        [26, 40, 24, 14, 12, 14, 16, 10, 10, 12, 12, 10],
        request.script,
    )


def _save_contribution(project, form, user):
    indicator, amount = (
        form.cleaned_data.get("contribution_indicator"),
        form.cleaned_data.get("contribution_amount"),
    )
    current = project.contributions.filter(is_active=True).first()
    if current and (not indicator or current.indicator_id != indicator.pk or current.amount != amount):
        current.is_active = False
        current._history_user = user
        current.save()
        current = None
    if indicator and current is None:
        c = ProjectContribution(project=project, indicator=indicator, amount=amount)
        c._history_user = user
        c.save()


@member_required
def project_form(request, pk: int | None = None):
    project = None
    if pk is not None:
        project = visible_or_404(request.user, pk)
        if not perm.can_edit(request.user, project):
            raise PermissionDenied("只有申报单位可以修改草稿或退回修改的项目；已入库项目请提交调整申请。")
    elif not perm.can_declare(request.user):
        raise PermissionDenied("只有申报单位（企业等）可以申报项目。")
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            obj = form.save(commit=False)
            if project is None:
                obj.declarant = membership(request.user).organization
                obj.created_by = request.user
            # Saving an unchanged form writes nothing: no history row, no new version.
            if project is None or form.has_changed():
                obj._history_user = request.user
                obj.save()
                form.save_m2m()
                _save_contribution(obj, form, request.user)
            if project is None:
                services._event(obj, request.user, ProjectEvent.Action.CREATE, "", obj.get_status_display())
            if request.POST.get("then") == "submit":
                try:
                    services.submit(obj, request.user, request.POST.get("comment", ""))
                except services.ProjectError as exc:
                    for m in exc.messages:
                        messages.error(request, m)
                    messages.info(request, "项目已保存为草稿，补全后再提交。")
                    return redirect("project-detail", obj.pk)
                messages.success(request, "已提交申报，等待初审。")
                return redirect("project-detail", obj.pk)
        messages.success(request, "已保存。")
        return redirect("project-detail", obj.pk)
    return render(request, "projects/project_form.html", {"form": form, "project": project})


@member_required
def project_detail(request, pk: int):
    project = visible_or_404(request.user, pk)
    reports = list(project.dispatch_reports.select_related("problem_unit").order_by("month"))
    user = request.user
    stage_index = STAGE_ORDER.index(project.stage) if project.stage in STAGE_ORDER else -1
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "districts": project.districts.all(),
            "tasks": with_plan(project.tasks.all()),
            "contributions": project.contributions.filter(is_active=True).select_related("indicator"),
            "events": project.events.select_related("user", "organization"),
            "reports": reports,
            "chart": _dispatch_chart(project, reports),
            "annual": project.annual_plans.order_by("year"),
            "flags": project.flags.filter(is_active=True),
            "green_items": project.green_items.all(),
            "adjustments": project.adjustments.select_related("requested_by", "decided_by"),
            "changes": history.changes(project.history.all()),
            "stages": [(s, s.label, i <= stage_index) for i, s in enumerate(STAGE_ORDER)],
            "next_stages": [s for s in STAGE_ORDER[stage_index + 1 :]] if stage_index >= 0 else [],
            "can": {
                "edit": perm.can_edit(user, project),
                "first_review": perm.can_first_review(user, project),
                "office_review": perm.can_office_review(user, project),
                "stage": perm.can_change_stage(user, project),
                "remove": perm.can_remove(user, project),
                "dispatch": perm.can_report_dispatch(user, project),
                "adjust": perm.can_request_adjustment(user, project),
                "manage": perm.can_manage(user),
            },
            "flag_form": FlagForm(),
            "green_form": GreenItemForm(),
            "green_states": GreenChannelItem.State.choices,
            "my_org_ids": [m.organization_id] if (m := membership(user)) else [],
            "typed": _typed(request, project.pk),
        },
    )


def _dispatch_chart(project, reports) -> dict | None:
    """An inline SVG of cumulative investment by month against the total (no script needed)."""
    if not reports:
        return None
    width, height, pad = 640, 200, 40
    top = max([float(project.total_investment)] + [float(r.invested_cumulative) for r in reports]) or 1.0
    n = len(reports)
    step = (width - 2 * pad) / max(n, 1)
    bars = []
    for i, r in enumerate(reports):
        h = float(r.invested_cumulative) / top * (height - 2 * pad)
        bars.append(
            {
                "x": pad + i * step + step * 0.15,
                "y": height - pad - h,
                "w": step * 0.7,
                "h": h,
                "label": f"{r.month:%Y-%m}",
                "value": r.invested_cumulative,
                "show_label": n <= 12 or i % max(1, n // 12) == 0,
                "lx": pad + i * step + step / 2,
            }
        )
    total_y = height - pad - float(project.total_investment) / top * (height - 2 * pad)
    return {
        "width": width,
        "height": height,
        "pad": pad,
        "bars": bars,
        "total_y": total_y,
        "base": height - pad,
    }


@require_POST
@member_required
def project_action(request, pk: int):
    project = visible_or_404(request.user, pk)
    action = request.POST.get("action", "")
    if not perm.can_transition(request.user, project, action):
        raise PermissionDenied("您所在单位或角色不能对此项目执行该操作，或项目不处于可办理的状态。")
    try:
        services.transition(
            project,
            request.user,
            action,
            request.POST.get("comment", "").strip(),
            request.POST.get("stage", ""),
        )
        done = DONE.get(action, "已办理。")
        messages.success(request, done.format(stage=project.get_stage_display()))
    except services.ProjectError as exc:
        for m in exc.messages:
            messages.error(request, m)
        _keep_typed(request, project.pk, FORM_OF_ACTION.get(action, action))
    return redirect("project-detail", project.pk)


# The project page's action forms, by the actions their buttons send.
FORM_OF_ACTION = {
    "first_approve": "first",
    "first_return": "first",
    "admit": "office",
    "office_return": "office",
    "reject": "office",
}
TYPED_KEY = "project_typed"


def _keep_typed(request, pk: int, form: str, adjustment: int | None = None) -> None:
    """A refused action sends the user back to the project page: what was typed comes back once."""
    request.session[TYPED_KEY] = {
        "project": pk,
        "form": form,
        "adjustment": adjustment,
        "comment": request.POST.get("comment", ""),
        "stage": request.POST.get("stage", ""),
    }


def _typed(request, pk: int) -> dict:
    typed = request.session.pop(TYPED_KEY, None)
    return typed if typed and typed.get("project") == pk else {}


DONE = {
    "submit": "已提交申报，等待初审。",
    "first_approve": "初审意见已提交。",
    "first_return": "已退回申报单位修改。",
    "admit": "项目已入库：现处于储备阶段，申报信息不能再修改，此后的变更须提交调整申请。",
    "office_return": "已退回申报单位修改。",
    "reject": "复核结论已提交：不予入库。此申报已终止办理，不能再修改或重新提交。",
    "stage": "建设阶段已变更为“{stage}”，不能退回上一阶段。",
    "remove": "项目已调出项目库：不再参与调度和统计，不能恢复。",
}


@member_required
def dispatch_form(request, pk: int):
    project = visible_or_404(request.user, pk)
    if not perm.can_report_dispatch(request.user, project):
        raise PermissionDenied("只有已入库项目的申报单位或统筹办可以填报月度调度。")
    last = project.dispatch_reports.order_by("-month").first()
    initial = {"month": timezone.localdate().strftime("%Y-%m")}
    if last:
        initial["invested_cumulative"] = last.invested_cumulative
        initial["progress_pct"] = last.progress_pct
    form = DispatchForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_dispatch(project, request.user, form.cleaned_data["month"], form.cleaned_data)
        except services.ProjectError as exc:
            for m in exc.messages:
                form.add_error(None, m)
        else:
            messages.success(request, "月度调度已保存。")
            return redirect("project-detail", project.pk)
    return render(request, "projects/dispatch_form.html", {"form": form, "project": project, "last": last})


@member_required
def adjustment_form(request, pk: int):
    project = visible_or_404(request.user, pk)
    if not perm.can_request_adjustment(request.user, project):
        raise PermissionDenied("只有已入库项目的申报单位可以申请调整。")
    form = AdjustmentForm(
        request.POST or None,
        initial={f: getattr(project, f) for f in AdjustmentRequest.FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.request_adjustment(
                project, request.user, {f: data.get(f) for f in AdjustmentRequest.FIELDS}, data["reason"]
            )
        except services.ProjectError as exc:
            for m in exc.messages:
                form.add_error(None, m)
        else:
            messages.success(request, "调整申请已提交，等待统筹办审批。")
            return redirect("project-detail", project.pk)
    return render(request, "projects/adjustment_form.html", {"form": form, "project": project})


@require_POST
@member_required
def adjustment_decide(request, pk: int):
    adjustment = get_object_or_404(AdjustmentRequest, pk=pk)
    visible_or_404(request.user, adjustment.project_id)
    if not perm.can_manage(request.user):
        raise PermissionDenied("只有统筹办可以审批调整申请。")
    try:
        services.decide_adjustment(
            adjustment,
            request.user,
            request.POST.get("decision") == "approve",
            request.POST.get("comment", ""),
        )
        messages.success(request, "调整申请已审批。")
    except services.ProjectError as exc:
        for m in exc.messages:
            messages.error(request, m)
        _keep_typed(request, adjustment.project_id, "adjustment", adjustment.pk)
    return redirect("project-detail", adjustment.project_id)


@require_POST
@member_required
def flag_add(request, pk: int):
    return _office_child_form(request, pk, FlagForm, "标记已添加。", ProjectEvent.Action.FLAG)


@require_POST
@member_required
def green_add(request, pk: int):
    return _office_child_form(request, pk, GreenItemForm, "绿色通道审批事项已添加。", None)


def _office_child_form(request, pk, form_class, done: str, action):
    project = visible_or_404(request.user, pk)
    if not perm.can_manage(request.user):
        raise PermissionDenied("只有统筹办可以维护项目标记和绿色通道事项。")
    form = form_class(request.POST)
    if form.is_valid():
        with transaction.atomic():
            obj = form.save(commit=False)
            obj.project = project
            obj._history_user = request.user
            obj.save()
            if action:
                services._event(project, request.user, action, "", obj.get_kind_display(), obj.document)
        messages.success(request, done)
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect("project-detail", project.pk)


@member_required
def review_queue(request):
    user = request.user
    m = membership(user)
    visible = perm.visible_projects(user).select_related("declarant")
    first = (
        visible.filter(status=Status.SUBMITTED, competent=m.organization)
        if m and m.role == Role.RESPONSIBLE
        else visible.none()
    )
    office = visible.filter(status=Status.FIRST_REVIEWED) if is_office(user) else visible.none()
    adjustments = (
        AdjustmentRequest.objects.filter(state=AdjustmentRequest.State.PENDING).select_related(
            "project", "requested_by"
        )
        if is_office(user)
        else AdjustmentRequest.objects.none()
    )
    problems = (
        visible.filter(
            dispatch_reports__problem_unit=m.organization, dispatch_reports__problem_resolved=False
        ).distinct()
        if m
        else visible.none()
    )
    returned = visible.filter(status=Status.RETURNED) if m and m.role == Role.DECLARANT else visible.none()
    confirmations = RollingConfirmation.objects.filter(
        decision=RollingConfirmation.Decision.PENDING, project__in=visible.values("pk")
    ).select_related("project")
    if not is_office(user):
        confirmations = confirmations.filter(project__declarant=m.organization) if m else confirmations.none()
    return render(
        request,
        "projects/review_queue.html",
        {
            "first": first[:200],
            "office": office[:200],
            "adjustments": adjustments[:200],
            "problems": problems[:200],
            "returned": returned[:200],
            "confirmations": confirmations[:200],
            "confirmation_count": confirmations.count(),
        },
    )


@member_required
def stats(request):
    qs = perm.visible_projects(request.user)
    qs, errors = filter_projects(qs, request.GET)
    params = {k: request.GET.get(k, "") for k in FILTERS}
    scope = perm.visibility_scope(request.user)
    # Everything visible and no filter: the library minus its few drafts is cheaper to count.
    complement = (
        perm.invisible_projects(request.user) if scope == "all" and not any(params.values()) else None
    )
    data = cached_statistics(qs, scope, params, complement)
    if request.GET.get("export") == "xlsx":
        rows = [["领域", r["label"], r["n"], float(r["investment"] or 0)] for r in data["by_domain"]]
        rows += [["建设阶段", r["label"], r["n"], float(r["investment"] or 0)] for r in data["by_stage"]]
        rows += [
            ["所在区", r["organization__name"], r["n"], float(r["investment"] or 0)]
            for r in data["by_district"]
        ]
        rows += [
            [
                f"{r['year']}年度投资",
                f"计划{float(r['planned']):.2f} 完成{float(r['completed']):.2f}",
                r["n"],
                float(r["completed"] or 0),
            ]
            for r in data["by_year"]
        ]
        return xlsx_response(
            "项目库统计.xlsx",
            "项目库统计",
            ["分类", "项", "项目数", "投资（万元）"],
            rows,
            [14, 40, 10, 16],
            request.script,
        )
    top = max([float(r["investment"] or 0) for r in data["by_domain"]] + [1])
    for r in data["by_domain"]:
        r["share"] = float(r["investment"] or 0) / top * 100
    return render(
        request,
        "projects/stats.html",
        {
            "data": data,
            "errors": errors,
            "filters": {k: request.GET.get(k, "") for k in ("domain", "district", "stage", "status", "flag")},
            "domains": Domain.choices,
            "stages": Stage.choices,
            "statuses": Status.choices,
            "flags": FlagKind.choices,
            "districts": districts(),
            "export_query": query_without(request, "page"),
        },
    )


ROLL_TYPED = "roll-typed"


@member_required
def roll(request):
    """年度滚动更新: the office opens a year; declarants confirm each project or remove it."""
    user = request.user
    year = timezone.localdate().year
    if request.method == "POST":
        try:
            if request.POST.get("action") == "start":
                try:
                    year = bounds.integer(request.POST.get("year") or year, "年度", 1990, 2100)
                except bounds.OutOfBounds as exc:
                    raise services.ProjectError(str(exc)) from exc
                n = services.start_roll(year, user)
                messages.success(
                    request, f"已发起{request.POST.get('year', year)}年度滚动更新，{n}个项目待确认。"
                )
            else:
                confirmation = get_object_or_404(RollingConfirmation, pk=request.POST.get("confirmation"))
                visible_or_404(user, confirmation.project_id)
                plans = {}
                for y in range(confirmation.year, confirmation.year + 3):
                    raw = request.POST.get(f"plan_{y}", "").strip()
                    if raw:
                        try:
                            plans[y] = bounds.decimal(raw, 14, 2, f"{y}年计划投资（万元）")
                        except bounds.OutOfBounds as exc:
                            raise services.ProjectError(str(exc)) from exc
                services.confirm_roll(
                    confirmation,
                    user,
                    request.POST.get("action") == "keep",
                    plans,
                    request.POST.get("comment", ""),
                )
                messages.success(request, f"“{confirmation.project.name}”已确认。")
        except (services.ProjectError, ValueError) as exc:
            for msg in getattr(exc, "messages", [str(exc)]):
                messages.error(request, msg)
            # Shown again on the next page, in the refused row: what the declarant typed.
            request.session[ROLL_TYPED] = {
                k: v
                for k, v in request.POST.items()
                if k in ("confirmation", "comment") or k.startswith("plan_")
            }
        return redirect("project-roll")
    visible = perm.visible_projects(user)
    pending = RollingConfirmation.objects.filter(
        decision=RollingConfirmation.Decision.PENDING, project__in=visible.values("pk")
    ).select_related("project", "project__declarant")
    if not is_office(user):
        m = membership(user)
        pending = pending.filter(project__declarant=m.organization) if m else pending.none()
    years = (
        RollingConfirmation.objects.filter(project__in=visible.values("pk"))
        .values("year")
        .order_by("-year")
        .distinct()
    )
    summary = []
    for y in years:
        mine = RollingConfirmation.objects.filter(year=y["year"], project__in=visible.values("pk"))
        summary.append(
            {
                "year": y["year"],
                "total": mine.count(),
                "confirmed": mine.filter(decision=RollingConfirmation.Decision.CONFIRMED).count(),
                "removed": mine.filter(decision=RollingConfirmation.Decision.REMOVED).count(),
                "pending": mine.filter(decision=RollingConfirmation.Decision.PENDING).count(),
            }
        )
    pending_page = list(pending.order_by("project__name")[:300])
    typed = request.session.pop(ROLL_TYPED, {})
    for c in pending_page:
        mine = typed if str(typed.get("confirmation")) == str(c.pk) else {}
        c.years = [(y, mine.get(f"plan_{y}", "")) for y in (c.year, c.year + 1, c.year + 2)]
        c.typed_comment = mine.get("comment", "")
    return render(
        request,
        "projects/roll.html",
        {
            "pending": pending_page,
            "pending_count": pending.count(),
            "summary": summary,
            "year": year,
            "can_start": perm.can_manage(user),
        },
    )


# --- Excel import -------------------------------------------------------------------------------


@member_required
def import_template(request, kind: str):
    from django.http import HttpResponse

    from . import excel

    if kind == "declaration":
        data, name = excel.declaration_template(request.user), "项目申报模板.xlsx"
    elif kind == "dispatch":
        data, name = excel.dispatch_template(request.user), "月度调度模板.xlsx"
    else:
        raise Http404
    from urllib.parse import quote

    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@member_required
def import_upload(request):
    """Upload → preview with every row's errors → commit all-or-nothing."""
    from newinfra.utilities import imports

    from . import excel

    context = {"kinds": excel.KIND_LABELS}
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        if kind not in excel.KINDS:
            messages.error(request, "请选择导入类型。")
            return redirect("project-import")
        response, extra = imports.handle(
            request,
            kind,
            lambda data, commit, meta: excel.run_import(kind, data, request.user, commit=commit),
            ImportFileError,
            "project-import",
            lambda result: "project-list" if kind == "declaration" else "project-review",
        )
        if response:
            return response
        context.update(extra, kind_label=excel.KIND_LABELS[kind])
    return render(request, "projects/import.html", context)


@require_POST
@member_required
def green_update(request, pk: int):
    """The office moves a 绿色通道 approval item on (未启动 → 办理中 → 已批复) with its date and 文号."""
    from .models import GreenChannelItem

    item = get_object_or_404(GreenChannelItem, pk=pk)
    visible_or_404(request.user, item.project_id)
    if not perm.can_manage(request.user):
        raise PermissionDenied("只有统筹办可以维护绿色通道事项。")
    form = GreenItemForm(request.POST, instance=item)
    if form.is_valid() and not form.has_changed():
        messages.info(request, "未作修改。")
    elif form.is_valid():
        obj = form.save(commit=False)
        obj._history_user = request.user
        obj.save()
        messages.success(request, f"“{obj.item}”已更新为{obj.get_state_display()}。")
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect("project-detail", item.project_id)


@require_POST
@member_required
def flag_update(request, pk: int):
    """The office records what happened to a flag later (补助获批金额, 文号) or withdraws it."""
    from .models import ProjectFlag

    flag = get_object_or_404(ProjectFlag, pk=pk, is_active=True)
    visible_or_404(request.user, flag.project_id)
    if not perm.can_manage(request.user):
        raise PermissionDenied("只有统筹办可以维护项目标记。")
    if request.POST.get("withdraw") == "1":
        flag.is_active = False
        flag._history_user = request.user
        flag.save()
        services._event(
            flag.project,
            request.user,
            ProjectEvent.Action.FLAG,
            flag.get_kind_display(),
            "撤销",
            request.POST.get("note", ""),
        )
        messages.success(request, f"已撤销标记“{flag.get_kind_display()}”。")
        return redirect("project-detail", flag.project_id)
    form = FlagForm(request.POST, instance=flag)
    if form.is_valid() and not form.has_changed():
        messages.info(request, "未作修改。")
    elif form.is_valid():
        obj = form.save(commit=False)
        obj._history_user = request.user
        obj.save()
        messages.success(request, "标记已更新。")
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect("project-detail", flag.project_id)


@require_POST
@member_required
def problem_resolve(request, pk: int):
    """The unit a dispatch problem was routed to (or the office) marks it 已协调解决."""
    from .models import DispatchReport

    report = get_object_or_404(DispatchReport, pk=pk)
    visible_or_404(request.user, report.project_id)
    m = membership(request.user)
    if not (is_office(request.user) or (m and report.problem_unit_id == m.organization.pk)):
        raise PermissionDenied("只有问题的协调单位或统筹办可以标记问题已解决。")
    if report.problems and not report.problem_resolved:
        report.problem_resolved = True
        report._history_user = request.user
        report._change_reason = request.POST.get("comment", "")[:100]
        report.save()
        messages.success(request, "已标记为协调解决。")
    return redirect("project-detail", report.project_id)


@member_required
def dispatch_export(request, pk: int):
    project = visible_or_404(request.user, pk)
    rows = [
        [
            r.month.strftime("%Y-%m"),
            float(r.invested_month),
            float(r.invested_cumulative),
            float(r.progress_pct),
            r.milestone,
            r.problems,
            r.problem_unit.name if r.problem_unit else "",
            "已解决" if r.problem_resolved else ("" if not r.problems else "待协调"),
            r.explanation,
        ]
        for r in project.dispatch_reports.select_related("problem_unit").order_by("month")
    ]
    return xlsx_response(
        f"月度调度_{project.code or project.pk}.xlsx",
        "月度调度",
        [
            "月份",
            "当月完成投资（万元）",
            "累计完成投资（万元）",
            "形象进度（%）",
            "本月节点",
            "需协调解决的问题",
            "协调单位",
            "问题状态",
            "情况说明",
        ],
        rows,
        [10, 14, 14, 10, 24, 36, 20, 10, 30],
        request.script,
    )
