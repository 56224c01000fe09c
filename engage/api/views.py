"""The API's endpoints: thin. Each reads through `engage.access` (or a domain selector built on it),
or writes through one domain service, and shapes the result with `serializers`.

Another organisation's objects do not exist as far as a token can tell: lists never hold them,
lookups by reference or id answer 404 exactly as for something that never existed, and the
contact check answers "unknown" (matched: false, allow).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from engage import access
from engage.api import serializers as out
from engage.api.authentication import ServicePrincipal
from engage.api.base import Cursor, Endpoint, NewestFirst, responses
from engage.contacts import services as contacts
from engage.contacts.models import ContactEvent
from engage.customers import selectors as customer_selectors
from engage.customers.models import Customer
from engage.decisions.models import Appeal, Decision, Review
from engage.incidents.models import Incident
from engage.letters.models import Letter

# Decisions an integration sees: those that took effect. Proposals, those awaiting approval and
# those refused are deliberation inside the organisation, and change nothing for anyone.
_DECISIONS_THAT_TOOK_EFFECT = (Decision.Status.IN_FORCE, Decision.Status.ENDED, Decision.Status.OVERTURNED)
_REFERENCE_MAX = 30
_FINAL_LETTERS = (Letter.Status.ISSUED, Letter.Status.NOT_SENT)

CHANNEL_MESSAGE = "channel must be one of " + ", ".join(c.value for c in out.CHECK_CHANNELS) + "."
AT_MESSAGE = (
    "at must be an ISO 8601 date and time with a UTC offset, like 2026-11-24T10:30:00+00:00 or "
    "2026-11-24T10:30:00Z."
)
IDENTIFIER_REQUIRED = (
    "identifier is required: a phone number, email address, social media handle, reference, "
    "or a name and postcode."
)


def _principal(request: Request) -> ServicePrincipal:
    user = request.user
    assert isinstance(user, ServicePrincipal)  # TokenScope let the call in
    return user


# --- Query parameters --------------------------------------------------------------------------


class _CustomerFilter(serializers.Serializer):
    customer = out.Text(
        required=False,
        max_length=_REFERENCE_MAX,
        help_text="Only those of the customer with this reference, like C-000123.",
    )


class _DecisionFilter(serializers.Serializer):
    decision = serializers.IntegerField(
        required=False, min_value=1, max_value=out.MAX_ID, help_text="Only those of this decision."
    )


class _CustomerLookup(serializers.Serializer):
    identifier = out.Text(
        required=False,
        max_length=out.MAX_IDENTIFIER,
        help_text=(
            "Find customers by any identifier, in any format: a phone number, email address, handle, "
            "postcode or reference. Old numbers and addresses find them too."
        ),
    )


class _CheckQuery(serializers.Serializer):
    identifier = out.Text(
        max_length=out.MAX_IDENTIFIER,
        error_messages={"required": IDENTIFIER_REQUIRED, "blank": IDENTIFIER_REQUIRED},
    )
    channel = serializers.ChoiceField(
        choices=[c.value for c in out.CHECK_CHANNELS],
        error_messages={
            "required": CHANNEL_MESSAGE,
            "invalid_choice": CHANNEL_MESSAGE,
            "blank": CHANNEL_MESSAGE,
        },
    )
    at = out.Text(required=False, error_messages={"blank": AT_MESSAGE})

    def validate_at(self, value: str) -> dt.datetime:
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            raise serializers.ValidationError(AT_MESSAGE) from None
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise serializers.ValidationError(AT_MESSAGE)
        try:
            moment.astimezone(dt.UTC)
        except OverflowError:
            raise serializers.ValidationError("at is too far in the past or future.") from None
        return moment


def _query(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    # A plain dict, not the QueryDict: DRF would read "?customer=" as no parameter at all, where
    # it is a parameter with a value that is not valid.
    params = serializer_class(data=request.query_params.dict())
    params.is_valid(raise_exception=True)
    return dict(params.validated_data)


# --- Reading: one list and one item per kind ---------------------------------------------------


class _Resource(Endpoint, GenericAPIView):  # type: ignore[misc]
    """A list (keyset pages) and its items, scoped to the token's organisation."""

    pagination_class = Cursor
    lookup_field = "pk"
    lookup_url_kwarg = "pk"

    def scoped(self) -> QuerySet[Any]:  # pragma: no cover - abstract
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        return self.scoped()

    def get_object(self) -> Any:
        lookup = {self.lookup_field: self.kwargs[self.lookup_url_kwarg]}
        return access.get_for_user(self.get_queryset(), self.request.user, **lookup)

    def listing(self, queryset: QuerySet[Any]) -> Response:
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def item(self) -> Response:
        return Response(self.get_serializer(self.get_object()).data)


