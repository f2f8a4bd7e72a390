"""督办 pages: what is overdue, the inbox of notices, supervision orders with feedback, 销号."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from newinfra.orgs.models import Organization
from newinfra.orgs.permissions import is_office, member_required, membership, sees_city_wide
from newinfra.plans.models import Indicator, Task
from newinfra.utilities import bounds, history
from newinfra.utilities.tables import xlsx_response
from newinfra.utilities.widgets import IsoDateInput

from . import overdue, services
from .models import ClosureRequest, Notice, NoticeSetting, SupervisionOrder


@member_required
def overview(request):
    today = timezone.localdate()
    m = membership(request.user)
    office = is_office(request.user)
    city_wide = sees_city_wide(request.user)  # the office and leaders: every unit's rows
    unit = None if city_wide or m is None else m.organization
    items = overdue.overdue_items(today, unit)
    if not city_wide and m is None:
        items = []
    values = [i for i in items if i.kind == "value"]
    tasks = [i for i in items if i.kind == "task"]
    orders = SupervisionOrder.objects.select_related("task", "indicator", "project", "organization")
    if not city_wide:
        orders = orders.filter(organization=m.organization) if m else orders.none()
    closures = ClosureRequest.objects.filter(state=ClosureRequest.State.PENDING).select_related(
        "task", "organization"
    )
    if not city_wide:
        closures = closures.filter(organization=m.organization) if m else closures.none()
    export = request.GET.get("export")
    if export == "values":
        return xlsx_response(
            "逾期未报指标数据.xlsx",
            "逾期未报指标数据",
            ["指标", "报告期", "报送期限", "逾期天数", "报送单位"],
            [[i.subject, i.period, i.due.isoformat(), i.days, i.organization.name] for i in values],
            [30, 16, 12, 10, 24],
            request.script,
        )
    if export == "tasks":
        return xlsx_response(
            "逾期未报进展任务.xlsx",
            "逾期未报进展任务",
            ["规划", "序号", "任务", "报送单位", "季度", "逾期天数"],
            [
                [i.task.plan.title, i.task.number, i.task.title, i.organization.name, i.period, i.days]
                for i in tasks
            ],
            [30, 6, 30, 24, 16, 10],
            request.script,
        )
    if export == "overdue":
        return xlsx_response(
            "逾期事项.xlsx",
            "逾期事项",
            ["单位", "类别", "事项", "报告期", "报送期限", "逾期天数", "督办"],
            [
                [i.organization.name, i.kind_label, i.subject, i.period, i.due.isoformat(), i.days]
                + ["已督办" if i.open_order else ""]
                for g in overdue.by_unit(items)
                for i in g.items
            ],
            [24, 10, 40, 16, 12, 10, 8],
            request.script,
        )
    return render(
        request,
        "supervision/overview.html",
        {
            "groups": overdue.by_unit(items),
            "overdue_count": len(items),
            "orders": orders[:200],
            "closures": closures[:200],
            "office": office,
            "city_wide": city_wide,
            "today": today,
            "order_by": today + dt.timedelta(days=overdue.ORDER_DAYS),
        },
    )


@member_required
def notices(request):
    m = membership(request.user)
    items = Notice.objects.filter(organization=m.organization) if m else Notice.objects.none()
    setting = NoticeSetting.objects.filter(user=request.user).first() or NoticeSetting(user=request.user)
    if request.method == "POST" and request.POST.get("email"):
        choice = request.POST["email"]
        if choice not in NoticeSetting.Email.values:
            messages.error(request, "请选择邮件提醒方式。")
        else:
            setting.email = choice
            setting._history_user = request.user
            setting.save()
            messages.success(request, f"邮件提醒已设为：{setting.get_email_display()}。")
        return redirect("notices")
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
        {
            "items": items[:300],
            "unread": items.filter(read_at__isnull=True).count(),
            "setting": setting,
            "email_choices": NoticeSetting.Email.choices,
        },
    )


class OrderForm(bounds.BoundedFormMixin, forms.Form):
    organization = forms.ModelChoiceField(
        label="督办单位",
        queryset=Organization.objects.filter(is_active=True),
        error_messages={"required": "请选择督办单位。"},
    )
    text = forms.CharField(
        label="督办事项",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "请填写督办事项。"},
    )
    respond_by = forms.DateField(
        label="反馈期限",
        widget=IsoDateInput(),
        error_messages={"required": "请填写反馈期限。", "invalid": "反馈期限应为日期，例如 2026-12-31。"},
    )


def _order_initial(task, indicator, project, item) -> dict:
    """What a 督办 about this subject says by default: the unit, the text and the date."""
    today = timezone.localdate()
    initial = {"respond_by": today + dt.timedelta(days=overdue.ORDER_DAYS)}
    if item is not None:
        initial.update(organization=item.organization.pk, text=item.order_text)
    elif task:
        lead = (
            task.responsibilities.filter(is_active=True, is_lead=True).first()
            or task.responsibilities.filter(is_active=True).first()
        )
        if lead:
            initial["organization"] = lead.organization_id
        initial["text"] = f"任务“{task.number}. {task.title}”推进滞后，请说明原因并提出整改措施。"
    elif indicator:
        profile = getattr(indicator, "profile", None)
        if profile and profile.responsible_id:
            initial["organization"] = profile.responsible_id
        initial["text"] = f"指标“{indicator.name}”数据报送滞后，请尽快报送并说明原因。"
    elif project:
        initial["organization"] = project.competent_id
        initial["text"] = (
            f"项目“{project.name}”（{project.declarant.name}）月度调度未按时填报，请督促填报并说明原因。"
        )
    return initial


@member_required
def order_new(request):
    from newinfra.projects.models import Project

    if not is_office(request.user):
        raise PermissionDenied("只有统筹办可以发出督办通知。")
    data = request.POST if request.method == "POST" else request.GET
    item = None
    if key := data.get("item"):
        found = overdue.find_items(timezone.localdate(), [key])
        item = found[0] if found else None
        if item is None and request.method == "GET":
            messages.info(request, "该事项已不再逾期，请直接填写督办内容。")
    task = item.task if item else Task.objects.live().filter(pk=_int(data.get("task"))).first()
    indicator = item.indicator if item else Indicator.objects.filter(pk=_int(data.get("indicator"))).first()
    project = (
        item.project
        if item
        else Project.objects.filter(pk=_int(data.get("project"))).select_related("declarant").first()
    )
    form = OrderForm(request.POST or None, initial=_order_initial(task, indicator, project, item))
    if request.method == "POST" and form.is_valid():
        try:
            order = services.issue_order(
                request.user,
                form.cleaned_data["organization"],
                form.cleaned_data["text"],
                form.cleaned_data["respond_by"],
                task,
                indicator,
                project,
            )
        except services.SupervisionError as exc:
            for m in exc.messages:
                form.add_error(None, m)
        else:
            messages.success(
                request, f"督办通知已发给{order.organization.name}，请于{order.respond_by:%m月%d日}前反馈。"
            )
            return redirect("order-detail", order.pk)
    return render(
        request,
        "supervision/order_form.html",
        {"form": form, "task": task, "indicator": indicator, "project": project, "item": item},
    )


def _int(value) -> int:
    """An id from the query or form, or 0 when it is none or out of bounds (never a 500)."""
    try:
        return bounds.identifier(value, "id") or 0
    except bounds.OutOfBounds:
        return 0


@require_POST
@member_required
def order_batch(request):
    """批量督办: every overdue item of a unit (not yet pressed) gets its order, the unit one notice."""
    if not is_office(request.user):
        raise PermissionDenied("只有统筹办可以发出督办通知。")
    today = timezone.localdate()
    try:
        respond_by = dt.date.fromisoformat(request.POST.get("respond_by", ""))
    except ValueError:
        messages.error(request, "请填写反馈期限，例如 2026-12-31。")
        return redirect("supervision")
    items = overdue.overdue_items(today)
    keys = set(request.POST.getlist("item"))
    unit = _int(request.POST.get("unit"))
    chosen = [
        i
        for i in items
        if not i.open_order and ((keys and i.key in keys) or (not keys and i.organization.pk == unit))
    ]
    try:
        orders = services.issue_batch(request.user, chosen, respond_by)
    except services.SupervisionError as exc:
        for m in exc.messages:
            messages.error(request, m)
        return redirect("supervision")
    units = {o.organization.name for o in orders}
    messages.success(
        request, f"已向{'、'.join(sorted(units))}发出{len(orders)}项督办，反馈期限{respond_by:%Y年%m月%d日}。"
    )
    return redirect(reverse("supervision") + (f"#unit-{unit}" if unit else ""))


def _visible_order(user, pk) -> SupervisionOrder:
    order = get_object_or_404(
        SupervisionOrder.objects.select_related("task", "indicator", "project", "organization", "issued_by"),
        pk=pk,
    )
    m = membership(user)
    if not (is_office(user) or (m and (m.organization_id == order.organization_id or m.role == "leader"))):
        raise PermissionDenied("只有被督办单位、统筹办和领导可以查看此督办事项。")
    return order


@member_required
def order_detail(request, pk: int):
    order = _visible_order(request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action in ("close", "send_back"):
                respond_by = None
                if action == "send_back":
                    try:
                        respond_by = dt.date.fromisoformat(request.POST.get("respond_by", ""))
                    except ValueError:
                        respond_by = None
                services.close_order(
                    request.user,
                    order,
                    request.POST.get("comment", ""),
                    send_back=action == "send_back",
                    respond_by=respond_by,
                )
                messages.success(
                    request,
                    "督办事项已办结，已通知被督办单位。"
                    if action == "close"
                    else f"已退回重办，{order.organization.name}须于{order.respond_by:%m月%d日}前重新反馈。",
                )
            else:
                services.answer_order(
                    request.user, order, request.POST.get("text", ""), request.FILES.getlist("files")
                )
                messages.success(request, "反馈已提交，等待统筹办办结。")
        except services.SupervisionError as exc:
            for m in exc.messages:
                messages.error(request, m)
            # Render the page again (no redirect) so the answer the unit typed is still there.
            typed = request.POST.get("text", "")
        else:
            return redirect("order-detail", order.pk)
    else:
        typed = ""
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
            "can_send_back": is_office(request.user) and order.state == SupervisionOrder.State.ANSWERED,
            "send_back_by": timezone.localdate() + dt.timedelta(days=overdue.ORDER_DAYS),
            "today": timezone.localdate(),
            "changes": history.changes(order.history.all()),
            "typed": typed,
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
            version=request.POST.get("version", ""),
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
        # The task page shows the form again with what the unit typed (see task_context).
        request.session[services.TYPED_KEY] = {
            "task": task.pk,
            "form": request.resolver_match.url_name if request.resolver_match else "",
            "status": request.POST.get("status", ""),
            "text": request.POST.get("text", ""),
        }
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
