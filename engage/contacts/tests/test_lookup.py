"""The hot path's one statement: any identifier, aliases, merges, measures in force, staff requests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from engage.audit.services import audit_source
from engage.contacts.lookup import _hit_params, lookup, sql_for
from engage.contacts.tests.stories import restrict, staff_request
from engage.customers.identifiers import normalise
from engage.customers.models import Customer
from engage.customers.services import (
    customer_merge,
    identifier_add,
    identifier_end,
    representative_add,
    representative_identifier_end,
)
from engage.customers.tests.factories import CustomerFactory
from engage.decisions.measures import AllowedChannels, NoStaffDetails, SinglePointOfContact
from engage.decisions.models import Decision
from engage.policy.vocabulary import Channel

TODAY = dt.date(2026, 3, 3)
NO_PHONE = AllowedChannels(tuple(c for c in Channel if c != Channel.PHONE))
PHONE = "+441352702345"


@pytest.fixture
def sion(flintshire):
    return CustomerFactory(
        organisation=flintshire.organisation,
        full_name="Siôn Ó Dónaill",
        display_name="Siôn",
        phone="01352 702345",
        email="Sion@Example.org",
        handle="@sion_od",
    )


def _find(org_id: int, kind: str, value: str, on: dt.date = TODAY):
    return lookup(org_id, kind, value, on)


def test_an_unknown_number_finds_nobody(flintshire):
    assert _find(flintshire.organisation.pk, "phone", "+441352700000") == []


def test_a_customer_without_restrictions_is_found_with_nothing_in_force(flintshire, sion):
    [found] = _find(flintshire.organisation.pk, "phone", PHONE)
    assert (found.customer_id, found.reference, found.name) == (sion.pk, sion.reference, "Siôn")
    assert found.measures == []
    assert found.requests == []


def test_every_identifier_of_the_customer_finds_the_same_measures(flintshire, sion):
    restrict(sion, NO_PHONE, NoStaffDetails())
    org = flintshire.organisation.pk
    for kind, value in [("phone", PHONE), ("email", "sion@example.org"), ("social", "sion_od")]:
        [found] = _find(org, kind, value)
        assert found.customer_id == sion.pk
        assert sorted(m.type for m in found.measures) == ["allowed_channels", "no_staff_details"]
    [by_ref] = _find(org, "reference", sion.reference)
    assert by_ref.customer_id == sion.pk


def test_the_lookup_is_one_statement(flintshire, sion):
    restrict(sion, NO_PHONE)
    staff_request(flintshire.ffion, sion)
    with CaptureQueriesContext(connection) as queries:
        [found] = _find(flintshire.organisation.pk, "phone", PHONE)
    assert len(queries) == 1
    assert (len(found.measures), len(found.requests)) == (1, 1)


def test_measures_apply_from_their_first_day_to_the_day_before_their_end(flintshire, sion):
    restrict(sion, NO_PHONE, starts_on=TODAY, ends_on=TODAY + dt.timedelta(days=1))
    org = flintshire.organisation.pk
    assert _find(org, "phone", PHONE, TODAY - dt.timedelta(days=1))[0].measures == []
    [found] = _find(org, "phone", PHONE, TODAY)
    assert found.measures[0].type == "allowed_channels"
    assert found.measures[0].params == NO_PHONE.to_json()
    assert (found.measures[0].starts_on, found.measures[0].ends_on) == (TODAY, TODAY + dt.timedelta(days=1))
    assert _find(org, "phone", PHONE, TODAY + dt.timedelta(days=1))[0].measures == []


@pytest.mark.parametrize(
    "status",
    [
        Decision.Status.PROPOSED,
        Decision.Status.AWAITING_APPROVAL,
        Decision.Status.ENDED,
        Decision.Status.REFUSED,
        Decision.Status.OVERTURNED,
    ],
)
def test_only_decisions_in_force_count(flintshire, sion, status):
    restrict(sion, NO_PHONE, status=status)
    assert _find(flintshire.organisation.pk, "phone", PHONE)[0].measures == []


def test_an_old_number_is_an_alias_that_still_finds_the_customer(flintshire, sion):
    restrict(sion, NO_PHONE)
    old = sion.identifiers.get(kind="phone")
    with audit_source("test"):
        identifier_end(actor=flintshire.dafydd, identifier=old)
        identifier_add(actor=flintshire.dafydd, customer=sion, kind="phone", raw="07911 123456")
    for number in (PHONE, "+447911123456"):
        [found] = _find(flintshire.organisation.pk, "phone", number)
        assert found.customer_id == sion.pk
        assert len(found.measures) == 1


def test_a_merged_record_leads_to_the_kept_one_with_both_records_measures(flintshire, sion):
    duplicate = CustomerFactory(
        organisation=flintshire.organisation, full_name="S O'Donnell", phone="01352 700001"
    )
    restrict(duplicate, NoStaffDetails())
    restrict(sion, NO_PHONE)
    with audit_source("test"):
        customer_merge(actor=flintshire.sian, keep=sion, merge=duplicate)
    org = flintshire.organisation.pk
    for kind, value in [("phone", "+441352700001"), ("reference", duplicate.reference), ("phone", PHONE)]:
        [found] = _find(org, kind, value)
        assert found.customer_id == sion.pk
        assert sorted(m.type for m in found.measures) == ["allowed_channels", "no_staff_details"]
        assert found.records == [sion.pk, duplicate.pk]


def test_a_shared_household_number_finds_each_customer(flintshire, sion):
    mair = CustomerFactory(
        organisation=flintshire.organisation, full_name="Mair Ó Dónaill", phone="01352 702345"
    )
    restrict(mair, NO_PHONE)
    found = _find(flintshire.organisation.pk, "phone", PHONE)
    assert {f.customer_id: len(f.measures) for f in found} == {sion.pk: 0, mair.pk: 1}


def test_people_at_a_postcode_are_found_by_address_or_postcode(flintshire):
    org = flintshire.organisation
    at_address = CustomerFactory(
        organisation=org, full_name="Dewi Jones", address="1 Stryd Fawr\nYr Wyddgrug\nCH7 1AB"
    )
    by_postcode = CustomerFactory(organisation=org, full_name="Elin Jones", postcode="ch71ab")
    CustomerFactory(organisation=org, full_name="Elsewhere Jones", postcode="CH7 6NF")
    found = _find(org.pk, "postcode", "CH7 1AB")
    assert {f.customer_id for f in found} == {at_address.pk, by_postcode.pk}


def test_agreed_staff_requests_are_found_with_the_staff_members_name(flintshire, sion):
    staff_request(flintshire.ffion, sion)
    staff_request(flintshire.dafydd, sion, status="requested")
    [found] = _find(flintshire.organisation.pk, "phone", PHONE)
    assert found.requests == [("Ffion Hughes", "no_further_contact")]


def test_another_organisations_customer_with_the_same_number_is_never_found(flintshire, highland, sion):
    restrict(sion, NO_PHONE)
    assert _find(highland.organisation.pk, "phone", PHONE) == []
    theirs = CustomerFactory(organisation=highland.organisation, full_name="Iain Ross", phone="01352 702345")
    [found] = _find(highland.organisation.pk, "phone", PHONE)
    assert (found.customer_id, found.measures) == (theirs.pk, [])


def test_a_single_point_of_contact_keeps_the_names_given_at_the_decision(flintshire, sion):
    spoc = SinglePointOfContact(flintshire.sian.pk, "Siân Ellis-Jones")
    restrict(sion, spoc, starts_on=timezone.localdate())
    [found] = _find(flintshire.organisation.pk, "phone", PHONE, timezone.localdate())
    assert found.measures[0].params["officer_name"] == "Siân Ellis-Jones"


# --------------------------------------------- someone calling for the customer (issue 7)
# 000/001 §23.3, 003 7.4: contact may go through a third party such as an advocate, so the check
# must know the advocate's number and say that it is theirs.

ADVOCATE_PHONE = "+441352700100"


@pytest.fixture
def bethan(flintshire, sion):
    """Bethan Rowlands, Siôn's advocate, with her own phone and email."""
    with audit_source("test"):
        return representative_add(
            actor=flintshire.dafydd,
            customer=sion,
            name="Bethan Rowlands",
            relationship="advocate",
            contact_through=True,
            phone="01352 700100",
            email="Bethan.Rowlands@Advocacy.example.org",
        )


