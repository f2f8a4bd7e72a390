"""Every change of a project goes through here: one transaction, one event, checked rules.

Pages, API and imports call these functions, so a rule (say, a cumulative investment never
decreases) holds whichever way the data comes in. Errors are ``ProjectError`` with a Chinese
message a user can act on.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from newinfra.orgs.models import Organization, OrgKind
from newinfra.orgs.permissions import membership
from newinfra.supervision.models import Notice
from newinfra.supervision.notices import notify, notify_office
from newinfra.utilities import bounds

from . import permissions as perm
from .models import (
    STAGE_ORDER,
    AdjustmentRequest,
    AnnualInvestment,
    DispatchReport,
    Domain,
    Project,
    ProjectEvent,
    RollingConfirmation,
    Stage,
    Status,
)
from .stats_cache import bump
from .validators import project_code_error

A = ProjectEvent.Action


class ProjectError(Exception):
    """A rule of the project library that a request breaks; the message is for the user."""

    def __init__(self, message: str | list[str]):
        self.messages = [message] if isinstance(message, str) else list(message)
        super().__init__("；".join(self.messages))


def _event(project, user, action, from_state="", to_state="", comment=""):
    m = membership(user) if user is not None else None
    return ProjectEvent.objects.create(
        project=project,
        action=action,
        from_state=str(from_state),
        to_state=str(to_state),
        comment=comment or "",
        user=user,
        organization=m.organization if m else None,
    )


def _link(project) -> str:
    return f"/projects/{project.pk}/"


def _tell_declarant(project, event, title: str, body: str = "") -> None:
    """One notice to the declaring unit for one step of its project."""
    notify(
        project.declarant,
        title,
        body,
        _link(project),
        Notice.Kind.PROJECT,
        key=f"project:{project.pk}:event:{event.pk}",
    )


def _save(project, user, reason: str = ""):
    project._history_user = user
    if reason:
        project._change_reason = reason[:100]
    project.save()


# --- who does the 初审 -----------------------------------------------------------------------------

# The city department in charge of each domain (行业主管部门).
DOMAIN_DEPARTMENTS = {
    Domain.G5: "市工业和信息化局",
    Domain.GIGABIT: "市工业和信息化局",
    Domain.IOT: "市工业和信息化局",
    Domain.IIOT: "市工业和信息化局",
    Domain.DATACENTER: "市发展改革委",
    Domain.AI: "市科技局",
    Domain.BLOCKCHAIN: "市工业和信息化局",
    Domain.TRANSPORT: "市交通运输局",
    Domain.ENERGY: "市发展改革委",
    Domain.CITY: "市政务服务数据管理局",
    Domain.INNOVATION: "市科技局",
    Domain.OTHER: "市发展改革委",
}


def competent_candidates(districts, domain: str) -> list[Organization]:
    """Who may do a project's 初审: the government of each district it is in, and the domain's
    department. The first is the proposal: the district for a project in one district, the
    department for one across districts (or with none given)."""
    govs = [d for d in districts if d.kind == OrgKind.DISTRICT and d.name != "各区政府"]
    department = Organization.objects.resolve(DOMAIN_DEPARTMENTS.get(domain, "市发展改革委"))
    ordered = govs + [department] if len(govs) == 1 else [department] + govs
    return [o for o in dict.fromkeys(ordered) if o is not None]


def propose_competent(districts, domain: str) -> Organization | None:
    candidates = competent_candidates(districts, domain)
    return candidates[0] if candidates else None


def missing_for_submission(project: Project) -> list[str]:
    problems = []
    if not project.code:
        problems.append("请填写投资项目统一代码。")
    elif error := project_code_error(project.code):
        problems.append(error)
    if not project.name.strip():
        problems.append("请填写项目名称。")
    if project.total_investment is None or project.total_investment <= 0:
        problems.append("总投资应大于0。")
    if project.pk and not project.districts.exists():
        problems.append("请选择项目所在区。")
    if project.planned_start and project.planned_finish and project.planned_finish < project.planned_start:
        problems.append("计划建成日期不能早于计划开工日期。")
    if not project.contact_name or not project.contact_phone:
        problems.append("请填写联系人和联系电话。")
    return problems


@transaction.atomic
def submit(project: Project, user, comment: str = "") -> Project:
    if not perm.can_edit(user, project):
        raise ProjectError("只有申报单位可以提交草稿或退回修改的项目。")
    problems = missing_for_submission(project)
    if problems:
        raise ProjectError(problems)
    before = project.get_status_display()
    project.status = Status.SUBMITTED
    _save(project, user, "提交申报")
    event = _event(project, user, A.SUBMIT, before, project.get_status_display(), comment)
    notify(
        project.competent,
        f"待初审：{project.name}（{project.declarant.name}）",
        f"{project.declarant.name}提交了项目“{project.name}”，请进行初审。",
        _link(project),
        Notice.Kind.PROJECT,
        key=f"project:{project.pk}:event:{event.pk}",
    )
    return project


@transaction.atomic
def first_review(project: Project, user, approve: bool, comment: str = "") -> Project:
    if not perm.can_first_review(user, project):
        raise ProjectError("此项目不在您单位的初审范围内，或不处于待初审状态。")
    if not approve and not comment.strip():
        raise ProjectError("退回修改时请填写意见，告诉申报单位需要修改什么。")
    before = project.get_status_display()
    project.status = Status.FIRST_REVIEWED if approve else Status.RETURNED
    _save(project, user, "初审")
    event = _event(
        project,
        user,
        A.FIRST_APPROVE if approve else A.FIRST_RETURN,
        before,
        project.get_status_display(),
        comment,
    )
    if approve:
        notify_office(
            f"待复核：{project.name}（{project.competent.name}已初审通过）",
            comment,
            _link(project),
            Notice.Kind.PROJECT,
            key=f"project:{project.pk}:event:{event.pk}",
        )
    else:
        _tell_declarant(project, event, f"项目“{project.name}”初审退回修改", comment)
    return project


@transaction.atomic
def office_review(project: Project, user, decision: str, comment: str = "") -> Project:
    """decision: admit | return | reject."""
    if not perm.can_office_review(user, project):
        raise ProjectError("只有统筹办可以复核已通过初审的项目。")
    if decision not in ("admit", "return", "reject"):
        raise ProjectError("复核结论应为入库、退回修改或不予入库。")
    if decision != "admit" and not comment.strip():
        raise ProjectError("退回或不予入库时请填写意见。")
    before = project.get_status_display()
    if decision == "admit":
        project.status = Status.ADMITTED
        project.stage = Stage.RESERVE
        project.admitted_on = timezone.localdate()
        action = A.ADMIT
    elif decision == "return":
        project.status, action = Status.RETURNED, A.OFFICE_RETURN
    else:
        project.status, action = Status.REJECTED, A.REJECT
    _save(project, user, "复核")
    event = _event(project, user, action, before, project.get_status_display(), comment)
    outcome = {A.ADMIT: "已入库", A.OFFICE_RETURN: "复核退回修改", A.REJECT: "不予入库"}[action]
    _tell_declarant(project, event, f"项目“{project.name}”{outcome}", comment)
    return project


@transaction.atomic
def change_stage(project: Project, user, stage: str, comment: str = "") -> Project:
    if not perm.can_change_stage(user, project):
        raise ProjectError("您不能变更此项目的建设阶段。")
    if stage == Stage.REMOVED:
        return remove(project, user, comment)
    if stage not in STAGE_ORDER:
        raise ProjectError("未知的建设阶段。")
    if STAGE_ORDER.index(stage) <= STAGE_ORDER.index(project.stage):
        raise ProjectError(
            f"建设阶段只能向前推进：当前为“{project.get_stage_display()}”，不能改为“{Stage(stage).label}”。"
        )
    before = project.get_stage_display()
    project.stage = stage
    if stage == Stage.COMPLETED:
        project.progress_pct = Decimal("100")
    _save(project, user, "阶段变更")
    _event(project, user, A.STAGE, before, project.get_stage_display(), comment)
    return project


@transaction.atomic
def remove(project: Project, user, reason: str) -> Project:
    if not perm.can_remove(user, project):
        raise ProjectError("只有统筹办可以将项目调出项目库。")
    if not (reason or "").strip():
        raise ProjectError("调出项目库时请填写原因。")
    before = project.get_stage_display()
    project.stage = Stage.REMOVED
    project.stage_reason = reason.strip()[:500]
    _save(project, user, "调出")
    _event(project, user, A.REMOVE, before, project.get_stage_display(), reason)
    return project


# --- adjustments --------------------------------------------------------------------------------


def _clean_adjustment_value(field: str, raw) -> object:
    if field == "total_investment":
        try:
            value = Decimal(str(raw).replace(",", "").strip())
        except InvalidOperation as exc:
            raise ProjectError("调整后的总投资应为数字（万元）。") from exc
        if value <= 0:
            raise ProjectError("调整后的总投资应大于0。")
        return str(value.quantize(Decimal("0.01")))
    if field in ("planned_start", "planned_finish"):
        try:
            return dt.date.fromisoformat(str(raw)).isoformat()
        except ValueError as exc:
            raise ProjectError("日期格式应为 年-月-日，例如 2022-06-30。") from exc
    value = str(raw).strip()
    if not value:
        raise ProjectError(f"{AdjustmentRequest.FIELDS[field]}不能为空。")
    return value


def _as_json(value) -> object:
    return (
        value.isoformat()
        if isinstance(value, dt.date)
        else str(value)
        if isinstance(value, Decimal)
        else value
    )


@transaction.atomic
def request_adjustment(project: Project, user, changes: dict, reason: str) -> AdjustmentRequest:
    if not perm.can_request_adjustment(user, project):
        raise ProjectError("只有已入库项目的申报单位可以申请调整。")
    if project.adjustments.filter(state=AdjustmentRequest.State.PENDING).exists():
        raise ProjectError("此项目已有一项待审批的调整申请，请等待统筹办审批后再提交。")
    if not (reason or "").strip():
        raise ProjectError("请填写调整理由。")
    cleaned = {}
    for field, raw in changes.items():
        if field not in AdjustmentRequest.FIELDS:
            raise ProjectError(f"“{field}”不能通过调整申请修改。")
        if raw in (None, ""):
            continue
        value = _clean_adjustment_value(field, raw)
        if value != _as_json(getattr(project, field)):
            cleaned[field] = value
    if not cleaned:
        raise ProjectError("调整后的内容与现在相同，没有需要调整的内容。")
    start = cleaned.get("planned_start", _as_json(project.planned_start))
    finish = cleaned.get("planned_finish", _as_json(project.planned_finish))
    if start and finish and finish < start:
        raise ProjectError("计划建成日期不能早于计划开工日期。")
    adjustment = AdjustmentRequest(
        project=project,
        changes=cleaned,
        before={f: _as_json(getattr(project, f)) for f in cleaned},
        reason=reason.strip(),
        requested_by=user,
    )
    adjustment._history_user = user
    adjustment.save()
    summary = "；".join(
        f"{AdjustmentRequest.FIELDS[f]}：{adjustment.before[f]} → {v}" for f, v in cleaned.items()
    )
    _event(project, user, A.ADJUST_REQUEST, "", "", f"{summary}。理由：{reason.strip()}")
    return adjustment


@transaction.atomic
def decide_adjustment(
    adjustment: AdjustmentRequest, user, approve: bool, comment: str = ""
) -> AdjustmentRequest:
    if not perm.can_manage(user):
        raise ProjectError("只有统筹办可以审批调整申请。")
    if adjustment.state != AdjustmentRequest.State.PENDING:
        raise ProjectError("此调整申请已经审批过。")
    if not approve and not comment.strip():
        raise ProjectError("不批准时请填写意见。")
    project = adjustment.project
    if approve:
        for field, value in adjustment.changes.items():
            if field == "total_investment":
                value = Decimal(value)
            elif field in ("planned_start", "planned_finish"):
                value = dt.date.fromisoformat(value)
            setattr(project, field, value)
        _save(project, user, "调整获批")
    adjustment.state = AdjustmentRequest.State.APPROVED if approve else AdjustmentRequest.State.REJECTED
    adjustment.decided_by = user
    adjustment.decided_at = timezone.now()
    adjustment.decision_comment = comment.strip()
    adjustment._history_user = user
    adjustment.save()
    event = _event(project, user, A.ADJUST_APPROVE if approve else A.ADJUST_REJECT, "", "", comment)
    _tell_declarant(
        project, event, f"项目“{project.name}”的调整申请{'已批准' if approve else '未获批准'}", comment
    )
    return adjustment


# --- monthly dispatch ---------------------------------------------------------------------------


def month_start(value) -> dt.date:
    if isinstance(value, str):
        value = value.strip()
        for fmt in ("%Y-%m", "%Y-%m-%d", "%Y/%m", "%Y年%m月"):
            try:
                value = dt.datetime.strptime(value, fmt).date()
                break
            except ValueError:
                continue
        else:
            raise ProjectError("月份格式应为 年-月，例如 2021-06。")
    if isinstance(value, dt.datetime):
        value = value.date()
    try:
        bounds.check_date(value, "月份")
    except bounds.OutOfBounds as exc:
        raise ProjectError(str(exc)) from exc
    return value.replace(day=1)


def _next_month(d: dt.date) -> dt.date:
    return (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _months_between(a: dt.date, b: dt.date) -> list[dt.date]:
    """Months strictly between a and b."""
    out, m = [], _next_month(a)
    while m < b:
        out.append(m)
        m = _next_month(m)
    return out


def dispatch_problems(
    project: Project,
    month: dt.date,
    invested_month: Decimal,
    invested_cumulative: Decimal,
    progress_pct: Decimal,
    explanation: str = "",
    previous: DispatchReport | None = None,
    following: DispatchReport | None = None,
    today: dt.date | None = None,
) -> list[str]:
    """The rules a monthly report must meet, against its neighbours; empty when it meets them."""
    problems = []
    today = today or timezone.localdate()
    explained = bool((explanation or "").strip())
    if month > today.replace(day=1):
        problems.append(f"不能填报未来月份（{month:%Y年%m月}）。")
    if invested_month < 0 or invested_cumulative < 0:
        problems.append("完成投资不能为负数。")
    if not Decimal(0) <= progress_pct <= Decimal(100):
        problems.append("形象进度应在0到100之间。")
    if previous is not None:
        if invested_cumulative < previous.invested_cumulative:
            problems.append(
                f"累计完成投资{invested_cumulative}万元少于{previous.month:%Y年%m月}的累计"
                f"{previous.invested_cumulative}万元，累计数不能减少。"
            )
        gap = _months_between(previous.month, month)
        if gap and not explained:
            names = "、".join(f"{m:%Y年%m月}" for m in gap[:6]) + ("等" if len(gap) > 6 else "")
            problems.append(f"漏报了{names}，请先补报，或在情况说明中写明原因。")
        increase = invested_cumulative - previous.invested_cumulative
        if not gap and increase >= 0 and increase != invested_month:
            problems.append(f"当月完成投资应等于本月累计减上月累计（{increase}万元）。")
    if following is not None and invested_cumulative > following.invested_cumulative:
        problems.append(
            f"累计完成投资超过了已报送的{following.month:%Y年%m月}累计{following.invested_cumulative}万元，累计数不能减少。"
        )
    if invested_cumulative > project.total_investment and not explained:
        problems.append(
            f"累计完成投资{invested_cumulative}万元超过总投资{project.total_investment}万元，请在情况说明中说明原因或申请调整总投资。"
        )
    return problems


def _neighbours(project: Project, month: dt.date):
    reports = DispatchReport.objects.filter(project=project)
    previous = reports.filter(month__lt=month).order_by("-month").first()
    following = reports.filter(month__gt=month).order_by("month").first()
    return previous, following


def refresh_totals(project: Project, years: set[int]) -> None:
    """Project's latest figures and each touched year's completed investment, from the reports.

    The updates bypass the signals that keep cached statistics honest: callers raise the library
    version once when they are done (``stats_cache.bump``).
    """
    latest = DispatchReport.objects.filter(project=project).order_by("-month").first()
    if latest:
        Project.objects.filter(pk=project.pk).update(
            invested_to_date=latest.invested_cumulative,
            progress_pct=latest.progress_pct,
            last_report_month=latest.month,
        )
    for year in years:
        done = DispatchReport.objects.filter(project=project, month__year=year).aggregate(
            s=Sum("invested_month")
        )["s"]
        AnnualInvestment.objects.filter(project=project, year=year).update(completed=done or 0)


@transaction.atomic
def save_dispatch(project: Project, user, month, data: dict, check_permission: bool = True) -> DispatchReport:
    """Create or correct the report of a month (one per project and month)."""
    if check_permission and not perm.can_report_dispatch(user, project):
        raise ProjectError("只有已入库项目的申报单位或统筹办可以填报月度调度。")
    month = month_start(month)
    previous, following = _neighbours(project, month)
    problems = dispatch_problems(
        project,
        month,
        data["invested_month"],
        data["invested_cumulative"],
        data["progress_pct"],
        data.get("explanation", ""),
        previous,
        following,
    )
    if problems:
        raise ProjectError(problems)
    report = DispatchReport.objects.filter(project=project, month=month).first() or DispatchReport(
        project=project, month=month
    )
    routed_before = report.problem_unit_id
    for field in (
        "invested_month",
        "invested_cumulative",
        "progress_pct",
        "milestone",
        "problems",
        "problem_unit",
        "explanation",
    ):
        if field in data:
            setattr(report, field, data[field])
    report.reported_by = user
    report._history_user = user
    report.save()
    if report.problem_unit_id and report.problem_unit_id != routed_before and not report.problem_resolved:
        notify(
            report.problem_unit,
            f"需协调解决的问题：{project.name}（{month:%Y年%m月}）",
            report.problems,
            _link(project),
            Notice.Kind.PROBLEM,
            key=f"problem:{report.pk}:{report.problem_unit_id}",
        )
    refresh_totals(project, {month.year})
    bump()
    return report


# --- annual rolling update ----------------------------------------------------------------------


@transaction.atomic
def start_roll(year: int, user) -> int:
    """Open the year's roll: every project in the library that is not finished must be re-confirmed."""
    if not perm.can_manage(user):
        raise ProjectError("只有统筹办可以发起年度滚动更新。")
    projects = (
        Project.objects.active()
        .filter(status=Status.ADMITTED)
        .exclude(stage__in=[Stage.REMOVED, Stage.COMPLETED])
    )
    existing = set(RollingConfirmation.objects.filter(year=year).values_list("project_id", flat=True))
    new = [
        RollingConfirmation(project_id=pk, year=year)
        for pk in projects.values_list("pk", flat=True)
        if pk not in existing
    ]
    RollingConfirmation.objects.bulk_create(new, batch_size=2000)
    return len(new)


