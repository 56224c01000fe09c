"""What the contact check answers: from the measures in force and staff requests, one decision and
the words for the person at the desk.

Pure Python: no database, no HTTP. `decide` takes the measures that may apply (already found for
the customer), the channel, the moment and the organisation's calendar, and answers one of
allow, allow with conditions, redirect or refuse, with one sentence saying what to do and one
saying what to tell the customer. It reveals the minimum (DESIGN "Marker"; 000/001 §76,
002 §12.4): never why, never the history, the behaviour categories or any incident, which it is
never given; the decision makers' own words appear only where a measure needs them to be
applied (a named officer, a third party, a closed matter).

Conventions, which the tests hold:

- Times are Europe/London wall-clock times, whatever zone `at` is given in.
- A measure applies from the start of `starts_on` until the start of `ends_on` (the first day it
  no longer applies), and, if it has one, until `ends_at` exactly (start inclusive, end exclusive).
- A call-times window includes its start and excludes its end: "10:00–12:00" takes a call at
  10:00 and not at 12:00. A window whose end is before its start crosses midnight and belongs to
  the day it opens: "Friday 22:00–02:00" takes a call at 01:00 on Saturday.
- On a bank holiday of the organisation's nation, or one of its own closure days, no window opens
  (calls on set days and times are taken by the office, which is closed): a "Tuesdays
  10:00–12:00" window on a bank holiday Tuesday is refused, and the answer names the next window.
  Weekends are not closures: a window the decision set on a Saturday opens on Saturday.
- Several measures combine by the strictest: refuse over redirect over allow with conditions
  over allow. The sentences are those of the strictest outcome only: a contact that is refused or
  redirected is not put through, so the conditions for putting it through do not apply.
- Measures' order never changes the answer.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from engage.decisions.markers import Active, marker_text
from engage.decisions.measures import (
    DAY_NAMES,
    DAYS,
    AllowedChannels,
    AutomatedLine,
    BehaviourContract,
    CallTimes,
    MatterClosed,
    MeasureSpec,
    MonitoredMailbox,
    NoStaffDetails,
    PremisesBan,
    ReadAndFile,
    SinglePointOfContact,
    ThirdPartyOnly,
    TopicsLimited,
    VolumeLimit,
    WitnessRequired,
)
from engage.policy.vocabulary import Channel, MeasureType
from engage.policy.working_days import WorkingCalendar, bank_holidays
from engage.staffcare.rules import desk_sentences

__all__ = [
    "HEADLINES",
    "LONDON",
    "ActiveMeasure",
    "Answer",
    "AppliedMeasure",
    "NoContact",
    "Outcome",
    "VolumeKey",
    "decide",
    "for_representative",
    "is_closed",
    "period_start",
    "strictest",
]

LONDON = ZoneInfo("Europe/London")


class Outcome(StrEnum):
    ALLOW = "allow"
    ALLOW_WITH_CONDITIONS = "allow_with_conditions"
    REDIRECT = "redirect"
    REFUSE = "refuse"


_RANK = {Outcome.ALLOW: 0, Outcome.ALLOW_WITH_CONDITIONS: 1, Outcome.REDIRECT: 2, Outcome.REFUSE: 3}

# The answer in large type: worded, so it never rests on colour alone (DESIGN "Check a contact").
HEADLINES = {
    Outcome.ALLOW: "Go ahead",
    Outcome.ALLOW_WITH_CONDITIONS: "Go ahead, with conditions",
    Outcome.REDIRECT: "Redirect this contact",
    Outcome.REFUSE: "Do not go ahead",
}

# Written contact is forwarded or filed; spoken contact is put through or met.
_WRITTEN = frozenset({Channel.EMAIL, Channel.LETTER, Channel.ONLINE_FORM, Channel.SOCIAL_MEDIA})
_FACE_TO_FACE = frozenset({Channel.IN_PERSON, Channel.EVENT})
_NOUN = {
    Channel.PHONE: ("call", "calls"),
    Channel.EMAIL: ("email", "emails"),
    Channel.LETTER: ("letter", "letters"),
    Channel.IN_PERSON: ("visit", "visits"),
    Channel.SOCIAL_MEDIA: ("message on social media", "messages on social media"),
    Channel.ONLINE_FORM: ("online form", "online forms"),
    Channel.EVENT: ("contact at an event", "contacts at events"),
}
_BY = {
    Channel.PHONE: "phone",
    Channel.EMAIL: "email",
    Channel.LETTER: "letter",
    Channel.IN_PERSON: "in person",
    Channel.SOCIAL_MEDIA: "social media",
    Channel.ONLINE_FORM: "the online form",
    Channel.EVENT: "at events",
}
_ALL = frozenset(Channel)
# The order sentences are said in, whatever order the measures came in.
_ORDER = {
    t: i
    for i, t in enumerate(
        (
            MeasureType.ALLOWED_CHANNELS,
            MeasureType.PREMISES_BAN,
            MeasureType.CALL_TIMES,
            MeasureType.VOLUME_LIMIT,
            MeasureType.AUTOMATED_LINE,
            MeasureType.THIRD_PARTY_ONLY,
            MeasureType.MONITORED_MAILBOX,
            MeasureType.SINGLE_POINT_OF_CONTACT,
            MeasureType.WITNESS_REQUIRED,
            MeasureType.READ_AND_FILE,
            MeasureType.MATTER_CLOSED,
            MeasureType.TOPICS_LIMITED,
            MeasureType.NO_STAFF_DETAILS,
            MeasureType.BEHAVIOUR_CONTRACT,
        )
    )
}
_STAFF_ORDER = len(_ORDER)
# How far ahead the next call window is looked for (a fortnight covers every weekly pattern
# plus a run of closures such as Christmas and New Year).
_LOOK_AHEAD_DAYS = 21


@dataclass(frozen=True)
class ActiveMeasure:
    """A measure that may be in force: its spec, its first day and the first day it no longer
    applies (None: open-ended). `ends_at` is an exact end, for a measure stopped part-way through
    a day; without it the measure runs to the end of the day before `ends_on`."""

    spec: MeasureSpec
    starts_on: dt.date
    ends_on: dt.date | None = None
    ends_at: dt.datetime | None = None

    def applies_on(self, at: dt.datetime, today: dt.date) -> bool:
        if self.starts_on > today:
            return False
        if self.ends_on is not None and today >= self.ends_on:
            return False
        return self.ends_at is None or at < self.ends_at


@dataclass(frozen=True)
class NoContact:
    """An agreed staff request about this customer (000/001 §68, §70; 002 §10.4, §10.6): whose,
    and which kind (`StaffRequest.Kind`)."""

    staff_name: str
    kind: str


# (channel or None for all channels, "day" | "week" | "month")
VolumeKey = tuple[str | None, str]


@dataclass(frozen=True)
class AppliedMeasure:
    """One measure applying to this contact, as the desk may see it: its type, a one-line summary,
    and the last day it applies (None: until it is reviewed or lifted)."""

    type: str
    summary: str
    until: dt.date | None = None


@dataclass(frozen=True)
class Answer:
    decision: Outcome
    act: str  # what the person at the desk does: one sentence
    say: str  # what they tell the customer: one sentence, or "" where nothing is said
    measures: tuple[AppliedMeasure, ...] = ()

    @property
    def headline(self) -> str:
        return HEADLINES[self.decision]

    @property
    def rank(self) -> int:
        return _RANK[self.decision]


_CLEAR = Answer(
    Outcome.ALLOW,
    "No contact arrangements apply: deal with this contact as usual.",
    "",
)


@dataclass(frozen=True)
class _Effect:
    outcome: Outcome
    order: int
    act: str
    say: str = ""


@dataclass
class _Context:
    channel: Channel
    at: dt.datetime  # local (Europe/London)
    today: dt.date
    calendar: WorkingCalendar | None
    via_representative: bool
    volumes: Mapping[VolumeKey, int] | None
    effects: list[_Effect] = field(default_factory=list)

    def add(self, outcome: Outcome, spec: MeasureSpec, act: str, say: str = "") -> None:
        self.effects.append(_Effect(outcome, _ORDER[spec.type], act, say))


def decide(
    measures: Iterable[ActiveMeasure],
    channel: Channel | str,
    at: dt.datetime,
    *,
    calendar: WorkingCalendar | None = None,
    via_representative: bool = False,
    no_contact: Iterable[NoContact] = (),
    volumes: Mapping[VolumeKey, int] | None = None,
) -> Answer:
    """The answer for one contact on `channel` at `at` (timezone-aware).

    `calendar` gives bank holidays and closure days (without it none are known); `volumes` gives
    how many contacts were already recorded this day, week or month for the volume limits
    (without it the desk is told to check). An empty list of measures and requests is allow.
    """
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("the contact check needs a timezone-aware time")
    if not measures and not no_contact:
        return _CLEAR  # most contacts: nothing recorded for them
    local = at.astimezone(LONDON)
    context = _Context(
        channel=Channel(channel),
        at=local,
        today=local.date(),
        calendar=calendar,
        via_representative=via_representative,
        volumes=volumes,
    )
    # Canonical order first: the same measures in any order give the same words.
    active = sorted(
        (m for m in measures if m.applies_on(at, context.today)),
        key=lambda m: (_ORDER[m.spec.type], _key(m.spec), m.ends_on or dt.date.max),
    )
    _channels(context, [m.spec for m in active])
    for m in active:
        _RULES[type(m.spec)](context, m.spec)
    requests = sorted({(r.staff_name, r.kind) for r in no_contact})
    for text in desk_sentences(requests):
        # The desk's sentence for a staff request says what to do, never why (staffcare.rules).
        phrase = text[:1].lower() + text[1:].rstrip(".")
        context.effects.append(_Effect(Outcome.ALLOW_WITH_CONDITIONS, _STAFF_ORDER, phrase))
    applied = tuple(_applied(m, context.today) for m in active if _concerns(m.spec, context.channel))
    applied += tuple(AppliedMeasure("staff_request", text.rstrip(".")) for text in desk_sentences(requests))
    if not context.effects:
        return Answer(_CLEAR.decision, _CLEAR.act, _CLEAR.say, applied)
    outcome = max((e.outcome for e in context.effects), key=_RANK.__getitem__)
    winning = sorted((e for e in context.effects if e.outcome == outcome), key=lambda e: (e.order, e.act))
    act = _sentence(e.act for e in winning)
    say = _sentence(e.say for e in winning if e.say)
    return Answer(outcome, act, say, applied)


# What the identifier is called in the desk's sentence, by kind (`customers.identifiers.Kind`).
_IDENTIFIER_NOUN = {"phone": "number", "email": "email address", "social": "handle"}


def for_representative(answer: Answer, kind: str, names: Sequence[tuple[str, bool]]) -> Answer:
    """The answer for someone whose identifier is a representative's (000/001 §23.3; 003 7.4), with
    a first sentence saying whose it is, so the desk can check who they are dealing with.

    `names` are the representatives' names, each with whether the identifier is still in use.
    Reveals no more than the answer does: only the representative's name, not how they are
    related to the customer, and nothing at all where the answer is allow (which names no one).
    """
    if answer.decision == Outcome.ALLOW or not names:
        return answer
    noun = _IDENTIFIER_NOUN.get(kind, "identifier")
    current = sorted({name for name, in_use in names if in_use})
    if current:
        whose = f"This {noun} is recorded for {_listing(current, 'or')}, who acts for the customer."
    else:
        old = sorted({name for name, _in_use in names})
        whose = (
            f"This {noun} was recorded for {_listing(old, 'or')}, who acts for the customer, but is "
            "marked as no longer used: check who you are dealing with."
        )
    return Answer(answer.decision, f"{whose} {answer.act}", answer.say, answer.measures)


def strictest(answers: Sequence[Answer]) -> Answer:
    """The strictest of several answers (the first of equals)."""
    return max(answers, key=lambda a: a.rank)


def period_start(per: str, at: dt.datetime) -> dt.datetime:
    """The start of the day, week (from Monday) or month containing `at`, in local time: what a
    volume limit "a day", "a week" or "a month" counts from."""
    local = at.astimezone(LONDON).date()
    if per == "week":
        local -= dt.timedelta(days=local.weekday())
    elif per == "month":
        local = local.replace(day=1)
    elif per != "day":
        raise ValueError(f"unknown period {per!r}")
    return dt.datetime.combine(local, dt.time(0), tzinfo=LONDON)


def is_closed(calendar: WorkingCalendar | None, day: dt.date) -> bool:
    """A bank holiday of the organisation's nation or one of its own closure days."""
    if calendar is None:
        return False
    return day in calendar.extra_closures or day in bank_holidays(calendar.nation, day.year)


