"""Demo incidents: logged through the services, for every preset, and only once."""

from __future__ import annotations

import pytest

from engage.audit.services import audit_source
from engage.incidents import demo
from engage.incidents.models import Incident
from engage.organisations.services import organisation_create
from engage.policy import presets
from engage.staff.models import Role
from engage.staff.services import staff_create


def test_populating_twice_adds_the_incidents_once(flintshire):
    with audit_source("test"):
        demo.populate(flintshire.organisation)
        demo.populate(flintshire.organisation)
    incidents = Incident.objects.filter(organisation=flintshire.organisation)
    assert incidents.count() == 4
    assert set(incidents.values_list("status", flat=True)) == {
        "draft",
        "submitted",
        "under_review",
        "reviewed",
    }
    assert incidents.filter(reporter=flintshire.ffion).count() == 4


@pytest.mark.parametrize("key", sorted(presets.available()))
def test_every_preset_gets_its_demo_incidents(db, key):
    with audit_source("test"):
        org = organisation_create(actor=None, name=f"Demo {key}", slug=key.replace("_", "-"), preset_key=key)
        roles = {r.key: r for r in Role.objects.filter(organisation=org)}
        manager_role = next(r for r in roles.values() if "manager" in r.capabilities)
        frontline_role = next(r for r in roles.values() if "frontline" in r.capabilities)
        common = {"actor": None, "organisation": org, "email": "x@example.org", "password": None}
        manager = staff_create(
            username=f"{key}-m", first_name="M", last_name="M", roles=[manager_role], **common
        )
        staff_create(
            username=f"{key}-f",
            first_name="F",
            last_name="F",
            roles=[frontline_role],
            line_manager=manager,
            **common,
        )
        demo.populate(org)
    assert Incident.objects.filter(organisation=org).count() == 4


def test_the_first_demo_call_is_about_a_demo_customer_where_there_is_one(flintshire):
    from engage.customers.services import NewIdentifier, customer_create

    with audit_source("test"):
        customer = customer_create(
            actor=None,
            organisation=flintshire.organisation,
            full_name="Siôn Ó Dónaill-Ŵyn",
            identifiers=[NewIdentifier(kind="phone", raw="01352 702000")],
        )
        demo.populate(flintshire.organisation)
    assert Incident.objects.filter(customer=customer, channel="phone").count() == 1
