"""Statistics of the library, cached until the data they are computed from changes.

At 100,000 projects a full recomputation reads about 500,000 rows (projects, their districts and
rolling-plan years). Every change to those rows raises the ``library`` ``DataVersion`` — through model signals
for single saves, and explicitly from the bulk paths (imports, dispatch totals) — and a cached
result is used only while the version it was computed at is still current. A short lifetime
bounds the damage should a write path ever forget to raise the version.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db.models import F

from .models import DataVersion
from .queries import group_statistics, year_statistics

LIFETIME_S = 300


def current_version(name: str = "library") -> int:
    row = DataVersion.objects.filter(name=name).values_list("n", flat=True).first()
    return row or 0


def current_versions(*names: str) -> str:
    """The versions of ``names`` in one query, as ``"3.0.12"``: for a cache key of figures that
    depend on several kinds of data."""
    found = dict(DataVersion.objects.filter(name__in=names).values_list("name", "n"))
    return ".".join(str(found.get(name, 0)) for name in names)


def bump(name: str = "library") -> None:
    if not DataVersion.objects.filter(name=name).update(n=F("n") + 1):
        DataVersion.objects.get_or_create(name=name, defaults={"n": 1})


def cached_statistics(qs, scope: str, params: dict, complement=None, years: bool = True) -> dict:
    """``statistics(qs)``, reused for the same scope and filters while the library is unchanged.

    The two parts are cached apart: ``years=False`` (a page that shows no rolling-plan years, as
    the city overview) leaves out ``by_year`` and never reads the plan rows."""
    raw = f"{scope}|{sorted((k, v) for k, v in params.items() if v)}"
    key = f"newinfra:stats:{current_version()}:{hashlib.sha1(raw.encode()).hexdigest()}"
    data = cache.get(key)
    if data is None:
        data = group_statistics(qs)
        cache.set(key, data, LIFETIME_S)
    if not years:
        return data
    by_year = cache.get(f"{key}:years")
    if by_year is None:
        by_year = year_statistics(qs, complement)
        cache.set(f"{key}:years", by_year, LIFETIME_S)
    return {**data, "by_year": by_year}


def connect_signals() -> None:
    from django.db.models.signals import m2m_changed, post_save

    from .models import AnnualInvestment, Project, ProjectFlag, refresh_districts_keys

    def changed(**kwargs):
        bump()

    def districts_changed(instance, action, reverse, pk_set, **kwargs):
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        if reverse:  # organisation.district_projects.add(...): the projects are in pk_set
            refresh_districts_keys(
                pk_set or Project.objects.filter(districts=instance).values_list("pk", flat=True)
            )
        else:
            refresh_districts_keys([instance.pk])
        bump()

    for model in (Project, AnnualInvestment, ProjectFlag):
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"stats-{model.__name__}")
    m2m_changed.connect(
        districts_changed, sender=Project.districts.through, weak=False, dispatch_uid="stats-districts"
    )