# ---------------------------------------------------------------------------------------------
# One function per kind of measure: what it means for this contact
# ---------------------------------------------------------------------------------------------


def _channels(context: _Context, specs: list[MeasureSpec]) -> None:
    """Limits to certain channels, together (003 10.2(a); 000/001 §23.1; 004 "Limiting contact to
    a particular form"), and a ban from all premises, which closes contact in person
    (003 10.2(f)). What is left open is where the contact is redirected."""
    limits = [s for s in specs if isinstance(s, AllowedChannels)]
    banned_everywhere = any(isinstance(s, PremisesBan) and s.all_premises for s in specs)
    open_ = set(_ALL)
    for spec in limits:
        open_ &= set(spec.channels)
    if banned_everywhere:
        open_ -= _FACE_TO_FACE
    if not limits or context.channel in open_:
        return
    noun = _NOUN[context.channel][1]
    if not open_:
        context.add(
            Outcome.REFUSE,
            limits[0],
            f"do not deal with this contact: no {noun} or other contact is being taken from them for now",
            "we are not able to take contact from you at the moment, as our letter to you explains",
        )
        return
    ways = _listing([_BY[c] for c in Channel if c in open_], "or")
    context.add(
        Outcome.REDIRECT,
        limits[0],
        f"do not deal with it by {_BY[context.channel]}: ask them to contact us by {ways}",
        f"we can only deal with your enquiry by {ways}",
    )


