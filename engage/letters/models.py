"""Letters to customers: drafted from a decision, checked, issued and frozen, or recorded as not sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from engage.core.models import Owned
from engage.letters.content import Kind

KIND_LABELS = {
    Kind.WARNING: _("Warning letter"),
    Kind.RESTORATIVE: _("Restorative letter"),
    Kind.UNACCEPTABLE_CORRESPONDENCE: _("Reply to unacceptable correspondence"),
    Kind.SHORT_RESTRICTION: _("Short restriction letter"),
    Kind.DECISION: _("Decision letter"),
    Kind.REVIEW_OUTCOME: _("Review outcome letter"),
    Kind.APPEAL_ACKNOWLEDGEMENT: _("Appeal acknowledgement"),
    Kind.APPEAL_OUTCOME: _("Appeal outcome letter"),
    Kind.LIFTING: _("Letter lifting the restrictions"),
}


class LetterSettings(Owned):
    """How an organisation finishes its letters (one row per organisation; defaults until saved)."""

    class BilingualLayout(models.TextChoices):
        WELSH_FIRST = "bilingual_welsh_first", _("Welsh first, then English")
        SIDE_BY_SIDE = "side_by_side", _("Welsh and English side by side")

    bilingual_layout = models.CharField(
        max_length=30, choices=BilingualLayout.choices, default=BilingualLayout.WELSH_FIRST
    )
    colleague_check = models.BooleanField(
        default=True,
        help_text=(
            "Where the policy names no one to check a letter, a manager other than its author checks "
            "it before it is issued."
        ),
    )
    welsh_name = models.CharField(max_length=200, blank=True)
    welsh_address = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="one_letter_settings_per_organisation")
        ]

    def __str__(self) -> str:
        return f"Letter settings for organisation {self.organisation_id}"


class Letter(Owned):
    """One letter to a customer about a decision, a review or an appeal.

    A draft can be edited by its author; once checked (by whom the policy names) it can be issued.
    Issuing freezes it: the HTML, PDF, large-print PDF and DOCX are rendered once, stored, and
    their SHA-256 recorded; nothing about an issued letter changes afterwards.
    """

    class Layout(models.TextChoices):
        EN = "en", _("English")
        CY = "cy", _("Welsh")
        WELSH_FIRST = "bilingual_welsh_first", _("Welsh first, then English")
        SIDE_BY_SIDE = "side_by_side", _("Welsh and English side by side")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        AWAITING_CHECK = "awaiting_check", _("Waiting for its check")
        CHECKED = "checked", _("Checked")
        ISSUED = "issued", _("Issued")
        NOT_SENT = "not_sent", _("Not sent")

    class Method(models.TextChoices):
        POST = "post", _("By post")
        EMAIL = "email", _("By email")
        IN_PERSON = "in_person", _("In person")

    case = models.ForeignKey("decisions.Case", on_delete=models.PROTECT, related_name="letters")
    decision = models.ForeignKey("decisions.Decision", on_delete=models.PROTECT, related_name="letters")
    review = models.ForeignKey(
        "decisions.Review", on_delete=models.PROTECT, null=True, blank=True, related_name="letters"
    )
    appeal = models.ForeignKey(
        "decisions.Appeal", on_delete=models.PROTECT, null=True, blank=True, related_name="letters"
    )
    number = models.PositiveIntegerField(help_text="The letter's number on its case: L1, L2 …")
    kind = models.CharField(max_length=40, choices=[(k.value, label) for k, label in KIND_LABELS.items()])
    layout = models.CharField(max_length=30, choices=Layout.choices, default=Layout.EN)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    policy_version = models.ForeignKey(
        "policy.PolicyVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # What the drafter writes, in each language the layout needs
    what_happened = models.TextField(blank=True)
    what_happened_cy = models.TextField(blank=True)
    requested_change = models.TextField(blank=True)
    requested_change_cy = models.TextField(blank=True)
    additional_text = models.TextField(blank=True)
    additional_text_cy = models.TextField(blank=True)
    enclose_policy = models.BooleanField(default=False)
    # The check (by whom the preset's letter_checked_by names, or a colleague: LetterSettings)
    check_by = models.JSONField(default=list, blank=True, help_text="Role or group keys that may check it.")
    check_clause = models.CharField(max_length=200, blank=True)
    check_required = models.BooleanField(default=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_as = models.CharField(max_length=60, blank=True)
    check_members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    checked_at = models.DateTimeField(null=True, blank=True)
    check_note = models.TextField(blank=True, help_text="The checker's note; why it was returned, if it was.")
    # Issue
    issued_on = models.DateField(null=True, blank=True)
    method = models.CharField(max_length=20, choices=Method.choices, blank=True)
    posted_on = models.DateField(null=True, blank=True)
    deemed_received_on = models.DateField(null=True, blank=True)
    appeal_deadline = models.DateField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(null=True, blank=True)
    # The frozen letter
    html = models.TextField(blank=True)
    content_sha256 = models.CharField(max_length=64, blank=True)
    pdf_name = models.CharField(max_length=200, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    large_print_name = models.CharField(max_length=200, blank=True)
    large_print_sha256 = models.CharField(max_length=64, blank=True)
    docx_name = models.CharField(max_length=200, blank=True)
    docx_sha256 = models.CharField(max_length=64, blank=True)
    # Not sent (the preset's notification_exemptions)
    not_sent_exemption = models.CharField(max_length=60, blank=True)
    not_sent_clause = models.CharField(max_length=200, blank=True)
    not_sent_reason = models.TextField(blank=True)
    not_sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    not_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="letter_number_unique_in_case")
        ]
        indexes = [models.Index(fields=["organisation", "status"], name="letter_status")]

    def __str__(self) -> str:
        return f"Letter {self.reference}"

    @property
    def reference(self) -> str:
        return f"{self.case.reference}/L{self.number}"

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages in the order they appear (Welsh first in a bilingual letter)."""
        if self.layout == self.Layout.EN:
            return ("en",)
        if self.layout == self.Layout.CY:
            return ("cy",)
        return ("cy", "en")

    @property
    def is_final(self) -> bool:
        return self.status in (self.Status.ISSUED, self.Status.NOT_SENT)

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(Kind(self.kind), self.kind))