@pytest.mark.parametrize("typed", ["01352 700100", "+44 1352 700100", "(01352) 700-100", "00441352700100"])
def test_an_advocates_number_in_any_format_finds_the_customer_through_her(flintshire, sion, bethan, typed):
    restrict(sion, NO_PHONE)
    [found] = _find(flintshire.organisation.pk, "phone", normalise("phone", typed))
    assert found.customer_id == sion.pk
    assert found.via_representative
    assert found.representatives == [("Bethan Rowlands", True)]
    assert len(found.measures) == 1


def test_an_advocates_email_finds_the_customer_through_her(flintshire, sion, bethan):
    [found] = _find(
        flintshire.organisation.pk, "email", normalise("email", "bethan.rowlands@advocacy.example.org")
    )
    assert (found.customer_id, found.via_representative) == (sion.pk, True)


def test_the_customers_own_number_is_not_a_representatives(flintshire, sion, bethan):
    [found] = _find(flintshire.organisation.pk, "phone", PHONE)
    assert (found.customer_id, found.own, found.representatives, found.via_representative) == (
        sion.pk,
        True,
        [],
        False,
    )


def test_a_number_shared_by_the_customer_and_his_representative_is_answered_as_his(flintshire, sion):
    # His father answers the same home phone: the caller may be Siôn, so the stricter answer.
    with audit_source("test"):
        representative_add(
            actor=flintshire.dafydd, customer=sion, name="Emyr", relationship="family", phone=PHONE
        )
    [found] = _find(flintshire.organisation.pk, "phone", PHONE)
    assert (found.own, found.representatives, found.via_representative) == (True, [("Emyr", True)], False)


