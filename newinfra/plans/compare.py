"""Cross-plan comparison: the same measure with different targets in different plans."""

from __future__ import annotations

from django.db.models import Prefetch

from .models import Indicator, Target, with_plan


def has_conflict(targets) -> bool:
    per_plan = {}
    for t in targets:
        per_plan.setdefault(t.plan_id, set()).add((t.value, t.value_max, t.comparator, t.year, t.per_year))
    if len(per_plan) < 2:
        return False
    values = list(per_plan.values())
    return any(v != values[0] for v in values[1:])


def indicators_with_targets():
    return (
        Indicator.objects.prefetch_related(
            Prefetch(
                "targets",
                queryset=with_plan(Target.objects.live()).select_related("task"),
                to_attr="active_targets",
            )
        )
        .filter(targets__in=Target.objects.live())
        .distinct()
    )


def shared_indicators():
    """Indicators set by more than one plan, with whether their targets disagree.

    Cached until a plan, task, indicator or target changes (the ``values`` data version, which
    their saves raise): it read every live target with its plan on each home page (12 ms)."""
    from django.core.cache import cache

    from newinfra.projects.stats_cache import current_version

    key = f"newinfra:shared-indicators:{current_version('values')}"
    out = cache.get(key)
    if out is None:
        out = _shared_indicators()
        cache.set(key, out, 300)
    return out


def _shared_indicators():
    out = []
    for ind in indicators_with_targets():
        plans = {t.plan_id for t in ind.active_targets}
        if len(plans) > 1:
            out.append((ind, has_conflict(ind.active_targets)))
    return out
