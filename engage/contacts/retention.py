"""How long an organisation keeps its contact checks, and the scheduled job that deletes older ones.

None of the five policies sets a period for these records: 003 §13.1 says personal details are
"managed and stored appropriately in line with data protection and records management principles
and procedures", and 001 §76 asks us to "record the minimum required". So the period is each
organisation's own setting (`ContactLevelSettings.checks_kept_months`, set by information
governance), defaulting to 24 months: long enough to answer a subject access request or a
complaint about how a restriction was applied at the desk, over the whole financial year that
the annual review of restrictions looks back on (004 "Annual review": "at the end of each
financial year"); short enough that a routine check is not kept for ever.
See docs/adr/0004-contact-check-retention.md.

Deletion runs in small transactions of at most `BATCH` rows, oldest first along the
(organisation, time) index, so it never holds SQLite's single write lock for long and contact
checks at the desk keep being written while it runs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from engage.audit.services import audit_record
from engage.contacts.models import ContactCheck, ContactLevelSettings
from engage.contacts.rules import LONDON
from engage.organisations.models import Organisation
from engage.policy.vocabulary import Capability

__all__ = [
    "DEFAULT_MONTHS",
    "MAX_MONTHS",
    "Purged",
    "checks_kept_months",
    "contact_checks_purge",
    "contact_checks_retention_update",
    "cut_off",
]

DEFAULT_MONTHS: int = ContactLevelSettings._meta.get_field("checks_kept_months").default
MAX_MONTHS = 120
BATCH = 2000
MONTHS_MESSAGE = f"Enter a whole number of months from 1 to {MAX_MONTHS}"


def cut_off(today: dt.date, months: int) -> dt.date:
    """The first day still kept: `months` calendar months before `today` (the 31st becomes the
    last day of a shorter month). Checks made before this day are deleted."""
    index = today.year * 12 + (today.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (following - dt.timedelta(days=1)).day
    return dt.date(year, month, min(today.day, last_day))


def checks_kept_months(organisation: Organisation) -> int:
    """The organisation's period, or the default if it has saved no contact settings."""
    saved = (
        ContactLevelSettings.objects.filter(organisation=organisation)
        .values_list("checks_kept_months", flat=True)
        .first()
    )
    return DEFAULT_MONTHS if saved is None else saved


def _is_information_governance_of(actor: Any, organisation: Organisation) -> bool:
    return getattr(
        actor, "organisation_id", None
    ) == organisation.pk and Capability.INFORMATION_GOVERNANCE in getattr(actor, "capabilities", frozenset())


def contact_checks_retention_update(
    *, actor: Any, organisation: Organisation, months: int
) -> ContactLevelSettings:
    """Information governance sets how many months the organisation's contact checks are kept."""
    if not _is_information_governance_of(actor, organisation):
        raise PermissionDenied("Your role does not allow this.")
    if not 1 <= months <= MAX_MONTHS:
        raise ValidationError({"months": MONTHS_MESSAGE})
    with transaction.atomic():
        row, _ = ContactLevelSettings.objects.select_for_update().get_or_create(organisation=organisation)
        before = row.checks_kept_months
        row.checks_kept_months = months
        row.save(update_fields=["checks_kept_months", "modified_at"])
        audit_record(
            actor=actor,
            action="contact_checks.retention_update",
            obj=organisation,
            detail={"before": before, "after": months},
        )
    return row


@dataclass(frozen=True)
class Purged:
    """What one run deleted for one organisation."""

    organisation_id: int
    cut_off: dt.date
    deleted: int


def contact_checks_purge(
    *, actor: Any, organisation: Organisation | None = None, today: dt.date
) -> list[Purged]:
    """Delete contact checks made before each organisation's cut-off day, in small batches.

    `organisation=None` means every organisation, and only the system itself (`actor=None`, the
    scheduled jobs) may ask for that; a person must be information governance of the one
    organisation named. Each organisation from which anything was deleted gets ONE audit record,
    `contact_checks.purge`, with the count, the cut-off day and the period: never the rows'
    contents. It is written in the same transaction as the last batch; if a run stops part-way,
    the batches already committed stay deleted and the next run deletes and records the rest.
    Running again the same day finds nothing and records nothing.
    """
    if organisation is None:
        if actor is not None:
            raise PermissionDenied("Only the scheduled jobs purge every organisation's contact checks.")
        organisations = list(Organisation.objects.order_by("pk"))
    else:
        if actor is not None and not _is_information_governance_of(actor, organisation):
            raise PermissionDenied("Your role does not allow this.")
        organisations = [organisation]
    periods = dict(
        ContactLevelSettings.objects.filter(organisation__in=organisations).values_list(
            "organisation_id", "checks_kept_months"
        )
    )
    results = []
    for each in organisations:
        months = periods.get(each.pk, DEFAULT_MONTHS)
        day = cut_off(today, months)
        deleted = _purge_one(actor=actor, organisation=each, day=day, months=months)
        if deleted:
            results.append(Purged(each.pk, day, deleted))
    return results


def _purge_one(*, actor: Any, organisation: Organisation, day: dt.date, months: int) -> int:
    before = dt.datetime.combine(day, dt.time.min, tzinfo=LONDON)  # midnight, UK time
    old = ContactCheck.objects.filter(organisation_id=organisation.pk, at__lt=before)
    deleted = 0
    while True:
        with transaction.atomic():
            # The time of the BATCH-th oldest check bounds this batch; none means the rest fit.
            edge = list(old.order_by("at").values_list("at", flat=True)[BATCH - 1 : BATCH])
            batch = old.filter(at__lte=edge[0]) if edge else old
            deleted += batch.delete()[0]
            if edge:
                continue
            if deleted:
                audit_record(
                    actor=actor,
                    action="contact_checks.purge",
                    obj=organisation,
                    detail={"deleted": deleted, "cut_off": day.isoformat(), "kept_months": months},
                )
            return deleted
