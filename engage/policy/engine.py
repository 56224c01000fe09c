"""The policy engine: who may decide what, appeals, deadlines, reviews, sharing and police, over a Preset.

Pure functions over a `Preset` and plain values: no database, no HTTP, no Django. Every refusal
says, in one plain sentence, who may decide instead and which clause of the organisation's policy
says so.

Conventions where the policy texts and the schema are silent (each is repeated where it applies):

- `roles` are the keys the actor holds; group keys count when the actor acts as that group. Keys
  the preset does not know grant nothing. A single string is taken as one key, not as letters.
- A list of deciders, approvers or checkers means any one of them.
- Steps (approvals, letter checks, advocacy) belong to the decision, so they are listed whether or
  not this actor may take it: the manager-review screen shows what each option would involve.
  A warning or prior decision appears as a step only while it is still missing.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from engage.policy.describe import (
    decision_label,
    exemption_label,
    listing,
    long_date,
    measure_label,
    sentence,
    who,
)
from engage.policy.schema import DecisionRule, Ombudsman, Preset
from engage.policy.vocabulary import (
    Capability,
    Channel,
    DecisionType,
    MeasureType,
    PoliceReporting,
    WarningExemption,
)
from engage.policy.working_days import WorkingCalendar

__all__ = [
    "AppealAnswer",
    "CaseFacts",
    "Step",
    "Verdict",
    "appeal_deadline",
    "appeal_in_time",
    "appeal_route",
    "capabilities_of",
    "contact_line_check",
    "latest_review_date",
    "may_decide",
    "may_decide_not_to_report",
    "may_impose",
    "options_for",
    "police_reporting",
    "review_date_ok",
    "review_may_be_omitted",
    "who_must_be_told",
]


@dataclass(frozen=True)
class CaseFacts:
    """What the engine needs to know about a case to answer "may this be decided now?"."""

    warnings_given: tuple[dt.date, ...] = ()
    prior_decisions: frozenset[DecisionType] = frozenset()
    categories: frozenset[str] = frozenset()
    exemption: WarningExemption | None = None


StepKind = Literal["warning", "approval", "letter_check", "prior_decision", "advocacy"]


@dataclass(frozen=True)
class Step:
    """Something that must happen first or alongside a decision."""

    kind: StepKind
    by: tuple[str, ...]
    description: str
    clause: str


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    reason: str
    clause: str
    steps: tuple[Step, ...] = ()

    def __bool__(self) -> bool:
        return self.allowed


@dataclass(frozen=True)
class AppealAnswer:
    """Where an appeal goes: internally to `heard_by`, or (internal False) to the ombudsman only."""

    internal: bool
    heard_by: tuple[str, ...]
    description: str
    clause: str
    ombudsman: Ombudsman
    reason: str


# ---------------------------------------------------------------------------------------------
# Who may decide what
# ---------------------------------------------------------------------------------------------


def capabilities_of(preset: Preset, roles: Iterable[str]) -> frozenset[Capability]:
    """The capabilities the actor's role keys carry. Groups carry none: a group acts through its
    members, and "the executive" is a person, not a committee."""
    known = {r.key: r for r in preset.roles}
    return frozenset(c for key in _keys(roles) if key in known for c in known[key].capabilities)


def may_decide(
    preset: Preset,
    roles: Iterable[str],
    decision: DecisionType | str,
    case: CaseFacts = CaseFacts(),  # frozen, so one shared default is safe
) -> Verdict:
    """May someone holding `roles` take `decision` on a case with these facts?

    Checked in the order an officer would want to hear: whether the policy provides for the
    decision at all; whether the actor holds a role that decides it; whether it is reserved to the
    executive; then what the case still lacks (a warning, or an earlier decision). The first
    failing check is the reason given; the missing warning or prior decision is also a step.

    A warning counts as given when `case.warnings_given` has any date (the policies set no expiry
    on a warning), and counts as a prior `warning` decision too. `case.categories` does not change
    this answer: no policy lets a category alone skip the warning; an exemption must be recorded.
    """
    dtype = _decision_type(decision)
    rule = preset.decision(dtype)
    if rule is None:
        return _not_provided(preset, decision_label(dtype))
    held = _keys(roles)
    steps = _standing_steps(preset, rule)

    if not held & set(rule.decided_by):
        return Verdict(
            False,
            f"Only {who(preset, rule.decided_by)} may decide on {decision_label(dtype)} ({rule.clause}).",
            rule.clause,
            steps,
        )
    if dtype in preset.executive_only and Capability.EXECUTIVE not in capabilities_of(preset, held):
        return Verdict(
            False,
            f"This policy reserves {decision_label(dtype)} to the executive, so only "
            f"{_executives(preset)} may decide on it ({rule.clause}).",
            rule.clause,
            steps,
        )

    warned = bool(case.warnings_given)
    if rule.requires_warning_first and not warned and case.exemption not in rule.warning_exemptions:
        warning = _warning_step(rule)
        if case.exemption is not None:
            reason = (
                f"A warning must come before {decision_label(dtype)}, and "
                f'"{exemption_label(case.exemption)}" is not a reason this policy accepts for skipping it '
                f"({rule.clause})."
            )
        else:
            reason = (
                f"A warning must come before {decision_label(dtype)}, and none has been given or "
                f"recorded as unnecessary ({rule.clause})."
            )
        return Verdict(False, reason, rule.clause, (warning, *steps))

    on_case = case.prior_decisions | ({DecisionType.WARNING} if warned else set())
    if rule.requires_prior and not on_case & set(rule.requires_prior):
        prior = _prior_step(preset, rule)
        return Verdict(
            False,
            f"{sentence(_either(rule.requires_prior))} must already be on the case before "
            f"{decision_label(dtype)} ({rule.clause}).",
            rule.clause,
            (prior, *steps),
        )

    as_whom = who(preset, [k for k in rule.decided_by if k in held])
    return Verdict(
        True,
        f"As {as_whom} you may decide on {decision_label(dtype)} ({rule.clause}).",
        rule.clause,
        steps,
    )


def may_impose(preset: Preset, roles: Iterable[str], measure: MeasureType | str) -> Verdict:
    """May someone holding `roles` impose this restriction measure? Steps list who must approve it.

    A measure the preset does not list is refused: the measures a policy names are the ones its
    deciders have been given; anything else needs the policy changed, not an officer's choice.
    """
    mtype = _measure_type(measure)
    rule = preset.measure(mtype)
    if rule is None:
        return _not_provided(preset, measure_label(mtype))
    steps: tuple[Step, ...] = ()
    if rule.approved_by:
        steps = (_approval_step(preset, rule.approved_by, rule.clause),)
    held = _keys(roles)
    if not held & set(rule.decided_by):
        return Verdict(
            False,
            f"Only {who(preset, rule.decided_by)} may impose {measure_label(mtype)} ({rule.clause}).",
            rule.clause,
            steps,
        )
    as_whom = who(preset, [k for k in rule.decided_by if k in held])
    return Verdict(
        True, f"As {as_whom} you may impose {measure_label(mtype)} ({rule.clause}).", rule.clause, steps
    )


def options_for(
    preset: Preset,
    roles: Iterable[str],
    case: CaseFacts = CaseFacts(),
) -> list[tuple[DecisionRule, Verdict]]:
    """Every decision the policy provides for, in the policy's order, with this actor's verdict.

    Refused options stay in the list: the screen shows them with their reason rather than hiding
    them (DESIGN "Screens": "where the policy refuses an option, say so").
    """
    held = _keys(roles)
    return [(rule, may_decide(preset, held, rule.type, case)) for rule in preset.decisions]


# ---------------------------------------------------------------------------------------------
# Appeals
# ---------------------------------------------------------------------------------------------


def appeal_route(
    preset: Preset,
    *,
    decided_by: str,
    categories: frozenset[str] = frozenset(),
    decider_capabilities: frozenset[Capability] = frozenset(),
    no_internal_reason: str | None = None,
) -> AppealAnswer:
    """Where a customer's appeal against a decision by `decided_by` (a role or group key) goes.

    In this order: a `no_appeal` entry that matches (the decision falls outside the appeal process
    altogether); a recorded `no_internal_reason` the policy lists; the route covering the decider's
    level; otherwise no route. Only the first gives no appeal at all, but every answer without an
    internal route still signposts the ombudsman, who can always be asked.

    A `no_appeal` entry matches when each of its non-empty lists matches (any of its capabilities
    among `decider_capabilities`, and any of its categories among `categories`); an entry with
    both lists empty matches nothing, since it would silently remove every appeal.

    A `no_internal_reason` the policy does not list is ignored, so the customer keeps the internal
    appeal, and the reason says so: withholding an appeal needs a reason the policy gives.
    """
    ap = preset.appeals
    omb = preset.ombudsman
    for entry in ap.no_appeal:
        if _no_appeal_matches(entry.capabilities, entry.categories, decider_capabilities, categories):
            return AppealAnswer(
                internal=False,
                heard_by=(),
                description=entry.description,
                clause=entry.clause,
                ombudsman=omb,
                reason=(
                    f"There is no appeal under this policy here: {entry.description}; the customer may "
                    f"contact the {omb.name} ({entry.clause})."
                ),
            )
    ignored = ""
    if no_internal_reason is not None:
        exemption = next((e for e in ap.no_internal_appeal if e.key == no_internal_reason), None)
        if exemption is not None:
            return AppealAnswer(
                internal=False,
                heard_by=(),
                description=exemption.description,
                clause=exemption.clause,
                ombudsman=omb,
                reason=(
                    f"No internal appeal is offered because {exemption.description}; the customer may "
                    f"take the matter to the {omb.name} ({exemption.clause})."
                ),
            )
        ignored = (
            f' "{no_internal_reason}" is not a reason this policy gives for withholding an internal '
            f"appeal, so one is offered ({ap.clause})."
        )
    route = next((r for r in ap.routes if decided_by in r.decided_at), None)
    if route is None:
        return AppealAnswer(
            internal=False,
            heard_by=(),
            description="",
            clause=ap.clause,
            ombudsman=omb,
            reason=(
                f"This policy names no appeal route for decisions by {who(preset, [decided_by])}; the "
                f"customer may contact the {omb.name} ({ap.clause})."
            ),
        )
    return AppealAnswer(
        internal=True,
        heard_by=tuple(route.heard_by),
        description=route.description,
        clause=route.clause,
        ombudsman=omb,
        reason=(
            f"An appeal against a decision by {who(preset, [decided_by])} is heard by "
            f"{who(preset, route.heard_by)} ({route.clause})." + ignored
        ),
    )


def appeal_deadline(
    preset: Preset,
    calendar: WorkingCalendar,
    *,
    decided_on: dt.date,
    posted_on: dt.date | None = None,
    received_on: dt.date | None = None,
) -> dt.date | None:
    """The last day an appeal is in time, or None when the policy sets no window.

    The window counts working days after its start (so "within 20 working days of receiving it"
    ends on the 20th working day after receipt). Its start is the decision date when the policy
    counts from the decision; when it counts from receipt: `received_on` if known, else the deemed
    receipt of `posted_on`, else the decision date (the brief's fallback; callers who know the
    posting date should pass it, as it gives the customer the time the policy intends).

    Raises ValueError for a posting or receipt before the decision: that is a data-entry error,
    and silently accepting it would shorten the customer's time to appeal.
    """
    ap = preset.appeals
    if ap.window_working_days is None:
        return None
    for name, value in (("posted_on", posted_on), ("received_on", received_on)):
        if value is not None and value < decided_on:
            raise ValueError(f"{name} ({value}) is before the decision ({decided_on})")
    if ap.window_from == "decision":
        start = decided_on
    elif received_on is not None:
        start = received_on
    elif posted_on is not None:
        start = calendar.deemed_receipt(posted_on, ap.deemed_receipt_working_days)
    else:
        start = decided_on
    return calendar.add_working_days(start, ap.window_working_days)


def appeal_in_time(
    preset: Preset, calendar: WorkingCalendar, *, deadline: dt.date | None, appeal_received_on: dt.date
) -> bool:
    """Whether an appeal received on `appeal_received_on` is in time. Always True without a window.

    A deadline that falls on a day the organisation is closed (e.g. a closure added after the
    letter went out) runs on to the next working day: the customer cannot be late on a closed day.
    """
    if preset.appeals.window_working_days is None or deadline is None:
        return True
    return appeal_received_on <= calendar.add_working_days(deadline, 0)


# ---------------------------------------------------------------------------------------------
# Reviews
# ---------------------------------------------------------------------------------------------


def latest_review_date(preset: Preset, decided_on: dt.date) -> dt.date | None:
    """The latest date a review may be set for: the policy's maximum in calendar months after the
    decision, clamped to the month's end (31 August + 6 months is 28 or 29 February). None when
    the policy sets no maximum."""
    months = preset.reviews.max_interval_months
    if months is None:
        return None
    return _add_months(decided_on, months)


def review_date_ok(preset: Preset, decided_on: dt.date, review_on: dt.date) -> Verdict:
    """Whether a review date set at decision time respects the policy: not before the decision,
    and no later than the policy's maximum. A review on the day of the decision is allowed."""
    clause = preset.reviews.clause
    if review_on < decided_on:
        return Verdict(
            False,
            f"A review cannot be set before the decision itself ({long_date(decided_on)}) ({clause}).",
            clause,
        )
    latest = latest_review_date(preset, decided_on)
    if latest is None:
        return Verdict(True, f"This policy sets no maximum time before a review ({clause}).", clause)
    months = preset.reviews.max_interval_months
    if review_on > latest:
        return Verdict(
            False,
            f"The review must be no later than {long_date(latest)}, {months} months after the decision "
            f"({clause}).",
            clause,
        )
    return Verdict(
        True,
        f"A review on {long_date(review_on)} is within {months} months of the decision ({clause}).",
        clause,
    )


