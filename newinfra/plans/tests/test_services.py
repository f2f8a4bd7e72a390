"""Draft → published → withdrawn, proofreading corrections, amendments and revisions, through the
services every page and API endpoint calls."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from newinfra.orgs.models import Organization, OrganizationAlias
from newinfra.plans import services
from newinfra.plans.models import Plan, PlanRevision, PlanStatus, Target, Task
from newinfra.plans.proofreading import corrections, plan_targets, plan_tasks
from newinfra.plans.revisions import plan_revision
from newinfra.supervision.models import Notice

pytestmark = pytest.mark.django_db

# A convention the parser does not know: 承办/协办 instead of a 责任单位 parenthesis, 时间：… for the
# deadline. Task 3 is written the usual way.
PLAN = """示范市智能网联设施建设工作方案

一、工作目标
到2025年，全市累计建成智慧灯杆1.2万根，建成充电桩2万个。

二、重点任务
1.推进智慧灯杆建设。统筹道路照明与通信设施，建成智慧灯杆1.2万根。承办：市住房城乡建设局；协办：市工业和信息化局。时间：2025年6月。
2.完善充电网络。新建公共充电桩2万个。承办：市发展改革委；协办：天河区政府。时间：2025年12月。
3.建设车路协同示范路段。建设车路协同路段100公里。（责任单位：市交通运输局牵头，市公安局）
"""


def user(name):
    return get_user_model().objects.get(username=name)


def org(name):
    return Organization.objects.resolve(name)


def upload(text=PLAN, name="demo-plan.txt", **kw):
    return services.upload(text.encode("utf-8"), name, user("office"), **kw)


def test_an_upload_is_a_draft_seen_only_by_the_office():
    plan = upload().plan
    assert plan.status == PlanStatus.DRAFT
    assert plan.source_text.startswith("示范市智能网联设施建设工作方案")
    tasks = Task.objects.filter(plan=plan)
    for name in ("office", "admin"):
        assert tasks.visible_to(user(name)).count() == 3
        assert Plan.objects.visible_to(user(name)).filter(pk=plan.pk).exists()
    for name in ("gongxin", "tianhe", "leader", "mobile"):
        assert not tasks.visible_to(user(name)).exists()
        assert not Target.objects.visible_to(user(name)).filter(plan=plan).exists()
        assert not Plan.objects.visible_to(user(name)).filter(pk=plan.pk).exists()
    assert not Task.objects.live().filter(plan=plan).exists()


def test_the_seeded_plans_stay_published():
    assert set(Plan.objects.values_list("status", flat=True)) == {PlanStatus.PUBLISHED}
    assert Task.objects.live().count() == 60


def test_publishing_sends_each_unit_one_notice_listing_its_tasks_with_deadlines():
    plan = upload().plan
    task3 = plan.tasks.get(number="3")
    services.edit_task(task3, user("office"), deadline="2024年底前", deadline_date="2024-12-31")
    before = Notice.objects.count()
    services.publish(plan, user("office"))
    notices = Notice.objects.order_by("pk")[before:]
    by_org = {n.organization.name: n for n in notices}
    assert set(by_org) == {"市交通运输局", "市公安局"}  # the only units the parser read
    assert "3. 建设车路协同示范路段（牵头；完成时限：2024年底前）" in by_org["市交通运输局"].body
    assert "（配合；完成时限：2024年底前）" in by_org["市公安局"].body
    assert Task.objects.visible_to(user("gongxin")).filter(plan=plan).count() == 3
    with pytest.raises(services.PlanError):
        services.publish(plan, user("office"))


def test_a_collective_unit_tells_every_district_once():
    plan = upload().plan
    services.edit_task(plan.tasks.get(number="1"), lead_units=["市住房城乡建设局"], co_units=["各区政府"])
    services.edit_task(plan.tasks.get(number="2"), lead_units=["市发展改革委"], co_units=["天河区政府"])
    services.publish(plan)
    tianhe = Notice.objects.filter(organization=org("天河区政府"), title__contains="示范市")
    assert tianhe.count() == 1
    assert "1. 推进智慧灯杆建设" in tianhe.get().body and "2. 完善充电网络" in tianhe.get().body
    assert Notice.objects.filter(organization=org("越秀区政府"), title__contains="示范市").count() == 1


def test_withdrawal_needs_a_reason_keeps_it_and_leaves_every_list_at_once():
    from newinfra.indicators.queries import attainment_rows

    plan = upload().plan
    services.publish(plan)
    assert any(r.target.plan_id == plan.pk for r in attainment_rows())  # cached from here on
    with pytest.raises(services.PlanError):
        services.withdraw(plan, "  ")
    services.withdraw(plan, "文件有误，重新印发", user("office"))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.WITHDRAWN
    assert plan.history.first().history_change_reason == "撤回：文件有误，重新印发"
    assert not any(r.target.plan_id == plan.pk for r in attainment_rows())
    assert not Task.objects.visible_to(user("gongxin")).filter(plan=plan).exists()


def test_proofreading_corrections_are_listed_against_what_the_parser_read():
    plan = upload().plan
    t1 = plan.tasks.get(number="1")
    services.edit_task(
        t1, lead_units=["市住房城乡建设局"], co_units=["市工业和信息化局"], deadline="2025年6月底前"
    )
    target = plan.targets.get(task=t1)
    services.edit_target(target, value="1.5万", year=2025)
    added = services.add_task(plan, number="4", title="开展应用试点", lead_units=["市工业和信息化局"])
    services.delete_task(plan.tasks.get(number="3"))
    by_task, by_target = corrections(plan, plan_tasks(plan), plan_targets(plan))
    fields = {c.field: (c.parsed, c.current) for c in by_task[t1.pk]}
    assert fields["lead"] == ((), ("市住房城乡建设局",))
    assert fields["deadline"] == ("2025年6月", "2025年6月底前")  # the parser read 时间：2025年6月
    assert by_task[added.pk][0].field == "added"
    assert {c.field for c in by_task[plan.tasks.get(number="3").pk]} == {"active"}
    tfields = {c.field: (c.parsed, c.current) for c in by_target[target.pk]}
    assert tfields["value"] == (Decimal(12000), Decimal(15000))
    assert tfields["year"] == (None, 2025)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"lead_units": ["市不存在局"]}, "市不存在局"),
        ({"deadline_date": "2025/13/01"}, "2025/13/01"),
        ({"title": " "}, "任务名称不能为空"),
        ({"lead_units": [], "co_units": []}, "至少要有一个责任单位"),
    ],
)
def test_bad_task_edits_are_refused_and_change_nothing(changes, message):
    plan = upload().plan
    task = plan.tasks.get(number="3")
    before = (task.title, task.deadline_date, Task.history.count())
    with pytest.raises(services.PlanError, match=message):
        services.edit_task(task, **changes)
    task.refresh_from_db()
    assert (task.title, task.deadline_date, Task.history.count()) == before
    assert sorted(
        task.responsibilities.filter(is_active=True).values_list("organization__name", flat=True)
    ) == [
        "市交通运输局",
        "市公安局",
    ]


def test_a_new_organisation_or_an_alias_makes_a_name_usable():
    plan = upload().plan
    task = plan.tasks.get(number="1")
    with pytest.raises(services.UnknownUnit):
        services.edit_task(task, lead_units=["示范市灯杆公司"])
    services.create_organization("示范市灯杆公司")
    services.add_alias("住建委", org("市住房城乡建设局"))
    services.edit_task(task, lead_units=["示范市灯杆公司"], co_units=["住建委"])
    assert task.responsibilities.get(is_active=True, is_lead=False).organization.name == "市住房城乡建设局"
    with pytest.raises(services.PlanError, match="已是"):
        services.add_alias("住建委", org("市公安局"))


def test_amending_a_published_task_needs_a_reason_and_tells_units_added_and_removed():
    plan = upload().plan
    task = plan.tasks.get(number="3")
    services.publish(plan)
    with pytest.raises(services.PlanError, match="原因"):
        services.edit_task(task, co_units=["天河区政府"])
    before = Notice.objects.count()
    services.edit_task(task, reason="分工调整", co_units=["天河区政府"], deadline_date="2026-06-30")
    notices = list(Notice.objects.order_by("pk")[before:])
    assert {(n.organization.name, n.title[:6]) for n in notices} == {
        ("天河区政府", "新增责任任务"),
        ("市公安局", "不再承担任务"),
    }
    assert all("原因：分工调整" in n.body for n in notices)
    versions = list(
        task.history.order_by("history_date").values_list("deadline_date", "history_change_reason")
    )
    assert versions[-1][1] == "分工调整" and str(versions[-1][0]) == "2026-06-30"
    assert len(versions) >= 2
    target = plan.targets.get(task=task)
    services.edit_target(target, reason="目标上调", value="120")
    assert list(target.history.order_by("history_date").values_list("value", flat=True))[-2:] == [
        Decimal(100),
        Decimal(120),
    ]


def test_the_title_typed_at_upload_only_fills_a_missing_title():
    assert upload(title="别的标题").plan.title == "示范市智能网联设施建设工作方案"
    untitled = PLAN.split("\n", 1)[1]
    assert upload(untitled, name="untitled.txt", title="补填的标题").plan.title == "补填的标题"


def test_a_file_that_is_no_plan_is_refused():
    with pytest.raises(services.PlanError, match="不是规划文件"):
        upload("这只是一段说明文字，没有任何任务。", name="note.txt")
    from newinfra.parsing import DocumentError

    with pytest.raises(DocumentError):
        services.upload(b"\x00\x01\x02binary" * 50, "x.bin", None)


def test_a_revision_keeps_corrections_lists_changes_and_applies_on_publishing():
    plan = upload().plan
    services.publish(plan)
    t1 = plan.tasks.get(number="1")
    services.edit_task(t1, reason="补录分工", lead_units=["市住房城乡建设局"], co_units=["市工业和信息化局"])
    revised = PLAN.replace("新建公共充电桩2万个", "新建公共充电桩3万个")
    result = upload(revised, name="demo-plan-rev.txt")
    assert result.status == "revision"
    revision = result.revision
    # nothing changes until it is published
    target = plan.targets.get(indicator_as_written="公共充电桩")
    assert target.value == Decimal(20000)
    merged = plan_revision(revision)
    assert merged.conflicts == []
    assert {(c.field, c.new) for c in merged.kept} == {
        ("lead", ("市住房城乡建设局",)),
        ("co", ("市工业和信息化局",)),
    }
    listed = [(c.kind, c.action, c.field, c.old_text, c.new_text) for c in merged.changes]
    assert listed == [("target", "changed", "value", "2万", "3万")]
    services.publish_revision(revision, user("office"))
    target.refresh_from_db()
    assert target.value == Decimal(30000)
    t1.refresh_from_db()
    assert services.unit_names(t1) == (["市住房城乡建设局"], ["市工业和信息化局"])
    assert plan.revisions.get().status == PlanRevision.Status.PUBLISHED
    # the correction still shows as one against the new reading
    by_task, _ = corrections(plan, plan_tasks(plan), plan_targets(plan))
    assert {c.field for c in by_task[t1.pk]} == {"lead", "co"}


def test_a_revision_contradicting_a_correction_is_a_conflict_to_decide():
    plan = upload().plan
    task3 = plan.tasks.get(number="3")
    services.edit_task(task3, co_units=["天河区政府"])
    services.publish(plan)
    revised = PLAN.replace("市交通运输局牵头，市公安局", "市交通运输局牵头，越秀区政府")
    revision = upload(revised, name="demo-plan-rev.txt").revision
    merged = plan_revision(revision)
    assert [(c.field, c.office, c.revision) for c in merged.conflicts] == [
        ("co", ("天河区政府",), ("越秀区政府",))
    ]
    with pytest.raises(services.PlanError, match="冲突"):
        services.publish_revision(revision)
    services.publish_revision(revision, decisions={merged.conflicts[0].key: "revision"})
    assert services.unit_names(task3) == (["市交通运输局"], ["越秀区政府"])
    assert (
        Notice.objects.filter(organization=org("越秀区政府"), title__startswith="修订后新增任务").count() == 1
    )


def test_the_command_line_loads_published_and_stores_the_source(tmp_path):
    from django.core.management import call_command

    path = Path(tmp_path) / "cli-plan.txt"
    path.write_text(PLAN, encoding="utf-8")
    call_command("load_plan", str(path), stdout=__import__("io").StringIO())
    plan = Plan.objects.get(title="示范市智能网联设施建设工作方案")
    assert plan.status == PlanStatus.PUBLISHED and plan.published_at
    assert "承办：市住房城乡建设局" in plan.source_text
    assert OrganizationAlias.objects.exists()
