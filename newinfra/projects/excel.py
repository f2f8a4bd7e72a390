"""Excel in and out for the library: templates with drop-downs, and all-or-nothing imports.

An import is read whole, every row checked against the database and against the other rows, and
written in one transaction only when no row has an error; a preview is the same run without the
write. Rows are keyed (a project by its 投资项目统一代码, a report by code and month), so uploading
the same file again changes nothing. Writes are bulk operations with their history rows, so that
ten thousand rows import in seconds.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from newinfra.orgs.models import Organization, OrgKind, Role
from newinfra.orgs.permissions import is_office, membership
from newinfra.utilities import cells
from newinfra.utilities.workbooks import (
    MAX_ROWS,
    ImportResult,
    append_row,
    dropdown,
    read_table,
    template_workbook,
    to_bytes,
)

from . import permissions as perm
from .models import DispatchReport, Domain, Project, ProjectEvent, Stage, Status, refresh_districts_keys
from .services import dispatch_problems, month_start, refresh_totals
from .stats_cache import bump
from .validators import PROJECT_CODE_EXAMPLE, project_code_error

DECLARATION_COLUMNS = [
    ("code", "投资项目统一代码", 26),
    ("name", "项目名称", 36),
    ("declarant", "申报单位", 24),
    ("competent", "初审单位", 20),
    ("districts", "所在区", 16),
    ("domain", "领域", 14),
    ("total_investment", "总投资（万元）", 14),
    ("planned_start", "计划开工", 12),
    ("planned_finish", "计划建成", 12),
    ("lng", "经度", 11),
    ("lat", "纬度", 11),
    ("contact_name", "联系人", 10),
    ("contact_phone", "联系电话", 14),
    ("stage", "建设阶段", 10),
    ("description", "建设内容", 40),
]
DISPATCH_COLUMNS = [
    ("code", "投资项目统一代码", 26),
    ("name", "项目名称（仅供参考）", 36),
    ("month", "月份", 10),
    ("invested_month", "当月完成投资（万元）", 14),
    ("invested_cumulative", "累计完成投资（万元）", 14),
    ("progress_pct", "形象进度（%）", 10),
    ("milestone", "本月节点", 20),
    ("problems", "需协调解决的问题", 30),
    ("problem_unit", "协调单位", 20),
    ("explanation", "情况说明", 30),
]
KINDS = {"declaration": DECLARATION_COLUMNS, "dispatch": DISPATCH_COLUMNS}
KIND_LABELS = {"declaration": "项目申报", "dispatch": "月度调度"}
# --- templates ----------------------------------------------------------------------------------


def _district_names() -> list[str]:
    return list(
        Organization.objects.filter(kind=OrgKind.DISTRICT, is_active=True)
        .exclude(name="各区政府")
        .order_by("code")
        .values_list("name", flat=True)
    )


def _competent_names() -> list[str]:
    return list(
        Organization.objects.filter(kind__in=[OrgKind.CITY, OrgKind.DISTRICT], is_active=True)
        .exclude(name__in=["各区政府", "市直职能部门"])
        .order_by("kind", "name")
        .values_list("name", flat=True)
    )


def declaration_template(user) -> bytes:
    wb, ws = template_workbook(DECLARATION_COLUMNS, "项目申报")
    m = membership(user)
    example = [
        PROJECT_CODE_EXAMPLE,
        "（示例，请删除）某5G网络建设项目",
        m.organization.name if m else "",
        "天河区政府",
        "天河区政府",
        Domain.G5.label,
        1200,
        "2021-03-01",
        "2022-12-31",
        113.3612,
        23.1247,
        "张三",
        "020-12345678",
        "",
        "新建5G基站300个",
    ]
    append_row(ws, example)
    dropdown(wb, ws, DECLARATION_COLUMNS, "domain", [d.label for d in Domain])
    dropdown(wb, ws, DECLARATION_COLUMNS, "districts", _district_names())
    dropdown(wb, ws, DECLARATION_COLUMNS, "competent", _competent_names())
    dropdown(
        wb,
        ws,
        DECLARATION_COLUMNS,
        "stage",
        [Stage.RESERVE.label, Stage.PREPARATION.label, Stage.CONSTRUCTION.label, Stage.COMPLETED.label],
    )
    notes = wb.create_sheet("填写说明")
    for line in [
        "1. 每行一个项目，投资项目统一代码必填且不可重复；同一文件再次导入不会重复建项目。",
        f"2. 投资项目统一代码格式：年份-行政区划代码-行业代码-01/02/03-六位序号，例如 {PROJECT_CODE_EXAMPLE}。",
        "3. 所在区可填多个，用“、”分隔；金额单位为万元；日期格式为 年-月-日。",
        "4. 经纬度为 GCJ-02 坐标（高德、腾讯地图），可不填。",
        "5. 申报单位导入的项目为草稿，核对后在平台上提交；统筹办导入的项目直接入库，可填建设阶段。",
        "6. 任何一行有错误时，整个文件都不会导入，请按提示修改后重新上传。",
    ]:
        append_row(notes, [line])
    notes.column_dimensions["A"].width = 100
    return to_bytes(wb)


def dispatch_template(user) -> bytes:
    wb, ws = template_workbook(DISPATCH_COLUMNS, "月度调度")
    month = timezone.localdate().strftime("%Y-%m")
    projects = perm.visible_projects(user).filter(status=Status.ADMITTED).exclude(stage=Stage.REMOVED)
    if not is_office(user):
        m = membership(user)
        projects = projects.filter(declarant=m.organization) if m else projects.none()
    for code, name in projects.exclude(code=None).order_by("code").values_list("code", "name")[:MAX_ROWS]:
        append_row(ws, [code, name, month])
    dropdown(wb, ws, DISPATCH_COLUMNS, "problem_unit", _competent_names(), rows=max(2000, ws.max_row + 100))
    return to_bytes(wb)


# --- reading ------------------------------------------------------------------------------------


def read_rows(data: bytes, kind: str) -> list[dict]:
    """The template's rows as dicts (key → cell value) with their sheet row number in ``_row``."""
    return read_table(data, KINDS[kind], KIND_LABELS[kind], optional=("name",))


