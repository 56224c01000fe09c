"""Scottish Borders Council's Managing Customer Engagement Policy v1.3 (003), clause by clause, through the engine.

Personas: an employee (a librarian), her line manager, a senior manager, the Complaints Review Group
(two Directors, the Chief Legal Officer and the SPSO Liaison Officer), the Chief Executive, and a
councillor. Each test cites the paragraph of 003 it checks; "App.1" is the Guidance on how to use the
policy, "App.4" the health and safety appendix.
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
    police_reporting,
    review_date_ok,
    review_may_be_omitted,
    who_must_be_told,
)
from engage.policy.vocabulary import (
    Capability,
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

P = presets.get("scottish_borders")
SCOTLAND = WorkingCalendar("scotland")

EMPLOYEE = ["employee"]
MANAGER = ["manager"]
SENIOR_MANAGER = ["senior_manager"]
CRG = ["complaints_review_group"]
CHIEF_EXECUTIVE = ["chief_executive"]
COUNCILLOR = ["elected_member"]

WARNED = CaseFacts(warnings_given=(dt.date(2025, 3, 3),))
MANAGED = CaseFacts(prior_decisions=frozenset({DecisionType.ACTIVE_MANAGEMENT}))
CATEGORY_ONE = {"violent_aggressive_abusive", "physical_violence", "threatened_violence"}


def _kinds(verdict):
    return [s.kind for s in verdict.steps]


def _step(verdict, kind):
    return next(s for s in verdict.steps if s.kind == kind)


# ---------------------------------------------------------------------------------------------
# The preset itself
# ---------------------------------------------------------------------------------------------


def test_the_preset_is_version_1_3_of_the_scottish_borders_policy():
    """003: Version history — v1.3, 6 November 2024; Scottish bank holidays; the SPSO."""
    assert P.organisation == "Scottish Borders Council"
    assert P.version.startswith("1.3")
    assert P.source == "003_a00558ff7b6be1f6.txt"
    assert P.nation is Nation.SCOTLAND
    assert P.ombudsman.short_name == "SPSO"


def test_the_health_and_safety_portal_is_lexi():
    """003: 9.2 / App.1 — incidents are recorded 'in Lexi (Health & Safety Portal)'."""
    assert P.health_and_safety_portal == "Lexi"


def test_every_rule_cites_a_paragraph_of_003():
    """Every rule carries the clause of 003 it comes from."""
    clauses = [r.clause for r in P.roles + P.groups + P.categories + P.decisions + P.measures]
    clauses += [P.letters.clause, P.appeals.clause, P.reviews.clause, P.police.clause, P.contact_line.clause]
    clauses += [e.clause for e in P.exclusions]
    assert all(c.startswith("003: ") for c in clauses)


def test_the_roles_map_to_their_generic_capabilities():
    """003: 7.5, 7.6, 10.5, 12.3, 13.1 — employees, elected members, managers, senior managers, the Chief
    Executive (executive and appeal officer) and records management."""
    caps = {r.key: {str(c) for c in r.capabilities} for r in P.roles}
    assert caps["employee"] == {"frontline"}
    assert caps["elected_member"] == {"elected_member"}
    assert caps["manager"] == {"manager"}
    assert caps["senior_manager"] == {"senior_decision_maker"}
    assert caps["chief_executive"] == {"executive", "appeal_officer"}
    assert caps["records_manager"] == {"information_governance"}


def test_the_complaints_review_group_is_two_directors_the_chief_legal_officer_and_the_spso_liaison_officer():
    """003: Guidance — Complaints Review Group approved active management — 'The Complaints Review Group
    consists of two Directors, the Chief Legal Officer and the SPSO Liaison Officer'."""
    crg = P.group("complaints_review_group")
    assert crg is not None
    assert " ".join(crg.members) == "two Directors the Chief Legal Officer the SPSO Liaison Officer"
    assert crg.member_roles == ["director", "chief_legal_officer", "spso_liaison_officer"]


