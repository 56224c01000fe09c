"""The contact pages: what they show, what they record, and to whom."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from engage.audit.testing import expect_audit
from engage.contacts.models import ContactCheck
from engage.contacts.tests.stories import restrict
from engage.customers.tests.factories import CustomerFactory
from engage.decisions.measures import AllowedChannels, NoStaffDetails, SinglePointOfContact
from engage.policy.vocabulary import Channel

URL = reverse("contacts:check")


@pytest.fixture
def bryn(flintshire):
    who = CustomerFactory(
        organisation=flintshire.organisation, full_name="Bryn Jenkins", phone="01352 702345"
    )
    restrict(
        who,
        SinglePointOfContact(flintshire.sian.pk, "Siân Ellis-Jones"),
        NoStaffDetails(),
        AllowedChannels(tuple(c for c in Channel if c != Channel.IN_PERSON)),
    )
    return who


def test_the_page_asks_for_the_identifier_and_the_channel(client, flintshire):
    client.force_login(flintshire.ffion)
    page = client.get(URL, {"identifier": "01352 702345"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="01352 702345"' in html
    assert "How are they contacting us?" in html
    assert "no-store" in page["Cache-Control"]
    assert not ContactCheck.objects.exists()


def test_ffion_checks_a_restricted_caller_and_sees_what_to_do_and_say(client, flintshire, bryn):
    client.force_login(flintshire.ffion)
    with expect_audit("contact.check"):
        page = client.post(URL, {"identifier": "+44 1352 702345", "channel": "phone"})
    html = page.content.decode()
    assert "engage-result--restricted" in html
    assert "Go ahead, with conditions" in html
    assert "Put the call through only to Siân Ellis-Jones" in html
    assert "What to say" in html
    assert "I will put you through to Siân Ellis-Jones, who deals with your enquiries." in html
    assert f"This is the answer for Bryn Jenkins ({bryn.reference})." in html
    assert ContactCheck.objects.get().checked_by == flintshire.ffion


def test_a_visit_refused_is_shown_as_stop_in_words(client, flintshire, bryn):
    client.force_login(flintshire.ffion)
    html = client.post(URL, {"identifier": "01352702345", "channel": "in_person"}).content.decode()
    assert "engage-result--redirect" not in html
    assert "engage-result--restricted" in html  # redirected to the other channels
    assert "Redirect this contact" in html


def test_an_unknown_caller_is_go_ahead_with_no_name_shown(client, flintshire, bryn):
    client.force_login(flintshire.ffion)
    html = client.post(URL, {"identifier": "01352 700000", "channel": "phone"}).content.decode()
    assert "engage-result--clear" in html
    assert "Go ahead" in html
    assert "This is the answer for" not in html
    assert "What to say" not in html


def test_a_missing_channel_and_a_bad_number_are_both_named_and_nothing_is_recorded(client, flintshire, bryn):
    client.force_login(flintshire.ffion)
    with expect_audit():
        page = client.post(URL, {"identifier": "01352 7023"})
    html = page.content.decode()
    assert "There is a problem" in html
    assert "Select how they are contacting us" in html
    assert "Enter a phone number in the correct format" in html
    assert 'href="#id_channel_0"' in html
    assert "engage-result" not in html
    assert not ContactCheck.objects.exists()


def test_the_page_never_shows_history_or_notes(client, flintshire, bryn):
    client.force_login(flintshire.ffion)
    page = client.post(URL, {"identifier": "01352 702345", "channel": "phone"}).content.decode()
    html = page[page.index("<main") : page.index("</main>")]
    for word in ("incident", "categor", "abus", "warning", "Recorded for the contact check"):
        assert word not in html.lower()


def test_someone_of_no_organisation_is_not_found(client, django_user_model, db):
    admin = django_user_model.objects.create(username="platform")
    client.force_login(admin)
    assert client.get(URL).status_code == 404


def test_signed_out_people_are_sent_to_sign_in(client, db):
    page = client.get(URL)
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("login"))


# ---------------------------------------------------------------------------------------------
# Imports (information governance) and levels of contact (managers)
# ---------------------------------------------------------------------------------------------

_DAY = (timezone.localdate() - dt.timedelta(days=2)).isoformat()
CSV = (
    "identifier,channel,direction,started_at,duration_seconds,service,handler\n"
    f"01352 702345,phone,inbound,{_DAY}T09:00:00Z,60,Waste,\n"
    f"01352 709999,phone,inbound,{_DAY}T09:05:00Z,60,Waste,\n"
    f"01352 702345,fax,inbound,{_DAY}T09:10:00Z,60,Waste,\n"
)


def test_rhodri_imports_a_call_log_and_sees_the_rejected_line(client, flintshire, bryn):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(flintshire.rhodri)
    page = client.get(reverse("contacts:imports"))
    assert "The columns a file must have" in page.content.decode()
    with expect_audit("contact_import.start", "contact_import.complete"):
        done = client.post(
            reverse("contacts:imports"), {"file": SimpleUploadedFile("calls.csv", CSV.encode(), "text/csv")}
        )
    assert done.status_code == 302
    report = client.get(done["Location"]).content.decode()
    assert "Line 4: channel &#x27;fax&#x27; is not one of" in report
    listing = client.get(reverse("contacts:imports")).content.decode()
    assert "calls.csv" in listing
    assert "Matched no customer" in listing


def test_a_file_without_the_columns_is_named_on_the_page(client, flintshire):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(flintshire.rhodri)
    page = client.post(
        reverse("contacts:imports"), {"file": SimpleUploadedFile("x.csv", b"number,when\n1,2\n")}
    )
    assert "The file has no &#x27;identifier&#x27; or &#x27;channel&#x27;" in page.content.decode()


def test_only_information_governance_imports(client, flintshire):
    client.force_login(flintshire.ffion)
    assert client.get(reverse("contacts:imports")).status_code == 403
    assert client.get(reverse("contacts:levels_settings")).status_code == 403


def test_dafydd_considers_a_levels_flag_from_his_work_and_closes_it(client, flintshire, bryn):
    from engage.contacts.models import ContactEvent, LevelsFlag
    from engage.contacts.rules import LONDON

    end = dt.datetime(2026, 3, 9, 11, 0, tzinfo=LONDON)
    for minutes in range(0, 60, 10):
        ContactEvent.objects.create(
            organisation=flintshire.organisation,
            customer=bryn,
            channel="phone",
            direction="inbound",
            started_at=end - dt.timedelta(minutes=minutes),
            key=minutes,
        )
    flag = LevelsFlag.objects.create(
        organisation=flintshire.organisation,
        customer=bryn,
        rule="calls_per_hour",
        threshold=4,
        value=6,
        window_start=end - dt.timedelta(hours=1),
        window_end=end,
    )
    client.force_login(flintshire.dafydd)
    # The lead lists engage.contacts.work in core.work's _SOURCES; the group is tested directly.
    from engage.contacts.work import tasks_for

    group = tasks_for(flintshire.dafydd)
    assert group is not None
    assert [t.url for t in group.tasks] == [reverse("contacts:levels_flag", args=[flag.pk])]
    assert tasks_for(flintshire.ffion) is None
    page = client.get(reverse("contacts:levels_flag", args=[flag.pk])).content.decode()
    assert "6, more than 4" in page
    assert "This restricts no one." in page
    assert "<svg" in page
    with expect_audit("levels_flag.close"):
        client.post(reverse("contacts:levels_flag", args=[flag.pk]), {"outcome": "No action: a burst pipe."})
    flag.refresh_from_db()
    assert (flag.status, flag.closed_by, flag.outcome) == (
        "closed",
        flintshire.dafydd,
        "No action: a burst pipe.",
    )
    client.force_login(flintshire.ffion)
    assert client.get(reverse("contacts:levels_flag", args=[flag.pk])).status_code == 403


def test_rhodri_sets_the_thresholds(client, flintshire):
    from engage.contacts.levels import thresholds_for

    client.force_login(flintshire.rhodri)
    page = client.get(reverse("contacts:levels_settings")).content.decode()
    assert 'value="4"' in page
    with expect_audit("contact_levels.update"):
        client.post(
            reverse("contacts:levels_settings"),
            {
                "calls_per_hour": "6",
                "calls_per_day": "",
                "calls_per_week": "30",
                "call_minutes_per_week": "240",
                "email_recipients": "5",
            },
        )
    assert thresholds_for(flintshire.organisation).calls_per_hour == 6
    assert thresholds_for(flintshire.organisation).calls_per_day is None
