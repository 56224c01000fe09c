"""Who may see an incident's evidence, and the reads that apply that rule.

Evidence is opened only by those who need to (DESIGN glossary "Evidence"). `can_see` is the one
place that says who that is; every view and service asks it, and anyone else is told "not found",
as for another organisation's data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from engage import access
from engage.evidence.models import Evidence
from engage.incidents.models import Incident
from engage.policy.vocabulary import Capability
from engage.staff.models import User

# Roles that review, decide on, hear appeals about, or answer for the records of any incident.
_SEE_ALL = frozenset(
    {
        Capability.MANAGER,
        Capability.SENIOR_DECISION_MAKER,
        Capability.APPEAL_OFFICER,
        Capability.INFORMATION_GOVERNANCE,
    }
)
_WITHDRAWERS = frozenset(
    {Capability.MANAGER, Capability.SENIOR_DECISION_MAKER, Capability.INFORMATION_GOVERNANCE}
)
_MAX_CHAIN = 20  # line manager chains are short; the bound stops a loop in bad data


def can_see(user: Any, evidence: Evidence | Incident) -> bool:
    """Whether this person may see this item (or the evidence of this incident) and add to it.

    The reporter; and once the incident is submitted, the staff affected, the manager it went to,
    the reporter's line managers up the chain, and managers, senior decision makers, appeal
    officers and information governance of the same organisation. A draft is its reporter's
    alone, as the incident itself is. Nobody from another organisation, nobody without one.
    """
    incident = evidence.incident if isinstance(evidence, Evidence) else evidence
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.organisation_id is None or user.organisation_id != incident.organisation_id:
        return False
    if incident.reporter_id == user.pk:
        return True
    if incident.status == Incident.Status.DRAFT:
        return False
    if _SEE_ALL & user.capabilities or incident.routed_to_id == user.pk:
        return True
    if incident.staff_affected.filter(pk=user.pk).exists():
        return True
    return user.pk in _line_managers_of(incident.reporter_id)


def may_open(user: Any, evidence: Evidence) -> bool:
    """Whether this person may open or download the file now (a withdrawn one: information governance only)."""
    return can_see(user, evidence) and _may_open_seen(user, evidence)


def may_withdraw(user: Any, evidence: Evidence) -> bool:
    """The person who added it, or a manager, senior decision maker or information governance."""
    return can_see(user, evidence) and _may_withdraw_seen(user, evidence)


def _may_open_seen(user: Any, evidence: Evidence) -> bool:
    return not evidence.is_withdrawn or Capability.INFORMATION_GOVERNANCE in user.capabilities


def _may_withdraw_seen(user: Any, evidence: Evidence) -> bool:
    if evidence.is_withdrawn:
        return False
    return evidence.uploaded_by_id == user.pk or bool(_WITHDRAWERS & user.capabilities)


@dataclass(frozen=True)
class Listed:
    evidence: Evidence
    may_open: bool
    may_withdraw: bool


@dataclass(frozen=True)
class Panel:
    can_add: bool
    items: list[Listed]


def evidence_panel(user: Any, incident: Incident) -> Panel:
    """What an incident's evidence list shows this person: the rule is asked once, not per item."""
    if not can_see(user, incident):
        return Panel(can_add=False, items=[])
    items = (
        access.scoped(Evidence, user)
        .filter(incident=incident)
        .select_related("incident", "uploaded_by", "withdrawn_by")
    )
    return Panel(
        can_add=True,
        items=[Listed(e, _may_open_seen(user, e), _may_withdraw_seen(user, e)) for e in items],
    )


def _line_managers_of(user_id: int) -> set[int]:
    chain: set[int] = set()
    current = user_id
    for _ in range(_MAX_CHAIN):
        manager = User.objects.filter(pk=current).values_list("line_manager_id", flat=True).first()
        if manager is None or manager in chain:
            break
        chain.add(manager)
        current = manager
    return chain


def incident_for_evidence(user: Any, ref: str) -> Incident:
    """The incident named by reference (or id), if this person may see its evidence; else 404."""
    lookup: dict[str, Any] = {"pk": int(ref)} if ref.isdigit() else {"reference": ref.upper()}
    incident = access.get_for_user(Incident.objects.select_related("reporter"), user, **lookup)
    if not can_see(user, incident):
        raise Http404("Not found")
    return incident


def evidence_for_user(user: Any, pk: int) -> Evidence:
    """One item, if this person may see it; 404 whether it is missing, another's, or not theirs to see."""
    queryset = Evidence.objects.select_related("incident", "uploaded_by", "withdrawn_by")
    evidence = access.get_for_user(queryset, user, pk=pk)
    if not can_see(user, evidence):
        raise Http404("Not found")
    return evidence


def evidence_of_incident(user: Any, incident: Incident) -> QuerySet[Evidence]:
    """The incident's evidence this person may see: all of it, or none."""
    items = access.scoped(Evidence, user).filter(incident=incident)
    if not can_see(user, incident):
        return items.none()
    return items.select_related("incident", "uploaded_by", "withdrawn_by")
