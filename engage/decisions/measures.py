"""Restriction measures as typed parameters: one spec per measure type, validated in plain words.

Pure Python (no Django): a measure's parameters are stored as JSON on `Measure.params`; `parse`
turns that JSON (or a form's cleaned data) into the spec for its type, or raises `MeasureInvalid`
with one plain message per field ("call_times" -> "Enter the time calls may start, like 10:00").
The contact check, the marker and the decision pages all read measures through these specs.

The measures are those of 000/001 23, 002 7.2, 003 7.4 and 10.2 (a)-(i), and 004 "Formal
decision to manage contact"; which of them an organisation's deciders may impose is the preset's
business (`engine.may_impose`), not this module's.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from engage.policy.vocabulary import Channel, MeasureType

__all__ = [
    "DAYS",
    "AllowedChannels",
    "AutomatedLine",
    "BehaviourContract",
    "CallTimes",
    "MatterClosed",
    "MeasureInvalid",
    "MeasureSpec",
    "MonitoredMailbox",
    "NoStaffDetails",
    "PremisesBan",
    "ReadAndFile",
    "SinglePointOfContact",
    "ThirdPartyOnly",
    "TopicsLimited",
    "VolumeLimit",
    "WitnessRequired",
    "channels_concerned",
    "parse",
    "remaining_channels",
    "spec_class",
]

# Monday first, as a week is written in the UK.
DAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}
PERIODS = ("day", "week", "month")
ALL_CHANNELS: frozenset[str] = frozenset(c.value for c in Channel)
# Correspondence that can be read and filed (003 10.2(h), 004 "read to ensure no new issues").
WRITTEN_CHANNELS: frozenset[str] = frozenset({Channel.EMAIL.value, Channel.LETTER.value})
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_MAX_TEXT = 200


class MeasureInvalid(ValueError):
    """A measure's parameters are wrong: `errors` maps each field to one plain sentence."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.errors.items()))


class MeasureSpec:
    """Base of every spec: its measure type, how to build it from JSON, and how to store it."""

    type: ClassVar[MeasureType]

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> MeasureSpec:  # pragma: no cover - abstract
        raise NotImplementedError

    def to_json(self) -> dict[str, Any]:  # pragma: no cover - abstract
        raise NotImplementedError


# ---------------------------------------------------------------------------------------------
# Reading raw values: each reader adds a plain message to `errors` and returns a safe default.
# ---------------------------------------------------------------------------------------------


def _text(
    raw: Mapping[str, Any], key: str, errors: dict[str, str], message: str, required: bool = True
) -> str:
    value = raw.get(key)
    text = "" if value is None else str(value).strip()
    if required and not text:
        errors[key] = message
    elif len(text) > _MAX_TEXT:
        errors[key] = f"{message.removeprefix('Enter ').capitalize()} must be {_MAX_TEXT} characters or fewer"
    return text


def _texts(raw: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = raw.get(key) or ()
    if isinstance(value, str):
        value = value.splitlines()
    # Order kept as given but duplicates dropped: "Mold library" twice is one premises.
    return tuple(dict.fromkeys(str(v).strip() for v in value if str(v).strip()))


def _int(
    raw: Mapping[str, Any],
    key: str,
    errors: dict[str, str],
    message: str,
    low: int,
    high: int,
    required: bool,
) -> int | None:
    value = raw.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors[key] = message
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[key] = f"{message.removeprefix('Enter ').capitalize()} must be a whole number"
        return None
    if isinstance(value, bool) or not low <= number <= high:
        errors[key] = f"{message.removeprefix('Enter ').capitalize()} must be between {low} and {high}"
        return None
    return number


def _time(raw: Mapping[str, Any], key: str, errors: dict[str, str], what: str) -> dt.time | None:
    value = raw.get(key)
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0)
    text = "" if value is None else str(value).strip()
    if not text:
        errors[key] = f"Enter the time calls may {what}, like 10:00"
        return None
    match = _TIME.match(text)
    if match is None:
        errors[key] = f"Enter the time calls may {what} as hours and minutes on the 24-hour clock, like 14:30"
        return None
    return dt.time(int(match.group(1)), int(match.group(2)))


