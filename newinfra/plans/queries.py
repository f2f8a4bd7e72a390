"""Reading tasks for pages and exports.

Which tasks count is decided by the plan's status in one place (``Task.objects.live()`` /
``visible_to(user)`` in models): lists that stand for the plan in force (the ledger, 我的任务, the
dashboards, supervision, evaluation) read live tasks only; a plan's own pages and the API read what
the user may see, so that the office sees a draft it proofreads."""

from django.db.models import Prefetch

from .models import Responsibility, Target, Task, with_plan


def tasks_with_units(user=None):
    """Tasks with their active units and targets prefetched (one query each): live ones, or every
    one ``user`` may see."""
    tasks = Task.objects.visible_to(user) if user is not None else Task.objects.live()
    return (
        with_plan(tasks)
        .select_related("section")
        .prefetch_related(
            Prefetch(
                "responsibilities",
                queryset=Responsibility.objects.filter(is_active=True).select_related("organization"),
                to_attr="active_responsibilities",
            ),
            Prefetch("targets", queryset=Target.objects.filter(is_active=True), to_attr="active_targets"),
        )
    )
