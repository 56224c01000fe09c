"""Staff care services: who may act, what each must be given, and that every change is audited.

Clauses: 000/001 §68 and 002 10.4 (debriefs; asking for no further contact), 000/001 §70 and
002 10.6 (removal from a case; correspondence in a senior manager's name), 000/001 §78–86 and
002 12.6–12.10 (staff named publicly online).
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from PIL import Image

from engage.audit.testing import expect_audit
from engage.customers.services import customer_merge
from engage.staffcare import rules
from engage.staffcare.models import Debrief, NamedOnlineReport, StaffRequest
from engage.staffcare.selectors import active_no_contact, named_online_for
from engage.staffcare.services import (
    debrief_record,
    named_online_act,
    named_online_close,
    named_online_report,
    named_online_say,
    named_online_screenshot_open,
    named_online_tell,
    staff_request_decide,
    staff_request_end,
    staff_request_make,
    staff_requests_move,
)
from engage.staffcare.tests.helpers import jpeg_with_camera_details, png

Kind = StaffRequest.Kind


def _ask(flintshire, care, kind=Kind.NO_FURTHER_CONTACT, **kw):
    return staff_request_make(
        actor=kw.pop("actor", flintshire.ffion),
        staff_member=kw.pop("staff_member", flintshire.ffion),
        customer=kw.pop("customer", care.customer),
        kind=kind,
        **kw,
    )


def _named(actor, staff_member, **kw):
    kw.setdefault("platform", "Facebook")
    kw.setdefault("links", "https://social.example.org/posts/1")
    return named_online_report(actor=actor, staff_member=staff_member, **kw)


# ------------------------------------------------------------------------------------ debriefs


def test_dafydd_notes_a_debrief_with_ffion_and_what_they_agreed(flintshire):
    """001 §68 / 002 10.4: a debrief with the line manager, and the agreed actions noted."""
    with expect_audit("staffcare.debrief_record") as records:
        debrief = debrief_record(
            actor=flintshire.dafydd,
            staff_member=flintshire.ffion,
            held_with=[flintshire.dafydd],
            held_on=timezone.localdate(),
            agreed_actions="Ffion takes the afternoon away from the phones.",
            follow_up_on=timezone.localdate() + dt.timedelta(days=7),
        )
    assert records[0].object_id == str(debrief.pk)
    assert records[0].detail == {
        "staff_member": flintshire.ffion.pk,
        "held_with": [flintshire.dafydd.pk],
        "incident": None,
    }
    assert "afternoon" not in str(records[0].detail)  # what was agreed stays out of the audit log
    assert list(debrief.held_with.all()) == [flintshire.dafydd]
    assert debrief.organisation == flintshire.organisation


def test_ffion_may_note_her_own_debrief(flintshire):
    """001 §68: staff are encouraged to have a debrief; either side may note it."""
    with expect_audit("staffcare.debrief_record"):
        debrief_record(
            actor=flintshire.ffion,
            staff_member=flintshire.ffion,
            held_with=[flintshire.dafydd],
            held_on=timezone.localdate(),
            agreed_actions="Nothing further.",
        )


def test_a_colleague_who_was_not_there_cannot_note_someones_debrief(flintshire):
    with expect_audit(), pytest.raises(PermissionDenied):
        debrief_record(
            actor=flintshire.gwen,
            staff_member=flintshire.ffion,
            held_with=[flintshire.dafydd],
            held_on=timezone.localdate(),
            agreed_actions="Nothing further.",
        )
    assert not Debrief.objects.exists()


def test_a_debrief_needs_who_it_was_with_and_what_was_agreed_and_no_future_date(flintshire):
    with expect_audit(), pytest.raises(ValidationError) as err:
        debrief_record(
            actor=flintshire.dafydd,
            staff_member=flintshire.ffion,
            held_with=[flintshire.ffion],  # only herself: nobody else
            held_on=timezone.localdate() + dt.timedelta(days=1),
            agreed_actions="  ",
        )
    assert set(err.value.message_dict) == {"held_with", "held_on", "agreed_actions"}


def test_a_follow_up_cannot_come_before_the_debrief(flintshire):
    with pytest.raises(ValidationError) as err:
        debrief_record(
            actor=flintshire.dafydd,
            staff_member=flintshire.ffion,
            held_with=[flintshire.dafydd],
            held_on=timezone.localdate(),
            agreed_actions="Check in.",
            follow_up_on=timezone.localdate() - dt.timedelta(days=1),
        )
    assert set(err.value.message_dict) == {"follow_up_on"}


def test_a_debrief_cannot_cross_organisations(flintshire, highland):
    with expect_audit(), pytest.raises(PermissionDenied):
        debrief_record(
            actor=highland.eilidh,
            staff_member=flintshire.ffion,
            held_with=[highland.eilidh],
            held_on=timezone.localdate(),
            agreed_actions="x",
        )
    with expect_audit(), pytest.raises(ValidationError) as err:
        debrief_record(
            actor=flintshire.dafydd,
            staff_member=flintshire.ffion,
            held_with=[highland.eilidh],
            held_on=timezone.localdate(),
            agreed_actions="x",
        )
    assert "held_with" in err.value.message_dict


# ------------------------------------------------------------------------------ staff requests


def test_ffion_asks_for_no_further_contact_without_giving_a_reason(flintshire, care):
    """001 §68 / 002 10.4: staff 'may request to no longer have contact with a specific
    individual'; nothing asks them to justify it."""
    with expect_audit("staffcare.request_make") as records:
        request = _ask(flintshire, care)
    assert request.status == StaffRequest.Status.REQUESTED
    assert request.reason == ""
    assert records[0].detail == {
        "kind": "no_further_contact",
        "staff_member": flintshire.ffion.pk,
        "customer": care.customer.pk,
        "on_behalf": False,
    }
    assert active_no_contact(flintshire.organisation.pk, care.customer.pk) == []  # not until agreed


