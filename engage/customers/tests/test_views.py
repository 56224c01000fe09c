"""Customer pages: scoped to the organisation, vulnerability notes only for those who need them."""

from __future__ import annotations

import pytest

from engage.audit.models import AuditRecord
from engage.customers.models import Customer
from engage.customers.services import need_record, vulnerability_note_record
from engage.customers.tests.factories import CustomerFactory
from tests.personas import PASSWORD


@pytest.fixture
def sion(flintshire):
    customer = CustomerFactory(
        organisation=flintshire.organisation, full_name="Siôn Ó Dónaill-Ŵyn", phone="01352 702345"
    )
    need_record(actor=flintshire.ffion, customer=customer, description="Prefers letters in Welsh")
    vulnerability_note_record(actor=flintshire.sian, customer=customer, text="Recently bereaved")
    return customer


def _as(client, username):
    client.login(username=username, password=PASSWORD)
    return client


def test_another_organisations_customer_is_not_found_by_url(client, flintshire, highland, sion):
    _as(client, "morag")
    for path in [
        f"/customers/{sion.pk}/",
        f"/customers/{sion.pk}/identifiers/add/",
        f"/customers/{sion.pk}/identifiers/add/phone/",
        f"/customers/{sion.pk}/identifiers/{sion.identifiers.get().pk}/end/",
        f"/customers/{sion.pk}/needs/add/",
        f"/customers/{sion.pk}/representatives/add/",
        f"/customers/{sion.pk}/vulnerability-notes/add/",
    ]:
        assert client.get(path).status_code == 404, path
    assert client.post(f"/customers/{sion.pk}/needs/add/", {"description": "x"}).status_code == 404
    assert sion.needs.count() == 1


def test_a_missing_customer_is_not_found_either(client, flintshire):
    _as(client, "dafydd")
    assert client.get("/customers/999999/").status_code == 404


def test_the_call_handler_sees_needs_but_never_vulnerability_notes(client, flintshire, sion):
    page = _as(client, "ffion").get(f"/customers/{sion.pk}/").content.decode()
    assert "Siôn Ó Dónaill-Ŵyn" in page
    assert "Prefers letters in Welsh" in page
    assert "Recently bereaved" not in page
    assert "Vulnerability notes" not in page
    assert client.get(f"/customers/{sion.pk}/vulnerability-notes/add/").status_code == 403


def test_the_team_leader_sees_vulnerability_notes(client, flintshire, sion):
    page = _as(client, "dafydd").get(f"/customers/{sion.pk}/").content.decode()
    assert "Recently bereaved" in page


def test_searching_in_another_format_finds_her(client, flintshire, sion):
    page = _as(client, "ffion").get("/customers/", {"q": "+44 (0)1352 702 345"}).content.decode()
    assert "1 customer found" in page
    assert f'href="/customers/{sion.pk}/"' in page


def test_searching_by_name_alone_says_to_add_a_postcode(client, flintshire, sion):
    page = _as(client, "ffion").get("/customers/", {"q": "Siôn"}).content.decode()
    assert "govuk-error-summary" in page
    assert "add their postcode after it" in page


def test_a_half_filled_form_keeps_everything_typed_and_names_each_field(client, flintshire):
    typed = {
        "kind": "person",
        "full_name": "",
        "display_name": "Mòrag",
        "phone": "01352 70",
        "email": "morag.nicleoid@example",
        "postal_address": "Tŷ Gwyn\nStryd Fawr",
        "postcode": "",
        "reference": "",
        "platform": "",
        "social": "",
    }
    response = _as(client, "ffion").post("/customers/add/", typed)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Error:" in page.split("</title>")[0]
    form = response.context["form"]
    assert form.errors == {
        "full_name": ["Enter the customer's full name"],
        "phone": ["Enter a phone number in the correct format, like 01352 702345 or +44 1352 702345"],
        "email": ["Enter an email address in the correct format, like name@example.org"],
        "postcode": ["Enter the postcode of the address, like CH7 6NF"],
    }
    for value in [
        'value="Mòrag"',
        'value="01352 70"',
        'value="morag.nicleoid@example"',
        "Tŷ Gwyn\nStryd Fawr",
    ]:
        assert value in page, value
    assert 'href="#id_full_name"' in page  # the error summary links to the field
    assert not Customer.objects.exists()


def test_a_form_with_no_identifier_says_one_is_needed(client, flintshire):
    response = _as(client, "ffion").post("/customers/add/", {"kind": "person", "full_name": "D'Arcy"})
    assert response.context["form"].errors["phone"][0].startswith("Enter at least one way to recognise")
    assert 'value="D&#x27;Arcy"' in response.content.decode()


