"""Finding the contact settings: Rhodri, Flintshire's records manager, starts from his work, goes
to Settings in the menu, and from there reaches the contact events upload, the levels of contact
the record of contact checks, and how long checks and contact events are kept, without typing an
address. Every page is checked with
axe-core. Ffion, at the phones, has no Settings in her menu."""

from __future__ import annotations

from playwright.sync_api import expect

from engage.contacts.retention import checks_kept_months, events_kept_months
from tests.personas import PASSWORD


def test_rhodri_finds_the_contact_pages_from_the_menu(visit, flintshire):
    rhodri = visit("rhodri")
    rhodri.sign_in("rhodri", PASSWORD)
    page = rhodri.page
    menu = page.get_by_role("navigation", name="Menu")

    menu.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Organisation settings")).to_be_visible()
    expect(page.get_by_role("heading", name="Contacts")).to_be_visible()
    rhodri.check("organisation settings with the contact pages")

    page.get_by_role("link", name="Contact events", exact=True).click()
    expect(page.get_by_role("heading", name="Contact events", level=1)).to_be_visible()
    expect(page.get_by_label("Contact events file")).to_be_visible()
    rhodri.check("contact events upload")

    page.go_back()
    page.get_by_role("link", name="Levels of contact").click()
    expect(page.get_by_role("heading", name="Levels of contact")).to_be_visible()
    expect(page.get_by_label("Calls in one hour")).to_have_value("4")
    rhodri.check("levels of contact settings")

    page.go_back()
    page.get_by_role("link", name="Contact checks", exact=True).click()
    expect(page.get_by_role("heading", name="Contact checks", level=1)).to_be_visible()
    page.get_by_label("Checked by").fill("Telephony")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("No checks match.")).to_be_visible()
    rhodri.check("contact checks, filtered")

    page.go_back()
    page.go_back()
    page.get_by_role("link", name="How long contact checks are kept").click()
    expect(page.get_by_role("heading", name="How long contact checks are kept")).to_be_visible()
    rhodri.check("how long contact checks are kept")
    page.get_by_label("Keep contact checks for this many months").fill("0")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter a whole number of months from 1 to 120"
    )
    rhodri.check("how long contact checks are kept, with an error")
    page.get_by_label("Keep contact checks for this many months").fill("36")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("How long contact checks are kept has been saved.")).to_be_visible()
    expect(page.get_by_role("heading", name="Organisation settings")).to_be_visible()
    expect(page.get_by_text("36 months")).to_be_visible()
    assert checks_kept_months(flintshire.organisation) == 36

    page.get_by_role("link", name="How long contact events are kept").click()
    expect(page.get_by_role("heading", name="How long contact events are kept")).to_be_visible()
    rhodri.check("how long contact events are kept")
    page.get_by_label("Keep contact events for this many months").fill("12")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("How long contact events are kept has been saved.")).to_be_visible()
    assert events_kept_months(flintshire.organisation) == 12


def test_ffion_has_no_settings_in_her_menu(visit, flintshire):
    ffion = visit("ffion")
    ffion.sign_in("ffion", PASSWORD)
    menu = ffion.page.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link", name="Check a contact")).to_be_visible()
    expect(menu.get_by_role("link", name="Settings")).to_have_count(0)
