"""The generic preset following the SPSO model policy (as carried by 003), clause by clause, through the engine.

Personas: a member of staff, her manager, the senior manager, and a senior colleague not involved in
the decision who hears the appeal. Clauses read "SPSO model (003: n)": the paragraph of 003 that
carries the model's wording.
"""

from __future__ import annotations

import datetime as dt

import pytest

from engage.policy import presets
from engage.policy.engine import (
    CaseFacts,
    appeal_deadline,
    appeal_route,
    contact_line_check,
    latest_review_date,
    may_decide,
    may_decide_not_to_report,
    may_impose,
    police_reporting,
    who_must_be_told,
)
from engage.policy.vocabulary import (
    CustomerTold,
    DecisionType,
    LetterContent,
    MeasureType,
    Nation,
    PoliceReporting,
    WarningExemption,
)
from engage.policy.working_days import WorkingCalendar

P = presets.get("spso_model")

STAFF = ["staff"]
MANAGER = ["manager"]
SENIOR_MANAGER = ["senior_manager"]
APPEAL_OFFICER = ["appeal_officer"]

WARNED = CaseFacts(warnings_given=(dt.date(2025, 3, 3),))
MANAGED = CaseFacts(prior_decisions=frozenset({DecisionType.ACTIVE_MANAGEMENT}))


def test_the_generic_preset_is_neutral_scottish_and_signposts_the_spso():
    """SPSO model (003: 1.3) — a generic organisation, Scottish bank holidays, the SPSO."""
    assert P.organisation == "Generic (SPSO model)"
    assert P.nation is Nation.SCOTLAND
    assert P.ombudsman.short_name == "SPSO"
    assert P.health_and_safety_portal == ""
    assert P.groups == []


def test_every_rule_cites_the_paragraph_of_003_carrying_the_model():
    """Every rule cites 'SPSO model (003: n)'."""
    clauses = [r.clause for r in P.roles + P.categories + P.decisions + P.measures + P.choices]
    assert all(c.startswith("SPSO model (003: ") for c in clauses)


def test_every_value_the_model_does_not_state_is_a_recorded_choice():
    """The preset says where it chose: who restricts, who hears appeals, the appeal window, reviews,
    letters, the line of contact."""
    topics = {c.topic for c in P.choices}
    assert {
        "Who restricts contact",
        "Who hears appeals",
        "Appeal window",
        "Review interval and periodic review",
        "Letters",
        "Keeping a line of contact open",
    } <= topics


def test_only_aggressive_or_abusive_behaviour_and_violence_are_zero_tolerance():
    """SPSO model (003: 8.1) — zero tolerance for threats, violent, aggressive and abusive behaviour."""
    zero = {c.key for c in P.categories if c.zero_tolerance}
    assert zero == {"aggressive_abusive", "physical_violence", "threatened_violence"}


def test_a_member_of_staff_may_end_a_distressing_engagement_at_the_time():
    """SPSO model (003: 9.7) — all staff may end an engagement they find personally distressing."""
    verdict = may_decide(P, STAFF, DecisionType.END_CONTACT)
    assert verdict
    assert verdict.steps == ()


def test_her_manager_decides_a_warning_and_a_restorative_approach_and_checks_the_letter():
    """SPSO model (003: 10.1, 5.1)."""
    assert may_decide(P, MANAGER, DecisionType.WARNING)
    verdict = may_decide(P, MANAGER, DecisionType.RESTORATIVE_APPROACH)
    assert verdict
    assert "letter_check" in [s.kind for s in verdict.steps]
    assert not may_decide(P, STAFF, DecisionType.WARNING)


def test_only_a_senior_manager_restricts_contact():
    """SPSO model (003: 10.5) — 'decisions to restrict contact ... only taken after careful consideration
    ... by a senior manager'."""
    assert may_decide(P, SENIOR_MANAGER, DecisionType.ACTIVE_MANAGEMENT, WARNED)
    assert not may_decide(P, MANAGER, DecisionType.ACTIVE_MANAGEMENT, WARNED)
    assert not may_decide(P, STAFF, DecisionType.ACTIVE_MANAGEMENT, WARNED)


def test_a_restriction_needs_a_warning_first_unless_one_of_the_four_exemptions_applies():
    """SPSO model (003: 10.1, 10.6 a-d)."""
    assert not may_decide(P, SENIOR_MANAGER, DecisionType.ACTIVE_MANAGEMENT)
    for exemption in WarningExemption:
        assert may_decide(P, SENIOR_MANAGER, DecisionType.ACTIVE_MANAGEMENT, CaseFacts(exemption=exemption))


