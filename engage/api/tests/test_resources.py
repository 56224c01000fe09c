"""The API's resources: what an integration sees of each (and what it never sees), keyset pages,
finding customers by identifier, and recording contact events."""

from __future__ import annotations

import datetime as dt

import pytest

from engage.audit.models import AuditRecord
from engage.contacts.models import ContactEvent, ContactTally
from engage.contacts.tests.stories import restrict
from engage.customers.services import customer_merge, identifier_add, identifier_end
from engage.customers.tests.factories import CustomerFactory
from engage.decisions.measures import AllowedChannels
from engage.decisions.models import Decision
from engage.incidents.models import Incident
from engage.letters.models import Letter
from engage.policy.vocabulary import Channel

from .conftest import BRYN_PHONE

AN_EVENT = {
    "identifier": BRYN_PHONE,
    "channel": "phone",
    "direction": "inbound",
    "started_at": "2026-03-03T10:30:00+00:00",
    "duration_seconds": 95,
    "service": "Council Tax",
    "handler": "Ffion Hughes",
}


# --- What each resource shows ------------------------------------------------------------------


def test_a_customer_comes_with_their_identifiers_and_nothing_more(api, telephony, flintshire, bryn):
    body = api("get", f"/api/v1/customers/{bryn.reference}", telephony).json()
    assert set(body) == {
        "reference",
        "kind",
        "full_name",
        "display_name",
        "merged_into",
        "created_at",
        "identifiers",
    }
    assert (body["reference"], body["full_name"], body["merged_into"]) == (
        bryn.reference,
        "Bryn Jenkins",
        None,
    )
    phone = next(i for i in body["identifiers"] if i["kind"] == "phone")
    assert phone == {
        "kind": "phone",
        "value": "+441352702345",
        "display": BRYN_PHONE,
        "platform": "",
        "current": True,
        "valid_from": phone["valid_from"],
        "valid_to": None,
    }


def test_an_old_number_is_shown_as_no_longer_current(api, telephony, flintshire, bryn):
    identifier_end(actor=flintshire.dafydd, identifier=bryn.identifiers.get(kind="phone"))
    body = api("get", f"/api/v1/customers/{bryn.reference}", telephony).json()
    phone = next(i for i in body["identifiers"] if i["kind"] == "phone")
    assert phone["current"] is False
    assert phone["valid_to"] is not None


def test_customers_are_found_by_any_identifier_in_any_format(api, telephony, flintshire, bryn):
    CustomerFactory(organisation=flintshire.organisation, full_name="Someone Else", phone="01352 700009")
    for raw in ("+44 1352 702345", "(01352) 702-345", "BRYN@example.org", bryn.reference):
        results = api("get", "/api/v1/customers", telephony, data={"identifier": raw}).json()["results"]
        assert [c["reference"] for c in results] == [bryn.reference], raw
    assert (
        api("get", "/api/v1/customers", telephony, data={"identifier": "01352 799999"}).json()["results"]
        == []
    )
    assert len(api("get", "/api/v1/customers", telephony).json()["results"]) == 2


def test_a_merged_record_points_to_the_one_it_became(api, telephony, flintshire, bryn):
    duplicate = CustomerFactory(
        organisation=flintshire.organisation, full_name="B. Jenkins", phone="01352 700010"
    )
    customer_merge(actor=flintshire.sian, keep=bryn, merge=duplicate)
    assert (
        api("get", f"/api/v1/customers/{duplicate.reference}", telephony).json()["merged_into"]
        == bryn.reference
    )
    listed = [c["reference"] for c in api("get", "/api/v1/customers", telephony).json()["results"]]
    assert listed == [bryn.reference]
    # Its old number finds the surviving record.
    found = api("get", "/api/v1/customers", telephony, data={"identifier": "01352 700010"}).json()["results"]
    assert [c["reference"] for c in found] == [bryn.reference]


