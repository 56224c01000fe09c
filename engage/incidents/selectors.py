"""Who may see which incidents: the reporter, those affected, their managers and senior decision makers.

Everything starts from `access.scoped`, so another organisation's incidents are never found; within
the organisation an incident is seen only by those who need to (001 76, 002 12.4).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from engage import access
from engage.incidents.models import Incident, Witness
from engage.policy.vocabulary import Capability

_OPEN = (Incident.Status.SUBMITTED, Incident.Status.UNDER_REVIEW)


def visible(user: Any) -> QuerySet[Incident]:
    """Incidents this user may open: their own (drafts included), and submitted ones they were
    affected by, were sent for review, or manage the reporter of; senior decision makers see every
    submitted incident of their organisation."""
    qs = access.scoped(Incident, user)
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    submitted = ~Q(status=Incident.Status.DRAFT)
    if user.can(Capability.SENIOR_DECISION_MAKER):
        return qs.filter(Q(reporter=user) | submitted)
    ids = (
        qs.filter(
            Q(reporter=user)
            | (submitted & (Q(staff_affected=user) | Q(routed_to=user) | Q(reporter__line_manager=user)))
        )
        .values("pk")
        .distinct()
    )
    return qs.filter(pk__in=ids)


def review_queue(user: Any) -> QuerySet[Incident]:
    """Submitted incidents waiting for this user's review, oldest first."""
    qs = access.scoped(Incident, user).filter(status__in=_OPEN).exclude(reporter=user)
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if not user.can(Capability.SENIOR_DECISION_MAKER):
        qs = qs.filter(Q(routed_to=user) | Q(reporter__line_manager=user))
    return qs.select_related("reporter", "routed_to").order_by("submitted_at", "id")


def witness_invitations(user: Any) -> QuerySet[Witness]:
    """Incidents where this user was named as a witness and has not yet added their account."""
    return (
        access.scoped(Witness, user)
        .filter(staff=user, invited_at__isnull=False, added_at__isnull=True)
        .select_related("incident", "incident__reporter")
        .order_by("invited_at", "id")
    )


def drafts(user: Any) -> QuerySet[Incident]:
    return access.scoped(Incident, user).filter(reporter=user, status=Incident.Status.DRAFT)
