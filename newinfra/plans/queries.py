"""Reading tasks for pages and exports.

Which tasks count is decided by the plan's status in one place (``Task.objects.live()`` /
``visible_to(user)`` in models): lists that stand for the plan in force (the ledger, 我的任务, the
dashboards, supervision, evaluation) read live tasks only; a plan's own pages and the API read what
the user may see, so that the office sees a draft it proofreads."""

from django.db.models import Exists, OuterRef, Prefetch

from newinfra.orgs.models import Organization

from .models import Responsibility, Target, Task, with_plan


def units_with_live_tasks():
    """Active organisations with a responsibility in force. A semi-join, not a DISTINCT over
    organisations × responsibilities: at 6,000 tasks the DISTINCT took 150 ms on PostgreSQL, most
    of the ledger page. ``EXISTS`` (one responsibility per organisation, by its index) rather
    than ``pk IN``, for which SQLite read all 24,000 live responsibilities first (13 ms)."""
    return Organization.objects.filter(is_active=True).filter(
        Exists(Responsibility.objects.live().filter(organization_id=OuterRef("pk")))
    )


def responsibilities_of_tasks():
    """Responsibilities to prefetch for tasks, with their organisations, in each task's order.

    The model's ordering (``task``, ``order``) sorts by the task's own ordering, which joins every
    task and its plan (at 6,000 tasks PostgreSQL read the whole task table for a page's 200 rows);
    within one task ``order`` alone is the same order."""
    return Responsibility.objects.select_related("organization").order_by("task_id", "order", "pk")


def targets_of_tasks():
    """Targets to prefetch for tasks, in each task's order (a task's targets share its plan, the
    first key of the model's ordering, which would join the plan)."""
    return Target.objects.order_by("task_id", "order", "pk")


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
                queryset=responsibilities_of_tasks().filter(is_active=True),
                to_attr="active_responsibilities",
            ),
            Prefetch("targets", queryset=targets_of_tasks().filter(is_active=True), to_attr="active_targets"),
        )
    )


def tasks_of(organization, lead: bool | None = None):
    """``tasks_with_units()`` of the tasks ``organization`` answers for (我的任务), named or through
    各区政府 / 市直职能部门; only those it leads (``lead=True``) or supports (``False``). A subquery,
    not a DISTINCT over every column of the joined rows."""
    from newinfra.orgs.permissions import responsible_q

    own = Task.objects.filter(responsible_q(organization, lead=lead)).values("pk")
    return tasks_with_units().filter(pk__in=own)
