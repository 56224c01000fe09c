"""Staff care pages: not found across organisations or beyond need to know; forms send to services."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from engage.audit.models import AuditRecord
from engage.staffcare import work
from engage.staffcare.models import Debrief, NamedOnlineReport, StaffRequest
from engage.staffcare.services import (
    debrief_record,
    named_online_report,
    staff_request_decide,
    staff_request_make,
)
from engage.staffcare.tests.helpers import png
from tests.personas import PASSWORD


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _request(flintshire, care, **kw):
    return staff_request_make(
        actor=flintshire.ffion,
        staff_member=flintshire.ffion,
        customer=care.customer,
        kind=kw.get("kind", StaffRequest.Kind.NO_FURTHER_CONTACT),
    )


def test_every_staff_care_page_answers_for_a_call_handler(client, flintshire, care):
    _login(client, flintshire.ffion)
    for url in (
        "/staff-care/",
        "/staff-care/requests/new/",
        "/staff-care/debriefs/new/",
        "/staff-care/named-online/",
        "/staff-care/named-online/new/",
        "/staff-care/named-online/new/?about=colleague",
    ):
        assert client.get(url).status_code == 200, url


def test_another_organisation_gets_not_found_for_everything(client, flintshire, care, highland_care):
    request = _request(flintshire, care)
    debrief = debrief_record(
        actor=flintshire.dafydd,
        staff_member=flintshire.ffion,
        held_with=[flintshire.dafydd],
        held_on=timezone.localdate(),
        agreed_actions="Rest.",
    )
    report = named_online_report(
        actor=flintshire.ffion, staff_member=flintshire.ffion, platform="X", screenshots=[("a.png", png())]
    )
    _login(client, highland_care.isla)  # HR in Highland sees every Highland report, no Flintshire one
    for url in (
        f"/staff-care/requests/{request.pk}/",
        f"/staff-care/requests/{request.pk}/decide/",
        f"/staff-care/requests/{request.pk}/end/",
        f"/staff-care/debriefs/{debrief.pk}/",
        f"/staff-care/named-online/{report.pk}/",
        f"/staff-care/named-online/{report.pk}/told/",
        f"/staff-care/named-online/{report.pk}/close/",
        f"/staff-care/requests/new/?customer={care.customer.pk}",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/staff-care/screenshots/{report.screenshots.get().pk}/").status_code == 404
    assert "Ffion" not in client.get("/staff-care/named-online/").content.decode()


def test_a_call_handler_cannot_see_another_persons_requests(client, flintshire, care):
    request = _request(flintshire, care)
    _login(client, care.llyr)
    assert client.get(f"/staff-care/requests/{request.pk}/").status_code == 404
    assert "Gareth Price" not in client.get("/staff-care/").content.decode()


def test_ffion_asks_without_a_reason_and_sees_what_happens_next(client, flintshire, care):
    _login(client, flintshire.ffion)
    found = client.get("/staff-care/requests/new/", {"q": "01352 702345"}).content.decode()
    assert f"?customer={care.customer.pk}" in found
    url = f"/staff-care/requests/new/?customer={care.customer.pk}"
    page = client.get(url).content.decode()
    assert "You do not have to give a reason." in page
    assert 'name="staff_member"' not in page  # she manages no one: the request is hers
    response = client.post(url, {"kind": "no_further_contact", "reason": ""})
    made = StaffRequest.objects.get()
    assert response.url == f"/staff-care/requests/{made.pk}/"
    page = client.get(response.url).content.decode()
    assert "Dafydd Roberts will decide" in page
    assert "Nothing: no reason is needed" in page


def test_choosing_nothing_is_an_error_linked_to_the_radios(client, flintshire, care):
    _login(client, flintshire.ffion)
    page = client.post(f"/staff-care/requests/new/?customer={care.customer.pk}", {}).content.decode()
    assert '<a href="#id_kind_0">Select what you would like</a>' in page


def test_dafydd_declining_without_a_reason_is_told_to_give_one(client, flintshire, care):
    request = _request(flintshire, care)
    _login(client, flintshire.dafydd)
    page = client.post(f"/staff-care/requests/{request.pk}/decide/", {"decision": "decline"}).content.decode()
    assert "Enter why you are not agreeing. They will see this" in page
    response = client.post(f"/staff-care/requests/{request.pk}/decide/", {"decision": "agree"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == StaffRequest.Status.AGREED


def test_ffion_cannot_open_the_decision_page_for_her_own_request(client, flintshire, care):
    request = _request(flintshire, care)
    _login(client, flintshire.ffion)
    assert client.get(f"/staff-care/requests/{request.pk}/decide/").status_code == 403
    assert client.get(f"/staff-care/requests/{request.pk}/end/").status_code == 200  # she may withdraw


def test_a_debrief_date_that_is_not_real_is_named_and_linked_to_the_day_box(client, flintshire, care):
    _login(client, flintshire.dafydd)
    page = client.post(
        "/staff-care/debriefs/new/",
        {
            "staff_member": flintshire.ffion.pk,
            "held_on_day": "31",
            "held_on_month": "2",
            "held_on_year": "2025",
            "held_with": [flintshire.dafydd.pk],
            "agreed_actions": "Rest",
        },
    ).content.decode()
    assert '<a href="#id_held_on_day">Enter a real date, like 27 3 2025</a>' in page
    assert "govuk-input--error" in page
    today = timezone.localdate()
    response = client.post(
        "/staff-care/debriefs/new/",
        {
            "staff_member": flintshire.ffion.pk,
            "held_on_day": today.day,
            "held_on_month": today.month,
            "held_on_year": today.year,
            "held_with": [flintshire.dafydd.pk],
            "agreed_actions": "Rest",
        },
    )
    assert response.status_code == 302
    assert Debrief.objects.get().staff_member == flintshire.ffion


def test_reporting_being_named_with_a_screenshot_which_opens_only_on_purpose(client, flintshire, care):
    _login(client, flintshire.ffion)
    upload = SimpleUploadedFile("Screenshot 2025-03-27.png", png(), content_type="image/png")
    response = client.post(
        "/staff-care/named-online/new/",
        {"platform": "Facebook", "links": "", "screenshots": [upload], "description": "", "staff_view": ""},
    )
    report = NamedOnlineReport.objects.get()
    assert response.url == f"/staff-care/named-online/{report.pk}/"
    page = client.get(response.url).content.decode()
    assert "Screenshots may be upsetting" in page
    assert "<img" not in page
    shot = report.screenshots.get()
    assert client.get(f"/staff-care/screenshots/{shot.pk}/").status_code == 405
    opened = client.post(f"/staff-care/screenshots/{shot.pk}/")
    assert opened["Content-Type"] == "image/png"
    assert opened["Cache-Control"] == "no-store"
    assert AuditRecord.objects.filter(action="staffcare.screenshot_open", actor=flintshire.ffion).count() == 1


def test_a_colleague_reporting_is_not_asked_what_ffion_wants(client, flintshire, care):
    _login(client, care.llyr)
    page = client.get("/staff-care/named-online/new/?about=colleague").content.decode()
    assert "Who has been named?" in page
    assert "What would you like to happen?" not in page
    response = client.post(
        "/staff-care/named-online/new/?about=colleague",
        {"staff_member": flintshire.ffion.pk, "platform": "X", "description": "Names Ffion"},
    )
    assert response.url == "/staff-care/"
    report = NamedOnlineReport.objects.get()
    assert client.get(f"/staff-care/named-online/{report.pk}/").status_code == 404  # 001 §79
    _login(client, flintshire.ffion)
    assert client.get(f"/staff-care/named-online/{report.pk}/").status_code == 404  # 001 §80: told first


def test_work_lists_requests_to_decide_and_people_still_to_tell(flintshire, care, highland, highland_care):
    request = _request(flintshire, care)
    group = work.tasks_for(flintshire.dafydd)
    assert [t.label for t in group.tasks] == ["Decide Ffion Hughes's request about Gareth Price"]
    assert group.tasks[0].url == f"/staff-care/requests/{request.pk}/"
    assert work.tasks_for(flintshire.ffion) is None  # nothing of her own care is ever owed
    staff_request_decide(actor=flintshire.dafydd, request=request, agree=True)
    assert work.tasks_for(flintshire.dafydd).tasks == []

    named_online_report(
        actor=highland.eilidh, staff_member=highland.eilidh, platform="X", description="Names me"
    )
    tasks = work.tasks_for(highland_care.isla).tasks
    assert [t.label for t in tasks] == ["Record who has been told: Eilidh Fraser named online"]
    assert tasks[0].detail == "Still to tell: Line manager, Head of People (HR), Corporate Communications."
