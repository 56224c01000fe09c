"""Incident journeys: Ffion logs an abusive call, her managers decide on it; outsiders see nothing."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from engage.incidents.models import Incident
from engage.incidents.tests.helpers import logged
from tests.personas import PASSWORD


def _continue(page) -> None:
    page.get_by_role("button", name="Save and continue").click()


def test_ffion_logs_an_abusive_call_and_her_managers_decide_on_it(visit, flintshire):
    ffion = visit("ffion")
    page = ffion.page
    page.set_viewport_size({"width": 390, "height": 844})  # she logs it on her phone
    ffion.sign_in("ffion", PASSWORD)
    ffion.goto("/incidents/")
    ffion.check("incidents")
    page.get_by_role("button", name="Log an incident").click()
    expect(page.get_by_role("heading", name="Log an incident")).to_be_visible()
    ffion.check("log an incident: start")
    page.get_by_role("button", name="Start").click()

    # When: a half-typed date keeps what was typed and says which part is missing.
    expect(page.get_by_role("heading", name="When did it happen?")).to_be_visible()
    ffion.check("log an incident: when")
    page.get_by_label("Day").fill("3")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("What time did it happen?").fill("14:05")
    _continue(page)
    expect(page).to_have_title(re.compile(r"^Error: When did it happen\?"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("The date it happened must include a month")
    expect(page.get_by_label("Day")).to_have_value("3")
    expect(page.get_by_label("What time did it happen?")).to_have_value("14:05")
    ffion.check("log an incident: when, with an error")
    page.get_by_label("Month").fill("2")
    _continue(page)

    expect(page.get_by_role("heading", name="Where did it happen, and which service?")).to_be_visible()
    ffion.check("log an incident: where")
    page.get_by_label("Which service were you providing?").fill("Council tax")
    _continue(page)

    ffion.check("log an incident: channel")
    page.get_by_label("Phone").check()
    _continue(page)

    ffion.check("log an incident: who")
    page.get_by_label("If you cannot find them, describe the person").fill("Gave the name Siôn Ó Dónaill-Ŵyn")
    _continue(page)

    ffion.check("log an incident: what happened")
    page.get_by_label("What happened?").fill(
        "The caller shouted and swore at me about his bill. I warned him once that I would end the call "
        "if he carried on. He carried on, so I ended the call."
    )
    _continue(page)

    expect(page.get_by_text("Threats of physical violence or harassment to any person")).to_be_visible()
    ffion.check("log an incident: kind of behaviour")
    page.get_by_label("Aggressive, abusive or offensive behaviour").check()
    _continue(page)

    ffion.check("log an incident: staff and witnesses")
    page.get_by_role("group", name="Who else saw or heard it? (optional)").get_by_label(
        "Rhodri ap Huw"
    ).check()
    _continue(page)

    ffion.check("log an incident: what you did")
    page.get_by_label("Ended the call").check()
    page.get_by_role(
        "group", name="If you ended the call or meeting, did you warn the person first?"
    ).get_by_label("Yes").check()
    _continue(page)

    ffion.check("log an incident: recording")
    page.get_by_label("No").check()
    _continue(page)

    ffion.check("log an incident: named publicly")
    page.get_by_label("No").check()
    _continue(page)

    ffion.check("log an incident: support")
    page.get_by_role("group", name="Would you like support after this?").get_by_label("Yes").check()
    page.get_by_role("group", name="Would you like some time away from your work?").get_by_label("No").check()
    _continue(page)

    expect(page.get_by_role("heading", name="Check your answers before sending")).to_be_visible()
    expect(page.get_by_text("3 February 2026 at 14:05")).to_be_visible()
    expect(page.get_by_text("Gave the name Siôn Ó Dónaill-Ŵyn")).to_be_visible()
    ffion.check("log an incident: check your answers")
    page.get_by_role("button", name="Send to my manager").click()

    expect(page.get_by_role("heading", name="Incident logged")).to_be_visible()
    expect(
        page.get_by_text("We have sent your incident to Dafydd Roberts, your line manager.")
    ).to_be_visible()
    ffion.check("incident logged")
    incident = Incident.objects.get(reporter=flintshire.ffion)
    assert incident.status == Incident.Status.SUBMITTED

    # Dafydd reviews it: what he may decide, and what he may not, with the clause.
    dafydd = visit("dafydd")
    dafydd.sign_in("dafydd", PASSWORD)
    dafydd.check("your work with an incident to review")
    dafydd.page.get_by_role("link", name=f"Review incident {incident.reference}").click()
    review = dafydd.page
    expect(review.get_by_role("heading", name=f"Review incident {incident.reference}")).to_be_visible()
    expect(review.get_by_test_id("refused-options")).to_contain_text("(004: Decision matrix)")
    dafydd.check("review an incident")
    review.get_by_role("button", name="Record decision").click()
    expect(review.locator(".govuk-error-summary")).to_contain_text("Select what you have decided")
    dafydd.check("review an incident, with an error")
    review.get_by_label("Warning (with a copy of this policy where necessary)").check()
    review.get_by_label("Why?").fill("Repeated swearing at a call handler after a warning.")
    review.get_by_role("button", name="Record decision").click()
    expect(review.get_by_test_id("review-outcome")).to_have_text(
        "Warning (with a copy of this policy where necessary)"
    )
    dafydd.check("incident reviewed")

    # Dafydd, her team leader, records the decision not to report, with why and Ffion's view
    # (flintshire.toml police choice: the reviewing manager decides; threats are always reported).
    review.get_by_role("link", name="Record the police decision").click()
    police = review
    police.get_by_label("No, it will not be reported").check()
    police.get_by_role("button", name="Record the police decision").click()
    expect(police.locator(".govuk-error-summary")).to_contain_text(
        "Enter why the incident is not being reported"
    )
    dafydd.check("police decision, with errors")
    police.get_by_label("Why will it not be reported?").fill("Verbal abuse only; no threat was made.")
    police.get_by_label("What is the view of the staff involved?").fill(
        "Ffion does not want it reported; a warning is enough for her."
    )
    police.get_by_role("button", name="Record the police decision").click()
    expect(police.get_by_text("No: a decision not to report")).to_be_visible()
    expect(
        police.get_by_text("Ffion does not want it reported; a warning is enough for her.")
    ).to_be_visible()
    dafydd.check("incident with a police decision")

    # Rhodri, named as a witness, adds his own account.
    rhodri = visit("rhodri")
    rhodri.sign_in("rhodri", PASSWORD)
    rhodri.page.get_by_role(
        "link", name=f"Add your witness account for incident {incident.reference}"
    ).click()
    rhodri.check("add a witness account")
    rhodri.page.get_by_label("What did you see or hear?").fill("I heard him shouting at Ffion from my desk.")
    rhodri.page.get_by_role("button", name="Add my account").click()
    expect(rhodri.page.get_by_role("heading", name="Your work")).to_be_visible()
    rhodri.check("witness account added")


def test_a_threat_of_violence_cannot_be_marked_not_reported(visit, flintshire):
    # 004 "Aggressive, abusive or offensive behaviour": threats "will be reported to the police".
    incident = logged(flintshire.ffion, categories={"categories": ["threats_of_violence"]})
    dafydd = visit("dafydd")
    dafydd.sign_in("dafydd", PASSWORD)
    dafydd.goto(f"/incidents/{incident.pk}/review/")
    expect(dafydd.page.get_by_test_id("police-expectation")).to_contain_text("always reported to the police")
    dafydd.check("review of a threat")
    dafydd.page.get_by_role("link", name="Record the police decision").click()
    page = dafydd.page
    expect(page.get_by_label("No, it will not be reported")).to_have_count(0)
    expect(page.get_by_test_id("not-reporting-refused")).to_contain_text("no one may decide not to report")
    dafydd.check("police decision on a threat")
    page.get_by_label("Police reference number").fill("NWP-26-004211")
    page.get_by_role("button", name="Record the police decision").click()
    expect(page.get_by_role("heading", name=f"Review incident {incident.reference}")).to_be_visible()
    expect(page.get_by_text("Yes, reference NWP-26-004211")).to_be_visible()
    dafydd.check("review of a reported threat")


def test_morag_of_highland_gets_not_found_on_every_url_of_a_flintshire_incident(visit, flintshire, highland):
    incident = logged(
        flintshire.ffion, staff={"staff_affected": [flintshire.ffion], "witnesses": [flintshire.rhodri]}
    )
    morag = visit("morag")
    morag.sign_in("morag", PASSWORD)
    pk = incident.pk
    paths = [
        f"/incidents/{pk}/{p}" for p in ("", "check/", "logged/", "review/", "police/", "witness/", "when/")
    ]
    for path in paths:
        assert morag.goto(path).status == 404, path
    morag.goto("/incidents/review/")
    expect(morag.page.get_by_text(incident.reference)).to_have_count(0)
    morag.check("incidents to review, none of another organisation's")
