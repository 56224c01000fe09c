"""The OpenAPI 3.1 schema Engage serves for its API, and how bearer tokens appear in it."""

from __future__ import annotations

import functools
from typing import Any

from django.contrib.auth.decorators import login_not_required
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import (
    OpenApiJsonRenderer,
    OpenApiJsonRenderer2,
    OpenApiYamlRenderer,
    OpenApiYamlRenderer2,
)
from drf_spectacular.settings import patched_settings
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny

DESCRIPTION = """\
Engage's API for an organisation's own integrations: telephony, the mail gateway, a CRM.

Authentication: every call sends the header Authorization: Bearer followed by a token. Tokens
belong to a named service account of one organisation, made by its information governance team
in Engage; a token is shown once, when it is made, and can be revoked at any time. Without a
valid token: 401. A read-only token is refused (403) on anything that writes.

One organisation: a token sees only its own organisation's records. Another organisation's do
not exist as far as it can tell: 404, empty lists, or an unknown contact.

Errors: always JSON with a detail sentence; a 400 adds errors, which names each parameter or
field in error.

Pages: lists come in pages of 50 (page_size up to 200); follow the next and previous links,
whose cursor is opaque.

Data minimisation: an integration sees references, statuses, dates and types; never what was
written about a person (accounts of incidents, reasons, notes, grounds), staff names, needs or
vulnerability notes.
"""

# The project's SPECTACULAR_SETTINGS, completed for this API (applied wherever the schema is made).
SETTINGS: dict[str, Any] = {
    "DESCRIPTION": DESCRIPTION,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Choices are listed by `enum`; repeating them in every description only adds noise.
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    "TAGS": [
        {"name": "Contact check", "description": "The hot path: this person is on the line, what may we do?"},
        {"name": "Customers"},
        {"name": "Incidents"},
        {"name": "Decisions"},
        {"name": "Reviews and appeals"},
        {"name": "Letters"},
        {"name": "Contact events"},
    ],
    # Enums named by what they are, not by the field they first appeared on (two fields called
    # "identifier_kind" and "kind" with different values must not share one component).
    "ENUM_NAME_OVERRIDES": {
        "Channel": "engage.contacts.models.CHANNEL_CHOICES",
        "IdentifierKind": "engage.customers.models.Identifier.Kind",
        "EventIdentifierKind": "engage.api.serializers.EVENT_IDENTIFIER_KINDS",
        "CheckDecision": "engage.api.serializers.CHECK_DECISIONS",
    },
}


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "engage.api.authentication.BearerTokenAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A service account's token, like eng_…, made by information governance.",
        }


@functools.cache
def schema() -> dict[str, Any]:
    """The schema as a dictionary (made once per process: it depends only on the code)."""
    with patched_settings(SETTINGS):
        return SchemaGenerator().get_schema(request=None, public=True)


class SchemaView(SpectacularAPIView):
    """The schema, JSON by default, YAML with `?format=yaml`. Open to anyone: it holds no data, and
    integrators read it before they have a token."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    renderer_classes = [OpenApiJsonRenderer2, OpenApiJsonRenderer, OpenApiYamlRenderer2, OpenApiYamlRenderer]
    custom_settings = SETTINGS

    @classmethod
    def as_view(cls, *args: Any, **kwargs: Any) -> Any:
        return login_not_required(super().as_view(*args, **kwargs))
