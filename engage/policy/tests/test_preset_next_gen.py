"""Next Gen Support Services' Customer Relationship Management Policy (000), clause by clause.

000's text follows The Highland Council's policy (001) closely; it is tested here in full, not by
reference, and the tests marked "differs from 001" check where it does not. Personas: a support
worker (staff), her team leader (manager), the Head of Service who hears appeals, the Chief
Executive and Depute, the Head of People, Corporate Communications and the records officer.
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

P = presets.get("next_gen")
SCOTLAND = WorkingCalendar("scotland")

ADVISER = ["staff"]
TEAM_LEADER = ["manager"]
HEAD_OF_SERVICE = ["head_of_service"]
CHIEF_EXECUTIVE = ["chief_executive"]
DEPUTE = ["depute_chief_executive"]
HEAD_OF_PEOPLE = ["head_of_people"]
COMMUNICATIONS = ["corporate_communications"]
RECORDS = ["records_officer"]

EVERYONE = [r.key for r in P.roles]
NOT_EXECUTIVE = [k for k in EVERYONE if k not in ("chief_executive", "depute_chief_executive")]

WARNED = CaseFacts(warnings_given=(dt.date(2025, 3, 3),))
MANAGED = CaseFacts(prior_decisions=frozenset({DecisionType.ACTIVE_MANAGEMENT}))
COMPLAINTS_RESTRICTED = CaseFacts(prior_decisions=frozenset({DecisionType.RESTRICT_COMPLAINTS_PROCESS}))

POLICY_23_MEASURES = [
    MeasureType.ALLOWED_CHANNELS,  # 23.1 by channel
    MeasureType.SINGLE_POINT_OF_CONTACT,  # 23.1 to a named person
    MeasureType.NO_STAFF_DETAILS,  # 23.2
    MeasureType.THIRD_PARTY_ONLY,  # 23.3
    MeasureType.AUTOMATED_LINE,  # 23.4
    MeasureType.CALL_TIMES,  # 23.5 time
    MeasureType.VOLUME_LIMIT,  # 23.5 volume
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


def test_the_preset_is_next_gens_policy_counted_in_scottish_working_days():
    """000: title page — Next Gen Support Services, approved 19/08/25, next review due by 31/08/26."""
    assert P.organisation == "Next Gen Support Services"
    assert P.title == "Customer Relationship Management Policy"
    assert "19/08/2025" in P.version
    assert P.review_date == dt.date(2026, 8, 31)
    assert P.source == "000_baf451bb285b585e.txt"
    assert P.nation is Nation.SCOTLAND


def test_customers_are_signposted_to_the_scottish_public_services_ombudsman():
    """000: §4, §8.1 — the policy names no ombudsman; Next Gen acts for Scottish local authorities,
    whose ombudsman is the SPSO (a recorded choice)."""
    assert P.ombudsman.short_name == "SPSO"
    assert P.ombudsman.name == "Scottish Public Services Ombudsman"
    assert P.ombudsman.url == "https://www.spso.org.uk"
    assert any(c.topic == "Ombudsman" for c in P.choices)


def test_every_rule_cites_a_paragraph_of_the_next_gen_policy():
    """000: every rule carries the paragraph of 000 it comes from, not of 001."""
    clauses = _all_clauses(P)
    assert len(clauses) > 50
    assert all(c.startswith("000: ") for c in clauses), [c for c in clauses if not c.startswith("000: ")]


def test_young_people_are_at_the_centre_of_the_policy_not_excluded_from_it():
    """000: Who is covered by this policy?, §4 — differs from 001: there is no exclusion for children
    or young people in an education setting; Next Gen puts 'our young people at the center of
    everything that we do' (a recorded choice)."""
    assert P.exclusions == []
    choice = next(c for c in P.choices if c.topic.startswith("Children and young people"))
    assert "differs from 001" in choice.topic
    assert "young people at the center" in choice.reason


def test_customers_include_local_authorities_professionals_and_third_party_organisations():
    """000: §12 — differs from 001: contact may be managed with 'LA and professionals and 3rd party
    organisations that we may be connected to'."""
    assert any("3rd party organisations" in c.reason for c in P.choices)


def test_every_difference_from_the_highland_policy_is_recorded_as_a_choice():
    """000: §3, §4, §12, §39–40, §81, title page — where 000 departs from 001 the preset says so."""
    differs = [c for c in P.choices if "differs from 001" in c.topic]
    assert len(differs) >= 5
    assert any("Online Safety" in c.topic for c in differs)
    assert any("review date" in c.topic for c in differs)


