"""Reading cases: active measures and the marker (the contact check's hot path), facts for the engine,
the timeline, and who may see the history.

Every lookup a page makes by id goes through `engage.access`; the functions here take objects
already fetched that way, or an organisation id the caller has checked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from engage import access
from engage.decisions import measures as measure_specs
from engage.decisions.markers import Active, marker_text
from engage.decisions.models import Appeal, Case, Decision, Measure, Review, SharingRecord
from engage.decisions.rules import RESTRICTIONS, WARNING_DECISIONS
from engage.incidents.models import Incident
from engage.policy import engine
from engage.policy.describe import long_date
from engage.policy.schema import Preset
from engage.policy.vocabulary import Capability, DecisionType, WarningExemption

# Those who may read a case's history (DESIGN "Marker": the minimum for everyone, the history only
# for those with need to know): whoever decides, hears appeals or answers for the records.
NEED_TO_KNOW = (
    Capability.MANAGER,
    Capability.SENIOR_DECISION_MAKER,
    Capability.APPEAL_OFFICER,
    Capability.EXECUTIVE,
    Capability.INFORMATION_GOVERNANCE,
)
# Immediate actions that are themselves "ending a call or meeting" (004 Decision matrix
# "Terminate call"; 003 9.7), so a restriction that needs one first can rest on the incident.
_ENDING_ACTIONS = frozenset({"call_ended", "meeting_ended"})
_ON_CASE = (Decision.Status.IN_FORCE, Decision.Status.ENDED)


def can_see_history(user: Any) -> bool:
    held: frozenset[str] = getattr(user, "capabilities", frozenset())
    return any(str(c) in held for c in NEED_TO_KNOW)


def cases(user: Any) -> QuerySet[Case]:
    return access.scoped(Case, user).select_related("customer")


# ---------------------------------------------------------------------------------------------
# The hot path
# ---------------------------------------------------------------------------------------------


def active_measures(organisation_id: int, customer_id: int, on: dt.date) -> list[Measure]:
    """The measures applying to a customer on a day: one indexed query, no joins beyond the
    decision's status. A measure applies from `starts_on` up to the day before `ends_on`, so a
    restriction stops on its end date whether or not the expiry job has run yet."""
    return list(
        Measure.objects.filter(
            organisation_id=organisation_id,
            customer_id=customer_id,
            starts_on__lte=on,
            decision__status=Decision.Status.IN_FORCE,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))
        .only("id", "type", "params", "starts_on", "ends_on", "decision_id")
        .order_by("id")
    )


def current_marker(customer: Any, on: dt.date | None = None) -> str:
    """The marker for a customer today: one or two sentences, or "" when nothing applies."""
    today = on or timezone.localdate()
    found = active_measures(customer.organisation_id, customer.pk, today)
    return marker_text([Active(measure_specs.parse(m.type, m.params), m.ends_on) for m in found], today)


def specs_of(found: Iterable[Measure]) -> list[measure_specs.MeasureSpec]:
    return [measure_specs.parse(m.type, m.params) for m in found]


# ---------------------------------------------------------------------------------------------
# Facts for the engine
# ---------------------------------------------------------------------------------------------


def case_incidents(case: Case) -> QuerySet[Incident]:
    """The incidents a decision on this case may rest on: the customer's, logged and submitted."""
    return (
        Incident.objects.filter(organisation_id=case.organisation_id, customer_id=case.customer_id)
        .exclude(status=Incident.Status.DRAFT)
        .order_by("-occurred_at", "-id")
    )


@dataclass(frozen=True)
class KnownWarning:
    on: dt.date
    label: str


def known_warnings(case: Case) -> list[KnownWarning]:
    """Every warning on record for the case, newest first: warning and restorative decisions
    (their letters ask the customer to change, 003 10.1 and Guidance), and warnings given at the
    time of an incident (004 "Terminating a telephone call": "the caller will be warned once")."""
    found: dict[dt.date, str] = {}
    for d in case.decisions.filter(type__in=WARNING_DECISIONS, status__in=_ON_CASE).exclude(decided_on=None):
        assert d.decided_on is not None
        found.setdefault(d.decided_on, f"{d.get_type_display()} decided on {long_date(d.decided_on)}")
    for incident in case_incidents(case).filter(warning_given_first=True).exclude(occurred_at=None):
        assert incident.occurred_at is not None
        day = timezone.localdate(incident.occurred_at)
        found.setdefault(day, f"Warned at the time of incident {incident.reference} on {long_date(day)}")
    return [KnownWarning(day, label) for day, label in sorted(found.items(), reverse=True)]


