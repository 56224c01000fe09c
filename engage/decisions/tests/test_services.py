"""Deciding on cases, told as stories: every service is audited, every guard refuses with its clause.

Flintshire (004) and Scottish Borders (003) are the two policies the issue contrasts: a team leader
restricting calls for a day and a CCSM formally managing contact, against a manager's restorative
letter and the Complaints Review Group's active management.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from engage.audit.testing import expect_audit
from engage.decisions import selectors
from engage.decisions.models import Appeal, Decision, Measure, PeriodicReview, Review, SharingRecord
from engage.decisions.services import (
    MeasureInput,
    appeal_decide,
    appeal_receive,
    case_open,
    decision_approve,
    decision_lift,
    decision_make,
    decision_propose,
    periodic_item_check,
    periodic_review_open,
    periodic_review_signoff,
    referral_advice_record,
    review_record,
    sharing_record,
)
from engage.decisions.tests.stories import add_chief_officer, customer, incident
from engage.staff.models import Role
from tests.personas import person

D = dt.date
MONDAY = D(2026, 3, 2)
TUESDAY = D(2026, 3, 3)
ABUSE = ["aggressive_abusive"]
PHONE_ONLY_CLOSED = "phone"


def _messages(err: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return err.value.message_dict


# ---------------------------------------------------------------------------------------------
# Flintshire: a call ended after one warning, then a day without phone contact
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def bryn(flintshire):
    """Bryn Jenkins swore at Ffion on Monday; she warned him once and ended the call (004
    "Terminating a telephone call")."""
    who = customer(flintshire.organisation, "Bryn Jenkins")
    call = incident(
        flintshire.organisation,
        who,
        flintshire.ffion,
        on=MONDAY,
        categories=ABUSE,
        actions=["call_ended"],
        warned=True,
    )
    with expect_audit("case.open"):
        case = case_open(actor=flintshire.dafydd, customer=who)
    return case, call


def _one_day(flintshire, case, call, **extra):
    args = {
        "actor": flintshire.dafydd,
        "case": case,
        "type": "short_restriction",
        "reasons": "He rang back on Tuesday and carried on swearing.",
        "incidents": [call],
        "why_not_less_restrictive": "A warning was given on the call and ignored.",
        "considerations": "No needs recorded; other channels stay open.",
        "ends_on": TUESDAY + dt.timedelta(days=1),
        "today": TUESDAY,
    }
    args.update(extra)
    return decision_make(**args)


def test_opening_a_case_twice_gives_the_same_case(flintshire, bryn):
    case, _call = bryn
    with expect_audit():
        again = case_open(actor=flintshire.sian, customer=case.customer)
    assert again == case
    assert case.reference == "CASE-000001"


def test_dafydd_restricts_phone_contact_for_one_day_after_the_call_ffion_ended(flintshire, bryn):
    """004 Decision matrix: "Restrict contact for one day" by the Team Leader/Manager; 004
    "Terminating a telephone call": communicated to all employees taking frontline calls."""
    case, call = bryn
    with expect_audit("decision.make") as records:
        decision = _one_day(flintshire, case, call)
    assert decision.status == Decision.Status.IN_FORCE
    assert (decision.decided_as, decision.clause) == ("team_leader", "004: Decision matrix")
    assert decision.policy_version.preset_key == "flintshire"
    assert records[0].detail["measures"] == ["allowed_channels"]
    measure = decision.measures.get()
    assert measure.implied
    assert "phone" not in measure.params["channels"]
    assert selectors.current_marker(case.customer, TUESDAY) == "No phone calls today."
    assert selectors.current_marker(case.customer, TUESDAY + dt.timedelta(days=1)) == ""
    assert [(s.party, s.clause) for s in decision.sharing.all()] == [
        ("All employees taking frontline calls", "004: Terminating a telephone call")
    ]


def test_ffion_cannot_restrict_contact_herself(flintshire, bryn):
    case, call = bryn
    with expect_audit(), pytest.raises(ValidationError) as err:
        _one_day(flintshire, case, call, actor=flintshire.ffion)
    assert _messages(err)["type"] == [
        "Only the Team Leader/Manager or the CCSM (Customer Contact Service Manager or any other senior "
        "manager) may decide on a short restriction (004: Decision matrix)."
    ]


def test_a_one_day_restriction_needs_a_call_ended_first(flintshire):
    who = customer(flintshire.organisation, "Bryn Jenkins")
    email = incident(
        flintshire.organisation, who, flintshire.ffion, on=MONDAY, categories=ABUSE, channel="email"
    )
    case = case_open(actor=flintshire.dafydd, customer=who)
    with expect_audit(), pytest.raises(ValidationError) as err:
        _one_day(flintshire, case, email)
    assert "ending a call or meeting must already be on the case" in _messages(err)["type"][0].lower()


def test_a_one_day_restriction_cannot_last_two_days(flintshire, bryn):
    case, call = bryn
    with pytest.raises(ValidationError) as err:
        _one_day(flintshire, case, call, ends_on=TUESDAY + dt.timedelta(days=2))
    assert _messages(err)["ends_on"] == [
        "A short restriction lasts at most one day, so it must end by 4 March 2026 (004: Decision matrix)."
    ]


def test_a_restriction_must_rest_on_incidents_and_say_why_nothing_less_would_do(flintshire, bryn):
    """000/001 24, 003 7.8: supported by evidence; 002 6.2: least restrictive; 003 10.3: needs."""
    case, call = bryn
    with pytest.raises(ValidationError) as err:
        _one_day(flintshire, case, call, incidents=[])
    assert "incidents" in _messages(err)
    with pytest.raises(ValidationError) as err:
        _one_day(flintshire, case, call, why_not_less_restrictive=" ", considerations="")
    assert set(_messages(err)) == {"why_not_less_restrictive", "considerations"}


def test_an_incident_about_someone_else_cannot_be_evidence(flintshire, bryn):
    case, _call = bryn
    other = customer(flintshire.organisation, "Someone Else")
    theirs = incident(
        flintshire.organisation, other, flintshire.ffion, on=MONDAY, categories=ABUSE, actions=["call_ended"]
    )
    with pytest.raises(ValidationError) as err:
        _one_day(flintshire, case, theirs)
    assert "incidents" in _messages(err)


# ---------------------------------------------------------------------------------------------
# Flintshire: Siân's formal decision to manage contact
# ---------------------------------------------------------------------------------------------


def _formal(flintshire, case, call, **extra):
    args = {
        "actor": flintshire.sian,
        "case": case,
        "type": "active_management",
        "reasons": "Abusive calls continued after the warning and the one-day restriction.",
        "incidents": [call],
        "why_not_less_restrictive": "The one-day restriction did not change the behaviour.",
        "considerations": "Mr Jenkins has told us he is hard of hearing: calls stay possible, with time to talk.",
        "advocacy_offered": True,
        "warning_given_on": MONDAY,
        "ends_on": D(2026, 9, 3),
        "review_on": D(2026, 9, 1),
        "measures": [
            MeasureInput(
                "single_point_of_contact", {"officer": flintshire.sian.pk, "deputy": flintshire.dafydd.pk}
            ),
            MeasureInput(
                "call_times", {"days": ["tue"], "start": "10:00", "end": "12:00", "max_minutes": "20"}
            ),
        ],
        "today": D(2026, 3, 9),
    }
    args.update(extra)
    return decision_make(**args)


def test_sian_formally_manages_contact_with_a_named_officer_and_set_call_times(flintshire, bryn):
    """004 "Formal decision to manage contact": decided by the CCSM; a single point of contact and
    calls on set days and times; reviewed within six months (004 "Reviewing decisions")."""
    case, call = bryn
    with expect_audit("decision.make") as records:
        decision = _formal(flintshire, case, call)
    assert decision.status == Decision.Status.IN_FORCE
    assert decision.clause == "004: Formal decision to manage contact"
    assert records[0].detail["as"] == "ccsm"
    assert list(decision.incidents.all()) == [call]
    review = Review.objects.get(decision=decision)
    assert review.due_on == D(2026, 9, 1)
    spoc = decision.measures.get(type="single_point_of_contact")
    assert spoc.params["officer_name"] == "Siân Ellis-Jones"
    assert spoc.params["deputy_name"] == "Dafydd Roberts"
    assert selectors.current_marker(case.customer, D(2026, 3, 10)) == (
        "Phone calls only on Tuesdays, 10:00–12:00, at most 20 minutes a call; all contact with "
        "Siân Ellis-Jones (when away: Dafydd Roberts)."
    )
    assert [s.party for s in decision.sharing.all()] == ["All employees taking frontline calls"]


def test_dafydd_cannot_formally_manage_contact(flintshire, bryn):
    case, call = bryn
    with pytest.raises(ValidationError) as err:
        _formal(flintshire, case, call, actor=flintshire.dafydd)
    assert _messages(err)["type"][0].endswith(
        "may decide on active management (004: Formal decision to manage contact)."
    )


def test_formal_management_needs_the_warning_first_or_an_exemption_the_policy_accepts(flintshire, bryn):
    """004 "Considering when to manage contact": sufficiently serious, or a warning already given."""
    case, call = bryn
    with pytest.raises(ValidationError) as err:
        _formal(flintshire, case, call, warning_given_on=None)
    assert "none has been given or recorded as unnecessary" in _messages(err)["type"][0]
    with pytest.raises(ValidationError) as err:
        _formal(flintshire, case, call, warning_given_on=None, warning_exemption="medical_advice")
    assert "is not a reason this policy accepts" in _messages(err)["type"][0]
    decision = _formal(flintshire, case, call, warning_given_on=None, warning_exemption="immediate_threat")
    assert decision.warning_exemption == "immediate_threat"


def test_the_warning_recorded_must_be_one_on_the_case(flintshire, bryn):
    case, call = bryn
    with pytest.raises(ValidationError) as err:
        _formal(flintshire, case, call, warning_given_on=D(2026, 1, 5))
    assert _messages(err)["warning_given_on"] == [
        "No warning on this case was given on that date (known warnings: 2 March 2026)"
    ]


def test_whether_advocacy_was_offered_must_be_answered(flintshire, bryn):
    """004 "Considering when to manage contact": the CCSM should be mindful of independent advocacy."""
    case, call = bryn
    with pytest.raises(ValidationError) as err:
        _formal(flintshire, case, call, advocacy_offered=None)
    assert _messages(err)["advocacy_offered"] == [
        "Say whether independent advocacy was offered (004: Formal decision to manage contact)"
    ]


def test_a_review_date_beyond_six_months_is_refused(flintshire, bryn):
    """004 "Reviewing decisions": "no more than six months after the date the decision was taken"."""
    case, call = bryn
    with pytest.raises(ValidationError) as err:
        _formal(flintshire, case, call, review_on=D(2026, 9, 10))
    assert _messages(err)["review_on"] == [
        "The review must be no later than 9 September 2026, 6 months after the decision (004: Reviewing decisions)."
    ]


def test_flintshire_allows_no_restriction_without_a_review(flintshire, bryn):
    case, call = bryn
    with pytest.raises(ValidationError) as err:
        _formal(flintshire, case, call, review_on=None, no_review_reason="Violence")
    assert "must have a review date (004: Reviewing decisions)" in _messages(err)["review_on"][0]


def test_a_measure_never_outlives_its_decision(flintshire, bryn):
    case, call = bryn
    measures = [
        MeasureInput(
            "call_times", {"days": ["tue"], "start": "10:00", "end": "12:00"}, ends_on=D(2026, 10, 1)
        ),
    ]
    with pytest.raises(ValidationError) as err:
        _formal(flintshire, case, call, measures=measures)
    assert _messages(err)["call_times__ends_on"] == [
        "A measure cannot last beyond its decision, which ends on 3 September 2026."
    ]


def test_a_measure_the_policy_does_not_list_is_refused_with_its_clause(flintshire, bryn):
    case, call = bryn
    with pytest.raises(ValidationError) as err:
        _formal(flintshire, case, call, measures=[MeasureInput("premises_ban", {"all_premises": True})])
    assert _messages(err)["premises_ban"] == [
        "This policy does not provide for a ban from premises (Flintshire County Council, Managing Customer "
        "Contact Policy unversioned (published text))."
    ]


def test_measure_parameters_are_named_by_field(flintshire, bryn):
    case, call = bryn
    with pytest.raises(ValidationError) as err:
        _formal(
            flintshire, case, call, measures=[MeasureInput("call_times", {"days": ["tue"], "start": "10:00"})]
        )
    assert _messages(err)["call_times__end"] == ["Enter the time calls may end, like 10:00"]


def test_call_times_when_phones_are_closed_contradict_each_other(flintshire, bryn):
    case, call = bryn
    measures = [
        MeasureInput("allowed_channels", {"channels": ["email", "letter"]}),
        MeasureInput("call_times", {"days": ["tue"], "start": "10:00", "end": "12:00"}),
    ]
    with pytest.raises(ValidationError) as err:
        _formal(flintshire, case, call, measures=measures)
    assert "phone contact is not allowed at all" in _messages(err)["call_times"][0]


def test_the_ccsm_may_leave_no_line_of_contact_only_with_a_recorded_reason(flintshire, bryn):
    """004 "Formal decision to manage contact": "at least one line of contact will remain available"
    wherever possible; the CCSM decides otherwise (preset choice), with the reason recorded."""
    case, call = bryn
    _formal(flintshire, case, call, measures=[MeasureInput("allowed_channels", {"channels": ["email"]})])
    closing = [MeasureInput("allowed_channels", {"channels": ["letter"]})]
    with pytest.raises(ValidationError) as err:
        _formal(flintshire, case, call, measures=closing)
    assert _messages(err)["no_contact_line_reason"] == [
        "Enter why no line of contact is left (004: Formal decision to manage contact)"
    ]
    decision = _formal(flintshire, case, call, measures=closing, no_contact_line_reason="Police advice")
    assert decision.no_contact_line_reason == "Police advice"


def test_sian_refers_to_a_chief_officer_on_the_appendix_1_form_and_carys_advises(flintshire, bryn):
    """004 "Formal decision to manage contact": referrals to Chief Officers by the CCSM, who
    returns advice and recommendations to the CCSM (004 Appendix 1)."""
    case, call = bryn
    carys = add_chief_officer(flintshire)
    with expect_audit("decision.make"):
        referral = decision_make(
            actor=flintshire.sian,
            case=case,
            type="referral",
            reasons="Repeated abusive calls; staff upset.",
            incidents=[call],
            considerations="Hard of hearing: may need longer calls.",
            referral_to=carys,
            referral_contact_officer=flintshire.ffion,
            referral_action_to_date="Warned on the call on 2 March; calls restricted for a day.",
            today=D(2026, 3, 5),
        )
    assert (referral.referral_to, referral.referral_contact_officer) == (carys, flintshire.ffion)
    with expect_audit(), pytest.raises(ValidationError):
        referral_advice_record(actor=flintshire.dafydd, decision=referral, advice="Not mine to give")
    with expect_audit(("referral.advise", referral)):
        referral_advice_record(actor=carys, decision=referral, advice="Limit calls to Tuesday mornings.")
    assert referral.referral_advice_on is not None
    with pytest.raises(ValidationError) as err:
        decision_make(
            actor=flintshire.dafydd,
            case=case,
            type="referral",
            reasons="x",
            referral_to=carys,
            today=D(2026, 3, 5),
        )
    assert "may decide on a referral upwards (004: Decision matrix)" in _messages(err)["type"][0]


def test_dafydd_proposes_and_sian_decides_on_the_proposal(flintshire, bryn):
    case, call = bryn
    with expect_audit("decision.propose"):
        proposal = decision_propose(
            actor=flintshire.dafydd,
            case=case,
            type="active_management",
            reasons="Still abusive.",
            incidents=[call],
        )
    assert proposal.status == Decision.Status.PROPOSED
    assert selectors.current_marker(case.customer, D(2026, 3, 10)) == ""
    decision = _formal(flintshire, case, call, proposal=proposal)
    assert decision.pk == proposal.pk
    assert (decision.proposed_by, decision.decided_by) == (flintshire.dafydd, flintshire.sian)


# ---------------------------------------------------------------------------------------------
# Sharing
# ---------------------------------------------------------------------------------------------


def test_telling_the_frontline_is_recorded_once_with_its_date(flintshire, bryn):
    case, call = bryn
    decision = _one_day(flintshire, case, call)
    record = decision.sharing.get()
    with pytest.raises(ValidationError):
        sharing_record(
            actor=flintshire.dafydd, record=record, told_on=TUESDAY + dt.timedelta(days=1), today=TUESDAY
        )
    with expect_audit(("sharing.record", record)):
        sharing_record(
            actor=flintshire.dafydd, record=record, told_on=TUESDAY, note="Team brief", today=TUESDAY
        )
    assert SharingRecord.objects.get(pk=record.pk).told_by == flintshire.dafydd
    with expect_audit(), pytest.raises(ValidationError):
        sharing_record(actor=flintshire.dafydd, record=record, told_on=TUESDAY, today=TUESDAY)


# ---------------------------------------------------------------------------------------------
# Appeals (004 "Appealing a decision")
# ---------------------------------------------------------------------------------------------


def test_the_appeal_reaches_the_chief_officer_governance_in_time_and_she_upholds_it(flintshire, bryn):
    case, call = bryn
    decision = _formal(flintshire, case, call)
    with expect_audit("appeal.receive"):
        appeal = appeal_receive(
            actor=flintshire.sian,
            decision=decision,
            received_on=D(2026, 3, 30),
            grounds=["disproportionate"],
            about_restriction_only=True,
            today=D(2026, 3, 30),
        )
    # 20 working days in Wales from the decision on 9 March: Good Friday (3 April) and Easter
    # Monday (6 April) do not count.
    assert (appeal.deadline, appeal.in_time) == (D(2026, 4, 8), True)
    assert (appeal.internal, appeal.heard_by) == (True, ["chief_officer_governance"])
    assert appeal.status == Appeal.Status.AWAITING_DECISION
    with expect_audit(), pytest.raises(ValidationError) as err:
        appeal_decide(
            actor=flintshire.sian, appeal=appeal, outcome="overturned", reasons="x", today=D(2026, 4, 8)
        )
    assert "heard by the Chief Officer Governance (004: Appealing a decision)" in _messages(err)["outcome"][0]
    with expect_audit(("appeal.decide", appeal)):
        appeal_decide(
            actor=flintshire.gwen,
            appeal=appeal,
            outcome="upheld",
            reasons="Proportionate.",
            today=D(2026, 4, 8),
        )
    decision.refresh_from_db()
    assert decision.status == Decision.Status.IN_FORCE


def test_an_appeal_after_twenty_working_days_is_late_and_needs_a_reason_to_be_heard(flintshire, bryn):
    case, call = bryn
    decision = _formal(flintshire, case, call)
    appeal = appeal_receive(
        actor=flintshire.sian,
        decision=decision,
        received_on=D(2026, 4, 20),
        grounds=["wrongly_identified"],
        today=D(2026, 4, 20),
    )
    assert appeal.in_time is False
    with pytest.raises(ValidationError) as err:
        appeal_decide(
            actor=flintshire.gwen, appeal=appeal, outcome="upheld", reasons="x", today=D(2026, 4, 21)
        )
    assert "late_accepted_reason" in _messages(err)


def test_overturning_ends_the_restriction_and_its_marker(flintshire, bryn):
    case, call = bryn
    decision = _formal(flintshire, case, call)
    appeal = appeal_receive(
        actor=flintshire.sian,
        decision=decision,
        received_on=D(2026, 3, 12),
        grounds=["personal_circumstances"],
        today=D(2026, 3, 12),
    )
    appeal_decide(
        actor=flintshire.gwen,
        appeal=appeal,
        outcome="overturned",
        reasons="Hearing loss.",
        today=D(2026, 3, 16),
    )
    decision.refresh_from_db()
    assert (decision.status, decision.end_reason, decision.ends_on) == (
        "overturned",
        "overturned",
        D(2026, 3, 16),
    )
    assert selectors.current_marker(case.customer, D(2026, 3, 16)) == ""


def test_varying_on_appeal_stops_a_measure_and_keeps_the_rest(flintshire, bryn):
    case, call = bryn
    decision = _formal(flintshire, case, call)
    appeal = appeal_receive(
        actor=flintshire.sian,
        decision=decision,
        received_on=D(2026, 3, 12),
        grounds=["disproportionate"],
        today=D(2026, 3, 12),
    )
    keep = decision.measures.get(type="single_point_of_contact")
    with pytest.raises(ValidationError):
        appeal_decide(
            actor=flintshire.gwen,
            appeal=appeal,
            outcome="varied",
            reasons="x",
            keep_measures=[],
            today=D(2026, 3, 16),
        )
    appeal_decide(
        actor=flintshire.gwen,
        appeal=appeal,
        outcome="varied",
        reasons="Calls at any time.",
        keep_measures=[keep.pk],
        today=D(2026, 3, 16),
    )
    assert selectors.current_marker(case.customer, D(2026, 3, 17)) == (
        "All contact with Siân Ellis-Jones (when away: Dafydd Roberts)."
    )


def test_grounds_must_be_given_and_other_grounds_described(flintshire, bryn):
    """003 12.2 grounds; 12.1 only arguments about the restrictions."""
    case, call = bryn
    decision = _formal(flintshire, case, call)
    with pytest.raises(ValidationError) as err:
        appeal_receive(
            actor=flintshire.sian, decision=decision, received_on=D(2026, 3, 12), today=D(2026, 3, 12)
        )
    assert "grounds" in _messages(err)
    with pytest.raises(ValidationError) as err:
        appeal_receive(
            actor=flintshire.sian,
            decision=decision,
            received_on=D(2026, 3, 12),
            grounds=["other"],
            today=D(2026, 3, 12),
        )
    assert "grounds_detail" in _messages(err)


def test_a_warning_cannot_be_appealed(flintshire, bryn):
    case, call = bryn
    warning = decision_make(
        actor=flintshire.dafydd,
        case=case,
        type="warning",
        reasons="Swearing on the call.",
        incidents=[call],
        today=TUESDAY,
    )
    with pytest.raises(ValidationError):
        appeal_receive(
            actor=flintshire.sian, decision=warning, received_on=TUESDAY, grounds=["other"], today=TUESDAY
        )


# ---------------------------------------------------------------------------------------------
# Reviews (004 "Reviewing decisions") and the annual review (004 "Annual review")
# ---------------------------------------------------------------------------------------------


def test_sian_continues_the_restriction_and_the_customer_is_not_told_of_no_change(flintshire, bryn):
    case, call = bryn
    decision = _formal(flintshire, case, call)
    review = decision.reviews.get()
    with expect_audit(("review.record", review)):
        review_record(
            actor=flintshire.sian,
            review=review,
            outcome="continue",
            notes="Calls still abusive in August.",
            in_active_contact=True,
            next_review_on=D(2027, 2, 28),
            today=D(2026, 9, 1),
        )
    review.refresh_from_db()
    assert review.customer_told is False
    assert (
        review.customer_told_reason
        == "Nothing changed, so this policy does not tell the customer (004: Reviewing decisions)."
    )
    assert decision.reviews.filter(outcome="").get().due_on == D(2027, 2, 28)


def test_the_next_review_is_also_within_six_months(flintshire, bryn):
    case, call = bryn
    decision = _formal(flintshire, case, call)
    with pytest.raises(ValidationError) as err:
        review_record(
            actor=flintshire.sian,
            review=decision.reviews.get(),
            outcome="continue",
            notes="x",
            in_active_contact=True,
            next_review_on=D(2027, 3, 2),
            today=D(2026, 9, 1),
        )
    assert "no later than 1 March 2027" in _messages(err)["next_review_on"][0]


def test_only_the_ccsm_reviews(flintshire, bryn):
    case, call = bryn
    decision = _formal(flintshire, case, call)
    with pytest.raises(ValidationError) as err:
        review_record(
            actor=flintshire.dafydd,
            review=decision.reviews.get(),
            outcome="lift",
            notes="x",
            in_active_contact=True,
            today=D(2026, 9, 1),
        )
    assert _messages(err)["outcome"][0].endswith("may review this restriction (004: Reviewing decisions).")


def test_lifting_on_review_tells_a_customer_still_in_contact_and_ends_the_measures(flintshire, bryn):
    case, call = bryn
    decision = _formal(flintshire, case, call)
    review_record(
        actor=flintshire.sian,
        review=decision.reviews.get(),
        outcome="lift",
        notes="No incidents since April.",
        in_active_contact=True,
        today=D(2026, 9, 1),
    )
    decision.refresh_from_db()
    assert (decision.status, decision.end_reason) == ("ended", "lifted")
    assert decision.reviews.get().customer_told is True
    assert not selectors.active_measures(case.organisation_id, case.customer_id, D(2026, 9, 1))


def test_sian_lifts_a_restriction_outside_a_review_as_a_decision_of_its_own(flintshire, bryn):
    case, call = bryn
    decision = _formal(flintshire, case, call)
    with expect_audit(("decision.lift", decision)):
        lift = decision_lift(
            actor=flintshire.sian, decision=decision, reasons="Behaviour improved.", today=D(2026, 5, 1)
        )
    assert (lift.type, lift.lifts, lift.clause) == ("lift", decision, "004: Reviewing decisions")
    assert Measure.objects.filter(decision=decision, ends_on=D(2026, 5, 1)).count() == 2


def test_the_annual_review_checks_every_restriction_before_sian_signs_it_off(flintshire, bryn):
    case, call = bryn
    decision = _formal(flintshire, case, call)
    with expect_audit("periodic_review.open"):
        periodic = periodic_review_open(
            actor=flintshire.sian, organisation=flintshire.organisation, today=D(2026, 3, 20)
        )
    assert (periodic.label, periodic.due_on) == ("Financial year 2025 to 2026", D(2026, 3, 31))
    assert (
        periodic_review_open(actor=None, organisation=flintshire.organisation, today=D(2026, 3, 21))
        == periodic
    )
    with pytest.raises(ValidationError) as err:
        periodic_review_signoff(actor=flintshire.sian, periodic=periodic, summary="Done")
    assert "1 still to check" in _messages(err)["summary"][0]
    item = periodic.items.get()
    assert item.decision == decision
    with pytest.raises(ValidationError):
        periodic_item_check(actor=flintshire.dafydd, item=item, still_needed=True)
    with expect_audit("periodic_review.check"):
        periodic_item_check(
            actor=flintshire.sian, item=item, still_needed=True, note="Consistent with others."
        )
    with pytest.raises(ValidationError):
        periodic_review_signoff(actor=flintshire.dafydd, periodic=periodic, summary="Done")
    with expect_audit(("periodic_review.signoff", periodic)):
        periodic_review_signoff(
            actor=flintshire.sian, periodic=periodic, summary="One restriction, consistent."
        )
    assert PeriodicReview.objects.get().signed_off_by == flintshire.sian


# ---------------------------------------------------------------------------------------------
# Scottish Borders: a restorative letter, then the Complaints Review Group
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def alan(borders):
    """Alan Rutherford's emails to Kirsty became demanding and abusive (003 6.1, 6.2)."""
    who = customer(borders.organisation, "Alan Rutherford")
    first = incident(
        borders.organisation,
        who,
        borders.kirsty,
        on=MONDAY,
        categories=["demands"],
        channel="email",
        account="Twelve emails in a day demanding a named officer.",
    )
    case = case_open(actor=borders.callum, customer=who)
    return case, first