def test_every_role_the_policy_names_is_there_with_its_capability():
    """000: §24, §64, §66, §78 — staff, managers, the appeal officer, the executive, HR and
    communications; plus a records role for §72–76."""
    assert Capability.FRONTLINE in capabilities_of(P, ADVISER)
    assert Capability.MANAGER in capabilities_of(P, TEAM_LEADER)
    assert Capability.APPEAL_OFFICER in capabilities_of(P, HEAD_OF_SERVICE)
    assert capabilities_of(P, CHIEF_EXECUTIVE) == {Capability.EXECUTIVE}
    assert capabilities_of(P, DEPUTE) == {Capability.EXECUTIVE}
    assert Capability.HR_COMMUNICATIONS in capabilities_of(P, HEAD_OF_PEOPLE)
    assert Capability.HR_COMMUNICATIONS in capabilities_of(P, COMMUNICATIONS)
    assert Capability.INFORMATION_GOVERNANCE in capabilities_of(P, RECORDS)


# ---------------------------------------------------------------------------------------------
# Behaviour categories (§26, §46–64)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["violence", "abuse", "physical_threat"])
def test_threats_violence_and_abuse_towards_staff_are_zero_tolerance(key):
    """000: §26 — 'We have zero tolerance of threats, violent and abusive behaviour towards staff.'"""
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
def test_other_unacceptable_engagement_is_managed_but_not_zero_tolerance(key):
    """000: §52–64 — harassment, demands, levels of contact, refusal to co-operate and repeated
    complaints are managed, but §26's zero tolerance names only threats, violence and abuse."""
    assert not P.category(key).zero_tolerance


def test_violence_includes_language_that_would_make_someone_feel_afraid():
    """000: §47 — violence is not restricted to physical harm; it includes language that would
    reasonably cause someone to feel offended, afraid or threatened."""
    assert "afraid or threatened" in P.category("violence").definition
    assert P.category("violence").clause == "000: §47"


def test_abuse_includes_unfounded_allegations_of_criminal_conduct():
    """000: §48 — serious allegations of criminal, corrupt or perverse conduct without evidence."""
    assert "criminal, corrupt or perverse conduct" in P.category("abuse").definition


def test_announcing_a_live_stream_of_a_member_of_staff_is_harassment():
    """000: §57 — stating an intention to record and use it publicly or live stream is harassment."""
    assert any("live stream" in e for e in P.category("harassment").examples)


def test_repeated_complaints_are_unacceptable_only_when_they_harass_or_obstruct():
    """000: §64 — repeated complaints become unreasonable when their effect is to harass or to prevent
    a legitimate aim or decision, and only in exceptional circumstances."""
    definition = P.category("repeated_complaints").definition
    assert "harass" in definition
    assert "exceptional circumstances" in definition


# ---------------------------------------------------------------------------------------------
# Ending contact at the time (§16, §32, §66)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", EVERYONE)
def test_any_member_of_staff_may_end_contact_they_find_distressing(role):
    """000: §66 — 'All staff have the authority to end any engagement or interaction which they find
    personally distressing or difficult at the point of occurrence.'"""
    verdict = may_decide(P, [role], DecisionType.END_CONTACT)
    assert verdict, verdict.reason
    assert verdict.clause == "000: §66"


def test_an_adviser_may_end_a_call_without_a_warning_already_on_the_case():
    """000: §32, §66 — the warning before ending a call is given in the moment, 'if it is safe and they
    consider it appropriate'; no earlier warning is needed to end contact."""
    assert may_decide(P, ADVISER, DecisionType.END_CONTACT, CaseFacts())
    assert not P.decision(DecisionType.END_CONTACT).requires_warning_first


# ---------------------------------------------------------------------------------------------
# Warnings: deciding correspondence is unacceptable (§35, §37)
# ---------------------------------------------------------------------------------------------


def test_a_team_leader_may_decide_that_correspondence_is_unacceptable():
    """000: §37 — 'The decision that correspondence is unacceptable should be made by a
    Supervisor/Team Leader/Manager to ensure consistency.'"""
    verdict = may_decide(P, TEAM_LEADER, DecisionType.WARNING)
    assert verdict, verdict.reason
    assert verdict.clause == "000: §37"