def _allowed_channels(context: _Context, spec: AllowedChannels) -> None:
    # Handled together with the others in _channels().
    return


def _premises(context: _Context, spec: PremisesBan) -> None:
    if context.channel not in _FACE_TO_FACE:
        return
    if spec.all_premises:
        context.add(
            Outcome.REFUSE,
            spec,
            "do not let them into any of our premises",
            "you cannot come into our buildings at the moment; you can still contact us in the other ways "
            "our letter to you sets out",
        )
        return
    # Where the desk is, the check does not know: it says where they may not go (003 10.2(f)).
    where = _listing(list(spec.premises), "or")
    context.add(
        Outcome.ALLOW_WITH_CONDITIONS,
        spec,
        f"they may not come into {where}: if that is where you are, do not let them in",
    )


def _call_times(context: _Context, spec: CallTimes) -> None:
    """Calls only on set days and times (003 10.2(c); 004 "Limiting telephone calls to specific
    days and/or times"), in local time, never on a bank holiday or closure day."""
    if context.channel != Channel.PHONE:
        return
    local = context.at
    opened_on = context.today
    if spec.crosses_midnight and local.time() < spec.end:
        opened_on = context.today - dt.timedelta(days=1)
    if spec.allows(local) and not is_closed(context.calendar, opened_on):
        if spec.max_minutes:
            minutes = _minutes(spec.max_minutes)
            context.add(
                Outcome.ALLOW_WITH_CONDITIONS,
                spec,
                f"keep the call to {minutes} at most",
                f"I can talk with you for up to {minutes}",
            )
        return
    when = _window(spec)
    following = _next_window(spec, context)
    closed_today = is_closed(context.calendar, opened_on) and DAYS[opened_on.weekday()] in spec.days
    why = " (the office is closed today)" if closed_today else ""
    nxt = f"; the next time is {following}" if following else ""
    context.add(
        Outcome.REFUSE,
        spec,
        f"do not take the call now{why}: calls are taken only {when}{nxt}",
        f"we can take your call {when}, except on bank holidays{nxt}",
    )


