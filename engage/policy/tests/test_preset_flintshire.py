"""Flintshire County Council's Managing Customer Contact Policy (004), clause by clause, through the engine.

Personas: a call handler (employee), her team leader, the CCSM, a Chief Officer, and the Chief Officer
Governance. Each test cites the heading of 004 it checks.
"""

from __future__ import annotations

import datetime as dt

import pytest

from engage.policy import presets
from engage.policy.engine import (
    CaseFacts,
    appeal_deadline,
    appeal_in_time,
    appeal_route,
    contact_line_check,
    latest_review_date,
    may_decide,
    may_decide_not_to_report,
    may_impose,
    options_for,
    police_reporting,
    review_date_ok,
    who_must_be_told,
)
from engage.policy.vocabulary import (
    CustomerTold,
    DecisionType,
    LetterContent,
    MeasureType,
    Nation,
    PeriodicReview,
    PoliceReporting,
    WarningExemption,
)
from engage.policy.working_days import WorkingCalendar

P = presets.get("flintshire")
WALES = WorkingCalendar("wales")

CALL_HANDLER = ["employee"]
TEAM_LEADER = ["team_leader"]
CCSM = ["ccsm"]
CHIEF_OFFICER = ["chief_officer"]
COG = ["chief_officer_governance"]

WARNED = CaseFacts(warnings_given=(dt.date(2025, 3, 3),))
AFTER_TERMINATED_CALL = CaseFacts(prior_decisions=frozenset({DecisionType.END_CONTACT}))
MANAGED = CaseFacts(prior_decisions=frozenset({DecisionType.ACTIVE_MANAGEMENT}))

EVERY_EMPLOYEE = [r.key for r in P.roles]


def _kinds(verdict):
    return [s.kind for s in verdict.steps]


# ---------------------------------------------------------------------------------------------
# The preset itself
# ---------------------------------------------------------------------------------------------


def test_the_preset_is_flintshires_policy_counted_in_welsh_working_days():
    """004: Flintshire is a Welsh council, so deadlines use the bank holidays of Wales."""
    assert P.organisation == "Flintshire County Council"
    assert P.title == "Managing Customer Contact Policy"
    assert P.source == "004_8859d07e73da617f.txt"
    assert P.nation is Nation.WALES


def test_the_ombudsman_signposted_is_the_public_services_ombudsman_for_wales():
    """004: Appealing a decision — the PSOW is the ombudsman for Welsh councils (a recorded choice)."""
    assert P.ombudsman.short_name == "PSOW"
    assert any(c.topic == "Ombudsman" for c in P.choices)


def test_the_ccsm_means_the_ccsm_or_any_other_senior_manager():
    """004: Introduction and definitions — 'CCSM is to be interpreted as CCSM or any other senior manager'."""
    ccsm = P.role("ccsm")
    assert "any other senior manager" in ccsm.name
    assert [str(c) for c in ccsm.capabilities] == ["senior_decision_maker"]


def test_the_decision_matrix_maps_each_role_to_its_generic_capability():
    """004: Decision matrix — all employees frontline, Team Leader/Manager manager, CCSM senior decision
    maker, Chief Officer Governance appeal officer; an information governance role administers records."""
    caps = {r.key: [str(c) for c in r.capabilities] for r in P.roles}
    assert caps["employee"] == ["frontline"]
    assert caps["team_leader"] == ["manager"]
    assert caps["ccsm"] == ["senior_decision_maker"]
    assert caps["chief_officer_governance"] == ["appeal_officer"]
    assert caps["records_manager"] == ["information_governance"]


def test_every_rule_cites_a_paragraph_of_004():
    """Every rule carries the clause of 004 it comes from."""
    clauses = [r.clause for r in P.roles + P.categories + P.decisions + P.measures]
    clauses += [P.letters.clause, P.appeals.clause, P.reviews.clause, P.police.clause, P.contact_line.clause]
    assert all(c.startswith("004: ") for c in clauses)


# ---------------------------------------------------------------------------------------------
# 004: Aggressive, abusive or offensive behaviour; Unreasonable demands; Social Media
# ---------------------------------------------------------------------------------------------