def _channels(raw: Mapping[str, Any], key: str, errors: dict[str, str], message: str) -> tuple[Channel, ...]:
    value = raw.get(key) or ()
    if isinstance(value, str):
        value = [value]
    unknown = [v for v in value if str(v) not in ALL_CHANNELS]
    if unknown:
        errors[key] = f"'{unknown[0]}' is not a way of contacting us that Engage knows"
        return ()
    chosen = {Channel(str(v)) for v in value}
    if not chosen:
        errors[key] = message
    return tuple(c for c in Channel if c in chosen)  # the vocabulary's order, whatever was given


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise MeasureInvalid(errors)


# ---------------------------------------------------------------------------------------------
# The specs, in the order of MeasureType
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AllowedChannels(MeasureSpec):
    """Contact only in these forms (003 10.2(a); 004 "Limiting contact to a particular form")."""

    type: ClassVar[MeasureType] = MeasureType.ALLOWED_CHANNELS
    channels: tuple[Channel, ...]

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> AllowedChannels:
        errors: dict[str, str] = {}
        channels = _channels(
            raw, "channels", errors, "Select at least one way the customer may still contact us"
        )
        if not errors and set(channels) == set(Channel):
            errors["channels"] = "Leave out at least one way of contacting us, or this restricts nothing"
        _raise(errors)
        return cls(channels)

    def to_json(self) -> dict[str, Any]:
        return {"channels": [c.value for c in self.channels]}


@dataclass(frozen=True)
class SinglePointOfContact(MeasureSpec):
    """One named officer, with a deputy for absence (003 10.2(b); 004 "a single point of contact").

    The people are staff ids; their names are kept as they were when the decision was made, so the
    marker can say who without a lookup, and a later change of name does not rewrite history.
    """

    type: ClassVar[MeasureType] = MeasureType.SINGLE_POINT_OF_CONTACT
    officer: int
    officer_name: str
    deputy: int | None = None
    deputy_name: str = ""

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> SinglePointOfContact:
        errors: dict[str, str] = {}
        officer = _int(raw, "officer", errors, "Select the named officer", 1, 2**62, required=True)
        deputy = _int(raw, "deputy", errors, "Select the deputy", 1, 2**62, required=False)
        officer_name = str(raw.get("officer_name") or "").strip()
        deputy_name = str(raw.get("deputy_name") or "").strip()
        if officer is not None and deputy is not None and officer == deputy:
            errors["deputy"] = "The deputy must be someone other than the named officer"
        _raise(errors)
        assert officer is not None
        return cls(officer, officer_name, deputy, deputy_name if deputy is not None else "")

    def to_json(self) -> dict[str, Any]:
        return {
            "officer": self.officer,
            "officer_name": self.officer_name,
            "deputy": self.deputy,
            "deputy_name": self.deputy_name,
        }


@dataclass(frozen=True)
class CallTimes(MeasureSpec):
    """Calls only on these days, between these local times, for at most so long (003 10.2(c);
    004 "Limiting telephone calls to specific days and/or times").

    A window whose end is earlier than its start crosses midnight: "Fri 22:00-02:00" allows a call
    at 01:00 on Saturday, because the window opened on Friday.
    """

    type: ClassVar[MeasureType] = MeasureType.CALL_TIMES
    days: tuple[str, ...]
    start: dt.time
    end: dt.time
    max_minutes: int | None = None

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> CallTimes:
        errors: dict[str, str] = {}
        days_raw = raw.get("days") or ()
        if isinstance(days_raw, str):
            days_raw = [days_raw]
        unknown = [d for d in days_raw if d not in DAYS]
        if unknown:
            errors["days"] = f"'{unknown[0]}' is not a day of the week"
        elif not days_raw:
            errors["days"] = "Select at least one day on which calls are allowed"
        start = _time(raw, "start", errors, "start")
        end = _time(raw, "end", errors, "end")
        if start is not None and end is not None and start == end:
            errors["end"] = "The time calls must end must be different from the time they may start"
        max_minutes = _int(
            raw,
            "max_minutes",
            errors,
            "Enter the longest a call may last, in minutes",
            1,
            24 * 60,
            required=False,
        )
        _raise(errors)
        assert start is not None
        assert end is not None
        return cls(tuple(d for d in DAYS if d in set(days_raw)), start, end, max_minutes)

    def to_json(self) -> dict[str, Any]:
        return {
            "days": list(self.days),
            "start": self.start.strftime("%H:%M"),
            "end": self.end.strftime("%H:%M"),
            "max_minutes": self.max_minutes,
        }

    @property
    def crosses_midnight(self) -> bool:
        return self.end < self.start

    def allows(self, at: dt.datetime) -> bool:
        """Whether a call at local time `at` falls in a window (the end itself is outside)."""
        t = at.time()
        day = DAYS[at.weekday()]
        if not self.crosses_midnight:
            return day in self.days and self.start <= t < self.end
        previous = DAYS[(at.weekday() - 1) % 7]
        return (day in self.days and t >= self.start) or (previous in self.days and t < self.end)


