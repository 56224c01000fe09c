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

How (ADR 0006): the file is read in blocks of rows held as columns (polars). `import_frame.decide`
validates and normalises the rows it can decide exactly as `_parse` would, in bulk; `_parse`
takes the rest one by one (unusual spellings, identifiers that need `phonenumbers`, and every row
to be rejected, so that each rejection names its line and column in one wording). Each block's
identifiers are resolved to customers with one query a kind (or, for a large file, against the
organisation's directory read once: `_Directory`), and each batch of the block is then
inserted, counted and evaluated in its own transaction. The next batches are made, down to the
values the database takes (`_Packed` on SQLite), in a second thread while the caller's thread
writes this one (`_Ahead`); only the caller's thread writes to the database. On SQLite a third
copies the write-ahead log into the database after each commit (`_Checkpointer`).

What is kept (data minimisation): an event matching exactly one customer is stored against
them (the surviving record, if merged). Anything else (no customer, several customers sharing a
number, a withheld number) is kept only as a count per day, channel and direction
(`ContactTally`); the identifier is never stored.

Idempotency: each event's `key` is a 64-bit hash of the normalised identifier, channel,
direction and handler (`import_frame.event_key`); with the customer and the start it is unique,
and `INSERT ... ON CONFLICT DO NOTHING` skips an event already held, from this file or any other.
(An event imported again after its customer's record was merged into another is stored again
against the record kept: a merge changes whom the identifier leads to.) Batches are numbered, and
each batch's events, counts and progress are committed together, so a file imported again
resumes after its last committed batch and the counts of unmatched events are never added twice.
(Two different files holding the same unmatched event do count it twice: nothing is kept that
could tell.)

Levels of contact are evaluated for each batch on the index (month, customer, started_at): only
for events in the last week (`LEVELS_HORIZON`), so that loading two years of history does not raise
items about last year.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import hashlib
import io
import itertools
import json
import logging
import queue
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Generic, Protocol, TypeVar, cast

import polars as pl
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from engage.audit.services import audit_record
from engage.contacts import import_frame, levels
from engage.contacts.import_frame import DIRECTIONS, EVENT_SCHEMA
from engage.contacts.models import EVENTS_AHEAD, ContactEvent, ContactImport, ContactTally
from engage.contacts.rules import LONDON
from engage.contacts.sql import vendor
from engage.customers import identifiers
from engage.customers.identifiers import Kind
from engage.customers.models import Customer, Identifier
from engage.organisations.models import Organisation
from engage.policy.vocabulary import Channel

logger = logging.getLogger(__name__)

__all__ = ["BATCH_SIZE", "COLUMNS", "REQUIRED", "Report", "contact_import", "record_one"]

# Rows a transaction. Each commit writes every page of the events' index its batch touched. With
# the index led by the month (ContactEvent), a log in time order touches only the last month's
# pages; when it was led by the customer, a batch touched most of the index, and larger batches
# were much faster (10M rows: 168 s at 50,000, 140 s at 100,000, 107 s at 200,000). Now that the
# writing thread is the import's limit again, each commit still counts: 10M rows took 30.8-31.5 s
# in batches of 200,000 against 32.6-34.1 s in batches of 100,000, peak RSS 1.25 against 1.1 GiB,
# much of it the identifier directory (docs/benchmarks.md, session 8). A batch holds SQLite's
# write lock for about half a second, which a page's check recorded meanwhile waits for.
BATCH_SIZE = 200_000
REQUIRED = ("identifier", "channel", "direction", "started_at")
OPTIONAL = ("duration_seconds", "service", "handler", "identifier_kind")
COLUMNS = REQUIRED + OPTIONAL
# Rows are read and decided this many at a time (then stored batch by batch): enough that the
# work per row, not per call, dominates; memory stays flat however long the file.
BLOCK_ROWS = 100_000
_BLOCK_CHARS = 8 << 20
# A file at least this large resolves identifiers against the organisation's whole directory,
# read once (a sequential scan, then joins in memory: memory grows with the number of
# identifiers, not with the file); a smaller one looks up each block's identifiers.
DIRECTORY_FROM_BYTES = 8 << 20
# Normalised texts are remembered across rows up to this many, then forgotten.
_CACHE_LIMIT = 200_000
_FUTURE_SLACK = EVENTS_AHEAD
_CHANNELS = {c.value for c in Channel}
_CHANNEL_OF = {c: c for c in _CHANNELS}  # the usual spelling, found without stripping and lowering
_CHANNEL_WORDS = {"in person": "in_person", "social media": "social_media", "online form": "online_form"}
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
        # Reads the header: a bad file fails here, before anything is stored.
        blocks = _csv_blocks(handle) if file_format == "csv" else _row_blocks(_jsonl_rows(handle), BLOCK_ROWS)
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
        if path.stat().st_size >= DIRECTORY_FROM_BYTES:
            batch_store.directory = _Directory(organisation.pk, batch_store.merged)
        checkpoints = _Checkpointer.for_connection()
        try:
            _bigger_cache()
            if checkpoints:
                checkpoints.start()
            produce = functools.partial(batch_store.store_blocks, blocks, row.batch_size, row.batches_done)
            with _Ahead(produce) as batches:
                for number, outcome in batches:
                    with transaction.atomic():
                        outcome.write()
                        _progress(row, outcome)
                        if after_batch is not None:
                            after_batch(number)
                    if checkpoints:
                        checkpoints.after_commit()
        except BaseException:
            # The batch in hand rolled back; those before it stay. Mark the import as stopped.
            ContactImport.objects.filter(pk=row.pk).update(status=ContactImport.Status.FAILED)
            raise
        finally:
            if checkpoints:
                checkpoints.stop()
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
        store = _BatchStore(organisation, actor, source=None, now=now)
        outcome = store.batch(store.resolve(_frame_of([(0, parsed)])), rows=1, rejections=[])
        outcome.write()
        result = outcome.single()
        audit_record(
            actor=actor,
            action="contact_event.record",
            organisation=organisation,
            detail={"channel": parsed.channel, "direction": parsed.direction, "outcome": result},
        )
    return result


# SQLite's default page cache (2 MiB) is less than a batch touches (the month's part of the events'
# index, the tallies); an import keeps this much in memory instead. A fixed amount: memory stays flat however long the file (docs/benchmarks.md).
IMPORT_CACHE_KIB = 256 * 1024
# Each batch's commit appends the index pages it touched to the write-ahead log, and by default
# SQLite copies the log into the database (syncing both) whenever it passes 1,000 pages: at
# nearly every batch. `_Checkpointer` copies it from another thread after each batch; should it
# fall behind, the importing connection lets the log grow to this size (in pages of the database's
# size: 51,200 of 4 KiB, 12,800 of 16 KiB) between its own checkpoints, so a page written by many
# batches is copied once. Durability is as before (synchronous=NORMAL: a commit is not synced
# until the next checkpoint), and a batch lost to a power cut is lost with its bookkeeping, so the
# import resumes before it.
IMPORT_CHECKPOINT_BYTES = 200 * 1024 * 1024
_saved_pragmas: list[tuple[int, int]] = []


def _bigger_cache(restore: bool = False) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        if not restore:
            cursor.execute("PRAGMA cache_size")
            cache = int(cursor.fetchone()[0])
            cursor.execute("PRAGMA wal_autocheckpoint")
            _saved_pragmas.append((cache, int(cursor.fetchone()[0])))
            cursor.execute("PRAGMA page_size")
            pages = IMPORT_CHECKPOINT_BYTES // int(cursor.fetchone()[0])
            cursor.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
            cursor.execute(f"PRAGMA wal_autocheckpoint = {pages}")
        elif _saved_pragmas:
            cache, pages = _saved_pragmas.pop()
            cursor.execute(f"PRAGMA cache_size = {cache}")
            cursor.execute(f"PRAGMA wal_autocheckpoint = {pages}")
            if not connection.in_atomic_block:
                # Copy the log back now, and shrink it if no reader holds it (otherwise later).
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


class _Checkpointer:
    """SQLite: copies the write-ahead log into the database after each batch's commit, from its
    own connection in its own thread, while the import goes on with the next batch.

    The copy (and its sync to disk) otherwise falls to the importing connection whenever the log
    passes IMPORT_CHECKPOINT_BYTES: about 9 pauses of 0.4 s in a 10M import. A PASSIVE checkpoint
    never waits for the writer, and once it has copied the whole log the writer's next
    transaction starts the log again from its beginning, so the log stays at a batch or two. If
    this falls behind or stops, the importing connection's own checkpoints still bound the log.
    Nothing here is needed for correctness: a failure is logged, and the import goes on."""

    def __init__(self, path: str):
        self.path = path
        self._wake = threading.Event()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="engage-import-checkpoint", daemon=True)
        self.made = 0  # checkpoints made (tests wait on it)

    @classmethod
    def for_connection(cls) -> _Checkpointer | None:
        """One for the default connection's database, if it is a file in WAL mode."""
        if vendor() != "sqlite":
            return None
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            (mode,) = cursor.fetchone()
        path = str(connection.settings_dict["NAME"])
        if str(mode).lower() != "wal" or not Path(path).is_file():
            return None  # in memory (tests), or not WAL: nothing to copy
        return cls(path)

    def start(self) -> None:
        self._thread.start()

    def after_commit(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        self._thread.join(timeout=60)

    def _run(self) -> None:
        try:
            database = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error:
            logger.exception("The import's checkpoints could not open the database")
            return
        try:
            while True:
                self._wake.wait()
                self._wake.clear()
                if self._stopping:
                    return
                try:
                    database.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error:
                    logger.exception("An import's checkpoint failed; the import goes on")
                self.made += 1
        finally:
            database.close()


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
# Reading: files to blocks of rows as columns (and the rows that cannot be read at all)
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


@dataclass
class _Block:
    """Data rows of a file, numbered from `first` (`seq`): the readable ones as columns (seq, line
    and COLUMNS, all text), and (seq, line, reason) for those that cannot be read at all."""

    rows: pl.DataFrame
    unreadable: list[tuple[int, int, str]]


_ROW_SCHEMA: dict[str, pl.DataType] = {
    "seq": pl.Int64(),
    "line": pl.Int64(),
    **{c: pl.String() for c in COLUMNS},
}


def _rows_frame(items: list[tuple[int, int, _Row]]) -> pl.DataFrame:
    columns: dict[str, list[Any]] = {"seq": [i[0] for i in items], "line": [i[1] for i in items]}
    for position, name in enumerate(COLUMNS):
        columns[name] = [i[2][position] for i in items]
    return pl.DataFrame(columns, schema=_ROW_SCHEMA)


def _row_blocks(rows: Iterator[tuple[int, _Row | str]], size: int, first: int = 0) -> Iterator[_Block]:
    """Blocks of `size` rows from (line, row or why it cannot be read): only one block is held."""
    seq = itertools.count(first)
    while True:
        chunk = list(itertools.islice(rows, size))
        if not chunk:
            return
        readable: list[tuple[int, int, _Row]] = []
        unreadable: list[tuple[int, int, str]] = []
        for (line, row), n in zip(chunk, seq, strict=False):
            if isinstance(row, str):
                unreadable.append((n, line, f"Line {line} {row}"))
            else:
                readable.append((n, line, row))
        yield _Block(_rows_frame(readable), unreadable)


def _header(handle: IO[str]) -> list[str]:
    """The CSV's header, checked: where each of COLUMNS is in a row (len(header) if absent)."""
    try:
        header = next(csv.reader([handle.readline()]))
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
    return names


def _csv_blocks(handle: IO[str]) -> Iterator[_Block]:
    """Blocks of the CSV's rows. A block with no quote, lone carriage return or NUL is split into
    lines and fields by polars (every line is then one record); any other block goes through
    Python's csv module, exactly as before."""
    names = _header(handle)
    return _csv_generate(handle, names)


def _csv_generate(handle: IO[str], names: list[str]) -> Iterator[_Block]:
    width = len(names)
    positions = [names.index(c) if c in names else width for c in COLUMNS]
    line, seq = 1, 0  # lines read so far, data rows so far
    while True:
        text = handle.read(_BLOCK_CHARS)
        if not text:
            return
        if not text.endswith("\n"):
            text += handle.readline()
        simple = text.replace("\r\n", "\n") if "\r" in text else text
        if '"' in simple or "\r" in simple or "\x00" in simple:
            block, line, seq = _csv_slow_block(text, handle, line, seq, width, positions)
        else:
            block, line, seq = _csv_fast_block(simple, line, seq, width, positions)
        yield block


def _csv_fast_block(
    text: str, line: int, seq: int, width: int, positions: list[int]
) -> tuple[_Block, int, int]:
    """A block without quotes, lone carriage returns or NULs (`simple`), every line a record."""
    data = text.encode()
    # polars' CSV reader, when every line has the header's number of fields: read_csv refuses a
    # line with more, and then the count of commas rules out one with fewer, or a blank line (a
    # row to polars, skipped by Python's csv). 12-15 ms against 34-35 for a block of 104,162
    # lines split and cut up as _csv_split_block does. A block starting with a byte-order mark is
    # left to that (polars would drop the mark).
    if width > 1 and not data.startswith(codecs.BOM_UTF8):
        names = [f"f{i}" for i in range(width)]
        try:
            fields = pl.read_csv(
                data,
                has_header=False,
                new_columns=names,
                quote_char=None,
                infer_schema=False,
                empty_string_is_null=False,
            )
        except pl.exceptions.PolarsError:  # a line with more fields than the first, above all
            fields = None
        if fields is not None and fields.width == width and data.count(b",") == fields.height * (width - 1):
            empty = pl.lit("", dtype=pl.String)
            rows = fields.with_row_index("at").select(
                (pl.col("at").cast(pl.Int64) + seq).alias("seq"),
                (pl.col("at").cast(pl.Int64) + line + 1).alias("line"),
                *[
                    (pl.col(names[p]) if p < width else empty).alias(name)
                    for name, p in zip(COLUMNS, positions, strict=True)
                ],
            )
            return _Block(rows, []), line + fields.height, seq + fields.height
    return _csv_split_block(text, line, seq, width, positions)


def _csv_split_block(
    text: str, line: int, seq: int, width: int, positions: list[int]
) -> tuple[_Block, int, int]:
    """A simple block (see _csv_fast_block) split into lines, and each line with the header's
    number of fields into its fields; the others are reported as unreadable."""
    split = pl.DataFrame({"text": pl.Series([text]).str.split("\n").explode()})
    lines = (
        (split.head(-1) if text.endswith("\n") else split)  # nothing after the last line break
        .with_row_index("at")
        .with_columns(
            line=pl.col("at").cast(pl.Int64) + line + 1, commas=pl.col("text").str.count_matches(",")
        )
    )
    next_line = line + lines.height
    # Python's csv skips a line with nothing on it, or only spaces (and no comma).
    lonely = lines.filter(pl.col("commas") == 0)
    if lonely.height:
        blank = [at for at, t in zip(lonely["at"], lonely["text"], strict=True) if not t.strip()]
        if blank:
            lines = lines.filter(~pl.col("at").is_in(blank))
    lines = lines.with_columns(seq=pl.int_range(seq, seq + lines.height, dtype=pl.Int64))
    next_seq = seq + lines.height
    wrong = lines.filter(pl.col("commas") != width - 1)
    unreadable = [
        (s, n, f"Line {n} has {c + 1} columns where the header has {width}")
        for s, n, c in zip(wrong["seq"], wrong["line"], wrong["commas"], strict=True)
    ]
    good = lines.filter(pl.col("commas") == width - 1)
    fields = (
        good.select("seq", "line", pl.col("text").str.split_exact(",", width - 1).struct.unnest())
        if width > 1
        else good.select("seq", "line", pl.col("text").alias("field_0"))
    )
    empty = pl.lit("", dtype=pl.String)
    rows = fields.select(
        "seq",
        "line",
        *[
            (pl.col(f"field_{p}") if p < width else empty).alias(name)
            for name, p in zip(COLUMNS, positions, strict=True)
        ],
    )
    return _Block(rows.cast(_ROW_SCHEMA), unreadable), next_line, next_seq  # type: ignore[arg-type]


class _Lines:
    """A block's lines for csv.reader, then more of the file only while a record is unfinished."""

    def __init__(self, text: str, handle: IO[str]):
        self.lines = list(io.StringIO(text, newline=""))
        self.at = 0
        self.handle = handle

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.at < len(self.lines):
            self.at += 1
            return self.lines[self.at - 1]
        more = self.handle.readline()
        if not more:
            raise StopIteration
        return more

    @property
    def done(self) -> bool:
        return self.at >= len(self.lines)


def _csv_slow_block(
    text: str, handle: IO[str], line: int, seq: int, width: int, positions: list[int]
) -> tuple[_Block, int, int]:
    source = _Lines(text, handle)
    reader = csv.reader(source)
    readable: list[tuple[int, int, _Row]] = []
    unreadable: list[tuple[int, int, str]] = []
    before = 0  # lines of this block read before the record in hand
    while not source.done:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            unreadable.append(
                (seq, line + before + 1, f"Line {line + before + 1} cannot be read as CSV ({exc})")
            )
            seq += 1
            before = reader.line_num
            continue
        start, before = line + before + 1, reader.line_num
        if not values or (len(values) == 1 and not values[0].strip()):
            continue
        if len(values) != width:
            unreadable.append(
                (seq, start, f"Line {start} has {len(values)} columns where the header has {width}")
            )
        else:
            values.append("")
            readable.append((seq, start, [values[i] for i in positions]))
        seq += 1
    return _Block(_rows_frame(readable), unreadable), line + before, seq


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


# ---------------------------------------------------------------------------------------------
# Parsing one row (the per-row path: the rows the fast path leaves, and the API's single event)
# ---------------------------------------------------------------------------------------------

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
    direction = DIRECTIONS.get(direction_text) or DIRECTIONS.get(direction_text.strip().lower())
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
# Two threads: the next batches made while this one is written
# ---------------------------------------------------------------------------------------------

_R = TypeVar("_R")
_T = TypeVar("_T")


class _OnCaller(Protocol):
    """Runs a read of the database on the thread that owns the connection, and answers it."""

    def __call__(self, read: Callable[[], _R], /) -> _R: ...


def _at_once(read: Callable[[], _R], /) -> _R:
    return read()


class _Abandoned(Exception):
    """The caller stopped taking items: the producer ends."""


class _Ahead(Generic[_T]):
    """The items of `produce(on_caller)`, made in a second thread at most `depth` ahead of the
    caller's. Reading and deciding the next batches (polars, which releases the interpreter's lock
    while it works) then overlaps writing this one (sqlite3 and psycopg release it while the
    database works): the import uses two cores instead of one. Memory stays flat: the producer
    waits while `depth` items are ready.

    Only the caller's thread uses the database. Django's connections are per thread, and a second
    connection would not see what the caller has not committed (a test's data, for one). The
    producer passes each read to `on_caller`, which hands it to the caller's thread; that runs it
    between two items, so outside any batch's transaction, and the producer waits for the answer.

    An exception in the producer is raised in the caller's thread at the item it would have made.
    Use as a context manager: leaving it, normally or not, stops the producer and waits for it.
    """

    def __init__(self, produce: Callable[[_OnCaller], Iterable[_T]], depth: int = 1):
        self._produce = produce
        self._queue: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=depth)
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="engage-import-ahead", daemon=True)

    def __enter__(self) -> Iterator[_T]:
        self._thread.start()
        return self._items()

    def __exit__(self, *exc: object) -> None:
        self._stopped.set()
        while self._thread.is_alive():
            self._refuse_waiting_reads()
            self._thread.join(timeout=0.05)
        self._refuse_waiting_reads()

    def _items(self) -> Iterator[_T]:
        while True:
            what, payload = self._queue.get()
            if what == "item":
                yield payload
            elif what == "read":
                read, answer = payload
                try:
                    answer.set_result(read())
                except BaseException as exc:
                    answer.set_exception(exc)
            elif what == "error":
                raise payload
            else:
                return

    def _run(self) -> None:
        try:
            try:
                for item in self._produce(self._on_caller):
                    self._send("item", item)
            except _Abandoned:
                raise
            except BaseException as exc:
                self._send("error", exc)
            else:
                self._send("done", None)
        except _Abandoned:
            pass  # the caller has gone: nobody to tell

    def _on_caller(self, read: Callable[[], _R], /) -> _R:
        answer: Future[_R] = Future()
        self._send("read", (read, answer))
        return answer.result()

    def _send(self, what: str, payload: Any) -> None:
        while not self._stopped.is_set():
            try:
                self._queue.put((what, payload), timeout=0.05)
                return
            except queue.Full:
                continue
        raise _Abandoned

    def _refuse_waiting_reads(self) -> None:
        while True:
            try:
                what, payload = self._queue.get_nowait()
            except queue.Empty:
                return
            if what == "read":
                payload[1].set_exception(_Abandoned())


