"""Service account pages for information governance, and the API documentation page."""

from __future__ import annotations

import re

import pytest

from engage.api.models import ApiToken, ServiceAccount
from engage.api.services import hash_token
from tests.personas import PASSWORD

ACCOUNTS = "/api/v1/service-accounts/"


def _as(client, username):
    client.login(username=username, password=PASSWORD)
    return client


@pytest.mark.parametrize("who", ["ffion", "dafydd", "sian", "gwen"])
def test_only_information_governance_sees_the_service_account_pages(client, flintshire, telephony, who):
    _as(client, who)
    pk = telephony.account.pk
    token = telephony.account.tokens.get().pk
    for path in (ACCOUNTS, f"{ACCOUNTS}add/", f"{ACCOUNTS}{pk}/", f"{ACCOUNTS}{pk}/tokens/{token}/revoke/"):
        assert client.get(path).status_code == 403, path
    assert client.post(f"{ACCOUNTS}{pk}/tokens/").status_code == 403


def test_signed_out_people_are_sent_to_sign_in(client, flintshire):
    response = client.get(ACCOUNTS)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_morag_finds_nothing_of_flintshires_accounts(client, flintshire, highland, telephony):
    _as(client, "morag")
    pk = telephony.account.pk
    token = telephony.account.tokens.get().pk
    assert "Telephony" not in client.get(ACCOUNTS).content.decode()
    for path in (f"{ACCOUNTS}{pk}/", f"{ACCOUNTS}{pk}/tokens/{token}/revoke/"):
        assert client.get(path).status_code == 404, path
    assert client.post(f"{ACCOUNTS}{pk}/tokens/").status_code == 404
    assert client.post(f"{ACCOUNTS}{pk}/tokens/{token}/revoke/").status_code == 404
    assert ApiToken.objects.get(pk=token).revoked_at is None


def test_rhodri_adds_an_account_and_its_token_is_shown_once(client, flintshire):
    _as(client, "rhodri")
    errors = client.post(f"{ACCOUNTS}add/", {"name": "", "scope": ""})
    assert "Enter a name for the service account" in errors.content.decode()
    response = client.post(f"{ACCOUNTS}add/", {"name": "Mail gateway", "scope": "read_write"})
    account = ServiceAccount.objects.get(name="Mail gateway")
    assert response["Location"] == f"{ACCOUNTS}{account.pk}/"
    assert account.scope == "read_write"

    issued = client.post(f"{ACCOUNTS}{account.pk}/tokens/")
    assert issued.status_code == 200
    assert "no-store" in issued["Cache-Control"]
    page = issued.content.decode()
    plain = re.search(r'value="(eng_[A-Za-z0-9_-]{43})"', page).group(1)
    assert "Copy this token now" in page
    token = ApiToken.objects.get(account=account)
    assert token.secret_sha256 == hash_token(plain)

    detail = client.get(f"{ACCOUNTS}{account.pk}/").content.decode()
    assert plain[:8] in detail
    assert plain not in detail  # never shown again
    assert plain not in client.get(ACCOUNTS).content.decode()


def test_issuing_a_token_needs_a_post(client, flintshire, telephony):
    _as(client, "rhodri")
    assert client.get(f"{ACCOUNTS}{telephony.account.pk}/tokens/").status_code == 405


def test_rhodri_revokes_a_token_after_a_warning(client, api, flintshire, telephony):
    _as(client, "rhodri")
    token = telephony.account.tokens.get()
    confirm = client.get(f"{ACCOUNTS}{telephony.account.pk}/tokens/{token.pk}/revoke/")
    assert "will be refused from its next call" in confirm.content.decode()
    assert api("get", "/api/v1/customers", telephony).status_code == 200
    response = client.post(f"{ACCOUNTS}{telephony.account.pk}/tokens/{token.pk}/revoke/")
    assert response["Location"] == f"{ACCOUNTS}{telephony.account.pk}/"
    token.refresh_from_db()
    assert token.revoked_by == flintshire.rhodri
    client.logout()
    assert api("get", "/api/v1/customers", telephony).status_code == 401


def test_the_documentation_lists_every_operation_for_anyone(client, db):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    for operation in (
        "GET /api/v1/contact-check",
        "GET /api/v1/customers",
        "GET /api/v1/customers/{reference}",
        "GET /api/v1/incidents",
        "GET /api/v1/incidents/{reference}",
        "GET /api/v1/decisions",
        "GET /api/v1/decisions/{id}",
        "GET /api/v1/reviews",
        "GET /api/v1/reviews/{id}",
        "GET /api/v1/appeals",
        "GET /api/v1/appeals/{id}",
        "GET /api/v1/letters",
        "GET /api/v1/letters/{id}",
        "GET /api/v1/contact-events",
        "POST /api/v1/contact-events",
    ):
        assert f"<code>{operation}</code>" in page, operation
    # The contract's fields, nested ones spelled out.
    for field in ("matched", "customer.reference", "customer.display_name", "measures[].until", "check_id"):
        assert f"<code>{field}</code>" in page, field
    # No script of its own (the site's start-up line and module only), nothing from a CDN.
    assert page.count("<script") == 2
    assert "https://" not in page.split("<body")[1]