def test_aggressive_abusive_or_offensive_behaviour_lists_the_seven_behaviours_of_004():
    """004: Aggressive, abusive or offensive behaviour — seven listed behaviours on any channel."""
    cat = P.category("aggressive_abusive")
    assert cat is not None
    assert len(cat.examples) == 7
    assert "Threatening behaviour" in cat.examples
    assert "social media" in cat.definition


def test_threats_of_physical_violence_or_harassment_are_a_zero_tolerance_category():
    """004: Aggressive, abusive or offensive behaviour — threats are 'unacceptable and will be reported'."""
    cat = P.category("threats_of_violence")
    assert cat is not None
    assert cat.zero_tolerance


def test_unreasonable_demands_and_persistence_lists_the_eight_behaviours_of_004():
    """004: Unreasonable demands and persistence."""
    cat = P.category("unreasonable_demands")
    assert cat is not None
    assert len(cat.examples) == 8
    assert "Sending duplicate correspondence" in cat.examples


def test_social_media_posts_breaching_the_house_rules_list_the_twelve_kinds_of_post():
    """004: Social Media — 'We will block and report customers whose posts are' twelve kinds."""
    cat = P.category("social_media")
    assert cat is not None
    assert len(cat.examples) == 12
    assert any("doxing" in e for e in cat.examples)


def test_a_threat_of_physical_violence_is_always_reported_to_the_police():
    """004: Aggressive, abusive or offensive behaviour — 'will be reported to the police'."""
    assert police_reporting(P, {"threats_of_violence"}) == (
        PoliceReporting.ALWAYS,
        "004: Aggressive, abusive or offensive behaviour",
    )


def test_a_threat_among_other_behaviour_is_still_always_reported():
    """004: Aggressive, abusive or offensive behaviour — the strictest rule wins for a mixed incident."""
    level, _ = police_reporting(P, {"unreasonable_demands", "threats_of_violence"})
    assert level is PoliceReporting.ALWAYS


@pytest.mark.parametrize("roles", [CALL_HANDLER, TEAM_LEADER, CCSM, CHIEF_OFFICER, COG])
def test_no_one_may_decide_not_to_report_a_threat_of_violence(roles):
    """004: Aggressive, abusive or offensive behaviour — no exception is given to reporting threats."""
    verdict = may_decide_not_to_report(P, roles, {"threats_of_violence"})
    assert not verdict
    assert verdict.clause == "004: Aggressive, abusive or offensive behaviour"


def test_an_employee_named_on_social_media_may_consider_reporting_it_to_the_police():
    """004: Appendix 2 — employees may report social media abuse to the police as they require."""
    assert police_reporting(P, {"social_media"}) == (PoliceReporting.CONSIDER, "004: Appendix 2")


def test_a_call_handler_alone_may_not_decide_not_to_report_other_behaviour():
    """004 gives the call handler no authority over police reporting (a recorded choice names the CCSM)."""
    assert not may_decide_not_to_report(P, CALL_HANDLER, {"social_media"})
    assert may_decide_not_to_report(P, CCSM, {"social_media"})


# ---------------------------------------------------------------------------------------------
# 004: Terminating a telephone call
# ---------------------------------------------------------------------------------------------


def test_a_call_handler_must_warn_the_caller_once_before_terminating_the_call():
    """004: Terminating a telephone call — 'Before taking this action, the caller will be warned once'."""
    verdict = may_decide(P, CALL_HANDLER, DecisionType.END_CONTACT)
    assert not verdict
    assert verdict.clause == "004: Terminating a telephone call"
    assert _kinds(verdict) == ["warning"]


def test_a_call_handler_may_terminate_the_call_once_she_has_warned_the_caller():
    """004: Terminating a telephone call — 'If the behaviour persists ... the call will be terminated'."""
    assert may_decide(P, CALL_HANDLER, DecisionType.END_CONTACT, WARNED)


@pytest.mark.parametrize("role", EVERY_EMPLOYEE)
def test_every_employee_may_terminate_a_call_after_a_warning(role):
    """004: Decision matrix — 'Terminate call: All employees'."""
    assert may_decide(P, [role], DecisionType.END_CONTACT, WARNED)


