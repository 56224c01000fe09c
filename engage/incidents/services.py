"""Logging an incident step by step, submitting it to a manager, witness accounts, review and police decisions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from engage.audit.services import audit_record
from engage.incidents import rules
from engage.incidents.models import (
    CHANNEL_CHOICES,
    ImmediateAction,
    Incident,
    IncidentReview,
    PoliceDecision,
    Witness,
)
from engage.policy import engine
from engage.policy.services import current_policy
from engage.policy.vocabulary import Capability, DecisionType
from engage.staff.models import User

# The fields each question page may change. A step saves only its own fields (and validates only
# them), so a draft can be left at any page and picked up later.
STEP_FIELDS: dict[str, tuple[str, ...]] = {
    "when": ("occurred_at",),
    "where": ("location", "service"),
    "channel": ("channel",),
    "person": ("customer", "person_description"),
    "account": ("account",),
    "categories": ("categories",),
    "staff": ("staff_affected", "witnesses"),
    "action": ("immediate_actions", "warning_given_first"),
    "recording": ("recording_said",),
    "named": ("staff_named_publicly",),
    "portal": ("hs_portal_reference",),
    "support": ("support_wanted", "time_away_wanted"),
}
_CHANNELS = {value for value, _label in CHANNEL_CHOICES}
_ACTIONS = {*ImmediateAction.values, rules.NO_ACTION}
# A clock a minute or two fast on a phone must not stop someone logging what just happened.
_CLOCK_SKEW = dt.timedelta(minutes=5)


# ---------------------------------------------------------------------------------------------
# Logging
# ---------------------------------------------------------------------------------------------


def incident_start(*, actor: User) -> Incident:
    """A new draft incident for the actor to fill in; it is theirs alone until submitted."""
    organisation = actor.organisation
    if organisation is None:
        raise ValidationError("Only staff of an organisation can log an incident.")
    year = timezone.localdate().year
    for _attempt in range(5):
        try:
            with transaction.atomic():
                incident = Incident.objects.create(
                    organisation=organisation,
                    created_by=actor,
                    reporter=actor,
                    reference=_next_reference(organisation, year),
                )
                # The reporter is usually the person affected; they can change this.
                incident.staff_affected.add(actor)
                audit_record(actor=actor, action="incident.start", obj=incident)
            return incident
        except IntegrityError:
            continue  # someone else took that number at the same moment: take the next
    raise RuntimeError("could not allocate an incident reference")


def incident_save_step(*, actor: User, incident: Incident, step: str, data: dict[str, Any]) -> Incident:
    """Save one question page's answers to a draft, after validating that page only.

    Raises ValidationError naming each field that is wrong and why; nothing is saved then.
    """
    if step not in STEP_FIELDS:
        raise ValueError(f"'{step}' is not a step of logging an incident")
    unknown = set(data) - set(STEP_FIELDS[step])
    if unknown:
        raise ValueError(f"step '{step}' does not save {', '.join(sorted(unknown))}")
    _check_draft_of(actor, incident)
    preset = current_policy(incident.organisation).preset
    errors = _step_errors(incident, preset, data)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        changed = []
        for name, value in data.items():
            if name == "staff_affected":
                incident.staff_affected.set(value)
            elif name == "witnesses":
                _set_witnesses(incident, value)
            else:
                setattr(incident, name, value)
                changed.append(name)
        incident.save(update_fields=[*changed, "modified_at"])
        audit_record(
            actor=actor,
            action="incident.save_step",
            obj=incident,
            detail={"step": step, "fields": sorted(data)},
        )
    return incident


def incident_submit(*, actor: User, incident: Incident) -> Incident:
    """Send a complete draft to the reporter's line manager and invite the witnesses.

    Raises ValidationError with every missing answer, by field, when anything is missing.
    """
    _check_draft_of(actor, incident)
    version = current_policy(incident.organisation)
    missing = rules.missing_answers(version.preset, answers_of(incident))
    if missing:
        raise ValidationError(missing)
    manager = routed_manager(incident.reporter)
    now = timezone.now()
    with transaction.atomic():
        incident.status = Incident.Status.SUBMITTED
        incident.submitted_at = now
        incident.routed_to = manager
        incident.policy_version = version
        incident.save(update_fields=["status", "submitted_at", "routed_to", "policy_version", "modified_at"])
        invited = list(incident.witnesses.filter(invited_at__isnull=True).values_list("staff_id", flat=True))
        incident.witnesses.filter(invited_at__isnull=True).update(invited_at=now)
        audit_record(
            actor=actor,
            action="incident.submit",
            obj=incident,
            detail={"routed_to": manager.pk if manager else None, "witnesses_invited": invited},
        )
    return incident


def witness_account_add(*, actor: User, witness: Witness, account: str) -> Witness:
    """A witness puts their own account on record (001 44, 002 7.14, 003 9.6: "they should all be
    asked to put this on record"). It is kept as written and cannot be replaced afterwards."""
    if witness.staff_id != actor.pk:
        raise ValidationError({"account": "Only the witness can add their own account."})
    if witness.invited_at is None:
        raise ValidationError({"account": "This incident has not been submitted yet."})
    if witness.added_at is not None:
        raise ValidationError({"account": "You have already added your account."})
    if not account.strip():
        raise ValidationError({"account": "Describe what you saw or heard"})
    with transaction.atomic():
        witness.account = account
        witness.added_at = timezone.now()
        witness.save(update_fields=["account", "added_at", "modified_at"])
        audit_record(
            actor=actor,
            action="incident.witness_account_add",
            obj=witness.incident,
            detail={"witness": actor.pk},
        )
    return witness


# ---------------------------------------------------------------------------------------------
# Review and police
# ---------------------------------------------------------------------------------------------


def may_review(user: Any, incident: Incident) -> bool:
    """The manager it went to, the reporter's line manager, or a senior decision maker of the same
    organisation, and never the reporter (003 9.5: not decided alone by the person affected)."""
    if getattr(user, "organisation_id", None) != incident.organisation_id or user.pk == incident.reporter_id:
        return False
    return (
        incident.routed_to_id == user.pk
        or incident.reporter.line_manager_id == user.pk
        or user.can(Capability.SENIOR_DECISION_MAKER)
    )


def incident_review(
    *, actor: User, incident: Incident, outcome: DecisionType | str, reason: str
) -> IncidentReview:
    """Record a manager's decision on a submitted incident, from the options the policy allows them.

    Raises ValidationError({"outcome": <the engine's reason, naming the clause>}) for an option
    the policy refuses this manager.
    """
    _check_reviewable(actor, incident)
    version = current_policy(incident.organisation)
    try:
        decision = DecisionType(outcome)
    except ValueError:
        raise ValidationError({"outcome": "Select what you have decided"}) from None
    options = {
        o.decision: o
        for o in rules.review_options(
            version.preset, actor.role_keys, rules.case_facts(incident.categories, incident.immediate_actions)
        )
    }
    option = options.get(decision)
    if option is None:
        raise ValidationError({"outcome": "Your organisation's policy does not provide for this outcome."})
    if not option.verdict.allowed:
        raise ValidationError({"outcome": option.verdict.reason})
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reasons for your decision"})
    now = timezone.now()
    with transaction.atomic():
        review = IncidentReview.objects.create(
            incident=incident,
            reviewer=actor,
            outcome=decision.value,
            reason=reason.strip(),
            reviewed_at=now,
            policy_version=version,
        )
        incident.status = Incident.Status.REVIEWED
        incident.save(update_fields=["status", "modified_at"])
        audit_record(
            actor=actor,
            action="incident.review",
            obj=incident,
            detail={"outcome": decision.value, "clause": option.verdict.clause, "policy_version": version.pk},
        )
    return review


def police_verdict_not_reporting(actor: Any, incident: Incident) -> engine.Verdict:
    """May this actor record a decision not to report this incident to the police?

    The engine answers for the policy (never where it says always report: 003 9.2, 004 threats of
    violence; otherwise only the roles it names: 001 43-44, 002 7.14, 003 9.5-9.6). On top, the
    person who received the threat does not decide alone (001 43, 003 9.5), so a manager who was
    themselves affected must leave it to another.
    """
    preset = current_policy(incident.organisation).preset
    verdict = engine.may_decide_not_to_report(preset, actor.role_keys, incident.categories)
    if not verdict.allowed:
        return verdict
    affected = incident.staff_affected.filter(pk=actor.pk).exists() or incident.reporter_id == actor.pk
    if affected:
        clause = preset.police.clause
        return engine.Verdict(
            False,
            f"You were affected by this incident, so the decision not to report it must be made by another "
            f"manager ({clause}).",
            clause,
        )
    return verdict


def police_decision_record(
    *,
    actor: User,
    incident: Incident,
    reported: bool,
    reference: str = "",
    reason_not_reported: str = "",
    staff_view: str = "",
) -> PoliceDecision:
    """Record that an incident was reported to the police (with the police reference), or a manager's
    decision not to report it, with why and the staff member's view (001 43-45, 002 7.14, 003 9.5-9.6).

    Raises ValidationError naming the field and, for a refusal, the clause.
    """
    _check_reviewable(actor, incident, closed_ok=True)
    preset = current_policy(incident.organisation).preset
    latest = incident.police_decisions.order_by("-decided_at", "-id").first()
    errors: dict[str, str] = {}
    if reported:
        if not reference.strip():
            errors["reference"] = "Enter the police reference number"
    else:
        if latest is not None and latest.reported:
            raise ValidationError({"reported": "This incident has already been reported to the police."})
        verdict = police_verdict_not_reporting(actor, incident)
        if not verdict.allowed:
            raise ValidationError({"reported": verdict.reason})
        if not reason_not_reported.strip():
            errors["reason_not_reported"] = "Enter why the incident is not being reported to the police"
        if preset.police.staff_view_recorded and not staff_view.strip():
            errors["staff_view"] = (
                f"Enter the view of the staff involved: the decision must take it into account ({preset.police.clause})"
            )
    if errors:
        raise ValidationError(errors)
    level, clause = engine.police_reporting(preset, incident.categories)
    with transaction.atomic():
        decision = PoliceDecision.objects.create(
            incident=incident,
            reported=reported,
            reference=reference.strip() if reported else "",
            reason_not_reported="" if reported else reason_not_reported.strip(),
            staff_view="" if reported else staff_view.strip(),
            decided_by=actor,
            decided_at=timezone.now(),
        )
        if incident.status == Incident.Status.SUBMITTED:
            # Work on the incident has begun; it stays with its manager until the review outcome.
            incident.status = Incident.Status.UNDER_REVIEW
            incident.save(update_fields=["status", "modified_at"])
        audit_record(
            actor=actor,
            action="incident.police_decision",
            obj=incident,
            detail={
                "reported": reported,
                "policy_expects": str(level) if level else None,
                "clause": clause,
            },
        )
    return decision


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def answers_of(incident: Incident) -> rules.Answers:
    return rules.Answers(
        occurred_at=incident.occurred_at,
        location=incident.location,
        service=incident.service,
        channel=incident.channel,
        has_customer=incident.customer_id is not None,
        person_description=incident.person_description,
        account=incident.account,
        categories=tuple(incident.categories),
        staff_affected=incident.staff_affected.count(),
        immediate_actions=tuple(incident.immediate_actions),
        warning_given_first=incident.warning_given_first,
        recording_said=incident.recording_said,
        staff_named_publicly=incident.staff_named_publicly,
        hs_portal_reference=incident.hs_portal_reference,
        support_wanted=incident.support_wanted,
        time_away_wanted=incident.time_away_wanted,
    )


def _next_reference(organisation: Any, year: int) -> str:
    prefix = f"INC-{year}-"
    last = (
        Incident.objects.filter(organisation=organisation, reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return rules.format_reference(year, number)


def _check_draft_of(actor: Any, incident: Incident) -> None:
    if (
        incident.reporter_id != getattr(actor, "pk", None)
        or actor.organisation_id != incident.organisation_id
    ):
        raise ValidationError("Only the person who is logging this incident can change it.")
    if incident.status != Incident.Status.DRAFT:
        raise ValidationError("This incident has been submitted and can no longer be changed.")


def _check_reviewable(actor: Any, incident: Incident, closed_ok: bool = False) -> None:
    if incident.status == Incident.Status.DRAFT:
        raise ValidationError("This incident has not been submitted yet.")
    if not closed_ok and incident.status == Incident.Status.REVIEWED:
        raise ValidationError("This incident has already been reviewed.")
    if not may_review(actor, incident):
        raise ValidationError(
            "Only the reporter's manager or a senior manager of the same organisation can decide on this incident."
        )


def routed_manager(reporter: User) -> User | None:
    """Who a submitted incident goes to: the reporter's line manager, if they can act on it."""
    manager = reporter.line_manager
    if manager is None or not manager.is_active or manager.organisation_id != reporter.organisation_id:
        return None  # senior decision makers see every incident, so it still reaches someone
    return manager


def _staff_problem(incident: Incident, people: Iterable[Any], what: str) -> str | None:
    for person in people:
        if not isinstance(person, User) or person.organisation_id != incident.organisation_id:
            return f"{what} must work for {incident.organisation}"
        if not person.is_active:
            return f"{person} can no longer sign in, so cannot be chosen"
    return None


def _step_errors(incident: Incident, preset: Any, data: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if "occurred_at" in data:
        when = data["occurred_at"]
        if when is None:
            errors["occurred_at"] = "Enter the date and time it happened"
        elif timezone.is_naive(when):
            raise ValueError("occurred_at must be timezone-aware")
        elif when > timezone.now() + _CLOCK_SKEW:
            errors["occurred_at"] = "The date and time it happened must be in the past"
    if "service" in data and not str(data["service"]).strip():
        errors["service"] = "Enter which service you were providing"
    if "channel" in data and data["channel"] not in _CHANNELS:
        errors["channel"] = "Select how the person was in contact"
    if "customer" in data:
        customer = data["customer"]
        if customer is not None and customer.organisation_id != incident.organisation_id:
            errors["customer"] = "No customer with that identifier was found"
        if customer is None and not str(data.get("person_description", "")).strip():
            errors["person_description"] = "Describe the person as they were known to you, or find them"
    if "account" in data and not str(data["account"]).strip():
        errors["account"] = "Describe what happened, in your own words"
    if "categories" in data:
        chosen = list(data["categories"])
        if not chosen:
            errors["categories"] = "Select the kind of behaviour"
        elif any(preset.category(k) is None for k in chosen) or len(set(chosen)) != len(chosen):
            errors["categories"] = "Select from your organisation's categories"
    if "staff_affected" in data:
        affected = list(data["staff_affected"])
        problem = _staff_problem(incident, affected, "Everyone affected")
        if not affected:
            errors["staff_affected"] = "Select who was affected"
        elif problem:
            errors["staff_affected"] = problem
    if "witnesses" in data:
        witnesses = list(data["witnesses"])
        problem = _staff_problem(incident, witnesses, "Every witness")
        if problem:
            errors["witnesses"] = problem
        elif any(w.pk == incident.reporter_id for w in witnesses):
            errors["witnesses"] = "You are the reporter, so you cannot also be a witness"
    if "immediate_actions" in data:
        actions = list(data["immediate_actions"])
        problem = rules.immediate_actions_problem(actions)
        if not actions:
            errors["immediate_actions"] = "Select what you did at the time, or 'None of these'"
        elif set(actions) - _ACTIONS:
            errors["immediate_actions"] = "Select from the actions listed"
        elif problem:
            errors["immediate_actions"] = problem
        elif rules.ENDING_ACTIONS & set(actions) and data.get("warning_given_first") is None:
            errors["warning_given_first"] = "Select whether you warned the person before ending the contact"
    if "hs_portal_reference" in data:
        portal = rules.health_and_safety_portal(preset, incident.categories)
        if portal.required and not str(data["hs_portal_reference"]).strip():
            errors["hs_portal_reference"] = f"Enter the {portal.portal} reference: {portal.reason}"
    for name, message in (
        ("recording_said", "Select whether the person said they were recording or live-streaming"),
        ("staff_named_publicly", "Select whether staff were named publicly"),
        ("support_wanted", "Select whether you would like support"),
        ("time_away_wanted", "Select whether you would like time away from your work"),
    ):
        if name in data and data[name] is None:
            errors[name] = message
    return errors


def _set_witnesses(incident: Incident, people: Iterable[User]) -> None:
    wanted = {p.pk for p in people}
    incident.witnesses.exclude(staff_id__in=wanted).delete()  # only drafts reach here: none invited yet
    have = set(incident.witnesses.values_list("staff_id", flat=True))
    Witness.objects.bulk_create([Witness(incident=incident, staff_id=pk) for pk in sorted(wanted - have)])


def incidents_follow_merge(*, actor: Any, keep: Any, merge: Any) -> int:
    """Two customer records were merged: the incidents about the merged one now concern the kept one.

    Called by `customers.services.customer_merge` inside its transaction, so the person's
    history stays in one place.
    """
    with transaction.atomic():
        moved = Incident.objects.filter(customer=merge).update(customer=keep, modified_at=timezone.now())
        if moved:
            audit_record(
                actor=actor,
                action="incident.follow_merge",
                obj=keep,
                detail={"from_customer": merge.reference, "to_customer": keep.reference, "moved": moved},
            )
    return moved
