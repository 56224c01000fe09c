"""Every change to a case: opening it, deciding, approving, sharing, reviewing, appealing, lifting, expiry.

Each service checks the organisation's policy through `engage.policy.engine` (and the pure rules in
`rules.py` and `measures.py`), runs in one transaction and writes its audit record inside it.
Refusals raise ValidationError by field, and the engine's refusals name the policy's clause.

`today` is the clock: pages never pass it (it is the organisation's local date); scheduled jobs
and the demo do, so that they can be run for a given day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from engage.audit.services import audit_record
from engage.customers.models import Customer
from engage.decisions import measures as measure_specs
from engage.decisions import rules, selectors
from engage.decisions.models import (
    Appeal,
    Case,
    Decision,
    Measure,
    PeriodicReview,
    PeriodicReviewItem,
    Review,
    SharingRecord,
)
from engage.incidents.models import Incident
from engage.organisations.models import Organisation
from engage.policy import engine
from engage.policy.describe import long_date, who
from engage.policy.models import PolicyVersion
from engage.policy.schema import Preset
from engage.policy.services import calendar_for, current_policy
from engage.policy.vocabulary import Channel, DecisionType, MeasureType, WarningExemption
from engage.staff.models import User

# ---------------------------------------------------------------------------------------------
# Shared checks
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Authority:
    """Who is acting: the keys the engine hears, the group acted as (if any) and who was there."""

    keys: frozenset[str]
    group: str = ""
    members: tuple[User, ...] = ()

    @property
    def as_key(self) -> str:
        return self.group


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _check_actor(actor: Any, organisation_id: int) -> None:
    if getattr(actor, "organisation_id", None) != organisation_id:
        # Access guards should make this unreachable; a service never acts across organisations.
        raise ValidationError("You can only act on your own organisation's cases.")


def authority(
    preset: Preset, actor: User, *, as_group: str = "", members_present: Iterable[User] = ()
) -> Authority:
    """The actor's role keys, or, acting as a group, those keys and the group's with the members
    present (the actor counts as present). Raises ValidationError naming the group's clause."""
    roles = actor.role_keys
    if not as_group:
        return Authority(frozenset(roles))
    members = {m.pk: m for m in members_present}
    members.setdefault(actor.pk, actor)
    for member in members.values():
        if member.organisation_id != actor.organisation_id or not member.is_active:
            raise ValidationError(
                {"members_present": "Only current staff of your organisation can be present."}
            )
    present = {pk: m.role_keys for pk, m in members.items()}
    problem = rules.group_problem(preset, as_group, roles, present)
    if problem:
        raise ValidationError({"members_present": problem})
    ordered = tuple(sorted(members.values(), key=lambda m: m.pk))
    return Authority(frozenset(roles) | {as_group}, as_group, ordered)


def _acted_as(preset: Preset, held: Authority, allowed: Iterable[str]) -> str:
    """The key under which the actor acted: the group if acting as one, else their first role
    among `allowed`, in the policy's order."""
    if held.group and held.group in set(allowed):
        return held.group
    return next((k for k in allowed if k in held.keys), "")


def _policy(organisation: Organisation) -> tuple[PolicyVersion, Preset]:
    version = current_policy(organisation)
    return version, version.preset


def _refuse(field: str, verdict: engine.Verdict) -> None:
    if not verdict.allowed:
        raise ValidationError({field: verdict.reason})


def _user_in(organisation_id: int, pk: Any, field: str) -> User:
    user = User.objects.filter(organisation_id=organisation_id, is_active=True, pk=pk).first()
    if user is None:
        raise ValidationError({field: "Select someone who works for your organisation."})
    return user


# ---------------------------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------------------------


def _next_reference(organisation: Organisation) -> str:
    last = (
        Case.objects.filter(organisation=organisation)
        .order_by("-id")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.removeprefix("CASE-")) + 1 if last else 1
    return f"CASE-{number:06d}"


def case_open(*, actor: Any, customer: Customer) -> Case:
    """The customer's case, opened now if they have none (one case per customer). Idempotent."""
    if actor is not None:
        _check_actor(actor, customer.organisation_id)
    existing = Case.objects.filter(customer=customer).first()
    if existing is not None:
        return existing
    for _attempt in range(5):
        try:
            with transaction.atomic():
                case = Case.objects.create(
                    organisation_id=customer.organisation_id,
                    created_by=actor if getattr(actor, "pk", None) else None,
                    customer=customer,
                    reference=_next_reference(customer.organisation),
                )
                audit_record(
                    actor=actor, action="case.open", obj=case, detail={"customer": customer.reference}
                )
            return case
        except IntegrityError:
            existing = Case.objects.filter(customer=customer).first()
            if existing is not None:
                return existing  # opened by someone else at the same moment
    raise RuntimeError("could not allocate a case reference")


# ---------------------------------------------------------------------------------------------
# Deciding
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureInput:
    """A measure as a page or the demo gives it: its type, raw parameters, and optional own end."""

    type: str
    params: Mapping[str, Any]
    ends_on: dt.date | None = None


