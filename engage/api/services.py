"""Creating service accounts, issuing and revoking their tokens, and finding the account a token acts as."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import re
import secrets
import time
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from engage.api.models import ApiToken, ServiceAccount
from engage.audit.services import audit_record
from engage.contacts.sql import execute
from engage.organisations.models import Organisation
from engage.policy.vocabulary import Capability

TOKEN_PREFIX = "eng_"
# "eng_" and 43 characters of URL-safe base64: 32 random bytes.
_TOKEN_SHAPE = re.compile(r"eng_[A-Za-z0-9_-]{43}")
# last_used_at is for people deciding whether a token is still needed: a minute is precise enough,
# and saves a database write on every call.
LAST_USED_PRECISION = dt.timedelta(minutes=1)
NAME_MAX_LENGTH = ServiceAccount._meta.get_field("name").max_length


@dataclass(frozen=True)
class IssuedToken:
    """A new token: the stored row, and the token itself, which exists only here and is shown once."""

    token: ApiToken
    plain: str


def hash_token(plain: str) -> str:
    """The stored form of a token (see `ApiToken` for why SHA-256 is right for it)."""
    return hashlib.sha256(plain.encode()).hexdigest()


def is_token_shaped(text: str) -> bool:
    """Whether `text` could be a token at all; anything else is refused without a database query."""
    return _TOKEN_SHAPE.fullmatch(text) is not None


def _check_actor(actor: Any, organisation_id: int) -> None:
    # The pages require the capability too; this stops any other caller.
    if getattr(actor, "organisation_id", None) != organisation_id:
        raise PermissionDenied("This service account belongs to another organisation.")
    if not getattr(actor, "can", lambda _c: False)(Capability.INFORMATION_GOVERNANCE):
        raise PermissionDenied("Only information governance can manage service accounts.")


def service_account_create(
    *, actor: Any, organisation: Organisation, name: str, scope: str
) -> ServiceAccount:
    """A named integration account: read-only, or read and write (recording contact events)."""
    _check_actor(actor, organisation.pk)
    name = " ".join(name.split())
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Enter a name for the service account, like Telephony"
    elif len(name) > NAME_MAX_LENGTH:  # type: ignore[operator]
        errors["name"] = f"The name must be {NAME_MAX_LENGTH} characters or fewer"
    elif ServiceAccount.objects.filter(organisation=organisation, name__iexact=name).exists():
        errors["name"] = "Another service account already has this name"
    if scope not in ServiceAccount.Scope.values:
        errors["scope"] = "Select whether the account may only read, or read and write"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        account = ServiceAccount.objects.create(
            organisation=organisation, created_by=actor, name=name, scope=scope
        )
        audit_record(actor=actor, action="api.service_account_create", obj=account, detail={"scope": scope})
    return account


def token_issue(*, actor: Any, account: ServiceAccount) -> IssuedToken:
    """A new token for the account. The token is returned here once and never stored."""
    _check_actor(actor, account.organisation_id)
    if not account.is_active:
        raise ValidationError({"account": "This service account is no longer active"})
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            account=account, prefix=plain[:8], secret_sha256=hash_token(plain), created_by=actor
        )
        audit_record(
            actor=actor,
            action="api.token_issue",
            obj=token,
            organisation=account.organisation,
            detail={"account": account.name, "prefix": token.prefix},
        )
    return IssuedToken(token, plain)


def token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    """Stop a token working: from its very next call in this process, and within a second in
    every other (`TOKEN_CACHE_SECONDS`). The row stays, so the audit trail reads."""
    account = token.account
    _check_actor(actor, account.organisation_id)
    if token.revoked_at is not None:
        raise ValidationError({"token": "This token has already been revoked"})
    tokens_forget()
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by", "modified_at"])
        audit_record(
            actor=actor,
            action="api.token_revoke",
            obj=token,
            organisation=account.organisation,
            detail={"account": account.name, "prefix": token.prefix},
        )
    return token


@dataclass(frozen=True)
class LiveToken:
    """A token that may be used now, with what its call acts as (see `token_for`)."""

    token_id: int
    account_id: int
    account_name: str
    scope: str
    organisation_id: int
    organisation_name: str
    # last_used_at is more than LAST_USED_PRECISION old (or never set): token_touch will write.
    stale: bool


@functools.cache
def _live_token_sql(vendor: str) -> str:
    """The one statement authenticating a call (cached per database vendor; names from `_meta`,
    so a renamed column fails a test rather than production)."""
    del vendor  # part of the cache key only: quoting can differ between databases
    q = connection.ops.quote_name
    t, a, o = (q(m._meta.db_table) for m in (ApiToken, ServiceAccount, Organisation))

    def c(model: Any, name: str) -> str:
        return q(model._meta.get_field(name).column)

    last_used = c(ApiToken, "last_used_at")
    # Table and column names from _meta; every value is a parameter.
    return (
        f"SELECT t.{c(ApiToken, 'id')}, a.{c(ServiceAccount, 'id')}, a.{c(ServiceAccount, 'name')}, "  # noqa: S608
        f"a.{c(ServiceAccount, 'scope')}, o.{c(Organisation, 'id')}, o.{c(Organisation, 'name')}, "
        f"CASE WHEN t.{last_used} IS NULL OR t.{last_used} <= %s THEN 1 ELSE 0 END "
        f"FROM {t} t JOIN {a} a ON a.{c(ServiceAccount, 'id')} = t.{c(ApiToken, 'account')} "
        f"JOIN {o} o ON o.{c(Organisation, 'id')} = a.{c(ServiceAccount, 'organisation')} "
        f"WHERE t.{c(ApiToken, 'secret_sha256')} = %s AND t.{c(ApiToken, 'revoked_at')} IS NULL "
        f"AND a.{c(ServiceAccount, 'is_active')} = %s AND o.{c(Organisation, 'is_active')} = %s"
    )


# Tokens found live in the last second, in this process. An integration sends the same token with
# every call, and finding it is a statement of its own; remembering it for a second saves that
# statement on all but one call a second. Revoking a token (token_revoke) forgets them all in
# the process that revoked it at once, and in other processes within TOKEN_CACHE_SECONDS, as
# does ending an account or organisation; a token not found is never remembered.
TOKEN_CACHE_SECONDS = 1.0
_TOKEN_CACHE_SIZE = 1000
_live_tokens: dict[str, tuple[float, LiveToken]] = {}


def tokens_forget() -> None:
    """Forget the tokens this process remembers: the next call of each is looked up again."""
    _live_tokens.clear()


def token_for(plain: str, now: dt.datetime | None = None) -> LiveToken | None:
    """The live token `plain` is, with its account and organisation; None for anything else
    (malformed, unknown, revoked, or its account or organisation inactive), without saying which.

    One statement on the unique index of the hash, by hand: every API call makes it, and through
    the ORM it cost 1.5 ms, more than the contact check it guards (baselines.md: "a hot path …
    issues one hand-written statement through connection.cursor()"). A token found in the last
    TOKEN_CACHE_SECONDS is not looked up again (see above); `now` (for tests) always looks it up.
    """
    if not is_token_shaped(plain):
        return None
    digest = hash_token(plain)
    if now is None:
        remembered = _live_tokens.get(digest)
        # Wall-clock time, so a clock set back counts as expired rather than extending the second.
        if remembered is not None and 0 <= time.time() - remembered[0] < TOKEN_CACHE_SECONDS:
            return remembered[1]
    cutoff = (now or timezone.now()) - LAST_USED_PRECISION
    params = [connection.ops.adapt_datetimefield_value(cutoff), digest, True, True]
    rows = execute(_live_token_sql(connection.vendor), params, fetch=True)
    if not rows:
        _live_tokens.pop(digest, None)
        return None
    token_id, account_id, account_name, scope, organisation_id, organisation_name, stale = rows[0]
    token = LiveToken(
        token_id, account_id, account_name, scope, organisation_id, organisation_name, bool(stale)
    )
    if now is None:
        if len(_live_tokens) >= _TOKEN_CACHE_SIZE:
            _live_tokens.clear()
        _live_tokens[digest] = (time.time(), token)
    return token


def token_touch(token: LiveToken, now: dt.datetime | None = None) -> bool:
    """Record that the token was used, at most once a minute. Bookkeeping, not an action anyone
    took, so not audited (what a call does is recorded where it matters, e.g. each contact
    check). Returns whether anything was written."""
    if not token.stale:
        return False
    now = now or timezone.now()
    ApiToken.objects.filter(pk=token.token_id).update(last_used_at=now)
    ServiceAccount.objects.filter(pk=token.account_id).update(last_used_at=now)
    # A remembered copy would say "stale" until forgotten: it is now fresh.
    for digest, (since, remembered) in list(_live_tokens.items()):
        if remembered.token_id == token.token_id:
            _live_tokens[digest] = (since, dataclasses.replace(remembered, stale=False))
    return True