def _decimal(v, label: str, errors: list[str], required: bool = True, places: int = 2) -> Decimal | None:
    """Amounts and counts of the library: never negative."""
    return cells.number(v, label, errors, places, required, negative_ok=False)


_text, _date = cells.text, cells.date


def _month(v, errors: list[str]) -> dt.date | None:
    if isinstance(v, dt.datetime | dt.date):
        return month_start(v)
    try:
        return month_start(_text(v).replace("/", "-").replace(".", "-"))
    except Exception:
        errors.append(f"月份“{_text(v)}”格式应为 年-月，例如 2021-06")
        return None


class _Orgs:
    """Organisation names → organisations, resolved once per import."""

    def __init__(self):
        self.by_name = {o.name: o for o in Organization.objects.filter(is_active=True)}
        self.cache: dict[str, Organization | None] = {}

    def get(self, name: str) -> Organization | None:
        name = name.strip()
        if name in self.by_name:
            return self.by_name[name]
        if name not in self.cache:
            self.cache[name] = Organization.objects.resolve(name)
        return self.cache[name]

    def district(self, name: str) -> Organization | None:
        name = name.strip()
        for candidate in (name, f"{name}政府", f"{name}区政府"):
            org = self.get(candidate)
            if org and org.kind == OrgKind.DISTRICT and org.name != "各区政府":
                return org
        return None


DOMAIN_BY_LABEL = {d.label: d.value for d in Domain} | {d.value: d.value for d in Domain}
STAGE_BY_LABEL = {s.label: s.value for s in Stage if s != Stage.REMOVED}
PROJECT_FIELDS = [
    "name",
    "declarant_id",
    "competent_id",
    "domain",
    "total_investment",
    "planned_start",
    "planned_finish",
    "lng",
    "lat",
    "contact_name",
    "contact_phone",
    "description",
]


