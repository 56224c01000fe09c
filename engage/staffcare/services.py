"""Staff care changes: debriefs, staff requests about a customer, staff named online.

Each function takes keyword arguments and an explicit actor, checks who may act, and writes its
audit record in the same transaction. Refusals raise PermissionDenied (who) or ValidationError
(what, by field) and write nothing. Audit details carry ids and kinds, never what a member of
staff wrote: the audit log is read by people outside their line of management.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from engage.audit.services import audit_record
from engage.evidence import files
from engage.policy.schema import Preset
from engage.policy.services import current_policy
from engage.staffcare import rules
from engage.staffcare.models import Debrief, NamedOnlineReport, NamedOnlineScreenshot, StaffRequest
from engage.staffcare.selectors import manages, may_decide, may_handle_named_online, named_online_for

Kind = StaffRequest.Kind
Status = StaffRequest.Status

MAX_SCREENSHOTS = 10


def _same_organisation(actor: Any, *people: Any) -> None:
    organisation_id = getattr(actor, "organisation_id", None)
    if organisation_id is None or any(p.organisation_id != organisation_id for p in people):
        raise PermissionDenied("You can only act for people in your own organisation.")


def _preset(organisation: Any) -> Preset:
    return current_policy(organisation).preset


def _within(preset: Preset, topic: str) -> str:
    cited = rules.clause(preset, topic)
    return f" ({cited})" if cited else ""


# ------------------------------------------------------------------------------------ debriefs


def debrief_record(
    *,
    actor: Any,
    staff_member: Any,
    held_with: Iterable[Any],
    held_on: dt.date,
    agreed_actions: str,
    incident: Any = None,
    follow_up_on: dt.date | None = None,
) -> Debrief:
    """Note a debrief and what was agreed (000/001 §68, 002 §10.4).

    Noted by the member of staff, by someone who was there, or by a manager above them.
    """
    held_with = [p for p in held_with if p.pk != staff_member.pk]
    _same_organisation(actor, staff_member)
    if not (
        actor.pk == staff_member.pk
        or any(p.pk == actor.pk for p in held_with)
        or manages(actor, staff_member)
    ):
        raise PermissionDenied("Only the person, someone who was there, or their manager can note a debrief.")
    errors: dict[str, str] = {}
    if not held_with:
        errors["held_with"] = "Select who the debrief was with"
    elif any(p.organisation_id != actor.organisation_id for p in held_with):
        errors["held_with"] = "Select people of your organisation"
    if held_on > timezone.localdate():
        errors["held_on"] = "The date of the debrief must be today or in the past"
    if follow_up_on is not None and follow_up_on < held_on:
        errors["follow_up_on"] = "The follow-up date must be on or after the debrief"
    if not agreed_actions.strip():
        errors["agreed_actions"] = "Enter what you agreed, even if it was nothing further"
    if incident is not None and incident.organisation_id != actor.organisation_id:
        errors["incident"] = "Select an incident of your organisation"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        debrief = Debrief.objects.create(
            organisation_id=actor.organisation_id,
            created_by=actor,
            staff_member=staff_member,
            held_on=held_on,
            incident=incident,
            agreed_actions=agreed_actions.strip(),
            follow_up_on=follow_up_on,
        )
        debrief.held_with.set(held_with)
        audit_record(
            actor=actor,
            action="staffcare.debrief_record",
            obj=debrief,
            detail={
                "staff_member": staff_member.pk,
                "held_with": sorted(p.pk for p in held_with),
                "incident": incident.pk if incident is not None else None,
            },
        )
    return debrief


# ------------------------------------------------------------------------------ staff requests


def staff_request_make(
    *, actor: Any, staff_member: Any, customer: Any, kind: str, reason: str = ""
) -> StaffRequest:
    """Ask not to deal with a customer (000/001 §68, §70; 002 §10.4, §10.6).

    By the member of staff, or by their manager on their behalf. No reason is needed: staff
    need not justify asking to be kept away from someone.
    """
    _same_organisation(actor, staff_member)
    if actor.pk != staff_member.pk and not manages(actor, staff_member):
        raise PermissionDenied("Only the person, or a manager above them, can ask for this.")
    if kind not in Kind.values:
        raise ValidationError({"kind": "Select what you would like"})
    if customer.organisation_id != actor.organisation_id or customer.merged_into_id is not None:
        raise ValidationError({"customer": "Select a customer of your organisation"})
    existing = StaffRequest.objects.filter(
        staff_member=staff_member, customer=customer, kind=kind, status__in=StaffRequest.OPEN
    ).first()
    if existing is not None:
        already = "is already agreed" if existing.status == Status.AGREED else "is waiting for a decision"
        raise ValidationError({"kind": f"This request {already}"})
    try:
        with transaction.atomic():
            request = StaffRequest.objects.create(
                organisation_id=actor.organisation_id,
                created_by=actor,
                staff_member=staff_member,
                customer=customer,
                kind=kind,
                reason=reason.strip(),
            )
            audit_record(
                actor=actor,
                action="staffcare.request_make",
                obj=request,
                detail={
                    "kind": kind,
                    "staff_member": staff_member.pk,
                    "customer": customer.pk,
                    "on_behalf": actor.pk != staff_member.pk,
                },
            )
    except IntegrityError as exc:  # the same request made twice at once
        raise ValidationError({"kind": "This request is waiting for a decision"}) from exc
    return request


def staff_request_decide(
    *, actor: Any, request: StaffRequest, agree: bool, reason: str = "", correspond_as: Any = None
) -> StaffRequest:
    """A manager above the member of staff, or a senior decision maker, agrees or declines.

    Declining needs a reason, which the member of staff sees. For correspondence in a senior
    manager's name (000/001 §70, 002 §10.6) the decision says whose name; the decider's own
    by default.
    """
    if not may_decide(actor, request):
        raise PermissionDenied("Only a manager above this person, or a senior manager, can decide this.")
    if request.status != Status.REQUESTED:
        raise ValidationError(
            {"agree": f"This request has already been decided: {request.get_status_display()}"}
        )
    reason = reason.strip()
    if not agree and not reason:
        raise ValidationError({"reason": "Enter why you are not agreeing. They will see this"})
    if agree and request.kind == Kind.SENIOR_MANAGER_NAME:
        correspond_as = correspond_as or actor
        if (
            correspond_as.organisation_id != request.organisation_id
            or correspond_as.pk == request.staff_member_id
        ):
            raise ValidationError({"correspond_as": "Select a senior manager of your organisation"})
    else:
        correspond_as = None
    with transaction.atomic():
        request.status = Status.AGREED if agree else Status.DECLINED
        request.decided_by = actor
        request.decided_at = timezone.now()
        request.decision_reason = reason
        request.correspond_as = correspond_as
        request.save(
            update_fields=[
                "status",
                "decided_by",
                "decided_at",
                "decision_reason",
                "correspond_as",
                "modified_at",
            ]
        )
        audit_record(
            actor=actor,
            action="staffcare.request_decide",
            obj=request,
            detail={"kind": request.kind, "outcome": request.status, "customer": request.customer_id},
        )
    return request


def staff_request_end(*, actor: Any, request: StaffRequest, reason: str = "") -> StaffRequest:
    """End a request that is waiting or agreed.

    The member of staff may withdraw their own at any time without a reason; a manager who may
    decide it may end it only with a reason, since it takes a protection away.
    """
    own = actor is not None and actor.pk == request.staff_member_id
    if not own and not may_decide(actor, request):
        raise PermissionDenied("Only the person, their manager, or a senior manager can end this.")
    if request.status not in StaffRequest.OPEN:
        raise ValidationError({"reason": f"This request has already ended: {request.get_status_display()}"})
    reason = reason.strip()
    if not own and not reason:
        raise ValidationError({"reason": "Enter why this is ending. They will see this"})
    with transaction.atomic():
        before = request.status
        request.status = Status.ENDED
        request.ended_by = actor
        request.ended_at = timezone.now()
        request.end_reason = reason
        request.save(update_fields=["status", "ended_by", "ended_at", "end_reason", "modified_at"])
        audit_record(
            actor=actor,
            action="staffcare.request_end",
            obj=request,
            detail={"kind": request.kind, "was": before, "by_staff_member": own},
        )
    return request


def staff_requests_move(*, actor: Any, source: Any, target: Any) -> int:
    """After two customer records are merged, move open requests to the surviving record.

    For the customers domain's merge to call, so the contact check keeps honouring them.
    Returns how many moved; a request the staff member already has on the target is ended
    instead, as a duplicate.
    """
    if source.organisation_id != target.organisation_id:
        raise ValidationError({"target": "Both customers must belong to the same organisation"})
    with transaction.atomic():
        moved = ended = 0
        for request in StaffRequest.objects.select_for_update().filter(
            customer=source, status__in=StaffRequest.OPEN
        ):
            duplicate = StaffRequest.objects.filter(
                staff_member_id=request.staff_member_id,
                customer=target,
                kind=request.kind,
                status__in=StaffRequest.OPEN,
            ).exists()
            if duplicate:
                request.status = Status.ENDED
                request.ended_by = actor
                request.ended_at = timezone.now()
                request.end_reason = (
                    "The customer's records were merged; the same request stands on the merged record."
                )
                request.save(update_fields=["status", "ended_by", "ended_at", "end_reason", "modified_at"])
                ended += 1
            else:
                request.customer = target
                request.save(update_fields=["customer", "modified_at"])
                moved += 1
        if moved or ended:
            audit_record(
                actor=actor,
                action="staffcare.requests_move",
                obj=target,
                detail={"from_customer": source.pk, "to_customer": target.pk, "moved": moved, "ended": ended},
            )
    return moved


# ---------------------------------------------------------------------------- named online


def named_online_report(
    *,
    actor: Any,
    staff_member: Any,
    platform: str,
    links: str | Iterable[str] = (),
    description: str = "",
    screenshots: Iterable[tuple[str, bytes]] = (),
    staff_view: str = "",
) -> NamedOnlineReport:
    """Report that a member of staff has been named publicly online (000/001 §78, 002 §12.6).

    Anyone in the organisation may report it: the member of staff, or a colleague who found it.
    Only the member of staff gives their own view here; a colleague's report is shown to them
    only after their line manager has told them in private (000/001 §80, 002 §12.8).
    """
    _same_organisation(actor, staff_member)
    errors: dict[str, str] = {}
    platform = platform.strip()
    if not platform:
        errors["platform"] = "Enter where it was posted, like Facebook or a website's name"
    elif len(platform) > 100:
        errors["platform"] = "Where it was posted must be 100 characters or fewer"
    try:
        cleaned_links = rules.clean_links(links)
    except ValueError as exc:
        errors["links"] = str(exc)
        cleaned_links = []
    shots = list(screenshots)
    images: list[tuple[bytes, files.FileVerdict]] = []
    if len(shots) > MAX_SCREENSHOTS:
        errors["screenshots"] = f"Add up to {MAX_SCREENSHOTS} screenshots"
    else:
        try:
            images = [_clean_screenshot(name, data) for name, data in shots]
        except files.FileRefused as refused:
            errors["screenshots"] = refused.reason
    if staff_view.strip() and actor.pk != staff_member.pk:
        errors["staff_view"] = (
            f"Only {staff_member} can say what they want done; their line manager will ask them"
        )
    if not errors and not (cleaned_links or shots or description.strip()):
        errors["links"] = "Give a link, a screenshot or a few words about what was posted"
    if errors:
        raise ValidationError(errors)
    own = actor.pk == staff_member.pk
    with transaction.atomic():
        report = NamedOnlineReport.objects.create(
            organisation_id=actor.organisation_id,
            created_by=actor,
            staff_member=staff_member,
            reported_by=actor,
            platform=platform,
            links=cleaned_links,
            description=description.strip(),
            staff_view=staff_view.strip() if own else "",
            staff_view_recorded_by=actor if own and staff_view.strip() else None,
            staff_member_knows=own,
        )
        for content, verdict in images:
            NamedOnlineScreenshot.objects.create(
                report=report,
                file=ContentFile(content, name=f"screenshot{verdict.extension}"),
                content_type=verdict.content_type,
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                uploaded_by=actor,
            )
        audit_record(
            actor=actor,
            action="staffcare.named_online_report",
            obj=report,
            detail={
                "staff_member": staff_member.pk,
                "by_staff_member": own,
                "links": len(cleaned_links),
                "screenshots": len(images),
            },
        )
    return report


def _clean_screenshot(name: str, data: bytes) -> tuple[bytes, files.FileVerdict]:
    """An image only, judged by its content, re-encoded without EXIF or location (engage.evidence.files)."""
    try:
        verdict = files.inspect(data, name)
    except files.FileRefused as refused:
        raise files.FileRefused(f"“{files.display_name(name)}”: {refused.reason}") from refused
    if verdict.kind != files.Kind.IMAGE:
        raise files.FileRefused(
            f"“{files.display_name(name)}” is not a screenshot: add PNG, JPEG, GIF or WebP images"
        )
    return files.strip_metadata(data, verdict.kind), verdict


def named_online_tell(
    *, actor: Any, report: NamedOnlineReport, parties: Iterable[str], told_on: dt.date
) -> NamedOnlineReport:
    """Record who was told, and when, from those the policy names and no one else
    (000/001 §78–80, 002 §12.6–12.8; `rules.parties_to_tell`).

    Telling the member of staff in private is for their line management or HR/communications;
    once recorded, the member of staff sees the report.
    """
    handler = may_handle_named_online(actor, report)
    if not handler and not (actor.pk == report.staff_member_id and report.staff_member_knows):
        raise PermissionDenied("Only the person, their manager, or HR and communications can record this.")
    if report.status != NamedOnlineReport.Status.OPEN:
        raise ValidationError({"parties": "This report is closed"})
    preset = _preset(report.organisation)
    known = {
        p.key: p
        for p in rules.parties_to_tell(preset, reported_by_someone_else=report.reported_by_someone_else)
    }
    chosen = list(dict.fromkeys(parties))
    errors: dict[str, str] = {}
    if not chosen:
        errors["parties"] = "Select who has been told"
    elif any(key not in known for key in chosen):
        errors["parties"] = "Select only people your policy says to tell" + _within(preset, "named_minimum")
    elif any(key in report.told_keys for key in chosen):
        errors["parties"] = "Someone you selected is already recorded as told"
    elif rules.STAFF_MEMBER in chosen and not handler:
        errors["parties"] = "Their line manager records telling them"
    if told_on > timezone.localdate():
        errors["told_on"] = "The date must be today or in the past"
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        report.told = [
            *report.told,
            *(
                {
                    "party": key,
                    "name": known[key].name,
                    "on": told_on.isoformat(),
                    "recorded_by": actor.pk,
                    "recorded_by_name": str(actor),
                    "recorded_at": now.isoformat(),
                }
                for key in chosen
            ),
        ]
        fields = ["told", "modified_at"]
        if rules.STAFF_MEMBER in chosen:
            report.staff_member_knows = True
            fields.append("staff_member_knows")
        report.save(update_fields=fields)
        audit_record(
            actor=actor, action="staffcare.named_online_tell", obj=report, detail={"parties": chosen}
        )
    return report


def named_online_say(*, actor: Any, report: NamedOnlineReport, staff_view: str) -> NamedOnlineReport:
    """The member of staff's say in what is done (002 §12.8; 000/001 §80, §84, §86).

    Given by them, or written down for them by their line manager or HR after talking in
    private, and only once they know of the report.
    """
    own = actor.pk == report.staff_member_id
    if not own and not may_handle_named_online(actor, report):
        raise PermissionDenied("Only the person, their manager, or HR and communications can record this.")
    preset = _preset(report.organisation)
    if not report.staff_member_knows:
        raise ValidationError(
            {
                "staff_view": f"Tell {report.staff_member} in private first"
                + _within(preset, "named_in_private")
            }
        )
    if report.status != NamedOnlineReport.Status.OPEN:
        raise ValidationError({"staff_view": "This report is closed"})
    if not staff_view.strip():
        raise ValidationError({"staff_view": "Enter what they would like done, even if it is nothing"})
    with transaction.atomic():
        report.staff_view = staff_view.strip()
        report.staff_view_recorded_by = actor
        report.save(update_fields=["staff_view", "staff_view_recorded_by", "modified_at"])
        audit_record(
            actor=actor, action="staffcare.named_online_say", obj=report, detail={"by_staff_member": own}
        )
    return report


def named_online_act(*, actor: Any, report: NamedOnlineReport, actions_taken: str) -> NamedOnlineReport:
    """Record what has been done: reported to the platform, removal asked for, police, support
    offered (000/001 §81–85, 002 §12.9–12.10)."""
    if not may_handle_named_online(actor, report):
        raise PermissionDenied("Only their manager, or HR and communications, can record this.")
    if report.status != NamedOnlineReport.Status.OPEN:
        raise ValidationError({"actions_taken": "This report is closed"})
    if not actions_taken.strip():
        raise ValidationError({"actions_taken": "Enter what has been done, even if it is nothing yet"})
    with transaction.atomic():
        report.actions_taken = actions_taken.strip()
        report.save(update_fields=["actions_taken", "modified_at"])
        audit_record(actor=actor, action="staffcare.named_online_act", obj=report)
    return report


def named_online_close(*, actor: Any, report: NamedOnlineReport) -> NamedOnlineReport:
    """Close a report once what was done and the member of staff's say are both recorded
    (002 §12.8: they have a say in what, if any, action is taken)."""
    if not may_handle_named_online(actor, report):
        raise PermissionDenied("Only their manager, or HR and communications, can close this.")
    if report.status != NamedOnlineReport.Status.OPEN:
        raise ValidationError({"status": "This report is already closed"})
    preset = _preset(report.organisation)
    errors: dict[str, str] = {}
    if not report.staff_view:
        errors["staff_view"] = (
            f"Record what {report.staff_member} would like done before closing: they have a say"
            + _within(preset, "named_say")
        )
    if not report.actions_taken:
        errors["actions_taken"] = "Record what has been done before closing, even if it was nothing"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        report.status = NamedOnlineReport.Status.CLOSED
        report.closed_by = actor
        report.closed_at = timezone.now()
        report.save(update_fields=["status", "closed_by", "closed_at", "modified_at"])
        untold = rules.untold(
            rules.parties_to_tell(preset, reported_by_someone_else=report.reported_by_someone_else),
            report.told_keys,
        )
        audit_record(
            actor=actor,
            action="staffcare.named_online_close",
            obj=report,
            detail={"not_told": [p.key for p in untold]},
        )
    return report


def named_online_screenshot_open(*, actor: Any, screenshot: NamedOnlineScreenshot) -> NamedOnlineScreenshot:
    """Open a screenshot on purpose; each opening is recorded (000/001 §75–76)."""
    if not named_online_for(actor).filter(pk=screenshot.report_id).exists():
        raise PermissionDenied("You cannot open this.")
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="staffcare.screenshot_open",
            obj=screenshot,
            organisation=screenshot.report.organisation,
            detail={"report": screenshot.report_id},
        )
    return screenshot
