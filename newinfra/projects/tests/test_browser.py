"""The project's full path in Chromium: an enterprise declares, the district and the office review,
the works go to 建成, and every step shows in the project's record."""

import pytest

from newinfra.conftest import confirm, login

pytestmark = pytest.mark.browser


def logout(page):
    page.click("form[action='/logout/'] button")


def test_a_project_from_declaration_to_completion(page):
    login(page, "mobile")
    page.goto(page.base + "/projects/")
    page.click("text=申报项目")
    page.fill("#id_code", "2021-440106-63-03-000555")
    page.fill("#id_name", "浏览器测试5G基站项目")
    page.select_option("#id_domain", "5g")
    page.select_option("#id_competent", label="天河区政府")
    page.check("#project-form input[name=districts] >> nth=3")  # 天河区 (ordered by code)
    page.fill("#id_total_investment", "1800")
    page.fill("#id_planned_start", "2021-03-01")
    page.fill("#id_planned_finish", "2022-06-30")
    page.fill("#id_contact_name", "刘经理")
    page.fill("#id_contact_phone", "020-88888888")
    page.click("button[value=submit]")
    assert "已提交申报" in page.locator(".messages").inner_text()
    project_url = page.url
    assert "待初审" in page.locator("#project-head").inner_text()
    logout(page)

    login(page, "tianhe")
    page.goto(page.base + "/projects/review/")
    page.click("#queue-first >> text=浏览器测试5G基站项目")
    page.fill("#actions textarea[name=comment]", "材料齐全，同意")
    page.click("button[value=first_approve]")
    assert "待复核" in page.locator("#project-head").inner_text()
    logout(page)

    login(page, "office")
    page.goto(page.base + "/projects/review/")
    page.click("#queue-office >> text=浏览器测试5G基站项目")
    page.click("button[value=admit]")
    confirm(page, "不能撤回", accept=False)  # cancelled: nothing happens
    assert "待复核" in page.locator("#project-head").inner_text()
    page.click("button[value=admit]")
    confirm(page, "确认入库")
    assert "已入库" in page.locator("#project-head").inner_text()
    assert "申报信息不能再修改" in page.locator(".messages").inner_text()
    logout(page)

    login(page, "mobile")
    page.goto(project_url)
    for stage in ("前期", "在建", "建成投产"):
        page.select_option("#actions select[name=stage]", label=stage)
        page.click("#actions form:has(select[name=stage]) button")
        confirm(page, "只能向前推进")
        assert stage in page.locator("#project-head").inner_text()
    assert page.locator("#stage-timeline li.current").inner_text() == "建成投产"
    events = page.locator("#events tbody").inner_text()
    for step in ("提交申报", "初审通过", "材料齐全，同意", "复核通过，入库", "阶段变更"):
        assert step in events, step
    assert events.count("阶段变更") == 3
    page.screenshot(path=str(page.artifacts / "project_detail.png"), full_page=True)


def test_a_bad_upload_is_shown_row_by_row_and_changes_nothing(page, tmp_path):
    from openpyxl import Workbook

    from newinfra.projects.excel import DECLARATION_COLUMNS

    wb = Workbook()
    ws = wb.active
    ws.append([label for _, label, _ in DECLARATION_COLUMNS])
    ws.append(["2021-123", "坏代码项目", "中国移动广州分公司", "天河区政府", "天河区", "5G", 100])
    ws.append(
        ["2021-440106-63-03-000556", "负投资项目", "中国移动广州分公司", "天河区政府", "天河区", "5G", -100]
    )
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    login(page, "mobile")
    page.goto(page.base + "/projects/import/")
    page.set_input_files("#import-form input[type=file]", str(path))
    page.click("#import-form button")
    errors = page.locator("#import-errors").inner_text()
    assert "第2行" in errors and "投资项目统一代码格式" in errors
    assert "第3行" in errors and "总投资不能为负数" in errors
    assert page.locator("#import-commit").count() == 0
    page.goto(page.base + "/projects/?q=负投资项目")
    assert "没有符合条件的项目" in page.locator("#project-table").inner_text()


def test_editing_a_project_with_dates_keeps_them(page):
    """The edit form shows 计划开工/计划建成 in the boxes; saving it unchanged keeps them."""
    login(page, "mobile")
    page.goto(page.base + "/projects/new/")
    page.fill("#id_name", "浏览器日期往返测试项目")
    page.select_option("#id_domain", "5g")
    page.select_option("#id_competent", label="天河区政府")
    page.check("#project-form input[name=districts] >> nth=3")
    page.fill("#id_total_investment", "2500")
    page.fill("#id_planned_start", "2027-01-15")
    page.fill("#id_planned_finish", "2028-06-30")
    page.fill("#id_contact_name", "刘经理")
    page.fill("#id_contact_phone", "020-88888888")
    page.click("button[value=save]")
    assert "已保存" in page.locator(".messages").inner_text()
    detail = page.url
    changes = "section.card:has(h2:text('变更记录')) tbody tr"
    rows_before = page.locator(changes).count()
    page.goto(detail + "edit/")
    # What the browser shows in the date boxes (an unparseable value would show as empty).
    assert page.input_value("#id_planned_start") == "2027-01-15"
    assert page.input_value("#id_planned_finish") == "2028-06-30"
    page.click("button[value=save]")
    page.goto(detail + "edit/")
    assert page.input_value("#id_planned_start") == "2027-01-15"
    assert page.input_value("#id_planned_finish") == "2028-06-30"
    page.goto(detail)
    assert page.locator(changes).count() == rows_before  # saving unchanged recorded nothing
    assert "2027-01-15" in page.locator("body").inner_text()
