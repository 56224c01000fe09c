"""Importing telephony call records and mail logs: what is kept, what is counted, what is rejected and
why, and that an import stopped half-way leaves no partial batch and completes when run again."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import sqlite3
import threading
import time
from pathlib import Path

import polars as pl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import ProtectedError, Sum
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from engage.audit.services import audit_source
from engage.audit.testing import expect_audit
from engage.contacts import importer
from engage.contacts.import_frame import event_key
from engage.contacts.importer import contact_import
from engage.contacts.models import ContactEvent, ContactImport, ContactTally, LevelsFlag
from engage.contacts.rules import LONDON
from engage.contacts.services import contact_event_record
from engage.customers.models import Customer, Identifier
from engage.customers.services import customer_merge
from engage.customers.tests.factories import CustomerFactory
from engage.organisations.models import Organisation

HEADER = "identifier,channel,direction,started_at,duration_seconds,service,handler"
NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=LONDON)


class Stop(Exception):
    pass


@pytest.fixture
def people(flintshire):
    org = flintshire.organisation
    return {
        "bryn": CustomerFactory(
            organisation=org, full_name="Bryn Jenkins", phone="01352 702345", email="bryn@example.org"
        ),
        "nia": CustomerFactory(organisation=org, full_name="Nia Evans", phone="01352 700001"),
        "mair": CustomerFactory(organisation=org, full_name="Mair Evans", phone="01352 700001"),  # same house
    }


def _file(tmp_path: Path, lines: list[str], name: str = "calls.csv", header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def _import(flintshire, path: Path, **kw):
    with audit_source("test"):
        return contact_import(
            actor=flintshire.rhodri, organisation=flintshire.organisation, path=path, now=NOW, **kw
        )


CALLS = [
    "01352 702345,phone,inbound,2026-03-02T09:00:00Z,125,Council Tax,Ffion Hughes",  # line 2
    "+44 1352 702345,phone,outbound,2026-03-02T09:30:00,60,Council Tax,",  # line 3: local time
    "Bryn@Example.org,email,inbound,2026-03-02T10:00:00+00:00,,Housing,housing@flintshire.gov.uk",  # 4
    "01352 709999,phone,inbound,2026-03-02T11:00:00Z,30,Waste,",  # 5: nobody's number
    "01352 700001,phone,inbound,2026-03-02T11:05:00Z,30,Waste,",  # 6: a shared number
    ",phone,inbound,2026-03-02T11:10:00Z,30,Waste,",  # 7: withheld
    "01352 702345,fax,inbound,2026-03-02T11:15:00Z,30,Waste,",  # 8: no such channel
    "01352 702345,phone,sideways,2026-03-02T11:20:00Z,30,Waste,",  # 9
    "01352 702345,phone,inbound,yesterday,30,Waste,",  # 10
    "01352 702345,phone,inbound,2026-03-02T11:25:00Z,1:02:03,Waste",  # 11: a column short
    "01352 702345,phone,inbound,2026-03-02T11:30:00Z,1:02:03,Waste,",  # 12: H:MM:SS
    "01352 702345,phone,inbound,2099-01-01T00:00:00Z,30,Waste,",  # 13: the future
]


def test_a_call_log_is_stored_counted_and_rejected_row_by_row(flintshire, people, tmp_path_factory):
    path = _file(tmp_path_factory.mktemp("calls"), CALLS)
    with expect_audit("contact_import.start", "contact_import.complete"):
        report = _import(flintshire, path)
    assert (report.rows_read, report.stored, report.duplicates, report.counted_only, report.rejected) == (
        12,
        4,
        0,
        3,
        5,
    )
    assert report.rejections == [
        {
            "line": 8,
            "reason": "Line 8: channel 'fax' is not one of email, event, in_person, letter, online_form, phone, social_media",
        },
        {"line": 9, "reason": "Line 9: direction 'sideways' is not inbound or outbound"},
        {
            "line": 10,
            "reason": "Line 10: started_at 'yesterday' is not a date and time like 2026-03-03T10:30:00Z",
        },
        {"line": 11, "reason": "Line 11 has 6 columns where the header has 7"},
        {"line": 13, "reason": "Line 13: started_at '2099-01-01T00:00:00Z' is in the future"},
    ]
    bryn = people["bryn"]
    events = list(ContactEvent.objects.order_by("started_at"))
    assert [(e.customer, e.channel, e.direction, e.duration_seconds) for e in events] == [
        (bryn, "phone", "inbound", 125),
        (bryn, "phone", "outbound", 60),
        (bryn, "email", "inbound", None),
        (bryn, "phone", "inbound", 3723),
    ]
    # 09:30 without an offset is London time: GMT in March.
    assert events[1].started_at == dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
    assert events[0].source_id == report.import_id


def test_each_value_is_stored_as_the_database_stores_it_for_any_other_write(
    flintshire, people, tmp_path_factory
):
    """The import writes events with its own bulk statement: what it stores reads back exactly as
    an event saved by Django, fractions of seconds, long durations and Welsh letters included."""
    lines = [
        "01352 702345,phone,inbound,2026-03-02T09:00:00.250Z,123456789,Gwasanaethau Cymdeithasol,Siân Hughes",
        "01352 702345,phone,inbound,2026-03-02T09:01:00Z,,Treth y Cyngor,Llŷr ap Gwyn",
        "bryn@example.org,email,outbound,2026-02-28T23:59:59Z,0,,",
    ]
    report = _import(flintshire, _file(tmp_path_factory.mktemp("calls"), lines))
    assert (report.stored, report.rejected) == (3, 0)
    bryn = people["bryn"]
    stored = list(ContactEvent.objects.order_by("started_at"))
    assert [(e.started_at, e.month, e.duration_seconds, e.service, e.handler) for e in stored] == [
        (dt.datetime(2026, 2, 28, 23, 59, 59, tzinfo=dt.UTC), 2026 * 12 + 1, 0, "", ""),
        (
            dt.datetime(2026, 3, 2, 9, 0, 0, 250000, tzinfo=dt.UTC),
            2026 * 12 + 2,
            123456789,
            "Gwasanaethau Cymdeithasol",
            "Siân Hughes",
        ),
        (dt.datetime(2026, 3, 2, 9, 1, tzinfo=dt.UTC), 2026 * 12 + 2, None, "Treth y Cyngor", "Llŷr ap Gwyn"),
    ]
    assert [e.key for e in stored] == [
        event_key("email", "bryn@example.org", "email", "outbound", ""),
        event_key("phone", "+441352702345", "phone", "inbound", "Siân Hughes"),
        event_key("phone", "+441352702345", "phone", "inbound", "Llŷr ap Gwyn"),
    ]
    # Saved by Django, the same values are found by the same lookups (the text stored for a
    # time is the one Django writes and compares against).
    for event in stored:
        assert (
            ContactEvent.objects.filter(customer=bryn, started_at=event.started_at, key=event.key).count()
            == 1
        )


def test_numbers_that_match_no_single_customer_are_kept_only_as_counts(flintshire, people, tmp_path_factory):
    _import(flintshire, _file(tmp_path_factory.mktemp("calls"), CALLS))
    tallies = {(t.day, t.channel, t.direction, t.outcome): t.count for t in ContactTally.objects.all()}
    day = dt.date(2026, 3, 2)
    assert tallies == {
        (day, "phone", "inbound", "unmatched"): 1,
        (day, "phone", "inbound", "ambiguous"): 1,
        (day, "phone", "inbound", "unrecognised"): 1,
    }
    assert not ContactEvent.objects.filter(customer__in=[people["nia"], people["mair"]]).exists()


def test_the_same_file_again_changes_nothing(flintshire, people, tmp_path_factory):
    path = _file(tmp_path_factory.mktemp("calls"), CALLS)
    _import(flintshire, path)
    with expect_audit():
        again = _import(flintshire, path)
    assert again.already_imported
    assert ContactEvent.objects.count() == 4
    assert sum(ContactTally.objects.values_list("count", flat=True)) == 3


def test_another_file_with_the_same_calls_stores_each_call_once(flintshire, people, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("calls")
    _import(flintshire, _file(tmp, CALLS[:3]))
    overlapping = [*CALLS[:3], "01352 702345,phone,inbound,2026-03-03T09:00:00Z,10,Council Tax,"]
    report = _import(flintshire, _file(tmp, overlapping, name="calls-2.csv"))
    assert (report.stored, report.duplicates) == (1, 3)
    assert ContactEvent.objects.count() == 4


def test_an_import_stopped_half_way_keeps_whole_batches_and_completes_when_run_again(
    flintshire, people, tmp_path_factory
):
    lines = [
        f"01352 702345,phone,inbound,2026-03-0{1 + i // 4}T{9 + i % 4:02d}:00:00Z,60,Waste," for i in range(9)
    ]
    lines.insert(4, "01352 709999,phone,inbound,2026-03-02T08:00:00Z,30,Waste,")
    lines.insert(7, "01352 702345,fax,inbound,2026-03-02T08:00:00Z,30,Waste,")
    path = _file(tmp_path_factory.mktemp("calls"), lines)  # 11 rows: batches of 3 are 3, 3, 3, 2

    def stop_in_third_batch(number: int) -> None:
        if number == 3:
            raise Stop

    with pytest.raises(Stop):
        _import(flintshire, path, batch_size=3, after_batch=stop_in_third_batch)
    stopped = ContactImport.objects.get()
    assert (stopped.status, stopped.batches_done, stopped.rows_read) == ("failed", 2, 6)
    # Batches 1 and 2 (rows 1-6: five calls and the unknown number) and nothing of batch 3 (rows
    # 7-9: a call, the rejected row, a call).
    assert ContactEvent.objects.count() == 5
    assert sum(ContactTally.objects.values_list("count", flat=True)) == 1
    assert (stopped.stored, stopped.rejected) == (5, 0)

    with expect_audit("contact_import.resume", "contact_import.complete"):
        report = _import(flintshire, path, batch_size=99)  # the batch size of the first run is kept
    assert report.status == "complete"
    assert (report.rows_read, report.stored, report.duplicates, report.counted_only, report.rejected) == (
        11,
        9,
        0,
        1,
        1,
    )
    assert ContactEvent.objects.count() == 9
    assert sum(ContactTally.objects.values_list("count", flat=True)) == 1


def test_json_lines_are_read_like_csv(flintshire, people, tmp_path_factory):
    rows = [
        {
            "identifier": "01352 702345",
            "channel": "phone",
            "direction": "inbound",
            "started_at": "2026-03-02T09:00:00Z",
            "duration_seconds": 40,
        },
        {
            "identifier": "bryn@example.org",
            "channel": "email",
            "direction": "in",
            "started_at": "2026-03-02T09:05:00Z",
            "handler": "Ffion Hughes",
        },
        "not an object",
        {"identifier": "01352 702345", "channel": "phone", "direction": "inbound"},
    ]
    path = tmp_path_factory.mktemp("calls") / "mail.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    report = _import(flintshire, path)
    assert (report.stored, report.rejected) == (2, 2)
    assert [r["line"] for r in report.rejections] == [3, 4]
    assert report.rejections[1]["reason"] == "Line 4: started_at is empty"


def test_a_file_without_a_required_column_is_refused_before_anything_is_stored(
    flintshire, people, tmp_path_factory
):
    path = _file(
        tmp_path_factory.mktemp("calls"),
        ["01352 702345,phone,2026-03-02T09:00:00Z"],
        header="identifier,channel,started_at",
    )
    with expect_audit(), pytest.raises(ValidationError) as err:
        _import(flintshire, path)
    assert err.value.message_dict["file"][0].startswith("The file has no 'direction' column")
    assert not ContactImport.objects.exists()


def test_events_of_a_merged_record_are_stored_against_the_one_kept(flintshire, people, tmp_path_factory):
    old = CustomerFactory(organisation=flintshire.organisation, full_name="B Jenkins", phone="01352 700002")
    with audit_source("test"):
        customer_merge(actor=flintshire.sian, keep=people["bryn"], merge=old)
    _import(
        flintshire,
        _file(tmp_path_factory.mktemp("calls"), ["01352 700002,phone,inbound,2026-03-02T09:00:00Z,5,,"]),
    )
    assert ContactEvent.objects.get().customer == people["bryn"]


def test_a_customer_or_an_import_named_by_events_cannot_be_deleted(flintshire, people, tmp_path_factory):
    """Events have no database constraints (ADR 0007: a probe of each parent at every event
    stored); Django's PROTECT still keeps every record they name."""
    report = _import(flintshire, _file(tmp_path_factory.mktemp("calls"), CALLS[:1]))
    event = ContactEvent.objects.get()
    for parents in (
        Customer.objects.filter(pk=people["bryn"].pk),
        ContactImport.objects.filter(pk=report.import_id),
        Organisation.objects.filter(pk=flintshire.organisation.pk),
    ):
        with pytest.raises(ProtectedError) as refused:
            parents.delete()
        assert event in refused.value.protected_objects
    event.refresh_from_db()
    assert (event.customer, event.source_id) == (people["bryn"], report.import_id)


