"""What the office does to a plan: upload (a draft, or a draft revision of a published plan),
proofread (correct tasks, units, deadlines and targets), publish, withdraw, amend and revise.

Every write is one transaction and leaves history (the reason, when given, is the history's
change reason). Units are told through the ``unit_notice`` signal, which the supervision app
turns into notices (plans sit upstream of supervision and do not import it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from newinfra.orgs.models import KIND_BY_LABEL, Organization, OrganizationAlias, OrgKind
from newinfra.orgs.permissions import COLLECTIVE_UNITS
from newinfra.parsing import parse_text
from newinfra.parsing.orgs import guess_kind, unit_info
from newinfra.parsing.read import read_document
from newinfra.utilities import bounds, versions

from .loader import load_document, plan_key, resolve_indicator, with_title
from .models import Origin, Plan, PlanRevision, PlanStatus, Responsibility, Section, Target, Task
from .proofreading import COMPARATOR_LABELS as COMPARATORS
from .revisions import Conflict, RevisionPlan, plan_revision

# sent with organization, title, body, link, key; supervision.apps connects notify() to it
unit_notice = Signal()


def _stamp(obj, user, reason: str) -> None:
    """Who and why, for the history record the next save writes (the API authenticates after the
    history middleware has run, so the user is set here rather than left to it)."""
    obj._change_reason = reason
    if getattr(user, "is_authenticated", False):
        obj._history_user = user


class PlanError(ValueError):
    """A request the plan cannot take; the message is Chinese, for the page or the API."""


class UnknownUnit(PlanError):
    def __init__(self, name: str):
        self.name = name
        super().__init__(
            f"单位“{name}”不在单位名录中，请从名录中选择，或先新增该单位或将其设为已有单位的别名。"
        )


# --- reading an upload ----------------------------------------------------------------------

DOCUMENT_ERRORS_ZH = {
    "not_found": "无法读取上传的文件，请重新上传。",
    "unreadable": "无法读取上传的文件，请重新上传。",
    "empty": "文件是空的，请检查后重新上传。",
    "binary": "文件不是文本、Word、Excel、网页或PDF格式的规划文件，请检查后重新上传。",
    "encoding": "无法识别文件的文字编码。请另存为UTF-8、GB18030或Big5编码的文本，或直接上传Word文件。",
    "old_office": "这是旧版Office文件（.doc/.wps），请用Word另存为.docx后再上传。",
    "bad_docx": "Word文件已损坏或不是有效的.docx文件，请用Word打开后另存再上传。",
    "bad_xlsx": "Excel文件已损坏或不是有效的.xlsx文件，请用Excel打开后另存再上传。",
    "bad_pdf": "PDF文件已损坏或无法读取，请重新导出后再上传。",
    "encrypted": "PDF文件有密码保护，请去除密码后再上传。",
    "no_text_layer": "PDF文件没有文字层（可能是扫描件），请先进行文字识别（OCR）或上传Word版本。",
}


def document_error_message(exc) -> str:
    """The Chinese message for a file the reader refused (``DocumentError.code``)."""
    return DOCUMENT_ERRORS_ZH.get(getattr(exc, "code", ""), DOCUMENT_ERRORS_ZH["unreadable"])


def split_names(value: str) -> list[str]:
    """Unit names typed in one field: 市发展改革委、天河区政府 (or , ; and spaces)."""
    import re

    return [u for u in re.split(r"[、,，;；\s]+", value or "") if u]


@dataclass
class Upload:
    plan: Plan
    revision: PlanRevision | None = None
    status: str = "created"  # created | revision | unchanged


def read_upload(data: bytes, name: str) -> tuple[dict, str]:
    """(parsed document, source text) of an uploaded file; DocumentError or PlanError."""
    suffix = Path(name).suffix.lower()[:10]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        text = read_document(path).text
    document = parse_text(text, name).to_dict()
    if not document.get("tasks"):
        raise PlanError("文件中未识别出编号的任务条目，看起来不是规划文件，未作任何改动。")
    return document, text


def read_path(path: Path) -> tuple[dict, str]:
    text = read_document(path).text
    return parse_text(text, path.name).to_dict(), text


@transaction.atomic
def upload(data: bytes, name: str, user, title: str | None = None, plan: Plan | None = None) -> Upload:
    """An uploaded plan file: a new draft plan, or — when it is a plan already loaded (same title,
    or ``plan`` named) — a draft revision of it that changes nothing until it is published."""
    document, text = read_upload(data, name)
    document = with_title(document, title)
    existing = plan or Plan.objects.filter(key=plan_key(document, name)).first()
    sha = hashlib.sha256(data).hexdigest()
    if existing is None:
        report = load_document(document, data, name, user=user, source_text=text)
        return Upload(report.plan, None, "created")
    if (
        existing.source_sha256 == sha
        and not existing.revisions.filter(status=PlanRevision.Status.DRAFT).exists()
    ):
        return Upload(existing, None, "unchanged")
    # one waiting revision per plan: a newer file replaces the older draft revision
    for old in existing.revisions.filter(status=PlanRevision.Status.DRAFT):
        old.status = PlanRevision.Status.DISCARDED
        _stamp(old, user, "被新上传的修订稿取代")
        old.save()
    revision = PlanRevision.objects.create(
        plan=existing,
        source_name=name,
        source_sha256=sha,
        source_text=text,
        document=document,
        created_by=user,
    )
    return Upload(existing, revision, "revision")


# --- units ----------------------------------------------------------------------------------


def resolve_units(names) -> list[Organization]:
    """Organisations named by their names or aliases, in order, without duplicates."""
    out: list[Organization] = []
    for raw in names or []:
        name = str(raw).strip()
        if not name:
            continue
        org = Organization.objects.resolve(name)
        if org is None or not org.is_active:
            raise UnknownUnit(name)
        if org not in out:
            out.append(org)
    return out


@transaction.atomic
def create_organization(name: str, kind: str | None = None) -> Organization:
    name = name.strip()
    if not name:
        raise PlanError("请填写单位名称。")
    if Organization.objects.resolve(name):
        raise PlanError(f"“{name}”已在单位名录中，请直接选择。")
    info = unit_info(name)
    kind = kind or KIND_BY_LABEL.get(info["kind"] if info else guess_kind(name), OrgKind.OTHER)
    return Organization.objects.create(name=name, kind=kind)


@transaction.atomic
def add_alias(name: str, organization: Organization) -> OrganizationAlias:
    name = name.strip()
    if not name:
        raise PlanError("请填写别名。")
    known = Organization.objects.resolve(name)
    if known and known != organization:
        raise PlanError(f"“{name}”已是“{known.name}”的名称或别名。")
    alias, _ = OrganizationAlias.objects.get_or_create(name=name, defaults={"organization": organization})
    return alias


def expand_collective(org: Organization) -> list[Organization]:
    """Who a unit is: 各区政府 is every district government."""
    kind = COLLECTIVE_UNITS.get(org.name)
    if kind is None:
        return [org]
    return list(Organization.objects.filter(kind=kind, is_active=True).exclude(name__in=COLLECTIVE_UNITS))


# --- publishing and withdrawing --------------------------------------------------------------


def _deadline_text(task: Task) -> str:
    return task.deadline or (task.deadline_date.isoformat() if task.deadline_date else "")


def _tell_units(plan: Plan, tasks_by_org: dict[Organization, list[Task]], title: str, key: str) -> None:
    for org, tasks in tasks_by_org.items():
        lines = [
            f"{t.number}. {t.title}（{'牵头' if t.lead else '配合'}；完成时限：{_deadline_text(t) or '未定'}）"
            for t in tasks
        ]
        unit_notice.send(
            sender=Plan,
            organization=org,
            title=title,
            body="\n".join(lines),
            link=_link("my-tasks"),
            key=f"{key}:{org.pk}",
        )


def _tasks_by_unit(tasks) -> dict[Organization, list[Task]]:
    """Each unit's tasks (a collective unit stands for its members), read in a fixed number of queries."""
    out: dict[Organization, list[Task]] = {}
    members: dict[int, list[Organization]] = {}
    for task in tasks.prefetch_related("responsibilities__organization"):
        for r in sorted(task.responsibilities.all(), key=lambda r: (r.order, r.pk)):
            if not r.is_active:
                continue
            if r.organization_id not in members:
                members[r.organization_id] = expand_collective(r.organization)
            for org in members[r.organization_id]:
                if any(t.pk == task.pk for t in out.get(org, [])):
                    continue
                item = Task(pk=task.pk, number=task.number, title=task.title, deadline=task.deadline)
                item.deadline_date = task.deadline_date
                item.lead = r.is_lead
                out.setdefault(org, []).append(item)
    return out