def test_004_gives_no_exemption_from_warning_before_a_call_is_terminated():
    """004: Terminating a telephone call — the warning is unconditional; no exemption is accepted."""
    rule = P.decision(DecisionType.END_CONTACT)
    assert rule.requires_warning_first
    assert rule.warning_exemptions == []
    case = CaseFacts(exemption=WarningExemption.IMMEDIATE_THREAT)
    assert not may_decide(P, CALL_HANDLER, DecisionType.END_CONTACT, case)


def test_a_terminated_call_must_be_reported_to_the_team_leader():
    """004: Decision matrix — 'All employees (must be reported to Team Leader/Manager)'."""
    assert "must be reported to Team Leader/Manager" in P.decision(DecisionType.END_CONTACT).note


def test_her_team_leader_may_restrict_contact_for_one_day_after_a_terminated_call():
    """004: Decision matrix — 'Restrict contact for one day: Team Leader/Manager'."""
    verdict = may_decide(P, TEAM_LEADER, DecisionType.SHORT_RESTRICTION, AFTER_TERMINATED_CALL)
    assert verdict
    assert verdict.clause == "004: Decision matrix"


def test_the_ccsm_may_also_restrict_telephone_contact_for_one_day():
    """004: Terminating a telephone call — 'the CCSM may restrict telephone contact for one day' (the text
    and the matrix disagree; both may decide it, a recorded choice)."""
    assert may_decide(P, CCSM, DecisionType.SHORT_RESTRICTION, AFTER_TERMINATED_CALL)
    assert any(c.topic == "Who may restrict telephone contact for one day" for c in P.choices)


def test_a_call_handler_may_not_restrict_contact_for_one_day():
    """004: Decision matrix — the one-day restriction is the Team Leader/Manager's."""
    verdict = may_decide(P, CALL_HANDLER, DecisionType.SHORT_RESTRICTION, AFTER_TERMINATED_CALL)
    assert not verdict
    assert "Team Leader/Manager" in verdict.reason


def test_a_one_day_restriction_follows_a_terminated_call():
    """004: Terminating a telephone call — 'Following a terminated call if the customer makes further
    contact and the behaviour has not changed'."""
    verdict = may_decide(P, TEAM_LEADER, DecisionType.SHORT_RESTRICTION)
    assert not verdict
    assert _kinds(verdict) == ["prior_decision"]


def test_the_short_restriction_lasts_no_more_than_one_day():
    """004: Decision matrix — 'Restrict contact for one day'."""
    assert P.decision(DecisionType.SHORT_RESTRICTION).max_duration_days == 1


def test_a_phone_restriction_is_communicated_to_all_employees_taking_frontline_calls():
    """004: Terminating a telephone call — 'communicated at the earliest opportunity to all employees
    taking frontline calls'."""
    assert who_must_be_told(P, ["phone"]) == [
        ("All employees taking frontline calls", "004: Terminating a telephone call")
    ]


def test_a_restriction_on_email_alone_need_not_be_told_to_the_call_centre():
    """004: Terminating a telephone call — the sharing rule is for telephone restrictions."""
    assert who_must_be_told(P, ["email"]) == []


# ---------------------------------------------------------------------------------------------
# 004: Considering when to manage contact
# ---------------------------------------------------------------------------------------------


def test_her_team_leader_may_decide_to_give_a_warning():
    """004: Considering when to manage contact — 'The Team Leader/Manager will consider whether a warning
    should be given'."""
    verdict = may_decide(P, TEAM_LEADER, DecisionType.WARNING)
    assert verdict
    assert verdict.clause == "004: Considering when to manage contact"


def test_a_call_handler_may_not_decide_on_a_warning_but_reports_to_her_team_leader():
    """004: Considering when to manage contact — 'an employee should report it to their Team Leader/Manager'."""
    assert not may_decide(P, CALL_HANDLER, DecisionType.WARNING)


def test_the_ccsm_may_not_formally_manage_contact_before_a_warning():
    """004: Considering when to manage contact — a decision is taken when 'a warning has already been given'."""
    verdict = may_decide(P, CCSM, DecisionType.ACTIVE_MANAGEMENT)
    assert not verdict
    assert verdict.clause == "004: Formal decision to manage contact"
    assert "warning" in _kinds(verdict)


def test_the_ccsm_may_formally_manage_contact_once_a_warning_has_been_given():
    """004: Considering when to manage contact / Formal decision to manage contact."""
    assert may_decide(P, CCSM, DecisionType.ACTIVE_MANAGEMENT, WARNED)