def test_forgetting_remembered_customers_loses_no_match(flintshire, people, monkeypatch, tmp_path_factory):
    """Memory stays flat because resolved identifiers are forgotten now and then: a batch that
    forgets must still match every row."""
    monkeypatch.setattr(importer, "_CACHE_LIMIT", 2)
    bryn, nobody, shared = "01352 702345", "01352 709999", "01352 700001"
    rows = [
        f"{number},phone,inbound,2026-03-0{day}T09:00:00Z,5,,"
        for number, day in [(bryn, 2), (nobody, 2), (bryn, 3), (shared, 3), (bryn, 4), (nobody, 4)]
    ]
    # The second batch knows Bryn's number from the first, and must forget it to learn the shared one.
    report = _import(flintshire, _file(tmp_path_factory.mktemp("calls"), rows), batch_size=2)
    assert (report.stored, report.counted_only) == (3, 3)
    outcomes = dict(ContactTally.objects.values_list("outcome").annotate(n=Sum("count")))
    assert outcomes == {"unmatched": 2, "ambiguous": 1}


def test_a_larger_batch_after_a_smaller_one_is_stored_whole(flintshire, people, tmp_path_factory):
    """On SQLite a batch is unpacked over a table of row numbers kept by the connection: a batch
    larger than any before it, on the same connection, extends it, and every event is stored."""
    first = [f"01352 702345,phone,inbound,2026-03-02T09:0{m}:00Z,5,Waste," for m in range(4)]
    later = [f"01352 702345,phone,outbound,2026-03-03T09:0{m}:00Z,5,Housing,Siân" for m in range(7)]
    assert _import(flintshire, _file(tmp_path_factory.mktemp("calls"), first), batch_size=2).stored == 4
    assert (
        _import(
            flintshire, _file(tmp_path_factory.mktemp("calls"), later, name="later.csv"), batch_size=50
        ).stored
        == 7
    )
    assert ContactEvent.objects.filter(direction="outbound", handler="Siân").count() == 7


