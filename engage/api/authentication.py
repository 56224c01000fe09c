"""Who an API call acts as: a bearer token's service account, as a principal `engage.access` scopes by.

The principal is not a member of staff: it holds no capabilities, so nothing that needs a person's
authority (deciding, reviewing, seeing vulnerability notes) can ever be done with a token, while
`access.scoped` and `access.get_for_user` scope it to its organisation like anyone else.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, ClassVar

from django.db import DEFAULT_DB_ALIAS
from rest_framework import HTTP_HEADER_ENCODING, exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from engage.api import services
from engage.api.models import ServiceAccount
from engage.organisations.models import Organisation

MISSING = "Authentication is required: send the header Authorization: Bearer <token>."
INVALID = "The token is not valid: it may be mistyped or revoked."
READ_ONLY = "This token is read-only: ask your information governance team for a read and write token."


@dataclass(frozen=True, eq=False)
class ServicePrincipal:
    """The request's "user" for an API call: a service account of one organisation.

    Satisfies what `engage.access` and `engage.audit` read from an actor: `is_authenticated`,
    `organisation_id`, `organisation`, `capabilities`, and `pk` (None: no staff account, so audit
    records name the account in their label only).
    """

    account_id: int
    token_id: int
    name: str
    scope: str
    organisation_id: int
    organisation_name: str

    is_authenticated: ClassVar[bool] = True
    is_anonymous: ClassVar[bool] = False
    is_active: ClassVar[bool] = True
    pk: ClassVar[None] = None
    capabilities: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def of(cls, token: services.LiveToken) -> ServicePrincipal:
        return cls(
            token.account_id,
            token.token_id,
            token.account_name,
            token.scope,
            token.organisation_id,
            token.organisation_name,
        )

    @functools.cached_property
    def organisation(self) -> Organisation:
        """The organisation as a model instance (for services and audit records that take one),
        made from what authentication read: no query unless another field is asked for."""
        return Organisation.from_db(
            DEFAULT_DB_ALIAS, ["id", "name"], [self.organisation_id, self.organisation_name]
        )

    @property
    def may_write(self) -> bool:
        return self.scope == ServiceAccount.Scope.READ_WRITE

    def can(self, capability: Any) -> bool:
        return False

    def __str__(self) -> str:
        return f"Service account: {self.name}"


def _authorization(request: Any) -> bytes:
    """The Authorization header as bytes, as DRF's get_authorization_header gives it, read from
    META: `request.headers` builds a dict of every header first, which the hot path can spare."""
    value = request.META.get("HTTP_AUTHORIZATION", b"")
    return value.encode(HTTP_HEADER_ENCODING) if isinstance(value, str) else value


class BearerTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer eng_…`. Without the header, the call is anonymous (and refused 401 by
    `TokenScope`); with a header that is not a live token, it is refused 401 at once."""

    keyword = b"bearer"

    def authenticate(self, request: Request) -> tuple[ServicePrincipal, services.LiveToken] | None:
        header = _authorization(request).split()
        if not header:
            return None
        if header[0].lower() != self.keyword or len(header) != 2:
            raise exceptions.AuthenticationFailed(MISSING)
        try:
            plain = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(INVALID) from None
        token = services.token_for(plain)
        if token is None:
            raise exceptions.AuthenticationFailed(INVALID)
        services.token_touch(token)
        return ServicePrincipal.of(token), token

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (not 403) to a call without a token, naming the scheme.
        return 'Bearer realm="Engage API"'


class TokenScope(BasePermission):
    """A service account's token is needed for every call; writing needs a read and write one."""

    message = READ_ONLY

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not isinstance(user, ServicePrincipal):
            raise exceptions.NotAuthenticated(MISSING)
        return request.method in SAFE_METHODS or user.may_write