def review_may_be_omitted(preset: Preset, categories: Iterable[str]) -> Verdict:
    """Whether a restriction may be set with no review at all: only for the categories the policy
    names (e.g. "to protect staff from violence", 002 7.4). The reason must still be recorded."""
    clause = preset.reviews.clause
    allowed = [k for k in preset.reviews.no_review_allowed_for if k in set(categories)]
    if allowed:
        names = ", ".join(_category_name(preset, k) for k in allowed)
        return Verdict(
            True,
            f"This policy allows a restriction with no review for {names}; record why ({clause}).",
            clause,
        )
    return Verdict(False, f"A restriction under this policy must have a review date ({clause}).", clause)


# ---------------------------------------------------------------------------------------------
# Sharing, police, the line of contact
# ---------------------------------------------------------------------------------------------


def who_must_be_told(
    preset: Preset, channels: Iterable[Channel | str], physical_threat: bool = False
) -> list[tuple[str, str]]:
    """Who must be told of a decision about contact on `channels`: (party, clause) in the policy's
    order, each party once (with the clause of the first rule that names it). Rules for "any" always
    apply; "physical_threat" rules apply when `physical_threat` is true."""
    wanted = {Channel(c) for c in ([channels] if isinstance(channels, str) else channels)}
    told: dict[str, str] = {}
    for rule in preset.sharing:
        applies = (
            rule.when == "any"
            or (rule.when == "physical_threat" and physical_threat)
            or (rule.when not in ("any", "physical_threat") and Channel(rule.when) in wanted)
        )
        if applies:
            for party in rule.tell:
                told.setdefault(party, rule.clause)
    return list(told.items())