# ---------------------------------------------------------------------------------------------
# Storing: blocks to batches
# ---------------------------------------------------------------------------------------------


@dataclass
class _Outcome:
    """One batch: what it will write (`events`), and once written, what became of its rows."""

    rows: int = 0
    stored: int = 0
    duplicates: int = 0
    counted_only: int = 0
    rejections: list[dict[str, Any]] = field(default_factory=list)
    flags_raised: int = 0
    singles: list[str] = field(default_factory=list)
    # What write() stores, inside the batch's transaction; dropped once written. The events
    # matched to a customer (`inserts`: as the database takes them), and those only counted.
    matched: pl.DataFrame | None = None
    counted: pl.DataFrame | None = None
    inserts: pl.DataFrame | _Packed | None = None
    store: _BatchStore | None = None

    def single(self) -> str:
        return self.singles[0]

    def write(self) -> None:
        """Store the batch: call inside its transaction, with its bookkeeping."""
        assert self.store is not None
        self.store.write(self)


def _frame_of(parsed: list[tuple[int, _Event]]) -> pl.DataFrame:
    """Events parsed one by one (seq, event), as the fast path's columns."""
    return pl.DataFrame(
        {
            "seq": [s for s, _ in parsed],
            "line": [e.line for _, e in parsed],
            "kind": [e.kind for _, e in parsed],
            "value": [e.value for _, e in parsed],
            "channel": [e.channel for _, e in parsed],
            "direction": [e.direction for _, e in parsed],
            "started_at": [e.started_at for _, e in parsed],
            "duration": [e.duration for _, e in parsed],
            "service": [e.service for _, e in parsed],
            "handler": [e.handler for _, e in parsed],
        },
        schema=EVENT_SCHEMA,
    )


