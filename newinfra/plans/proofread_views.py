"""The proofreading page (解析校对) and a plan's revision page, for 统筹办 and 管理员.

One page holds the source text beside the extraction; every change is a POST to the same page
with an ``action``, handled by ``services`` in one transaction, and the page comes back with the
row that changed open (or, on an error, with what the user typed and the message)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from newinfra.orgs.models import Organization
from newinfra.orgs.permissions import is_office
from newinfra.utilities import bounds, versions

from . import services
from .models import Plan, PlanRevision, PlanStatus, Section
from .proofreading import (
    Names,
    corrections,
    flag_labels,
    highlighted,
    locate,
    plan_targets,
    plan_tasks,
    target_flags,
    task_flags,
)
from .revisions import plan_revision

COMPARATOR_CHOICES = list(services.COMPARATORS.items())


def office_plan(request, pk: int) -> Plan:
    """The plan for the office; a draft does not exist for anyone else, a live plan is refused."""
    if not request.user.is_authenticated:
        raise PermissionDenied("请先登录。")
    plan = Plan.objects.visible_to(request.user).filter(pk=pk).first()
    if plan is None:
        raise Http404("没有这个规划。")
    if not is_office(request.user):
        raise PermissionDenied("只有统筹办可以校对和修改规划。")
    return plan


split_units = services.split_names


def _source_html(source: str, marks) -> str:
    out = []
    for text, covering in highlighted(source, marks):
        if not covering:
            out.append(escape(text))
            continue
        kinds = " ".join(sorted({f"m-{m.kind}" for m in covering}))
        refs = " ".join(dict.fromkeys(m.ref for m in covering))
        out.append(f'<mark class="{kinds}" data-refs="{refs}">{escape(text)}</mark>')
    return "".join(out)


def _plain(v) -> str:
    """A stored figure as the office types it back: 38900, 0.5 (no trailing zeros, no e-notation)."""
    if v is None:
        return ""
    text = format(v.normalize(), "f")
    return text


def _page(request, plan: Plan, error: str | None = None, posted=None, status: int = 200, unknown=None):
    names = Names()
    tasks = plan_tasks(plan)
    targets = plan_targets(plan)
    by_task, by_target = corrections(plan, tasks, targets, names)
    targets_of: dict[int | None, list] = {}
    for t in targets:
        t.flag_list = target_flags(t) if t.is_active else []
        t.changes = by_target.get(t.pk, [])
        targets_of.setdefault(t.task_id, []).append(t)
    rows = []
    for task in tasks:
        task.flag_list = task_flags(task, names) if task.is_active else []
        task.changes = by_task.get(task.pk, [])
        task.target_list = targets_of.get(task.pk, [])
        lead, co = [], []
        for r in sorted(task.responsibilities.all(), key=lambda r: (r.order, r.pk)):
            if r.is_active:
                (lead if r.is_lead else co).append(r.organization.name)
        task.lead_names, task.co_names = lead, co
        task.flagged = bool(task.flag_list) or any(t.flag_list for t in task.target_list if t.is_active)
        task.form = {
            "title": task.title,
            "lead_units": "、".join(lead),
            "co_units": "、".join(co),
            "deadline": task.deadline,
            "deadline_date": task.deadline_date.isoformat() if task.deadline_date else "",
            "reason": "",
        }
        task.form_open = False
        if posted and posted.get("action") == "edit_task" and posted.get("task") == str(task.pk):
            task.form = {k: posted.get(k, "") for k in task.form}
            task.form_open = True
        rows.append(task)
    goals = targets_of.get(None, [])
    for g in goals:
        g.flagged = bool(g.flag_list)
    for t in targets:
        t.form = {
            "indicator": t.indicator.name,
            "value": _plain(t.value),
            "value_max": _plain(t.value_max),
            "unit": t.unit,
            "comparator": t.comparator,
            "year": t.year or "",
            "reason": "",
        }
        t.form_open = False
        if posted and posted.get("action") == "edit_target" and posted.get("target") == str(t.pk):
            t.form = {k: posted.get(k, "") for k in t.form}
            t.form_open = True
    # flagged first, each group in the plan's order
    rows.sort(key=lambda t: (not t.is_active, not t.flagged, t.order))
    source = plan.source_text or ""
    flag_kinds = {}
    for item in [*rows, *goals]:
        for f in getattr(item, "flag_list", []):
            flag_kinds[f.get("kind")] = flag_labels().get(f.get("kind"), f.get("message") or f.get("kind"))
    org_names = sorted({*names.orgs.keys()})
    plan_form = {
        "title": plan.title,
        "period_start": plan.period_start or "",
        "period_end": plan.period_end or "",
        "reason": "",
    }
    if posted and posted.get("action") == "edit_plan":
        plan_form = {k: posted.get(k, "") for k in plan_form}
    pending = plan.revisions.filter(status=PlanRevision.Status.DRAFT).first()
    return render(
        request,
        "plans/proofread.html",
        {
            "plan": plan,
            "tasks": rows,
            "goals": goals,
            "goals_flagged": sum(1 for g in goals if g.flagged and g.is_active),
            "goals_open": any(g.form_open for g in goals),
            "source_html": mark_safe(_source_html(source, locate(source, tasks, targets))),  # noqa: S308 - escaped above
            "has_source": bool(source),
            "flag_count": sum(1 for t in rows if t.flagged and t.is_active)
            + sum(1 for g in goals if g.flagged),
            "change_count": sum(1 for t in rows if t.changes) + sum(1 for t in targets if t.changes),
            "flag_kinds": sorted(flag_kinds.items()),
            "org_names": org_names,
            "organizations": Organization.objects.filter(is_active=True).order_by("name"),
            "sections": Section.objects.filter(plan=plan).order_by("order"),
            "comparators": COMPARATOR_CHOICES,
            "needs_reason": plan.status == PlanStatus.PUBLISHED,
            "error": error,
            "posted": posted or {},
            "plan_form": plan_form,
            "pending_revision": pending,
            "kind_choices": Organization._meta.get_field("kind").choices,
            "unknown_unit": unknown,
            "add_open": bool(posted) and posted.get("action") in ("add_task", "add_target"),
        },
        status=status,
    )


def proofread(request, pk: int):
    plan = office_plan(request, pk)
    if request.method != "POST":
        return _page(request, plan)
    action = request.POST.get("action", "")
    handler = ACTIONS.get(action)
    if handler is None:
        return _page(request, plan, "无法识别的操作。", request.POST, status=400)
    try:
        message, anchor = handler(request, plan)
    except services.UnknownUnit as exc:
        return _page(request, plan, str(exc), request.POST, status=400, unknown=exc.name)
    except services.PlanError as exc:
        return _page(request, plan, str(exc), request.POST, status=400)
    messages.success(request, message)
    if action in ("publish", "withdraw"):
        return redirect(reverse("plan-detail", args=[plan.pk]))
    return redirect(f"{reverse('plan-proofread', args=[plan.pk])}{anchor}")


def _posted_id(request, name: str, label: str) -> int:
    try:
        return bounds.identifier(request.POST.get(name), label) or 0
    except bounds.OutOfBounds as exc:
        raise services.PlanError(str(exc)) from exc


def _task(plan, request):
    task = plan.tasks.filter(pk=_posted_id(request, "task", "任务")).first()
    if task is None:
        raise services.PlanError("没有这项任务。")
    return task


def _target(plan, request):
    target = plan.targets.filter(pk=_posted_id(request, "target", "目标")).first()
    if target is None:
        raise services.PlanError("没有这个目标。")
    return target


def _reason(request):
    return request.POST.get("reason", "").strip() or None


def edit_task(request, plan):
    task = _task(plan, request)
    p = request.POST
    try:
        services.edit_task(
            task,
            request.user,
            _reason(request),
            p.get("version", ""),
            title=p.get("title", ""),
            lead_units=split_units(p.get("lead_units", "")),
            co_units=split_units(p.get("co_units", "")),
            deadline=p.get("deadline", ""),
            deadline_date=p.get("deadline_date", ""),
        )
    except versions.Stale as exc:
        # shown above the form, which comes back with what was typed, now at the current version
        raise services.PlanError(str(exc)) from exc
    return f"已保存任务 {task.number}。", f"#task-{task.pk}"


def add_task(request, plan):
    p = request.POST
    task = services.add_task(
        plan,
        request.user,
        _reason(request),
        number=p.get("number", ""),
        title=p.get("title", ""),
        section=p.get("section") or None,
        lead_units=split_units(p.get("lead_units", "")),
        co_units=split_units(p.get("co_units", "")),
        deadline=p.get("deadline", ""),
        deadline_date=p.get("deadline_date", ""),
    )
    return f"已新增任务 {task.number}。", f"#task-{task.pk}"


def delete_task(request, plan):
    task = services.delete_task(_task(plan, request), request.user, _reason(request))
    return f"已删除任务 {task.number}（可恢复）。", f"#task-{task.pk}"


def restore_task(request, plan):
    task = services.restore_task(_task(plan, request), request.user, _reason(request))
    return f"已恢复任务 {task.number}。", f"#task-{task.pk}"


def _target_fields(p):
    return {k: p.get(k, "") for k in ("indicator", "value", "value_max", "unit", "comparator", "year")}


def edit_target(request, plan):
    target = services.edit_target(
        _target(plan, request), request.user, _reason(request), **_target_fields(request.POST)
    )
    return f"已保存目标“{target.text}”。", f"#target-{target.pk}"


def add_target(request, plan):
    fields = _target_fields(request.POST)
    fields["task"] = request.POST.get("task") or None
    target = services.add_target(plan, request.user, _reason(request), **fields)
    return f"已新增目标“{target.text}”。", f"#target-{target.pk}"


def delete_target(request, plan):
    target = services.delete_target(_target(plan, request), request.user, _reason(request))
    return f"已删除目标“{target.text}”。", f"#target-{target.pk}"


def new_org(request, plan):
    org = services.create_organization(request.POST.get("name", ""), request.POST.get("kind") or None)
    return f"已在单位名录中新增“{org.name}”，现在可以选用。", request.POST.get("back", "")


def new_alias(request, plan):
    target = Organization.objects.filter(name=request.POST.get("organization", "").strip()).first()
    if target is None:
        raise services.PlanError("请从名录中选择已有单位。")
    alias = services.add_alias(request.POST.get("name", ""), target)
    return f"已把“{alias.name}”设为“{target.name}”的别名。", request.POST.get("back", "")


def edit_plan(request, plan):
    p = request.POST
    plan = services.edit_plan(
        plan,
        request.user,
        _reason(request),
        title=p.get("title", ""),
        period_start=p.get("period_start", ""),
        period_end=p.get("period_end", ""),
    )
    return f"已保存规划“{plan.title}”。", ""


def publish(request, plan):
    services.publish(plan, request.user)
    return f"已发布“{plan.title}”，各责任单位已收到任务通知。", ""


def withdraw(request, plan):
    services.withdraw(plan, request.POST.get("reason", ""), request.user)
    return f"已撤回“{plan.title}”。", ""


ACTIONS = {
    "edit_plan": edit_plan,
    "edit_task": edit_task,
    "add_task": add_task,
    "delete_task": delete_task,
    "restore_task": restore_task,
    "edit_target": edit_target,
    "add_target": add_target,
    "delete_target": delete_target,
    "new_org": new_org,
    "new_alias": new_alias,
    "publish": publish,
    "withdraw": withdraw,
}


def revision_detail(request, pk: int, rev: int):
    plan = office_plan(request, pk)
    revision = get_object_or_404(PlanRevision, pk=rev, plan=plan)
    error = None
    decisions = {k[9:]: v for k, v in request.POST.items() if k.startswith("decision:") and v}
    if request.method == "POST" and revision.status == PlanRevision.Status.DRAFT:
        try:
            if request.POST.get("action") == "discard":
                services.discard_revision(revision, request.user)
                messages.success(request, "已放弃该修订稿，规划未作改动。")
            else:
                services.publish_revision(revision, request.user, decisions)
                messages.success(request, f"已按修订稿更新“{plan.title}”。")
            return redirect(reverse("plan-detail", args=[plan.pk]))
        except services.PlanError as exc:
            error = str(exc)
    decisions = {**revision.decisions, **decisions}
    merged = plan_revision(revision, decisions)
    for c in merged.conflicts:
        c.chosen = decisions.get(c.key)
    return render(
        request,
        "plans/revision.html",
        {
            "plan": plan,
            "revision": revision,
            "changes": merged.changes,
            "conflicts": merged.conflicts,
            "kept": merged.kept,
            "decisions": decisions,
            "error": error,
        },
        status=400 if error else 200,
    )
