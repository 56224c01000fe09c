"""The contact check's one read: from an identifier to the customer, their measures in force and the
agreed staff requests about them, in ONE hand-written statement.

Why not the ORM: building an ORM query costs 0.3–0.5 ms of Python, a raw indexed lookup tens of
microseconds (docs/benchmarks.md, /work/shared/baselines.md). The statement runs through
`django.db.connection.cursor()` on SQLite and PostgreSQL alike, and its table and column names
come from the models' `_meta`, so a renamed column breaks a test, not production.

What it follows, as the customers and decisions domains define it:
- any identifier, current or ended (an ended one is an alias: `Identifier`), the customer's own
  or, for a phone number, email address or handle, one of their representatives'
  (`RepresentativeIdentifier`): a hit says whose, so the rules can answer for a representative
  calling on the customer's behalf (000/001 §23.3; 003 7.4);
- a merged record to the record it was merged into (`Customer.merged_into`, one hop), and the
  measures and requests still held on records merged into that one (`selectors.record_ids`);
- measures of decisions in force only, from `starts_on` to the day before `ends_on`
  (`decisions.selectors.active_measures`), so a lifted or expired restriction is gone from the very
  next check: nothing is cached.

A customer with a volume limit needs one more statement, `inbound_contacts`: the contacts already
recorded in the limit's day, week or month, from the records the lookup found.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from engage.contacts.models import ContactEvent, months_between
from engage.contacts.sql import execute, vendor
from engage.customers.identifiers import Kind
from engage.customers.models import Customer, Identifier, Representative, RepresentativeIdentifier
from engage.decisions.measures import MeasureSpec, parse
from engage.decisions.models import Decision, Measure
from engage.staff.models import User
from engage.staffcare.models import StaffRequest

__all__ = ["Found", "FoundMeasure", "inbound_contacts", "lookup", "spec_of", "sql_for"]

# Our own constants, written into the statement (see sql_for); checked to be plain words.
_IN_FORCE = Decision.Status.IN_FORCE.value
_AGREED = StaffRequest.Status.AGREED.value
assert _IN_FORCE.isidentifier()
assert _AGREED.isidentifier()


@dataclass(frozen=True)
class FoundMeasure:
    type: str
    params_json: str  # as stored: parse it with `spec_of`, which remembers specs already parsed
    starts_on: dt.date
    ends_on: dt.date | None

    @property
    def params(self) -> dict[str, Any]:
        return dict(json.loads(self.params_json))


@dataclass
class Found:
    """One customer the identifier leads to (the surviving record), and what applies to them."""

    customer_id: int
    reference: str
    full_name: str
    display_name: str
    measures: list[FoundMeasure] = field(default_factory=list)
    # (staff member's name, request kind)
    requests: list[tuple[str, str]] = field(default_factory=list)
    # Whether the identifier is one of the customer's own (or of a record merged into theirs)...
    own: bool = False
    # ...and the representatives whose identifier it is: (name, identifier still in use).
    representatives: list[tuple[str, bool]] = field(default_factory=list)
    # Records merged into this one (`Customer.merged_into`): their contacts are the customer's too.
    merged: list[int] = field(default_factory=list)

    @property
    def records(self) -> list[int]:
        """The customer's record and every record merged into it."""
        return [self.customer_id, *self.merged]

    @property
    def name(self) -> str:
        return self.display_name or self.full_name

    @property
    def via_representative(self) -> bool:
        """Found only through a representative's identifier. When the customer's own identifier
        matches too (a family member sharing the home phone), the customer may be the one
        calling: the answer is then the one for the customer, the stricter."""
        return bool(self.representatives) and not self.own


