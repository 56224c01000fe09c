"""The contact check's fixed contract, field by field and error by error, and "another organisation's
objects do not exist" on every resource.

GET /api/v1/contact-check?identifier=…&channel=…[&at=…]
  200 {matched, customer: {reference, display_name} | null, decision, say,
       measures: [{type, summary, until}], check_id}
  400 naming the parameter; 401 without a valid token; another organisation's token: unknown.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest

from engage.audit.models import AuditRecord
from engage.contacts.models import ContactCheck
from engage.contacts.tests.stories import restrict
from engage.customers.tests.factories import CustomerFactory
from engage.decisions.measures import AllowedChannels, MonitoredMailbox, PremisesBan
from engage.policy.vocabulary import Channel

from .conftest import BRYN_PHONE

CHECK = "/api/v1/contact-check"
TUESDAY = "2026-03-03T10:30:00+00:00"
CONTRACT = {"matched", "customer", "decision", "act", "say", "measures", "check_id"}
CHANNELS = ["phone", "email", "letter", "in_person", "social_media", "online_form"]


def _check(api, integration, **params):
    return api("get", CHECK, integration, data=params)


# --- 200: every field --------------------------------------------------------------------------


def test_a_restricted_customers_call_gets_every_field_of_the_contract(api, telephony, bryn):
    response = _check(api, telephony, identifier=BRYN_PHONE, channel="phone", at=TUESDAY)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    body = response.json()
    assert set(body) == CONTRACT
    assert body["matched"] is True
    assert body["customer"] == {"reference": bryn.reference, "display_name": "Bryn Jenkins"}
    assert body["decision"] == "allow_with_conditions"
    assert body["say"] == "I will put you through to Siân Ellis-Jones, who deals with your enquiries."
    assert body["measures"] == [
        {"type": "single_point_of_contact", "summary": "All contact with Siân Ellis-Jones.", "until": None},
        {
            "type": "no_staff_details",
            "summary": "Do not give staff names or direct contact details.",
            "until": None,
        },
    ]
    assert uuid.UUID(body["check_id"])


def test_the_display_name_is_the_name_they_prefer(api, telephony, flintshire):
    CustomerFactory(
        organisation=flintshire.organisation,
        full_name="Margaret Rhiannon Owen",
        display_name="Rhian",
        phone="01352 700001",
    )
    body = _check(api, telephony, identifier="+44 1352 700001", channel="email").json()
    assert body["matched"] is True
    assert body["customer"]["display_name"] == "Rhian"
    assert (body["decision"], body["say"], body["measures"]) == ("allow", "", [])


def test_until_is_the_last_day_a_measure_applies(api, telephony, flintshire):
    who = CustomerFactory(organisation=flintshire.organisation, full_name="Dewi Lloyd", phone="01352 700002")
    restrict(
        who,
        AllowedChannels((Channel.LETTER, Channel.EMAIL)),
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 3, 31),  # the first day it no longer applies
    )
    body = _check(api, telephony, identifier="01352 700002", channel="phone", at=TUESDAY).json()
    assert body["decision"] == "redirect"
    assert body["say"] == "We can only deal with your enquiry by email or letter."
    assert body["measures"] == [
        {"type": "allowed_channels", "summary": body["measures"][0]["summary"], "until": "2026-03-30"}
    ]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", body["measures"][0]["until"])
    assert body["measures"][0]["summary"] == "Contact only by email or letter."
    # By email the same customer is let through, and told nothing.
    email = _check(api, telephony, identifier="01352 700002", channel="email", at=TUESDAY).json()
    assert (email["decision"], email["say"]) == ("allow", "")


def test_a_customer_banned_from_every_building_is_refused_in_person(api, telephony, flintshire):
    who = CustomerFactory(
        organisation=flintshire.organisation, full_name="Gethin Price", email="gethin@example.org"
    )
    restrict(who, PremisesBan(all_premises=True))
    body = _check(api, telephony, identifier="Gethin@Example.org", channel="in_person", at=TUESDAY).json()
    assert body["decision"] == "refuse"
    assert body["say"].startswith("You cannot come into our buildings at the moment")
    assert [m["type"] for m in body["measures"]] == ["premises_ban"]


def test_act_tells_a_mail_gateway_where_an_email_goes_when_nothing_is_said(api, telephony, flintshire):
    # 003 10.2(i): emails to a separate, monitored mailbox. Nobody is on the line, so `say` is
    # empty; `act` is what the gateway (or whoever opens the email) does with it.
    who = CustomerFactory(
        organisation=flintshire.organisation, full_name="Carys Hughes", email="carys@example.org"
    )
    restrict(who, MonitoredMailbox(mailbox="contact-team@flintshire.example"))
    body = _check(api, telephony, identifier="carys@example.org", channel="email", at=TUESDAY).json()
    assert (body["decision"], body["say"]) == ("redirect", "")
    assert "contact-team@flintshire.example" in body["act"]
    assert body["act"].startswith("Forward the email to the monitored mailbox")


def test_at_with_an_offset_sets_the_moment_checked(api, telephony, flintshire):
    who = CustomerFactory(organisation=flintshire.organisation, full_name="Owain Rees", phone="01352 700003")
    restrict(who, AllowedChannels((Channel.LETTER,)), starts_on=dt.date(2026, 3, 3))
    # 23:30 UTC on 2 March is still 2 March in Flintshire; 00:30+01:00 on 3 March is 23:30 UTC on 2 March.
    for at in ("2026-03-02T23:30:00Z", "2026-03-03T00:30:00+01:00", "2026-03-02T18:30:00-05:00"):
        assert (
            _check(api, telephony, identifier="01352 700003", channel="phone", at=at).json()["decision"]
            == "allow"
        )
    for at in ("2026-03-03T00:00:00Z", "2026-03-03T10:30:00.123456+00:00", "2026-03-03T12:00:00+01:00"):
        assert (
            _check(api, telephony, identifier="01352 700003", channel="phone", at=at).json()["decision"]
            == "redirect"
        )


def test_without_at_the_check_is_for_now(api, telephony, bryn):
    assert _check(api, telephony, identifier=BRYN_PHONE, channel="phone").status_code == 200
    check = ContactCheck.objects.get()
    assert abs((check.at - dt.datetime.now(dt.UTC)).total_seconds()) < 60


@pytest.mark.parametrize("channel", CHANNELS)
def test_every_channel_of_the_contract_is_answered(api, telephony, bryn, channel):
    body = _check(api, telephony, identifier=BRYN_PHONE, channel=channel, at=TUESDAY).json()
    assert set(body) == CONTRACT
    assert body["decision"] in {"allow", "allow_with_conditions", "redirect", "refuse"}
    assert ContactCheck.objects.get().channel == channel


# --- Unknown, and another organisation's ---------------------------------------------------------


def test_an_unknown_identifier_is_not_matched_and_allowed(api, telephony, bryn):
    body = _check(api, telephony, identifier="01352 799999", channel="phone", at=TUESDAY).json()
    assert body == {
        "matched": False,
        "customer": None,
        "decision": "allow",
        "act": "No contact arrangements apply: deal with this contact as usual.",
        "say": "",
        "measures": [],
        "check_id": body["check_id"],
    }
    assert uuid.UUID(body["check_id"])


@pytest.mark.parametrize("identifier", [BRYN_PHONE, "bryn@example.org", "C-000001"])
def test_highlands_token_asking_about_a_flintshire_customer_gets_unknown(
    api, telephony, highland_telephony, bryn, identifier
):
    assert bryn.reference == "C-000001"
    ours = _check(api, telephony, identifier=identifier, channel="phone", at=TUESDAY).json()
    assert ours["matched"] is True  # the same question from Flintshire does find Bryn
    theirs = _check(api, highland_telephony, identifier=identifier, channel="phone", at=TUESDAY)
    unknown = _check(api, highland_telephony, identifier="01352 799999", channel="phone", at=TUESDAY)
    assert theirs.status_code == unknown.status_code == 200
    body = theirs.json()
    assert body == {**unknown.json(), "check_id": body["check_id"]}
    assert (body["matched"], body["customer"], body["decision"]) == (False, None, "allow")
    # Recorded as Highland's check, matching nobody.
    recorded = ContactCheck.objects.get(pk=body["check_id"])
    assert recorded.customer_id is None
    assert recorded.organisation.slug == "highland"


# --- Every call is recorded like a page check --------------------------------------------------


def test_every_call_is_recorded_as_a_check_naming_the_account(api, telephony, bryn):
    # The ContactCheck row is the record of an integration's check: who (the account), when, the
    # channel, the answer and whom it matched. It is not copied into the audit log as well, where
    # a telephony system checking every call would bury what people did.
    before = AuditRecord.objects.count()
    ids = [
        _check(api, telephony, identifier=identifier, channel="phone", at=TUESDAY).json()["check_id"]
        for identifier in (BRYN_PHONE, "01352 799999", BRYN_PHONE)
    ]
    assert len(set(ids)) == 3
    checks = {str(c.pk): c for c in ContactCheck.objects.all()}
    assert set(checks) == set(ids)
    first = checks[ids[0]]
    assert first.checked_by_id is None  # no member of staff: a service account
    assert first.checked_by_label == "Service account: Telephony"
    assert first.organisation_id == bryn.organisation_id
    assert (first.customer_id, first.channel, first.decision) == (bryn.pk, "phone", "allow_with_conditions")
    assert first.at == dt.datetime(2026, 3, 3, 10, 30, tzinfo=dt.UTC)
    assert checks[ids[1]].customer_id is None
    assert AuditRecord.objects.count() == before


def test_a_refused_call_is_not_recorded(api, telephony, bryn):
    _check(api, None, identifier=BRYN_PHONE, channel="phone")
    _check(api, telephony, identifier=BRYN_PHONE, channel="fax")
    assert not ContactCheck.objects.exists()


# --- 400: each parameter named -----------------------------------------------------------------


def _errors(response):
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"detail", "errors"}
    for parameter, messages in body["errors"].items():
        assert all(m.startswith(parameter) for m in messages), messages
        assert all(m in body["detail"] for m in messages)
    return body["errors"]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"channel": "phone"}, "identifier"),
        ({"identifier": "", "channel": "phone"}, "identifier"),
        ({"identifier": "   ", "channel": "phone"}, "identifier"),
        ({"identifier": "Jones", "channel": "phone"}, "identifier"),  # a name needs a postcode
        ({"identifier": "x" * 401, "channel": "phone"}, "identifier"),
        ({"identifier": "nul\x00byte", "channel": "phone"}, "identifier"),
        ({"identifier": BRYN_PHONE}, "channel"),
        ({"identifier": BRYN_PHONE, "channel": ""}, "channel"),
        ({"identifier": BRYN_PHONE, "channel": "fax"}, "channel"),
        ({"identifier": BRYN_PHONE, "channel": "PHONE"}, "channel"),
        ({"identifier": BRYN_PHONE, "channel": "event"}, "channel"),  # not one of the contract's
        ({"identifier": BRYN_PHONE, "channel": "phone", "at": "2026-03-03T10:30:00"}, "at"),  # no offset
        ({"identifier": BRYN_PHONE, "channel": "phone", "at": "2026-03-03"}, "at"),
        ({"identifier": BRYN_PHONE, "channel": "phone", "at": "tomorrow"}, "at"),
        ({"identifier": BRYN_PHONE, "channel": "phone", "at": ""}, "at"),
        ({"identifier": BRYN_PHONE, "channel": "phone", "at": "2026-02-30T10:00:00Z"}, "at"),
        ({"identifier": BRYN_PHONE, "channel": "phone", "at": "0001-01-01T00:00:00+05:00"}, "at"),
    ],
)
def test_a_bad_parameter_is_400_with_a_message_naming_it(api, telephony, bryn, params, parameter):
    errors = _errors(api("get", CHECK, telephony, data=params))
    assert list(errors) == [parameter]


def test_the_messages_say_what_would_be_right(api, telephony):
    errors = _errors(_check(api, telephony, identifier=BRYN_PHONE, channel="fax", at="2026-03-03T10:30:00"))
    assert errors == {
        "channel": ["channel must be one of phone, email, letter, in_person, social_media, online_form."],
        "at": [
            "at must be an ISO 8601 date and time with a UTC offset, like 2026-11-24T10:30:00+00:00 "
            "or 2026-11-24T10:30:00Z."
        ],
    }


def test_a_query_string_too_long_to_be_a_check_is_400(api, telephony):
    params = {f"p{n}": "x" for n in range(1001)} | {"identifier": BRYN_PHONE, "channel": "phone"}
    response = api("get", CHECK, telephony, data=params)
    assert response.status_code == 400
    assert response.json()["errors"] == {"request": ["There are too many query parameters."]}


def test_the_last_of_a_repeated_parameter_counts_and_percent_escapes_are_read_as_utf8(api, telephony, bryn):
    body = api("get", CHECK + "?channel=fax&channel=phone&identifier=" + "01352%20702345", telephony).json()
    assert body["matched"] is True
    errors = _errors(api("get", CHECK + "?channel=phone&identifier=Si%C3%B4n%20Jones", telephony))
    assert "Siôn Jones CH7 6NF" in errors["identifier"][0]  # the name was read; it needs a postcode


def test_every_problem_is_named_at_once(api, telephony):
    errors = _errors(api("get", CHECK, telephony, data={"at": "soon"}))
    assert list(errors) == ["identifier", "channel", "at"]


# --- The hand-written GET answers as DRF does -----------------------------------------------------


def _headers(response):
    return {k: v for k, v in response.headers.items() if k not in ("Content-Length", "Expires", "Allow")}


@pytest.mark.parametrize(
    ("path", "token", "status"),
    [("/api/v1/customers", True, 200), (CHECK, False, 401), ("/api/v1/customers", False, 401)],
)
def test_the_check_answers_with_the_same_headers_as_every_other_endpoint(
    api, telephony, bryn, path, token, status
):
    # GET /contact-check is served by hand (the hot path, docs/benchmarks.md); the other endpoints
    # through DRF. Whoever calls cannot tell: the same security, caching and type headers.
    check = _check(api, telephony if token else None, identifier=BRYN_PHONE, channel="phone")
    other = api("get", path, telephony if token else None)
    assert (check.status_code, other.status_code) == (200 if token else 401, status)
    assert _headers(check) == _headers(other)
    assert check["Allow"] == "GET, HEAD, OPTIONS"
    assert check["Expires"]


def test_head_answers_like_get_without_a_body(api, telephony, bryn):
    head = api("head", CHECK, telephony, data={"identifier": BRYN_PHONE, "channel": "phone"})
    assert head.status_code == 200
    assert head.content == b""
    assert head["Content-Type"] == "application/json"


# --- 401, 403, 405 --------------------------------------------------------------------------------


def test_without_a_token_the_check_is_401_before_anything_else(api, telephony):
    response = api("get", CHECK, data={"channel": "fax"})  # bad parameters too: the token comes first
    assert response.status_code == 401
    assert set(response.json()) == {"detail"}


def test_the_check_is_read_only(api, telephony, crm):
    assert api("post", CHECK, telephony, data={}).status_code == 403  # a read-only token may not write
    response = api("post", CHECK, crm, data={})
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"


# --- Another organisation's objects do not exist -----------------------------------------------


ITEMS = ["customers", "incidents", "decisions", "reviews", "appeals", "letters"]
LISTS = [*ITEMS, "contact-events"]


@pytest.mark.parametrize("resource", ITEMS)
def test_another_organisations_object_is_404_exactly_like_a_missing_one(
    api, telephony, highland_telephony, flintshire_records, resource
):
    key = flintshire_records[resource]
    assert api("get", f"/api/v1/{resource}/{key}", telephony).status_code == 200
    theirs = api("get", f"/api/v1/{resource}/{key}", highland_telephony)
    missing_key = "C-999999" if isinstance(key, str) else 999_999
    missing = api("get", f"/api/v1/{resource}/{missing_key}", highland_telephony)
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json() == {"detail": "Not found."}
    assert theirs.headers.keys() == missing.headers.keys()


@pytest.mark.parametrize("resource", LISTS)
def test_another_organisations_lists_are_empty(
    api, telephony, highland_telephony, flintshire_records, resource
):
    assert len(api("get", f"/api/v1/{resource}", telephony).json()["results"]) == 1
    assert api("get", f"/api/v1/{resource}", highland_telephony).json() == {
        "next": None,
        "previous": None,
        "results": [],
    }


@pytest.mark.parametrize(
    ("resource", "param"),
    [
        ("customers", {"identifier": BRYN_PHONE}),
        ("incidents", {"customer": "C-000001"}),
        ("decisions", {"customer": "C-000001"}),
        ("contact-events", {"customer": "C-000001"}),
        ("letters", {"customer": "C-000001"}),
    ],
)
def test_another_organisations_customer_finds_nothing_by_filter(
    api, telephony, highland_telephony, flintshire_records, resource, param
):
    assert len(api("get", f"/api/v1/{resource}", telephony, data=param).json()["results"]) == 1
    assert api("get", f"/api/v1/{resource}", highland_telephony, data=param).json()["results"] == []


@pytest.mark.parametrize("resource", ["reviews", "appeals", "letters"])
def test_another_organisations_decision_finds_nothing_by_filter(
    api, telephony, highland_telephony, flintshire_records, resource
):
    param = {"decision": flintshire_records["decisions"]}
    assert len(api("get", f"/api/v1/{resource}", telephony, data=param).json()["results"]) == 1
    assert api("get", f"/api/v1/{resource}", highland_telephony, data=param).json()["results"] == []


def test_a_fault_in_engage_is_a_500_in_json_not_an_html_page(client, telephony, bryn, monkeypatch):
    # A fault nobody foresaw (here the database failing mid-check): the telephony system parses
    # JSON at every answer, so even this one is JSON, and says nothing of what went wrong inside.
    def failing(**kwargs):
        raise OSError("disk I/O error")

    monkeypatch.setattr("engage.api.views.contacts.contact_check", failing)
    client.raise_request_exception = False
    response = client.get(
        "/api/v1/contact-check", {"identifier": BRYN_PHONE, "channel": "phone"}, headers=telephony.auth
    )
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert set(response.json()) == {"detail"}
    assert "disk" not in response.json()["detail"]
