"""Decision rules the engine does not hold: durations, measure dates, who a group is, telling the customer.

Pure functions over a `Preset` and plain values, each citing the clause it encodes; the services
call them alongside `engage.policy.engine` and turn refusals into errors naming the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from engage.decisions.measures import (
    AllowedChannels,
    AutomatedLine,
    CallTimes,
    MeasureSpec,
    MonitoredMailbox,
    channels_concerned,
    remaining_channels,
)
from engage.policy.describe import decision_label, long_date, who
from engage.policy.engine import Verdict, who_must_be_told
from engage.policy.schema import Preset
from engage.policy.vocabulary import Channel, CustomerTold, DecisionType, PeriodicReview

# Decisions that restrict contact: they carry measures, dates, a review and an appeal (003 12.1
# "a decision to restrict contact"; 004 "a decision to manage contact"). Warnings, restorative
# approaches and referrals ask or advise; they restrict nothing, so they are not appealed.
RESTRICTIONS: frozenset[DecisionType] = frozenset(
    {
        DecisionType.SHORT_RESTRICTION,
        DecisionType.ACTIVE_MANAGEMENT,
        DecisionType.STOP_ALL_CONTACT,
        DecisionType.RESTRICT_COMPLAINTS_PROCESS,
    }
)
# Made on the case page. Reviews, lifts and appeal outcomes are made from the decision they act on.
CASE_DECISIONS: tuple[DecisionType, ...] = (
    DecisionType.WARNING,
    DecisionType.RESTORATIVE_APPROACH,
    DecisionType.SHORT_RESTRICTION,
    DecisionType.REFERRAL,
    DecisionType.ACTIVE_MANAGEMENT,
    DecisionType.STOP_ALL_CONTACT,
    DecisionType.RESTRICT_COMPLAINTS_PROCESS,
)
# Decisions whose letter asks the customer to change (003 10.1 and the Guidance's restorative
# letter: discuss the behaviour, explain the concern, ask for change, explain what may follow),
# so each counts as the warning that must come before active management.
WARNING_DECISIONS: frozenset[DecisionType] = frozenset(
    {DecisionType.WARNING, DecisionType.RESTORATIVE_APPROACH}
)

# The grounds of appeal 003 12.2 gives as examples; "other" keeps it open ("for example").
APPEAL_GROUNDS: tuple[tuple[str, str], ...] = (
    ("wrongly_identified", "Their engagement was wrongly identified as unacceptable"),
    ("disproportionate", "The restrictions are disproportionate"),
    (
        "personal_circumstances",
        "The restrictions have an adverse impact because of their personal circumstances",
    ),
    ("other", "Another argument about the restrictions"),
)


@dataclass(frozen=True)
class Told:
    """Whether the customer is told the outcome of a review, and the policy's reason."""

    tell: bool
    reason: str
    clause: str


# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------


def duration_ok(
    preset: Preset, decision: DecisionType, starts_on: dt.date, ends_on: dt.date | None
) -> Verdict:
    """Whether a decision's dates respect the policy's longest duration for its type.

    `ends_on` is the first day the decision no longer applies, so a one-day restriction from
    4 March ends on 5 March (004 Decision matrix: "Restrict contact for one day").
    """
    rule = preset.decision(decision)
    clause = rule.clause if rule else preset.appeals.clause
    if ends_on is not None and ends_on <= starts_on:
        return Verdict(False, "The end date must be after the start date.", clause)
    if rule is None or rule.max_duration_days is None:
        return Verdict(True, "This policy sets no longest duration for this decision.", clause)
    days = rule.max_duration_days
    longest = starts_on + dt.timedelta(days=days)
    span = "one day" if days == 1 else f"{days} days"
    if ends_on is None or ends_on > longest:
        return Verdict(
            False,
            f"{decision_label(decision)[:1].upper()}{decision_label(decision)[1:]} lasts at most {span}, "
            f"so it must end by {long_date(longest)} ({rule.clause}).",
            rule.clause,
        )
    return Verdict(True, f"It lasts no more than {span} ({rule.clause}).", rule.clause)


def measure_dates_problem(
    decision_starts: dt.date,
    decision_ends: dt.date | None,
    starts_on: dt.date,
    ends_on: dt.date | None,
) -> str | None:
    """Why a measure's dates do not fit inside its decision's, or None.

    A measure never outlives the decision that authorised it, nor starts before it: the decision
    is the authority (004 "Formal decision to manage contact": the CCSM records the decision).
    """
    if starts_on < decision_starts:
        return f"A measure cannot start before its decision does ({long_date(decision_starts)})."
    if ends_on is not None and ends_on <= starts_on:
        return "A measure's end date must be after its start date."
    if decision_ends is not None and (ends_on is None or ends_on > decision_ends):
        return f"A measure cannot last beyond its decision, which ends on {long_date(decision_ends)}."
    return None