def test_blocks_are_read_one_at_a_time_however_long_the_file():
    row = ["", "phone", "in", "2026-03-02T09:00:00Z", "", "", "", ""]
    endless = ((n, list(row)) for n in itertools.count(2))
    blocks = importer._row_blocks(endless, 1000)
    first, second = next(blocks), next(blocks)
    assert (first.rows.height, second.rows.height) == (1000, 1000)
    assert (first.rows["line"][0], first.rows["seq"][0]) == (2, 0)
    assert (second.rows["line"][0], second.rows["seq"][0]) == (1002, 1000)


def _outcome(report):
    return (report.rows_read, report.stored, report.duplicates, report.counted_only, report.rejected)


def _stored():
    return sorted(
        ContactEvent.objects.values_list(
            "customer_id", "channel", "direction", "started_at", "duration_seconds"
        )
    )


@pytest.mark.parametrize(("read_rows", "clashing"), [(1, False), (250_000, False), (250_000, True)])
def test_a_large_file_matches_against_the_whole_directory_as_a_small_one_does(
    flintshire,
    people,
    monkeypatch,
    read_rows,
    clashing,
    tmp_path_factory,
):
    """A large file reads the organisation's identifiers once instead of looking up each block's:
    the same matches, shared numbers, references and merged records, however many identifiers
    the directory reads a statement (with 1, the two customers sharing a number are read apart),
    and even if every value of the same length shared one hash."""
    if clashing:
        monkeypatch.setattr(importer, "_value_hash", lambda: pl.col("value").str.len_bytes().cast(pl.UInt64))
    old = CustomerFactory(organisation=flintshire.organisation, full_name="B Jenkins", phone="01352 700002")
    with audit_source("test"):
        customer_merge(actor=flintshire.sian, keep=people["bryn"], merge=old)
    reference = CustomerFactory(organisation=flintshire.organisation, full_name="Gwen Price").reference
    lines = [
        *CALLS,
        "01352 700002,phone,inbound,2026-03-02T12:00:00Z,5,,",  # the merged record's number
        f"{reference.lower()},letter,inbound,2026-03-02T12:05:00Z,,,",  # a reference, found by its customer
        "CAS/99999,letter,inbound,2026-03-02T12:10:00Z,,,",
    ]
    small = _import(flintshire, _file(tmp_path_factory.mktemp("calls"), lines))
    expected = _stored()
    assert small.stored == 6
    ContactEvent.objects.all().delete()
    ContactTally.objects.all().delete()
    ContactImport.objects.all().delete()  # the same file: otherwise imported already
    monkeypatch.setattr(importer, "DIRECTORY_FROM_BYTES", 0)
    monkeypatch.setattr(importer, "_READ_ROWS", read_rows)
    large = _import(flintshire, _file(tmp_path_factory.mktemp("calls"), lines, name="large.csv"))
    assert _outcome(large) == _outcome(small)
    assert _stored() == expected