def _restorative(borders, case, first):
    return decision_make(
        actor=borders.callum,
        case=case,
        type="restorative_approach",
        reasons="Explain how to engage with us and ask for one email a week.",
        incidents=[first],
        today=MONDAY,
    )


def _crg(borders, case, evidence, members=None, **extra):
    args = {
        "actor": borders.alasdair,
        "case": case,
        "type": "active_management",
        "reasons": "Demands continued after the restorative letter.",
        "incidents": evidence,
        "why_not_less_restrictive": "The restorative letter did not change the engagement.",
        "considerations": "No needs known; letters and email stay open.",
        "warning_given_on": MONDAY,
        "ends_on": D(2026, 9, 1),
        "review_on": D(2026, 6, 1),
        "measures": [MeasureInput("allowed_channels", {"channels": ["email", "letter"]})],
        "as_group": "complaints_review_group",
        "members_present": members if members is not None else [borders.iona, borders.ruaridh, borders.fiona],
        "group_outcome": "Agreed unanimously.",
        "today": D(2026, 3, 16),
    }
    args.update(extra)
    return decision_make(**args)


def test_callum_approves_a_restorative_approach(borders, alan):
    """003 Guidance: "Manager approved restorative approach"; the letter is checked by the manager."""
    case, first = alan
    with expect_audit("decision.make"):
        decision = _restorative(borders, case, first)
    assert (decision.status, decision.decided_as) == ("in_force", "manager")
    assert decision.clause == "003: Guidance — Manager approved restorative approach"
    assert not decision.sharing.exists()  # asking for change restricts nothing