@pytest.mark.parametrize("exemption", [WarningExemption.IMMEDIATE_THREAT, WarningExemption.STAFF_HARM])
def test_the_ccsm_may_manage_contact_without_a_warning_when_the_behaviour_is_sufficiently_serious(exemption):
    """004: Considering when to manage contact — 'If the behaviour is sufficiently serious' (read as an
    immediate threat, or a warning putting staff in harm's way: a recorded choice)."""
    assert may_decide(P, CCSM, DecisionType.ACTIVE_MANAGEMENT, CaseFacts(exemption=exemption))


@pytest.mark.parametrize("exemption", [WarningExemption.MEDICAL_ADVICE, WarningExemption.PROFESSIONAL_ADVICE])
def test_medical_or_professional_advice_is_not_a_reason_004_gives_for_skipping_the_warning(exemption):
    """004: Considering when to manage contact — only seriousness of behaviour excuses the warning."""
    assert not may_decide(P, CCSM, DecisionType.ACTIVE_MANAGEMENT, CaseFacts(exemption=exemption))


def test_the_ccsm_is_reminded_that_independent_advocacy_could_help_the_customer():
    """004: Considering when to manage contact — 'the CCSM should be mindful that independent advocacy
    could be helpful for the customer'."""
    verdict = may_decide(P, CCSM, DecisionType.ACTIVE_MANAGEMENT, WARNED)
    advocacy = [s for s in verdict.steps if s.kind == "advocacy"]
    assert advocacy
    assert advocacy[0].by == ("ccsm",)


# ---------------------------------------------------------------------------------------------
# 004: Formal decision to manage contact
# ---------------------------------------------------------------------------------------------


def test_her_team_leader_may_not_formally_manage_contact():
    """004: Formal decision to manage contact — 'Decisions on how to formally manage contact are made by
    the CCSM'."""
    verdict = may_decide(P, TEAM_LEADER, DecisionType.ACTIVE_MANAGEMENT, WARNED)
    assert not verdict
    assert "Customer Contact Service Manager" in verdict.reason


def test_a_chief_officer_advises_but_does_not_take_the_formal_decision():
    """004: Formal decision to manage contact — Chief Officers 'return the matter to the CCSM for a
    formal decision'."""
    assert not may_decide(P, CHIEF_OFFICER, DecisionType.ACTIVE_MANAGEMENT, WARNED)


def test_the_ccsm_refers_the_matter_to_a_chief_officer_for_guidance():
    """004: Decision matrix — 'Refer to Chief Officer for guidance: CCSM'; 'Referrals to Chief Officers
    should be made by the CCSM' on the Appendix 1 form."""
    verdict = may_decide(P, CCSM, DecisionType.REFERRAL)
    assert verdict
    assert "Appendix 1" in P.decision(DecisionType.REFERRAL).note


@pytest.mark.parametrize("roles", [CALL_HANDLER, TEAM_LEADER, CHIEF_OFFICER])
def test_only_the_ccsm_refers_to_a_chief_officer(roles):
    """004: Formal decision to manage contact — 'Referrals to Chief Officers should be made by the CCSM'."""
    assert not may_decide(P, roles, DecisionType.REFERRAL)


FORMAL_MEASURES = [
    MeasureType.ALLOWED_CHANNELS,
    MeasureType.CALL_TIMES,
    MeasureType.SINGLE_POINT_OF_CONTACT,
    MeasureType.BEHAVIOUR_CONTRACT,
    MeasureType.READ_AND_FILE,
]


@pytest.mark.parametrize("measure", FORMAL_MEASURES)
def test_the_ccsm_may_impose_each_measure_004_lists(measure):
    """004: Formal decision to manage contact — the five ways 'We may ... manage the contact'."""
    verdict = may_impose(P, CCSM, measure)
    assert verdict
    assert verdict.clause == "004: Formal decision to manage contact"
    assert verdict.steps == ()


@pytest.mark.parametrize("measure", FORMAL_MEASURES)
def test_her_team_leader_may_not_impose_formal_measures(measure):
    """004: Formal decision to manage contact — formal management is the CCSM's."""
    assert not may_impose(P, TEAM_LEADER, measure)