@pytest.mark.parametrize("measure", [m.type for m in P.measures])
def test_a_senior_manager_may_impose_each_measure_of_the_model(measure):
    """SPSO model (003: 7.4, 10.2)."""
    assert may_impose(P, SENIOR_MANAGER, measure)
    assert not may_impose(P, MANAGER, measure)


def test_the_model_lists_thirteen_measures_but_no_behaviour_contract():
    """SPSO model (003: 7.4, 10.2 a-i)."""
    assert len(P.measures) == 13
    assert not may_impose(P, SENIOR_MANAGER, MeasureType.BEHAVIOUR_CONTRACT)


def test_stopping_all_contact_follows_a_restriction_and_only_a_senior_manager_may_leave_no_line():
    """SPSO model (003: 11.3, 7.3)."""
    assert not may_decide(P, SENIOR_MANAGER, DecisionType.STOP_ALL_CONTACT)
    assert may_decide(P, SENIOR_MANAGER, DecisionType.STOP_ALL_CONTACT, MANAGED)
    assert not contact_line_check(P, MANAGER, [])
    assert contact_line_check(P, SENIOR_MANAGER, [])


def test_the_decision_letter_says_why_what_how_long_review_appeal_and_sharing():
    """SPSO model (003: 11.2, 7.9)."""
    assert set(P.letters.required_contents) == {
        LetterContent.REASONS,
        LetterContent.ACTIONS,
        LetterContent.DURATION,
        LetterContent.REVIEW_DATE,
        LetterContent.APPEAL_RIGHTS,
        LetterContent.SHARING,
    }
    assert [e.key for e in P.letters.notification_exemptions] == [
        "extreme_threat",
        "medical_or_professional_advice",
    ]


@pytest.mark.parametrize("decided_by", ["staff", "manager", "senior_manager"])
def test_an_appeal_is_heard_by_a_senior_colleague_not_involved_in_the_decision(decided_by):
    """SPSO model (003: 12.1) — a senior member of staff not involved in the original decision."""
    answer = appeal_route(P, decided_by=decided_by)
    assert answer.internal
    assert answer.heard_by == ("appeal_officer",)
    assert P.appeals.decided_by_someone_else
    assert may_decide(P, APPEAL_OFFICER, DecisionType.APPEAL_DECISION, MANAGED)
    assert not may_decide(P, SENIOR_MANAGER, DecisionType.APPEAL_DECISION, MANAGED)


@pytest.mark.parametrize("reason", ["staff_harm", "medical_advice", "professional_advice"])
def test_no_internal_appeal_where_staff_safety_or_advice_forbids_it_and_the_spso_is_signposted(reason):
    """SPSO model (003: 12.6 a-c)."""
    answer = appeal_route(P, decided_by="senior_manager", no_internal_reason=reason)
    assert not answer.internal
    assert answer.ombudsman.short_name == "SPSO"


def test_the_model_sets_no_appeal_window_and_no_maximum_review_interval():
    """SPSO model (003: 12.1, 7.9) — neither is stated (recorded choices)."""
    assert appeal_deadline(P, WorkingCalendar("scotland"), decided_on=dt.date(2025, 1, 6)) is None
    assert latest_review_date(P, dt.date(2025, 1, 6)) is None
    assert P.reviews.customer_told is CustomerTold.ALWAYS


def test_a_senior_manager_reviews_and_lifts_restrictions():
    """SPSO model (003: 7.9, 13.2)."""
    assert may_decide(P, SENIOR_MANAGER, DecisionType.REVIEW, MANAGED)
    assert may_decide(P, SENIOR_MANAGER, DecisionType.LIFT, MANAGED)
    assert not may_decide(P, MANAGER, DecisionType.LIFT, MANAGED)


def test_physical_violence_is_always_reported_and_threats_are_always_considered():
    """SPSO model (003: 9.2, 9.3)."""
    assert police_reporting(P, {"physical_violence"}) == (PoliceReporting.ALWAYS, "SPSO model (003: 9.2)")
    assert police_reporting(P, {"threatened_violence"}) == (PoliceReporting.CONSIDER, "SPSO model (003: 9.3)")
    assert not may_decide_not_to_report(P, ["staff", "manager"], {"physical_violence"})


def test_the_person_threatened_decides_not_to_report_only_with_a_manager():
    """SPSO model (003: 9.5, 9.6)."""
    assert not may_decide_not_to_report(P, STAFF, {"threatened_violence"})
    assert may_decide_not_to_report(P, ["staff", "manager"], {"threatened_violence"})


def test_every_decision_is_shared_with_the_crm_record_where_appropriate():
    """SPSO model (003: 11.2)."""
    assert [clause for _, clause in who_must_be_told(P, ["phone"])] == ["SPSO model (003: 11.2)"]