def test_the_complaints_review_group_decides_active_management_with_its_members_present(borders, alan):
    """003 Guidance: "Complaints Review Group approved active management"; the restorative letter
    counts as the opportunity to change (003 10.1)."""
    case, first = alan
    _restorative(borders, case, first)
    with expect_audit("decision.make"):
        decision = _crg(borders, case, [first])
    assert (decision.decided_as, decision.decided_by_group) == (
        "complaints_review_group",
        "complaints_review_group",
    )
    assert set(decision.members_present.all()) == {
        borders.alasdair,
        borders.iona,
        borders.ruaridh,
        borders.fiona,
    }
    assert decision.group_outcome == "Agreed unanimously."
    assert selectors.current_marker(case.customer, D(2026, 3, 17)) == "Contact only by email or letter."


def test_two_members_are_not_the_complaints_review_group(borders, alan):
    case, first = alan
    _restorative(borders, case, first)
    with pytest.raises(ValidationError) as err:
        _crg(borders, case, [first], members=[borders.iona])
    assert _messages(err)["members_present"] == [
        "At least 3 members of the Complaints Review Group must be present for it to decide "
        "(003: Guidance — Complaints Review Group approved active management)."
    ]


def test_only_members_can_sit_on_the_group(borders, alan):
    case, first = alan
    _restorative(borders, case, first)
    with pytest.raises(ValidationError) as err:
        _crg(borders, case, [first], members=[borders.iona, borders.ruaridh, borders.callum])
    assert "Only members of the Complaints Review Group" in _messages(err)["members_present"][0]
    with pytest.raises(ValidationError) as err:
        _crg(borders, case, [first], actor=borders.callum)
    assert (
        "do not hold a role that sits on the Complaints Review Group" in _messages(err)["members_present"][0]
    )


