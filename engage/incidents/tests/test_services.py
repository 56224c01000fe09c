"""Incident services: each change is audited, refusals name the clause, nothing crosses organisations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from engage.audit.services import audit_source
from engage.audit.testing import expect_audit
from engage.incidents import selectors
from engage.incidents.models import Incident, Witness
from engage.incidents.services import (
    incident_review,
    incident_save_step,
    incident_start,
    incident_submit,
    police_decision_record,
    witness_account_add,
)
from engage.incidents.tests.helpers import draft, logged
from engage.organisations.services import organisation_create
from tests.personas import person

THREAT = {"categories": ["threats_of_violence"]}


# ---------------------------------------------------------------------------------------------
# Logging
# ---------------------------------------------------------------------------------------------


def test_ffion_starts_a_draft_with_a_reference_and_herself_as_affected(flintshire):
    with expect_audit("incident.start") as records:
        incident = incident_start(actor=flintshire.ffion)
    year = timezone.localdate().year
    assert incident.reference == f"INC-{year}-00001"
    assert incident.status == Incident.Status.DRAFT
    assert list(incident.staff_affected.all()) == [flintshire.ffion]
    assert records[0].organisation == flintshire.organisation


def test_references_count_up_within_each_organisation_separately(flintshire, highland):
    year = timezone.localdate().year
    first = incident_start(actor=flintshire.ffion)
    second = incident_start(actor=flintshire.dafydd)
    other = incident_start(actor=highland.eilidh)
    assert (first.reference, second.reference) == (f"INC-{year}-00001", f"INC-{year}-00002")
    assert other.reference == f"INC-{year}-00001"


def test_each_step_saves_only_its_own_answers_and_is_audited(flintshire):
    incident = incident_start(actor=flintshire.ffion)
    with expect_audit(("incident.save_step", incident)) as records:
        incident_save_step(
            actor=flintshire.ffion,
            incident=incident,
            step="where",
            data={"location": "Connah's Quay office", "service": "Council tax"},
        )
    incident.refresh_from_db()
    assert (incident.location, incident.service) == ("Connah's Quay office", "Council tax")
    assert records[0].detail == {"step": "where", "fields": ["location", "service"]}
    with pytest.raises(ValueError, match="does not save"):
        incident_save_step(actor=flintshire.ffion, incident=incident, step="where", data={"account": "x"})


def test_names_with_accents_and_apostrophes_are_kept_exactly(flintshire):
    incident = incident_start(actor=flintshire.ffion)
    words = "He said his name was Siôn Ó Dónaill-Ŵyn, then D'Arcy; Mòrag Nic a' Phearsain heard it."
    incident_save_step(actor=flintshire.ffion, incident=incident, step="account", data={"account": words})
    incident_save_step(
        actor=flintshire.ffion,
        incident=incident,
        step="person",
        data={"customer": None, "person_description": "Siôn Ó Dónaill-Ŵyn (D'Arcy)"},
    )
    incident.refresh_from_db()
    assert incident.account == words
    assert incident.person_description == "Siôn Ó Dónaill-Ŵyn (D'Arcy)"


def test_a_step_with_a_wrong_answer_saves_nothing_and_names_the_field(flintshire):
    incident = incident_start(actor=flintshire.ffion)
    tomorrow = timezone.now() + dt.timedelta(days=1)
    with expect_audit(), pytest.raises(ValidationError) as err:
        incident_save_step(
            actor=flintshire.ffion, incident=incident, step="when", data={"occurred_at": tomorrow}
        )
    assert err.value.message_dict == {"occurred_at": ["The date and time it happened must be in the past"]}
    incident.refresh_from_db()
    assert incident.occurred_at is None


def test_categories_must_come_from_the_organisations_own_policy(flintshire):
    incident = incident_start(actor=flintshire.ffion)
    with pytest.raises(ValidationError) as err:
        # "violence" is a Highland category (001 47), not one of Flintshire's.
        incident_save_step(
            actor=flintshire.ffion, incident=incident, step="categories", data={"categories": ["violence"]}
        )
    assert "categories" in err.value.message_dict


def test_ending_a_call_needs_an_answer_on_whether_a_warning_came_first(flintshire):
    # 004 "Terminating a telephone call": the caller is warned once before the call is ended.
    incident = incident_start(actor=flintshire.ffion)
    with pytest.raises(ValidationError) as err:
        incident_save_step(
            actor=flintshire.ffion,
            incident=incident,
            step="action",
            data={"immediate_actions": ["call_ended"], "warning_given_first": None},
        )
    assert "warning_given_first" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        incident_save_step(
            actor=flintshire.ffion,
            incident=incident,
            step="action",
            data={"immediate_actions": ["none", "call_ended"], "warning_given_first": True},
        )
    assert "not both" in err.value.message_dict["immediate_actions"][0]


def test_witnesses_work_for_the_same_organisation_and_are_not_the_reporter(flintshire, highland):
    incident = incident_start(actor=flintshire.ffion)
    with pytest.raises(ValidationError) as err:
        incident_save_step(
            actor=flintshire.ffion,
            incident=incident,
            step="staff",
            data={"staff_affected": [flintshire.ffion], "witnesses": [highland.eilidh]},
        )
    assert err.value.message_dict["witnesses"] == ["Every witness must work for Flintshire County Council"]
    with pytest.raises(ValidationError) as err:
        incident_save_step(
            actor=flintshire.ffion,
            incident=incident,
            step="staff",
            data={"staff_affected": [flintshire.ffion], "witnesses": [flintshire.ffion]},
        )
    assert "witnesses" in err.value.message_dict


def test_a_customer_of_another_organisation_cannot_be_linked(flintshire, highland):
    from engage.customers.services import NewIdentifier, customer_create

    with audit_source("test setup"):
        theirs = customer_create(
            actor=None,
            organisation=highland.organisation,
            full_name="Mòrag Nic a' Phearsain",
            identifiers=[NewIdentifier(kind="phone", raw="01463 702000")],
        )
    incident = incident_start(actor=flintshire.ffion)
    with expect_audit(), pytest.raises(ValidationError) as err:
        incident_save_step(
            actor=flintshire.ffion,
            incident=incident,
            step="person",
            data={"customer": theirs, "person_description": ""},
        )
    assert "customer" in err.value.message_dict


def test_only_the_reporter_changes_a_draft(flintshire, highland):
    incident = incident_start(actor=flintshire.ffion)
    for intruder in (flintshire.dafydd, highland.morag):
        with expect_audit(), pytest.raises(ValidationError):
            incident_save_step(
                actor=intruder, incident=incident, step="where", data={"location": "", "service": "x"}
            )
        with pytest.raises(ValidationError):
            incident_submit(actor=intruder, incident=incident)


def test_submitting_names_every_missing_answer(flintshire):
    incident = draft(flintshire.ffion, skip=("when", "account", "support"))
    with expect_audit(), pytest.raises(ValidationError) as err:
        incident_submit(actor=flintshire.ffion, incident=incident)
    assert set(err.value.message_dict) == {"occurred_at", "account", "support_wanted", "time_away_wanted"}
    assert Incident.objects.get(pk=incident.pk).status == Incident.Status.DRAFT


def test_submitting_sends_it_to_the_line_manager_and_invites_the_witnesses(flintshire):
    incident = draft(
        flintshire.ffion, staff={"staff_affected": [flintshire.ffion], "witnesses": [flintshire.rhodri]}
    )
    with expect_audit(("incident.submit", incident)) as records:
        incident_submit(actor=flintshire.ffion, incident=incident)
    incident.refresh_from_db()
    assert incident.status == Incident.Status.SUBMITTED
    assert incident.routed_to == flintshire.dafydd
    assert incident.policy_version is not None
    assert incident.policy_version.preset_key == "flintshire"
    assert records[0].detail == {
        "routed_to": flintshire.dafydd.pk,
        "witnesses_invited": [flintshire.rhodri.pk],
    }
    assert Witness.objects.get(incident=incident).invited_at is not None
    assert list(selectors.review_queue(flintshire.dafydd)) == [incident]
    with pytest.raises(ValidationError, match="can no longer be changed"):
        incident_save_step(
            actor=flintshire.ffion, incident=incident, step="where", data={"location": "", "service": "x"}
        )


def test_without_a_line_manager_it_still_reaches_the_senior_managers(flintshire):
    incident = logged(flintshire.rhodri)  # Rhodri has no line manager recorded
    assert incident.routed_to is None
    assert incident in selectors.review_queue(flintshire.sian)
    assert incident not in selectors.review_queue(flintshire.dafydd)


# ---------------------------------------------------------------------------------------------
# The health and safety portal (003 App.1, 9.2-9.3)
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def borders(db):
    with audit_source("test setup"):
        org = organisation_create(
            actor=None, name="Scottish Borders Council", slug="borders", preset_key="scottish_borders"
        )
    manager = person(org, "callum", "Callum Scott", "manager")
    employee = person(org, "iona", "Iona Turnbull", "employee", manager)
    return org, manager, employee


def test_physical_violence_cannot_be_submitted_without_its_lexi_reference(borders):
    # 003 9.2: "Any incidents of physical violence must be recorded in Lexi"; App.1: Category One.
    _org, _manager, iona = borders
    incident = draft(iona, categories={"categories": ["physical_violence"]})
    with pytest.raises(ValidationError) as err:
        incident_submit(actor=iona, incident=incident)
    assert err.value.message_dict["hs_portal_reference"] == [
        "Enter the Lexi reference: Incidents of category one: physical violence used must also be logged "
        "in Lexi (003: 9.2)."
    ]
    incident_save_step(
        actor=iona, incident=incident, step="portal", data={"hs_portal_reference": "LEXI-2291"}
    )
    assert incident_submit(actor=iona, incident=incident).status == Incident.Status.SUBMITTED


def test_demands_need_no_lexi_reference(borders):
    _org, _manager, iona = borders
    incident = draft(iona, categories={"categories": ["demands"]})
    assert incident_submit(actor=iona, incident=incident).hs_portal_reference == ""


# ---------------------------------------------------------------------------------------------
# Witnesses
# ---------------------------------------------------------------------------------------------


def test_a_witness_adds_their_own_account_once(flintshire):
    incident = logged(
        flintshire.ffion, staff={"staff_affected": [flintshire.ffion], "witnesses": [flintshire.rhodri]}
    )
    witness = Witness.objects.get(incident=incident)
    assert list(selectors.witness_invitations(flintshire.rhodri)) == [witness]
    with pytest.raises(ValidationError):
        witness_account_add(actor=flintshire.dafydd, witness=witness, account="I heard it too.")
    with expect_audit(("incident.witness_account_add", incident)):
        witness_account_add(
            actor=flintshire.rhodri, witness=witness, account="I heard the caller shouting at Ffion."
        )
    witness.refresh_from_db()
    assert witness.account == "I heard the caller shouting at Ffion."
    with pytest.raises(ValidationError, match="already added"):
        witness_account_add(actor=flintshire.rhodri, witness=witness, account="Something else.")
    assert list(selectors.witness_invitations(flintshire.rhodri)) == []


# ---------------------------------------------------------------------------------------------
# Review
# ---------------------------------------------------------------------------------------------


def test_dafydd_may_decide_a_warning_on_his_teams_incident(flintshire):
    # 004 "Considering when to manage contact": the Team Leader/Manager considers a warning.
    incident = logged(flintshire.ffion)
    with expect_audit(("incident.review", incident)) as records:
        review = incident_review(
            actor=flintshire.dafydd,
            incident=incident,
            outcome="warning",
            reason="First incident; shouting and swearing.",
        )
    assert review.outcome_label == "Warning (with a copy of this policy where necessary)"
    assert Incident.objects.get(pk=incident.pk).status == Incident.Status.REVIEWED
    assert records[0].detail["clause"] == "004: Considering when to manage contact"


def test_dafydd_may_decide_no_further_action_under_the_warning_clause(flintshire):
    incident = logged(flintshire.ffion)
    review = incident_review(
        actor=flintshire.dafydd, incident=incident, outcome="no_further_action", reason="Apologised."
    )
    assert review.outcome_label == "No further action"


def test_a_team_leader_cannot_refer_to_a_chief_officer_and_is_told_the_clause(flintshire):
    # 004 "Decision matrix": referral to a Chief Officer is the CCSM's.
    incident = logged(flintshire.ffion)
    with expect_audit(), pytest.raises(ValidationError) as err:
        incident_review(actor=flintshire.dafydd, incident=incident, outcome="referral", reason="Serious.")
    message = err.value.message_dict["outcome"][0]
    assert message.startswith("Only the CCSM")
    assert message.endswith("(004: Decision matrix).")


def test_the_reporter_cannot_review_her_own_incident_and_outsiders_cannot_either(flintshire, highland):
    incident = logged(flintshire.ffion)
    for someone in (flintshire.ffion, flintshire.gwen, highland.morag):
        with pytest.raises(ValidationError):
            incident_review(actor=someone, incident=incident, outcome="no_further_action", reason="x")


def test_a_reviewed_incident_is_not_reviewed_twice(flintshire):
    incident = logged(flintshire.ffion)
    incident_review(actor=flintshire.dafydd, incident=incident, outcome="warning", reason="x")
    with pytest.raises(ValidationError, match="already been reviewed"):
        incident_review(actor=flintshire.sian, incident=incident, outcome="no_further_action", reason="y")


def test_a_review_needs_reasons(flintshire):
    incident = logged(flintshire.ffion)
    with pytest.raises(ValidationError) as err:
        incident_review(actor=flintshire.dafydd, incident=incident, outcome="warning", reason="  ")
    assert "reason" in err.value.message_dict


# ---------------------------------------------------------------------------------------------
# Police (000/001 43-45, 002 7.14, 003 9.2 and 9.5-9.6, 004 threats of violence)
# ---------------------------------------------------------------------------------------------


def test_anyone_reviewing_may_record_that_it_was_reported_with_the_reference(flintshire):
    incident = logged(flintshire.ffion)
    with pytest.raises(ValidationError) as err:
        police_decision_record(actor=flintshire.dafydd, incident=incident, reported=True)
    assert err.value.message_dict == {"reference": ["Enter the police reference number"]}
    with expect_audit(("incident.police_decision", incident)):
        decision = police_decision_record(
            actor=flintshire.dafydd, incident=incident, reported=True, reference="NWP-24-1187"
        )
    assert decision.reference == "NWP-24-1187"
    assert Incident.objects.get(pk=incident.pk).status == Incident.Status.UNDER_REVIEW


def test_the_ccsm_records_a_decision_not_to_report_with_why_and_ffions_view(flintshire):
    # 004 names the CCSM for police decisions other than threats (preset choice; 004 "Aggressive,
    # abusive or offensive behaviour").
    incident = logged(flintshire.ffion)
    with expect_audit(("incident.police_decision", incident)) as records:
        decision = police_decision_record(
            actor=flintshire.sian,
            incident=incident,
            reported=False,
            reason_not_reported="Verbal abuse only; no threat was made.",
            staff_view="Ffion does not want it reported and is content with a warning.",
        )
    assert (decision.reported, decision.decided_by) == (False, flintshire.sian)
    assert decision.staff_view == "Ffion does not want it reported and is content with a warning."
    assert records[0].detail["reported"] is False


def test_a_decision_not_to_report_needs_the_reason_and_the_staff_view(flintshire):
    incident = logged(flintshire.ffion)
    with pytest.raises(ValidationError) as err:
        police_decision_record(actor=flintshire.sian, incident=incident, reported=False)
    assert set(err.value.message_dict) == {"reason_not_reported", "staff_view"}


def test_her_team_leader_records_a_decision_not_to_report_with_her_view(flintshire):
    """flintshire.toml police choice (004 silent beyond threats): the reviewing manager decides."""
    incident = logged(flintshire.ffion)
    with expect_audit("incident.police_decision"):
        police_decision_record(
            actor=flintshire.dafydd,
            incident=incident,
            reported=False,
            reason_not_reported="Verbal abuse only; no threat was made.",
            staff_view="Ffion does not want it reported.",
        )


def test_threats_of_violence_are_always_reported_so_no_one_may_decide_otherwise(flintshire):
    # 004 "Aggressive, abusive or offensive behaviour": threats "will be reported to the police".
    incident = logged(flintshire.ffion, categories=THREAT)
    for manager in (flintshire.dafydd, flintshire.sian):
        with expect_audit(), pytest.raises(ValidationError) as err:
            police_decision_record(
                actor=manager, incident=incident, reported=False, reason_not_reported="x", staff_view="y"
            )
        assert err.value.message_dict["reported"] == [
            "This policy says incidents like this are always reported to the police, so no one may decide not "
            "to report (004: Aggressive, abusive or offensive behaviour)."
        ]
    assert not incident.police_decisions.exists()


def test_once_reported_it_cannot_be_marked_not_reported(flintshire):
    incident = logged(flintshire.ffion)
    police_decision_record(actor=flintshire.sian, incident=incident, reported=True, reference="NWP-1")
    with pytest.raises(ValidationError, match="already been reported"):
        police_decision_record(
            actor=flintshire.sian, incident=incident, reported=False, reason_not_reported="x", staff_view="y"
        )


def test_a_highland_manager_decides_not_to_report_a_threat_but_not_one_made_to_herself(highland):
    # 001 43-44: not decided alone by the person threatened; a manager decides and records it.
    org = highland.organisation
    kirsty = person(org, "kirsty", "Kirsty Mhoireach", "manager")
    eilidh = highland.eilidh
    eilidh.line_manager = kirsty
    eilidh.save(update_fields=["line_manager"])
    incident = logged(eilidh, categories={"categories": ["physical_threat"]})
    decision = police_decision_record(
        actor=kirsty,
        incident=incident,
        reported=False,
        reason_not_reported="The threat was withdrawn at once and was clearly flippant.",
        staff_view="Eilidh agrees; she did not feel at risk.",
    )
    assert decision.reported is False

    threatened = logged(
        eilidh,
        categories={"categories": ["physical_threat"]},
        staff={"staff_affected": [eilidh, kirsty], "witnesses": []},
    )
    with pytest.raises(ValidationError) as err:
        police_decision_record(
            actor=kirsty, incident=threatened, reported=False, reason_not_reported="x", staff_view="y"
        )
    assert err.value.message_dict["reported"][0].endswith("(001: §43–45).")


def test_scottish_borders_physical_violence_is_always_reported(borders):
    # 003 9.2: "We will always report incidents, where physical violence is used, to the police."
    _org, callum, iona = borders
    incident = logged(
        iona, categories={"categories": ["physical_violence"]}, portal={"hs_portal_reference": "LEXI-1"}
    )
    with pytest.raises(ValidationError) as err:
        police_decision_record(
            actor=callum, incident=incident, reported=False, reason_not_reported="x", staff_view="y"
        )
    assert err.value.message_dict["reported"][0].endswith("(003: 9.2).")
    threatened = logged(
        iona, categories={"categories": ["threatened_violence"]}, portal={"hs_portal_reference": "LEXI-2"}
    )
    # 003 9.6: "The decision should be made with a manager who must clearly record the decision."
    assert (
        police_decision_record(
            actor=callum,
            incident=threatened,
            reported=False,
            reason_not_reported="Withdrawn at once.",
            staff_view="Agrees.",
        ).reported
        is False
    )


# ---------------------------------------------------------------------------------------------
# Who sees what
# ---------------------------------------------------------------------------------------------


def test_each_person_sees_only_the_incidents_they_need_to(flintshire, highland):
    submitted = logged(flintshire.ffion)
    own_draft = draft(flintshire.ffion)
    assert set(selectors.visible(flintshire.ffion)) == {submitted, own_draft}
    assert set(selectors.visible(flintshire.dafydd)) == {submitted}
    assert set(selectors.visible(flintshire.sian)) == {submitted}
    assert set(selectors.visible(flintshire.gwen)) == set()
    assert set(selectors.visible(highland.morag)) == set()
    assert set(selectors.visible(highland.eilidh)) == set()