def _volume(context: _Context, spec: VolumeLimit) -> None:
    """At most so many contacts a day, week or month (003 7.4, 10.2(g); 000/001 §23.5)."""
    if spec.channel is not None and spec.channel != context.channel:
        return
    one, many = _NOUN[spec.channel] if spec.channel else ("contact", "contacts")
    noun = one if spec.max_contacts == 1 else many
    limit = f"{spec.max_contacts} {noun} a {spec.per}"
    key: VolumeKey = (spec.channel.value if spec.channel else None, spec.per)
    if context.volumes is None or key not in context.volumes:
        context.add(
            Outcome.ALLOW_WITH_CONDITIONS,
            spec,
            f"at most {limit} are taken: check how many there have been before going on",
        )
        return
    so_far = context.volumes[key]
    if so_far >= spec.max_contacts:
        context.add(
            Outcome.REFUSE,
            spec,
            f"do not take this {_NOUN[context.channel][0]}: the limit of {limit} has been reached",
            f"we take up to {limit} from you, and that is reached; you can contact us again "
            f"from {_next_period(spec.per, context.today)}",
        )
        return
    context.add(
        Outcome.ALLOW_WITH_CONDITIONS,
        spec,
        f"at most {limit} are taken, and {so_far} {'has' if so_far == 1 else 'have'} been recorded so far",
    )