_STRENGTH = {PoliceReporting.CONSIDER: 1, PoliceReporting.NORMALLY: 2, PoliceReporting.ALWAYS: 3}


def police_reporting(preset: Preset, categories: Iterable[str]) -> tuple[PoliceReporting | None, str]:
    """How firmly the policy expects incidents in `categories` to be reported to the police, with
    the clause: the strictest matching rule (always, then normally, then consider; the earlier rule
    on a tie). A rule with no categories is a general rule and matches every incident. No match
    gives (None, the police section's clause)."""
    cats = set(_keys(categories))
    best = None
    for rule in preset.police.rules:
        if rule.categories and not cats & set(rule.categories):
            continue
        if best is None or _STRENGTH[rule.reporting] > _STRENGTH[best.reporting]:
            best = rule
    if best is None:
        return None, preset.police.clause
    return best.reporting, best.clause


def may_decide_not_to_report(preset: Preset, roles: Iterable[str], categories: Iterable[str]) -> Verdict:
    """May someone holding `roles` decide not to report incidents in `categories` to the police?

    Never where the policy says such incidents are always reported. Otherwise only the roles the
    policy names: the person threatened should not decide alone (001 43, 003 9.5).
    """
    level, clause = police_reporting(preset, categories)
    police = preset.police
    if level is PoliceReporting.ALWAYS:
        return Verdict(
            False,
            f"This policy says incidents like this are always reported to the police, so no one may "
            f"decide not to report ({clause}).",
            clause,
        )
    held = _keys(roles)
    if not held & set(police.may_decide_not_to_report):
        return Verdict(
            False,
            f"Only {who(preset, police.may_decide_not_to_report)} may decide not to report an incident to "
            f"the police ({police.clause}).",
            police.clause,
        )
    views = " and the views of the staff involved" if police.staff_view_recorded else ""
    return Verdict(
        True,
        f"You may decide not to report this to the police; record the decision, why{views} "
        f"({police.clause}).",
        police.clause,
    )


