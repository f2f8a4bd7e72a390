"""The project library (项目库): projects, their review, stages, flags, rolling plan and dispatch.

Amounts are in 万元 as Decimal. A project's review status (where its declaration is) and its stage
(where the works are) are separate: only an admitted (入库) project has a stage. Every record keeps
its history; nothing is deleted (a removed project is 调出 with a reason).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from newinfra.orgs.models import Organization
from newinfra.plans.models import Indicator, Task

from .validators import validate_project_code

ZERO = Decimal("0")


class Domain(models.TextChoices):
    G5 = "5g", "5G"
    GIGABIT = "gigabit", "千兆光网"
    IOT = "iot", "物联网"
    IIOT = "iiot", "工业互联网"
    DATACENTER = "datacenter", "数据中心/算力"
    AI = "ai", "人工智能"
    BLOCKCHAIN = "blockchain", "区块链"
    TRANSPORT = "transport", "智慧交通"
    ENERGY = "energy", "智慧能源/充电"
    CITY = "city", "智慧城市"
    INNOVATION = "innovation", "创新基础设施"
    OTHER = "other", "其他"


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待初审"
    FIRST_REVIEWED = "first_reviewed", "待复核"
    RETURNED = "returned", "退回修改"
    ADMITTED = "admitted", "已入库"
    REJECTED = "rejected", "不予入库"


class Stage(models.TextChoices):
    RESERVE = "reserve", "储备"
    PREPARATION = "preparation", "前期"
    CONSTRUCTION = "construction", "在建"
    COMPLETED = "completed", "建成投产"
    REMOVED = "removed", "调出"


# The order works go through; 调出 may happen from any of them.
STAGE_ORDER = [Stage.RESERVE, Stage.PREPARATION, Stage.CONSTRUCTION, Stage.COMPLETED]


class ProjectQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Project(models.Model):
    code = models.CharField(
        "投资项目统一代码",
        max_length=24,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_project_code],
        error_messages={"unique": "该投资项目统一代码已在项目库中，请勿重复申报。"},
    )
    name = models.CharField("项目名称", max_length=200)
    declarant = models.ForeignKey(
        Organization, verbose_name="申报单位", on_delete=models.PROTECT, related_name="declared_projects"
    )
    competent = models.ForeignKey(
        Organization,
        verbose_name="初审单位",
        on_delete=models.PROTECT,
        related_name="competent_projects",
        help_text="行业主管部门或项目所在区政府，负责初审。",
    )
    districts = models.ManyToManyField(
        Organization, verbose_name="所在区", related_name="district_projects", blank=True
    )
    # ",4,7,": the district ids, kept in step with ``districts`` (see ``refresh_districts_keys``) so
    # that statistics by district are read from one covering index instead of a join.
    districts_key = models.CharField(max_length=200, blank=True, default="", editable=False)
    domain = models.CharField("领域", max_length=16, choices=Domain.choices)
    description = models.TextField("建设内容", blank=True)
    lng = models.DecimalField("经度（GCJ-02）", max_digits=9, decimal_places=6, null=True, blank=True)
    lat = models.DecimalField("纬度（GCJ-02）", max_digits=9, decimal_places=6, null=True, blank=True)
    tasks = models.ManyToManyField(Task, verbose_name="支撑规划任务", related_name="projects", blank=True)
    total_investment = models.DecimalField(
        "总投资（万元）", max_digits=14, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    planned_start = models.DateField("计划开工", null=True, blank=True)
    planned_finish = models.DateField("计划建成", null=True, blank=True)
    contact_name = models.CharField("联系人", max_length=40, blank=True)
    contact_phone = models.CharField("联系电话", max_length=40, blank=True)
    status = models.CharField("审核状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    stage = models.CharField("建设阶段", max_length=16, choices=Stage.choices, blank=True)
    stage_reason = models.CharField("调出原因", max_length=500, blank=True)
    admitted_on = models.DateField("入库日期", null=True, blank=True)
    # Kept up to date by the monthly dispatch so that lists and statistics never scan the reports.
    invested_to_date = models.DecimalField(
        "累计完成投资（万元）", max_digits=14, decimal_places=2, default=ZERO
    )
    progress_pct = models.DecimalField("形象进度（%）", max_digits=5, decimal_places=1, default=ZERO)
    last_report_month = models.DateField("最近调度月份", null=True, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)
    is_active = models.BooleanField("有效", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[districts, tasks])

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = "项目"
        verbose_name_plural = "项目"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "stage"]),
            models.Index(fields=["domain", "status"]),
            models.Index(fields=["declarant", "status"]),
            models.Index(fields=["competent", "status"]),
            models.Index(fields=["total_investment"]),
            # Covers the statistics' grouping: the database reads the index, never the rows.
            models.Index(
                fields=[
                    "domain",
                    "stage",
                    "status",
                    "districts_key",
                    "is_active",
                    "total_investment",
                    "invested_to_date",
                ],
                name="project_stats_cover",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_admitted(self) -> bool:
        return self.status == Status.ADMITTED

    @property
    def editable_by_declarant(self) -> bool:
        return self.status in (Status.DRAFT, Status.RETURNED)


def refresh_districts_keys(project_ids) -> None:
    """Recompute ``districts_key`` of these projects from their districts (after bulk writes)."""
    ids = list(project_ids)
    keys: dict[int, list[int]] = {pk: [] for pk in ids}
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        for pid, oid in Project.districts.through.objects.filter(project_id__in=chunk).values_list(
            "project_id", "organization_id"
        ):
            keys[pid].append(oid)
    by_key: dict[str, list[int]] = {}
    for pid, oids in keys.items():
        by_key.setdefault(districts_key(oids), []).append(pid)
    for key, pids in by_key.items():
        for start in range(0, len(pids), 5000):
            Project.objects.filter(pk__in=pids[start : start + 5000]).update(districts_key=key)


def districts_key(org_ids) -> str:
    ids = sorted(set(org_ids))
    return f",{','.join(map(str, ids))}," if ids else ""


class ProjectContribution(models.Model):
    """What a project adds to a plan indicator (e.g. +1,200 5G基站)."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="contributions")
    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(
        "贡献量", max_digits=14, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    unit = models.CharField("单位", max_length=20, blank=True)
    is_active = models.BooleanField("有效", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "指标贡献"
        verbose_name_plural = "指标贡献"


class ProjectEvent(models.Model):
    """One step of a project's life, as the users see it: who did what, when, saying what."""

    class Action(models.TextChoices):
        CREATE = "create", "创建草稿"
        SUBMIT = "submit", "提交申报"
        FIRST_APPROVE = "first_approve", "初审通过"
        FIRST_RETURN = "first_return", "初审退回修改"
        ADMIT = "admit", "复核通过，入库"
        OFFICE_RETURN = "office_return", "复核退回修改"
        REJECT = "reject", "不予入库"
        STAGE = "stage", "阶段变更"
        REMOVE = "remove", "调出项目库"
        ADJUST_REQUEST = "adjust_request", "申请调整"
        ADJUST_APPROVE = "adjust_approve", "调整获批"
        ADJUST_REJECT = "adjust_reject", "调整未获批"
        CONFIRM = "confirm", "年度滚动确认"
        FLAG = "flag", "标记"
        IMPORT = "import", "Excel导入"

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="events")
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    from_state = models.CharField("原状态", max_length=40, blank=True)
    to_state = models.CharField("新状态", max_length=40, blank=True)
    comment = models.TextField("意见", blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(Organization, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "项目办理记录"
        verbose_name_plural = "项目办理记录"
        ordering = ["at", "id"]


class AdjustmentRequest(models.Model):
    """A change of scope, investment or dates to an admitted project, approved by the office."""

    class State(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "未批准"

    # Fields an adjustment may change, with how a value is read from a form or JSON.
    FIELDS = {
        "name": "项目名称",
        "description": "建设内容",
        "total_investment": "总投资（万元）",
        "planned_start": "计划开工",
        "planned_finish": "计划建成",
    }

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="adjustments")
    changes = models.JSONField("调整内容", help_text="字段 → 调整后的值")
    before = models.JSONField("调整前", default=dict)
    reason = models.TextField("调整理由")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField("审批意见", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "调整申请"
        verbose_name_plural = "调整申请"
        ordering = ["-requested_at"]


class AnnualInvestment(models.Model):
    """The rolling three-year investment plan: planned investment of a project in one year."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="annual_plans")
    year = models.PositiveSmallIntegerField("年度")
    planned = models.DecimalField(
        "计划投资（万元）", max_digits=14, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    completed = models.DecimalField("完成投资（万元）", max_digits=14, decimal_places=2, default=ZERO)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "年度投资计划"
        verbose_name_plural = "年度投资计划"
        ordering = ["project", "year"]
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="one_plan_per_project_year")]
        indexes = [
            models.Index(fields=["project", "year", "planned", "completed"], name="annual_stats_cover")
        ]


class RollingConfirmation(models.Model):
    """Each year every project in the library is re-confirmed or removed (滚动更新)."""

    class Decision(models.TextChoices):
        PENDING = "pending", "待确认"
        CONFIRMED = "confirmed", "继续保留"
        REMOVED = "removed", "调出"

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="confirmations")
    year = models.PositiveSmallIntegerField("滚动年度")
    decision = models.CharField("结果", max_length=10, choices=Decision.choices, default=Decision.PENDING)
    comment = models.CharField("说明", max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "年度滚动确认"
        verbose_name_plural = "年度滚动确认"
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="one_confirmation_per_year")]


class FlagKind(models.TextChoices):
    CITY_KEY = "city_key", "市重点建设项目"
    PROVINCE_KEY = "province_key", "推荐省重点"
    NATIONAL_KEY = "national_key", "推荐国家重点"
    PILOT = "pilot", "试点示范（授牌）"
    CASE_BY_CASE = "case_by_case", "一事一议"
    SUBSIDY = "subsidy", "资金补助"


class ProjectFlag(models.Model):
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="flags")
    kind = models.CharField("标记", max_length=16, choices=FlagKind.choices)
    date = models.DateField("日期（授牌、认定或批复）", null=True, blank=True)
    document = models.CharField("文件文号", max_length=200, blank=True)
    subsidy_applied = models.DecimalField(
        "申请补助（万元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    subsidy_granted = models.DecimalField(
        "获批补助（万元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    note = models.CharField("备注", max_length=500, blank=True)
    is_active = models.BooleanField("有效", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "项目标记"
        verbose_name_plural = "项目标记"
        indexes = [models.Index(fields=["kind", "is_active"])]


class GreenChannelItem(models.Model):
    """An approval handled through the 绿色通道 (用地预审、规划许可、环评、施工许可 …)."""

    class State(models.TextChoices):
        WAITING = "waiting", "未启动"
        IN_PROGRESS = "in_progress", "办理中"
        APPROVED = "approved", "已批复"

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="green_items")
    item = models.CharField("审批事项", max_length=100)
    state = models.CharField("办理状态", max_length=12, choices=State.choices, default=State.WAITING)
    date = models.DateField("批复日期", null=True, blank=True)
    document = models.CharField("批复文号", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "绿色通道审批事项"
        verbose_name_plural = "绿色通道审批事项"


class DispatchReport(models.Model):
    """月度调度: what a project achieved in one month."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="dispatch_reports")
    month = models.DateField("月份", help_text="该月1日")
    invested_month = models.DecimalField(
        "当月完成投资（万元）", max_digits=14, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    invested_cumulative = models.DecimalField(
        "累计完成投资（万元）", max_digits=14, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    progress_pct = models.DecimalField(
        "形象进度（%）",
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("100"))],
    )
    milestone = models.CharField("本月节点", max_length=200, blank=True)
    problems = models.TextField("需协调解决的问题", blank=True)
    problem_unit = models.ForeignKey(
        Organization,
        verbose_name="问题协调单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="routed_problems",
        db_index=False,  # see the partial index below: almost every report has no problem
    )
    problem_resolved = models.BooleanField("问题已协调解决", default=False)
    explanation = models.CharField(
        "情况说明", max_length=500, blank=True, help_text="累计超过总投资或漏报月份时必须说明。"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "月度调度"
        verbose_name_plural = "月度调度"
        ordering = ["project", "month"]
        constraints = [models.UniqueConstraint(fields=["project", "month"], name="one_report_per_month")]
        indexes = [
            models.Index(fields=["month"]),
            models.Index(
                fields=["problem_unit", "project"],
                name="dispatch_problem_routed",
                condition=models.Q(problem_unit__isnull=False),
            ),
        ]


class DataVersion(models.Model):
    """Counters raised by every change that cached figures depend on; cached figures carry them.

    ``library``: projects, their districts, plans and flags (statistics); ``values``: indicator
    values (attainment); ``reports``: task progress, task states and organisations (the overdue
    lists of ``supervision.overdue``). Shared by every process, unlike the per-process cache itself.
    """

    name = models.CharField(max_length=20, unique=True)
    n = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "数据版本"
        verbose_name_plural = "数据版本"
