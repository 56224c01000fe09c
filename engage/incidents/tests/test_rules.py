"""Incident rules over plain values and the shipped presets: no database."""

from __future__ import annotations

import dataclasses
import datetime as dt
import zoneinfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engage.incidents import rules
from engage.incidents.forms import parse_time
from engage.policy import presets
from engage.policy.vocabulary import DecisionType, PoliceReporting

LONDON = zoneinfo.ZoneInfo("Europe/London")
FLINTSHIRE = presets.get("flintshire")
BORDERS = presets.get("scottish_borders")
CLACKS = presets.get("clackmannanshire")
HIGHLAND = presets.get("highland")

COMPLETE = rules.Answers(
    occurred_at=dt.datetime(2026, 3, 2, 14, 30, tzinfo=LONDON),
    service="Council tax",
    channel="phone",
    person_description="Caller from a withheld number",
    account="He swore at me.",
    categories=("aggressive_abusive",),
    staff_affected=1,
    immediate_actions=("call_ended",),
    warning_given_first=True,
    recording_said=False,
    staff_named_publicly=False,
    support_wanted=False,
    time_away_wanted=False,
)
# Each answer, the value that leaves it unanswered, and the field the missing answer is named by.
BLANKS = {
    "occurred_at": (None, "occurred_at"),
    "service": ("  ", "service"),
    "channel": ("", "channel"),
    "person_description": ("", "person"),
    "account": ("", "account"),
    "categories": ((), "categories"),
    "staff_affected": (0, "staff_affected"),
    "immediate_actions": ((), "immediate_actions"),
    "recording_said": (None, "recording_said"),
    "staff_named_publicly": (None, "staff_named_publicly"),
    "support_wanted": (None, "support_wanted"),
    "time_away_wanted": (None, "time_away_wanted"),
}


def test_a_complete_incident_misses_nothing():
    assert rules.missing_answers(FLINTSHIRE, COMPLETE) == {}


@given(st.sets(st.sampled_from(sorted(BLANKS))))
def test_exactly_the_unanswered_questions_are_named(blanked):
    answers = dataclasses.replace(COMPLETE, **{name: BLANKS[name][0] for name in blanked})
    assert set(rules.missing_answers(FLINTSHIRE, answers)) == {BLANKS[name][1] for name in blanked}


def test_a_known_customer_needs_no_description():
    answers = dataclasses.replace(COMPLETE, person_description="", has_customer=True)
    assert rules.missing_answers(FLINTSHIRE, answers) == {}


def test_ending_a_call_without_saying_whether_a_warning_came_first_is_incomplete():
    # 004 "Terminating a telephone call": "the caller will be warned once"
    answers = dataclasses.replace(COMPLETE, warning_given_first=None)
    assert set(rules.missing_answers(FLINTSHIRE, answers)) == {"warning_given_first"}
    no_ending = dataclasses.replace(answers, immediate_actions=("account_blocked",))
    assert rules.missing_answers(FLINTSHIRE, no_ending) == {}


def test_none_of_these_cannot_be_chosen_with_an_action():
    assert rules.immediate_actions_problem(["none"]) is None
    assert rules.immediate_actions_problem(["call_ended", "account_blocked"]) is None
    assert rules.immediate_actions_problem(["none", "call_ended"]) is not None


def test_categories_a_policy_no_longer_has_are_asked_again():
    answers = dataclasses.replace(COMPLETE, categories=("violence",))  # Highland's, not Flintshire's
    assert set(rules.missing_answers(FLINTSHIRE, answers)) == {"categories"}


# ---------------------------------------------------------------------------------------------
# The health and safety portal
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "clause"),
    [
        ("violent_aggressive_abusive", "003: 6.1"),  # App.1: Category One is logged in Lexi
        ("physical_violence", "003: 9.2"),
        ("threatened_violence", "003: 9.3"),
    ],
)
def test_scottish_borders_category_one_must_be_logged_in_lexi(category, clause):
    rule = rules.health_and_safety_portal(BORDERS, [category])
    assert (rule.required, rule.portal, rule.clause) == (True, "Lexi", clause)
    assert rule.reason.endswith(f"({clause}).")