def _automated_line(context: _Context, spec: AutomatedLine) -> None:
    """Phone calls directed to an automated service (000/001 §23.4)."""
    if context.channel != Channel.PHONE:
        return
    context.add(
        Outcome.REDIRECT,
        spec,
        f"transfer the call to the automated line ({spec.line})",
        "I am going to transfer you to our automated line, which can help with your enquiry",
    )


def _third_party(context: _Context, spec: ThirdPartyOnly) -> None:
    """Contact through a third party such as an advocate (000/001 §23.3; 003 7.4)."""
    if context.via_representative:
        context.add(
            Outcome.ALLOW_WITH_CONDITIONS,
            spec,
            f"contact goes through {spec.third_party}: check that this is who you are dealing with",
        )
        return
    context.add(
        Outcome.REDIRECT,
        spec,
        f"do not deal with the customer directly: contact goes through {spec.third_party}",
        f"we deal with your enquiries through {spec.third_party}; please ask them to contact us for you",
    )


def _mailbox(context: _Context, spec: MonitoredMailbox) -> None:
    """Emails to a separate, monitored mailbox (003 10.2(i))."""
    if context.channel != Channel.EMAIL:
        return
    context.add(Outcome.REDIRECT, spec, f"forward the email to the monitored mailbox {spec.mailbox}")


def _single_point(context: _Context, spec: SinglePointOfContact) -> None:
    """One named officer (003 10.2(b); 000/001 §23.1; 004 "a single point of contact")."""
    officer = spec.officer_name or "the named officer"
    deputy = f" (or {spec.deputy_name or 'their deputy'} when they are away)" if spec.deputy else ""
    if context.channel in _WRITTEN:
        context.add(
            Outcome.REDIRECT,
            spec,
            f"forward it to {officer}{deputy}, who deals with all their contact",
            f"{officer} deals with your enquiries and will reply to you",
        )
    elif context.channel in _FACE_TO_FACE:
        context.add(
            Outcome.ALLOW_WITH_CONDITIONS,
            spec,
            f"only {officer}{deputy} deals with them: ask {officer} to come",
            f"{officer} deals with your enquiries; I will ask them to see you",
        )
    else:
        context.add(
            Outcome.ALLOW_WITH_CONDITIONS,
            spec,
            f"put the call through only to {officer}{deputy}",
            f"I will put you through to {officer}, who deals with your enquiries",
        )


def _witness(context: _Context, spec: WitnessRequired) -> None:
    """Personal contact only with a witness present (003 10.2(d))."""
    if context.channel not in _FACE_TO_FACE:
        return
    who = f" ({spec.witness})" if spec.witness else ""
    context.add(
        Outcome.ALLOW_WITH_CONDITIONS,
        spec,
        f"meet them only with a witness present{who}",
        "a colleague will join us",
    )


def _read_and_file(context: _Context, spec: ReadAndFile) -> None:
    """Read for new issues, then filed without acknowledgement (004 "Formal decision to manage
    contact"; 003 10.2(h))."""
    if context.channel not in spec.channels:
        return
    context.add(
        Outcome.ALLOW_WITH_CONDITIONS,
        spec,
        f"read the {_NOUN[context.channel][0]} for new issues, then file it without reply",
    )


def _matter_closed(context: _Context, spec: MatterClosed) -> None:
    """The matter is closed (003 10.2(e), 11.3): no reply on it; anything new as usual."""
    context.add(
        Outcome.ALLOW_WITH_CONDITIONS,
        spec,
        f"do not reply on the closed matter ({spec.matter}); deal with anything new as usual",
        f"the matter of {spec.matter} is closed, as our letter to you explains; I can help with anything new",
    )


def _topics(context: _Context, spec: TopicsLimited) -> None:
    """Correspondence limited to topics or a number of issues (003 7.4, 10.2(g))."""
    parts = []
    if spec.topics:
        parts.append(f"deal only with {_listing(list(spec.topics), 'and')}")
    if spec.max_issues is not None:
        issue = "issue" if spec.max_issues == 1 else "issues"
        parts.append(f"at most {spec.max_issues} {issue} a {spec.per} are considered")
    context.add(Outcome.ALLOW_WITH_CONDITIONS, spec, ", and ".join(parts))


def _no_staff_details(context: _Context, spec: NoStaffDetails) -> None:
    """No staff names or direct contact details (000/001 §23.2; 003 7.4)."""
    context.add(Outcome.ALLOW_WITH_CONDITIONS, spec, "do not give staff names or direct contact details")


