"""Indicator values by Excel: a template of what the user reports, and an all-or-nothing upload.

Rows are applied in order of indicator, scope and period through the same rules as the form
(``services.save_value``), inside one transaction that is rolled back when any row fails — and
always for a preview — so an upload is checked against the database and against its own rows.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from newinfra.plans.models import Indicator
from newinfra.utilities import cells
from newinfra.utilities.figures import plain
from newinfra.utilities.workbooks import (
    ImportResult,
    append_row,
    dropdown,
    read_table,
    template_workbook,
    to_bytes,
)

from . import services
from .models import IndicatorProfile, period_end, period_label, previous_period_end
from .queries import district_orgs

COLUMNS = [
    ("indicator", "指标", 30),
    ("period", "报告期（期末日）", 16),
    ("scope", "范围", 12),
    ("value", "数值", 14),
    ("unit", "单位（仅供参考）", 10),
    ("note", "说明", 30),
]
CITY = "全市"


def template(user) -> bytes:
    wb, ws = template_workbook(COLUMNS, "指标数据")
    today = timezone.localdate()
    districts = district_orgs()
    for profile in IndicatorProfile.objects.select_related("indicator").order_by("indicator__name"):
        scopes = [(None, CITY)] + (
            [(d, d.name.removesuffix("政府")) for d in districts] if profile.district_breakdown else []
        )
        mine = [label for d, label in scopes if services.can_report(user, profile, d)]
        if not mine:
            continue
        end = previous_period_end(
            period_end(today, profile.frequency), profile.frequency
        )  # the period to report now
        for label in mine:
            append_row(ws, [profile.indicator.name, end, label, None, profile.indicator.unit, ""])
    for row in ws.iter_rows(min_row=2, min_col=2, max_col=2):
        row[0].number_format = "yyyy-mm-dd"
    dropdown(wb, ws, COLUMNS, "scope", [CITY] + [d.name.removesuffix("政府") for d in districts])
    return to_bytes(wb)


def run_import(data: bytes, user, commit: bool) -> ImportResult:
    rows = read_table(data, COLUMNS, "指标数据", optional=("unit", "note"))
    result = ImportResult("values", rows=len(rows))
    indicators = {i.name: i for i in Indicator.objects.all()}
    districts = {d.name.removesuffix("政府"): d for d in district_orgs()} | {
        d.name: d for d in district_orgs()
    }
    parsed = []
    for r in rows:
        errs: list[str] = []
        name = cells.text(r.get("indicator"))
        indicator = indicators.get(name)
        if indicator is None:
            errs.append(f"指标“{name}”不在指标库中" if name else "指标不能为空")
        day = cells.date(r.get("period"), "报告期", errs)
        if day is None and not any(e.startswith("报告期") for e in errs):
            errs.append("报告期不能为空")
        scope = cells.text(r.get("scope")) or CITY
        district = None if scope == CITY else districts.get(scope)
        if scope != CITY and district is None:
            errs.append(f"范围“{scope}”应为“全市”或广州市的区")
        value = cells.number(r.get("value"), "数值", errs, places=4, negative_ok=False)
        for e in errs:
            result.errors.append((r["_row"], e))
        if not errs:
            parsed.append((r["_row"], indicator, day, district, value, cells.text(r.get("note"))))
    # Rows that read well are still checked against the data, so that every bad row is named at once.
    parsed.sort(key=lambda p: (p[1].pk, p[3].pk if p[3] else 0, p[2]))
    with transaction.atomic():
        for row, indicator, day, district, value, note in parsed:
            profile = services.profile_of(indicator)
            if not services.can_report(user, profile, district):
                result.errors.append(
                    (
                        row,
                        f"您所在单位不是“{indicator.name}”（{district.name if district else CITY}）的报送单位",
                    )
                )
                continue
            try:
                before = indicator.data_values.filter(
                    period=period_end(day, profile.frequency), district=district
                ).first()
                if before and before.value == value and before.status in services.REPORTED:
                    result.unchanged += 1
                    continue
                services.save_value(user, indicator, day, district, value, note)
                result.created += before is None
                result.updated += before is not None
            except services.ReportError as exc:
                for m in exc.messages:
                    result.errors.append((row, m.rstrip("。")))
            if len(result.preview) < 50:
                result.preview.append(
                    {
                        "row": row,
                        "code": indicator.name,
                        "name": district.name if district else CITY,
                        "action": f"{period_label(period_end(day, profile.frequency), profile.frequency)}：{plain(value)}",
                    }
                )
        if result.errors or not commit:
            transaction.set_rollback(True)
    result.errors.sort()
    return result