def test_a_single_director_is_not_the_complaints_review_group():
    """003: Guidance — Complaints Review Group approved active management — the group decides, not one member."""
    assert not may_decide(P, ["director"], DecisionType.ACTIVE_MANAGEMENT, WARNED)


# ---------------------------------------------------------------------------------------------
# 003: 6 Categories; 8.1 zero tolerance
# ---------------------------------------------------------------------------------------------


def test_there_are_four_categories_of_engagement_to_manage():
    """003: 6 — 'four broad categories': One violent/aggressive/threatening/abusive, Two demands, Three
    levels of contact, Four persistence."""
    names = [c.name for c in P.categories if not c.key.endswith("violence")]
    assert names == [
        "Category One: Violent, aggressive, threatening or abusive behaviour",
        "Category Two: Demands on the Council",
        "Category Three: Levels of Contact",
        "Category Four: Persistence",
    ]


def test_category_one_is_zero_tolerance_and_the_others_are_not():
    """003: 8.1 — 'We have zero tolerance for threats, violent, aggressive and abusive behaviour towards staff'."""
    zero = {c.key for c in P.categories if c.zero_tolerance}
    assert zero == CATEGORY_ONE


def test_category_one_lists_the_examples_of_6_1():
    """003: 6.1 — physical violence, threats, abusive language, harassment, discrimination, allegations,
    gestures; and harassment by naming staff online."""
    cat = P.category("violent_aggressive_abusive")
    assert "Physical violence" in cat.examples
    assert "Use of aggressive or inappropriate gestures" in cat.examples
    assert any("social media" in e for e in cat.examples)


# ---------------------------------------------------------------------------------------------
# Immediate action: 3.9, 9.7, 9.8, 10.4, Guidance — Immediate action
# ---------------------------------------------------------------------------------------------


def test_an_employee_may_end_a_distressing_engagement_without_permission_or_warning():
    """003: 9.7 — 'All staff have the authority to end any engagement or interaction which they find
    personally distressing'; 9.8 a warning is not required if unsafe (a recorded choice: never enforced)."""
    verdict = may_decide(P, EMPLOYEE, DecisionType.END_CONTACT)
    assert verdict
    assert verdict.clause == "003: 9.7"
    assert verdict.steps == ()


def test_a_councillor_may_deal_immediately_with_aggressive_behaviour():
    """003: 10.4 — 'Any employee or elected member who directly experiences aggressive or abusive behaviour
    ... has the authority to deal immediately with that behaviour'."""
    assert may_decide(P, COUNCILLOR, DecisionType.END_CONTACT)


@pytest.mark.parametrize("role", [r.key for r in P.roles])
def test_every_member_of_staff_may_end_an_engagement_at_the_time(role):
    """003: 3.9 — 'the right of any employee to end contact they find personally distressing'."""
    assert may_decide(P, [role], DecisionType.END_CONTACT)


# ---------------------------------------------------------------------------------------------
# Warning and the restorative approach: 9.19, 10.1, Guidance — Manager approved restorative approach
# ---------------------------------------------------------------------------------------------


def test_her_manager_decides_that_correspondence_is_unacceptable_and_asks_for_a_change():
    """003: 9.19 — 'The decision that correspondence is unacceptable must be made by a manager'; 10.1."""
    assert may_decide(P, MANAGER, DecisionType.WARNING)
    verdict = may_decide(P, EMPLOYEE, DecisionType.WARNING)
    assert not verdict
    assert verdict.clause == "003: 10.1"


def test_the_request_to_change_discusses_the_behaviour_asks_for_change_and_explains_consequences():
    """003: 10.1 — discuss their behaviour, explain why it causes concern, ask them to change, explain the
    actions that may follow."""
    assert P.letters.warning_contents == [
        LetterContent.BEHAVIOUR_CONCERN,
        LetterContent.CHANGE_REQUESTED,
        LetterContent.CONSEQUENCES,
    ]


