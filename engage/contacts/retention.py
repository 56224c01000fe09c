"""How long an organisation keeps its contact checks and contact events, and the scheduled jobs that
delete older ones.

None of the five policies sets a period for these records: 003 §13.1 says personal details are
"managed and stored appropriately in line with data protection and records management principles
and procedures", and 001 §76 asks us to "record the minimum required". So the period is each
organisation's own setting (`ContactLevelSettings.checks_kept_months`, set by information
governance), defaulting to 24 months: long enough to answer a subject access request or a
complaint about how a restriction was applied at the desk, over the whole financial year that
the annual review of restrictions looks back on (004 "Annual review": "at the end of each
financial year"); short enough that a routine check is not kept for ever.
See docs/adr/0004-contact-check-retention.md.

Contact events (calls, emails and visits from telephony and mail logs, `ContactEvent`) are kept
on the same terms and by default as long (`events_kept_months`): they are personal data about
when someone contacted us, needed for levels of contact (a week), volume limits (a month) and
the chart in a manager's work (weeks), and as the record behind a decision to restrict contact,
which is reviewed over the financial year; not for ever (001 §76).

Deletion runs in small transactions of at most `BATCH` rows, oldest first, along the checks'
(organisation, time) index and the events' index led by the month, so it never holds SQLite's
single write lock for long and contact checks at the desk keep being written while it runs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from engage.audit.services import audit_record
from engage.contacts.models import ContactCheck, ContactEvent, ContactLevelSettings, month_number
from engage.contacts.rules import LONDON
from engage.organisations.models import Organisation
from engage.policy.vocabulary import Capability

__all__ = [
    "DEFAULT_EVENT_MONTHS",
    "DEFAULT_MONTHS",
    "MAX_MONTHS",
    "Purged",
    "checks_kept_months",
    "contact_checks_purge",
    "contact_checks_retention_update",
    "contact_events_purge",
    "contact_events_retention_update",
    "cut_off",
    "events_kept_months",
]

DEFAULT_MONTHS: int = ContactLevelSettings._meta.get_field("checks_kept_months").default
DEFAULT_EVENT_MONTHS: int = ContactLevelSettings._meta.get_field("events_kept_months").default
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
    """The organisation's period for contact checks, or the default if it has saved none."""
    return _kept_months(organisation, _CHECKS)


def events_kept_months(organisation: Organisation) -> int:
    """The organisation's period for contact events, or the default if it has saved none."""
    return _kept_months(organisation, _EVENTS)


def _kept_months(organisation: Organisation, records: _Records) -> int:
    saved = (
        ContactLevelSettings.objects.filter(organisation=organisation)
        .values_list(records.setting, flat=True)
        .first()
    )
    return records.default if saved is None else saved


def _is_information_governance_of(actor: Any, organisation: Organisation) -> bool:
    return getattr(
        actor, "organisation_id", None
    ) == organisation.pk and Capability.INFORMATION_GOVERNANCE in getattr(actor, "capabilities", frozenset())


def contact_checks_retention_update(
    *, actor: Any, organisation: Organisation, months: int
) -> ContactLevelSettings:
    """Information governance sets how many months the organisation's contact checks are kept."""
    return _retention_update(actor, organisation, months, _CHECKS)


def contact_events_retention_update(
    *, actor: Any, organisation: Organisation, months: int
) -> ContactLevelSettings:
    """Information governance sets how many months the organisation's contact events are kept."""
    return _retention_update(actor, organisation, months, _EVENTS)


def _retention_update(
    actor: Any, organisation: Organisation, months: int, records: _Records
) -> ContactLevelSettings:
    if not _is_information_governance_of(actor, organisation):
        raise PermissionDenied("Your role does not allow this.")
    if not 1 <= months <= MAX_MONTHS:
        raise ValidationError({"months": MONTHS_MESSAGE})
    with transaction.atomic():
        row, _ = ContactLevelSettings.objects.select_for_update().get_or_create(organisation=organisation)
        before = getattr(row, records.setting)
        setattr(row, records.setting, months)
        row.save(update_fields=[records.setting, "modified_at"])
        audit_record(
            actor=actor,
            action=f"{records.name}.retention_update",
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
    return _purge(actor, organisation, today, _CHECKS)


def contact_events_purge(
    *, actor: Any, organisation: Organisation | None = None, today: dt.date
) -> list[Purged]:
    """Delete contact events that started before each organisation's cut-off day: as
    `contact_checks_purge`, recorded as `contact_events.purge`."""
    return _purge(actor, organisation, today, _EVENTS)


@dataclass(frozen=True)
class _Records:
    """One kind of record kept for a period: its name in audit actions, its setting and that
    setting's default, and how to find those older than a time (oldest first, through an index)."""

    name: str
    setting: str
    default: int
    oldest: Callable[[Organisation, dt.datetime], models.QuerySet[Any]]


def _checks_before(organisation: Organisation, before: dt.datetime) -> models.QuerySet[Any]:
    old = ContactCheck.objects.filter(organisation_id=organisation.pk, at__lt=before)
    return old.order_by("at").values_list("pk", flat=True)


def _events_before(organisation: Organisation, before: dt.datetime) -> models.QuerySet[Any]:
    """A range of the events' index (month, customer, started_at, key) from its first month."""
    old = ContactEvent.objects.filter(
        month__lte=month_number(before), started_at__lt=before, organisation_id=organisation.pk
    )
    return old.order_by("month").values_list("pk", flat=True)


_CHECKS = _Records("contact_checks", "checks_kept_months", DEFAULT_MONTHS, _checks_before)
_EVENTS = _Records("contact_events", "events_kept_months", DEFAULT_EVENT_MONTHS, _events_before)


def _purge(actor: Any, organisation: Organisation | None, today: dt.date, records: _Records) -> list[Purged]:
    if organisation is None:
        if actor is not None:
            raise PermissionDenied("Only the scheduled jobs purge every organisation's records.")
        organisations = list(Organisation.objects.order_by("pk"))
    else:
        if actor is not None and not _is_information_governance_of(actor, organisation):
            raise PermissionDenied("Your role does not allow this.")
        organisations = [organisation]
    periods = dict(
        ContactLevelSettings.objects.filter(organisation__in=organisations).values_list(
            "organisation_id", records.setting
        )
    )
    results = []
    for each in organisations:
        months = periods.get(each.pk, records.default)
        day = cut_off(today, months)
        deleted = _purge_one(actor=actor, organisation=each, day=day, months=months, records=records)
        if deleted:
            results.append(Purged(each.pk, day, deleted))
    return results


def _purge_one(
    *, actor: Any, organisation: Organisation, day: dt.date, months: int, records: _Records
) -> int:
    before = dt.datetime.combine(day, dt.time.min, tzinfo=LONDON)  # midnight, UK time
    deleted = 0
    while True:
        with transaction.atomic():
            oldest = records.oldest(organisation, before)
            batch = list(oldest[:BATCH])
            if batch:
                deleted += oldest.model._default_manager.filter(pk__in=batch).delete()[0]
            if len(batch) == BATCH:
                continue
            if deleted:
                audit_record(
                    actor=actor,
                    action=f"{records.name}.purge",
                    obj=organisation,
                    detail={"deleted": deleted, "cut_off": day.isoformat(), "kept_months": months},
                )
            return deleted