def test_the_same_value_as_two_kinds_of_identifier_leads_to_each_kinds_customer():
    """The directory holds every kind read in one table; a value is found with its kind."""
    directory = importer._Directory(organisation_id=0, merged={})
    pairs = {
        "reference": pl.DataFrame({"value": ["CAS7", "CAS8"], "customer": [1, 3]}),
        "social": pl.DataFrame({"value": ["CAS7"], "customer": [2]}),
    }
    directory._add(pairs)
    events = pl.DataFrame(
        {
            "seq": [0, 1, 2, 3],
            "kind": ["social", "reference", "email", ""],
            "value": ["CAS7", "CAS7", "CAS7", ""],
        }
    )
    read: list[str] = []

    def nobody_has(read_kind):  # as the database would answer for a kind nobody has
        read.append(read_kind.args[0])
        return pl.DataFrame(schema={"value": pl.String, "customer": pl.Int64})

    found = directory.attach(events, on_caller=nobody_has)
    assert read == ["email"]
    assert found.select("seq", "customer", "customers").rows() == [
        (0, 2, 1),
        (1, 1, 1),
        (2, None, None),
        (3, None, None),
    ]


def test_the_directory_reads_any_stored_identifier_as_it_is(
    flintshire, people, monkeypatch, tmp_path_factory
):
    """The directory is read as JSON: quotes, backslashes and letters beyond ASCII in a stored
    value come back unchanged and match."""
    value = 'CAS "7"\\Ω'
    Identifier.objects.create(
        organisation=flintshire.organisation,
        customer=people["nia"],
        kind="reference",
        value=value,
        display=value,
        valid_from=NOW,
    )
    monkeypatch.setattr(importer, "DIRECTORY_FROM_BYTES", 0)
    quoted = value.replace('"', '""')
    path = _file(
        tmp_path_factory.mktemp("calls"),
        [f'"{quoted}",letter,inbound,2026-03-02T12:05:00Z,,,,reference'],
        header=f"{HEADER},identifier_kind",
    )
    assert _outcome(_import(flintshire, path)) == (1, 1, 0, 0, 0)
    assert ContactEvent.objects.get().customer == people["nia"]


