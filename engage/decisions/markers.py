"""The marker: what frontline staff need to apply a customer's active measures, in one or two sentences.

Pure Python over measure specs (`measures.py`), never typed by hand (DESIGN glossary "Marker"). It
says only how to handle contact now: never why, never the history, the behaviour categories or any
incident's account, which it is never given. The first sentence says how the customer may contact
us; the second what staff must or must not do. The same measures give the same words whatever
order they come in, so the marker only changes when a measure does.

English only for now; Welsh (004, Welsh Language Standards) follows when letters add it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

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

__all__ = ["Active", "marker_text"]

_BY = {
    Channel.PHONE: "phone",
    Channel.EMAIL: "email",
    Channel.LETTER: "letter",
    Channel.IN_PERSON: "in person",
    Channel.SOCIAL_MEDIA: "social media",
    Channel.ONLINE_FORM: "the online form",
    Channel.EVENT: "at events",
}
_NO = {
    Channel.PHONE: "phone calls",
    Channel.EMAIL: "emails",
    Channel.LETTER: "letters",
    Channel.IN_PERSON: "contact in person",
    Channel.SOCIAL_MEDIA: "contact on social media",
    Channel.ONLINE_FORM: "contact through the online form",
    Channel.EVENT: "contact at events",
}
_CONTACTS = {
    None: ("contact", "contacts"),
    Channel.PHONE: ("call", "calls"),
    Channel.EMAIL: ("email", "emails"),
    Channel.LETTER: ("letter", "letters"),
    Channel.IN_PERSON: ("visit", "visits"),
    Channel.SOCIAL_MEDIA: ("message on social media", "messages on social media"),
    Channel.ONLINE_FORM: ("online form", "online forms"),
    Channel.EVENT: ("contact at events", "contacts at events"),
}
# The order things are said in: how to reach us first (channel, when, through whom), then limits.
_ORDER = (
    MeasureType.ALLOWED_CHANNELS,
    MeasureType.CALL_TIMES,
    MeasureType.AUTOMATED_LINE,
    MeasureType.SINGLE_POINT_OF_CONTACT,
    MeasureType.THIRD_PARTY_ONLY,
    MeasureType.MONITORED_MAILBOX,
    MeasureType.VOLUME_LIMIT,
    MeasureType.WITNESS_REQUIRED,
    MeasureType.PREMISES_BAN,
    MeasureType.NO_STAFF_DETAILS,
    MeasureType.MATTER_CLOSED,
    MeasureType.READ_AND_FILE,
    MeasureType.TOPICS_LIMITED,
    MeasureType.BEHAVIOUR_CONTRACT,
)
assert set(_ORDER) == set(MeasureType)
# A measure ending this soon says so: staff on the phone should know a one-day restriction is
# for today only. Longer ones do not: their end date is not something to act on at the desk.
_SAY_END_WITHIN = dt.timedelta(days=7)


@dataclass(frozen=True)
class Active:
    """A measure in force: its spec, and the first day it no longer applies (None: open-ended)."""

    spec: MeasureSpec
    ends_on: dt.date | None = None


def marker_text(measures: Iterable[Active | MeasureSpec], today: dt.date) -> str:
    """One or two plain sentences for frontline staff, or "" when no measure is active."""
    active = [m if isinstance(m, Active) else Active(m) for m in measures]
    if not active:
        return ""
    order = {t: i for i, t in enumerate(_ORDER)}
    # A canonical order (type, then parameters, then end) makes the words order-independent.
    active.sort(key=lambda a: (order[a.spec.type], _key(a.spec), a.ends_on or dt.date.max))
    how: list[str] = []
    do: list[str] = []

    channels = [a for a in active if isinstance(a.spec, AllowedChannels)]
    if channels:
        how.append(_allowed(channels, today))
    for a in active:
        spec, until = a.spec, _until(a.ends_on, today)
        if isinstance(spec, SinglePointOfContact):
            deputy = f" (when away: {spec.deputy_name or 'the deputy'})" if spec.deputy else ""
            how.append(f"all contact with {spec.officer_name or 'the named officer'}{deputy}{until}")
        elif isinstance(spec, CallTimes):
            longest = f", at most {_minutes(spec.max_minutes)} a call" if spec.max_minutes else ""
            how.append(f"phone calls only {_days(spec.days)}, {_clock(spec)}{longest}{until}")
        elif isinstance(spec, VolumeLimit):
            one, many = _CONTACTS[spec.channel]
            noun = one if spec.max_contacts == 1 else many
            how.append(f"at most {spec.max_contacts} {noun} a {spec.per}{until}")
        elif isinstance(spec, ThirdPartyOnly):
            how.append(f"contact only through {spec.third_party}{until}")
        elif isinstance(spec, AutomatedLine):
            how.append(f"calls go to the automated line ({spec.line}){until}")
        elif isinstance(spec, WitnessRequired):
            who = f" ({spec.witness})" if spec.witness else ""
            how.append(f"meet in person only with a witness present{who}{until}")
        elif isinstance(spec, PremisesBan):
            where = "any of our premises" if spec.all_premises else _listing(list(spec.premises), "or")
            how.append(f"not allowed into {where}{until}")
        elif isinstance(spec, MonitoredMailbox):
            how.append(f"emails go to the monitored mailbox {spec.mailbox}{until}")
        elif isinstance(spec, NoStaffDetails):
            do.append(f"do not give staff names or direct contact details{until}")
        elif isinstance(spec, MatterClosed):
            do.append(f"do not reply on the closed matter ({spec.matter}){until}")
        elif isinstance(spec, ReadAndFile):
            what = _listing([f"{_NO[c]}" for c in spec.channels], "and")
            do.append(f"read {what} for new issues, then file them without reply{until}")
        elif isinstance(spec, TopicsLimited):
            do.append(_topics(spec) + until)
        elif isinstance(spec, BehaviourContract):
            do.append(f"a behaviour contract applies{until}")
    sentences = [_sentence(how), _sentence(do)]
    return " ".join(s for s in sentences if s)


def _key(spec: MeasureSpec) -> str:
    return json.dumps(spec.to_json(), sort_keys=True, default=str)


def _allowed(channels: list[Active], today: dt.date) -> str:
    allowed = set(Channel)
    for a in channels:
        assert isinstance(a.spec, AllowedChannels)
        allowed &= set(a.spec.channels)
    ends = [a.ends_on for a in channels if a.ends_on is not None]
    # Several limits together last until the first of them ends, as far as the desk is concerned.
    until = _until(min(ends), today) if len(ends) == len(channels) else ""
    if not allowed:
        return f"no contact by any means{until}"
    barred = [c for c in Channel if c not in allowed]
    if len(barred) < len(allowed):
        return f"no {_listing([_NO[c] for c in barred], 'or')}{until}"
    return f"contact only by {_listing([_BY[c] for c in Channel if c in allowed], 'or')}{until}"


def _until(ends_on: dt.date | None, today: dt.date) -> str:
    if ends_on is None or ends_on - today > _SAY_END_WITHIN:
        return ""
    last = ends_on - dt.timedelta(days=1)
    if last <= today:
        return " today"
    return f" until the end of {DAY_NAMES[DAYS[last.weekday()]]} {last.day} {last:%B}"


def _days(days: tuple[str, ...]) -> str:
    if len(days) == 7:
        return "on any day"
    indexes = [DAYS.index(d) for d in days]
    if len(indexes) >= 3 and indexes == list(range(indexes[0], indexes[-1] + 1)):
        return f"{DAY_NAMES[days[0]]} to {DAY_NAMES[days[-1]]}"
    return "on " + _listing([f"{DAY_NAMES[d]}s" for d in days], "and")


def _clock(spec: CallTimes) -> str:
    end = spec.end.strftime("%H:%M")
    tail = " (the next day)" if spec.crosses_midnight else ""
    return f"{spec.start:%H:%M}–{end}{tail}"


def _minutes(n: int) -> str:
    return "1 minute" if n == 1 else f"{n} minutes"


def _topics(spec: TopicsLimited) -> str:
    parts = []
    if spec.topics:
        parts.append(f"correspond only about {_listing(list(spec.topics), 'and')}")
    if spec.max_issues is not None:
        issue = "issue" if spec.max_issues == 1 else "issues"
        parts.append(f"consider at most {spec.max_issues} {issue} a {spec.per}")
    return ", and ".join(parts)


def _listing(items: list[str], word: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def _sentence(parts: list[str]) -> str:
    # Equal parts said twice (two identical measures on two decisions) are said once.
    parts = list(dict.fromkeys(parts))
    if not parts:
        return ""
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."
