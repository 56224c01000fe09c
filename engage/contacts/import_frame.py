"""Contact-event rows as columns: the import's fast path (ADR 0006).

`decide` takes a block of rows (string columns, as read) and returns the events it can decide
exactly as the per-row parser (`importer._parse`) would, and the positions of the rest, which the
importer hands to that parser one by one: rows with unusual spellings (" Phone", "In"), dates with
fractions or a space, UK local times in the hour that does not exist, identifiers that need
`phonenumbers` or Unicode, and every row that is to be rejected (so every rejection message comes
from one place). The fast path only ever narrows what it accepts; it never guesses.

It runs on the import's producing thread for every row of the file, so each check runs only
where it is needed: an identifier is checked and normalised only by the rules of its own kind (a
phone number's rules never run on an e-mail address), and its value is the identifier as read
except on the rows normalising changes; channel, service and handler, which have few distinct
values, are checked once a distinct value; and a block in the usual spellings only
("inbound"/"outbound", times in UTC ending "Z", durations in whole seconds) skips what the other
spellings need. Each shortcut gives exactly what the general reading gives.

`event_key` defines the idempotency key and `key_expr` computes the same value for a column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
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
# Anything Python's str.strip() would remove: the fast path only takes values it need not strip.
_EDGE_SPACE = r"^[\s\x1c-\x1f]|[\s\x1c-\x1f]$"
_SECONDS = "%Y-%m-%dT%H:%M:%S"
_ISO = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])?$"
_CLOCK = r"^(?:([0-9]{1,5}):)?([0-9]{1,2}):([0-9]{2})$"
_PLAIN = r"^[!-~]+$"  # printable ASCII without spaces: Unicode normalisation and casefolding are no-ops
# Sets of _PLAIN's characters: all but "@" (0x40), and all but "@" and "." (0x2E); and the same
# without capital letters (0x41-0x5A), which lowering leaves as they are.
_NOT_AT, _NOT_AT_OR_DOT = r"[!-?A-~]", r"[!-\-/-?A-~]"
_NOT_AT_LOWER, _NOT_AT_OR_DOT_LOWER = r"[!-?\[-~]", r"[!-\-/-?\[-~]"
# _PLAIN and an address's shape ("^[^@]+@[^@]+\.[^@.]+$") in one pass; and the same in lower case.
_PLAIN_EMAIL = rf"^{_NOT_AT}+@{_NOT_AT}+\.{_NOT_AT_OR_DOT}+$"
_LOWER_CASE_EMAIL = rf"^{_NOT_AT_LOWER}+@{_NOT_AT_LOWER}+\.{_NOT_AT_OR_DOT_LOWER}+$"
# _PLAIN, no "@" and a digit, in one pass: what might be a reference, if nothing more specific.
_PLAIN_WITH_DIGIT = rf"^{_NOT_AT}*[0-9]{_NOT_AT}*$"
# A UK number in the usual shapes: "+44" or "0" then ten digits, the first not 0, once spaces,
# brackets and hyphens are taken out (as the per-row parser takes them out, though it also takes
# other white space: those numbers go to it). Matched as written, the noise where it stands.
_PHONE_NOISE = r"[ ()\-]"
_UK_PHONE = r"^{n}(?:\+{n}4{n}4|0){n}[1-9](?:{n}[0-9]){{9}}{n}$".format(n=_PHONE_NOISE + "*")
_PHONE_LIKE = r"(?i)^(?:tel:)?\+?[0-9().\-/]+(?:(?:ext\.?|x|#)[0-9]+)?$"
_POSTCODE = r"^(?:GIR0AA|[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][ABD-HJLNP-UW-Z]{2})$"
_FUTURE_SLACK = dt.timedelta(days=1)
_LONDON = "Europe/London"
_KINDS = ["", "phone", "email", "reference"]  # the kinds decided here, by their code in `_identify`


def decide(rows: pl.DataFrame, now: dt.datetime) -> tuple[pl.DataFrame, pl.Series]:
    """(the events decided, in EVENT_SCHEMA; the row positions left to the per-row parser).

    `rows` has the columns seq, line and the eight of importer.COLUMNS as strings ("" when absent).
    """
    channel, durations = rows["channel"], rows["duration_seconds"]
    kind, value, identified = _identify(rows["identifier"], rows["identifier_kind"], channel)
    direction = _direction(rows["direction"])
    started_at = _started_at(rows["started_at"])
    duration = _duration(durations)
    latest = pl.select(pl.lit(now + _FUTURE_SLACK).dt.convert_time_zone("UTC")).item()
    fast = (
        identified
        & _per_value(channel, lambda channels: channels.is_in(CHANNELS))
        & direction.is_not_null()
        & (started_at <= latest).fill_null(False)  # null: the per-row parser decides
        & ((durations == "") | duration.is_not_null())
        & _per_value(rows["service"], _kept_as_read(100))
        & _per_value(rows["handler"], _kept_as_read(200))
    )
    events = pl.DataFrame(
        [
            rows["seq"],
            rows["line"],
            kind.alias("kind"),
            value.alias("value"),
            channel,
            direction.alias("direction"),
            started_at.alias("started_at"),
            duration.alias("duration"),
            rows["service"],
            rows["handler"],
        ]
    )
    slow = pl.int_range(0, rows.height, dtype=pl.UInt32, eager=True).alias("_at").filter(~fast)
    decided = events.filter(fast) if len(slow) else events
    return decided.cast(EVENT_SCHEMA), slow  # type: ignore[arg-type]


def _per_value(texts: pl.Series, accepted: Callable[[pl.Series], pl.Series]) -> pl.Series:
    """`accepted(texts)`, asked once a distinct value (a column of channels, queues or names has
    few), and then of each row only if some value is refused."""
    distinct = texts.unique()
    refused = distinct.filter(~accepted(distinct))
    if refused.is_empty():
        return pl.repeat(True, texts.len(), eager=True)
    return ~texts.is_in(refused.implode())


def _kept_as_read(longest: int) -> Callable[[pl.Series], pl.Series]:
    """Whether texts are short enough and have nothing `_parse` would strip."""
    return lambda texts: (texts.str.len_chars() <= longest) & ~texts.str.contains(_EDGE_SPACE)


# How a kind's identifiers are read: for each, whether the fast path takes it and whether
# normalising changes it; and the normalised values of those it changes, in order.
_Read = tuple[pl.Series, pl.Series, pl.Series]
_Normaliser = Callable[[pl.Series], _Read]


def _identify(
    identifier: pl.Series, kind_text: pl.Series, channel: pl.Series
) -> tuple[pl.Series, pl.Series, pl.Series]:
    """(kind, value, identified) of each row: identified is false where the per-row parser must
    decide (an identifier the fast path cannot take, or an identifier_kind it does not know).
    The kind is identifier_kind if given, else the channel's, else a guess: a reference or the
    per-row parser. Each kind's rules run only on the rows of that kind, and the value is the
    identifier as read but where normalising changes it."""
    present = identifier != ""
    by_channel = kind_text == ""
    given_phone, given_email, given_reference = (kind_text == k for k in ("phone", "email", "reference"))
    on_phone, on_email = channel == "phone", channel == "email"
    phone = present & (given_phone | (by_channel & on_phone))
    email = present & (given_email | (by_channel & on_email))
    reference = present & given_reference
    guessed = present & by_channel & ~on_phone & ~on_email & (channel != "social_media")
    # An empty identifier is decided, whatever its kind; a social handle is left to `_parse`.
    identified = (by_channel | given_phone | given_email | given_reference) & (
        ~present | phone | email | reference | guessed
    )

    at = pl.int_range(0, identifier.len(), dtype=pl.UInt32, eager=True)
    refused: list[pl.Series] = []
    changed_at: list[pl.Series] = []
    changed: list[pl.Series] = []
    normalisers: list[tuple[pl.Series, _Normaliser]] = [
        (phone, _phones),
        (email, _emails),
        (reference, _references),
        (guessed, _guessed_references),
    ]
    for of_kind, normalise in normalisers:
        texts = identifier.filter(of_kind)
        if texts.is_empty():
            continue
        positions = at.filter(of_kind)
        taken, changes, values = normalise(texts)
        refused.append(positions.filter(~taken))
        changed_at.append(positions.filter(changes))
        changed.append(values)
    if any(len(r) for r in refused):
        identified = identified.scatter(pl.concat(refused), False)
    value = identifier
    if any(len(c) for c in changed):
        value = identifier.clone().scatter(pl.concat(changed_at), pl.concat(changed))
    # A guessed kind is a reference; an empty identifier has no kind.
    code = phone.cast(pl.UInt32) + email.cast(pl.UInt32) * 2 + (reference | guessed).cast(pl.UInt32) * 3
    return pl.Series(_KINDS).gather(code), value, identified


def _phones(texts: pl.Series) -> _Read:
    taken = texts.str.contains(_UK_PHONE)
    # "+44" and ten digits, nothing else, is the normalised number already (as most numbers in
    # call logs are): only the others are rewritten.
    changes = taken & ~(texts.str.starts_with("+44") & (texts.str.len_bytes() == 13))
    digits = texts.filter(changes).str.replace_all(_PHONE_NOISE, "").str.slice(-10)
    return taken, changes, "+44" + digits


def _emails(texts: pl.Series) -> _Read:
    # Most addresses are in lower case already: those need no lowering, and only the others
    # are read in full.
    lower_case = texts.str.contains(_LOWER_CASE_EMAIL)
    taken = lower_case & ~texts.str.starts_with("mailto:")
    changes = pl.repeat(False, texts.len(), eager=True)
    others = ~lower_case
    if not others.any():
        return taken, changes, texts.clear()
    at = pl.int_range(0, texts.len(), dtype=pl.UInt32, eager=True).filter(others)
    other_texts = texts.filter(others)
    lower = other_texts.str.to_lowercase()
    other_taken = other_texts.str.contains(_PLAIN_EMAIL) & ~lower.str.starts_with("mailto:")
    # Taken and not in lower case, an address has a capital letter: lowering changes it.
    return taken.scatter(at, other_taken), changes.scatter(at, other_taken), lower.filter(other_taken)


def _references(texts: pl.Series) -> _Read:
    return _changed(texts, texts.str.contains(_PLAIN), texts.str.to_uppercase())


def _guessed_references(texts: pl.Series) -> _Read:
    """Identifiers the channel does not type: the fast path takes the ones `guess_kind` would call
    references, and no others (no address, number or postcode)."""
    upper = texts.str.to_uppercase()
    taken = (
        texts.str.contains(_PLAIN_WITH_DIGIT)
        & ~texts.str.contains(_PHONE_LIKE)
        & ~upper.str.contains(_POSTCODE)
    )
    return _changed(texts, taken, upper)


def _changed(texts: pl.Series, taken: pl.Series, normalised: pl.Series) -> _Read:
    changes = taken & (normalised != texts)
    return taken, changes, normalised.filter(changes)


def _direction(texts: pl.Series) -> pl.Series:
    """The direction, or null where the per-row parser must decide."""
    if ((texts == "inbound") | (texts == "outbound")).all():
        return texts  # the usual spellings are the values
    return texts.replace_strict(DIRECTIONS, default=None, return_dtype=pl.String)


def _started_at(texts: pl.Series) -> pl.Series:
    """UTC, or null where the per-row parser must decide. Without an offset, UK local time: in the
    hour repeated when the clocks go back, the first (BST) reading, as `datetime.replace(tzinfo=
    LONDON)` takes it; in the hour skipped when they go forward, null (the per-row parser decides).
    A block of times all in UTC ("Z", as logs usually are) skips the other two readings, and a
    block all with an offset, or all without, skips the one it does not need."""
    frame = texts.to_frame("text")
    text = pl.col("text")
    iso = text.str.contains(_ISO)
    # The texts are parsed afresh: nearly all of them are distinct, so polars' cache only costs.
    if texts.str.ends_with("Z").all():
        # An ISO time ending "Z" is the 19 characters _SECONDS reads, then "Z".
        utc = text.str.to_datetime(_SECONDS + "Z", strict=False, time_unit="us", cache=False)
        return frame.select(pl.when(iso).then(utc).dt.replace_time_zone("UTC")).to_series()
    seconds = text.str.slice(0, 19).str.to_datetime(_SECONDS, strict=False, time_unit="us", cache=False)
    frame = frame.with_columns(naive=pl.when(iso).then(seconds))  # parsed once for both readings
    naive = pl.col("naive")
    local = naive.dt.replace_time_zone(
        _LONDON, ambiguous="earliest", non_existent="null"
    ).dt.convert_time_zone("UTC")
    suffix = text.str.slice(19)
    sign = pl.when(suffix.str.starts_with("-")).then(-1).otherwise(1)
    minutes = (
        suffix.str.slice(1, 2).str.to_integer(strict=False).fill_null(0) * 60
        + suffix.str.slice(4, 2).str.to_integer(strict=False).fill_null(0)
    ) * sign
    with_offset = (naive - pl.duration(minutes=minutes)).dt.replace_time_zone("UTC")
    # Where the text is ISO, 19 characters long is without an offset (elsewhere naive is null).
    without_offset = texts.str.len_bytes() == 19
    if without_offset.all():
        return frame.select(local).to_series()
    if not without_offset.any():
        return frame.select(with_offset).to_series()
    return frame.select(pl.when(pl.lit(without_offset)).then(local).otherwise(with_offset)).to_series()


def _duration(texts: pl.Series) -> pl.Series:
    """Whole seconds, or null where empty or where the per-row parser must decide."""
    # `to_integer` reads ASCII digits with at most a sign before them, so a text it reads that is
    # short enough and has no sign is one r"^[0-9]{1,9}$" matches: whole seconds.
    seconds = texts.str.to_integer(strict=False)
    whole = (
        seconds.is_not_null()
        & (texts.str.len_bytes() <= 9)
        & ~texts.str.starts_with("+")
        & ~texts.str.starts_with("-")
    )
    if (whole | (texts == "")).all():
        return seconds
    # Some are H:MM:SS or M:SS (or neither): every row is read both ways.
    text = pl.col("text")
    clock = text.str.extract_groups(_CLOCK)
    clock_hours = clock.struct.field("1").str.to_integer(strict=False)
    clock_minutes = clock.struct.field("2").str.to_integer(strict=False)
    clock_seconds = clock.struct.field("3").str.to_integer(strict=False)
    valid_clock = (clock_seconds < 60) & (clock_hours.is_null() | (clock_minutes < 60))
    return (
        texts.to_frame("text")
        .select(
            pl.when(pl.lit(whole))
            .then(pl.lit(seconds))
            .when(text.str.contains(_CLOCK) & valid_clock)
            .then(clock_hours.fill_null(0) * 3600 + clock_minutes * 60 + clock_seconds)
            .cast(pl.Int64)
        )
        .to_series()
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
