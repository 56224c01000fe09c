"""Letters told as stories: drafted, checked by whom the policy names, issued and frozen, or not sent.

Flintshire (004): Siân's decision to manage Bryn Jenkins's contact gets a bilingual letter, which
Dafydd checks (004 names no checker; Flintshire keeps the colleague check on) and Siân posts.
Scottish Borders (003): Kirsty drafts the restorative letter and Callum, her manager, checks it;
the Complaints Review Group checks the active management letter together. Every service is audited.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engage.audit.testing import expect_audit
from engage.customers.services import identifier_add
from engage.decisions.models import Decision
from engage.decisions.services import (
    MeasureInput,
    appeal_decide,
    appeal_receive,
    case_open,
    decision_make,
    review_record,
)
from engage.decisions.tests.stories import customer, incident
from engage.letters import facts as letter_facts
from engage.letters import work
from engage.letters.content import Kind
from engage.letters.models import Letter, LetterSettings
from engage.letters.services import (
    letter_check,
    letter_draft,
    letter_edit,
    letter_issue,
    letter_record_not_sent,
    letter_settings_update,
    letter_submit_for_check,
)
from engage.letters.tests import pdftext
from engage.letters.tests.conftest import DECIDED, MONDAY, formal, set_letterhead
from tests.personas import person

D = dt.date
ISSUED = D(2026, 3, 10)  # the Tuesday after the decision
WHY = "On 2 March you phoned us three times. Each call became heated and was ended."
WHY_CY = "Ar 2 Mawrth, gwnaethoch ein ffonio dair gwaith. Aeth pob galwad yn danllyd a daeth i ben."


def _messages(err: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return err.value.message_dict


def _drafted(flintshire, decision, **edits) -> Letter:
    letter = letter_draft(actor=flintshire.sian, decision=decision, kind=Kind.DECISION)
    return letter_edit(
        actor=flintshire.sian, letter=letter, what_happened=WHY, what_happened_cy=WHY_CY, **edits
    )


def _checked(flintshire, decision) -> Letter:
    letter = _drafted(flintshire, decision)
    letter_submit_for_check(actor=flintshire.sian, letter=letter, today=ISSUED)
    return letter_check(actor=flintshire.dafydd, letter=letter, approve=True)


# ---------------------------------------------------------------------------------------------
# Flintshire: the decision letter
# ---------------------------------------------------------------------------------------------


def test_sian_drafts_a_bilingual_letter_about_her_formal_decision(flintshire, bryns_decision):
    """004: "The CCSM will notify the customer of a decision to manage their contact"; Flintshire
    writes in Welsh and English, Welsh first by default; "A copy of this policy will be enclosed"."""
    with expect_audit("letter.draft") as records:
        letter = letter_draft(actor=flintshire.sian, decision=bryns_decision, kind="decision")
    assert records[0].object_id == str(letter.pk)
    assert (letter.number, letter.reference, letter.status) == (1, "CASE-000001/L1", "draft")
    assert letter.layout == Letter.Layout.WELSH_FIRST
    assert letter.languages == ("cy", "en")
    assert letter.enclose_policy
    assert letter.signed_by == flintshire.sian
    assert letter.policy_version == bryns_decision.policy_version
    # 004 names no one to check its letters; Flintshire keeps the colleague check (the default).
    assert (letter.check_required, letter.check_by) == (True, [])
    assert "colleague checks" in letter.check_clause
    # The drafter writes what happened in neutral words; the decision's own reasons are not copied.
    assert letter.what_happened == ""


def test_the_letter_cannot_go_for_its_check_until_it_says_why_in_both_languages(flintshire, bryns_decision):
    letter = letter_draft(actor=flintshire.sian, decision=bryns_decision, kind=Kind.DECISION)
    with expect_audit(), pytest.raises(ValidationError) as err:
        letter_submit_for_check(actor=flintshire.sian, letter=letter, today=ISSUED)
    assert _messages(err)["letter"] == [
        "This letter does not yet say why the decision was taken. Add what is missing before it goes "
        "further (004: Formal decision to manage contact)."
    ]
    letter_edit(actor=flintshire.sian, letter=letter, what_happened=WHY)
    with pytest.raises(ValidationError) as err:
        letter_submit_for_check(actor=flintshire.sian, letter=letter, today=ISSUED)
    assert "why the decision was taken (in the Welsh text)" in _messages(err)["letter"][0]


def test_only_its_author_changes_a_draft_and_only_while_it_is_one(flintshire, bryns_decision):
    letter = letter_draft(actor=flintshire.sian, decision=bryns_decision, kind=Kind.DECISION)
    with expect_audit(), pytest.raises(ValidationError) as err:
        letter_edit(actor=flintshire.dafydd, letter=letter, what_happened="Changed.")
    assert err.value.messages == ["Only the person who drafted this letter can change it."]
    with expect_audit(("letter.edit", letter)) as records:
        letter_edit(actor=flintshire.sian, letter=letter, what_happened=WHY, enclose_policy=True)
    assert records[0].detail == {"changed": ["what_happened"]}
    with expect_audit():
        letter_edit(actor=flintshire.sian, letter=letter, what_happened=WHY)  # nothing changed


def test_issuing_before_the_check_is_refused_naming_who_must_check_it(flintshire, bryns_decision):
    letter = _drafted(flintshire, bryns_decision)
    with expect_audit(), pytest.raises(ValidationError) as err:
        letter_issue(actor=flintshire.sian, letter=letter, issued_on=ISSUED, method="post", today=ISSUED)
    assert _messages(err)["letter"] == [
        "This letter must be checked before it is issued, by a manager or someone more senior who did "
        f"not draft it ({letter_facts.COLLEAGUE_CLAUSE})."
    ]
    letter_submit_for_check(actor=flintshire.sian, letter=letter, today=ISSUED)
    with pytest.raises(ValidationError) as err:
        letter_issue(actor=flintshire.sian, letter=letter, issued_on=ISSUED, method="post", today=ISSUED)
    assert _messages(err)["letter"][0].endswith("It is waiting for its check.")


def test_the_author_cannot_check_her_own_letter_nor_a_call_handler_check_it(flintshire, bryns_decision):
    letter = _drafted(flintshire, bryns_decision)
    letter_submit_for_check(actor=flintshire.sian, letter=letter, today=ISSUED)
    with expect_audit(), pytest.raises(ValidationError) as err:
        letter_check(actor=flintshire.sian, letter=letter, approve=True)
    assert _messages(err)["approve"] == ["You drafted this letter, so someone else must check it."]
    with pytest.raises(ValidationError) as err:
        letter_check(actor=flintshire.ffion, letter=letter, approve=True)
    assert _messages(err)["approve"][0].startswith("Only a manager or someone more senior")


def test_a_returned_letter_is_a_draft_again_with_the_checkers_note(flintshire, bryns_decision):
    letter = _drafted(flintshire, bryns_decision)
    letter_submit_for_check(actor=flintshire.sian, letter=letter, today=ISSUED)
    with pytest.raises(ValidationError) as err:
        letter_check(actor=flintshire.dafydd, letter=letter, approve=False)
    assert _messages(err)["note"] == ["Enter what needs to change in the letter"]
    with expect_audit(("letter.return", letter)):
        letter_check(actor=flintshire.dafydd, letter=letter, approve=False, note="Say the calls were ended.")
    assert (letter.status, letter.check_note, letter.checked_by) == (
        "draft",
        "Say the calls were ended.",
        None,
    )
    letter_edit(actor=flintshire.sian, letter=letter, what_happened=WHY + " Each call was ended.")


def test_dafydd_checks_it_and_sian_posts_it_frozen_with_the_appeal_deadline_from_deemed_receipt(
    flintshire, bryns_decision
):
    """004 "Appealing a decision": "within 20 working days of receiving it". Posted Tuesday 10 March
    2026, it is treated as received on Thursday 12 March (two working days, the preset's deemed
    receipt); 20 working days after that, skipping Good Friday and Easter Monday (Wales), is
    Monday 13 April."""
    with expect_audit("letter.draft", "letter.edit", "letter.submit", "letter.check"):
        letter = _checked(flintshire, bryns_decision)
    assert (letter.status, letter.checked_by, letter.checked_as) == ("checked", flintshire.dafydd, "")
    with expect_audit(("letter.issue", letter)) as records:
        letter_issue(actor=flintshire.sian, letter=letter, issued_on=ISSUED, method="post", today=ISSUED)
    letter.refresh_from_db()
    assert letter.status == Letter.Status.ISSUED
    assert (letter.posted_on, letter.deemed_received_on) == (ISSUED, D(2026, 3, 12))
    assert letter.appeal_deadline == D(2026, 4, 13)
    assert letter.content_sha256 == hashlib.sha256(letter.html.encode()).hexdigest()
    for name in ("pdf", "large_print", "docx"):
        with default_storage.open(getattr(letter, f"{name}_name"), "rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == getattr(letter, f"{name}_sha256")
    assert records[0].detail["content_sha256"] == letter.content_sha256
    assert records[0].detail["deemed_received_on"] == "2026-03-12"
    with default_storage.open(letter.pdf_name, "rb") as handle:
        text = pdftext.text(handle.read())
    assert "13 Ebrill 2026" in text
    assert "13 April 2026" in text
    assert "Ysgrifennwch at y Prif Swyddog Llywodraethu".lower() in text.lower().replace("\n", " ")
    assert "Siân Ellis-Jones" in text


def test_an_issued_letter_never_changes(quick_files, flintshire, bryns_decision):
    letter = _checked(flintshire, bryns_decision)
    letter_issue(actor=flintshire.sian, letter=letter, issued_on=ISSUED, method="in_person", today=ISSUED)
    frozen = letter.html
    bryns_decision.reasons = "Something else entirely."
    bryns_decision.save()
    flintshire.organisation.telephone = "01352 000000"
    flintshire.organisation.save()
    letter.refresh_from_db()
    assert letter.html == frozen
    assert "01352 752121" in frozen
    assert letter.deemed_received_on is None  # handed over: received on the day
    with expect_audit(), pytest.raises(ValidationError):
        letter_edit(actor=flintshire.sian, letter=letter, what_happened="Changed.")
    with pytest.raises(ValidationError):
        letter_issue(actor=flintshire.sian, letter=letter, issued_on=ISSUED, method="post", today=ISSUED)


def test_a_letter_cannot_be_dated_in_the_future_or_before_the_decision(flintshire, bryns_decision):
    letter = _checked(flintshire, bryns_decision)
    with pytest.raises(ValidationError) as err:
        letter_issue(actor=flintshire.sian, letter=letter, issued_on=ISSUED, method="post", today=DECIDED)
    assert _messages(err)["issued_on"] == ["The date of the letter must be today or in the past"]
    with pytest.raises(ValidationError) as err:
        letter_issue(actor=flintshire.sian, letter=letter, issued_on=MONDAY, method="post", today=ISSUED)
    assert _messages(err)["issued_on"] == ["The letter cannot be dated before the decision (9 March 2026)"]


def test_posting_needs_an_address_and_emailing_an_email_address(quick_files, flintshire):
    set_letterhead(flintshire.organisation)
    who = customer(flintshire.organisation, "Nia Price")
    call = incident(
        flintshire.organisation,
        who,
        flintshire.ffion,
        on=MONDAY,
        categories=["aggressive_abusive"],
        actions=["call_ended"],
        warned=True,
    )
    decision = formal(flintshire, case_open(actor=flintshire.dafydd, customer=who), call)
    letter = _checked(flintshire, decision)
    with pytest.raises(ValidationError) as err:
        letter_issue(actor=flintshire.sian, letter=letter, issued_on=ISSUED, method="post", today=ISSUED)
    assert _messages(err)["method"][0].startswith("No postal address is recorded for Nia Price")
    with pytest.raises(ValidationError) as err:
        letter_issue(actor=flintshire.sian, letter=letter, issued_on=ISSUED, method="email", today=ISSUED)
    assert _messages(err)["method"][0].startswith("No email address is recorded for Nia Price")
    identifier_add(actor=flintshire.sian, customer=who, kind="email", raw="nia@example.org")
    with expect_audit("letter.issue"):
        letter_issue(actor=flintshire.sian, letter=letter, issued_on=ISSUED, method="email", today=ISSUED)
    # Emailed on Tuesday 10 March: 20 working days from that day (004), not from a deemed receipt.
    assert letter.appeal_deadline == D(2026, 4, 9)


def test_an_issued_letter_missing_what_its_preset_requires_is_refused_naming_it(flintshire, bryns_decision):
    """A checked letter whose facts change before it goes (the organisation's phone and email
    removed) cannot be issued: every letter says how to ask for help or another format."""
    letter = _checked(flintshire, bryns_decision)
    flintshire.organisation.telephone = ""
    flintshire.organisation.email = ""
    flintshire.organisation.save()
    letter = Letter.objects.get(pk=letter.pk)
    with expect_audit(), pytest.raises(ValidationError) as err:
        letter_issue(actor=flintshire.sian, letter=letter, issued_on=ISSUED, method="post", today=ISSUED)
    assert "how to ask for help or another format" in _messages(err)["letter"][0]
    assert not default_storage.exists("letters")


def test_flintshire_gives_no_reason_for_not_sending_the_letter(flintshire, bryns_decision):
    """004 has no notification exemptions: "The CCSM will notify the customer"."""
    letter = _drafted(flintshire, bryns_decision)
    with expect_audit(), pytest.raises(ValidationError) as err:
        letter_record_not_sent(actor=flintshire.sian, letter=letter, exemption="anything", reason="No.")
    assert _messages(err)["exemption"] == [
        "This policy gives no reason for not telling the customer, so the letter must be sent "
        "(004: Formal decision to manage contact)."
    ]


def test_with_the_colleague_check_off_a_letter_the_policy_is_silent_on_needs_no_check(
    quick_files, flintshire, bryns_decision
):
    with expect_audit("letter_settings.update"):
        letter_settings_update(
            actor=flintshire.rhodri,
            organisation=flintshire.organisation,
            bilingual_layout="side_by_side",
            colleague_check=False,
            welsh_name="Cyngor Sir y Fflint",
            welsh_address="Neuadd y Sir\nYr Wyddgrug\nCH7 6NB",
        )
    letter = _drafted(flintshire, bryns_decision)
    assert (letter.check_required, letter.layout) == (False, "side_by_side")
    with pytest.raises(ValidationError) as err:
        letter_submit_for_check(actor=flintshire.sian, letter=letter, today=ISSUED)
    assert err.value.messages == ["This letter needs no check: it can be issued."]
    with expect_audit("letter.issue"):
        letter_issue(actor=flintshire.sian, letter=letter, issued_on=ISSUED, method="post", today=ISSUED)
    assert "Neuadd y Sir" in letter.html
    assert "Cyngor Sir y Fflint" in letter.html


def test_only_information_governance_changes_the_letter_settings(flintshire):
    with expect_audit(), pytest.raises(ValidationError):
        letter_settings_update(
            actor=flintshire.dafydd,
            organisation=flintshire.organisation,
            bilingual_layout="side_by_side",
            colleague_check=False,
        )
    assert not LetterSettings.objects.exists()


def test_review_and_appeal_letters_follow_the_decision(flintshire, bryns_decision):
    """004 "Reviewing decisions" and "Appealing a decision": the outcome "in writing"."""
    appeal = appeal_receive(
        actor=flintshire.sian,
        decision=bryns_decision,
        received_on=D(2026, 3, 20),
        grounds=["disproportionate"],
        today=D(2026, 3, 20),
    )
    assert [o.kind for o in letter_facts.options(bryns_decision)] == [
        Kind.DECISION,
        Kind.APPEAL_ACKNOWLEDGEMENT,
    ]
    ack = letter_draft(
        actor=flintshire.sian, decision=bryns_decision, kind=Kind.APPEAL_ACKNOWLEDGEMENT, appeal=appeal
    )
    assert (ack.number, ack.check_required) == (1, True)
    appeal_decide(
        actor=flintshire.gwen,
        appeal=appeal,
        outcome="upheld",
        reasons="Calls stay possible every week.",
        today=D(2026, 4, 1),
    )
    outcome = letter_draft(
        actor=flintshire.gwen, decision=bryns_decision, kind=Kind.APPEAL_OUTCOME, appeal=appeal
    )
    assert outcome.signed_by == flintshire.gwen  # 004: the Chief Officer Governance advises the outcome
    review = bryns_decision.reviews.get()
    review_record(
        actor=flintshire.sian,
        review=review,
        outcome="continue",
        notes="Calls have been calm.",
        in_active_contact=True,
        next_review_on=D(2026, 10, 1),
        today=D(2026, 9, 1),
    )
    letter = letter_draft(
        actor=flintshire.sian, decision=bryns_decision, kind=Kind.REVIEW_OUTCOME, review=review
    )
    letter_edit(
        actor=flintshire.sian,
        letter=letter,
        what_happened="The calls have been calm.",
        what_happened_cy="Mae'r galwadau wedi bod yn dawel.",
    )
    facts = letter_facts.facts_for(letter, on=D(2026, 9, 2))
    assert (facts.outcome, facts.next_review_on) == ("continue", D(2026, 10, 1))
    assert letter_facts.missing_for(letter, facts, bryns_decision.policy_version.preset) == []
    with pytest.raises(ValidationError) as err:
        letter_draft(actor=flintshire.sian, decision=bryns_decision, kind=Kind.REVIEW_OUTCOME)
    assert _messages(err)["kind"] == ["This letter cannot be written about this decision."]


def test_frontline_staff_draft_only_letters_about_what_they_logged(flintshire, bryns_decision, highland):
    """003 Guidance: "You will need to draft the letter to the customer": the person who logged the
    incident may draft; a colleague who had no part in it may not, nor anyone of another council."""
    owain = person(flintshire.organisation, "owain", "Owain Jones", "employee", flintshire.dafydd)
    with expect_audit(), pytest.raises(ValidationError) as err:
        letter_draft(actor=owain, decision=bryns_decision, kind=Kind.DECISION)
    assert _messages(err)["kind"] == ["Only those who work on this case can draft its letters."]
    with pytest.raises(ValidationError):
        letter_draft(actor=highland.morag, decision=bryns_decision, kind=Kind.DECISION)
    with expect_audit("letter.draft"):
        letter_draft(actor=flintshire.ffion, decision=bryns_decision, kind=Kind.DECISION)


# ---------------------------------------------------------------------------------------------
# Scottish Borders: the manager checks the restorative letter; the group checks active management
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def alan(borders):
    who = customer(borders.organisation, "Alan Rutherford")
    identifier_add(
        actor=borders.callum, customer=who, kind="postal_address", raw="3 High Street\nHawick\nTD9 9AA"
    )
    first = incident(
        borders.organisation,
        who,
        borders.kirsty,
        on=MONDAY,
        categories=["demands"],
        channel="email",
        account="Twelve emails in a day demanding a named officer.",
    )
    case = case_open(actor=borders.callum, customer=who)
    restorative = decision_make(
        actor=borders.callum,
        case=case,
        type="restorative_approach",
        reasons="Explain how to engage with us and ask for one email a week.",
        incidents=[first],
        today=MONDAY,
    )
    return case, first, restorative


def test_kirsty_drafts_the_restorative_letter_and_only_a_manager_checks_it(borders, alan):
    """003 Guidance: "You will need to draft the letter to the customer ... This draft must be
    checked by your manager before it is issued"."""
    _case, _first, restorative = alan
    with expect_audit("letter.draft"):
        letter = letter_draft(actor=borders.kirsty, decision=restorative, kind=Kind.RESTORATIVE)
    assert (letter.layout, letter.check_by) == ("en", ["manager", "senior_manager"])
    assert letter.check_clause == "003: Guidance — Manager approved restorative approach"
    letter_edit(actor=borders.kirsty, letter=letter, what_happened="We received twelve emails in one day.")
    letter_submit_for_check(actor=borders.kirsty, letter=letter, today=MONDAY)
    with pytest.raises(ValidationError) as err:
        letter_check(actor=borders.alasdair, letter=letter, approve=True)
    assert _messages(err)["approve"] == [
        "Only the Manager (line manager) or the Senior manager may check this letter "
        "(003: Guidance — Manager approved restorative approach)."
    ]
    with expect_audit(("letter.check", letter)) as records:
        letter_check(actor=borders.callum, letter=letter, approve=True)
    assert records[0].detail["as"] == "manager"
    assert work.tasks_for(borders.kirsty, today=MONDAY).tasks[0].label == (
        "Issue the checked letter to Alan Rutherford"
    )