def test_an_appeal_against_the_group_goes_to_the_chief_executive(borders, alan):
    """003 12.3: "by the Chief Executive where the Complaints Review Group has made a decision"."""
    case, first = alan
    _restorative(borders, case, first)
    decision = _crg(borders, case, [first])
    appeal = appeal_receive(
        actor=borders.callum,
        decision=decision,
        received_on=D(2026, 4, 1),
        grounds=["disproportionate"],
        about_restriction_only=True,
        today=D(2026, 4, 1),
    )
    assert (appeal.heard_by, appeal.route_clause, appeal.deadline, appeal.in_time) == (
        ["chief_executive"],
        "003: 12.3",
        None,
        True,
    )
    with pytest.raises(ValidationError):
        appeal_decide(
            actor=borders.alasdair, appeal=appeal, outcome="overturned", reasons="x", today=D(2026, 4, 2)
        )
    appeal_decide(
        actor=borders.hamish,
        appeal=appeal,
        outcome="upheld",
        reasons="Email still open.",
        today=D(2026, 4, 2),
    )


def test_the_group_cannot_hear_an_appeal_against_a_decision_one_of_its_members_made(borders, alan):
    """003 12.3: a senior manager's decision is appealed to the CRG; never to whoever made it."""
    case, first = alan
    _restorative(borders, case, first)
    iona_roles = [
        Role.objects.get(organisation=borders.organisation, key=k) for k in ("director", "senior_manager")
    ]
    borders.iona.roles.set(iona_roles)
    borders.iona.__dict__.pop("_capabilities", None)
    decision = _crg(
        borders, case, [first], actor=borders.iona, as_group="", members_present=[], group_outcome=""
    )
    assert decision.decided_as == "senior_manager"
    appeal = appeal_receive(
        actor=borders.callum,
        decision=decision,
        received_on=D(2026, 4, 1),
        grounds=["disproportionate"],
        today=D(2026, 4, 1),
    )
    assert appeal.heard_by == ["complaints_review_group"]
    with pytest.raises(ValidationError) as err:
        appeal_decide(
            actor=borders.alasdair,
            appeal=appeal,
            outcome="upheld",
            reasons="x",
            as_group="complaints_review_group",
            members_present=[borders.iona, borders.ruaridh],
            today=D(2026, 4, 2),
        )
    assert _messages(err)["outcome"] == [
        "An appeal must be decided by someone other than whoever made the decision (003: 12.3)."
    ]
    appeal_decide(
        actor=borders.alasdair,
        appeal=appeal,
        outcome="upheld",
        reasons="Proportionate.",
        as_group="complaints_review_group",
        members_present=[borders.fiona, borders.ruaridh],
        today=D(2026, 4, 2),
    )


