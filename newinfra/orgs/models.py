"""Organisations, their other spellings, and who belongs to which with what role."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from .validators import validate_admin_code, validate_uscc


class OrgKind(models.TextChoices):
    CITY = "city", "市级部门"
    DISTRICT = "district", "区政府"
    PROVINCE = "province", "省级单位"
    ENTERPRISE = "enterprise", "企业"
    OTHER = "other", "其他"


KIND_BY_LABEL = {label: value for value, label in OrgKind.choices}


class Role(models.TextChoices):
    ADMIN = "admin", "管理员"
    OFFICE = "office", "统筹办"
    RESPONSIBLE = "responsible", "责任单位"
    DECLARANT = "declarant", "申报单位"
    LEADER = "leader", "领导"


class OrganizationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def resolve(self, name: str) -> Organization | None:
        """The organisation a name denotes: by name, by alias or by the canonical table."""
        from newinfra.parsing.orgs import canonical_unit

        name = (name or "").strip()
        if not name:
            return None
        for candidate in dict.fromkeys([name, canonical_unit(name)]):
            org = self.filter(name=candidate).first()
            if org:
                return org
            alias = OrganizationAlias.objects.select_related("organization").filter(name=candidate).first()
            if alias:
                return alias.organization
        return None


class Organization(models.Model):
    name = models.CharField(
        "名称", max_length=120, unique=True, error_messages={"unique": "已有同名单位，请勿重复创建。"}
    )
    kind = models.CharField("类型", max_length=16, choices=OrgKind.choices, default=OrgKind.OTHER)
    code = models.CharField(
        "代码",
        max_length=18,
        blank=True,
        null=True,
        unique=True,
        error_messages={"unique": "该代码已被其他单位使用，同一代码只能对应一个单位。"},
        help_text="区政府填行政区划代码（GB/T 2260），企业填统一社会信用代码（GB 32100）。",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.code == "":
            self.code = None
        if not self.code:
            return
        self.code = self.code.strip().upper()
        if self.kind == OrgKind.DISTRICT:
            try:
                validate_admin_code(self.code)
            except ValidationError as exc:
                raise ValidationError({"code": exc.messages}) from exc
        elif self.kind == OrgKind.ENTERPRISE:
            try:
                validate_uscc(self.code)
            except ValidationError as exc:
                raise ValidationError({"code": exc.messages}) from exc


class OrganizationAlias(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="aliases")
    name = models.CharField("别名", max_length=120, unique=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "单位别名"
        verbose_name_plural = "单位别名"

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's organisation and role; every permission decision starts here."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="members")
    role = models.CharField("角色", max_length=16, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "用户单位与角色"
        verbose_name_plural = "用户单位与角色"

    def __str__(self) -> str:
        return f"{self.user} · {self.organization} · {self.get_role_display()}"
