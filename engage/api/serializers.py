"""The API's shapes: what an integration sees of each object, and the parameters it may send.

Data minimisation (DESIGN "recorded factually and minimally"; the marker's "the minimum, never the
history"): an integration is a machine acting for the whole organisation, so it gets references,
statuses, dates and types, and never free text written about a person (an incident's account,
a decision's reasons, review notes, appeal grounds), staff names (reporters, witnesses,
deciders), needs, vulnerability notes or representatives. A measure's one-line summary is the
one exception, being what the contact check already tells the desk.
Serializers only shape data; every rule lives in the domains' services and selectors.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from engage.contacts.models import ContactEvent
from engage.customers.models import Customer, Identifier
from engage.decisions import measures as measure_specs
from engage.decisions.markers import Active, marker_text
from engage.decisions.models import Appeal, Decision, Measure, Review
from engage.incidents.models import Incident
from engage.letters.models import Letter
from engage.policy.vocabulary import Channel

# The channels the contact check takes (the fixed contract; "event" is for incidents and logs).
CHECK_CHANNELS = [
    Channel.PHONE,
    Channel.EMAIL,
    Channel.LETTER,
    Channel.IN_PERSON,
    Channel.SOCIAL_MEDIA,
    Channel.ONLINE_FORM,
]
CHECK_DECISIONS = ["allow", "allow_with_conditions", "redirect", "refuse"]
# How an event's identifier may be read, if not from its channel (the importer's kinds).
EVENT_IDENTIFIER_KINDS = ["phone", "email", "social", "reference", "postal_address"]
# The largest id a database column holds: larger numbers are refused, not sent to the database.
MAX_ID = 2**63 - 1
MAX_IDENTIFIER = 400


class Text(serializers.CharField):
    """A string, and only a string: a number or a list where text belongs is refused, not coerced.
    Lengths are of the text as sent (not trimmed first), as the schema states them; the domains
    trim and normalise."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return str(super().to_internal_value(data))