def test_an_advocates_old_number_still_finds_the_customer_and_says_it_is_no_longer_used(
    flintshire, sion, bethan
):
    old = bethan.identifiers.get(kind="phone")
    with audit_source("test"):
        representative_identifier_end(actor=flintshire.dafydd, identifier=old)
    [found] = _find(flintshire.organisation.pk, "phone", ADVOCATE_PHONE)
    assert (found.customer_id, found.via_representative) == (sion.pk, True)
    assert found.representatives == [("Bethan Rowlands", False)]


def test_an_advocate_for_two_customers_finds_both(flintshire, sion, bethan):
    mair = CustomerFactory(organisation=flintshire.organisation, full_name="Mair Puw", phone="01352 700002")
    with audit_source("test"):
        representative_add(
            actor=flintshire.dafydd,
            customer=mair,
            name="Bethan Rowlands",
            relationship="advocate",
            phone="01352 700100",
        )
    found = _find(flintshire.organisation.pk, "phone", ADVOCATE_PHONE)
    assert {f.customer_id: f.via_representative for f in found} == {sion.pk: True, mair.pk: True}


def test_a_merged_records_representative_still_finds_the_kept_record(flintshire, sion):
    duplicate = CustomerFactory(
        organisation=flintshire.organisation, full_name="S O'Donnell", phone="01352 700001"
    )
    with audit_source("test"):
        representative_add(
            actor=flintshire.dafydd,
            customer=duplicate,
            name="Bethan Rowlands",
            relationship="advocate",
            phone="01352 700100",
        )
        customer_merge(actor=flintshire.sian, keep=sion, merge=duplicate)
    [found] = _find(flintshire.organisation.pk, "phone", ADVOCATE_PHONE)
    assert (found.customer_id, found.via_representative) == (sion.pk, True)


