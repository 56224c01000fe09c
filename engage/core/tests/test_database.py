"""How Engage opens its SQLite database (engage/config/settings.py): the pragmas every connection
starts with, read back from SQLite on a database file (the tests' own database is in memory,
where some pragmas do not apply)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's connection pragmas"),
]


@pytest.fixture
def pragma(tmp_path) -> Iterator[Any]:
    """PRAGMA NAME read on a new connection to a database file, opened as Engage opens its own."""
    engage = connections[DEFAULT_DB_ALIAS]
    opened = type(engage)(
        {**engage.settings_dict, "NAME": str(tmp_path / "engage.sqlite3")}, DEFAULT_DB_ALIAS
    )

    def read(name: str) -> object:
        with opened.cursor() as cursor:
            cursor.execute(f"PRAGMA {name}")
            return cursor.fetchone()[0]

    yield read
    opened.close()


def test_every_connection_uses_the_write_ahead_log_and_waits_for_a_lock_rather_than_failing(pragma):
    assert pragma("journal_mode") == "wal"
    assert pragma("synchronous") == 1  # NORMAL: with the WAL, safe when Engage itself crashes
    assert pragma("foreign_keys") == 1
    assert pragma("busy_timeout") == 20000


def test_a_new_database_is_made_with_16_kib_pages(pragma):
    # ADR 0008: the import's writer commits fewer, larger pages (10M events about 4% faster).
    assert pragma("page_size") == 16384


def test_an_existing_database_keeps_its_pages(tmp_path):
    """The pragma cannot change a database already written (nor one in WAL mode): opening an
    older 4 KiB database changes nothing, and it works as before."""
    import sqlite3

    path = tmp_path / "older.sqlite3"
    older = sqlite3.connect(path)
    older.execute("PRAGMA page_size=4096")
    older.execute("PRAGMA journal_mode=WAL")
    older.execute("CREATE TABLE kept (note TEXT)")
    older.execute("INSERT INTO kept VALUES ('written before')")
    older.commit()
    older.close()
    engage = connections[DEFAULT_DB_ALIAS]
    opened = type(engage)({**engage.settings_dict, "NAME": str(path)}, DEFAULT_DB_ALIAS)
    try:
        with opened.cursor() as cursor:
            cursor.execute("PRAGMA page_size")
            assert cursor.fetchone()[0] == 4096
            cursor.execute("SELECT note FROM kept")
            assert cursor.fetchall() == [("written before",)]
    finally:
        opened.close()


def test_reads_are_not_memory_mapped(pragma):
    # With memory-mapped reads, gunicorn workers opening and closing connections met
    # SQLITE_IOERR_SHORT_READ ("disk I/O error") at the contact check's first read now and then:
    # 7 answers in about 107,000 were a 500, none in 155,000 without the map (docs/benchmarks.md,
    # "Memory-mapped reads removed").
    assert pragma("mmap_size") == 0
