"""Demo projects for `make run`: a few hundred plausible projects, generated deterministically.

Every project made here has ``is_demo`` set and its name marked （演示）, and every page shows the
演示数据 badge. The named projects of both Guangzhou plans are among them.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from newinfra.orgs.models import Organization, OrgKind
from newinfra.orgs.validators import GUANGZHOU_DISTRICTS, USCC_CHARSET, uscc_check_char
from newinfra.plans.models import Indicator, Task

from .models import (
    AnnualInvestment,
    DispatchReport,
    Domain,
    FlagKind,
    GreenChannelItem,
    Project,
    ProjectContribution,
    ProjectEvent,
    ProjectFlag,
    Stage,
    Status,
    refresh_districts_keys,
)
from .stats_cache import bump

# Approximate centres of the districts (GCJ-02) and a spread in degrees.
CENTRES = {
    "荔湾区": (113.244, 23.126, 0.03),
    "越秀区": (113.267, 23.129, 0.02),
    "海珠区": (113.317, 23.084, 0.03),
    "天河区": (113.361, 23.145, 0.03),
    "白云区": (113.273, 23.228, 0.06),
    "黄埔区": (113.459, 23.136, 0.05),
    "番禺区": (113.384, 22.958, 0.05),
    "花都区": (113.220, 23.404, 0.07),
    "南沙区": (113.525, 22.781, 0.07),
    "从化区": (113.587, 23.548, 0.08),
    "增城区": (113.811, 23.261, 0.08),
}
# Domain → (competent department, industry code, indicator keyword, name templates)
DOMAINS = {
    Domain.G5: (
        "市工业和信息化局",
        63,
        "5G基站",
        ["{d}5G基站建设工程（{y}年）", "{d}5G室内分布系统建设", "{d}5G+{a}应用示范"],
    ),
    Domain.GIGABIT: ("市工业和信息化局", 63, "千兆", ["{d}千兆光网升级改造", "{d}光纤到户提速工程"]),
    Domain.IOT: ("市工业和信息化局", 65, None, ["{d}智慧灯杆建设", "{d}城市物联感知网络"]),
    Domain.IIOT: ("市工业和信息化局", 65, None, ["{d}工业互联网标识解析二级节点", "{d}{a}工业互联网平台"]),
    Domain.DATACENTER: ("市发展改革委", 65, None, ["{d}绿色数据中心（{y}期）", "{d}边缘计算节点建设"]),
    Domain.AI: ("市科技局", 65, None, ["{d}人工智能开放创新平台", "{d}人工智能产业园配套设施"]),
    Domain.BLOCKCHAIN: ("市工业和信息化局", 65, None, ["{d}区块链公共服务平台", "{d}区块链产业园基础设施"]),
    Domain.TRANSPORT: (
        "市交通运输局",
        54,
        None,
        ["{d}智能网联汽车测试道路", "{d}智慧公交站场改造", "{d}车路协同示范路段"],
    ),
    Domain.ENERGY: (
        "市发展改革委",
        44,
        "充电",
        ["{d}公共充电站建设（{y}批）", "{d}智能变电站改造", "{d}综合能源站"],
    ),
    Domain.CITY: (
        "市政务服务数据管理局",
        65,
        None,
        ["{d}城市运行管理平台", "{d}智慧社区建设", "{d}CIM平台应用"],
    ),
    Domain.INNOVATION: ("市科技局", 73, None, ["{d}重大科技基础设施配套", "{d}新型研发机构实验平台"]),
}
APPLICATIONS = ["智能制造", "智慧医疗", "超高清视频", "智慧物流", "智慧港口", "智慧教育"]
# The projects both plans name, with their district, domain and declarant.
NAMED = [
    ("黄埔“5G+智能制造”应用产业园", "黄埔区", Domain.G5, "中国移动广州分公司"),
    ("番禺“5G+智能网联汽车”应用产业园", "番禺区", Domain.G5, "中国电信广州分公司"),
    ("白云“5G+智慧物流”应用产业园", "白云区", Domain.G5, "中国联通广州分公司"),
    ("越秀“5G+超高清视频”应用产业园", "越秀区", Domain.G5, "中国移动广州分公司"),
    ("南沙“5G+无人码头”应用示范", "南沙区", Domain.G5, "中国移动广州分公司"),
    ("110千伏光谱、猎桥、裕丰三座智能变电站", "黄埔区", Domain.ENERGY, "广州供电局"),
    ("中国电信粤港澳大湾区5G云计算中心", "天河区", Domain.DATACENTER, "中国电信广州分公司"),
    ("南沙国际信息枢纽中心", "南沙区", Domain.DATACENTER, "中国联通广州分公司"),
    ("国家超级计算广州中心升级改造", "番禺区", Domain.INNOVATION, "广州无线电集团"),
    ("广州北斗产业园", "番禺区", Domain.OTHER, "广州无线电集团"),
    ("增城信创产业园", "增城区", Domain.INNOVATION, "广智集团"),
    ("白云数据湖产业园", "白云区", Domain.DATACENTER, "广智集团"),
]
DEMO_ENTERPRISES = [
    "广州穗智科技有限公司",
    "广州云湾数据服务有限公司",
    "广州羊城智联科技有限公司",
    "广州珠江物联网有限公司",
    "广州湾区算力科技有限公司",
    "广州花城充电科技有限公司",
    "广州南沙港航科技有限公司",
    "广州天河链通科技有限公司",
]
DEMO_MARK = "（演示）"


def _uscc(rng: random.Random) -> str:
    body = (
        "91440"
        + "".join(rng.choice("0123456789") for _ in range(1))
        + "".join(rng.choice(USCC_CHARSET[:10]) for _ in range(11))
    )
    return body + uscc_check_char(body)


def _months(start: dt.date, end: dt.date):
    m = start.replace(day=1)
    while m <= end:
        yield m
        m = (m.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def recorded_at(day: dt.date, days_after: int = 10) -> dt.datetime:
    """When a demo report about ``day`` was entered: ``days_after`` days later, at 10:00."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=days_after), dt.time(10)))


