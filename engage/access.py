"""The access module: every read of domain data goes through here, scoped to the user's organisation.

A guard answers "not found" both for an object that does not exist and for one that belongs to
another organisation, so nobody can learn what another organisation holds by guessing URLs.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from engage.policy.vocabulary import Capability

M = TypeVar("M", bound=models.Model)


def _organisation_field(model: type[models.Model]) -> str:
    # A model reached through another names the path, e.g. ORGANISATION_PATH = "case__organisation".
    return getattr(model, "ORGANISATION_PATH", "organisation")


def scoped(queryset: models.QuerySet[M] | type[M], user: Any) -> models.QuerySet[M]:
    """Only the rows of the acting user's organisation (none for anyone without one)."""
    qs = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    organisation_id = getattr(user, "organisation_id", None)
    if not getattr(user, "is_authenticated", False) or organisation_id is None:
        return qs.none()
    return qs.filter(**{f"{_organisation_field(qs.model)}_id": organisation_id})


def get_for_user(queryset: models.QuerySet[M] | type[M], user: Any, **lookup: Any) -> M:
    """One object of the user's organisation, or 404 whether it is missing or not theirs."""
    try:
        return scoped(queryset, user).get(**lookup)
    except (models.ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Not found") from exc


def require(user: Any, *capabilities: Capability | str) -> None:
    """Refuse (403) unless the user holds at least one of these capabilities."""
    held: frozenset[str] = getattr(user, "capabilities", frozenset())
    if not any(str(c) in held for c in capabilities):
        raise PermissionDenied("Your role does not allow this.")
