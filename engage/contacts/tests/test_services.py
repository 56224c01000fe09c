"""Checking a contact, told as stories: Ffion at the phones, a telephony integration, Eilidh elsewhere."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext

from engage.audit.services import audit_source
from engage.audit.testing import expect_audit
from engage.contacts.models import ContactCheck, ContactEvent
from engage.contacts.rules import LONDON, Outcome
from engage.contacts.services import contact_check
from engage.contacts.tests.stories import restrict, staff_request
from engage.customers.models import Customer
from engage.customers.services import customer_merge
from engage.customers.tests.factories import CustomerFactory
from engage.decisions.measures import (
    AllowedChannels,
    CallTimes,
    NoStaffDetails,
    SinglePointOfContact,
    ThirdPartyOnly,
    VolumeLimit,
)
from engage.decisions.services import decision_lift
from engage.organisations.models import LocalClosure
from engage.policy.vocabulary import Channel

TUESDAY = dt.datetime(2026, 3, 3, 10, 30, tzinfo=LONDON)
NO_PHONE = AllowedChannels(tuple(c for c in Channel if c != Channel.PHONE))


@pytest.fixture
def bryn(flintshire):
    """Bryn Jenkins: calls only to Siân, and no staff names given (004 "Formal decision to manage
    contact")."""
    who = CustomerFactory(
        organisation=flintshire.organisation,
        full_name="Bryn Jenkins",
        phone="01352 702345",
        email="bryn@example.org",
        address="1 Stryd Fawr\nYr Wyddgrug\nCH7 1AB",
    )
    restrict(who, SinglePointOfContact(flintshire.sian.pk, "Siân Ellis-Jones"), NoStaffDetails())
    return who


def _check(user, identifier: str, channel: str = "phone", **kw):
    return contact_check(actor=user, identifier=identifier, channel=channel, at=kw.pop("at", TUESDAY), **kw)


def test_ffion_gets_the_same_answer_for_every_way_of_writing_the_number(flintshire, bryn):
    answers = []
    for number in (
        "01352 702345",
        "+44 1352 702345",
        "+44 (0)1352 702-345",
        "(01352) 702345",
        "tel:+441352702345",
    ):
        with expect_audit("contact.check") as records:
            result = _check(flintshire.ffion, number)
        answers.append(result.answer)
        assert result.customer is not None
        assert result.customer.customer_id == bryn.pk
        assert records[0].detail == {
            "check": str(result.check_id),
            "channel": "phone",
            "decision": "allow_with_conditions",
            "customer": bryn.reference,
        }
    assert all(a == answers[0] for a in answers)
    assert answers[0].decision == Outcome.ALLOW_WITH_CONDITIONS
    assert answers[0].act == (
        "Put the call through only to Siân Ellis-Jones; do not give staff names or direct contact details."
    )
    assert ContactCheck.objects.filter(customer=bryn).count() == 5


def test_the_check_is_recorded_minimally(flintshire, bryn):
    result = _check(flintshire.ffion, "01352 702345", via_representative=True)
    row = ContactCheck.objects.get()
    assert row.id == result.check_id
    assert (row.organisation, row.checked_by, row.checked_by_label) == (
        flintshire.organisation,
        flintshire.ffion,
        "Ffion Hughes",
    )
    assert (row.channel, row.via_representative, row.customer, row.decision) == (
        "phone",
        True,
        bryn,
        "allow_with_conditions",
    )
    assert row.at == TUESDAY


def test_an_unknown_number_and_an_unrestricted_customer_get_the_same_words(flintshire, bryn):
    CustomerFactory(organisation=flintshire.organisation, full_name="Nia Evans", phone="01352 700001")
    with expect_audit("contact.check", "contact.check"):
        unknown = _check(flintshire.ffion, "01352 700002")
        known = _check(flintshire.ffion, "01352 700001")
    assert unknown.answer == known.answer
    assert unknown.answer.decision == Outcome.ALLOW
    assert unknown.customer is None
    assert ContactCheck.objects.get(id=unknown.check_id).customer is None


def test_an_email_to_a_customer_with_a_named_officer_is_forwarded(flintshire, bryn):
    result = _check(flintshire.ffion, "Bryn@Example.ORG", channel="email")
    assert result.decision == Outcome.REDIRECT
    assert result.answer.act.startswith("Forward it to Siân Ellis-Jones")


def test_a_name_and_postcode_find_the_customer(flintshire, bryn):
    result = _check(flintshire.ffion, "bryn jenkins, ch7 1ab")
    assert result.customer is not None
    assert result.customer.customer_id == bryn.pk
    nobody = _check(flintshire.ffion, "Gareth Bale CH7 1AB")
    assert nobody.customer is None


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter a phone number, email address, social media handle, reference, or a name and postcode"),
        ("Bryn Jenkins", "To check someone by name, add their postcode after it, like Siôn Jones CH7 6NF"),
        ("CH7 1AB", "Add the customer's name before the postcode, like Siôn Jones CH7 6NF"),
        ("01352 70234", "Enter a phone number in the correct format, like 01352 702345 or +44 1352 702345"),
        ("bryn@@example.org", "Enter an email address in the correct format, like name@example.org"),
    ],
)
def test_what_cannot_be_checked_is_named_and_not_recorded(flintshire, bryn, typed, message):
    with expect_audit(), pytest.raises(ValidationError) as err:
        _check(flintshire.ffion, typed)
    assert err.value.message_dict == {"identifier": [message]}
    assert not ContactCheck.objects.exists()