def test_adding_a_customer_keeps_her_name_exactly_and_audits_it(client, flintshire):
    response = _as(client, "dafydd").post(
        "/customers/add/",
        {
            "kind": "person",
            "full_name": "Mòrag NicLeòid",
            "phone": "(01352) 702 345",
            "platform": "x",
            "social": "@MoragN",
        },
    )
    customer = Customer.objects.get()
    assert response.status_code == 302
    assert response.url == f"/customers/{customer.pk}/"
    assert customer.full_name == "Mòrag NicLeòid"
    assert sorted(customer.identifiers.values_list("kind", "value")) == [
        ("phone", "+441352702345"),
        ("social", "moragn"),
    ]
    assert AuditRecord.objects.filter(action="customer.create", actor=flintshire.dafydd).exists()


def test_adding_an_identifier_is_two_questions(client, flintshire, sion):
    _as(client, "ffion")
    response = client.post(f"/customers/{sion.pk}/identifiers/add/", {})
    assert response.context["form"].errors == {"kind": ["Select what you want to add"]}
    response = client.post(f"/customers/{sion.pk}/identifiers/add/", {"kind": "postal_address"})
    assert response.url == f"/customers/{sion.pk}/identifiers/add/postal_address/"
    response = client.post(response.url, {"postal_address": "Tŷ Gwyn", "postcode": "CH7"})
    assert response.context["form"].errors == {"postcode": ["Enter a real UK postcode, like CH7 6NF"]}
    response = client.post(
        f"/customers/{sion.pk}/identifiers/add/postal_address/",
        {"postal_address": "Tŷ Gwyn", "postcode": "ch7 1ab"},
    )
    assert response.status_code == 302
    assert sion.identifiers.get(kind="postal_address").display == "Tŷ Gwyn, CH7 1AB"
    assert client.get(f"/customers/{sion.pk}/identifiers/add/fax/").status_code == 404


def test_an_old_number_is_shown_as_no_longer_used(client, flintshire, sion):
    _as(client, "ffion")
    phone = sion.identifiers.get()
    assert (
        "Is this phone number no longer used?"
        in client.get(f"/customers/{sion.pk}/identifiers/{phone.pk}/end/").content.decode()
    )
    assert client.post(f"/customers/{sion.pk}/identifiers/{phone.pk}/end/").status_code == 302
    page = client.get(f"/customers/{sion.pk}/").content.decode()
    assert "No longer used" in page
    assert f"/identifiers/{phone.pk}/end/" not in page


def test_only_managers_and_information_governance_may_open_the_merge_page(client, flintshire, sion):
    duplicate = CustomerFactory(
        organisation=flintshire.organisation, full_name="Sion O Donaill-Wyn", phone="01352 702345"
    )
    merge_url = f"/customers/{sion.pk}/merge/{duplicate.pk}/"
    page = _as(client, "ffion").get(f"/customers/{sion.pk}/").content.decode()
    assert "Possibly the same customer" in page
    assert merge_url not in page
    assert client.get(merge_url).status_code == 403
    client.logout()
    page = _as(client, "dafydd").get(f"/customers/{sion.pk}/").content.decode()
    assert merge_url in page
    check = client.get(merge_url).content.decode()
    assert "Check before merging these records" in check
    assert client.post(merge_url).url == f"/customers/{sion.pk}/"
    duplicate.refresh_from_db()
    assert duplicate.merged_into == sion
    merged_page = client.get(f"/customers/{duplicate.pk}/").content.decode()
    assert "This record was merged" in merged_page
    assert client.get(f"/customers/{duplicate.pk}/needs/add/").status_code == 404


def test_a_merge_across_organisations_is_not_found(client, flintshire, highland, sion):
    theirs = CustomerFactory(organisation=highland.organisation, full_name="Siôn Ó Dónaill-Ŵyn")
    assert _as(client, "dafydd").get(f"/customers/{sion.pk}/merge/{theirs.pk}/").status_code == 404


def test_a_representative_is_added_with_every_problem_named(client, flintshire, sion):
    _as(client, "ffion")
    response = client.post(f"/customers/{sion.pk}/representatives/add/", {"contact_through": "on"})
    assert set(response.context["form"].errors) == {"name", "relationship", "contact_details"}
    response = client.post(
        f"/customers/{sion.pk}/representatives/add/",
        {
            "name": "Eirlys O'Brien",
            "relationship": "advocate",
            "contact_details": "01352 700000",
            "contact_through": "on",
        },
    )
    assert response.status_code == 302
    assert "Contact goes through them" in client.get(f"/customers/{sion.pk}/").content.decode()
