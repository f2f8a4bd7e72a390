"""Every workflow step tells the unit that acts next: in the platform, by e-mail and to a chat robot."""

from __future__ import annotations

import datetime as dt
import json
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.db import transaction
from django.utils import timezone

from newinfra.indicators import services as indicator_services
from newinfra.indicators.tests.helpers import last_due_period, live_target
from newinfra.plans.models import Task
from newinfra.projects import services as project_services
from newinfra.projects.tests.helpers import admitted_project, client_for, new_project, org, user
from newinfra.supervision import notices, services
from newinfra.supervision.models import Notice, NoticeSetting, SupervisionOrder

pytestmark = pytest.mark.django_db


def _submitted():
    p = new_project()
    project_services.submit(p, user("mobile"))
    return p


def _first_reviewed():
    p = _submitted()
    project_services.first_review(p, user("tianhe"), True, "材料齐全")
    return p


def _order(text="请说明原因"):
    task = Task.objects.filter(responsibilities__organization__name="市工业和信息化局").first()
    return services.issue_order(
        user("office"), org("市工业和信息化局"), text, timezone.localdate() + dt.timedelta(days=5), task
    )


def _answered():
    o = _order()
    services.answer_order(user("gongxin"), o, "已整改")
    return o


def _adjustment():
    p = admitted_project()
    return project_services.request_adjustment(p, user("mobile"), {"total_investment": "1200"}, "扩容")


def _submitted_value():
    target = live_target()
    period = last_due_period()
    dv, _ = indicator_services.save_value(
        user("gongxin"), target.indicator, period, None, Decimal("10"), submit=True
    )
    return dv


def _closure():
    task = Task.objects.filter(
        responsibilities__organization__name="市工业和信息化局", responsibilities__is_lead=True
    ).first()
    return services.request_closure(user("gongxin"), task, "全部建成")


# event → (what does it, who is told, where the notice links, words in its title)
EVENTS = {
    "declaration submitted": (
        lambda: project_services.submit(new_project(), user("mobile")),
        "天河区政府",
        "/projects/",
        "待初审",
    ),
    "初审 passed": (
        lambda: project_services.first_review(_submitted(), user("tianhe"), True, ""),
        "市发展改革委",
        "/projects/",
        "待复核",
    ),
    "初审 returned": (
        lambda: project_services.first_review(_submitted(), user("tianhe"), False, "缺少用地材料"),
        "中国移动广州分公司",
        "/projects/",
        "初审退回修改",
    ),
    "admitted": (
        lambda: project_services.office_review(_first_reviewed(), user("office"), "admit", ""),
        "中国移动广州分公司",
        "/projects/",
        "已入库",
    ),
    "returned by the office": (
        lambda: project_services.office_review(_first_reviewed(), user("office"), "return", "补充"),
        "中国移动广州分公司",
        "/projects/",
        "复核退回修改",
    ),
    "not admitted": (
        lambda: project_services.office_review(_first_reviewed(), user("office"), "reject", "不符合"),
        "中国移动广州分公司",
        "/projects/",
        "不予入库",
    ),
    "adjustment decided": (
        lambda: project_services.decide_adjustment(_adjustment(), user("office"), True, "同意"),
        "中国移动广州分公司",
        "/projects/",
        "调整申请已批准",
    ),
    "problem routed": (
        lambda: project_services.save_dispatch(
            admitted_project(),
            user("mobile"),
            timezone.localdate().replace(day=1),
            {
                "invested_month": Decimal("10"),
                "invested_cumulative": Decimal("10"),
                "progress_pct": Decimal("5"),
                "problems": "用电报装滞后",
                "problem_unit": org("市工业和信息化局"),
            },
        ),
        "市工业和信息化局",
        "/projects/",
        "需协调解决的问题",
    ),
    "督办 issued": (_order, "市工业和信息化局", "/supervision/orders/", "督办通知"),
    "督办 answered": (_answered, "市发展改革委", "/supervision/orders/", "督办反馈"),
    "督办 closed": (
        lambda: services.close_order(user("office"), _answered(), "同意办结"),
        "市工业和信息化局",
        "/supervision/orders/",
        "已办结",
    ),
    "督办 sent back": (
        lambda: services.close_order(
            user("office"),
            _answered(),
            "整改不到位",
            send_back=True,
            respond_by=timezone.localdate() + dt.timedelta(days=3),
        ),
        "市工业和信息化局",
        "/supervision/orders/",
        "退回重办",
    ),
    "value returned": (
        lambda: indicator_services.return_value(user("office"), _submitted_value(), "数据有误"),
        "市工业和信息化局",
        "/indicators/",
        "被退回",
    ),
    "销号 requested": (_closure, "市发展改革委", "/tasks/", "待审批销号"),
    "销号 decided": (
        lambda: services.decide_closure(user("office"), _closure(), True),
        "市工业和信息化局",
        "/tasks/",
        "已销号",
    ),
}


@pytest.mark.parametrize("event", EVENTS)
def test_each_workflow_step_makes_one_notice_for_the_unit_that_acts_next(
    event, mailoutbox, django_capture_on_commit_callbacks
):
    act, unit, link, words = EVENTS[event]
    for username in ("office", "gongxin", "tianhe", "mobile"):
        u = user(username)
        u.email = f"{username}@example.gov.cn"
        u.save()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        act()
    start = Notice.objects.order_by("-id").first()
    told = [n for n in Notice.objects.filter(title__contains=words, organization__name=unit)]
    assert len(told) == 1, [n.title for n in Notice.objects.filter(title__contains=words)]
    notice = told[0]
    assert notice.link.startswith(link)
    assert start is not None
    # The unit's members got exactly one e-mail with that title.
    members = {m.user.email for m in notice.organization.members.select_related("user") if m.user.email}
    mails = [m for m in mailoutbox if notice.title in m.subject]
    assert sorted(r for m in mails for r in m.to) == sorted(members)


