"""Contacts: every contact check, contact events from telephony and mail logs, their imports, and the
levels-of-contact signal."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from engage.core.models import Owned, TimeStamped
from engage.policy.vocabulary import Channel

CHANNEL_CHOICES = [
    (Channel.PHONE.value, _("Phone")),
    (Channel.EMAIL.value, _("Email")),
    (Channel.LETTER.value, _("Letter")),
    (Channel.IN_PERSON.value, _("In person")),
    (Channel.SOCIAL_MEDIA.value, _("Social media")),
    (Channel.ONLINE_FORM.value, _("Online form")),
    (Channel.EVENT.value, _("At an event")),
]


_last_uuid7 = 0
_uuid7_lock = threading.Lock()


def uuid7() -> uuid.UUID:
    """A time-ordered UUID (RFC 9562 version 7), so new checks land at the end of the index.

    Monotonic within the process (RFC 9562 §6.2, method 3): two made in the same millisecond
    still sort in the order they were made, which "newest first" lists rely on.
    """
    global _last_uuid7
    ms = time.time_ns() // 1_000_000
    value = (ms & (2**48 - 1)) << 80 | int.from_bytes(os.urandom(10), "big") & (2**80 - 1)
    value = (value & ~(0xF << 76)) | (0x7 << 76)  # version 7
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC 4122 variant
    with _uuid7_lock:
        if value <= _last_uuid7:
            # Same millisecond (or the clock stepped back): one more than the last, keeping the
            # version and variant bits (the increment lands in the random low 62 bits).
            value = _last_uuid7 + 1
        _last_uuid7 = value
    return uuid.UUID(int=value)


class ContactCheck(models.Model):
    """One contact check: by whom, on which channel, what it answered, and whom it matched.

    Deliberately minimal: the identifier typed is not kept (an unknown number is nobody's
    business), nor the words shown, which follow from the measures in force at `at`.
    Written by one hand-made INSERT (`services.contact_check`): keep the columns in step.
    """

    class Decision(models.TextChoices):
        ALLOW = "allow", _("Go ahead")
        ALLOW_WITH_CONDITIONS = "allow_with_conditions", _("Go ahead, with conditions")
        REDIRECT = "redirect", _("Redirect")
        REFUSE = "refuse", _("Do not go ahead")

    ORGANISATION_PATH = "organisation"

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    at = models.DateTimeField()
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    checked_by_label = models.CharField(max_length=200, help_text="The person, or the service account.")
    channel = models.CharField(max_length=20, choices=CHANNEL_CHOICES)
    via_representative = models.BooleanField(default=False)
    # Not indexed: every index is one more page written at every check, and checks are read by
    # customer only for a subject access request (a scan of the organisation's recent checks).
    # No database constraint either: the value is the customer the check's own lookup has just
    # read, customers are never deleted (merged records are kept), and Django still refuses to
    # delete one that checks name (PROTECT). The constraint's probe of the customers table was
    # half of what writing a check cost: 7.6 against 3.7 µs a row, a random read each
    # (docs/benchmarks.md, "The check's record made cheaper"). The audit log names the object
    # of each record the same way, without a constraint.
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    decision = models.CharField(max_length=30, choices=Decision.choices)

    class Meta:
        ordering = ["-at"]
        # Ascending: new checks go to the end of their organisation's part of the index (a
        # descending index put each at its start, splitting pages as it went: 1.3 µs a row
        # more); "newest first" reads it backwards, on SQLite and PostgreSQL alike.
        indexes = [models.Index(fields=["organisation", "at"], name="contactcheck_org_time")]

    def __str__(self) -> str:
        return f"Contact check {self.id}"


class ContactImport(Owned):
    """One file of contact events, imported in batches; re-running the same file resumes it.

    `rejections` keeps the first REJECTIONS_KEPT rejected rows as {"line", "reason"}: line
    numbers and reasons only, never the identifier.
    """

    REJECTIONS_KEPT = 1000

    class Status(models.TextChoices):
        RUNNING = "running", _("Importing")
        COMPLETE = "complete", _("Complete")
        FAILED = "failed", _("Stopped")

    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    file_format = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    batch_size = models.PositiveIntegerField()
    batches_done = models.PositiveIntegerField(default=0)
    rows_read = models.PositiveBigIntegerField(default=0)
    stored = models.PositiveBigIntegerField(default=0, help_text="New events stored against a customer.")
    duplicates = models.PositiveBigIntegerField(default=0, help_text="Events already held.")
    counted_only = models.PositiveBigIntegerField(
        default=0, help_text="Events matching no single customer, kept only as counts."
    )
    rejected = models.PositiveBigIntegerField(default=0)
    rejections = models.JSONField(default=list, blank=True)
    flags_raised = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "sha256"], name="contactimport_once_per_file")
        ]

    def __str__(self) -> str:
        return f"Import of {self.file_name}"


def month_number(at: dt.datetime) -> int:
    """The calendar month (in UTC) an aware datetime falls in, counted from year 0:
    `ContactEvent.month`, as the database computes it (`MonthOf`)."""
    utc = at.astimezone(dt.UTC)
    return utc.year * 12 + utc.month - 1


def months_between(start: dt.datetime, end: dt.datetime) -> list[int]:
    """Every month number from `start`'s to `end`'s (both aware), for `month IN (...)`."""
    return list(range(month_number(start), month_number(end) + 1))


class MonthOf(models.Func):
    """The month number of a datetime column, in SQL both databases accept in a generated column.

    SQLite keeps Django's datetimes as UTC text ("2026-03-03 10:30:00"); PostgreSQL as
    `timestamptz`, read here in UTC (`AT TIME ZONE 'UTC'` and `date_part` of a plain timestamp are
    immutable, as a generated column needs). Tests hold both to `month_number`."""

    output_field = models.IntegerField()
    template = "(CAST(substr(%(expressions)s, 1, 4) AS integer) * 12 + CAST(substr(%(expressions)s, 6, 2) AS integer) - 1)"

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = (
            "(CAST(date_part('year', %(expressions)s AT TIME ZONE 'UTC') AS integer) * 12 "
            "+ CAST(date_part('month', %(expressions)s AT TIME ZONE 'UTC') AS integer) - 1)"
        )
        return self.as_sql(compiler, connection, template=template, **extra)


class ContactEventQuerySet(models.QuerySet["ContactEvent"]):
    def of_customers(
        self, customer_ids: Iterable[int], start: dt.datetime | None = None, end: dt.datetime | None = None
    ) -> ContactEventQuerySet:
        """The events of these customers (records) from `start` (default: the first event held) to
        `end` (default: as far ahead as an import accepts), read through the index: one probe a
        month and customer."""
        end = end or dt.datetime.now(dt.UTC) + EVENTS_AHEAD
        events = self.filter(customer_id__in=list(customer_ids), started_at__lte=end)
        if start is None:
            # The index's first entry: the earliest month held by anyone.
            first = self.model.objects.aggregate(first=models.Min("month"))["first"]
            if first is None:
                return self.none()
            months = list(range(first, month_number(end) + 1))
        else:
            months = months_between(start, end)
            events = events.filter(started_at__gte=start)
        return events.filter(month__in=months)


class RowId(models.BigAutoField):
    """An id without SQLite's AUTOINCREMENT, for a table written a million rows at a time:
    AUTOINCREMENT reads and writes `sqlite_sequence` at every insert (about 1 µs an event, a fifth
    of storing it). Without it a new row takes the largest id + 1, so only an id of a newest row
    deleted could come again; events are deleted oldest first (retention), never newest. PostgreSQL
    is unchanged (an identity column)."""

    def db_type_suffix(self, connection: Any) -> str | None:
        if connection.vendor == "sqlite":
            return None
        return connection.data_types_suffix.get(self.get_internal_type())  # as Field does


# How far in the future an event may start (a clock set wrong by a day): the importer refuses later
# ones (import_frame keeps its own copy: it imports no Django).
EVENTS_AHEAD = dt.timedelta(days=1)


class ContactEvent(models.Model):
    """One call, email, letter, visit or post by or to a customer, from a telephony or mail log.

    Only events that match one customer are kept (attributed to the surviving record); the rest
    are counted in `ContactTally`. `key` is a 64-bit hash of the normalised identifier, channel,
    direction and handler (`import_frame.event_key`, ADR 0006); unique together with the
    customer and the start, it makes re-imports idempotent.

    The one index is (month, customer, started_at, key): `month` (the month of `started_at`,
    computed by the database) comes first so that events arriving in time order, as logs do, are
    stored together at the end of the index, not at random places in it (ADR 0006; 10M events
    imported in half the time). A customer's events in a time range are read with one probe a month
    (`ContactEvent.objects.of_customers`); events older than a date are a range of months.
    One index, not two, because every index costs a write per event at import.
    Written by a hand-made bulk INSERT (`importer`): keep the columns in step.

    No database constraints on the organisation, customer and source (ADR 0007): SQLite checked
    each of them at every event (a probe of the parent's table a row, about 0.6 µs of the 3.2 µs an
    event costs to store), PostgreSQL with a trigger a row at commit. The values are the
    importing organisation, the customer the import's directory has just resolved, and the import
    itself; none of these is ever deleted while events name it, and Django still refuses to
    (PROTECT).
    """

    class Direction(models.TextChoices):
        INBOUND = "inbound", _("From the customer")
        OUTBOUND = "outbound", _("To the customer")

    id = RowId(primary_key=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    channel = models.CharField(max_length=20, choices=CHANNEL_CHOICES)
    direction = models.CharField(max_length=10, choices=Direction.choices)
    started_at = models.DateTimeField()
    month = models.GeneratedField(
        expression=MonthOf("started_at"),
        output_field=models.IntegerField(),
        db_persist=True,
        help_text="The month of started_at in UTC, counted from year 0 (months_between).",
    )
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    service = models.CharField(max_length=100, blank=True)
    handler = models.CharField(max_length=200, blank=True, help_text="Who took it, as the log names them.")
    key = models.BigIntegerField()
    source = models.ForeignKey(
        ContactImport,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )

    objects = ContactEventQuerySet.as_manager()

    class Meta:
        ordering = ["started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "customer", "started_at", "key"], name="contactevent_once_by_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.get_direction_display().lower()} at {self.started_at}"


class ContactTally(models.Model):
    """How many events a day matched no customer, or several, or had no usable identifier.

    The identifiers themselves are not kept (data minimisation): only these counts.
    """

    class Outcome(models.TextChoices):
        UNMATCHED = "unmatched", _("Matched no customer")
        AMBIGUOUS = "ambiguous", _("Matched more than one customer")
        UNRECOGNISED = "unrecognised", _("Withheld or not a usable identifier")

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    day = models.DateField()
    channel = models.CharField(max_length=20, choices=CHANNEL_CHOICES)
    direction = models.CharField(max_length=10, choices=ContactEvent.Direction.choices)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["day", "channel"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "day", "channel", "direction", "outcome"], name="contacttally_one_row"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.channel} {self.direction} {self.outcome}: {self.count}"


class ContactLevelSettings(TimeStamped):
    """An organisation's contact settings: the thresholds for the levels-of-contact signal (003
    §6.3 "Levels of contact"; 004 "Unreasonable demands and persistence": "Excessive telephone
    calls, emails or letters"), and how long its contact checks are kept.

    Thresholds: empty means that threshold is not used; a signal is raised when a count is MORE
    than its threshold. `checks_kept_months` is the organisation's own choice because none of
    the five policies sets a period (003 §13.1 defers to "data protection and records management
    principles and procedures"); see `engage/contacts/retention.py` for the defaults. The same goes
    for `events_kept_months`, how long contact events from telephony and mail logs are kept."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="contact_levels"
    )
    calls_per_hour = models.PositiveSmallIntegerField(null=True, blank=True, default=4)
    calls_per_day = models.PositiveSmallIntegerField(null=True, blank=True, default=8)
    calls_per_week = models.PositiveSmallIntegerField(null=True, blank=True, default=20)
    call_minutes_per_week = models.PositiveIntegerField(null=True, blank=True, default=180)
    email_recipients = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        default=5,
        help_text="The same email to more than this many staff (003 §6.3 'scatter gun approach').",
    )
    checks_kept_months = models.PositiveSmallIntegerField(
        default=24,
        help_text="Contact checks older than this many whole months are deleted by the nightly jobs.",
    )
    events_kept_months = models.PositiveSmallIntegerField(
        default=24,
        help_text="Contact events (calls, emails, visits) older than this many whole months are deleted by the nightly jobs.",
    )

    def __str__(self) -> str:
        return f"Levels of contact for {self.organisation_id}"


