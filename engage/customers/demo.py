"""Demo customers for `engage demo`: synthetic people, found by phone, email, handle or address.

Every name, number and address here is invented. Phone numbers come from the geographic ranges
Ofcom reserves for drama (e.g. 029 2018 0xxx, 020 7946 0xxx), so none can reach a real person.
"""

from __future__ import annotations

from engage.customers.models import Customer, Identifier
from engage.customers.services import NewIdentifier, customer_create, need_record, representative_add
from engage.organisations.models import Organisation

# (full name, phone, email, address lines, postcode, need, representative (name, relationship))
_PEOPLE: tuple[tuple[str, str, str, str, str, str, tuple[str, str] | None], ...] = (
    (
        "Gareth Price",
        "029 2018 0111",
        "g.price@example.com",
        "12 Heol y Bryn\nMold",
        "CH7 1XX",
        "Prefers written contact: hearing loss.",
        None,
    ),
    ("Morwenna O'Connell-Hughes", "0161 496 0222", "", "", "", "", ("Tegan Rees", "advocate")),
    (
        "Siôn Ó Dónaill-Ŵyn",
        "0131 496 0333",
        "sion.odonaill@example.com",
        "",
        "",
        "Needs large print letters.",
        None,
    ),
    ("Catrìona NicLeòid", "0131 496 0444", "", "3 Sràid na h-Eaglaise\nPortree", "IV51 9XX", "", None),
    ("D'Arcy Fenwick", "0113 496 0555", "darcy.f@example.net", "", "", "", None),
    ("Linden Housing Co-operative", "020 7946 0666", "office@linden.example.org", "", "", "", None),
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
                contact_details="Via the advocacy service, weekdays.",
                contact_through=True,
                # Her own number, so a check of it answers for someone calling on the customer's behalf.
                phone="020 7946 0999",
            )