def test_an_adviser_cannot_alone_decide_that_correspondence_is_unacceptable():
    """000: §37 — the decision is a Supervisor/Team Leader/Manager's, not the recipient's."""
    verdict = may_decide(P, ADVISER, DecisionType.WARNING)
    assert not verdict
    assert "000: §37" in verdict.reason


def test_a_warning_tells_the_sender_the_behaviour_is_unacceptable_and_what_follows():
    """000: §35, §37 — the sender is informed the correspondence is unacceptable; restrictions can
    follow where the behaviour is repeated despite warnings."""
    assert P.decision(DecisionType.WARNING).letter_required
    assert LetterContent.BEHAVIOUR_CONCERN in P.letters.warning_contents
    assert LetterContent.CONSEQUENCES in P.letters.warning_contents


# ---------------------------------------------------------------------------------------------
# Active management (§22–25, §37)
# ---------------------------------------------------------------------------------------------


def test_a_team_leader_may_actively_manage_a_situation_once_a_warning_has_been_given():
    """000: §24 — 'a decision to actively manage a situation needs to be made by a
    Supervisor/Team Leader/Manager'."""
    verdict = may_decide(P, TEAM_LEADER, DecisionType.ACTIVE_MANAGEMENT, WARNED)
    assert verdict, verdict.reason
    assert verdict.clause == "000: §24"


@pytest.mark.parametrize("role", ["staff", "head_of_people", "corporate_communications", "records_officer"])
def test_staff_who_are_not_managers_cannot_actively_manage_a_situation(role):
    """000: §24 — the decision is for a Supervisor/Team Leader/Manager, to ensure consistency."""
    verdict = may_decide(P, [role], DecisionType.ACTIVE_MANAGEMENT, WARNED)
    assert not verdict
    assert "000: §24" in verdict.reason


def test_the_head_of_service_who_hears_appeals_does_not_make_the_first_decision():
    """000: §24 — restrictions are decided by a manager and appealed to the Head of Service; keeping
    the two apart keeps the appeal independent (a recorded choice)."""
    assert not may_decide(P, HEAD_OF_SERVICE, DecisionType.ACTIVE_MANAGEMENT, WARNED)
    assert any("Heads of Service" in c.topic for c in P.choices)


def test_a_team_leader_must_warn_before_restricting_contact():
    """000: §37 — contact methods are restricted where behaviour 'is repeated despite warnings'."""
    verdict = may_decide(P, TEAM_LEADER, DecisionType.ACTIVE_MANAGEMENT, CaseFacts())
    assert not verdict
    assert "warning" in _kinds(verdict)


@pytest.mark.parametrize("exemption", [WarningExemption.IMMEDIATE_THREAT, WarningExemption.STAFF_HARM])
def test_a_team_leader_may_restrict_without_a_warning_when_staff_would_be_in_danger(exemption):
    """000: §37, §29 — an individual instance at the higher end of abuse, or behaviour reaching the
    point of perceived harm, needs no earlier warning (recorded choice: immediate threat, staff harm)."""
    verdict = may_decide(P, TEAM_LEADER, DecisionType.ACTIVE_MANAGEMENT, CaseFacts(exemption=exemption))
    assert verdict, verdict.reason


def test_medical_advice_is_not_a_reason_this_policy_gives_for_skipping_a_warning():
    """000: §37 — the policy's only exception to 'repeated despite warnings' is the higher end of abuse."""
    facts = CaseFacts(exemption=WarningExemption.MEDICAL_ADVICE)
    assert not may_decide(P, TEAM_LEADER, DecisionType.ACTIVE_MANAGEMENT, facts)


def test_a_team_leader_restricting_contact_is_asked_to_consider_advocacy():
    """000: §8.2, §20, §23.3 — advocacy and professional support where the person is vulnerable."""
    verdict = may_decide(P, TEAM_LEADER, DecisionType.ACTIVE_MANAGEMENT, WARNED)
    assert "advocacy" in _kinds(verdict)


def test_restrictions_must_be_explained_to_the_customer_and_reviewed():
    """000: §13, §25 — decisions are explained clearly; restrictions are normally reviewed."""
    rule = P.decision(DecisionType.ACTIVE_MANAGEMENT)
    assert rule.letter_required
    assert rule.review_required


def test_no_one_needs_to_approve_a_team_leaders_decision_to_actively_manage():
    """000: §24 — the Supervisor/Team Leader/Manager decides; the check is the appeal, not an approval."""
    verdict = may_decide(P, TEAM_LEADER, DecisionType.ACTIVE_MANAGEMENT, WARNED)
    assert "approval" not in _kinds(verdict)
    assert P.decision(DecisionType.ACTIVE_MANAGEMENT).approved_by == []


