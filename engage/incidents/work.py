"""'Your work' for incidents: incidents to review, witness accounts to add, drafts to finish."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from engage.core.work import Task, TaskGroup
from engage.incidents import rules, selectors


def tasks_for(user: Any) -> TaskGroup | None:
    # core.work takes one group per domain, so the three kinds share it, reviews first.
    if getattr(user, "organisation_id", None) is None:
        return None
    now = timezone.localtime()
    tasks: list[Task] = []
    for incident in selectors.review_queue(user):
        submitted = timezone.localtime(incident.submitted_at) if incident.submitted_at else now
        tasks.append(
            Task(
                label=f"Review incident {incident.reference}",
                url=reverse("incidents:review", args=[incident.pk]),
                detail=f"Logged by {incident.reporter}, waiting {rules.age_in_words(submitted, now)}.",
            )
        )
    for witness in selectors.witness_invitations(user):
        tasks.append(
            Task(
                label=f"Add your witness account for incident {witness.incident.reference}",
                url=reverse("incidents:witness", args=[witness.incident_id]),
                detail=f"{witness.incident.reporter} named you as a witness.",
            )
        )
    for draft in selectors.drafts(user):
        tasks.append(
            Task(
                label=f"Finish logging incident {draft.reference}",
                url=reverse("incidents:check", args=[draft.pk]),
                detail="Not yet sent to your manager.",
            )
        )
    return TaskGroup(title="Incidents", tasks=tasks, empty="No incidents are waiting for you.")
