"""Creating organisations and changing their settings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from engage.audit.services import audit_record
from engage.organisations.models import LocalClosure, Organisation
from engage.policy import presets
from engage.policy.services import policy_load


def organisation_create(
    *, actor: Any, name: str, slug: str, preset_key: str, **letterhead: str
) -> Organisation:
    """A new organisation running a shipped preset; its roles come from the preset."""
    path = presets.PRESETS_DIR / f"{preset_key}.toml"
    preset = presets.get(preset_key)  # raises PresetError naming the available presets
    with transaction.atomic():
        organisation = Organisation.objects.create(
            name=name, slug=slug, preset=preset_key, nation=preset.nation.value, **letterhead
        )
        audit_record(
            actor=actor, action="organisation.create", obj=organisation, detail={"preset": preset_key}
        )
        policy_load(
            actor=actor, organisation=organisation, text=path.read_text(encoding="utf-8"), source=path.name
        )
    return organisation


_SETTINGS_FIELDS = ("address", "telephone", "email", "website")


def organisation_update_settings(*, actor: Any, organisation: Organisation, **changes: str) -> Organisation:
    unknown = set(changes) - set(_SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"not an organisation setting: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        before = {f: getattr(organisation, f) for f in changes}
        for field, value in changes.items():
            setattr(organisation, field, value)
        organisation.full_clean()
        organisation.save(update_fields=[*changes, "modified_at"])
        audit_record(
            actor=actor,
            action="organisation.settings_change",
            obj=organisation,
            detail={"changed": sorted(f for f in changes if before[f] != changes[f])},
        )
    return organisation


def closure_add(*, actor: Any, organisation: Organisation, date: dt.date, reason: str) -> LocalClosure:
    """A local closure day: not a working day for this organisation's deadlines from now on."""
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the organisation is closed on this day."})
    if LocalClosure.objects.filter(organisation=organisation, date=date).exists():
        raise ValidationError({"date": "This day is already recorded as a closure day."})
    with transaction.atomic():
        closure = LocalClosure.objects.create(organisation=organisation, date=date, reason=reason.strip())
        audit_record(actor=actor, action="organisation.closure_add", obj=closure, organisation=organisation)
    return closure


def closure_remove(*, actor: Any, closure: LocalClosure) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="organisation.closure_remove",
            obj=closure,
            organisation=closure.organisation,
            detail={"date": closure.date.isoformat(), "reason": closure.reason},
        )
        closure.delete()