def decision_propose(
    *,
    actor: User,
    case: Case,
    type: DecisionType | str,
    reasons: str,
    incidents: Iterable[Incident] = (),
) -> Decision:
    """Ask for a decision someone else must take (003 Guidance: a request to the manager or the
    Complaints Review Group; 004: the Team Leader refers to the CCSM). Changes nothing by itself."""
    _check_actor(actor, case.organisation_id)
    dtype = _case_decision_type(type)
    chosen = _check_incidents(case, incidents, required=False)
    if not reasons.strip():
        raise ValidationError({"reasons": "Enter why this decision is needed"})
    with transaction.atomic():
        decision = Decision.objects.create(
            organisation_id=case.organisation_id,
            created_by=actor,
            case=case,
            type=dtype.value,
            status=Decision.Status.PROPOSED,
            proposed_by=actor,
            reasons=reasons.strip(),
        )
        decision.incidents.set(chosen)
        audit_record(actor=actor, action="decision.propose", obj=decision, detail={"type": dtype.value})
    return decision


def decision_make(
    *,
    actor: User,
    case: Case,
    type: DecisionType | str,
    reasons: str,
    incidents: Iterable[Incident] = (),
    why_not_less_restrictive: str = "",
    considerations: str = "",
    advocacy_offered: bool | None = None,
    warning_given_on: dt.date | None = None,
    warning_exemption: WarningExemption | str = "",
    physical_threat: bool = False,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    review_on: dt.date | None = None,
    no_review_reason: str = "",
    no_contact_line_reason: str = "",
    no_internal_appeal_reason: str = "",
    measures: Sequence[MeasureInput] = (),
    restricted_channels: Sequence[str] = (Channel.PHONE.value,),
    as_group: str = "",
    members_present: Iterable[User] = (),
    group_outcome: str = "",
    referral_to: User | None = None,
    referral_contact_officer: User | None = None,
    referral_action_to_date: str = "",
    proposal: Decision | None = None,
    today: dt.date | None = None,
) -> Decision:
    """Take a decision on a case, as the policy allows, recording everything it rests on.

    Refused (ValidationError by field) when the policy does not let this actor take it now
    (`engine.may_decide`: who decides, executive only, warning first, prior decisions), or impose
    one of its measures (`engine.may_impose`); when no line of contact would remain and the actor
    may not decide that (`engine.contact_line_check`); when the review date is beyond the
    policy's maximum (`engine.review_date_ok`) or missing where required; when it would last
    longer than the policy allows; or when what a restriction must record is missing.

    In force at once, unless the policy names an approver the actor is not: then it waits for
    `decision_approve`.
    """
    _check_actor(actor, case.organisation_id)
    day = _today(today)
    dtype = _case_decision_type(type)
    version, preset = _policy(case.organisation)
    rule = preset.decision(dtype)
    restriction = dtype in rules.RESTRICTIONS
    errors: dict[str, str] = {}

    chosen = _check_incidents(case, incidents, required=restriction)
    if not reasons.strip():
        errors["reasons"] = "Enter why this decision is being taken"
    if restriction and not why_not_less_restrictive.strip():
        # 002 6.2 "the least restrictive method available"; 003 7.3 "the minimum required".
        errors["why_not_less_restrictive"] = "Enter why nothing less restrictive would do"
    if restriction and not considerations.strip():
        # 003 10.3: "must take account of the customer's individual circumstances".
        errors["considerations"] = (
            "Enter the customer's needs, reasonable adjustments and equality considerations taken into account"
        )
    if rule is not None and rule.advocacy_to_be_considered and advocacy_offered is None:
        errors["advocacy_offered"] = f"Say whether independent advocacy was offered ({rule.clause})"
    if proposal is not None and (proposal.case_id != case.pk or proposal.status != Decision.Status.PROPOSED):
        raise ValidationError("This proposal has already been decided.")

    held = authority(preset, actor, as_group=as_group, members_present=members_present)
    if held.group and not group_outcome.strip():
        errors["group_outcome"] = "Enter the outcome of the group's discussion"

    known = {w.on for w in selectors.known_warnings(case)}
    if warning_given_on is not None and warning_given_on not in known:
        listed = ", ".join(long_date(d) for d in sorted(known)) or "none is recorded"
        errors["warning_given_on"] = (
            f"No warning on this case was given on that date (known warnings: {listed})"
        )
    exemption = WarningExemption(warning_exemption) if warning_exemption else None
    facts = selectors.case_facts(
        case, warning_given_on=warning_given_on, exemption=exemption, incidents=chosen
    )
    verdict = engine.may_decide(preset, held.keys, dtype, facts)
    if not verdict.allowed:
        # The engine's answer is the decision's answer: nothing else matters until it changes.
        raise ValidationError({"type": verdict.reason})

    starts = starts_on or day
    if starts < day:
        errors["starts_on"] = "A decision cannot start before the day it is made"
    review_problem = _review_problems(preset, rule, dtype, day, review_on, no_review_reason, facts.categories)
    errors.update(review_problem)
    if restriction or ends_on is not None:
        duration = rules.duration_ok(preset, dtype, starts, ends_on)
        if not duration.allowed:
            errors["ends_on"] = duration.reason
    if no_internal_appeal_reason and no_internal_appeal_reason not in {
        e.key for e in preset.appeals.no_internal_appeal
    }:
        errors["no_internal_appeal_reason"] = (
            "Select a reason this policy gives for offering no internal appeal"
        )

    # Measures: the short restriction's own, or those chosen; each authorised and valid.
    specs: list[tuple[measure_specs.MeasureSpec, MeasureInput | None]] = []
    approvers: list[str] = [k for s in verdict.steps if s.kind == "approval" for k in s.by]
    if dtype == DecisionType.SHORT_RESTRICTION:
        if measures:
            errors["measures"] = (
                "A short restriction restricts one way of contacting us; it has no other measures"
            )
        closed = set(restricted_channels)
        if not closed or not closed <= measure_specs.ALL_CHANNELS:
            errors["restricted_channels"] = "Select which way of contacting us is restricted"
        else:
            specs.append(
                (measure_specs.AllowedChannels(tuple(c for c in Channel if c.value not in closed)), None)
            )
    elif measures and not restriction:
        errors["measures"] = "Only a restriction has measures"
    else:
        if dtype in (DecisionType.ACTIVE_MANAGEMENT, DecisionType.STOP_ALL_CONTACT) and not measures:
            errors["measures"] = "Select at least one measure"
        seen: set[str] = set()
        for item in measures:
            mtype = item.type
            if mtype in seen:
                errors[mtype] = "Each measure can be chosen once in a decision"
                continue
            seen.add(mtype)
            allowed = engine.may_impose(preset, held.keys, mtype)
            if not allowed.allowed:
                errors[mtype] = allowed.reason
                continue
            approvers += [k for s in allowed.steps if s.kind == "approval" for k in s.by]
            try:
                spec = measure_specs.parse(mtype, _with_names(case, mtype, item.params))
            except measure_specs.MeasureInvalid as invalid:
                errors.update({f"{mtype}__{k}": v for k, v in invalid.errors.items()})
                continue
            problem = rules.measure_dates_problem(starts, ends_on, starts, item.ends_on or ends_on)
            if problem:
                errors[f"{mtype}__ends_on"] = problem
                continue
            specs.append((spec, item))
        errors.update(rules.conflicts(s for s, _ in specs))

    line_left = True
    if restriction and not errors:
        existing = selectors.specs_of(
            selectors.active_measures(case.organisation_id, case.customer_id, starts)
        )
        remaining = measure_specs.remaining_channels([*existing, *(s for s, _ in specs)])
        line = engine.contact_line_check(preset, held.keys, remaining)
        if not line.allowed:
            errors["measures"] = line.reason
        line_left = bool(remaining)
        if not line_left and line.allowed and not no_contact_line_reason.strip():
            errors["no_contact_line_reason"] = f"Enter why no line of contact is left ({line.clause})"
    if dtype == DecisionType.REFERRAL:
        if referral_to is None:
            errors["referral_to"] = "Select who the matter is referred to"
        elif referral_to.organisation_id != case.organisation_id or referral_to.pk == actor.pk:
            errors["referral_to"] = "Select someone else in your organisation to refer the matter to"
    if errors:
        raise ValidationError(errors)

    needs_approval = [k for k in dict.fromkeys(approvers) if k not in held.keys]
    now = timezone.now()
    with transaction.atomic():
        decision = proposal or Decision(organisation_id=case.organisation_id, case=case, created_by=actor)
        decision.type = dtype.value
        decision.status = Decision.Status.AWAITING_APPROVAL if needs_approval else Decision.Status.IN_FORCE
        decision.decided_by = actor
        decision.decided_as = _acted_as(preset, held, rule.decided_by if rule else ())
        decision.decided_by_group = held.group
        decision.group_outcome = group_outcome.strip()
        decision.decided_at = now
        decision.decided_on = day
        decision.policy_version = version
        decision.clause = verdict.clause
        decision.reasons = reasons.strip()
        decision.why_not_less_restrictive = why_not_less_restrictive.strip()
        decision.considerations = considerations.strip()
        decision.advocacy_offered = advocacy_offered
        decision.warning_given_on = warning_given_on
        decision.warning_exemption = exemption.value if exemption else ""
        decision.physical_threat = physical_threat
        decision.starts_on = starts
        decision.ends_on = ends_on
        decision.review_on = review_on
        decision.no_review_reason = no_review_reason.strip() if review_on is None else ""
        decision.no_contact_line_reason = no_contact_line_reason.strip() if not line_left else ""
        decision.no_internal_appeal_reason = no_internal_appeal_reason
        decision.approval_needed_by = needs_approval
        decision.referral_to = referral_to
        decision.referral_contact_officer = referral_contact_officer
        decision.referral_action_to_date = referral_action_to_date.strip()
        decision.save()
        decision.incidents.set(chosen)
        decision.members_present.set(held.members)
        Measure.objects.bulk_create(
            [
                Measure(
                    organisation_id=case.organisation_id,
                    created_by=actor,
                    decision=decision,
                    customer_id=case.customer_id,
                    type=spec.type.value,
                    params=spec.to_json(),
                    starts_on=starts,
                    ends_on=(item.ends_on if item and item.ends_on else ends_on),
                    implied=item is None,
                )
                for spec, item in specs
            ]
        )
        if decision.status == Decision.Status.IN_FORCE:
            _bring_into_force(preset, decision, [s for s, _ in specs])
        audit_record(
            actor=actor,
            action="decision.make",
            obj=decision,
            detail={
                "type": dtype.value,
                "status": decision.status,
                "clause": verdict.clause,
                "as": decision.decided_as,
                "measures": [s.type.value for s, _ in specs],
                "incidents": [i.reference for i in chosen],
            },
        )
    return decision


