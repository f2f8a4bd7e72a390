"""Plans as the platform keeps them: plan → sections → tasks → responsibilities, and targets
tied to indicators so that the same measure in two plans is one indicator with two targets."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from newinfra.orgs.models import Organization


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


class Origin(models.TextChoices):
    PARSER = "parser", "解析"
    OFFICE = "office", "统筹办添加"


def _office(user) -> bool:
    from newinfra.orgs.permissions import is_office

    return is_office(user)


class PlanQuerySet(models.QuerySet):
    """Which plans count: published ones for everyone and everything; drafts and withdrawn plans
    only for 统筹办 and 管理员, who proofread and manage them."""

    def live(self):
        return self.filter(status=PlanStatus.PUBLISHED, is_active=True)

    def visible_to(self, user):
        return self.filter(is_active=True) if _office(user) else self.live()


# A plan's parse result and source text: some 100 KB per plan that no list, sheet or chart reads.
PLAN_TEXTS = ("document", "source_text")


def with_plan(qs, path: str = "plan"):
    """``qs.select_related(path)`` without the plan's parse result and text: joined to 50 rows of a
    page they would be 5 MB to read (and, for ``document``, to decode) for nothing."""
    return qs.select_related(path).defer(*(f"{path}__{name}" for name in PLAN_TEXTS))


class TaskQuerySet(models.QuerySet):
    def live(self):
        return self.filter(is_active=True, plan__status=PlanStatus.PUBLISHED, plan__is_active=True)

    def visible_to(self, user):
        """Tasks of published plans; every active task of any plan for the office."""
        return self.filter(is_active=True, plan__is_active=True) if _office(user) else self.live()


class TargetQuerySet(TaskQuerySet):
    pass


def live_responsibility_q(prefix: str = "responsibilities__") -> models.Q:
    """A responsibility in force: active, of an active task of a published plan (``prefix`` is the
    path from the model being filtered, e.g. ``responsibilities__`` from organisations)."""
    return models.Q(
        **{
            f"{prefix}is_active": True,
            f"{prefix}task__is_active": True,
            f"{prefix}task__plan__status": PlanStatus.PUBLISHED,
            f"{prefix}task__plan__is_active": True,
        }
    )


class ResponsibilityQuerySet(models.QuerySet):
    def live(self):
        return self.filter(live_responsibility_q(""))


class Plan(models.Model):
    key = models.CharField("标识", max_length=200, unique=True, help_text="同一规划的不同版本共用一个标识")
    title = models.CharField("名称", max_length=200)
    script = models.CharField("原文字体", max_length=16, default="simplified")
    period_start = models.PositiveSmallIntegerField("起始年", null=True, blank=True)
    period_end = models.PositiveSmallIntegerField("截止年", null=True, blank=True)
    source_name = models.CharField("来源文件", max_length=255, blank=True)
    source_sha256 = models.CharField("文件摘要", max_length=64, blank=True)
    document = models.JSONField("解析结果", default=dict, blank=True)
    loaded_at = models.DateTimeField("导入时间", auto_now=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_active = models.BooleanField("有效", default=True)
    status = models.CharField("状态", max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    status_reason = models.TextField("状态说明", blank=True, help_text="撤回的原因")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    source_text = models.TextField("原文", blank=True, help_text="解析所读的原文，用于校对")
    history = HistoricalRecords(excluded_fields=["document", "source_text"])

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = "规划"
        verbose_name_plural = "规划"
        ordering = ["period_start", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == PlanStatus.DRAFT

    @property
    def is_published(self) -> bool:
        return self.status == PlanStatus.PUBLISHED

    @property
    def period(self) -> str:
        if self.period_start and self.period_end:
            return f"{self.period_start}—{self.period_end}年"
        return f"至{self.period_end}年" if self.period_end else ""


class Section(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="sections")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    number = models.CharField("编号", max_length=20)
    title = models.CharField("标题", max_length=200)
    path = models.CharField("路径", max_length=500)
    level = models.PositiveSmallIntegerField(default=1)
    order = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "章节"
        verbose_name_plural = "章节"
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "path"], name="section_path_unique")]

    def __str__(self) -> str:
        return self.path


class Task(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="tasks")
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    number = models.CharField("序号", max_length=20)
    title = models.CharField("任务", max_length=300)
    text = models.TextField("主要内容")
    responsibility_raw = models.TextField("责任分工原文", blank=True)
    deadline = models.CharField(
        "完成时限", max_length=40, blank=True, help_text="原文写法：2024年底前、持续推进"
    )
    deadline_date = models.DateField(
        "完成日期", null=True, blank=True, help_text="完成时限所指期间的最后一天；持续推进或未写明时为空"
    )
    flags = models.JSONField("待核实", default=list, blank=True, help_text="解析时没有把握的地方")
    origin = models.CharField("来源", max_length=10, choices=Origin.choices, default=Origin.PARSER)
    progress_note = models.TextField("进展情况", blank=True, help_text="责任单位填写的最新进展")
    order = models.PositiveIntegerField(default=0)
    organizations = models.ManyToManyField(Organization, through="Responsibility", related_name="tasks")
    is_active = models.BooleanField("有效", default=True)
    # Moves on at every save: the version an edit form or an API client read the task at.
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords()

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = "任务"
        verbose_name_plural = "任务"
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def deadline_text(self) -> str:
        """完成时限 as the ledger page and its export both show it: the task's own, or the end of
        its plan's period (a task without one runs to the plan's end)."""
        if self.deadline:
            return self.deadline
        end = self.plan.period_end if self.plan_id else None
        return f"{end}年底" if end else ""


class Responsibility(models.Model):
    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="responsibilities")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="responsibilities")
    is_lead = models.BooleanField("牵头", default=False)
    name_as_written = models.CharField("原文名称", max_length=120)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField("有效", default=True)
    history = HistoricalRecords()

    objects = ResponsibilityQuerySet.as_manager()

    class Meta:
        verbose_name = "责任分工"
        verbose_name_plural = "责任分工"
        ordering = ["task", "order"]
        constraints = [models.UniqueConstraint(fields=["task", "organization"], name="responsibility_unique")]

    def __str__(self) -> str:
        return f"{self.task} · {self.organization}{'（牵头）' if self.is_lead else ''}"


class Indicator(models.Model):
    name = models.CharField("指标", max_length=200, unique=True)
    unit = models.CharField("单位", max_length=20, blank=True)
    description = models.TextField("说明", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "指标"
        verbose_name_plural = "指标"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class IndicatorAlias(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="aliases")
    name = models.CharField("别名", max_length=200, unique=True)

    class Meta:
        verbose_name = "指标别名"
        verbose_name_plural = "指标别名"

    def __str__(self) -> str:
        return self.name


class Target(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="targets")
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.PROTECT, related_name="targets")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="targets")
    text = models.CharField("原文", max_length=500)
    indicator_as_written = models.CharField("原文指标", max_length=200)
    value = models.DecimalField("目标值", max_digits=24, decimal_places=6)
    value_max = models.DecimalField("上限", max_digits=24, decimal_places=6, null=True, blank=True)
    unit = models.CharField("单位", max_length=20, blank=True)
    comparator = models.CharField("比较", max_length=2, default="=")
    year = models.PositiveSmallIntegerField("年份", null=True, blank=True)
    per_year = models.BooleanField("年均", default=False)
    section_path = models.CharField("所属章节", max_length=500, blank=True)
    order = models.PositiveIntegerField(default=0)
    flags = models.JSONField("待核实", default=list, blank=True, help_text="解析时没有把握的地方")
    origin = models.CharField("来源", max_length=10, choices=Origin.choices, default=Origin.PARSER)
    is_active = models.BooleanField("有效", default=True)
    history = HistoricalRecords()

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = "目标"
        verbose_name_plural = "目标"
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return self.text

    @property
    def display_value(self) -> str:
        from newinfra.parsing.display import format_quantity

        return format_quantity(self.value, self.unit, self.comparator, self.value_max, self.per_year)


class PlanRevision(models.Model):
    """A revised file of a published plan, read and waiting: the live plan is unchanged until the
    office publishes the revision, which applies it (keeping the office's corrections)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "待发布"
        PUBLISHED = "published", "已发布"
        DISCARDED = "discarded", "已放弃"

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="revisions")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    source_name = models.CharField("来源文件", max_length=255, blank=True)
    source_sha256 = models.CharField("文件摘要", max_length=64, blank=True)
    source_text = models.TextField("原文", blank=True)
    document = models.JSONField("解析结果", default=dict, blank=True)
    # conflict key → "office" (keep the correction) or "revision" (take the new text)
    decisions = models.JSONField("冲突处理", default=dict, blank=True)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["document", "source_text"])

    class Meta:
        verbose_name = "规划修订"
        verbose_name_plural = "规划修订"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.plan.title} · 修订 {self.created_at:%Y-%m-%d}"