def test_dafydd_may_ask_on_ffions_behalf_but_a_colleague_may_not(flintshire, care):
    with expect_audit("staffcare.request_make") as records:
        request = _ask(flintshire, care, actor=flintshire.dafydd, kind=Kind.REMOVE_FROM_CASE)
    assert records[0].detail["on_behalf"] is True
    assert request.created_by == flintshire.dafydd
    for outsider in (care.llyr, flintshire.gwen):
        with expect_audit(), pytest.raises(PermissionDenied):
            _ask(flintshire, care, actor=outsider)
    with pytest.raises(PermissionDenied):  # Ffion does not manage Dafydd
        _ask(flintshire, care, actor=flintshire.ffion, staff_member=flintshire.dafydd)


def test_the_same_request_cannot_be_open_twice(flintshire, care):
    _ask(flintshire, care)
    with expect_audit(), pytest.raises(ValidationError) as err:
        _ask(flintshire, care)
    assert err.value.message_dict["kind"] == ["This request is waiting for a decision"]
    _ask(flintshire, care, kind=Kind.REMOVE_FROM_CASE)  # a different kind is a different request


def test_a_customer_of_another_organisation_is_refused(flintshire, care, highland_care):
    with expect_audit(), pytest.raises(ValidationError) as err:
        _ask(flintshire, care, customer=highland_care.customer)
    assert "customer" in err.value.message_dict


def test_dafydd_agrees_and_the_contact_check_honours_it(flintshire, care):
    """001 §68: an agreed request is what the contact check must honour."""
    request = _ask(flintshire, care)
    with expect_audit(("staffcare.request_decide", request)) as records:
        staff_request_decide(actor=flintshire.dafydd, request=request, agree=True)
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (StaffRequest.Status.AGREED, flintshire.dafydd)
    assert records[0].detail["outcome"] == "agreed"
    assert active_no_contact(flintshire.organisation.pk, care.customer.pk) == [
        (flintshire.ffion.pk, "no_further_contact")
    ]


def test_those_above_her_or_a_senior_manager_may_decide_and_no_one_else(flintshire, care):
    """Decided by the staff member's manager (001 §68 'with their line manager') or a senior
    manager (004 'CCSM or any other senior manager'); never by a peer or by herself."""
    for refused in (flintshire.ffion, care.llyr, flintshire.gwen, flintshire.rhodri):
        request = _ask(flintshire, care)
        with expect_audit(), pytest.raises(PermissionDenied):
            staff_request_decide(actor=refused, request=request, agree=True)
        staff_request_end(actor=flintshire.ffion, request=request)
    for allowed in (flintshire.dafydd, flintshire.sian, care.carys):
        request = _ask(flintshire, care)
        with expect_audit("staffcare.request_decide"):
            staff_request_decide(actor=allowed, request=request, agree=True)
        staff_request_end(actor=flintshire.ffion, request=request)


def test_a_manager_cannot_decide_their_own_request(flintshire, care):
    request = _ask(flintshire, care, actor=flintshire.dafydd, staff_member=flintshire.dafydd)
    with expect_audit(), pytest.raises(PermissionDenied):
        staff_request_decide(actor=flintshire.dafydd, request=request, agree=True)
    with expect_audit("staffcare.request_decide"):
        staff_request_decide(actor=flintshire.sian, request=request, agree=True)