@dataclass(frozen=True)
class VolumeLimit(MeasureSpec):
    """At most so many contacts a day, week or month, on one channel or all (003 7.4, 10.2(g))."""

    type: ClassVar[MeasureType] = MeasureType.VOLUME_LIMIT
    max_contacts: int
    per: str
    channel: Channel | None = None

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> VolumeLimit:
        errors: dict[str, str] = {}
        most = _int(raw, "max_contacts", errors, "Enter the most contacts allowed", 1, 1000, required=True)
        per = str(raw.get("per") or "").strip()
        if per not in PERIODS:
            errors["per"] = "Select whether the limit is per day, week or month"
        channel_raw = raw.get("channel") or None
        channel = None
        if channel_raw is not None:
            if str(channel_raw) not in ALL_CHANNELS:
                errors["channel"] = f"'{channel_raw}' is not a way of contacting us that Engage knows"
            else:
                channel = Channel(str(channel_raw))
        _raise(errors)
        assert most is not None
        return cls(most, per, channel)

    def to_json(self) -> dict[str, Any]:
        return {
            "max_contacts": self.max_contacts,
            "per": self.per,
            "channel": self.channel.value if self.channel else None,
        }


@dataclass(frozen=True)
class ThirdPartyOnly(MeasureSpec):
    """Contact only through a named third party such as an advocate (000/001 23.3, 003 7.4)."""

    type: ClassVar[MeasureType] = MeasureType.THIRD_PARTY_ONLY
    third_party: str

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> ThirdPartyOnly:
        errors: dict[str, str] = {}
        name = _text(
            raw, "third_party", errors, "Enter who contact goes through, like the customer's advocate"
        )
        _raise(errors)
        return cls(name)

    def to_json(self) -> dict[str, Any]:
        return {"third_party": self.third_party}


@dataclass(frozen=True)
class AutomatedLine(MeasureSpec):
    """Phone calls directed to an automated service (000/001 23.4, 003 7.4)."""

    type: ClassVar[MeasureType] = MeasureType.AUTOMATED_LINE
    line: str

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> AutomatedLine:
        errors: dict[str, str] = {}
        line = _text(raw, "line", errors, "Enter which automated line calls go to")
        _raise(errors)
        return cls(line)

    def to_json(self) -> dict[str, Any]:
        return {"line": self.line}


@dataclass(frozen=True)
class WitnessRequired(MeasureSpec):
    """Personal contact only with an appropriate witness present (003 10.2(d))."""

    type: ClassVar[MeasureType] = MeasureType.WITNESS_REQUIRED
    witness: str = ""

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> WitnessRequired:
        errors: dict[str, str] = {}
        witness = _text(raw, "witness", errors, "Enter who should be the witness", required=False)
        _raise(errors)
        return cls(witness)

    def to_json(self) -> dict[str, Any]:
        return {"witness": self.witness}