@transaction.atomic
def confirm_roll(
    confirmation: RollingConfirmation, user, keep: bool, plans: dict[int, Decimal], comment: str = ""
):
    """The declarant (or the office) keeps the project with its investment for N, N+1, N+2, or removes it."""
    project = confirmation.project
    if not (perm.is_declarant_of(user, project) or perm.can_manage(user)):
        raise ProjectError("只有申报单位或统筹办可以确认此项目的年度滚动。")
    if confirmation.decision != RollingConfirmation.Decision.PENDING:
        raise ProjectError("此项目本年度已经确认过。")
    if keep:
        expected = {confirmation.year, confirmation.year + 1, confirmation.year + 2}
        if set(plans) - expected:
            raise ProjectError(f"滚动投资计划只填{confirmation.year}—{confirmation.year + 2}年。")
        if any(v < 0 for v in plans.values()):
            raise ProjectError("计划投资不能为负数。")
        for year, amount in plans.items():
            plan, _ = AnnualInvestment.objects.get_or_create(
                project=project, year=year, defaults={"planned": amount}
            )
            if plan.planned != amount:
                plan.planned = amount
                plan._history_user = user
                plan.save()
        confirmation.decision = RollingConfirmation.Decision.CONFIRMED
    else:
        if not comment.strip():
            raise ProjectError("调出项目库时请填写原因。")
        confirmation.decision = RollingConfirmation.Decision.REMOVED
        before = project.get_stage_display()
        project.stage, project.stage_reason = Stage.REMOVED, comment.strip()[:500]
        _save(project, user, "年度滚动调出")
        _event(project, user, A.REMOVE, before, project.get_stage_display(), comment)
    confirmation.comment = comment.strip()[:500]
    confirmation.decided_by = user
    confirmation.decided_at = timezone.now()
    confirmation._history_user = user
    confirmation.save()
    _event(
        project,
        user,
        A.CONFIRM,
        "",
        confirmation.get_decision_display(),
        f"{confirmation.year}年度滚动：{comment}".rstrip("："),
    )
    return confirmation


def transition(project: Project, user, action: str, comment: str = "", stage: str = "") -> Project:
    """One entry for every move of a project (pages and API): submit, reviews, stage, removal."""
    comment = comment or ""
    calls = {
        "submit": lambda: submit(project, user, comment),
        "first_approve": lambda: first_review(project, user, True, comment),
        "first_return": lambda: first_review(project, user, False, comment),
        "admit": lambda: office_review(project, user, "admit", comment),
        "office_return": lambda: office_review(project, user, "return", comment),
        "reject": lambda: office_review(project, user, "reject", comment),
        "stage": lambda: change_stage(project, user, stage, comment),
        "remove": lambda: remove(project, user, comment),
    }
    if action not in calls:
        raise ProjectError("未知的操作。")
    return calls[action]()