class CustomerList(_Resource):
    serializer_class = out.CustomerOut

    def scoped(self) -> QuerySet[Customer]:
        return customer_selectors.customers(self.request.user).prefetch_related("identifiers")

    @extend_schema(
        operation_id="customers_list",
        summary="List customers, or find them by an identifier",
        parameters=[_CustomerLookup],
        responses=responses(out.CustomerOut(many=True), 400),
        tags=["Customers"],
    )
    def get(self, request: Request) -> Response:
        raw = _query(_CustomerLookup, request).get("identifier")
        queryset = self.get_queryset()
        if raw is not None:
            found = customer_selectors.find_by_identifier(request.user, raw)
            queryset = queryset.filter(pk__in=[c.pk for c in found])
        return self.listing(queryset)


class CustomerDetail(_Resource):
    serializer_class = out.CustomerOut
    lookup_field = lookup_url_kwarg = "reference"

    def scoped(self) -> QuerySet[Customer]:
        # Merged records too, by their old reference: `merged_into` says where they went.
        return (
            access.scoped(Customer, self.request.user)
            .select_related("merged_into")
            .prefetch_related("identifiers")
        )

    @extend_schema(
        operation_id="customers_retrieve",
        summary="One customer, with their identifiers",
        responses=responses(out.CustomerOut, 404),
        tags=["Customers"],
    )
    def get(self, request: Request, reference: str) -> Response:
        return self.item()


class IncidentList(_Resource):
    serializer_class = out.IncidentOut
    pagination_class = NewestFirst

    def scoped(self) -> QuerySet[Incident]:
        # Drafts are the reporter's unfinished work: nobody else's business until submitted.
        return (
            access.scoped(Incident, self.request.user)
            .exclude(status=Incident.Status.DRAFT)
            .select_related("customer")
        )

    @extend_schema(
        operation_id="incidents_list",
        summary="List submitted incidents, newest first",
        parameters=[_CustomerFilter],
        responses=responses(out.IncidentOut(many=True), 400),
        tags=["Incidents"],
    )
    def get(self, request: Request) -> Response:
        queryset = self.get_queryset()
        reference = _query(_CustomerFilter, request).get("customer")
        if reference is not None:
            queryset = queryset.filter(customer__reference=reference)
        return self.listing(queryset)


class IncidentDetail(IncidentList):
    lookup_field = lookup_url_kwarg = "reference"

    @extend_schema(
        operation_id="incidents_retrieve",
        summary="One submitted incident",
        responses=responses(out.IncidentOut, 404),
        tags=["Incidents"],
    )
    def get(self, request: Request, reference: str) -> Response:  # type: ignore[override]
        return self.item()


class DecisionList(_Resource):
    serializer_class = out.DecisionOut
    pagination_class = NewestFirst

    def scoped(self) -> QuerySet[Decision]:
        return (
            access.scoped(Decision, self.request.user)
            .filter(status__in=_DECISIONS_THAT_TOOK_EFFECT)
            .select_related("case__customer")
            .prefetch_related("measures")
        )

    @extend_schema(
        operation_id="decisions_list",
        summary="List decisions that took effect, with their measures, newest first",
        parameters=[_CustomerFilter],
        responses=responses(out.DecisionOut(many=True), 400),
        tags=["Decisions"],
    )
    def get(self, request: Request) -> Response:
        queryset = self.get_queryset()
        reference = _query(_CustomerFilter, request).get("customer")
        if reference is not None:
            queryset = queryset.filter(case__customer__reference=reference)
        return self.listing(queryset)