def test_a_measure_004_does_not_list_is_not_available():
    """004: Formal decision to manage contact — a premises ban is not among the measures 004 lists."""
    assert not may_impose(P, CCSM, MeasureType.PREMISES_BAN)


def test_at_least_one_line_of_contact_remains_when_her_team_leader_restricts_contact():
    """004: Formal decision to manage contact — 'at least one line of contact will remain available'."""
    assert not contact_line_check(P, TEAM_LEADER, [])
    assert contact_line_check(P, TEAM_LEADER, ["email"])


def test_only_the_ccsm_may_decide_that_no_line_of_contact_remains():
    """004: Formal decision to manage contact — 'Wherever possible' admits exceptions; the CCSM decides
    them (a recorded choice)."""
    verdict = contact_line_check(P, CCSM, [])
    assert verdict
    assert verdict.clause == "004: Formal decision to manage contact"


def test_the_decision_letter_gives_reasons_duration_review_and_appeal_with_the_policy_enclosed():
    """004: Formal decision to manage contact — 'notify the customer of a decision to manage their
    contact, the reasons why ..., how long any restriction will be in place, when it will be reviewed and
    the right to appeal ... A copy of this policy will be enclosed'."""
    contents = set(P.letters.required_contents)
    assert {
        LetterContent.ACTIONS,
        LetterContent.REASONS,
        LetterContent.DURATION,
        LetterContent.REVIEW_DATE,
        LetterContent.APPEAL_RIGHTS,
        LetterContent.POLICY_COPY,
    } <= contents
    assert P.letters.enclose_policy
    assert P.decision(DecisionType.ACTIVE_MANAGEMENT).letter_required


def test_letters_are_in_english_and_welsh():
    """004 is silent; the Welsh Language Standards apply to a Welsh council (a recorded choice)."""
    assert P.letters.languages == ["en", "cy"]
    assert any("Welsh Language Standards" in c.reason for c in P.choices)


def test_the_warning_on_a_call_tells_the_caller_their_conduct_is_of_concern():
    """004: Terminating a telephone call — 'warned once that their conduct is of concern, to allow them the
    opportunity to moderate their behaviour'."""
    assert P.letters.warning_contents == [LetterContent.BEHAVIOUR_CONCERN, LetterContent.CHANGE_REQUESTED]


# ---------------------------------------------------------------------------------------------
# 004: Appealing a decision
# ---------------------------------------------------------------------------------------------


def test_an_appeal_against_the_ccsms_decision_is_heard_by_the_chief_officer_governance():
    """004: Appealing a decision — 'by writing to the Chief Officer Governance'."""
    answer = appeal_route(P, decided_by="ccsm")
    assert answer.internal
    assert answer.heard_by == ("chief_officer_governance",)
    assert answer.clause == "004: Appealing a decision"


def test_an_appeal_against_her_team_leaders_one_day_restriction_also_goes_to_the_chief_officer_governance():
    """004: Decision matrix — 'Appeal: Chief Officer Governance' (a recorded choice covers one-day
    restrictions)."""
    answer = appeal_route(P, decided_by="team_leader")
    assert answer.internal
    assert answer.heard_by == ("chief_officer_governance",)


def test_a_terminated_call_has_no_internal_appeal_but_the_psow_is_signposted():
    """004: Appealing a decision — the appeal is against 'a decision to manage contact'."""
    answer = appeal_route(P, decided_by="employee")
    assert not answer.internal
    assert answer.ombudsman.short_name == "PSOW"


def test_the_chief_officer_governance_decides_the_appeal():
    """004: Decision matrix — 'Appeal: Chief Officer Governance'; the outcome is given in writing."""
    verdict = may_decide(P, COG, DecisionType.APPEAL_DECISION, MANAGED)
    assert verdict
    assert verdict.clause == "004: Appealing a decision"
    assert P.decision(DecisionType.APPEAL_DECISION).letter_required


@pytest.mark.parametrize("roles", [CALL_HANDLER, TEAM_LEADER, CCSM, CHIEF_OFFICER])
def test_no_one_but_the_chief_officer_governance_decides_an_appeal(roles):
    """004: Appealing a decision."""
    assert not may_decide(P, roles, DecisionType.APPEAL_DECISION, MANAGED)


