"""Letter pages through the test client: who sees what, the forms reaching the services, downloads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from engage.letters.content import Kind
from engage.letters.models import Letter
from engage.letters.services import (
    letter_check,
    letter_draft,
    letter_edit,
    letter_issue,
    letter_submit_for_check,
)
from engage.letters.tests import pdftext
from engage.letters.tests.conftest import formal

WHY = "Three calls this week became heated and were ended."
WHY_CY = "Aeth tair galwad yr wythnos hon yn danllyd a daethant i ben."


def _date(prefix: str, d: dt.date) -> dict[str, str]:
    return {f"{prefix}_day": str(d.day), f"{prefix}_month": str(d.month), f"{prefix}_year": str(d.year)}


@pytest.fixture
def decision(flintshire, bryn):
    """Today's formal decision (the pages use the real clock)."""
    case, call = bryn
    today = timezone.localdate()
    return formal(
        flintshire,
        case,
        call,
        warning_given_on=call.occurred_at.date(),
        ends_on=today + dt.timedelta(days=100),
        review_on=today + dt.timedelta(days=90),
        today=today,
    )


@pytest.fixture
def draft(flintshire, decision):
    letter = letter_draft(actor=flintshire.sian, decision=decision, kind=Kind.DECISION)
    return letter_edit(actor=flintshire.sian, letter=letter, what_happened=WHY, what_happened_cy=WHY_CY)


@pytest.fixture
def issued(flintshire, draft):
    letter_submit_for_check(actor=flintshire.sian, letter=draft)
    letter_check(actor=flintshire.dafydd, letter=draft, approve=True)
    return letter_issue(actor=flintshire.sian, letter=draft, issued_on=timezone.localdate(), method="post")


def _urls(letter: Letter) -> list[str]:
    return [
        reverse("letters:detail", args=[letter.pk]),
        reverse("letters:edit", args=[letter.pk]),
        reverse("letters:check", args=[letter.pk]),
        reverse("letters:issue", args=[letter.pk]),
        reverse("letters:not_sent", args=[letter.pk]),
        *(reverse("letters:download", args=[letter.pk, fmt]) for fmt in ("pdf", "large-print", "docx")),
    ]


def test_another_organisation_finds_none_of_flintshires_letters(
    quick_files, client, highland, issued, decision
):
    client.force_login(highland.morag)
    for url in [*_urls(issued), reverse("letters:new", args=[decision.pk])]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("letters:submit", args=[issued.pk])).status_code == 404
    assert issued.reference not in client.get(reverse("letters:list")).content.decode()


def test_a_call_handler_with_no_part_in_the_case_cannot_read_its_letters(
    quick_files, client, flintshire, issued
):
    from tests.personas import person

    owain = person(flintshire.organisation, "owain", "Owain Jones", "employee", flintshire.dafydd)
    client.force_login(owain)
    for url in _urls(issued):
        assert client.get(url).status_code == 403, url


