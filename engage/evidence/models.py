"""Evidence: files attached to an incident, possibly distressing, and every deliberate opening of one.

The file itself lives in the default storage under `evidence/<organisation id>/<random name>`,
outside the web root; only the views in this app serve it, after checking who is asking. The
name the person uploaded is kept to show, never to build a path or a download name.

A withdrawn item stays, with its file, for the record: it was part of what happened, and an
opening or decision may have relied on it. It leaves the live list, only information governance
can open it, and it is disposed of with its incident under the organisation's retention schedule.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from engage.core.models import Owned
from engage.evidence.files import EXTENSION_FOR, Kind


class Evidence(Owned):
    class KindChoices(models.TextChoices):
        IMAGE = Kind.IMAGE.value, _("Image or screenshot")
        PDF = Kind.PDF.value, _("PDF document")
        EMAIL = Kind.EMAIL.value, _("Email")
        AUDIO = Kind.AUDIO.value, _("Audio recording")

    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="evidence")
    number = models.PositiveIntegerField(help_text="1, 2, 3… within the incident; used in its file name.")
    stored_name = models.CharField(max_length=200, unique=True, editable=False)
    original_name = models.CharField(
        max_length=200, help_text="As uploaded; shown only, never used as a path."
    )
    content_type = models.CharField(max_length=100, help_text="From Engage's inspection of the content.")
    kind = models.CharField(max_length=10, choices=KindChoices.choices)
    size = models.PositiveIntegerField(help_text="Bytes stored, after metadata was removed.")
    sha256 = models.CharField(max_length=64, help_text="Of the bytes stored.")
    distressing = models.BooleanField()
    description = models.TextField(blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_withdrawn = models.BooleanField(default=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_reason = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "evidence"
        ordering = ["incident", "number"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "number"], name="evidence_number_unique_in_incident")
        ]

    def __str__(self) -> str:
        # Never the uploaded name: it may itself be distressing or personal, and this shows in the audit log.
        return f"{self.incident.reference} evidence {self.number}"

    @property
    def download_name(self) -> str:
        """The name Engage gives the file when it is served, e.g. INC-2026-00042-evidence-3.png."""
        return f"{self.incident.reference}-evidence-{self.number}{EXTENSION_FOR.get(self.content_type, '')}"

    @property
    def is_image(self) -> bool:
        return self.kind == Kind.IMAGE


class EvidenceOpening(models.Model):
    """One deliberate opening of an item, with the reason the person gave."""

    ORGANISATION_PATH = "evidence__organisation"

    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="openings")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()
    reason = models.TextField()

    class Meta:
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return f"{self.evidence} opened by {self.opened_by}"
