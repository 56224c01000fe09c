"""Contact-event rows as columns: the import's fast path (ADR 0006).

`decide` takes a block of rows (string columns, as read) and returns the events it can decide
exactly as the per-row parser (`importer._parse`) would, and the positions of the rest, which the
importer hands to that parser one by one: rows with unusual spellings (" Phone", "In"), dates with
fractions or a space, UK local times in the hour that does not exist, identifiers that need
`phonenumbers` or Unicode, and every row that is to be rejected (so every rejection message comes
from one place). The fast path only ever narrows what it accepts; it never guesses.

`event_key` defines the idempotency key and `key_expr` computes the same value for a column.
"""

from __future__ import annotations

import datetime as dt
from typing import cast

import polars as pl

from engage.policy.vocabulary import Channel

__all__ = ["EVENT_SCHEMA", "decide", "event_key", "key_expr"]

# The decided events: what the importer resolves, counts and stores.
EVENT_SCHEMA: dict[str, pl.DataType] = {
    "seq": pl.Int64(),  # the row's place among the file's data rows (0-based): batches are cut on it
    "line": pl.Int64(),
    "kind": pl.String(),  # "" when the identifier is withheld or unusable
    "value": pl.String(),
    "channel": pl.String(),
    "direction": pl.String(),
    "started_at": pl.Datetime("us", "UTC"),
    "duration": pl.Int64(),
    "service": pl.String(),
    "handler": pl.String(),
}

# The spellings both parsers take (the per-row parser in `importer` imports them from here).
CHANNELS = sorted(c.value for c in Channel)
DIRECTIONS = {
    "inbound": "inbound",
    "in": "inbound",
    "incoming": "inbound",
    "outbound": "outbound",
    "out": "outbound",
    "outgoing": "outbound",
}
_KIND_BY_CHANNEL = {"phone": "phone", "email": "email", "social_media": "social"}
# Anything Python's str.strip() would remove: the fast path only takes values it need not strip.
_EDGE_SPACE = r"^[\s\x1c-\x1f]|[\s\x1c-\x1f]$"
_ISO = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])?$"
_CLOCK = r"^(?:([0-9]{1,5}):)?([0-9]{1,2}):([0-9]{2})$"
_PLAIN = r"^[!-~]+$"  # printable ASCII without spaces: Unicode normalisation and casefolding are no-ops
_UK_PHONE_CHARS = r"^[0-9+ ()\-]+$"
_UK_PHONE = r"^(?:\+44|0)([1-9][0-9]{9})$"
_EMAIL = r"^[^@]+@[^@]+\.[^@.]+$"
_PHONE_LIKE = r"(?i)^(?:tel:)?\+?[0-9().\-/]+(?:(?:ext\.?|x|#)[0-9]+)?$"
_POSTCODE = r"^(?:GIR0AA|[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][ABD-HJLNP-UW-Z]{2})$"
_FUTURE_SLACK = dt.timedelta(days=1)
_LONDON = "Europe/London"