@dataclass(frozen=True)
class PremisesBan(MeasureSpec):
    """Banned from the named premises, or from all of them (003 10.2(f))."""

    type: ClassVar[MeasureType] = MeasureType.PREMISES_BAN
    premises: tuple[str, ...] = ()
    all_premises: bool = False

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> PremisesBan:
        errors: dict[str, str] = {}
        every = bool(raw.get("all_premises"))
        premises = () if every else _texts(raw, "premises")
        if not every and not premises:
            errors["premises"] = "Enter which premises the customer may not enter, one on each line"
        elif any(len(p) > _MAX_TEXT for p in premises):
            errors["premises"] = f"Each premises must be {_MAX_TEXT} characters or fewer"
        _raise(errors)
        return cls(premises, every)

    def to_json(self) -> dict[str, Any]:
        return {"premises": list(self.premises), "all_premises": self.all_premises}


@dataclass(frozen=True)
class TopicsLimited(MeasureSpec):
    """Correspondence limited to these topics and/or so many issues in a period (003 7.4, 10.2(g))."""

    type: ClassVar[MeasureType] = MeasureType.TOPICS_LIMITED
    topics: tuple[str, ...] = ()
    max_issues: int | None = None
    per: str = ""

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> TopicsLimited:
        errors: dict[str, str] = {}
        topics = _texts(raw, "topics")
        most = _int(raw, "max_issues", errors, "Enter the most issues considered", 1, 100, required=False)
        per = str(raw.get("per") or "").strip()
        if most is not None and per not in PERIODS:
            errors["per"] = "Select whether the number of issues is per day, week or month"
        if not topics and most is None and "max_issues" not in errors:
            errors["topics"] = (
                "Enter the topics we will correspond on, or the most issues considered in a period"
            )
        _raise(errors)
        return cls(topics, most, per if most is not None else "")

    def to_json(self) -> dict[str, Any]:
        return {"topics": list(self.topics), "max_issues": self.max_issues, "per": self.per}


@dataclass(frozen=True)
class MatterClosed(MeasureSpec):
    """The matter is closed: no further reply or acknowledgement on it (003 10.2(e), 11.3)."""

    type: ClassVar[MeasureType] = MeasureType.MATTER_CLOSED
    matter: str

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> MatterClosed:
        errors: dict[str, str] = {}
        matter = _text(raw, "matter", errors, "Enter which matter is closed, in a few words")
        _raise(errors)
        return cls(matter)

    def to_json(self) -> dict[str, Any]:
        return {"matter": self.matter}


@dataclass(frozen=True)
class ReadAndFile(MeasureSpec):
    """Correspondence read for new issues, then filed without acknowledgement (004 "Formal decision
    to manage contact"; 003 10.2(h)). It is still read: a new issue gets an answer."""

    type: ClassVar[MeasureType] = MeasureType.READ_AND_FILE
    channels: tuple[Channel, ...] = (Channel.EMAIL, Channel.LETTER)

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> ReadAndFile:
        errors: dict[str, str] = {}
        channels = _channels(
            raw, "channels", errors, "Select whether emails, letters or both are read and filed"
        )
        if not errors and not set(channels) <= WRITTEN_CHANNELS:
            errors["channels"] = "Only emails and letters can be read and filed"
        _raise(errors)
        return cls(channels)

    def to_json(self) -> dict[str, Any]:
        return {"channels": [c.value for c in self.channels]}


@dataclass(frozen=True)
class MonitoredMailbox(MeasureSpec):
    """Emails go to a separate, monitored mailbox (003 10.2(i))."""

    type: ClassVar[MeasureType] = MeasureType.MONITORED_MAILBOX
    mailbox: str

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> MonitoredMailbox:
        errors: dict[str, str] = {}
        mailbox = _text(raw, "mailbox", errors, "Enter the monitored mailbox's email address")
        if mailbox and "mailbox" not in errors and not _EMAIL.match(mailbox):
            errors["mailbox"] = (
                "Enter the mailbox's email address in the correct format, like name@example.org"
            )
        _raise(errors)
        return cls(mailbox.lower())

    def to_json(self) -> dict[str, Any]:
        return {"mailbox": self.mailbox}


