"""Reading a letter's facts from the case: the decision and its measures, the review or appeal, the
route and deadline of an appeal, who is told, the letterhead and the customer's address.

The functions take objects already fetched through `engage.access`; what they return is plain
(`content.Facts`), so what a letter says can be tested without the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from engage.customers.models import Customer, Identifier
from engage.decisions import rules, selectors
from engage.decisions.measures import MeasureSpec, NoStaffDetails, parse
from engage.decisions.models import Appeal, Decision, Measure, Review
from engage.letters import content, wording
from engage.letters.content import (
    CASEWORK_SEPARATELY,
    RESTRICTING_KINDS,
    RESTRICTION_KIND,
    AppealRoute,
    Facts,
    FreeText,
    Kind,
    Letterhead,
    Recipient,
)
from engage.letters.models import KIND_LABELS, Letter, LetterSettings
from engage.organisations.models import Organisation
from engage.policy import engine
from engage.policy.models import PolicyVersion
from engage.policy.schema import Preset
from engage.policy.services import calendar_for, current_policy
from engage.policy.vocabulary import Capability, DecisionType

# Where the policy names no one to check a letter and the organisation wants a second pair of eyes
# (LetterSettings.colleague_check): anyone who decides, hears appeals or answers for the service.
COLLEAGUE_CHECKERS = frozenset(
    {Capability.MANAGER, Capability.SENIOR_DECISION_MAKER, Capability.APPEAL_OFFICER, Capability.EXECUTIVE}
)
COLLEAGUE_CLAUSE = "the organisation's letter settings: a colleague checks letters the policy is silent on"
# Decisions whose status allows their own letter; an overturned one is only written about on appeal.
_ON_CASE = (Decision.Status.IN_FORCE, Decision.Status.ENDED)


@dataclass(frozen=True)
class CheckRule:
    """Who must check a letter before it is issued, and the clause (or setting) that says so."""

    by: tuple[str, ...]
    clause: str
    required: bool
    colleague: bool = False


@dataclass(frozen=True)
class Option:
    """A letter that can be drafted about a decision: its kind and the review or appeal it is about."""

    value: str
    kind: Kind
    label: str
    review: Review | None = None
    appeal: Appeal | None = None


# ---------------------------------------------------------------------------------------------
# Policy, settings, people and addresses
# ---------------------------------------------------------------------------------------------


def policy_of(decision: Decision) -> tuple[PolicyVersion, Preset]:
    """The policy the decision was made under (a later version never rewrites an earlier letter)."""
    version = decision.policy_version or current_policy(decision.organisation)
    return version, version.preset


def settings_for(organisation: Organisation | int) -> LetterSettings:
    """The organisation's letter settings, or the defaults (unsaved) until someone saves them."""
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    found = LetterSettings.objects.filter(organisation_id=organisation_id).first()
    return found or LetterSettings(organisation_id=organisation_id)


def _lines(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.replace(",", "\n").splitlines() if part.strip())


def letterhead(organisation: Organisation, settings: LetterSettings) -> Letterhead:
    return Letterhead(
        name=organisation.name,
        address_lines=_lines(organisation.address),
        telephone=organisation.telephone,
        email=organisation.email,
        website=organisation.website,
        welsh_name=settings.welsh_name,
        welsh_address_lines=_lines(settings.welsh_address),
    )


def _current(customer: Customer, kind: str) -> Identifier | None:
    return customer.identifiers.filter(kind=kind, valid_to__isnull=True).order_by("-valid_from").first()


def postal_address(customer: Customer) -> tuple[str, ...]:
    found = _current(customer, Identifier.Kind.POSTAL_ADDRESS)
    return _lines(found.display) if found else ()


def email_address(customer: Customer) -> str:
    found = _current(customer, Identifier.Kind.EMAIL)
    return found.display if found else ""


def recipient(customer: Customer) -> Recipient:
    """The customer, care of their representative where contact goes through them."""
    through = customer.representatives.filter(contact_through=True).first()
    if through is not None:
        return Recipient(
            customer.name, _lines(through.contact_details) or postal_address(customer), through.name
        )
    return Recipient(customer.name, postal_address(customer))


# ---------------------------------------------------------------------------------------------
# Which letters a decision can have, and who checks them
# ---------------------------------------------------------------------------------------------


