"""Demo customers for `engage demo`: synthetic people, found by phone, email, handle or address.

Every name, number and address here is invented. Phone numbers use the ranges Ofcom reserves
for drama (01632 960xxx, 07700 900xxx), so none can reach a real person.
"""

from __future__ import annotations

from engage.customers.models import Customer, Identifier
from engage.customers.services import NewIdentifier, customer_create, need_record, representative_add
from engage.organisations.models import Organisation

# (full name, phone, email, address lines, postcode, need, representative (name, relationship))
_PEOPLE: tuple[tuple[str, str, str, str, str, str, tuple[str, str] | None], ...] = (
    (
        "Gareth Price",
        "01632 960111",
        "g.price@example.com",
        "12 Heol y Bryn\nMold",
        "CH7 1XX",
        "Prefers written contact: hearing loss.",
        None,
    ),
    ("Morwenna O'Connell-Hughes", "07700 900222", "", "", "", "", ("Tegan Rees", "advocate")),
    (
        "Siôn Ó Dónaill-Ŵyn",
        "01632 960333",
        "sion.odonaill@example.com",
        "",
        "",
        "Needs large print letters.",
        None,
    ),
    ("Catrìona NicLeòid", "07700 900444", "", "3 Sràid na h-Eaglaise\nPortree", "IV51 9XX", "", None),
    ("D'Arcy Fenwick", "01632 960555", "darcy.f@example.net", "", "", "", None),
    ("Linden Housing Co-operative", "01632 960666", "office@linden.example.org", "", "", "", None),
)


def populate(organisation: Organisation) -> None:
    """Add the demo customers to this organisation once (idempotent by phone number)."""
    for name, phone, email, address, postcode, need, representative in _PEOPLE:
        if Identifier.objects.filter(organisation=organisation, kind="phone", display=phone).exists():
            continue
        new = [NewIdentifier("phone", phone)]
        if email:
            new.append(NewIdentifier("email", email))
        if address:
            new.append(NewIdentifier("postal_address", address, postcode=postcode))
        kind = Customer.Kind.ORGANISATION if "Co-operative" in name else Customer.Kind.PERSON
        customer = customer_create(
            actor=None, organisation=organisation, full_name=name, identifiers=new, kind=kind
        )
        if need:
            need_record(actor=None, customer=customer, description=need)
        if representative:
            representative_add(
                actor=None,
                customer=customer,
                name=representative[0],
                relationship=representative[1],
                contact_details="Via the advocacy service, 01632 960999",
                contact_through=True,
            )