def test_a_manager_of_another_organisation_cannot_decide(flintshire, care, highland_care):
    request = _ask(flintshire, care)
    with expect_audit(), pytest.raises(PermissionDenied):
        staff_request_decide(actor=highland_care.iain, request=request, agree=True)


def test_declining_needs_a_reason_that_she_will_see(flintshire, care):
    request = _ask(flintshire, care)
    with expect_audit(), pytest.raises(ValidationError) as err:
        staff_request_decide(actor=flintshire.dafydd, request=request, agree=False, reason=" ")
    assert "reason" in err.value.message_dict
    with expect_audit("staffcare.request_decide"):
        staff_request_decide(
            actor=flintshire.dafydd,
            request=request,
            agree=False,
            reason="You are the only Welsh speaker today.",
        )
    assert request.status == StaffRequest.Status.DECLINED
    with expect_audit(), pytest.raises(ValidationError):  # decided once only
        staff_request_decide(actor=flintshire.dafydd, request=request, agree=True)


def test_letters_in_a_senior_managers_name_record_whose_name(flintshire, care):
    """001 §70 / 002 10.6: correspondence sent in the name of a senior manager."""
    request = _ask(flintshire, care, kind=Kind.SENIOR_MANAGER_NAME)
    with expect_audit("staffcare.request_decide"):
        staff_request_decide(
            actor=flintshire.dafydd, request=request, agree=True, correspond_as=flintshire.sian
        )
    assert request.correspond_as == flintshire.sian
    other = _ask(flintshire, care, kind=Kind.SENIOR_MANAGER_NAME, staff_member=care.llyr, actor=care.llyr)
    staff_request_decide(actor=flintshire.sian, request=other, agree=True)
    assert other.correspond_as == flintshire.sian  # the decider's own name by default
    third = _ask(flintshire, care, kind=Kind.REMOVE_FROM_CASE)
    staff_request_decide(actor=flintshire.dafydd, request=third, agree=True, correspond_as=flintshire.sian)
    assert third.correspond_as is None  # only for correspondence requests


def test_ffion_may_withdraw_her_request_without_a_reason(flintshire, care):
    request = _ask(flintshire, care)
    staff_request_decide(actor=flintshire.dafydd, request=request, agree=True)
    with expect_audit(("staffcare.request_end", request)) as records:
        staff_request_end(actor=flintshire.ffion, request=request)
    assert records[0].detail == {"kind": "no_further_contact", "was": "agreed", "by_staff_member": True}
    assert active_no_contact(flintshire.organisation.pk, care.customer.pk) == []
    with expect_audit(), pytest.raises(ValidationError):
        staff_request_end(actor=flintshire.ffion, request=request)


def test_a_manager_ending_an_agreed_request_must_say_why_and_a_peer_cannot(flintshire, care):
    request = _ask(flintshire, care)
    staff_request_decide(actor=flintshire.dafydd, request=request, agree=True)
    with expect_audit(), pytest.raises(PermissionDenied):
        staff_request_end(actor=care.llyr, request=request, reason="x")
    with expect_audit(), pytest.raises(ValidationError) as err:
        staff_request_end(actor=flintshire.dafydd, request=request)
    assert "reason" in err.value.message_dict
    with expect_audit("staffcare.request_end"):
        staff_request_end(actor=flintshire.dafydd, request=request, reason="The customer has moved away.")
    assert request.end_reason == "The customer has moved away."


def test_requests_follow_the_customer_when_records_are_merged(flintshire, care):
    kept = _ask(flintshire, care, kind=Kind.REMOVE_FROM_CASE)
    staff_request_decide(actor=flintshire.dafydd, request=kept, agree=True)
    moved = _ask(flintshire, care, customer=care.other_customer)
    staff_request_decide(actor=flintshire.dafydd, request=moved, agree=True)
    duplicate = _ask(flintshire, care, customer=care.other_customer, actor=care.llyr, staff_member=care.llyr)
    _ask(flintshire, care, customer=care.customer, actor=care.llyr, staff_member=care.llyr)
    # The merge moves them itself, in its own transaction (customers.services.customer_merge).
    with expect_audit("staffcare.requests_move", "customer.merge"):
        customer_merge(actor=flintshire.sian, keep=care.customer, merge=care.other_customer)
    with expect_audit():
        assert (
            staff_requests_move(actor=flintshire.sian, source=care.other_customer, target=care.customer) == 0
        )
    duplicate.refresh_from_db()
    assert duplicate.status == StaffRequest.Status.ENDED
    assert active_no_contact(flintshire.organisation.pk, care.customer.pk) == [
        (flintshire.ffion.pk, "no_further_contact"),
        (flintshire.ffion.pk, "remove_from_case"),
    ]
    assert active_no_contact(flintshire.organisation.pk, care.other_customer.pk) == []
    assert StaffRequest.objects.get(pk=moved.pk).customer == care.customer