def test_an_incident_shows_no_account_and_no_staff(api, telephony, flintshire_records):
    body = api("get", f"/api/v1/incidents/{flintshire_records['incidents']}", telephony).json()
    assert body == {
        "reference": "INC-2026-00001",
        "status": "submitted",
        "customer": "C-000001",
        "occurred_at": None,
        "submitted_at": "2026-03-03T10:45:00Z",
        "channel": "phone",
        "service": "",
        "categories": [],
    }
    text = api("get", "/api/v1/incidents", telephony).content.decode()
    assert "shouted" not in text
    assert "Ffion" not in text


def test_drafts_are_nobodys_business_but_their_reporters(api, telephony, flintshire, flintshire_records):
    Incident.objects.create(
        organisation=flintshire.organisation,
        reference="INC-2026-00002",
        status=Incident.Status.DRAFT,
        reporter=flintshire.ffion,
    )
    listed = [i["reference"] for i in api("get", "/api/v1/incidents", telephony).json()["results"]]
    assert listed == ["INC-2026-00001"]
    assert api("get", "/api/v1/incidents/INC-2026-00002", telephony).status_code == 404


def test_a_decision_shows_its_measures_and_dates_but_not_its_reasons(api, telephony, flintshire_records):
    body = api("get", f"/api/v1/decisions/{flintshire_records['decisions']}", telephony).json()
    assert set(body) == {
        "id",
        "case",
        "customer",
        "type",
        "status",
        "decided_on",
        "starts_on",
        "until",
        "review_on",
        "ended_on",
        "end_reason",
        "measures",
    }
    assert (body["type"], body["status"], body["customer"], body["end_reason"]) == (
        "active_management",
        "in_force",
        "C-000001",
        None,
    )
    assert [m["type"] for m in body["measures"]] == ["single_point_of_contact", "no_staff_details"]
    assert set(body["measures"][0]) == {"id", "type", "summary", "starts_on", "until"}
    assert "Recorded for the contact check" not in str(body)  # the decision's reasons


def test_a_measures_until_is_its_last_day(api, telephony, flintshire):
    who = CustomerFactory(organisation=flintshire.organisation, full_name="Dewi Lloyd", phone="01352 700002")
    decision = restrict(
        who, AllowedChannels((Channel.LETTER,)), starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 4, 1)
    )
    body = api("get", f"/api/v1/decisions/{decision.pk}", telephony).json()
    assert body["until"] == "2026-03-31"
    assert body["measures"][0]["until"] == "2026-03-31"
    assert body["measures"][0]["summary"] == "Contact only by letter."


@pytest.mark.parametrize(
    "status", [Decision.Status.PROPOSED, Decision.Status.AWAITING_APPROVAL, Decision.Status.REFUSED]
)
def test_decisions_that_never_took_effect_are_not_shown(api, telephony, flintshire, status):
    who = CustomerFactory(organisation=flintshire.organisation, full_name="Dewi Lloyd", phone="01352 700002")
    decision = restrict(who, AllowedChannels((Channel.LETTER,)), status=status)
    assert api("get", "/api/v1/decisions", telephony).json()["results"] == []
    assert api("get", f"/api/v1/decisions/{decision.pk}", telephony).status_code == 404


def test_reviews_and_appeals_show_dates_and_outcomes_only(api, telephony, flintshire_records):
    review = api("get", f"/api/v1/reviews/{flintshire_records['reviews']}", telephony).json()
    assert review == {
        "id": flintshire_records["reviews"],
        "decision": flintshire_records["decisions"],
        "due_on": "2026-09-01",
        "outcome": None,
        "reviewed_on": None,
    }
    appeal = api("get", f"/api/v1/appeals/{flintshire_records['appeals']}", telephony).json()
    assert appeal == {
        "id": flintshire_records["appeals"],
        "decision": flintshire_records["decisions"],
        "status": "awaiting_decision",
        "received_on": "2026-01-10",
        "deadline": None,
        "in_time": True,
        "internal": True,
        "outcome": None,
        "decided_on": None,
    }


