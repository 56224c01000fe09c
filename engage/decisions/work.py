"""'Your work' for cases: decisions to take or approve, sharing not done, reviews due, appeals, advice."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from engage import access
from engage.core.work import Task, TaskGroup
from engage.decisions import rules
from engage.decisions.models import Appeal, Decision, PeriodicReview, Review, SharingRecord
from engage.policy.describe import long_date
from engage.policy.services import current_policy

# Reviews show this long before they fall due, so they can be prepared.
REVIEW_NOTICE = dt.timedelta(days=14)
PERIODIC_NOTICE = dt.timedelta(days=31)


def tasks_for(user: Any, today: dt.date | None = None) -> TaskGroup | None:
    """Everything about cases waiting for this person, most urgent kinds first."""
    if getattr(user, "organisation_id", None) is None:
        return None
    today = today or timezone.localdate()
    preset = current_policy(user.organisation).preset
    keys = rules.acting_keys(preset, user.role_keys)
    tasks: list[Task] = []

    deciding = [r.type.value for r in preset.decisions if keys & set(r.decided_by)]
    for d in (
        access.scoped(Decision, user)
        .filter(status=Decision.Status.PROPOSED, type__in=deciding)
        .select_related("case__customer", "proposed_by")
    ):
        tasks.append(
            Task(
                label=f"Decide on a proposed {d.get_type_display().lower()} for {d.case.customer}",
                url=reverse("decisions:decide", args=[d.case_id, d.type]) + f"?proposal={d.pk}",
                detail=f"Proposed by {d.proposed_by} ({d.case.reference}).",
            )
        )
    for d in (
        access.scoped(Decision, user)
        .filter(status=Decision.Status.AWAITING_APPROVAL)
        .exclude(decided_by=user)
        .select_related("case__customer", "decided_by")
    ):
        if keys & set(d.approval_needed_by):
            tasks.append(
                Task(
                    label=f"Approve or refuse {d.get_type_display().lower()} for {d.case.customer}",
                    url=reverse("decisions:approve", args=[d.pk]),
                    due=d.decided_on,
                    detail=f"Decided by {d.decided_by} ({d.case.reference}).",
                )
            )
    for s in (
        access.scoped(SharingRecord, user)
        .filter(
            Q(decision__decided_by=user) | Q(decision__approved_by=user),
            told_at__isnull=True,
            decision__status=Decision.Status.IN_FORCE,
        )
        .select_related("decision__case__customer")
    ):
        decided = s.decision.decided_on or today
        tasks.append(
            Task(
                label=f"Record who was told about the decision on {s.decision.case.customer}: {s.party}",
                url=reverse("decisions:decision", args=[s.decision_id]) + "#sharing",
                due=decided,
                overdue=decided < today,
                detail=f"{s.clause}.",
            )
        )
    if keys & set(preset.reviews.reviewed_by):
        for r in (
            access.scoped(Review, user)
            .filter(outcome="", decision__status=Decision.Status.IN_FORCE, due_on__lte=today + REVIEW_NOTICE)
            .select_related("decision__case__customer")
        ):
            tasks.append(
                Task(
                    label=f"Review the restriction on {r.decision.case.customer}",
                    url=reverse("decisions:review", args=[r.pk]),
                    due=r.due_on,
                    overdue=r.due_on < today,
                    detail=f"{r.decision.case.reference}: {r.decision.get_type_display().lower()}.",
                )
            )
    for a in (
        access.scoped(Appeal, user)
        .filter(status=Appeal.Status.AWAITING_DECISION)
        .select_related("decision__case__customer")
    ):
        if keys & set(a.heard_by):
            late = "" if a.in_time else " Received after the deadline."
            tasks.append(
                Task(
                    label=f"Decide the appeal from {a.decision.case.customer}",
                    url=reverse("decisions:appeal", args=[a.pk]),
                    detail=f"Received {long_date(a.received_on)}.{late}",
                )
            )
    for d in (
        access.scoped(Decision, user)
        .filter(type="referral", referral_to=user, referral_advice="", status=Decision.Status.IN_FORCE)
        .select_related("case__customer", "decided_by")
    ):
        tasks.append(
            Task(
                label=f"Give your advice on the referral about {d.case.customer}",
                url=reverse("decisions:decision", args=[d.pk]) + "#referral",
                detail=f"Referred by {d.decided_by}.",
            )
        )
    periodic_by = preset.reviews.periodic.by or preset.reviews.reviewed_by
    due = rules.periodic_due(preset, today)
    if due is not None and keys & set(periodic_by) and due[1] - today <= PERIODIC_NOTICE:
        done = access.scoped(PeriodicReview, user).filter(due_on=due[1], signed_off_at__isnull=False).exists()
        if not done:
            tasks.append(
                Task(
                    label=f"Carry out the review of all restrictions: {due[0]}",
                    url=reverse("decisions:periodic"),
                    due=due[1],
                    overdue=due[1] < today,
                )
            )
    return TaskGroup(
        title="Cases and decisions",
        tasks=tasks,
        empty="No decisions, reviews or appeals are waiting for you.",
    )