class DecisionDetail(DecisionList):
    @extend_schema(
        operation_id="decisions_retrieve",
        summary="One decision, with its measures",
        responses=responses(out.DecisionOut, 404),
        tags=["Decisions"],
    )
    def get(self, request: Request, pk: int) -> Response:  # type: ignore[override]
        return self.item()


class ReviewList(_Resource):
    serializer_class = out.ReviewOut

    def scoped(self) -> QuerySet[Review]:
        return access.scoped(Review, self.request.user).filter(
            decision__status__in=_DECISIONS_THAT_TOOK_EFFECT
        )

    @extend_schema(
        operation_id="reviews_list",
        summary="List reviews of decisions, due and done",
        parameters=[_DecisionFilter],
        responses=responses(out.ReviewOut(many=True), 400),
        tags=["Reviews and appeals"],
    )
    def get(self, request: Request) -> Response:
        queryset = self.get_queryset()
        decision = _query(_DecisionFilter, request).get("decision")
        if decision is not None:
            queryset = queryset.filter(decision_id=decision)
        return self.listing(queryset)


class ReviewDetail(ReviewList):
    @extend_schema(
        operation_id="reviews_retrieve",
        summary="One review",
        responses=responses(out.ReviewOut, 404),
        tags=["Reviews and appeals"],
    )
    def get(self, request: Request, pk: int) -> Response:  # type: ignore[override]
        return self.item()


class AppealList(_Resource):
    serializer_class = out.AppealOut

    def scoped(self) -> QuerySet[Appeal]:
        return access.scoped(Appeal, self.request.user)

    @extend_schema(
        operation_id="appeals_list",
        summary="List appeals against decisions",
        parameters=[_DecisionFilter],
        responses=responses(out.AppealOut(many=True), 400),
        tags=["Reviews and appeals"],
    )
    def get(self, request: Request) -> Response:
        queryset = self.get_queryset()
        decision = _query(_DecisionFilter, request).get("decision")
        if decision is not None:
            queryset = queryset.filter(decision_id=decision)
        return self.listing(queryset)


class AppealDetail(AppealList):
    @extend_schema(
        operation_id="appeals_retrieve",
        summary="One appeal",
        responses=responses(out.AppealOut, 404),
        tags=["Reviews and appeals"],
    )
    def get(self, request: Request, pk: int) -> Response:  # type: ignore[override]
        return self.item()


class _LetterFilter(_CustomerFilter, _DecisionFilter):
    pass


class LetterList(_Resource):
    serializer_class = out.LetterOut

    def scoped(self) -> QuerySet[Letter]:
        # Only letters that went (or were recorded as not sent): drafts and checks are the case
        # workers' business until then.
        return (
            access.scoped(Letter, self.request.user)
            .filter(status__in=_FINAL_LETTERS)
            .select_related("case__customer")
        )

    @extend_schema(
        operation_id="letters_list",
        summary="List letters issued, or recorded as not sent: what, when and how, never their text",
        parameters=[_LetterFilter],
        responses=responses(out.LetterOut(many=True), 400),
        tags=["Letters"],
    )
    def get(self, request: Request) -> Response:
        queryset = self.get_queryset()
        query = _query(_LetterFilter, request)
        if "customer" in query:
            queryset = queryset.filter(case__customer__reference=query["customer"])
        if "decision" in query:
            queryset = queryset.filter(decision_id=query["decision"])
        return self.listing(queryset)


class LetterDetail(LetterList):
    @extend_schema(
        operation_id="letters_retrieve",
        summary="One letter's metadata",
        responses=responses(out.LetterOut, 404),
        tags=["Letters"],
    )
    def get(self, request: Request, pk: int) -> Response:  # type: ignore[override]
        return self.item()


# --- Contact events: the list, and recording one -----------------------------------------------