def import_declarations(rows: list[dict], user, commit: bool) -> ImportResult:
    from .forms import location_error

    result = ImportResult("declaration", rows=len(rows))
    m = membership(user)
    office = is_office(user)
    if not office and (m is None or m.role != Role.DECLARANT):
        result.errors.append((0, "只有申报单位或统筹办可以导入项目。"))
        return result
    orgs = _Orgs()
    codes = [_text(r.get("code")) for r in rows]
    existing = {
        p.code: p
        for p in Project.objects.filter(code__in=[c for c in codes if c]).prefetch_related("districts")
    }
    seen: dict[str, int] = {}
    parsed = []
    for r in rows:
        errs: list[str] = []
        code = _text(r.get("code"))
        if not code:
            errs.append("投资项目统一代码不能为空")
        elif e := project_code_error(code):
            errs.append(e.rstrip("。"))
        elif code in seen:
            errs.append(f"投资项目统一代码与第{seen[code]}行重复")
        else:
            seen[code] = r["_row"]
        name = _text(r.get("name"))
        if not name:
            errs.append("项目名称不能为空")
        declarant = m.organization if not office else None
        declarant_name = _text(r.get("declarant"))
        if office:
            declarant = orgs.get(declarant_name) if declarant_name else None
            if declarant is None:
                errs.append(
                    f"申报单位“{declarant_name}”不在单位名录中" if declarant_name else "申报单位不能为空"
                )
        elif declarant_name and orgs.get(declarant_name) != m.organization:
            errs.append(f"申报单位“{declarant_name}”不是您所在的单位，只能导入本单位的项目")
        competent_name = _text(r.get("competent"))
        competent = orgs.get(competent_name) if competent_name else None
        if competent is None or competent.kind not in (OrgKind.CITY, OrgKind.DISTRICT):
            errs.append(
                f"初审单位“{competent_name}”不是市级部门或区政府" if competent_name else "初审单位不能为空"
            )
        district_orgs = []
        for dname in [
            x
            for x in _text(r.get("districts")).replace(",", "、").replace("，", "、").split("、")
            if x.strip()
        ]:
            d = orgs.district(dname)
            if d is None:
                errs.append(f"所在区“{dname}”不是广州市的区")
            else:
                district_orgs.append(d)
        if not district_orgs and not any("所在区" in e for e in errs):
            errs.append("所在区不能为空")
        domain = DOMAIN_BY_LABEL.get(_text(r.get("domain")))
        if domain is None:
            errs.append(f"领域“{_text(r.get('domain'))}”不在可选范围内")
        total = _decimal(r.get("total_investment"), "总投资", errs)
        if total is not None and total == 0:
            errs.append("总投资应大于0")
        start = _date(r.get("planned_start"), "计划开工", errs)
        finish = _date(r.get("planned_finish"), "计划建成", errs)
        if start and finish and finish < start:
            errs.append("计划建成日期早于计划开工日期")
        lng = _decimal(r.get("lng"), "经度", errs, required=False, places=6)
        lat = _decimal(r.get("lat"), "纬度", errs, required=False, places=6)
        if (loc := location_error(lng, lat)) and not any(x.startswith(("经度", "纬度")) for x in errs):
            errs.append(loc.rstrip("。"))
        stage_label = _text(r.get("stage"))
        stage = None
        if stage_label:
            if not office:
                errs.append("建设阶段由统筹办维护，申报单位导入时请留空")
            elif stage_label not in STAGE_BY_LABEL:
                errs.append(f"建设阶段“{stage_label}”不在可选范围内")
            else:
                stage = STAGE_BY_LABEL[stage_label]
        current = existing.get(code)
        if current is not None:
            if not current.is_active:
                errs.append("该代码对应的项目已停用")
            elif not office and (current.declarant_id != m.organization.pk):
                errs.append("该投资项目统一代码已由其他单位申报")
            elif not office and not current.editable_by_declarant:
                errs.append(
                    f"该项目已{current.get_status_display()}，不能通过导入修改；已入库项目请提交调整申请"
                )
        for e in errs:
            result.errors.append((r["_row"], e))
        if errs:
            continue
        parsed.append(
            {
                "row": r["_row"],
                "code": code,
                "current": current,
                "stage": stage,
                "districts": district_orgs,
                "values": {
                    "name": name,
                    "declarant_id": declarant.pk,
                    "competent_id": competent.pk,
                    "domain": domain,
                    "total_investment": total,
                    "planned_start": start,
                    "planned_finish": finish,
                    "lng": lng,
                    "lat": lat,
                    "contact_name": _text(r.get("contact_name"))[:40],
                    "contact_phone": _text(r.get("contact_phone"))[:40],
                    "description": _text(r.get("description")),
                },
            }
        )
    if result.errors:
        return result
    to_create, to_update, district_sets = [], [], []
    for item in parsed:
        current, values = item["current"], item["values"]
        if current is None:
            p = Project(code=item["code"], created_by=user, is_demo=False, **values)
            if office:
                p.status, p.stage, p.admitted_on = (
                    Status.ADMITTED,
                    item["stage"] or Stage.RESERVE,
                    timezone.localdate(),
                )
            to_create.append(p)
            district_sets.append((p, item["districts"]))
            result.created += 1
        else:
            changed = [f for f in PROJECT_FIELDS if getattr(current, f) != values[f]]
            if office and item["stage"] and current.is_admitted and item["stage"] != current.stage:
                current.stage = item["stage"]
                changed.append("stage")
            same_districts = {d.pk for d in current.districts.all()} == {d.pk for d in item["districts"]}
            if changed or not same_districts:
                for f in changed:
                    if f != "stage":
                        setattr(current, f, values[f])
                to_update.append((current, changed))
                if not same_districts:
                    district_sets.append((current, item["districts"]))
                result.updated += 1
            else:
                result.unchanged += 1
        if len(result.preview) < 50:
            result.preview.append(
                {
                    "row": item["row"],
                    "code": item["code"],
                    "name": values["name"],
                    "action": "新增" if current is None else "更新或不变",
                }
            )
    if not commit:
        return result
    with transaction.atomic():
        now = timezone.now()
        if to_create:
            bulk_create_with_history(
                to_create, Project, batch_size=1000, default_user=user, default_change_reason="Excel导入"
            )
            # bulk_create on SQLite and PostgreSQL sets primary keys; re-read by code to be safe.
            ids = dict(Project.objects.filter(code__in=[p.code for p in to_create]).values_list("code", "pk"))
            for p in to_create:
                p.pk = p.id = ids[p.code]
        if to_update:
            fields = sorted({f for _, changed in to_update for f in changed} | {"updated_at"})
            objs = []
            for p, _ in to_update:
                p.updated_at = now
                objs.append(p)
            bulk_update_with_history(
                objs, Project, fields, batch_size=1000, default_user=user, default_change_reason="Excel导入"
            )
        through = Project.districts.through
        if district_sets:
            through.objects.filter(project_id__in=[p.pk for p, _ in district_sets if p.pk]).delete()
            through.objects.bulk_create(
                [through(project_id=p.pk, organization_id=d.pk) for p, ds in district_sets for d in ds],
                batch_size=2000,
                ignore_conflicts=True,
            )
            refresh_districts_keys([p.pk for p, _ in district_sets])
        org = m.organization if m else None
        ProjectEvent.objects.bulk_create(
            [
                ProjectEvent(
                    project_id=p.pk,
                    action=ProjectEvent.Action.IMPORT,
                    to_state=p.get_status_display(),
                    comment="Excel导入新建",
                    user=user,
                    organization=org,
                )
                for p in to_create
            ]
            + [
                ProjectEvent(
                    project_id=p.pk,
                    action=ProjectEvent.Action.IMPORT,
                    comment="Excel导入更新："
                    + "、".join(str(Project._meta.get_field(f).verbose_name) for f in changed)
                    if changed
                    else "Excel导入更新：所在区",
                    user=user,
                    organization=org,
                )
                for p, changed in to_update
            ],
            batch_size=2000,
        )
        bump()
    return result