def test_a_letter_is_its_metadata_never_its_text(api, telephony, flintshire_records):
    from engage.decisions.models import Decision

    # The story names the case after the customer's key, which PostgreSQL does not reset between tests.
    case = Decision.objects.get(pk=flintshire_records["decisions"]).case.reference
    body = api("get", f"/api/v1/letters/{flintshire_records['letters']}", telephony).json()
    assert body == {
        "id": flintshire_records["letters"],
        "reference": f"{case}/L1",
        "case": case,
        "customer": "C-000001",
        "decision": flintshire_records["decisions"],
        "review": None,
        "appeal": None,
        "kind": "decision",
        "layout": "en",
        "status": "issued",
        "issued_on": "2025-01-02",
        "method": "post",
        "posted_on": "2025-01-02",
        "deemed_received_on": None,
        "appeal_deadline": None,
    }
    assert "shouted" not in api("get", "/api/v1/letters", telephony).content.decode()


@pytest.mark.parametrize("status", [Letter.Status.DRAFT, Letter.Status.AWAITING_CHECK, Letter.Status.CHECKED])
def test_a_letter_not_yet_sent_is_not_shown(api, telephony, flintshire, flintshire_records, status):
    Letter.objects.filter(pk=flintshire_records["letters"]).update(status=status)
    assert api("get", "/api/v1/letters", telephony).json()["results"] == []
    assert api("get", f"/api/v1/letters/{flintshire_records['letters']}", telephony).status_code == 404


def test_a_letter_recorded_as_not_sent_is_shown_as_such(api, telephony, flintshire_records):
    Letter.objects.filter(pk=flintshire_records["letters"]).update(
        status=Letter.Status.NOT_SENT, method="", issued_on=None, posted_on=None
    )
    body = api("get", "/api/v1/letters", telephony, data={"decision": flintshire_records["decisions"]}).json()
    assert [(letter["status"], letter["method"]) for letter in body["results"]] == [("not_sent", None)]


# --- Pages --------------------------------------------------------------------------------------


def test_lists_come_in_keyset_pages(api, telephony, flintshire):
    for n in range(5):
        CustomerFactory(
            organisation=flintshire.organisation, full_name=f"Person {n}", phone=f"01352 70010{n}"
        )
    first = api("get", "/api/v1/customers", telephony, data={"page_size": 2}).json()
    assert [c["full_name"] for c in first["results"]] == ["Person 0", "Person 1"]
    assert first["previous"] is None
    second = api("get", first["next"], telephony).json()
    assert [c["full_name"] for c in second["results"]] == ["Person 2", "Person 3"]
    third = api("get", second["next"], telephony).json()
    assert [c["full_name"] for c in third["results"]] == ["Person 4"]
    assert third["next"] is None
    back = api("get", third["previous"], telephony).json()
    assert [c["full_name"] for c in back["results"]] == ["Person 2", "Person 3"]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"cursor": "cD1hYmM="}, "cursor"),  # base64 of "p=abc": a position that is no id
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "201"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"customer": ""}, "customer"),
        ({"customer": "C-" + "0" * 40}, "customer"),
    ],
)
def test_a_bad_page_or_filter_is_400_naming_it(api, telephony, params, parameter):
    response = api("get", "/api/v1/incidents", telephony, data=params)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [parameter]
    assert response.json()["detail"].startswith(parameter)


@pytest.mark.parametrize("value", ["0", "-1", "one", "99999999999999999999"])
def test_a_bad_decision_filter_is_400(api, telephony, value):
    response = api("get", "/api/v1/reviews", telephony, data={"decision": value})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["decision"]