def test_an_unknown_channel_is_refused(flintshire, bryn):
    with pytest.raises(ValidationError) as err:
        _check(flintshire.ffion, "01352 702345", channel="pigeon")
    assert err.value.message_dict == {"channel": ["Select how they are contacting us"]}


def test_a_reference_that_looks_like_a_number_is_still_found(flintshire):
    who = CustomerFactory(
        organisation=flintshire.organisation, full_name="Rhys Owen", other_reference="123456"
    )
    restrict(who, NO_PHONE)
    result = _check(flintshire.ffion, "123456")
    assert result.customer is not None
    assert result.customer.customer_id == who.pk
    assert result.decision == Outcome.REDIRECT


def test_a_lifted_restriction_no_longer_applies_at_the_next_check(flintshire, bryn):
    """003 13.2: lifted when the approach improves; nothing is cached, so the next check (well
    within a minute) sees it gone."""
    decision = restrict(bryn, NO_PHONE, starts_on=dt.date(2026, 3, 1))
    today = dt.date.today()  # noqa: DTZ011 - decision_lift counts in local days
    now = dt.datetime.now(tz=LONDON)
    before = _check(flintshire.ffion, "01352 702345", at=now)
    assert before.decision == Outcome.REDIRECT
    with audit_source("test"):
        decision_lift(actor=flintshire.sian, decision=decision, reasons="Calls have been calm.", today=today)
    after = _check(flintshire.ffion, "01352 702345", at=now + dt.timedelta(seconds=1))
    assert after.decision == Outcome.ALLOW_WITH_CONDITIONS  # the named officer remains


def test_an_expired_restriction_stops_at_midnight_without_waiting_for_the_expiry_job(flintshire):
    who = CustomerFactory(organisation=flintshire.organisation, full_name="Owain Price", phone="01352 700003")
    restrict(who, NO_PHONE, starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 3, 4))
    last_second = dt.datetime(2026, 3, 3, 23, 59, 59, tzinfo=LONDON)
    assert _check(flintshire.ffion, "01352 700003", at=last_second).decision == Outcome.REDIRECT
    midnight = dt.datetime(2026, 3, 4, 0, 0, tzinfo=LONDON)
    assert _check(flintshire.ffion, "01352 700003", at=midnight).decision == Outcome.ALLOW