@dataclass(frozen=True)
class NoStaffDetails(MeasureSpec):
    """No staff names or direct contact details given (000/001 23.2, 003 7.4)."""

    type: ClassVar[MeasureType] = MeasureType.NO_STAFF_DETAILS

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> NoStaffDetails:
        return cls()

    def to_json(self) -> dict[str, Any]:
        return {}


@dataclass(frozen=True)
class BehaviourContract(MeasureSpec):
    """An agreed behaviour contract, signed by the customer (004 "Formal decision to manage
    contact"). Not yet signed is allowed: the contract may be agreed after the decision."""

    type: ClassVar[MeasureType] = MeasureType.BEHAVIOUR_CONTRACT
    signed_on: dt.date | None = None

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> BehaviourContract:
        errors: dict[str, str] = {}
        value = raw.get("signed_on")
        signed: dt.date | None = None
        if isinstance(value, dt.date):
            signed = value
        elif value:
            try:
                signed = dt.date.fromisoformat(str(value))
            except ValueError:
                errors["signed_on"] = "The date the contract was signed must be a real date"
        _raise(errors)
        return cls(signed)

    def to_json(self) -> dict[str, Any]:
        return {"signed_on": self.signed_on.isoformat() if self.signed_on else None}


_SPECS: dict[MeasureType, type[MeasureSpec]] = {
    cls.type: cls
    for cls in (
        AllowedChannels,
        SinglePointOfContact,
        CallTimes,
        VolumeLimit,
        ThirdPartyOnly,
        AutomatedLine,
        WitnessRequired,
        PremisesBan,
        TopicsLimited,
        MatterClosed,
        ReadAndFile,
        MonitoredMailbox,
        NoStaffDetails,
        BehaviourContract,
    )
}
assert set(_SPECS) == set(MeasureType), "every measure type needs a spec"


def spec_class(measure: MeasureType | str) -> type[MeasureSpec]:
    return _SPECS[MeasureType(measure)]


def parse(measure: MeasureType | str, raw: Mapping[str, Any]) -> MeasureSpec:
    """The spec for `measure` from stored JSON or form data; raises MeasureInvalid by field."""
    return spec_class(measure).from_json(raw)


# ---------------------------------------------------------------------------------------------
# What measures leave open, and whom they concern
# ---------------------------------------------------------------------------------------------


def remaining_channels(measures: Iterable[MeasureSpec]) -> frozenset[str]:
    """The ways the customer may still reach the organisation under all these measures together.

    Only a limit to certain channels removes any (several such limits leave what they have in
    common), and a ban from all premises removes contact in person and at events. Everything else
    shapes how a channel is used (times, a named officer, a third party, an automated line, a
    monitored mailbox, reading and filing) but leaves it open: the customer can still be heard
    there (004 "at least one line of contact will remain available").
    """
    left = set(ALL_CHANNELS)
    for spec in measures:
        if isinstance(spec, AllowedChannels):
            left &= {c.value for c in spec.channels}
        elif isinstance(spec, PremisesBan) and spec.all_premises:
            left -= {Channel.IN_PERSON.value, Channel.EVENT.value}
    return frozenset(left)


def channels_concerned(spec: MeasureSpec) -> frozenset[str]:
    """The channels whose staff must know of this measure (for the preset's sharing rules).

    A measure about how the customer may contact us at all concerns everyone in contact; one about
    calls concerns the phones; about emails, the mailboxes; about premises, those at the desks.
    """
    if isinstance(spec, CallTimes | AutomatedLine):
        return frozenset({Channel.PHONE.value})
    if isinstance(spec, MonitoredMailbox):
        return frozenset({Channel.EMAIL.value})
    if isinstance(spec, ReadAndFile):
        return frozenset(c.value for c in spec.channels)
    if isinstance(spec, PremisesBan | WitnessRequired):
        return frozenset({Channel.IN_PERSON.value, Channel.EVENT.value})
    if isinstance(spec, VolumeLimit) and spec.channel is not None:
        return frozenset({spec.channel.value})
    if isinstance(spec, BehaviourContract):
        return frozenset()
    return ALL_CHANNELS
