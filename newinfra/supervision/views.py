"""督办 pages: what is overdue, the inbox of notices, supervision orders with feedback, 销号."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from newinfra.indicators.models import Frequency, period_label
from newinfra.orgs.models import Organization
from newinfra.orgs.permissions import is_office, member_required, membership
from newinfra.plans.models import Indicator, Task
from newinfra.utilities import bounds, history
from newinfra.utilities.tables import xlsx_response

from . import services
from .models import ClosureRequest, Notice, SupervisionOrder


@member_required
def overview(request):
    today = timezone.localdate()
    m = membership(request.user)
    office = is_office(request.user)
    values = services.overdue_values(today)
    tasks = services.overdue_tasks(today)
    if not office and m:
        values = [(p, d) for p, d in values if p.responsible_id == m.organization_id]
        tasks = [(t, o, q) for t, o, q in tasks if o.pk == m.organization_id]
    orders = SupervisionOrder.objects.select_related("task", "indicator", "organization")
    if not office:
        orders = orders.filter(organization=m.organization) if m else orders.none()
    closures = ClosureRequest.objects.filter(state=ClosureRequest.State.PENDING).select_related(
        "task", "organization"
    )
    if not office:
        closures = closures.filter(organization=m.organization) if m else closures.none()
    export = request.GET.get("export")
    if export == "values":
        return xlsx_response(
            "逾期未报指标数据.xlsx",
            "逾期未报指标数据",
            ["指标", "报告期", "报送期限", "报送单位"],
            [
                [
                    p.indicator.name,
                    period_label(d, p.frequency),
                    p.due_date(d).isoformat(),
                    p.responsible.name,
                ]
                for p, d in values
            ],
            [30, 16, 12, 24],
            request.script,
        )
    if export == "tasks":
        return xlsx_response(
            "逾期未报进展任务.xlsx",
            "逾期未报进展任务",
            ["规划", "序号", "任务", "报送单位", "季度"],
            [
                [t.plan.title, t.number, t.title, o.name, period_label(q, Frequency.QUARTER)]
                for t, o, q in tasks
            ],
            [30, 6, 30, 24, 16],
            request.script,
        )
    return render(
        request,
        "supervision/overview.html",
        {
            "values": [(p, d, period_label(d, p.frequency), p.due_date(d)) for p, d in values],
            "tasks": [(t, o, period_label(q, Frequency.QUARTER)) for t, o, q in tasks],
            "orders": orders[:200],
            "closures": closures[:200],
            "office": office,
            "today": today,
        },
    )


@member_required
def notices(request):
    m = membership(request.user)
    items = Notice.objects.filter(organization=m.organization) if m else Notice.objects.none()
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("notice") if i.isdigit()]
        scope = items.filter(read_at__isnull=True)
        if request.POST.get("all") != "1":
            scope = scope.filter(pk__in=ids)
        n = scope.update(read_at=timezone.now())
        messages.success(request, f"已将{n}条通知标为已读。")
        return redirect("notices")
    return render(
        request,
        "supervision/notices.html",
        {"items": items[:300], "unread": items.filter(read_at__isnull=True).count()},
    )


class OrderForm(bounds.BoundedFormMixin, forms.Form):
    organization = forms.ModelChoiceField(
        label="督办单位", queryset=Organization.objects.filter(is_active=True)
    )
    text = forms.CharField(label="督办事项", widget=forms.Textarea(attrs={"rows": 4}))
    respond_by = forms.DateField(label="反馈期限", widget=forms.DateInput(attrs={"type": "date"}))


@member_required
def order_new(request):
    if not is_office(request.user):
        raise PermissionDenied("只有统筹办可以发出督办通知。")

    def chosen(model, name):
        try:
            pk = bounds.identifier(request.GET.get(name) or request.POST.get(name), name)
        except bounds.OutOfBounds:
            return None
        return model.objects.filter(pk=pk).first() if pk else None

    task = chosen(Task, "task")
    indicator = chosen(Indicator, "indicator")
    initial = {"respond_by": timezone.localdate() + dt.timedelta(days=10)}
    if task:
        lead = (
            task.responsibilities.filter(is_active=True, is_lead=True).first()
            or task.responsibilities.filter(is_active=True).first()
        )
        if lead:
            initial["organization"] = lead.organization_id
        initial["text"] = f"任务“{task.number}. {task.title}”推进滞后，请说明原因并提出整改措施。"
    form = OrderForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.issue_order(
                request.user,
                form.cleaned_data["organization"],
                form.cleaned_data["text"],
                form.cleaned_data["respond_by"],
                task,
                indicator,
            )
        except services.SupervisionError as exc:
            for m in exc.messages:
                form.add_error(None, m)
        else:
            messages.success(request, "督办通知已发出。")
            return redirect("order-detail", order.pk)
    return render(
        request, "supervision/order_form.html", {"form": form, "task": task, "indicator": indicator}
    )


def _visible_order(user, pk) -> SupervisionOrder:
    order = get_object_or_404(
        SupervisionOrder.objects.select_related("task", "indicator", "organization", "issued_by"), pk=pk
    )
    m = membership(user)
    if not (is_office(user) or (m and (m.organization_id == order.organization_id or m.role == "leader"))):
        raise PermissionDenied("只有被督办单位、统筹办和领导可以查看此督办事项。")
    return order


@member_required
def order_detail(request, pk: int):
    order = _visible_order(request.user, pk)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "close":
                services.close_order(request.user, order)
                messages.success(request, "督办事项已办结。")
            else:
                services.answer_order(
                    request.user, order, request.POST.get("text", ""), request.FILES.getlist("files")
                )
                messages.success(request, "反馈已提交。")
        except services.SupervisionError as exc:
            for m in exc.messages:
                messages.error(request, m)
        return redirect("order-detail", order.pk)
    m = membership(request.user)
    return render(
        request,
        "supervision/order_detail.html",
        {
            "order": order,
            "feedback": order.feedback.select_related("user", "organization").prefetch_related("evidence"),
            "can_answer": m is not None
            and m.organization_id == order.organization_id
            and order.state != SupervisionOrder.State.CLOSED,
            "can_close": is_office(request.user) and order.state != SupervisionOrder.State.CLOSED,
            "changes": history.changes(order.history.all()),
        },
    )


@require_POST
@member_required
def progress(request, pk: int):
    return _unit_action(
        request,
        pk,
        lambda task: services.post_progress(
            request.user,
            task,
            request.POST.get("status", ""),
            request.POST.get("text", ""),
            request.FILES.getlist("files"),
        ),
        "进展已报送。",
    )


@require_POST
@member_required
def closure_request(request, pk: int):
    return _unit_action(
        request,
        pk,
        lambda task: services.request_closure(request.user, task, request.POST.get("text", "")),
        "销号申请已提交，等待统筹办审批。",
    )


def _unit_action(request, pk: int, act, done: str):
    """A responsible unit acts on its task: 403 for any other unit, the rule's message otherwise."""
    task = get_object_or_404(Task, pk=pk, is_active=True)
    try:
        act(task)
        messages.success(request, done)
    except services.SupervisionError as exc:
        if not services.can_change_task(request.user, task):
            raise PermissionDenied(str(exc)) from exc
        for m in exc.messages:
            messages.error(request, m)
    return redirect("task-detail", task.pk)


@require_POST
@member_required
def closure_decide(request, pk: int):
    req = get_object_or_404(ClosureRequest, pk=pk)
    if not is_office(request.user):
        raise PermissionDenied("只有统筹办可以审批销号。")
    try:
        services.decide_closure(
            request.user, req, request.POST.get("decision") == "approve", request.POST.get("comment", "")
        )
        messages.success(request, "销号申请已审批。")
    except services.SupervisionError as exc:
        for m in exc.messages:
            messages.error(request, m)
    return redirect("task-detail", req.task_id)


@member_required
def evidence(request, pk: int):
    """An evidence file, for those who may read what it supports (never a public media URL)."""
    from django.http import FileResponse

    from .models import Evidence

    item = get_object_or_404(Evidence.objects.select_related("feedback__order"), pk=pk)
    if item.feedback_id:
        _visible_order(request.user, item.feedback.order_id)  # the order's unit, the office, leaders
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("文件不存在。") from exc
    return FileResponse(handle, as_attachment=True, filename=item.name)
