"""Letters in the browser: Siân drafts the bilingual letter about her decision to manage Bryn
Jenkins's contact (004 "Formal decision to manage contact"), cannot issue it before its check,
Dafydd checks it, Siân posts it and downloads the PDF, which says, in Welsh first, how and by
when to appeal. Every page visited is checked with axe-core (`visitor.check`).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from engage.customers.services import identifier_add
from engage.decisions.services import MeasureInput, case_open, decision_make
from engage.decisions.tests.stories import customer, incident
from engage.letters.models import Letter
from engage.letters.tests import pdftext
from tests.personas import PASSWORD

WHY = "On three calls this week the conversation became heated, and each call was ended."
WHY_CY = "Ar dair galwad yr wythnos hon aeth y sgwrs yn danllyd, a daeth pob galwad i ben."


def _fill_date(page, legend: str, day: dt.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def _bryns_decision(flintshire):
    today = timezone.localdate()
    org = flintshire.organisation
    org.address = "County Hall\nMold\nCH7 6NB"
    org.telephone = "01352 752121"
    org.email = "customerservices@example.gov.uk"
    org.save()
    bryn = customer(org, "Bryn Jenkins")
    identifier_add(
        actor=flintshire.sian, customer=bryn, kind="postal_address", raw="12 Ffordd y Llan\nMold\nCH7 1AA"
    )
    call = incident(
        org,
        bryn,
        flintshire.ffion,
        on=today - dt.timedelta(days=1),
        categories=["aggressive_abusive"],
        actions=["call_ended"],
        warned=True,
    )
    case = case_open(actor=flintshire.dafydd, customer=bryn)
    return decision_make(
        actor=flintshire.sian,
        case=case,
        type="active_management",
        reasons="He swore at Ffion on three calls after being warned.",
        incidents=[call],
        why_not_less_restrictive="The warning did not change how the calls went.",
        considerations="Hard of hearing: calls stay possible, at set times.",
        advocacy_offered=True,
        warning_given_on=today - dt.timedelta(days=1),
        review_on=today + dt.timedelta(days=150),
        measures=[MeasureInput("call_times", {"days": ["tue"], "start": "10:00", "end": "12:00"})],
    )


def test_sian_drafts_dafydd_checks_sian_posts_and_downloads_the_welsh_first_letter(
    visit, flintshire, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "files"
    decision = _bryns_decision(flintshire)
    today = timezone.localdate()

    # Siân starts the letter from her decision: Welsh first, as Flintshire writes (004).
    sian = visit("sian")
    sian.sign_in("sian", PASSWORD)
    sian.goto(f"/letters/new/{decision.pk}/")
    page = sian.page
    expect(page.get_by_role("heading", name="Draft a letter")).to_be_visible()
    sian.check("choose the letter")
    page.get_by_label("Decision letter").check()
    expect(page.get_by_label("Welsh first, then English")).to_be_checked()
    page.get_by_role("button", name="Start the draft").click()

    # She writes what happened, in neutral words, in both languages.
    expect(page.get_by_role("heading", name="Change the draft")).to_be_visible()
    sian.check("write the draft")
    page.get_by_label("What happened, and why we made this decision", exact=True).fill(WHY)
    page.get_by_label("In Welsh: what happened, and why we made this decision").fill(WHY_CY)
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_test_id("letter-status")).to_have_text("Draft")
    preview = page.get_by_test_id("preview")
    expect(preview).to_contain_text("Mae gennych hawl i apelio yn erbyn y penderfyniad hwn.")
    expect(preview).to_contain_text("You can phone us only on these days: Tuesdays.")
    expect(page.get_by_test_id("missing")).to_have_count(0)
    sian.check("the draft letter")

    # Issuing before the check is refused, with who must check it and why.
    page.get_by_role("button", name="Issue the letter").click()
    expect(page.get_by_test_id("unchecked")).to_contain_text("must be checked before it is issued")
    sian.check("issue page before the check")
    _fill_date(page, "Date of the letter", today)
    page.get_by_label("By post").check()
    page.get_by_role("button", name="Issue the letter").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("by a manager or someone more senior who did not draft it")
    sian.check("issuing refused before the check")
    page.get_by_role("link", name="Back to the letter").click()
    page.get_by_role("button", name="Send for its check").click()
    expect(page.get_by_test_id("letter-status")).to_have_text("Waiting for its check")
    sian.check("sent for its check")

    # Dafydd, her team leader, finds it in his work (when the lead lists letters there) and checks it.
    letter = Letter.objects.get()
    dafydd = visit("dafydd")
    dafydd.sign_in("dafydd", PASSWORD)
    dafydd.goto(f"/letters/{letter.pk}/")
    dafydd.page.get_by_role("button", name="Check this letter").click()
    expect(dafydd.page.get_by_role("heading", name="Check this letter")).to_be_visible()
    dafydd.check("check the letter")
    dafydd.page.get_by_label("Yes, it can be issued").check()
    dafydd.page.get_by_role("button", name="Save the check").click()
    expect(dafydd.page.get_by_test_id("letter-status")).to_have_text("Checked")
    expect(dafydd.page.get_by_test_id("check")).to_contain_text("Checked by Dafydd Roberts")
    dafydd.check("checked letter")

    # Siân posts it today: frozen, with the deemed receipt and the appeal deadline it states.
    sian.goto(f"/letters/{letter.pk}/issue/")
    expect(page.get_by_test_id("unchecked")).to_have_count(0)
    _fill_date(page, "Date of the letter", today)
    page.get_by_label("By post").check()
    page.get_by_role("button", name="Issue the letter").click()
    expect(page.get_by_test_id("letter-status")).to_have_text("Issued")
    letter.refresh_from_db()
    expect(page.get_by_test_id("deemed")).to_have_text(f"{letter.deemed_received_on:%-d %B %Y}")
    expect(page.get_by_test_id("appeal-deadline")).to_have_text(f"{letter.appeal_deadline:%-d %B %Y}")
    expect(page.get_by_test_id("sha256")).to_contain_text(letter.content_sha256)
    sian.check("issued letter")

    with page.expect_download() as download:
        page.get_by_role("link", name="Letter (PDF)").click()
    assert download.value.suggested_filename == "CASE-000001-L1-decision.pdf"
    text = pdftext.text(open(download.value.path(), "rb").read())  # noqa: SIM115 - read once
    assert text.index("Annwyl Bryn Jenkins") < text.index("Dear Bryn Jenkins")
    deadline = letter.appeal_deadline
    assert deadline is not None
    squashed = "".join(text.split())
    assert "".join(f"Your appeal must reach us by {deadline.day} {deadline:%B %Y}.".split()) in squashed
    assert "Ombwdsmon" in text
