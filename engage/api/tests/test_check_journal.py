"""Flintshire's telephony checks Bryn's number with the write-behind journal on, as Engage runs
(engage/contacts/journal.py): answered first, recorded by the real INSERT with the next write."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from engage.audit.models import AuditRecord
from engage.contacts import journal as check_journal
from engage.contacts import services as contact_services
from engage.contacts.journal import Journal
from engage.contacts.models import ContactCheck

from .conftest import BRYN_PHONE


@pytest.fixture
def journal_on(settings, monkeypatch):
    """The journal on, as Engage runs; its writer thread idle so that the test writes the rows."""
    settings.ENGAGE_CHECK_JOURNAL = True
    journal = Journal(check_journal._write_checks, interval=3600)
    monkeypatch.setattr(check_journal, "journal", journal)
    return journal


def test_an_api_check_is_answered_first_and_recorded_with_the_next_write(api, telephony, bryn, journal_on):

    response = api(
        "get", "/api/v1/contact-check", telephony, data={"identifier": BRYN_PHONE, "channel": "phone"}
    )
    assert response.status_code == 200
    check_id = response.json()["check_id"]
    assert journal_on.waiting == 1
    assert not ContactCheck.objects.exists()
    assert journal_on.flush() == 1
    recorded = ContactCheck.objects.get()
    assert str(recorded.pk) == check_id
    assert recorded.checked_by_label == "Service account: Telephony"
    assert (recorded.customer_id, recorded.channel, recorded.decision) == (
        bryn.pk,
        "phone",
        "allow_with_conditions",
    )


def test_many_api_checks_are_written_in_one_transaction(api, telephony, bryn, journal_on):

    ids = {
        api(
            "get", "/api/v1/contact-check", telephony, data={"identifier": BRYN_PHONE, "channel": "phone"}
        ).json()["check_id"]
        for _ in range(5)
    }
    with CaptureQueriesContext(connection) as queries:
        assert journal_on.flush() == 5
    statements = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == 1  # in one transaction: on SQLite one INSERT of five rows, on
    if connection.vendor == "sqlite":  # PostgreSQL the one-row INSERT sent five times
        assert statements[0].startswith('INSERT INTO "contacts_contactcheck"')
        assert statements[0].count("), (") == 4
    else:
        assert statements[0].startswith('5 times: INSERT INTO "contacts_contactcheck"')
    assert {str(pk) for pk in ContactCheck.objects.values_list("pk", flat=True)} == ids


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's INSERTs of many rows")
def test_a_long_wait_is_written_a_few_hundred_rows_to_an_insert(
    api, telephony, bryn, journal_on, monkeypatch
):
    # After a stall (the database locked for a while) thousands of rows may be waiting: each
    # INSERT carries at most _ROWS_PER_INSERT of them, within every database's parameter limit.
    monkeypatch.setattr(contact_services, "_ROWS_PER_INSERT", 2)
    for _ in range(5):
        api("get", "/api/v1/contact-check", telephony, data={"identifier": BRYN_PHONE, "channel": "phone"})
    with CaptureQueriesContext(connection) as queries:
        assert journal_on.flush() == 5
    inserts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert [sql.count("), (") + 1 for sql in inserts] == [2, 2, 1]
    assert ContactCheck.objects.count() == 5


def test_a_persons_check_from_the_page_is_never_journalled(client, flintshire, bryn, journal_on):

    client.force_login(flintshire.ffion)
    response = client.post("/contacts/check/", {"identifier": BRYN_PHONE, "channel": "phone"})
    assert response.status_code in (200, 302)
    assert journal_on.waiting == 0
    assert ContactCheck.objects.get().checked_by == flintshire.ffion
    assert AuditRecord.objects.filter(action="contact.check").count() == 1


def test_a_row_the_database_refuses_is_dropped_and_the_others_are_written(
    api, telephony, bryn, journal_on, caplog
):
    # One bad row (here: another row's id) would fail every write of the batch for ever: the rows
    # are written one at a time instead, and only the one refused is lost, with a log line.
    ids = [
        api(
            "get", "/api/v1/contact-check", telephony, data={"identifier": BRYN_PHONE, "channel": "phone"}
        ).json()["check_id"]
        for _ in range(4)
    ]
    journal_on._rows[2][0] = journal_on._rows[0][0]
    assert journal_on.flush() == 3
    assert journal_on.waiting == 0
    assert sorted(str(pk) for pk in ContactCheck.objects.values_list("pk", flat=True)) == sorted(
        [ids[0], ids[1], ids[3]]
    )
    (refused,) = [r for r in caplog.records if r.name == "engage.contacts.journal"]
    assert refused.getMessage().startswith("A contact-check record was refused by the database and dropped")
    assert refused.exc_info[0] is IntegrityError
