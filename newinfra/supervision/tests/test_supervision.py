"""Reminders, progress with evidence, 督办 and 反馈, and 销号 only with the office's approval."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from newinfra.indicators.tests.helpers import last_due_period, live_target
from newinfra.plans.models import Task
from newinfra.projects.tests.helpers import client_for, user
from newinfra.supervision import services
from newinfra.supervision.models import ClosureRequest, Notice, SupervisionOrder, TaskState, TaskStatus

pytestmark = pytest.mark.django_db


def gongxin_task():
    return (
        Task.objects.filter(
            responsibilities__organization__name="市工业和信息化局",
            responsibilities__is_lead=True,
            is_active=True,
        )
        .order_by("pk")
        .first()
    )


def test_remind_sends_one_notice_and_one_email_per_overdue_report(
    mailoutbox, capsys, django_capture_on_commit_callbacks
):
    target = live_target()
    gongxin = user("gongxin")
    gongxin.email = "li@gxj.gz.gov.cn"
    gongxin.save()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind")
    notices = Notice.objects.filter(
        organization__name="市工业和信息化局",
        kind=Notice.Kind.REMINDER,
        title__contains=target.indicator.name,
    )
    assert notices.count() >= 1 and notices.filter(title__contains=f"{last_due_period().month}月").exists()
    assert any(target.indicator.name in m.subject and m.to == ["li@gxj.gz.gov.cn"] for m in mailoutbox)
    assert "reminders sent" in capsys.readouterr().out
    before = (Notice.objects.count(), len(mailoutbox))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind")
    assert (Notice.objects.count(), len(mailoutbox)) == before  # nothing twice
    html = client_for("gongxin").get("/notices/").content.decode()
    assert target.indicator.name in html and "逾期未报" in html
    assert client_for("gongxin").get("/").context["unread_notices"] >= 1


def test_progress_with_evidence_sets_the_task_status_and_keeps_history():
    task = gongxin_task()
    client = client_for("gongxin")
    response = client.post(
        f"/supervision/tasks/{task.pk}/progress/",
        {
            "status": "lagging",
            "text": "用地审批滞后",
            "files": [SimpleUploadedFile("会议纪要.pdf", b"%PDF-1.4 test")],
        },
    )
    assert response.status_code == 302
    state = TaskState.objects.get(task=task)
    assert state.status == TaskStatus.LAGGING
    html = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "用地审批滞后" in html and "会议纪要.pdf" in html
    from newinfra.supervision.models import Evidence

    item = Evidence.objects.get(name="会议纪要.pdf")
    assert f"/supervision/evidence/{item.pk}/" in html and "/media/" not in html
    download = client_for("leader").get(f"/supervision/evidence/{item.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 test"
    assert (
        client_for("tianhe")
        .post(f"/supervision/tasks/{task.pk}/progress/", {"status": "done", "text": "x"})
        .status_code
        == 403
    )


def test_an_order_is_answered_by_the_unit_and_closed_by_the_office():
    task = gongxin_task()
    office = client_for("office")
    response = office.post(
        "/supervision/orders/new/",
        {
            "task": task.pk,
            "organization": user("gongxin").membership.organization_id,
            "text": "请说明滞后原因",
            "respond_by": (dt.date.today() + dt.timedelta(days=7)).isoformat(),
        },
    )
    order = SupervisionOrder.objects.get(task=task, text="请说明滞后原因")
    assert response.status_code == 302 and Notice.objects.filter(key=f"order:{order.pk}").exists()
    assert client_for("tianhe").get(f"/supervision/orders/{order.pk}/").status_code == 403
    assert client_for("gongxin").post("/supervision/orders/new/", {}).status_code == 403
    client_for("gongxin").post(
        f"/supervision/orders/{order.pk}/",
        {"text": "已调整计划，下季度追回", "files": [SimpleUploadedFile("整改方案.docx", b"plan")]},
    )
    from newinfra.supervision.models import Evidence

    item = Evidence.objects.get(name="整改方案.docx")
    assert client_for("office").get(f"/supervision/evidence/{item.pk}/").status_code == 200
    assert client_for("tianhe").get(f"/supervision/evidence/{item.pk}/").status_code == 403
    order.refresh_from_db()
    assert order.state == SupervisionOrder.State.ANSWERED
    office.post(f"/supervision/orders/{order.pk}/", {"action": "close"})
    order.refresh_from_db()
    assert order.state == SupervisionOrder.State.ANSWERED  # 办结 takes 办结意见
    office.post(
        f"/supervision/orders/{order.pk}/", {"action": "close", "comment": "整改措施已落实，同意办结。"}
    )
    order.refresh_from_db()
    assert order.state == SupervisionOrder.State.CLOSED and order.history.count() == 3
    assert order.feedback.get(kind="close").text == "整改措施已落实，同意办结。"


def test_a_task_is_closed_only_when_the_office_approves():
    task = gongxin_task()
    client_for("gongxin").post(f"/supervision/tasks/{task.pk}/closure/", {"text": "全部建成，验收完毕"})
    req = ClosureRequest.objects.get(task=task)
    assert services.state_of(task).status != TaskStatus.CLOSED
    assert (
        client_for("gongxin")
        .post(f"/supervision/closures/{req.pk}/decide/", {"decision": "approve"})
        .status_code
        == 403
    )
    with pytest.raises(services.SupervisionError):
        services.request_closure(user("office"), task, "统筹办不能自己申请")
    client_for("office").post(
        f"/supervision/closures/{req.pk}/decide/", {"decision": "approve", "comment": "同意"}
    )
    assert services.state_of(task).status == TaskStatus.CLOSED
    with pytest.raises(services.SupervisionError, match="已销号"):
        services.post_progress(user("gongxin"), task, "in_progress", "再报")
    assert Notice.objects.filter(key=f"closure:{req.pk}:approved").exists()


def test_the_supervision_page_lists_what_is_overdue_for_the_units_own_work():
    target = live_target()
    html = client_for("gongxin").get("/supervision/").content.decode()
    assert target.indicator.name in html
    assert target.indicator.name not in client_for("tianhe").get("/supervision/").content.decode()
    import io

    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(client_for("gongxin").get("/supervision/?export=values").content)).active
    names = [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert ws["A1"].value == "指标" and target.indicator.name in names
