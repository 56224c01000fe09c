"""The audit trail: who did what, to which object, when, from where, with what outcome."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditRecord(models.Model):
    class Outcome(models.TextChoices):
        SUCCESS = "success", "Succeeded"
        REFUSED = "refused", "Refused"
        FAILED = "failed", "Failed"

    at = models.DateTimeField(db_index=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=200, help_text="Kept even if the account is later renamed.")
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=200, help_text="Request address, or the command that acted.")
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-at"], name="audit_org_time"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_label}"