# ---------------------------------------------------------------------------------------------
# Measures (§23, §40)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("measure", POLICY_23_MEASURES)
def test_a_team_leader_may_impose_each_measure_the_policy_lists(measure):
    """000: §23.1–23.5, §24 — restrictions by channel or named person, withholding staff details, a
    third party, an automated line, time and volume, decided by a Supervisor/Team Leader/Manager."""
    verdict = may_impose(P, TEAM_LEADER, measure)
    assert verdict, verdict.reason
    assert verdict.clause.startswith("000: §23")


@pytest.mark.parametrize("measure", POLICY_23_MEASURES)
def test_an_adviser_cannot_impose_a_restriction(measure):
    """000: §24 — restrictions are a Supervisor/Team Leader/Manager's decision."""
    assert not may_impose(P, ADVISER, measure)


def test_an_automated_line_is_for_phone_contact_that_blocks_others_or_is_abusive():
    """000: §23.4 — calls go to an automated service when they block others or are abusive."""
    assert "blocking others" in P.measure(MeasureType.AUTOMATED_LINE).note


# ---------------------------------------------------------------------------------------------
# Repeated use of the complaints process (§64)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["chief_executive", "depute_chief_executive"])
def test_only_the_chief_executive_or_depute_may_restrict_use_of_the_complaints_process(role):
    """000: §64 — 'Such decisions can only be made by the Chief Executive or Depute Chief Executive.'"""
    verdict = may_decide(P, [role], DecisionType.RESTRICT_COMPLAINTS_PROCESS)
    assert verdict, verdict.reason
    assert verdict.clause == "000: §64"


@pytest.mark.parametrize("role", NOT_EXECUTIVE)
def test_no_one_below_the_chief_executive_may_restrict_use_of_the_complaints_process(role):
    """000: §64 — not a manager, not the Head of Service, not HR."""
    verdict = may_decide(P, [role], DecisionType.RESTRICT_COMPLAINTS_PROCESS, WARNED)
    assert not verdict
    assert "000: §64" in verdict.reason


def test_restricting_the_complaints_process_is_reserved_to_the_executive():
    """000: §64 — an executive-only decision."""
    assert DecisionType.RESTRICT_COMPLAINTS_PROCESS in P.executive_only


# ---------------------------------------------------------------------------------------------
# Stopping all contact (§12)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", EVERYONE)
def test_no_one_may_stop_all_contact_with_a_customer(role):
    """000: §12 — 'We will remain in contact by phone, email, and, when appropriate, in-person';
    the policy gives no power to end all contact (a recorded choice)."""
    assert not may_decide(P, [role], DecisionType.STOP_ALL_CONTACT, WARNED)


def test_a_team_leader_cannot_leave_a_customer_with_no_way_to_reach_next_gen():
    """000: §12 — at least one line of contact remains; the policy names no one who may override."""
    assert not contact_line_check(P, TEAM_LEADER, ())
    assert not contact_line_check(P, CHIEF_EXECUTIVE, ())
    assert contact_line_check(P, TEAM_LEADER, [Channel.EMAIL])


# ---------------------------------------------------------------------------------------------
# Reviews (§25)
# ---------------------------------------------------------------------------------------------


def test_a_team_leader_may_review_a_restriction_they_may_impose():
    """000: §25 — restrictions are normally reviewed at appropriate intervals (reviewer: the deciding
    level, a recorded choice)."""
    assert may_decide(P, TEAM_LEADER, DecisionType.REVIEW, MANAGED)
    assert may_decide(P, CHIEF_EXECUTIVE, DecisionType.REVIEW, COMPLAINTS_RESTRICTED)


def test_there_is_nothing_to_review_until_a_restriction_is_in_place():
    """000: §25 — review is of restrictions."""
    verdict = may_decide(P, TEAM_LEADER, DecisionType.REVIEW, CaseFacts())
    assert not verdict
    assert "prior_decision" in _kinds(verdict)


def test_an_adviser_cannot_review_a_restriction():
    """000: §24–25 — review sits with the deciding level."""
    assert not may_decide(P, ADVISER, DecisionType.REVIEW, MANAGED)