class _BatchStore:
    """Stores batches for one organisation: resolves identifiers, inserts, counts, evaluates levels."""

    def __init__(
        self, organisation: Organisation, actor: Any, *, source: ContactImport | None, now: dt.datetime
    ):
        self.organisation = organisation
        self.actor = actor
        self.source_id = source.pk if source else None
        self.now = now
        # Merged records and the record each was merged into (merges are few, and one hop).
        self.merged: dict[int, int] = dict(
            Customer.objects.filter(organisation=organisation, merged_into__isnull=False).values_list(
                "pk", "merged_into_id"
            )
        )
        self.thresholds = levels.thresholds_for(organisation)
        self.vendor = connection.vendor
        self.directory: _Directory | None = None

    def store_blocks(
        self, blocks: Iterator[_Block], batch_size: int, batches_done: int, on_caller: _OnCaller = _at_once
    ) -> Iterator[tuple[int, _Outcome]]:
        """(batch number, what to commit) for each batch after the first `batches_done`; the caller
        commits each in its own transaction. Rows are decided and resolved a block at a time; the
        database is read through `on_caller` (see _Ahead)."""
        skip = batches_done * batch_size
        pending: list[_Block] = []
        held = 0
        for block in blocks:
            pending.append(block)
            held += block.rows.height + len(block.unreadable)
            if held < max(batch_size, BLOCK_ROWS):
                continue
            rows = pl.concat([b.rows for b in pending])
            unreadable = [u for b in pending for u in b.unreadable]
            last = max(cast(int, rows["seq"].max() or -1), max((u[0] for u in unreadable), default=-1))
            cut = ((last + 1) // batch_size) * batch_size  # rows from here wait for the next block
            pending = [_Block(rows.filter(pl.col("seq") >= cut), [u for u in unreadable if u[0] >= cut])]
            held = pending[0].rows.height + len(pending[0].unreadable)
            yield from self._batches(
                rows.filter(pl.col("seq") < cut),
                [u for u in unreadable if u[0] < cut],
                batch_size,
                skip,
                on_caller,
            )
        if pending:
            rows = pl.concat([b.rows for b in pending])
            unreadable = [u for b in pending for u in b.unreadable]
            yield from self._batches(rows, unreadable, batch_size, skip, on_caller)

    def _batches(
        self,
        rows: pl.DataFrame,
        unreadable: list[tuple[int, int, str]],
        batch_size: int,
        skip: int,
        on_caller: _OnCaller,
    ) -> Iterator[tuple[int, _Outcome]]:
        rows = rows.filter(pl.col("seq") >= skip)
        unreadable = [u for u in unreadable if u[0] >= skip]
        if rows.height == 0 and not unreadable:
            return
        decided, slow = import_frame.decide(rows, self.now)
        rejected = list(unreadable)
        parsed: list[tuple[int, _Event]] = []
        if len(slow):
            for values in rows[slow].iter_rows():
                seq, line, *row = values
                try:
                    parsed.append((seq, _parse(row, line, self.now)))
                except _Rejected as exc:
                    rejected.append((seq, line, f"Line {line}: {exc}"))
        events = self.resolve(pl.concat([decided, _frame_of(parsed)]) if parsed else decided, on_caller)
        events = events.with_columns(batch=pl.col("seq") // batch_size)
        by_batch: dict[int, list[dict[str, Any]]] = {}
        for seq, line, reason in sorted(rejected):
            by_batch.setdefault(seq // batch_size, []).append({"line": line, "reason": reason})
        numbers = sorted(set(events["batch"].unique().to_list()) | set(by_batch))
        sizes = dict(rows.select(b=pl.col("seq") // batch_size).group_by("b").len().iter_rows())
        for u in unreadable:
            sizes[u[0] // batch_size] = sizes.get(u[0] // batch_size, 0) + 1
        parts = events.partition_by("batch", as_dict=True, include_key=False)
        empty = events.clear().drop("batch")
        for number in numbers:
            batch = parts.get((number,), empty)
            yield (
                number + 1,
                self.batch(batch, rows=sizes.get(number, 0), rejections=by_batch.get(number, [])),
            )

    def resolve(self, events: pl.DataFrame, on_caller: _OnCaller = _at_once) -> pl.DataFrame:
        """`events` with `customer` (the single customer each identifier leads to, or null) and
        `outcome` ("" when matched, else why not): one query a kind of identifier, read through
        `on_caller`."""
        if self.directory is not None:
            events = self.directory.attach(events, on_caller)
        else:
            wanted = events.filter(pl.col("kind") != "").select("kind", "value").unique()

            def lookup() -> list[tuple[str, str, int]]:
                found: list[tuple[str, str, int]] = []
                for (kind,), values in wanted.group_by("kind"):
                    found += _resolve_sql(self.organisation.pk, str(kind), values["value"].to_list())
                return found

            hits = pl.DataFrame(on_caller(lookup), schema=_HIT_SCHEMA, orient="row")
            events = events.join(
                _whose(hits, self.merged, ["kind", "value"]), on=["kind", "value"], how="left"
            )
        events = events.with_columns(
            outcome=pl.when(pl.col("kind") == "")
            .then(pl.lit(UNRECOGNISED))
            .when(pl.col("customers").is_null())
            .then(pl.lit(UNMATCHED))
            .when(pl.col("customers") > 1)
            .then(pl.lit(AMBIGUOUS))
            .otherwise(pl.lit("")),
        ).with_columns(customer=pl.when(pl.col("outcome") == "").then(pl.col("customer")))
        return events.with_columns(key=pl.when(pl.col("outcome") == "").then(import_frame.key_expr(events)))

    def batch(self, events: pl.DataFrame, *, rows: int, rejections: list[dict[str, Any]]) -> _Outcome:
        """What one batch will write: its resolved and keyed events, in index order, and the rows
        to insert as the database takes them (made here, ahead of the writer: see _Ahead)."""
        # In the order of the events' index (month, customer, ...): each page of it that the
        # batch touches is then written once. One number to sort on (customers' ids are far below
        # 2**40) sorts in half the time of two columns; a customer's few events in a month share
        # a page anyway.
        # Only the columns stored and evaluated are sorted: moving the identifiers too took as long
        # again as the rest.
        utc = pl.col("started_at")  # in UTC (EVENT_SCHEMA), as ContactEvent.month counts
        month = utc.dt.year().cast(pl.Int64) * 12 + utc.dt.month().cast(pl.Int64) - 1
        matched = (
            events.filter(pl.col("outcome") == "")
            .select(_MATCHED_COLUMNS)
            .sort(month * (1 << 40) + pl.col("customer"))
        )
        return _Outcome(
            rows=rows,
            rejections=rejections,
            matched=matched,
            counted=events.filter(pl.col("outcome") != ""),
            inserts=self._event_rows(matched),
            store=self,
        )

    def write(self, outcome: _Outcome) -> None:
        """Insert, count and evaluate one batch: inside the batch's transaction."""
        matched, counted, inserts = outcome.matched, outcome.counted, outcome.inserts
        assert matched is not None
        assert counted is not None
        assert inserts is not None
        stored = _insert_events(inserts, self.organisation.pk, self.source_id) if matched.height else 0
        outcome.stored = stored
        outcome.duplicates = matched.height - stored
        outcome.counted_only = counted.height
        if matched.height + counted.height == 1:
            outcome.singles.append(
                counted["outcome"][0] if counted.height else ("stored" if stored else "duplicate")
            )
        if counted.height:
            _add_tallies(self.organisation.pk, counted)
        if matched.height and self.thresholds.any:
            recent = matched.filter(
                (pl.col("started_at") >= pl.lit(self.now - levels.LEVELS_HORIZON).dt.convert_time_zone("UTC"))
                & (pl.col("direction") == "inbound")
            )
            if recent.height:
                outcome.flags_raised = levels.evaluate(
                    self.organisation,
                    self.thresholds,
                    [
                        levels.NewEvent(c, ch, d, at, s or 0, h)
                        for c, ch, d, at, s, h in recent.select(
                            "customer", "channel", "direction", "started_at", "duration", "handler"
                        ).iter_rows()
                    ],
                    now=self.now,
                    actor=self.actor,
                )
        outcome.matched = outcome.counted = outcome.inserts = None

    def _event_rows(self, matched: pl.DataFrame) -> pl.DataFrame | _Packed:
        """The batch's events as the database takes them: packed for SQLite (`_Packed`); for
        PostgreSQL, `_EVENT_COLUMNS` for COPY."""
        if self.vendor == "sqlite":
            return _Packed.of(matched)
        return matched.select(
            pl.col("customer").alias("customer_id"),
            "channel",
            "direction",
            "started_at",
            pl.col("duration").alias("duration_seconds"),
            "service",
            "handler",
            "key",
        )


@dataclass(frozen=True)
class _Packed:
    """A batch of events for SQLite, as one INSERT ... SELECT unpacks them (`_insert_packed`).

    Binding eight values a row from Python (`executemany`) holds the interpreter's lock for every
    row, against the thread making the next batch; this is made by polars in that thread, and the
    writer then runs one statement for the whole batch, which SQLite works through without the
    lock. Each event's numbers and start are fixed-width ASCII fields of `data` (a blob, so that
    `substr` finds a field by its byte offset); its channel, direction, service and handler are
    one of the batch's few `combos`, by code."""

    data: bytes
    rows: int
    widths: tuple[int, int, int, int, int]  # customer, started_at, duration (-1: none), key, combo
    uneven_start: bool  # some starts have microseconds and some not: trim the padding
    combos: list[tuple[int, str, str, str, str]]

    FIELDS = ("customer", "started_at", "duration", "key", "combo")
    TEXTS = ("channel", "direction", "service", "handler")

    @classmethod
    def of(cls, matched: pl.DataFrame) -> _Packed:
        when = pl.col("started_at").dt.replace_time_zone(None)
        combos = matched.select(cls.TEXTS).unique(maintain_order=True).with_row_index("combo")
        fields = matched.join(
            combos, on=list(cls.TEXTS), how="left", maintain_order="left", nulls_equal=True
        ).select(
            customer=pl.col("customer").cast(pl.String),
            # As Django stores datetimes in SQLite: UTC text, microseconds only when there are some.
            started_at=when.dt.strftime("%Y-%m-%d %H:%M:%S%.6f").str.strip_suffix(".000000"),
            duration=pl.col("duration").fill_null(-1).cast(pl.String),
            key=pl.col("key").cast(pl.String),
            combo=pl.col("combo").cast(pl.String),
        )
        lengths = fields.select(
            pl.all().str.len_bytes().max().name.suffix("_max"),
            started_min=pl.col("started_at").str.len_bytes().min(),
        )
        widths = tuple(int(lengths[f"{f}_max"][0] or 1) for f in cls.FIELDS)
        data = fields.select(
            pl.concat_str([pl.col(f).str.pad_end(w) for f, w in zip(cls.FIELDS, widths, strict=True)])
            .str.join("")
            .cast(pl.Binary)
        ).item()
        return cls(
            data=data or b"",
            rows=matched.height,
            widths=cast(tuple[int, int, int, int, int], widths),
            uneven_start=int(lengths["started_min"][0] or 0) != widths[1],
            combos=combos.rows(),
        )


# What is kept of a matched event for storing it and evaluating levels of contact.
_MATCHED_COLUMNS = ("customer", "channel", "direction", "started_at", "duration", "service", "handler", "key")
_HIT_SCHEMA = {"kind": pl.String, "value": pl.String, "customer": pl.Int64}
_ENTRY_SCHEMA = {
    "_hash": pl.UInt64,
    "kind": pl.String,
    "value": pl.String,
    "customer": pl.Int64,
    "customers": pl.UInt32,
}


class _Directory:
    """An organisation's identifiers of each kind (value, customer), and its customers' references
    as identifiers of kind "reference", read once and kept in memory: what `_resolve_sql` finds,
    for a large file. A kind is read when a block first needs it, so a log of calls reads only the
    phone numbers.

    The kinds read so far are kept as one table: each (kind, value) once, with the one customer it
    leads to and how many (`_whose`), in order of a 64-bit hash of the value. A block's
    identifiers are then found by a binary search of their hashes, and the kind and value
    compared, so that two values sharing a hash are still told apart: a hash join would hash the
    whole directory again for every block. The answer is made in the block's own order, so it
    needs no join back to the block."""

    def __init__(self, organisation_id: int, merged: Mapping[int, int]):
        self.organisation_id = organisation_id
        self.merged = merged
        self.kinds: set[str] = set()
        self.entries = pl.DataFrame(schema=_ENTRY_SCHEMA)
        self.longest_run = 1  # the most entries sharing one hash

    def attach(self, events: pl.DataFrame, on_caller: _OnCaller = _at_once) -> pl.DataFrame:
        """`events` with `customer` and `customers` (null where no record has the identifier)."""
        unread = [k for k in events["kind"].unique().to_list() if k and k not in self.kinds]
        if unread:
            self._add({kind: on_caller(functools.partial(self._read, kind)) for kind in unread})
        nothing = events.with_columns(
            customer=pl.lit(None, dtype=pl.Int64), customers=pl.lit(None, dtype=pl.UInt32)
        )
        if self.entries.height == 0 or events.height == 0:
            return nothing
        hashes = events.select(_value_hash()).to_series()
        first = self.entries["_hash"].search_sorted(hashes)
        customer, customers = nothing["customer"], nothing["customers"]
        # Entries sharing a hash (for a million numbers, about once in 40 million directories) lie
        # side by side: each is compared. A (kind, value) is held once, so it matches once.
        for step in range(self.longest_run):
            found = self.entries[(first + step).clip(0, self.entries.height - 1)]
            hit = (
                (found["_hash"] == hashes)
                & (found["value"] == events["value"])
                & (found["kind"] == events["kind"])
            ).fill_null(False)
            customer = found["customer"].zip_with(hit, customer)
            customers = found["customers"].zip_with(hit, customers)
        return events.with_columns(customer, customers)

    def _add(self, pairs_by_kind: Mapping[str, pl.DataFrame]) -> None:
        parts = [self.entries]
        for kind, pairs in pairs_by_kind.items():
            part = _whose(pairs, self.merged, ["value"]).with_columns(kind=pl.lit(kind), _hash=_value_hash())
            parts.append(part.select(*_ENTRY_SCHEMA))
            self.kinds.add(kind)
        self.entries = pl.concat(parts).cast(_ENTRY_SCHEMA).sort("_hash")  # type: ignore[arg-type]
        hashes = self.entries["_hash"]
        self.longest_run = 1
        if hashes.n_unique() < self.entries.height:
            self.longest_run = cast(int, hashes.value_counts()["count"].max())

    def _read(self, kind: str) -> pl.DataFrame:
        # From the index identifier_lookup (organisation, kind, value, customer) alone.
        part = _read_pairs(
            _q(Identifier._meta.db_table),
            _q("value"),
            _q("customer_id"),
            f"{_q('organisation_id')} = %s AND {_q('kind')} = %s",
            [self.organisation_id, kind],
        )
        if kind == Kind.REFERENCE:
            # From the unique index (organisation, reference), which holds the id too on SQLite.
            references = _read_pairs(
                _q(Customer._meta.db_table),
                _q("reference"),
                _q("id"),
                f"{_q('organisation_id')} = %s AND {_q('reference')} <> ''",
                [self.organisation_id],
            )
            part = pl.concat([part, references]).unique()
        return part


def _whose(hits: pl.DataFrame, merged: Mapping[int, int], by: list[str]) -> pl.DataFrame:
    """Each identifier in `hits` (columns `by` and customer) once, with the customer it leads to
    (the surviving record, if merged) and how many customers it leads to (`customers`)."""
    if merged:
        hits = hits.with_columns(pl.col("customer").replace(merged))
    return hits.unique().group_by(by).agg(customer=pl.col("customer").first(), customers=pl.len())


def _value_hash() -> pl.Expr:
    # polars' hash: fixed within a process, which is all the directory needs.
    return pl.col("value").hash(seed=0)


_PART_SCHEMA = {"value": pl.String, "customer": pl.Int64}
_PART_ARRAYS = {"value": pl.List(pl.String), "customer": pl.List(pl.Int64)}
_READ_ROWS = 250_000  # pairs of the directory read a statement: the text in hand stays small


def _read_pairs(table: str, value: str, customer: str, where: str, params: list[Any]) -> pl.DataFrame:
    """(value, customer) of the rows of `table` matching `where`, read in order of (value,
    customer) so that an index holding both serves them without visiting the table: a range of
    `_READ_ROWS` pairs a statement, each range as one JSON text of two arrays (a Python object a
    row would cost more than the scan; JSON holds any value as it is)."""
    pair, order = f"({value}, {customer})", f"{value}, {customer}"
    if connection.vendor == "postgresql":
        arrays = (
            f"json_build_object('value', coalesce(json_agg({value}), '[]'), "
            f"'customer', coalesce(json_agg({customer}), '[]'))::text"
        )
    else:
        arrays = f"json_object('value', json_group_array({value}), 'customer', json_group_array({customer}))"
    frames = [pl.DataFrame(schema=_PART_SCHEMA)]
    after: list[Any] = []  # the last pair read
    with connection.cursor() as cursor:
        while True:
            start = f" AND {pair} > (%s, %s)" if after else ""
            cursor.execute(
                f"SELECT {order} FROM {table} WHERE {where}{start} "  # noqa: S608
                f"ORDER BY {order} LIMIT 1 OFFSET {_READ_ROWS - 1}",
                [*params, *after],
            )
            last = cursor.fetchone()
            end = f" AND {pair} <= (%s, %s)" if last else ""
            # Both arrays are built from the same rows in the same order.
            cursor.execute(
                f"SELECT {arrays} FROM {table} WHERE {where}{start}{end}",  # noqa: S608
                [*params, *after, *(last or ())],
            )
            (text,) = cursor.fetchone()
            frames.append(pl.read_json(text.encode(), schema=_PART_ARRAYS).explode("value", "customer"))
            del text
            if not last:
                return pl.concat(frames)
            after = list(last)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _resolve_sql(organisation_id: int, kind: str, values: list[str]) -> list[tuple[str, str, int]]:
    """(kind, value, customer) of each identifier among `values` on a record: one statement, the
    values passed as one JSON array (SQLite) or array (PostgreSQL). Merged records are mapped to
    their survivor by the caller, which saves a random read of the customer for every identifier."""
    idf, cu = _q(Identifier._meta.db_table), _q(Customer._meta.db_table)
    if connection.vendor == "sqlite":
        among, param = "IN (SELECT value FROM json_each(%s))", json.dumps(values)
    else:
        among, param = "= ANY(%s)", values  # type: ignore[assignment]
    sql = (
        f"SELECT i.{_q('kind')}, i.{_q('value')}, i.{_q('customer_id')} FROM {idf} i "  # noqa: S608
        f"WHERE i.{_q('organisation_id')} = %s AND i.{_q('kind')} = %s AND i.{_q('value')} {among}"
    )
    params: list[Any] = [organisation_id, kind, param]
    if kind == Kind.REFERENCE:
        sql += (
            f" UNION SELECT '{Kind.REFERENCE.value}', c.{_q('reference')}, c.{_q('id')} "  # noqa: S608
            f"FROM {cu} c WHERE c.{_q('organisation_id')} = %s AND c.{_q('reference')} {among}"
        )
        params += [organisation_id, param]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(str(k), str(v), int(c)) for k, v, c in cursor.fetchall()]


# An event's own columns; its organisation and source are the batch's.
_EVENT_COLUMNS = (
    "customer_id",
    "channel",
    "direction",
    "started_at",
    "duration_seconds",
    "service",
    "handler",
    "key",
)


_CONFLICT = '"month", "customer_id", "started_at", "key"'


def _insert_events(events: pl.DataFrame | _Packed, organisation_id: int, source_id: int | None) -> int:
    """Insert new events of an organisation and source, skipping those already held; how many
    were new. `events` is packed for SQLite, or `_EVENT_COLUMNS` for PostgreSQL."""
    if isinstance(events, _Packed):
        return _insert_packed(events, organisation_id, source_id)
    table = _q(ContactEvent._meta.db_table)
    columns = ", ".join(_q(c) for c in _EVENT_COLUMNS)
    batch = f"{_q('organisation_id')}, {_q('source_id')}"
    return _copy_events(table, columns, batch, [organisation_id, source_id], events)


_SEQUENCE = "temp.engage_import_rows"
_COMBOS = "temp.engage_import_combos"


def _insert_packed(events: _Packed, organisation_id: int, source_id: int | None) -> int:
    """SQLite: the batch in one INSERT ... SELECT, over a temporary table of row numbers
    (0, 1, ...) and one of the batch's combos (see _Packed); both live as long as the connection."""
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the sqlite3 cursor
        raw.execute(f"CREATE TABLE IF NOT EXISTS {_SEQUENCE} (i INTEGER PRIMARY KEY)")
        raw.execute(f"SELECT coalesce(max(i) + 1, 0) FROM {_SEQUENCE}")  # noqa: S608
        (held,) = raw.fetchone()
        if held < events.rows:
            raw.execute(
                f"INSERT INTO {_SEQUENCE} (i) WITH RECURSIVE n(i) AS (SELECT ? UNION ALL "  # noqa: S608
                f"SELECT i + 1 FROM n WHERE i + 1 < ?) SELECT i FROM n",
                (held, events.rows),
            )
        raw.execute(
            f"CREATE TABLE IF NOT EXISTS {_COMBOS} "
            "(code INTEGER PRIMARY KEY, channel TEXT, direction TEXT, service TEXT, handler TEXT)"
        )
        raw.execute(f"DELETE FROM {_COMBOS}")  # noqa: S608
        raw.executemany(f"INSERT INTO {_COMBOS} VALUES (?, ?, ?, ?, ?)", events.combos)  # noqa: S608
        sql = _packed_sql(events.widths, events.uneven_start, int(organisation_id), source_id)
        before = connection.connection.total_changes
        raw.execute(sql, {"data": events.data, "rows": events.rows})
        return int(connection.connection.total_changes - before)


@functools.lru_cache(maxsize=32)
def _packed_sql(
    widths: tuple[int, int, int, int, int], uneven_start: bool, organisation_id: int, source_id: int | None
) -> str:
    """The INSERT ... SELECT that unpacks a `_Packed` batch of these field widths. The two numbers
    the batch's rows share are written into the statement."""
    width = sum(widths)
    field: dict[str, str] = {}
    offset = 1
    for name, size in zip(_Packed.FIELDS, widths, strict=True):
        field[name] = f"substr(:data, s.i * {width} + {offset}, {size})"
        offset += size
    started = f"CAST({field['started_at']} AS TEXT)"
    columns = ", ".join(_q(c) for c in ("organisation_id", "source_id", *_EVENT_COLUMNS))
    source = "NULL" if source_id is None else str(int(source_id))
    return (
        f"INSERT INTO {_q(ContactEvent._meta.db_table)} ({columns}) "  # noqa: S608
        f"SELECT {organisation_id}, {source}, CAST({field['customer']} AS INTEGER), c.channel, "
        f"c.direction, {f'rtrim({started})' if uneven_start else started}, "
        f"nullif(CAST({field['duration']} AS INTEGER), -1), c.service, c.handler, "
        f"CAST({field['key']} AS INTEGER) "
        f"FROM {_SEQUENCE} s JOIN {_COMBOS} c ON c.code = CAST({field['combo']} AS INTEGER) "
        f"WHERE s.i < :rows ORDER BY s.i ON CONFLICT ({_CONFLICT}) DO NOTHING"
    )


def _copy_events(table: str, columns: str, batch: str, shared: list[Any], events: pl.DataFrame) -> int:
    """PostgreSQL: COPY into a temporary table (the batch written as CSV by polars: strings
    quoted, so that an empty one is not NULL), then one INSERT ... SELECT ... ON CONFLICT with
    the `batch` columns the rows share."""
    text = events.write_csv(
        include_header=False, quote_style="non_numeric", datetime_format="%Y-%m-%d %H:%M:%S%.f%:z"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS engage_contact_events_in ON COMMIT DELETE ROWS "  # noqa: S608
            f"AS SELECT {columns} FROM {table} WITH NO DATA"
        )
        raw = cursor.cursor
        with raw.copy(f"COPY engage_contact_events_in ({columns}) FROM STDIN (FORMAT csv)") as copy:
            copy.write(text.encode())
        cursor.execute(
            f"INSERT INTO {table} ({batch}, {columns}) SELECT %s, %s, {columns} "  # noqa: S608
            f"FROM engage_contact_events_in ON CONFLICT ({_CONFLICT}) DO NOTHING",
            shared,
        )
        stored = max(cursor.rowcount, 0)
        cursor.execute("TRUNCATE engage_contact_events_in")
        return stored


def _add_tallies(organisation_id: int, counted: pl.DataFrame) -> None:
    """Add a batch's counted-only events to the day's counts (days in UK local time)."""
    tallies = (
        counted.group_by(
            day=pl.col("started_at").dt.convert_time_zone("Europe/London").dt.date(),
            channel="channel",
            direction="direction",
            outcome="outcome",
        )
        .len()
        .sort("day", "channel", "direction", "outcome")
    )
    table = _q(ContactTally._meta.db_table)
    sql = (
        f"INSERT INTO {table} ({_q('organisation_id')}, {_q('day')}, {_q('channel')}, {_q('direction')}, "  # noqa: S608
        f"{_q('outcome')}, {_q('count')}) VALUES (%s, %s, %s, %s, %s, %s) "
        f"ON CONFLICT ({_q('organisation_id')}, {_q('day')}, {_q('channel')}, {_q('direction')}, {_q('outcome')}) "
        f"DO UPDATE SET {_q('count')} = {table}.{_q('count')} + excluded.{_q('count')}"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(organisation_id, *row) for row in tallies.iter_rows()])


def write_csv(rows: Iterable[Mapping[str, Any]], out: io.TextIOBase) -> None:
    """Write events in the import's CSV format (the demo and the benchmarks use it)."""
    writer = csv.writer(out)
    writer.writerow(COLUMNS[:7])
    for row in rows:
        writer.writerow([row.get(c, "") for c in COLUMNS[:7]])