def test_the_complaints_review_group_checks_the_active_management_letter_together(borders, alan):
    """003 Guidance: "This draft must be checked by the Complaints Review Group before it is issued"."""
    case, first, _restorative = alan
    decision = decision_make(
        actor=borders.alasdair,
        case=case,
        type="active_management",
        reasons="Demands continued after the restorative letter.",
        incidents=[first],
        why_not_less_restrictive="The restorative letter did not change the engagement.",
        considerations="No needs known; letters and email stay open.",
        warning_given_on=MONDAY,
        ends_on=D(2026, 9, 1),
        review_on=D(2026, 6, 1),
        measures=[MeasureInput("allowed_channels", {"channels": ["email", "letter"]})],
        as_group="complaints_review_group",
        members_present=[borders.iona, borders.ruaridh, borders.fiona],
        group_outcome="Agreed.",
        today=D(2026, 3, 16),
    )
    letter = letter_draft(actor=borders.callum, decision=decision, kind=Kind.DECISION)
    assert letter.check_by == ["complaints_review_group"]
    assert letter.signed_by == borders.alasdair
    letter_edit(
        actor=borders.callum, letter=letter, what_happened="We received many emails each day in March."
    )
    letter_submit_for_check(actor=borders.callum, letter=letter, today=D(2026, 3, 16))
    assert [t.label for t in work.tasks_for(borders.iona, today=D(2026, 3, 16)).tasks] == [
        "Check the letter to Alan Rutherford: decision letter"
    ]
    with pytest.raises(ValidationError) as err:
        letter_check(actor=borders.alasdair, letter=letter, approve=True)
    assert _messages(err)["approve"][0].startswith("Only the Complaints Review Group may check this letter")
    with pytest.raises(ValidationError) as err:
        letter_check(
            actor=borders.alasdair,
            letter=letter,
            approve=True,
            as_group="complaints_review_group",
            members_present=[borders.iona],
        )
    assert "At least 3 members" in _messages(err)["members_present"][0]
    with expect_audit("letter.check"):
        letter_check(
            actor=borders.alasdair,
            letter=letter,
            approve=True,
            as_group="complaints_review_group",
            members_present=[borders.iona, borders.ruaridh],
        )
    assert letter.checked_as == "complaints_review_group"
    assert set(letter.check_members.all()) == {borders.alasdair, borders.iona, borders.ruaridh}


