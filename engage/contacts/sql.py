"""Running the contact check's hand-written statements on Django's connection, as cheaply as it allows.

Each statement goes through `django.db.connection.cursor()`: the same connection, transaction and
error translation as the ORM. On SQLite, Django's cursor rewrites the "%s" placeholders to "?"
with a regular expression on every execution, which costs 17 µs for the lookup's statement
(docs/benchmarks.md); these statements are fixed, so they are rewritten once and handed to the
sqlite3 cursor directly. While queries are being logged (tests' CaptureQueriesContext, the debug
toolbar) Django's own path is taken, so every statement is still seen.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

__all__ = ["execute", "execute_many"]


@functools.cache
def _qmarks(sql: str) -> str:
    assert "?" not in sql, "statements here use %s placeholders only"
    assert "%%" not in sql, "statements here use %s placeholders only"
    return sql.replace("%s", "?")


def execute(sql: str, params: Sequence[Any], *, fetch: bool = False) -> list[tuple[Any, ...]]:
    """Run one statement with "%s" placeholders; its rows if `fetch`."""
    db = connections[DEFAULT_DB_ALIAS]  # once: each `connection.x` is a lookup through a proxy
    with db.cursor() as cursor:
        if db.vendor != "sqlite" or db.queries_logged:
            cursor.execute(sql, params)
            return cursor.fetchall() if fetch else []
        raw = cursor.cursor  # Django's SQLiteCursorWrapper, a sqlite3.Cursor
        with db.wrap_database_errors:
            sqlite3.Cursor.execute(raw, _qmarks(sql), params)
            return raw.fetchall() if fetch else []


def execute_many(sql: str, rows: Sequence[Sequence[Any]]) -> None:
    """Run one statement with "%s" placeholders once for each row of parameters."""
    db = connections[DEFAULT_DB_ALIAS]
    with db.cursor() as cursor:
        if db.vendor != "sqlite" or db.queries_logged:
            cursor.executemany(sql, rows)
            return
        raw = cursor.cursor
        with db.wrap_database_errors:
            sqlite3.Cursor.executemany(raw, _qmarks(sql), rows)
