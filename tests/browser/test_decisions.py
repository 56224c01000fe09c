"""Decisions in the browser, through the whole path, in two contrasting policies.

Flintshire (004): Bryn Jenkins swore at Ffion, who warned him once and ended the call. Dafydd, her
team leader, restricts his phone contact for a day; Siân, the CCSM, decides to manage his contact
formally (a single point of contact, calls on Tuesday mornings), with the review inside six months;
Bryn appeals in time and Gwen, the Chief Officer Governance, decides it.

Scottish Borders (003): Alan Rutherford's demanding emails get a restorative letter from Callum,
then the Complaints Review Group's active management; his appeal goes to Hamish, the Chief
Executive. Grant Tait, who pushed Kirsty at the front desk, is offered no internal appeal, and the
SPSO is signposted.

Every page visited is checked with axe-core (`visitor.check`).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from engage.decisions.models import Case, Decision
from engage.decisions.tests.stories import customer, incident
from tests.personas import PASSWORD, make_borders


def _fill_date(page, legend: str, day: dt.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


@pytest.fixture
def borders(db):
    return make_borders()


def test_flintshire_a_day_without_calls_then_formal_management_appealed_in_time(visit, flintshire):
    today = timezone.localdate()
    org = flintshire.organisation
    bryn = customer(org, "Bryn Jenkins")
    call = incident(
        org,
        bryn,
        flintshire.ffion,
        on=today - dt.timedelta(days=1),
        categories=["aggressive_abusive"],
        actions=["call_ended"],
        warned=True,
    )

    # Dafydd opens Bryn's case and restricts his phone contact for one day (004 Decision matrix).
    dafydd = visit("dafydd")
    dafydd.sign_in("dafydd", PASSWORD)
    dafydd.goto(f"/cases/customer/{bryn.pk}/")
    dafydd.check("open a case")
    dafydd.page.get_by_role("button", name="Open a case").click()
    expect(dafydd.page.get_by_role("heading", name="Bryn Jenkins")).to_be_visible()
    expect(dafydd.page.get_by_test_id("no-marker")).to_be_visible()
    dafydd.check("case with no decisions")
    dafydd.page.get_by_role("button", name="Make a decision").click()
    refused = dafydd.page.get_by_test_id("refused-active_management")
    expect(refused).to_contain_text("(004: Formal decision to manage contact)")
    dafydd.check("choose a decision as team leader")
    # Formal management is the CCSM's: Dafydd could propose it (the page, then back).
    refused.get_by_role("link", name="Propose this decision").click()
    expect(dafydd.page.get_by_role("heading", name=re.compile("^Propose: "))).to_be_visible()
    dafydd.check("propose a decision")
    dafydd.page.get_by_role("button", name="Send the proposal").click()
    expect(dafydd.page.locator(".govuk-error-summary")).to_contain_text("Enter why this decision is needed")
    dafydd.check("a proposal without reasons")
    dafydd.page.get_by_role("link", name="Back", exact=True).click()
    dafydd.page.get_by_label("Restrict contact for one day").check()
    dafydd.page.get_by_role("button", name="Continue").click()
    expect(dafydd.page.get_by_role("heading", name="Restrict contact for one day")).to_be_visible()
    dafydd.check("one-day restriction form")
    page = dafydd.page
    page.get_by_role("checkbox", name=call.reference).check()
    page.get_by_label("Why is this decision being taken?").fill(
        "He rang back and carried on swearing at Ffion."
    )
    page.get_by_label("Why would nothing less restrictive do?").fill(
        "He was warned on the call and carried on."
    )
    page.get_by_label("Needs, reasonable adjustments").fill("None recorded; email and letters stay open.")
    _fill_date(page, "End date", today + dt.timedelta(days=2))
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("lasts at most one day")
    dafydd.check("one-day restriction refused for two days")
    _fill_date(page, "End date", today + dt.timedelta(days=1))
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_test_id("status")).to_have_text("In force")
    expect(page.get_by_test_id("measures")).to_contain_text("No phone calls today.")
    expect(page.get_by_role("cell", name="Not yet told")).to_be_visible()
    dafydd.check("one-day restriction in force")
    page.get_by_role("link", name="Record as told").click()
    _fill_date(page, "When were they told?", today)
    dafydd.check("record sharing")
    page.get_by_role("button", name="Record as told").click()
    expect(page.locator("#sharing")).to_be_visible()
    expect(page.get_by_role("cell", name="Not yet told")).to_have_count(0)

    # Ffion, on the phones, sees only what to do.
    case = Case.objects.get(customer=bryn)
    ffion = visit("ffion")
    ffion.sign_in("ffion", PASSWORD)
    ffion.goto(f"/cases/{case.pk}/")
    expect(ffion.page.get_by_test_id("marker")).to_contain_text("No phone calls today.")
    expect(ffion.page.get_by_text("seen only by those who need to know")).to_be_visible()
    ffion.check("marker for the call handler")

    # Siân decides to manage Bryn's contact formally, from tomorrow (004 "Formal decision to manage contact").
    sian = visit("sian")
    sian.sign_in("sian", PASSWORD)
    sian.goto(f"/cases/{case.pk}/decide/")
    sian.page.get_by_label("Formally manage contact").check()
    sian.page.get_by_role("button", name="Continue").click()
    page = sian.page
    expect(page.get_by_role("heading", name="Formally manage contact")).to_be_visible()
    sian.check("formal management form")
    page.get_by_role("checkbox", name=call.reference).check()
    page.get_by_label("Why is this decision being taken?").fill(
        "Abusive calls continued after the one-day restriction."
    )
    page.get_by_label("Why would nothing less restrictive do?").fill(
        "The warning and the one-day restriction did not work."
    )
    page.get_by_label("Needs, reasonable adjustments").fill(
        "Hard of hearing: calls stay possible, at set times."
    )
    page.get_by_role("group", name="Was independent advocacy offered").get_by_label("Yes").check()
    page.get_by_label("Warned at the time of incident").check()
    _fill_date(page, "Start date", today + dt.timedelta(days=1))
    _fill_date(page, "Review date", today + dt.timedelta(days=220))
    page.get_by_label("A single point of contact for all future correspondence").check()
    page.get_by_label("Named officer").select_option(label="Siân Ellis-Jones")
    page.get_by_label("Deputy when they are away").select_option(label="Dafydd Roberts")
    page.get_by_label("Limiting telephone calls to specific days and/or times").check()
    page.get_by_role("group", name="On which days may the customer call?").get_by_label("Tuesday").check()
    page.get_by_label("From").fill("10:00")
    page.get_by_label("Until").fill("12:00")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "6 months after the decision (004: Reviewing decisions)"
    )
    sian.check("review date beyond six months refused")
    _fill_date(page, "Review date", today + dt.timedelta(days=150))
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_test_id("authority")).to_contain_text("004: Formal decision to manage contact")
    expect(page.get_by_test_id("measures")).to_contain_text("Phone calls only on Tuesdays, 10:00–12:00")
    expect(page.get_by_test_id("appeal-route")).to_contain_text("heard by the Chief Officer Governance")
    sian.check("formal management in force")

    # Bryn writes to appeal; Siân records it: in time, to the Chief Officer Governance.
    page.get_by_role("link", name="Record an appeal").click()
    expect(page.get_by_test_id("route")).to_contain_text(
        "Chief Officer Governance (004: Appealing a decision)"
    )
    sian.check("record an appeal")
    page.get_by_label("The restrictions are disproportionate").check()
    _fill_date(page, "When was the appeal received?", today)
    page.get_by_role("button", name="Record the appeal").click()
    expect(page.get_by_test_id("in-time")).to_contain_text("Yes")
    sian.check("appeal recorded")

    # Gwen finds it in her work and upholds the decision.
    gwen = visit("gwen")
    gwen.sign_in("gwen", PASSWORD)
    gwen.check("Your work with an appeal")
    gwen.page.get_by_role("link", name="Decide the appeal from Bryn Jenkins").click()
    gwen.check("appeal to decide")
    gwen.page.get_by_label("Upheld: the restriction still applies").check()
    gwen.page.get_by_label("Reasons for the outcome").fill("Calls remain possible every Tuesday morning.")
    gwen.page.get_by_role("button", name="Record the outcome").click()
    expect(gwen.page.get_by_test_id("outcome")).to_contain_text("Upheld")
    gwen.check("appeal decided")

    formal = Decision.objects.get(case=case, type="active_management")
    assert formal.review_on == today + dt.timedelta(days=150)
    sian.goto(f"/cases/{case.pk}/")
    expect(sian.page.get_by_test_id("timeline")).to_contain_text("Appeal outcome")
    sian.check("case timeline")


def test_scottish_borders_restorative_letter_then_the_review_group_and_a_violent_customer(visit, borders):
    today = timezone.localdate()
    org = borders.organisation
    alan = customer(org, "Alan Rutherford")
    emails = incident(
        org,
        alan,
        borders.kirsty,
        on=today - dt.timedelta(days=3),
        categories=["demands"],
        channel="email",
        account="Twelve emails in a day demanding a named officer.",
    )

    # Callum, Kirsty's manager, approves a restorative approach (003 Guidance).
    callum = visit("callum")
    callum.sign_in("callum", PASSWORD)
    callum.goto(f"/cases/customer/{alan.pk}/")
    callum.page.get_by_role("button", name="Open a case").click()
    callum.page.get_by_role("button", name="Make a decision").click()
    callum.check("choose a decision as manager")
    callum.page.get_by_label("Manager approved restorative approach to customer engagement").check()
    callum.page.get_by_role("button", name="Continue").click()
    page = callum.page
    callum.check("restorative approach form")
    page.get_by_role("checkbox", name=emails.reference).check()
    page.get_by_label("Why is this decision being taken?").fill(
        "Explain how to engage with us; one email a week."
    )
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_test_id("status")).to_have_text("Made")
    expect(page.get_by_text("checked by the Manager (line manager) or the Senior manager")).to_be_visible()
    callum.check("restorative approach made")

    # The Complaints Review Group approves active management, three members present.
    case = Case.objects.get(customer=alan)
    alasdair = visit("alasdair")
    alasdair.sign_in("alasdair", PASSWORD)
    alasdair.goto(f"/cases/{case.pk}/decide/")
    alasdair.page.get_by_label(
        "Complaints Review Group approved active management of customer engagement"
    ).check()
    alasdair.page.get_by_role("button", name="Continue").click()
    page = alasdair.page
    alasdair.check("active management form for the group")
    page.get_by_label("The Complaints Review Group").check()
    page.get_by_label("Iona Turnbull").check()
    page.get_by_label("Ruaridh Kerr").check()
    page.get_by_label("If the group decides").fill("Agreed unanimously.")
    page.get_by_role("checkbox", name=emails.reference).check()
    page.get_by_label("Why is this decision being taken?").fill(
        "The emails continued after the restorative letter."
    )
    page.get_by_label("Why would nothing less restrictive do?").fill(
        "The restorative letter did not change things."
    )
    page.get_by_label("Needs, reasonable adjustments").fill("No needs known; email and letters stay open.")
    page.get_by_label("Restorative approach decided on").check()
    _fill_date(page, "Review date", today + dt.timedelta(days=90))
    page.get_by_label("Require contact in a particular form").check()
    page.get_by_role("group", name="Which ways may the customer still contact us?").get_by_label(
        "Email"
    ).check()
    page.get_by_role("group", name="Which ways may the customer still contact us?").get_by_label(
        "Letter"
    ).check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_test_id("decided-by")).to_contain_text("as Complaints Review Group")
    expect(page.get_by_text("Iona Turnbull")).to_be_visible()
    expect(page.get_by_test_id("appeal-route")).to_contain_text("heard by the Chief Executive (003: 12.3)")
    alasdair.check("group decision in force")

    # Alan appeals; it goes to the Chief Executive, who upholds it.
    callum.goto(f"/cases/decisions/{Decision.objects.get(case=case, type='active_management').pk}/appeal/")
    callum.page.get_by_label("Their engagement was wrongly identified as unacceptable").check()
    callum.page.get_by_label("Only the arguments about the restriction").check()
    _fill_date(callum.page, "When was the appeal received?", today)
    callum.check("record an appeal against the group")
    callum.page.get_by_role("button", name="Record the appeal").click()
    expect(callum.page.get_by_test_id("route")).to_contain_text("Chief Executive")
    callum.check("appeal to the chief executive")
    hamish = visit("hamish")
    hamish.sign_in("hamish", PASSWORD)
    hamish.page.get_by_role("link", name="Decide the appeal from Alan Rutherford").click()
    hamish.page.get_by_label("Upheld: the restriction still applies").check()
    hamish.page.get_by_label("Reasons for the outcome").fill("Email and letters remain open to him.")
    hamish.check("chief executive decides")
    hamish.page.get_by_role("button", name="Record the outcome").click()
    expect(hamish.page.get_by_test_id("outcome")).to_contain_text("Upheld")
    hamish.check("appeal upheld")

    # Grant Tait pushed Kirsty at the front desk: no warning, no review, no internal appeal.
    grant = customer(org, "Grant Tait")
    push = incident(
        org,
        grant,
        borders.kirsty,
        on=today - dt.timedelta(days=1),
        categories=["physical_violence"],
        channel="in_person",
        account="Pushed Kirsty at the front desk.",
    )
    alasdair.goto(f"/cases/customer/{grant.pk}/")
    alasdair.page.get_by_role("button", name="Open a case").click()
    alasdair.page.get_by_role("button", name="Make a decision").click()
    alasdair.page.get_by_label(
        "Complaints Review Group approved active management of customer engagement"
    ).check()
    alasdair.page.get_by_role("button", name="Continue").click()
    page = alasdair.page
    page.get_by_label("The Complaints Review Group").check()
    page.get_by_label("Iona Turnbull").check()
    page.get_by_label("Fiona Pringle").check()
    page.get_by_label("If the group decides").fill("Agreed.")
    page.get_by_role("checkbox", name=push.reference).check()
    page.get_by_label("Why is this decision being taken?").fill(
        "Physical violence against a member of staff."
    )
    page.get_by_label("Why would nothing less restrictive do?").fill(
        "Staff cannot safely meet him in person."
    )
    page.get_by_label("Needs, reasonable adjustments").fill(
        "Letters stay open; an advocate may call for him."
    )
    page.get_by_label("There is an immediate threat to staff safety or wellbeing").check()
    page.get_by_label("The customer made a physical threat").check()
    page.get_by_label("If there will be no review, why not?").fill("To protect staff from violence.")
    page.get_by_label("Require contact in a particular form").check()
    page.get_by_role("group", name="Which ways may the customer still contact us?").get_by_label(
        "Letter"
    ).check()
    alasdair.check("violent customer decision form")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_test_id("review-on")).to_contain_text("No review: To protect staff from violence.")
    expect(page.get_by_test_id("appeal-route")).to_contain_text("Scottish Public Services Ombudsman")
    expect(page.locator("#sharing + table")).to_contain_text("Lexi (Health and Safety Portal)")
    alasdair.check("no internal appeal signposted")
    page.get_by_role("link", name="Record an appeal").click()
    expect(page.get_by_test_id("route")).to_contain_text("There is no appeal under this policy here")
    _fill_date(page, "When was the appeal received?", today)
    page.get_by_role("button", name="Record the appeal").click()
    expect(page.get_by_text("No internal appeal: ombudsman signposted")).to_be_visible()
    expect(page.get_by_text("Scottish Public Services Ombudsman, https://www.spso.org.uk")).to_be_visible()
    alasdair.check("appeal signposted to the SPSO")
