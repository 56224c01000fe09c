"""Case pages through the test client: who sees what, and the forms reaching the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from engage.decisions.models import Appeal, Decision
from engage.decisions.services import MeasureInput, case_open, decision_make
from engage.decisions.tests.stories import customer, incident


def _date(prefix: str, d: dt.date) -> dict[str, str]:
    return {f"{prefix}_day": str(d.day), f"{prefix}_month": str(d.month), f"{prefix}_year": str(d.year)}


@pytest.fixture
def bryn(flintshire):
    today = timezone.localdate()
    who = customer(flintshire.organisation, "Bryn Jenkins")
    call = incident(
        flintshire.organisation,
        who,
        flintshire.ffion,
        on=today - dt.timedelta(days=1),
        categories=["aggressive_abusive"],
        actions=["call_ended"],
        warned=True,
    )
    return case_open(actor=flintshire.dafydd, customer=who), call


def _formal(flintshire, case, call):
    today = timezone.localdate()
    return decision_make(
        actor=flintshire.sian,
        case=case,
        type="active_management",
        reasons="Abuse continued.",
        incidents=[call],
        why_not_less_restrictive="Warning ignored.",
        considerations="None known.",
        advocacy_offered=False,
        warning_given_on=today - dt.timedelta(days=1),
        review_on=today + dt.timedelta(days=90),
        measures=[MeasureInput("call_times", {"days": ["tue"], "start": "10:00", "end": "12:00"})],
    )


def test_ffion_sees_the_marker_but_not_the_history(client, flintshire, bryn):
    case, call = bryn
    _formal(flintshire, case, call)
    client.force_login(flintshire.ffion)
    page = client.get(reverse("decisions:case", args=[case.pk])).content.decode()
    assert "Phone calls only on Tuesdays, 10:00–12:00." in page
    assert "seen only by those who need to know" in page
    assert "Abuse continued" not in page
    assert "Make a decision" not in page
    assert client.get(reverse("decisions:decision", args=[case.decisions.get().pk])).status_code == 403


def test_sian_sees_the_timeline(client, flintshire, bryn):
    case, call = bryn
    _formal(flintshire, case, call)
    client.force_login(flintshire.sian)
    page = client.get(reverse("decisions:case", args=[case.pk])).content.decode()
    assert call.reference in page
    assert "Active management by Siân Ellis-Jones" in page


def test_another_organisation_gets_not_found(client, flintshire, highland, bryn):
    case, call = bryn
    decision = _formal(flintshire, case, call)
    client.force_login(highland.morag)
    assert client.get(reverse("decisions:case", args=[case.pk])).status_code == 404
    assert client.get(reverse("decisions:decision", args=[decision.pk])).status_code == 404
    assert client.get(reverse("decisions:for_customer", args=[case.customer_id])).status_code == 404


def test_the_choice_of_decision_says_why_the_others_are_closed(client, flintshire, bryn):
    case, _call = bryn
    client.force_login(flintshire.dafydd)
    page = client.get(reverse("decisions:choose", args=[case.pk])).content.decode()
    assert "Restrict contact for one day" in page  # a radio
    assert 'data-testid="refused-active_management"' in page
    assert "may decide on active management (004: Formal decision to manage contact)." in page


def test_dafydd_restricts_calls_for_a_day_through_the_form(client, flintshire, bryn):
    case, call = bryn
    today = timezone.localdate()
    client.force_login(flintshire.dafydd)
    url = reverse("decisions:decide", args=[case.pk, "short_restriction"])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "incidents": [call.pk],
            "reasons": "Rang back and swore again.",
            "why_not_less_restrictive": "The warning on the call was ignored.",
            "considerations": "None known.",
            "restricted_channel": "phone",
            **_date("ends_on", today + dt.timedelta(days=1)),
        },
    )
    decision = Decision.objects.get(case=case)
    assert response.status_code == 302
    assert response["Location"] == reverse("decisions:decision", args=[decision.pk])
    assert decision.ends_on == today + dt.timedelta(days=1)


def test_errors_come_back_to_their_fields(client, flintshire, bryn):
    case, call = bryn
    client.force_login(flintshire.sian)
    url = reverse("decisions:decide", args=[case.pk, "active_management"])
    page = client.post(
        url,
        {
            "incidents": [call.pk],
            "reasons": "x",
            "why_not_less_restrictive": "y",
            "considerations": "z",
            "advocacy_offered": "no",
            "warning_basis": "exemption:immediate_threat",
            "measures": ["call_times"],
            "call_times__days": ["tue"],
            "call_times__start": "10:00",
            **_date("review_on", timezone.localdate() + dt.timedelta(days=400)),
        },
    ).content.decode()
    assert "There is a problem" in page
    assert 'href="#id_call_times__end"' in page
    assert 'href="#id_review_on_day"' in page
    assert "6 months after the decision (004: Reviewing decisions)" in page


def test_an_appeal_is_recorded_and_decided_through_the_pages(client, flintshire, bryn):
    case, call = bryn
    decision = _formal(flintshire, case, call)
    client.force_login(flintshire.sian)
    page = client.get(reverse("decisions:appeal_receive", args=[decision.pk])).content.decode()
    assert "heard by the Chief Officer Governance (004: Appealing a decision)" in page
    response = client.post(
        reverse("decisions:appeal_receive", args=[decision.pk]),
        {
            "grounds": ["disproportionate"],
            "about_restriction_only": "on",
            **_date("received_on", timezone.localdate()),
        },
    )
    appeal = Appeal.objects.get()
    assert response["Location"] == reverse("decisions:appeal", args=[appeal.pk])
    assert "Decide the appeal" not in client.get(response["Location"]).content.decode()
    client.force_login(flintshire.gwen)
    client.post(response["Location"], {"outcome": "upheld", "reasons": "Proportionate."})
    appeal.refresh_from_db()
    assert (appeal.outcome, appeal.decided_by) == ("upheld", flintshire.gwen)


def test_your_work_lists_sharing_not_done(client, flintshire, bryn):
    case, call = bryn
    _formal(flintshire, case, call)
    client.force_login(flintshire.sian)
    from engage.decisions.work import tasks_for

    group = tasks_for(flintshire.sian)
    assert [t.label for t in group.tasks] == [
        "Record who was told about the decision on Bryn Jenkins: All employees taking frontline calls"
    ]


def test_every_page_of_a_case_renders_for_those_who_use_it(client, flintshire, bryn):
    from engage.decisions.services import periodic_review_open
    from engage.decisions.tests.stories import add_chief_officer

    case, call = bryn
    decision = _formal(flintshire, case, call)
    carys = add_chief_officer(flintshire)
    referral = decision_make(
        actor=flintshire.sian,
        case=case,
        type="referral",
        reasons="Advice wanted.",
        incidents=[call],
        considerations="None known.",
        referral_to=carys,
    )
    periodic_review_open(actor=flintshire.sian, organisation=flintshire.organisation)
    client.force_login(flintshire.sian)
    pages = [
        reverse("decisions:list"),
        reverse("decisions:periodic"),
        reverse("decisions:decision", args=[decision.pk]),
        reverse("decisions:decision", args=[referral.pk]),
        reverse("decisions:review", args=[decision.reviews.get().pk]),
        reverse("decisions:lift", args=[decision.pk]),
        reverse("decisions:sharing", args=[decision.sharing.get().pk]),
        reverse("decisions:decide", args=[case.pk, "referral"]),
        reverse("decisions:decide", args=[case.pk, "warning"]),
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url
    client.force_login(carys)
    page = client.get(reverse("decisions:decision", args=[referral.pk])).content.decode()
    assert "Give your advice" in page
    response = client.post(
        reverse("decisions:advice", args=[referral.pk]), {"advice": "Tuesday mornings only."}
    )
    assert response.status_code == 302
    client.force_login(flintshire.sian)
    response = client.post(
        reverse("decisions:lift", args=[decision.pk]), {"reasons": "No incidents for three months."}
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == "ended"


def test_an_approval_waits_on_the_group_page(client, borders):
    from engage.decisions.tests.stories import customer as new_customer

    who = new_customer(borders.organisation, "Grant Tait")
    threat = incident(
        borders.organisation,
        who,
        borders.kirsty,
        on=timezone.localdate() - dt.timedelta(days=1),
        categories=["threatened_violence"],
        channel="in_person",
    )
    case = case_open(actor=borders.callum, customer=who)
    decision = decision_make(
        actor=borders.morag,
        case=case,
        type="active_management",
        reasons="Threats.",
        incidents=[threat],
        why_not_less_restrictive="x",
        considerations="y",
        warning_exemption="staff_harm",
        review_on=timezone.localdate() + dt.timedelta(days=60),
        measures=[MeasureInput("premises_ban", {"premises": "Galashiels library"})],
    )
    client.force_login(borders.iona)
    url = reverse("decisions:approve", args=[decision.pk])
    page = client.get(url).content.decode()
    assert "The Complaints Review Group" in page
    client.post(
        url,
        {
            "approve": "yes",
            "as_group": "complaints_review_group",
            "members_present": [borders.ruaridh.pk, borders.fiona.pk],
        },
    )
    decision.refresh_from_db()
    assert decision.status == "in_force"
    assert decision.approved_as == "complaints_review_group"


def test_dafydd_proposes_active_management_and_sian_finds_it_in_her_work(client, flintshire, bryn):
    """004 "Decision matrix": a Team Leader refers formal management to the CCSM; the choice of
    decision offers the proposal where it says the decision is closed to him."""
    case, call = bryn
    client.force_login(flintshire.dafydd)
    choose = client.get(reverse("decisions:choose", args=[case.pk])).content.decode()
    url = reverse("decisions:propose", args=[case.pk, "active_management"])
    assert f'href="{url}"' in choose
    page = client.get(url).content.decode()
    assert call.reference in page  # the case's incidents to choose from
    response = client.post(url, {"incidents": [call.pk], "reasons": "Abusive again on Monday."}, follow=True)
    assert response.redirect_chain == [(reverse("decisions:case", args=[case.pk]), 302)]
    assert "Your proposal has been sent to those who can take the decision." in response.content.decode()
    proposal = Decision.objects.get(case=case)
    assert (proposal.status, proposal.proposed_by, proposal.type) == (
        "proposed",
        flintshire.dafydd,
        "active_management",
    )
    assert list(proposal.incidents.all()) == [call]

    client.force_login(flintshire.sian)
    work = client.get(reverse("home")).content.decode()
    assert "Decide on a proposed active management for Bryn Jenkins" in work
    decide = reverse("decisions:decide", args=[case.pk, "active_management"])
    assert (
        f"{decide}?proposal={proposal.pk}"
        in client.get(reverse("decisions:case", args=[case.pk])).content.decode()
    )


def test_a_proposal_without_reasons_is_refused_naming_the_field_and_keeping_the_choice(
    client, flintshire, bryn
):
    case, call = bryn
    client.force_login(flintshire.dafydd)
    url = reverse("decisions:propose", args=[case.pk, "active_management"])
    page = client.post(url, {"incidents": [call.pk], "reasons": "  "})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'href="#id_reasons"' in html
    assert "Enter why this decision is needed" in html
    assert f'id="id_incidents_0" name="incidents" type="checkbox" value="{call.pk}" checked' in html
    assert not Decision.objects.filter(case=case).exists()


def test_no_proposal_for_a_decision_the_policy_lacks_or_another_organisations_case(
    client, flintshire, highland, bryn
):
    case, _call = bryn
    client.force_login(flintshire.dafydd)
    assert client.get(reverse("decisions:propose", args=[case.pk, "no_such_thing"])).status_code == 404
    client.force_login(highland.morag)
    assert client.get(reverse("decisions:propose", args=[case.pk, "active_management"])).status_code == 404
