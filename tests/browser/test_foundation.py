"""Foundation journeys: signing in to your own organisation, seeing only it, signing out."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.personas import PASSWORD


def test_staff_of_two_organisations_each_see_only_their_own(visit, flintshire, highland):
    ffion = visit("ffion")
    ffion.goto("/")
    ffion.check("sign-in page")
    ffion.sign_in("ffion", PASSWORD)
    banner = ffion.page.get_by_test_id("organisation-name")
    expect(banner).to_have_text("Flintshire County Council")
    expect(ffion.page.get_by_text("The Highland Council")).to_have_count(0)
    # A call handler sees no staff administration.
    nav = ffion.page.get_by_role("navigation", name="Menu")
    expect(nav.get_by_role("link", name="Staff", exact=True)).to_have_count(0)
    ffion.check("your work as a call handler")

    morag = visit("morag")
    morag.sign_in("morag", PASSWORD)
    expect(morag.page.get_by_test_id("organisation-name")).to_have_text("The Highland Council")
    morag.page.get_by_role("navigation", name="Menu").get_by_role("link", name="Staff", exact=True).click()
    expect(morag.page.get_by_role("heading", name="Staff")).to_be_visible()
    expect(morag.page.get_by_role("link", name="Eilidh Fraser")).to_be_visible()
    expect(morag.page.get_by_text("Ffion Hughes")).to_have_count(0)
    morag.check("staff list")


def test_an_outsiders_url_to_another_organisations_object_gives_not_found(visit, flintshire, highland):
    morag = visit("morag")
    morag.sign_in("morag", PASSWORD)
    response = morag.goto(f"/staff/{flintshire.ffion.pk}/")
    assert response.status == 404
    own = morag.goto(f"/staff/{highland.eilidh.pk}/")
    assert own.status == 200
    morag.check("staff member")


def test_signing_out_ends_the_session(visit, flintshire):
    rhodri = visit("rhodri")
    rhodri.sign_in("rhodri", PASSWORD)
    rhodri.page.get_by_role("button", name="Sign out").click()
    expect(rhodri.page.get_by_role("heading", name="Sign in to Engage")).to_be_visible()
    rhodri.goto("/staff/")
    expect(rhodri.page).to_have_url(f"{rhodri.base_url}/sign-in/?next=/staff/")


def test_a_wrong_password_is_explained_and_the_username_kept(visit, flintshire):
    ffion = visit("ffion")
    ffion.goto("/sign-in/")
    ffion.page.get_by_label("Username").fill("ffion")
    ffion.page.get_by_label("Password").fill("not-her-password")
    ffion.page.get_by_role("button", name="Sign in").click()
    summary = ffion.page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a correct username and password")
    expect(ffion.page.get_by_label("Username")).to_have_value("ffion")
    ffion.check("sign-in error")


def test_information_governance_adds_a_member_of_staff(visit, flintshire):
    rhodri = visit("rhodri")
    rhodri.sign_in("rhodri", PASSWORD)
    rhodri.goto("/staff/add/")
    page = rhodri.page
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a first name")
    rhodri.check("add staff with errors")
    page.get_by_label("First name").fill("Llŷr")
    page.get_by_label("Last name").fill("Ó Dónaill")
    page.get_by_label("Email address").fill("llyr@example.org")
    page.get_by_label("Username").fill("llyr")
    page.get_by_label("Employee").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Llŷr Ó Dónaill")).to_be_visible()
    rhodri.check("staff member added")


def test_our_policy_page_explains_who_decides(visit, flintshire):
    ffion = visit("ffion")
    ffion.sign_in("ffion", PASSWORD)
    ffion.page.get_by_role("navigation", name="Menu").get_by_role("link", name="Our policy").click()
    expect(ffion.page.get_by_role("heading", name="Who decides what")).to_be_visible()
    expect(ffion.page.get_by_text("A customer may appeal within 20 working days")).to_be_visible()
    ffion.check("our policy")
    ffion.page.get_by_role("link", name="Read the full text").click()
    expect(ffion.page.get_by_text("Decision matrix").first).to_be_visible()
    ffion.check("policy full text")


def test_rhodri_adds_a_closure_day_and_finds_it_in_the_audit_log(visit, flintshire):
    rhodri = visit("rhodri")
    rhodri.sign_in("rhodri", PASSWORD)
    page = rhodri.page
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Organisation settings")).to_be_visible()
    rhodri.check("organisation settings")
    page.get_by_role("link", name="Add a closure day").click()
    page.get_by_label("Day").fill("1")
    page.get_by_label("Year").fill("2027")
    page.get_by_label("Why is the organisation closed?").fill("Staff training day")
    page.get_by_role("button", name="Add closure day").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The date must include a month")
    expect(page.get_by_label("Why is the organisation closed?")).to_have_value("Staff training day")
    rhodri.check("closure day with a missing month")
    page.get_by_label("Month").fill("3")
    page.get_by_role("button", name="Add closure day").click()
    expect(page.get_by_text("Staff training day")).to_be_visible()
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("cell", name="organisation.closure_add")).to_be_visible()
    rhodri.check("audit log")
