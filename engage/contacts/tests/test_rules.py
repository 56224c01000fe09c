"""The contact check's answers, at every edge: windows, midnight, bank holidays, start and end days,
representatives, combinations, and what is never said."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engage.contacts.rules import (
    LONDON,
    ActiveMeasure,
    Answer,
    NoContact,
    Outcome,
    decide,
    period_start,
    strictest,
)
from engage.decisions.measures import (
    AllowedChannels,
    AutomatedLine,
    BehaviourContract,
    CallTimes,
    MatterClosed,
    MeasureSpec,
    MonitoredMailbox,
    NoStaffDetails,
    PremisesBan,
    ReadAndFile,
    SinglePointOfContact,
    ThirdPartyOnly,
    TopicsLimited,
    VolumeLimit,
    WitnessRequired,
)
from engage.policy.vocabulary import Channel
from engage.policy.working_days import WorkingCalendar

D = dt.date
WALES = WorkingCalendar("wales")
LONG_AGO = D(2025, 1, 1)

SIAN = SinglePointOfContact(3, "Siân Ellis-Jones", 2, "Dafydd Roberts")
TUESDAY_MORNINGS = CallTimes(("tue",), dt.time(10), dt.time(12))
FRIDAY_NIGHTS = CallTimes(("fri",), dt.time(22), dt.time(2))
NO_PHONE = AllowedChannels(tuple(c for c in Channel if c != Channel.PHONE))


def at(y: int, m: int, d: int, hh: int = 10, mm: int = 30, ss: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, ss, tzinfo=LONDON)


def on(*specs: MeasureSpec, starts: dt.date = LONG_AGO, ends: dt.date | None = None) -> list[ActiveMeasure]:
    return [ActiveMeasure(s, starts, ends) for s in specs]


def phone(measures: list[ActiveMeasure], when: dt.datetime, **kw: object) -> Answer:
    return decide(measures, Channel.PHONE, when, calendar=WALES, **kw)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# Nothing applies
# ---------------------------------------------------------------------------------------------


def test_no_measures_is_allow_with_nothing_to_say():
    answer = phone([], at(2026, 3, 3))
    assert answer.decision == Outcome.ALLOW
    assert answer.act == "No contact arrangements apply: deal with this contact as usual."
    assert answer.say == ""
    assert answer.measures == ()
    assert answer.headline == "Go ahead"


def test_a_naive_time_is_refused_rather_than_guessed():
    with pytest.raises(ValueError, match="timezone-aware"):
        decide([], Channel.PHONE, dt.datetime(2026, 3, 3, 10, 30))


# ---------------------------------------------------------------------------------------------
# Call times (003 10.2(c); 004 "Limiting telephone calls to specific days and/or times")
# ---------------------------------------------------------------------------------------------


def test_a_call_at_the_first_minute_of_the_window_is_taken():
    assert phone(on(TUESDAY_MORNINGS), at(2026, 3, 3, 10, 0)).decision == Outcome.ALLOW


def test_a_call_in_the_last_second_of_the_window_is_taken():
    assert phone(on(TUESDAY_MORNINGS), at(2026, 3, 3, 11, 59, 59)).decision == Outcome.ALLOW


def test_a_call_at_the_window_end_is_refused_and_told_next_week():
    """The end is outside the window: "10:00–12:00" takes no call at 12:00."""
    answer = phone(on(TUESDAY_MORNINGS), at(2026, 3, 3, 12, 0))
    assert answer.decision == Outcome.REFUSE
    assert answer.act == (
        "Do not take the call now: calls are taken only on Tuesdays between 10:00 and 12:00; "
        "the next time is Tuesday 10 March at 10:00."
    )
    assert answer.say == (
        "We can take your call on Tuesdays between 10:00 and 12:00, except on bank holidays; "
        "the next time is Tuesday 10 March at 10:00."
    )
    assert answer.headline == "Do not go ahead"


def test_a_call_a_minute_early_is_told_today():
    answer = phone(on(TUESDAY_MORNINGS), at(2026, 3, 3, 9, 59))
    assert answer.decision == Outcome.REFUSE
    assert answer.act.endswith("the next time is today at 10:00.")


def test_a_call_the_day_before_is_told_tomorrow():
    answer = phone(on(TUESDAY_MORNINGS), at(2026, 3, 2, 15, 0))
    assert answer.act.endswith("the next time is tomorrow at 10:00.")


def test_the_longest_call_is_a_condition_inside_the_window():
    """004 "Formal decision to manage contact": calls limited in length."""
    short = CallTimes(("tue",), dt.time(10), dt.time(12), max_minutes=20)
    answer = phone(on(short), at(2026, 3, 3, 10, 30))
    assert answer.decision == Outcome.ALLOW_WITH_CONDITIONS
    assert answer.act == "Keep the call to 20 minutes at most."
    assert answer.say == "I can talk with you for up to 20 minutes."


def test_call_times_apply_to_phone_calls_only():
    for channel in (Channel.EMAIL, Channel.LETTER, Channel.IN_PERSON):
        answer = decide(on(TUESDAY_MORNINGS), channel, at(2026, 3, 4, 20, 0), calendar=WALES)
        assert answer.decision == Outcome.ALLOW
        assert answer.measures == ()


def test_a_window_across_midnight_takes_a_call_after_midnight_on_the_next_day():
    assert phone(on(FRIDAY_NIGHTS), at(2026, 3, 6, 22, 0)).decision == Outcome.ALLOW
    assert phone(on(FRIDAY_NIGHTS), at(2026, 3, 6, 23, 59, 59)).decision == Outcome.ALLOW
    assert phone(on(FRIDAY_NIGHTS), at(2026, 3, 7, 0, 0)).decision == Outcome.ALLOW
    assert phone(on(FRIDAY_NIGHTS), at(2026, 3, 7, 1, 59, 59)).decision == Outcome.ALLOW


def test_a_window_across_midnight_is_shut_at_its_end_and_before_its_start():
    assert phone(on(FRIDAY_NIGHTS), at(2026, 3, 7, 2, 0)).decision == Outcome.REFUSE
    assert phone(on(FRIDAY_NIGHTS), at(2026, 3, 6, 21, 59)).decision == Outcome.REFUSE
    # Saturday night is not Friday night.
    assert phone(on(FRIDAY_NIGHTS), at(2026, 3, 7, 23, 0)).decision == Outcome.REFUSE
    # Friday just after midnight belongs to Thursday's window, which there is none of.
    assert phone(on(FRIDAY_NIGHTS), at(2026, 3, 6, 1, 0)).decision == Outcome.REFUSE
    answer = phone(on(FRIDAY_NIGHTS), at(2026, 3, 7, 2, 0))
    assert "on Fridays between 22:00 and 02:00 the next morning" in answer.act
    assert answer.act.endswith("the next time is Friday 13 March at 22:00.")


def test_no_window_opens_on_a_bank_holiday_tuesday():
    """Calls on set days are taken by the office, which is closed on bank holidays: Christmas Day
    2029 and New Year's Day 2030 are Tuesdays, so the next window is 8 January."""
    answer = phone(on(TUESDAY_MORNINGS), at(2029, 12, 25, 10, 30))
    assert answer.decision == Outcome.REFUSE
    assert answer.act == (
        "Do not take the call now (the office is closed today): calls are taken only on Tuesdays "
        "between 10:00 and 12:00; the next time is Tuesday 8 January at 10:00."
    )


