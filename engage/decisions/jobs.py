"""Scheduled work for cases, as idempotent jobs: restrictions expire, periodic reviews open, reminders go.

`run_all(today)` is what `engage run-jobs` (cron) and the `run_jobs` task (a django-tasks worker)
both run; it also deletes contact checks and contact events older than each organisation's
retention periods (`engage.contacts.retention`). Each job may run any number of times a day: a second run finds nothing left to do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from engage.contacts import retention
from engage.decisions import rules, services, work
from engage.decisions.models import PeriodicReview, ReminderEmail
from engage.organisations.models import Organisation
from engage.policy.models import PolicyVersion
from engage.policy.services import current_policy
from engage.staff.models import User


@dataclass(frozen=True)
class Ran:
    expired: int
    periodic_opened: int
    reminders: int
    checks_deleted: int = 0
    events_deleted: int = 0

    def __str__(self) -> str:
        return (
            f"{self.expired} restriction(s) expired, {self.periodic_opened} periodic review(s) opened, "
            f"{self.reminders} reminder email(s) sent, {self.checks_deleted} old contact check(s) deleted, "
            f"{self.events_deleted} old contact event(s) deleted"
        )


def run_all(today: dt.date | None = None) -> Ran:
    day = today or timezone.localdate()
    expired = services.expire_due(today=day)
    opened = open_periodic_reviews(day)
    sent = send_reminders(day)
    checks = retention.contact_checks_purge(actor=None, today=day)
    events = retention.contact_events_purge(actor=None, today=day)
    return Ran(len(expired), opened, sent, sum(p.deleted for p in checks), sum(p.deleted for p in events))


def open_periodic_reviews(today: dt.date) -> int:
    """Open each organisation's periodic review a month before it is due (004 "Annual review")."""
    opened = 0
    with_policy = PolicyVersion.objects.values_list("organisation_id", flat=True)
    for organisation in Organisation.objects.filter(pk__in=with_policy):
        due = rules.periodic_due(current_policy(organisation).preset, today)
        if due is None or due[1] - today > work.PERIODIC_NOTICE:
            continue
        if PeriodicReview.objects.filter(organisation=organisation, due_on=due[1]).exists():
            continue
        services.periodic_review_open(actor=None, organisation=organisation, today=today)
        opened += 1
    return opened


def send_reminders(today: dt.date) -> int:
    """One email a day to each person with something waiting, listing it; never two the same day."""
    sent = 0
    people = User.objects.filter(is_active=True, organisation__isnull=False).exclude(email="")
    already = set(ReminderEmail.objects.filter(sent_on=today).values_list("user_id", flat=True))
    for person in people.exclude(pk__in=already):
        group = work.tasks_for(person, today=today)
        urgent = [t for t in (group.tasks if group else []) if t.due is None or t.due <= today or t.overdue]
        if not urgent:
            continue
        try:
            with transaction.atomic():
                ReminderEmail.objects.create(user=person, sent_on=today, tasks=len(urgent))
        except IntegrityError:
            continue  # another run got there first
        lines = [f"- {t.label}" + (" (overdue)" if t.overdue else "") for t in urgent]
        send_mail(
            subject=f"Engage: {len(urgent)} thing{'s' if len(urgent) != 1 else ''} waiting for you",
            message="\n".join(
                [f"Hello {person.first_name},", "", "These are waiting for you in Engage:", "", *lines, ""]
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[person.email],
        )
        sent += 1
    return sent