def test_the_declarant_is_told_its_project_was_admitted_and_reading_the_project_marks_it_read():
    project = _first_reviewed()
    project_services.office_review(project, user("office"), "admit", "同意入库")
    notice = Notice.objects.get(organization__name="中国移动广州分公司", title__contains="已入库")
    assert notice.read_at is None and notice.body == "同意入库"
    mobile = client_for("mobile")
    assert "已入库" in mobile.get("/notices/").content.decode()
    Notice.objects.filter(pk=notice.pk).update(read_at=None)  # the inbox does not read it
    assert mobile.get(notice.link).status_code == 200
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_nothing_is_sent_when_the_action_is_rolled_back(mailoutbox, django_capture_on_commit_callbacks):
    u = user("tianhe")
    u.email = "chen@th.gov.cn"
    u.save()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        project_services.submit(new_project(), user("mobile"))
        raise RuntimeError("the page failed after submitting")
    assert not [m for m in mailoutbox if "待初审" in m.subject]
    assert not Notice.objects.filter(
        title__contains="测试5G基站建设项目", title__startswith="待初审"
    ).exists()


def test_a_user_who_chose_the_daily_digest_gets_one_email_a_day(
    mailoutbox, django_capture_on_commit_callbacks
):
    u = user("gongxin")
    u.email = "li@gxj.gz.gov.cn"
    u.save()
    client_for("gongxin").post("/notices/", {"email": "digest"})
    assert NoticeSetting.objects.get(user=u).email == NoticeSetting.Email.DIGEST
    with django_capture_on_commit_callbacks(execute=True):
        _order("第一项督办")
        _order("第二项督办")
    assert not [m for m in mailoutbox if "li@gxj.gz.gov.cn" in m.to]
    assert notices.send_digests() == 1
    digest = [m for m in mailoutbox if "li@gxj.gz.gov.cn" in m.to]
    assert len(digest) == 1 and "每日通知汇总" in digest[0].subject
    assert digest[0].body.count("督办通知") == 2
    assert notices.send_digests() == 0  # nothing new since
    client_for("gongxin").post("/notices/", {"email": "off"})
    with django_capture_on_commit_callbacks(execute=True):
        _order("第三项督办")
    assert len([m for m in mailoutbox if "li@gxj.gz.gov.cn" in m.to]) == 1


class _Robot(BaseHTTPRequestHandler):
    received: list = []
    reply = b'{"errcode": 0, "errmsg": "ok"}'

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        _Robot.received.append(json.loads(self.rfile.read(length)))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(_Robot.reply)

    def log_message(self, *args):
        pass


@pytest.fixture
def robot(settings):
    server = HTTPServer(("127.0.0.1", 0), _Robot)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Robot.received = []
    settings.NEWINFRA_NOTICE_WEBHOOK = f"http://127.0.0.1:{server.server_port}/cgi-bin/webhook/send?key=test"
    yield _Robot
    server.shutdown()
    server.server_close()


def test_the_group_robot_receives_the_same_text(robot, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = _order("请于本周内报送5G基站数据")
    assert len(robot.received) == 1
    message = robot.received[0]
    assert message["msgtype"] == "text"
    content = message["text"]["content"]
    assert content.startswith("【新基建平台】督办通知")
    assert "请于本周内报送5G基站数据" in content and f"/supervision/orders/{order.pk}/" in content
    assert "市工业和信息化局" in content
    robot.reply = b'{"errcode": 93000, "errmsg": "invalid webhook url"}'
    try:
        assert notices.post_webhook("测试") is False  # refused: logged, never raised
    finally:
        robot.reply = b'{"errcode": 0, "errmsg": "ok"}'
    assert notices.post_webhook("测试", url="http://127.0.0.1:9/unreachable") is False


def test_a_sent_back_order_is_answered_again_and_then_closed():
    order = _answered()
    with pytest.raises(services.SupervisionError, match="办结意见"):
        services.close_order(user("office"), order, "")
    with pytest.raises(services.SupervisionError, match="反馈期限"):
        services.close_order(user("office"), order, "重办", send_back=True, respond_by=None)
    services.close_order(
        user("office"), order, "附件缺失", send_back=True, respond_by=timezone.localdate() + dt.timedelta(2)
    )
    order.refresh_from_db()
    assert order.state == SupervisionOrder.State.RETURNED
    html = client_for("gongxin").get(f"/supervision/orders/{order.pk}/").content.decode()
    assert "退回重办" in html and "附件缺失" in html and 'id="feedback-form"' in html
    services.answer_order(user("gongxin"), order, "已补充附件")
    services.close_order(user("office"), order, "同意办结")
    order.refresh_from_db()
    assert order.state == SupervisionOrder.State.CLOSED
    assert list(order.feedback.values_list("kind", flat=True)) == ["answer", "return", "answer", "close"]
    with pytest.raises(services.SupervisionError, match="已办结"):
        services.answer_order(user("gongxin"), order, "再反馈")
