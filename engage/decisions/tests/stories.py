"""People and events for decision stories: the Scottish Borders council and its Complaints Review
Group, Flintshire's Chief Officer, and customers with incidents logged against them.

Customers and incidents are made directly (the customers and incidents apps have their own
services and tests); what matters here is what is decided on them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from engage.audit.services import audit_source
from engage.customers.models import Customer
from engage.incidents.models import Incident
from engage.organisations.models import Organisation
from engage.organisations.services import organisation_create
from engage.staff.models import Role, User
from engage.staff.services import staff_create
from tests.personas import PASSWORD, Flintshire

__all__ = ["PASSWORD", "Borders", "add_chief_officer", "customer", "incident", "make_borders"]


@dataclass
class Borders:
    """Scottish Borders (policy 003): Kirsty answers the phones; Callum is her manager; Mòrag a
    senior manager; Alasdair and Iona are Directors, Ruaridh the Chief Legal Officer and Fiona the
    SPSO Liaison Officer (together the Complaints Review Group); Hamish the Chief Executive."""

    organisation: Organisation
    kirsty: User
    callum: User
    morag: User
    alasdair: User
    iona: User
    ruaridh: User
    fiona: User
    hamish: User

    @property
    def crg(self) -> list[User]:
        return [self.alasdair, self.iona, self.ruaridh, self.fiona]


def person(org: Organisation, username: str, name: str, role_key: str, manager: User | None = None) -> User:
    first, _, last = name.partition(" ")
    return staff_create(
        actor=None,
        organisation=org,
        username=username,
        first_name=first,
        last_name=last,
        email=f"{username}@example.org",
        roles=[Role.objects.get(organisation=org, key=role_key)],
        password=PASSWORD,
        line_manager=manager,
    )


def make_borders() -> Borders:
    with audit_source("test setup"):
        org = organisation_create(
            actor=None,
            name="Scottish Borders Council",
            slug="scottish-borders",
            preset_key="scottish_borders",
        )
        hamish = person(org, "hamish", "Hamish Laidlaw", "chief_executive")
        alasdair = person(org, "alasdair", "Alasdair Dùghlas", "director", hamish)
        iona = person(org, "iona", "Iona Turnbull", "director", hamish)
        ruaridh = person(org, "ruaridh", "Ruaridh Kerr", "chief_legal_officer", hamish)
        fiona = person(org, "fiona", "Fiona Pringle", "spso_liaison_officer", hamish)
        morag = person(org, "morag-sbc", "Mòrag MacLeòid", "senior_manager", alasdair)
        callum = person(org, "callum", "Callum Scott", "manager", morag)
        kirsty = person(org, "kirsty", "Kirsty Elliot", "employee", callum)
    return Borders(org, kirsty, callum, morag, alasdair, iona, ruaridh, fiona, hamish)


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
