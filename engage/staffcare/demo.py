"""Demo staff care for one organisation: a debrief, two requests about a customer, a report of
being named online. Idempotent: each piece is made once, through the services."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from engage.customers.models import Customer
from engage.organisations.models import Organisation
from engage.policy.vocabulary import Capability
from engage.staffcare import rules, services
from engage.staffcare.models import Debrief, NamedOnlineReport, StaffRequest
from engage.staffcare.selectors import people_with


def populate(organisation: Organisation) -> None:
    staff = people_with(organisation.pk, Capability.FRONTLINE).filter(line_manager__isnull=False).first()
    if staff is None or staff.line_manager is None:
        return  # no one to care for yet: the demo staff are made first
    manager = staff.line_manager
    today = timezone.localdate()

    if not Debrief.objects.filter(organisation=organisation).exists():
        services.debrief_record(
            actor=manager,
            staff_member=staff,
            held_with=[manager],
            held_on=today - dt.timedelta(days=3),
            agreed_actions=(
                f"{staff.first_name} took the rest of the afternoon away from the phones. "
                f"{manager.first_name} will check in again next week. Support line details shared."
            ),
            follow_up_on=today + dt.timedelta(days=4),
        )

    customer = (
        Customer.objects.filter(organisation=organisation, merged_into__isnull=True).order_by("id").first()
    )
    if customer is not None and not StaffRequest.objects.filter(organisation=organisation).exists():
        agreed = services.staff_request_make(
            actor=staff, staff_member=staff, customer=customer, kind=StaffRequest.Kind.NO_FURTHER_CONTACT
        )
        services.staff_request_decide(actor=manager, request=agreed, agree=True)
        services.staff_request_make(
            actor=staff,
            staff_member=staff,
            customer=customer,
            kind=StaffRequest.Kind.SENIOR_MANAGER_NAME,
            reason="They have started naming me in posts about the council.",
        )

    if not NamedOnlineReport.objects.filter(organisation=organisation).exists():
        report = services.named_online_report(
            actor=staff,
            staff_member=staff,
            platform="Facebook",
            links=["https://social.example.org/groups/local-news/posts/20417"],
            description="A post in a local group names me and says I lied to a resident.",
            staff_view="I would like it reported to the site and taken down. I do not want the police involved.",
        )
        services.named_online_tell(actor=manager, report=report, parties=[rules.LINE_MANAGER], told_on=today)