def test_her_manager_approves_a_restorative_approach_and_checks_the_letter_before_it_is_issued():
    """003: Guidance — Manager approved restorative approach — 'This draft must be checked by your manager
    before it is issued'."""
    verdict = may_decide(P, MANAGER, DecisionType.RESTORATIVE_APPROACH)
    assert verdict
    assert _step(verdict, "letter_check").by == ("manager", "senior_manager")
    assert P.decision(DecisionType.RESTORATIVE_APPROACH).letter_required


def test_an_employee_requests_but_may_not_decide_a_restorative_approach():
    """003: Guidance — Manager approved restorative approach — 'submit a request to your manager for approval'."""
    assert not may_decide(P, EMPLOYEE, DecisionType.RESTORATIVE_APPROACH)


def test_her_manager_may_send_a_request_to_the_complaints_review_group():
    """003: Guidance — Complaints Review Group approved active management — 'A manager can also submit a
    request to the Complaints Review Group'."""
    assert may_decide(P, MANAGER, DecisionType.REFERRAL)
    assert not may_decide(P, EMPLOYEE, DecisionType.REFERRAL)


# ---------------------------------------------------------------------------------------------
# Active management: 7.5, 10.1, 10.5, 10.6 a-d, Guidance — CRG approved active management
# ---------------------------------------------------------------------------------------------


def test_the_complaints_review_group_may_approve_active_management_after_a_request_to_change():
    """003: Guidance — Complaints Review Group approved active management — 'when a customer's approach to
    engagement ... has not changed following a request to change'."""
    verdict = may_decide(P, CRG, DecisionType.ACTIVE_MANAGEMENT, WARNED)
    assert verdict
    assert verdict.clause == "003: Guidance — Complaints Review Group approved active management"


def test_the_complaints_review_group_checks_the_active_management_letter_before_it_is_issued():
    """003: Guidance — Complaints Review Group approved active management — 'This draft must be checked by
    the Complaints Review Group before it is issued'."""
    verdict = may_decide(P, CRG, DecisionType.ACTIVE_MANAGEMENT, WARNED)
    assert _step(verdict, "letter_check").by == ("complaints_review_group",)


def test_active_management_needs_the_customer_first_given_the_chance_to_change():
    """003: 10.1 — 'Wherever possible ... before making the decision to apply this policy, we will give the
    customer the opportunity to change their behaviour'."""
    verdict = may_decide(P, CRG, DecisionType.ACTIVE_MANAGEMENT)
    assert not verdict
    assert _kinds(verdict)[0] == "warning"


@pytest.mark.parametrize(
    ("paragraph", "exemption"),
    [
        ("10.6(a) immediate threat to staff safety", WarningExemption.IMMEDIATE_THREAT),
        ("10.6(b) the warning would put staff in harm's way", WarningExemption.STAFF_HARM),
        ("10.6(c) medical advice", WarningExemption.MEDICAL_ADVICE),
        ("10.6(d) professional staff advice", WarningExemption.PROFESSIONAL_ADVICE),
    ],
)
def test_the_complaints_review_group_may_act_without_a_warning_for_each_10_6_exemption(paragraph, exemption):
    """003: 10.6 a-d — situations where it may not be appropriate to provide a warning."""
    assert may_decide(P, CRG, DecisionType.ACTIVE_MANAGEMENT, CaseFacts(exemption=exemption)), paragraph


def test_a_senior_manager_may_restrict_contact_with_their_own_service():
    """003: 10.5 — restrictions are decided 'by either a senior manager or the Complaints Review Group';
    12.3 (a recorded choice reconciles this with App.1)."""
    assert may_decide(P, SENIOR_MANAGER, DecisionType.ACTIVE_MANAGEMENT, WARNED)


@pytest.mark.parametrize("roles", [EMPLOYEE, MANAGER, COUNCILLOR, CHIEF_EXECUTIVE])
def test_no_one_below_a_senior_manager_or_the_group_decides_active_management(roles):
    """003: 10.5 — 'decisions to restrict contact with us are only taken after careful consideration of the
    situation by either a senior manager or the Complaints Review Group'."""
    verdict = may_decide(P, roles, DecisionType.ACTIVE_MANAGEMENT, WARNED)
    assert not verdict
    assert "Complaints Review Group" in verdict.reason