def test_a_violent_customer_is_offered_no_internal_appeal_and_the_spso_is_signposted(borders):
    """003 App.1: for Category One "the appeals routes in this policy do not apply"; 12.6: the
    customer is told they can raise the matter with the SPSO; 7.9: no review, reason recorded."""
    who = customer(borders.organisation, "Grant Tait")
    attack = incident(
        borders.organisation,
        who,
        borders.kirsty,
        on=MONDAY,
        categories=["physical_violence"],
        channel="in_person",
        account="Pushed Kirsty at the front desk.",
    )
    case = case_open(actor=borders.callum, customer=who)
    decision = decision_make(
        actor=borders.alasdair,
        case=case,
        type="active_management",
        reasons="Physical violence against staff at the front desk.",
        incidents=[attack],
        why_not_less_restrictive="Staff safety: contact in person cannot continue.",
        considerations="Letters stay open; an advocate may call for him.",
        warning_exemption="immediate_threat",
        physical_threat=True,
        no_review_reason="To protect staff from violence.",
        measures=[MeasureInput("allowed_channels", {"channels": ["letter"]})],
        as_group="complaints_review_group",
        members_present=[borders.iona, borders.ruaridh],
        group_outcome="Agreed.",
        today=MONDAY,
    )
    assert decision.review_on is None
    assert decision.no_review_reason == "To protect staff from violence."
    parties = [s.party for s in decision.sharing.all()]
    assert "Lexi (Health and Safety Portal)" in parties
    with expect_audit("appeal.receive"):
        appeal = appeal_receive(
            actor=borders.callum, decision=decision, received_on=D(2026, 3, 9), today=D(2026, 3, 9)
        )
    assert (appeal.status, appeal.internal, appeal.ombudsman_name) == (
        "signposted",
        False,
        "Scottish Public Services Ombudsman",
    )
    assert appeal.route_clause == "003: App.1"
    with pytest.raises(ValidationError):
        appeal_decide(actor=borders.hamish, appeal=appeal, outcome="upheld", reasons="x", today=D(2026, 3, 9))


