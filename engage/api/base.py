"""What every API endpoint shares: token authentication, JSON only, errors naming the parameter, and
cursor pagination.

Configured here, per view, because the project's REST_FRAMEWORK settings are deliberately empty of
authentication: nothing outside this app answers to a token.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.cache import add_never_cache_headers
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import BaseParser, JSONParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler

from engage.api.authentication import BearerTokenAuthentication, TokenScope

CURSOR_MESSAGE = "cursor is not valid: follow the next or previous link of a page."
PAGE_SIZE_MAX = 200
PAGE_SIZE_MESSAGE = f"page_size must be a whole number from 1 to {PAGE_SIZE_MAX}."
_MAX_ID = 2**63 - 1


class Error(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in a sentence.")


# As an inline serializer: a declared field called "errors" would shadow Serializer.errors.
InvalidRequest = inline_serializer(
    name="InvalidRequest",
    fields={
        "detail": serializers.CharField(help_text="What went wrong, in sentences."),
        "errors": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            help_text="For each parameter or field in error, sentences that name it.",
        ),
    },
)


def responses(ok: Any, *codes: int, ok_status: int = 200, ok_description: str = "") -> dict[int, Any]:
    """The responses of an operation: its success and the errors it can give (401 always)."""
    if not ok_description:
        listing = isinstance(ok, serializers.ListSerializer)
        ok_description = "A page of them, with links to the next and previous pages." if listing else "Found."
    described = {
        400: OpenApiResponse(
            InvalidRequest, description="A parameter or field is not valid: errors names it."
        ),
        401: OpenApiResponse(Error, description="No token, or a token that is not valid or was revoked."),
        403: OpenApiResponse(Error, description="The token is read-only."),
        404: OpenApiResponse(
            Error, description="Not found: it does not exist, or belongs to another organisation."
        ),
    }
    success = OpenApiResponse(ok, description=ok_description)
    return {ok_status: success, 401: described[401], **{code: described[code] for code in codes}}


def _flatten(data: Any, prefix: str = "") -> dict[str, list[str]]:
    if isinstance(data, Mapping):
        found: dict[str, list[str]] = {}
        for key, value in data.items():
            key = "request" if key == "non_field_errors" else key  # about the request as a whole
            name = f"{prefix}.{key}" if prefix else str(key)
            for field, messages in _flatten(value, name).items():
                found.setdefault(field, []).extend(messages)
        return found
    if isinstance(data, list | tuple):
        found = {}
        for item in data:
            for field, messages in _flatten(item, prefix).items():
                found.setdefault(field, []).extend(messages)
        return found
    return {prefix or "request": [str(data)]}


def _handle_exception(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with domain ValidationErrors as 400s and every 400 as {detail, errors}."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()  # one wording, whether missing or another organisation's
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"request": exc.messages}
        )
    if isinstance(exc, exceptions.ParseError):
        exc = exceptions.ValidationError({"request": [f"The body must be JSON ({exc.detail})."]})
    response = exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        errors = {
            field: [named(field, m) for m in messages] for field, messages in _flatten(response.data).items()
        }
        response.data = {"detail": " ".join(sentences(errors)), "errors": errors}
    return response


def sentences(errors: Mapping[str, Iterable[str]]) -> list[str]:
    # Each message already names its parameter (see `named`); the detail strings them together.
    return [m if m.endswith(".") else m + "." for messages in errors.values() for m in messages]


def named(parameter: str, message: str) -> str:
    """A message ("Enter a phone number…", "This field is required.") as one naming its parameter."""
    if parameter == "request" or message.startswith(parameter):
        return message
    return f"{parameter}: {message}"


class JsonOnly(BaseContentNegotiation):
    """The API speaks JSON whatever the client's Accept header says (no browsable HTML API)."""

    def select_parser(self, request: Any, parsers: Iterable[BaseParser]) -> BaseParser | None:
        return next(iter(parsers), None)

    def select_renderer(
        self, request: Any, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, renderer.media_type


class Cursor(CursorPagination):
    """Keyset pages: as fast on the thousandth page as the first, and no count of the whole table."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = PAGE_SIZE_MAX
    ordering = "id"  # every list is ordered by id, so a position is always a whole number

    def get_page_size(self, request: Any) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= PAGE_SIZE_MAX:
            raise exceptions.ValidationError({"page_size": [PAGE_SIZE_MESSAGE]})
        return int(raw)

    def decode_cursor(self, request: Any) -> Any:
        try:
            cursor = super().decode_cursor(request)
        except exceptions.NotFound:
            cursor = None
            valid = False
        else:
            # The position is text from the client (the stubs say int): an id, as every list is by id.
            position = None if cursor is None or cursor.position is None else str(cursor.position)
            valid = position is None or (
                position.isascii() and position.isdigit() and int(position) <= _MAX_ID
            )
        if not valid:
            raise exceptions.ValidationError({"cursor": [CURSOR_MESSAGE]})
        return cursor

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Which page: copy it from a page's next or previous link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"How many to a page: {self.page_size} unless given.",
                "schema": {"type": "integer", "minimum": 1, "maximum": PAGE_SIZE_MAX},
            },
        ]


class NewestFirst(Cursor):
    ordering = "-id"


class Endpoint:
    """Mixed into every API view: bearer tokens, JSON, the error shape, and open to the site's
    sign-in requirement (a token is the API's sign-in; sessions are not accepted)."""

    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [TokenScope]
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]
    content_negotiation_class = JsonOnly
    throttle_classes: list[Any] = []

    @classmethod
    def as_view(cls, *args: Any, **kwargs: Any) -> Any:
        return login_not_required(super().as_view(*args, **kwargs))  # type: ignore[misc]

    def get_exception_handler(self) -> Any:
        return _handle_exception

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        # Answers hold personal data: no browser or proxy may keep a copy.
        add_never_cache_headers(response)
        return response
