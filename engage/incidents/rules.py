"""Incident rules as pure functions: what a logged incident must say, the health and safety portal, review options.

No database and no HTTP: plain values and the organisation's `Preset` in, answers out, so each
rule is tested directly (tests/test_rules.py) and cites the clause it encodes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from engage.policy import engine
from engage.policy.describe import who
from engage.policy.schema import Preset
from engage.policy.vocabulary import DecisionType, PoliceReporting

# Immediate actions that end a contact: a warning should come first where it is safe
# (004 "Terminating a telephone call": "the caller will be warned once"; 003 9.8; 001 32).
ENDING_ACTIONS = frozenset({"call_ended", "meeting_ended"})
NO_ACTION = "none"

# The outcomes a manager's incident review may record, in the order a manager weighs them
# (DESIGN "The lifecycle": manager review -> no further action / warning / restorative approach /
# referral upwards). Restrictions and formal management are decisions on the customer's case.
REVIEW_OUTCOMES: tuple[DecisionType, ...] = (
    DecisionType.NO_FURTHER_ACTION,
    DecisionType.INFORMAL_APPROACH,
    DecisionType.WARNING,
    DecisionType.RESTORATIVE_APPROACH,
    DecisionType.REFERRAL,
)


@dataclass(frozen=True)
class Answers:
    """What the reporter has said so far, as plain values (a draft may leave any of them empty)."""

    occurred_at: dt.datetime | None = None
    location: str = ""
    service: str = ""
    channel: str = ""
    has_customer: bool = False
    person_description: str = ""
    account: str = ""
    categories: tuple[str, ...] = ()
    staff_affected: int = 0
    immediate_actions: tuple[str, ...] = ()
    warning_given_first: bool | None = None
    recording_said: bool | None = None
    staff_named_publicly: bool | None = None
    hs_portal_reference: str = ""
    support_wanted: bool | None = None
    time_away_wanted: bool | None = None


@dataclass(frozen=True)
class PortalRule:
    required: bool
    portal: str
    reason: str
    clause: str


@dataclass(frozen=True)
class ReviewOption:
    decision: DecisionType
    name: str
    verdict: engine.Verdict
    steps: tuple[engine.Step, ...] = field(default=())


def health_and_safety_portal(preset: Preset, categories: Iterable[str]) -> PortalRule:
    """Whether this incident must also be logged in the organisation's health and safety portal.

    Required where the preset names a portal and any category is zero tolerance: 003 App.1
    ("Category One ... Managers must log this type of incident in Lexi"), 9.2 and 9.3 (physical
    violence used or threatened "must be recorded in Lexi"); 002 12.2 (recording an incident in
    the Health and Safety portal). The clause given is the category's own. Where the preset
    names no portal, nothing is asked.
    """
    portal = preset.health_and_safety_portal.strip()
    if not portal:
        return PortalRule(False, "", "This policy names no health and safety portal.", "")
    for key in categories:
        category = preset.category(key)
        if category is not None and category.zero_tolerance:
            return PortalRule(
                True,
                portal,
                f"Incidents of {category.name.lower()} must also be logged in {portal} ({category.clause}).",
                category.clause,
            )
    return PortalRule(
        False, portal, f"Log this incident in {portal} too if your service's procedures ask for it.", ""
    )


def missing_answers(preset: Preset, answers: Answers) -> dict[str, str]:
    """Every answer an incident still needs before it can go to a manager, as {field: message}.

    In the order the questions are asked, so the "Check your answers" page lists them top down.
    """
    missing: dict[str, str] = {}
    if answers.occurred_at is None:
        missing["occurred_at"] = "Enter the date and time it happened"
    if not answers.service.strip():
        missing["service"] = "Enter which service you were providing"
    if not answers.channel:
        missing["channel"] = "Select how the person was in contact"
    if not answers.has_customer and not answers.person_description.strip():
        missing["person"] = "Find the customer, or describe the person as they were known to you"
    if not answers.account.strip():
        missing["account"] = "Describe what happened, in your own words"
    if not answers.categories:
        missing["categories"] = "Select the kind of behaviour"
    else:
        unknown = [k for k in answers.categories if preset.category(k) is None]
        if unknown:
            missing["categories"] = (
                "Select the kind of behaviour again: your organisation's categories have changed"
            )
    if answers.staff_affected < 1:
        missing["staff_affected"] = "Select who was affected"
    if not answers.immediate_actions:
        missing["immediate_actions"] = "Select what you did at the time, or 'None of these'"
    elif answers.warning_given_first is None and ENDING_ACTIONS & set(answers.immediate_actions):
        missing["warning_given_first"] = "Select whether you warned the person before ending the contact"
    if answers.recording_said is None:
        missing["recording_said"] = "Select whether the person said they were recording or live-streaming"
    if answers.staff_named_publicly is None:
        missing["staff_named_publicly"] = "Select whether staff were named publicly"
    portal = health_and_safety_portal(preset, answers.categories)
    if portal.required and not answers.hs_portal_reference.strip():
        missing["hs_portal_reference"] = f"Enter the {portal.portal} reference: {portal.reason}"
    if answers.support_wanted is None:
        missing["support_wanted"] = "Select whether you would like support"
    if answers.time_away_wanted is None:
        missing["time_away_wanted"] = "Select whether you would like time away from your work"
    return missing


def immediate_actions_problem(actions: Sequence[str]) -> str | None:
    """'None of these' cannot be chosen with an action (the form works without JavaScript)."""
    if NO_ACTION in actions and len(actions) > 1:
        return "Select the actions you took, or 'None of these', not both"
    return None


def review_options(preset: Preset, roles: Iterable[str], case: engine.CaseFacts) -> list[ReviewOption]:
    """The outcomes a reviewing manager may record, each with the engine's verdict for them.

    Refused options stay in the list with the reason (DESIGN "Screens": say so, do not hide).
    Outcomes the preset does not provide for are left out, except "no further action": no policy
    lists it, yet every one has the manager consider whether to act (004 "Considering when to
    manage contact": "will consider whether a warning should be given"). So whoever may decide a
    warning may decide no further action, under the warning's clause.
    """
    held = frozenset(roles)
    options: list[ReviewOption] = []
    for decision in REVIEW_OUTCOMES:
        rule = preset.decision(decision)
        if rule is not None:
            verdict = engine.may_decide(preset, held, decision, case)
            options.append(ReviewOption(decision, rule.name, verdict, verdict.steps))
        elif decision is DecisionType.NO_FURTHER_ACTION:
            options.append(ReviewOption(decision, "No further action", _no_further_action(preset, held)))
    return options


def _no_further_action(preset: Preset, held: frozenset[str]) -> engine.Verdict:
    warning = preset.decision(DecisionType.WARNING)
    if warning is None:
        clause = f"{preset.organisation}, {preset.title}"
        return engine.Verdict(
            True, f"You may decide that no further action is needed; record why ({clause}).", clause
        )
    if held & set(warning.decided_by):
        return engine.Verdict(
            True,
            f"You may decide that no further action is needed; record why ({warning.clause}).",
            warning.clause,
        )
    return engine.Verdict(
        False,
        f"Only {who(preset, warning.decided_by)} may decide whether any action is needed ({warning.clause}).",
        warning.clause,
    )


def case_facts(categories: Iterable[str], immediate_actions: Iterable[str]) -> engine.CaseFacts:
    """What the engine needs from an incident: its categories, and an ended call or meeting counts
    as an `end_contact` decision already taken (004 "Decision matrix": a one-day restriction
    follows a terminated call)."""
    prior = {DecisionType.END_CONTACT} if ENDING_ACTIONS & set(immediate_actions) else set()
    return engine.CaseFacts(categories=frozenset(categories), prior_decisions=frozenset(prior))


def police_expectation(level: PoliceReporting | None, clause: str) -> str:
    """The policy's expectation for police reporting, as one sentence for the review page."""
    if level is PoliceReporting.ALWAYS:
        return f"Your policy says incidents like this are always reported to the police ({clause})."
    if level is PoliceReporting.NORMALLY:
        return f"Your policy says incidents like this are normally reported to the police ({clause})."
    if level is PoliceReporting.CONSIDER:
        return (
            f"Your policy says reporting incidents like this to the police should be considered ({clause})."
        )
    return ""


def age_in_words(since: dt.datetime, now: dt.datetime) -> str:
    """How long an incident has waited, as a manager reads it: "today", "1 day", "3 days"."""
    days = (now.date() - since.date()).days
    if days <= 0:
        return "today"
    return "1 day" if days == 1 else f"{days} days"


def format_reference(year: int, number: int) -> str:
    return f"INC-{year}-{number:05d}"