def decision_approve(
    *,
    actor: User,
    decision: Decision,
    approve: bool,
    note: str = "",
    as_group: str = "",
    members_present: Iterable[User] = (),
) -> Decision:
    """Approve or refuse a decision waiting for the approver the policy names (003 7.4 and 10.2:
    measures that need the Complaints Review Group's approval). Refusing needs a reason."""
    _check_actor(actor, decision.organisation_id)
    if decision.status != Decision.Status.AWAITING_APPROVAL:
        raise ValidationError("This decision is not waiting for approval.")
    _version, preset = _policy(decision.organisation)
    held = authority(preset, actor, as_group=as_group, members_present=members_present)
    needed = list(decision.approval_needed_by)
    clause = decision.clause
    if not held.keys & set(needed):
        raise ValidationError(
            {"approve": f"Only {who(preset, needed)} may approve this decision ({clause})."}
        )
    if actor.pk == decision.decided_by_id:
        raise ValidationError(
            {"approve": "Someone other than the person who made the decision must approve it."}
        )
    if not approve and not note.strip():
        raise ValidationError({"note": "Enter why the decision is not approved"})
    with transaction.atomic():
        decision.status = Decision.Status.IN_FORCE if approve else Decision.Status.REFUSED
        decision.approved_by = actor
        decision.approved_as = _acted_as(preset, held, needed)
        decision.approved_at = timezone.now()
        decision.approval_note = note.strip()
        decision.save(
            update_fields=[
                "status",
                "approved_by",
                "approved_as",
                "approved_at",
                "approval_note",
                "modified_at",
            ]
        )
        decision.approval_members.set(held.members)
        if approve:
            _bring_into_force(preset, decision, selectors.specs_of(decision.measures.all()))
        audit_record(
            actor=actor,
            action="decision.approve" if approve else "decision.refuse",
            obj=decision,
            detail={"as": decision.approved_as, "members": [m.pk for m in held.members]},
        )
    return decision


