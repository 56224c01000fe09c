"""Events for decision stories: Flintshire's Chief Officer, and customers with incidents logged
against them. The people (Scottish Borders among them) are in tests/personas.py.

Customers and incidents are made directly (the customers and incidents apps have their own
services and tests); what matters here is what is decided on them.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from engage.audit.services import audit_source
from engage.customers.models import Customer
from engage.incidents.models import Incident
from engage.organisations.models import Organisation
from engage.staff.models import User
from tests.personas import Flintshire, person

__all__ = ["add_chief_officer", "customer", "incident"]


def add_chief_officer(flintshire: Flintshire) -> User:
    """Carys, a Chief Officer in Flintshire: advises the CCSM on referrals (004 Appendix 1)."""
    with audit_source("test setup"):
        return person(flintshire.organisation, "carys", "Carys O'Neill", "chief_officer")


_counter = {"customer": 0, "incident": 0}


def customer(org: Organisation, name: str) -> Customer:
    _counter["customer"] += 1
    return Customer.objects.create(
        organisation=org, reference=f"C-{_counter['customer']:06d}", full_name=name
    )


def incident(
    org: Organisation,
    who: Customer,
    reporter: User,
    *,
    on: dt.date,
    categories: list[str],
    actions: list[str] = (),  # type: ignore[assignment]
    warned: bool | None = None,
    channel: str = "phone",
    account: str = "The caller shouted and swore after being asked to stop.",
) -> Incident:
    _counter["incident"] += 1
    occurred = timezone.make_aware(dt.datetime.combine(on, dt.time(10, 30)))
    return Incident.objects.create(
        organisation=org,
        reference=f"INC-{_counter['incident']:05d}",
        status=Incident.Status.SUBMITTED,
        reporter=reporter,
        occurred_at=occurred,
        submitted_at=occurred,
        channel=channel,
        account=account,
        categories=list(categories),
        customer=who,
        immediate_actions=list(actions),
        warning_given_first=warned,
        routed_to=reporter.line_manager,
    )
