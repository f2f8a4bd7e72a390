"""The pages from the outside: who sees what, filters, exports, the Traditional interface."""

import io
from urllib.parse import unquote

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from newinfra.orgs.models import Organization
from newinfra.plans.models import Indicator, Plan, Task

pytestmark = pytest.mark.django_db
ROLES = ["admin", "office", "gongxin", "tianhe", "mobile", "leader"]


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def page_urls() -> list[str]:
    task = Task.objects.filter(is_active=True).order_by("pk").first()
    return [
        "/",
        "/plans/",
        f"/plans/{Plan.objects.first().pk}/",
        "/ledger/",
        "/ledger/?unit=天河区政府&role=co",
        f"/tasks/{task.pk}/",
        "/my-tasks/",
        "/targets/",
        f"/indicators/{Indicator.objects.get(name='5G基站').pk}/",
        "/orgs/",
        f"/orgs/{Organization.objects.get(name='天河区政府').pk}/",
        "/api/docs/",
        "/dashboard/",
        "/dashboard/?as_of=2021-06-30",
        f"/dashboard/plans/{Plan.objects.first().pk}/",
        f"/dashboard/units/{Organization.objects.get(name='天河区政府').pk}/",
        "/monitor/",
        "/supervision/",
        "/notices/",
        "/evaluations/",
        "/projects/",
        "/map/",
    ]


def test_pages_need_a_login():
    for url in page_urls():
        response = Client().get(url)
        assert response.status_code in (302, 403) and (
            response.status_code == 403 or "/login/" in response["Location"]
        )


@pytest.mark.parametrize("username", ROLES)
def test_every_page_renders_for_every_role_that_may_open_it(username):
    """Which role opens which page is orgs/tests/test_access_matrix; here: they render, with no CDN."""
    from urllib.parse import urlsplit

    from django.urls import resolve

    from newinfra.orgs.permissions import may_open, url_key

    client = client_for(username)
    user = get_user_model().objects.get(username=username)
    for url in page_urls():
        match = resolve(urlsplit(url).path)
        response = client.get(url)
        if not may_open(user, url_key(match), "GET", match.kwargs):
            assert response.status_code == 403, (username, url)
            continue
        assert response.status_code == 200, (username, url)
        assert "https://" not in response.content.decode().replace("https://github.com", ""), url


def test_a_user_without_an_organisation_is_refused():
    get_user_model().objects.create_user("nobody", password="x-very-long-pass")
    client = Client()
    client.login(username="nobody", password="x-very-long-pass")
    assert client.get("/ledger/").status_code == 403


def test_ledger_filters_by_unit_and_role():
    client = client_for("leader")
    all_rows = client.get("/ledger/").context["page"].paginator.count
    assert all_rows == 60
    # A unit's ledger includes the tasks it has as one of 各区政府, unless the box is unticked.
    tianhe = client.get("/ledger/", {"unit": "天河区政府"}).context["page"].paginator.count
    collective = Task.objects.filter(
        responsibilities__organization__name__in=["天河区政府", "各区政府"], is_active=True
    )
    assert tianhe == collective.distinct().count() == 36
    named = client.get("/ledger/", {"unit": "天河区政府", "include_collective": ["0"]})
    assert named.context["page"].paginator.count == 0 and not named.context["include_collective"]
    ticked = client.get("/ledger/", {"unit": "天河区政府", "include_collective": ["0", "1"]})
    assert ticked.context["page"].paginator.count == 36
    lead = client.get("/ledger/", {"unit": "市工业和信息化局", "role": "lead"}).context["page"]
    assert [t.number for t in lead.object_list] == ["4"]
    text = client.get("/ledger/", {"q": "充电"}).context["page"].object_list
    assert text and all("充电" in t.title + t.text for t in text)
    unknown = client.get("/ledger/", {"unit": "火星区政府"})
    assert unknown.context["page"].paginator.count == 0 and "未找到单位" in unknown.content.decode()