def referral_advice_record(
    *, actor: User, decision: Decision, advice: str, today: dt.date | None = None
) -> Decision:
    """The Chief Officer's analysis, comments and recommendation on a referral (004 Appendix 1),
    returned to the CCSM, who takes the formal decision (004 "Formal decision to manage contact")."""
    _check_actor(actor, decision.organisation_id)
    if decision.type != DecisionType.REFERRAL or decision.referral_to_id != actor.pk:
        raise ValidationError({"advice": "Only the person the matter was referred to can give advice on it."})
    if decision.referral_advice:
        raise ValidationError({"advice": "Advice has already been recorded on this referral."})
    if not advice.strip():
        raise ValidationError({"advice": "Enter your analysis, comments and recommendation"})
    with transaction.atomic():
        decision.referral_advice = advice.strip()
        decision.referral_advice_on = _today(today)
        decision.save(update_fields=["referral_advice", "referral_advice_on", "modified_at"])
        audit_record(actor=actor, action="referral.advise", obj=decision)
    return decision


def _bring_into_force(preset: Preset, decision: Decision, specs: Sequence[measure_specs.MeasureSpec]) -> None:
    """What follows a decision coming into force: who must be told, and its first review."""
    if decision.type in rules.RESTRICTIONS:
        parties = rules.sharing_parties(preset, specs, decision.physical_threat)
        SharingRecord.objects.bulk_create(
            [SharingRecord(decision=decision, party=party, clause=clause) for party, clause in parties]
        )
    if decision.review_on is not None:
        Review.objects.create(decision=decision, due_on=decision.review_on, clause=preset.reviews.clause)


def _case_decision_type(value: DecisionType | str) -> DecisionType:
    try:
        dtype = DecisionType(value)
    except ValueError:
        raise ValidationError({"type": "Select a decision"}) from None
    if dtype not in rules.CASE_DECISIONS:
        raise ValidationError({"type": "Select a decision"})
    return dtype


def _check_incidents(case: Case, incidents: Iterable[Incident], *, required: bool) -> list[Incident]:
    chosen = list(incidents)
    allowed = set(selectors.case_incidents(case).values_list("pk", flat=True))
    if any(i.pk not in allowed for i in chosen):
        raise ValidationError({"incidents": "Select only incidents logged about this customer."})
    if required and not chosen:
        # 000/001 24, 002 7.3, 003 7.8: "All such restrictions require to be supported by evidence".
        raise ValidationError({"incidents": "Select the incidents this decision rests on"})
    return chosen


