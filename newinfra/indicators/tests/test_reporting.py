"""Reporting values: who may, the rules a value must meet, approval, and what the lights then say."""

from decimal import Decimal as D

import pytest
from rest_framework.test import APIClient

from newinfra.indicators import queries, services
from newinfra.indicators.models import DataValue, IndicatorProfile, Kind, ValueStatus, previous_period_end
from newinfra.indicators.queries import attainment_rows, district_orgs
from newinfra.projects.tests.helpers import client_for, user
from newinfra.supervision.models import Notice

from .helpers import last_due_period, live_target

pytestmark = pytest.mark.django_db


def light(target):
    return attainment_rows(targets=type(target).objects.filter(pk=target.pk), use_cache=False)[0]


def test_an_unreported_due_period_is_red_and_an_approved_value_turns_it_green():
    target = live_target()
    due = last_due_period()
    row = light(target)
    assert row.attainment.status == "red" and due in row.overdue
    for month in sorted(row.overdue):
        services.save_value(user("gongxin"), target.indicator, month, None, D(100))
    assert light(target).attainment.status == "grey"  # submitted, not yet approved: not overdue, no data
    for dv in DataValue.objects.filter(indicator=target.indicator, status=ValueStatus.SUBMITTED):
        services.approve(user("office"), dv)
    row = light(target)
    assert row.attainment.status == "green" and row.attainment.met and not row.overdue


def test_only_the_reporting_unit_reports_and_only_the_office_approves():
    target = live_target()
    due = last_due_period()
    for name in ("tianhe", "mobile", "leader"):
        with pytest.raises(services.ReportError):
            services.save_value(user(name), target.indicator, due, None, D(1))
        response = client_for(name).get(f"/indicators/{target.indicator_id}/report/")
        assert response.status_code == 403
        api = APIClient()
        api.force_authenticate(user(name))
        r = api.post(
            "/api/data-values/",
            {"indicator": target.indicator_id, "period": due.isoformat(), "value": "1"},
            format="json",
        )
        assert r.status_code == 403, r.content.decode()
    dv, _ = services.save_value(user("gongxin"), target.indicator, due, None, D(5))
    with pytest.raises(services.ReportError):
        services.approve(user("gongxin"), dv)
    api = APIClient()
    api.force_authenticate(user("gongxin"))
    assert api.post(f"/api/data-values/{dv.pk}/approve/").status_code == 403


def test_a_cumulative_count_never_decreases():
    target = live_target()
    due = last_due_period()
    before = previous_period_end(due, "month")
    services.save_value(user("gongxin"), target.indicator, before, None, D(40))
    with pytest.raises(services.ReportError) as info:
        services.save_value(user("gongxin"), target.indicator, due, None, D(30))
    assert "累计数不能减少" in str(info.value)
    html = (
        client_for("gongxin")
        .post(
            f"/indicators/{target.indicator_id}/report/",
            {"period": due.isoformat(), "value_city": "30", "action": "submit"},
        )
        .content.decode()
    )
    assert "累计数不能减少" in html and "本期数据未保存" in html
    assert not DataValue.objects.filter(indicator=target.indicator, period=due).exists()


def test_a_ratio_outside_its_bounds_is_refused_and_a_ceiling_target_is_met_by_going_down():
    target = live_target(
        "测试数据中心PUE",
        value=D("1.3"),
        comparator="<",
        kind=Kind.RATIO,
        min_value=D("1.0"),
        max_value=D("3.0"),
    )
    due = last_due_period()
    with pytest.raises(services.ReportError, match="低于合理下限"):
        services.save_value(user("gongxin"), target.indicator, due, None, D("0.8"))
    IndicatorProfile.objects.filter(indicator=target.indicator).update(baseline=D("1.6"))
    dv, _ = services.save_value(user("gongxin"), target.indicator, due, None, D("1.25"))
    services.approve(user("office"), dv)
    assert light(target).attainment.met


def test_a_district_breakdown_must_add_up_to_the_city_total_and_a_district_reports_its_own_row():
    target = live_target("测试5G基站", value=1000, breakdown=True)
    due = last_due_period()
    districts = district_orgs()
    tianhe = next(d for d in districts if d.name == "天河区政府")
    yuexiu = next(d for d in districts if d.name == "越秀区政府")
    with pytest.raises(services.ReportError):
        services.save_value(user("tianhe"), target.indicator, due, yuexiu, D(10))  # not its district
    services.save_value(user("gongxin"), target.indicator, due, None, D(110))
    for d in districts:
        if d != tianhe:
            services.save_value(user("gongxin"), target.indicator, due, d, D(10))
    _, warnings = services.save_value(user("tianhe"), target.indicator, due, tianhe, D(20))
    assert any("不一致" in w for w in warnings)  # 10 × 10 + 20 = 120 ≠ 110
    _, warnings = services.save_value(user("tianhe"), target.indicator, due, tianhe, D(10))
    assert warnings == []


