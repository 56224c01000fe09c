"""API tokens in the browser: Rhodri, Flintshire's records manager, sets up the telephony system's
access to Engage, sees its token once, the telephony system uses it to check a caller, and Rhodri
revokes it, after which the same call is refused."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import expect

from engage.api.models import ApiToken
from engage.customers.tests.factories import CustomerFactory
from tests.personas import PASSWORD


def test_rhodri_gives_telephony_a_token_it_uses_until_he_revokes_it(visit, flintshire):
    bryn = CustomerFactory(
        organisation=flintshire.organisation, full_name="Bryn Jenkins", phone="01352 702345"
    )
    rhodri = visit("rhodri")
    rhodri.sign_in("rhodri", PASSWORD)
    page = rhodri.page

    rhodri.goto(reverse("api:accounts"))
    expect(page.get_by_role("heading", name="Service accounts")).to_be_visible()
    expect(page.get_by_text("There are no service accounts yet.")).to_be_visible()
    rhodri.check("service accounts, none yet")

    page.get_by_role("link", name="Add a service account").click()
    page.get_by_role("button", name="Add service account").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a name for the service account, like Telephony")
    expect(summary).to_contain_text("Select whether the account may only read, or read and write")
    rhodri.check("add a service account with errors")
    page.get_by_label("Name").fill("Telephony")
    page.get_by_label("Read only: check contacts and read records").check()
    page.get_by_role("button", name="Add service account").click()

    expect(page.get_by_role("heading", name="Telephony")).to_be_visible()
    expect(page.get_by_text("Telephony has been added. Create a token for it.")).to_be_visible()
    expect(page.get_by_text("This account has no tokens yet.")).to_be_visible()
    rhodri.check("service account without tokens")

    page.get_by_role("button", name="Create a token").click()
    expect(page.get_by_role("heading", name="Your new token")).to_be_visible()
    expect(page.locator(".govuk-warning-text")).to_contain_text("Copy this token now")
    token = page.get_by_label("Token").input_value()
    assert token.startswith("eng_")
    rhodri.check("new token shown once")

    # The telephony system checks a caller with it.
    check = f"{rhodri.base_url}/api/v1/contact-check"
    params = {"identifier": "+44 1352 702345", "channel": "phone"}
    answer = page.request.get(check, params=params, headers={"Authorization": f"Bearer {token}"})
    assert answer.status == 200
    body = answer.json()
    assert body["matched"] is True
    assert body["customer"] == {"reference": bryn.reference, "display_name": "Bryn Jenkins"}
    assert body["decision"] == "allow"
    # Rhodri's own signed-in session is not a way into the API (the request carries its cookie).
    assert page.request.get(check, params=params).status == 401

    page.get_by_role("link", name="I have copied the token").click()
    expect(page.get_by_role("heading", name="Telephony")).to_be_visible()
    prefix = token[:8]
    row = page.get_by_role("row").filter(has_text=prefix)
    expect(row).to_contain_text("In use")
    expect(page.get_by_text(token)).to_have_count(0)  # never shown again
    rhodri.check("service account with a token in use")

    row.get_by_role("link", name="Revoke").click()
    expect(page.get_by_role("heading", name=f"Revoke token {prefix}…")).to_be_visible()
    rhodri.check("revoke a token")
    page.get_by_role("button", name="Revoke token").click()
    expect(page.get_by_text(f"Token {prefix}… has been revoked. It no longer works.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=prefix)).to_contain_text("Revoked")
    rhodri.check("service account with a revoked token")
    assert ApiToken.objects.get(prefix=prefix).revoked_by == flintshire.rhodri

    refused = page.request.get(check, params=params, headers={"Authorization": f"Bearer {token}"})
    assert refused.status == 401
    assert refused.json() == {"detail": "The token is not valid: it may be mistyped or revoked."}

    rhodri.goto(reverse("api:accounts"))
    expect(page.get_by_role("row").filter(has_text="Telephony")).to_contain_text("Read only")
    rhodri.check("service accounts")


def test_the_api_documentation_is_a_plain_page_anyone_can_read(visit, flintshire):
    reader = visit("integrator")
    reader.goto(reverse("api:docs"))
    page = reader.page
    expect(page.get_by_role("heading", name="API documentation")).to_be_visible()
    expect(page.get_by_role("heading", name="GET /api/v1/contact-check")).to_be_visible()
    reader.check("api documentation")
    page.get_by_role("link", name="JSON").click()
    assert '"openapi": "3.1.0"' in page.content()