def _link(name: str, *args) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@transaction.atomic
def publish(plan: Plan, user=None) -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status == PlanStatus.PUBLISHED:
        raise PlanError("该规划已发布。")
    if not plan.tasks.filter(is_active=True).exists():
        raise PlanError("规划没有任何任务，不能发布。")
    first = plan.published_at is None
    plan.status = PlanStatus.PUBLISHED
    plan.status_reason = ""
    plan.published_at = timezone.now()
    _stamp(plan, user, "发布")
    plan.save()
    tasks = plan.tasks.filter(is_active=True).order_by("order")
    stamp = plan.published_at.strftime("%Y%m%d%H%M%S%f")
    _tell_units(
        plan,
        _tasks_by_unit(tasks),
        f"{'新下达' if first else '重新发布'}任务：《{plan.title}》",
        f"plan-published:{plan.pk}:{stamp}",
    )
    return plan


@transaction.atomic
def withdraw(plan: Plan, reason: str, user=None) -> Plan:
    reason = (reason or "").strip()
    if not reason:
        raise PlanError("请填写撤回原因。")
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.PUBLISHED:
        raise PlanError("只有已发布的规划可以撤回。")
    plan.status = PlanStatus.WITHDRAWN
    plan.status_reason = reason
    _stamp(plan, user, f"撤回：{reason}")
    plan.save()
    return plan


