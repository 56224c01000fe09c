"""Audit records: written inside the service's transaction, tagged with where the action came from."""

from __future__ import annotations

import pytest
from django.db import transaction

from engage.audit.models import AuditRecord
from engage.audit.services import audit_record, audit_source


def test_a_change_cannot_be_recorded_outside_a_transaction(flintshire):
    with pytest.raises(RuntimeError, match="outside a transaction"):
        audit_record(actor=flintshire.ffion, action="demo.change", obj=flintshire.ffion)


def test_a_record_says_who_what_which_where_and_the_organisation(flintshire):
    with audit_source("command: engage test"), transaction.atomic():
        record = audit_record(actor=flintshire.dafydd, action="demo.change", obj=flintshire.ffion)
    record.refresh_from_db()
    assert record.actor == flintshire.dafydd
    assert record.actor_label == "Dafydd Roberts"
    assert record.object_type == "staff.user"
    assert record.object_id == str(flintshire.ffion.pk)
    assert record.source == "command: engage test"
    assert record.organisation == flintshire.organisation
    assert record.at.tzinfo is not None


def test_a_change_rolled_back_leaves_no_record(flintshire):
    before = AuditRecord.objects.count()

    def change_that_fails() -> None:
        with transaction.atomic():
            audit_record(actor=flintshire.dafydd, action="demo.change", obj=flintshire.ffion)
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        change_that_fails()
    assert AuditRecord.objects.count() == before


def test_a_failed_sign_in_is_recorded_as_refused(client, flintshire):
    client.post("/sign-in/", {"username": "ffion", "password": "wrong"})
    record = AuditRecord.objects.filter(action="staff.sign_in").latest("id")
    assert record.outcome == AuditRecord.Outcome.REFUSED
    assert record.detail == {"username": "ffion"}
    assert record.source.startswith("web 127.0.0.1 POST /sign-in/")