def test_quoted_fields_and_windows_line_endings_are_read_as_before(
    flintshire, people, monkeypatch, tmp_path_factory
):
    """Blocks with quotes go through Python's csv module; a quoted field may hold a comma or even
    a line break, and line numbers stay those of the file. Blocks are small here, so that a
    quoted record runs over the end of one."""
    monkeypatch.setattr(importer, "_BLOCK_CHARS", 40)
    lines = [
        '01352 702345,phone,inbound,2026-03-02T09:00:00Z,125,Council Tax,"Hughes, Ffion"',  # 2
        '01352 702345,phone,inbound,2026-03-02T09:10:00Z,125,"Council\r\nTax",',  # 3-4
        "01352 702345,phone,sideways,2026-03-02T09:20:00Z,125,Waste,",  # 5
        "",  # 6: blank
        "01352 702345,phone,inbound,2026-03-02T09:30:00Z,125,Waste,Ffion",  # 7
        "01352 702345,fax,inbound,2026-03-02T09:40:00Z,125,Waste,Ffion",  # 8
    ]
    text = "\r\n".join([HEADER, *lines]) + "\r\n"
    path = tmp_path_factory.mktemp("calls") / "quoted.csv"
    path.write_bytes(text.encode())
    report = _import(flintshire, path)
    assert _outcome(report) == (5, 3, 0, 0, 2)
    assert [r["line"] for r in report.rejections] == [5, 8]
    assert sorted(ContactEvent.objects.values_list("handler", "service")) == [
        ("", "Council\r\nTax"),
        ("Ffion", "Waste"),
        ("Hughes, Ffion", "Council Tax"),
    ]