def test_anything_else_under_the_api_is_a_json_404(api, telephony):
    for path in ("/api/v1/", "/api/v1/customers/", "/api/v1/measures", "/api/v1/customers/C-1/x"):
        response = api("get", path, telephony)
        assert response.status_code == 404, path
        assert response.json() == {"detail": "Not found."}


# --- Contact events -----------------------------------------------------------------------------


def test_the_crm_records_a_call_from_bryn_once(api, crm, bryn):
    with_audit = AuditRecord.objects.filter(action="contact_event.record")
    response = api("post", "/api/v1/contact-events", crm, data=AN_EVENT)
    assert response.status_code == 201
    assert response.json() == {"outcome": "stored"}
    event = ContactEvent.objects.get()
    assert (event.customer, event.channel, event.direction, event.duration_seconds, event.service) == (
        bryn,
        "phone",
        "inbound",
        95,
        "Council Tax",
    )
    assert event.started_at == dt.datetime(2026, 3, 3, 10, 30, tzinfo=dt.UTC)
    assert with_audit.get().actor_label == "Service account: CRM"
    again = api("post", "/api/v1/contact-events", crm, data=AN_EVENT)
    assert again.status_code == 200
    assert again.json() == {"outcome": "duplicate"}
    assert ContactEvent.objects.count() == 1
    listed = api("get", "/api/v1/contact-events", crm).json()["results"]
    assert listed == [
        {
            "id": event.pk,
            "customer": bryn.reference,
            "channel": "phone",
            "direction": "inbound",
            "started_at": "2026-03-03T10:30:00Z",
            "duration_seconds": 95,
            "service": "Council Tax",
        }
    ]


def test_an_event_from_nobody_known_is_only_counted(api, crm, bryn):
    response = api("post", "/api/v1/contact-events", crm, data={**AN_EVENT, "identifier": "01352 799999"})
    assert (response.status_code, response.json()) == (201, {"outcome": "unmatched"})
    assert not ContactEvent.objects.exists()
    assert ContactTally.objects.get().count == 1


def test_an_event_about_another_organisations_customer_is_not_theirs(api, highland_telephony, bryn):
    response = api("post", "/api/v1/contact-events", highland_telephony, data=AN_EVENT)
    assert response.json() == {"outcome": "unmatched"}
    assert not ContactEvent.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"channel": "fax"}, "channel"),
        ({"direction": "sideways"}, "direction"),
        ({"started_at": "yesterday"}, "started_at"),
        ({"started_at": "2999-01-01T00:00:00Z"}, "started_at"),  # in the future: the importer's rule
        ({"duration_seconds": -1}, "duration_seconds"),
        ({"duration_seconds": "95"}, "duration_seconds"),
        ({"service": 12}, "service"),
        ({"identifier": None}, "identifier"),
        ({"identifier_kind": "postcode"}, "identifier_kind"),
    ],
)
def test_a_bad_event_is_400_naming_the_field(api, crm, bryn, change, field):
    response = api("post", "/api/v1/contact-events", crm, data={**AN_EVENT, **change})
    assert response.status_code == 400
    body = response.json()
    assert list(body["errors"]) == [field]
    assert body["errors"][field][0].startswith(field)
    assert not ContactEvent.objects.exists()


@pytest.mark.parametrize("body", ["not json", "[]", '"a string"'])
def test_a_body_that_is_not_a_json_object_is_400(client, crm, body):
    response = client.post("/api/v1/contact-events", body, content_type="application/json", headers=crm.auth)
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "errors"}
    assert list(response.json()["errors"]) == ["request"]


def test_a_changed_number_still_records_against_the_customer(api, crm, flintshire, bryn):
    identifier_add(actor=flintshire.dafydd, customer=bryn, kind="phone", raw="01352 700555")
    response = api("post", "/api/v1/contact-events", crm, data={**AN_EVENT, "identifier": "+441352700555"})
    assert response.json() == {"outcome": "stored"}
    assert ContactEvent.objects.get().customer == bryn
