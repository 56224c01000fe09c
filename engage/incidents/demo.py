"""Demo incidents for `engage demo`: a few synthetic incidents per organisation, logged through the services.

Idempotent: a scenario already present (same reporter and account) is not logged again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from engage.customers.models import Customer
from engage.incidents import rules
from engage.incidents.models import Incident
from engage.incidents.services import (
    incident_review,
    incident_save_step,
    incident_start,
    incident_submit,
    police_decision_record,
)
from engage.organisations.models import Organisation
from engage.policy.services import current_policy
from engage.policy.vocabulary import Capability, DecisionType
from engage.staff.models import User


@dataclass(frozen=True)
class _Scenario:
    days_ago: int
    hour: int
    service: str
    location: str
    channel: str
    person: str
    account: str
    zero_tolerance: bool
    actions: tuple[str, ...]
    warned: bool | None
    support: bool
    submit: bool = True
    review: bool = False
    police_reference: str = ""
    link_customer: bool = False


_SCENARIOS = (
    _Scenario(
        days_ago=3,
        hour=10,
        service="Council tax",
        location="",
        channel="phone",
        person="Caller gave the name Mr D'Arcy; number withheld",
        account=(
            "The caller asked why his bill had gone up. When I began to explain he shouted over me and swore "
            "repeatedly, calling me 'useless'. I told him once that I would end the call if he kept swearing. "
            "He carried on, so I told him I was ending the call and did so."
        ),
        zero_tolerance=False,
        actions=("call_ended",),
        warned=True,
        support=True,
        link_customer=True,
    ),
    _Scenario(
        days_ago=8,
        hour=15,
        service="Housing repairs",
        location="",
        channel="email",
        person="Sender signed the email Siôn Ó Dónaill-Ŵyn",
        account=(
            "An email to the repairs inbox said: 'If nobody fixes my boiler by Friday I will come down there "
            "and make you sorry.' It named the repairs officer. I did not reply and passed it to my manager."
        ),
        zero_tolerance=True,
        actions=("stopped_reading",),
        warned=None,
        support=False,
        police_reference="DEMO-POL-0001",
    ),
    _Scenario(
        days_ago=15,
        hour=11,
        service="Customer services",
        location="Reception, main council offices",
        channel="in_person",
        person="A man in his forties who gave his first name as Rory",
        account=(
            "The customer leaned over the counter and raised his voice about a parking fine. I asked him "
            "twice to lower his voice. He called me a liar. I ended the conversation and asked him to leave, "
            "which he did."
        ),
        zero_tolerance=False,
        actions=("meeting_ended", "left_building"),
        warned=True,
        support=False,
        review=True,
    ),
    _Scenario(
        days_ago=0,
        hour=9,
        service="Planning",
        location="",
        channel="social_media",
        person="",
        account="A post on the council's page this morning named a planning officer and",
        zero_tolerance=False,
        actions=(),
        warned=None,
        support=False,
        submit=False,
    ),
)


def populate(organisation: Organisation) -> None:
    reporter = _frontline(organisation)
    if reporter is None or reporter.line_manager is None:
        return
    preset = current_policy(organisation).preset
    ordinary = next((c.key for c in preset.categories if not c.zero_tolerance), preset.categories[0].key)
    zero = next((c.key for c in preset.categories if c.zero_tolerance), ordinary)
    for scenario in _SCENARIOS:
        if Incident.objects.filter(
            organisation=organisation, reporter=reporter, account=scenario.account
        ).exists():
            continue
        _log(reporter, preset, scenario, zero if scenario.zero_tolerance else ordinary)


def _frontline(organisation: Organisation) -> User | None:
    staff = User.objects.filter(organisation=organisation, is_active=True, line_manager__isnull=False)
    return next((u for u in staff.order_by("pk") if u.can(Capability.FRONTLINE)), None)


def _customer(reporter: User, scenario: _Scenario) -> Customer | None:
    # The customers demo runs first; the first call is about one of its customers, where there are any.
    if not scenario.link_customer:
        return None
    customers = Customer.objects.filter(organisation=reporter.organisation_id, merged_into__isnull=True)
    return customers.order_by("reference").first()


def _log(reporter: User, preset: Any, scenario: _Scenario, category: str) -> None:
    incident = incident_start(actor=reporter)
    local = timezone.localtime() - dt.timedelta(days=scenario.days_ago)
    occurred = local.replace(hour=scenario.hour, minute=20, second=0, microsecond=0)
    steps: dict[str, dict[str, Any]] = {
        "when": {"occurred_at": min(occurred, timezone.now())},
        "where": {"location": scenario.location, "service": scenario.service},
        "channel": {"channel": scenario.channel},
        "account": {"account": scenario.account},
    }
    if scenario.submit:
        steps |= {
            "person": {"customer": _customer(reporter, scenario), "person_description": scenario.person},
            "categories": {"categories": [category]},
            "action": {"immediate_actions": list(scenario.actions), "warning_given_first": scenario.warned},
            "recording": {"recording_said": False},
            "named": {"staff_named_publicly": scenario.channel == "email"},
            "support": {"support_wanted": scenario.support, "time_away_wanted": False},
        }
        portal = rules.health_and_safety_portal(preset, [category])
        if portal.required:
            steps["portal"] = {"hs_portal_reference": f"{portal.portal[:4].upper()}-DEMO-{incident.pk:04d}"}
    for step, data in steps.items():
        incident_save_step(actor=reporter, incident=incident, step=step, data=data)
    if not scenario.submit:
        return
    incident_submit(actor=reporter, incident=incident)
    manager = reporter.line_manager
    assert manager is not None
    if scenario.police_reference:
        police_decision_record(
            actor=manager, incident=incident, reported=True, reference=scenario.police_reference
        )
    if scenario.review:
        options = rules.review_options(
            preset, manager.role_keys, rules.case_facts(incident.categories, incident.immediate_actions)
        )
        allowed = [o.decision for o in options if o.verdict.allowed]
        outcome = next(
            (d for d in (DecisionType.WARNING, DecisionType.NO_FURTHER_ACTION) if d in allowed), None
        )
        if outcome is not None:
            incident_review(
                actor=manager,
                incident=incident,
                outcome=outcome,
                reason="Raised voice and an accusation at the counter; first incident from this customer.",
            )
