"""Running the contact check's hand-written statements on Django's connection, as cheaply as it allows.

Each statement runs on Django's connection: the same connection, transaction and error
translation as the ORM. On SQLite, Django's cursor rewrites the "%s" placeholders to "?"
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

__all__ = ["execute", "vendor"]


@functools.lru_cache(maxsize=64)  # the lookup, and the journal's INSERTs of the sizes lately written
def _qmarks(sql: str) -> str:
    assert "?" not in sql, "statements here use %s placeholders only"
    assert "%%" not in sql, "statements here use %s placeholders only"
    return sql.replace("%s", "?")


@functools.cache
def vendor() -> str:
    """The default database's vendor ("sqlite", "postgresql"), read once: it is fixed for the
    process, and `connection.vendor` is a lookup through Django's connection proxy each time."""
    return str(connections[DEFAULT_DB_ALIAS].vendor)


def execute(sql: str, params: Sequence[Any], *, fetch: bool = False) -> list[tuple[Any, ...]]:
    """Run one statement with "%s" placeholders; its rows if `fetch`."""
    db = connections[DEFAULT_DB_ALIAS]  # once: each `connection.x` is a lookup through a proxy
    raw = _open_sqlite(db)
    if raw is None:
        with db.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if fetch else []
    with db.wrap_database_errors:
        statement = raw.execute(_qmarks(sql), params)
        try:
            return statement.fetchall() if fetch else []
        finally:
            statement.close()


def _open_sqlite(db: Any) -> sqlite3.Connection | None:
    """The open sqlite3 connection to run on directly, or None to go through Django's cursor: on
    another database, before the connection is opened (Django opens it), and while queries are
    being logged. Directly, each statement skips Django's cursor wrappers and their checks
    (async-safety, thread sharing, health), none of which can fail for this thread's open SQLite
    connection: about 20 µs a statement (docs/benchmarks.md)."""
    raw = db.connection
    if raw is None or db.vendor != "sqlite" or db.queries_logged:
        return None
    return raw  # type: ignore[no-any-return]