def import_dispatch(rows: list[dict], user, commit: bool) -> ImportResult:
    result = ImportResult("dispatch", rows=len(rows))
    orgs = _Orgs()
    codes = {_text(r.get("code")) for r in rows}
    projects = {p.code: p for p in perm.visible_projects(user).filter(code__in=[c for c in codes if c])}
    existing: dict[int, dict[dt.date, DispatchReport]] = {}
    for rep in DispatchReport.objects.filter(project__in=projects.values()).order_by("month"):
        existing.setdefault(rep.project_id, {})[rep.month] = rep
    seen: dict[tuple[str, dt.date], int] = {}
    items = []
    for r in rows:
        errs: list[str] = []
        code = _text(r.get("code"))
        project = projects.get(code)
        if not code:
            errs.append("投资项目统一代码不能为空")
        elif project is None:
            errs.append(f"项目库中没有代码为“{code}”的项目，或您无权填报")
        elif not perm.can_report_dispatch(user, project):
            errs.append("该项目未入库或已调出，或您不是其申报单位，不能填报调度")
        month = _month(r.get("month"), errs)
        if project and month:
            if (code, month) in seen:
                errs.append(f"与第{seen[(code, month)]}行是同一项目同一月份")
            seen[(code, month)] = r["_row"]
        inv_month = _decimal(r.get("invested_month"), "当月完成投资", errs)
        inv_cum = _decimal(r.get("invested_cumulative"), "累计完成投资", errs)
        progress = _decimal(r.get("progress_pct"), "形象进度", errs, places=1)
        unit_name = _text(r.get("problem_unit"))
        unit = orgs.get(unit_name) if unit_name else None
        if unit_name and unit is None:
            errs.append(f"协调单位“{unit_name}”不在单位名录中")
        if _text(r.get("problems")) and not unit_name:
            errs.append("填写了需协调解决的问题时，请填写协调单位")
        for e in errs:
            result.errors.append((r["_row"], e))
        if not errs:
            items.append(
                {
                    "row": r["_row"],
                    "project": project,
                    "month": month,
                    "values": {
                        "invested_month": inv_month,
                        "invested_cumulative": inv_cum,
                        "progress_pct": progress,
                        "milestone": _text(r.get("milestone"))[:200],
                        "problems": _text(r.get("problems")),
                        "problem_unit": unit,
                        "explanation": _text(r.get("explanation"))[:500],
                    },
                }
            )
    # Each project's months in order, checked against its neighbours in the database and the file.
    items.sort(key=lambda i: (i["project"].pk, i["month"]))
    timeline = {pid: dict(reps) for pid, reps in existing.items()}
    to_create, to_update = [], []
    routed: list[DispatchReport] = []  # reports that route a problem to a unit anew
    today = timezone.localdate()
    for item in items:
        project, month, v = item["project"], item["month"], item["values"]
        months = timeline.setdefault(project.pk, {})
        earlier = [m for m in months if m < month]
        later = [m for m in months if m > month]
        previous = months[max(earlier)] if earlier else None
        following = months[min(later)] if later else None
        problems = dispatch_problems(
            project,
            month,
            v["invested_month"],
            v["invested_cumulative"],
            v["progress_pct"],
            v["explanation"],
            previous,
            following,
            today,
        )
        for e in problems:
            result.errors.append((item["row"], e.rstrip("。")))
        if problems:
            continue
        current = months.get(month)
        if current is not None and current.pk:
            changed = [f for f, val in v.items() if getattr(current, f) != val]
            if "problem_unit" in changed and v.get("problem_unit") is not None:
                routed.append(current)
            if changed:
                for f in changed:
                    setattr(current, f, v[f])
                current.reported_by = user
                to_update.append(current)
                result.updated += 1
            else:
                result.unchanged += 1
        else:
            current = DispatchReport(project=project, month=month, reported_by=user, **v)
            to_create.append(current)
            if v.get("problem_unit") is not None:
                routed.append(current)
            result.created += 1
        months[month] = current
        if len(result.preview) < 50:
            result.preview.append(
                {
                    "row": item["row"],
                    "code": project.code,
                    "name": project.name,
                    "action": f"{month:%Y-%m} 累计{v['invested_cumulative']}万元",
                }
            )
    if result.errors or not commit:
        return result
    with transaction.atomic():
        if to_create:
            bulk_create_with_history(
                to_create,
                DispatchReport,
                batch_size=1000,
                default_user=user,
                default_change_reason="Excel导入",
            )
        if to_update:
            now = timezone.now()
            for rep in to_update:
                rep.reported_at = now
            bulk_update_with_history(
                to_update,
                DispatchReport,
                [
                    "invested_month",
                    "invested_cumulative",
                    "progress_pct",
                    "milestone",
                    "problems",
                    "problem_unit",
                    "explanation",
                    "reported_by",
                    "reported_at",
                ],
                batch_size=1000,
                default_user=user,
                default_change_reason="Excel导入",
            )
        touched: dict[int, set[int]] = {}
        for rep in to_create + to_update:
            touched.setdefault(rep.project_id, set()).add(rep.month.year)
        by_pk = {p.pk: p for p in projects.values()}
        for pid, years in touched.items():
            refresh_totals(by_pk[pid], years)
        bump()
        _notify_routed(routed)
    return result


def _notify_routed(reports) -> None:
    """One notice per unit that an import routed problems to (one import is one event)."""
    from newinfra.supervision.models import Notice
    from newinfra.supervision.notices import notify

    by_unit: dict[int, list] = {}
    for r in reports:
        by_unit.setdefault(r.problem_unit_id, []).append(r)
    for rows in by_unit.values():
        names = "、".join(dict.fromkeys(r.project.name for r in rows[:5]))
        notify(
            rows[0].problem_unit,
            f"需协调解决的问题：{len(rows)}条（{names}{'等' if len(rows) > 5 else ''}）",
            "\n".join(f"{r.project.name}（{r.month:%Y年%m月}）：{r.problems}" for r in rows[:20]),
            "/projects/review/",
            Notice.Kind.PROBLEM,
        )


def run_import(kind: str, data: bytes, user, commit: bool) -> ImportResult:
    rows = read_rows(data, kind)
    if kind == "declaration":
        return import_declarations(rows, user, commit)
    return import_dispatch(rows, user, commit)