class ContactEvents(_Resource):
    serializer_class = out.ContactEventOut
    pagination_class = NewestFirst

    def scoped(self) -> QuerySet[ContactEvent]:
        return access.scoped(ContactEvent, self.request.user).select_related("customer")

    @extend_schema(
        operation_id="contact_events_list",
        summary="List contact events held against customers, newest first",
        parameters=[_CustomerFilter],
        responses=responses(out.ContactEventOut(many=True), 400),
        tags=["Contact events"],
    )
    def get(self, request: Request) -> Response:
        queryset = self.get_queryset()
        reference = _query(_CustomerFilter, request).get("customer")
        if reference is not None:
            queryset = queryset.filter(customer__reference=reference)
        return self.listing(queryset)

    @extend_schema(
        operation_id="contact_events_create",
        summary="Record one contact event (a call, email, letter, visit or post)",
        description=(
            "The same as one row of a telephony or mail log import, and idempotent like it: the "
            "same event sent twice is stored once. An event that matches no single customer is "
            "only counted; its identifier is not kept. Needs a read and write token."
        ),
        request=out.ContactEventIn,
        responses={
            **responses(
                out.ContactEventRecorded, 400, 403, ok_status=201, ok_description="Recorded or counted."
            ),
            200: OpenApiResponse(out.ContactEventRecorded, description="Already held: nothing changed."),
        },
        tags=["Contact events"],
    )
    def post(self, request: Request) -> Response:
        event = out.ContactEventIn(data=request.data)
        event.is_valid(raise_exception=True)
        principal = _principal(request)
        try:
            outcome = contacts.contact_event_record(
                actor=principal, organisation=principal.organisation, event=event.as_columns()
            )
        except DjangoValidationError as error:
            raise exceptions.ValidationError(_by_column(error)) from None
        code = status.HTTP_200_OK if outcome == "duplicate" else status.HTTP_201_CREATED
        return Response({"outcome": outcome}, status=code)


def _by_column(error: DjangoValidationError) -> dict[str, list[str]]:
    """The importer names the column at the start of its messages ("started_at '…' is in the
    future"): file each message under that column, so `errors` names the field."""
    columns = set(out.ContactEventIn().fields)
    found: dict[str, list[str]] = {}
    for key, messages in error.message_dict.items():
        for message in messages:
            first = message.split(" ", 1)[0]
            found.setdefault(first if first in columns else key, []).append(message)
    return found


# --- The contact check -------------------------------------------------------------------------


class ContactCheck(Endpoint, APIView):  # type: ignore[misc]
    @extend_schema(
        operation_id="contact_check",
        summary="Check a contact: what may we do, and what do we say?",
        description=(
            "The fixed contract. An identifier nobody has gives matched: false and allow, and so "
            "does an identifier of another organisation's customer. Every call is recorded, as a "
            "check made from the page is, and `check_id` names the record."
        ),
        parameters=[
            OpenApiParameter(
                "identifier",
                str,
                required=True,
                description=(
                    "A phone number, email address, social media handle, reference, or a name and "
                    "postcode, in any format."
                ),
                examples=[OpenApiExample("phone", value="01352 702345")],
            ),
            OpenApiParameter(
                "channel",
                str,
                required=True,
                enum=[c.value for c in out.CHECK_CHANNELS],
                description="How they are contacting us.",
            ),
            OpenApiParameter(
                "at",
                OpenApiTypes.DATETIME,
                required=False,
                description="When the contact is, with a UTC offset; now if not given.",
            ),
        ],
        responses=responses(out.ContactCheckAnswer, 400, ok_description="What to do, and what to say."),
        tags=["Contact check"],
    )
    def get(self, request: Request) -> Response:
        query = _query(_CheckQuery, request)
        try:
            result = contacts.contact_check(
                actor=_principal(request),
                identifier=query["identifier"],
                channel=query["channel"],
                at=query.get("at"),
            )
        except DjangoValidationError as error:
            raise exceptions.ValidationError(error.message_dict) from None
        found = result.customer
        answer = result.answer
        return Response(
            {
                "matched": found is not None,
                "customer": {"reference": found.reference, "display_name": found.name} if found else None,
                "decision": answer.decision.value,
                "say": answer.say,
                "measures": [
                    {"type": m.type, "summary": m.summary, "until": m.until.isoformat() if m.until else None}
                    for m in answer.measures
                ],
                "check_id": str(result.check_id),
            }
        )


@login_not_required
@never_cache
def not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Anything under /api/v1/ that is not an endpoint: JSON, like every other API answer."""
    return JsonResponse({"detail": "Not found."}, status=404)