def test_the_appeal_window_is_twenty_working_days_from_receipt():
    """004: Appealing a decision — 'within 20 working days of receiving it'."""
    assert P.appeals.window_working_days == 20
    assert P.appeals.window_from == "receipt"


def test_the_appeal_deadline_skips_welsh_bank_holidays_at_easter_and_in_may():
    """004: Appealing a decision — received Thursday 10 April 2025; 20 working days after it, skipping Good
    Friday, Easter Monday and the early May bank holiday, is Tuesday 13 May 2025."""
    deadline = appeal_deadline(P, WALES, decided_on=dt.date(2025, 4, 7), received_on=dt.date(2025, 4, 10))
    assert deadline == dt.date(2025, 5, 13)


def test_a_posted_decision_is_deemed_received_two_working_days_after_posting():
    """004: Appealing a decision — 004 does not say when a letter is received; the second working day
    after posting is a recorded choice. Posted Tuesday 8 April 2025, deemed received Thursday 10 April."""
    deadline = appeal_deadline(P, WALES, decided_on=dt.date(2025, 4, 7), posted_on=dt.date(2025, 4, 8))
    assert deadline == dt.date(2025, 5, 13)


def test_an_appeal_on_the_twentieth_working_day_is_in_time_and_the_next_day_is_late():
    """004: Appealing a decision — 'within 20 working days'."""
    deadline = appeal_deadline(P, WALES, decided_on=dt.date(2025, 4, 7), received_on=dt.date(2025, 4, 10))
    assert appeal_in_time(P, WALES, deadline=deadline, appeal_received_on=dt.date(2025, 5, 13))
    assert not appeal_in_time(P, WALES, deadline=deadline, appeal_received_on=dt.date(2025, 5, 14))


def test_the_decision_letter_says_by_when_to_appeal():
    """004: Appealing a decision — the letter states the deadline (a recorded choice)."""
    assert LetterContent.APPEAL_DEADLINE in P.letters.required_contents


# ---------------------------------------------------------------------------------------------
# 004: Reviewing decisions; Annual review
# ---------------------------------------------------------------------------------------------


def test_the_review_is_no_more_than_six_months_after_the_decision():
    """004: Reviewing decisions — 'no more than six months after the date the decision was taken'."""
    assert latest_review_date(P, dt.date(2025, 3, 14)) == dt.date(2025, 9, 14)
    assert review_date_ok(P, dt.date(2025, 3, 14), dt.date(2025, 9, 14))
    verdict = review_date_ok(P, dt.date(2025, 3, 14), dt.date(2025, 9, 15))
    assert not verdict
    assert verdict.clause == "004: Reviewing decisions"


def test_six_months_after_the_end_of_august_is_the_end_of_february():
    """004: Reviewing decisions — six calendar months, clamped to the month's end."""
    assert latest_review_date(P, dt.date(2025, 8, 31)) == dt.date(2026, 2, 28)


def test_the_ccsm_reviews_the_decision():
    """004: Decision matrix — 'Review decision: CCSM'; 'reviewed by the decision maker'."""
    assert may_decide(P, CCSM, DecisionType.REVIEW, MANAGED)
    assert P.reviews.reviewed_by == ["ccsm"]


@pytest.mark.parametrize("roles", [CALL_HANDLER, TEAM_LEADER, CHIEF_OFFICER, COG])
def test_no_one_but_the_ccsm_reviews_the_decision(roles):
    """004: Decision matrix — 'Review decision: CCSM'."""
    assert not may_decide(P, roles, DecisionType.REVIEW, MANAGED)


def test_a_review_needs_a_decision_to_manage_contact_on_the_case():
    """004: Reviewing decisions — 'The decision to manage contact with a customer will be reviewed'."""
    verdict = may_decide(P, CCSM, DecisionType.REVIEW)
    assert not verdict
    assert _kinds(verdict) == ["prior_decision"]


def test_the_ccsm_may_lift_a_restriction_on_review():
    """004: Reviewing decisions — 'any alterations to the restriction will be noted on the CRM'."""
    assert may_decide(P, CCSM, DecisionType.LIFT, MANAGED)
    assert not may_decide(P, TEAM_LEADER, DecisionType.LIFT, MANAGED)


