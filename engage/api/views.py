"""The API's endpoints: thin. Each reads through `engage.access` (or a domain selector built on it),
or writes through one domain service, and shapes the result with `serializers`.

Another organisation's objects do not exist as far as a token can tell: lists never hold them,
lookups by reference or id answer 404 exactly as for something that never existed, and the
contact check answers "unknown" (matched: false, allow).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Mapping
from typing import Any, cast
from urllib.parse import parse_qsl

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.handlers.wsgi import get_bytes_from_wsgi
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.utils.http import http_date
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
from engage.api.authentication import MISSING, BearerTokenAuthentication, ServicePrincipal
from engage.api.base import Cursor, Endpoint, NewestFirst, named, responses, sentences
from engage.contacts import services as contacts
from engage.contacts.models import ContactEvent, ContactEventQuerySet
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


IDENTIFIER_TOO_LONG = f"identifier must be {out.MAX_IDENTIFIER} characters or fewer."
IDENTIFIER_NUL = "identifier must not contain null characters."
AT_RANGE = "at is too far in the past or future."
_CHECK_CHANNEL_VALUES = frozenset(c.value for c in out.CHECK_CHANNELS)


def check_query(params: Mapping[str, str]) -> tuple[str, str, dt.datetime | None]:
    """The contact check's query parameters, checked by hand: identifier, channel and the optional
    `at` (ISO 8601 with an offset). Raises ValidationError naming every parameter in error, in
    that order.

    By hand rather than with a serializer: a serializer's fields are deep-copied for every call,
    which cost more than the check itself (docs/benchmarks.md); the schema describes the same
    parameters in `ContactCheck`'s `extend_schema`.
    """
    errors: dict[str, list[str]] = {}
    identifier = params.get("identifier")
    if identifier is None or not identifier.strip():
        errors["identifier"] = [IDENTIFIER_REQUIRED]
    elif len(identifier) > out.MAX_IDENTIFIER:
        errors["identifier"] = [IDENTIFIER_TOO_LONG]
    elif "\x00" in identifier:
        errors["identifier"] = [IDENTIFIER_NUL]
    channel = params.get("channel")
    if channel not in _CHECK_CHANNEL_VALUES:
        errors["channel"] = [CHANNEL_MESSAGE]
    at: dt.datetime | None = None
    raw_at = params.get("at")
    if raw_at is not None:
        try:
            at = dt.datetime.fromisoformat(raw_at)
        except ValueError:
            errors["at"] = [AT_MESSAGE]
        else:
            if at.tzinfo is None or at.utcoffset() is None:
                errors["at"] = [AT_MESSAGE]
            else:
                try:
                    at.astimezone(dt.UTC)
                except OverflowError:
                    errors["at"] = [AT_RANGE]
    if errors:
        raise DjangoValidationError(errors)
    assert identifier is not None
    assert channel is not None
    return identifier, channel, at


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
            # Through the index (month, customer, ...): the customer's records first.
            records = access.scoped(Customer, self.request.user).filter(reference=reference)
            queryset = cast(ContactEventQuerySet, queryset).of_customers(records.values_list("pk", flat=True))
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
    # The hot path: a telephony system may ask at every call. GET (and HEAD) are served by
    # `contact_check_answer`, written out by hand: DRF's request wrapping, negotiation and rendering
    # cost more than the check itself (docs/benchmarks.md). The same authentication, errors
    # ({detail, errors}; 401 with WWW-Authenticate) and headers; other methods go through DRF
    # (403 for a read-only token, 405). The schema comes from the annotations on `get`. (Comments,
    # not a docstring: DRF would show a docstring to clients as the endpoint's description.)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method in ("GET", "HEAD"):
            return contact_check_answer(request)
        response: HttpResponseBase = super().dispatch(request, *args, **kwargs)
        return response

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
    def get(self, request: Request) -> HttpResponse:  # pragma: no cover - dispatch serves GET
        return contact_check_answer(request._request)


_ALLOWED = "GET, HEAD, OPTIONS"
_UNAUTHENTICATED = 'Bearer realm="Engage API"'
_NEVER_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"


# As DRF's JSONRenderer writes it (UTF-8, compact), so both paths answer byte for byte alike. One
# encoder for every answer: json.dumps with options builds a new one at each call.
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _json(data: Any, status_code: int = 200) -> HttpResponse:
    body = _encode(data)
    response = HttpResponse(
        body.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").encode(),
        content_type="application/json",
        status=status_code,
    )
    response["Allow"] = _ALLOWED
    # Answers hold personal data: no browser or proxy may keep a copy. What
    # add_never_cache_headers writes (as `Endpoint.finalize_response` does), without its parsing.
    response["Expires"] = _http_now()
    response["Cache-Control"] = _NEVER_CACHE
    return response


_http_date_of: tuple[int, str] = (0, "")


def _http_now() -> str:
    """The current time as an HTTP date, formatted once a second rather than at every answer."""
    global _http_date_of
    second = int(time.time())
    if _http_date_of[0] != second:
        _http_date_of = (second, http_date(second))
    return _http_date_of[1]


def _query_params(request: HttpRequest) -> dict[str, str]:
    """The query string as a dict (the last of repeated names), decoded as Django decodes
    `request.GET` but without building a QueryDict, which costs more than parsing it."""
    raw = get_bytes_from_wsgi(request.META, "QUERY_STRING", "").decode("utf-8", errors="replace")
    return dict(
        parse_qsl(
            raw,
            keep_blank_values=True,
            encoding="utf-8",
            errors="replace",
            max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
        )
    )


def _invalid(errors: Mapping[str, list[str]]) -> HttpResponse:
    named_errors = {field: [named(field, m) for m in messages] for field, messages in errors.items()}
    return _json({"detail": " ".join(sentences(named_errors)), "errors": named_errors}, 400)


def contact_check_answer(request: HttpRequest) -> HttpResponse:
    """GET /api/v1/contact-check: the token first (401), then the parameters (400), then the
    answer, recorded as a `ContactCheck` naming the service account."""
    try:
        authenticated = BearerTokenAuthentication().authenticate(request)  # type: ignore[arg-type]
    except exceptions.AuthenticationFailed as failed:
        authenticated, detail = None, str(failed.detail)
    else:
        detail = MISSING
    if authenticated is None:
        response = _json({"detail": detail}, 401)
        response["WWW-Authenticate"] = _UNAUTHENTICATED
        return response
    principal = authenticated[0]
    try:
        try:
            params = _query_params(request)
        except ValueError:  # more than DATA_UPLOAD_MAX_NUMBER_FIELDS, as Django refuses them
            raise DjangoValidationError({"request": ["There are too many query parameters."]}) from None
        identifier, channel, at = check_query(params)
        result = contacts.contact_check(
            actor=principal,
            identifier=identifier,
            channel=channel,
            at=at,
            audit=False,  # the ContactCheck row is the record, naming the account: see contact_check
            journal=settings.ENGAGE_CHECK_JOURNAL,
        )
    except DjangoValidationError as invalid:
        return _invalid(invalid.message_dict)
    found = result.customer
    answer = result.answer
    return _json(
        {
            "matched": found is not None,
            "customer": {"reference": found.reference, "display_name": found.name} if found else None,
            "decision": answer.decision.value,
            "act": answer.act,
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