def options(decision: Decision) -> list[Option]:
    """The letters that can be drafted about this decision, in the order they would be sent."""
    found: list[Option] = []
    dtype = decision.type

    def add(kind: Kind, suffix: str = "", review: Review | None = None, appeal: Appeal | None = None) -> None:
        value = kind.value + (f":{suffix}" if suffix else "")
        label = str(KIND_LABELS[kind])
        if review is not None and review.reviewed_on:
            label = f"{label}: review of {wording.date_text('en', review.reviewed_on)}"
        if appeal is not None:
            label = f"{label}: appeal received {wording.date_text('en', appeal.received_on)}"
        found.append(Option(value, kind, label, review, appeal))

    if decision.status in _ON_CASE:
        if dtype == DecisionType.WARNING:
            add(Kind.WARNING)
            add(Kind.UNACCEPTABLE_CORRESPONDENCE)
        elif dtype == DecisionType.RESTORATIVE_APPROACH:
            add(Kind.RESTORATIVE)
            add(Kind.UNACCEPTABLE_CORRESPONDENCE)
        elif dtype in RESTRICTION_KIND:
            add(RESTRICTION_KIND[dtype])
        elif dtype == DecisionType.LIFT:
            add(Kind.LIFTING)
    if dtype in RESTRICTION_KIND:
        for review in decision.reviews.exclude(outcome="").order_by("reviewed_on", "id"):
            add(Kind.REVIEW_OUTCOME, f"review:{review.pk}", review=review)
        for appeal in decision.appeals.order_by("received_on", "id"):
            add(Kind.APPEAL_ACKNOWLEDGEMENT, f"appeal:{appeal.pk}", appeal=appeal)
            if appeal.status == Appeal.Status.DECIDED:
                add(Kind.APPEAL_OUTCOME, f"appeal:{appeal.pk}", appeal=appeal)
    return found


def _rule_type(kind: Kind | str, decision_type: str) -> str:
    kind = Kind(kind)
    if kind == Kind.REVIEW_OUTCOME:
        return DecisionType.REVIEW.value
    if kind in (Kind.APPEAL_ACKNOWLEDGEMENT, Kind.APPEAL_OUTCOME):
        return DecisionType.APPEAL_DECISION.value
    return decision_type


def check_rule(preset: Preset, kind: Kind | str, decision_type: str, settings: LetterSettings) -> CheckRule:
    """Who checks this letter: the preset's `letter_checked_by` for the decision it is about (003
    Guidance: "This draft must be checked by your manager" for a restorative approach; "checked by
    the Complaints Review Group" for active management); where the policy names no one, a
    colleague at manager level or above if the organisation asks for it (LetterSettings)."""
    rule = preset.decision(_rule_type(kind, decision_type))
    if rule is not None and rule.letter_checked_by:
        return CheckRule(tuple(rule.letter_checked_by), rule.clause, True)
    if settings.colleague_check:
        return CheckRule((), COLLEAGUE_CLAUSE, True, colleague=True)
    return CheckRule((), "", False)


def letter_required(preset: Preset, decision_type: str) -> bool:
    """Whether the policy requires a letter for a decision of this type."""
    rule = preset.decision(decision_type)
    return bool(rule and rule.letter_required)


# ---------------------------------------------------------------------------------------------
# The facts of one letter
# ---------------------------------------------------------------------------------------------


def _specs(measures: Iterable[Measure]) -> tuple[MeasureSpec, ...]:
    return tuple(parse(m.type, m.params) for m in measures)


def _active_on(decision: Decision, day: dt.date) -> tuple[MeasureSpec, ...]:
    return _specs(decision.measures.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=day)).order_by("id"))


def _names_withheld(customer: Customer, day: dt.date) -> bool:
    # 000/001 23.2, 003 7.4: "not providing direct contact details or staff names".
    found = selectors.active_measures(customer.organisation_id, customer.pk, day)
    return any(isinstance(parse(m.type, m.params), NoStaffDetails) for m in found)


def _restriction_route(
    preset: Preset, decision: Decision, organisation: Organisation, on: dt.date, method: str
) -> AppealRoute | None:
    if not decision.decided_as:
        return None
    answer = selectors.appeal_answer(preset, decision)
    if not answer.internal:
        return AppealRoute(internal=False)
    deadline = None
    if decision.decided_on and on >= decision.decided_on:
        # 004 "Appealing a decision": "within 20 working days of receiving it"; a posted letter is
        # received on its deemed receipt (the preset's working days), one handed over or emailed
        # on the day.
        deadline = engine.appeal_deadline(
            preset,
            calendar_for(organisation),
            decided_on=decision.decided_on,
            posted_on=on if method == Letter.Method.POST else None,
            received_on=on if method != Letter.Method.POST else None,
        )
    return AppealRoute(
        internal=True,
        heard_by=preset.decider_name(answer.heard_by[0]),
        deadline=deadline,
        someone_else=preset.appeals.decided_by_someone_else,
    )