# --- proofreading and amending ------------------------------------------------------------------


def _require_reason(plan: Plan, reason: str | None) -> str:
    reason = (reason or "").strip()
    if plan.status == PlanStatus.PUBLISHED and not reason:
        raise PlanError("规划已发布，修改须填写原因。")
    return reason or "校对"


PLAN_FIELDS = ("title", "period_start", "period_end")
PERIOD_LABELS = {"period_start": "起始年", "period_end": "截止年"}


def _plan_year(value, label: str) -> int | None:
    """A plan's first or last year as typed on the page or sent by the API: four digits or nothing."""
    text = str(value).strip() if value is not None else ""
    if not text:
        return None
    if not (text.isdigit() and len(text) == 4):
        raise PlanError(f"{label}请填写四位年份，如 2025。")
    return int(text)


@transaction.atomic
def edit_plan(plan: Plan, user=None, reason: str | None = None, **changes) -> Plan:
    """Change a plan's title or period. A published plan's title is what every unit's ledger and
    notice names, so its change needs a reason like any amendment; the history keeps both."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    before = {k: getattr(plan, k) for k in PLAN_FIELDS}
    if "title" in changes:
        title = (changes["title"] or "").strip()
        if not title:
            raise PlanError("规划名称不能为空。")
        plan.title = title[:200]
    for k, label in PERIOD_LABELS.items():
        if k in changes:
            setattr(plan, k, _plan_year(changes[k], label))
    if plan.period_start and plan.period_end and plan.period_start > plan.period_end:
        raise PlanError("规划起始年不能晚于截止年。")
    if {k: getattr(plan, k) for k in PLAN_FIELDS} == before:
        return plan  # nothing changed: no reason asked, no history row
    reason = _require_reason(plan, reason)
    _stamp(plan, user, reason)
    plan.save()
    return plan


def parse_date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return bounds.date(str(value).strip(), "完成日期")
    except bounds.OutOfBounds as exc:
        raise PlanError(f"完成日期“{value}”格式不对或超出范围，应为 2025-12-31 这样的日期。") from exc


def unit_names(task: Task) -> tuple[list[str], list[str]]:
    """(lead, co) organisation names of a task as it stands."""
    lead, co = [], []
    for r in task.responsibilities.filter(is_active=True).select_related("organization").order_by("order"):
        (lead if r.is_lead else co).append(r.organization.name)
    return lead, co


def _set_units(task: Task, lead: list[Organization], co: list[Organization], reason: str, user=None):
    """Responsibilities made to be exactly lead + co; (added, removed) organisations."""
    co = [o for o in co if o not in lead]
    wanted = {o.pk: (o, True) for o in lead} | {o.pk: (o, False) for o in co}
    current = {r.organization_id: r for r in task.responsibilities.all()}
    before = {pk for pk, r in current.items() if r.is_active}
    for order, (pk, (org, is_lead)) in enumerate(wanted.items()):
        r = current.get(pk) or Responsibility(task=task, organization=org, name_as_written=org.name)
        if r.pk is None or (r.is_lead, r.order, r.is_active) != (is_lead, order, True):
            r.is_lead, r.order, r.is_active = is_lead, order, True
            _stamp(r, user, reason)
            r.save()
    for pk, r in current.items():
        if pk not in wanted and r.is_active:
            r.is_active = False
            _stamp(r, user, reason)
            r.save()
    added = [wanted[pk][0] for pk in wanted if pk not in before]
    removed = [current[pk].organization for pk in before if pk not in wanted]
    return added, removed


def deadline_date_of(deadline: str, plan: Plan):
    """The date a time limit names (2025年6月底前 → 2025-06-30), read as the parser reads it;
    a limit without a year (年底前) takes the year of a one-year plan."""
    from newinfra.parsing.deadlines import deadline_date

    year = plan.period_start if plan and plan.period_start == plan.period_end else None
    date = deadline_date(deadline, year) if deadline else None
    return dt.date.fromisoformat(date) if date else None


@transaction.atomic
def edit_task(task: Task, user=None, reason: str | None = None, version: str = "", **changes) -> Task:
    """Change any of title, lead_units, co_units (names or organisations), deadline, deadline_date.
    On a published plan a reason is required and the units added or removed are told. With the
    ``version`` the editor read the task at, a task changed meanwhile raises ``versions.Stale``."""
    task = Task.objects.select_for_update().select_related("plan").get(pk=task.pk)
    versions.check(task, version, "任务")
    reason = _require_reason(task.plan, reason)
    if "title" in changes:
        title = (changes["title"] or "").strip()
        if not title:
            raise PlanError("任务名称不能为空。")
        task.title = title[:300]
    if "deadline" in changes:
        task.deadline = (changes["deadline"] or "").strip()[:40]
    if "deadline_date" in changes:
        task.deadline_date = parse_date(changes["deadline_date"])
    elif "deadline" in changes:
        task.deadline_date = deadline_date_of(task.deadline, task.plan)
    added = removed = []
    if "lead_units" in changes or "co_units" in changes:
        lead_now, co_now = unit_names(task)

        lead = _orgs(changes.get("lead_units", lead_now))
        co = _orgs(changes.get("co_units", co_now))
        if not lead and not co:
            raise PlanError("任务至少要有一个责任单位。")
        added, removed = _set_units(task, lead, co, reason, user)
    _stamp(task, user, reason)
    task.save()
    if task.plan.status == PlanStatus.PUBLISHED:
        _tell_changes(task, added, removed, reason)
    return task


def _orgs(values) -> list[Organization]:
    names = [v for v in values if not isinstance(v, Organization)]
    resolved = iter(resolve_units(names)) if names else iter(())
    out = []
    for v in values:
        org = v if isinstance(v, Organization) else next(resolved, None)
        if org is not None and org not in out:
            out.append(org)
    return out


def _tell_changes(task: Task, added, removed, reason: str) -> None:
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    line = f"{task.number}. {task.title}（完成时限：{_deadline_text(task) or '未定'}）\n原因：{reason}"
    for org in added:
        for unit in expand_collective(org):
            unit_notice.send(
                sender=Task,
                organization=unit,
                title=f"新增责任任务：《{task.plan.title}》",
                body=line,
                link=_link("task-detail", task.pk),
                key=f"task-added:{task.pk}:{unit.pk}:{stamp}",
            )
    for org in removed:
        for unit in expand_collective(org):
            unit_notice.send(
                sender=Task,
                organization=unit,
                title=f"不再承担任务：《{task.plan.title}》",
                body=line,
                link=_link("my-tasks"),
                key=f"task-removed:{task.pk}:{unit.pk}:{stamp}",
            )


@transaction.atomic
def add_task(plan: Plan, user=None, reason: str | None = None, *, number: str, title: str, **rest) -> Task:
    reason = _require_reason(plan, reason)
    number, title = (number or "").strip(), (title or "").strip()
    if not number or not title:
        raise PlanError("请填写任务序号和任务名称。")
    section = None
    if rest.get("section"):
        section = Section.objects.filter(plan=plan, pk=rest["section"]).first()
    last = plan.tasks.order_by("-order").values_list("order", flat=True).first() or 0
    task = Task(
        plan=plan,
        section=section,
        number=number[:20],
        title=title[:300],
        text=rest.get("text") or title,
        origin=Origin.OFFICE,
        order=last + 1,
    )
    _stamp(task, user, reason)
    task.save()
    if any(k in rest for k in ("lead_units", "co_units", "deadline", "deadline_date")):
        edit_task(
            task,
            user,
            reason,
            **{k: rest[k] for k in ("lead_units", "co_units", "deadline", "deadline_date") if k in rest},
        )
    return task


@transaction.atomic
def delete_task(task: Task, user=None, reason: str | None = None) -> Task:
    """Soft: the task leaves every list; its history and responsibilities are kept."""
    task = Task.objects.select_for_update().select_related("plan").get(pk=task.pk)
    reason = _require_reason(task.plan, reason)
    lead, co = unit_names(task)
    task.is_active = False
    _stamp(task, user, f"删除：{reason}")
    task.save()
    if task.plan.status == PlanStatus.PUBLISHED:
        _tell_changes(task, [], _orgs(lead + co), reason)
    return task


@transaction.atomic
def restore_task(task: Task, user=None, reason: str | None = None) -> Task:
    task = Task.objects.select_for_update().select_related("plan").get(pk=task.pk)
    reason = _require_reason(task.plan, reason)
    task.is_active = True
    _stamp(task, user, f"恢复：{reason}")
    task.save()
    return task


MAGNITUDES = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}


def _decimal(value, label: str) -> Decimal | None:
    """A figure as the office types it: 38900, 38,900 or 3.89万 (raw value stored)."""
    if value in (None, ""):
        return None
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    text = str(value).strip().replace(",", "").replace("，", "")
    scale = Decimal(1)
    if text[-1:] in MAGNITUDES:
        text, scale = text[:-1], MAGNITUDES[text[-1]]
    try:
        number = Decimal(text) * scale
    except InvalidOperation as exc:
        raise PlanError(f"{label}“{value}”不是数字（可写 38900 或 3.89万）。") from exc
    if not number.is_finite():
        raise PlanError(f"{label}“{value}”不是数字（可写 38900 或 3.89万）。")
    try:  # what the column (24 digits, 6 decimals) can keep and read back
        number = bounds.decimal(number, 24, 6, label)
    except bounds.OutOfBounds as exc:
        raise PlanError(str(exc)) from exc
    return number.normalize() if number == number.to_integral() else number


TARGET_FIELDS = ("indicator", "value", "value_max", "unit", "comparator", "year", "task")


def _apply_target(target: Target, changes: dict) -> None:
    if "indicator" in changes:
        name = (changes["indicator"] or "").strip()
        if not name:
            raise PlanError("指标名称不能为空。")
        target.indicator = resolve_indicator(name, changes.get("unit", target.unit))
    if "value" in changes:
        value = _decimal(changes["value"], "目标值")
        if value is None:
            raise PlanError("请填写目标值。")
        target.value = value
    if "value_max" in changes:
        target.value_max = _decimal(changes["value_max"], "上限")
    if "unit" in changes:
        target.unit = (changes["unit"] or "").strip()[:20]
    if "comparator" in changes:
        if changes["comparator"] not in COMPARATORS:
            raise PlanError(f"比较方式“{changes['comparator']}”无效。")
        target.comparator = changes["comparator"]
    if "year" in changes:
        year = changes["year"]
        if year in (None, ""):
            target.year = None
        else:
            try:
                year = int(year)
            except (TypeError, ValueError) as exc:
                raise PlanError(f"年份“{changes['year']}”无效。") from exc
            if not 2000 <= year <= 2100:
                raise PlanError(f"年份“{year}”无效。")
            target.year = year
    if "task" in changes:
        task = changes["task"]
        if task is not None and not isinstance(task, Task):
            try:
                pk = bounds.identifier(task, "任务")
            except bounds.OutOfBounds as exc:
                raise PlanError(str(exc)) from exc
            task = Task.objects.filter(plan=target.plan, pk=pk).first() if pk else None
        target.task = task


@transaction.atomic
def edit_target(target: Target, user=None, reason: str | None = None, **changes) -> Target:
    target = Target.objects.select_for_update().select_related("plan").get(pk=target.pk)
    reason = _require_reason(target.plan, reason)
    _apply_target(target, changes)
    _stamp(target, user, reason)
    target.save()
    return target


@transaction.atomic
def add_target(plan: Plan, user=None, reason: str | None = None, **changes) -> Target:
    reason = _require_reason(plan, reason)
    if not (changes.get("indicator") or "").strip():
        raise PlanError("指标名称不能为空。")
    last = plan.targets.order_by("-order").values_list("order", flat=True).first() or 0
    target = Target(plan=plan, origin=Origin.OFFICE, order=last + 1, value=Decimal(0))
    _apply_target(target, changes)
    target.indicator_as_written = target.indicator.name
    target.text = (changes.get("text") or "").strip()[
        :500
    ] or f"{target.indicator.name}{target.display_value}"
    _stamp(target, user, reason)
    target.save()
    return target


@transaction.atomic
def delete_target(target: Target, user=None, reason: str | None = None) -> Target:
    target = Target.objects.select_for_update().select_related("plan").get(pk=target.pk)
    reason = _require_reason(target.plan, reason)
    target.is_active = False
    _stamp(target, user, f"删除：{reason}")
    target.save()
    return target


# --- revisions --------------------------------------------------------------------------------


@transaction.atomic
def publish_revision(revision: PlanRevision, user=None, decisions: dict | None = None) -> Plan:
    """Apply a revision to its plan: the new text, with the office's corrections kept, and each
    conflict decided (``decisions``: conflict key → "office" | "revision"; undecided → error)."""
    revision = PlanRevision.objects.select_for_update().select_related("plan").get(pk=revision.pk)
    if revision.status != PlanRevision.Status.DRAFT:
        raise PlanError("该修订稿已处理。")
    decisions = {**revision.decisions, **(decisions or {})}
    merged = plan_revision(revision, decisions)
    undecided = [c for c in merged.conflicts if c.key not in decisions]
    if undecided:
        raise PlanError(f"还有 {len(undecided)} 处冲突未处理：{undecided[0].label}。")
    plan = revision.plan
    before = _tasks_by_unit_pks(plan)
    load_document(
        merged.document,
        revision.source_text.encode("utf-8"),
        revision.source_name,
        user=user,
        source_text=revision.source_text,
        parsed=revision.document,
        plan=plan,
    )
    Plan.objects.filter(pk=plan.pk).update(source_sha256=revision.source_sha256)
    plan.refresh_from_db()
    revision.status = PlanRevision.Status.PUBLISHED
    revision.decisions = decisions
    revision.published_at = timezone.now()
    _stamp(revision, user, "发布修订稿")
    revision.save()
    if plan.status == PlanStatus.PUBLISHED:
        after = _tasks_by_unit_pks(plan)
        changed = {}
        for org_pk in set(after) | set(before):
            new = after.get(org_pk, set()) - before.get(org_pk, set())
            if new:
                changed[org_pk] = new
        if changed:
            orgs = {o.pk: o for o in Organization.objects.filter(pk__in=changed)}
            tasks = {t.pk: t for t in plan.tasks.filter(pk__in={p for s in changed.values() for p in s})}
            by_org = {}
            for org_pk, pks in changed.items():
                items = []
                for pk in sorted(pks, key=lambda p: tasks[p].order):
                    t = tasks[pk]
                    t.lead = t.responsibilities.filter(
                        is_active=True, is_lead=True, organization_id=org_pk
                    ).exists()
                    items.append(t)
                by_org[orgs[org_pk]] = items
            _tell_units(plan, by_org, f"修订后新增任务：《{plan.title}》", f"revision:{revision.pk}")
    return plan


def _tasks_by_unit_pks(plan: Plan) -> dict[int, set[int]]:
    out: dict[int, set[int]] = {}
    for r in Responsibility.objects.filter(
        is_active=True, task__is_active=True, task__plan=plan
    ).select_related("organization"):
        for org in expand_collective(r.organization):
            out.setdefault(org.pk, set()).add(r.task_id)
    return out


@transaction.atomic
def discard_revision(revision: PlanRevision, user=None) -> PlanRevision:
    if revision.status != PlanRevision.Status.DRAFT:
        raise PlanError("该修订稿已处理。")
    revision.status = PlanRevision.Status.DISCARDED
    _stamp(revision, user, "放弃修订稿")
    revision.save()
    return revision


__all__ = [
    "Conflict",
    "PlanError",
    "RevisionPlan",
    "UnknownUnit",
    "Upload",
    "add_alias",
    "add_target",
    "add_task",
    "create_organization",
    "delete_target",
    "delete_task",
    "edit_target",
    "edit_task",
    "publish",
    "publish_revision",
    "read_path",
    "read_upload",
    "upload",
    "withdraw",
]