# Fields of a simple block (no quote, carriage return or NUL): commas, spaces, Welsh letters, a
# byte-order mark and separators that are not line breaks to polars.
_FIELD = st.text(alphabet="ab7 ,ŵô\t\ufeff\u2028", max_size=5)
_WHOLE_LINE = st.lists(_FIELD, min_size=7, max_size=7).map(",".join)  # the header's seven fields
_LINE = st.one_of(
    _WHOLE_LINE, st.lists(_FIELD, min_size=1, max_size=9).map(",".join), st.sampled_from(["", "  "])
)


@settings(max_examples=300, deadline=None)
@given(
    lines=st.one_of(st.lists(_WHOLE_LINE, min_size=1, max_size=12), st.lists(_LINE, min_size=1, max_size=12)),
    final_break=st.booleans(),
)
def test_a_simple_block_is_read_as_its_lines_split_one_by_one_would_be(lines, final_break):
    """polars' CSV reader reads a simple block only when every line has the header's fields; any
    block it reads, it reads as splitting the lines would, and any other block is split."""
    text = "\n".join(lines) + ("\n" if final_break else "")
    assume(text.strip("\n"))
    positions = [*range(7), 7]
    read, line, seq = importer._csv_fast_block(text, 1, 40, 7, positions)
    split, split_line, split_seq = importer._csv_split_block(text, 1, 40, 7, positions)
    assert read.rows.equals(split.rows)
    assert (read.unreadable, line, seq) == (split.unreadable, split_line, split_seq)


def test_a_simple_block_of_whole_lines_is_read_by_polars(monkeypatch):
    def refused(*args):
        raise AssertionError("split line by line")

    monkeypatch.setattr(importer, "_csv_split_block", refused)
    text = "\n".join(CALLS[:2] + CALLS[3:9]) + "\n"
    block, line, seq = importer._csv_fast_block(text, 1, 0, 7, [*range(7), 7])
    assert (block.rows.height, line, seq) == (8, 9, 8)
    assert block.rows.row(1) == (1, 3, *CALLS[1].split(","), "")


