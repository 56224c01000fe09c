"""Customers for tests, made through the service so they are exactly what the service makes."""

from __future__ import annotations

from typing import Any

import factory

from engage.audit.services import audit_source
from engage.customers.models import Customer
from engage.customers.services import NewIdentifier, customer_create


class CustomerFactory(factory.Factory[Customer]):
    """`CustomerFactory(organisation=org, full_name="Siôn Jones", phone="01352 702345")`.

    Identifier keywords: phone, email, handle (with platform), address (with postcode), postcode,
    other_reference. With none, the customer gets a case reference from a sequence.
    """

    class Meta:
        model = Customer

    organisation = None
    actor = None
    full_name = factory.Faker("name", locale="en_GB")
    display_name = ""
    kind = Customer.Kind.PERSON
    phone = ""
    email = ""
    handle = ""
    platform = "x"
    address = ""
    postcode = ""
    other_reference = factory.Sequence(lambda n: f"CAS/{n:05d}")

    @classmethod
    def _create(cls, model_class: type[Customer], *args: Any, **kw: Any) -> Customer:
        new = [
            NewIdentifier(kind, kw[key]) for kind, key in [("phone", "phone"), ("email", "email")] if kw[key]
        ]
        if kw["handle"]:
            new.append(NewIdentifier("social", kw["handle"], platform=kw["platform"]))
        if kw["address"]:
            new.append(NewIdentifier("postal_address", kw["address"], postcode=kw["postcode"]))
        elif kw["postcode"]:
            new.append(NewIdentifier("postcode", kw["postcode"]))
        if not new:
            new.append(NewIdentifier("reference", kw["other_reference"]))
        with audit_source("test setup"):
            return customer_create(
                actor=kw["actor"],
                organisation=kw["organisation"],
                full_name=kw["full_name"],
                display_name=kw["display_name"],
                kind=kw["kind"],
                identifiers=new,
            )
