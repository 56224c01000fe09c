"""Checking a contact in the browser: Ffion at the phones checks a restricted caller's number,
written three ways, and gets the same answer each time (004 "Formal decision to manage contact";
004 "Terminating a telephone call": "communicated ... to all employees taking frontline calls")."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from engage.audit.services import audit_source
from engage.contacts.models import ContactCheck
from engage.customers.tests.factories import CustomerFactory
from engage.decisions.services import MeasureInput, case_open, decision_make
from engage.decisions.tests.stories import incident
from tests.personas import PASSWORD

NUMBER_LABEL = "Phone, email, social media handle, reference, or name and postcode"


def _bryn_restricted_by_sian(flintshire):
    """Bryn Jenkins swore at Ffion a week ago and was warned; Siân, the CCSM, has decided that all
    his contact goes to her (Dafydd when she is away)."""
    today = timezone.localdate()
    bryn = CustomerFactory(
        organisation=flintshire.organisation, full_name="Bryn Jenkins", phone="01352 702345"
    )
    call = incident(
        flintshire.organisation,
        bryn,
        flintshire.ffion,
        on=today - dt.timedelta(days=7),
        categories=["aggressive_abusive"],
        actions=["call_ended"],
        warned=True,
    )
    with audit_source("test setup"):
        case = case_open(actor=flintshire.sian, customer=bryn)
        decision_make(
            actor=flintshire.sian,
            case=case,
            type="active_management",
            reasons="Abusive calls continued after the warning.",
            incidents=[call],
            why_not_less_restrictive="The warning did not change the behaviour.",
            considerations="No needs recorded; every channel stays open.",
            advocacy_offered=True,
            warning_given_on=today - dt.timedelta(days=7),
            ends_on=today + dt.timedelta(days=90),
            review_on=today + dt.timedelta(days=60),
            measures=[
                MeasureInput(
                    "single_point_of_contact", {"officer": flintshire.sian.pk, "deputy": flintshire.dafydd.pk}
                )
            ],
        )
    return bryn


def test_ffion_checks_a_restricted_callers_number_in_three_formats_and_gets_one_answer(visit, flintshire):
    bryn = _bryn_restricted_by_sian(flintshire)
    ffion = visit("ffion")
    ffion.sign_in("ffion", PASSWORD)
    page = ffion.page

    # From the box on her home page: the number comes with her, the channel is asked.
    page.get_by_label(NUMBER_LABEL).fill("01352 702345")
    page.get_by_role("button", name="Check", exact=True).click()
    expect(page.get_by_role("heading", name="Check a contact", exact=True)).to_be_visible()
    expect(page.get_by_label(NUMBER_LABEL)).to_have_value("01352 702345")
    ffion.check("check a contact")

    # Forgetting the channel is named and linked to the question.
    page.get_by_role("button", name="Check", exact=True).click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select how they are contacting us")
    ffion.check("check a contact with errors")
    summary.get_by_role("link", name="Select how they are contacting us").click()
    expect(page.get_by_label("Phone", exact=True)).to_be_focused()

    answers = []
    for written in ("01352 702345", "+44 1352 702345", "(01352) 702-345"):
        page.get_by_label(NUMBER_LABEL).fill(written)
        page.get_by_label("Phone", exact=True).check()
        page.get_by_role("button", name="Check", exact=True).click()
        result = page.get_by_test_id("result")
        expect(result).to_be_visible()
        expect(page.get_by_test_id("outcome")).to_have_text("Go ahead, with conditions")
        expect(page.get_by_test_id("act")).to_have_text(
            "Put the call through only to Siân Ellis-Jones (or Dafydd Roberts when they are away)."
        )
        expect(page.get_by_test_id("say")).to_contain_text("What to say")
        expect(page.get_by_test_id("customer")).to_contain_text(bryn.reference)
        ffion.check(f"restricted caller {written}")
        answers.append(
            (
                page.get_by_test_id("outcome").inner_text(),
                page.get_by_test_id("act").inner_text(),
                page.get_by_test_id("say").inner_text(),
            )
        )
    assert answers[0] == answers[1] == answers[2]
    assert ContactCheck.objects.filter(customer=bryn, checked_by=flintshire.ffion).count() == 3

    # An email from him goes to Siân: redirected, in words.
    page.get_by_label(NUMBER_LABEL).fill("01352 702345")
    page.get_by_label("Email", exact=True).check()
    page.get_by_role("button", name="Check", exact=True).click()
    expect(page.get_by_test_id("outcome")).to_have_text("Redirect this contact")
    ffion.check("restricted caller by email")

    # Someone unknown: go ahead, and no name.
    page.get_by_label(NUMBER_LABEL).fill("01352 700000")
    page.get_by_label("Phone", exact=True).check()
    page.get_by_role("button", name="Check", exact=True).click()
    expect(page.get_by_test_id("outcome")).to_have_text("Go ahead")
    expect(page.get_by_test_id("customer")).to_have_count(0)
    ffion.check("unknown caller")


def test_rhodri_imports_a_call_log_and_dafydd_considers_the_levels_of_contact(visit, flintshire, tmp_path):
    """003 §6.3 "Makes a number of calls in one hour": the item is for a manager; it restricts no one."""
    bryn = CustomerFactory(
        organisation=flintshire.organisation, full_name="Bryn Jenkins", phone="01352 702345"
    )
    now = timezone.now().replace(second=0, microsecond=0)
    lines = ["identifier,channel,direction,started_at,duration_seconds,service,handler"]
    lines += [
        f"01352 702345,phone,inbound,{(now - dt.timedelta(minutes=m)).isoformat()},120,Council Tax,Ffion Hughes"
        for m in (5, 15, 25, 35, 45, 55)
    ]
    lines += [
        f"01352 709999,phone,inbound,{now.isoformat()},60,Waste,",
        "01352 702345,fax,inbound,yesterday,1,,",
    ]
    calls = tmp_path / "calls.csv"
    calls.write_text("\n".join(lines) + "\n", encoding="utf-8")

    rhodri = visit("rhodri")
    rhodri.sign_in("rhodri", PASSWORD)
    page = rhodri.page
    rhodri.goto("/contacts/imports/")
    expect(page.get_by_role("heading", name="Contact events", exact=True)).to_be_visible()
    rhodri.check("contact events")
    page.get_by_label("Contact events file").set_input_files(str(calls))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_test_id("rejections")).to_contain_text("Line 9: channel 'fax' is not one of")
    expect(page.get_by_test_id("report")).to_contain_text("Kept only as counts")
    rhodri.check("import report")

    dafydd = visit("dafydd")
    dafydd.sign_in("dafydd", PASSWORD)
    page = dafydd.page
    from engage.contacts.models import LevelsFlag

    flag = LevelsFlag.objects.get(customer=bryn)
    dafydd.goto(f"/contacts/levels/{flag.pk}/")
    expect(page.get_by_test_id("value")).to_have_text("6, more than 4")
    expect(page.get_by_test_id("chart-table")).to_contain_text("Phone")
    dafydd.check("levels of contact")
    page.get_by_role("button", name="Record and close").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what you decided")
    dafydd.check("levels of contact with errors")
    page.get_by_label("What did you decide?").fill("No action: he was reporting a burst water main.")
    page.get_by_role("button", name="Record and close").click()
    expect(page.get_by_role("heading", name="Your work")).to_be_visible()
    flag.refresh_from_db()
    assert flag.status == "closed"
