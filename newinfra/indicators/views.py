"""Pages for indicator reporting and target monitoring."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import Truncator
from django.views.decorators.http import require_POST

from newinfra.orgs.models import Organization, OrgKind
from newinfra.orgs.permissions import is_office, may_open, member_required
from newinfra.plans.compare import indicators_with_targets
from newinfra.plans.models import PLAN_TEXTS, Indicator, Plan, Target
from newinfra.projects.models import Domain
from newinfra.utilities import bounds, history, versions
from newinfra.utilities.figures import plain
from newinfra.utilities.tables import xlsx_response
from newinfra.utilities.workbooks import ImportFileError

from . import services
from .attainment import RULE_TEXT, STATUS_LABELS
from .charts import indicator_lines
from .models import (
    DataValue,
    Frequency,
    IndicatorProfile,
    ValueStatus,
    period_end,
    period_label,
    previous_period_end,
)
from .queries import (
    DOMAIN_LABELS,
    as_of_choices,
    as_of_from,
    attainment_rows,
    district_orgs,
    row_dict,
)


@member_required
def monitor(request):
    """指标监测: every target with its light, filterable, exportable."""
    as_of = as_of_from(request)
    rows = [row_dict(r) for r in attainment_rows(as_of=as_of)]
    plan, status, domain = (
        request.GET.get("plan", ""),
        request.GET.get("status", ""),
        request.GET.get("domain", ""),
    )
    if plan.isdigit():
        rows = [r for r in rows if r["target"].plan_id == int(plan)]
    if status in STATUS_LABELS:
        rows = [r for r in rows if r["status"] == status]
    if domain:
        rows = [r for r in rows if r["domain"] == DOMAIN_LABELS.get(domain)]
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            "指标监测.xlsx",
            "指标监测",
            [
                "规划",
                "指标",
                "目标",
                "年份",
                "最新值",
                "完成率",
                "时间进度",
                "预计到期值",
                "状态",
                "说明",
                "报送单位",
            ],
            [
                [
                    r["target"].plan.title,
                    r["target"].indicator.name,
                    r["target"].display_value,
                    r["target"].year,
                    r["a"].current,
                    None if r["a"].progress is None else round(r["a"].progress, 4),
                    round(r["a"].elapsed, 4),
                    None if r["a"].forecast is None else round(r["a"].forecast, 2),
                    r["label"],
                    r["a"].explanation,
                    r["profile"].responsible.name if r["profile"] and r["profile"].responsible else "",
                ]
                for r in rows
            ],
            [26, 28, 14, 8, 12, 10, 10, 12, 12, 30, 20],
            request.script,
        )
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in STATUS_LABELS}
    _with_links(rows)
    return render(
        request,
        "indicators/monitor.html",
        {
            "rows": rows,
            "counts": counts,
            "labels": STATUS_LABELS,
            # Escaped once here, not in every row's light (the rule is 500 characters).
            "rule": escape(RULE_TEXT),
            "plans": Plan.objects.live().defer(*PLAN_TEXTS),
            "domains": [(k, v) for k, v in DOMAIN_LABELS.items()],
            "filters": {"plan": plan, "status": status, "domain": domain, "as_of": as_of.isoformat()},
            "as_of_choices": as_of_choices(timezone.localdate()),
            "as_of": as_of,
        },
    )


def _with_links(rows) -> None:
    """Each row's indicator link and short plan title, worked out once per page and per plan: a
    ``{% url %}`` and a ``truncatechars`` in every one of hundreds of rows are a third of the page."""
    sample = reverse("indicator-detail", args=[0])
    assert sample.endswith("/0/"), sample  # indicators/<int:pk>/
    base = sample[: -len("0/")]
    titles: dict[int, str] = {}
    for r in rows:
        target = r["target"]
        r["detail_url"] = f"{base}{target.indicator_id}/"
        if target.plan_id not in titles:
            titles[target.plan_id] = Truncator(target.plan.title).chars(18)
        r["plan_title"] = titles[target.plan_id]


class ProfileForm(bounds.BoundedFormMixin, forms.ModelForm):
    class Meta:
        model = IndicatorProfile
        fields = [
            "kind",
            "frequency",
            "responsible",
            "district_breakdown",
            "baseline",
            "baseline_year",
            "min_value",
            "max_value",
            "grace_days",
            "domain",
        ]
        widgets = {"domain": forms.Select(choices=[("", "按名称判断")] + list(Domain.choices))}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = Organization.objects.filter(
            kind__in=[OrgKind.CITY, OrgKind.DISTRICT, OrgKind.PROVINCE, OrgKind.ENTERPRISE], is_active=True
        ).exclude(name__in=["各区政府", "市直职能部门"])

    def clean(self):
        data = super().clean()
        lo, hi = data.get("min_value"), data.get("max_value")
        if lo is not None and hi is not None and lo > hi:
            self.add_error("max_value", "合理上限不能小于合理下限。")
        return data


@member_required
def profile_edit(request, pk: int):
    indicator = get_object_or_404(Indicator, pk=pk)
    if not is_office(request.user):
        raise PermissionDenied("只有统筹办可以设置指标的报送方式。")
    profile = services.profile_of(indicator)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid() and not form.has_changed():
        messages.info(request, "报送设置未作修改。")
        return redirect("indicator-detail", indicator.pk)
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        obj._history_user = request.user
        obj.save()
        services._bump()
        messages.success(request, "报送设置已保存。")
        return redirect("indicator-detail", indicator.pk)
    return render(request, "indicators/profile_form.html", {"form": form, "indicator": indicator})


def _periods(profile: IndicatorProfile, today: dt.date, first_year: int, limit: int = 72) -> list[dt.date]:
    """Periods that can be reported, newest first: from the current one back to the plans' start."""
    out, end = [], period_end(today, profile.frequency)
    while end.year >= first_year and len(out) < limit:
        out.append(end)
        end = previous_period_end(end, profile.frequency)
    return out