def test_borders_records_a_letter_not_sent_on_professional_advice(borders, alan):
    """003 11.6: "medical or SBC professional staff advise that telling a customer that we have made
    a decision to restrict contact is not appropriate"."""
    _case, _first, restorative = alan
    letter = letter_draft(actor=borders.callum, decision=restorative, kind=Kind.RESTORATIVE)
    with pytest.raises(ValidationError) as err:
        letter_record_not_sent(
            actor=borders.kirsty, letter=letter, exemption="medical_or_professional_advice", reason="x"
        )
    assert _messages(err)["exemption"] == [
        "Only a manager or someone more senior can decide not to send a letter."
    ]
    with pytest.raises(ValidationError) as err:
        letter_record_not_sent(
            actor=borders.callum, letter=letter, exemption="medical_or_professional_advice", reason=" "
        )
    assert list(_messages(err)) == ["reason"]
    with expect_audit(("letter.not_sent", letter)) as records:
        letter_record_not_sent(
            actor=borders.callum,
            letter=letter,
            exemption="medical_or_professional_advice",
            reason="His social worker advised on 4 March that a letter now would cause harm.",
        )
    assert (letter.status, letter.not_sent_clause) == ("not_sent", "003: 11.6")
    assert records[0].detail == {"exemption": "medical_or_professional_advice", "clause": "003: 11.6"}


