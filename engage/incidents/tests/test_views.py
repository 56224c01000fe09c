"""Incident pages: the question pages keep what was typed, reviews show refusals, outsiders get 404."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from engage.audit.services import audit_source
from engage.incidents.models import Incident, Witness
from engage.incidents.tests.helpers import draft, logged
from engage.incidents.views import STEPS
from tests.personas import PASSWORD


def _as(client, username):
    client.login(username=username, password=PASSWORD)
    return client


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _every_url(incident) -> list[str]:
    pk = incident.pk
    urls = [
        reverse(f"incidents:{name}", args=[pk])
        for name in ("detail", "check", "logged", "review", "police", "witness")
    ]
    return urls + [reverse("incidents:step", args=[pk, s.slug]) for s in STEPS]


def test_a_member_of_another_organisation_gets_not_found_on_every_url(client, flintshire, highland):
    submitted = logged(
        flintshire.ffion, staff={"staff_affected": [flintshire.ffion], "witnesses": [flintshire.rhodri]}
    )
    unfinished = draft(flintshire.ffion)
    _as(client, "morag")
    for incident in (submitted, unfinished):
        for url in _every_url(incident):
            assert client.get(url).status_code == 404, url
            assert (
                client.post(url, {"account": "x", "outcome": "no_further_action", "reason": "x"}).status_code
                == 404
            ), url
    assert "INC-" not in client.get(reverse("incidents:queue")).content.decode()
    assert "INC-" not in client.get(reverse("incidents:index")).content.decode()


def test_colleagues_without_a_need_to_know_get_not_found_too(client, flintshire):
    incident = logged(flintshire.ffion)
    _as(client, "gwen")  # the appeal officer has no part in an incident review
    for url in _every_url(incident):
        assert client.get(url).status_code == 404, url
    client.logout()
    _as(client, "dafydd")
    assert client.get(reverse("incidents:step", args=[incident.pk, "when"])).status_code == 404


def test_ffion_logs_an_incident_one_question_at_a_time(client, flintshire):
    _as(client, "ffion")
    response = client.post(reverse("incidents:new"))
    incident = Incident.objects.get(reporter=flintshire.ffion)
    assert response.url == reverse("incidents:step", args=[incident.pk, "when"])
    answers = {
        "when": {"day": "3", "month": "2", "year": "2026", "time": "14:05"},
        "where": {"location": "", "service": "Council tax"},
        "channel": {"channel": "phone"},
        "person": {"identifier": "", "person_description": "Gave the name D'Arcy"},
        "account": {"account": "He swore at me repeatedly. I warned him once, then ended the call."},
        "categories": {"categories": ["aggressive_abusive"]},
        "staff": {"staff_affected": [flintshire.ffion.pk], "witnesses": [flintshire.rhodri.pk]},
        "action": {"immediate_actions": ["call_ended"], "warning_given_first": "yes"},
        "recording": {"recording_said": "no"},
        "named": {"staff_named_publicly": "no"},
        "support": {"support_wanted": "yes", "time_away_wanted": "no"},
    }
    slugs = [s.slug for s in STEPS if s.slug != "portal"]  # Flintshire names no portal
    assert slugs == list(answers)
    for number, slug in enumerate(slugs):
        url = reverse("incidents:step", args=[incident.pk, slug])
        page = client.get(url)
        assert page.status_code == 200
        assert f"question {number + 1} of {len(slugs)}" in _text(page)
        response = client.post(url, answers[slug])
        assert response.status_code == 302, (slug, response.context and response.context["form"].errors)
        following = slugs[number + 1] if number + 1 < len(slugs) else None
        expected = (
            reverse("incidents:step", args=[incident.pk, following])
            if following
            else reverse("incidents:check", args=[incident.pk])
        )
        assert response.url == expected
    check = _text(client.get(reverse("incidents:check", args=[incident.pk])))
    assert "3 February 2026 at 14:05" in check
    assert "Gave the name D'Arcy" in check
    assert "It will go to Dafydd Roberts, your line manager, to review." in check
    response = client.post(reverse("incidents:check", args=[incident.pk]))
    assert response.url == reverse("incidents:logged", args=[incident.pk])
    done = _text(client.get(response.url))
    assert "Incident logged" in done
    assert "We have sent your incident to Dafydd Roberts, your line manager." in done
    assert "Rhodri ap Huw" in done  # asked for their own account
    incident.refresh_from_db()
    assert (incident.status, incident.routed_to) == (Incident.Status.SUBMITTED, flintshire.dafydd)


def test_a_half_filled_date_keeps_what_was_typed_and_says_which_part_is_wrong(client, flintshire):
    incident = draft(flintshire.ffion, skip=("when",))
    _as(client, "ffion")
    url = reverse("incidents:step", args=[incident.pk, "when"])
    response = client.post(url, {"day": "31", "month": "", "year": "2026", "time": "25:00"})
    assert response.status_code == 200
    page = _text(response)
    assert page.count("The date it happened must include a month") == 2  # summary and field
    assert "Enter the time in the 24-hour format, like 14:30" in page
    assert 'value="31"' in page
    assert 'value="2026"' in page
    assert 'value="25:00"' in page
    assert "<title>Error: When did it happen?" in page
    response = client.post(url, {"day": "30", "month": "2", "year": "2026", "time": "09:00"})
    assert "The date it happened must be a real date" in _text(response)
    incident.refresh_from_db()
    assert incident.occurred_at is None


@pytest.mark.parametrize(
    "name", ["Siôn Ó Dónaill-Ŵyn", "D'Arcy", "Mòrag Nic a' Phearsain", "Llŷr ap Iorwerth"]
)
def test_names_are_kept_exactly_when_the_page_comes_back_with_an_error(client, flintshire, name):
    incident = draft(flintshire.ffion, skip=("person",))
    _as(client, "ffion")
    url = reverse("incidents:step", args=[incident.pk, "person"])
    response = client.post(url, {"identifier": "07700 900123", "person_description": f"Gave the name {name}"})
    assert response.status_code == 200
    assert response.context["form"]["person_description"].value() == f"Gave the name {name}"
    assert "No customer was found with this identifier" in _text(response)
    assert f"Gave the name {name}" in _text(response)
    response = client.post(url, {"identifier": "", "person_description": f"Gave the name {name}"})
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.person_description == f"Gave the name {name}"


def test_the_categories_page_shows_each_definition(client, flintshire):
    incident = draft(flintshire.ffion)
    _as(client, "ffion")
    page = _text(client.get(reverse("incidents:step", args=[incident.pk, "categories"])))
    assert (
        "Threats of physical violence or harassment to any person: unacceptable and always reported" in page
    )
    assert "Swearing, abusive language or over-bearing behaviour" in page


def test_sending_an_incomplete_incident_lists_each_missing_answer(client, flintshire):
    incident = draft(flintshire.ffion, skip=("account", "recording"))
    _as(client, "ffion")
    response = client.post(reverse("incidents:check", args=[incident.pk]))
    assert response.status_code == 200
    page = _text(response)
    assert "<title>Error: " in page
    assert "Describe what happened, in your own words" in page
    assert "Select whether the person said they were recording or live-streaming" in page
    assert reverse("incidents:step", args=[incident.pk, "account"]) + "?change=1" in page


def test_changing_an_answer_goes_back_to_check_your_answers(client, flintshire):
    incident = draft(flintshire.ffion)
    _as(client, "ffion")
    url = reverse("incidents:step", args=[incident.pk, "channel"]) + "?change=1"
    response = client.post(url, {"channel": "in_person"})
    assert response.url == reverse("incidents:check", args=[incident.pk])


def test_dafydd_sees_his_queue_and_the_refused_options_with_their_clause(client, flintshire):
    incident = logged(flintshire.ffion)
    _as(client, "dafydd")
    home = _text(client.get("/"))
    assert f"Review incident {incident.reference}" in home
    queue = _text(client.get(reverse("incidents:queue")))
    assert incident.reference in queue
    assert "today" in queue
    page = _text(client.get(reverse("incidents:review", args=[incident.pk])))
    assert "Warning (with a copy of this policy where necessary)" in page
    assert "Refer to Chief Officer for guidance" in page
    assert "(004: Decision matrix)" in page
    response = client.post(
        reverse("incidents:review", args=[incident.pk]), {"outcome": "referral", "reason": "x"}
    )
    assert response.status_code == 200  # not a radio he may choose
    response = client.post(
        reverse("incidents:review", args=[incident.pk]),
        {"outcome": "warning", "reason": "Swore repeatedly at Ffion."},
    )
    assert response.url == reverse("incidents:detail", args=[incident.pk])
    detail = _text(client.get(response.url))
    assert "Swore repeatedly at Ffion." in detail


def test_a_threat_of_violence_offers_no_way_to_mark_it_not_reported(client, flintshire):
    incident = logged(flintshire.ffion, categories={"categories": ["threats_of_violence"]})
    _as(client, "sian")
    url = reverse("incidents:police", args=[incident.pk])
    page = _text(client.get(url))
    assert "No, it will not be reported" not in page
    assert "always reported to the police" in page
    response = client.post(url, {"reported": "no", "reason_not_reported": "x", "staff_view": "y"})
    assert response.status_code == 200
    assert "(004: Aggressive, abusive or offensive behaviour)" in _text(response)
    assert not incident.police_decisions.exists()
    response = client.post(url, {"reported": "yes", "reference": "NWP-26-0042"})
    assert response.status_code == 302
    assert incident.police_decisions.get().reference == "NWP-26-0042"


def test_sian_records_a_decision_not_to_report(client, flintshire):
    incident = logged(flintshire.ffion)
    _as(client, "sian")
    url = reverse("incidents:police", args=[incident.pk])
    response = client.post(url, {"reported": "no"})
    page = _text(response)
    assert "Enter why the incident is not being reported to the police" in page
    assert "Enter the view of the staff involved" in page
    response = client.post(
        url,
        {"reported": "no", "reason_not_reported": "No threat; verbal abuse.", "staff_view": "Ffion agrees."},
    )
    assert response.status_code == 302
    decision = incident.police_decisions.get()
    assert (decision.reported, decision.staff_view) == (False, "Ffion agrees.")


def test_a_witness_adds_an_account_from_your_work(client, flintshire):
    incident = logged(
        flintshire.ffion, staff={"staff_affected": [flintshire.ffion], "witnesses": [flintshire.rhodri]}
    )
    _as(client, "rhodri")
    home = _text(client.get("/"))
    assert f"Add your witness account for incident {incident.reference}" in home
    url = reverse("incidents:witness", args=[incident.pk])
    page = _text(client.get(url))
    assert incident.account not in page  # a witness writes their own account, unprompted
    response = client.post(url, {"account": ""})
    assert "Describe what you saw or heard" in _text(response)
    response = client.post(url, {"account": "I heard him shouting at Ffion from my desk."})
    assert response.status_code == 302
    assert Witness.objects.get(incident=incident).account == "I heard him shouting at Ffion from my desk."


def _customer(org, actor, name, phone):
    from engage.customers.services import NewIdentifier, customer_create

    with audit_source("test setup"):
        return customer_create(
            actor=actor,
            organisation=org,
            full_name=name,
            identifiers=[NewIdentifier(kind="phone", raw=phone)],
        )


def test_ffion_links_the_customer_by_phone_number_and_dafydd_sees_their_needs(client, flintshire):
    from engage.customers.services import need_record

    customer = _customer(flintshire.organisation, flintshire.dafydd, "Siôn Ó Dónaill-Ŵyn", "01352 702000")
    with audit_source("test setup"):
        need_record(actor=flintshire.dafydd, customer=customer, description="Prefers letters in Welsh")
    incident = draft(flintshire.ffion, skip=("person",))
    _as(client, "ffion")
    url = reverse("incidents:step", args=[incident.pk, "person"])
    response = client.post(url, {"identifier": "+44 1352 702000", "person_description": ""})
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.customer == customer
    assert "This incident is linked to Siôn Ó Dónaill-Ŵyn" in _text(client.get(url))
    client.post(reverse("incidents:check", args=[incident.pk]))
    client.logout()
    _as(client, "dafydd")
    page = _text(client.get(reverse("incidents:review", args=[incident.pk])))
    assert "Siôn Ó Dónaill-Ŵyn" in page
    assert "Prefers letters in Welsh" in page
    assert reverse("customers:detail", args=[customer.pk]) in page


def test_another_organisations_customer_is_not_found_by_number(client, flintshire, highland):
    _customer(highland.organisation, highland.morag, "Mòrag Nic a' Phearsain", "01463 702000")
    incident = draft(flintshire.ffion, skip=("person",))
    _as(client, "ffion")
    url = reverse("incidents:step", args=[incident.pk, "person"])
    response = client.post(url, {"identifier": "01463 702000", "person_description": ""})
    assert "No customer was found with this identifier" in _text(response)
    incident.refresh_from_db()
    assert incident.customer is None
