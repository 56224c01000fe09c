"""The demo adds cases at every stage, under contrasting policies, and a second run adds nothing."""

from __future__ import annotations

import pytest

from engage.customers import demo as customers_demo
from engage.decisions import demo
from engage.decisions.models import Appeal, Case, Decision, Review
from engage.incidents import demo as incidents_demo


def _populate(organisation):
    customers_demo.populate(organisation)
    incidents_demo.populate(organisation)
    demo.populate(organisation)


@pytest.mark.parametrize("which", ["flintshire", "borders"])
def test_the_demo_has_cases_at_every_stage_and_runs_twice_safely(request, which):
    organisation = request.getfixturevalue(which).organisation
    _populate(organisation)
    decisions = Decision.objects.filter(organisation=organisation)
    assert Case.objects.filter(organisation=organisation).count() == 5
    assert decisions.filter(type="active_management", status="in_force").count() >= 2
    assert Appeal.objects.filter(organisation=organisation, status="awaiting_decision").exists()
    assert Review.objects.filter(decision__organisation=organisation, outcome="").exists()
    counts = (Case.objects.count(), Decision.objects.count(), Appeal.objects.count())
    _populate(organisation)
    assert (Case.objects.count(), Decision.objects.count(), Appeal.objects.count()) == counts


def test_flintshire_has_an_expired_one_day_restriction(flintshire):
    _populate(flintshire.organisation)
    short = Decision.objects.get(organisation=flintshire.organisation, type="short_restriction")
    assert (short.status, short.end_reason) == ("ended", "expired")


def test_scottish_borders_has_a_decision_waiting_for_the_groups_approval(borders):
    _populate(borders.organisation)
    waiting = Decision.objects.get(organisation=borders.organisation, status="awaiting_approval")
    assert waiting.approval_needed_by == ["complaints_review_group"]
