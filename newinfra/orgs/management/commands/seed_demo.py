"""Demo set-up for `make run`: organisations, both Guangzhou plans, and one user per role."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from newinfra.orgs.models import KIND_BY_LABEL, Membership, Organization, OrganizationAlias, OrgKind, Role
from newinfra.orgs.validators import GUANGZHOU_DISTRICTS

DEMO_PASSWORD = "newinfra2026"
# username, full name, organisation, role
DEMO_USERS = [
    ("admin", "系统管理员", "市发展改革委", Role.ADMIN),
    ("office", "统筹办 王主任", "市发展改革委", Role.OFFICE),
    ("gongxin", "市工业和信息化局 李科长", "市工业和信息化局", Role.RESPONSIBLE),
    ("tianhe", "天河区政府 陈科员", "天河区政府", Role.RESPONSIBLE),
    ("yuexiu", "越秀区政府 张科员", "越秀区政府", Role.RESPONSIBLE),
    ("mobile", "中国移动广州分公司 刘经理", "中国移动广州分公司", Role.DECLARANT),
    ("telecom", "中国电信广州分公司 黄经理", "中国电信广州分公司", Role.DECLARANT),
    ("leader", "市领导 赵秘书", "市发展改革委", Role.LEADER),
]
# Files in the repository's test data with the titles their texts lack.
SEED_PLANS = [
    ("000_ba1357ab942c2fa4.txt", "广州市推进新型基础设施建设实施方案"),
    ("004_95f77615fa3aaf4e.txt", None),
]


def seed_organizations() -> int:
    """The 11 districts with their GB/T 2260 codes and every unit of the canonical table."""
    from newinfra.parsing.orgs import all_units

    created = 0
    for code, district in GUANGZHOU_DISTRICTS.items():
        org, new = Organization.objects.get_or_create(
            name=f"{district}政府", defaults={"kind": OrgKind.DISTRICT, "code": code}
        )
        created += new
    for unit in all_units():
        org, new = Organization.objects.get_or_create(
            name=unit["name"],
            defaults={
                "kind": KIND_BY_LABEL.get(unit["kind"], OrgKind.OTHER),
                "code": unit.get("code") or None,
            },
        )
        created += new
        for alias in unit.get("aliases", []):
            if alias != org.name and not Organization.objects.filter(name=alias).exists():
                OrganizationAlias.objects.get_or_create(name=alias, defaults={"organization": org})
    return created


class Command(BaseCommand):
    help = "Create demo organisations, load both Guangzhou plans and create one demo user per role."

    def handle(self, *args, **options):
        with transaction.atomic():
            n = seed_organizations()
        self.stdout.write(f"organisations: {n} created, {Organization.objects.count()} in all")
        seeds = Path(settings.BASE_DIR) / "tests" / "data" / "seeds"
        for filename, title in SEED_PLANS:
            args = [str(seeds / filename)] + (["--title", title] if title else [])
            call_command("load_plan", *args, stdout=self.stdout)
        User = get_user_model()
        self.stdout.write("")
        self.stdout.write(f"Demo users (password for all: {DEMO_PASSWORD}):")
        for username, full_name, org_name, role in DEMO_USERS:
            with transaction.atomic():
                user, new = User.objects.get_or_create(username=username)
                if new:
                    user.first_name = full_name
                    user.set_password(DEMO_PASSWORD)
                    user.is_staff = role in (Role.ADMIN, Role.OFFICE)
                    user.is_superuser = role == Role.ADMIN
                    user.save()
                org = Organization.objects.resolve(org_name)
                Membership.objects.update_or_create(user=user, defaults={"organization": org, "role": role})
            self.stdout.write(f"  {username:8} {Role(role).label:4}  {org.name}")
        from newinfra.projects.demo import seed_demo_projects

        n = seed_demo_projects()
        if n:
            self.stdout.write(f"\nproject library: {n} demo projects (labelled 演示数据)")
        from newinfra.geo.demo import seed_demo_geo

        if n := seed_demo_geo():
            self.stdout.write(f"map: {n} demo charging stations (labelled 演示数据)")
        from newinfra.indicators.demo import seed_demo_evaluation, seed_demo_monitoring

        if n := seed_demo_monitoring():
            self.stdout.write(
                f"monitoring: {n} demo indicator values 2020–2022, task progress (labelled 演示数据)"
            )
        if ev := seed_demo_evaluation():
            self.stdout.write(f"evaluation: “{ev.name}” frozen at {ev.as_of}")