def test_staff_names_are_left_off_a_letter_when_a_measure_withholds_them(borders, alan):
    """003 7.4: "not providing direct contact details or staff names"."""
    case, first, _restorative = alan
    decision = decision_make(
        actor=borders.morag,
        case=case,
        type="active_management",
        reasons="Staff were named online.",
        incidents=[first],
        why_not_less_restrictive="Names led to harassment.",
        considerations="None known.",
        warning_given_on=MONDAY,
        ends_on=D(2026, 9, 1),
        review_on=D(2026, 6, 1),
        measures=[MeasureInput("no_staff_details", {})],
        today=D(2026, 3, 16),
    )
    letter = letter_draft(actor=borders.morag, decision=decision, kind=Kind.DECISION)
    facts = letter_facts.facts_for(letter, on=D(2026, 3, 17))
    assert facts.signatory == ""


def test_highland_writes_in_english_only(highland):
    """001 is an English-only policy: a Welsh layout is refused with the letters clause."""
    from engage.letters.services import layouts_allowed
    from engage.policy.services import current_policy

    assert layouts_allowed(current_policy(highland.organisation).preset) == ["en"]


def test_my_letters_to_draft_are_read_in_the_same_queries_however_many_there_are(flintshire, bryn):
    """Decisions recorded without the policy they were made under (the field allows it) use the
    policy in force, read once per organisation, not once per decision."""

    def queries() -> int:
        Decision.objects.update(policy_version=None)
        with CaptureQueriesContext(connection) as captured:
            tasks = work.tasks_for(flintshire.sian, today=ISSUED).tasks
        assert len(tasks) == Decision.objects.count()
        return len(captured)

    formal(flintshire, *bryn)
    one = queries()
    for _ in range(2):  # two more decisions like it (copies: only what is read matters here)
        again = Decision.objects.filter(type="active_management").first()
        again.pk = None
        again.save()
    assert queries() == one


