"""Reading tasks for pages and exports."""

from django.db.models import Prefetch

from .models import Responsibility, Target, Task


def tasks_with_units():
    """Active tasks of active plans with their active units and targets prefetched (one query each)."""
    return (
        Task.objects.filter(is_active=True, plan__is_active=True)
        .select_related("plan", "section")
        .prefetch_related(
            Prefetch(
                "responsibilities",
                queryset=Responsibility.objects.filter(is_active=True).select_related("organization"),
                to_attr="active_responsibilities",
            ),
            Prefetch("targets", queryset=Target.objects.filter(is_active=True), to_attr="active_targets"),
        )
    )
