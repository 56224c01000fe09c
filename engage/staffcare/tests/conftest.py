"""Staff care people beyond the shared personas, and a customer for them to be kept away from.

Flintshire adds Llŷr, another call handler on Dafydd's team (who must not see Ffion's
requests), and Carys, a senior manager outside Ffion's line of management. Highland adds Iain,
Eilidh's line manager; Isla, Head of People; and Kenna in Corporate Communications (001 §78a).
Files go to a temporary folder.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from engage.audit.services import audit_source
from engage.customers.models import Customer
from engage.customers.tests.factories import CustomerFactory
from engage.staff.models import User
from engage.staff.services import staff_change_roles
from tests.personas import person


@pytest.fixture
def _files_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


@dataclass
class FlintshireCare:
    llyr: User
    carys: User
    customer: Customer
    other_customer: Customer


@pytest.fixture
def care(flintshire, _files_in_tmp) -> FlintshireCare:
    org = flintshire.organisation
    llyr = person(org, "llyr", "Llŷr Owen", "employee", flintshire.dafydd)
    carys = person(org, "carys", "Carys O'Neill", "ccsm")
    return FlintshireCare(
        llyr=llyr,
        carys=carys,
        customer=CustomerFactory(organisation=org, full_name="Gareth Price", phone="01352 702345"),
        other_customer=CustomerFactory(organisation=org, full_name="Mair Jones", phone="01352 700001"),
    )


@dataclass
class HighlandCare:
    iain: User
    isla: User
    kenna: User
    customer: Customer


@pytest.fixture
def highland_care(highland, _files_in_tmp) -> HighlandCare:
    org = highland.organisation
    iain = person(org, "iain", "Iain Mackay", "manager")
    with audit_source("test setup"):
        staff_change_roles(
            actor=None,
            member=highland.eilidh,
            roles=list(highland.eilidh.roles.all()),
            line_manager=iain,
        )
    return HighlandCare(
        iain=iain,
        isla=person(org, "isla", "Isla Ross", "head_of_people"),
        kenna=person(org, "kenna", "Kenna Sutherland", "corporate_communications"),
        customer=CustomerFactory(organisation=org, full_name="Angus Grant", phone="01463 702000"),
    )