def contact_line_check(preset: Preset, roles: Iterable[str], remaining_channels: Iterable[str]) -> Verdict:
    """Whether a set of restrictions leaves the customer a way to reach the organisation.

    With no line left, allowed only where the policy does not require one, or where the actor
    holds a role the policy lets decide otherwise (and that decision must be recorded).
    """
    cl = preset.contact_line
    if {c.strip() for c in _keys(remaining_channels)} - {""}:
        return Verdict(True, f"At least one line of contact remains ({cl.clause}).", cl.clause)
    if not cl.must_remain:
        return Verdict(
            True, f"This policy does not require a line of contact to remain ({cl.clause}).", cl.clause
        )
    held = _keys(roles)
    if held & set(cl.override_by):
        return Verdict(
            True,
            f"No line of contact remains; as {who(preset, [k for k in cl.override_by if k in held])} you may "
            f"decide this, and the reason must be recorded ({cl.clause}).",
            cl.clause,
        )
    if not cl.override_by:
        return Verdict(
            False, f"This policy requires at least one line of contact to remain ({cl.clause}).", cl.clause
        )
    return Verdict(
        False,
        f"At least one line of contact must remain unless {who(preset, cl.override_by)} decides otherwise "
        f"({cl.clause}).",
        cl.clause,
    )


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _keys(roles: Iterable[str]) -> frozenset[str]:
    # A bare string would otherwise be read as a set of one-letter role keys.
    if isinstance(roles, str):
        return frozenset((roles,))
    return frozenset(roles)