def _with_names(case: Case, mtype: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """A single point of contact names staff of this organisation: their names are filled in here."""
    data = dict(params)
    if mtype != MeasureType.SINGLE_POINT_OF_CONTACT:
        return data
    for field in ("officer", "deputy"):
        if data.get(field) in (None, ""):
            data[field] = None
            continue
        user = _user_in(case.organisation_id, data[field], f"{mtype}__{field}")
        data[field] = user.pk
        data[f"{field}_name"] = str(user)
    return data


def _review_problems(
    preset: Preset,
    rule: Any,
    dtype: DecisionType,
    decided_on: dt.date,
    review_on: dt.date | None,
    no_review_reason: str,
    categories: frozenset[str],
) -> dict[str, str]:
    if review_on is not None:
        verdict = engine.review_date_ok(preset, decided_on, review_on)
        return {} if verdict.allowed else {"review_on": verdict.reason}
    if rule is None or not rule.review_required:
        return {}
    omit = engine.review_may_be_omitted(preset, categories)
    if not omit.allowed:
        return {"review_on": f"Enter the date of the first review. {omit.reason}"}
    if not no_review_reason.strip():
        # 000/001 25, 002 7.4, 003 7.9: no review only for a reason, which is recorded.
        return {"no_review_reason": f"Enter a review date, or why there will be no review ({omit.clause})"}
    return {}


# ---------------------------------------------------------------------------------------------
# Sharing
# ---------------------------------------------------------------------------------------------


def sharing_record(
    *, actor: User, record: SharingRecord, told_on: dt.date, note: str = "", today: dt.date | None = None
) -> SharingRecord:
    """Record that a party who must be told of a decision has been told, and when."""
    decision = record.decision
    _check_actor(actor, decision.organisation_id)
    if record.told_at is not None:
        raise ValidationError({"told_on": "This has already been recorded as told."})
    if told_on > _today(today):
        raise ValidationError({"told_on": "The date they were told must be today or in the past"})
    if decision.decided_on and told_on < decision.decided_on:
        raise ValidationError({"told_on": "The date they were told cannot be before the decision"})
    with transaction.atomic():
        record.told_by = actor
        record.told_on = told_on
        record.told_at = timezone.now()
        record.note = note.strip()
        record.save(update_fields=["told_by", "told_on", "told_at", "note", "modified_at"])
        audit_record(
            actor=actor,
            action="sharing.record",
            obj=record,
            organisation=decision.organisation,
            detail={"party": record.party, "told_on": told_on.isoformat()},
        )
    return record


# ---------------------------------------------------------------------------------------------
# Reviews, lifting and variation
# ---------------------------------------------------------------------------------------------


def review_record(
    *,
    actor: User,
    review: Review,
    outcome: str,
    notes: str,
    in_active_contact: bool,
    next_review_on: dt.date | None = None,
    keep_measures: Iterable[int] | None = None,
    ends_on: dt.date | None = None,
    as_group: str = "",
    members_present: Iterable[User] = (),
    today: dt.date | None = None,
) -> Review:
    """A restriction reviewed by the reviewer the policy names: continue, vary or lift.

    Continuing or varying sets the next review, within the policy's maximum from today (004
    "Reviewing decisions": "no more than six months"). Whether the customer is told follows the
    policy (`rules.customer_told`).
    """
    decision = review.decision
    _check_actor(actor, decision.organisation_id)
    day = _today(today)
    if review.outcome:
        raise ValidationError("This review has already been recorded.")
    if decision.status != Decision.Status.IN_FORCE:
        raise ValidationError("Only a restriction in force can be reviewed.")
    if outcome not in Review.Outcome.values:
        raise ValidationError({"outcome": "Select whether the restriction continues, is varied or is lifted"})
    version, preset = _policy(decision.organisation)
    held = authority(preset, actor, as_group=as_group, members_present=members_present)
    reviewers = preset.reviews.reviewed_by
    if not held.keys & set(reviewers):
        raise ValidationError(
            {
                "outcome": f"Only {who(preset, reviewers)} may review this restriction ({preset.reviews.clause})."
            }
        )
    facts = selectors.case_facts(decision.case)
    _refuse("outcome", engine.may_decide(preset, held.keys, DecisionType.REVIEW, facts))
    if outcome == Review.Outcome.LIFT:
        _refuse("outcome", engine.may_decide(preset, held.keys, DecisionType.LIFT, facts))
    if not notes.strip():
        raise ValidationError({"notes": "Enter what the review considered and why this outcome"})
    if outcome != Review.Outcome.LIFT:
        if next_review_on is None:
            raise ValidationError({"next_review_on": "Enter the date of the next review"})
        _refuse("next_review_on", engine.review_date_ok(preset, day, next_review_on))
    changed = outcome != Review.Outcome.CONTINUE
    told = rules.customer_told(preset, changed=changed, in_active_contact=in_active_contact)
    with transaction.atomic():
        if outcome == Review.Outcome.LIFT:
            _end(decision, day, Decision.EndReason.LIFTED)
        elif outcome == Review.Outcome.VARY:
            _vary(preset, decision, day, keep_measures, ends_on, field_prefix="")
        review.outcome = outcome
        review.reviewer = actor
        review.reviewed_as = _acted_as(preset, held, reviewers)
        review.reviewed_on = day
        review.notes = notes.strip()
        review.in_active_contact = in_active_contact
        review.customer_told = told.tell
        review.customer_told_reason = told.reason
        review.policy_version = version
        review.clause = preset.reviews.clause
        review.save()
        review.members_present.set(held.members)
        if next_review_on is not None and outcome != Review.Outcome.LIFT:
            decision.review_on = next_review_on
            decision.save(update_fields=["review_on", "modified_at"])
            Review.objects.create(decision=decision, due_on=next_review_on, clause=preset.reviews.clause)
        audit_record(
            actor=actor,
            action="review.record",
            obj=review,
            organisation=decision.organisation,
            detail={"outcome": outcome, "customer_told": told.tell},
        )
    return review


def decision_lift(
    *,
    actor: User,
    decision: Decision,
    reasons: str,
    as_group: str = "",
    members_present: Iterable[User] = (),
    today: dt.date | None = None,
) -> Decision:
    """Lift a restriction now, outside a review (003 13.2: reconsidered when the customer's
    approach improves). Recorded as a lifting decision of its own; the restriction ends today."""
    _check_actor(actor, decision.organisation_id)
    day = _today(today)
    if decision.status != Decision.Status.IN_FORCE or decision.type not in rules.RESTRICTIONS:
        raise ValidationError("Only a restriction in force can be lifted.")
    version, preset = _policy(decision.organisation)
    held = authority(preset, actor, as_group=as_group, members_present=members_present)
    verdict = engine.may_decide(preset, held.keys, DecisionType.LIFT, selectors.case_facts(decision.case))
    _refuse("reasons", verdict)
    if not reasons.strip():
        raise ValidationError({"reasons": "Enter why the restriction is being lifted"})
    rule = preset.decision(DecisionType.LIFT)
    with transaction.atomic():
        lift = Decision.objects.create(
            organisation_id=decision.organisation_id,
            created_by=actor,
            case=decision.case,
            type=DecisionType.LIFT.value,
            status=Decision.Status.IN_FORCE,
            decided_by=actor,
            decided_as=_acted_as(preset, held, rule.decided_by if rule else ()),
            decided_by_group=held.group,
            decided_at=timezone.now(),
            decided_on=day,
            policy_version=version,
            clause=verdict.clause,
            reasons=reasons.strip(),
            starts_on=day,
            lifts=decision,
        )
        lift.members_present.set(held.members)
        _end(decision, day, Decision.EndReason.LIFTED)
        audit_record(actor=actor, action="decision.lift", obj=decision, detail={"lifting_decision": lift.pk})
    return lift


def _end(decision: Decision, day: dt.date, reason: str, status: str = Decision.Status.ENDED) -> None:
    decision.status = status
    decision.ended_on = day
    decision.end_reason = reason
    if decision.ends_on is None or decision.ends_on > day:
        decision.ends_on = day
    decision.save(update_fields=["status", "ended_on", "end_reason", "ends_on", "modified_at"])
    decision.measures.filter(ends_on__isnull=True).update(ends_on=day)
    decision.measures.filter(ends_on__gt=day).update(ends_on=day)


def _vary(
    preset: Preset,
    decision: Decision,
    day: dt.date,
    keep_measures: Iterable[int] | None,
    ends_on: dt.date | None,
    *,
    field_prefix: str,
) -> None:
    """Make a restriction less or differently restrictive: stop some measures today and/or move its
    end. Something must change, at least one measure must stay (else lift it), and the new end keeps
    to the policy's longest duration."""
    current = {m.pk: m for m in decision.measures.filter(starts_on__lte=day).exclude(ends_on__lte=day)}
    keep = set(current) if keep_measures is None else set(keep_measures) & set(current)
    if not keep:
        raise ValidationError(
            {f"{field_prefix}keep_measures": "Keep at least one measure, or lift the restriction"}
        )
    if ends_on is not None:
        if ends_on <= day:
            raise ValidationError({f"{field_prefix}ends_on": "The new end date must be after today"})
        assert decision.starts_on is not None
        _refuse(
            f"{field_prefix}ends_on",
            rules.duration_ok(preset, DecisionType(decision.type), decision.starts_on, ends_on),
        )
    if keep == set(current) and (ends_on is None or ends_on == decision.ends_on):
        raise ValidationError(
            {f"{field_prefix}keep_measures": "Stop a measure or change the end date to vary it"}
        )
    for pk in set(current) - keep:
        Measure.objects.filter(pk=pk).update(ends_on=day)
    if ends_on is not None:
        decision.ends_on = ends_on
        decision.save(update_fields=["ends_on", "modified_at"])
        decision.measures.filter(pk__in=keep).update(ends_on=ends_on)


# ---------------------------------------------------------------------------------------------
# The organisation-wide periodic review (004 "Annual review"; 003 13.2)
# ---------------------------------------------------------------------------------------------


def periodic_review_open(
    *, actor: Any, organisation: Organisation, today: dt.date | None = None
) -> PeriodicReview | None:
    """The periodic review for the current period, opened with a checklist of every restriction in
    force if it is not open yet. None where the policy has no periodic review. Idempotent."""
    if actor is not None:
        _check_actor(actor, organisation.pk)
    day = _today(today)
    _version, preset = _policy(organisation)
    due = rules.periodic_due(preset, day)
    if due is None:
        return None
    label, due_on = due
    existing = PeriodicReview.objects.filter(organisation=organisation, due_on=due_on).first()
    if existing is not None:
        return existing
    in_force = Decision.objects.filter(
        organisation=organisation, status=Decision.Status.IN_FORCE, type__in=rules.RESTRICTIONS
    )
    with transaction.atomic():
        periodic = PeriodicReview.objects.create(
            organisation=organisation,
            created_by=actor if getattr(actor, "pk", None) else None,
            label=label,
            due_on=due_on,
            clause=preset.reviews.periodic.clause,
        )
        PeriodicReviewItem.objects.bulk_create(
            [PeriodicReviewItem(periodic_review=periodic, decision=d) for d in in_force]
        )
        audit_record(
            actor=actor, action="periodic_review.open", obj=periodic, detail={"items": in_force.count()}
        )
    return periodic


def periodic_item_check(
    *, actor: User, item: PeriodicReviewItem, still_needed: bool, note: str = ""
) -> PeriodicReviewItem:
    periodic = item.periodic_review
    _check_actor(actor, periodic.organisation_id)
    if periodic.signed_off_at is not None:
        raise ValidationError("This periodic review has been signed off.")
    _version, preset = _policy(periodic.organisation)
    _check_periodic_reviewer(preset, actor)
    if not still_needed and not note.strip():
        raise ValidationError({"note": "Enter what should happen to a restriction that is no longer needed"})
    with transaction.atomic():
        item.still_needed = still_needed
        item.note = note.strip()
        item.checked_by = actor
        item.checked_at = timezone.now()
        item.save(update_fields=["still_needed", "note", "checked_by", "checked_at", "modified_at"])
        audit_record(
            actor=actor,
            action="periodic_review.check",
            obj=item,
            organisation=periodic.organisation,
            detail={"decision": item.decision_id, "still_needed": still_needed},
        )
    return item


def periodic_review_signoff(
    *,
    actor: User,
    periodic: PeriodicReview,
    summary: str,
    as_group: str = "",
    members_present: Iterable[User] = (),
) -> PeriodicReview:
    """Sign off the periodic review once every restriction on it has been checked, by whom the
    policy names (004 "Annual review": the CCSM; 003 13.2: the Complaints Review Group)."""
    _check_actor(actor, periodic.organisation_id)
    if periodic.signed_off_at is not None:
        raise ValidationError("This periodic review has already been signed off.")
    _version, preset = _policy(periodic.organisation)
    held = authority(preset, actor, as_group=as_group, members_present=members_present)
    by = preset.reviews.periodic.by or preset.reviews.reviewed_by
    if not held.keys & set(by):
        raise ValidationError(
            {"summary": f"Only {who(preset, by)} may sign off this review ({periodic.clause})."}
        )
    unchecked = periodic.items.filter(still_needed__isnull=True).count()
    if unchecked:
        raise ValidationError({"summary": f"Check every restriction first: {unchecked} still to check"})
    if not summary.strip():
        raise ValidationError({"summary": "Enter a summary of the review"})
    with transaction.atomic():
        periodic.signed_off_by = actor
        periodic.signed_off_as = _acted_as(preset, held, by)
        periodic.signed_off_at = timezone.now()
        periodic.summary = summary.strip()
        periodic.save(
            update_fields=["signed_off_by", "signed_off_as", "signed_off_at", "summary", "modified_at"]
        )
        periodic.signed_off_members.set(held.members)
        audit_record(actor=actor, action="periodic_review.signoff", obj=periodic)
    return periodic


def _check_periodic_reviewer(preset: Preset, actor: User) -> None:
    by = preset.reviews.periodic.by or preset.reviews.reviewed_by
    if not rules.acting_keys(preset, actor.role_keys) & set(by):
        raise ValidationError({"still_needed": f"Only {who(preset, by)} may carry out this review."})


# ---------------------------------------------------------------------------------------------
# Appeals
# ---------------------------------------------------------------------------------------------


def appeal_receive(
    *,
    actor: User,
    decision: Decision,
    received_on: dt.date,
    grounds: Sequence[str] = (),
    grounds_detail: str = "",
    about_restriction_only: bool = False,
    decision_received_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Appeal:
    """Record an appeal: whether it is in time (working days of the organisation's nation, from the
    engine), the route for the level that decided (003 12.3), and the grounds (003 12.2). Where the
    policy offers no internal appeal, the reason and the ombudsman to signpost are recorded."""
    _check_actor(actor, decision.organisation_id)
    day = _today(today)
    if decision.type not in rules.RESTRICTIONS or decision.status not in (
        Decision.Status.IN_FORCE,
        Decision.Status.ENDED,
    ):
        raise ValidationError("Only a restriction that has been in force can be appealed.")
    assert decision.decided_on is not None
    if received_on > day:
        raise ValidationError(
            {"received_on": "The date the appeal was received must be today or in the past"}
        )
    if received_on < decision.decided_on:
        raise ValidationError({"received_on": "The appeal cannot have been received before the decision"})
    if decision_received_on is not None and not decision.decided_on <= decision_received_on <= received_on:
        raise ValidationError(
            {
                "decision_received_on": "The customer received the decision after it was made and before appealing"
            }
        )
    known = {g for g, _label in rules.APPEAL_GROUNDS}
    if any(g not in known for g in grounds):
        raise ValidationError({"grounds": "Select the grounds from the list"})
    version, preset = _policy(decision.organisation)
    answer = selectors.appeal_answer(preset, decision)
    if answer.internal and not grounds:
        raise ValidationError({"grounds": "Select the grounds of the appeal"})
    if "other" in grounds and not grounds_detail.strip():
        raise ValidationError(
            {"grounds_detail": "Describe the customer's other argument about the restrictions"}
        )
    calendar = calendar_for(decision.organisation)
    deadline = engine.appeal_deadline(
        preset, calendar, decided_on=decision.decided_on, received_on=decision_received_on
    )
    in_time = engine.appeal_in_time(preset, calendar, deadline=deadline, appeal_received_on=received_on)
    with transaction.atomic():
        appeal = Appeal.objects.create(
            organisation_id=decision.organisation_id,
            created_by=actor,
            decision=decision,
            status=Appeal.Status.AWAITING_DECISION if answer.internal else Appeal.Status.SIGNPOSTED,
            received_on=received_on,
            decision_received_on=decision_received_on,
            deadline=deadline,
            in_time=in_time,
            internal=answer.internal,
            heard_by=list(answer.heard_by),
            route=answer.reason,
            route_clause=answer.clause,
            ombudsman_name=answer.ombudsman.name,
            ombudsman_url=answer.ombudsman.url,
            grounds=list(dict.fromkeys(grounds)),
            grounds_detail=grounds_detail.strip(),
            about_restriction_only=about_restriction_only,
            policy_version=version,
        )
        audit_record(
            actor=actor,
            action="appeal.receive",
            obj=appeal,
            detail={"in_time": in_time, "internal": answer.internal, "heard_by": list(answer.heard_by)},
        )
    return appeal


def appeal_decide(
    *,
    actor: User,
    appeal: Appeal,
    outcome: str,
    reasons: str,
    keep_measures: Iterable[int] | None = None,
    ends_on: dt.date | None = None,
    late_accepted_reason: str = "",
    as_group: str = "",
    members_present: Iterable[User] = (),
    today: dt.date | None = None,
) -> Appeal:
    """Decide an appeal on the route the policy gives, by someone other than whoever made the
    decision (004 "Appealing a decision"; 003 12.3, 12.4): upheld, varied or overturned."""
    decision = appeal.decision
    _check_actor(actor, appeal.organisation_id)
    day = _today(today)
    if appeal.status != Appeal.Status.AWAITING_DECISION:
        raise ValidationError("This appeal is not waiting for a decision.")
    if outcome not in Appeal.Outcome.values:
        raise ValidationError(
            {"outcome": "Select whether the appeal upholds, varies or overturns the decision"}
        )
    version, preset = _policy(appeal.organisation)
    held = authority(preset, actor, as_group=as_group, members_present=members_present)
    if not held.keys & set(appeal.heard_by):
        raise ValidationError(
            {"outcome": f"This appeal is heard by {who(preset, appeal.heard_by)} ({appeal.route_clause})."}
        )
    verdict = engine.may_decide(
        preset, held.keys, DecisionType.APPEAL_DECISION, selectors.case_facts(decision.case)
    )
    _refuse("outcome", verdict)
    if preset.appeals.decided_by_someone_else:
        original = {decision.decided_by_id, *decision.members_present.values_list("pk", flat=True)}
        if {m.pk for m in held.members} & original or actor.pk in original:
            raise ValidationError(
                {
                    "outcome": "An appeal must be decided by someone other than whoever made the decision "
                    f"({preset.appeals.clause})."
                }
            )
    if not appeal.in_time and not late_accepted_reason.strip():
        deadline = long_date(appeal.deadline) if appeal.deadline else "not set"
        raise ValidationError(
            {
                "late_accepted_reason": f"The appeal was late (the deadline was {deadline}): enter why it is being heard"
            }
        )
    if not reasons.strip():
        raise ValidationError({"reasons": "Enter the reasons for the outcome"})
    with transaction.atomic():
        if outcome == Appeal.Outcome.OVERTURNED and decision.status == Decision.Status.IN_FORCE:
            _end(decision, day, Decision.EndReason.OVERTURNED, status=Decision.Status.OVERTURNED)
        elif outcome == Appeal.Outcome.OVERTURNED:
            decision.status = Decision.Status.OVERTURNED
            decision.save(update_fields=["status", "modified_at"])
        elif outcome == Appeal.Outcome.VARIED:
            if decision.status != Decision.Status.IN_FORCE:
                raise ValidationError({"outcome": "A restriction that has ended cannot be varied"})
            _vary(preset, decision, day, keep_measures, ends_on, field_prefix="")
        appeal.status = Appeal.Status.DECIDED
        appeal.outcome = outcome
        appeal.outcome_reasons = reasons.strip()
        appeal.late_accepted_reason = late_accepted_reason.strip()
        appeal.decided_by = actor
        appeal.decided_as = _acted_as(preset, held, appeal.heard_by)
        appeal.decided_on = day
        appeal.policy_version = version
        appeal.save()
        appeal.members_present.set(held.members)
        audit_record(actor=actor, action="appeal.decide", obj=appeal, detail={"outcome": outcome})
    return appeal


# ---------------------------------------------------------------------------------------------
# Scheduled: expiry
# ---------------------------------------------------------------------------------------------


def expire_due(*, today: dt.date | None = None) -> list[Decision]:
    """End every restriction whose end date has come, in every organisation; running it again the
    same day finds nothing. The measures already stopped applying on that date (`active_measures`
    reads the date), so this records the end rather than causing it."""
    day = _today(today)
    due = list(
        Decision.objects.filter(
            status=Decision.Status.IN_FORCE, type__in=rules.RESTRICTIONS, ends_on__lte=day
        ).select_related("organisation")
    )
    for decision in due:
        with transaction.atomic():
            assert decision.ends_on is not None
            _end(decision, decision.ends_on, Decision.EndReason.EXPIRED)
            audit_record(
                actor=None, action="decision.expire", obj=decision, detail={"ended_on": str(decision.ends_on)}
            )
    return due


def cases_follow_merge(*, actor: Any, keep: Customer, merge: Customer) -> dict[str, int]:
    """Two customer records were merged: what applies to the merged one now applies to the kept one.

    Called by `customers.services.customer_merge` inside its transaction. Measures follow at
    once (the contact check reads them by customer); the merged record's decisions join the kept
    record's case, or its case moves over whole if the kept record has none. A case emptied of
    its decisions stays on the archived record, so its reference still means something.
    """
    with transaction.atomic():
        now = timezone.now()
        measures = Measure.objects.filter(customer=merge).update(customer=keep, modified_at=now)
        decisions = 0
        merged_case = Case.objects.filter(customer=merge).first()
        if merged_case is not None:
            kept_case = Case.objects.filter(customer=keep).first()
            if kept_case is None:
                merged_case.customer = keep
                merged_case.save(update_fields=["customer", "modified_at"])
            else:
                decisions = Decision.objects.filter(case=merged_case).update(case=kept_case, modified_at=now)
        moved = {"measures": measures, "decisions": decisions, "case": int(merged_case is not None)}
        if merged_case is not None or measures:
            audit_record(
                actor=actor,
                action="case.follow_merge",
                obj=keep,
                detail={"from_customer": merge.reference, "to_customer": keep.reference, **moved},
            )
    return moved