def test_the_policy_sets_no_maximum_interval_before_a_review():
    """000: §25 — 'at appropriate intervals': no latest date, any date from the decision on."""
    decided = dt.date(2025, 5, 1)
    assert latest_review_date(P, decided) is None
    assert review_date_ok(P, decided, dt.date(2027, 5, 1))
    assert not review_date_ok(P, decided, dt.date(2025, 4, 30))


@pytest.mark.parametrize("category", ["violence", "physical_threat"])
def test_a_restriction_protecting_staff_from_violence_may_have_no_review(category):
    """000: §25 — 'We retain the discretion to not include a review ... (for example if it is to
    protect staff from violence).'"""
    assert review_may_be_omitted(P, [category])


@pytest.mark.parametrize("category", ["abuse", "harassment", "levels_of_contact", "repeated_complaints"])
def test_other_restrictions_must_carry_a_review(category):
    """000: §25 — restrictions are normally subject to review."""
    assert not review_may_be_omitted(P, [category])


def test_the_customer_is_told_the_outcome_of_every_review():
    """000: §13, §25 — decisions affecting the customer are explained; review timing is explained at
    the outset (always told: a recorded choice)."""
    assert P.reviews.customer_told is CustomerTold.ALWAYS
    assert LetterContent.REVIEW_DATE in P.letters.required_contents


def test_restrictions_are_reviewed_regularly_while_a_service_is_provided():
    """000: §25 — 'normally subject to review at appropriate intervals while we are providing a service'."""
    assert P.reviews.periodic.kind is PeriodicReview.REGULAR


def test_a_team_leader_may_lift_a_restriction_but_an_adviser_may_not():
    """000: §24–25 — lifting sits with the level that may impose (a recorded choice)."""
    assert may_decide(P, TEAM_LEADER, DecisionType.LIFT, MANAGED)
    assert not may_decide(P, ADVISER, DecisionType.LIFT, MANAGED)


# ---------------------------------------------------------------------------------------------
# Appeals (§24)
# ---------------------------------------------------------------------------------------------


def test_an_appeal_against_a_team_leaders_restriction_goes_to_the_head_of_service():
    """000: §24 — restrictions 'can be challenged by an appeal to the Executive Chief Officer/Head of
    Service/Strategic Lead of the relevant service'."""
    answer = appeal_route(P, decided_by="manager")
    assert answer.internal
    assert answer.heard_by == ("head_of_service",)
    assert answer.clause == "000: §24"
    assert answer.ombudsman.short_name == "SPSO"


def test_the_head_of_service_may_decide_an_appeal_against_a_restriction():
    """000: §24 — the Executive Chief Officer/Head of Service/Strategic Lead hears the appeal."""
    verdict = may_decide(P, HEAD_OF_SERVICE, DecisionType.APPEAL_DECISION, MANAGED)
    assert verdict, verdict.reason


@pytest.mark.parametrize("role", ["staff", "manager", "chief_executive", "head_of_people"])
def test_only_the_head_of_service_decides_an_appeal(role):
    """000: §24 — appeals are to the Executive Chief Officer/Head of Service/Strategic Lead."""
    assert not may_decide(P, [role], DecisionType.APPEAL_DECISION, MANAGED)


def test_an_appeal_needs_a_restriction_to_appeal_against():
    """000: §24 — 'All such restrictions ... can be challenged by an appeal'."""
    assert not may_decide(P, HEAD_OF_SERVICE, DecisionType.APPEAL_DECISION, CaseFacts())


def test_a_chief_executives_decision_on_complaints_has_no_internal_appeal_but_the_spso_remains():
    """000: §24, §64 — no one stands above the Chief Executive or Depute; the customer may go to the
    SPSO (a recorded choice)."""
    answer = appeal_route(
        P, decided_by="chief_executive", decider_capabilities=capabilities_of(P, CHIEF_EXECUTIVE)
    )
    assert not answer.internal
    assert answer.heard_by == ()
    assert answer.ombudsman.short_name == "SPSO"


def test_the_policy_sets_no_time_limit_for_an_appeal():
    """000: §24 — no window is stated, so no deadline and every appeal is in time (a recorded choice)."""
    assert P.appeals.window_working_days is None
    deadline = appeal_deadline(P, SCOTLAND, decided_on=dt.date(2025, 1, 6), posted_on=dt.date(2025, 1, 6))
    assert deadline is None
    assert appeal_in_time(P, SCOTLAND, deadline=deadline, appeal_received_on=dt.date(2026, 1, 6))


