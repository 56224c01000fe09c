"""Staff: people who sign in, the organisation they work for, their roles and line manager."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models

from engage.core.models import TimeStamped
from engage.policy.vocabulary import Capability


class Role(TimeStamped):
    """One of an organisation's own roles (its policy's words), carrying generic capabilities.

    Roles come from the organisation's policy preset (its decision matrix); they are archived,
    never deleted, so past decisions keep the role they were made under.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="roles"
    )
    key = models.CharField(max_length=60)
    name = models.CharField(max_length=200)
    capabilities = models.JSONField(default=list)
    is_archived = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "key"], name="role_key_unique_in_org")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A member of staff. Platform operators (superusers) may have no organisation."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    roles = models.ManyToManyField(Role, blank=True, related_name="holders")
    line_manager = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    job_title = models.CharField(max_length=200, blank=True)

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def capabilities(self) -> frozenset[str]:
        cached = getattr(self, "_capabilities", None)
        if cached is None:
            cached = frozenset(
                cap for role in self.roles.filter(is_archived=False) for cap in role.capabilities
            )
            self._capabilities = cached
        return cached

    @property
    def role_keys(self) -> frozenset[str]:
        return frozenset(self.roles.filter(is_archived=False).values_list("key", flat=True))

    def can(self, capability: Capability | str) -> bool:
        return str(capability) in self.capabilities
