"""The import's fast path decides a row only as the per-row parser would: same kind and value of
identifier, same channel, direction, start, duration, service and handler; and its key is the one
`event_key` defines."""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import example, given, settings
from hypothesis import strategies as st

from engage.contacts import importer
from engage.contacts.import_frame import EVENT_SCHEMA, decide, event_key, key_expr
from engage.customers import identifiers

NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)
COLUMNS = importer.COLUMNS


def _frame(rows: list[list[str]]) -> pl.DataFrame:
    data: dict[str, list[object]] = {"seq": list(range(len(rows))), "line": [n + 2 for n in range(len(rows))]}
    for position, name in enumerate(COLUMNS):
        data[name] = [row[position] for row in rows]
    return pl.DataFrame(data, schema=importer._ROW_SCHEMA)


def _agrees(rows: list[list[str]]) -> pl.DataFrame:
    """Decide `rows`; assert every decided row is what `_parse` makes of it; the decided rows."""
    decided, slow = decide(_frame(rows), NOW)
    assert decided.height + len(slow) == len(rows)
    for event in decided.iter_rows(named=True):
        row = rows[event["seq"]]
        parsed = importer._parse(row, event["line"], NOW)
        assert (
            parsed.kind,
            parsed.value,
            parsed.channel,
            parsed.direction,
            parsed.started_at,
            parsed.duration,
            parsed.service,
            parsed.handler,
        ) == (
            event["kind"],
            event["value"],
            event["channel"],
            event["direction"],
            event["started_at"],
            event["duration"],
            event["service"],
            event["handler"],
        ), row
    return decided


def _row(identifier: str, channel: str = "phone", **kw: str) -> list[str]:
    values = {
        "identifier": identifier,
        "channel": channel,
        "direction": "inbound",
        "started_at": "2026-03-02T09:00:00Z",
        **kw,
    }
    return [values.get(c, "") for c in COLUMNS]


def _valid(number: str) -> bool:
    try:
        identifiers.normalise("phone", number)
    except ValueError:
        return False
    return True


# Numbers in ranges in use (the importer, like the contact check, takes a UK number in the usual
# shapes without asking `phonenumbers` whether the range is allocated).
uk_numbers = (
    st.one_of(
        st.from_regex(r"07[4-9][0-9]{8}", fullmatch=True),
        st.from_regex(r"01352 ?7[0-9]{5}", fullmatch=True),
        st.from_regex(r"020 ?7[0-9]{3} ?[0-9]{4}", fullmatch=True),
    )
    .flatmap(
        lambda n: st.sampled_from([n, "+44 " + n[1:], "+44" + n.replace(" ", "")[1:], f"({n[:5]}) {n[5:]}"])
    )
    .filter(_valid)
)


@settings(max_examples=200, deadline=None)
@given(st.lists(uk_numbers, min_size=1, max_size=20))
def test_uk_numbers_in_the_usual_shapes_are_normalised_in_bulk_as_identifiers_normalise_them(numbers):
    decided = _agrees([_row(n) for n in numbers])
    assert decided.height == len(numbers)  # the usual shapes never need the per-row path
    assert decided["value"].to_list() == [identifiers.normalise("phone", n) for n in numbers]


emails = st.tuples(
    st.from_regex(r"[A-Za-z0-9._%+-]{1,12}", fullmatch=True),
    st.from_regex(r"[A-Za-z0-9-]{1,10}", fullmatch=True),
).map(lambda p: f"{p[0]}@{p[1]}.Example.ORG")


@settings(max_examples=200, deadline=None)
@given(st.lists(emails, min_size=1, max_size=20))
def test_email_addresses_are_normalised_in_bulk_as_identifiers_normalise_them(addresses):
    decided = _agrees([_row(a, "email") for a in addresses])
    assert decided.height == len(addresses)
    assert decided["value"].to_list() == [identifiers.normalise("email", a) for a in addresses]


# Anything at all in any column: what the fast path decides, it decides as `_parse` does.
noise = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["phone", "email", "letter", " Phone", "In person", "fax", "", "social_media"]),
)
directions = st.one_of(st.text(max_size=6), st.sampled_from(["inbound", "in", "Out", "outgoing", " in", ""]))
starts = st.one_of(
    st.text(max_size=25),
    st.from_regex(
        r"20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-6][0-9]:[0-6][0-9](Z|[+-][0-2][0-9]:[0-6][0-9])?",
        fullmatch=True,
    ),
    st.sampled_from(
        [
            "2026-03-29T01:30:00",  # the hour the clocks skip
            "2025-10-26T01:30:00",  # the hour they repeat
            "2026-03-02 09:00:00",
            "2026-03-02T09:00:00.250Z",
            "2026-03-11T13:00:00Z",  # within a day ahead: accepted
            "2026-03-11T13:00:01Z",  # beyond: in the future
        ]
    ),
)
durations = st.one_of(
    st.text(max_size=8), st.from_regex(r"([0-9]{1,3}:)?[0-9]{1,2}:[0-9]{2}|[0-9]{1,10}", fullmatch=True)
)
texts = st.one_of(
    st.text(max_size=8), st.text(min_size=95, max_size=205), st.sampled_from([" x", "x ", "Ffion"])
)
identifiers_typed = st.one_of(
    st.text(max_size=16),
    uk_numbers,
    emails,
    st.sampled_from(
        ["C-0000001", "CAS/00012", "mailto:a@b.org", "@dewi", "CH7 6NF", "tel:01352702345", "Withheld"]
    ),
)
kinds = st.sampled_from(["", "", "phone", "email", "reference", "social", "Phone", "nonsense"])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(identifiers_typed, noise, directions, starts, durations, texts, texts, kinds).map(list),
        min_size=1,
        max_size=10,
    )
)
@example([["01352 702345", "phone", "inbound", "2025-10-26T01:30:00", "1:02:03", "Waste", "", ""]])
def test_whatever_the_fast_path_decides_the_per_row_parser_decides_the_same(rows):
    _agrees(rows)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.text(max_size=30), st.text(max_size=60), st.text(max_size=250)), min_size=1, max_size=8
    )
)
def test_the_key_of_a_column_is_the_key_of_each_row(values):
    rows = [("phone", value, "phone", "inbound", handler + extra) for value, handler, extra in values]
    frame = pl.DataFrame(rows, schema=["kind", "value", "channel", "direction", "handler"], orient="row")
    assert key_expr(frame).to_list() == [event_key(*row) for row in rows]