def test_a_senior_managers_premises_ban_waits_for_the_groups_approval(borders):
    """003 10.2: not all approaches are suitable for managers without the CRG's approval (preset
    choice: a premises ban needs it)."""
    who = customer(borders.organisation, "Grant Tait")
    attack = incident(
        borders.organisation,
        who,
        borders.kirsty,
        on=MONDAY,
        categories=["threatened_violence"],
        channel="in_person",
    )
    case = case_open(actor=borders.callum, customer=who)
    decision = decision_make(
        actor=borders.morag,
        case=case,
        type="active_management",
        reasons="Threatened staff at Galashiels library.",
        incidents=[attack],
        why_not_less_restrictive="Threats in person; other channels stay open.",
        considerations="None known.",
        warning_exemption="staff_harm",
        review_on=D(2026, 6, 1),
        measures=[MeasureInput("premises_ban", {"premises": "Galashiels library"})],
        today=MONDAY,
    )
    assert (decision.status, decision.approval_needed_by) == (
        "awaiting_approval",
        ["complaints_review_group"],
    )
    assert selectors.current_marker(who, MONDAY) == ""
    assert not decision.sharing.exists()
    with pytest.raises(ValidationError) as err:
        decision_approve(actor=borders.callum, decision=decision, approve=True)
    assert "Only the Complaints Review Group may approve this decision" in _messages(err)["approve"][0]
    with expect_audit(("decision.approve", decision)):
        decision_approve(
            actor=borders.iona,
            decision=decision,
            approve=True,
            as_group="complaints_review_group",
            members_present=[borders.ruaridh, borders.fiona],
        )
    assert selectors.current_marker(who, MONDAY) == "Not allowed into Galashiels library."
    assert decision.reviews.get().due_on == D(2026, 6, 1)


