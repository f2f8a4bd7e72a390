"""Indicator reporting: how each plan indicator is reported, and the values reported against it.

Values go 草稿 → 待审核 → 已审核 (approved by the programme office) or 退回; only approved values
count for attainment and dashboards. A value belongs to a period (stored as the period's last day)
and to the whole city or one district.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from newinfra.orgs.models import Organization
from newinfra.plans.models import Indicator


class Kind(models.TextChoices):
    STOCK = "stock", "累计存量"
    FLOW = "flow", "期间新增"
    RATIO = "ratio", "比率/效率"
    RADIUS = "radius", "服务半径/覆盖"


class Frequency(models.TextChoices):
    MONTH = "month", "月报"
    QUARTER = "quarter", "季报"
    YEAR = "year", "年报"


def period_end(day: dt.date, frequency: str) -> dt.date:
    """The last day of the period of ``frequency`` that contains ``day``."""
    if frequency == Frequency.YEAR:
        return dt.date(day.year, 12, 31)
    month = day.month if frequency == Frequency.MONTH else ((day.month - 1) // 3 + 1) * 3
    return dt.date(day.year, month, calendar.monthrange(day.year, month)[1])


def previous_period_end(end: dt.date, frequency: str) -> dt.date:
    first = end.replace(day=1)
    if frequency == Frequency.YEAR:
        return dt.date(end.year - 1, 12, 31)
    back = 1 if frequency == Frequency.MONTH else 3
    month, year = first.month - back, first.year
    if month <= 0:
        month, year = month + 12, year - 1
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def period_label(end: dt.date, frequency: str) -> str:
    if frequency == Frequency.YEAR:
        return f"{end.year}年"
    if frequency == Frequency.QUARTER:
        return f"{end.year}年第{(end.month - 1) // 3 + 1}季度"
    return f"{end.year}年{end.month}月"


class IndicatorProfile(models.Model):
    """How an indicator is reported: kind, frequency, who reports it, bounds, baseline."""

    indicator = models.OneToOneField(Indicator, on_delete=models.PROTECT, related_name="profile")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.STOCK)
    frequency = models.CharField(
        "报送频率", max_length=10, choices=Frequency.choices, default=Frequency.QUARTER
    )
    responsible = models.ForeignKey(
        Organization,
        verbose_name="报送单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reported_indicators",
    )
    district_breakdown = models.BooleanField("分区报送", default=False)
    baseline = models.DecimalField("基期值", max_digits=24, decimal_places=4, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField("基期年", null=True, blank=True)
    min_value = models.DecimalField("合理下限", max_digits=24, decimal_places=4, null=True, blank=True)
    max_value = models.DecimalField("合理上限", max_digits=24, decimal_places=4, null=True, blank=True)
    grace_days = models.PositiveSmallIntegerField("报送期限（期末后天数）", default=15)
    domain = models.CharField("领域", max_length=16, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "指标报送设置"
        verbose_name_plural = "指标报送设置"

    def __str__(self) -> str:
        return f"{self.indicator} · {self.get_frequency_display()}"

    def due_date(self, end: dt.date) -> dt.date:
        return end + dt.timedelta(days=self.grace_days)


class ValueStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "已审核"
    RETURNED = "returned", "退回修改"


class DataValue(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="data_values")
    period = models.DateField("报告期（期末日）")
    district = models.ForeignKey(
        Organization,
        verbose_name="区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicator_values",
        help_text="空 = 全市合计",
    )
    value = models.DecimalField("数值", max_digits=24, decimal_places=4)
    status = models.CharField("状态", max_length=10, choices=ValueStatus.choices, default=ValueStatus.DRAFT)
    note = models.CharField("说明", max_length=500, blank=True)
    return_comment = models.CharField("退回意见", max_length=500, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报送人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reporting_org = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="报送单位",
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField("审核时间", null=True, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)
    # Moves on at every save: the version a report form or an API client read the value at.
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "指标数据"
        verbose_name_plural = "指标数据"
        ordering = ["indicator", "period", "district"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "district"],
                condition=models.Q(district__isnull=False),
                name="one_value_per_district_period",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period"],
                condition=models.Q(district__isnull=True),
                name="one_city_value_per_period",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "indicator", "period"], name="value_status_period"),
            # The city totals that attainment reads, without touching the district rows.
            models.Index(
                fields=["indicator", "period", "status", "value"],
                name="value_city_cover",
                condition=models.Q(district__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period} {self.district or '全市'}：{self.value}"
