"""PostgreSQL as Django's own backend runs it, with a cheaper health check for persistent connections.

With health checks on (`CONN_HEALTH_CHECKS`), Django checks a connection kept from an earlier
request before the request's first query by sending `SELECT 1` and waiting for the answer: a round
trip to the server at every request. For the contact check that was 143 µs of the workers'
processor time a call (1,043 against 900 µs; 1,433 against 1,657 requests a second in the same
run: docs/benchmarks.md, "PostgreSQL's health check").

What the check is for is a connection the server has closed since it was last used: a restart, a
failover, an administrator's `pg_terminate_backend`, an idle timeout. The server says so before it
goes: it sends an error message and closes its end, so the connection's socket has something to
read while nothing was asked. This check asks the socket instead, without waiting; a connection
that is already closed or broken, or has anything to read while idle, is closed, and the request
opens a new one. Neither check catches a server that vanished without a word (its host lost): a
`SELECT 1` would wait for TCP to give up, and the request's own query fails instead, after which
Django closes the connection as it always has (`close_if_unusable_or_obsolete`, which still asks
the server after an error).
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg import pq

__all__ = ["DatabaseWrapper"]


class DatabaseWrapper(base.DatabaseWrapper):  # type: ignore[misc]
    def close_if_health_check_failed(self) -> None:
        # Django's own attributes, which its type stubs do not declare.
        pooled, enabled, done = self.pool, self.health_check_enabled, self.health_check_done  # type: ignore[attr-defined,has-type]
        if pooled or self.connection is None or not enabled or done:
            return
        if not self.looks_alive():
            self.close()
        self.health_check_done = True

    def looks_alive(self) -> bool:
        """Whether the open connection can be used without asking the server: not closed or known
        broken, and, while idle, nothing sent by the server unasked (which, on a connection that
        does not LISTEN, is the server saying goodbye)."""
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        if connection.info.transaction_status != pq.TransactionStatus.IDLE:
            return True  # in a transaction: mid-request, which the check never sees
        poller = select.poll()
        poller.register(connection.fileno(), select.POLLIN | select.POLLPRI)
        return not poller.poll(0)
