"""Contact events are indexed by month first (ADR 0006): the month the database stores is the month
Python counts, a customer's events are found across month and year ends, a re-import at a month's
edge is still idempotent, and every read of a customer's events probes the index."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engage.audit.services import audit_source
from engage.contacts import levels
from engage.contacts.importer import contact_import
from engage.contacts.models import ContactEvent, month_number, months_between
from engage.contacts.rules import LONDON
from engage.contacts.selectors import contact_chart
from engage.contacts.tests.stories import contact_event
from engage.customers.tests.factories import CustomerFactory

UTC = dt.UTC
aware = st.datetimes(
    min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 12, 31), timezones=st.just(LONDON)
)


def test_the_last_microsecond_of_march_is_march_and_the_first_of_april_is_april():
    end_of_march = dt.datetime(2026, 3, 31, 23, 59, 59, 999999, tzinfo=UTC)
    assert month_number(end_of_march) == 2026 * 12 + 2
    assert month_number(end_of_march + dt.timedelta(microseconds=1)) == 2026 * 12 + 3


def test_months_are_counted_in_utc_not_uk_time():
    """Half past midnight on 1 April in summer time is still 31 March in UTC."""
    assert month_number(dt.datetime(2026, 4, 1, 0, 30, tzinfo=LONDON)) == 2026 * 12 + 2
    assert month_number(dt.datetime(2026, 4, 1, 1, 0, tzinfo=LONDON)) == 2026 * 12 + 3


@given(
    aware,
    st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=800)),
    st.floats(min_value=0, max_value=1),
)
def test_the_months_between_two_times_hold_every_time_between_them(start, length, fraction):
    end = start + length
    months = months_between(start, end)
    assert months == list(range(months[0], months[-1] + 1))  # consecutive, in order
    assert (months[0], months[-1]) == (month_number(start), month_number(end))
    assert month_number(start + length * fraction) in months
    assert len(months) <= length.days // 28 + 2


@pytest.fixture
def eira(flintshire):
    return CustomerFactory(
        organisation=flintshire.organisation, full_name="Eira Morgan", phone="01352 700020"
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(at=aware)
def test_the_month_the_database_stores_is_the_month_python_counts(eira, at):
    """On SQLite from Django's UTC text, on PostgreSQL from a timestamptz: both as month_number."""
    event = contact_event(eira, at)
    stored = ContactEvent.objects.filter(pk=event.pk).values_list("month", flat=True).get()
    assert stored == month_number(at)
    event.delete()


def test_a_customers_events_are_found_across_the_end_of_a_year(flintshire, eira):
    iwan = CustomerFactory(organisation=flintshire.organisation, full_name="Iwan Morgan")
    new_year = dt.datetime(2026, 1, 1, tzinfo=UTC)
    for i, at in enumerate(
        [
            new_year - dt.timedelta(days=40),
            new_year - dt.timedelta(seconds=1),
            new_year,
            new_year + dt.timedelta(days=3),
        ]
    ):
        contact_event(eira, at, key=i)
    contact_event(iwan, new_year, key=9)
    found = ContactEvent.objects.of_customers(
        [eira.pk], new_year - dt.timedelta(days=7), new_year + dt.timedelta(days=7)
    )
    assert sorted(e.started_at for e in found) == [
        new_year - dt.timedelta(seconds=1),
        new_year,
        new_year + dt.timedelta(days=3),
    ]
    assert ContactEvent.objects.of_customers([eira.pk]).count() == 4  # from the first month held
    assert ContactEvent.objects.of_customers([]).count() == 0


def test_a_customer_with_no_events_anywhere_finds_none(flintshire, eira):
    assert list(ContactEvent.objects.of_customers([eira.pk])) == []


def test_the_chart_counts_the_weeks_either_side_of_a_month_end(flintshire, eira):
    contact_event(eira, dt.datetime(2026, 2, 27, 9, 0, tzinfo=LONDON), key=1)  # Friday, February
    contact_event(eira, dt.datetime(2026, 3, 2, 9, 0, tzinfo=LONDON), key=2)  # Monday, March
    contact_event(eira, dt.datetime(2026, 3, 2, 10, 0, tzinfo=LONDON), key=3, channel="email")
    chart = contact_chart(eira, until=dt.datetime(2026, 3, 4, 12, 0, tzinfo=LONDON), weeks=2)
    assert [(week, counts) for week, counts, _ in chart.rows] == [
        (dt.date(2026, 2, 23), [1, 0]),
        (dt.date(2026, 3, 2), [1, 1]),
    ]


def test_the_same_call_at_a_months_edge_imported_twice_is_stored_once(flintshire, eira, tmp_path: Path):
    lines = [
        "identifier,channel,direction,started_at,duration_seconds,service,handler",
        "01352 700020,phone,inbound,2026-03-31T23:59:59Z,60,Council Tax,",
        "01352 700020,phone,inbound,2026-04-01T00:00:00Z,60,Council Tax,",
    ]
    first, second = tmp_path / "march.csv", tmp_path / "march-again.csv"
    first.write_text("\n".join(lines) + "\n", encoding="utf-8")
    second.write_text("\n".join([*lines, ""]) + "\n", encoding="utf-8")  # another file, the same calls
    now = dt.datetime(2026, 4, 2, tzinfo=UTC)
    with audit_source("test"):
        one = contact_import(
            actor=flintshire.rhodri, organisation=flintshire.organisation, path=first, now=now
        )
        two = contact_import(
            actor=flintshire.rhodri, organisation=flintshire.organisation, path=second, now=now
        )
    assert (one.stored, two.stored, two.duplicates) == (2, 0, 2)
    assert sorted(ContactEvent.objects.values_list("month", flat=True)) == [2026 * 12 + 2, 2026 * 12 + 3]


def _plan(sql: str, params: list) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return [str(row[-1]) for row in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan is stable to assert on")
def test_a_customers_events_are_read_through_the_index_by_month_and_customer(flintshire, eira):
    """No scan of ten million events: each read is a SEARCH on the index, month and customer
    bound."""
    start = dt.datetime(2026, 1, 20, tzinfo=UTC)
    queryset = ContactEvent.objects.of_customers([eira.pk, eira.pk + 1], start, start + dt.timedelta(days=30))
    listed, listed_params = queryset.query.sql_with_params()
    history = levels.history_statement([eira.pk], start, start + dt.timedelta(days=7))
    for sql, params in [(listed, list(listed_params)), history]:
        # The unique constraint is the index (SQLite names it sqlite_autoindex_...); sorting the
        # few rows found for the model's ordering is the only other step.
        search, *rest = _plan(sql, params)
        assert search.startswith("SEARCH contacts_contactevent USING INDEX"), search
        assert search.endswith("(month=? AND customer_id=? AND started_at>? AND started_at<?)"), search
        assert rest in ([], ["USE TEMP B-TREE FOR ORDER BY"]), rest
