"""Demo cases for `engage demo`: for each organisation, cases at every stage, through the services.

Runs after the customers and incidents demos and uses their customers in order: a restriction in
force with an appeal waiting; a warning only; a short restriction that has expired (or, where the
policy has none, a restriction waiting for approval, or a proposal); a restriction whose review is
overdue; and a restriction whose appeal has been decided (or signposted to the ombudsman).
Who decides is asked of the policy engine, so the same stories play out under every preset.

Idempotent: a customer who already has a case is left alone. A stage the organisation's policy
does not allow is skipped rather than forced.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from engage.customers.models import Customer
from engage.decisions import rules, services
from engage.decisions.models import Case, Decision
from engage.incidents.models import Incident
from engage.organisations.models import Organisation
from engage.policy import engine
from engage.policy.schema import Preset
from engage.policy.services import current_policy
from engage.policy.vocabulary import Capability, DecisionType, MeasureType
from engage.staff.models import User

log = logging.getLogger(__name__)

# Parameters for each measure in the demo; the officer is filled in per organisation.
_PARAMS: dict[str, dict[str, Any]] = {
    MeasureType.ALLOWED_CHANNELS: {"channels": ["email", "letter"]},
    MeasureType.CALL_TIMES: {"days": ["tue", "thu"], "start": "10:00", "end": "12:00", "max_minutes": 20},
    MeasureType.VOLUME_LIMIT: {"max_contacts": 3, "per": "week"},
    MeasureType.THIRD_PARTY_ONLY: {"third_party": "their advocate, Tegan Rees"},
    MeasureType.AUTOMATED_LINE: {"line": "the council tax payments line"},
    MeasureType.WITNESS_REQUIRED: {"witness": "a second officer"},
    MeasureType.PREMISES_BAN: {"premises": ["the main reception"]},
    MeasureType.TOPICS_LIMITED: {"topics": ["the boiler repair"]},
    MeasureType.MATTER_CLOSED: {"matter": "the 2024 parking fine"},
    MeasureType.READ_AND_FILE: {"channels": ["email", "letter"]},
    MeasureType.MONITORED_MAILBOX: {"mailbox": "monitored@example.org"},
    MeasureType.NO_STAFF_DETAILS: {},
    MeasureType.BEHAVIOUR_CONTRACT: {},
}
# The measures the demo prefers, in order: ones a frontline person can act on at once.
_PREFERRED = (
    MeasureType.SINGLE_POINT_OF_CONTACT,
    MeasureType.CALL_TIMES,
    MeasureType.NO_STAFF_DETAILS,
    MeasureType.ALLOWED_CHANNELS,
    MeasureType.VOLUME_LIMIT,
    MeasureType.READ_AND_FILE,
)


@dataclass
class _Org:
    organisation: Organisation
    preset: Preset
    staff: list[User]
    reporter: User
    today: dt.date
    counter: int = 0


def populate(organisation: Organisation) -> None:
    preset = current_policy(organisation).preset
    staff = list(User.objects.filter(organisation=organisation, is_active=True).order_by("pk"))
    reporter = next((u for u in staff if u.can(Capability.FRONTLINE)), None)
    if reporter is None:
        return
    org = _Org(organisation, preset, staff, reporter, timezone.localdate())
    people = list(
        Customer.objects.filter(organisation=organisation, merged_into__isnull=True).order_by("reference")
    )
    stages: list[Callable[[_Org, Customer], None]] = [
        _appeal_waiting,
        _warned,
        _short_or_awaiting,
        _review_overdue,
        _appeal_decided,
    ]
    for customer, stage in zip(people, stages, strict=False):
        if Case.objects.filter(customer=customer).exists():
            continue
        try:
            stage(org, customer)
        except ValidationError as error:
            # A policy that does not allow this story: leave the customer without a case.
            log.info("demo stage %s skipped for %s: %s", stage.__name__, organisation, error.messages)


# ---------------------------------------------------------------------------------------------
# Stages
# ---------------------------------------------------------------------------------------------


def _appeal_waiting(org: _Org, customer: Customer) -> None:
    case, evidence = _open(org, customer, days_ago=32)
    _warn(org, case, evidence, days_ago=30)
    decision = _restrict(org, case, evidence, days_ago=20)
    first = decision.sharing.first()
    if first is not None and decision.decided_by is not None:
        told_on = decision.decided_on or org.today
        services.sharing_record(actor=decision.decided_by, record=first, told_on=told_on, today=org.today)
    services.appeal_receive(
        actor=decision.decided_by,  # type: ignore[arg-type]
        decision=decision,
        received_on=org.today - dt.timedelta(days=5),
        grounds=["disproportionate"],
        about_restriction_only=True,
        today=org.today,
    )


def _warned(org: _Org, customer: Customer) -> None:
    case, evidence = _open(org, customer, days_ago=12)
    _warn(org, case, evidence, days_ago=10)


def _short_or_awaiting(org: _Org, customer: Customer) -> None:
    case, evidence = _open(org, customer, days_ago=6, ended_call=True)
    if org.preset.decision(DecisionType.SHORT_RESTRICTION) is not None:
        day = org.today - dt.timedelta(days=4)
        actor, extra = _authority(org, DecisionType.SHORT_RESTRICTION)
        services.decision_make(
            actor=actor,
            case=case,
            type=DecisionType.SHORT_RESTRICTION,
            reasons="Rang back the next morning and carried on swearing at the call handler.",
            incidents=evidence,
            why_not_less_restrictive="He was warned on the call and carried on.",
            considerations="No needs recorded; email and letters stay open.",
            starts_on=day,
            ends_on=day + dt.timedelta(days=1),
            today=day,
            **extra,
        )
        services.expire_due(today=org.today)
        return
    needing = [m for m in org.preset.measures if m.approved_by]
    if needing:
        _restrict(org, case, evidence, days_ago=2, measures=[needing[0].type], warn_first=True)
        return
    proposer = _holder(org, Capability.MANAGER) or org.reporter
    services.decision_propose(
        actor=proposer,
        case=case,
        type=DecisionType.ACTIVE_MANAGEMENT,
        reasons="Abusive calls every day this week despite the warning.",
        incidents=evidence,
    )


def _review_overdue(org: _Org, customer: Customer) -> None:
    case, evidence = _open(org, customer, days_ago=175)
    _warn(org, case, evidence, days_ago=172)
    _restrict(org, case, evidence, days_ago=170, review_after=160)


def _appeal_decided(org: _Org, customer: Customer) -> None:
    case, evidence = _open(org, customer, days_ago=62)
    _warn(org, case, evidence, days_ago=60)
    decision = _restrict(org, case, evidence, days_ago=50)
    appeal = services.appeal_receive(
        actor=decision.decided_by,  # type: ignore[arg-type]
        decision=decision,
        received_on=org.today - dt.timedelta(days=45),
        grounds=["personal_circumstances"],
        grounds_detail="Says the set times clash with his dialysis appointments.",
        about_restriction_only=True,
        today=org.today,
    )
    if not appeal.internal:
        return
    hearer = next(
        (u for u in org.staff if set(appeal.heard_by) & u.role_keys and u.pk != decision.decided_by_id), None
    )
    if hearer is None:
        return
    services.appeal_decide(
        actor=hearer,
        appeal=appeal,
        outcome="upheld",
        reasons="The restriction is proportionate; contact remains possible in writing.",
        late_accepted_reason="Demo: heard regardless." if not appeal.in_time else "",
        today=org.today - dt.timedelta(days=30),
    )


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _open(
    org: _Org, customer: Customer, *, days_ago: int, ended_call: bool = False
) -> tuple[Case, list[Incident]]:
    case = services.case_open(actor=None, customer=customer)
    evidence = list(Incident.objects.filter(customer=customer).exclude(status=Incident.Status.DRAFT))
    if not evidence or ended_call:
        evidence.append(_incident(org, customer, days_ago=days_ago, ended_call=True))
    return case, evidence


def _incident(org: _Org, customer: Customer, *, days_ago: int, ended_call: bool) -> Incident:
    org.counter += 1
    reference = f"DEMO-{customer.reference}-{org.counter}"
    occurred = timezone.make_aware(
        dt.datetime.combine(org.today - dt.timedelta(days=days_ago), dt.time(10, 15))
    )
    category = next(
        (c.key for c in org.preset.categories if not c.zero_tolerance), org.preset.categories[0].key
    )
    incident, _created = Incident.objects.get_or_create(
        organisation=org.organisation,
        reference=reference,
        defaults={
            "status": Incident.Status.SUBMITTED,
            "reporter": org.reporter,
            "occurred_at": occurred,
            "submitted_at": occurred,
            "channel": "phone",
            "account": (
                "The caller shouted over me and swore when I explained the decision. I warned him once that I "
                "would end the call; he carried on, so I ended it."
            ),
            "categories": [category],
            "customer": customer,
            "immediate_actions": ["call_ended"] if ended_call else [],
            "warning_given_first": True,
            "routed_to": org.reporter.line_manager,
        },
    )
    return incident


def _holder(org: _Org, capability: Capability) -> User | None:
    return next((u for u in org.staff if u.can(capability)), None)


def _authority(org: _Org, dtype: DecisionType, alone_first: bool = False) -> tuple[User, dict[str, Any]]:
    """Someone the policy lets take `dtype`, and how they act: alone by role, or as a group with
    enough members present (roles first if `alone_first`). Raises ValidationError when nobody in
    the organisation can."""
    rule = org.preset.decision(dtype)
    if rule is None:
        raise ValidationError(f"The policy does not provide for {dtype}.")
    keys = (
        sorted(rule.decided_by, key=lambda k: org.preset.group(k) is not None)
        if alone_first
        else rule.decided_by
    )
    for key in keys:
        group = org.preset.group(key)
        if group is None:
            holder = next((u for u in org.staff if key in u.role_keys), None)
            if holder is not None:
                return holder, {}
            continue
        members = [u for u in org.staff if set(group.member_roles) & u.role_keys]
        if len(members) >= group.quorum:
            return members[0], {
                "as_group": key,
                "members_present": members[1 : group.quorum],
                "group_outcome": "Agreed unanimously.",
            }
    raise ValidationError(f"Nobody in the demo organisation may decide on {dtype}.")


def _warn(org: _Org, case: Case, evidence: list[Incident], *, days_ago: int) -> Decision | None:
    for dtype in (DecisionType.WARNING, DecisionType.RESTORATIVE_APPROACH):
        if org.preset.decision(dtype) is None:
            continue
        actor, extra = _authority(org, dtype)
        day = org.today - dt.timedelta(days=days_ago)
        return services.decision_make(
            actor=actor,
            case=case,
            type=dtype,
            reasons="Asked the customer to stop swearing at staff and explained what may follow if it continues.",
            incidents=evidence,
            today=day,
            **extra,
        )
    return None


def _restrict(
    org: _Org,
    case: Case,
    evidence: list[Incident],
    *,
    days_ago: int,
    review_after: int = 60,
    measures: list[MeasureType] | None = None,
    warn_first: bool = False,
) -> Decision:
    if warn_first:
        _warn(org, case, evidence, days_ago=days_ago + 1)
    # A restriction waiting for approval is one decided by someone who is not the approver.
    actor, extra = _authority(org, DecisionType.ACTIVE_MANAGEMENT, alone_first=measures is not None)
    day = org.today - dt.timedelta(days=days_ago)
    held = frozenset(actor.role_keys) | ({extra["as_group"]} if extra else set())
    if measures is None:
        allowed = [
            m.type
            for m in org.preset.measures
            if engine.may_impose(org.preset, held, m.type).allowed and not (set(m.approved_by) - held)
        ]
        measures = [t for t in _PREFERRED if t in allowed][:2] or allowed[:1]
    inputs = []
    for mtype in measures:
        params = dict(_PARAMS.get(mtype, {}))
        if mtype == MeasureType.SINGLE_POINT_OF_CONTACT:
            deputy = next(
                (u for u in org.staff if u.pk != actor.pk and not u.can(Capability.FRONTLINE)), None
            )
            params = {"officer": actor.pk, "deputy": deputy.pk if deputy else None}
        inputs.append(services.MeasureInput(mtype.value, params))
    rule = org.preset.decision(DecisionType.ACTIVE_MANAGEMENT)
    latest = engine.latest_review_date(org.preset, day)
    review_on = day + dt.timedelta(days=review_after)
    if latest is not None and review_on > latest:
        review_on = latest
    known = [d.decided_on for d in case.decisions.filter(type__in=rules.WARNING_DECISIONS) if d.decided_on]
    decision = services.decision_make(
        actor=actor,
        case=case,
        type=DecisionType.ACTIVE_MANAGEMENT,
        reasons="Abusive calls continued after the warning; staff are finding the calls distressing.",
        incidents=evidence,
        why_not_less_restrictive="The warning did not change the behaviour; contact in writing stays open.",
        considerations="Needs recorded for the customer were considered; letters and email stay open.",
        advocacy_offered=True if rule is not None and rule.advocacy_to_be_considered else None,
        warning_given_on=max(known) if known and rule is not None and rule.requires_warning_first else None,
        starts_on=day,
        review_on=review_on,
        measures=inputs,
        today=day,
        **extra,
    )
    if days_ago >= 30:
        # Older restrictions were shared long ago; the recent ones show sharing still to do.
        for record in decision.sharing.all():
            services.sharing_record(actor=actor, record=record, told_on=day, today=org.today)
    return decision
