"""Phase evaluations (组织实施 / 中期评估 / 总结示范): a frozen snapshot of the plan's state.

The snapshot is computed once, when the programme office freezes the evaluation, and stored whole;
pages and exports read only the snapshot, so later data never changes a frozen evaluation.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class Phase(models.TextChoices):
    IMPLEMENTATION = "implementation", "组织实施"
    MIDTERM = "midterm", "中期评估"
    SUMMARY = "summary", "总结示范"
    OTHER = "other", "其他"


class Evaluation(models.Model):
    name = models.CharField("名称", max_length=200)
    phase = models.CharField("阶段", max_length=16, choices=Phase.choices)
    as_of = models.DateField("评估基准日")
    snapshot = models.JSONField("评估结果", default=dict)
    frozen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    frozen_at = models.DateTimeField("冻结时间", auto_now_add=True)
    is_active = models.BooleanField("有效", default=True)
    # Voided by mistake or superseded: kept, shown as 已作废 with the reason, never counted again.
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="作废人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    void_reason = models.CharField("作废原因", max_length=500, blank=True)
    history = HistoricalRecords(excluded_fields=["snapshot"])

    class Meta:
        verbose_name = "阶段评估"
        verbose_name_plural = "阶段评估"
        ordering = ["-as_of", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None