def case_facts(
    case: Case,
    *,
    warning_given_on: dt.date | None = None,
    exemption: WarningExemption | str | None = None,
    all_known_warnings: bool = False,
    incidents: Iterable[Incident] | None = None,
) -> engine.CaseFacts:
    """What the engine needs about the case. The warning counted is the one the decider records
    (it must be a known one), or every known warning when listing the options open."""
    prior = set(case.decisions.filter(status__in=_ON_CASE).values_list("type", flat=True).distinct())
    on_case = list(case_incidents(case))
    chosen = list(incidents) if incidents is not None else on_case
    # A call or meeting ended at the time is a decision already on the case, whichever incidents
    # this decision rests on.
    if any(_ENDING_ACTIONS & set(i.immediate_actions or ()) for i in on_case):
        prior.add(DecisionType.END_CONTACT.value)
    categories = frozenset(c for i in chosen for c in (i.categories or ()))
    if all_known_warnings:
        warnings = tuple(w.on for w in known_warnings(case))
    else:
        warnings = (warning_given_on,) if warning_given_on else ()
    return engine.CaseFacts(
        warnings_given=warnings,
        prior_decisions=frozenset(DecisionType(p) for p in prior),
        categories=categories,
        exemption=WarningExemption(exemption) if exemption else None,
    )


def decision_categories(decision: Decision) -> frozenset[str]:
    return frozenset(c for i in decision.incidents.all() for c in (i.categories or ()))


def appeal_answer(preset: Preset, decision: Decision) -> engine.AppealAnswer:
    """Where an appeal against this decision goes, from the level that decided it (003 12.3)."""
    roles = {r.key: r for r in preset.roles}
    decider = roles.get(decision.decided_as)
    capabilities = frozenset(decider.capabilities) if decider else frozenset()
    return engine.appeal_route(
        preset,
        decided_by=decision.decided_as,
        categories=decision_categories(decision),
        decider_capabilities=capabilities,
        no_internal_reason=decision.no_internal_appeal_reason or None,
    )


# ---------------------------------------------------------------------------------------------
# The case page
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    on: dt.date
    kind: str
    title: str
    detail: str = ""
    url: str = ""


def timeline(case: Case) -> list[Entry]:
    """Everything on the case, newest first, each in one line someone new can follow."""
    entries: list[Entry] = []
    for incident in case_incidents(case).select_related("reporter"):
        when = incident.occurred_at or incident.submitted_at or incident.created_at
        entries.append(
            Entry(
                timezone.localdate(when),
                "Incident",
                f"Incident {incident.reference} logged by {incident.reporter}",
                incident.get_channel_display() if incident.channel else "",
            )
        )
    decisions = list(
        case.decisions.exclude(status=Decision.Status.PROPOSED).select_related("decided_by", "approved_by")
    )
    for d in decisions:
        day = d.decided_on or timezone.localdate(d.created_at)
        who = f" by {d.decided_by}" if d.decided_by else ""
        entries.append(
            Entry(day, "Decision", f"{d.get_type_display()}{who}", d.get_status_display(), _decision_url(d))
        )
        if d.approved_at and d.approved_by:
            verb = "Approved" if d.status != Decision.Status.REFUSED else "Refused"
            entries.append(
                Entry(
                    timezone.localdate(d.approved_at),
                    "Approval",
                    f"{verb} by {d.approved_by}",
                    "",
                    _decision_url(d),
                )
            )
        if d.ended_on and d.end_reason:
            entries.append(Entry(d.ended_on, "End", f"{d.get_type_display()}: {d.get_end_reason_display()}"))
    ids = [d.pk for d in decisions]
    for s in SharingRecord.objects.filter(decision_id__in=ids, told_on__isnull=False).select_related(
        "told_by"
    ):
        assert s.told_on is not None
        entries.append(
            Entry(s.told_on, "Sharing", f"{s.party} told by {s.told_by}", "", _decision_url(s.decision))
        )
    for r in Review.objects.filter(decision_id__in=ids).exclude(outcome="").select_related("reviewer"):
        assert r.reviewed_on is not None
        entries.append(
            Entry(
                r.reviewed_on,
                "Review",
                f"Reviewed by {r.reviewer}: {r.get_outcome_display()}",
                "",
                _decision_url(r.decision),
            )
        )
    for a in Appeal.objects.filter(decision_id__in=ids).select_related("decided_by"):
        url = reverse("decisions:appeal", args=[a.pk])
        entries.append(Entry(a.received_on, "Appeal", "Appeal received", a.get_status_display(), url))
        if a.decided_on:
            entries.append(
                Entry(a.decided_on, "Appeal outcome", f"{a.get_outcome_display()} by {a.decided_by}", "", url)
            )
    entries.sort(key=lambda e: e.on, reverse=True)
    return entries


def _decision_url(decision: Decision) -> str:
    return reverse("decisions:decision", args=[decision.pk])


def in_force_restrictions(case: Case) -> QuerySet[Decision]:
    return case.decisions.filter(status=Decision.Status.IN_FORCE, type__in=RESTRICTIONS)