def test_refusing_approval_needs_a_reason_and_leaves_no_measure(borders):
    who = customer(borders.organisation, "Grant Tait")
    attack = incident(
        borders.organisation,
        who,
        borders.kirsty,
        on=MONDAY,
        categories=["threatened_violence"],
        channel="in_person",
    )
    case = case_open(actor=borders.callum, customer=who)
    decision = decision_make(
        actor=borders.morag,
        case=case,
        type="active_management",
        reasons="Threats.",
        incidents=[attack],
        why_not_less_restrictive="x",
        considerations="y",
        warning_exemption="staff_harm",
        review_on=D(2026, 6, 1),
        measures=[MeasureInput("premises_ban", {"all_premises": True})],
        today=MONDAY,
    )
    crg = {"as_group": "complaints_review_group", "members_present": [borders.ruaridh, borders.fiona]}
    with pytest.raises(ValidationError):
        decision_approve(actor=borders.iona, decision=decision, approve=False, **crg)
    with expect_audit("decision.refuse"):
        decision_approve(
            actor=borders.iona,
            decision=decision,
            approve=False,
            note="A ban from one building will do.",
            **crg,
        )
    assert decision.status == "refused"
    assert selectors.current_marker(who, MONDAY) == ""


def test_a_senior_manager_cannot_leave_no_line_of_contact(borders, alan):
    """003 11.3 (preset choice): only the Complaints Review Group may stop all contact."""
    case, first = alan
    _restorative(borders, case, first)
    _crg(borders, case, [first])
    with pytest.raises(ValidationError) as err:
        _crg(
            borders,
            case,
            [first],
            actor=borders.morag,
            as_group="",
            members_present=[],
            group_outcome="",
            measures=[MeasureInput("allowed_channels", {"channels": ["phone"]})],
        )
    assert _messages(err)["measures"] == [
        "At least one line of contact must remain unless the Complaints Review Group decides otherwise (003: 11.3)."
    ]