# ---------------------------------------------------------------------------------------------
# Measures: 7.4, 10.2 a-i
# ---------------------------------------------------------------------------------------------

MEASURES = [
    ("10.2(a)", MeasureType.ALLOWED_CHANNELS, False),
    ("10.2(b)", MeasureType.SINGLE_POINT_OF_CONTACT, False),
    ("10.2(c)", MeasureType.CALL_TIMES, False),
    ("10.2(d)", MeasureType.WITNESS_REQUIRED, False),
    ("10.2(e)", MeasureType.MATTER_CLOSED, True),
    ("10.2(f)", MeasureType.PREMISES_BAN, True),
    ("10.2(g)", MeasureType.TOPICS_LIMITED, False),
    ("10.2(h)", MeasureType.READ_AND_FILE, True),
    ("10.2(i)", MeasureType.MONITORED_MAILBOX, True),
    ("7.4", MeasureType.NO_STAFF_DETAILS, False),
    ("7.4", MeasureType.THIRD_PARTY_ONLY, True),
    ("7.4", MeasureType.AUTOMATED_LINE, False),
    ("7.4", MeasureType.VOLUME_LIMIT, False),
]


@pytest.mark.parametrize(("paragraph", "measure", "needs_crg"), MEASURES, ids=[str(m[1]) for m in MEASURES])
def test_a_senior_manager_may_impose_each_measure_some_only_with_the_groups_approval(
    paragraph, measure, needs_crg
):
    """003: 10.2 — 'not all these approaches are suitable for managers to take without the approval of the
    Complaints Review Group' (which ones is a recorded choice)."""
    verdict = may_impose(P, SENIOR_MANAGER, measure)
    assert verdict
    assert verdict.clause == f"003: {paragraph}"
    approvals = [s.by for s in verdict.steps if s.kind == "approval"]
    assert approvals == ([("complaints_review_group",)] if needs_crg else [])


@pytest.mark.parametrize(("paragraph", "measure", "needs_crg"), MEASURES, ids=[str(m[1]) for m in MEASURES])
def test_the_complaints_review_group_may_impose_every_measure(paragraph, measure, needs_crg):
    """003: 10.2 / 7.4."""
    assert may_impose(P, CRG, measure)


@pytest.mark.parametrize("measure", [m[1] for m in MEASURES])
def test_her_manager_may_not_impose_a_restriction_measure(measure):
    """003: 10.5 — restrictions are a senior manager's or the Complaints Review Group's."""
    assert not may_impose(P, MANAGER, measure)


def test_a_behaviour_contract_is_not_a_measure_003_provides():
    """003: 10.2 — no behaviour contract among the approaches."""
    assert not may_impose(P, CRG, MeasureType.BEHAVIOUR_CONTRACT)


# ---------------------------------------------------------------------------------------------
# 11.3 stopping all contact; the line of contact
# ---------------------------------------------------------------------------------------------


def test_the_complaints_review_group_may_stop_all_contact_where_unacceptable_behaviour_continues():
    """003: 11.3 — 'Where a customer continues to behave in a way which is unacceptable, this should be
    referred to the Complaints Review Group, where we may decide to stop all contact'."""
    verdict = may_decide(P, CRG, DecisionType.STOP_ALL_CONTACT, MANAGED)
    assert verdict
    assert verdict.clause == "003: 11.3"


def test_stopping_all_contact_needs_the_policy_already_applied():
    """003: 11.3 — the customer 'continues' to behave unacceptably."""
    verdict = may_decide(P, CRG, DecisionType.STOP_ALL_CONTACT)
    assert not verdict
    assert _kinds(verdict)[0] == "prior_decision"