@pytest.mark.parametrize("block_chars", [30, 200, 1 << 20])
def test_batches_are_the_same_whatever_the_blocks_read(
    flintshire, people, monkeypatch, block_chars, tmp_path_factory
):
    """Blocks of rows (how much is read and decided at once) and batches (what is committed
    together) are independent: batch n holds rows (n-1)*size+1 to n*size however the file was read."""
    monkeypatch.setattr(importer, "_BLOCK_CHARS", block_chars)
    monkeypatch.setattr(importer, "BLOCK_ROWS", 2)
    committed: list[int] = []
    report = _import(
        flintshire,
        _file(tmp_path_factory.mktemp("calls"), CALLS),
        batch_size=5,
        after_batch=lambda n: committed.append(ContactImport.objects.get().rows_read),
    )
    assert committed == [5, 10, 12]
    assert _outcome(report) == (12, 4, 0, 3, 5)
    assert [r["line"] for r in report.rejections] == [8, 9, 10, 11, 13]


def _reading_ahead() -> bool:
    return any(t.name == "engage-import-ahead" for t in threading.enumerate())


def test_an_error_while_reading_ahead_reaches_the_caller_and_marks_the_import_failed(
    flintshire,
    people,
    monkeypatch,
    tmp_path_factory,
):
    """The next batches are read and decided in a second thread: what goes wrong there stops the
    import as anything else would, after the batches already committed."""
    monkeypatch.setattr(importer, "_BLOCK_CHARS", 200)
    monkeypatch.setattr(importer, "BLOCK_ROWS", 2)
    decide = importer.import_frame.decide
    calls = itertools.count()

    def decide_then_fail(rows, now):
        if next(calls) == 1:
            raise RuntimeError("the disk went away")
        return decide(rows, now)

    monkeypatch.setattr(importer.import_frame, "decide", decide_then_fail)
    with pytest.raises(RuntimeError, match="the disk went away"):
        _import(flintshire, _file(tmp_path_factory.mktemp("calls"), CALLS), batch_size=2)
    stopped = ContactImport.objects.get()
    assert (stopped.status, stopped.batches_done, stopped.rows_read) == ("failed", 1, 2)
    assert not _reading_ahead()


def test_reading_ahead_reads_the_database_on_the_callers_thread_and_ends_with_it():
    """Only the caller's thread uses its database connection (and so its transaction); when the
    caller stops taking batches, the thread reading ahead ends, even while it waits for a read."""
    readers: list[str] = []

    def produce(on_caller):
        for n in itertools.count():
            yield n
            on_caller(lambda: readers.append(threading.current_thread().name))

    with importer._Ahead(produce) as items:
        assert [next(items) for _ in range(3)] == [0, 1, 2]
    assert not _reading_ahead()
    assert set(readers) == {threading.current_thread().name}


# ---------------------------------------------------------------------------------------------
# Levels of contact (003 §6.3) and single events
# ---------------------------------------------------------------------------------------------


def test_six_calls_in_an_hour_raise_one_item_for_a_manager_and_restrict_nobody(
    flintshire, people, tmp_path_factory
):
    """003 §6.3: "Makes a number of calls in one hour, one day or one week". The default is more
    than 4 an hour; the item is for a person to consider."""
    calls = [
        f"01352 702345,phone,inbound,2026-03-09T10:{m:02d}:00Z,30,Waste," for m in (0, 10, 20, 30, 40, 50)
    ]
    with expect_audit("contact_import.start", "levels_flag.raise", "contact_import.complete"):
        report = _import(flintshire, _file(tmp_path_factory.mktemp("calls"), calls))
    assert report.flags_raised == 1
    flag = LevelsFlag.objects.get()
    assert (flag.customer, flag.rule, flag.value, flag.threshold, flag.status) == (
        people["bryn"],
        "calls_per_hour",
        6,
        4,
        "open",
    )
    # One more call the same hour raises the same item's count, not a second item.
    _import(
        flintshire,
        _file(
            tmp_path_factory.mktemp("calls"),
            ["01352 702345,phone,inbound,2026-03-09T10:55:00Z,30,Waste,"],
            "more.csv",
        ),
    )
    flag.refresh_from_db()
    assert (LevelsFlag.objects.count(), flag.value) == (1, 7)


def test_old_history_raises_nothing(flintshire, people, tmp_path_factory):
    calls = [f"01352 702345,phone,inbound,2026-01-05T10:{m:02d}:00Z,30,Waste," for m in range(0, 60, 5)]
    assert _import(flintshire, _file(tmp_path_factory.mktemp("calls"), calls)).flags_raised == 0


