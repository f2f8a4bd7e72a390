"""Supervision (督办): notices, task progress with evidence, supervision orders and closure.

A task's status is what its units last reported (未启动 / 推进中 / 已完成 / 滞后); it becomes
已销号 only when the programme office approves a closure request. Notices are the in-app inbox of
an organisation; the same text goes out by e-mail to its members.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from newinfra.orgs.models import Organization
from newinfra.plans.models import Indicator, Task


class Notice(models.Model):
    class Kind(models.TextChoices):
        REMINDER = "reminder", "逾期提醒"
        ORDER = "order", "督办通知"
        FEEDBACK = "feedback", "督办反馈"
        REVIEW = "review", "审核结果"
        CLOSURE = "closure", "销号"
        ASSIGNMENT = "assignment", "任务下达"
        PROJECT = "project", "项目办理"
        PROBLEM = "problem", "问题协调"

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.REVIEW)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=300, blank=True)
    # The same reminder is sent once: "overdue:value:12:2021-06-30".
    key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    emailed = models.PositiveSmallIntegerField("已发邮件", default=0)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "read_at"])]

    def __str__(self) -> str:
        return self.title


class NoticeSetting(models.Model):
    """How a user wants notices by e-mail: one per notice, one digest a day, or none."""

    class Email(models.TextChoices):
        EACH = "each", "每条通知发一封邮件"
        DIGEST = "digest", "每日汇总为一封邮件"
        OFF = "off", "不发邮件（只在平台内查看）"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_setting"
    )
    email = models.CharField("邮件提醒", max_length=10, choices=Email.choices, default=Email.EACH)
    digest_sent_at = models.DateTimeField("上次汇总时间", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "通知设置"
        verbose_name_plural = "通知设置"


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", "未启动"
    IN_PROGRESS = "in_progress", "推进中"
    DONE = "done", "已完成"
    LAGGING = "lagging", "滞后"
    CLOSED = "closed", "已销号"


class TaskState(models.Model):
    task = models.OneToOneField(Task, on_delete=models.PROTECT, related_name="state")
    status = models.CharField(
        "状态", max_length=12, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "任务状态"
        verbose_name_plural = "任务状态"


class ProgressReport(models.Model):
    """A unit's progress on a task for a quarter (one per task, unit and quarter; a new post corrects it)."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="progress_reports")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="progress_reports")
    period = models.DateField("季度（期末日）")
    status = models.CharField(
        "进展状态",
        max_length=12,
        choices=[c for c in TaskStatus.choices if c[0] != TaskStatus.CLOSED],
    )
    text = models.TextField("进展情况")
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    posted_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField("演示数据", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "任务进展"
        verbose_name_plural = "任务进展"
        ordering = ["-period", "-posted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "organization", "period"], name="one_progress_per_quarter"
            )
        ]


class Evidence(models.Model):
    progress = models.ForeignKey(ProgressReport, on_delete=models.PROTECT, related_name="evidence", null=True)
    feedback = models.ForeignKey("Feedback", on_delete=models.PROTECT, related_name="evidence", null=True)
    file = models.FileField("佐证材料", upload_to="evidence/%Y/%m")
    name = models.CharField("文件名", max_length=200)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"


class SupervisionOrder(models.Model):
    """督办通知: the office presses a unit on a slipping task or indicator."""

    class State(models.TextChoices):
        OPEN = "open", "待反馈"
        ANSWERED = "answered", "已反馈"
        RETURNED = "returned", "退回重办"
        CLOSED = "closed", "已办结"

    # The states in which the unit owes an answer.
    AWAITING_UNIT = (State.OPEN, State.RETURNED)

    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.PROTECT, related_name="orders")
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    organization = models.ForeignKey(
        Organization, verbose_name="督办单位", on_delete=models.PROTECT, related_name="orders"
    )
    text = models.TextField("督办事项")
    respond_by = models.DateField("反馈期限")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.OPEN)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "督办通知"
        verbose_name_plural = "督办通知"
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"督办：{self.subject}"

    @property
    def subject(self):
        return self.task or self.indicator or self.project or "督办事项"


class Feedback(models.Model):
    """One entry of an order's thread: the unit's answer, or the office's 办结意见 or 退回重办."""

    class Kind(models.TextChoices):
        ANSWER = "answer", "反馈"
        RETURN = "return", "退回重办"
        CLOSE = "close", "办结意见"

    order = models.ForeignKey(SupervisionOrder, on_delete=models.PROTECT, related_name="feedback")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.ANSWER)
    text = models.TextField("反馈内容")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "督办反馈"
        verbose_name_plural = "督办反馈"
        ordering = ["at"]


class ClosureRequest(models.Model):
    """销号: a unit reports a task finished; only the office's approval closes it."""

    class State(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已销号"
        REJECTED = "rejected", "不同意销号"

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="closure_requests")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("完成情况")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.CharField("审批意见", max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "销号申请"
        verbose_name_plural = "销号申请"
        ordering = ["-requested_at"]