def test_call_times_follow_the_organisations_bank_holidays_and_closures(flintshire):
    """Flintshire is in Wales: Easter Monday 6 April 2026 is a bank holiday."""
    who = CustomerFactory(
        organisation=flintshire.organisation, full_name="Gethin Lloyd", phone="01352 700004"
    )
    restrict(who, CallTimes(("mon", "tue"), dt.time(10), dt.time(12)))
    easter_monday = dt.datetime(2026, 4, 6, 10, 30, tzinfo=LONDON)
    LocalClosure.objects.create(
        organisation=flintshire.organisation, date=dt.date(2026, 4, 7), reason="Staff day"
    )
    refused = _check(flintshire.ffion, "01352 700004", at=easter_monday)
    assert refused.decision == Outcome.REFUSE
    assert "the next time is Monday 13 April at 10:00" in refused.answer.act
    closed = _check(flintshire.ffion, "01352 700004", at=easter_monday + dt.timedelta(days=1))
    assert closed.decision == Outcome.REFUSE
    assert "(the office is closed today)" in closed.answer.act
    assert (
        _check(flintshire.ffion, "01352 700004", at=easter_monday + dt.timedelta(days=7)).decision
        == Outcome.ALLOW
    )


def test_a_volume_limit_counts_the_calls_already_recorded_this_week(flintshire):
    who: Customer = CustomerFactory(
        organisation=flintshire.organisation, full_name="Huw Bevan", phone="01352 700005"
    )  # type: ignore[assignment]
    restrict(who, VolumeLimit(2, "week", Channel.PHONE))
    for day, direction in [(2, "inbound"), (3, "inbound"), (3, "outbound")]:
        ContactEvent.objects.create(
            organisation=flintshire.organisation,
            customer=who,
            channel="phone",
            direction=direction,
            started_at=dt.datetime(2026, 3, day, 9, 0, tzinfo=LONDON),
            key=day * 10 + (direction == "inbound"),
        )
    result = _check(flintshire.ffion, "01352 700005")
    assert result.decision == Outcome.REFUSE
    assert "you can contact us again from Monday 9 March" in result.answer.say
    monday = _check(flintshire.ffion, "01352 700005", at=dt.datetime(2026, 3, 9, 9, 0, tzinfo=LONDON))
    assert monday.answer.act == "At most 2 calls a week are taken, and 0 have been recorded so far."


def test_a_volume_limit_counts_calls_recorded_against_a_record_merged_into_theirs(flintshire):
    """003 7.4: the limit is on the person, so a duplicate record's calls, merged in, count too;
    calls before the week began, outbound calls and emails do not."""
    who: Customer = CustomerFactory(
        organisation=flintshire.organisation, full_name="Huw Bevan", phone="01352 700005"
    )  # type: ignore[assignment]
    duplicate: Customer = CustomerFactory(
        organisation=flintshire.organisation, full_name="H Bevan", phone="01352 700015"
    )  # type: ignore[assignment]
    restrict(who, VolumeLimit(2, "week", Channel.PHONE))
    events = [
        (duplicate, "phone", "inbound", dt.datetime(2026, 3, 2, 0, 0, tzinfo=LONDON)),  # Monday, first minute
        (duplicate, "phone", "inbound", dt.datetime(2026, 3, 1, 23, 59, tzinfo=LONDON)),  # the week before
        (duplicate, "phone", "outbound", dt.datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)),
        (duplicate, "email", "inbound", dt.datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)),
        (who, "phone", "inbound", dt.datetime(2026, 3, 3, 9, 0, tzinfo=LONDON)),
    ]
    for key, (record, channel, direction, started_at) in enumerate(events):
        ContactEvent.objects.create(
            organisation=flintshire.organisation,
            customer=record,
            channel=channel,
            direction=direction,
            started_at=started_at,
            key=key,
        )
    before = _check(flintshire.ffion, "01352 700005")
    assert before.answer.act == "At most 2 calls a week are taken, and 1 has been recorded so far."
    with audit_source("test"):
        customer_merge(actor=flintshire.sian, keep=who, merge=duplicate)
    after = _check(flintshire.ffion, "01352 700005")
    assert after.decision == Outcome.REFUSE
    assert "you can contact us again from Monday 9 March" in after.answer.say
    # One statement for the lookup and one for the count: no query to find the merged records.
    with CaptureQueriesContext(connection) as queries:
        _check(flintshire.ffion, "01352 700015", audit=False)
    reads = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("INSERT")]
    assert [sql.split()[0] for sql in reads] == ["WITH", "SELECT"]
    assert "contacts_contactevent" in reads[1]


