"""'Your work' for contacts: levels-of-contact items for managers to consider (003 §6.3)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from engage.contacts import selectors, services
from engage.core.work import Task, TaskGroup


def tasks_for(user: Any) -> TaskGroup | None:
    if getattr(user, "organisation_id", None) is None or not services.may_consider_levels(user):
        return None
    tasks = [
        Task(
            label=f"Consider the levels of contact from {flag.customer.name} ({flag.customer.reference})",
            url=reverse("contacts:levels_flag", args=[flag.pk]),
            detail=f"{flag.get_rule_display()}: {flag.value}, more than {flag.threshold}, "
            f"up to {timezone.localtime(flag.window_end):%-d %B %Y %H:%M}.",
        )
        for flag in selectors.open_flags(user)
    ]
    return TaskGroup(title="Levels of contact", tasks=tasks, empty="No levels of contact to consider.")
