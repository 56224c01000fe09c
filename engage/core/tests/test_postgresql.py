"""How Engage keeps its PostgreSQL connections (engage/core/postgresql/base.py): a connection kept
from an earlier request is checked before the next request uses it, by asking its socket rather
than sending the server a query. Run on a real server, whose backend is really terminated."""

from __future__ import annotations

import select
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.postgresql import base as django_postgresql

pytestmark = [
    pytest.mark.django_db(transaction=True),  # the check runs between requests, outside any transaction
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's connections"),
]


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def a_request_ends() -> None:
    """What Django does when a request ends (and the next begins): the connection is kept, and
    will be checked before its next use."""
    connection.close_if_unusable_or_obsolete()
    assert connection.connection is not None


@pytest.fixture
def sent(tmp_path: Path) -> Iterator[Any]:
    """What the connection sends the server, as libpq traces it: call it to read so far."""
    backend_pid()  # open
    trace = tmp_path / "libpq.trace"
    with trace.open("w") as out:
        pgconn = connection.connection.pgconn
        pgconn.trace(out.fileno())
        yield lambda: trace.read_text()
        if connection.connection is not None and connection.connection.pgconn is pgconn:
            pgconn.untrace()


def test_a_kept_connection_is_checked_without_a_query_to_the_server(sent):
    a_request_ends()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'the request''s own query'")
    assert "the request''s own query" in sent()
    assert "SELECT 1" not in sent()


def test_django_s_own_check_would_have_asked_the_server_each_time(sent):
    # What the backend saves: Django's check sends a query and waits for its answer, at every
    # request (143 µs of the contact check's processor time: docs/benchmarks.md).
    a_request_ends()
    django_postgresql.DatabaseWrapper.close_if_health_check_failed(connections[DEFAULT_DB_ALIAS])
    assert "SELECT 1" in sent()


def test_a_connection_the_server_has_closed_is_replaced_before_the_next_request_uses_it():
    """Dana, the council's database administrator, restarts the server overnight (here: ends the
    connection's backend, as a restart does). The first call in the morning is answered."""
    before = backend_pid()
    administrator = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with administrator.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [before])
    finally:
        administrator.close()
    # The server's goodbye reaches the socket (at once, but the backend ends on its own time).
    deadline = time.monotonic() + 10
    while not select.select([connection.connection.fileno()], [], [], 0.05)[0]:
        assert time.monotonic() < deadline, "the terminated backend never closed the connection"
    a_request_ends()
    assert backend_pid() != before


def test_a_connection_known_to_be_closed_is_replaced():
    before = backend_pid()
    connection.connection.close()  # as psycopg leaves it after the server went away mid-query
    a_request_ends()
    assert backend_pid() != before