def test_scottish_borders_demands_and_persistence_need_no_lexi_reference():
    assert not rules.health_and_safety_portal(BORDERS, ["demands", "persistence"]).required
    answers = dataclasses.replace(COMPLETE, categories=("physical_violence",))
    assert set(rules.missing_answers(BORDERS, answers)) == {"hs_portal_reference"}
    assert rules.missing_answers(BORDERS, dataclasses.replace(answers, hs_portal_reference="L-1")) == {}


def test_clackmannanshire_zero_tolerance_incidents_go_in_its_portal_too():
    # 002 12.2: "recording an incident within the Health and Safety accident and incident online portal"
    zero = [c.key for c in CLACKS.categories if c.zero_tolerance]
    assert zero
    assert rules.health_and_safety_portal(CLACKS, zero[:1]).required


def test_no_portal_question_where_the_policy_names_none():
    for preset in (FLINTSHIRE, HIGHLAND):
        rule = rules.health_and_safety_portal(preset, [c.key for c in preset.categories])
        assert (rule.required, rule.portal) == (False, "")


# ---------------------------------------------------------------------------------------------
# Review options
# ---------------------------------------------------------------------------------------------


def test_a_flintshire_team_leader_may_warn_or_take_no_action_but_not_refer():
    # 004 "Considering when to manage contact" (warning); "Decision matrix" (referral is the CCSM's)
    options = {
        o.decision: o for o in rules.review_options(FLINTSHIRE, {"team_leader"}, rules.case_facts([], []))
    }
    assert list(options) == [DecisionType.NO_FURTHER_ACTION, DecisionType.WARNING, DecisionType.REFERRAL]
    assert options[DecisionType.NO_FURTHER_ACTION].verdict.allowed
    assert options[DecisionType.NO_FURTHER_ACTION].verdict.clause == "004: Considering when to manage contact"
    assert options[DecisionType.WARNING].verdict.allowed
    referral = options[DecisionType.REFERRAL].verdict
    assert not referral.allowed
    assert referral.clause == "004: Decision matrix"


def test_an_employee_may_decide_nothing_on_review():
    options = rules.review_options(FLINTSHIRE, {"employee"}, rules.case_facts([], []))
    assert options
    assert not any(o.verdict.allowed for o in options)
    assert all(o.verdict.reason.endswith(f"({o.verdict.clause}).") for o in options)


def test_scottish_borders_managers_may_choose_a_restorative_approach():
    options = {o.decision: o for o in rules.review_options(BORDERS, {"manager"}, rules.case_facts([], []))}
    assert DecisionType.RESTORATIVE_APPROACH in options
    assert options[DecisionType.RESTORATIVE_APPROACH].name


def test_an_ended_call_counts_as_contact_already_ended():
    facts = rules.case_facts(["aggressive_abusive"], ["call_ended"])
    assert facts.prior_decisions == frozenset({DecisionType.END_CONTACT})
    assert rules.case_facts([], ["account_blocked"]).prior_decisions == frozenset()


# ---------------------------------------------------------------------------------------------
# Small things said in words
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("since", "words"),
    [
        (dt.datetime(2026, 3, 5, 8, 0, tzinfo=LONDON), "today"),
        (dt.datetime(2026, 3, 4, 23, 59, tzinfo=LONDON), "1 day"),
        (dt.datetime(2026, 3, 2, 9, 0, tzinfo=LONDON), "3 days"),
    ],
)
def test_age_is_said_in_days(since, words):
    assert rules.age_in_words(since, dt.datetime(2026, 3, 5, 9, 0, tzinfo=LONDON)) == words


def test_references_have_the_year_and_five_digits():
    assert rules.format_reference(2026, 42) == "INC-2026-00042"


def test_police_expectations_read_as_sentences():
    assert rules.police_expectation(PoliceReporting.ALWAYS, "003: 9.2").endswith(
        "always reported to the police (003: 9.2)."
    )
    assert "should be considered" in rules.police_expectation(PoliceReporting.CONSIDER, "003: 9.3")
    assert rules.police_expectation(None, "x") == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14:30", dt.time(14, 30)),
        ("9.05", dt.time(9, 5)),
        ("2:30pm", dt.time(14, 30)),
        ("12am", dt.time(0, 0)),
        ("12:15 PM", dt.time(12, 15)),
        ("25:00", None),
        ("14", None),
        ("13pm", None),
        ("half two", None),
    ],
)
def test_times_are_read_as_people_type_them(text, expected):
    assert parse_time(text) == expected
