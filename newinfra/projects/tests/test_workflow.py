"""Declaration, review, stages, adjustments and the annual roll, as the services and pages enforce them."""

from decimal import Decimal

import pytest

from newinfra.projects import services
from newinfra.projects.models import (
    AdjustmentRequest,
    AnnualInvestment,
    Project,
    ProjectEvent,
    RollingConfirmation,
    Stage,
    Status,
)

from .helpers import admitted_project, client_for, new_project, org, user

pytestmark = pytest.mark.django_db
A = ProjectEvent.Action


def test_declaration_to_completion_through_the_pages_keeps_every_step():
    mobile = client_for("mobile")
    response = mobile.post(
        "/projects/new/",
        {
            "code": "2021-440106-63-03-000777",
            "name": "天河5G室内分布系统",
            "domain": "5g",
            "competent": org("天河区政府").pk,
            "districts": [org("天河区政府").pk],
            "total_investment": "2500",
            "planned_start": "2021-03-01",
            "planned_finish": "2022-06-30",
            "contact_name": "刘经理",
            "contact_phone": "020-88888888",
            "then": "submit",
        },
    )
    project = Project.objects.get(code="2021-440106-63-03-000777")
    assert response.status_code == 302 and project.status == Status.SUBMITTED
    assert project.declarant == org("中国移动广州分公司")

    tianhe = client_for("tianhe")
    assert project.name in tianhe.get("/projects/review/").content.decode()
    tianhe.post(f"/projects/{project.pk}/action/", {"action": "first_approve", "comment": "材料齐全"})
    office = client_for("office")
    office.post(f"/projects/{project.pk}/action/", {"action": "admit", "comment": "同意入库"})
    project.refresh_from_db()
    assert (project.status, project.stage) == (Status.ADMITTED, Stage.RESERVE)
    for stage in ("preparation", "construction", "completed"):
        mobile.post(f"/projects/{project.pk}/action/", {"action": "stage", "stage": stage})
    project.refresh_from_db()
    assert project.stage == Stage.COMPLETED

    actions = list(project.events.values_list("action", flat=True))
    assert actions == [A.CREATE, A.SUBMIT, A.FIRST_APPROVE, A.ADMIT, A.STAGE, A.STAGE, A.STAGE]
    html = mobile.get(f"/projects/{project.pk}/").content.decode()
    for text in ("初审通过", "材料齐全", "复核通过，入库", "同意入库", "建成投产", "天河区政府 陈科员"):
        assert text in html, text
    assert project.history.count() >= 6  # create, submit, review, admit, three stages


def test_returning_a_project_needs_a_comment_and_sends_it_back_to_the_declarant():
    project = new_project()
    services.submit(project, user("mobile"))
    with pytest.raises(services.ProjectError, match="请填写意见"):
        services.first_review(project, user("tianhe"), False, "  ")
    services.first_review(project, user("tianhe"), False, "请补充用地材料")
    project.refresh_from_db()
    assert project.status == Status.RETURNED
    assert "请补充用地材料" in client_for("mobile").get(f"/projects/{project.pk}/").content.decode()
    services.submit(project, user("mobile"), "已补充")  # a returned project can be submitted again
    assert project.status == Status.SUBMITTED


def test_an_incomplete_draft_cannot_be_submitted_and_says_what_is_missing():
    project = new_project(code=None, contact_phone="")
    with pytest.raises(services.ProjectError) as info:
        services.submit(project, user("mobile"))
    assert "请填写投资项目统一代码。" in info.value.messages
    assert "请填写联系人和联系电话。" in info.value.messages
    project.refresh_from_db()
    assert project.status == Status.DRAFT


def test_only_the_competent_unit_does_the_first_review_and_only_the_office_admits():
    project = new_project()
    services.submit(project, user("mobile"))
    for name in ("yuexiu", "gongxin", "office", "leader", "mobile"):
        with pytest.raises(services.ProjectError):
            services.first_review(project, user(name), True, "")
    services.first_review(project, user("tianhe"), True, "")
    for name in ("tianhe", "gongxin", "leader", "mobile"):
        with pytest.raises(services.ProjectError):
            services.office_review(project, user(name), "admit", "")


def test_stages_only_move_forward_and_removal_needs_the_office_and_a_reason():
    project = admitted_project()
    services.change_stage(project, user("mobile"), Stage.CONSTRUCTION)
    with pytest.raises(services.ProjectError, match="只能向前推进"):
        services.change_stage(project, user("mobile"), Stage.PREPARATION)
    with pytest.raises(services.ProjectError):
        services.remove(project, user("mobile"), "不做了")
    with pytest.raises(services.ProjectError, match="原因"):
        services.remove(project, user("office"), "")
    services.remove(project, user("office"), "企业战略调整")
    project.refresh_from_db()
    assert (project.stage, project.stage_reason) == (Stage.REMOVED, "企业战略调整")
    assert Project.objects.filter(pk=project.pk).exists()  # removed, never deleted