def _behaviour_contract(context: _Context, spec: BehaviourContract) -> None:
    # An agreement between the customer and whoever decided: nothing to apply at the desk.
    return


_RULES: dict[type[MeasureSpec], Callable[[_Context, Any], None]] = {
    AllowedChannels: _allowed_channels,
    PremisesBan: _premises,
    CallTimes: _call_times,
    VolumeLimit: _volume,
    AutomatedLine: _automated_line,
    ThirdPartyOnly: _third_party,
    MonitoredMailbox: _mailbox,
    SinglePointOfContact: _single_point,
    WitnessRequired: _witness,
    ReadAndFile: _read_and_file,
    MatterClosed: _matter_closed,
    TopicsLimited: _topics,
    NoStaffDetails: _no_staff_details,
    BehaviourContract: _behaviour_contract,
}
assert {cls.type for cls in _RULES} == set(MeasureType), "every measure type needs a rule"


def _concerns(spec: MeasureSpec, channel: Channel) -> bool:
    """Whether the desk taking a contact on `channel` is shown this measure at all."""
    if isinstance(spec, BehaviourContract):
        return False
    if isinstance(spec, CallTimes | AutomatedLine):
        return channel == Channel.PHONE
    if isinstance(spec, MonitoredMailbox):
        return channel == Channel.EMAIL
    if isinstance(spec, ReadAndFile):
        return channel in spec.channels
    if isinstance(spec, WitnessRequired):
        return channel in _FACE_TO_FACE
    if isinstance(spec, PremisesBan):
        return channel in _FACE_TO_FACE
    if isinstance(spec, VolumeLimit):
        return spec.channel is None or spec.channel == channel
    return True


def _applied(measure: ActiveMeasure, today: dt.date) -> AppliedMeasure:
    until = measure.ends_on - dt.timedelta(days=1) if measure.ends_on else None
    return AppliedMeasure(measure.spec.type.value, _summary(measure.spec, today), until)


# Specs are frozen dataclasses, and a council's restrictions share a few shapes: their words and
# sort keys are worked out once per process (and day), not at every check.
@functools.lru_cache(maxsize=4096)
def _summary(spec: MeasureSpec, today: dt.date) -> str:
    return marker_text([Active(spec)], today)


# ---------------------------------------------------------------------------------------------
# Words
# ---------------------------------------------------------------------------------------------


def _window(spec: CallTimes) -> str:
    if len(spec.days) == 7:
        days = "on any day"
    else:
        days = "on " + _listing([f"{DAY_NAMES[d]}s" for d in spec.days], "and")
    tail = " the next morning" if spec.crosses_midnight else ""
    return f"{days} between {spec.start:%H:%M} and {spec.end:%H:%M}{tail}"


def _next_window(spec: CallTimes, context: _Context) -> str:
    """When the next window opens, in words ("today at 10:00", "Tuesday 9 June at 10:00")."""
    for ahead in range(_LOOK_AHEAD_DAYS + 1):
        day = context.today + dt.timedelta(days=ahead)
        if DAYS[day.weekday()] not in spec.days or is_closed(context.calendar, day):
            continue
        opens = dt.datetime.combine(day, spec.start, tzinfo=LONDON)
        if opens <= context.at:
            continue
        if ahead == 0:
            return f"today at {spec.start:%H:%M}"
        if ahead == 1:
            return f"tomorrow at {spec.start:%H:%M}"
        return f"{DAY_NAMES[DAYS[day.weekday()]]} {day.day} {day:%B} at {spec.start:%H:%M}"
    return ""


def _next_period(per: str, today: dt.date) -> str:
    if per == "day":
        return "tomorrow"
    if per == "week":
        monday = today + dt.timedelta(days=7 - today.weekday())
        return f"Monday {monday.day} {monday:%B}"
    first = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return f"{first.day} {first:%B}"


def _minutes(n: int) -> str:
    return "1 minute" if n == 1 else f"{n} minutes"


def _listing(items: list[str], word: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def _sentence(parts: Iterable[str]) -> str:
    unique = list(dict.fromkeys(p for p in parts if p))
    if not unique:
        return ""
    text = "; ".join(unique)
    return text[:1].upper() + text[1:] + "."


@functools.lru_cache(maxsize=4096)
def _key(spec: MeasureSpec) -> str:
    return json.dumps(spec.to_json(), sort_keys=True, default=str)