def test_the_customer_is_told_of_a_review_only_if_it_changes_the_restriction_and_they_are_in_active_contact():
    """004: Reviewing decisions — 'We will only contact a customer to advise them of any change to the
    restriction if they remain in active contact with this office at the time of the review'."""
    assert P.reviews.customer_told is CustomerTold.IF_CHANGED_AND_IN_ACTIVE_CONTACT


def test_the_ccsm_arranges_a_review_of_all_restrictions_at_the_end_of_each_financial_year():
    """004: Annual review — 'The CCSM will arrange for a review of restrictions ... at the end of each
    financial year'."""
    assert P.reviews.periodic.kind is PeriodicReview.FINANCIAL_YEAR_END
    assert P.reviews.periodic.by == ["ccsm"]
    assert P.reviews.periodic.clause == "004: Annual review"


# ---------------------------------------------------------------------------------------------
# 004: Decision matrix, row by row
# ---------------------------------------------------------------------------------------------

MATRIX = [
    # (row, decision, the role the matrix names, case facts that make it otherwise possible)
    ("Terminate call", DecisionType.END_CONTACT, "employee", WARNED),
    ("Restrict contact for one day", DecisionType.SHORT_RESTRICTION, "team_leader", AFTER_TERMINATED_CALL),
    ("Refer to Chief Officer for guidance", DecisionType.REFERRAL, "ccsm", CaseFacts()),
    ("Formally manage contact", DecisionType.ACTIVE_MANAGEMENT, "ccsm", WARNED),
    ("Review decision", DecisionType.REVIEW, "ccsm", MANAGED),
    ("Appeal", DecisionType.APPEAL_DECISION, "chief_officer_governance", MANAGED),
]


@pytest.mark.parametrize(("row", "decision", "role", "case"), MATRIX, ids=[m[0] for m in MATRIX])
def test_each_decision_matrix_row_is_decided_by_the_role_it_names(row, decision, role, case):
    """004: Decision matrix."""
    assert may_decide(P, [role], decision, case), row


@pytest.mark.parametrize(("row", "decision", "role", "case"), MATRIX[1:], ids=[m[0] for m in MATRIX[1:]])
def test_a_call_handler_decides_nothing_in_the_matrix_beyond_terminating_a_call(row, decision, role, case):
    """004: Decision matrix — only 'Terminate call' belongs to all employees."""
    assert not may_decide(P, CALL_HANDLER, decision, case), row


def test_the_options_a_call_handler_sees_are_all_refused_until_she_has_warned_the_caller():
    """004: Decision matrix / Terminating a telephone call — the manager-review screen lists every
    decision 004 provides, in its order."""
    options = options_for(P, CALL_HANDLER)
    assert [rule.type for rule, _ in options] == [d.type for d in P.decisions]
    assert not any(verdict for _, verdict in options)
    assert [rule.type for rule, verdict in options_for(P, CALL_HANDLER, WARNED) if verdict] == [
        DecisionType.END_CONTACT
    ]


def test_004_provides_no_stopping_of_all_contact_or_restriction_of_the_complaints_process():
    """004 has no decision to stop all contact or to restrict use of the complaints process."""
    assert not may_decide(P, CCSM, DecisionType.STOP_ALL_CONTACT, MANAGED)
    assert not may_decide(P, CCSM, DecisionType.RESTRICT_COMPLAINTS_PROCESS, MANAGED)


def test_a_team_leader_may_decide_not_to_report_abusive_language_to_the_police():
    """004: Considering when to manage contact — the Team Leader/Manager reviews what the employee
    reports; 004 is silent on police reporting beyond threats, so the preset's recorded choice
    lets the reviewing manager decide not to report, with the employee's view."""
    assert may_decide_not_to_report(P, ["team_leader"], ["aggressive_abusive"])
    assert may_decide_not_to_report(P, ["ccsm"], ["aggressive_abusive"])
    assert not may_decide_not_to_report(P, ["employee"], ["aggressive_abusive"])


def test_nobody_may_decide_not_to_report_a_threat_of_violence():
    """004: Aggressive, abusive or offensive behaviour — threats 'will be reported to the police'."""
    for role in ("team_leader", "ccsm", "chief_officer_governance"):
        verdict = may_decide_not_to_report(P, [role], ["threats_of_violence"])
        assert not verdict
        assert "004" in verdict.clause
