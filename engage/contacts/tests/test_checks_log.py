"""Rhodri, Flintshire's information governance officer, answers "who looked Bryn up?" from the
contact checks: Ffion's on the page and the telephony integration's through the API (ADR 5)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from engage.contacts.services import contact_check
from engage.customers.services import customer_merge
from engage.customers.tests.factories import CustomerFactory

URL = reverse("contacts:checks")
TUESDAY = dt.datetime(2026, 3, 3, 10, 30, tzinfo=dt.UTC)


@pytest.fixture
def bryn(flintshire):
    return CustomerFactory(
        organisation=flintshire.organisation, full_name="Bryn Jenkins", phone="01352 702345"
    )


def _telephony(flintshire, identifier, at=TUESDAY):
    return contact_check(
        actor=None,
        organisation_id=flintshire.organisation.pk,
        label="Service account: Telephony",
        identifier=identifier,
        channel="phone",
        at=at,
    )


def _rows(page):
    html = page.content.decode()
    body = html.split('<tbody class="govuk-table__body">', 1)[1].split("</tbody>", 1)[0]
    return body.split('<tr class="govuk-table__row">')[1:]


def test_rhodri_sees_every_check_newest_first_with_who_asked(client, flintshire, bryn):
    contact_check(actor=flintshire.ffion, identifier="01352 702345", channel="phone", at=TUESDAY)
    _telephony(flintshire, "+441352702345", at=TUESDAY + dt.timedelta(minutes=5))
    _telephony(flintshire, "01352 799999", at=TUESDAY + dt.timedelta(minutes=6))
    client.force_login(flintshire.rhodri)
    page = client.get(URL)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    rows = _rows(page)
    assert len(rows) == 3
    # Newest first: the unknown number, then telephony's check of Bryn, then Ffion's.
    assert "Nobody found" in rows[0]
    assert "Service account: Telephony" in rows[1]
    assert bryn.reference in rows[1]
    assert reverse("customers:detail", args=[bryn.pk]) in rows[1]
    assert "Ffion Hughes" in rows[2]
    assert "Checks are kept for 24 months." in page.content.decode()


def test_by_customer_includes_records_merged_into_theirs_and_an_unknown_reference_finds_nothing(
    client, flintshire, bryn
):
    duplicate = CustomerFactory(
        organisation=flintshire.organisation, full_name="B Jenkins", phone="01352 700222"
    )
    other = CustomerFactory(
        organisation=flintshire.organisation, full_name="Eleri Morgan", phone="01352 700111"
    )
    _telephony(flintshire, "01352 700222")  # checked while it was still a separate record
    _telephony(flintshire, "01352 700111")
    customer_merge(actor=flintshire.rhodri, keep=bryn, merge=duplicate)
    _telephony(flintshire, "01352 702345")
    client.force_login(flintshire.rhodri)
    rows = _rows(client.get(URL, {"customer": bryn.reference.lower()}))
    assert len(rows) == 2
    assert all(other.reference not in row for row in rows)
    assert "No checks match." in client.get(URL, {"customer": "C-999999"}).content.decode()


def test_by_who_checked(client, flintshire, bryn):
    contact_check(actor=flintshire.ffion, identifier="01352 702345", channel="phone", at=TUESDAY)
    _telephony(flintshire, "01352 702345")
    client.force_login(flintshire.rhodri)
    rows = _rows(client.get(URL, {"who": "telephony"}))
    assert len(rows) == 1
    assert "Service account: Telephony" in rows[0]


def test_older_checks_are_a_page_away_with_none_repeated_or_missed(client, flintshire, bryn):
    for minute in range(55):
        _telephony(flintshire, "01352 702345", at=TUESDAY + dt.timedelta(minutes=minute))
    client.force_login(flintshire.rhodri)
    first = client.get(URL, {"who": "Telephony"})
    html = first.content.decode()
    assert len(_rows(first)) == 50
    older = html.split('rel="next"', 1)[0].rsplit('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert "who=Telephony" in older
    second = client.get(URL + older)
    assert len(_rows(second)) == 5
    assert 'rel="next"' not in second.content.decode()
    assert 'rel="prev"' in second.content.decode()
    shown = [row.split('govuk-table__cell">', 2)[1].split("<", 1)[0] for row in _rows(first) + _rows(second)]
    expected = {f"3 Mar 2026 {(TUESDAY + dt.timedelta(minutes=m)):%H:%M}:00" for m in range(55)}
    assert len(shown) == 55
    assert set(shown) == expected  # every check once, the first one included
    assert client.get(URL, {"before": "not-an-id"}).status_code == 200


def test_only_information_governance_and_only_their_own_organisation(client, flintshire, highland, bryn):
    _telephony(flintshire, "01352 702345")
    client.force_login(flintshire.ffion)
    assert client.get(URL).status_code == 403
    client.force_login(highland.morag)
    assert "No contact has been checked yet." in client.get(URL).content.decode()
    assert "No checks match." in client.get(URL, {"customer": bryn.reference}).content.decode()


def test_check_ids_made_in_the_same_millisecond_still_sort_in_the_order_made():
    from engage.contacts.models import uuid7

    ids = [uuid7() for _ in range(2000)]  # far more than one a millisecond
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert {i.version for i in ids} == {7}
    assert {i.variant for i in ids} == {"specified in RFC 4122"}
