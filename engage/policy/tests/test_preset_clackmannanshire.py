"""Clackmannanshire Council's Customer Contact Policy 2023 (002), clause by clause, through the engine.

Personas: a customer service adviser (employee), her team leader or a principal teacher (line
manager), a Senior Manager or head teacher, the Strategic Director, the Chief Executive, the HR
Business Partner, the Communications Team Leader and the records officer. Each test cites the
paragraph of 002 it checks.
"""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import BaseModel

from engage.policy import presets
from engage.policy.engine import (
    CaseFacts,
    appeal_deadline,
    appeal_in_time,
    appeal_route,
    capabilities_of,
    contact_line_check,
    latest_review_date,
    may_decide,
    may_decide_not_to_report,
    may_impose,
    options_for,
    police_reporting,
    review_date_ok,
    review_may_be_omitted,
    who_must_be_told,
)
from engage.policy.vocabulary import (
    Capability,
    Channel,
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

P = presets.get("clackmannanshire")
SCOTLAND = WorkingCalendar("scotland")

ADVISER = ["employee"]
TEAM_LEADER = ["line_manager"]
SENIOR_MANAGER = ["senior_manager"]
STRATEGIC_DIRECTOR = ["strategic_director"]
CHIEF_EXECUTIVE = ["chief_executive"]
HR_BUSINESS_PARTNER = ["hr_business_partner"]
COMMUNICATIONS = ["communications_team_leader"]
RECORDS = ["records_officer"]

EVERYONE = [r.key for r in P.roles]

WARNED = CaseFacts(warnings_given=(dt.date(2025, 3, 3),))
MANAGED = CaseFacts(prior_decisions=frozenset({DecisionType.ACTIVE_MANAGEMENT}))
COMPLAINTS_RESTRICTED = CaseFacts(prior_decisions=frozenset({DecisionType.RESTRICT_COMPLAINTS_PROCESS}))

POLICY_7_2_MEASURES = [
    MeasureType.ALLOWED_CHANNELS,  # by channel
    MeasureType.SINGLE_POINT_OF_CONTACT,  # to a named person
    MeasureType.NO_STAFF_DETAILS,  # no direct contact details or staff names
    MeasureType.THIRD_PARTY_ONLY,  # through a third party such as an advocate
    MeasureType.CALL_TIMES,  # time
    MeasureType.VOLUME_LIMIT,  # volume
]


def _kinds(verdict):
    return [s.kind for s in verdict.steps]


def _all_clauses(preset):
    """Every `clause` string in the preset, wherever it sits."""
    found = []

    def walk(value):
        if isinstance(value, BaseModel):
            for name in type(value).model_fields:
                item = getattr(value, name)
                if name == "clause":
                    found.append(item)
                else:
                    walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    walk(preset)
    return found


# ---------------------------------------------------------------------------------------------
# The preset itself
# ---------------------------------------------------------------------------------------------


def test_the_preset_is_clackmannanshires_policy_counted_in_scottish_working_days():
    """002: title and 13 — Clackmannanshire Council, Customer Contact Policy 2023, approved 6/10/23."""
    assert P.organisation == "Clackmannanshire Council"
    assert P.title == "Customer Contact Policy 2023"
    assert P.version.startswith("2023")
    assert P.source == "002_29ee7072ca4823de.txt"
    assert P.nation is Nation.SCOTLAND


def test_the_policy_falls_for_review_at_the_start_of_2026():
    """002: 13 — 'Review Date 2026'; Engage flags it from the first day of that year (a recorded choice)."""
    assert P.review_date == dt.date(2026, 1, 1)
    assert any(c.topic == "Policy review date" for c in P.choices)


def test_incidents_are_recorded_in_the_health_and_safety_online_portal():
    """002: 4.3, 4.4, 7.14, 12.2 — the Health and Safety accident and incident online portal."""
    assert P.health_and_safety_portal == "Health and Safety accident and incident online portal"


def test_customers_are_signposted_to_the_scottish_public_services_ombudsman():
    """002: 5.2 — the policy names no ombudsman; a Scottish council's is the SPSO (a recorded choice)."""
    assert P.ombudsman.short_name == "SPSO"
    assert P.ombudsman.name == "Scottish Public Services Ombudsman"
    assert P.ombudsman.url == "https://www.spso.org.uk"


def test_every_rule_cites_a_paragraph_of_the_clackmannanshire_policy():
    """002: every rule carries the paragraph of 002 it comes from."""
    clauses = _all_clauses(P)
    assert len(clauses) > 50
    assert all(c.startswith("002: ") for c in clauses), [c for c in clauses if not c.startswith("002: ")]


def test_schools_are_inside_the_policy_with_head_teachers_as_senior_managers():
    """002: 3.2, 4.2, 7.11 — no one is excluded; a Head of Establishment in Education is a Senior
    Manager and a Principal Teacher may decide correspondence is unacceptable."""
    assert P.exclusions == []
    assert "Head of Establishment in Education" in P.role("senior_manager").name
    assert "Principal Teacher" in P.role("line_manager").name


def test_every_role_the_policy_names_is_there_with_its_capability():
    """002: 4.1–4.4, 7.3, 9.8, 12.6 — employees, line managers, Senior Managers, the Strategic Director,
    the Chief Executive, HR and communications; plus a records role for 12.1–12.4."""
    assert Capability.FRONTLINE in capabilities_of(P, ADVISER)
    assert Capability.MANAGER in capabilities_of(P, TEAM_LEADER)
    assert Capability.SENIOR_DECISION_MAKER in capabilities_of(P, SENIOR_MANAGER)
    assert Capability.APPEAL_OFFICER in capabilities_of(P, STRATEGIC_DIRECTOR)
    assert Capability.EXECUTIVE in capabilities_of(P, STRATEGIC_DIRECTOR)
    assert Capability.EXECUTIVE in capabilities_of(P, CHIEF_EXECUTIVE)
    assert Capability.HR_COMMUNICATIONS in capabilities_of(P, HR_BUSINESS_PARTNER)
    assert Capability.HR_COMMUNICATIONS in capabilities_of(P, COMMUNICATIONS)
    assert Capability.INFORMATION_GOVERNANCE in capabilities_of(P, RECORDS)


# ---------------------------------------------------------------------------------------------
# Behaviour categories (7.5, 8, 9)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["violence", "abuse", "physical_threat"])
def test_threats_violence_and_abuse_towards_staff_are_zero_tolerance(key):
    """002: 7.5 — 'We have zero tolerance of threats, violent and abusive behaviour towards staff.'"""
    assert P.category(key).zero_tolerance


@pytest.mark.parametrize(
    "key",
    [
        "harassment",
        "unreasonable_demands",
        "levels_of_contact",
        "refusal_to_cooperate",
        "repeated_complaints",
    ],
)
def test_other_contact_we_manage_is_not_zero_tolerance(key):
    """002: 8.7–9.8 — managed, but 7.5's zero tolerance names only threats, violence and abuse."""
    assert not P.category(key).zero_tolerance


def test_a_threat_to_harm_a_third_party_is_a_physical_threat():
    """002: 7.13 — 'This includes situations when the threat made is not to us but a threat to harm a
    third party.'"""
    assert "third party" in P.category("physical_threat").definition


def test_violence_includes_language_that_would_make_someone_feel_afraid():
    """002: 8.2 — violence includes language that would reasonably cause someone to feel offended,
    afraid or threatened."""
    assert "afraid or threatened" in P.category("violence").definition


def test_complaining_more_than_once_about_new_incidents_is_not_unacceptable():
    """002: 9.7–9.8 — people may complain more than once if subsequent incidents occur; repeated use is
    unacceptable only in exceptional circumstances."""
    definition = P.category("repeated_complaints").definition
    assert "more than once" in definition
    assert "exceptional circumstances" in definition


def test_recording_a_conversation_to_publish_without_consent_is_harassment():
    """002: 8.11 — a statement of intent to record and publish or livestream is harassment."""
    assert any("livestream" in e for e in P.category("harassment").examples)


# ---------------------------------------------------------------------------------------------
# Ending contact at the time (7.6–7.8, 10.2)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", EVERYONE)
def test_any_member_of_staff_may_end_contact_they_find_distressing(role):
    """002: 10.2 — 'All staff have the authority to end any contact or interaction which they find
    personally distressing or difficult at the point of occurrence.'"""
    verdict = may_decide(P, [role], DecisionType.END_CONTACT)
    assert verdict, verdict.reason
    assert verdict.clause == "002: 10.2"


def test_an_adviser_may_end_a_call_without_a_warning_already_on_the_case():
    """002: 7.7, 10.2 — the warning is given in the moment 'if it is safe and they consider it
    appropriate'; no earlier warning is needed to end contact."""
    assert may_decide(P, ADVISER, DecisionType.END_CONTACT, CaseFacts())


# ---------------------------------------------------------------------------------------------
# Warnings: deciding correspondence is unacceptable (7.9–7.11)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["line_manager", "senior_manager", "strategic_director", "chief_executive"])
def test_a_team_leader_or_principal_teacher_or_above_may_decide_correspondence_is_unacceptable(role):
    """002: 7.11 — 'The decision that correspondence is unacceptable should be made by a Team
    Leader/Principal Teacher or above to ensure consistency.'"""
    verdict = may_decide(P, [role], DecisionType.WARNING)
    assert verdict, verdict.reason
    assert verdict.clause == "002: 7.11"


def test_an_adviser_cannot_alone_decide_that_correspondence_is_unacceptable():
    """002: 7.11 — the decision sits with a Team Leader/Principal Teacher or above."""
    verdict = may_decide(P, ADVISER, DecisionType.WARNING)
    assert not verdict
    assert "002: 7.11" in verdict.reason


def test_a_warning_tells_the_sender_the_behaviour_is_unacceptable_and_what_follows():
    """002: 7.9, 7.11 — the sender is informed it is unacceptable; restrictions may follow if it is
    repeated despite warnings."""
    assert P.decision(DecisionType.WARNING).letter_required
    assert LetterContent.BEHAVIOUR_CONCERN in P.letters.warning_contents
    assert LetterContent.CONSEQUENCES in P.letters.warning_contents


# ---------------------------------------------------------------------------------------------
# Active management (7.1–7.4)
# ---------------------------------------------------------------------------------------------


def test_a_senior_manager_may_actively_manage_a_situation_once_a_warning_has_been_given():
    """002: 7.3 — 'a decision to actively manage a situation needs to be made by a Senior Manager'."""
    verdict = may_decide(P, SENIOR_MANAGER, DecisionType.ACTIVE_MANAGEMENT, WARNED)
    assert verdict, verdict.reason
    assert verdict.clause == "002: 7.3"


@pytest.mark.parametrize(
    "role",
    ["employee", "line_manager", "hr_business_partner", "communications_team_leader", "records_officer"],
)
def test_a_team_leader_cannot_actively_manage_a_situation(role):
    """002: 7.3 — only a Senior Manager decides active management; a team leader may warn (7.11) but
    not restrict."""
    verdict = may_decide(P, [role], DecisionType.ACTIVE_MANAGEMENT, WARNED)
    assert not verdict
    assert "002: 7.3" in verdict.reason


def test_the_strategic_director_who_hears_appeals_does_not_make_the_first_decision():
    """002: 7.3 — a Senior Manager decides and the Strategic Director hears the appeal (a recorded
    choice keeping the two apart)."""
    assert not may_decide(P, STRATEGIC_DIRECTOR, DecisionType.ACTIVE_MANAGEMENT, WARNED)
    assert not may_decide(P, CHIEF_EXECUTIVE, DecisionType.ACTIVE_MANAGEMENT, WARNED)


def test_a_senior_manager_must_warn_before_restricting_contact():
    """002: 7.11, 6.2 — contact is restricted where behaviour 'is repeated despite warnings', and the
    least restrictive method comes first."""
    verdict = may_decide(P, SENIOR_MANAGER, DecisionType.ACTIVE_MANAGEMENT, CaseFacts())
    assert not verdict
    assert "warning" in _kinds(verdict)


@pytest.mark.parametrize("exemption", [WarningExemption.IMMEDIATE_THREAT, WarningExemption.STAFF_HARM])
def test_a_senior_manager_may_restrict_without_a_warning_when_staff_would_be_in_danger(exemption):
    """002: 7.11 — an individual instance at the higher end of abuse needs no earlier warning (recorded
    choice: immediate threat, staff harm)."""
    verdict = may_decide(P, SENIOR_MANAGER, DecisionType.ACTIVE_MANAGEMENT, CaseFacts(exemption=exemption))
    assert verdict, verdict.reason


def test_professional_advice_is_not_a_reason_this_policy_gives_for_skipping_a_warning():
    """002: 7.11 — the only exception to 'repeated despite warnings' is the higher end of abuse."""
    facts = CaseFacts(exemption=WarningExemption.PROFESSIONAL_ADVICE)
    assert not may_decide(P, SENIOR_MANAGER, DecisionType.ACTIVE_MANAGEMENT, facts)


def test_a_senior_manager_restricting_contact_is_asked_to_consider_advocacy_and_access_needs():
    """002: 5.3–5.4, 7.2 — additional support, accessibility needs, communicating through an advocate."""
    verdict = may_decide(P, SENIOR_MANAGER, DecisionType.ACTIVE_MANAGEMENT, WARNED)
    assert "advocacy" in _kinds(verdict)


def test_restrictions_are_explained_to_the_customer_and_reviewed():
    """002: 6.4, 7.4 — the reason is explained to the person affected; restrictions are normally
    reviewed."""
    rule = P.decision(DecisionType.ACTIVE_MANAGEMENT)
    assert rule.letter_required
    assert rule.review_required


def test_the_least_restrictive_method_is_the_rule():
    """002: 6.2 — 'uses the least restrictive method available'."""
    assert "least restrictive method" in P.decision(DecisionType.ACTIVE_MANAGEMENT).note


# ---------------------------------------------------------------------------------------------
# Measures (7.2, 7.12)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("measure", POLICY_7_2_MEASURES)
def test_a_senior_manager_may_impose_each_measure_the_policy_lists(measure):
    """002: 7.2–7.3 — restricting channel or named person, withholding staff details, a third party
    such as an advocate, time and volume, decided by a Senior Manager."""
    verdict = may_impose(P, SENIOR_MANAGER, measure)
    assert verdict, verdict.reason
    assert verdict.clause == "002: 7.2"


@pytest.mark.parametrize("measure", POLICY_7_2_MEASURES)
def test_a_team_leader_cannot_impose_a_restriction(measure):
    """002: 7.3 — restrictions are a Senior Manager's decision."""
    assert not may_impose(P, TEAM_LEADER, measure)


def test_no_one_may_send_calls_to_an_automated_line_because_the_policy_does_not_list_it():
    """002: 7.2 — unlike 001 §23.4, 002 lists no automated phone service."""
    assert not may_impose(P, SENIOR_MANAGER, MeasureType.AUTOMATED_LINE)


# ---------------------------------------------------------------------------------------------
# Use of the complaints process (9.7–9.8)
# ---------------------------------------------------------------------------------------------


def test_only_a_strategic_director_may_restrict_use_of_the_complaints_process():
    """002: 9.8 — 'Such decisions can only be made by a Strategic Director.'"""
    verdict = may_decide(P, STRATEGIC_DIRECTOR, DecisionType.RESTRICT_COMPLAINTS_PROCESS)
    assert verdict, verdict.reason
    assert verdict.clause == "002: 9.8"


def test_not_even_the_chief_executive_may_restrict_use_of_the_complaints_process():
    """002: 9.8, 4.1 — 'only ... a Strategic Director'; the Chief Executive delegates accountability for
    this policy to the Strategic Directors (a recorded choice, unlike 000/001 §64)."""
    verdict = may_decide(P, CHIEF_EXECUTIVE, DecisionType.RESTRICT_COMPLAINTS_PROCESS)
    assert not verdict
    assert "002: 9.8" in verdict.reason


@pytest.mark.parametrize(
    "role",
    ["employee", "line_manager", "senior_manager", "hr_business_partner", "communications_team_leader"],
)
def test_no_one_below_a_strategic_director_may_restrict_use_of_the_complaints_process(role):
    """002: 9.8 — not a Senior Manager, not a team leader."""
    assert not may_decide(P, [role], DecisionType.RESTRICT_COMPLAINTS_PROCESS, WARNED)


def test_restricting_the_complaints_process_is_reserved_to_the_executive():
    """002: 9.8 — an executive-only decision, held here by the Strategic Director."""
    assert DecisionType.RESTRICT_COMPLAINTS_PROCESS in P.executive_only
    assert P.decision(DecisionType.RESTRICT_COMPLAINTS_PROCESS).decided_by == ["strategic_director"]


# ---------------------------------------------------------------------------------------------
# Stopping all contact (6.2, 7.2)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", EVERYONE)
def test_no_one_may_stop_all_contact_with_a_customer(role):
    """002: 6.2, 7.2 — the least restrictive method, restrictions by channel, person, time and volume;
    no power to end all contact (a recorded choice)."""
    assert not may_decide(P, [role], DecisionType.STOP_ALL_CONTACT, WARNED)


def test_a_senior_manager_cannot_leave_a_customer_with_no_way_to_reach_the_council():
    """002: 6.2 — at least one line of contact remains; the policy names no one who may override."""
    assert not contact_line_check(P, SENIOR_MANAGER, ())
    assert not contact_line_check(P, STRATEGIC_DIRECTOR, ())
    assert contact_line_check(P, SENIOR_MANAGER, [Channel.LETTER])


# ---------------------------------------------------------------------------------------------
# Reviews (7.4)
# ---------------------------------------------------------------------------------------------


def test_a_senior_manager_may_review_a_restriction_and_a_strategic_director_a_complaints_one():
    """002: 7.4 — restrictions are normally reviewed at appropriate intervals (reviewer: the deciding
    level, a recorded choice)."""
    assert may_decide(P, SENIOR_MANAGER, DecisionType.REVIEW, MANAGED)
    assert may_decide(P, STRATEGIC_DIRECTOR, DecisionType.REVIEW, COMPLAINTS_RESTRICTED)


def test_there_is_nothing_to_review_until_a_restriction_is_in_place():
    """002: 7.4 — review is of restrictions."""
    verdict = may_decide(P, SENIOR_MANAGER, DecisionType.REVIEW, CaseFacts())
    assert not verdict
    assert "prior_decision" in _kinds(verdict)


def test_a_team_leader_cannot_review_or_lift_a_restriction():
    """002: 7.3–7.4 — review and lifting sit with the level that may impose."""
    assert not may_decide(P, TEAM_LEADER, DecisionType.REVIEW, MANAGED)
    assert not may_decide(P, TEAM_LEADER, DecisionType.LIFT, MANAGED)
    assert may_decide(P, SENIOR_MANAGER, DecisionType.LIFT, MANAGED)


def test_the_policy_sets_no_maximum_interval_before_a_review():
    """002: 7.4 — 'at appropriate intervals': no latest date, any date from the decision on."""
    decided = dt.date(2025, 5, 1)
    assert latest_review_date(P, decided) is None
    assert review_date_ok(P, decided, dt.date(2027, 5, 1))
    assert not review_date_ok(P, decided, dt.date(2025, 4, 30))


@pytest.mark.parametrize("category", ["violence", "physical_threat"])
def test_a_restriction_protecting_staff_from_violence_may_have_no_review(category):
    """002: 7.4 — 'We retain the discretion to not include a review ... (for example if it is to protect
    staff from violence).'"""
    assert review_may_be_omitted(P, [category])


@pytest.mark.parametrize("category", ["abuse", "harassment", "levels_of_contact", "repeated_complaints"])
def test_other_restrictions_must_carry_a_review(category):
    """002: 7.4 — restrictions are normally subject to review."""
    assert not review_may_be_omitted(P, [category])


def test_the_customer_is_told_the_outcome_of_every_review():
    """002: 6.4, 7.4 — the reason for any specific decision is explained to the person affected; review
    timing is explained at the outset (always told: a recorded choice)."""
    assert P.reviews.customer_told is CustomerTold.ALWAYS
    assert LetterContent.REVIEW_DATE in P.letters.required_contents
    assert P.reviews.periodic.kind is PeriodicReview.REGULAR


# ---------------------------------------------------------------------------------------------
# Appeals (7.3)
# ---------------------------------------------------------------------------------------------


def test_an_appeal_against_a_senior_managers_restriction_goes_to_the_strategic_director():
    """002: 7.3 — restrictions 'can be challenged by an appeal to the Strategic Director'."""
    answer = appeal_route(P, decided_by="senior_manager")
    assert answer.internal
    assert answer.heard_by == ("strategic_director",)
    assert answer.clause == "002: 7.3"
    assert answer.ombudsman.short_name == "SPSO"


def test_the_strategic_director_may_decide_an_appeal_against_a_restriction():
    """002: 7.3 — the Strategic Director hears the appeal."""
    verdict = may_decide(P, STRATEGIC_DIRECTOR, DecisionType.APPEAL_DECISION, MANAGED)
    assert verdict, verdict.reason


@pytest.mark.parametrize("role", ["employee", "line_manager", "senior_manager", "chief_executive"])
def test_only_the_strategic_director_decides_an_appeal(role):
    """002: 7.3 — appeals are to the Strategic Director."""
    assert not may_decide(P, [role], DecisionType.APPEAL_DECISION, MANAGED)


def test_a_strategic_directors_decision_on_complaints_has_no_internal_appeal_but_the_spso_remains():
    """002: 7.3, 9.8 — the Strategic Director is the appeal level; the policy gives no route above it
    (a recorded choice), so the customer may go to the SPSO."""
    answer = appeal_route(
        P, decided_by="strategic_director", decider_capabilities=capabilities_of(P, STRATEGIC_DIRECTOR)
    )
    assert not answer.internal
    assert answer.ombudsman.short_name == "SPSO"


def test_a_team_leaders_warning_is_not_a_restriction_and_has_no_internal_appeal():
    """002: 7.3, 5.2 — the appeal is against 'restrictions'; a warning restricts nothing (a recorded
    choice; the complaints process remains open)."""
    answer = appeal_route(P, decided_by="line_manager")
    assert not answer.internal
    assert answer.ombudsman.short_name == "SPSO"


def test_the_policy_sets_no_time_limit_for_an_appeal():
    """002: 7.3 — no window is stated, so no deadline and every appeal is in time (a recorded choice)."""
    assert P.appeals.window_working_days is None
    deadline = appeal_deadline(P, SCOTLAND, decided_on=dt.date(2025, 1, 6), received_on=dt.date(2025, 1, 8))
    assert deadline is None
    assert appeal_in_time(P, SCOTLAND, deadline=deadline, appeal_received_on=dt.date(2026, 1, 6))


def test_the_customer_is_told_of_their_right_of_appeal():
    """002: 7.3 — restrictions can be challenged by appeal, so the letter says how."""
    assert LetterContent.APPEAL_RIGHTS in P.letters.required_contents
    assert P.appeals.decided_by_someone_else


# ---------------------------------------------------------------------------------------------
# Communicating decisions (6.4, 11.1)
# ---------------------------------------------------------------------------------------------


def test_letters_explain_what_has_been_decided_and_why():
    """002: 11.1, 6.4 — 'a clear statement which focuses on the interaction and explains what has been
    decided and why'."""
    assert LetterContent.REASONS in P.letters.required_contents
    assert LetterContent.ACTIONS in P.letters.required_contents
    assert not P.letters.enclose_policy


def test_a_documented_record_is_kept_where_the_person_cannot_be_told():
    """002: 6.4 — 'and/or keep a separate documented record if that is not possible or appropriate'."""
    assert [e.key for e in P.letters.notification_exemptions] == ["not_possible_or_appropriate"]


# ---------------------------------------------------------------------------------------------
# Police (7.12–7.14)
# ---------------------------------------------------------------------------------------------


def test_a_physical_threat_is_normally_reported_to_the_police():
    """002: 7.13 — 'When a physical threat is made, we will normally report it to the police.'"""
    assert police_reporting(P, ["physical_threat"]) == (PoliceReporting.NORMALLY, "002: 7.13–7.14")


def test_online_abuse_may_be_reported_to_the_police():
    """002: 7.12 — actions for online incidents include reporting incidents to the police."""
    assert police_reporting(P, ["abuse"]) == (PoliceReporting.CONSIDER, "002: 7.12")


def test_the_adviser_who_was_threatened_cannot_decide_alone_not_to_tell_the_police():
    """002: 7.14 — 'Any decision not to report an incident to the police should be made by a manager'."""
    verdict = may_decide_not_to_report(P, ADVISER, ["physical_threat"])
    assert not verdict
    assert "002: 7.14" in verdict.reason


@pytest.mark.parametrize("role", ["line_manager", "senior_manager", "strategic_director"])
def test_a_manager_may_decide_not_to_report_a_threat_and_must_record_the_staff_view(role):
    """002: 7.14 — a manager decides, clearly records the decision and takes the staff member's and
    witnesses' views into account, via the Health and Safety portal."""
    verdict = may_decide_not_to_report(P, [role], ["physical_threat"])
    assert verdict, verdict.reason
    assert P.police.staff_view_recorded


# ---------------------------------------------------------------------------------------------
# Sharing (4.3, 12.5)
# ---------------------------------------------------------------------------------------------


def test_staff_on_the_public_numbers_are_told_of_a_phone_restriction():
    """002: 12.5 — where the behaviour relates to phone contact, staff who respond to publicly available
    numbers on our website should be informed."""
    assert who_must_be_told(P, [Channel.PHONE]) == [
        ("staff who respond to the publicly available numbers on the Council website", "002: 12.5")
    ]


def test_people_monitoring_online_contact_are_told_of_an_email_restriction():
    """002: 12.5 — for emails, share with people who monitor online and other web contact."""
    assert who_must_be_told(P, [Channel.EMAIL]) == [
        ("people who monitor online and other web contact", "002: 12.5")
    ]


def test_every_service_in_contact_with_someone_who_made_a_physical_threat_must_be_told():
    """002: 12.5 — 'for physical threats, any other service who have or are likely to have contact with
    the individual must be informed'."""
    told = dict(who_must_be_told(P, [], physical_threat=True))
    assert told["every other service who has or is likely to have contact with the individual"] == "002: 12.5"


def test_details_of_a_physical_threat_go_to_the_potentially_violent_persons_database():
    """002: 4.3 — line managers ensure appropriate details are transferred to the Potentially Violent
    Persons database."""
    told = who_must_be_told(P, [Channel.PHONE], physical_threat=True)
    database = [party for party, clause in told if clause == "002: 4.3"]
    assert len(database) == 1
    assert "Potentially Violent Persons database" in database[0]


def test_other_services_are_not_told_when_there_was_no_physical_threat():
    """002: 12.4, 12.5 — share the minimum; other services only for physical threats."""
    told = [party for party, _ in who_must_be_told(P, [Channel.PHONE, Channel.EMAIL])]
    assert not any("Potentially Violent Persons" in party for party in told)
    assert not any("every other service" in party for party in told)


# ---------------------------------------------------------------------------------------------
# The whole menu, as the manager-review screen shows it
# ---------------------------------------------------------------------------------------------


def test_a_senior_manager_sees_every_decision_the_policy_provides():
    """002: 7.3, 7.11, 9.8, 10.2 — the screen lists each decision with this Senior Manager's verdict."""
    options = {rule.type: verdict for rule, verdict in options_for(P, SENIOR_MANAGER, WARNED)}
    assert set(options) == {
        DecisionType.END_CONTACT,
        DecisionType.WARNING,
        DecisionType.ACTIVE_MANAGEMENT,
        DecisionType.RESTRICT_COMPLAINTS_PROCESS,
        DecisionType.REVIEW,
        DecisionType.LIFT,
        DecisionType.APPEAL_DECISION,
    }
    assert options[DecisionType.ACTIVE_MANAGEMENT]
    assert options[DecisionType.WARNING]
    assert not options[DecisionType.RESTRICT_COMPLAINTS_PROCESS]
    assert not options[DecisionType.APPEAL_DECISION]
