"""The write-behind journal for service accounts' contact checks (engage/contacts/journal.py),
with a writer that keeps what it is given. With the database and the real INSERT:
engage/api/tests/test_check_journal.py."""

from __future__ import annotations

import logging
import threading
import time

import pytest
from django.db import IntegrityError, OperationalError, connection

from engage.contacts import journal as journal_module
from engage.contacts.journal import Journal, _exit_flush


class Kept:
    """A writer that keeps each batch it is given, and can be told to fail."""

    def __init__(self) -> None:
        self.batches: list[list[object]] = []
        self.failing = False
        self.written = threading.Event()

    def __call__(self, rows: list[object]) -> None:
        if self.failing:
            raise RuntimeError("database is locked")
        self.batches.append(list(rows))
        self.written.set()


def test_rows_wait_until_a_batch_is_full_then_the_writer_writes_them_together():
    kept = Kept()
    journal = Journal(kept, batch=3, interval=3600)
    assert journal.add(("a",))
    assert journal.add(("b",))
    time.sleep(0.05)  # the writer thread, woken by the first row, goes back to waiting
    assert kept.batches == []
    assert journal.waiting == 2
    journal.add(("c",))  # the third fills the batch: the writer is woken, the caller never writes
    assert kept.written.wait(timeout=5), "the writer thread did not write the full batch"
    assert kept.batches == [[("a",), ("b",), ("c",)]]
    assert journal.waiting == 0


def test_an_inline_journal_has_the_caller_that_fills_a_batch_write_it():
    # PostgreSQL's journal (journal.INLINE_BATCH): the third check is written by its own request.
    kept = Kept()
    journal = Journal(kept, batch=3, interval=3600, inline=True)
    journal.add(("a",))
    journal.add(("b",))
    assert kept.batches == []
    journal.add(("c",))
    assert kept.batches == [[("a",), ("b",), ("c",)]]
    assert journal.waiting == 0


def test_the_journal_suits_the_database():
    made = journal_module._for_database()
    if connection.vendor == "sqlite":
        assert (made.inline, made.batch) == (False, journal_module.BATCH)
    else:
        assert (made.inline, made.batch) == (True, journal_module.INLINE_BATCH)


def test_a_waiting_row_is_written_within_the_interval_without_another_check():
    kept = Kept()
    journal = Journal(kept, batch=100, interval=0.05)
    started = time.monotonic()
    journal.add(("only",))
    assert kept.written.wait(timeout=5), "the writer thread did not write the row"
    assert kept.batches == [[("only",)]]
    assert time.monotonic() - started < 5


def test_a_failed_write_keeps_the_rows_in_order_for_the_next_attempt():
    kept = Kept()
    journal = Journal(kept, batch=100, interval=3600)
    journal.add(1)
    journal.add(2)
    kept.failing = True
    with pytest.raises(RuntimeError):
        journal.flush()
    journal.add(3)
    assert journal.waiting == 3
    kept.failing = False
    assert journal.flush() == 3
    assert kept.batches == [[1, 2, 3]]


class Refusing(Kept):
    """A writer whose database refuses any write holding the row ("bad",), and after `locked_after`
    rows written goes away for a while."""

    def __init__(self, locked_after: int = 1000) -> None:
        super().__init__()
        self.locked_after = locked_after

    def __call__(self, rows: list[object]) -> None:
        if ("bad",) in rows:
            raise IntegrityError("NOT NULL constraint failed")
        if sum(map(len, self.batches)) + len(rows) > self.locked_after:
            raise OperationalError("database is locked")
        super().__call__(rows)


def test_a_row_the_database_refuses_holds_up_no_other(caplog):
    refusing = Refusing()
    journal = Journal(refusing, batch=100, interval=3600)
    for row in [("a",), ("bad",), ("c",)]:
        journal.add(row)
    assert journal.flush() == 2
    assert refusing.batches == [[("a",)], [("c",)]]
    assert journal.waiting == 0
    assert [r.getMessage() for r in caplog.records] == [
        "A contact-check record was refused by the database and dropped: bad"
    ]


def test_rows_not_yet_written_one_at_a_time_are_kept_if_the_database_goes_away():
    refusing = Refusing(locked_after=1)
    journal = Journal(refusing, batch=100, interval=3600)
    for row in [("a",), ("bad",), ("c",), ("d",)]:
        journal.add(row)
    with pytest.raises(OperationalError):
        journal.flush()
    assert refusing.batches == [[("a",)]]
    assert journal.waiting == 2  # ("bad",) dropped; ("c",) and ("d",) wait, in order
    refusing.locked_after = 1000
    assert journal.flush() == 2
    assert refusing.batches == [[("a",)], [("c",), ("d",)]]


def test_past_the_limit_the_caller_records_the_check_itself():
    kept = Kept()
    kept.failing = True  # the database is unavailable for a while
    journal = Journal(kept, batch=100, interval=3600, limit=2)
    assert journal.add(1)
    assert journal.add(2)
    assert journal.add(3) is False  # nothing held beyond the limit: the caller writes it at once
    assert journal.waiting == 2


def test_waiting_rows_are_written_when_the_process_stops(caplog):
    kept = Kept()
    journal = Journal(kept, batch=100, interval=3600)
    journal.add("last call of the day")
    _exit_flush(journal)
    assert kept.batches == [["last call of the day"]]
    # A failure then is logged, not raised into the interpreter's shutdown.
    kept.failing = True
    journal.add("another")
    with caplog.at_level(logging.ERROR, logger="engage.contacts.journal"):
        _exit_flush(journal)
    assert "could not be written as the process stopped" in caplog.text


def test_a_forked_worker_starts_its_own_writer_and_leaves_the_parents_rows_to_the_parent():
    kept = Kept()
    journal = Journal(kept, batch=100, interval=3600)
    journal.add("parent's")
    journal._pid = -1  # as a worker forked from the process that made the journal sees it
    journal.add("worker's")
    assert journal.flush() == 1
    assert kept.batches == [["worker's"]]
