"""Forms of the project library, with Chinese messages a declarant can act on."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.db.models import Q

from newinfra.orgs.models import Organization, OrgKind
from newinfra.plans.models import Indicator, Task, with_plan
from newinfra.utilities import bounds, versions
from newinfra.utilities.widgets import IsoDateInput, MonthInput

from .models import DispatchReport, FlagKind, GreenChannelItem, Project, ProjectFlag

# Guangzhou's extent in GCJ-02, with a margin: a point outside is a typing mistake.
GUANGZHOU_LNG = (Decimal("112.90"), Decimal("114.10"))
GUANGZHOU_LAT = (Decimal("22.50"), Decimal("23.98"))


def location_error(lng, lat) -> str | None:
    if (lng is None) != (lat is None):
        return "经度和纬度应同时填写。"
    if lng is None:
        return None
    if not (GUANGZHOU_LNG[0] <= lng <= GUANGZHOU_LNG[1] and GUANGZHOU_LAT[0] <= lat <= GUANGZHOU_LAT[1]):
        return "坐标不在广州市范围内（经度约113.0—114.0，纬度约22.5—23.9，GCJ-02），请检查是否填反或填错。"
    return None


def districts():
    return (
        Organization.objects.filter(kind=OrgKind.DISTRICT, is_active=True)
        .exclude(name="各区政府")
        .order_by("code", "name")
    )


def competent_units():
    return (
        Organization.objects.filter(kind__in=[OrgKind.CITY, OrgKind.DISTRICT], is_active=True)
        .exclude(name__in=["各区政府", "市直职能部门"])
        .order_by("kind", "name")
    )


class TaskChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.plan.title[:12]} · {obj.number}. {obj.title}"


class ProjectForm(versions.VersionedFormMixin, bounds.BoundedFormMixin, forms.ModelForm):
    version_noun = "项目"

    districts = forms.ModelMultipleChoiceField(
        label="所在区", queryset=Organization.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    tasks = TaskChoiceField(
        label="支撑规划任务",
        queryset=Task.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="按住 Ctrl 可多选。",
    )
    contribution_indicator = forms.ModelChoiceField(
        label="贡献指标", queryset=Indicator.objects.order_by("name"), required=False
    )
    contribution_amount = forms.DecimalField(
        label="贡献量", required=False, min_value=0, max_digits=14, decimal_places=2
    )

    class Meta:
        model = Project
        fields = [
            "code",
            "name",
            "domain",
            "competent",
            "districts",
            "description",
            "total_investment",
            "planned_start",
            "planned_finish",
            "lng",
            "lat",
            "tasks",
            "contact_name",
            "contact_phone",
        ]
        widgets = {
            "planned_start": IsoDateInput(),
            "planned_finish": IsoDateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "code": forms.TextInput(attrs={"placeholder": "例如 2021-440106-65-03-012345"}),
        }
        error_messages = {
            "total_investment": {"min_value": "总投资不能为负数。", "invalid": "总投资应为数字（万元）。"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["districts"].queryset = districts()
        # Only the units that can do a 初审 (district governments and the domains' departments),
        # and none needed: left empty, it is proposed from the project's district and domain.
        from .services import DOMAIN_DEPARTMENTS

        self.fields["competent"].queryset = competent_units().filter(
            Q(kind=OrgKind.DISTRICT) | Q(name__in=set(DOMAIN_DEPARTMENTS.values()))
        )
        self.fields["competent"].required = False
        self.fields["competent"].empty_label = "按所在区和领域自动确定"
        self.fields[
            "competent"
        ].help_text = "留空即可：只在一个区的项目由所在区政府初审，跨区项目由行业主管部门初审。"
        self.fields["tasks"].queryset = with_plan(Task.objects.live()).order_by("plan_id", "order")
        self.fields["code"].required = False
        self.fields["code"].help_text = "提交申报前必须填写；草稿可暂缺。"
        first = self.instance.contributions.filter(is_active=True).first() if self.instance.pk else None
        if first:
            self.initial.setdefault("contribution_indicator", first.indicator_id)
            self.initial.setdefault("contribution_amount", first.amount)

    def clean_code(self):
        return (self.cleaned_data.get("code") or "").strip() or None

    def clean(self):
        data = super().clean()
        error = location_error(data.get("lng"), data.get("lat"))
        if error:
            self.add_error("lng", error)
        start, finish = data.get("planned_start"), data.get("planned_finish")
        if start and finish and finish < start:
            self.add_error("planned_finish", "计划建成日期不能早于计划开工日期。")
        if bool(data.get("contribution_indicator")) != (data.get("contribution_amount") is not None):
            self.add_error("contribution_amount", "贡献指标和贡献量应同时填写。")
        districts, domain = list(data.get("districts") or []), data.get("domain")
        if domain and districts:
            from .services import competent_candidates, propose_competent

            chosen = data.get("competent")
            if chosen is None:
                data["competent"] = propose_competent(districts, domain)
            elif chosen not in competent_candidates(districts, domain):
                names = "、".join(o.name for o in competent_candidates(districts, domain))
                self.add_error("competent", f"初审单位应为项目所在区政府或行业主管部门：{names}。")
        elif data.get("competent") is None and "competent" not in self.errors:
            self.add_error("competent", "请先选择所在区和领域，以确定初审单位。")
        return data


class DispatchForm(bounds.BoundedFormMixin, forms.ModelForm):
    month = forms.CharField(label="月份", widget=MonthInput())

    class Meta:
        model = DispatchReport
        fields = [
            "invested_month",
            "invested_cumulative",
            "progress_pct",
            "milestone",
            "problems",
            "problem_unit",
            "explanation",
        ]
        widgets = {"problems": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problem_unit"].queryset = competent_units()
        self.fields[
            "problem_unit"
        ].help_text = "有需协调解决的问题时，选择负责协调的单位，问题会出现在该单位的待办中。"

    def clean(self):
        data = super().clean()
        if data.get("problems", "").strip() and not data.get("problem_unit"):
            self.add_error("problem_unit", "填写了需协调解决的问题时，请选择协调单位。")
        return data


class AdjustmentForm(bounds.BoundedFormMixin, forms.Form):
    name = forms.CharField(label="项目名称", required=False, max_length=200)
    description = forms.CharField(label="建设内容", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    total_investment = forms.DecimalField(
        label="总投资（万元）", required=False, min_value=0, max_digits=14, decimal_places=2
    )
    planned_start = forms.DateField(label="计划开工", required=False, widget=IsoDateInput())
    planned_finish = forms.DateField(label="计划建成", required=False, widget=IsoDateInput())
    reason = forms.CharField(label="调整理由", widget=forms.Textarea(attrs={"rows": 3}))


class FlagForm(bounds.BoundedFormMixin, forms.ModelForm):
    class Meta:
        model = ProjectFlag
        fields = ["kind", "date", "document", "subsidy_applied", "subsidy_granted", "note"]
        widgets = {"date": IsoDateInput()}

    def clean(self):
        data = super().clean()
        if data.get("kind") == FlagKind.PILOT and not data.get("date"):
            self.add_error("date", "试点示范项目请填写授牌日期。")
        if data.get("kind") == FlagKind.SUBSIDY and data.get("subsidy_applied") is None:
            self.add_error("subsidy_applied", "资金补助请填写申请金额。")
        for f in ("subsidy_applied", "subsidy_granted"):
            if data.get(f) is not None and data[f] < 0:
                self.add_error(f, "金额不能为负数。")
        return data


class GreenItemForm(bounds.BoundedFormMixin, forms.ModelForm):
    class Meta:
        model = GreenChannelItem
        fields = ["item", "state", "date", "document"]
        widgets = {"date": IsoDateInput()}
