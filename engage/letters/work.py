"""'Your work' for letters: letters waiting for my check, mine to change or issue, and decisions of
mine whose required letter has not been started."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from engage import access
from engage.core.work import SHOWN, Task, TaskGroup
from engage.decisions.models import Decision
from engage.letters import facts as letter_facts
from engage.letters import services
from engage.letters.content import RESTRICTION_KIND
from engage.letters.models import Letter
from engage.policy.describe import long_date
from engage.policy.models import PolicyVersion
from engage.policy.presets import Preset
from engage.policy.services import current_policy
from engage.policy.vocabulary import DecisionType

# Decisions whose letter is written from the decision itself (not from a review or appeal).
_LETTER_DECISIONS = (
    *RESTRICTION_KIND,
    DecisionType.WARNING,
    DecisionType.RESTORATIVE_APPROACH,
    DecisionType.LIFT,
)


def tasks_for(user: Any, today: dt.date | None = None) -> TaskGroup | None:
    if getattr(user, "organisation_id", None) is None:
        return None
    today = today or timezone.localdate()
    tasks: list[Task] = []
    letters = access.scoped(Letter, user).select_related(
        "case__customer", "author", "policy_version", "decision"
    )
    for letter in letters.filter(status=Letter.Status.AWAITING_CHECK).exclude(author=user):
        if services.may_check(user, letter):
            tasks.append(
                Task(
                    label=f"Check the letter to {letter.case.customer}: {letter.kind_label.lower()}",
                    url=reverse("letters:check", args=[letter.pk]),
                    due=timezone.localdate(letter.submitted_at) if letter.submitted_at else None,
                    detail=f"Drafted by {letter.author} ({letter.reference}).",
                )
            )
    for letter in letters.filter(author=user, status__in=[Letter.Status.DRAFT, Letter.Status.CHECKED]):
        if letter.status == Letter.Status.CHECKED:
            label = f"Issue the checked letter to {letter.case.customer}"
        elif letter.check_note:
            label = f"Change the letter to {letter.case.customer}: its checker returned it"
        else:
            label = f"Finish the draft letter to {letter.case.customer}"
        tasks.append(
            Task(label=label, url=reverse("letters:detail", args=[letter.pk]), detail=f"{letter.reference}.")
        )
    waiting = access.scoped(Decision, user).filter(
        decided_by=user,
        status__in=[Decision.Status.IN_FORCE, Decision.Status.ENDED],
        type__in=[str(t) for t in _LETTER_DECISIONS],
        letters__isnull=True,
    )
    # Only the decisions whose policy requires a letter, chosen in the query so that they can be
    # counted without building them: the oldest first, at most what the page lists (SHOWN).
    presets: dict[int | None, Preset] = {}
    needing = Q(pk__in=[])
    for version_id in waiting.values_list("policy_version", flat=True).distinct().order_by():
        presets[version_id] = preset = _preset(version_id, user)
        types = [str(t) for t in _LETTER_DECISIONS if letter_facts.letter_required(preset, str(t))]
        needing |= (
            Q(policy_version=version_id, type__in=types)
            if version_id
            else Q(policy_version__isnull=True, type__in=types)
        )
    waiting = waiting.filter(needing).select_related("case__customer").order_by("decided_on", "pk")
    total = waiting.count()
    room = max(SHOWN - len(tasks), 0)
    for decision in waiting[:room]:
        decided = decision.decided_on or today
        rule = presets[decision.policy_version_id].decision(decision.type)
        tasks.append(
            Task(
                label=f"Draft the letter about the {decision.get_type_display().lower()} for {decision.case.customer}",
                url=reverse("letters:new", args=[decision.pk]),
                due=decided,
                overdue=decided < today,
                detail=f"Decided {long_date(decided)}; a letter is required ({rule.clause if rule else ''}).",
            )
        )
    return TaskGroup(
        title="Letters",
        tasks=tasks,
        empty="No letters are waiting for you.",
        not_built=total - min(total, room),
    )


def _preset(version_id: int | None, user: Any) -> Preset:
    """The policy decisions were made under; for those recorded without it (the field allows it),
    the organisation's policy in force, as `letters.facts.policy_of` reads it. By hash, without
    the policy's text (`PolicyVersion.preset`)."""
    if version_id is None:
        return current_policy(user.organisation).preset
    return PolicyVersion.objects.only("sha256").get(pk=version_id).preset
