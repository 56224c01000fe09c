"""Customer journeys: adding a customer, finding her by any formatting of her number, merging duplicates."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from engage.customers.models import Customer
from engage.customers.services import need_record, vulnerability_note_record
from engage.customers.tests.factories import CustomerFactory
from tests.personas import PASSWORD


def test_team_leader_adds_a_customer_and_finds_her_by_another_formatting_of_her_number(
    visit, flintshire, highland
):
    dafydd = visit("dafydd")
    dafydd.sign_in("dafydd", PASSWORD)
    page = dafydd.page
    dafydd.goto("/customers/")
    expect(page.get_by_role("heading", name="Find a customer")).to_be_visible()
    dafydd.check("find a customer")

    page.get_by_role("link", name="Add a customer").click()
    expect(page.get_by_role("heading", name="Add a customer")).to_be_visible()
    dafydd.check("add a customer")
    # Half-filled: a name with Welsh letters and a number missing digits.
    page.get_by_label("Known as (optional)").fill("Siôn")
    page.get_by_label("Phone number").fill("01352 7023")
    page.get_by_role("button", name="Add customer").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the customer's full name")
    expect(summary).to_contain_text("Enter a phone number in the correct format")
    expect(page.get_by_label("Known as (optional)")).to_have_value("Siôn")
    expect(page.get_by_label("Phone number")).to_have_value("01352 7023")
    dafydd.check("add a customer with errors")
    summary.get_by_role("link", name="Enter the customer's full name").click()
    expect(page.get_by_label("Full name")).to_be_focused()

    page.get_by_label("Full name").fill("Siôn Ó Dónaill-Ŵyn")
    page.get_by_label("Phone number").fill("01352 702345")
    page.get_by_role("button", name="Add customer").click()
    expect(page.get_by_role("heading", name="Siôn", exact=True)).to_be_visible()
    expect(page.get_by_text("Siôn Ó Dónaill-Ŵyn")).to_be_visible()
    dafydd.check("customer added")
    sion = Customer.objects.get(full_name="Siôn Ó Dónaill-Ŵyn")

    page.get_by_role("link", name="Record a need or reasonable adjustment").click()
    dafydd.check("record a need")
    page.get_by_label("Need or reasonable adjustment").fill("Letters in Welsh, in large print")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("needs")).to_contain_text("Letters in Welsh, in large print")
    dafydd.check("customer with a need")

    page.get_by_role("link", name="Add an identifier").click()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select what you want to add")
    dafydd.check("choose an identifier with errors")
    page.get_by_label("Email address").check()
    page.get_by_role("button", name="Continue").click()
    dafydd.check("add an email address")
    page.get_by_label("Email address").fill("Sion.ODonaill@Example.org")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Sion.ODonaill@Example.org", exact=True)).to_be_visible()

    page.get_by_role("link", name="Find a customer").click()
    page.get_by_label("Phone, email, social media handle, reference, or name and postcode").fill(
        "+44 (0)1352 702 345"
    )
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 customer found")).to_be_visible()
    dafydd.check("search results")
    page.get_by_role("link", name="Siôn").click()
    expect(page.get_by_test_id("needs")).to_contain_text("Letters in Welsh, in large print")
    dafydd.check("customer found")

    # Mòrag of the Highland Council cannot open Flintshire's customer, even with the address.
    morag = visit("morag")
    morag.sign_in("morag", PASSWORD)
    response = morag.goto(f"/customers/{sion.pk}/")
    assert response.status == 404
    morag.check("another organisation's customer is not found")
    morag.goto("/customers/?q=01352+702345")
    expect(morag.page.get_by_role("heading", name="0 customers found")).to_be_visible()
    morag.check("search finds nothing of another organisation")


def test_team_leader_merges_a_duplicate_after_checking_it(visit, flintshire):
    org = flintshire.organisation
    sion = CustomerFactory(organisation=org, full_name="Siôn Jones", phone="01352 702345", postcode="CH7 1AB")
    duplicate = CustomerFactory(organisation=org, full_name="Sion Jones", email="sion@example.org")
    need_record(actor=flintshire.ffion, customer=duplicate, description="Uses a textphone")
    vulnerability_note_record(actor=flintshire.sian, customer=duplicate, text="Recently bereaved")

    dafydd = visit("dafydd")
    dafydd.sign_in("dafydd", PASSWORD)
    page = dafydd.page
    dafydd.goto(f"/customers/{sion.pk}/")
    expect(page.get_by_role("heading", name="Possibly the same customer")).to_be_visible()
    dafydd.check("customer with a likely duplicate")
    page.get_by_role("link", name=re.compile("Merge into this record")).click()
    expect(page.get_by_role("heading", name="Check before merging these records")).to_be_visible()
    expect(page.get_by_text("Uses a textphone")).to_be_visible()
    dafydd.check("check before merging")
    page.get_by_role("button", name="Merge records").click()
    expect(page.get_by_text(f"{duplicate.reference} has been merged into {sion.reference}")).to_be_visible()
    expect(page.get_by_test_id("needs")).to_contain_text("Uses a textphone")
    expect(page.get_by_test_id("vulnerability-notes")).to_contain_text("Recently bereaved")
    expect(page.get_by_text("sion@example.org", exact=True)).to_be_visible()
    dafydd.check("customer after merge")

    dafydd.goto(f"/customers/{duplicate.pk}/")
    expect(page.get_by_role("heading", name="This record was merged")).to_be_visible()
    dafydd.check("merged record")
    page.get_by_role("link", name="Go to Siôn Jones").click()
    expect(page.get_by_role("heading", name="Siôn Jones")).to_be_visible()


def test_call_handler_records_a_representative_and_retires_an_old_number(visit, flintshire):
    sion = CustomerFactory(organisation=flintshire.organisation, full_name="Siôn Jones", phone="01352 702345")
    vulnerability_note_record(actor=flintshire.sian, customer=sion, text="Recently bereaved")

    ffion = visit("ffion")
    ffion.sign_in("ffion", PASSWORD)
    page = ffion.page
    ffion.goto(f"/customers/{sion.pk}/")
    expect(page.get_by_text("Recently bereaved")).to_have_count(0)
    expect(page.get_by_test_id("vulnerability-notes")).to_have_count(0)
    ffion.check("customer seen by a call handler")

    page.get_by_role("link", name="Add a representative").click()
    page.get_by_label("Contact with the customer goes through this representative").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the representative's name")
    expect(page.get_by_label("Contact with the customer goes through this representative")).to_be_checked()
    ffion.check("add a representative with errors")
    page.get_by_label("Name").fill("Eirlys O'Brien")
    page.get_by_label("Advocate").check()
    page.get_by_label("Contact details (optional)").fill("01352 700000")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Contact goes through them")).to_be_visible()

    page.get_by_role("link", name=re.compile(r"Mark as no longer used\s*: 01352 702345")).click()
    expect(page.get_by_role("heading", name="Is this phone number no longer used?")).to_be_visible()
    ffion.check("mark a number as no longer used")
    page.get_by_role("button", name="Mark as no longer used").click()
    expect(page.get_by_text("No longer used", exact=True)).to_be_visible()
    ffion.check("customer with an old number")

    # The old number still finds him.
    ffion.goto("/customers/?q=01352702345")
    expect(page.get_by_role("link", name="Siôn Jones")).to_be_visible()


def test_senior_manager_records_a_vulnerability_note(visit, flintshire):
    sion = CustomerFactory(organisation=flintshire.organisation, full_name="Siôn Jones", phone="01352 702345")
    sian = visit("sian")
    sian.sign_in("sian", PASSWORD)
    page = sian.page
    sian.goto(f"/customers/{sion.pk}/")
    page.get_by_role("link", name="Record a note").click()
    sian.check("record a vulnerability note")
    page.get_by_label("Note").fill("Recently bereaved")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("vulnerability-notes")).to_contain_text("Recently bereaved")
    sian.check("customer with a vulnerability note")
