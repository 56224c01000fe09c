"""Measure parameters: each type's spec, its plain messages by field, and what remains open."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engage.decisions import measures
from engage.decisions.measures import (
    AllowedChannels,
    CallTimes,
    MeasureInvalid,
    PremisesBan,
    parse,
    remaining_channels,
)
from engage.policy.vocabulary import Channel, MeasureType

D = dt.date
T = dt.datetime


def _errors(mtype: str, raw: dict) -> dict[str, str]:
    with pytest.raises(MeasureInvalid) as err:
        parse(mtype, raw)
    return err.value.errors


# ---------------------------------------------------------------------------------------------
# Call times (003 10.2(c); 004 "Limiting telephone calls to specific days and/or times")
# ---------------------------------------------------------------------------------------------


def test_calls_on_tuesdays_ten_till_twelve_are_allowed_only_then():
    spec = parse("call_times", {"days": ["tue"], "start": "10:00", "end": "12:00", "max_minutes": "20"})
    assert isinstance(spec, CallTimes)
    assert spec.max_minutes == 20
    assert spec.allows(T(2026, 3, 3, 10, 0))  # a Tuesday
    assert spec.allows(T(2026, 3, 3, 11, 59))
    assert not spec.allows(T(2026, 3, 3, 12, 0))  # the end is outside
    assert not spec.allows(T(2026, 3, 4, 10, 30))  # Wednesday


def test_a_window_crossing_midnight_belongs_to_the_day_it_opened():
    spec = parse("call_times", {"days": ["fri"], "start": "22:00", "end": "02:00"})
    assert spec.crosses_midnight
    assert spec.allows(T(2026, 3, 6, 23, 0))  # Friday night
    assert spec.allows(T(2026, 3, 7, 1, 30))  # early Saturday, still Friday's window
    assert not spec.allows(T(2026, 3, 6, 1, 30))  # early Friday belongs to Thursday's (none)
    assert not spec.allows(T(2026, 3, 7, 2, 0))


def test_call_times_name_every_field_that_is_wrong():
    errors = _errors("call_times", {"days": [], "start": "25:00", "end": "", "max_minutes": "0"})
    assert errors == {
        "days": "Select at least one day on which calls are allowed",
        "start": "Enter the time calls may start as hours and minutes on the 24-hour clock, like 14:30",
        "end": "Enter the time calls may end, like 10:00",
        "max_minutes": "The longest a call may last, in minutes must be between 1 and 1440",
    }


def test_a_window_that_starts_and_ends_at_once_is_refused():
    assert "end" in _errors("call_times", {"days": ["mon"], "start": "10:00", "end": "10:00"})


def test_an_unknown_day_is_named():
    assert _errors("call_times", {"days": ["funday"], "start": "10:00", "end": "11:00"}) == {
        "days": "'funday' is not a day of the week"
    }


@given(
    st.lists(st.sampled_from(measures.DAYS), min_size=1, unique=True),
    st.times(),
    st.times(),
    st.datetimes(min_value=T(2020, 1, 1), max_value=T(2030, 1, 1)),
)
def test_outside_a_window_nothing_is_allowed_and_inside_its_days_it_is(days, start, end, at):
    start, end = start.replace(second=0, microsecond=0), end.replace(second=0, microsecond=0)
    if start == end:
        return
    spec = parse("call_times", {"days": days, "start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")})
    opened_on = (
        at.date() if (not spec.crosses_midnight or at.time() >= start) else at.date() - dt.timedelta(1)
    )
    in_hours = (
        (start <= at.time() < end) if not spec.crosses_midnight else (at.time() >= start or at.time() < end)
    )
    expected = in_hours and measures.DAYS[opened_on.weekday()] in days
    assert spec.allows(at) is expected


# ---------------------------------------------------------------------------------------------
# The other measures' messages
# ---------------------------------------------------------------------------------------------


def test_limiting_to_channels_needs_one_left_and_one_taken_away():
    assert _errors("allowed_channels", {"channels": []}) == {
        "channels": "Select at least one way the customer may still contact us"
    }
    everything = [c.value for c in Channel]
    assert _errors("allowed_channels", {"channels": everything}) == {
        "channels": "Leave out at least one way of contacting us, or this restricts nothing"
    }
    assert _errors("allowed_channels", {"channels": ["pigeon"]}) == {
        "channels": "'pigeon' is not a way of contacting us that Engage knows"
    }


def test_a_single_point_of_contact_cannot_be_their_own_deputy():
    assert _errors("single_point_of_contact", {"officer": 3, "deputy": 3}) == {
        "deputy": "The deputy must be someone other than the named officer"
    }
    assert _errors("single_point_of_contact", {}) == {"officer": "Select the named officer"}


def test_a_premises_ban_names_the_premises_or_says_all():
    assert "premises" in _errors("premises_ban", {"premises": "  \n "})
    ban = parse("premises_ban", {"premises": "Mold library\nCounty Hall\nMold library"})
    assert isinstance(ban, PremisesBan)
    assert ban.premises == ("Mold library", "County Hall")
    assert parse("premises_ban", {"all_premises": True}).all_premises  # type: ignore[attr-defined]


def test_read_and_file_is_for_letters_and_emails_only():
    assert _errors("read_and_file", {"channels": ["phone"]}) == {
        "channels": "Only emails and letters can be read and filed"
    }


def test_a_monitored_mailbox_must_be_an_email_address():
    assert "mailbox" in _errors("monitored_mailbox", {"mailbox": "not an address"})
    assert parse("monitored_mailbox", {"mailbox": "Monitored@Example.org"}).mailbox == "monitored@example.org"  # type: ignore[attr-defined]


def test_limited_topics_need_topics_or_a_number_with_its_period():
    assert "topics" in _errors("topics_limited", {})
    assert _errors("topics_limited", {"max_issues": "2"}) == {
        "per": "Select whether the number of issues is per day, week or month"
    }


def test_a_volume_limit_needs_a_number_and_a_period():
    assert _errors("volume_limit", {"max_contacts": "many", "per": "fortnight"}) == {
        "max_contacts": "The most contacts allowed must be a whole number",
        "per": "Select whether the limit is per day, week or month",
    }


def test_a_behaviour_contract_may_be_unsigned_but_a_signed_date_must_be_real():
    assert parse("behaviour_contract", {}).signed_on is None  # type: ignore[attr-defined]
    assert parse("behaviour_contract", {"signed_on": "2026-03-10"}).signed_on == D(2026, 3, 10)  # type: ignore[attr-defined]
    assert "signed_on" in _errors("behaviour_contract", {"signed_on": "2026-02-30"})


def test_text_parameters_are_required_and_limited_in_length():
    assert _errors("third_party_only", {}) == {
        "third_party": "Enter who contact goes through, like the customer's advocate"
    }
    assert "line" in _errors("automated_line", {"line": "x" * 201})
    assert "matter" in _errors("matter_closed", {"matter": " "})


_EXAMPLES = {
    MeasureType.ALLOWED_CHANNELS: {"channels": ["email", "letter"]},
    MeasureType.SINGLE_POINT_OF_CONTACT: {
        "officer": 3,
        "officer_name": "Siân",
        "deputy": 2,
        "deputy_name": "Dafydd",
    },
    MeasureType.CALL_TIMES: {"days": ["tue", "thu"], "start": "10:00", "end": "12:00", "max_minutes": 20},
    MeasureType.VOLUME_LIMIT: {"max_contacts": 3, "per": "week", "channel": "email"},
    MeasureType.THIRD_PARTY_ONLY: {"third_party": "their advocate, Ms Price"},
    MeasureType.AUTOMATED_LINE: {"line": "Council tax payments line"},
    MeasureType.WITNESS_REQUIRED: {"witness": "a second officer"},
    MeasureType.PREMISES_BAN: {"premises": ["Mold library"], "all_premises": False},
    MeasureType.TOPICS_LIMITED: {"topics": ["housing repairs"], "max_issues": 2, "per": "month"},
    MeasureType.MATTER_CLOSED: {"matter": "the 2024 parking complaint"},
    MeasureType.READ_AND_FILE: {"channels": ["email"]},
    MeasureType.MONITORED_MAILBOX: {"mailbox": "monitored@example.org"},
    MeasureType.NO_STAFF_DETAILS: {},
    MeasureType.BEHAVIOUR_CONTRACT: {"signed_on": "2026-03-10"},
}


@pytest.mark.parametrize("mtype", list(MeasureType))
def test_every_measure_type_round_trips_through_json(mtype):
    spec = parse(mtype, _EXAMPLES[mtype])
    assert spec.type == mtype
    assert parse(mtype, spec.to_json()) == spec


# ---------------------------------------------------------------------------------------------
# The line of contact (004 "at least one line of contact will remain available")
# ---------------------------------------------------------------------------------------------


def test_only_channel_limits_and_a_ban_from_every_building_close_channels():
    assert remaining_channels([]) == measures.ALL_CHANNELS
    shaped = [parse(t, _EXAMPLES[t]) for t in MeasureType if t not in (MeasureType.ALLOWED_CHANNELS,)]
    assert remaining_channels(shaped) == measures.ALL_CHANNELS
    everywhere = parse("premises_ban", {"all_premises": True})
    assert remaining_channels([everywhere]) == measures.ALL_CHANNELS - {"in_person", "event"}


def test_two_channel_limits_leave_only_what_they_share():
    email_or_letter = AllowedChannels((Channel.EMAIL, Channel.LETTER))
    phone_or_letter = AllowedChannels((Channel.PHONE, Channel.LETTER))
    assert remaining_channels([email_or_letter, phone_or_letter]) == {"letter"}
    phone_only = AllowedChannels((Channel.PHONE,))
    assert remaining_channels([email_or_letter, phone_only]) == frozenset()


@given(st.lists(st.sets(st.sampled_from(list(Channel)), min_size=1, max_size=6), max_size=4))
def test_more_measures_never_open_a_channel(sets):
    specs = [AllowedChannels(tuple(sorted(s))) for s in sets]
    for i in range(len(specs)):
        assert remaining_channels(specs[: i + 1]) <= remaining_channels(specs[:i])