def test_a_representative_calling_for_the_customer_is_dealt_with(flintshire):
    who = CustomerFactory(organisation=flintshire.organisation, full_name="Alun Rees", phone="01352 700006")
    restrict(who, ThirdPartyOnly("Eleri Price of Advocacy Cymru"))
    direct = _check(flintshire.ffion, "01352 700006")
    assert direct.decision == Outcome.REDIRECT
    through = _check(flintshire.ffion, who.reference, via_representative=True)
    assert through.decision == Outcome.ALLOW_WITH_CONDITIONS
    assert ContactCheck.objects.get(id=through.check_id).via_representative


def test_a_staff_request_is_honoured_without_saying_why(flintshire, bryn):
    """000/001 §68, §70: the contact check honours an agreed request."""
    staff_request(flintshire.ffion, bryn)
    result = _check(flintshire.dafydd, "01352 702345")
    assert result.answer.act.endswith("; do not put this caller through to Ffion Hughes.")
    assert "Ffion" not in result.answer.say


def test_a_shared_number_answers_for_the_strictest_and_says_so(flintshire, bryn):
    CustomerFactory(organisation=flintshire.organisation, full_name="Megan Jenkins", phone="01352 702345")
    result = _check(flintshire.ffion, "01352 702345")
    assert result.matches == 2
    assert result.customer is not None
    assert result.customer.customer_id == bryn.pk
    assert result.answer.act.endswith(
        "This matches more than one customer: this answer is for Bryn Jenkins, so check who you are dealing with."
    )


def test_eilidh_in_highland_never_finds_flintshires_customer(flintshire, highland, bryn):
    result = _check(highland.eilidh, "01352 702345")
    assert result.customer is None
    assert result.decision == Outcome.ALLOW
    assert ContactCheck.objects.get(id=result.check_id).organisation == highland.organisation


def test_a_customer_named_by_a_check_cannot_be_deleted(flintshire, bryn):
    """The check's customer has no database constraint (a random read per check written,
    ContactCheck.customer); Django's PROTECT still keeps the record it names."""
    _check(flintshire.ffion, "01352 702345")
    with pytest.raises(ProtectedError):
        Customer.objects.filter(pk=bryn.pk).delete()
    assert ContactCheck.objects.get().customer == bryn


def test_a_telephony_integration_checks_with_one_select_and_one_insert(flintshire, bryn):
    with expect_audit(), CaptureQueriesContext(connection) as queries:
        result = contact_check(
            actor=None,
            organisation_id=flintshire.organisation.pk,
            label="API token: telephony",
            identifier="+441352702345",
            channel="phone",
            at=TUESDAY,
        )
    assert [q["sql"].split()[0] for q in queries] == ["WITH", "INSERT"]
    assert result.decision == Outcome.ALLOW_WITH_CONDITIONS
    row = ContactCheck.objects.get()
    assert (row.checked_by, row.checked_by_label) == (None, "API token: telephony")


def test_a_check_without_a_person_must_say_whose_it_is(flintshire):
    with pytest.raises(ValueError, match="organisation_id and label"):
        contact_check(actor=None, identifier="01352 702345", channel="phone")


def test_someone_of_no_organisation_cannot_check(db, django_user_model):
    nobody = django_user_model.objects.create(username="admin")
    with pytest.raises(PermissionDenied):
        contact_check(actor=nobody, identifier="01352 702345", channel="phone")


def test_the_recorded_decisions_are_the_rules_outcomes():
    assert set(ContactCheck.Decision.values) == {o.value for o in Outcome}