@member_required
def report(request, pk: int):
    """Enter the values of a period: the city total and, for a breakdown, each district."""
    indicator = get_object_or_404(Indicator, pk=pk)
    profile = services.profile_of(indicator)
    user = request.user
    districts = district_orgs() if profile.district_breakdown else []
    rows = [(None, "全市合计")] + [(d, d.name.removesuffix("政府")) for d in districts]
    allowed = [(d, label) for d, label in rows if services.can_report(user, profile, d)]
    if not allowed:
        raise PermissionDenied("您所在单位不是该指标的报送单位。")
    today = timezone.localdate()
    first_year = min(
        (y for y in indicator.targets.live().values_list("plan__period_start", flat=True) if y),
        default=today.year - 2,
    )
    periods = _periods(profile, today, min(first_year, today.year - 1))
    # By default the period whose report is due now: the last one that has ended.
    due_now = periods[1] if len(periods) > 1 and periods[0] > today else periods[0]
    raw_period = request.POST.get("period") or request.GET.get("period") or due_now.isoformat()
    try:
        period = period_end(bounds.date(raw_period, "报告期"), profile.frequency)
    except (ValueError, bounds.OutOfBounds):
        period = periods[0]
    existing = {v.district_id: v for v in DataValue.objects.filter(indicator=indicator, period=period)}
    errors: dict = {}
    warnings: list[str] = []
    if request.method == "POST":
        submit = request.POST.get("action") != "draft"
        try:
            with transaction.atomic():
                saved = 0
                for d, label in allowed:
                    raw = request.POST.get(f"value_{d.pk if d else 'city'}", "").strip().replace(",", "")
                    if not raw:
                        continue
                    try:
                        value = bounds.decimal(raw, 24, 4, label)
                    except bounds.OutOfBounds as exc:
                        errors[label] = [str(exc)]
                        continue
                    if (
                        existing.get(d.pk if d else None)
                        and existing[d.pk if d else None].status == ValueStatus.APPROVED
                    ):
                        continue
                    key = d.pk if d else "city"
                    try:
                        _, warn = services.save_value(
                            user,
                            indicator,
                            period,
                            d,
                            value,
                            request.POST.get("note", ""),
                            submit,
                            version=request.POST.get(f"version_{key}", ""),
                        )
                        warnings += warn
                        saved += 1
                    except services.ReportError as exc:
                        errors[label] = exc.messages
                    except versions.Stale as exc:
                        errors[label] = [str(exc)]
                if errors:
                    raise services.ReportError("有错误，本期数据未保存。")
        except services.ReportError:
            pass
        else:
            if saved:
                messages.success(
                    request,
                    f"已{'提交' if submit else '保存'}{period_label(period, profile.frequency)}数据{saved}项。",
                )
            for w in warnings:
                messages.warning(request, w)
            return redirect(f"{request.path}?period={period.isoformat()}")
    return render(
        request,
        "indicators/report.html",
        {
            "indicator": indicator,
            "profile": profile,
            "period": period,
            "period_label": period_label(period, profile.frequency),
            "periods": [
                (p, period_label(p, profile.frequency), p < today - dt.timedelta(days=profile.grace_days))
                for p in periods
            ],
            "rows": [
                {
                    "key": d.pk if d else "city",
                    "label": label,
                    "value": existing.get(d.pk if d else None),
                    "posted": request.POST.get(f"value_{d.pk if d else 'city'}", "")
                    if request.method == "POST"
                    else "",
                    "errors": errors.get(label, []),
                }
                for d, label in allowed
            ],
            "due": profile.due_date(period),
            "has_errors": bool(errors),
            "note": request.POST.get("note", "") if request.method == "POST" else "",
        },
    )