def month_end(m: dt.date) -> dt.date:
    return (m.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def dated(obj, at: dt.datetime):
    """``obj`` with the moment its history row records (bulk_create_with_history reads it)."""
    obj._history_date = at
    return obj


def annual_plan(total: Decimal, start: dt.date, finish: dt.date, years=(2020, 2021, 2022)) -> dict:
    """The rolling plan of one project: its total spread over its months of works, per year.

    Only the years of the plan that the works touch are planned (a project built in 2021–2022 has
    no 2020 plan); the shares follow the months of works in each year, the whole period's last
    year taking the rounding remainder.
    """
    months = list(_months(start, finish)) or [start.replace(day=1)]
    per_year: dict[int, int] = {}
    for m in months:
        per_year[m.year] = per_year.get(m.year, 0) + 1
    out, given = {}, Decimal(0)
    for year in sorted(per_year):
        share = (total * per_year[year] / len(months)).quantize(Decimal("0.01"))
        if year == max(per_year):
            share = total - given
        given += share
        if year in years:
            out[year] = share
    return out


def demo_enterprises(rng: random.Random) -> list[Organization]:
    out = []
    for name in DEMO_ENTERPRISES:
        org, _ = Organization.objects.get_or_create(
            name=name + DEMO_MARK, defaults={"kind": OrgKind.ENTERPRISE, "code": _uscc(rng)}
        )
        out.append(org)
    return out


@transaction.atomic
def seed_demo_projects(count: int = 320, seed: int = 2020, user=None) -> int:
    """Create the demo library once; a second call creates nothing."""
    if Project.objects.filter(is_demo=True).exists():
        return 0
    rng = random.Random(seed)
    districts = {
        o.name.removesuffix("政府"): o
        for o in Organization.objects.filter(kind=OrgKind.DISTRICT).exclude(name="各区政府")
    }
    enterprises = [
        o
        for o in Organization.objects.filter(kind=OrgKind.ENTERPRISE, is_active=True)
        if DEMO_MARK not in o.name
    ]
    enterprises += demo_enterprises(rng)
    by_name = {o.name: o for o in Organization.objects.all()}
    tasks = list(Task.objects.live().values_list("pk", "title"))
    indicators = {i.name: i for i in Indicator.objects.all()}
    code_by_district = {v: k for k, v in GUANGZHOU_DISTRICTS.items()}
    specs = [(name, d, dom, by_name.get(decl)) for name, d, dom, decl in NAMED]
    for i in range(count - len(specs)):
        dom = rng.choice(list(DOMAINS))
        d = rng.choice(list(CENTRES))
        template = rng.choice(DOMAINS[dom][3])
        name = template.format(d=d.removesuffix("区"), y=2020 + i % 3, a=rng.choice(APPLICATIONS))
        specs.append((name, d, dom, rng.choice(enterprises)))
    projects, district_links, contributions = [], [], []
    serial = 100
    for name, d, dom, declarant in specs:
        serial += 1
        competent_name, industry, keyword, _ = DOMAINS.get(dom, ("市发展改革委", 65, None, []))
        competent = by_name.get(competent_name) if rng.random() < 0.5 else districts[d]
        start = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(0, 900))
        finish = start + dt.timedelta(days=rng.randrange(240, 1100))
        total = (
            Decimal(rng.choice([300, 800, 1500, 3000, 5000, 12000, 30000, 80000]))
            * Decimal(rng.randrange(50, 150))
            / 100
        )
        roll = rng.random()
        status, stage = Status.ADMITTED, Stage.RESERVE
        if roll < 0.05:
            status, stage = Status.DRAFT, ""
        elif roll < 0.10:
            status, stage = Status.SUBMITTED, ""
        elif roll < 0.13:
            status, stage = Status.FIRST_REVIEWED, ""
        elif roll < 0.15:
            status, stage = Status.RETURNED, ""
        elif roll > 0.88:
            # Reserve projects for the next rolling years: not started yet.
            start = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(0, 500))
            finish = start + dt.timedelta(days=rng.randrange(240, 1100))
            stage = Stage.RESERVE if roll > 0.94 else Stage.PREPARATION
        else:
            today = dt.date(2022, 10, 31)
            if finish <= today:
                stage = Stage.COMPLETED
            elif start <= today:
                stage = Stage.CONSTRUCTION
            else:
                stage = rng.choice([Stage.RESERVE, Stage.PREPARATION])
            if rng.random() < 0.03:
                stage = Stage.REMOVED
        lng0, lat0, spread = CENTRES[d]
        p = Project(
            code=f"{start.year}-{code_by_district[d]}-{industry:02d}-0{rng.choice([2, 3, 3])}-{serial:06d}",
            name=name + DEMO_MARK,
            declarant=declarant or rng.choice(enterprises),
            competent=competent,
            domain=dom,
            description=f"{name}。本条为演示数据。",
            lng=Decimal(str(round(lng0 + rng.uniform(-spread, spread), 6))),
            lat=Decimal(str(round(lat0 + rng.uniform(-spread, spread), 6))),
            total_investment=total.quantize(Decimal("0.01")),
            planned_start=start,
            planned_finish=finish,
            contact_name=rng.choice(["王工", "李工", "陈经理", "张主任", "刘经理"]),
            contact_phone=f"020-8{rng.randrange(1000000, 9999999)}",
            status=status,
            stage=stage,
            stage_reason="建设条件发生变化，企业申请调出（演示）" if stage == Stage.REMOVED else "",
            admitted_on=max(dt.date(2020, 3, 31), start - dt.timedelta(days=30))
            if status == Status.ADMITTED
            else None,
            is_demo=True,
            created_by=user,
        )
        p._keyword = keyword
        # The record's history begins when it was declared, as a real library's would.
        p._history_date = recorded_at(p.admitted_on or start) - dt.timedelta(days=20)
        projects.append(p)
    bulk_create_with_history(
        projects, Project, batch_size=500, default_user=user, default_change_reason="演示数据"
    )
    ids = dict(Project.objects.filter(is_demo=True).values_list("code", "pk"))
    reports, annual, events, flags, greens = [], [], [], [], []
    for p, (name, d, *_rest) in zip(projects, specs, strict=True):
        p.pk = p.id = ids[p.code]
        district_links.append(Project.districts.through(project_id=p.pk, organization_id=districts[d].pk))
        matching = [
            pk for pk, title in tasks if any(k in title for k in (p.get_domain_display()[:2], name[:2]))
        ]
        events.append(
            ProjectEvent(
                project=p, action=ProjectEvent.Action.CREATE, to_state="草稿", comment="演示数据", user=user
            )
        )
        if p.status != Status.DRAFT:
            events.append(
                ProjectEvent(
                    project=p,
                    action=ProjectEvent.Action.SUBMIT,
                    from_state="草稿",
                    to_state="待初审",
                    user=user,
                )
            )
        if p.status == Status.ADMITTED:
            events.append(
                ProjectEvent(
                    project=p,
                    action=ProjectEvent.Action.ADMIT,
                    from_state="待复核",
                    to_state="已入库",
                    comment="演示数据",
                    user=user,
                )
            )
            for year, planned in annual_plan(p.total_investment, p.planned_start, p.planned_finish).items():
                annual.append(AnnualInvestment(project=p, year=year, planned=planned))
            if p._keyword:
                ind = next((i for n, i in indicators.items() if p._keyword in n), None)
                if ind:
                    contributions.append(
                        ProjectContribution(
                            project=p, indicator=ind, amount=Decimal(rng.randrange(20, 600)), unit="个"
                        )
                    )
            if rng.random() < 0.15:
                flags.append(
                    ProjectFlag(
                        project=p,
                        kind=FlagKind.CITY_KEY,
                        date=dt.date(2021, 3, 1),
                        document="穗发改〔2021〕XX号（演示）",
                    )
                )
            if rng.random() < 0.05:
                flags.append(
                    ProjectFlag(
                        project=p,
                        kind=FlagKind.PILOT,
                        date=dt.date(2021, 9, 15),
                        document="市政府授牌（演示）",
                    )
                )
            if rng.random() < 0.08:
                greens.append(
                    GreenChannelItem(
                        project=p,
                        item="建设工程规划许可",
                        state=GreenChannelItem.State.APPROVED,
                        date=dt.date(2021, 5, 10),
                    )
                )
            if p.stage in (Stage.CONSTRUCTION, Stage.COMPLETED):
                end = min(p.planned_finish, dt.date(2022, 10, 31))
                months = list(_months(max(p.planned_start, dt.date(2020, 6, 1)), end))
                # Some projects slip: they complete only part of the investment by the end.
                pace = rng.choice([1.0, 1.0, 0.9, 0.7, 0.5]) if p.stage == Stage.CONSTRUCTION else 1.0
                cumulative = Decimal(0)
                for i, m in enumerate(months, start=1):
                    target = p.total_investment * Decimal(
                        str(
                            min(
                                1.0,
                                pace * i / len(months)
                                if p.stage == Stage.COMPLETED
                                else pace * i / (len(months) + 6),
                            )
                        )
                    )
                    target = max(cumulative, target.quantize(Decimal("0.01")))
                    month_amount = target - cumulative
                    cumulative = target
                    problem = rng.random() < 0.02
                    reports.append(
                        dated(
                            DispatchReport(
                                project=p,
                                month=m,
                                invested_month=month_amount,
                                invested_cumulative=cumulative,
                                progress_pct=(cumulative / p.total_investment * 100).quantize(Decimal("0.1")),
                                milestone="",
                                problems="施工用地临时占道审批待协调（演示）" if problem else "",
                                problem_unit=districts[d] if problem else None,
                                reported_by=user,
                            ),
                            recorded_at(month_end(m)),
                        )
                    )
                if months:
                    p.invested_to_date = cumulative
                    p.progress_pct = (cumulative / p.total_investment * 100).quantize(Decimal("0.1"))
                    p.last_report_month = months[-1]
        p._tasks = matching[:2]
    Project.districts.through.objects.bulk_create(district_links, batch_size=1000)
    refresh_districts_keys([p.pk for p in projects])
    Project.tasks.through.objects.bulk_create(
        [Project.tasks.through(project_id=p.pk, task_id=t) for p in projects for t in p._tasks],
        batch_size=1000,
    )
    Project.objects.bulk_update(
        projects, ["invested_to_date", "progress_pct", "last_report_month"], batch_size=500
    )
    bulk_create_with_history(
        reports, DispatchReport, batch_size=1000, default_user=user, default_change_reason="演示数据"
    )
    AnnualInvestment.objects.bulk_create(annual, batch_size=1000)
    ProjectContribution.objects.bulk_create(contributions, batch_size=1000)
    ProjectEvent.objects.bulk_create(events, batch_size=1000)
    ProjectFlag.objects.bulk_create(flags)
    GreenChannelItem.objects.bulk_create(greens)
    # Completed investment per year, as the dispatch would have kept it.
    done: dict[tuple[int, int], Decimal] = {}
    for r in reports:
        key = (r.project_id, r.month.year)
        done[key] = done.get(key, Decimal(0)) + r.invested_month
    plans = list(AnnualInvestment.objects.filter(project__is_demo=True))
    for a in plans:
        a.completed = done.get((a.project_id, a.year), Decimal(0))
    AnnualInvestment.objects.bulk_update(plans, ["completed"], batch_size=1000)
    bump()
    return len(projects)