def test_my_work_lists_the_oldest_letters_to_draft_and_counts_the_rest(flintshire, bryn, monkeypatch):
    monkeypatch.setattr(work, "SHOWN", 2)
    formal(flintshire, *bryn)
    for days in (1, 2):  # decided a day and two days earlier than Bryn's
        again = Decision.objects.filter(type="active_management").first()
        assert again is not None
        again.pk = None
        again.decided_on = DECIDED - dt.timedelta(days=days)
        again.save()
    group = work.tasks_for(flintshire.sian, today=ISSUED)
    assert group is not None
    assert [t.due for t in group.tasks] == [DECIDED - dt.timedelta(days=2), DECIDED - dt.timedelta(days=1)]
    assert (group.not_built, group.more) == (1, 1)


def test_a_letter_i_must_draft_shows_in_my_work(flintshire, bryns_decision):
    tasks = work.tasks_for(flintshire.sian, today=ISSUED).tasks
    assert [(t.label, t.url) for t in tasks] == [
        (
            "Draft the letter about the active management for Bryn Jenkins",
            f"/letters/new/{bryns_decision.pk}/",
        )
    ]
    letter = _drafted(flintshire, bryns_decision)
    letter_submit_for_check(actor=flintshire.sian, letter=letter, today=ISSUED)
    assert [t.url for t in work.tasks_for(flintshire.dafydd, today=ISSUED).tasks] == [
        f"/letters/{letter.pk}/check/"
    ]
    assert work.tasks_for(flintshire.ffion, today=ISSUED).tasks == []
