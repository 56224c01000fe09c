"""Cases and what is decided on them: decisions, restriction measures, sharing, reviews and appeals."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from engage.core.models import Owned, TimeStamped
from engage.policy.describe import decision_label, exemption_label, measure_label, sentence
from engage.policy.vocabulary import DecisionType, MeasureType, WarningExemption


def _bare(label: str) -> str:
    # "a short restriction" -> "Short restriction": a heading, not a phrase inside a sentence.
    for article in ("a ", "an "):
        if label.startswith(article):
            label = label[len(article) :]
    return sentence(label)


DECISION_CHOICES = [(d.value, _bare(decision_label(d))) for d in DecisionType]
MEASURE_CHOICES = [(m.value, _bare(measure_label(m))) for m in MeasureType]
EXEMPTION_CHOICES = [(e.value, sentence(exemption_label(e))) for e in WarningExemption]


class Case(Owned):
    """The management of one customer's engagement: one per customer, one timeline."""

    reference = models.CharField(max_length=20, help_text="Like CASE-000123; unique in the organisation.")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="cases")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="case_reference_unique_in_org"
            ),
            models.UniqueConstraint(fields=["customer"], name="one_case_per_customer"),
        ]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.reference


class Decision(Owned):
    """A step taken under the policy by someone with the authority for it, and everything it rests on.

    A decision waiting for approval or refused has no effect; one in force applies its measures from
    `starts_on` until the day before `ends_on` (the first day it no longer applies). Warnings,
    restorative approaches, referrals and lifts are "in force" in the sense of being on the case.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
        IN_FORCE = "in_force", _("In force")
        ENDED = "ended", _("Ended")
        REFUSED = "refused", _("Refused")
        OVERTURNED = "overturned", _("Overturned on appeal")

    class EndReason(models.TextChoices):
        EXPIRED = "expired", _("Reached its end date")
        LIFTED = "lifted", _("Lifted")
        OVERTURNED = "overturned", _("Overturned on appeal")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions")
    type = models.CharField(max_length=40, choices=DECISION_CHOICES)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    # Who and under what authority
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_as = models.CharField(
        max_length=60, blank=True, help_text="The role or group key that authorised it."
    )
    decided_by_group = models.CharField(max_length=60, blank=True)
    members_present = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    group_outcome = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    policy_version = models.ForeignKey(
        "policy.PolicyVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    clause = models.CharField(max_length=200, blank=True)
    # What it rests on and why (002 6.2; 003 7.3, 7.8, 10.3; 004 advocacy)
    incidents = models.ManyToManyField("incidents.Incident", blank=True, related_name="case_decisions")
    reasons = models.TextField()
    why_not_less_restrictive = models.TextField(blank=True)
    considerations = models.TextField(blank=True, help_text="Needs, reasonable adjustments, equality.")
    advocacy_offered = models.BooleanField(null=True, blank=True)
    warning_given_on = models.DateField(null=True, blank=True)
    warning_exemption = models.CharField(max_length=40, choices=EXEMPTION_CHOICES, blank=True)
    physical_threat = models.BooleanField(default=False)
    # When
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True, help_text="The first day it no longer applies.")
    review_on = models.DateField(null=True, blank=True)
    no_review_reason = models.TextField(blank=True)
    no_contact_line_reason = models.TextField(blank=True)
    no_internal_appeal_reason = models.CharField(max_length=60, blank=True)
    # Approval (the preset's approved_by for the decision or one of its measures)
    approval_needed_by = models.JSONField(default=list, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_as = models.CharField(max_length=60, blank=True)
    approval_members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    approval_note = models.TextField(blank=True)
    # The end
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    lifts = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="lifted_by"
    )
    # 004 Appendix 1: Request to Chief Officer to consider management of challenging behaviour
    referral_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    referral_contact_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    referral_action_to_date = models.TextField(blank=True)
    referral_advice = models.TextField(blank=True)
    referral_advice_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_at", "-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "status", "ends_on"], name="decision_expiry"),
            models.Index(fields=["organisation", "status", "type"], name="decision_status"),
        ]

    def __str__(self) -> str:
        return f"{self.case.reference}/{self.pk}: {self.get_type_display()}"


class Measure(Owned):
    """One concrete limit inside a decision, with its parameters (`measures.py` validates them).

    `customer` repeats the case's customer so the contact check finds the active measures of a
    customer with one indexed query (`selectors.active_measures`).
    """

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="measures")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    type = models.CharField(max_length=40, choices=MEASURE_CHOICES)
    params = models.JSONField(default=dict, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="The first day it no longer applies.")
    implied = models.BooleanField(
        default=False, help_text="Part of the decision itself (a one-day phone restriction), not chosen."
    )

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["organisation", "customer", "starts_on"], name="measure_contact_check")
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} ({self.decision_id})"


class SharingRecord(TimeStamped):
    """Who must be told of a decision (from the preset's sharing rules) and when they were told."""

    ORGANISATION_PATH = "decision__organisation"

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="sharing")
    party = models.CharField(max_length=300)
    clause = models.CharField(max_length=200)
    told_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    told_on = models.DateField(null=True, blank=True)
    told_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was recorded; empty: not yet told."
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Sharing of decision {self.decision_id} with {self.party}"