def test_an_adjustment_changes_the_project_only_when_the_office_approves_and_history_keeps_both():
    project = admitted_project()
    with pytest.raises(services.ProjectError, match="没有需要调整"):
        services.request_adjustment(project, user("mobile"), {"total_investment": "1000"}, "不变")
    adjustment = services.request_adjustment(
        project, user("mobile"), {"total_investment": "1500"}, "增加基站数量"
    )
    project.refresh_from_db()
    assert project.total_investment == Decimal("1000.00")
    with pytest.raises(services.ProjectError, match="待审批"):
        services.request_adjustment(project, user("mobile"), {"planned_finish": "2023-01-01"}, "再调")
    with pytest.raises(services.ProjectError):
        services.decide_adjustment(adjustment, user("tianhe"), True)
    services.decide_adjustment(adjustment, user("office"), True, "同意")
    project.refresh_from_db()
    assert project.total_investment == Decimal("1500.00")
    assert adjustment.state == AdjustmentRequest.State.APPROVED
    values = [r.total_investment for r in project.history.order_by("history_date")]
    assert Decimal("1000.00") in values and values[-1] == Decimal("1500.00")
    html = client_for("office").get(f"/projects/{project.pk}/").content.decode()
    assert '1000.00</span> → <span class="new">1500.00' in html


def test_the_annual_roll_asks_every_running_project_once_and_keeps_the_three_year_plan():
    kept = admitted_project()
    dropped = admitted_project()
    n = services.start_roll(2031, user("office"))
    assert n >= 2
    assert services.start_roll(2031, user("office")) == 0  # opening the same year again adds nothing
    c_kept = RollingConfirmation.objects.get(project=kept, year=2031)
    services.confirm_roll(
        c_kept, user("mobile"), True, {2031: Decimal("300"), 2032: Decimal("500"), 2033: Decimal("200")}
    )
    assert list(AnnualInvestment.objects.filter(project=kept).values_list("year", "planned")) == [
        (2031, Decimal("300.00")),
        (2032, Decimal("500.00")),
        (2033, Decimal("200.00")),
    ]
    with pytest.raises(services.ProjectError, match="已经确认"):
        services.confirm_roll(c_kept, user("mobile"), True, {})
    c_dropped = RollingConfirmation.objects.get(project=dropped, year=2031)
    with pytest.raises(services.ProjectError):
        services.confirm_roll(c_dropped, user("telecom"), False, {}, "别人的项目")
    services.confirm_roll(c_dropped, user("mobile"), False, {}, "市场需求变化")
    dropped.refresh_from_db()
    assert dropped.stage == Stage.REMOVED


def test_history_names_the_districts_not_their_ids():
    project = new_project()
    project._history_user = user("mobile")
    project.districts.set([org("天河区政府"), org("越秀区政府")])
    html = client_for("mobile").get(f"/projects/{project.pk}/").content.decode()
    assert (
        "天河区政府、越秀区政府" in html or "越秀区政府、天河区政府" in html
    ) and "'organization'" not in html


def test_flags_and_green_channel_items_are_kept_by_the_office_with_history():
    from newinfra.projects.models import GreenChannelItem, ProjectFlag

    project = admitted_project()
    office = client_for("office")
    assert (
        client_for("mobile").post(f"/projects/{project.pk}/flags/", {"kind": "city_key"}).status_code == 403
    )
    office.post(f"/projects/{project.pk}/flags/", {"kind": "pilot"})  # 授牌 needs its date
    assert not ProjectFlag.objects.filter(project=project).exists()
    office.post(
        f"/projects/{project.pk}/flags/",
        {"kind": "subsidy", "subsidy_applied": "200", "document": "穗工信〔2021〕1号"},
    )
    flag = ProjectFlag.objects.get(project=project)
    office.post(
        f"/projects/flags/{flag.pk}/", {"kind": "subsidy", "subsidy_applied": "200", "subsidy_granted": "150"}
    )
    flag.refresh_from_db()
    assert flag.subsidy_granted == Decimal("150") and flag.history.count() == 2
    office.post(f"/projects/flags/{flag.pk}/", {"withdraw": "1"})
    flag.refresh_from_db()
    assert not flag.is_active and ProjectFlag.objects.filter(pk=flag.pk).exists()
    office.post(f"/projects/{project.pk}/green/", {"item": "施工许可", "state": "in_progress"})
    item = GreenChannelItem.objects.get(project=project)
    office.post(
        f"/projects/green/{item.pk}/",
        {"item": "施工许可", "state": "approved", "date": "2021-06-01", "document": "穗建许〔2021〕9号"},
    )
    item.refresh_from_db()
    assert item.state == "approved" and item.history.count() == 2
    assert (
        client_for("mobile")
        .post(f"/projects/green/{item.pk}/", {"item": "x", "state": "waiting"})
        .status_code
        == 403
    )


def test_a_refused_action_on_the_project_page_says_why_and_keeps_what_was_typed():
    project = admitted_project()
    # another office user moves the project on meanwhile: 前期, chosen from the old page, is backwards
    page = client_for("office")
    services.change_stage(project, user("office"), Stage.CONSTRUCTION, "")
    post = {"action": "stage", "stage": "preparation", "comment": "前期手续已办结"}
    html = page.post(f"/projects/{project.pk}/action/", post, follow=True).content.decode()
    assert "建设阶段只能向前推进" in html and 'value="前期手续已办结"' in html
    project.refresh_from_db()
    assert project.stage == Stage.CONSTRUCTION
    # shown once: a later visit starts from empty forms
    assert 'value="前期手续已办结"' not in page.get(f"/projects/{project.pk}/").content.decode()
