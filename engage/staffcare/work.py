"""'Your work' for staff care: requests waiting for a decision, and people still to be told that a
member of staff was named online.

Nothing here is ever a task for the member of staff themselves: what they may do for their own
care can always wait (see the forms), so it never shows as work owed.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from engage.core.work import Task, TaskGroup
from engage.policy.services import current_policy
from engage.policy.vocabulary import Capability
from engage.staffcare import rules, selectors
from engage.staffcare.models import NamedOnlineReport, StaffRequest


def tasks_for(user: Any) -> TaskGroup | None:
    organisation = getattr(user, "organisation", None)
    if organisation is None:
        return None
    decides = user.can(Capability.SENIOR_DECISION_MAKER) or selectors.managed_by(user).exists()
    handles_named = decides or user.can(Capability.HR_COMMUNICATIONS)
    if not handles_named:
        return None
    tasks: list[Task] = []
    waiting = (
        selectors.requests_for(user)
        .filter(status=StaffRequest.Status.REQUESTED)
        .exclude(staff_member=user)
        .order_by("created_at")
    )
    # Both selectors already hold only what this person may act on (requests_for: those above the
    # member of staff, or a senior; named_online_for: those above them, or HR and communications).
    for item in waiting if decides else []:
        tasks.append(
            Task(
                label=f"Decide {item.staff_member}'s request about {item.customer.name}",
                url=reverse("staffcare:request", args=[item.pk]),
                detail=f"{item.get_kind_display()}. Asked on {timezone.localtime(item.created_at):%-d %B %Y}.",
            )
        )
    reports = list(
        selectors.named_online_for(user)
        .filter(status=NamedOnlineReport.Status.OPEN)
        .exclude(staff_member=user)
        .order_by("created_at")
    )
    if reports:
        preset = current_policy(organisation).preset
        for report in reports:
            still = rules.untold(
                rules.parties_to_tell(preset, reported_by_someone_else=report.reported_by_someone_else),
                report.told_keys,
            )
            if still:
                tasks.append(
                    Task(
                        label=f"Record who has been told: {report.staff_member} named online",
                        url=reverse("staffcare:named", args=[report.pk]),
                        detail="Still to tell: " + ", ".join(p.name for p in still) + ".",
                    )
                )
    return TaskGroup(
        title="Staff care", tasks=tasks, empty="No staff care requests or reports are waiting for you."
    )
