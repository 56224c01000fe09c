"""'Your work' for letters: letters waiting for my check, mine to change or issue, and decisions of
mine whose required letter has not been started."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from engage import access
from engage.core.work import Task, TaskGroup
from engage.decisions.models import Decision
from engage.letters import facts as letter_facts
from engage.letters import services
from engage.letters.content import RESTRICTION_KIND
from engage.letters.models import Letter
from engage.policy.describe import long_date
from engage.policy.presets import Preset
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
    waiting = (
        access.scoped(Decision, user)
        .filter(
            decided_by=user,
            status__in=[Decision.Status.IN_FORCE, Decision.Status.ENDED],
            type__in=[str(t) for t in _LETTER_DECISIONS],
            letters__isnull=True,
        )
        .select_related("case__customer", "policy_version", "organisation")
        .defer("policy_version__text")  # read by hash (PolicyVersion.preset), not copied per decision
    )
    # The policy in force now, for decisions recorded without the one they were made under: read
    # once per organisation, not once per decision.
    current: dict[int, Preset] = {}
    for decision in waiting:
        if decision.policy_version is not None:
            preset = decision.policy_version.preset
        else:
            if decision.organisation_id not in current:
                current[decision.organisation_id] = letter_facts.policy_of(decision)[1]
            preset = current[decision.organisation_id]
        if not letter_facts.letter_required(preset, decision):
            continue
        decided = decision.decided_on or today
        rule = preset.decision(decision.type)
        tasks.append(
            Task(
                label=f"Draft the letter about the {decision.get_type_display().lower()} for {decision.case.customer}",
                url=reverse("letters:new", args=[decision.pk]),
                due=decided,
                overdue=decided < today,
                detail=f"Decided {long_date(decided)}; a letter is required ({rule.clause if rule else ''}).",
            )
        )
    return TaskGroup(title="Letters", tasks=tasks, empty="No letters are waiting for you.")
