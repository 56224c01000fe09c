"""Service accounts for integrations (telephony, mail gateway, CRM) and their API tokens."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from engage.core.models import Owned, TimeStamped


class ServiceAccount(Owned):
    """A named integration of one organisation. Its tokens act as it, never as a person.

    The scope is the account's: every token it holds reads, or reads and writes, the same.
    `last_used_at` is the latest of its tokens' (kept to the minute, see `ApiToken`).
    """

    class Scope(models.TextChoices):
        READ = "read", _("Read only")
        READ_WRITE = "read_write", _("Read and write")

    name = models.CharField(max_length=100)
    scope = models.CharField(max_length=20, choices=Scope.choices, default=Scope.READ)
    is_active = models.BooleanField(default=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="service_account_name_unique_in_org"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ApiToken(TimeStamped):
    """One bearer token of a service account. Engage keeps only its SHA-256, never the token.

    A token is `eng_` followed by 32 random bytes (`secrets.token_urlsafe(32)`): 256 bits that
    nobody chose, so nothing can be guessed from a dictionary and a fast, unsalted hash is the
    right one (a slow password hash such as Argon2 protects low-entropy secrets people pick, and
    would cost every API call ~100 ms). The hash is unique and indexed, so authenticating is one
    equality lookup; a database leak gives hashes that cannot be turned back into tokens.
    `prefix` (the first 8 characters) is kept so people can tell their tokens apart.
    `last_used_at` is updated at most once a minute (`services.token_touch`), not on every call.
    """

    ORGANISATION_PATH = "account__organisation"

    account = models.ForeignKey(ServiceAccount, on_delete=models.PROTECT, related_name="tokens")
    prefix = models.CharField(max_length=8)
    secret_sha256 = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        # Never the secret: this label is copied into the audit log.
        return f"{self.prefix}… ({self.account})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