def test_a_bank_holiday_is_known_only_from_the_organisations_calendar():
    assert decide(on(TUESDAY_MORNINGS), "phone", at(2029, 12, 25, 10, 30)).decision == Outcome.ALLOW


def test_a_night_window_opened_on_a_bank_holiday_stays_shut_after_midnight():
    """Easter Monday 6 April 2026 (Wales): the window belongs to the day it opens."""
    mondays = CallTimes(("mon",), dt.time(22), dt.time(2))
    assert phone(on(mondays), at(2026, 4, 7, 1, 0)).decision == Outcome.REFUSE
    assert phone(on(mondays), at(2026, 4, 14, 1, 0)).decision == Outcome.ALLOW


def test_a_local_closure_day_shuts_the_window_like_a_bank_holiday():
    closed = WorkingCalendar("wales", extra_closures=[D(2026, 3, 3)])
    answer = decide(on(TUESDAY_MORNINGS), "phone", at(2026, 3, 3, 10, 30), calendar=closed)
    assert answer.decision == Outcome.REFUSE
    assert "Tuesday 10 March at 10:00" in answer.act


def test_scotland_and_wales_have_different_bank_holidays():
    """2 January is a bank holiday in Scotland only (001/003 presets are Scottish)."""
    fridays = CallTimes(("fri",), dt.time(10), dt.time(12))
    when = at(2026, 1, 2, 10, 30)
    assert decide(on(fridays), "phone", when, calendar=WALES).decision == Outcome.ALLOW
    scotland = WorkingCalendar("scotland")
    assert decide(on(fridays), "phone", when, calendar=scotland).decision == Outcome.REFUSE