@pytest.mark.parametrize("roles", [MANAGER, SENIOR_MANAGER, CHIEF_EXECUTIVE])
def test_only_the_complaints_review_group_stops_all_contact_or_an_investigation(roles):
    """003: 11.3 — the Complaints Review Group decides; 'where appropriate, stop any investigation into a
    complaint'."""
    assert not may_decide(P, roles, DecisionType.STOP_ALL_CONTACT, MANAGED)
    assert not may_decide(P, roles, DecisionType.RESTRICT_COMPLAINTS_PROCESS, MANAGED)
    assert may_decide(P, CRG, DecisionType.RESTRICT_COMPLAINTS_PROCESS, MANAGED)


def test_a_senior_manager_must_leave_a_line_of_contact_but_the_group_may_stop_all_contact():
    """003: 11.3 with 7.3 — the minimum action required; only the Complaints Review Group may stop all
    contact (a recorded choice)."""
    assert not contact_line_check(P, SENIOR_MANAGER, [])
    assert contact_line_check(P, SENIOR_MANAGER, ["letter"])
    assert contact_line_check(P, CRG, [])


# ---------------------------------------------------------------------------------------------
# 11 Letting customers know
# ---------------------------------------------------------------------------------------------


def test_the_decision_letter_explains_why_what_how_long_the_appeal_process_and_who_it_is_shared_with():
    """003: 11.2 — why, what action, the duration, the appeal process, who the information is shared with;
    7.9 the timing of review."""
    assert set(P.letters.required_contents) == {
        LetterContent.REASONS,
        LetterContent.ACTIONS,
        LetterContent.DURATION,
        LetterContent.APPEAL_RIGHTS,
        LetterContent.SHARING,
        LetterContent.REVIEW_DATE,
    }
    assert P.letters.languages == ["en"]


def test_the_customer_need_not_be_told_when_the_threat_is_extreme_or_advice_is_against_it():
    """003: 11.5-11.6 — act without prior warning when the threat is so extreme; not tell the customer when
    medical or professional staff advise against it."""
    exemptions = {e.key: e.clause for e in P.letters.notification_exemptions}
    assert exemptions == {"extreme_threat": "003: 11.5", "medical_or_professional_advice": "003: 11.6"}


def test_the_decision_may_be_recorded_on_the_crm_and_the_letter_says_so():
    """003: 11.2 — 'who this information will be shared with and possibly recorded on our Customer
    Relationship Management System'."""
    told = who_must_be_told(P, ["email"])
    assert [clause for _, clause in told] == ["003: 11.2"]


def test_physical_violence_is_recorded_in_lexi_and_the_managing_customer_engagement_system():
    """003: 9.2 — 'must be recorded in Lexi (Health & Safety Portal) as well as the Managing Customer
    Engagement System'."""
    parties = [party for party, _ in who_must_be_told(P, ["in_person"], physical_threat=True)]
    assert "Lexi (Health and Safety Portal)" in parties
    assert "The Managing Customer Engagement System" in parties


def test_social_media_abuse_is_taken_to_corporate_communications_or_legal_services():
    """003: 9.24 — 'Relevant managers will contact Corporate Communications and or Legal Services'."""
    clauses = [clause for _, clause in who_must_be_told(P, ["social_media"])]
    assert "003: 9.24" in clauses


# ---------------------------------------------------------------------------------------------
# 12 Appeals
# ---------------------------------------------------------------------------------------------


def test_an_appeal_against_an_employees_immediate_action_goes_through_the_complaints_procedure():
    """003: 12.3 — 'through our complaints handling procedure where an employee took immediate action'."""
    answer = appeal_route(P, decided_by="employee")
    assert answer.internal
    assert answer.heard_by == ("complaints_handler",)


def test_an_appeal_against_a_senior_managers_restriction_goes_to_the_complaints_review_group():
    """003: 12.3 — 'through the Complaints Review Group where a decision to restrict contact in their service
    was made by a senior manager'."""
    answer = appeal_route(P, decided_by="senior_manager")
    assert answer.internal
    assert answer.heard_by == ("complaints_review_group",)


def test_an_appeal_against_her_managers_decision_also_goes_to_the_complaints_review_group():
    """003: 7.8 — 'All manager or Complaints Review Group determined restrictions ... can be challenged by an
    appeal' (the route is a recorded choice)."""
    assert appeal_route(P, decided_by="manager").heard_by == ("complaints_review_group",)


