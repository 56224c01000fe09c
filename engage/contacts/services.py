"""The contact check (the hot path), recording contact events one at a time, and closing
levels-of-contact flags.

`contact_check` is one SELECT (`lookup.lookup`), the pure rules (`rules.decide`) and one INSERT
(the `ContactCheck` row), plus the audit record when a person checks from a page. Everything
else it might need (the calendar for call times, counts for volume limits) is read only when a
measure asks for it, which is rare.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from rapidfuzz import fuzz

from engage.audit.services import audit_record
from engage.contacts import journal as check_journal
from engage.contacts import lookup as contact_lookup
from engage.contacts import rules
from engage.contacts.models import ContactCheck, ContactLevelSettings, LevelsFlag, uuid7
from engage.contacts.sql import execute, vendor
from engage.customers import identifiers
from engage.customers.identifiers import Kind
from engage.customers.selectors import NAME_SEARCH_THRESHOLD
from engage.decisions import measures as measure_specs
from engage.organisations.models import Organisation
from engage.policy.services import calendar_for
from engage.policy.vocabulary import Capability, Channel, MeasureType
from engage.policy.working_days import WorkingCalendar

__all__ = ["CheckResult", "contact_check", "contact_event_record", "levels_flag_close", "parse_identifier"]

IDENTIFIER_MESSAGE = (
    "Enter a phone number, email address, social media handle, reference, or a name and postcode"
)
CHANNEL_MESSAGE = "Select how they are contacting us"
NAME_NEEDS_POSTCODE = "To check someone by name, add their postcode after it, like Siôn Jones CH7 6NF"
POSTCODE_NEEDS_NAME = "Add the customer's name before the postcode, like Siôn Jones CH7 6NF"
# UK numbers as people type them: 0 or +44, then a ten-digit national number (spaces, hyphens and
# brackets allowed). Anything else goes through `identifiers.normalise_phone`.
_PHONE_NOISE = re.compile(r"[\s\-()]")
_UK_PHONE = re.compile(r"^(?:\+44|0)([1-9]\d{9})$")


@dataclass(frozen=True)
class Parsed:
    """What the search box held: the kind and normalised value to look up, and for a name and
    postcode, the name to narrow the people at that postcode to."""

    kind: str
    value: str
    name: str = ""
    # A phone-like text that is no valid number: tried as a reference, else the phone message.
    phone_problem: str = ""


@dataclass(frozen=True)
class CheckResult:
    check_id: uuid.UUID
    at: dt.datetime
    answer: rules.Answer
    # The customer the answer is for, or None when nobody was found; and how many were found.
    customer: contact_lookup.Found | None
    matches: int

    @property
    def decision(self) -> rules.Outcome:
        return self.answer.decision


def parse_identifier(raw: str) -> Parsed:
    """The search box's text as something to look up; ValidationError on "identifier" naming the
    problem. Phone numbers in the usual UK shapes skip libphonenumber (0.1 ms a number): their
    E.164 form is "+44" and the ten national digits, exactly what `normalise_phone` stores."""
    text = raw.strip()
    if not text:
        raise ValidationError({"identifier": IDENTIFIER_MESSAGE})
    kind = identifiers.guess_kind(text)
    if kind == Kind.PHONE:
        fast = _UK_PHONE.match(_PHONE_NOISE.sub("", text))
        if fast:
            return Parsed(Kind.PHONE, "+44" + fast.group(1))
        try:
            return Parsed(Kind.PHONE, identifiers.normalise_phone(text))
        except ValueError as exc:
            return Parsed(Kind.REFERENCE, identifiers.normalise_reference(text), phone_problem=str(exc))
    if kind == identifiers.NAME:
        split = identifiers.split_name_and_postcode(text)
        if split is None:
            raise ValidationError({"identifier": NAME_NEEDS_POSTCODE})
        name, postcode = split
        return Parsed(Kind.POSTCODE, postcode, name=name)
    if kind == Kind.POSTCODE:
        raise ValidationError({"identifier": POSTCODE_NEEDS_NAME})
    try:
        return Parsed(kind, identifiers.normalise(kind, text))
    except ValueError as exc:
        raise ValidationError({"identifier": str(exc)}) from exc


def contact_check(
    *,
    actor: Any,
    identifier: str,
    channel: Channel | str,
    organisation_id: int | None = None,
    at: dt.datetime | None = None,
    via_representative: bool = False,
    label: str = "",
    audit: bool = True,
    journal: bool = False,
) -> CheckResult:
    """Check a contact: what may the person at the desk do, and what do they say?

    `actor` is the member of staff checking (their organisation's customers are searched), or
    None for a service account, which then names `organisation_id` and a `label` (e.g. "API token:
    telephony"). Every check is recorded as a `ContactCheck`; a person's check is also in the
    audit log unless `audit` is False (an integration checking every call records the check row
    only). With `journal` (and no audit record), the row may be written within a quarter of a
    second, together with others: `engage.contacts.journal` says what that trades. Raises
    ValidationError by field ("identifier", "channel") for what cannot be checked.
    """
    if actor is not None:
        organisation_id = getattr(actor, "organisation_id", None)
        if organisation_id is None:
            raise PermissionDenied("Only staff of an organisation can check a contact.")
        label = label or str(actor)
    elif organisation_id is None or not label:
        raise ValueError("a check without a person needs organisation_id and label")
    answered = contact_answer(
        organisation_id=organisation_id,
        identifier=identifier,
        channel=channel,
        at=at or timezone.now(),
        via_representative=via_representative,
    )
    answer, customer, chosen, when = answered.answer, answered.customer, answered.channel, answered.at
    check_id = uuid7()
    # Recorded as a representative's contact when the caller said so, or when the identifier was
    # only a representative's (lookup.Found.via_representative).
    representative = via_representative or (customer is not None and customer.via_representative)
    row = _check_row(check_id, organisation_id, when, actor, label, chosen, representative, customer, answer)
    if actor is not None and audit:
        with transaction.atomic():
            insert_checks([row])
            audit_record(
                actor=actor,
                action="contact.check",
                detail={
                    "check": str(check_id),
                    "channel": chosen.value,
                    "decision": answer.decision.value,
                    "customer": customer.reference if customer else None,
                },
            )
    elif not (journal and check_journal.journal.add(row)):
        # One statement: atomic by itself, in autocommit.
        insert_checks([row])
    return CheckResult(check_id, when, answer, customer, answered.matches)


@dataclass(frozen=True)
class Answered:
    answer: rules.Answer
    customer: contact_lookup.Found | None
    matches: int
    channel: Channel
    at: dt.datetime


_CHANNELS: dict[str, Channel] = {c.value: c for c in Channel}


def contact_answer(
    *,
    organisation_id: int,
    identifier: str,
    channel: Channel | str,
    at: dt.datetime,
    via_representative: bool = False,
) -> Answered:
    """The check without its record: parse, one SELECT, the rules. `contact_check` records it;
    nothing else should call this except the benchmarks ("the engine alone").

    Someone whose identifier is one of the customer's representatives' is answered as a
    representative calling on the customer's behalf (000/001 §23.3; 003 7.4), as is anyone the
    caller says is acting for the customer (`via_representative`)."""
    try:
        chosen = _CHANNELS.get(channel)  # a dict, not Channel(channel): the enum's call costs more
    except TypeError:  # unhashable, so not a channel
        chosen = None
    if chosen is None:
        raise ValidationError({"channel": CHANNEL_MESSAGE})
    parsed = parse_identifier(identifier)
    found = contact_lookup.lookup(
        organisation_id, parsed.kind, parsed.value, at.astimezone(rules.LONDON).date()
    )
    if parsed.phone_problem and not found:
        raise ValidationError({"identifier": parsed.phone_problem})
    if parsed.name:
        found = _named(found, parsed.name)
    calendar: list[Any] = []  # read at most once, and only for call times
    answers = [
        (_answer(f, chosen, at, via_representative, organisation_id, calendar, parsed.kind), f) for f in found
    ]
    customer: contact_lookup.Found | None = None
    if answers:
        answer, customer = max(answers, key=lambda pair: pair[0].rank)
    else:
        answer = rules.decide([], chosen, at)
    if len(found) > 1 and answer.decision != rules.Outcome.ALLOW and customer is not None:
        answer = dataclasses.replace(
            answer,
            act=f"{answer.act} This matches more than one customer: this answer is for {customer.name}, "
            "so check who you are dealing with.",
        )
    return Answered(answer, customer, len(found), chosen, at)


def _named(found: list[contact_lookup.Found], name: str) -> list[contact_lookup.Found]:
    """Those at the postcode whose name is like the one given (as `customers.selectors` searches)."""
    wanted = identifiers.normalise_name(name)
    scored = []
    for f in found:
        names = [n for n in (f.full_name, f.display_name) if n]
        score = max(fuzz.token_set_ratio(wanted, identifiers.normalise_name(n)) for n in names)
        if score >= NAME_SEARCH_THRESHOLD:
            scored.append(f)
    return scored


def _answer(
    found: contact_lookup.Found,
    channel: Channel,
    at: dt.datetime,
    via_representative: bool,
    organisation_id: int,
    calendar: list[Any],
    kind: str = "",
) -> rules.Answer:
    if not found.measures and not found.requests:
        # Most customers: nothing in force, no staff request. Allow, whoever is calling (and an
        # allow names no representative: rules.for_representative).
        return rules.decide((), channel, at)
    active = [
        rules.ActiveMeasure(contact_lookup.spec_of(m.type, m.params_json), m.starts_on, m.ends_on)
        for m in found.measures
    ]
    types = {m.type for m in found.measures}
    if MeasureType.CALL_TIMES in types and not calendar:
        calendar.append(_calendar(organisation_id))
    volumes = None
    if MeasureType.VOLUME_LIMIT in types:
        volumes = _volumes(found.records, [a.spec for a in active], at)
    answer = rules.decide(
        active,
        channel,
        at,
        calendar=calendar[0] if calendar else None,
        via_representative=via_representative or found.via_representative,
        no_contact=[rules.NoContact(name, request) for name, request in found.requests],
        volumes=volumes,
    )
    if found.via_representative:
        answer = rules.for_representative(answer, kind, found.representatives)
    return answer


# Bank holidays and closure days change a few times a year: each process keeps an organisation's
# calendar for a minute rather than reading it at every check of a customer with call times.
_CALENDAR_SECONDS = 60.0
_calendars: dict[int, tuple[float, WorkingCalendar]] = {}


def _calendar(organisation_id: int) -> WorkingCalendar:
    now = time.monotonic()
    cached = _calendars.get(organisation_id)
    if cached is None or now - cached[0] > _CALENDAR_SECONDS:
        cached = (now, calendar_for(Organisation.objects.get(pk=organisation_id)))
        _calendars[organisation_id] = cached
    return cached[1]


def _volumes(
    records: list[int], specs: list[measure_specs.MeasureSpec], at: dt.datetime
) -> dict[rules.VolumeKey, int]:
    """Contacts from the customer (`records`: theirs and those merged into theirs) already
    recorded this day, week or month, for each volume limit.

    Counts what telephony and mail logs have sent so far: a log imported once a day counts
    yesterday's contacts, not today's.
    """
    counts: dict[rules.VolumeKey, int] = {}
    for spec in specs:
        if not isinstance(spec, measure_specs.VolumeLimit):
            continue
        channel = spec.channel.value if spec.channel else None
        key: rules.VolumeKey = (channel, spec.per)
        if key not in counts:
            counts[key] = contact_lookup.inbound_contacts(
                records, rules.period_start(spec.per, at), at, channel
            )
    return counts


_INSERT_FIELDS = (
    "id",
    "organisation",
    "at",
    "checked_by",
    "checked_by_label",
    "channel",
    "via_representative",
    "customer",
    "decision",
)


@functools.cache
def _insert_sql(vendor: str) -> str:
    del vendor  # the cache key: quoting can differ between databases
    meta = ContactCheck._meta
    q = connection.ops.quote_name
    columns = ", ".join(q(str(getattr(meta.get_field(name), "column"))) for name in _INSERT_FIELDS)  # noqa: B009
    marks = ", ".join(["%s"] * len(_INSERT_FIELDS))
    return f"INSERT INTO {q(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608


def _check_row(
    check_id: uuid.UUID,
    organisation_id: int,
    at: dt.datetime,
    actor: Any,
    label: str,
    channel: Channel,
    via_representative: bool,
    customer: contact_lookup.Found | None,
    answer: rules.Answer,
) -> list[Any]:
    """The check's values for its INSERT, as Django would store them: on SQLite, the UUID as 32
    hex digits and the time as naive UTC text; on PostgreSQL, as they are."""
    if vendor() == "sqlite":
        key: Any = check_id.hex
        when: Any = at.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
    else:
        key, when = check_id, at
    return [
        key,
        organisation_id,
        when,
        getattr(actor, "pk", None),
        label[:200],
        channel.value,
        via_representative,
        customer.customer_id if customer else None,
        answer.decision.value,
    ]


def insert_checks(rows: list[Any]) -> None:
    """Write check rows made by `_check_row`.

    On SQLite, one INSERT of up to `_ROWS_PER_INSERT` rows at a time rather than an executemany,
    which gives up and takes back the interpreter's lock at every row: the journal's writer thread
    takes it once, and the requests in the same worker wait less behind it. On PostgreSQL, the
    one-row INSERT prepared once and sent for every row in one pipeline (psycopg's executemany):
    a statement of hundreds of rows would be parsed and planned anew at each write, by a server
    that shares the machine's processors (docs/benchmarks.md)."""
    database = vendor()
    if database != "sqlite":
        with connection.cursor() as cursor:
            if len(rows) == 1:
                cursor.execute(_insert_sql(database), rows[0])
            else:
                cursor.executemany(_insert_sql(database), rows)
        return
    for start in range(0, len(rows), _ROWS_PER_INSERT):
        chunk = rows[start : start + _ROWS_PER_INSERT]
        execute(_insert_many_sql(database, len(chunk)), [v for row in chunk for v in row])


# 500 rows of 9 columns: 4,500 parameters, well within SQLite's limit of 32,766.
_ROWS_PER_INSERT = 500


@functools.lru_cache(maxsize=32)
def _insert_many_sql(vendor: str, rows: int) -> str:
    one = _insert_sql(vendor)
    head, _, marks = one.partition(" VALUES ")
    return f"{head} VALUES {', '.join([marks] * rows)}"


# ---------------------------------------------------------------------------------------------
# Contact events, one at a time (the API's POST; files go through `importer`)
# ---------------------------------------------------------------------------------------------


def contact_event_record(*, actor: Any, organisation: Organisation, event: Mapping[str, Any]) -> str:
    """Record one contact event given as the import's columns (`importer` documents them).

    Returns what became of it: "stored", "duplicate" (already held), or one of
    `ContactTally.Outcome` when it matched no single customer and was only counted. Raises
    ValidationError naming the problem for a row the import would reject. Levels of contact are
    evaluated as for an imported batch.
    """
    from engage.contacts import importer

    if actor is not None and getattr(actor, "organisation_id", None) != organisation.pk:
        raise PermissionDenied("This organisation is not yours.")
    return importer.record_one(actor=actor, organisation=organisation, event=event)


# ---------------------------------------------------------------------------------------------
# Levels of contact: a person decides
# ---------------------------------------------------------------------------------------------

LEVELS_DECIDERS = (Capability.MANAGER, Capability.SENIOR_DECISION_MAKER)


def may_consider_levels(user: Any) -> bool:
    held: frozenset[str] = getattr(user, "capabilities", frozenset())
    return any(str(c) in held for c in LEVELS_DECIDERS)


def levels_flag_close(*, actor: Any, flag: LevelsFlag, outcome: str) -> LevelsFlag:
    """A manager has considered the flag and says what they decided, in their words (003 §6.3: a
    person decides, under the policy; the flag itself restricts no one)."""
    if getattr(actor, "organisation_id", None) != flag.organisation_id or not may_consider_levels(actor):
        raise PermissionDenied("Your role does not allow this.")
    if flag.status != LevelsFlag.Status.OPEN:
        raise ValidationError({"outcome": "This has already been considered"})
    if not outcome.strip():
        raise ValidationError(
            {"outcome": "Enter what you decided, like 'No action: the calls were about a burst pipe'"}
        )
    with transaction.atomic():
        flag.status = LevelsFlag.Status.CLOSED
        flag.closed_by = actor
        flag.closed_at = timezone.now()
        flag.outcome = outcome.strip()
        flag.save(update_fields=["status", "closed_by", "closed_at", "outcome", "modified_at"])
        audit_record(actor=actor, action="levels_flag.close", obj=flag, detail={"rule": flag.rule})
    return flag


def levels_settings_update(
    *, actor: Any, organisation: Organisation, **values: int | None
) -> ContactLevelSettings:
    """Information governance sets the organisation's levels-of-contact thresholds (empty: not used)."""
    if getattr(
        actor, "organisation_id", None
    ) != organisation.pk or Capability.INFORMATION_GOVERNANCE not in getattr(
        actor, "capabilities", frozenset()
    ):
        raise PermissionDenied("Your role does not allow this.")
    unknown = set(values) - set(LEVEL_FIELDS)
    if unknown:
        raise ValueError(f"not a levels-of-contact setting: {', '.join(sorted(unknown))}")
    errors = {
        k: "Enter a whole number of 1 or more, or leave it empty"
        for k, v in values.items()
        if v is not None and v < 1
    }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row, _ = ContactLevelSettings.objects.get_or_create(organisation=organisation)
        before = {k: getattr(row, k) for k in values}
        for key, value in values.items():
            setattr(row, key, value)
        row.save()
        audit_record(
            actor=actor,
            action="contact_levels.update",
            obj=organisation,
            detail={"before": before, "after": dict(values)},
        )
    return row


LEVEL_FIELDS = (
    "calls_per_hour",
    "calls_per_day",
    "calls_per_week",
    "call_minutes_per_week",
    "email_recipients",
)