def test_windows_are_in_london_time_whatever_zone_the_time_comes_in():
    """09:30 UTC on a summer Tuesday is 10:30 in London (BST)."""
    utc = dt.datetime(2026, 6, 9, 9, 30, tzinfo=dt.UTC)
    assert phone(on(TUESDAY_MORNINGS), utc).decision == Outcome.ALLOW
    winter = dt.datetime(2026, 3, 3, 9, 30, tzinfo=dt.UTC)  # GMT: 09:30 local
    assert phone(on(TUESDAY_MORNINGS), winter).decision == Outcome.REFUSE


# ---------------------------------------------------------------------------------------------
# Start and end days
# ---------------------------------------------------------------------------------------------


def test_a_measure_starting_today_applies_from_midnight():
    starting = on(NO_PHONE, starts=D(2026, 3, 3))
    assert phone(starting, at(2026, 3, 3, 0, 0)).decision == Outcome.REDIRECT
    assert phone(starting, at(2026, 3, 2, 23, 59, 59)).decision == Outcome.ALLOW


def test_a_measure_ending_today_no_longer_applies_today():
    """`ends_on` is the first day it no longer applies (Measure.ends_on)."""
    ended = on(NO_PHONE, starts=D(2026, 3, 2), ends=D(2026, 3, 3))
    assert phone(ended, at(2026, 3, 2, 23, 59, 59)).decision == Outcome.REDIRECT
    assert phone(ended, at(2026, 3, 3, 0, 0)).decision == Outcome.ALLOW


def test_a_one_day_phone_restriction_applies_for_that_day_only():
    """004 Decision matrix: "Restrict contact for one day"; 004 "Terminating a telephone call":
    communicated to all employees taking frontline calls."""
    one_day = on(NO_PHONE, starts=D(2026, 3, 3), ends=D(2026, 3, 4))
    answer = phone(one_day, at(2026, 3, 3, 16, 0))
    assert answer.decision == Outcome.REDIRECT
    assert answer.act == (
        "Do not deal with it by phone: ask them to contact us by email, letter, in person, social media, "
        "the online form or at events."
    )
    assert answer.measures[0].summary == "No phone calls."
    assert answer.measures[0].until == D(2026, 3, 3)
    assert phone(one_day, at(2026, 3, 4, 9, 0)).decision == Outcome.ALLOW


def test_a_lifted_measure_stops_at_the_moment_it_was_lifted():
    lifted = [ActiveMeasure(NO_PHONE, LONG_AGO, None, ends_at=at(2026, 3, 3, 14, 3))]
    assert phone(lifted, at(2026, 3, 3, 14, 2, 59)).decision == Outcome.REDIRECT
    assert phone(lifted, at(2026, 3, 3, 14, 3)).decision == Outcome.ALLOW