def test_another_organisations_representative_with_the_same_number_is_never_found(
    flintshire, highland, sion, bethan
):
    assert _find(highland.organisation.pk, "phone", ADVOCATE_PHONE) == []
    iain = CustomerFactory(organisation=highland.organisation, full_name="Iain Ross", phone="01463 700000")
    with audit_source("test"):
        representative_add(
            actor=highland.eilidh,
            customer=iain,
            name="Bethan Rowlands",
            relationship="advocate",
            phone="01352 700100",
        )
    [found] = _find(highland.organisation.pk, "phone", ADVOCATE_PHONE)
    assert found.customer_id == iain.pk
    [ours] = _find(flintshire.organisation.pk, "phone", ADVOCATE_PHONE)
    assert ours.customer_id == sion.pk


def test_a_representatives_number_is_still_one_statement(flintshire, sion, bethan):
    restrict(sion, NO_PHONE)
    staff_request(flintshire.ffion, sion)
    with CaptureQueriesContext(connection) as queries:
        [found] = _find(flintshire.organisation.pk, "phone", ADVOCATE_PHONE)
    assert len(queries) == 1
    assert (len(found.measures), len(found.requests), found.via_representative) == (1, 1, True)


_STEPS = {"hit", "records"}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan is stable to assert on")
@pytest.mark.parametrize("kind", ["phone", "email", "social", "reference", "postcode"])
def test_every_kind_of_check_reads_tables_by_index_only(flintshire, sion, bethan, kind):
    """No scans at a million customers: each table appears only as SEARCH (an index or key)."""
    restrict(sion, NO_PHONE)
    staff_request(flintshire.ffion, sion)
    sql = sql_for(kind, connection.vendor)
    params = [*_hit_params(flintshire.organisation.pk, kind, "x"), flintshire.organisation.pk, TODAY, TODAY]
    params.append(flintshire.organisation.pk)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = [str(row[-1]) for row in cursor.fetchall()]
    # The statement's own steps (its CTEs) are scanned, being a handful of rows; a table, by its
    # name or its alias in the statement, never is.
    scans = [line for line in plan if line.startswith("SCAN") and line.split()[1] not in _STEPS]
    assert scans == [], "\n".join(plan)
    if kind in ("phone", "email", "social"):
        assert any("rep_identifier_lookup" in line for line in plan), "\n".join(plan)


def _statistics_at_council_scale() -> None:
    """What ANALYZE records for the customers table at a million customers, a hundred of them
    merged: an index of every record's `merged_into` would be all NULLs, which SQLite's statistics
    count as one value shared by every row; one of merged records only holds the hundred."""
    table = Customer._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = %s", [table])
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s", [table])
        for name, sql in cursor.fetchall():
            merged = "merged_into_id" in (sql or "")
            partial = " WHERE " in (sql or "")
            stat = ("100 2" if partial else "1000000 1000000") if merged else "1000000 1000000 1"
            cursor.execute(
                "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (%s, %s, %s)", [table, name, stat]
            )
        cursor.execute("ANALYZE sqlite_schema")  # makes SQLite read the statistics again


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's statistics and plan")
def test_records_merged_into_a_customer_are_found_by_index_once_statistics_are_gathered(flintshire, sion):
    """With a full index on `merged_into`, these statistics made SQLite scan all the customers
    (60 ms at a million) to find the records merged into one."""
    _statistics_at_council_scale()
    queries = [
        str(Customer.objects.filter(merged_into=sion).values_list("pk", flat=True).query),
        sql_for("phone", connection.vendor).replace("%s", "?"),
    ]
    for sql in queries:
        with connection.cursor() as cursor:
            params = (
                [] if sql.startswith("SELECT") else [1, "phone", "x", 1, "phone", "x", 1, TODAY, TODAY, 1]
            )
            plan = [str(row[-1]) for row in cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()]
        assert not [line for line in plan if line.startswith(f"SCAN {Customer._meta.db_table}")], "\n".join(
            plan
        )
        assert any("customer_merged_into" in line for line in plan), "\n".join(plan)


def test_the_only_index_on_merged_into_holds_merged_records_only(db):
    """Migration customers 0004 dropped the field's own index, on SQLite and PostgreSQL alike."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Customer._meta.db_table)
    on_merged = [name for name, c in constraints.items() if c["index"] and c["columns"] == ["merged_into_id"]]
    assert on_merged == ["customer_merged_into"]
