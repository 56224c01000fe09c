"""Binding organisations to policy versions: loading a new version, and keeping roles in step."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from engage.audit.services import audit_record
from engage.organisations.models import LocalClosure, Organisation
from engage.policy import presets
from engage.policy.models import PolicyVersion
from engage.policy.working_days import WorkingCalendar
from engage.staff.models import Role


def current_policy(organisation: Organisation) -> PolicyVersion:
    """The version in force now (the latest whose effective time has come)."""
    return (
        PolicyVersion.objects.filter(organisation=organisation, effective_from__lte=timezone.now())
        .order_by("-effective_from", "-id")
        .first()
    ) or _raise_no_policy(organisation)


def calendar_for(organisation: Organisation) -> WorkingCalendar:
    """Working days for this organisation: its nation's bank holidays and its own closure days."""
    closures = LocalClosure.objects.filter(organisation=organisation).values_list("date", flat=True)
    return WorkingCalendar(organisation.nation, extra_closures=list(closures))


def _raise_no_policy(organisation: Organisation) -> PolicyVersion:
    raise LookupError(f"{organisation} has no policy loaded")


def policy_load(*, actor: Any, organisation: Organisation, text: str, source: str) -> PolicyVersion:
    """Validate a preset text and make it the organisation's policy from now on.

    Raises PresetError (listing each problem by key) and stores nothing if the text is invalid.
    Loading the same text twice is a no-op that returns the version already loaded.
    """
    preset = presets.parse(text, source=source)
    digest = PolicyVersion.digest(text)
    with transaction.atomic():
        existing = PolicyVersion.objects.filter(organisation=organisation, sha256=digest).first()
        if existing is not None:
            return existing
        version = PolicyVersion.objects.create(
            organisation=organisation,
            preset_key=preset.key,
            version=preset.version,
            title=preset.title,
            text=text,
            sha256=digest,
            effective_from=timezone.now(),
            loaded_by=actor,
        )
        changed = _sync_roles(organisation, preset)
        audit_record(
            actor=actor,
            action="policy.load",
            obj=version,
            organisation=organisation,
            detail={"preset": preset.key, "version": preset.version, "source": source, "roles": changed},
        )
    return version


def _sync_roles(organisation: Organisation, preset: Any) -> dict[str, list[str]]:
    """Create the preset's roles, update their names and capabilities, archive roles it dropped."""
    existing = {r.key: r for r in Role.objects.filter(organisation=organisation)}
    added, archived = [], []
    for spec in preset.roles:
        caps = [str(c) for c in spec.capabilities]
        role = existing.get(spec.key)
        if role is None:
            Role.objects.create(organisation=organisation, key=spec.key, name=spec.name, capabilities=caps)
            added.append(spec.key)
        elif (role.name, role.capabilities, role.is_archived) != (spec.name, caps, False):
            role.name, role.capabilities, role.is_archived = spec.name, caps, False
            role.save(update_fields=["name", "capabilities", "is_archived", "modified_at"])
    keep = {spec.key for spec in preset.roles}
    for key, role in existing.items():
        if key not in keep and not role.is_archived:
            role.is_archived = True
            role.save(update_fields=["is_archived", "modified_at"])
            archived.append(key)
    return {"added": added, "archived": archived}