def test_a_measure_not_yet_started_does_not_apply():
    assert phone(on(NO_PHONE, starts=D(2026, 3, 4)), at(2026, 3, 3)).decision == Outcome.ALLOW


# ---------------------------------------------------------------------------------------------
# Channels, premises, and the strictest of several
# ---------------------------------------------------------------------------------------------


def test_two_limits_to_channels_leave_what_they_have_in_common():
    email_or_letter = AllowedChannels((Channel.EMAIL, Channel.LETTER))
    letter_or_phone = AllowedChannels((Channel.LETTER, Channel.PHONE))
    answer = phone(on(email_or_letter, letter_or_phone), at(2026, 3, 3))
    assert answer.decision == Outcome.REDIRECT
    assert answer.say == "We can only deal with your enquiry by letter."


def test_limits_with_nothing_in_common_refuse_every_contact():
    email = AllowedChannels((Channel.EMAIL,))
    letter = AllowedChannels((Channel.LETTER,))
    answer = decide(on(email, letter), "letter", at(2026, 3, 3))
    assert answer.decision == Outcome.REFUSE
    assert (
        answer.say == "We are not able to take contact from you at the moment, as our letter to you explains."
    )


def test_a_ban_from_all_premises_refuses_a_visit_and_leaves_the_phone_alone():
    """003 10.2(f): banned from premises."""
    ban = PremisesBan(all_premises=True)
    visit = decide(on(ban), Channel.IN_PERSON, at(2026, 3, 3))
    assert visit.decision == Outcome.REFUSE
    assert visit.act == "Do not let them into any of our premises."
    assert phone(on(ban), at(2026, 3, 3)).decision == Outcome.ALLOW


def test_a_ban_from_named_premises_says_where():
    ban = PremisesBan(premises=("Mold library", "County Hall"))
    answer = decide(on(ban), Channel.IN_PERSON, at(2026, 3, 3))
    assert answer.decision == Outcome.ALLOW_WITH_CONDITIONS
    assert answer.act == (
        "They may not come into Mold library or County Hall: if that is where you are, do not let them in."
    )


def test_a_ban_from_all_premises_with_in_person_only_contact_leaves_nothing():
    in_person_only = AllowedChannels((Channel.IN_PERSON, Channel.EVENT))
    answer = decide(on(in_person_only, PremisesBan(all_premises=True)), Channel.IN_PERSON, at(2026, 3, 3))
    assert answer.decision == Outcome.REFUSE


def test_the_named_officer_and_no_staff_names_are_two_conditions_in_one_sentence():
    """004 "a single point of contact"; 000/001 §23.2 no staff names."""
    answer = phone(on(NoStaffDetails(), SIAN), at(2026, 3, 3))
    assert answer.decision == Outcome.ALLOW_WITH_CONDITIONS
    assert answer.act == (
        "Put the call through only to Siân Ellis-Jones (or Dafydd Roberts when they are away); "
        "do not give staff names or direct contact details."
    )
    assert answer.say == "I will put you through to Siân Ellis-Jones, who deals with your enquiries."
    assert [m.type for m in answer.measures] == ["single_point_of_contact", "no_staff_details"]


def test_an_email_to_a_customer_with_a_named_officer_is_forwarded_to_them():
    answer = decide(on(SIAN), Channel.EMAIL, at(2026, 3, 3))
    assert answer.decision == Outcome.REDIRECT
    assert answer.act == (
        "Forward it to Siân Ellis-Jones (or Dafydd Roberts when they are away), who deals with all their contact."
    )