# ---------------------------------------------------------------------------------------------
# Access
# ---------------------------------------------------------------------------------------------


def test_nobody_acts_on_another_organisations_case(flintshire, highland, bryn):
    case, call = bryn
    with pytest.raises(ValidationError):
        case_open(actor=highland.eilidh, customer=case.customer)
    with pytest.raises(ValidationError):
        _one_day(flintshire, case, call, actor=highland.eilidh)


def test_restricting_use_of_the_complaints_process_is_for_the_executive_only(highland):
    """001 §64: only the Chief Executive or Depute may decide it."""
    manager = person(highland.organisation, "donnchadh", "Donnchadh Rothach", "manager")
    who = customer(highland.organisation, "A Complainant")
    complaint = incident(
        highland.organisation, who, highland.eilidh, on=MONDAY, categories=["abuse"], channel="email"
    )
    case = case_open(actor=manager, customer=who)
    with pytest.raises(ValidationError) as err:
        decision_make(
            actor=manager,
            case=case,
            type="restrict_complaints_process",
            reasons="x",
            incidents=[complaint],
            why_not_less_restrictive="x",
            considerations="y",
            today=MONDAY,
        )
    assert "(001: §64)" in _messages(err)["type"][0]


def test_a_restriction_follows_the_person_when_their_records_are_merged(flintshire, bryn):
    """A duplicate record must not become a way round a restriction: merged into another record,
    the one-day restriction applies to the kept record at once, and the case moves with it."""
    from engage.customers.services import customer_merge

    case, call = bryn
    _one_day(flintshire, case, call)
    duplicate = case.customer
    kept = customer(flintshire.organisation, "Bryn Jones")
    with expect_audit("incident.follow_merge", "case.follow_merge", "customer.merge"):
        customer_merge(actor=flintshire.sian, keep=kept, merge=duplicate)
    assert selectors.current_marker(kept, TUESDAY) == "No phone calls today."
    assert selectors.active_measures(flintshire.organisation.pk, kept.pk, TUESDAY)
    assert not selectors.active_measures(flintshire.organisation.pk, duplicate.pk, TUESDAY)
    case.refresh_from_db()
    assert case.customer == kept
    call.refresh_from_db()
    assert call.customer == kept