def decide(rows: pl.DataFrame, now: dt.datetime) -> tuple[pl.DataFrame, pl.Series]:
    """(the events decided, in EVENT_SCHEMA; the row positions left to the per-row parser).

    `rows` has the columns seq, line and the eight of importer.COLUMNS as strings ("" when absent).
    """
    c = pl.col
    frame = rows.with_row_index("_at").with_columns(
        _direction=c("direction").replace_strict(DIRECTIONS, default=None, return_dtype=pl.String),
        _kind=pl.when(c("identifier_kind") != "")
        .then(c("identifier_kind"))
        .otherwise(c("channel").replace_strict(_KIND_BY_CHANNEL, default="", return_dtype=pl.String)),
    )
    frame = frame.with_columns(_started_at=_started_at(rows["started_at"]), _duration=_duration())
    phone = c("identifier").str.replace_all(r"[ ()\-]", "").str.extract(_UK_PHONE, 1)
    plain = c("identifier").str.contains(_PLAIN)
    guessed_reference = (
        plain
        & ~c("identifier").str.contains("@")
        & c("identifier").str.contains("[0-9]")
        & ~c("identifier").str.contains(_PHONE_LIKE)
        & ~c("identifier").str.to_uppercase().str.contains(_POSTCODE)
    )
    frame = frame.with_columns(
        _value=pl.when(c("identifier") == "")
        .then(pl.lit(""))
        .when(c("_kind") == "phone")
        .then(pl.when(c("identifier").str.contains(_UK_PHONE_CHARS)).then(pl.lit("+44") + phone))
        .when(c("_kind") == "email")
        .then(
            pl.when(
                plain
                & c("identifier").str.contains(_EMAIL)
                & ~c("identifier").str.to_lowercase().str.starts_with("mailto:")
            ).then(c("identifier").str.to_lowercase())
        )
        .when(c("_kind") == "reference")
        .then(pl.when(plain).then(c("identifier").str.to_uppercase()))
        .when(c("_kind") == "")
        .then(pl.when(guessed_reference).then(c("identifier").str.to_uppercase()))
    )
    known_kind = c("identifier_kind").is_in(["", "phone", "email", "reference"])
    fast = (
        c("channel").is_in(CHANNELS)
        & c("_direction").is_not_null()
        & c("_started_at").is_not_null()
        & (c("_started_at") <= pl.lit(now + _FUTURE_SLACK).dt.convert_time_zone("UTC"))
        & ((c("duration_seconds") == "") | c("_duration").is_not_null())
        & (c("service").str.len_chars() <= 100)
        & ~c("service").str.contains(_EDGE_SPACE)
        & (c("handler").str.len_chars() <= 200)
        & ~c("handler").str.contains(_EDGE_SPACE)
        & known_kind
        & c("_value").is_not_null()
    )
    frame = frame.with_columns(_fast=fast)
    slow = frame.filter(~c("_fast")).get_column("_at")
    decided = frame.filter(c("_fast")).select(
        c("seq"),
        c("line"),
        kind=pl.when(c("_value") == "")
        .then(pl.lit(""))
        .otherwise(pl.when(c("_kind") == "").then(pl.lit("reference")).otherwise(c("_kind"))),
        value=c("_value"),
        channel=c("channel"),
        direction=c("_direction"),
        started_at=c("_started_at"),
        duration=c("_duration"),
        service=c("service"),
        handler=c("handler"),
    )
    return decided.cast(EVENT_SCHEMA), slow  # type: ignore[arg-type]


def _started_at(texts: pl.Series) -> pl.Expr:
    """UTC, or null where the per-row parser must decide. Without an offset, UK local time: in the
    hour repeated when the clocks go back, the first (BST) reading, as `datetime.replace(tzinfo=
    LONDON)` takes it; in the hour skipped when they go forward, null (the per-row parser decides).
    A block of times all in UTC ("Z", as logs usually are) skips the other two readings."""
    text = pl.col("started_at")
    naive = pl.when(text.str.contains(_ISO)).then(
        text.str.slice(0, 19).str.to_datetime("%Y-%m-%dT%H:%M:%S", strict=False, time_unit="us")
    )
    if texts.str.ends_with("Z").all():
        return naive.dt.replace_time_zone("UTC")
    suffix = text.str.slice(19)
    sign = pl.when(suffix.str.starts_with("-")).then(-1).otherwise(1)
    minutes = (
        suffix.str.slice(1, 2).str.to_integer(strict=False).fill_null(0) * 60
        + suffix.str.slice(4, 2).str.to_integer(strict=False).fill_null(0)
    ) * sign
    with_offset = (naive - pl.duration(minutes=minutes)).dt.replace_time_zone("UTC")
    local = naive.dt.replace_time_zone(
        _LONDON, ambiguous="earliest", non_existent="null"
    ).dt.convert_time_zone("UTC")
    return pl.when(suffix == "").then(local).otherwise(with_offset)


def _duration() -> pl.Expr:
    c = pl.col("duration_seconds")
    clock = c.str.extract_groups(_CLOCK)
    hours = clock.struct.field("1").str.to_integer(strict=False)
    minutes = clock.struct.field("2").str.to_integer(strict=False)
    seconds = clock.struct.field("3").str.to_integer(strict=False)
    valid_clock = (seconds < 60) & (hours.is_null() | (minutes < 60))
    return (
        pl.when(c.str.contains(r"^[0-9]{1,9}$"))
        .then(c.str.to_integer(strict=False))
        .when(c.str.contains(_CLOCK) & valid_clock)
        .then(hours.fill_null(0) * 3600 + minutes * 60 + seconds)
        .cast(pl.Int64)
    )