# ---------------------------------------------------------------------------- named online


def test_ffion_reports_being_named_with_a_link_and_a_screenshot_kept_without_metadata(flintshire, care):
    """001 §78a / 002 12.6: a link to the page and screenshots; 001 §74–75: kept safely."""
    with expect_audit("staffcare.named_online_report") as records:
        report = _named(
            flintshire.ffion,
            flintshire.ffion,
            links="social.example.org/posts/1\n\nhttps://social.example.org/posts/1",
            screenshots=[("IMG_0001.JPG", jpeg_with_camera_details())],
            staff_view="Report it to the site, please.",
        )
    assert report.links == ["https://social.example.org/posts/1"]
    assert report.staff_member_knows is True
    assert report.staff_view_recorded_by == flintshire.ffion
    assert records[0].detail == {
        "staff_member": flintshire.ffion.pk,
        "by_staff_member": True,
        "links": 1,
        "screenshots": 1,
    }
    shot = report.screenshots.get()
    assert shot.content_type == "image/jpeg"
    assert "IMG_0001" not in shot.file.name
    with shot.file.open("rb") as stored, Image.open(io.BytesIO(stored.read())) as image:
        assert dict(image.getexif()) == {}


def test_a_report_needs_where_and_something_to_go_on(flintshire):
    with expect_audit(), pytest.raises(ValidationError) as err:
        named_online_report(actor=flintshire.ffion, staff_member=flintshire.ffion, platform=" ")
    assert set(err.value.message_dict) == {"platform"}
    with pytest.raises(ValidationError) as err:
        named_online_report(actor=flintshire.ffion, staff_member=flintshire.ffion, platform="X")
    assert err.value.message_dict["links"] == [
        "Give a link, a screenshot or a few words about what was posted"
    ]
    assert not NamedOnlineReport.objects.exists()


def test_what_is_not_a_web_address_or_not_an_image_is_refused_by_name(flintshire, care):
    with pytest.raises(ValidationError) as err:
        _named(flintshire.ffion, flintshire.ffion, links="javascript:alert(1)")
    assert "“javascript:alert(1)” is not a web address" in err.value.message_dict["links"][0]
    with pytest.raises(ValidationError) as err:
        _named(
            flintshire.ffion, flintshire.ffion, screenshots=[("post.png", b"%PDF-1.4 not a picture %%EOF")]
        )
    assert err.value.message_dict["screenshots"][0].startswith(
        "“post.png”: The file's name says it is a PNG image, but its content is a PDF document."
    )
    with pytest.raises(ValidationError) as err:
        _named(flintshire.ffion, flintshire.ffion, screenshots=[("post.pdf", b"%PDF-1.4\n%%EOF")])
    assert "is not a screenshot" in err.value.message_dict["screenshots"][0]


def test_a_colleague_reports_it_and_ffion_sees_it_only_once_told_in_private(flintshire, care):
    """001 §80 / 002 12.8: the line manager tells the member of staff in private."""
    report = _named(care.llyr, flintshire.ffion)
    assert not report.staff_member_knows
    assert not named_online_for(flintshire.ffion).exists()
    assert not named_online_for(care.llyr).exists()  # 001 §79: no wider than necessary
    with expect_audit(), pytest.raises(ValidationError) as err:  # she cannot have a say before she knows
        named_online_say(actor=flintshire.dafydd, report=report, staff_view="Take it down")
    assert "in private first" in err.value.message_dict["staff_view"][0]
    with expect_audit(("staffcare.named_online_tell", report)):
        named_online_tell(
            actor=flintshire.dafydd,
            report=report,
            parties=[rules.LINE_MANAGER, rules.STAFF_MEMBER],
            told_on=timezone.localdate(),
        )
    assert report.staff_member_knows
    assert list(named_online_for(flintshire.ffion)) == [report]


def test_only_the_staff_member_gives_her_own_view_when_reporting(flintshire, care):
    """002 12.8: the affected member of staff has a say; a colleague does not speak for her."""
    with expect_audit(), pytest.raises(ValidationError) as err:
        _named(care.llyr, flintshire.ffion, staff_view="She wants the police told")
    assert "staff_view" in err.value.message_dict


