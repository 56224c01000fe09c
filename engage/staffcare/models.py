"""Staff care: debriefs, staff requests about a customer, and reports of staff named publicly online.

Labels (`__str__`) carry no names or content: they are copied into the audit log, which people
outside the staff member's line of management read.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from engage.core.models import Owned, TimeStamped


class Debrief(Owned):
    """A debrief after an incident, and what was agreed (000/001 §68, 002 §10.4)."""

    staff_member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="debriefs"
    )
    held_with = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    held_on = models.DateField()
    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.PROTECT, null=True, blank=True, related_name="debriefs"
    )
    agreed_actions = models.TextField()
    follow_up_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"Debrief {self.pk}"


class StaffRequest(Owned):
    """A member of staff asks not to deal with a customer (000/001 §68, §70; 002 §10.4, §10.6).

    Made by the staff member, or by their manager on their behalf (`created_by`). The contact
    check honours agreed requests through `selectors.active_no_contact`.
    """

    class Kind(models.TextChoices):
        NO_FURTHER_CONTACT = "no_further_contact", _("No further contact with this customer")
        REMOVE_FROM_CASE = "remove_from_case", _("Take me off this customer's case")
        SENIOR_MANAGER_NAME = (
            "senior_manager_name",
            _("Send letters and emails to this customer in a senior manager's name, not mine"),
        )

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for a decision")
        AGREED = "agreed", _("Agreed")
        DECLINED = "declined", _("Not agreed")
        ENDED = "ended", _("Ended")

    OPEN = (Status.REQUESTED, Status.AGREED)

    staff_member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff_requests"
    )
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    reason = models.TextField(blank=True, help_text="Optional: staff need not justify a request.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    # For an agreed senior_manager_name request: whose name correspondence goes out in.
    correspond_as = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The contact check asks, for every contact: which agreed requests name this customer?
            models.Index(
                fields=["organisation", "customer"],
                name="staffrequest_agreed_customer",
                condition=models.Q(status="agreed"),
            ),
            models.Index(fields=["staff_member", "status"], name="staffrequest_member_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["staff_member", "customer", "kind"],
                condition=models.Q(status__in=["requested", "agreed"]),
                name="staffrequest_one_open_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"Staff request {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class NamedOnlineReport(Owned):
    """A member of staff named publicly online (000/001 §78–86, 002 §12.6–12.10).

    `told` lists who was told, as the policy names them: [{"party", "name", "on", "recorded_by",
    "recorded_by_name", "recorded_at"}]. `staff_view` is the staff member's say in what is done
    (002 §12.8; 000/001 §80, §84, §86).
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    staff_member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="named_online_reports"
    )
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    platform = models.CharField(max_length=100)
    links = models.JSONField(default=list, blank=True)
    description = models.TextField(blank=True)
    told = models.JSONField(default=list, blank=True)
    # True once the member of staff knows: they reported it, or were told in private. Until then
    # they are not shown it (000/001 §80, 002 §12.8). A column, as SQLite cannot search JSON lists.
    staff_member_knows = models.BooleanField(default=False)
    actions_taken = models.TextField(blank=True)
    staff_view = models.TextField(blank=True)
    staff_view_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "status"], name="namedonline_org_status")]

    def __str__(self) -> str:
        return f"Named online report {self.pk}"

    @property
    def reported_by_someone_else(self) -> bool:
        return self.reported_by_id != self.staff_member_id

    @property
    def told_keys(self) -> frozenset[str]:
        return frozenset(entry["party"] for entry in self.told)


def _screenshot_path(instance: Any, filename: str) -> str:
    # A random name: the stored file says nothing about whom it shows.
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"staffcare/screenshots/{uuid.uuid4().hex}.{extension}"


class NamedOnlineScreenshot(TimeStamped):
    """A screenshot of what was posted (000/001 §78a, §74; 002 §12.6), checked and stripped of metadata.

    Possibly distressing (000/001 §75): it is never shown inline, only opened on purpose, and
    each opening is audited.
    """

    ORGANISATION_PATH = "report__organisation"

    report = models.ForeignKey(NamedOnlineReport, on_delete=models.PROTECT, related_name="screenshots")
    file = models.FileField(upload_to=_screenshot_path, max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Screenshot {self.pk}"