# ---------------------------------------------------------------------------------------------
# The idempotency key
# ---------------------------------------------------------------------------------------------

_MASK = (1 << 64) - 1
_PRIME = 0x100000001B3
_SEED = 0xCBF29CE484222325
_WORD = 14  # hex digits (7 bytes) a word
_WORD_BYTES = _WORD // 2
# A last word of k bytes read with 7 - k zero bytes after it: divided by this, it is the k bytes' value.
_PADDING = {k: 1 << (8 * (_WORD_BYTES - k)) for k in range(1, _WORD_BYTES + 1)}
_SEP = "\x1f"


def event_key(kind: str, value: str, channel: str, direction: str, handler: str) -> int:
    """The key of an event: a 64-bit hash (signed, as the column is) of the normalised identifier,
    channel, direction and handler, defined here and computed the same way for a column by
    `key_expr`. With the customer and the start it tells events apart (ContactEvent.key)."""
    data = _SEP.join((kind, value, channel, direction, handler)).encode()
    digits = data.hex()
    h = _SEED
    for start in range(0, len(digits), _WORD):
        h = ((h ^ int(digits[start : start + _WORD], 16)) * _PRIME) & _MASK
    h = ((h ^ len(data)) * _PRIME) & _MASK
    h ^= h >> 30
    h = (h * 0xBF58476D1CE4E5B9) & _MASK
    h ^= h >> 27
    h = (h * 0x94D049BB133111EB) & _MASK
    h ^= h >> 31
    return h - (1 << 64) if h >= 1 << 63 else h


def key_expr(events: pl.DataFrame) -> pl.Series:
    """`event_key` of every row of `events` (columns kind, value, channel, direction, handler).

    Each 7-byte word is read as a big-endian integer straight from the bytes: the text is framed
    by a zero byte before and seven after, so that the 8 bytes from 7 × i, less their first, are
    word i (a last, shorter word then has zero bytes after it, divided away). Rows are taken a
    group at a time by their number of words, so that each group's hash is one expression with
    no "has this row ended?" at each word."""
    if events.height == 0:
        return pl.Series("key", [], dtype=pl.Int64)
    data = pl.concat_str(["kind", "value", "channel", "direction", "handler"], separator=_SEP)
    frame = events.select(
        framed=pl.concat_str([pl.lit("\x00"), data, pl.lit("\x00" * _WORD_BYTES)]).cast(pl.Binary),
        n=data.str.len_bytes().cast(pl.Int64),
    ).with_row_index("at")
    u64 = pl.UInt64
    prime = pl.lit(_PRIME, dtype=u64)
    low_bytes = pl.lit((1 << (8 * _WORD_BYTES)) - 1, dtype=u64)
    parts = []
    for (words,), group in frame.group_by((pl.col("n") + _WORD_BYTES - 1) // _WORD_BYTES):
        h = pl.lit(_SEED, dtype=u64)
        for i in range(cast(int, words)):
            start = _WORD_BYTES * i
            word = (
                pl.col("framed").bin.slice(start, 8).bin.reinterpret(dtype=u64, endianness="big") & low_bytes
            )
            if i == cast(int, words) - 1:
                word = word // (pl.col("n") - start).replace_strict(_PADDING, default=1, return_dtype=u64)
            h = (h ^ word) * prime
        parts.append(group.select("at", h=(h ^ pl.col("n").cast(u64)) * prime))
    h_col = pl.col("h")
    frame = pl.concat(parts).sort("at").select(h=h_col ^ (h_col // (1 << 30)))
    frame = frame.select(h=h_col * pl.lit(0xBF58476D1CE4E5B9, dtype=u64))
    frame = frame.select(h=h_col ^ (h_col // (1 << 27)))
    frame = frame.select(h=h_col * pl.lit(0x94D049BB133111EB, dtype=u64))
    frame = frame.select(h=h_col ^ (h_col // (1 << 31)))
    return frame.get_column("h").reinterpret(signed=True).alias("key")