def _t(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _c(model: Any, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


@functools.cache
def sql_for(kind: str, vendor: str) -> str:
    """The statement for one kind of identifier (cached: it is built once per process).

    Parameters, in order: the hit's (see `_hit_params`), then organisation, day, day,
    organisation. The statuses are literals, not parameters, so that SQLite can use the partial
    index `staffrequest_agreed_customer`.
    """
    del vendor  # part of the cache key only: quoting can differ between databases
    cu, idf, me, de, sr, us = (
        _t(Customer),
        _t(Identifier),
        _t(Measure),
        _t(Decision),
        _t(StaffRequest),
        _t(User),
    )
    c_id, c_merged = _c(Customer, "id"), _c(Customer, "merged_into")
    # Each hit: the surviving record (the one a merged record was merged into), and for a
    # representative's identifier, their name and whether the identifier is still in use (NULL
    # for the customer's own).
    survivor = f"COALESCE(c.{c_merged}, c.{c_id})"
    own = "CAST(NULL AS TEXT), CAST(NULL AS TEXT)"
    # The covering index identifier_lookup gives the customer without reading the identifier.
    hit = (
        f"SELECT {survivor} AS id, {own} FROM {idf} i JOIN {cu} c "  # noqa: S608
        f"ON c.{c_id} = i.{_c(Identifier, 'customer')} "
        f"WHERE i.{_c(Identifier, 'organisation')} = %s AND i.{_c(Identifier, 'kind')} = %s "
        f"AND i.{_c(Identifier, 'value')} = %s"
    )
    if kind in RepresentativeIdentifier.KINDS:
        # Someone calling or writing for the customer: their representative's identifier, to the
        # representative and the customer by primary key.
        ri, rp = _t(RepresentativeIdentifier), _t(Representative)
        hit += (
            f" UNION ALL SELECT {survivor}, CAST(r.{_c(Representative, 'name')} AS TEXT), "  # noqa: S608
            f"CASE WHEN ri.{_c(RepresentativeIdentifier, 'valid_to')} IS NULL THEN 'current' ELSE 'ended' END "
            f"FROM {ri} ri JOIN {rp} r ON r.{_c(Representative, 'id')} = ri.{_c(RepresentativeIdentifier, 'representative')} "
            f"JOIN {cu} c ON c.{c_id} = r.{_c(Representative, 'customer')} "
            f"WHERE ri.{_c(RepresentativeIdentifier, 'organisation')} = %s "
            f"AND ri.{_c(RepresentativeIdentifier, 'kind')} = %s AND ri.{_c(RepresentativeIdentifier, 'value')} = %s"
        )
    elif kind == Kind.REFERENCE:
        # A case reference may be the customer's own ("C-000123").
        hit += (
            f" UNION ALL SELECT {survivor}, NULL, NULL FROM {cu} c "  # noqa: S608
            f"WHERE c.{_c(Customer, 'organisation')} = %s AND c.{_c(Customer, 'reference')} = %s"
        )
    elif kind == Kind.POSTCODE:
        # Everyone at a postcode: their postcode identifiers and their addresses' postcodes. The
        # `<> ''` lets SQLite use the partial index identifier_address_postcode.
        postcode = _c(Identifier, "postcode")
        hit += (
            f" UNION ALL SELECT {survivor}, NULL, NULL FROM {idf} i JOIN {cu} c "  # noqa: S608
            f"ON c.{c_id} = i.{_c(Identifier, 'customer')} "
            f"WHERE i.{_c(Identifier, 'organisation')} = %s AND i.{postcode} = %s AND i.{postcode} <> ''"
        )
    m_customer, m_ends = _c(Measure, "customer"), _c(Measure, "ends_on")
    s_customer, s_member = _c(StaffRequest, "customer"), _c(StaffRequest, "staff_member")
    # Measures and requests are found with "customer IN (records)", not by joining the records:
    # a join lets SQLite choose to build Bloom filters by scanning the measures and decisions
    # tables at every check (4 ms at a million customers instead of 30 µs). Two steps, no
    # DISTINCT: each step SQLite keeps is a temporary table made at every check, and a survivor
    # found twice (its own number and its representative's) costs nothing but a repeated row.
    return (
        f"WITH hit (id, rep, rep_state) AS ({hit}), "  # noqa: S608
        # UNION ALL: a record merged into a survivor is never a survivor itself (merges are one hop).
        f"records (survivor, record) AS (SELECT id, id FROM hit "
        f"UNION ALL SELECT c.{c_merged}, c.{c_id} FROM {cu} c WHERE c.{c_merged} IN (SELECT id FROM hit)) "
        # One row for each hit: the customer found, and whose identifier it was (the customer's,
        # or a representative's), so a customer with nothing in force is still known...
        f"SELECT 'h' AS row_kind, hit.id AS customer_id, c.{_c(Customer, 'reference')} AS a, "
        f"c.{_c(Customer, 'full_name')} AS b, c.{_c(Customer, 'display_name')} AS c, "
        f"rep AS d, rep_state AS e FROM hit JOIN {cu} c ON c.{c_id} = hit.id "
        # ...one for each record merged into one of them...
        f"UNION ALL SELECT 'r', survivor, CAST(record AS TEXT), NULL, NULL, NULL, NULL "
        f"FROM records WHERE survivor <> record "
        # ...then each measure in force and each agreed request, by the record that holds it (the
        # dates as text, the type of the columns where the hits give names).
        f"UNION ALL "
        f"SELECT 'm', m.{m_customer}, m.{_c(Measure, 'type')}, CAST(m.{_c(Measure, 'params')} AS TEXT), NULL, "
        f"CAST(m.{_c(Measure, 'starts_on')} AS TEXT), CAST(m.{m_ends} AS TEXT) "
        f"FROM {me} m JOIN {de} d ON d.{_c(Decision, 'id')} = m.{_c(Measure, 'decision')} "
        f"WHERE m.{_c(Measure, 'organisation')} = %s AND m.{m_customer} IN (SELECT record FROM records) "
        f"AND m.{_c(Measure, 'starts_on')} <= %s AND (m.{m_ends} IS NULL OR m.{m_ends} > %s) "
        f"AND d.{_c(Decision, 'status')} = '{_IN_FORCE}' "
        f"UNION ALL "
        # The names by primary key, not by a join, so the requests (few) are always read first.
        f"SELECT 's', s.{s_customer}, s.{_c(StaffRequest, 'kind')}, "
        f"(SELECT u.{_c(User, 'first_name')} FROM {us} u WHERE u.{_c(User, 'id')} = s.{s_member}), "
        f"(SELECT u.{_c(User, 'last_name')} FROM {us} u WHERE u.{_c(User, 'id')} = s.{s_member}), NULL, NULL "
        f"FROM {sr} s "
        f"WHERE s.{_c(StaffRequest, 'organisation')} = %s AND s.{s_customer} IN (SELECT record FROM records) "
        f"AND s.{_c(StaffRequest, 'status')} = '{_AGREED}'"
    )


def _hit_params(organisation_id: int, kind: str, value: str) -> list[Any]:
    params: list[Any] = [organisation_id, kind, value]
    if kind in RepresentativeIdentifier.KINDS:
        params += [organisation_id, kind, value]
    elif kind in (Kind.REFERENCE, Kind.POSTCODE):
        params += [organisation_id, value]
    return params


def lookup(organisation_id: int, kind: str, value: str, on: dt.date) -> list[Found]:
    """Every customer the normalised identifier (`customers.identifiers.normalise`) leads to in the
    organisation, with their measures in force on `on` and agreed staff requests, by reference.

    Usually one; a shared phone number or a postcode can give several; none when unknown.
    """
    params = [
        *_hit_params(organisation_id, kind, value),
        organisation_id,
        on,
        on,
        organisation_id,
    ]
    rows = execute(sql_for(str(kind), vendor()), params, fetch=True)
    found: dict[int, Found] = {}
    survivor_of: dict[int, int] = {}
    held: list[tuple[Any, ...]] = []  # measures and requests, once every record's survivor is known
    for row in rows:
        row_kind = row[0]
        if row_kind == "h":
            _h, customer_id, reference, full_name, display_name, rep, rep_state = row
            owner = found.get(customer_id)
            if owner is None:
                owner = found[customer_id] = Found(customer_id, reference, full_name, display_name or "")
            if rep is None:
                owner.own = True
            elif (rep, rep_state == "current") not in owner.representatives:
                owner.representatives.append((rep, rep_state == "current"))
        elif row_kind == "r":
            survivor_of[int(row[2])] = row[1]
        else:
            held.append(row)
    for record, survivor in survivor_of.items():
        if survivor in found:
            found[survivor].merged.append(record)
    for row_kind, record_id, a, b, c, starts, ends in held:
        owner = found.get(survivor_of.get(record_id, record_id))
        if owner is None:
            continue
        if row_kind == "m":
            owner.measures.append(FoundMeasure(a, b or "{}", _date(starts), _date_or_none(ends)))
        else:
            owner.requests.append((f"{b} {c}".strip(), a))
    return sorted(found.values(), key=lambda f: f.reference)


@functools.lru_cache(maxsize=64)
def _inbound_sql(months: int, records: int, on_channel: bool, vendor: str) -> str:
    """The count for `inbound_contacts`, for so many months and records (cached by shape)."""
    del vendor  # part of the cache key only: quoting can differ between databases
    ev = _t(ContactEvent)
    sql = (
        f"SELECT COUNT(*) FROM {ev} WHERE {_c(ContactEvent, 'month')} IN ({', '.join(['%s'] * months)}) "  # noqa: S608
        f"AND {_c(ContactEvent, 'customer')} IN ({', '.join(['%s'] * records)}) "
        f"AND {_c(ContactEvent, 'started_at')} >= %s AND {_c(ContactEvent, 'started_at')} <= %s "
        f"AND {_c(ContactEvent, 'direction')} = %s"
    )
    return sql + (f" AND {_c(ContactEvent, 'channel')} = %s" if on_channel else "")


def inbound_contacts(records: list[int], start: dt.datetime, end: dt.datetime, channel: str | None) -> int:
    """How many contacts from the customer (`records`: theirs and those merged into theirs) are
    recorded from `start` to `end` (aware), on `channel` or on any: what a volume limit counts.

    One hand-written statement, like the lookup: through the events' unique index (month,
    customer, time), one probe a month and record. Through the ORM, with the query to find the
    merged records, this cost about 1 ms a check of a customer with a volume limit.
    """
    months = months_between(start, end)
    adapt = connection.ops.adapt_datetimefield_value
    params: list[Any] = [*months, *records, adapt(start), adapt(end), ContactEvent.Direction.INBOUND.value]
    if channel is not None:
        params.append(channel)
    sql = _inbound_sql(len(months), len(records), channel is not None, vendor())
    return int(execute(sql, params, fetch=True)[0][0])


@functools.lru_cache(maxsize=4096)
def spec_of(measure_type: str, params_json: str) -> MeasureSpec:
    """The measure's spec from its stored JSON. Specs are immutable, and a council's restrictions
    share a few shapes, so each is parsed once per process rather than at every check."""
    return parse(measure_type, json.loads(params_json))


def _date(value: Any) -> dt.date:
    # The statement gives dates as text ("YYYY-MM-DD").
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _date_or_none(value: Any) -> dt.date | None:
    return None if value is None else _date(value)
