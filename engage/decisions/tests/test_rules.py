"""The decision rules beside the engine, over the shipped presets: each guard cites its clause."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engage.decisions import rules
from engage.decisions.measures import (
    AllowedChannels,
    AutomatedLine,
    CallTimes,
    MonitoredMailbox,
    NoStaffDetails,
)
from engage.policy import presets
from engage.policy.vocabulary import Channel, DecisionType

D = dt.date
FLINTSHIRE = presets.get("flintshire")
BORDERS = presets.get("scottish_borders")


def test_a_one_day_restriction_ends_the_next_day_at_the_latest():
    """004 Decision matrix: "Restrict contact for one day"."""
    assert rules.duration_ok(FLINTSHIRE, DecisionType.SHORT_RESTRICTION, D(2026, 3, 3), D(2026, 3, 4)).allowed
    refused = rules.duration_ok(FLINTSHIRE, DecisionType.SHORT_RESTRICTION, D(2026, 3, 3), D(2026, 3, 5))
    assert (
        refused.reason
        == "A short restriction lasts at most one day, so it must end by 4 March 2026 (004: Decision matrix)."
    )
    assert not rules.duration_ok(FLINTSHIRE, DecisionType.SHORT_RESTRICTION, D(2026, 3, 3), None).allowed


def test_an_end_before_the_start_is_never_allowed():
    assert not rules.duration_ok(
        FLINTSHIRE, DecisionType.ACTIVE_MANAGEMENT, D(2026, 3, 3), D(2026, 3, 3)
    ).allowed
    assert rules.duration_ok(FLINTSHIRE, DecisionType.ACTIVE_MANAGEMENT, D(2026, 3, 3), None).allowed


@given(
    st.dates(),
    st.integers(0, 400),
    st.none() | st.integers(1, 400),
    st.integers(0, 30),
    st.none() | st.integers(1, 400),
)
def test_a_measure_that_fits_never_starts_early_or_ends_late(start, delay, length, m_delay, m_length):
    d_end = None if length is None else start + dt.timedelta(days=length)
    m_start = start + dt.timedelta(days=m_delay)
    m_end = None if m_length is None else m_start + dt.timedelta(days=m_length)
    problem = rules.measure_dates_problem(start, d_end, m_start, m_end)
    fits = (d_end is None) or (m_end is not None and m_end <= d_end)
    assert (problem is None) == fits


def test_calls_and_mailboxes_cannot_be_set_on_a_closed_channel():
    letters = AllowedChannels((Channel.LETTER,))
    found = rules.conflicts(
        [
            letters,
            CallTimes(("tue",), dt.time(10), dt.time(12)),
            AutomatedLine("x"),
            MonitoredMailbox("m@example.org"),
        ]
    )
    assert set(found) == {"call_times", "automated_line", "monitored_mailbox"}
    assert (
        rules.conflicts(
            [AllowedChannels((Channel.PHONE, Channel.EMAIL)), CallTimes(("tue",), dt.time(10), dt.time(12))]
        )
        == {}
    )


def test_the_complaints_review_group_needs_three_of_its_members():
    """003 Guidance: two Directors, the Chief Legal Officer, the SPSO Liaison Officer (quorum: preset choice)."""
    group = "complaints_review_group"
    members = {1: {"director"}, 2: {"director"}, 3: {"chief_legal_officer"}}
    assert rules.group_problem(BORDERS, group, {"director"}, members) is None
    assert "At least 3 members" in rules.group_problem(
        BORDERS, group, {"director"}, {1: {"director"}, 2: {"director"}}
    )
    assert "Only members" in rules.group_problem(BORDERS, group, {"director"}, {**members, 4: {"manager"}})
    assert "do not hold a role" in rules.group_problem(BORDERS, group, {"manager"}, members)
    assert "no group" in rules.group_problem(FLINTSHIRE, group, {"ccsm"}, members)


def test_members_may_act_as_their_group():
    assert rules.acting_keys(BORDERS, {"director"}) == {"director", "complaints_review_group"}
    assert rules.acting_keys(BORDERS, {"manager"}) == {"manager"}


@pytest.mark.parametrize(
    ("preset", "changed", "in_contact", "told"),
    [
        (FLINTSHIRE, False, True, False),  # 004 "Reviewing decisions": only of a change...
        (FLINTSHIRE, True, False, False),  # ... and only if still in active contact
        (FLINTSHIRE, True, True, True),
        (BORDERS, False, True, False),  # 003 version history v1.1: not if nothing changed
        (BORDERS, True, False, True),
    ],
)
def test_whether_the_customer_is_told_of_a_review_follows_the_policy(preset, changed, in_contact, told):
    answer = rules.customer_told(preset, changed=changed, in_active_contact=in_contact)
    assert answer.tell is told
    assert answer.clause == preset.reviews.clause


def test_the_annual_review_falls_at_the_financial_year_end_and_the_groups_each_quarter():
    """004 "Annual review"; 003 13.2 "on a regular basis" (quarterly: Engage's choice)."""
    assert rules.periodic_due(FLINTSHIRE, D(2026, 3, 31)) == ("Financial year 2025 to 2026", D(2026, 3, 31))
    assert rules.periodic_due(FLINTSHIRE, D(2026, 4, 1)) == ("Financial year 2026 to 2027", D(2027, 3, 31))
    assert rules.periodic_due(BORDERS, D(2026, 5, 2)) == ("Quarter ending 30 June 2026", D(2026, 6, 30))


def test_phone_measures_are_shared_with_the_phones_and_threats_with_every_service():
    """004 "Terminating a telephone call"; 003 9.2 (Lexi) and 11.2."""
    calls = CallTimes(("tue",), dt.time(10), dt.time(12))
    assert rules.sharing_parties(FLINTSHIRE, [calls], physical_threat=False) == [
        ("All employees taking frontline calls", "004: Terminating a telephone call")
    ]
    assert rules.sharing_parties(FLINTSHIRE, [MonitoredMailbox("m@example.org")], physical_threat=False) == []
    parties = [p for p, _c in rules.sharing_parties(BORDERS, [NoStaffDetails()], physical_threat=True)]
    assert "Lexi (Health and Safety Portal)" in parties


def test_the_hot_path_is_one_query(flintshire, django_assert_num_queries):
    from engage.decisions.selectors import active_measures

    with django_assert_num_queries(1):
        active_measures(flintshire.organisation.pk, 1, D(2026, 3, 3))
