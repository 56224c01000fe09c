"""Incidents: one occurrence of unacceptable engagement logged by staff, its witnesses, review and police decision."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from engage.core.models import Owned, TimeStamped
from engage.policy.describe import decision_label, sentence
from engage.policy.vocabulary import Channel, DecisionType

CHANNEL_CHOICES = [
    (Channel.PHONE.value, _("Phone")),
    (Channel.IN_PERSON.value, _("Face to face")),
    (Channel.EMAIL.value, _("Email")),
    (Channel.LETTER.value, _("Letter")),
    (Channel.SOCIAL_MEDIA.value, _("Social media")),
    (Channel.ONLINE_FORM.value, _("Online form")),
    (Channel.EVENT.value, _("Event")),
]


class ImmediateAction(models.TextChoices):
    """What staff did at the time (DESIGN glossary "Incident"; 004 "Terminating a telephone call")."""

    CALL_ENDED = "call_ended", _("Ended the call")
    MEETING_ENDED = "meeting_ended", _("Ended the meeting")
    LEFT_BUILDING = "left_building", _("Asked the person to leave, or left the building")
    STOPPED_READING = "stopped_reading", _("Stopped reading the correspondence")
    ACCOUNT_BLOCKED = "account_blocked", _("Blocked the account")
    POST_REPORTED = "post_reported", _("Reported the post to the platform")


class Incident(Owned):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting review")
        UNDER_REVIEW = "under_review", _("Under review")
        REVIEWED = "reviewed", _("Reviewed")

    reference = models.CharField(max_length=30)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="incidents_reported"
    )
    # When
    occurred_at = models.DateTimeField(null=True, blank=True)
    # Where and which service
    location = models.CharField(max_length=200, blank=True)
    service = models.CharField(max_length=200, blank=True)
    channel = models.CharField(max_length=20, choices=CHANNEL_CHOICES, blank=True)
    # What happened, in the reporter's own factual words (003 8.4)
    account = models.TextField(blank=True)
    categories = models.JSONField(default=list, blank=True)
    # Who: a customer found by identifier, or left unknown and described as given
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, null=True, blank=True, related_name="incidents"
    )
    person_description = models.TextField(blank=True)
    staff_affected = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="incidents_affecting"
    )
    # Immediate action. Yes/no answers are null until answered, so a draft knows what is missing.
    immediate_actions = models.JSONField(default=list, blank=True)
    warning_given_first = models.BooleanField(null=True, blank=True)
    recording_said = models.BooleanField(null=True, blank=True)
    staff_named_publicly = models.BooleanField(null=True, blank=True)
    hs_portal_reference = models.CharField(max_length=100, blank=True)
    support_wanted = models.BooleanField(null=True, blank=True)
    time_away_wanted = models.BooleanField(null=True, blank=True)
    # On submit
    submitted_at = models.DateTimeField(null=True, blank=True)
    routed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents_to_review",
        help_text="The manager the incident went to for review.",
    )
    policy_version = models.ForeignKey(
        "policy.PolicyVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="incident_reference_unique_in_org"
            )
        ]
        indexes = [models.Index(fields=["organisation", "status", "submitted_at"])]

    def __str__(self) -> str:
        return self.reference


class Witness(TimeStamped):
    """A member of staff who saw or heard the incident, invited to add their own account."""

    ORGANISATION_PATH = "incident__organisation"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="witnesses")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="witness_of")
    invited_at = models.DateTimeField(null=True, blank=True)
    account = models.TextField(blank=True)
    added_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "staff"], name="witness_once_per_incident")
        ]

    def __str__(self) -> str:
        return f"{self.staff} ({self.incident})"


class IncidentReview(TimeStamped):
    """A manager's decision on an incident, from the options the policy allowed them."""

    ORGANISATION_PATH = "incident__organisation"

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=40, choices=[(d.value, d.value) for d in DecisionType])
    reason = models.TextField()
    reviewed_at = models.DateTimeField()
    policy_version = models.ForeignKey("policy.PolicyVersion", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-reviewed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.incident}: {self.outcome}"

    @property
    def outcome_label(self) -> str:
        """The policy's own name for the outcome, as it stood when the decision was made."""
        rule = self.policy_version.preset.decision(self.outcome)
        return rule.name if rule is not None else sentence(decision_label(DecisionType(self.outcome)))


class PoliceDecision(TimeStamped):
    """Reported to the police (with reference) or a recorded decision not to (000/001 43-45, 003 9.5-9.6).

    A later decision supersedes an earlier one (a matter first not reported may be reported
    later); the latest is the one in force, and the history stays.
    """

    ORGANISATION_PATH = "incident__organisation"

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="police_decisions")
    reported = models.BooleanField()
    reference = models.CharField(max_length=100, blank=True)
    reason_not_reported = models.TextField(blank=True)
    staff_view = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_at", "-id"]
        get_latest_by = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.incident}: {'reported' if self.reported else 'not reported'}"
