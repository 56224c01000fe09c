"""The one function every service calls, inside its transaction, to record what it did."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from engage.audit.models import AuditRecord

_source: contextvars.ContextVar[str] = contextvars.ContextVar("audit_source", default="unknown")


@contextlib.contextmanager
def audit_source(source: str) -> Iterator[None]:
    """Say where the actions in this block come from (a request address, or a command)."""
    token = _source.set(source[:200])
    try:
        yield
    finally:
        _source.reset(token)


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    organisation: Any = None,
    outcome: str = AuditRecord.Outcome.SUCCESS,
    detail: dict[str, Any] | None = None,
) -> AuditRecord:
    """Write one audit record. A successful change must be recorded in the same transaction.

    `actor` is a user, or None for the system itself (scheduled jobs); `organisation` defaults
    to the object's or the actor's.
    """
    if outcome == AuditRecord.Outcome.SUCCESS and not _in_service_transaction():
        raise RuntimeError(
            f"audit_record({action!r}) called outside a transaction: wrap the service in atomic()"
        )
    if organisation is None:
        organisation = _organisation_of(obj) or getattr(actor, "organisation", None)
    return AuditRecord.objects.create(
        at=timezone.now(),
        organisation=organisation,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=(str(actor) if actor is not None else "Engage (scheduled)")[:200],
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=str(obj)[:200] if obj is not None else "",
        source=_source.get(),
        outcome=outcome,
        detail=detail or {},
    )


def _in_service_transaction() -> bool:
    # Test cases wrap each test in atomic blocks of their own (marked _from_testcase); only a
    # block the service itself opened counts, so tests catch a service that forgot atomic().
    connection = transaction.get_connection()
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def _organisation_of(obj: models.Model | None) -> Any:
    if obj is None:
        return None
    if obj._meta.label_lower == "organisations.organisation":
        return obj
    return getattr(obj, "organisation", None)
