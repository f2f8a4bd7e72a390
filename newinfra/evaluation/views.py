"""Phase evaluations: freeze at a date, read the frozen result, export it as .xlsx and .docx."""

from __future__ import annotations

import json
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from newinfra.indicators.attainment import STATUS_LABELS
from newinfra.orgs.permissions import is_office, member_required
from newinfra.utilities import bounds, history
from newinfra.utilities.widgets import IsoDateInput

from . import exports, services
from .models import Evaluation, Phase
from .services import freeze

PHASE_DATES = {Phase.IMPLEMENTATION: "2020-12-31", Phase.MIDTERM: "2021-12-31", Phase.SUMMARY: "2022-12-31"}


class FreezeForm(bounds.BoundedFormMixin, forms.Form):
    name = forms.CharField(label="名称", max_length=200)
    phase = forms.ChoiceField(
        label="阶段",
        choices=Phase.choices,
        # freeze.js moves the 基准日 (and a default name) with the phase chosen.
        widget=forms.Select(
            attrs={"data-dates": json.dumps(PHASE_DATES), "data-names": json.dumps(dict(Phase.choices))}
        ),
    )
    as_of = forms.DateField(label="评估基准日", widget=IsoDateInput())

    def clean(self):
        data = super().clean()
        phase, as_of = data.get("phase"), data.get("as_of")
        expected = PHASE_DATES.get(phase)
        if expected and as_of and as_of.isoformat() != expected and as_of.isoformat() in PHASE_DATES.values():
            # Another phase's date left in place when the phase was changed: a wrong freeze.
            self.add_error(
                "as_of",
                f"{Phase(phase).label}的评估基准日为{expected}，当前填写的是其他阶段的基准日；"
                "如确需其他日期，请将阶段选为“其他”。",
            )
        return data


@member_required
def evaluation_list(request):
    form = FreezeForm(
        request.POST or None,
        initial={"phase": Phase.MIDTERM, "as_of": PHASE_DATES[Phase.MIDTERM], "name": "中期评估"},
    )
    if request.method == "POST":
        if not is_office(request.user):
            raise PermissionDenied("只有统筹办可以冻结评估。")
        if form.is_valid():
            ev = freeze(
                request.user,
                form.cleaned_data["name"],
                form.cleaned_data["phase"],
                form.cleaned_data["as_of"],
            )
            messages.success(request, f"“{ev.name}”已冻结：此后数据的变化不会改变本次评估结果。")
            return redirect("evaluation-detail", ev.pk)
    return render(
        request,
        "evaluation/list.html",
        {
            "evaluations": Evaluation.objects.filter(is_active=True, voided_at__isnull=True).select_related(
                "frozen_by"
            ),
            "voided": Evaluation.objects.filter(is_active=True, voided_at__isnull=False).select_related(
                "frozen_by", "voided_by"
            ),
            "form": form,
            "can_freeze": is_office(request.user),
            "phase_dates": PHASE_DATES,
        },
    )


@member_required
def evaluation_detail(request, pk: int):
    ev = get_object_or_404(Evaluation, pk=pk, is_active=True)
    fmt = request.GET.get("format")
    if fmt in ("xlsx", "docx"):
        data = exports.to_xlsx(ev) if fmt == "xlsx" else exports.to_docx(ev)
        ctype = (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            if fmt == "xlsx"
            else "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        response = HttpResponse(data, content_type=ctype)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(ev.name)}.{fmt}"
        return response
    snap = ev.snapshot
    return render(
        request,
        "evaluation/detail.html",
        {
            "ev": ev,
            "snap": snap,
            "labels": STATUS_LABELS,
            "can_void": is_office(request.user) and not ev.is_voided,
            "changes": history.changes(ev.history.all()),
        },
    )


@require_POST
@member_required
def evaluation_void(request, pk: int):
    ev = get_object_or_404(Evaluation, pk=pk, is_active=True)
    if not is_office(request.user):
        raise PermissionDenied("只有统筹办可以作废评估。")
    try:
        services.void(request.user, ev, request.POST.get("reason", ""))
    except services.EvaluationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    else:
        messages.success(request, f"“{ev.name}”已作废：不再列入评估列表，原结果和作废原因保留可查。")
    return redirect("evaluation-detail", ev.pk)