class WholeNumber(serializers.IntegerField):
    """A JSON number with no fraction: "12" (a string) and true (a boolean) are refused."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        return int(super().to_internal_value(data))


class Unset(serializers.ChoiceField):
    """One of the choices, or null where none has been set yet (stored as "")."""

    def __init__(self, choices: Any, **kwargs: Any) -> None:
        super().__init__(choices, allow_null=True, read_only=True, **kwargs)

    def to_representation(self, value: Any) -> Any:
        return None if value == "" else super().to_representation(value)


# The last day something applies, or null: open-ended, or until lifted.
_LAST_DAY = serializers.DateField(allow_null=True)


def _until(ends_on: dt.date | None) -> dt.date | None:
    # Stored ends are the first day something no longer applies; the API, like the contact check,
    # gives the last day it does.
    return ends_on - dt.timedelta(days=1) if ends_on else None


# --- Customers ---------------------------------------------------------------------------------


@extend_schema_serializer(component_name="Identifier")
class IdentifierOut(serializers.ModelSerializer[Identifier]):
    current = serializers.BooleanField(source="is_current", help_text="False for an old number or address.")

    class Meta:
        model = Identifier
        fields = ["kind", "value", "display", "platform", "current", "valid_from", "valid_to"]
        extra_kwargs = {
            "value": {"help_text": "Normalised: E.164 for phone numbers, lower case for email addresses."},
            "display": {"help_text": "As it was entered."},
        }


@extend_schema_serializer(component_name="Customer")
class CustomerOut(serializers.ModelSerializer[Customer]):
    merged_into = serializers.CharField(
        source="merged_into.reference",
        allow_null=True,
        read_only=True,
        help_text="The reference of the record this one was merged into, if it was.",
    )
    identifiers = IdentifierOut(many=True, read_only=True)

    class Meta:
        model = Customer
        fields = [
            "reference",
            "kind",
            "full_name",
            "display_name",
            "merged_into",
            "created_at",
            "identifiers",
        ]
        read_only_fields = fields


# --- Incidents ---------------------------------------------------------------------------------


@extend_schema_serializer(component_name="Incident")
class IncidentOut(serializers.ModelSerializer[Incident]):
    customer = serializers.CharField(
        source="customer.reference", allow_null=True, read_only=True, help_text="The customer's reference."
    )
    categories = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Behaviour categories of the policy."
    )
    channel = Unset(Incident._meta.get_field("channel").choices, help_text="Null if not recorded.")

    class Meta:
        model = Incident
        fields = [
            "reference",
            "status",
            "customer",
            "occurred_at",
            "submitted_at",
            "channel",
            "service",
            "categories",
        ]
        read_only_fields = fields


# --- Decisions and measures --------------------------------------------------------------------


@extend_schema_serializer(component_name="Measure")
class MeasureOut(serializers.ModelSerializer[Measure]):
    summary = serializers.SerializerMethodField(help_text="What applies, in one line, as the desk sees it.")
    until = serializers.SerializerMethodField(help_text="The last day it applies; null until lifted.")

    class Meta:
        model = Measure
        fields = ["id", "type", "summary", "starts_on", "until"]
        read_only_fields = fields

    def get_summary(self, measure: Measure) -> str:
        spec = measure_specs.parse(measure.type, measure.params)
        return marker_text([Active(spec)], timezone.localdate())

    @extend_schema_field(_LAST_DAY)
    def get_until(self, measure: Measure) -> dt.date | None:
        return _until(measure.ends_on)


@extend_schema_serializer(component_name="Decision")
class DecisionOut(serializers.ModelSerializer[Decision]):
    case = serializers.CharField(source="case.reference", read_only=True)
    customer = serializers.CharField(source="case.customer.reference", read_only=True)
    until = serializers.SerializerMethodField(help_text="The last day it applies; null if open-ended.")
    end_reason = Unset(Decision.EndReason.choices, help_text="Null while it has not ended.")
    measures = MeasureOut(many=True, read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "case",
            "customer",
            "type",
            "status",
            "decided_on",
            "starts_on",
            "until",
            "review_on",
            "ended_on",
            "end_reason",
            "measures",
        ]
        read_only_fields = fields

    @extend_schema_field(_LAST_DAY)
    def get_until(self, decision: Decision) -> dt.date | None:
        return _until(decision.ends_on)


@extend_schema_serializer(component_name="Review")
class ReviewOut(serializers.ModelSerializer[Review]):
    decision = serializers.IntegerField(source="decision_id", read_only=True)
    outcome = Unset(Review.Outcome.choices, help_text="Null until the review is done.")

    class Meta:
        model = Review
        fields = ["id", "decision", "due_on", "outcome", "reviewed_on"]
        read_only_fields = fields


@extend_schema_serializer(component_name="Appeal")
class AppealOut(serializers.ModelSerializer[Appeal]):
    decision = serializers.IntegerField(source="decision_id", read_only=True)
    outcome = Unset(Appeal.Outcome.choices, help_text="Null until the appeal is decided.")

    class Meta:
        model = Appeal
        fields = [
            "id",
            "decision",
            "status",
            "received_on",
            "deadline",
            "in_time",
            "internal",
            "outcome",
            "decided_on",
        ]
        read_only_fields = fields


# --- Letters -----------------------------------------------------------------------------------


@extend_schema_serializer(component_name="Letter")
class LetterOut(serializers.ModelSerializer[Letter]):
    """What was sent, when and how: never its text or its files."""

    reference = serializers.CharField(read_only=True, help_text="Like CASE-000123/L2.")
    case = serializers.CharField(source="case.reference", read_only=True)
    customer = serializers.CharField(source="case.customer.reference", read_only=True)
    decision = serializers.IntegerField(source="decision_id", read_only=True)
    review = serializers.IntegerField(source="review_id", read_only=True, allow_null=True)
    appeal = serializers.IntegerField(source="appeal_id", read_only=True, allow_null=True)
    method = Unset(Letter.Method.choices, help_text="How it was sent; null if it was not.")

    class Meta:
        model = Letter
        fields = [
            "id",
            "reference",
            "case",
            "customer",
            "decision",
            "review",
            "appeal",
            "kind",
            "layout",
            "status",
            "issued_on",
            "method",
            "posted_on",
            "deemed_received_on",
            "appeal_deadline",
        ]
        read_only_fields = fields


# --- Contact events ----------------------------------------------------------------------------


@extend_schema_serializer(component_name="ContactEvent")
class ContactEventOut(serializers.ModelSerializer[ContactEvent]):
    customer = serializers.CharField(source="customer.reference", read_only=True)

    class Meta:
        model = ContactEvent
        fields = ["id", "customer", "channel", "direction", "started_at", "duration_seconds", "service"]
        read_only_fields = fields


@extend_schema_serializer(component_name="NewContactEvent")
class ContactEventIn(serializers.Serializer):
    """One event, in the columns of a telephony or mail log import (docs/contact-events.md)."""

    identifier = Text(
        max_length=MAX_IDENTIFIER,
        allow_blank=True,
        help_text="The caller's number, the sender's address, a handle or a reference; empty if withheld.",
    )
    channel = serializers.ChoiceField(choices=[c.value for c in Channel])
    direction = serializers.ChoiceField(choices=[d.value for d in ContactEvent.Direction])
    started_at = serializers.DateTimeField(help_text="ISO 8601; without an offset, UK local time.")
    duration_seconds = WholeNumber(min_value=0, max_value=2**31 - 1, required=False, allow_null=True)
    service = Text(max_length=100, required=False, allow_blank=True)
    handler = Text(
        max_length=200, required=False, allow_blank=True, help_text="Who took it, as the log names them."
    )
    identifier_kind = serializers.ChoiceField(
        choices=EVENT_IDENTIFIER_KINDS,
        required=False,
        help_text="By default, from the channel.",
    )

    def as_columns(self) -> dict[str, str]:
        """The validated event as the importer's text columns."""
        data: dict[str, Any] = dict(self.validated_data)
        data["started_at"] = data["started_at"].isoformat()
        return {key: "" if value is None else str(value) for key, value in data.items()}


