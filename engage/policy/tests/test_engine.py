"""The policy engine: the rules told as stories over Testshire, then properties over every preset."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engage.policy import engine
from engage.policy.engine import CaseFacts, Verdict
from engage.policy.schema import Appeals, DecisionRule, NoAppeal, PoliceRule, Preset
from engage.policy.tests.conftest import (
    ALED_ACTING_CHIEF_EXECUTIVE,
    CARYS_CALL_HANDLER,
    CLLR_RHYS,
    ELERI_CHIEF_EXECUTIVE,
    HUW_HEAD_OF_GOVERNANCE,
    REVIEW_PANEL,
    SIONED_SENIOR_MANAGER,
    TOMOS_TEAM_LEADER,
    every_preset,
    shipped_or_skip,
    shipped_presets,
)
from engage.policy.vocabulary import (
    Capability,
    Channel,
    DecisionType,
    MeasureType,
    PoliceReporting,
    WarningExemption,
)
from engage.policy.working_days import WorkingCalendar

D = dt.date
WARNED = CaseFacts(warnings_given=(D(2025, 5, 1),))
WALES = WorkingCalendar("wales")
SCOTLAND = WorkingCalendar("scotland")


def _with(preset: Preset, **update: object) -> Preset:
    """Testshire with one part swapped, for a branch the fixture file does not exercise."""
    return preset.model_copy(update=update)


def _rule(preset: Preset, dtype: DecisionType) -> DecisionRule:
    rule = preset.decision(dtype)
    assert rule is not None
    return rule


# =============================================================================================
# Who may decide what
# =============================================================================================


def test_call_handler_may_end_a_call_without_asking_anyone(testshire):
    verdict = engine.may_decide(testshire, CARYS_CALL_HANDLER, DecisionType.END_CONTACT)
    assert verdict
    assert verdict.steps == ()
    assert verdict.clause == "T: 4.1"


def test_team_leader_cannot_decide_active_management_and_is_told_who_can(testshire):
    verdict = engine.may_decide(testshire, TOMOS_TEAM_LEADER, DecisionType.ACTIVE_MANAGEMENT, WARNED)
    assert not verdict
    assert verdict.reason == "Only the Senior Manager may decide on active management (T: 5.1)."
    assert verdict.clause == "T: 5.1"


def test_senior_manager_cannot_decide_active_management_before_a_warning(testshire):
    verdict = engine.may_decide(testshire, SIONED_SENIOR_MANAGER, DecisionType.ACTIVE_MANAGEMENT)
    assert not verdict
    assert "warning must come before active management" in verdict.reason
    assert verdict.steps[0].kind == "warning"
    assert verdict.steps[0].by == ()
    assert "immediate threat" in verdict.steps[0].description


def test_senior_manager_may_decide_active_management_once_warned_with_the_panel_approving(testshire):
    verdict = engine.may_decide(testshire, SIONED_SENIOR_MANAGER, DecisionType.ACTIVE_MANAGEMENT, WARNED)
    assert verdict
    assert verdict.reason == "As the Senior Manager you may decide on active management (T: 5.1)."
    assert [(s.kind, s.by) for s in verdict.steps] == [
        ("approval", ("review_panel",)),
        ("letter_check", ("review_panel",)),
        ("advocacy", ("senior_manager",)),
    ]
    assert verdict.steps[0].description == "The Customer Review Panel must approve this (T: 5.1)"


def test_an_exemption_the_policy_accepts_takes_the_place_of_the_warning(testshire):
    case = CaseFacts(exemption=WarningExemption.IMMEDIATE_THREAT)
    verdict = engine.may_decide(testshire, SIONED_SENIOR_MANAGER, DecisionType.ACTIVE_MANAGEMENT, case)
    assert verdict
    assert "warning" not in [s.kind for s in verdict.steps]


def test_an_exemption_the_policy_does_not_list_does_not_take_the_place_of_the_warning(testshire):
    case = CaseFacts(exemption=WarningExemption.MEDICAL_ADVICE)
    verdict = engine.may_decide(testshire, SIONED_SENIOR_MANAGER, DecisionType.ACTIVE_MANAGEMENT, case)
    assert not verdict
    assert "medical advice" in verdict.reason
    assert "not a reason this policy accepts" in verdict.reason


def test_stopping_all_contact_needs_active_management_on_the_case_first(testshire):
    verdict = engine.may_decide(testshire, REVIEW_PANEL, DecisionType.STOP_ALL_CONTACT)
    assert not verdict
    assert verdict.reason == (
        "Active management must already be on the case before stopping all contact on a matter (T: 5.4)."
    )
    assert verdict.steps[0].kind == "prior_decision"
    assert verdict.steps[0].by == ("senior_manager",)


def test_the_panel_may_stop_all_contact_once_active_management_is_on_the_case(testshire):
    case = CaseFacts(prior_decisions=frozenset({DecisionType.ACTIVE_MANAGEMENT}))
    assert engine.may_decide(testshire, REVIEW_PANEL, DecisionType.STOP_ALL_CONTACT, case)


def test_a_warning_given_counts_as_a_warning_decision_already_on_the_case(testshire):
    rule = _rule(testshire, DecisionType.SHORT_RESTRICTION).model_copy(
        update={"requires_prior": [DecisionType.WARNING]}
    )
    preset = _with(testshire, decisions=[rule])
    assert not engine.may_decide(preset, TOMOS_TEAM_LEADER, DecisionType.SHORT_RESTRICTION)
    assert engine.may_decide(preset, TOMOS_TEAM_LEADER, DecisionType.SHORT_RESTRICTION, WARNED)


def test_acting_chief_executive_cannot_restrict_the_complaints_process_as_it_is_reserved_to_the_executive(
    testshire,
):
    # Named in decided_by, but executive_only needs the executive capability too.
    verdict = engine.may_decide(
        testshire, ALED_ACTING_CHIEF_EXECUTIVE, DecisionType.RESTRICT_COMPLAINTS_PROCESS
    )
    assert not verdict
    assert verdict.reason == (
        "This policy reserves restricting use of the complaints process to the executive, so only the "
        "Chief Executive may decide on it (T: 5.6)."
    )


def test_chief_executive_may_restrict_the_complaints_process(testshire):
    assert engine.may_decide(testshire, ELERI_CHIEF_EXECUTIVE, DecisionType.RESTRICT_COMPLAINTS_PROCESS)


def test_a_decision_the_policy_does_not_provide_for_is_refused_saying_so(testshire):
    verdict = engine.may_decide(testshire, ELERI_CHIEF_EXECUTIVE, "lift")
    assert not verdict
    assert verdict.reason.startswith("This policy does not provide for lifting a restriction")
    assert "Testshire Council, Customer Engagement Policy v0.1" in verdict.reason


def test_a_decision_type_engage_does_not_know_is_a_programming_error(testshire):
    with pytest.raises(ValueError, match="not a decision type Engage knows"):
        engine.may_decide(testshire, ELERI_CHIEF_EXECUTIVE, "banish")


def test_role_keys_the_policy_does_not_know_grant_nothing(testshire):
    assert not engine.may_decide(testshire, ("supreme_leader", "admin"), DecisionType.END_CONTACT)


def test_a_single_role_given_as_text_is_one_role_not_its_letters(testshire):
    assert engine.may_decide(testshire, "team_leader", DecisionType.WARNING)
    assert engine.capabilities_of(testshire, "team_leader") == {Capability.MANAGER}


def test_someone_with_two_roles_may_decide_what_either_role_may(testshire):
    roles = TOMOS_TEAM_LEADER + SIONED_SENIOR_MANAGER
    assert engine.may_decide(testshire, roles, DecisionType.WARNING)
    assert engine.may_decide(testshire, roles, DecisionType.REVIEW)


def test_a_verdict_is_false_when_refused_and_true_when_allowed():
    assert not Verdict(False, "no", "c")
    assert Verdict(True, "yes", "c")


def test_options_list_every_decision_in_the_policys_order_refused_ones_included(testshire):
    options = engine.options_for(testshire, TOMOS_TEAM_LEADER)
    assert [rule.type for rule, _ in options] == [d.type for d in testshire.decisions]
    allowed = {rule.type for rule, verdict in options if verdict}
    assert allowed == {DecisionType.END_CONTACT, DecisionType.WARNING, DecisionType.SHORT_RESTRICTION}


# --- Measures --------------------------------------------------------------------------------


def test_senior_manager_may_ban_from_premises_with_the_panels_approval(testshire):
    verdict = engine.may_impose(testshire, SIONED_SENIOR_MANAGER, MeasureType.PREMISES_BAN)
    assert verdict
    assert [(s.kind, s.by) for s in verdict.steps] == [("approval", ("review_panel",))]


def test_team_leader_cannot_impose_a_premises_ban(testshire):
    verdict = engine.may_impose(testshire, TOMOS_TEAM_LEADER, "premises_ban")
    assert not verdict
    assert verdict.reason == "Only the Senior Manager may impose a ban from premises (T: 5.2(f))."


def test_a_measure_the_policy_does_not_list_cannot_be_imposed(testshire):
    verdict = engine.may_impose(testshire, SIONED_SENIOR_MANAGER, MeasureType.WITNESS_REQUIRED)
    assert not verdict
    assert verdict.reason.startswith("This policy does not provide for a witness at any meeting")


# =============================================================================================
# Appeals
# =============================================================================================


def test_an_appeal_against_the_team_leader_is_heard_by_a_senior_manager(testshire):
    answer = engine.appeal_route(testshire, decided_by="team_leader")
    assert answer.internal
    assert answer.heard_by == ("senior_manager",)
    assert answer.clause == "T: 6.2(a)"
    assert (
        answer.reason
        == "An appeal against a decision by the Team Leader is heard by the Senior Manager (T: 6.2(a))."
    )


def test_an_appeal_against_the_panel_is_heard_by_the_head_of_governance_who_decides_it(testshire):
    answer = engine.appeal_route(testshire, decided_by="review_panel")
    assert answer.internal
    assert answer.heard_by == HUW_HEAD_OF_GOVERNANCE
    assert engine.may_decide(testshire, HUW_HEAD_OF_GOVERNANCE, DecisionType.APPEAL_DECISION)
    assert not engine.may_decide(testshire, SIONED_SENIOR_MANAGER, DecisionType.APPEAL_DECISION)


def test_a_councillors_action_has_no_appeal_and_the_customer_is_signposted_to_the_ombudsman(testshire):
    caps = engine.capabilities_of(testshire, CLLR_RHYS)
    answer = engine.appeal_route(testshire, decided_by=CLLR_RHYS[0], decider_capabilities=caps)
    assert not answer.internal
    assert answer.heard_by == ()
    assert answer.clause == "T: 6.4"
    assert answer.ombudsman.short_name == "PSOW"
    assert "Public Services Ombudsman for Wales" in answer.reason


def test_violence_falls_outside_the_appeal_process(testshire):
    answer = engine.appeal_route(testshire, decided_by="senior_manager", categories=frozenset({"violence"}))
    assert not answer.internal
    assert answer.clause == "T: 6.5"


def test_a_recorded_reason_the_policy_lists_withholds_the_internal_appeal(testshire):
    answer = engine.appeal_route(testshire, decided_by="senior_manager", no_internal_reason="staff_harm")
    assert not answer.internal
    assert answer.clause == "T: 6.6(a)"
    assert answer.reason.startswith(
        "No internal appeal is offered because hearing the appeal would put staff"
    )


def test_a_reason_the_policy_does_not_list_leaves_the_internal_appeal_in_place_and_says_so(testshire):
    answer = engine.appeal_route(testshire, decided_by="senior_manager", no_internal_reason="too_busy")
    assert answer.internal
    assert answer.heard_by == ("head_of_governance",)
    assert '"too_busy" is not a reason this policy gives' in answer.reason


def test_a_decider_with_no_route_gets_no_internal_appeal_and_is_told_the_policy_names_none(testshire):
    answer = engine.appeal_route(testshire, decided_by="chief_executive")
    assert not answer.internal
    assert answer.clause == "T: 6.1"
    assert "names no appeal route for decisions by the Chief Executive" in answer.reason


def test_a_no_appeal_entry_with_capabilities_and_categories_needs_both_to_match(testshire):
    narrow = NoAppeal(
        key="member_violence",
        description="councillors dealing with violence",
        capabilities=[Capability.ELECTED_MEMBER],
        categories=["violence"],
        clause="T: 6.9",
    )
    preset = _with(testshire, appeals=testshire.appeals.model_copy(update={"no_appeal": [narrow]}))
    member = frozenset({Capability.ELECTED_MEMBER})
    assert engine.appeal_route(preset, decided_by="team_leader", decider_capabilities=member).internal
    assert engine.appeal_route(preset, decided_by="team_leader", categories=frozenset({"violence"})).internal
    both = engine.appeal_route(
        preset, decided_by="team_leader", decider_capabilities=member, categories=frozenset({"violence"})
    )
    assert not both.internal


# --- The appeal deadline (Testshire: 20 working days from receipt, deemed 2 days after posting) --


def test_appeal_deadline_counts_twenty_welsh_working_days_after_deemed_receipt_over_christmas(testshire):
    # Posted Friday 19 December 2025; deemed received Tuesday 23rd; 25, 26 December and 1 January
    # are bank holidays in Wales.
    deadline = engine.appeal_deadline(testshire, WALES, decided_on=D(2025, 12, 19), posted_on=D(2025, 12, 19))
    assert deadline == D(2026, 1, 23)


def test_appeal_deadline_counts_from_actual_receipt_when_it_is_known(testshire):
    deadline = engine.appeal_deadline(
        testshire, WALES, decided_on=D(2025, 6, 2), posted_on=D(2025, 6, 2), received_on=D(2025, 6, 9)
    )
    assert deadline == WALES.add_working_days(D(2025, 6, 9), 20)


def test_appeal_deadline_counts_from_the_decision_when_nothing_else_is_known(testshire):
    assert engine.appeal_deadline(testshire, WALES, decided_on=D(2025, 6, 2)) == D(2025, 6, 30)


def test_appeal_deadline_counts_from_the_decision_where_the_policy_says_so(testshire):
    preset = _with(testshire, appeals=testshire.appeals.model_copy(update={"window_from": "decision"}))
    deadline = engine.appeal_deadline(preset, WALES, decided_on=D(2025, 6, 2), received_on=D(2025, 6, 20))
    assert deadline == D(2025, 6, 30)


def test_there_is_no_appeal_deadline_where_the_policy_sets_no_window(testshire):
    preset = _with(testshire, appeals=testshire.appeals.model_copy(update={"window_working_days": None}))
    assert engine.appeal_deadline(preset, WALES, decided_on=D(2025, 6, 2)) is None
    assert engine.appeal_in_time(preset, WALES, deadline=None, appeal_received_on=D(2030, 1, 1))


def test_a_letter_posted_before_the_decision_is_a_data_error(testshire):
    with pytest.raises(ValueError, match="posted_on"):
        engine.appeal_deadline(testshire, WALES, decided_on=D(2025, 6, 2), posted_on=D(2025, 6, 1))


def test_an_appeal_on_the_deadline_is_in_time_and_the_day_after_is_late(testshire):
    deadline = D(2025, 6, 30)
    assert engine.appeal_in_time(testshire, WALES, deadline=deadline, appeal_received_on=deadline)
    assert not engine.appeal_in_time(testshire, WALES, deadline=deadline, appeal_received_on=D(2025, 7, 1))


def test_a_deadline_on_a_day_the_council_closed_runs_on_to_the_next_working_day(testshire):
    closed = WorkingCalendar("wales", [D(2025, 6, 30)])
    deadline = D(2025, 6, 30)
    assert engine.appeal_in_time(testshire, closed, deadline=deadline, appeal_received_on=D(2025, 7, 1))
    assert not engine.appeal_in_time(testshire, closed, deadline=deadline, appeal_received_on=D(2025, 7, 2))


# =============================================================================================
# Reviews
# =============================================================================================


def test_the_latest_review_is_six_calendar_months_after_the_decision(testshire):
    assert engine.latest_review_date(testshire, D(2025, 3, 15)) == D(2025, 9, 15)


def test_six_months_after_the_last_day_of_august_is_the_last_day_of_february(testshire):
    assert engine.latest_review_date(testshire, D(2025, 8, 31)) == D(2026, 2, 28)
    assert engine.latest_review_date(testshire, D(2027, 8, 31)) == D(2028, 2, 29)


def test_a_review_on_the_latest_date_is_allowed_and_the_day_after_is_refused(testshire):
    assert engine.review_date_ok(testshire, D(2025, 8, 31), D(2026, 2, 28))
    verdict = engine.review_date_ok(testshire, D(2025, 8, 31), D(2026, 3, 1))
    assert not verdict
    assert verdict.reason == (
        "The review must be no later than 28 February 2026, 6 months after the decision (T: 7.1)."
    )


def test_a_review_cannot_be_set_before_the_decision(testshire):
    verdict = engine.review_date_ok(testshire, D(2025, 8, 31), D(2025, 8, 30))
    assert not verdict
    assert "before the decision" in verdict.reason


def test_without_a_maximum_any_later_review_date_is_allowed(testshire):
    preset = _with(testshire, reviews=testshire.reviews.model_copy(update={"max_interval_months": None}))
    assert engine.latest_review_date(preset, D(2025, 1, 1)) is None
    assert engine.review_date_ok(preset, D(2025, 1, 1), D(2035, 1, 1))


def test_a_restriction_for_violence_may_have_no_review_but_one_for_persistence_must(testshire):
    assert engine.review_may_be_omitted(testshire, ["violence"])
    verdict = engine.review_may_be_omitted(testshire, ["persistence"])
    assert not verdict
    assert verdict.clause == "T: 7.1"


# =============================================================================================
# Sharing, police, the line of contact
# =============================================================================================


def test_a_phone_restriction_is_shared_with_the_centre_once_and_with_frontline_call_takers(testshire):
    assert engine.who_must_be_told(testshire, [Channel.PHONE]) == [
        ("the customer service centre", "T: 8.1"),
        ("everyone taking frontline calls", "T: 8.2"),
    ]


def test_any_decision_is_shared_with_the_centre_even_with_no_channel(testshire):
    assert engine.who_must_be_told(testshire, []) == [("the customer service centre", "T: 8.1")]


def test_a_physical_threat_is_shared_with_other_services(testshire):
    told = engine.who_must_be_told(testshire, ["email"], physical_threat=True)
    assert told == [
        ("the customer service centre", "T: 8.1"),
        ("the corporate mailbox monitors", "T: 8.3"),
        ("other services in contact with the customer", "T: 8.4"),
    ]


def test_police_reporting_takes_the_strictest_rule_that_matches(testshire):
    assert engine.police_reporting(testshire, ["persistence"]) == (PoliceReporting.CONSIDER, "T: 9.4")
    assert engine.police_reporting(testshire, ["demands"]) == (PoliceReporting.NORMALLY, "T: 9.3")
    assert engine.police_reporting(testshire, ["persistence", "violence"]) == (
        PoliceReporting.ALWAYS,
        "T: 9.2",
    )


def test_the_strictest_police_rule_wins_whatever_order_the_policy_lists_them_in(testshire):
    reversed_rules = list(reversed(testshire.police.rules))
    preset = _with(testshire, police=testshire.police.model_copy(update={"rules": reversed_rules}))
    assert engine.police_reporting(preset, ["demands"]) == (PoliceReporting.NORMALLY, "T: 9.3")
    assert engine.police_reporting(preset, ["persistence", "violence"]) == (PoliceReporting.ALWAYS, "T: 9.2")


def test_no_police_rule_matching_gives_none_with_the_police_clause(testshire):
    assert engine.police_reporting(testshire, []) == (None, "T: 9.1")


def test_a_police_rule_without_categories_applies_to_every_incident(testshire):
    general = PoliceRule(description="Consider reporting any threat.", reporting="consider", clause="T: 9.9")
    preset = _with(testshire, police=testshire.police.model_copy(update={"rules": [general]}))
    assert engine.police_reporting(preset, ["persistence"]) == (PoliceReporting.CONSIDER, "T: 9.9")


def test_no_one_may_decide_not_to_report_violence_the_policy_always_reports(testshire):
    verdict = engine.may_decide_not_to_report(testshire, SIONED_SENIOR_MANAGER, ["violence"])
    assert not verdict
    assert verdict.clause == "T: 9.2"


def test_call_handler_may_not_decide_alone_not_to_report_a_threat(testshire):
    verdict = engine.may_decide_not_to_report(testshire, CARYS_CALL_HANDLER, ["demands"])
    assert not verdict
    assert verdict.reason == (
        "Only the Team Leader or the Senior Manager may decide not to report an incident to the police (T: 9.1)."
    )


def test_team_leader_may_decide_not_to_report_a_demand_recording_staff_views(testshire):
    verdict = engine.may_decide_not_to_report(testshire, TOMOS_TEAM_LEADER, ["demands"])
    assert verdict
    assert "views of the staff involved" in verdict.reason


def test_a_restriction_leaving_one_channel_open_keeps_a_line_of_contact(testshire):
    assert engine.contact_line_check(testshire, SIONED_SENIOR_MANAGER, ["letter"])


def test_senior_manager_cannot_close_every_line_of_contact_but_the_panel_can(testshire):
    verdict = engine.contact_line_check(testshire, SIONED_SENIOR_MANAGER, [])
    assert not verdict
    assert verdict.reason == (
        "At least one line of contact must remain unless the Customer Review Panel decides otherwise (T: 5.3)."
    )
    assert engine.contact_line_check(testshire, REVIEW_PANEL, [])


def test_without_anyone_to_override_no_one_may_close_every_line(testshire):
    preset = _with(testshire, contact_line=testshire.contact_line.model_copy(update={"override_by": []}))
    verdict = engine.contact_line_check(preset, REVIEW_PANEL + ELERI_CHIEF_EXECUTIVE, ["", " "])
    assert not verdict
    assert verdict.reason == "This policy requires at least one line of contact to remain (T: 5.3)."


def test_a_policy_that_does_not_require_a_line_lets_every_line_close(testshire):
    preset = _with(testshire, contact_line=testshire.contact_line.model_copy(update={"must_remain": False}))
    assert engine.contact_line_check(preset, CARYS_CALL_HANDLER, [])


# =============================================================================================
# The shipped policies, through the engine (skipped until each preset exists)
# =============================================================================================


def _roles_with(preset: Preset, capability: Capability) -> list[str]:
    return [r.key for r in preset.roles if capability in r.capabilities]


def test_team_leader_cannot_formally_manage_contact():
    # 004 Decision matrix: "Formally manage contact — CCSM".
    flintshire = shipped_or_skip("flintshire")
    for key in _roles_with(flintshire, Capability.MANAGER):
        verdict = engine.may_decide(flintshire, [key], DecisionType.ACTIVE_MANAGEMENT, WARNED)
        assert not verdict
        assert verdict.clause in verdict.reason


def test_flintshire_appeals_close_twenty_welsh_working_days_after_receipt():
    # 004 "Appealing a decision": "within 20 working days of receiving it". Received Thursday
    # 17 April 2025: Good Friday, Easter Monday and May Day are Welsh bank holidays, so the 20th
    # working day is Tuesday 20 May.
    flintshire = shipped_or_skip("flintshire")
    deadline = engine.appeal_deadline(
        flintshire, WALES, decided_on=D(2025, 4, 15), received_on=D(2025, 4, 17)
    )
    assert deadline == D(2025, 5, 20)


def test_flintshire_reviews_fall_no_later_than_six_months_after_the_decision():
    # 004 "Reviewing decisions": "no more than six months after the date the decision was taken".
    flintshire = shipped_or_skip("flintshire")
    assert engine.latest_review_date(flintshire, D(2025, 8, 31)) == D(2026, 2, 28)


def test_in_highland_only_the_chief_executive_or_depute_may_restrict_the_complaints_process():
    # 001 §64: "Such decisions can only be made by the Chief Executive or Depute Chief Executive."
    highland = shipped_or_skip("highland")
    executives = set(_roles_with(highland, Capability.EXECUTIVE))
    for role in highland.roles:
        allowed = engine.may_decide(highland, [role.key], DecisionType.RESTRICT_COMPLAINTS_PROCESS)
        assert bool(allowed) == (role.key in executives), role.key


def test_in_scottish_borders_appeals_do_not_apply_to_action_taken_by_elected_members():
    # 003 12.5: "The appeal process does not apply to action taken by elected members."
    borders = shipped_or_skip("scottish_borders")
    members = _roles_with(borders, Capability.ELECTED_MEMBER)
    assert members
    answer = engine.appeal_route(
        borders, decided_by=members[0], decider_capabilities=frozenset({Capability.ELECTED_MEMBER})
    )
    assert not answer.internal
    assert answer.ombudsman.short_name == "SPSO"


# =============================================================================================
# Properties over every preset: Testshire and each one shipped in engage/policy/presets/
# =============================================================================================

PRESETS = every_preset()
PRESET_IDS = [p.key for p in PRESETS]


def test_every_shipped_preset_is_covered_by_the_properties():
    shipped = shipped_presets()
    if not shipped:
        pytest.skip("no presets shipped in engage/policy/presets/ yet: properties run over Testshire only")
    assert {p.key for p in shipped} <= set(PRESET_IDS)


def _deciders(preset: Preset) -> list[str]:
    return [r.key for r in preset.roles] + [g.key for g in preset.groups]


def _ready(rule: DecisionRule) -> CaseFacts:
    """A case with everything the rule asks to be there first."""
    return CaseFacts(warnings_given=(D(2025, 1, 6),), prior_decisions=frozenset(rule.requires_prior))


@pytest.mark.parametrize("preset", PRESETS, ids=PRESET_IDS)
def test_no_role_can_decide_what_its_policy_reserves_to_another(preset):
    for rule in preset.decisions:
        case = _ready(rule)
        for key in _deciders(preset):
            verdict = engine.may_decide(preset, [key], rule.type, case)
            reserved = key not in rule.decided_by or (
                rule.type in preset.executive_only
                and Capability.EXECUTIVE not in engine.capabilities_of(preset, [key])
            )
            if reserved:
                assert not verdict, f"{preset.key}: {key} may decide {rule.type.value}"
                assert verdict.clause == rule.clause
                assert rule.clause in verdict.reason
            else:
                assert verdict, f"{preset.key}: {key} is refused {rule.type.value}: {verdict.reason}"


@pytest.mark.parametrize("preset", PRESETS, ids=PRESET_IDS)
def test_no_role_can_impose_a_measure_its_policy_reserves_to_another(preset):
    for rule in preset.measures:
        for key in _deciders(preset):
            verdict = engine.may_impose(preset, [key], rule.type)
            assert bool(verdict) == (key in rule.decided_by)
            assert rule.clause in verdict.reason


@st.composite
def actors_and_cases(draw: st.DrawFn) -> tuple[Preset, frozenset[str], DecisionType, CaseFacts]:
    preset = draw(st.sampled_from(PRESETS))
    roles = draw(st.frozensets(st.sampled_from(_deciders(preset)), max_size=3))
    decision = draw(st.sampled_from(list(DecisionType)))
    case = CaseFacts(
        warnings_given=tuple(draw(st.lists(st.dates(D(2024, 1, 1), D(2026, 1, 1)), max_size=2))),
        prior_decisions=draw(st.frozensets(st.sampled_from(list(DecisionType)), max_size=3)),
        categories=frozenset(draw(st.lists(st.sampled_from([c.key for c in preset.categories]), max_size=2))),
        exemption=draw(st.none() | st.sampled_from(list(WarningExemption))),
    )
    return preset, roles, decision, case


@given(actors_and_cases())
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_an_allowed_decision_meets_every_condition_its_rule_sets(drawn):
    preset, roles, decision, case = drawn
    verdict = engine.may_decide(preset, roles, decision, case)
    rule = preset.decision(decision)
    if not verdict:
        assert verdict.clause in verdict.reason
        return
    assert rule is not None
    assert roles & set(rule.decided_by)
    if decision in preset.executive_only:
        assert Capability.EXECUTIVE in engine.capabilities_of(preset, roles)
    if rule.requires_warning_first:
        assert case.warnings_given or case.exemption in rule.warning_exemptions
    if rule.requires_prior:
        on_case = case.prior_decisions | ({DecisionType.WARNING} if case.warnings_given else set())
        assert on_case & set(rule.requires_prior)
    assert {s.kind for s in verdict.steps} <= {"approval", "letter_check", "advocacy"}


@st.composite
def decisions_and_letters(draw: st.DrawFn) -> tuple[Preset, WorkingCalendar, dt.date, int, int]:
    preset = draw(st.sampled_from(PRESETS))
    closures = draw(st.lists(st.dates(D(2024, 1, 1), D(2031, 12, 31)), max_size=10))
    calendar = WorkingCalendar(preset.nation, closures)
    decided = draw(st.dates(D(2024, 1, 1), D(2030, 12, 31)))
    return preset, calendar, decided, draw(st.integers(0, 10)), draw(st.integers(0, 30))


@given(decisions_and_letters())
def test_an_appeal_deadline_never_falls_on_a_non_working_day(drawn):
    preset, calendar, decided, posted_after, received_after = drawn
    posted = decided + dt.timedelta(days=posted_after)
    for kwargs in (
        {},
        {"posted_on": posted},
        {"posted_on": posted, "received_on": posted + dt.timedelta(received_after)},
    ):
        deadline = engine.appeal_deadline(preset, calendar, decided_on=decided, **kwargs)
        if preset.appeals.window_working_days is None:
            assert deadline is None
        else:
            assert deadline is not None
            assert calendar.is_working_day(deadline)
            assert (deadline - decided).days >= preset.appeals.window_working_days
            assert engine.appeal_in_time(preset, calendar, deadline=deadline, appeal_received_on=deadline)


@given(decisions_and_letters(), st.integers(1, 30))
def test_a_later_receipt_never_gives_an_earlier_appeal_deadline(drawn, later_by):
    preset, calendar, decided, _, received_after = drawn
    received = decided + dt.timedelta(days=received_after)
    later = received + dt.timedelta(days=later_by)
    first = engine.appeal_deadline(preset, calendar, decided_on=decided, received_on=received)
    second = engine.appeal_deadline(preset, calendar, decided_on=decided, received_on=later)
    if first is None or second is None:
        assert first is second is None
        return
    assert first <= second
    if preset.appeals.window_from == "receipt":
        # The deadline moves exactly when a working day passes between the two receipts.
        passed = any(calendar.is_working_day(received + dt.timedelta(days=i)) for i in range(1, later_by + 1))
        assert (first < second) == passed


def _windowed(preset: Preset) -> Preset:
    """The preset with a 20-day window, so the deadline properties bite even where a policy sets none."""
    if preset.appeals.window_working_days is not None:
        return preset
    appeals: Appeals = preset.appeals.model_copy(update={"window_working_days": 20})
    return preset.model_copy(update={"appeals": appeals})


@given(decisions_and_letters(), st.integers(1, 30))
def test_a_later_posting_never_gives_an_earlier_deadline_even_where_a_window_is_imposed(drawn, later_by):
    preset, calendar, decided, posted_after, _ = drawn
    preset = _windowed(preset)
    posted = decided + dt.timedelta(days=posted_after)
    first = engine.appeal_deadline(preset, calendar, decided_on=decided, posted_on=posted)
    second = engine.appeal_deadline(
        preset, calendar, decided_on=decided, posted_on=posted + dt.timedelta(days=later_by)
    )
    assert first is not None
    assert second is not None
    assert calendar.is_working_day(first)
    assert first <= second


@given(st.sampled_from(PRESETS), st.dates(D(2000, 1, 1), D(2090, 12, 31)), st.integers(0, 2000))
def test_a_review_date_never_exceeds_the_maximum(preset, decided, after):
    review_on = decided + dt.timedelta(days=after)
    verdict = engine.review_date_ok(preset, decided, review_on)
    latest = engine.latest_review_date(preset, decided)
    months = preset.reviews.max_interval_months
    if months is None:
        assert latest is None
        assert verdict
        return
    assert latest is not None
    assert decided < latest
    assert (latest.year - decided.year) * 12 + latest.month - decided.month == months
    assert bool(verdict) == (review_on <= latest)
    assert preset.reviews.clause in verdict.reason


@given(st.sampled_from(PRESETS), st.data())
def test_everyone_the_policy_names_for_a_channel_is_told_once(preset, data):
    channels = data.draw(st.frozensets(st.sampled_from(list(Channel))))
    threat = data.draw(st.booleans())
    told = engine.who_must_be_told(preset, channels, physical_threat=threat)
    parties = [party for party, _ in told]
    assert len(parties) == len(set(parties))
    for rule in preset.sharing:
        if rule.when == "any" or rule.when in channels or (rule.when == "physical_threat" and threat):
            assert set(rule.tell) <= set(parties)


@given(st.sampled_from(PRESETS), st.data())
def test_police_reporting_is_never_weaker_than_any_matching_rule(preset, data):
    categories = data.draw(st.frozensets(st.sampled_from([c.key for c in preset.categories])))
    level, clause = engine.police_reporting(preset, categories)
    strength = {None: 0, PoliceReporting.CONSIDER: 1, PoliceReporting.NORMALLY: 2, PoliceReporting.ALWAYS: 3}
    matching = [r for r in preset.police.rules if not r.categories or set(r.categories) & categories]
    for rule in matching:
        assert strength[level] >= strength[rule.reporting]
    assert clause in ([r.clause for r in matching if r.reporting == level] or [preset.police.clause])
    decider = preset.police.may_decide_not_to_report[0]
    if level is PoliceReporting.ALWAYS:
        assert not engine.may_decide_not_to_report(preset, [decider], categories)
    else:
        assert engine.may_decide_not_to_report(preset, [decider], categories)
