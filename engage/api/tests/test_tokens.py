"""Service accounts and tokens: made by information governance, stored hashed, shown once, revocable,
read-only or read and write, and used at most one database write a minute."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engage.api.models import ApiToken, ServiceAccount
from engage.api.services import service_account_create, token_for, token_issue, token_revoke
from engage.audit.models import AuditRecord
from engage.audit.testing import expect_audit
from tests.personas import PASSWORD

CHECK = "/api/v1/contact-check"
A_CHECK = {"identifier": "01352 702345", "channel": "phone"}
AN_EVENT = {
    "identifier": "01352 702345",
    "channel": "phone",
    "direction": "inbound",
    "started_at": "2026-03-03T10:30:00+00:00",
}


# --- Service accounts --------------------------------------------------------------------------


def test_rhodri_adds_a_read_only_service_account(flintshire):
    with expect_audit("api.service_account_create") as records:
        account = service_account_create(
            actor=flintshire.rhodri, organisation=flintshire.organisation, name="  Telephony ", scope="read"
        )
    assert (account.name, account.scope, account.is_active) == ("Telephony", "read", True)
    assert account.created_by == flintshire.rhodri
    assert account.last_used_at is None
    assert records[0].object_id == str(account.pk)
    assert records[0].detail == {"scope": "read"}


def test_a_service_account_needs_a_name_of_its_own_and_a_scope(flintshire, telephony):
    org, rhodri = flintshire.organisation, flintshire.rhodri
    with pytest.raises(ValidationError) as blank:
        service_account_create(actor=rhodri, organisation=org, name=" ", scope="read")
    assert blank.value.message_dict == {"name": ["Enter a name for the service account, like Telephony"]}
    with pytest.raises(ValidationError) as taken:
        service_account_create(actor=rhodri, organisation=org, name="TELEPHONY", scope="read")
    assert taken.value.message_dict == {"name": ["Another service account already has this name"]}
    with pytest.raises(ValidationError) as scope:
        service_account_create(actor=rhodri, organisation=org, name="Mail", scope="admin")
    assert list(scope.value.message_dict) == ["scope"]


def test_another_organisation_may_use_the_same_name(highland, telephony):
    account = service_account_create(
        actor=highland.morag, organisation=highland.organisation, name="Telephony", scope="read"
    )
    assert account.organisation == highland.organisation


@pytest.mark.parametrize("who", ["ffion", "dafydd", "sian", "gwen"])
def test_only_information_governance_manages_service_accounts(flintshire, telephony, who):
    person = getattr(flintshire, who)
    with pytest.raises(PermissionDenied):
        service_account_create(actor=person, organisation=flintshire.organisation, name="Mail", scope="read")
    with pytest.raises(PermissionDenied):
        token_issue(actor=person, account=telephony.account)
    with pytest.raises(PermissionDenied):
        token_revoke(actor=person, token=telephony.account.tokens.get())


def test_morag_cannot_manage_flintshires_accounts(flintshire, highland, telephony):
    with pytest.raises(PermissionDenied):
        service_account_create(
            actor=highland.morag, organisation=flintshire.organisation, name="X", scope="read"
        )
    with pytest.raises(PermissionDenied):
        token_issue(actor=highland.morag, account=telephony.account)
    with pytest.raises(PermissionDenied):
        token_revoke(actor=highland.morag, token=telephony.account.tokens.get())


# --- Tokens: issued once, stored hashed --------------------------------------------------------


def test_a_token_is_returned_once_and_only_its_hash_is_kept(flintshire, telephony):
    with expect_audit("api.token_issue") as records:
        issued = token_issue(actor=flintshire.rhodri, account=telephony.account)
    plain = issued.plain
    assert plain.startswith("eng_")
    assert len(plain) == 4 + 43  # 32 random bytes, URL-safe base64
    row = ApiToken.objects.get(pk=issued.token.pk)
    assert row.secret_sha256 == hashlib.sha256(plain.encode()).hexdigest()
    assert row.prefix == plain[:8]
    assert row.created_by == flintshire.rhodri
    # The token itself is nowhere: not in its row, nor in the audit record.
    stored = [str(getattr(row, f.attname)) for f in ApiToken._meta.concrete_fields]
    assert not any(plain in value or plain[8:] in value for value in stored)
    assert records[0].object_id == str(row.pk)
    assert plain[8:] not in str(records[0].detail) + records[0].object_label
    assert records[0].detail == {"account": "Telephony", "prefix": plain[:8]}


def test_every_token_is_different(flintshire, telephony):
    plains = {token_issue(actor=flintshire.rhodri, account=telephony.account).plain for _ in range(5)}
    assert len(plains) == 5


def test_an_inactive_account_gets_no_new_token(flintshire, telephony):
    ServiceAccount.objects.filter(pk=telephony.account.pk).update(is_active=False)
    telephony.account.refresh_from_db()
    with pytest.raises(ValidationError):
        token_issue(actor=flintshire.rhodri, account=telephony.account)


def test_finding_a_token_is_one_query(telephony):
    with CaptureQueriesContext(connection) as queries:
        token = token_for(telephony.token)
    assert len(queries) == 1
    assert token is not None
    assert (token.account_name, token.scope, token.organisation_name) == (
        "Telephony",
        "read",
        "Flintshire County Council",
    )
    assert token.token_id == ApiToken.objects.get(account=telephony.account).pk


@pytest.mark.parametrize(
    "text",
    [
        "",
        "eng_",
        "Bearer",
        "eng_" + "x" * 42,
        "eng_" + "x" * 44,
        "abc_" + "x" * 43,
        "eng_" + "!" * 43,
        "eng_" + "x" * 43 + "\n",
    ],
)
def test_a_malformed_token_is_refused_without_a_query(db, text):
    with CaptureQueriesContext(connection) as queries:
        assert token_for(text) is None
    assert len(queries) == 0


# --- Using a token ------------------------------------------------------------------------------


def test_a_call_without_a_token_is_refused_401_naming_the_scheme(api, telephony):
    response = api("get", CHECK, data=A_CHECK)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="Engage API"'
    assert response.json() == {
        "detail": "Authentication is required: send the header Authorization: Bearer <token>."
    }


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer eng_notatoken",
        "Bearer eng_" + "A" * 43,  # the right shape, but no such token
        "Basic cmhvZHJpOnBhc3N3b3Jk",
        "Token eng_" + "A" * 43,
        "Bearer two words",
    ],
)
def test_a_bad_token_is_refused_401(api, telephony, header):
    response = api("get", CHECK, data=A_CHECK, headers={"Authorization": header})
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert set(response.json()) == {"detail"}


def test_a_staff_session_is_not_an_api_sign_in(client, api, flintshire, telephony):
    client.login(username="rhodri", password=PASSWORD)
    assert api("get", CHECK, data=A_CHECK).status_code == 401
    assert api("get", CHECK, telephony, data=A_CHECK).status_code == 200


def test_a_revoked_token_is_refused_from_its_next_call(api, flintshire, telephony):
    assert api("get", CHECK, telephony, data=A_CHECK).status_code == 200
    token = ApiToken.objects.get(account=telephony.account)
    with expect_audit(("api.token_revoke", token)):
        token_revoke(actor=flintshire.rhodri, token=token)
    token.refresh_from_db()
    assert token.revoked_by == flintshire.rhodri
    assert token.revoked_at is not None
    response = api("get", CHECK, telephony, data=A_CHECK)
    assert response.status_code == 401
    assert response.json() == {"detail": "The token is not valid: it may be mistyped or revoked."}


def test_revoking_one_token_leaves_the_accounts_others_working(api, flintshire, telephony):
    second = token_issue(actor=flintshire.rhodri, account=telephony.account)
    token_revoke(
        actor=flintshire.rhodri, token=ApiToken.objects.get(account=telephony.account, pk__lt=second.token.pk)
    )
    assert api("get", CHECK, telephony, data=A_CHECK).status_code == 401
    assert (
        api("get", CHECK, headers={"Authorization": f"Bearer {second.plain}"}, data=A_CHECK).status_code
        == 200
    )


def test_a_token_cannot_be_revoked_twice(flintshire, telephony):
    token = ApiToken.objects.get(account=telephony.account)
    token_revoke(actor=flintshire.rhodri, token=token)
    with expect_audit(), pytest.raises(ValidationError):
        token_revoke(actor=flintshire.rhodri, token=token)


def test_an_inactive_account_or_organisation_is_refused_within_a_second(api, flintshire, telephony):
    # Changed in the database directly, as another process (or an administrator) would: each
    # process remembers a live token for a second (TOKEN_CACHE_SECONDS), then asks again.
    start = dt.datetime(2026, 3, 3, 10, 30, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        assert api("get", CHECK, telephony, data=A_CHECK).status_code == 200
        ServiceAccount.objects.filter(pk=telephony.account.pk).update(is_active=False)
        clock.shift(dt.timedelta(seconds=1))
        assert api("get", CHECK, telephony, data=A_CHECK).status_code == 401
        ServiceAccount.objects.filter(pk=telephony.account.pk).update(is_active=True)
        assert api("get", CHECK, telephony, data=A_CHECK).status_code == 200  # never remembered as dead
        type(flintshire.organisation).objects.filter(pk=flintshire.organisation.pk).update(is_active=False)
        clock.shift(dt.timedelta(seconds=1))
        assert api("get", CHECK, telephony, data=A_CHECK).status_code == 401


def test_a_live_token_is_looked_up_once_a_second_and_a_revoked_one_at_once(api, flintshire, telephony):
    start = dt.datetime(2026, 3, 3, 10, 30, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        api("get", CHECK, telephony, data=A_CHECK)
        with CaptureQueriesContext(connection) as within:
            assert api("get", CHECK, telephony, data=A_CHECK).status_code == 200
        clock.shift(dt.timedelta(seconds=1))
        with CaptureQueriesContext(connection) as after:
            assert api("get", CHECK, telephony, data=A_CHECK).status_code == 200
        assert not [q for q in within.captured_queries if "secret_sha256" in q["sql"]]
        assert len([q for q in after.captured_queries if "secret_sha256" in q["sql"]]) == 1
        # Revoked through the service: refused from the very next call, even within the second.
        token_revoke(actor=flintshire.rhodri, token=ApiToken.objects.get(account=telephony.account))
        assert api("get", CHECK, telephony, data=A_CHECK).status_code == 401


def test_a_read_only_token_is_refused_403_on_writes(api, telephony, crm, bryn):
    response = api("post", "/api/v1/contact-events", telephony, data=AN_EVENT)
    assert response.status_code == 403
    assert response.json() == {
        "detail": "This token is read-only: ask your information governance team for a read and write token."
    }
    assert api("post", "/api/v1/contact-events", crm, data=AN_EVENT).status_code == 201
    # Reading is what a read-only token is for.
    assert api("get", "/api/v1/contact-events", telephony).status_code == 200


def test_last_used_is_recorded_at_most_once_a_minute(api, telephony):
    start = dt.datetime(2026, 3, 3, 10, 30, tzinfo=dt.UTC)
    token = ApiToken.objects.get(account=telephony.account)
    with time_machine.travel(start, tick=False):
        with CaptureQueriesContext(connection) as first:
            api("get", "/api/v1/customers", telephony)
        token.refresh_from_db()
        assert token.last_used_at == start
        telephony.account.refresh_from_db()
        assert telephony.account.last_used_at == start
    with time_machine.travel(start + dt.timedelta(seconds=59), tick=False):
        with CaptureQueriesContext(connection) as again:
            api("get", "/api/v1/customers", telephony)
        token.refresh_from_db()
        assert token.last_used_at == start
    # The second call wrote nothing: two UPDATEs fewer.
    updates = [q for q in first.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 2
    assert not [q for q in again.captured_queries if q["sql"].startswith("UPDATE")]
    with time_machine.travel(start + dt.timedelta(minutes=1), tick=False):
        api("get", "/api/v1/customers", telephony)
        token.refresh_from_db()
        assert token.last_used_at == start + dt.timedelta(minutes=1)


def test_using_a_token_is_not_an_audited_action(api, telephony):
    before = AuditRecord.objects.count()
    api("get", "/api/v1/customers", telephony)
    assert AuditRecord.objects.count() == before