def _decision_type(decision: DecisionType | str) -> DecisionType:
    try:
        return DecisionType(decision)
    except ValueError:
        known = ", ".join(d.value for d in DecisionType)
        raise ValueError(f"'{decision}' is not a decision type Engage knows (known: {known})") from None


def _measure_type(measure: MeasureType | str) -> MeasureType:
    try:
        return MeasureType(measure)
    except ValueError:
        known = ", ".join(m.value for m in MeasureType)
        raise ValueError(f"'{measure}' is not a measure type Engage knows (known: {known})") from None


def _policy_clause(preset: Preset) -> str:
    return f"{preset.organisation}, {preset.title} {preset.version}"


def _not_provided(preset: Preset, label: str) -> Verdict:
    clause = _policy_clause(preset)
    return Verdict(False, f"This policy does not provide for {label} ({clause}).", clause)


def _executives(preset: Preset) -> str:
    keys = [r.key for r in preset.roles if Capability.EXECUTIVE in r.capabilities]
    return who(preset, keys) if keys else "the organisation's executive"


def _approval_step(preset: Preset, keys: list[str], clause: str) -> Step:
    return Step(
        "approval", tuple(keys), f"{sentence(who(preset, keys))} must approve this ({clause})", clause
    )


def _standing_steps(preset: Preset, rule: DecisionRule) -> tuple[Step, ...]:
    steps: list[Step] = []
    if rule.approved_by:
        steps.append(_approval_step(preset, rule.approved_by, rule.clause))
    if rule.letter_checked_by:
        steps.append(
            Step(
                "letter_check",
                tuple(rule.letter_checked_by),
                f"{sentence(who(preset, rule.letter_checked_by))} must check the letter before it is sent "
                f"({rule.clause})",
                rule.clause,
            )
        )
    if rule.advocacy_to_be_considered:
        steps.append(
            Step(
                "advocacy",
                tuple(rule.decided_by),
                "Consider whether independent advocacy would help the customer, and if so tell them "
                f"how to get it ({rule.clause})",
                rule.clause,
            )
        )
    return tuple(steps)


def _warning_step(rule: DecisionRule) -> Step:
    unless = [exemption_label(e) for e in rule.warning_exemptions]
    tail = f", unless {listing(unless, 'or')} (record which)" if unless else ""
    return Step(
        "warning",
        (),
        f"The customer must first be warned and given the chance to change{tail} ({rule.clause})",
        rule.clause,
    )


def _prior_step(preset: Preset, rule: DecisionRule) -> Step:
    by: list[str] = []
    for p in rule.requires_prior:
        prior = preset.decision(p)
        if prior is not None:
            by.extend(k for k in prior.decided_by if k not in by)
    return Step(
        "prior_decision",
        tuple(by),
        f"{sentence(_either(rule.requires_prior))} must be decided first ({rule.clause})",
        rule.clause,
    )


def _either(decisions: Iterable[DecisionType]) -> str:
    return listing([decision_label(d) for d in decisions], "or")


def _no_appeal_matches(
    capabilities: Iterable[Capability],
    categories: Iterable[str],
    decider_capabilities: frozenset[Capability],
    case_categories: frozenset[str],
) -> bool:
    caps, cats = set(capabilities), set(categories)
    if not caps and not cats:
        return False
    return (not caps or bool(caps & decider_capabilities)) and (not cats or bool(cats & case_categories))


def _category_name(preset: Preset, key: str) -> str:
    category = preset.category(key)
    return category.name if category is not None else key


def _add_months(d: dt.date, months: int) -> dt.date:
    year, month0 = divmod(d.month - 1 + months, 12)
    year += d.year
    month = month0 + 1
    return dt.date(year, month, min(d.day, _calendar.monthrange(year, month)[1]))