def facts_for(letter: Letter, *, on: dt.date, method: str = Letter.Method.POST) -> Facts:
    """What `letter` says if it is dated `on` and sent by `method` (post unless told otherwise:
    the preview assumes post, which gives the customer the most time to appeal)."""
    decision = letter.decision
    organisation = decision.organisation
    preset = letter.policy_version.preset if letter.policy_version else policy_of(decision)[1]
    kind = Kind(letter.kind)
    customer = letter.case.customer
    signer = letter.signed_by or letter.author
    values: dict[str, Any] = {
        "kind": kind,
        "letterhead": letterhead(organisation, settings_for(organisation)),
        "recipient": recipient(customer),
        "reference": letter.reference,
        "letter_date": on,
        "decision_type": decision.type,
        "decided_on": decision.decided_on,
        "starts_on": decision.starts_on,
        "ends_on": decision.ends_on,
        "review_on": decision.review_on,
        "no_review": bool(decision.no_review_reason),
        "customer_told": preset.reviews.customer_told.value,
        "ombudsman_name": preset.ombudsman.name,
        "ombudsman_url": preset.ombudsman.url,
        "policy_title": preset.title,
        "enclose_policy": letter.enclose_policy,
        "casework_separately": preset.key in CASEWORK_SEPARATELY,
        "welsh_welcome": "cy" in preset.letters.languages,
        "signatory": "" if _names_withheld(customer, on) else str(signer),
        "signatory_title": signer.job_title,
        "free": {
            "en": FreeText(letter.what_happened, letter.requested_change, letter.additional_text),
            "cy": FreeText(letter.what_happened_cy, letter.requested_change_cy, letter.additional_text_cy),
        },
    }
    if kind in RESTRICTING_KINDS:
        specs = _specs(decision.measures.order_by("id"))
        parties = [s.party for s in decision.sharing.all()] or [
            p for p, _clause in rules.sharing_parties(preset, specs, decision.physical_threat)
        ]
        values.update(
            measures=specs,
            sharing=tuple(parties),
            appeal=_restriction_route(preset, decision, organisation, on, method),
        )
    elif kind == Kind.REVIEW_OUTCOME and letter.review is not None:
        review = letter.review
        day = review.reviewed_on or on
        following = (
            Review.objects.filter(decision=decision, due_on__gt=review.due_on)
            .order_by("due_on", "id")
            .first()
        )
        values.update(
            outcome=review.outcome,
            outcome_on=review.reviewed_on,
            measures=_active_on(decision, day),
            next_review_on=following.due_on if following else None,
        )
    elif kind in (Kind.APPEAL_ACKNOWLEDGEMENT, Kind.APPEAL_OUTCOME) and letter.appeal is not None:
        appeal = letter.appeal
        heard_by = preset.decider_name(appeal.heard_by[0]) if appeal.heard_by else ""
        values.update(
            appeal=AppealRoute(
                internal=appeal.internal,
                heard_by=heard_by,
                deadline=appeal.deadline,
                someone_else=preset.appeals.decided_by_someone_else,
            ),
            appeal_received_on=appeal.received_on,
            appeal_in_time=appeal.in_time,
            outcome=appeal.outcome,
            outcome_on=appeal.decided_on,
            measures=_active_on(decision, appeal.decided_on or on),
        )
    elif kind == Kind.LIFTING:
        values.update(outcome="lift", outcome_on=decision.decided_on)
    return Facts(**values)


def missing_for(letter: Letter, facts: Facts, preset: Preset) -> list[str]:
    """What the letter does not yet say that its preset requires, in every language it is in; in a
    bilingual letter, an item missing from one language only says which."""
    required = content.required_for(letter.kind, preset.letters, outcome=facts.outcome)
    gaps = {lang: content.missing(required, content.build(facts, lang).sections) for lang in letter.languages}
    found: list[str] = []
    for label in dict.fromkeys(label for lang in letter.languages for label in gaps[lang]):
        short = [lang for lang in letter.languages if label not in gaps[lang]]
        if not short:
            found.append(label)
        else:
            only = "Welsh" if "cy" not in short else "English"
            found.append(f"{label} (in the {only} text)")
    return found