def test_ledger_filter_accepts_traditional_input():
    client = client_for("leader")
    simplified = client.get("/ledger/", {"q": "智慧灯杆"}).context["page"].paginator.count
    assert (
        simplified and client.get("/ledger/", {"q": "智慧燈桿"}).context["page"].paginator.count == simplified
    )


def test_ledger_export_is_the_filtered_ledger():
    client = client_for("leader")
    response = client.get("/ledger/", {"unit": "越秀区政府", "export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == "新型基础设施建设任务分工台账"
    today = timezone.localdate()
    assert ws["A2"].value == f"截至{today.year}年{today.month}月{today.day}日　　制表单位：市发展改革委"
    header = [c.value for c in ws[3]]
    assert header == [
        "序号", "规划", "任务序号", "任务", "主要内容", "牵头单位", "配合单位",
        "量化指标", "完成时限", "完成日期", "状态", "进展情况", "进展日期",
    ]  # fmt: skip
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    units = ["越秀区政府", "各区政府"]
    assert len(rows) == Task.objects.filter(responsibilities__organization__name__in=units).distinct().count()
    assert all(any(u in (r[5] or "") + (r[6] or "") for u in units) for r in rows)
    assert ws.freeze_panes == "A4"
    assert {c.font.name for row in ws.iter_rows() for c in row if c.value is not None} == {"宋体"}
    assert "全部规划任务分工台账" in unquote(response["Content-Disposition"])
    assert today.strftime("%Y%m%d") in unquote(response["Content-Disposition"])


def test_the_ledger_export_carries_each_tasks_status_and_latest_progress():
    from newinfra.supervision.models import ProgressReport

    plan = ProgressReport.objects.select_related("task__plan").first().task.plan
    response = client_for("leader").get("/ledger/", {"plan": plan.pk, "export": "xlsx"})
    assert f"{plan.title}任务分工台账" in unquote(response["Content-Disposition"])
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == f"{plan.title}任务分工台账"
    rows = {r[2]: r for r in ws.iter_rows(min_row=4, values_only=True)}
    latest = (
        ProgressReport.objects.filter(task__plan=plan)
        .order_by("task_id", "-period", "-posted_at")
        .select_related("task")
    )
    seen = set()
    for report in latest:
        if report.task_id in seen:
            continue
        seen.add(report.task_id)
        row = rows[report.task.number]
        assert row[11] == report.text and row[12] == timezone.localtime(report.posted_at).date().isoformat()
    assert seen and all(r[10] for r in rows.values())  # every task has a status


@pytest.mark.parametrize("url", ["/targets/?export=xlsx", "/orgs/?export=xlsx"])
def test_every_list_exports(url):
    response = client_for("leader").get(url)
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.max_row > 10


def test_traditional_interface_is_complete():
    client = client_for("leader")
    client.get("/script/hant/?next=/ledger/")
    html = client.get("/ledger/").content.decode()
    assert "任務分工臺賬" in html or "任務分工台賬" in html
    assert "任务" not in html  # nothing left in Simplified
    xlsx = client.get("/ledger/?export=xlsx")
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert ws["D3"].value == "任務"
    client.get("/script/hans/?next=/")
    assert "任务分工台账" in client.get("/ledger/").content.decode()


def test_script_switch_refuses_foreign_redirects():
    response = client_for("leader").get("/script/hant/?next=https://example.com/")
    assert response["Location"] == "/"


def other_task():
    return (
        Task.objects.exclude(responsibilities__organization__name__in=["天河区政府", "各区政府"])
        .filter(is_active=True)
        .order_by("pk")
        .first()
    )


def test_a_district_user_reads_but_cannot_change_another_units_task_page():
    client = client_for("tianhe")
    task = other_task()
    page = client.get(f"/tasks/{task.pk}/")
    assert page.status_code == 200 and 'name="progress_note"' not in page.content.decode()
    assert client.post(f"/tasks/{task.pk}/progress/", {"progress_note": "改"}).status_code == 403
    task.refresh_from_db()
    assert task.progress_note == ""


# Every role × the page write (progress on an own task, on another unit's task).
PAGE_ALLOWED = {
    "admin": (True, True),
    "office": (True, True),
    "gongxin": (True, False),
    "tianhe": (False, False),
    "mobile": (False, False),
    "leader": (False, False),
}


@pytest.mark.parametrize("username", PAGE_ALLOWED)
def test_permission_matrix_pages(username):
    client = client_for(username)
    own = (
        Task.objects.filter(responsibilities__organization__name="市工业和信息化局", is_active=True)
        .exclude(responsibilities__organization__name="各区政府")
        .order_by("pk")
        .first()
    )
    other = (
        Task.objects.exclude(responsibilities__organization__name="市工业和信息化局")
        .filter(is_active=True)
        .order_by("pk")
        .first()
    )
    for task, allowed in zip((own, other), PAGE_ALLOWED[username], strict=True):
        response = client.post(f"/tasks/{task.pk}/progress/", {"progress_note": f"{username} 报送"})
        assert (response.status_code == 302) == allowed, (username, task.number, response.status_code)
        task.refresh_from_db()
        assert (task.progress_note == f"{username} 报送") == allowed


def test_progress_is_kept_in_the_history_shown_on_the_task_page():
    client = client_for("gongxin")
    task = (
        Task.objects.filter(responsibilities__organization__name="市工业和信息化局", is_active=True)
        .order_by("pk")
        .first()
    )
    client.post(f"/tasks/{task.pk}/progress/", {"progress_note": "第一次报送"})
    client.post(f"/tasks/{task.pk}/progress/", {"progress_note": "第二次报送"})
    html = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "第一次报送" in html and "第二次报送" in html and "gongxin" in html


def test_my_tasks_include_the_tasks_of_all_district_governments():
    """Both plans give district work to 各区政府: every district answers for it."""
    response = client_for("tianhe").get("/my-tasks/")
    expected = Task.objects.filter(
        responsibilities__organization__name__in=["天河区政府", "各区政府"]
    ).distinct()
    assert response.context["page"].paginator.count == expected.count() == 36
    assert "集体" in response.content.decode()
    yuexiu = client_for("yuexiu").get("/my-tasks/").context["page"].paginator.count
    assert yuexiu == 38  # 36 through 各区政府, and tasks 1 and 2 of the first plan by name


@pytest.mark.parametrize("username", ["tianhe", "yuexiu", "gongxin"])
def test_the_homes_own_task_count_is_the_count_of_my_tasks(username):
    """The tile counts what 我的任务 lists: a district's tasks through 各区政府 too."""
    client = client_for(username)
    listed = client.get("/my-tasks/").context["page"].paginator.count
    assert listed > 0
    html = client.get("/").content.decode()
    assert f'<span class="tile-num">{listed}</span><span>项本单位任务</span>' in html


def test_a_district_can_report_on_a_task_of_all_district_governments():
    task = (
        Task.objects.filter(responsibilities__organization__name="各区政府", is_active=True)
        .order_by("pk")
        .first()
    )
    assert (
        client_for("tianhe").post(f"/tasks/{task.pk}/progress/", {"progress_note": "天河已部署"}).status_code
        == 302
    )
    task.refresh_from_db()
    assert task.progress_note == "天河已部署"


def test_home_shows_the_cross_plan_conflicts():
    html = client_for("office").get("/").content.decode()
    assert "口径不一致" in html and "5G基站" in html and "充电桩" in html


def test_the_leaders_home_is_the_city_overview():
    response = client_for("leader").get("/")
    assert response.status_code == 200 and "新基建总览" in response.content.decode()
    assert 'id="todos"' not in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/ledger/", "/ledger/?unit=市工业和信息化局", "/my-tasks/", "/targets/", "/"]
)
def test_pages_use_a_bounded_number_of_queries(url, django_assert_max_num_queries):
    """A guard against N+1 queries: the count must not grow with the number of rows shown."""
    client = client_for("tianhe")
    client.get(url)
    # The home computes the unit's to-dos; that they stay constant is tested in test_todos.
    with django_assert_max_num_queries(32 if url == "/" else 24):
        assert client.get(url).status_code == 200


def test_only_the_programme_office_uploads_plans():
    assert client_for("tianhe").get("/plans/upload/").status_code == 403
    assert client_for("leader").post("/plans/upload/").status_code == 403
    assert client_for("office").get("/plans/upload/").status_code == 200


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("broken.docx", b"PK\x03\x04 not a zip", "Word文件已损坏"),
        ("old.doc", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "另存为.docx"),
        ("empty.txt", b"", "文件是空的"),
        ("notes.txt", "这是一段说明文字。".encode(), "未识别出编号的任务条目"),
        ("garbled.txt", bytes([0x81, 0xFF, 0xFE, 0x80] * 50), "文字编码"),
    ],
)
def test_a_broken_plan_file_gets_a_chinese_message_and_changes_nothing(name, data, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    counts = (Plan.objects.count(), Task.objects.count(), Organization.objects.count())
    response = client_for("office").post("/plans/upload/", {"document": SimpleUploadedFile(name, data)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (Plan.objects.count(), Task.objects.count(), Organization.objects.count()) == counts


def test_uploading_a_plan_loads_it_and_again_changes_nothing():
    from pathlib import Path

    from django.core.files.uploadedfile import SimpleUploadedFile

    seed = Path(__file__).resolve().parents[3] / "tests" / "data" / "seeds" / "004_95f77615fa3aaf4e.txt"
    client = client_for("office")
    response = client.post(
        "/plans/upload/", {"document": SimpleUploadedFile(seed.name, seed.read_bytes())}, follow=True
    )
    assert "未作改动" in response.content.decode()
    revised = seed.read_text(encoding="utf-8").replace("累计建成5G基站8万座", "累计建成5G基站9万座")
    response = client.post(
        "/plans/upload/", {"document": SimpleUploadedFile(seed.name, revised.encode())}, follow=True
    )
    html = response.content.decode()
    # a revised file of a published plan is a revision waiting to be published: listed, not applied
    assert (
        "修订稿" in html and '<span class="old">8万</span>' in html and '<span class="new">9万</span>' in html
    )
    assert Plan.objects.filter(is_active=True).count() == 2
    assert Plan.objects.get(source_name=seed.name).targets.filter(value=80000, is_active=True).exists()


def test_indicator_page_shows_who_changed_a_target_from_what_to_what():
    from newinfra.plans.models import Target

    office = get_user_model().objects.get(username="office")
    target = Target.objects.filter(indicator__name="5G基站", is_active=True).order_by("pk").first()
    old_value = target.value
    target.value = target.value + 1000
    target._history_user = office
    target.save()
    html = client_for("leader").get(f"/indicators/{target.indicator_id}/").content.decode()
    assert "变更记录" in html
    assert "目标值" in html and office.get_full_name() in html
    assert target.indicator_as_written in html
    # amounts as people write them: 38900 → 39900, not 38900.000000 → 39900.000000
    assert f"{old_value:f}".rstrip("0").rstrip(".") + '</span> → <span class="new">' in html
    assert f"{target.value:f}".rstrip("0").rstrip(".") in html and "000000</span>" not in html


def test_traditional_interface_covers_monitoring_and_its_charts():
    client = client_for("leader")
    client.get("/script/hant/?next=/dashboard/")
    html = client.get("/dashboard/").content.decode()
    assert "總覽" in html and "总览" not in html
    chart = html.split('id="option-targets" type="application/json">')[1].split("</script>")[0]
    assert "預警" in chart and "预警" not in chart  # chart labels and legends too
