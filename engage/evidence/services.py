"""Adding evidence to an incident, opening or downloading it, and withdrawing it: each one audited."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from engage.audit.models import AuditRecord
from engage.audit.services import audit_record
from engage.evidence import files
from engage.evidence.models import Evidence, EvidenceOpening
from engage.evidence.selectors import can_see, may_open, may_withdraw
from engage.incidents.models import Incident


def evidence_add(
    *, actor: Any, incident: Incident, uploaded_file: Any, distressing: bool, description: str = ""
) -> Evidence:
    """Check the file by its content, strip image metadata, store it, and record it on the incident.

    A refused file is not stored: the refusal is audited and raised as a ValidationError on
    "file" that names the rule.
    """
    if not can_see(actor, incident):
        raise ValidationError({"file": "You cannot add evidence to this incident."})
    if distressing is None:
        raise ValidationError({"distressing": "Select yes if this item may be distressing to see or hear."})
    name = files.display_name(getattr(uploaded_file, "name", "") or "")
    try:
        # Read at most one byte past the limit: enough to know a file is too big, never more.
        if hasattr(uploaded_file, "seek"):
            uploaded_file.seek(0)
        data = uploaded_file.read(files.MAX_BYTES + 1)
        verdict = files.inspect(data, name)
        stored = files.strip_metadata(data, verdict.kind)
    except files.FileRefused as refused:
        audit_record(
            actor=actor,
            action="evidence.add",
            obj=incident,
            outcome=AuditRecord.Outcome.REFUSED,
            detail={"reason": refused.reason},
        )
        raise ValidationError({"file": refused.reason}) from refused

    stored_name = f"evidence/{incident.organisation_id}/{uuid.uuid4().hex}"
    saved_name = default_storage.save(stored_name, ContentFile(stored))
    try:
        with transaction.atomic():
            # Lock the incident so two uploads at once cannot take the same number.
            Incident.objects.select_for_update().filter(pk=incident.pk).first()
            number = (incident.evidence.aggregate(n=Max("number"))["n"] or 0) + 1
            evidence = Evidence.objects.create(
                organisation_id=incident.organisation_id,
                created_by=actor,
                incident=incident,
                number=number,
                stored_name=saved_name,
                original_name=name,
                content_type=verdict.content_type,
                kind=verdict.kind,
                size=len(stored),
                sha256=hashlib.sha256(stored).hexdigest(),
                distressing=distressing,
                description=description.strip(),
                uploaded_by=actor,
            )
            audit_record(
                actor=actor,
                action="evidence.add",
                obj=evidence,
                detail={
                    "incident": incident.reference,
                    "kind": verdict.kind,
                    "size": len(stored),
                    "sha256": evidence.sha256,
                    "received_sha256": hashlib.sha256(data).hexdigest(),
                    "distressing": distressing,
                },
            )
    except BaseException:
        default_storage.delete(saved_name)  # nothing recorded, so nothing kept
        raise
    return evidence


def evidence_open(*, actor: Any, evidence: Evidence, reason: str) -> EvidenceOpening:
    """Record a deliberate opening, with the reason (required for a distressing item)."""
    _check_may_open(actor, evidence)
    reason = (reason or "").strip()
    if evidence.distressing and not reason:
        raise ValidationError({"reason": "Enter why you are opening this item."})
    with transaction.atomic():
        opening = EvidenceOpening.objects.create(
            evidence=evidence, opened_by=actor, opened_at=timezone.now(), reason=reason
        )
        audit_record(
            actor=actor,
            action="evidence.open",
            obj=evidence,
            detail={"reason": reason, "distressing": evidence.distressing},
        )
    return opening


def evidence_download(*, actor: Any, evidence: Evidence) -> None:
    """Record the download of an item that is not distressing (those are opened, with a reason)."""
    _check_may_open(actor, evidence)
    if evidence.distressing:
        raise ValidationError({"reason": "This item may be distressing: open it, saying why."})
    with transaction.atomic():
        audit_record(actor=actor, action="evidence.download", obj=evidence)


def evidence_withdraw(*, actor: Any, evidence: Evidence, reason: str) -> Evidence:
    """Take an item out of the live evidence (added in error, or to the wrong incident).

    The file is kept for the record (see models.py), and only information governance can open it.
    """
    if evidence.is_withdrawn:
        raise ValidationError({"reason": "This item has already been withdrawn."})
    if not may_withdraw(actor, evidence):
        raise ValidationError(
            {
                "reason": "Only the person who added this item, a manager or information governance can withdraw it."
            }
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why this item is being withdrawn."})
    with transaction.atomic():
        evidence.is_withdrawn = True
        evidence.withdrawn_at = timezone.now()
        evidence.withdrawn_by = actor
        evidence.withdrawn_reason = reason
        evidence.save(
            update_fields=["is_withdrawn", "withdrawn_at", "withdrawn_by", "withdrawn_reason", "modified_at"]
        )
        audit_record(actor=actor, action="evidence.withdraw", obj=evidence, detail={"reason": reason})
    return evidence


def _check_may_open(actor: Any, evidence: Evidence) -> None:
    if not can_see(actor, evidence):
        raise ValidationError({"reason": "You cannot open this item."})
    if not may_open(actor, evidence):
        raise ValidationError(
            {"reason": "This item has been withdrawn; only information governance can open it."}
        )