@member_required
def review_values(request):
    if not is_office(request.user):
        raise PermissionDenied("只有统筹办可以审核指标数据。")
    values = (
        DataValue.objects.filter(status=ValueStatus.SUBMITTED)
        .select_related("indicator", "district", "reporting_org", "reported_by", "indicator__profile")
        .order_by("indicator__name", "period", "district_id")
    )
    return render(request, "indicators/review.html", {"values": values[:500], "count": values.count()})


@require_POST
@member_required
def decide_value(request, pk: int):
    dv = get_object_or_404(DataValue, pk=pk)
    try:
        if request.POST.get("decision") == "approve":
            services.approve(request.user, dv)
            messages.success(request, f"已审核通过：{dv.indicator.name} {dv.period}。")
        else:
            services.return_value(request.user, dv, request.POST.get("comment", ""))
            messages.success(request, f"已退回：{dv.indicator.name} {dv.period}。")
    except services.ReportError as exc:
        if not is_office(request.user):
            raise PermissionDenied(str(exc)) from exc
        for m in exc.messages:
            messages.error(request, m)
    return redirect(request.POST.get("next") or "value-review")


def _contributions(indicator: Indicator, user) -> list[dict]:
    """What the admitted projects the user can see add to this indicator, by construction stage."""
    from django.db.models import Count, Sum

    from newinfra.projects.models import ProjectContribution, Stage, Status
    from newinfra.projects.permissions import visible_projects

    rows = (
        ProjectContribution.objects.filter(
            indicator=indicator,
            is_active=True,
            project__in=visible_projects(user).filter(status=Status.ADMITTED).values("pk"),
        )
        .values("project__stage")
        .annotate(n=Count("project", distinct=True), amount=Sum("amount"))
    )
    labels = dict(Stage.choices)
    return [{"stage": labels.get(r["project__stage"], "—"), "n": r["n"], "amount": r["amount"]} for r in rows]