def test_an_appeal_against_the_complaints_review_group_goes_to_the_chief_executive():
    """003: 12.3 — 'by the Chief Executive where the Complaints Review Group has made a decision'."""
    answer = appeal_route(P, decided_by="complaints_review_group")
    assert answer.internal
    assert answer.heard_by == ("chief_executive",)
    assert may_decide(P, CHIEF_EXECUTIVE, DecisionType.APPEAL_DECISION)


def test_the_complaints_review_group_hears_appeals_but_a_senior_manager_does_not():
    """003: 12.3 — appeals are heard by the complaints procedure, the Complaints Review Group or the Chief
    Executive; 12.4 the outcome is given in writing."""
    assert may_decide(P, CRG, DecisionType.APPEAL_DECISION)
    assert not may_decide(P, SENIOR_MANAGER, DecisionType.APPEAL_DECISION)
    assert P.decision(DecisionType.APPEAL_DECISION).letter_required


def test_there_is_no_appeal_against_action_taken_by_a_councillor():
    """003: 12.5 — 'The appeal process does not apply to action taken by elected members'."""
    answer = appeal_route(
        P, decided_by="elected_member", decider_capabilities=frozenset({Capability.ELECTED_MEMBER})
    )
    assert not answer.internal
    assert answer.clause == "003: 12.5"
    assert answer.ombudsman.short_name == "SPSO"


@pytest.mark.parametrize("category", sorted(CATEGORY_ONE))
def test_the_appeals_routes_do_not_apply_to_category_one(category):
    """003: App.1 — for Category One 'the appeals routes in this policy do not apply'."""
    answer = appeal_route(P, decided_by="manager", categories=frozenset({category}))
    assert not answer.internal
    assert answer.clause == "003: App.1"


def test_category_two_to_four_keep_their_appeal():
    """003: 12.3 — the other categories follow the three routes."""
    answer = appeal_route(
        P, decided_by="complaints_review_group", categories=frozenset({"demands", "persistence"})
    )
    assert answer.internal


@pytest.mark.parametrize(
    ("reason", "clause"),
    [
        ("staff_harm", "003: 12.6(a)"),
        ("medical_advice", "003: 12.6(b)"),
        ("professional_advice", "003: 12.6(c)"),
        ("previously_applied", "003: 12.6(d)"),
    ],
)
def test_no_internal_appeal_is_offered_in_the_12_6_cases_and_the_spso_is_signposted(reason, clause):
    """003: 12.6 a-d — 'The customer will be advised that they can raise the matter with the SPSO'."""
    answer = appeal_route(P, decided_by="complaints_review_group", no_internal_reason=reason)
    assert not answer.internal
    assert answer.clause == clause
    assert "Scottish Public Services Ombudsman" in answer.reason


def test_a_reason_003_does_not_give_does_not_remove_the_internal_appeal():
    """003: 12.6 — the listed situations only."""
    answer = appeal_route(P, decided_by="complaints_review_group", no_internal_reason="inconvenient")
    assert answer.internal


def test_003_sets_no_time_limit_for_an_appeal():
    """003: 12.1 — no window is stated (a recorded choice): any appeal is in time."""
    assert appeal_deadline(P, SCOTLAND, decided_on=dt.date(2025, 1, 6)) is None
    assert appeal_in_time(P, SCOTLAND, deadline=None, appeal_received_on=dt.date(2026, 1, 6))


# ---------------------------------------------------------------------------------------------
# 13 Recording and reviewing; 7.9; version 1.1
# ---------------------------------------------------------------------------------------------


def test_the_complaints_review_group_reviews_active_management_regularly():
    """003: 13.2 — 'reviewed through the Complaints Review Group on a regular basis'."""
    assert may_decide(P, CRG, DecisionType.REVIEW, MANAGED)
    assert not may_decide(P, SENIOR_MANAGER, DecisionType.REVIEW, MANAGED)
    assert P.reviews.periodic.kind is PeriodicReview.REGULAR
    assert P.reviews.periodic.by == ["complaints_review_group"]


