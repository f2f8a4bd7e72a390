"""Excel in and out: templates with drop-downs; uploads previewed, then written all-or-nothing."""

import io
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from newinfra.projects import excel
from newinfra.projects.models import DispatchReport, Project

from .helpers import admitted_project, client_for, next_code, user

pytestmark = pytest.mark.django_db


def workbook(columns, rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append([label for _, label, _ in columns])
    for row in rows:
        ws.append([row.get(key) for key, _, _ in columns])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def declaration(code, **over):
    row = {
        "code": code,
        "name": "导入测试项目" + code[-4:],
        "declarant": "中国移动广州分公司",
        "competent": "天河区政府",
        "districts": "天河区",
        "domain": "5G",
        "total_investment": 500,
        "planned_start": "2021-01-01",
        "planned_finish": "2021-12-31",
        "contact_name": "刘经理",
        "contact_phone": "020-1",
    }
    row.update(over)
    return row


def counts():
    return (
        Project.objects.count(),
        Project.history.count(),
        DispatchReport.objects.count(),
        DispatchReport.history.count(),
    )


def test_templates_have_drop_downs_and_the_dispatch_template_lists_the_users_projects():
    project = admitted_project()
    wb = load_workbook(io.BytesIO(client_for("mobile").get("/projects/templates/declaration.xlsx").content))
    ws = wb["项目申报"]
    assert [c.value for c in ws[1]][:3] == ["投资项目统一代码", "项目名称", "申报单位"]
    assert len(ws.data_validations.dataValidation) == 4
    assert "天河区政府" in [c.value for c in wb["选项"]["B"]]
    wb = load_workbook(io.BytesIO(client_for("mobile").get("/projects/templates/dispatch.xlsx").content))
    codes = [r[0] for r in wb.active.iter_rows(min_row=2, values_only=True)]
    assert project.code in codes
    assert all(Project.objects.get(code=c).declarant.name == "中国移动广州分公司" for c in codes)


def test_an_office_import_admits_projects_and_the_same_file_twice_changes_nothing():
    codes = [next_code() for _ in range(3)]
    data = workbook(excel.DECLARATION_COLUMNS, [declaration(c, stage="在建") for c in codes])
    office = user("office")
    preview = excel.run_import("declaration", data, office, commit=False)
    assert preview.ok and preview.created == 3
    assert not Project.objects.filter(code__in=codes).exists()  # a preview writes nothing
    result = excel.run_import("declaration", data, office, commit=True)
    assert (result.created, result.updated) == (3, 0)
    projects = Project.objects.filter(code__in=codes)
    assert {(p.status, p.stage) for p in projects} == {("admitted", "construction")}
    assert all(p.history.count() == 1 and p.events.count() == 1 for p in projects)
    before = counts()
    again = excel.run_import("declaration", data, office, commit=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert counts() == before
    changed = workbook(excel.DECLARATION_COLUMNS, [declaration(codes[0], stage="在建", total_investment=650)])
    assert excel.run_import("declaration", changed, office, commit=True).updated == 1
    assert Project.objects.get(code=codes[0]).history.first().total_investment == D("650.00")


def test_a_declarants_import_makes_drafts_of_its_own_organisation_only():
    code = next_code()
    data = workbook(excel.DECLARATION_COLUMNS, [declaration(code)])
    result = excel.run_import("declaration", data, user("mobile"), commit=True)
    assert result.ok
    assert Project.objects.get(code=code).status == "draft"
    other = workbook(excel.DECLARATION_COLUMNS, [declaration(next_code(), declarant="中国电信广州分公司")])
    result = excel.run_import("declaration", other, user("mobile"), commit=True)
    assert "不是您所在的单位" in result.errors[0][1]


def test_a_bad_declaration_file_is_rejected_whole_with_every_bad_row_named():
    good = next_code()
    rows = [
        declaration(good),
        declaration("2021-4401-63-03-1"),  # row 3: code format
        declaration(next_code(), total_investment=-5),  # row 4: negative investment
        declaration(next_code(), districts="浦东新区"),  # row 5: not a district of Guangzhou
        declaration(next_code(), lng=121.47, lat=31.23),  # row 6: Shanghai
        declaration(good),  # row 7: duplicate of row 2
    ]
    before = counts()
    result = excel.run_import(
        "declaration", workbook(excel.DECLARATION_COLUMNS, rows), user("office"), commit=True
    )
    bad_rows = {row for row, _ in result.errors}
    assert bad_rows == {3, 4, 5, 6, 7}
    messages = " ".join(m for _, m in result.errors)
    for text in (
        "投资项目统一代码格式",
        "总投资不能为负数",
        "所在区“浦东新区”不是广州市的区",
        "不在广州市范围内",
        "与第2行重复",
    ):
        assert text in messages, text
    assert counts() == before
    assert not Project.objects.filter(code=good).exists()


def test_a_bad_dispatch_file_is_rejected_whole_and_a_good_one_is_applied_in_month_order():
    project = admitted_project()
    other = admitted_project(declarant="telecom")
    before = counts()
    rows = [
        {
            "code": project.code,
            "month": "2021-02",
            "invested_month": 100,
            "invested_cumulative": 300,
            "progress_pct": 30,
        },
        {
            "code": project.code,
            "month": "2021-01",
            "invested_month": 200,
            "invested_cumulative": 200,
            "progress_pct": 20,
        },
        {
            "code": project.code,
            "month": "2021-03",
            "invested_month": 0,
            "invested_cumulative": 250,
            "progress_pct": 30,
        },  # decreasing
        {
            "code": other.code,
            "month": "2021-01",
            "invested_month": 1,
            "invested_cumulative": 1,
            "progress_pct": 1,
        },  # not theirs
        {
            "code": project.code,
            "month": "2021-04",
            "invested_month": -1,
            "invested_cumulative": 300,
            "progress_pct": 30,
        },  # negative
    ]
    result = excel.run_import("dispatch", workbook(excel.DISPATCH_COLUMNS, rows), user("mobile"), commit=True)
    assert {row for row, _ in result.errors} == {4, 5, 6}
    assert "累计数不能减少" in dict(result.errors)[4]
    assert counts() == before
    good = workbook(excel.DISPATCH_COLUMNS, rows[:2])
    result = excel.run_import("dispatch", good, user("mobile"), commit=True)
    assert result.ok and result.created == 2
    project.refresh_from_db()
    assert project.invested_to_date == D("300")
    assert excel.run_import("dispatch", good, user("mobile"), commit=True).unchanged == 2
    assert DispatchReport.objects.filter(project=project).count() == 2


def test_upload_preview_and_commit_through_the_page():
    code = next_code()
    data = workbook(excel.DECLARATION_COLUMNS, [declaration(code)])
    client = client_for("mobile")
    html = client.post(
        "/projects/import/", {"kind": "declaration", "file": SimpleUploadedFile("a.xlsx", data)}
    ).content.decode()
    assert "将新增 <b>1</b> 条" in html and not Project.objects.filter(code=code).exists()
    token = html.split('name="token" value="')[1].split('"')[0]
    response = client.post("/projects/import/", {"kind": "declaration", "token": token, "commit": "1"})
    assert response.status_code == 302 and Project.objects.filter(code=code).exists()
    # The token is spent; a second commit does not import again.
    client.post("/projects/import/", {"kind": "declaration", "token": token, "commit": "1"})
    assert Project.objects.filter(code=code).count() == 1
    html = client.post(
        "/projects/import/",
        {"kind": "declaration", "file": SimpleUploadedFile("a.xlsx", b"not a workbook")},
        follow=True,
    ).content.decode()
    assert "无法读取文件" in html