def indicator_context(indicator: Indicator, as_of: dt.date, user) -> dict:
    """What the indicator page adds: lights of its targets, values by period and district, chart data."""
    from newinfra.plans.models import Target

    profile = getattr(indicator, "profile", None)
    targets = Target.objects.live().filter(indicator=indicator)
    rows = [row_dict(r) for r in attainment_rows(targets=targets, as_of=as_of, use_cache=False)]
    # Who reported what and when is the government's internal work: an enterprise reads the
    # approved figures only, without drafts, returned values, overdue periods or their history.
    internal = may_open(user, "monitor")
    values = DataValue.objects.filter(indicator=indicator)
    if not internal:
        values = values.filter(status=ValueStatus.APPROVED)
        for r in rows:
            r["overdue"] = []
    values = list(values.select_related("district").order_by("period", "district_id"))
    periods = sorted({v.period for v in values})
    districts = district_orgs() if profile and profile.district_breakdown else []
    grid = {(v.period, v.district_id): v for v in values}
    table = [
        {
            "period": p,
            "label": period_label(p, profile.frequency if profile else Frequency.QUARTER),
            "city": grid.get((p, None)),
            "districts": [grid.get((p, d.pk)) for d in districts],
        }
        for p in periods
    ]
    approved = [
        (v.period, float(v.value))
        for v in values
        if v.district_id is None and v.status == ValueStatus.APPROVED
    ]
    chart = {
        "periods": [p.isoformat() for p in periods],
        "series": [{"name": "全市（已审核）", "data": [[p.isoformat(), val] for p, val in approved]}],
        "districts": [
            {
                "name": d.name.removesuffix("政府"),
                "data": [
                    [p.isoformat(), float(grid[(p, d.pk)].value)]
                    for p in periods
                    if (p, d.pk) in grid and grid[(p, d.pk)].status == ValueStatus.APPROVED
                ],
            }
            for d in districts
        ],
        "targets": [
            {
                "name": f"目标 {r['target'].display_value}（{r['target'].plan.title[:10]}…）",
                "value": float(r["target"].value),
                "deadline": f"{r['target'].year or r['target'].plan.period_end or as_of.year}-12-31",
                "forecast": r["a"].forecast,
            }
            for r in rows
        ],
        "unit": indicator.unit,
    }
    return {
        "contributions": _contributions(indicator, user),
        "rows": rows,
        "profile": profile,
        "table": table,
        "districts": districts,
        "chart": chart,
        "rule": RULE_TEXT,
        "can_report": bool(profile)
        and any(services.can_report(user, profile, d) for d in [None, *districts]),
        "can_configure": is_office(user),
        "internal": internal,
        "value_changes": history.changes(
            DataValue.history.filter(indicator_id=indicator.pk),
            limit=20,
            describe=lambda r: f"{r.period} {'全市' if r.district_id is None else '分区'}",
        )
        if internal
        else [],
    }


@member_required
def value_template(request):
    from urllib.parse import quote

    from django.http import HttpResponse

    from . import excel

    response = HttpResponse(
        excel.template(request.user),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('指标数据报送模板.xlsx')}"
    return response


@member_required
def value_import(request):
    """Upload values by the template: preview with every row's errors, then commit all-or-nothing."""
    from newinfra.utilities import imports

    from . import excel

    context = {}
    if request.method == "POST":
        response, extra = imports.handle(
            request,
            "values",
            lambda data, commit, meta: excel.run_import(data, request.user, commit),
            ImportFileError,
            "value-import",
            lambda result: "monitor",
        )
        if response:
            return response
        context.update(extra)
    return render(request, "indicators/import.html", context)


@member_required
def indicator_detail(request, pk: int):
    indicator = get_object_or_404(indicators_with_targets(), pk=pk)
    as_of = as_of_from(request)
    context = indicator_context(indicator, as_of, request.user)
    if request.GET.get("export") == "xlsx":
        header = ["报告期", "全市"] + [d.name.removesuffix("政府") for d in context["districts"]]
        rows = [
            [r["label"], _value_cell(r["city"])] + [_value_cell(v) for v in r["districts"]]
            for r in context["table"]
        ]
        return xlsx_response(
            f"{indicator.name}.xlsx",
            indicator.name[:28],
            header,
            rows,
            [16] + [12] * (len(header) - 1),
            request.script,
        )
    target_history = Target.history.filter(indicator_id=indicator.pk)
    return render(
        request,
        "indicators/indicator_detail.html",
        {
            "indicator": indicator,
            "changes": history.changes(
                target_history, limit=100, describe=lambda r: f"{r.indicator_as_written}（{r.text[:40]}）"
            ),
            "option": indicator_lines(context["chart"]),
            "as_of": as_of,
            "as_of_choices": as_of_choices(timezone.localdate()),
            **context,
        },
    )


def _value_cell(v):
    if v is None:
        return ""
    return float(v.value) if v.status == "approved" else f"{plain(v.value, 4)}（{v.get_status_display()}）"
