"""The marker: the minimum a frontline person needs, from the active measures alone."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from engage.decisions import measures
from engage.decisions.markers import Active, marker_text
from engage.decisions.measures import (
    AllowedChannels,
    AutomatedLine,
    BehaviourContract,
    CallTimes,
    MatterClosed,
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
from engage.policy import presets
from engage.policy.vocabulary import Channel

TODAY = dt.date(2026, 3, 3)  # a Tuesday

SIAN = SinglePointOfContact(3, "Siân Ellis-Jones", 2, "Dafydd Roberts")
TUESDAY_MORNINGS = CallTimes(("tue",), dt.time(10), dt.time(12))


def test_phone_calls_on_tuesday_mornings_with_the_named_officer_and_no_staff_names():
    """004 "Formal decision to manage contact": calls limited to set days and times, and a single
    point of contact; 003 7.4: no staff names."""
    text = marker_text([NoStaffDetails(), SIAN, TUESDAY_MORNINGS], TODAY)
    assert text == (
        "Phone calls only on Tuesdays, 10:00–12:00; all contact with Siân Ellis-Jones "
        "(when away: Dafydd Roberts). Do not give staff names or direct contact details."
    )


def test_a_one_day_phone_restriction_says_today():
    """004 Decision matrix: "Restrict contact for one day"."""
    no_phone = AllowedChannels(tuple(c for c in Channel if c != Channel.PHONE))
    assert marker_text([Active(no_phone, TODAY + dt.timedelta(days=1))], TODAY) == "No phone calls today."


def test_a_restriction_ending_within_the_week_says_when_and_a_long_one_does_not():
    email_only = AllowedChannels((Channel.EMAIL,))
    assert marker_text([Active(email_only, dt.date(2026, 3, 6))], TODAY) == (
        "Contact only by email until the end of Thursday 5 March."
    )
    assert marker_text([Active(email_only, dt.date(2026, 9, 3))], TODAY) == "Contact only by email."


def test_no_measures_no_marker():
    assert marker_text([], TODAY) == ""


def test_weekday_runs_and_midnight_windows_read_plainly():
    late = CallTimes(("mon", "tue", "wed", "thu", "fri"), dt.time(22), dt.time(2), 15)
    assert marker_text([late], TODAY) == (
        "Phone calls only Monday to Friday, 22:00–02:00 (the next day), at most 15 minutes a call."
    )


def test_two_channel_limits_say_what_they_leave_in_common():
    text = marker_text(
        [AllowedChannels((Channel.EMAIL, Channel.LETTER)), AllowedChannels((Channel.LETTER, Channel.PHONE))],
        TODAY,
    )
    assert text == "Contact only by letter."


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------

_WORDS = st.sampled_from(
    ["the housing repair", "Ms Price, advocate", "Mold library", "County Hall", "Line 3"]
)
_DAYSETS = st.lists(st.sampled_from(measures.DAYS), min_size=1, max_size=7, unique=True).map(
    lambda ds: tuple(d for d in measures.DAYS if d in ds)
)
_CHANNELSETS = st.sets(st.sampled_from(list(Channel)), min_size=1, max_size=6).map(
    lambda cs: tuple(c for c in Channel if c in cs)
)
_TIMES = st.times().map(lambda t: t.replace(second=0, microsecond=0))
SPECS = st.one_of(
    _CHANNELSETS.map(AllowedChannels),
    st.builds(SinglePointOfContact, st.integers(1, 5), _WORDS, st.none() | st.integers(6, 9), _WORDS),
    st.builds(CallTimes, _DAYSETS, _TIMES, _TIMES, st.none() | st.integers(1, 60)).filter(
        lambda c: c.start != c.end
    ),
    st.builds(
        VolumeLimit,
        st.integers(1, 9),
        st.sampled_from(measures.PERIODS),
        st.none() | st.sampled_from(list(Channel)),
    ),
    st.builds(ThirdPartyOnly, _WORDS),
    st.builds(AutomatedLine, _WORDS),
    st.builds(WitnessRequired, st.just("") | _WORDS),
    st.builds(PremisesBan, st.lists(_WORDS, min_size=1, max_size=2, unique=True).map(tuple), st.just(False)),
    st.just(PremisesBan((), True)),
    st.builds(TopicsLimited, st.lists(_WORDS, min_size=1, max_size=2, unique=True).map(tuple)),
    st.builds(MatterClosed, _WORDS),
    st.sampled_from([ReadAndFile((Channel.EMAIL,)), ReadAndFile((Channel.EMAIL, Channel.LETTER))]),
    st.builds(MonitoredMailbox, st.just("monitored@example.org")),
    st.just(NoStaffDetails()),
    st.builds(BehaviourContract, st.none() | st.dates()),
)
ACTIVE = st.builds(Active, SPECS, st.none() | st.dates(min_value=TODAY, max_value=dt.date(2027, 1, 1)))


def _category_words() -> set[str]:
    words = set()
    for key in presets.available():
        for category in presets.get(key).categories:
            if category.key not in {c.value for c in Channel}:  # "social media" is also a channel
                words.add(category.key.replace("_", " ").lower())
            words.add(category.name.lower())
    return words


CATEGORY_WORDS = _category_words()
ACCOUNT = "He shouted and swore at Ffion, then threatened to come to County Hall."


@given(st.lists(ACTIVE, max_size=6))
def test_a_marker_never_mentions_categories_or_what_happened(active):
    text = marker_text(active, TODAY).lower()
    for words in CATEGORY_WORDS:
        assert words not in text
    for telling in (
        "abus",
        "threat",
        "violen",
        "aggress",
        "persist",
        "swore",
        "shout",
        "incident",
        "warning",
    ):
        assert telling not in text
    assert ACCOUNT.lower() not in text


@given(st.lists(ACTIVE, max_size=6), st.randoms())
def test_combining_measures_does_not_depend_on_their_order(active, random):
    shuffled = list(active)
    random.shuffle(shuffled)
    assert marker_text(shuffled, TODAY) == marker_text(active, TODAY)


@given(st.lists(ACTIVE, min_size=1, max_size=6))
def test_a_marker_is_one_or_two_sentences(active):
    text = marker_text(active, TODAY)
    assert text
    assert len(text.split(". ")) <= 2
    assert text.endswith(".")
