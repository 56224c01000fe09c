"""How long contact checks are kept: Flintshire on the default, Highland choosing six months, and
the nightly job deleting what is past its time, in batches, with one audit record each.

None of the five policies sets a period (003 §13.1 defers to "data protection and records
management principles and procedures"; 001 §76 "record the minimum required"), so it is an
organisation setting with a default of 24 months (docs/adr/0004-contact-check-retention.md).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from engage.audit.models import AuditRecord
from engage.audit.testing import expect_audit
from engage.contacts import retention
from engage.contacts.models import ContactCheck, ContactEvent, ContactLevelSettings
from engage.contacts.retention import (
    contact_checks_purge,
    contact_checks_retention_update,
    contact_events_purge,
    contact_events_retention_update,
    cut_off,
)
from engage.contacts.rules import LONDON
from engage.contacts.tests.stories import contact_event
from engage.customers.tests.factories import CustomerFactory
from engage.decisions import jobs

D = dt.date
TODAY = D(2026, 11, 24)


def _check(organisation, at, *, by=None):
    return ContactCheck.objects.create(
        organisation=organisation,
        at=at,
        checked_by=by,
        checked_by_label=str(by) if by else "Telephony",
        channel="phone",
        decision="allow",
    )


def _at(day, hour=12):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON)


# ---------------------------------------------------------------------------------------------
# The cut-off day (pure)
# ---------------------------------------------------------------------------------------------


def test_the_cut_off_is_the_same_day_so_many_months_before():
    assert cut_off(D(2026, 11, 24), 24) == D(2024, 11, 24)
    assert cut_off(D(2026, 11, 24), 6) == D(2026, 5, 24)
    assert cut_off(D(2026, 1, 15), 1) == D(2025, 12, 15)


def test_the_31st_becomes_the_last_day_of_a_shorter_month():
    assert cut_off(D(2026, 3, 31), 1) == D(2026, 2, 28)
    assert cut_off(D(2028, 3, 31), 1) == D(2028, 2, 29)
    assert cut_off(D(2026, 5, 31), 1) == D(2026, 4, 30)


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31)), st.integers(1, 120))
def test_the_cut_off_is_before_today_and_never_more_than_the_months_away(today, months):
    day = cut_off(today, months)
    assert day < today
    assert (today.year - day.year) * 12 + today.month - day.month == months
    assert day.day <= today.day


# ---------------------------------------------------------------------------------------------
# The setting
# ---------------------------------------------------------------------------------------------


def test_an_organisation_that_saved_nothing_keeps_checks_for_24_months(flintshire):
    assert retention.DEFAULT_MONTHS == 24
    assert retention.checks_kept_months(flintshire.organisation) == 24


def test_morag_keeps_highlands_checks_for_six_months_and_it_is_audited(highland):
    with expect_audit(("contact_checks.retention_update", highland.organisation)) as records:
        contact_checks_retention_update(actor=highland.morag, organisation=highland.organisation, months=6)
    assert records[0].detail == {"before": 24, "after": 6}
    assert retention.checks_kept_months(highland.organisation) == 6


def test_the_period_keeps_the_thresholds_already_set(flintshire):
    ContactLevelSettings.objects.create(organisation=flintshire.organisation, calls_per_day=12)
    contact_checks_retention_update(actor=flintshire.rhodri, organisation=flintshire.organisation, months=36)
    row = ContactLevelSettings.objects.get(organisation=flintshire.organisation)
    assert (row.calls_per_day, row.checks_kept_months) == (12, 36)


@pytest.mark.parametrize("months", [0, 121])
def test_a_period_out_of_range_is_refused_naming_the_field(flintshire, months):
    with expect_audit(), pytest.raises(ValidationError) as error:
        contact_checks_retention_update(
            actor=flintshire.rhodri, organisation=flintshire.organisation, months=months
        )
    assert error.value.message_dict == {"months": ["Enter a whole number of months from 1 to 120"]}


def test_only_information_governance_of_the_organisation_sets_the_period(flintshire, highland):
    for who in (flintshire.ffion, flintshire.dafydd, highland.morag):
        with pytest.raises(PermissionDenied):
            contact_checks_retention_update(actor=who, organisation=flintshire.organisation, months=6)
    assert not ContactLevelSettings.objects.exists()


# ---------------------------------------------------------------------------------------------
# The purge
# ---------------------------------------------------------------------------------------------


def test_checks_before_the_cut_off_day_go_and_the_rest_stay(flintshire):
    org = flintshire.organisation
    ancient = _check(org, _at(D(2023, 1, 5)), by=flintshire.ffion)
    last_moment = _check(org, dt.datetime(2024, 11, 23, 23, 59, 59, tzinfo=LONDON))
    first_moment = _check(org, dt.datetime(2024, 11, 24, 0, 0, tzinfo=LONDON))
    recent = _check(org, _at(D(2026, 11, 23)), by=flintshire.ffion)

    with expect_audit(("contact_checks.purge", org)) as records:
        purged = contact_checks_purge(actor=None, today=TODAY)

    assert purged == [retention.Purged(org.pk, D(2024, 11, 24), 2)]
    assert set(ContactCheck.objects.values_list("pk", flat=True)) == {first_moment.pk, recent.pk}
    assert not ContactCheck.objects.filter(pk__in=[ancient.pk, last_moment.pk]).exists()
    record = records[0]
    assert record.actor is None
    assert record.organisation == org
    # The count and the cut-off, never what the checks were.
    assert record.detail == {"deleted": 2, "cut_off": "2024-11-24", "kept_months": 24}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan is stable to assert on")
def test_old_checks_are_found_as_a_range_of_the_index_in_its_order(flintshire):
    """contactcheck_org_time (organisation, at): the cut-off is one SEARCH, already in the
    order the batches are deleted in, never a scan or a sort of millions of checks."""
    sql, params = retention._checks_before(
        flintshire.organisation, dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    ).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = [str(row[-1]) for row in cursor.fetchall()]
    assert plan == [
        "SEARCH contacts_contactcheck USING INDEX contactcheck_org_time (organisation_id=? AND at<?)"
    ]


def test_each_organisation_follows_its_own_period(flintshire, highland):
    contact_checks_retention_update(actor=highland.morag, organisation=highland.organisation, months=6)
    flintshire_year_old = _check(flintshire.organisation, _at(D(2025, 11, 1)))
    highland_year_old = _check(highland.organisation, _at(D(2025, 11, 1)))
    highland_recent = _check(highland.organisation, _at(D(2026, 6, 1)))

    with expect_audit(("contact_checks.purge", highland.organisation)) as records:
        contact_checks_purge(actor=None, today=TODAY)

    assert records[0].detail == {"deleted": 1, "cut_off": "2026-05-24", "kept_months": 6}
    assert ContactCheck.objects.filter(pk=flintshire_year_old.pk).exists()
    assert ContactCheck.objects.filter(pk=highland_recent.pk).exists()
    assert not ContactCheck.objects.filter(pk=highland_year_old.pk).exists()


def test_a_second_run_finds_nothing_and_records_nothing(flintshire):
    _check(flintshire.organisation, _at(D(2020, 2, 2)))
    assert contact_checks_purge(actor=None, today=TODAY)[0].deleted == 1
    with expect_audit():
        assert contact_checks_purge(actor=None, today=TODAY) == []


def test_many_checks_go_in_batches_with_one_audit_record(flintshire, monkeypatch):
    monkeypatch.setattr(retention, "BATCH", 3)
    org = flintshire.organisation
    start = _at(D(2022, 1, 1))
    for minutes in range(10):
        _check(org, start + dt.timedelta(minutes=minutes))
    kept = _check(org, _at(D(2026, 1, 1)))

    with expect_audit("contact_checks.purge") as records:
        purged = contact_checks_purge(actor=None, organisation=org, today=TODAY)

    assert purged[0].deleted == 10
    assert records[0].detail["deleted"] == 10
    assert list(ContactCheck.objects.values_list("pk", flat=True)) == [kept.pk]


def test_rhodri_may_purge_flintshire_now_but_not_highland_nor_everyone(flintshire, highland):
    _check(flintshire.organisation, _at(D(2021, 6, 1)))
    _check(highland.organisation, _at(D(2021, 6, 1)))
    with expect_audit("contact_checks.purge") as records:
        contact_checks_purge(actor=flintshire.rhodri, organisation=flintshire.organisation, today=TODAY)
    assert records[0].actor == flintshire.rhodri
    for kwargs in ({"organisation": highland.organisation}, {}):
        with pytest.raises(PermissionDenied):
            contact_checks_purge(actor=flintshire.rhodri, today=TODAY, **kwargs)
    with pytest.raises(PermissionDenied):
        contact_checks_purge(actor=flintshire.ffion, organisation=flintshire.organisation, today=TODAY)
    assert ContactCheck.objects.filter(organisation=highland.organisation).count() == 1


def test_the_nightly_jobs_delete_old_checks_and_say_how_many(flintshire):
    _check(flintshire.organisation, _at(D(2019, 3, 3)))
    ran = jobs.run_all(TODAY)
    assert ran.checks_deleted == 1
    assert "1 old contact check(s) deleted" in str(ran)
    assert AuditRecord.objects.filter(action="contact_checks.purge").count() == 1
    assert jobs.run_all(TODAY).checks_deleted == 0


def test_in_summer_the_cut_off_is_midnight_uk_time_not_utc(flintshire):
    org = flintshire.organisation
    # 00:30 on 15 July 2024 in British Summer Time is 23:30 UTC on the 14th: on the cut-off day.
    just_kept = _check(org, dt.datetime(2024, 7, 14, 23, 30, tzinfo=dt.UTC))
    just_gone = _check(org, dt.datetime(2024, 7, 14, 22, 59, tzinfo=dt.UTC))
    assert contact_checks_purge(actor=None, today=D(2026, 7, 15))[0].deleted == 1
    assert list(ContactCheck.objects.values_list("pk", flat=True)) == [just_kept.pk]
    assert not ContactCheck.objects.filter(pk=just_gone.pk).exists()


# ---------------------------------------------------------------------------------------------
# Contact events: kept on the same terms, with their own period
# ---------------------------------------------------------------------------------------------


def test_events_before_the_cut_off_go_whatever_their_month_and_the_rest_stay(flintshire):
    """Two years before 24 November 2026 is 24 November 2024, midnight UK time: an event a second
    before goes, one at midnight stays; so do earlier months and years."""
    org = flintshire.organisation
    gwen = CustomerFactory(organisation=org, full_name="Gwen Pugh")
    gone = [
        contact_event(gwen, _at(D(2023, 1, 5)), key=1),
        contact_event(gwen, _at(D(2024, 10, 31), hour=23), key=2),
        contact_event(gwen, dt.datetime(2024, 11, 23, 23, 59, 59, tzinfo=LONDON), key=3),
    ]
    kept = [
        contact_event(gwen, dt.datetime(2024, 11, 24, 0, 0, tzinfo=LONDON), key=4),
        contact_event(gwen, _at(D(2026, 11, 23)), key=5),
    ]
    check = _check(org, _at(D(2026, 11, 1)))

    with expect_audit(("contact_events.purge", org)) as records:
        purged = contact_events_purge(actor=None, today=TODAY)

    assert purged == [retention.Purged(org.pk, D(2024, 11, 24), 3)]
    assert set(ContactEvent.objects.values_list("pk", flat=True)) == {e.pk for e in kept}
    assert not ContactEvent.objects.filter(pk__in=[e.pk for e in gone]).exists()
    assert ContactCheck.objects.filter(pk=check.pk).exists()
    assert records[0].detail == {"deleted": 3, "cut_off": "2024-11-24", "kept_months": 24}


def test_highland_keeps_its_events_for_six_months_and_flintshire_for_the_default(flintshire, highland):
    contact_events_retention_update(actor=highland.morag, organisation=highland.organisation, months=6)
    morag_customer = CustomerFactory(organisation=highland.organisation, full_name="Iain Munro")
    rhodri_customer = CustomerFactory(organisation=flintshire.organisation, full_name="Eira Morgan")
    contact_event(morag_customer, _at(D(2026, 3, 1)))
    contact_event(rhodri_customer, _at(D(2026, 3, 1)))
    purged = contact_events_purge(actor=None, today=TODAY)
    assert purged == [retention.Purged(highland.organisation.pk, D(2026, 5, 24), 1)]
    assert list(ContactEvent.objects.values_list("customer", flat=True)) == [rhodri_customer.pk]
    assert contact_events_purge(actor=None, today=TODAY) == []


def test_many_events_go_in_batches_with_one_audit_record(flintshire, monkeypatch):
    monkeypatch.setattr(retention, "BATCH", 3)
    who = CustomerFactory(organisation=flintshire.organisation, full_name="Dylan Rowlands")
    for i in range(7):
        contact_event(who, _at(D(2020, 1 + i, 1)), key=i)
    with expect_audit(("contact_events.purge", flintshire.organisation)) as records:
        [purged] = contact_events_purge(actor=None, organisation=flintshire.organisation, today=TODAY)
    assert purged.deleted == 7
    assert records[0].detail["deleted"] == 7


def test_only_information_governance_sets_how_long_events_are_kept(flintshire, highland):
    with pytest.raises(PermissionDenied):
        contact_events_retention_update(
            actor=flintshire.ffion, organisation=flintshire.organisation, months=6
        )
    with pytest.raises(PermissionDenied):
        contact_events_retention_update(actor=flintshire.rhodri, organisation=highland.organisation, months=6)
    with pytest.raises(ValidationError) as refused:
        contact_events_retention_update(
            actor=flintshire.rhodri, organisation=flintshire.organisation, months=0
        )
    assert refused.value.message_dict == {"months": ["Enter a whole number of months from 1 to 120"]}
    with pytest.raises(PermissionDenied):
        contact_events_purge(actor=flintshire.rhodri, today=TODAY)


def test_the_nightly_jobs_delete_old_events_and_say_how_many(flintshire):
    who = CustomerFactory(organisation=flintshire.organisation, full_name="Elin Parry")
    contact_event(who, _at(D(2019, 3, 3)))
    ran = jobs.run_all(TODAY)
    assert ran.events_deleted == 1
    assert str(ran).endswith("1 old contact event(s) deleted")
    assert jobs.run_all(TODAY).events_deleted == 0
