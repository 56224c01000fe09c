"""Reading letters: who may see and draft them, and the letters of a case or a decision.

Every lookup by id goes through `engage.access` (404 for missing and not yours); these functions
take objects already fetched that way.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from engage import access
from engage.decisions import selectors as case_selectors
from engage.decisions.models import Case, Decision
from engage.letters.models import Letter


def letters(user: Any) -> QuerySet[Letter]:
    return access.scoped(Letter, user).select_related("case__customer", "decision", "author")


def may_draft(user: Any, decision: Decision) -> bool:
    """Those who see case histories, and whoever proposed the decision or logged an incident it
    rests on (003 Guidance: "You will need to draft the letter to the customer"; "You and your
    manager will need to draft the letter")."""
    if getattr(user, "organisation_id", None) != decision.organisation_id:
        return False
    if case_selectors.can_see_history(user):
        return True
    if decision.proposed_by_id == user.pk:
        return True
    return decision.incidents.filter(reporter=user).exists()


def may_see(user: Any, letter: Letter) -> bool:
    """The letter holds the case's reasons: those with need to know, and its author."""
    if getattr(user, "organisation_id", None) != letter.organisation_id:
        return False
    return case_selectors.can_see_history(user) or letter.author_id == user.pk


def for_decision(decision: Decision) -> QuerySet[Letter]:
    return Letter.objects.filter(decision=decision).select_related("author", "checked_by").order_by("number")


def for_case(case: Case) -> QuerySet[Letter]:
    return (
        Letter.objects.filter(case=case)
        .select_related("decision", "author", "checked_by")
        .order_by("-number")
    )
