"""Someone calling for the customer, in the browser: Ffion records Alun Rees's advocate with her
phone number, then checks that number at the phones and is told to deal with her (000/001 §23.3;
003 7.4: communicating through a third party such as an advocate); Alun's own number is redirected
to her."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from engage.contacts.models import ContactCheck
from engage.contacts.tests.stories import restrict
from engage.customers.models import RepresentativeIdentifier
from engage.customers.tests.factories import CustomerFactory
from engage.decisions.measures import ThirdPartyOnly
from tests.personas import PASSWORD

NUMBER_LABEL = "Phone, email, social media handle, reference, or name and postcode"


def _check(page, number: str) -> None:
    page.get_by_label(NUMBER_LABEL).fill(number)
    page.get_by_label("Phone", exact=True).check()
    page.get_by_role("button", name="Check", exact=True).click()
    expect(page.get_by_test_id("result")).to_be_visible()


def test_ffion_adds_an_advocates_number_and_the_check_knows_her(visit, flintshire):
    alun = CustomerFactory(organisation=flintshire.organisation, full_name="Alun Rees", phone="01352 700006")
    restrict(alun, ThirdPartyOnly("Eleri Price of Advocacy Cymru"))

    ffion = visit("ffion")
    ffion.sign_in("ffion", PASSWORD)
    page = ffion.page
    ffion.goto(f"/customers/{alun.pk}/")
    page.get_by_role("link", name="Add a representative").click()

    # A number that is not one is named on its field, and the summary links to it.
    page.get_by_label("Name").fill("Eleri Price")
    page.get_by_label("Advocate").check()
    page.get_by_label("Their phone number (optional)").fill("01352 70")
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a phone number in the correct format")
    ffion.check("add a representative with a wrong number")
    summary.get_by_role("link", name="Enter a phone number in the correct format").click()
    expect(page.get_by_label("Their phone number (optional)")).to_be_focused()

    page.get_by_label("Their phone number (optional)").fill("01352 700106")
    page.get_by_label("Contact with the customer goes through this representative").check()
    ffion.check("add a representative with a phone number")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Phone number: 01352 700106")).to_be_visible()
    ffion.check("customer with a representative's number")
    assert RepresentativeIdentifier.objects.get().value == "+441352700106"

    # Eleri calls, her number written another way.
    ffion.goto("/contacts/check/")
    _check(page, "+44 1352 700-106")
    expect(page.get_by_test_id("outcome")).to_have_text("Go ahead, with conditions")
    expect(page.get_by_test_id("act")).to_have_text(
        "This number is recorded for Eleri Price, who acts for the customer. Contact goes through "
        "Eleri Price of Advocacy Cymru: check that this is who you are dealing with."
    )
    expect(page.get_by_test_id("customer")).to_contain_text(alun.reference)
    ffion.check("representative calling")

    # Alun calls himself: redirected to his advocate, in words.
    _check(page, "01352 700006")
    expect(page.get_by_test_id("outcome")).to_have_text("Redirect this contact")
    expect(page.get_by_test_id("say")).to_contain_text("please ask them to contact us for you")
    ffion.check("customer calling himself")
    assert ContactCheck.objects.filter(customer=alun, checked_by=flintshire.ffion).count() == 2

    # Eleri leaves the service: Ffion marks her number no longer used. It still finds Alun, and
    # the desk is told to check who they are dealing with.
    ffion.goto(f"/customers/{alun.pk}/")
    page.get_by_role("link", name="Add an email address for Eleri Price").click()
    page.get_by_label("Email address").fill("eleri.price@advocacy.example.org")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Email address: eleri.price@advocacy.example.org")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"Mark as no longer used\s*: 01352 700106")).click()
    expect(page.get_by_role("heading", name="Is this phone number no longer used?")).to_be_visible()
    ffion.check("mark a representative's number as no longer used")
    page.get_by_role("button", name="Mark as no longer used").click()
    expect(page.get_by_text("No longer used", exact=True)).to_be_visible()
    ffion.check("customer with a representative's old number")
    ffion.goto("/contacts/check/")
    _check(page, "01352 700106")
    expect(page.get_by_test_id("act")).to_contain_text(
        "marked as no longer used: check who you are dealing with"
    )