def test_outside_the_window_the_refusal_is_all_that_is_said():
    answer = phone(on(SIAN, TUESDAY_MORNINGS), at(2026, 3, 4, 10, 30))
    assert answer.decision == Outcome.REFUSE
    assert "Siân" not in answer.act
    assert [m.type for m in answer.measures] == ["call_times", "single_point_of_contact"]
    inside = phone(on(SIAN, TUESDAY_MORNINGS), at(2026, 3, 3, 10, 30))
    assert inside.decision == Outcome.ALLOW_WITH_CONDITIONS
    assert inside.act.startswith("Put the call through only to Siân Ellis-Jones")


def test_calls_go_to_the_automated_line():
    """000/001 §23.4: directing phone calls to an automated service."""
    line = AutomatedLine("Council Tax automated line")
    answer = phone(on(line, SIAN), at(2026, 3, 3))
    assert answer.decision == Outcome.REDIRECT
    assert answer.act == "Transfer the call to the automated line (Council Tax automated line)."
    assert decide(on(line), Channel.EMAIL, at(2026, 3, 3)).decision == Outcome.ALLOW


def test_emails_go_to_the_monitored_mailbox():
    """003 10.2(i): a separate, monitored mailbox."""
    box = MonitoredMailbox("contact-review@flintshire.gov.uk")
    answer = decide(on(box), Channel.EMAIL, at(2026, 3, 3))
    assert answer.decision == Outcome.REDIRECT
    assert answer.act == "Forward the email to the monitored mailbox contact-review@flintshire.gov.uk."
    assert phone(on(box), at(2026, 3, 3)).decision == Outcome.ALLOW


def test_letters_are_read_and_filed_and_calls_are_not_affected():
    """004 "Formal decision to manage contact": read to ensure no new issues, then filed."""
    answer = decide(on(ReadAndFile()), Channel.LETTER, at(2026, 3, 3))
    assert answer.decision == Outcome.ALLOW_WITH_CONDITIONS
    assert answer.act == "Read the letter for new issues, then file it without reply."
    assert answer.say == ""
    assert phone(on(ReadAndFile()), at(2026, 3, 3)).decision == Outcome.ALLOW


def test_a_witness_is_needed_in_person_only():
    """003 10.2(d)."""
    witness = WitnessRequired("a team leader")
    answer = decide(on(witness), Channel.IN_PERSON, at(2026, 3, 3))
    assert answer.act == "Meet them only with a witness present (a team leader)."
    assert phone(on(witness), at(2026, 3, 3)).decision == Outcome.ALLOW


def test_a_closed_matter_and_limited_topics_are_conditions():
    answer = decide(
        on(MatterClosed("the 2024 parking appeal"), TopicsLimited(("council tax",), 1, "month")),
        Channel.EMAIL,
        at(2026, 3, 3),
    )
    assert answer.decision == Outcome.ALLOW_WITH_CONDITIONS
    assert answer.act == (
        "Do not reply on the closed matter (the 2024 parking appeal); deal with anything new as usual; "
        "deal only with council tax, and at most 1 issue a month are considered."
    )


def test_a_behaviour_contract_is_nothing_to_apply_at_the_desk():
    answer = phone(on(BehaviourContract()), at(2026, 3, 3))
    assert answer.decision == Outcome.ALLOW
    assert answer.measures == ()


# ---------------------------------------------------------------------------------------------
# Representatives (000/001 §23.3; 003 7.4)
# ---------------------------------------------------------------------------------------------


def test_the_customer_calling_themselves_is_redirected_to_their_advocate():
    advocate = ThirdPartyOnly("their advocate, Eleri Price of Advocacy Cymru")
    answer = phone(on(advocate), at(2026, 3, 3))
    assert answer.decision == Outcome.REDIRECT
    assert answer.say == (
        "We deal with your enquiries through their advocate, Eleri Price of Advocacy Cymru; "
        "please ask them to contact us for you."
    )


def test_a_representative_calling_on_their_behalf_is_dealt_with():
    advocate = ThirdPartyOnly("Eleri Price of Advocacy Cymru")
    answer = phone(on(advocate), at(2026, 3, 3), via_representative=True)
    assert answer.decision == Outcome.ALLOW_WITH_CONDITIONS
    assert answer.act == (
        "Contact goes through Eleri Price of Advocacy Cymru: check that this is who you are dealing with."
    )


