"""Representatives' own identifiers: Dafydd records Siôn's advocate with her phone and email, so the
contact check knows her when she calls for him (000/001 §23.3; 003 7.4)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from engage.audit.services import audit_source
from engage.audit.testing import expect_audit
from engage.customers import selectors
from engage.customers.models import Representative, RepresentativeIdentifier
from engage.customers.services import (
    customer_merge,
    representative_add,
    representative_identifier_add,
    representative_identifier_end,
)
from engage.customers.tests.factories import CustomerFactory


@pytest.fixture
def sion(flintshire):
    return CustomerFactory(organisation=flintshire.organisation, full_name="Siôn Jones", phone="01352 702345")


@pytest.fixture
def bethan(flintshire, sion):
    with expect_audit("representative.add"):
        return representative_add(
            actor=flintshire.dafydd,
            customer=sion,
            name="Bethan Rowlands",
            relationship=Representative.Relationship.ADVOCATE,
            contact_through=True,
            phone="01352 700100",
        )


def test_dafydd_records_an_advocate_with_her_phone_and_email_normalised_as_a_customers(flintshire, sion):
    with expect_audit("representative.add") as records:
        bethan = representative_add(
            actor=flintshire.dafydd,
            customer=sion,
            name="Bethan Rowlands",
            relationship=Representative.Relationship.ADVOCATE,
            contact_through=True,
            phone="(01352) 700-100",
            email=" Bethan.Rowlands@Advocacy.Example.org ",
        )
    rows = {i.kind: i for i in bethan.identifiers.all()}
    assert {k: (i.value, i.display) for k, i in rows.items()} == {
        "phone": ("+441352700100", "(01352) 700-100"),
        "email": ("bethan.rowlands@advocacy.example.org", "Bethan.Rowlands@Advocacy.Example.org"),
    }
    assert all(i.organisation == flintshire.organisation and i.is_current for i in rows.values())
    assert all(i.created_by == flintshire.dafydd for i in rows.values())
    assert records[0].detail["identifiers"] == ["email", "phone"]


def test_an_advocates_number_is_never_one_of_the_customers_own(flintshire, sion, bethan):
    # Letters, duplicates, the API and the contact-event import read `customer.identifiers`.
    assert list(sion.identifiers.values_list("value", flat=True)) == ["+441352702345"]


def test_a_wrong_phone_or_email_is_named_by_its_field_and_nothing_is_written(flintshire, sion):
    with expect_audit(), pytest.raises(ValidationError) as err:
        representative_add(
            actor=flintshire.dafydd,
            customer=sion,
            name="Bethan Rowlands",
            relationship="advocate",
            phone="123",
            email="bethan@",
        )
    problems = err.value.message_dict
    assert problems["phone"][0].startswith("Enter a phone number in the correct format")
    assert problems["email"][0].startswith("Enter an email address in the correct format")
    assert not Representative.objects.exists()
    assert not RepresentativeIdentifier.objects.exists()


def test_a_phone_number_is_enough_to_contact_a_representative_contact_goes_through(flintshire, sion):
    with expect_audit("representative.add"):
        rep = representative_add(
            actor=flintshire.dafydd,
            customer=sion,
            name="Bethan Rowlands",
            relationship="advocate",
            contact_through=True,
            phone="01352 700100",
        )
    assert rep.contact_details == ""


def test_ffion_adds_an_advocates_new_email_and_ends_her_old_number_each_audited(flintshire, bethan):
    old = bethan.identifiers.get()
    with expect_audit("representative_identifier.add") as added:
        email = representative_identifier_add(
            actor=flintshire.ffion, representative=bethan, kind="email", raw="Bethan@Advocacy.example.org"
        )
    assert email.value == "bethan@advocacy.example.org"
    assert added[0].detail == {
        "customer": bethan.customer.reference,
        "representative": bethan.pk,
        "kind": "email",
    }
    with expect_audit(("representative_identifier.end", old)):
        representative_identifier_end(actor=flintshire.ffion, identifier=old)
    old.refresh_from_db()
    assert not old.is_current  # kept, as an alias


def test_a_representative_cannot_have_the_same_number_twice_or_end_it_twice(flintshire, bethan):
    with expect_audit(), pytest.raises(ValidationError) as err:
        representative_identifier_add(
            actor=flintshire.ffion, representative=bethan, kind="phone", raw="+441352700100"
        )
    assert err.value.message_dict == {"phone": ["Bethan Rowlands already has this phone number"]}
    old = bethan.identifiers.get()
    with expect_audit("representative_identifier.end"):
        representative_identifier_end(actor=flintshire.ffion, identifier=old)
    with expect_audit(), pytest.raises(ValidationError):
        representative_identifier_end(actor=flintshire.ffion, identifier=old)


def test_a_representative_is_known_by_phone_email_or_handle_only(flintshire, bethan):
    with expect_audit(), pytest.raises(ValidationError) as err:
        representative_identifier_add(
            actor=flintshire.ffion, representative=bethan, kind="postcode", raw="CH7 1AB"
        )
    assert list(err.value.message_dict) == ["kind"]
    with expect_audit("representative_identifier.add"):
        handle = representative_identifier_add(
            actor=flintshire.ffion, representative=bethan, kind="social", raw="@Bethan_R", platform="Twitter"
        )
    assert (handle.value, handle.platform) == ("bethan_r", "x")


def test_morag_in_highland_cannot_touch_flintshires_representatives(highland, bethan):
    with expect_audit(), pytest.raises(PermissionDenied):
        representative_identifier_add(
            actor=highland.morag, representative=bethan, kind="phone", raw="01463 700000"
        )
    with expect_audit(), pytest.raises(PermissionDenied):
        representative_identifier_end(actor=highland.morag, identifier=bethan.identifiers.get())


def test_a_merge_carries_the_representatives_identifiers_to_the_kept_record(flintshire, sion):
    duplicate = CustomerFactory(
        organisation=flintshire.organisation, full_name="Sion Jones", email="s@example.org"
    )
    with expect_audit("representative.add"):
        rep = representative_add(
            actor=flintshire.dafydd,
            customer=duplicate,
            name="Bethan Rowlands",
            relationship="advocate",
            phone="01352 700100",
            email="bethan@advocacy.example.org",
        )
    with expect_audit("customer.merge") as records:
        customer_merge(actor=flintshire.dafydd, keep=sion, merge=duplicate)
    assert records[0].detail["moved"]["representative_identifiers"] == 2
    assert list(
        RepresentativeIdentifier.objects.filter(representative__customer=sion).values_list("value", flat=True)
    ) == ["bethan@advocacy.example.org", "+441352700100"]
    rep.refresh_from_db()
    assert rep.customer == sion


def test_searching_for_an_advocates_number_finds_the_customer_she_acts_for(
    flintshire, highland, sion, bethan
):
    assert selectors.find_by_identifier(flintshire.ffion, "01352 700100") == [sion]
    assert selectors.find_by_identifier(highland.eilidh, "01352 700100") == []


# --- the page where representatives are added ---------------------------------------------------


def test_ffion_adds_an_advocate_with_her_phone_and_email_on_the_customers_page(client, flintshire, sion):
    client.force_login(flintshire.ffion)
    page = client.get(f"/customers/{sion.pk}/representatives/add/").content.decode()
    assert 'name="phone"' in page
    assert 'type="tel"' in page
    assert 'name="email"' in page
    response = client.post(
        f"/customers/{sion.pk}/representatives/add/",
        {
            "name": "Bethan Rowlands",
            "relationship": "advocate",
            "phone": "01352 700100",
            "email": "b@adv.example.org",
        },
    )
    assert response.status_code == 302
    detail = client.get(f"/customers/{sion.pk}/").content.decode()
    assert "Phone number: 01352 700100" in detail
    assert "Email address: b@adv.example.org" in detail


def test_a_wrong_number_for_a_representative_is_named_on_its_field(client, flintshire, sion):
    client.force_login(flintshire.ffion)
    response = client.post(
        f"/customers/{sion.pk}/representatives/add/",
        {"name": "Bethan Rowlands", "relationship": "advocate", "phone": "123", "email": "bethan@"},
    )
    errors = response.context["form"].errors
    assert errors["phone"][0].startswith("Enter a phone number in the correct format")
    assert errors["email"][0].startswith("Enter an email address in the correct format")
    page = response.content.decode()
    assert 'href="#id_phone"' in page
    assert not Representative.objects.exists()


def test_the_demos_advocate_is_known_by_her_own_number(flintshire):
    from engage.contacts.lookup import lookup
    from engage.customers import demo

    with audit_source("test setup"):
        demo.populate(flintshire.organisation)
    tegan = Representative.objects.get(organisation=flintshire.organisation, name="Tegan Rees")
    assert list(tegan.identifiers.values_list("value", flat=True)) == ["+442079460999"]
    [found] = lookup(flintshire.organisation.pk, "phone", "+442079460999", timezone.localdate())
    assert (found.customer_id, found.via_representative) == (tegan.customer_id, True)


def test_ffion_adds_an_advocates_email_and_ends_her_number_from_the_customers_page(
    client, flintshire, sion, bethan
):
    client.force_login(flintshire.ffion)
    base = f"/customers/{sion.pk}/representatives/{bethan.pk}/identifiers"
    with expect_audit("representative_identifier.add"):
        response = client.post(f"{base}/add/email/", {"email": "Bethan@Advocacy.example.org"})
    assert response.status_code == 302
    number = bethan.identifiers.get(kind="phone")
    page = client.get(f"{base}/{number.pk}/end/").content.decode()
    assert "Is this phone number no longer used?" in page
    assert "Recorded for Bethan Rowlands, who acts for the customer." in page
    with expect_audit("representative_identifier.end"):
        assert client.post(f"{base}/{number.pk}/end/").status_code == 302
    detail = client.get(f"/customers/{sion.pk}/").content.decode()
    assert "Email address: Bethan@Advocacy.example.org" in detail
    assert "No longer used" in detail


def test_a_wrong_email_for_a_representative_is_named_and_a_postcode_is_not_offered(
    client, flintshire, sion, bethan
):
    client.force_login(flintshire.ffion)
    base = f"/customers/{sion.pk}/representatives/{bethan.pk}/identifiers"
    with expect_audit():
        response = client.post(f"{base}/add/email/", {"email": "bethan@"})
    assert (
        response.context["form"].errors["email"][0].startswith("Enter an email address in the correct format")
    )
    assert client.get(f"{base}/add/postcode/").status_code == 404


def test_morag_in_highland_finds_no_representative_pages(client, highland, sion, bethan):
    client.force_login(highland.morag)
    number = bethan.identifiers.get()
    base = f"/customers/{sion.pk}/representatives/{bethan.pk}/identifiers"
    for path in (f"{base}/add/phone/", f"{base}/{number.pk}/end/"):
        assert client.get(path).status_code == 404, path


def test_another_customers_representative_is_not_found_under_this_customer(client, flintshire, bethan):
    other = CustomerFactory(organisation=flintshire.organisation, full_name="Mair Puw")
    client.force_login(flintshire.ffion)
    assert (
        client.get(f"/customers/{other.pk}/representatives/{bethan.pk}/identifiers/add/phone/").status_code
        == 404
    )