class ContactEventRecorded(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=["stored", "duplicate", "unmatched", "ambiguous", "unrecognised"],
        help_text=(
            "stored: kept against the one customer it matched; duplicate: already held; unmatched, "
            "ambiguous (several customers) or unrecognised (withheld): only counted."
        ),
    )


# --- The contact check -------------------------------------------------------------------------


class CheckedCustomer(serializers.Serializer):
    reference = serializers.CharField()
    display_name = serializers.CharField(help_text="The name they prefer, or their full name.")


class AppliedMeasure(serializers.Serializer):
    type = serializers.CharField(
        help_text="A measure type, or staff_request for a member of staff's request."
    )
    summary = serializers.CharField()
    until = serializers.DateField(allow_null=True, help_text="The last day it applies; null until lifted.")


class ContactCheckAnswer(serializers.Serializer):
    """The fixed contract integrators rely on: change it only in a new API version."""

    matched = serializers.BooleanField(help_text="Whether the identifier found a customer.")
    customer = CheckedCustomer(allow_null=True, help_text="Null when nobody was found.")
    decision = serializers.ChoiceField(choices=CHECK_DECISIONS)
    act = serializers.CharField(
        help_text=(
            "What to do, in one or two sentences, for whoever (or whatever) handles the contact: "
            "for example where to redirect an email. Never empty. Added in 2026-11 without a new "
            "version: clients that ignore unknown fields are unaffected."
        ),
    )
    say = serializers.CharField(
        allow_blank=True,
        help_text="What to tell the customer, in one sentence; empty when nothing need be said.",
    )
    measures = AppliedMeasure(many=True, help_text="The measures that apply to this contact.")
    check_id = serializers.CharField(help_text="The recorded check's id, to quote when asking about it.")