def test_a_representative_is_held_to_the_customers_other_measures():
    answer = phone(on(TUESDAY_MORNINGS), at(2026, 3, 4), via_representative=True)
    assert answer.decision == Outcome.REFUSE


# ---------------------------------------------------------------------------------------------
# Volume limits (003 7.4, 10.2(g); 000/001 §23.5) and staff requests
# ---------------------------------------------------------------------------------------------

THREE_CALLS_A_WEEK = VolumeLimit(3, "week", Channel.PHONE)


def test_a_volume_limit_without_counts_asks_the_desk_to_check():
    answer = phone(on(THREE_CALLS_A_WEEK), at(2026, 3, 4))
    assert answer.decision == Outcome.ALLOW_WITH_CONDITIONS
    assert answer.act == "At most 3 calls a week are taken: check how many there have been before going on."


def test_a_volume_limit_under_the_limit_says_how_many_so_far():
    answer = phone(on(THREE_CALLS_A_WEEK), at(2026, 3, 4), volumes={("phone", "week"): 1})
    assert answer.decision == Outcome.ALLOW_WITH_CONDITIONS
    assert answer.act == "At most 3 calls a week are taken, and 1 has been recorded so far."


def test_a_volume_limit_reached_refuses_until_monday():
    answer = phone(on(THREE_CALLS_A_WEEK), at(2026, 3, 4), volumes={("phone", "week"): 3})
    assert answer.decision == Outcome.REFUSE
    assert answer.say == (
        "We take up to 3 calls a week from you, and that is reached; you can contact us again from Monday 9 March."
    )


def test_a_volume_limit_on_calls_leaves_emails_alone():
    answer = decide(on(THREE_CALLS_A_WEEK), Channel.EMAIL, at(2026, 3, 4), volumes={("phone", "week"): 9})
    assert answer.decision == Outcome.ALLOW


def test_volume_periods_start_at_local_midnight_on_the_day_monday_and_the_first():
    when = at(2026, 3, 4, 0, 30)  # Wednesday, 00:30 GMT
    assert period_start("day", when) == at(2026, 3, 4, 0, 0)
    assert period_start("week", when) == at(2026, 3, 2, 0, 0)
    assert period_start("month", when) == at(2026, 3, 1, 0, 0)
    summer = dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC)  # 00:30 on 1 July in London
    assert period_start("month", summer) == at(2026, 7, 1, 0, 0)


def test_a_staff_request_says_whom_not_to_put_the_caller_through_to():
    """000/001 §68, §70: a member of staff may ask to have no further contact; the desk is told
    what to do and never why."""
    answer = phone([], at(2026, 3, 3), no_contact=[NoContact("Ffion Hughes", "no_further_contact")])
    assert answer.decision == Outcome.ALLOW_WITH_CONDITIONS
    assert answer.act == "Do not put this caller through to Ffion Hughes."
    assert answer.measures[0].type == "staff_request"


def test_a_staff_request_of_an_unknown_kind_says_nothing():
    answer = phone([], at(2026, 3, 3), no_contact=[NoContact("Ffion Hughes", "something_new")])
    assert answer.decision == Outcome.ALLOW


def test_strictest_of_several_customers_answers():
    allow = phone([], at(2026, 3, 3))
    refuse = phone(on(TUESDAY_MORNINGS), at(2026, 3, 4))
    assert strictest([allow, refuse, allow]) is refuse


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------

_SAFE_TEXT = (
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=20).map(str.strip).filter(bool)
)
_CHANNELS = st.sampled_from(list(Channel))
_TIMES = st.times().map(lambda t: t.replace(second=0, microsecond=0))
_DAYS = st.lists(st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]), min_size=1, unique=True)