class LevelsFlag(Owned):
    """A customer's contact went over a threshold: an item in a manager's work, never a restriction.

    A person decides what, if anything, follows, under the policy (003 §6.3; 004 "Decisions on how
    to formally manage contact are made by the CCSM"). One open flag per customer and rule: later
    events update it.
    """

    class Rule(models.TextChoices):
        CALLS_PER_HOUR = "calls_per_hour", _("Calls in an hour")
        CALLS_PER_DAY = "calls_per_day", _("Calls in a day")
        CALLS_PER_WEEK = "calls_per_week", _("Calls in a week")
        CALL_MINUTES_PER_WEEK = "call_minutes_per_week", _("Minutes on calls in a week")
        EMAIL_RECIPIENTS = "email_recipients", _("Staff sent the same email")

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a manager")
        CLOSED = "closed", _("Considered")

    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(max_length=30, choices=Rule.choices)
    threshold = models.PositiveIntegerField()
    value = models.PositiveIntegerField(help_text="The highest count seen while the flag was open.")
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True, help_text="What the manager decided, in their words.")

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "rule"], condition=models.Q(status="open"), name="levelsflag_one_open"
            )
        ]
        indexes = [models.Index(fields=["organisation", "status"], name="levelsflag_org_status")]

    def __str__(self) -> str:
        return f"Levels of contact: {self.get_rule_display()} for customer {self.customer_id}"