def conflicts(specs: Iterable[MeasureSpec]) -> dict[str, str]:
    """Measures that contradict each other, by the measure type that cannot apply.

    Setting call times, or an automated line, when phone contact is not allowed at all (or a
    monitored mailbox when email is not) would tell staff two different things.
    """
    specs = list(specs)
    left = remaining_channels(s for s in specs if isinstance(s, AllowedChannels))
    problems: dict[str, str] = {}
    for spec in specs:
        if isinstance(spec, CallTimes | AutomatedLine) and Channel.PHONE.value not in left:
            problems[spec.type.value] = "This limits phone calls, but phone contact is not allowed at all"
        if isinstance(spec, MonitoredMailbox) and Channel.EMAIL.value not in left:
            problems[spec.type.value] = (
                "This directs emails to a mailbox, but email contact is not allowed at all"
            )
    return problems


# ---------------------------------------------------------------------------------------------
# Groups
# ---------------------------------------------------------------------------------------------


def group_problem(
    preset: Preset, group_key: str, actor_roles: Iterable[str], present: Mapping[int, Iterable[str]]
) -> str | None:
    """Why a decision recorded as the group's is not one, or None.

    The person recording it must be able to sit on the group and be among those present; each
    member present must hold a role that sits on it; and enough must be present (003 Guidance:
    the Complaints Review Group is "two Directors, the Chief Legal Officer and the SPSO Liaison
    Officer"; its quorum is the preset's).
    """
    group = preset.group(group_key)
    if group is None:
        return f"This policy has no group called '{group_key}'."
    seats = set(group.member_roles)
    if seats and not seats & set(actor_roles):
        return f"You do not hold a role that sits on the {group.name} ({group.clause})."
    outsiders = [pk for pk, roles in present.items() if seats and not seats & set(roles)]
    if outsiders:
        return f"Only members of the {group.name} can be recorded as present ({group.clause})."
    if len(present) < group.quorum:
        return (
            f"At least {group.quorum} members of the {group.name} must be present for it to decide "
            f"({group.clause})."
        )
    return None


def acting_keys(preset: Preset, roles: Iterable[str]) -> frozenset[str]:
    """The role keys someone holds and the group keys of the groups they may sit on."""
    held = frozenset(roles)
    groups = {g.key for g in preset.groups if set(g.member_roles) & held}
    return held | groups


# ---------------------------------------------------------------------------------------------
# Sharing and reviews
# ---------------------------------------------------------------------------------------------


def sharing_parties(
    preset: Preset, specs: Iterable[MeasureSpec], physical_threat: bool
) -> list[tuple[str, str]]:
    """Who must be told of a decision with these measures: the preset's sharing rules, applied to
    the channels the measures concern (004 "Terminating a telephone call": all employees taking
    frontline calls; 003 9.2, 9.24, 11.2)."""
    channels: set[str] = set()
    for spec in specs:
        channels |= channels_concerned(spec)
    return who_must_be_told(preset, sorted(channels), physical_threat=physical_threat)


def customer_told(preset: Preset, *, changed: bool, in_active_contact: bool) -> Told:
    """Whether the customer is told of a review's outcome (004 "Reviewing decisions": only of a
    change and only if still in active contact; 003 version history v1.1: not if nothing changed)."""
    rule = preset.reviews.customer_told
    clause = preset.reviews.clause
    if rule == CustomerTold.ALWAYS:
        return Told(True, f"This policy tells the customer the outcome of every review ({clause}).", clause)
    if rule in (CustomerTold.IF_CHANGED, CustomerTold.IF_CHANGED_AND_IN_ACTIVE_CONTACT) and not changed:
        return Told(False, f"Nothing changed, so this policy does not tell the customer ({clause}).", clause)
    if rule in (CustomerTold.IF_IN_ACTIVE_CONTACT, CustomerTold.IF_CHANGED_AND_IN_ACTIVE_CONTACT) and not (
        in_active_contact
    ):
        return Told(
            False,
            f"The customer is no longer in active contact, so this policy does not tell them ({clause}).",
            clause,
        )
    return Told(True, f"This policy tells the customer of this outcome ({clause}).", clause)


def reviewers(preset: Preset) -> str:
    return who(preset, preset.reviews.reviewed_by)


def periodic_due(preset: Preset, today: dt.date) -> tuple[str, dt.date] | None:
    """The organisation-wide review now due: (what it covers, due date), or None without one.

    004 "Annual review": at the end of each financial year (31 March). 003 13.2 "on a regular
    basis" and an annual review without a date: Engage takes each quarter's end, and the end of
    the calendar year (recorded choices, since the policies give no date).
    """
    kind = preset.reviews.periodic.kind
    if kind == PeriodicReview.NONE:
        return None
    if kind == PeriodicReview.FINANCIAL_YEAR_END:
        due = dt.date(today.year if today <= dt.date(today.year, 3, 31) else today.year + 1, 3, 31)
        return f"Financial year {due.year - 1} to {due.year}", due
    if kind == PeriodicReview.ANNUAL:
        due = dt.date(today.year, 12, 31)
        return f"Year {due.year}", due
    quarter_ends = [dt.date(today.year, m, d) for m, d in ((3, 31), (6, 30), (9, 30), (12, 31))]
    due = next(q for q in quarter_ends if q >= today)
    return f"Quarter ending {long_date(due)}", due