def test_a_returned_value_tells_the_reporter_why():
    target = live_target()
    dv, _ = services.save_value(user("gongxin"), target.indicator, last_due_period(), None, D(7))
    with pytest.raises(services.ReportError, match="意见"):
        services.return_value(user("office"), dv, "")
    services.return_value(user("office"), dv, "口径有误，请按新口径重报")
    notice = Notice.objects.filter(organization__name="市工业和信息化局").first()
    assert "退回" in notice.title and "口径有误" in notice.body
    assert (
        "口径有误"
        in client_for("gongxin")
        .get(f"/indicators/{target.indicator_id}/report/?period={dv.period}")
        .content.decode()
    )
    assert dv.history.count() == 2


def test_future_periods_are_refused():
    import datetime as dt

    target = live_target()
    with pytest.raises(services.ReportError, match="未来"):
        services.save_value(user("gongxin"), target.indicator, dt.date(2099, 1, 31), None, D(1))


def test_attainment_api_and_monitor_page_agree():
    api = APIClient()
    api.force_authenticate(user("leader"))
    body = api.get("/api/attainment/?as_of=2021-06-30").json()
    page = client_for("leader").get("/monitor/?as_of=2021-06-30").context["rows"]
    assert len(body) == len(page) > 50
    assert [b["status"] for b in body] == [r["status"] for r in page]
    assert {b["status"] for b in body} >= {"green", "red"}


def test_the_service_radius_target_takes_its_status_from_the_maps_coverage():
    from newinfra.plans.models import Target

    target = Target.objects.filter(indicator__name__contains="服务半径", is_active=True).first()
    row = attainment_rows(targets=Target.objects.filter(pk=target.pk), use_cache=False)[0]
    assert row.profile.kind == Kind.RADIUS
    assert row.points, "the demo coverage analysis is the indicator's value"
    share = row.points[-1][1]
    assert row.attainment.current == share
    assert row.attainment.met == (share >= queries.RADIUS_MET_SHARE)


def test_the_map_colours_districts_by_a_broken_down_indicator():
    from newinfra.geo import measures
    from newinfra.plans.models import Indicator

    ind = Indicator.objects.get(name="5G基站")
    measure = measures.get(user("leader"), f"indicator:{ind.pk}:value")
    values = measure.values(user("leader"), {})
    latest = (
        DataValue.objects.filter(indicator=ind, district__isnull=True, status="approved")
        .order_by("-period")
        .first()
    )
    assert len(values) == 11 and sum(values.values()) == pytest.approx(float(latest.value))
    assert client_for("leader").get(f"/map/?measure=indicator:{ind.pk}:value").status_code == 200


def test_values_by_excel_are_checked_like_the_form_and_imported_all_or_nothing():
    import io

    from openpyxl import Workbook, load_workbook

    from newinfra.indicators import excel

    target = live_target("测试Excel充电站", value=100, breakdown=True)
    template = load_workbook(io.BytesIO(client_for("gongxin").get("/monitor/template.xlsx").content)).active
    listed = [r for r in template.iter_rows(min_row=2, values_only=True) if r[0] == "测试Excel充电站"]
    assert len(listed) == 12  # the city and 11 districts
    due = last_due_period()
    before = previous_period_end(due, "month")

    def book(rows):
        wb = Workbook()
        ws = wb.active
        ws.append([label for _, label, _ in excel.COLUMNS])
        for r in rows:
            ws.append(r)
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()

    bad = book(
        [
            ["测试Excel充电站", before, "全市", 50, "座", ""],
            ["测试Excel充电站", due, "全市", 40, "座", ""],  # decreases
            ["不存在的指标", due, "全市", 1, "", ""],
            ["测试Excel充电站", due, "浦东新区", 1, "", ""],
        ]
    )
    result = excel.run_import(bad, user("gongxin"), commit=True)
    assert {row for row, _ in result.errors} == {3, 4, 5} and not result.ok
    assert not DataValue.objects.filter(indicator=target.indicator).exists()
    good = book(
        [["测试Excel充电站", due, "全市", 60, "座", ""], ["测试Excel充电站", before, "全市", 50, "座", ""]]
    )
    assert excel.run_import(good, user("gongxin"), commit=False).ok
    assert not DataValue.objects.filter(indicator=target.indicator).exists()  # preview wrote nothing
    result = excel.run_import(good, user("gongxin"), commit=True)
    assert result.ok and result.created == 2
    assert excel.run_import(good, user("gongxin"), commit=True).unchanged == 2
    assert excel.run_import(good, user("tianhe"), commit=True).errors  # not its indicator
