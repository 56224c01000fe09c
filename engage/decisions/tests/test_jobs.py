"""Scheduled work with a frozen clock: restrictions end on their end date, reminders go once a day,
the annual review opens itself, and every job can run twice without changing anything more."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from engage.audit.services import audit_source
from engage.audit.testing import expect_audit
from engage.decisions import jobs, selectors
from engage.decisions.models import Decision, PeriodicReview
from engage.decisions.services import case_open, decision_make
from engage.decisions.tasks import run_jobs
from engage.decisions.tests.stories import customer, incident
from tests.personas import make_flintshire

D = dt.date
LONDON = ZoneInfo("Europe/London")


def _at(day: dt.date, hour: int = 2) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=LONDON)


@pytest.fixture
def flintshire(db):
    """Flintshire as it was at the start of 2026, so its policy is in force on the days travelled to."""
    with time_machine.travel(_at(D(2026, 1, 5)), tick=False), audit_source("test setup"):
        return make_flintshire()


@pytest.fixture
def one_day(flintshire):
    """Dafydd restricted Bryn's phone contact on Tuesday 12 May 2026 for that day (004 Decision matrix)."""
    who = customer(flintshire.organisation, "Bryn Jenkins")
    call = incident(
        flintshire.organisation,
        who,
        flintshire.ffion,
        on=D(2026, 5, 11),
        categories=["aggressive_abusive"],
        actions=["call_ended"],
        warned=True,
    )
    with time_machine.travel(_at(D(2026, 5, 12), 9), tick=False):
        case = case_open(actor=flintshire.dafydd, customer=who)
        decision = decision_make(
            actor=flintshire.dafydd,
            case=case,
            type="short_restriction",
            reasons="Rang back and carried on swearing.",
            incidents=[call],
            why_not_less_restrictive="The warning on the call was ignored.",
            considerations="None known.",
            ends_on=D(2026, 5, 13),
        )
    return decision


def test_a_restriction_ending_today_stops_applying_and_running_twice_changes_nothing(one_day):
    customer_ = one_day.case.customer
    assert selectors.current_marker(customer_, D(2026, 5, 12)) == "No phone calls today."
    with time_machine.travel(_at(D(2026, 5, 13)), tick=False):
        # It has already stopped applying before any job runs: the date decides.
        assert selectors.current_marker(customer_) == ""
        with expect_audit(("decision.expire", one_day)) as records:
            ran = jobs.run_all()
        assert ran.expired == 1
        assert records[0].actor is None
        with expect_audit():
            again = jobs.run_all()
        assert again.expired == 0
    one_day.refresh_from_db()
    assert (one_day.status, one_day.end_reason, one_day.ended_on) == ("ended", "expired", D(2026, 5, 13))


def test_a_restriction_is_still_in_force_the_day_before_its_end(one_day):
    with time_machine.travel(_at(D(2026, 5, 12), 23), tick=False), expect_audit():
        assert jobs.run_all().expired == 0
    assert Decision.objects.get(pk=one_day.pk).status == "in_force"


def test_the_team_leader_is_reminded_once_a_day_of_sharing_not_done(one_day, flintshire):
    """004 "Terminating a telephone call": communicated at the earliest opportunity to all
    employees taking frontline calls; until it is recorded it is Dafydd's task."""
    with time_machine.travel(_at(D(2026, 5, 12), 18), tick=False):
        assert jobs.run_all().reminders == 1
        assert jobs.run_all().reminders == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dafydd@example.org"]
    assert (
        "Record who was told about the decision on Bryn Jenkins: All employees taking frontline calls"
        in message.body
    )


def test_the_annual_review_opens_a_month_before_the_financial_year_ends(flintshire):
    with time_machine.travel(_at(D(2026, 2, 27)), tick=False):
        assert jobs.run_all().periodic_opened == 0
    with time_machine.travel(_at(D(2026, 3, 2)), tick=False):
        with expect_audit("periodic_review.open"):
            assert jobs.run_all().periodic_opened == 1
        with expect_audit():
            assert jobs.run_all().periodic_opened == 0
    assert PeriodicReview.objects.get().due_on == D(2026, 3, 31)


def test_the_command_and_the_worker_task_run_the_same_jobs(one_day):
    with time_machine.travel(_at(D(2026, 5, 14)), tick=False):
        out = StringIO()
        call_command("run-jobs", stdout=out)
        assert "1 restriction(s) expired" in out.getvalue()
        assert (
            run_jobs.call()
            == "0 restriction(s) expired, 0 periodic review(s) opened, 0 reminder email(s) sent, "
            "0 old contact check(s) deleted, 0 old contact event(s) deleted"
        )


def test_the_command_can_catch_up_a_missed_day_and_queue_for_a_worker(one_day):
    out = StringIO()
    call_command("run_jobs", "--date", "2026-05-13", stdout=out)
    assert "1 restriction(s) expired" in out.getvalue()
    out = StringIO()
    call_command("run_jobs", "--enqueue", stdout=out)
    assert out.getvalue().startswith("Queued the jobs as task ")
