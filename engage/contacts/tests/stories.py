"""Restricted customers for contact stories, made directly in the decisions tables.

The decisions domain's services decide under the policy and are tested there; the contact check
only reads what is in force, so these stories set exactly the dates and statuses they test.
The browser journey makes its restriction through `decision_make`, as a CCSM would.
"""

from __future__ import annotations

import datetime as dt

from engage.contacts.models import ContactEvent
from engage.customers.models import Customer
from engage.decisions.measures import MeasureSpec
from engage.decisions.models import Case, Decision, Measure
from engage.staff.models import User
from engage.staffcare.models import StaffRequest


def restrict(
    customer: Customer,
    *specs: MeasureSpec,
    starts_on: dt.date = dt.date(2025, 1, 1),
    ends_on: dt.date | None = None,
    status: str = Decision.Status.IN_FORCE,
) -> Decision:
    """An active-management decision on the customer's case with these measures."""
    case, _ = Case.objects.get_or_create(
        customer=customer,
        defaults={"organisation_id": customer.organisation_id, "reference": f"CASE-{customer.pk:06d}"},
    )
    decision = Decision.objects.create(
        organisation_id=customer.organisation_id,
        case=case,
        type="active_management",
        status=status,
        reasons="Recorded for the contact check's tests.",
        starts_on=starts_on,
        ends_on=ends_on,
    )
    Measure.objects.bulk_create(
        Measure(
            organisation_id=customer.organisation_id,
            decision=decision,
            customer=customer,
            type=spec.type.value,
            params=spec.to_json(),
            starts_on=starts_on,
            ends_on=ends_on,
        )
        for spec in specs
    )
    return decision


def staff_request(
    staff: User, customer: Customer, kind: str = "no_further_contact", status: str = "agreed"
) -> StaffRequest:
    return StaffRequest.objects.create(
        organisation_id=customer.organisation_id,
        staff_member=staff,
        customer=customer,
        kind=kind,
        status=status,
    )


def contact_event(
    customer: Customer, at: dt.datetime, *, key: int = 1, channel: str = "phone"
) -> ContactEvent:
    """An inbound event of the customer's, stored as an import would store it."""
    return ContactEvent.objects.create(
        organisation_id=customer.organisation_id,
        customer=customer,
        channel=channel,
        direction="inbound",
        started_at=at,
        key=key,
    )
