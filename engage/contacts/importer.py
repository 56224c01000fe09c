"""Importing contact events from telephony call records and mail logs: CSV or JSON Lines, streamed in
constant memory, one transaction per batch, idempotent, with a report of every rejected row.

The columns (also on the import page, and in `engage import-contacts --help`):

    identifier       the caller's number, the sender's address, a handle or a reference    required
    channel          phone, email, letter, in_person, social_media, online_form, event      required
    direction        inbound (from the customer) or outbound (to the customer)              required
    started_at       ISO 8601, like 2026-03-03T10:30:00Z; without an offset, UK local time required
    duration_seconds whole seconds, or H:MM:SS / M:SS; empty if not known                  optional
    service          the service or queue, like "Council Tax"                               optional
    handler          who took it or was sent it, as the log names them                      optional
    identifier_kind  phone, email, social, reference; by default from the channel           optional

What is kept (data minimisation): an event matching exactly one customer is stored against
them (the surviving record, if merged). Anything else (no customer, several customers sharing a
number, a withheld number) is kept only as a count per day, channel and direction
(`ContactTally`); the identifier is never stored.

Idempotency: each event's `key` is a hash of the organisation, the normalised identifier,
channel, direction, start and handler; with the customer and the start it is unique, and
`INSERT ... ON CONFLICT DO NOTHING` skips an event already held, from this file or any other.
(An event imported again after its customer's record was merged into another is stored again
against the record kept: a merge changes whom the identifier leads to.) Batches are numbered, and each batch's events, counts and
progress are committed together, so a file imported again resumes after its last committed batch
and the counts of unmatched events are never added twice. (Two different files holding the same
unmatched event do count it twice: nothing is kept that could tell.)

Levels of contact are evaluated for each batch on the index (customer, started_at): only for
events in the last week (`LEVELS_HORIZON`), so that loading two years of history does not raise
items about last year.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from engage.audit.services import audit_record
from engage.contacts import levels
from engage.contacts.models import ContactEvent, ContactImport, ContactTally
from engage.contacts.rules import LONDON
from engage.customers import identifiers
from engage.customers.identifiers import Kind
from engage.customers.models import Customer, Identifier
from engage.organisations.models import Organisation
from engage.policy.vocabulary import Channel

__all__ = ["BATCH_SIZE", "COLUMNS", "REQUIRED", "Report", "contact_import", "record_one"]

BATCH_SIZE = 5000
REQUIRED = ("identifier", "channel", "direction", "started_at")
OPTIONAL = ("duration_seconds", "service", "handler", "identifier_kind")
COLUMNS = REQUIRED + OPTIONAL
# Resolved identifiers and normalised texts are remembered across batches up to this many, then
# forgotten: memory stays flat however long the file.
_CACHE_LIMIT = 200_000
_CHUNK = 500  # values per IN (...) list
_FUTURE_SLACK = dt.timedelta(days=1)
_CHANNELS = {c.value for c in Channel}
_CHANNEL_OF = {c: c for c in _CHANNELS}  # the usual spelling, found without stripping and lowering
_CHANNEL_WORDS = {"in person": "in_person", "social media": "social_media", "online form": "online_form"}
_DIRECTIONS = {
    "inbound": "inbound",
    "in": "inbound",
    "incoming": "inbound",
    "outbound": "outbound",
    "out": "outbound",
    "outgoing": "outbound",
}
_KIND_BY_CHANNEL = {
    Channel.PHONE.value: Kind.PHONE,
    Channel.EMAIL.value: Kind.EMAIL,
    Channel.SOCIAL_MEDIA.value: Kind.SOCIAL,
}
_KINDS = {Kind.PHONE, Kind.EMAIL, Kind.SOCIAL, Kind.REFERENCE, Kind.POSTAL_ADDRESS}
_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})$")
_PHONE_NOISE = re.compile(r"[\s\-()]")
_UK_PHONE = re.compile(r"^(?:\+44|0)([1-9]\d{9})$")
UNMATCHED = ContactTally.Outcome.UNMATCHED.value
AMBIGUOUS = ContactTally.Outcome.AMBIGUOUS.value
UNRECOGNISED = ContactTally.Outcome.UNRECOGNISED.value


@dataclass
class Report:
    """What an import did, for the page and the command."""

    import_id: int
    file_name: str
    status: str
    rows_read: int = 0
    stored: int = 0
    duplicates: int = 0
    counted_only: int = 0
    rejected: int = 0
    rejections: list[dict[str, Any]] = field(default_factory=list)
    flags_raised: int = 0
    already_imported: bool = False

    @classmethod
    def of(cls, row: ContactImport, *, already: bool = False) -> Report:
        return cls(
            import_id=row.pk,
            file_name=row.file_name,
            status=row.status,
            rows_read=row.rows_read,
            stored=row.stored,
            duplicates=row.duplicates,
            counted_only=row.counted_only,
            rejected=row.rejected,
            rejections=list(row.rejections),
            flags_raised=row.flags_raised,
            already_imported=already,
        )


@dataclass(frozen=True)
class _Event:
    line: int
    kind: str  # "" when the identifier is unusable
    value: str
    channel: str
    direction: str
    started_at: dt.datetime  # UTC
    duration: int | None
    service: str
    handler: str


class _Rejected(ValueError):
    pass


# ---------------------------------------------------------------------------------------------
# The service
# ---------------------------------------------------------------------------------------------


def contact_import(
    *,
    actor: Any,
    organisation: Organisation,
    path: Path | str,
    file_name: str = "",
    batch_size: int = BATCH_SIZE,
    now: dt.datetime | None = None,
    after_batch: Callable[[int], None] | None = None,
) -> Report:
    """Import a file of contact events for `organisation` and say what became of every row.

    The same file again (by its SHA-256) resumes where it stopped, or if it was completed
    changes nothing. ValidationError on "file" when the file cannot be read as either format
    or lacks a required column; nothing is stored then. `after_batch(n)` runs inside each
    batch's transaction (tests use it to stop an import part-way).
    """
    path = Path(path)
    name = (file_name or path.name)[:255]
    digest = _sha256(path)
    file_format = _format_of(path)
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        rows = _rows(
            handle, file_format
        )  # reads the header: a bad file fails here, before anything is stored
        with transaction.atomic():
            row, created = ContactImport.objects.select_for_update().get_or_create(
                organisation=organisation,
                sha256=digest,
                defaults={
                    "created_by": actor if getattr(actor, "pk", None) else None,
                    "file_name": name,
                    "file_format": file_format,
                    "batch_size": batch_size,
                },
            )
            if row.status == ContactImport.Status.COMPLETE:
                return Report.of(row, already=True)
            if not created:
                row.status = ContactImport.Status.RUNNING
                row.save(update_fields=["status", "modified_at"])
            audit_record(
                actor=actor,
                action="contact_import.start" if created else "contact_import.resume",
                obj=row,
                detail={"file": name, "batches_done": row.batches_done},
            )
        batch_store = _BatchStore(organisation, actor, source=row, now=now or timezone.now())
        skip = row.batches_done * row.batch_size
        try:
            _bigger_cache()
            for number, batch in enumerate(_batches(rows, row.batch_size, skip), start=row.batches_done + 1):
                with transaction.atomic():
                    outcome = batch_store.store(batch)
                    _progress(row, outcome)
                    if after_batch is not None:
                        after_batch(number)
        except BaseException:
            # The batch in hand rolled back; those before it stay. Mark the import as stopped.
            ContactImport.objects.filter(pk=row.pk).update(status=ContactImport.Status.FAILED)
            raise
        finally:
            _bigger_cache(restore=True)
    with transaction.atomic():
        row.refresh_from_db()
        row.status = ContactImport.Status.COMPLETE
        row.finished_at = timezone.now()
        row.save(update_fields=["status", "finished_at", "modified_at"])
        audit_record(
            actor=actor,
            action="contact_import.complete",
            obj=row,
            detail={
                "rows": row.rows_read,
                "stored": row.stored,
                "duplicates": row.duplicates,
                "counted_only": row.counted_only,
                "rejected": row.rejected,
                "flags_raised": row.flags_raised,
            },
        )
    return Report.of(row)


def record_one(*, actor: Any, organisation: Organisation, event: Mapping[str, Any]) -> str:
    """One event (the API's POST), through the same path as a batch; see services.contact_event_record."""
    unknown = sorted(set(event) - set(COLUMNS))
    if unknown:
        raise ValidationError({unknown[0]: f"'{unknown[0]}' is not a contact event field"})
    now = timezone.now()
    try:
        parsed = _parse([_text(event.get(k)) for k in COLUMNS], line=1, now=now)
    except _Rejected as exc:
        raise ValidationError({"event": str(exc)}) from exc
    with transaction.atomic():
        outcome = _BatchStore(organisation, actor, source=None, now=now).store([parsed])
        result = outcome.single()
        audit_record(
            actor=actor,
            action="contact_event.record",
            organisation=organisation,
            detail={"channel": parsed.channel, "direction": parsed.direction, "outcome": result},
        )
    return result


# Each event is one insert at a random place in the (customer, started_at) index. SQLite's default
# page cache (2 MiB) then reads and writes most of that index from disk once it outgrows it; an
# import keeps this much of it in memory instead. A fixed amount: memory stays flat however long
# the file (docs/benchmarks.md).
IMPORT_CACHE_KIB = 256 * 1024
_saved_cache: list[int] = []


def _bigger_cache(restore: bool = False) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        if not restore:
            cursor.execute("PRAGMA cache_size")
            _saved_cache.append(int(cursor.fetchone()[0]))
            cursor.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
        elif _saved_cache:
            cursor.execute(f"PRAGMA cache_size = {_saved_cache.pop()}")


def _progress(row: ContactImport, outcome: _Outcome) -> None:
    # Plain arithmetic on the row held by this process: one import of one file runs at a time
    # (the row was locked when the import started or resumed).
    row.batches_done += 1
    row.rows_read += outcome.rows
    row.stored += outcome.stored
    row.duplicates += outcome.duplicates
    row.counted_only += outcome.counted_only
    row.rejected += len(outcome.rejections)
    room = ContactImport.REJECTIONS_KEPT - len(row.rejections)
    if room > 0:
        row.rejections = [*row.rejections, *outcome.rejections[:room]]
    row.flags_raised += outcome.flags_raised
    row.save(
        update_fields=[
            "batches_done",
            "rows_read",
            "stored",
            "duplicates",
            "counted_only",
            "rejected",
            "rejections",
            "flags_raised",
            "modified_at",
        ]
    )


# ---------------------------------------------------------------------------------------------
# Reading: files to rows to batches of parsed events (or rejections)
# ---------------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".csv":
        return "csv"
    with path.open("rb") as handle:
        start = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    return "jsonl" if start.startswith(b"{") else "csv"


# A row is its values in COLUMNS order ("" for a column the file does not have).
_Row = list[str]


def _rows(handle: IO[str], file_format: str) -> Iterator[tuple[int, _Row | str]]:
    """(line number, the row's columns, or why it cannot be read at all)."""
    if file_format == "csv":
        return _csv_rows(handle)
    return _jsonl_rows(handle)


def _csv_rows(handle: IO[str]) -> Iterator[tuple[int, _Row | str]]:
    reader = csv.reader(handle)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise ValidationError(
            {"file": "The file is empty: it needs a header row naming its columns"}
        ) from exc
    names = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise ValidationError(
            {
                "file": f"The file has no {_quoted(missing)} column: the header must name "
                f"{', '.join(REQUIRED)} (and may name {', '.join(OPTIONAL)})"
            }
        )
    width = len(names)
    # Where each of COLUMNS is in the file's rows; a missing optional column reads the extra "".
    positions = [names.index(c) if c in names else width for c in COLUMNS]

    def generate() -> Iterator[tuple[int, _Row | str]]:
        line = reader.line_num
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield line + 1, f"cannot be read as CSV ({exc})"
                line = reader.line_num
                continue
            start, line = line + 1, reader.line_num
            if not values or (len(values) == 1 and not values[0].strip()):
                continue
            if len(values) != width:
                yield start, f"has {len(values)} columns where the header has {width}"
                continue
            values.append("")
            yield start, [values[i] for i in positions]

    return generate()


def _jsonl_rows(handle: IO[str]) -> Iterator[tuple[int, _Row | str]]:
    first = _first_json(handle)
    if first is None:
        raise ValidationError({"file": "The file is empty: it needs one JSON object a line"})
    handle.seek(0)

    def generate() -> Iterator[tuple[int, _Row | str]]:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                item = json.loads(text)
            except ValueError:
                yield number, "is not a JSON object"
                continue
            if not isinstance(item, dict):
                yield number, "is not a JSON object"
                continue
            yield number, [_text(item.get(c)) for c in COLUMNS]

    return generate()


def _first_json(handle: IO[str]) -> str | None:
    for text in handle:
        if text.strip():
            return text
    return None


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _quoted(items: list[str]) -> str:
    return " or ".join(f"'{i}'" for i in items)


def _batches(
    rows: Iterator[tuple[int, _Row | str]], size: int, skip: int
) -> Iterator[list[_Event | tuple[int, str]]]:
    """Batches of `size` data rows (parsed, or (line, reason)), after skipping `skip` rows already
    committed. Only one batch is ever held."""
    now = timezone.now()
    batch: list[_Event | tuple[int, str]] = []
    seen = 0
    for line, row in rows:
        seen += 1
        if seen <= skip:
            continue
        if isinstance(row, str):
            batch.append((line, f"Line {line} {row}"))
        else:
            try:
                batch.append(_parse(row, line, now))
            except _Rejected as exc:
                batch.append((line, f"Line {line}: {exc}"))
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


_normalised: dict[tuple[str, str], str | None] = {}


def _parse(row: _Row, line: int, now: dt.datetime) -> _Event:
    identifier, channel_text, direction_text, started_text, duration_text, service, handler, kind_text = row
    channel = _CHANNEL_OF.get(channel_text)
    if channel is None:
        channel = channel_text.strip().lower()
        channel = _CHANNEL_WORDS.get(channel, channel)
        if channel not in _CHANNELS:
            raise _Rejected(
                f"channel '{channel_text[:40]}' is not one of {', '.join(sorted(_CHANNELS))}"
                if channel
                else "channel is empty"
            )
    direction = _DIRECTIONS.get(direction_text) or _DIRECTIONS.get(direction_text.strip().lower())
    if direction is None:
        raise _Rejected(f"direction '{direction_text[:40]}' is not inbound or outbound")
    started_at = _when(started_text, now)
    duration = _duration(duration_text) if duration_text else None
    service = service.strip()
    if len(service) > 100:
        raise _Rejected("service is longer than 100 characters")
    handler = handler.strip()
    if len(handler) > 200:
        raise _Rejected("handler is longer than 200 characters")
    if kind_text:
        kind_text = kind_text.strip().lower()
        if kind_text not in _KINDS:
            raise _Rejected(
                f"identifier_kind '{kind_text[:40]}' is not one of phone, email, social, reference"
            )
    kind, value = _identify(identifier, kind_text, channel)
    return _Event(line, kind, value, channel, direction, started_at, duration, service, handler)


def _when(text: str, now: dt.datetime) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raw = text.strip()
        if not raw:
            raise _Rejected("started_at is empty") from None
        try:
            value = dt.datetime.fromisoformat(raw)
        except ValueError:
            raise _Rejected(
                f"started_at '{raw[:40]}' is not a date and time like 2026-03-03T10:30:00Z"
            ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=LONDON)
    if value.utcoffset():
        value = value.astimezone(dt.UTC)
    elif value.tzinfo is not dt.UTC:
        value = value.replace(tzinfo=dt.UTC)
    if value > now + _FUTURE_SLACK:
        raise _Rejected(f"started_at '{text.strip()[:40]}' is in the future")
    return value


def _duration(text: str) -> int | None:
    raw = text.strip()
    if not raw:
        return None
    if raw.isdigit():
        return int(raw)
    clock = _CLOCK.match(raw)
    if clock is None:
        raise _Rejected(f"duration_seconds '{raw[:40]}' is not whole seconds or H:MM:SS")
    hours, minutes, seconds = int(clock.group(1) or 0), int(clock.group(2)), int(clock.group(3))
    if seconds >= 60 or (clock.group(1) and minutes >= 60):
        raise _Rejected(f"duration_seconds '{raw[:40]}' is not whole seconds or H:MM:SS")
    return hours * 3600 + minutes * 60 + seconds


def _identify(raw: str, kind_text: str, channel: str) -> tuple[str, str]:
    """(kind, normalised value), or ("", "") for a withheld or unusable identifier."""
    text = raw.strip()
    if not text:
        return "", ""
    kind = kind_text or _KIND_BY_CHANNEL.get(channel) or identifiers.guess_kind(text)
    if kind not in _KINDS:
        return "", ""
    cache_key = (kind, text)
    if cache_key in _normalised:
        value = _normalised[cache_key]
    else:
        value = _normalise(kind, text)
        if len(_normalised) >= _CACHE_LIMIT:
            _normalised.clear()
        _normalised[cache_key] = value
    return (kind, value) if value else ("", "")


def _normalise(kind: str, text: str) -> str | None:
    if kind == Kind.PHONE:
        # UK numbers in the usual shapes skip libphonenumber (see services.parse_identifier).
        fast = _UK_PHONE.match(_PHONE_NOISE.sub("", text))
        if fast:
            return "+44" + fast.group(1)
    try:
        return _NORMALISERS[kind](text)
    except ValueError:
        return None


_NORMALISERS: dict[str, Callable[[str], str]] = {
    Kind.PHONE: identifiers.normalise_phone,
    Kind.EMAIL: identifiers.normalise_email,
    Kind.SOCIAL: identifiers.normalise_social,
    Kind.REFERENCE: identifiers.normalise_reference,
    Kind.POSTAL_ADDRESS: identifiers.normalise_address,
}


# ---------------------------------------------------------------------------------------------
# Storing a batch
# ---------------------------------------------------------------------------------------------


@dataclass
class _Outcome:
    rows: int = 0
    stored: int = 0
    duplicates: int = 0
    counted_only: int = 0
    rejections: list[dict[str, Any]] = field(default_factory=list)
    flags_raised: int = 0
    singles: list[str] = field(default_factory=list)

    def single(self) -> str:
        return self.singles[0]


class _BatchStore:
    """Stores batches for one organisation: resolves identifiers, inserts, counts, evaluates levels."""

    def __init__(
        self, organisation: Organisation, actor: Any, *, source: ContactImport | None, now: dt.datetime
    ):
        self.organisation = organisation
        self.actor = actor
        self.source_id = source.pk if source else None
        self.now = now
        self.resolved: dict[tuple[str, str], int | str] = {}
        # Merged records and the record each was merged into (merges are few, and one hop).
        self.merged: dict[int, int] = dict(
            Customer.objects.filter(organisation=organisation, merged_into__isnull=False).values_list(
                "pk", "merged_into_id"
            )
        )
        self.thresholds = levels.thresholds_for(organisation)
        self.vendor = connection.vendor

    def store(self, batch: Iterable[_Event | tuple[int, str]]) -> _Outcome:
        outcome = _Outcome()
        events: list[_Event] = []
        for item in batch:
            outcome.rows += 1
            if isinstance(item, tuple):
                outcome.rejections.append({"line": item[0], "reason": item[1]})
            else:
                events.append(item)
        self._resolve({(e.kind, e.value) for e in events if e.kind})
        org = self.organisation.pk
        sqlite = self.vendor == "sqlite"
        rows: list[tuple[Any, ...]] = []
        tallies: Counter[tuple[dt.date, str, str, str]] = Counter()
        matched: list[tuple[int, _Event]] = []
        for e in events:
            who = self.resolved.get((e.kind, e.value), UNRECOGNISED) if e.kind else UNRECOGNISED
            if isinstance(who, str):
                tallies[(e.started_at.astimezone(LONDON).date(), e.channel, e.direction, who)] += 1
                outcome.singles.append(who)
                continue
            when = e.started_at.replace(tzinfo=None).isoformat(" ")  # UTC, as Django stores it in SQLite
            digest = hashlib.sha256(
                f"{org}|{e.kind}|{e.value}|{e.channel}|{e.direction}|{when}|{e.handler}".encode()
            ).digest()
            key = int.from_bytes(digest[:8], "big", signed=True)
            rows.append(
                (
                    org,
                    who,
                    e.channel,
                    e.direction,
                    when if sqlite else e.started_at,
                    e.duration,
                    e.service,
                    e.handler,
                    key,
                    self.source_id,
                )
            )
            matched.append((who, e))
        stored = _insert_events(rows) if rows else 0
        outcome.stored = stored
        outcome.duplicates = len(rows) - stored
        outcome.counted_only = sum(tallies.values())
        if len(events) == 1 and rows:
            outcome.singles.append("stored" if stored else "duplicate")
        if tallies:
            _add_tallies(org, tallies)
        if matched and self.thresholds.any:
            outcome.flags_raised = levels.evaluate(
                self.organisation, self.thresholds, matched_events(matched), now=self.now, actor=self.actor
            )
        return outcome

    def _resolve(self, wanted: set[tuple[str, str]]) -> None:
        """Which single customer each (kind, value) leads to, or why none: a few IN queries a batch."""
        missing = [pair for pair in wanted if pair not in self.resolved]
        if not missing:
            return
        if len(self.resolved) + len(missing) > _CACHE_LIMIT:
            # Forget what was remembered, and so look up this batch's identifiers afresh.
            self.resolved.clear()
            missing = list(wanted)
        found: dict[tuple[str, str], set[int]] = defaultdict(set)
        by_kind: dict[str, list[str]] = defaultdict(list)
        for kind, value in missing:
            by_kind[kind].append(value)
        for kind, values in by_kind.items():
            for start in range(0, len(values), _CHUNK):
                chunk = values[start : start + _CHUNK]
                for k, v, customer in _resolve_sql(self.organisation.pk, kind, chunk):
                    found[(k, v)].add(self.merged.get(customer, customer))
        for pair in missing:
            customers = found.get(pair, set())
            self.resolved[pair] = (
                next(iter(customers)) if len(customers) == 1 else (AMBIGUOUS if customers else UNMATCHED)
            )


def matched_events(matched: list[tuple[int, _Event]]) -> list[levels.NewEvent]:
    return [
        levels.NewEvent(customer, e.channel, e.direction, e.started_at, e.duration or 0, e.handler)
        for customer, e in matched
    ]


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _resolve_sql(organisation_id: int, kind: str, values: list[str]) -> list[tuple[str, str, int]]:
    idf, cu = _q(Identifier._meta.db_table), _q(Customer._meta.db_table)
    marks = ", ".join(["%s"] * len(values))
    # The record each identifier is on; merged records are mapped to their survivor in Python
    # (`_BatchStore.merged`), which saves a random read of the customer for every identifier.
    sql = (
        f"SELECT i.{_q('kind')}, i.{_q('value')}, i.{_q('customer_id')} FROM {idf} i "  # noqa: S608
        f"WHERE i.{_q('organisation_id')} = %s AND i.{_q('kind')} = %s AND i.{_q('value')} IN ({marks})"
    )
    params: list[Any] = [organisation_id, kind, *values]
    if kind == Kind.REFERENCE:
        sql += (
            f" UNION SELECT '{Kind.REFERENCE.value}', c.{_q('reference')}, c.{_q('id')} "  # noqa: S608
            f"FROM {cu} c WHERE c.{_q('organisation_id')} = %s AND c.{_q('reference')} IN ({marks})"
        )
        params += [organisation_id, *values]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(str(k), str(v), int(c)) for k, v, c in cursor.fetchall()]