def test_the_customer_is_told_of_their_right_of_appeal():
    """000: §24 — restrictions can be challenged by appeal, so the letter says how."""
    assert LetterContent.APPEAL_RIGHTS in P.letters.required_contents


def test_an_appeal_is_heard_by_someone_other_than_the_decider():
    """000: §24 — the appeal goes to a more senior officer than the Supervisor/Team Leader/Manager."""
    assert P.appeals.decided_by_someone_else


# ---------------------------------------------------------------------------------------------
# Communicating decisions (§13, §71)
# ---------------------------------------------------------------------------------------------


def test_letters_explain_what_has_been_decided_and_why():
    """000: §71.3 — 'a clear statement which focuses on the interaction and explains what has been
    decided and why'."""
    assert LetterContent.REASONS in P.letters.required_contents
    assert LetterContent.ACTIONS in P.letters.required_contents


def test_a_copy_of_the_policy_is_not_required_with_every_letter():
    """000: §71.3 — 'We can provide ... a copy of this policy, but that will not be required in all
    situations.'"""
    assert not P.letters.enclose_policy


def test_a_record_is_kept_where_the_customer_cannot_be_told():
    """000: §13 — 'We will keep a record if it is not possible or appropriate to inform the customer.'"""
    assert [e.key for e in P.letters.notification_exemptions] == ["not_possible_or_appropriate"]


# ---------------------------------------------------------------------------------------------
# Police (§41–45, §84)
# ---------------------------------------------------------------------------------------------


def test_a_physical_threat_is_normally_reported_to_the_police():
    """000: §41 — 'When a physical threat is made, we will normally report it to the police.'"""
    assert police_reporting(P, ["physical_threat"]) == (PoliceReporting.NORMALLY, "000: §41–42")


def test_a_comment_that_may_be_a_hate_crime_is_considered_for_reporting():
    """000: §84 — a comment deemed potentially a hate crime should be reported, if agreed with staff."""
    assert police_reporting(P, ["abuse"]) == (PoliceReporting.CONSIDER, "000: §84")


def test_refusal_to_co_operate_is_not_a_police_matter():
    """000: §41–45 — police reporting concerns threats, not refusal to co-operate."""
    assert police_reporting(P, ["refusal_to_cooperate"])[0] is None


def test_the_adviser_who_was_threatened_cannot_decide_alone_not_to_tell_the_police():
    """000: §43 — 'the person who receives the threat ... should not make a decision to not inform
    the police alone.'"""
    verdict = may_decide_not_to_report(P, ADVISER, ["physical_threat"])
    assert not verdict
    assert "000: §43–45" in verdict.reason


def test_a_team_leader_may_decide_not_to_report_a_threat_and_must_record_the_staff_view():
    """000: §44 — the decision 'should be made by a manager who should clearly record the decision',
    taking into account the views of the staff member and witnesses."""
    verdict = may_decide_not_to_report(P, TEAM_LEADER, ["physical_threat"])
    assert verdict, verdict.reason
    assert P.police.staff_view_recorded


# ---------------------------------------------------------------------------------------------
# Sharing (§77)
# ---------------------------------------------------------------------------------------------


def test_service_centre_staff_are_told_of_a_phone_restriction():
    """000: §77.1 — where the behaviour relates to phone contact, staff employed in the Service Centre
    and on the publicly available numbers should be informed."""
    told = who_must_be_told(P, [Channel.PHONE])
    assert ("staff employed in the Service Centre", "000: §77.1") in told
    assert len(told) == 2


def test_people_monitoring_online_contact_are_told_of_an_email_restriction():
    """000: §77.2 — for emails, share with people who monitor online and other web contact."""
    assert who_must_be_told(P, [Channel.EMAIL]) == [
        ("people who monitor online and other web contact", "000: §77.2")
    ]


def test_nobody_beyond_the_minimum_is_told_of_a_letter_restriction():
    """000: §76–77 — share only what is needed; the minimum set covers phone and email."""
    assert who_must_be_told(P, [Channel.LETTER]) == []


# ---------------------------------------------------------------------------------------------
# The whole menu, as the manager-review screen shows it
# ---------------------------------------------------------------------------------------------


def test_a_team_leader_sees_every_decision_the_policy_provides():
    """000: §24, §37, §64, §66 — the screen lists each decision with this team leader's verdict."""
    options = {rule.type: verdict for rule, verdict in options_for(P, TEAM_LEADER, WARNED)}
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
    assert not options[DecisionType.RESTRICT_COMPLAINTS_PROCESS]