def test_the_pdf_downloads_as_an_attachment_with_engages_own_name(client, flintshire, issued):
    client.force_login(flintshire.dafydd)
    response = client.get(reverse("letters:download", args=[issued.pk, "pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="CASE-000001-L1-decision.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    body = b"".join(response.streaming_content)
    assert "Annwyl Bryn Jenkins" in pdftext.text(body)
    docx = client.get(reverse("letters:download", args=[issued.pk, "docx"]))
    assert docx["Content-Disposition"] == 'attachment; filename="CASE-000001-L1-decision.docx"'
    large = client.get(reverse("letters:download", args=[issued.pk, "large-print"]))
    assert large["Content-Disposition"] == 'attachment; filename="CASE-000001-L1-decision-large-print.pdf"'
    assert client.get(reverse("letters:download", args=[issued.pk, "exe"])).status_code == 404


def test_a_draft_has_nothing_to_download(client, flintshire, draft):
    client.force_login(flintshire.sian)
    assert client.get(reverse("letters:download", args=[draft.pk, "pdf"])).status_code == 404


def test_siân_starts_a_draft_from_her_decision(client, flintshire, decision):
    client.force_login(flintshire.sian)
    url = reverse("letters:new", args=[decision.pk])
    page = client.get(url).content.decode()
    assert "Decision letter" in page
    assert "Welsh first, then English" in page
    response = client.post(url, {"letter": "decision", "language": "cy"})
    letter = Letter.objects.get()
    assert response["Location"] == reverse("letters:edit", args=[letter.pk])
    assert letter.layout == "cy"
    edit = client.get(response["Location"]).content.decode()
    assert "In Welsh: what happened" in edit
    assert "He swore at Ffion" in edit  # the case record, shown for the drafter to put neutrally


def test_the_preview_says_what_is_missing_and_the_letter_built_from_the_case(client, flintshire, decision):
    letter = letter_draft(actor=flintshire.sian, decision=decision, kind=Kind.DECISION)
    client.force_login(flintshire.sian)
    page = client.get(reverse("letters:detail", args=[letter.pk])).content.decode()
    assert "This letter cannot be issued yet. It does not say:" in page
    assert "why the decision was taken" in page
    assert "You can phone us only on these days: Tuesdays." in page
    assert "Dim ond ar y dyddiau hyn y gallwch ein ffonio: dydd Mawrth." in page
    assert "Send for its check" in page


def test_issuing_an_unchecked_letter_shows_the_reason_in_the_error_summary(client, flintshire, draft):
    client.force_login(flintshire.sian)
    url = reverse("letters:issue", args=[draft.pk])
    assert "This letter must be checked before it is issued" in client.get(url).content.decode()
    response = client.post(url, {**_date("issued_on", timezone.localdate()), "method": "post"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "by a manager or someone more senior who did not draft it" in page
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_submitting_an_incomplete_draft_shows_what_is_missing(client, flintshire, decision):
    letter = letter_draft(actor=flintshire.sian, decision=decision, kind=Kind.DECISION)
    client.force_login(flintshire.sian)
    page = client.post(reverse("letters:submit", args=[letter.pk])).content.decode()
    assert "There is a problem" in page
    assert "This letter does not yet say why the decision was taken" in page


def test_dafydd_checks_through_the_page_and_the_issued_letter_shows_its_fingerprint(
    quick_files, client, flintshire, draft
):
    letter_submit_for_check(actor=flintshire.sian, letter=draft)
    client.force_login(flintshire.dafydd)
    response = client.post(reverse("letters:check", args=[draft.pk]), {"approve": "yes", "note": ""})
    assert response.status_code == 302
    client.force_login(flintshire.sian)
    response = client.post(
        reverse("letters:issue", args=[draft.pk]),
        {**_date("issued_on", timezone.localdate()), "method": "post"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    page = client.get(reverse("letters:detail", args=[draft.pk])).content.decode()
    assert f"SHA-256 {draft.content_sha256}" in page
    assert "The letter as issued" in page
    assert "<h1" not in page.split('data-testid="preview"')[1]  # the record's headings shown one level down


def test_flintshire_has_no_reason_to_offer_for_not_sending(client, flintshire, draft):
    client.force_login(flintshire.sian)
    page = client.get(reverse("letters:not_sent", args=[draft.pk])).content.decode()
    assert "This policy gives no reason for not telling the customer" in page


def test_only_information_governance_opens_the_letter_settings(client, flintshire):
    client.force_login(flintshire.dafydd)
    assert client.get(reverse("letters:settings")).status_code == 403
    client.force_login(flintshire.rhodri)
    assert client.get(reverse("letters:settings")).status_code == 200
    response = client.post(
        reverse("letters:settings"),
        {"bilingual_layout": "side_by_side", "colleague_check": "on", "welsh_name": "Cyngor Sir y Fflint"},
    )
    assert response.status_code == 302


def test_the_partials_for_the_case_and_decision_pages_list_the_letters(flintshire, draft, decision):
    """For the lead to include on the case and decision pages (see the report)."""
    from django.template.loader import render_to_string

    from engage.letters import selectors

    on_decision = render_to_string(
        "letters/_for_decision.html", {"decision": decision, "letters": selectors.for_decision(decision)}
    )
    assert "CASE-000001/L1: Decision letter" in on_decision
    assert f"/letters/new/{decision.pk}/" in on_decision
    on_case = render_to_string("letters/_for_case.html", {"letters": selectors.for_case(decision.case)})
    assert "CASE-000001/L1: Decision letter" in on_case


def test_a_side_by_side_draft_previews_welsh_beside_english(client, flintshire, draft):
    from engage.letters.services import letter_edit

    letter_edit(actor=flintshire.sian, letter=draft, layout="side_by_side")
    client.force_login(flintshire.sian)
    page = client.get(reverse("letters:detail", args=[draft.pk])).content.decode()
    assert 'class="letter-columns"' in page
    assert page.index("Annwyl Bryn Jenkins") < page.index("Dear Bryn Jenkins")