_EVENT_COLUMNS = (
    "organisation_id",
    "customer_id",
    "channel",
    "direction",
    "started_at",
    "duration_seconds",
    "service",
    "handler",
    "key",
    "source_id",
)


_CONFLICT = '"customer_id", "started_at", "key"'


def _insert_events(rows: list[tuple[Any, ...]]) -> int:
    """Insert new events, skipping those already held; how many were new."""
    table = _q(ContactEvent._meta.db_table)
    columns = ", ".join(_q(c) for c in _EVENT_COLUMNS)
    if connection.vendor == "postgresql":
        return _copy_events(table, columns, rows)
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(_EVENT_COLUMNS))}) "  # noqa: S608
        f"ON CONFLICT ({_CONFLICT}) DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
        return max(cursor.rowcount, 0)


def _copy_events(table: str, columns: str, rows: list[tuple[Any, ...]]) -> int:
    """PostgreSQL: COPY into a temporary table, then one INSERT ... SELECT ... ON CONFLICT."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS engage_contact_events_in ON COMMIT DELETE ROWS "  # noqa: S608
            f"AS SELECT {columns} FROM {table} WITH NO DATA"
        )
        raw = cursor.cursor
        with raw.copy(f"COPY engage_contact_events_in ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM engage_contact_events_in "  # noqa: S608
            f"ON CONFLICT ({_CONFLICT}) DO NOTHING"
        )
        stored = max(cursor.rowcount, 0)
        cursor.execute("TRUNCATE engage_contact_events_in")
        return stored


def _add_tallies(organisation_id: int, tallies: Mapping[tuple[dt.date, str, str, str], int]) -> None:
    table = _q(ContactTally._meta.db_table)
    sql = (
        f"INSERT INTO {table} ({_q('organisation_id')}, {_q('day')}, {_q('channel')}, {_q('direction')}, "  # noqa: S608
        f"{_q('outcome')}, {_q('count')}) VALUES (%s, %s, %s, %s, %s, %s) "
        f"ON CONFLICT ({_q('organisation_id')}, {_q('day')}, {_q('channel')}, {_q('direction')}, {_q('outcome')}) "
        f"DO UPDATE SET {_q('count')} = {table}.{_q('count')} + excluded.{_q('count')}"
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            sql,
            [
                (organisation_id, day, channel, direction, outcome, n)
                for (day, channel, direction, outcome), n in sorted(tallies.items())
            ],
        )


def write_csv(rows: Iterable[Mapping[str, Any]], out: io.TextIOBase) -> None:
    """Write events in the import's CSV format (the demo and the benchmarks use it)."""
    writer = csv.writer(out)
    writer.writerow(COLUMNS[:7])
    for row in rows:
        writer.writerow([row.get(c, "") for c in COLUMNS[:7]])