def test_only_the_parties_the_policy_names_are_recorded_as_told(highland, highland_care):
    """001 §78a: line manager, Head of People, cc Corporate Communications; §79: no wider."""
    report = _named(highland.eilidh, highland.eilidh)
    with expect_audit(), pytest.raises(ValidationError) as err:
        named_online_tell(
            actor=highland_care.iain,
            report=report,
            parties=["role:chief_executive"],
            told_on=timezone.localdate(),
        )
    assert err.value.message_dict["parties"] == ["Select only people your policy says to tell (001: §79)"]
    with expect_audit("staffcare.named_online_tell"):
        named_online_tell(
            actor=highland_care.iain,
            report=report,
            parties=[rules.LINE_MANAGER, "role:head_of_people"],
            told_on=timezone.localdate(),
        )
    assert [(t["party"], t["name"]) for t in report.told] == [
        ("line_manager", "Line manager"),
        ("role:head_of_people", "Head of People (HR)"),
    ]
    with expect_audit(), pytest.raises(ValidationError):  # already told
        named_online_tell(
            actor=highland_care.isla,
            report=report,
            parties=["role:head_of_people"],
            told_on=timezone.localdate(),
        )
    with expect_audit("staffcare.named_online_tell"):  # the staff member may record it too
        named_online_tell(
            actor=highland.eilidh,
            report=report,
            parties=["role:corporate_communications"],
            told_on=timezone.localdate(),
        )


def test_telling_her_in_private_is_for_her_management_or_hr_and_not_for_another_organisation(
    flintshire, care, highland_care
):
    report = _named(care.llyr, flintshire.ffion)
    for outsider in (care.llyr, highland_care.isla, flintshire.gwen):
        with expect_audit(), pytest.raises(PermissionDenied):
            named_online_tell(
                actor=outsider, report=report, parties=[rules.STAFF_MEMBER], told_on=timezone.localdate()
            )
    with pytest.raises(ValidationError):
        named_online_tell(
            actor=flintshire.dafydd,
            report=report,
            parties=[rules.STAFF_MEMBER],
            told_on=timezone.localdate() + dt.timedelta(days=1),
        )


def test_closing_needs_her_say_and_what_was_done(highland, highland_care):
    """002 12.8: 'The affected member of staff will have a say in what, if any, action is taken';
    001 §84: police only if agreed with the staff member."""
    report = _named(highland.eilidh, highland.eilidh)
    with expect_audit(), pytest.raises(ValidationError) as err:
        named_online_close(actor=highland_care.isla, report=report)
    assert set(err.value.message_dict) == {"staff_view", "actions_taken"}
    assert "(001: §80, §84, §86)" in err.value.message_dict["staff_view"][0]
    with expect_audit("staffcare.named_online_say"):
        named_online_say(
            actor=highland.eilidh, report=report, staff_view="Ask for it to be taken down. No police."
        )
    with expect_audit(), pytest.raises(PermissionDenied):
        named_online_act(actor=highland.eilidh, report=report, actions_taken="Reported")
    with expect_audit("staffcare.named_online_act"):
        named_online_act(
            actor=highland_care.kenna, report=report, actions_taken="Editor asked to remove the post (§82)."
        )
    with expect_audit(), pytest.raises(PermissionDenied):
        named_online_close(actor=highland.eilidh, report=report)
    with expect_audit(("staffcare.named_online_close", report)) as records:
        named_online_close(actor=highland_care.isla, report=report)
    assert records[0].detail["not_told"] == [
        "line_manager",
        "role:head_of_people",
        "role:corporate_communications",
    ]
    with expect_audit(), pytest.raises(ValidationError):
        named_online_say(actor=highland.eilidh, report=report, staff_view="Changed my mind")


def test_opening_a_screenshot_is_recorded_and_only_for_those_who_may_see_it(flintshire, care, highland_care):
    """001 §75–76: distressing material cannot be opened by accident, only by those who need to."""
    report = _named(flintshire.ffion, flintshire.ffion, screenshots=[("shot.png", png())])
    shot = report.screenshots.get()
    with expect_audit(("staffcare.screenshot_open", shot)) as records:
        named_online_screenshot_open(actor=flintshire.dafydd, screenshot=shot)
    assert records[0].organisation == flintshire.organisation
    for outsider in (care.llyr, highland_care.isla):
        with expect_audit(), pytest.raises(PermissionDenied):
            named_online_screenshot_open(actor=outsider, screenshot=shot)