def test_the_key_is_fixed_by_its_definition_not_by_a_library_version():
    assert event_key("phone", "+441352702345", "phone", "inbound", "Ffion Hughes") == -6649548908198974179


# Rows most of which the fast path decides, each a usual row with a column or two in any spelling:
# a block of them mixes the usual spellings with others, which `decide` reads differently from a
# block all in the usual ones (and each kind of identifier by its own rules).
_USUAL = [
    ["+447400651942", "phone", "inbound", "2024-11-24T09:14:27Z", "821", "Waste", "Mair Evans", ""],
    ["07400 022217", "phone", "outbound", "2024-11-24T09:14:33", "", "Planning", "", ""],
    ["customer282350@example.org", "email", "inbound", "2024-11-24T09:14:39+01:00", "", "Waste", "", ""],
    ["Customer@Example.ORG", "email", "inbound", "2024-11-24T09:14:39Z", "1:02:03", "", "x@bench", ""],
    ["C-0573033", "letter", "inbound", "2024-11-24T09:14:45Z", "12", "Housing", "", ""],
    ["c-0573033", "event", "in", "2024-11-24T09:14:45Z", "12", "Housing", "", "reference"],
    ["", "social_media", "inbound", "2024-11-24T09:14:45Z", "12", "Housing", "", ""],
]
_ANY = [identifiers_typed, noise, directions, starts, durations, texts, texts, kinds]


@st.composite
def varied_rows(draw):
    row = list(draw(st.sampled_from(_USUAL)))
    for column in draw(st.lists(st.integers(0, len(row) - 1), max_size=2)):
        row[column] = draw(_ANY[column])
    return row


@settings(max_examples=300, deadline=None)
@given(st.lists(varied_rows(), min_size=1, max_size=12))
def test_a_row_is_decided_as_it_would_be_alone_whatever_else_is_in_its_block(rows):
    decided, slow = _agrees(rows), decide(_frame(rows), NOW)[1].to_list()
    for seq, row in enumerate(rows):
        alone, alone_slow = decide(_frame([row]), NOW)
        assert (seq in slow) == (len(alone_slow) == 1), row
        mine = decided.filter(pl.col("seq") == seq).drop("seq", "line")
        assert mine.equals(alone.drop("seq", "line")), row


def test_a_block_in_the_usual_spellings_and_one_mixing_others_are_decided_alike():
    usual = [
        ["+447400651942", "phone", "inbound", "2024-11-24T09:14:27Z", "821", "Waste", "Mair Evans", ""],
        ["customer282350@example.org", "email", "outbound", "2024-11-24T09:14:33Z", "", "Waste", "", ""],
        ["C-0573033", "letter", "inbound", "2024-11-24T09:14:45Z", "12", "Housing", "", ""],
    ]
    others = [
        ["(07400) 022-217", "phone", "in", "2024-11-24T09:14:27", "1:02:03", "Waste", "Mair Evans", ""],
        ["Customer@Example.ORG", "email", "out", "2024-11-24T09:14:33+01:00", "", "Waste", "", ""],
        ["c-0573033", "letter", "incoming", "2024-11-24T09:14:45-05:30", "61:00", "Housing", "", "reference"],
        ["+447400651942", "phone", "inbound", "2024-11-24T09:14:27Z", "", "Waste ", "", ""],
    ]
    alone = _agrees(usual)
    assert alone.height == len(usual)
    assert alone["value"].to_list() == ["+447400651942", "customer282350@example.org", "C-0573033"]
    mixed = _agrees(usual + others)
    assert mixed.filter(pl.col("seq") < len(usual)).equals(alone)
    # "Waste " (a space to strip) is the per-row parser's to decide.
    assert mixed["seq"].to_list() == [0, 1, 2, 3, 4, 5]
    assert mixed["value"].to_list()[3:] == ["+447400022217", "customer@example.org", "C-0573033"]
    assert mixed["direction"].to_list()[3:] == ["inbound", "outbound", "inbound"]
    assert mixed["duration"].to_list()[3:] == [3723, None, 3660]


def test_an_empty_block_decides_nothing():
    decided, slow = decide(_frame([]), NOW)
    assert decided.height == 0
    assert dict(decided.schema) == EVENT_SCHEMA
    assert slow.len() == 0
    assert slow.dtype == pl.UInt32