def test_003_sets_no_maximum_time_before_a_review():
    """003: 7.9 — 'at appropriate intervals'; no maximum is stated."""
    assert latest_review_date(P, dt.date(2025, 1, 6)) is None
    assert review_date_ok(P, dt.date(2025, 1, 6), dt.date(2027, 1, 6))


def test_a_restriction_may_have_no_review_where_the_reason_for_it_makes_one_inappropriate():
    """003: 7.9 — 'We retain the discretion to not include a review if the reason for the restriction means
    that would not be appropriate'."""
    assert review_may_be_omitted(P, {"levels_of_contact"})
    assert review_may_be_omitted(P, {"physical_violence"})


def test_the_customer_is_not_contacted_after_a_review_that_changes_nothing():
    """003: Version history v1.1 — 'no contact with customer after review if there is no change'."""
    assert P.reviews.customer_told is CustomerTold.IF_CHANGED


def test_the_group_or_the_senior_manager_may_lift_a_restriction_when_behaviour_improves():
    """003: 13.2 — 'A decision to restrict a customer's contact will be reconsidered if the customer
    demonstrates a more acceptable approach'."""
    assert may_decide(P, CRG, DecisionType.LIFT, MANAGED)
    assert may_decide(P, SENIOR_MANAGER, DecisionType.LIFT, MANAGED)
    assert not may_decide(P, MANAGER, DecisionType.LIFT, MANAGED)


# ---------------------------------------------------------------------------------------------
# 9 Police
# ---------------------------------------------------------------------------------------------


def test_physical_violence_is_always_reported_to_the_police():
    """003: 9.2 — 'We will always report incidents, where physical violence is used, to the police'."""
    assert police_reporting(P, {"physical_violence"}) == (PoliceReporting.ALWAYS, "003: 9.2")


def test_reporting_threatened_violence_to_the_police_is_always_considered():
    """003: 9.3 — 'We will always consider reporting an incident to the police where physical violence is
    threatened'."""
    assert police_reporting(P, {"threatened_violence"}) == (PoliceReporting.CONSIDER, "003: 9.3")


def test_no_one_may_decide_not_to_report_physical_violence():
    """003: 9.2 — always reported."""
    assert not may_decide_not_to_report(P, ["employee", "manager"], {"physical_violence"})


def test_the_person_threatened_should_not_decide_alone_not_to_inform_the_police():
    """003: 9.5 — 'the person who receives the threat ... should not make a decision not to inform the police
    alone'."""
    assert not may_decide_not_to_report(P, EMPLOYEE, {"threatened_violence"})


def test_the_decision_not_to_report_is_made_with_a_manager_who_records_it_and_the_staff_view():
    """003: 9.6 — 'The decision should be made with a manager who must clearly record the decision ... take
    into account ... the views of the staff member'."""
    verdict = may_decide_not_to_report(P, ["employee", "manager"], {"threatened_violence"})
    assert verdict
    assert verdict.clause == "003: 9.6"
    assert P.police.staff_view_recorded


# ---------------------------------------------------------------------------------------------
# App.4 exclusions
# ---------------------------------------------------------------------------------------------


def test_worker_on_worker_and_personal_relationship_violence_are_not_covered():
    """003: App.4 — 'This policy focuses only on types 1 and 2'; Type 3 goes to the HR harassment and
    bullying policy, Type 4 to the police."""
    app4 = [e.description for e in P.exclusions if e.clause == "003: App.4"]
    assert len(app4) == 2
    assert any(d.startswith("Type 3") and "HR harassment and bullying policy" in d for d in app4)
    assert any(d.startswith("Type 4") and "police" in d for d in app4)


def test_003_provides_no_one_day_restriction():
    """003 has no short restriction; restrictions go through a senior manager or the group."""
    assert not may_decide(P, MANAGER, DecisionType.SHORT_RESTRICTION)