def test_the_same_email_to_many_staff_is_a_scatter_gun(flintshire, people, tmp_path_factory):
    """003 §6.3: "An email is sent to numerous members of staff ... (scatter gun approach)"."""
    staff = ["ffion", "dafydd", "sian", "gwen", "rhodri", "carys"]
    rows = [
        f"bryn@example.org,email,inbound,2026-03-09T10:00:0{i}Z,,,{who}@flintshire.gov.uk"
        for i, who in enumerate(staff)
    ]
    _import(flintshire, _file(tmp_path_factory.mktemp("calls"), rows))
    flag = LevelsFlag.objects.get()
    assert (flag.rule, flag.value, flag.threshold) == ("email_recipients", 6, 5)


def test_one_event_at_a_time_from_the_api(flintshire, people):
    event = {
        "identifier": "01352 702345",
        "channel": "phone",
        "direction": "inbound",
        "started_at": "2026-03-02T09:00:00Z",
    }
    with (
        audit_source("test"),
        expect_audit("contact_event.record", "contact_event.record", "contact_event.record"),
    ):
        assert contact_event_record(actor=None, organisation=flintshire.organisation, event=event) == "stored"
        assert (
            contact_event_record(actor=None, organisation=flintshire.organisation, event=event) == "duplicate"
        )
        unknown = {**event, "identifier": "01352 709999"}
        assert (
            contact_event_record(actor=None, organisation=flintshire.organisation, event=unknown)
            == "unmatched"
        )
    with pytest.raises(ValidationError) as err:
        contact_event_record(
            actor=None, organisation=flintshire.organisation, event={**event, "channel": "fax"}
        )
    assert "channel 'fax'" in err.value.messages[0]
    with pytest.raises(ValidationError):
        contact_event_record(
            actor=None, organisation=flintshire.organisation, event={**event, "colour": "red"}
        )


def test_the_command_imports_and_prints_the_report(flintshire, people, capsys, tmp_path_factory):
    path = _file(tmp_path_factory.mktemp("calls"), CALLS)
    call_command("import-contacts", str(path), "--organisation", "flintshire")
    out = capsys.readouterr().out
    assert "12 rows; 4 events stored, 0 already held, 3 counted only (no single customer), 5 rejected" in out
    assert "Line 9: direction 'sideways' is not inbound or outbound" in out


def _wal_pages(path: Path) -> int:
    wal = Path(f"{path}-wal")
    return wal.stat().st_size // 4096 if wal.exists() else 0


@pytest.mark.parametrize("behind", [True, False])
def test_the_log_is_copied_into_the_database_behind_the_import(tmp_path, behind):
    """The import's connection does not stop to copy the write-ahead log (autocheckpoint off, as
    if the log had not yet reached the import's own limit): the checkpointer copies it after
    each commit, from its own connection, and the log starts again instead of growing."""
    path = tmp_path / "engage.sqlite3"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("CREATE TABLE calls (note BLOB)")
    checkpoints = importer._Checkpointer(str(path)) if behind else None
    if checkpoints:
        checkpoints.start()
    largest = 0
    try:
        for batch in range(1, 21):
            writer.execute("BEGIN IMMEDIATE")
            writer.executemany("INSERT INTO calls VALUES (?)", [(bytes(1000),)] * 100)  # about 30 pages
            writer.execute("COMMIT")
            largest = max(largest, _wal_pages(path))
            if checkpoints:
                checkpoints.after_commit()
                deadline = time.monotonic() + 10
                while checkpoints.made < batch and time.monotonic() < deadline:
                    time.sleep(0.001)
                assert checkpoints.made == batch
    finally:
        if checkpoints:
            checkpoints.stop()
        writer.close()
    if behind:
        assert largest < 100  # a batch or two
    else:
        assert largest > 500  # every batch, kept


def test_an_import_into_memory_has_no_checkpointer(db):
    # The tests' SQLite database is in memory, with no log to copy (and PostgreSQL has none).
    assert importer._Checkpointer.for_connection() is None
