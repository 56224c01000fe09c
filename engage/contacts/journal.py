"""Writing contact-check records a few at a time: the write-behind journal for integrations.

A telephony system may check every call. Recording each check with its own commit costs more
than the check (docs/benchmarks.md): on SQLite every commit also makes every other worker's
connection drop its page cache, so each write slows the next reads elsewhere. The journal keeps a
service account's check rows in this process and writes them together, in one transaction:

- within `INTERVAL` seconds of the first one waiting, by a daemon thread;
- as soon as a batch is waiting. On SQLite (`BATCH` rows) the daemon thread writes it too: the
  request never waits for a write. On PostgreSQL (`INLINE_BATCH` rows) the request that adds the
  last row writes them: there a write from the thread, with psycopg preparing every row's
  parameters in Python, held the interpreter against the requests and made the slowest answers
  slower (p99 14 ms against 20–23 ms; docs/benchmarks.md);
- when the process exits normally (gunicorn's graceful stop, a worker restart, SIGTERM).

What this gives up, deliberately and only for service accounts: a check whose process is killed
outright (SIGKILL, the kernel's out-of-memory killer, a power cut) within that quarter of a second
may not be recorded. A person's check from the page is never journalled: it is written with its
audit record before the answer is shown. Set ENGAGE_CHECK_JOURNAL=false to record every API check
before answering (docs/operations.md).

If a write fails (the database locked for longer than its timeout), the rows stay waiting and the
next write tries them again; past `LIMIT` waiting rows, checks are recorded one at a time, at once,
rather than held in memory without bound. If the database refuses a batch for what is in it (an
integrity or data error: one bad row, which would fail every attempt and hold the others up), the
rows are written one at a time instead; a row refused on its own is logged by its first value
(the check's id) and dropped, and the others are kept.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from django.db import DataError, IntegrityError, close_old_connections, transaction

from engage.contacts.sql import vendor

__all__ = ["BATCH", "INLINE_BATCH", "INTERVAL", "LIMIT", "Journal", "journal"]

BATCH = 1000
INLINE_BATCH = 64
INTERVAL = 0.25
LIMIT = 10_000

logger = logging.getLogger(__name__)

# What the database says about the rows themselves, rather than about itself (locked, gone away):
# writing the same rows again would fail again.
REFUSED = (IntegrityError, DataError)

Row = Sequence[Any]
Writer = Callable[[list[Row]], None]


class Journal:
    """Rows waiting to be written by `write` (one call, one transaction, any number of rows)."""

    def __init__(
        self,
        write: Writer,
        *,
        batch: int = BATCH,
        interval: float = INTERVAL,
        limit: int = LIMIT,
        inline: bool = False,
    ) -> None:
        """`inline`: the caller that fills a batch writes it, rather than the daemon thread."""
        self._write = write
        self.batch, self.interval, self.limit, self.inline = batch, interval, limit, inline
        self._rows: list[Row] = []
        self._since: float | None = None  # when the oldest waiting row arrived (monotonic)
        self._lock = threading.Lock()  # guards _rows and _since
        self._writing = threading.Lock()  # one write at a time, in order
        self._pid: int | None = None  # the process the writer thread runs in (none yet)
        self._wake = threading.Event()

    @property
    def waiting(self) -> int:
        with self._lock:
            return len(self._rows)

    def add(self, row: Row) -> bool:
        """Keep `row` to be written soon. Returns False (and keeps nothing) when `limit` rows are
        already waiting: the caller then writes the row itself, at once."""
        with self._lock:
            if len(self._rows) >= self.limit:
                return False
            self._start_writer()
            self._rows.append(row)
            first = self._since is None
            if first:
                self._since = time.monotonic()
            full = len(self._rows) >= self.batch
        if full and self.inline:
            self.flush()
        elif full or first:
            self._wake.set()  # the writer waits on this only while nothing is waiting
        return True

    def flush(self) -> int:
        """Write every waiting row now, in one transaction; how many were written. On failure the
        rows are kept, in order, for the next attempt, and the error is raised; if the database
        refused the rows for what they hold, they are written one at a time instead."""
        with self._writing:
            with self._lock:
                rows, since = self._rows, self._since
                self._rows, self._since = [], None
            if not rows:
                return 0
            try:
                self._write(rows)
            except REFUSED:
                return self._one_at_a_time(rows, since)
            except Exception:
                self._keep(rows, since)
                raise
            return len(rows)

    def _one_at_a_time(self, rows: list[Row], since: float | None) -> int:
        """Write `rows` one a transaction, after the database refused them together: a row it
        refuses on its own is dropped (and logged), not retried for ever. Any other failure keeps
        the rows not yet written, as `flush` does, and is raised."""
        written = 0
        for at, row in enumerate(rows):
            try:
                self._write([row])
            except REFUSED:
                logger.exception("A contact-check record was refused by the database and dropped: %s", row[0])
            except Exception:
                self._keep(rows[at:], since)
                raise
            else:
                written += 1
        return written

    def _keep(self, rows: list[Row], since: float | None) -> None:
        """Put `rows` back before any that arrived since, for the next attempt."""
        with self._lock:
            self._rows[:0] = rows
            self._since = since if self._since is None else min(since or 0.0, self._since)

    def _due(self) -> float | None:
        """Seconds until the oldest waiting row must be written (0 if now); None if none waits."""
        with self._lock:
            if self._since is None:
                return None
            return max(0.0, self._since + self.interval - time.monotonic())

    def _start_writer(self) -> None:
        # Called with _lock held. A forked worker inherits the journal but not its thread.
        if self._pid == os.getpid():
            return
        self._pid = os.getpid()
        self._rows, self._since = [], None  # a parent's waiting rows are the parent's to write
        threading.Thread(target=self._run, name="engage-check-journal", daemon=True).start()

    def _run(self) -> None:
        while True:
            due = self._due()
            if due is None:
                self._wake.wait()
                self._wake.clear()
                continue
            if due > 0 and self.waiting < self.batch:
                self._wake.wait(due)
                self._wake.clear()
                continue
            try:
                self.flush()
            except Exception:
                logger.exception("Contact-check records could not be written; trying again shortly")
                time.sleep(self.interval)
            finally:
                close_old_connections()


def _exit_flush(target: Journal) -> None:
    if target.waiting:
        try:
            target.flush()
        except Exception:
            logger.exception("Contact-check records could not be written as the process stopped")


def _write_checks(rows: list[Row]) -> None:
    from engage.contacts.services import insert_checks

    with transaction.atomic():
        insert_checks(rows)


def _for_database() -> Journal:
    if vendor() == "sqlite":
        return Journal(_write_checks)
    return Journal(_write_checks, batch=INLINE_BATCH, inline=True)


journal = _for_database()
atexit.register(_exit_flush, journal)