class Review(TimeStamped):
    """A review of a restriction: due on a date the decision set; continue, vary or lift."""

    ORGANISATION_PATH = "decision__organisation"

    class Outcome(models.TextChoices):
        CONTINUE = "continue", _("Continue unchanged")
        VARY = "vary", _("Vary")
        LIFT = "lift", _("Lift")

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="reviews")
    due_on = models.DateField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_as = models.CharField(max_length=60, blank=True)
    members_present = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    reviewed_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    in_active_contact = models.BooleanField(null=True, blank=True)
    customer_told = models.BooleanField(null=True, blank=True)
    customer_told_reason = models.TextField(blank=True)
    policy_version = models.ForeignKey(
        "policy.PolicyVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    clause = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["outcome", "due_on"], name="review_due")]

    def __str__(self) -> str:
        return f"Review of decision {self.decision_id} due {self.due_on}"


class PeriodicReview(Owned):
    """The organisation-wide review of every active restriction (004 "Annual review"; 003 13.2)."""

    label = models.CharField(max_length=100)
    due_on = models.DateField()
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_as = models.CharField(max_length=60, blank=True)
    signed_off_members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    signed_off_at = models.DateTimeField(null=True, blank=True)
    summary = models.TextField(blank=True)
    clause = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-due_on"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "due_on"], name="one_periodic_review_per_period")
        ]

    def __str__(self) -> str:
        return self.label


class PeriodicReviewItem(TimeStamped):
    ORGANISATION_PATH = "periodic_review__organisation"

    periodic_review = models.ForeignKey(PeriodicReview, on_delete=models.PROTECT, related_name="items")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="+")
    still_needed = models.BooleanField(null=True, blank=True)
    note = models.TextField(blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["periodic_review", "decision"], name="periodic_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.periodic_review}: decision {self.decision_id}"


class Appeal(Owned):
    """A customer's appeal against a restriction: in time or not, its route, grounds and outcome."""

    class Status(models.TextChoices):
        AWAITING_DECISION = "awaiting_decision", _("Awaiting a decision")
        DECIDED = "decided", _("Decided")
        SIGNPOSTED = "signposted", _("No internal appeal: ombudsman signposted")

    class Outcome(models.TextChoices):
        UPHELD = "upheld", _("Upheld: the restriction still applies")
        VARIED = "varied", _("Varied: a different course of action")
        OVERTURNED = "overturned", _("Overturned: the restriction is removed")

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="appeals")
    status = models.CharField(max_length=20, choices=Status.choices)
    received_on = models.DateField()
    decision_received_on = models.DateField(null=True, blank=True)
    deadline = models.DateField(null=True, blank=True)
    in_time = models.BooleanField(default=True)
    # The route, as the engine gave it when the appeal arrived
    internal = models.BooleanField(default=True)
    heard_by = models.JSONField(default=list, blank=True)
    route = models.TextField(blank=True)
    route_clause = models.CharField(max_length=200, blank=True)
    ombudsman_name = models.CharField(max_length=200, blank=True)
    ombudsman_url = models.CharField(max_length=200, blank=True)
    # What the customer says (003 12.1, 12.2)
    grounds = models.JSONField(default=list, blank=True)
    grounds_detail = models.TextField(blank=True)
    about_restriction_only = models.BooleanField(default=False)
    late_accepted_reason = models.TextField(blank=True)
    # The outcome
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_reasons = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_as = models.CharField(max_length=60, blank=True)
    members_present = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    decided_on = models.DateField(null=True, blank=True)
    policy_version = models.ForeignKey(
        "policy.PolicyVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"Appeal against decision {self.decision_id}"


class ReminderEmail(TimeStamped):
    """One reminder email a day at most per person: the job that sends them can run again safely."""

    ORGANISATION_PATH = "user__organisation"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    tasks = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "sent_on"], name="one_reminder_a_day")]

    def __str__(self) -> str:
        return f"Reminder to {self.user_id} on {self.sent_on}"