@st.composite
def _call_times(draw: st.DrawFn) -> CallTimes:
    start = draw(_TIMES)
    end = draw(_TIMES.filter(lambda t: t != start))
    order = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    days = tuple(d for d in order if d in draw(_DAYS))
    return CallTimes(days, start, end, draw(st.none() | st.integers(1, 120)))


_SPECS: st.SearchStrategy[MeasureSpec] = st.one_of(
    st.lists(_CHANNELS, min_size=1, max_size=6, unique=True).map(
        lambda cs: AllowedChannels(tuple(c for c in Channel if c in cs))
    ),
    st.builds(SinglePointOfContact, st.integers(1, 99), _SAFE_TEXT, st.none(), st.just("")),
    _call_times(),
    st.builds(
        VolumeLimit, st.integers(1, 10), st.sampled_from(["day", "week", "month"]), st.none() | _CHANNELS
    ),
    st.builds(ThirdPartyOnly, _SAFE_TEXT),
    st.builds(AutomatedLine, _SAFE_TEXT),
    st.builds(WitnessRequired, _SAFE_TEXT),
    st.builds(PremisesBan, st.tuples(_SAFE_TEXT), st.booleans()),
    st.builds(TopicsLimited, st.tuples(_SAFE_TEXT), st.none(), st.just("")),
    st.builds(MatterClosed, _SAFE_TEXT),
    st.just(ReadAndFile()),
    st.just(MonitoredMailbox("box@example.org")),
    st.just(NoStaffDetails()),
    st.just(BehaviourContract()),
)
_MOMENTS = st.datetimes(
    min_value=dt.datetime(2025, 1, 1),
    max_value=dt.datetime(2030, 12, 31),
    timezones=st.just(LONDON),
)
# Words that would reveal why a customer is restricted or what they did (DESIGN "Marker").
_NEVER = (
    "abus",
    "aggress",
    "threat",
    "violen",
    "harass",
    "incident",
    "categor",
    "behaviour",
    "warning",
    "police",
    "racist",
    "sexist",
    "persist",
    "unreasonable",
    "history",
)
_MEASURES = st.lists(
    st.builds(
        ActiveMeasure,
        _SPECS,
        st.dates(min_value=D(2024, 1, 1), max_value=D(2031, 1, 1)),
        st.none() | st.dates(min_value=D(2024, 1, 1), max_value=D(2031, 1, 1)),
    ),
    max_size=6,
)


@given(_MOMENTS, _CHANNELS, st.booleans())
def test_with_nothing_recorded_the_answer_is_always_allow(when, channel, via):
    answer = decide([], channel, when, calendar=WALES, via_representative=via)
    assert answer.decision == Outcome.ALLOW


@given(_MEASURES, _CHANNELS, _MOMENTS, st.booleans(), st.randoms(use_true_random=False))
def test_the_order_of_measures_never_changes_the_answer(measures, channel, when, via, rnd):
    shuffled = list(measures)
    rnd.shuffle(shuffled)
    first = decide(measures, channel, when, calendar=WALES, via_representative=via)
    second = decide(shuffled, channel, when, calendar=WALES, via_representative=via)
    assert first == second


@given(_MEASURES, _CHANNELS, _MOMENTS, st.booleans())
def test_the_answer_never_names_a_category_an_incident_or_the_history(measures, channel, when, via):
    answer = decide(measures, channel, when, calendar=WALES, via_representative=via)
    words = " ".join([answer.act, answer.say, *(m.summary for m in answer.measures)]).lower()
    assert not [w for w in _NEVER if w in words]
    assert answer.act.endswith(".")
    assert answer.say == "" or answer.say.endswith(".")


@given(_MEASURES, _CHANNELS, _MOMENTS)
def test_measures_together_are_at_least_as_strict_as_the_strictest_alone(measures, channel, when):
    together = decide(measures, channel, when, calendar=WALES)
    alone = [decide([m], channel, when, calendar=WALES) for m in measures]
    assert together.rank >= max((a.rank for a in alone), default=0)
