"""Every change to a letter: drafting, editing, the check, issuing (frozen) or recording it not sent.

Each service checks the organisation's policy (the preset the decision was made under), runs in one
transaction and writes its audit record inside it. Refusals raise ValidationError by field and name
the policy's clause. `today` is the clock: pages never pass it; tests and the demo do.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from engage.audit.services import audit_record
from engage.decisions.models import Appeal, Case, Decision, Review
from engage.decisions.rules import acting_keys
from engage.decisions.services import authority
from engage.letters import facts as letter_facts
from engage.letters import render, selectors
from engage.letters.content import ASKING_KINDS, RESTRICTING_KINDS, Kind
from engage.letters.models import Letter, LetterSettings
from engage.organisations.models import Organisation
from engage.policy.describe import listing, long_date, who
from engage.policy.schema import Preset
from engage.policy.services import calendar_for
from engage.policy.vocabulary import Capability
from engage.staff.models import User

# What the drafter writes is a letter, not a report: long enough for a few paragraphs.
MAX_TEXT = 4000
FREE_TEXT_FIELDS = (
    "what_happened",
    "what_happened_cy",
    "requested_change",
    "requested_change_cy",
    "additional_text",
    "additional_text_cy",
)


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _check_actor(actor: Any, organisation_id: int) -> None:
    if getattr(actor, "organisation_id", None) != organisation_id:
        raise ValidationError("You can only act on your own organisation's letters.")


def preset_of(letter: Letter) -> Preset:
    """The policy the letter is written under: the version its decision was made under."""
    if letter.policy_version is not None:
        return letter.policy_version.preset
    return letter_facts.policy_of(letter.decision)[1]


def _layouts(preset: Preset) -> list[str]:
    """The layouts this policy allows: English only, or (004: Welsh and English) any of the four."""
    if "cy" not in preset.letters.languages:
        return [Letter.Layout.EN.value]
    return [choice.value for choice in Letter.Layout]


def layouts_allowed(letter_or_preset: Letter | Preset) -> list[str]:
    preset = letter_or_preset if isinstance(letter_or_preset, Preset) else preset_of(letter_or_preset)
    return _layouts(preset)


def _refuse_missing(letter: Letter, preset: Preset, gaps: list[str], field: str) -> None:
    if gaps:
        raise ValidationError(
            {
                field: f"This letter does not yet say {listing(gaps, 'or')}. Add what is missing before "
                f"it goes further ({preset.letters.clause})."
            }
        )


# ---------------------------------------------------------------------------------------------
# Drafting and editing
# ---------------------------------------------------------------------------------------------


def letter_draft(
    *,
    actor: User,
    decision: Decision,
    kind: Kind | str,
    review: Review | None = None,
    appeal: Appeal | None = None,
    layout: str = "",
) -> Letter:
    """Start a letter about a decision (or its review or appeal), with the check its policy needs.

    The facts come from the case when the letter is shown or issued; the drafter writes only what
    happened, in neutral words focused on the interaction (000/001 §71.1, 71.3), and anything to add.
    """
    _check_actor(actor, decision.organisation_id)
    if not selectors.may_draft(actor, decision):
        raise ValidationError({"kind": "Only those who work on this case can draft its letters."})
    try:
        kind = Kind(kind)
    except ValueError:
        raise ValidationError({"kind": "Select which letter to draft"}) from None
    chosen = next(
        (
            o
            for o in letter_facts.options(decision)
            if o.kind == kind
            and (o.review.pk if o.review else None) == (review.pk if review else None)
            and (o.appeal.pk if o.appeal else None) == (appeal.pk if appeal else None)
        ),
        None,
    )
    if chosen is None:
        raise ValidationError({"kind": "This letter cannot be written about this decision."})
    version, preset = letter_facts.policy_of(decision)
    settings = letter_facts.settings_for(decision.organisation_id)
    allowed = _layouts(preset)
    if not layout:
        layout = settings.bilingual_layout if "cy" in preset.letters.languages else Letter.Layout.EN.value
    if layout not in allowed:
        raise ValidationError(
            {"layout": f"This policy writes letters in English only ({preset.letters.clause})."}
        )
    rule = letter_facts.check_rule(preset, kind, decision.type, settings)
    signer = _default_signer(actor, decision, kind, review, appeal)
    with transaction.atomic():
        # One number at a time per case: lock the case while counting its letters.
        Case.objects.select_for_update().filter(pk=decision.case_id).first()
        number = (Letter.objects.filter(case_id=decision.case_id).aggregate(n=Max("number"))["n"] or 0) + 1
        letter = Letter.objects.create(
            organisation_id=decision.organisation_id,
            created_by=actor,
            case_id=decision.case_id,
            decision=decision,
            review=review,
            appeal=appeal,
            number=number,
            kind=kind.value,
            layout=layout,
            policy_version=version,
            author=actor,
            signed_by=signer,
            # 004 "Considering when to manage contact": the manager considers "if it is necessary to
            # provide a copy of this policy"; "Formal decision": "A copy ... will be enclosed".
            enclose_policy=preset.letters.enclose_policy and kind in (*RESTRICTING_KINDS, *ASKING_KINDS),
            check_by=list(rule.by),
            check_clause=rule.clause,
            check_required=rule.required,
        )
        audit_record(
            actor=actor,
            action="letter.draft",
            obj=letter,
            detail={"kind": kind.value, "decision": decision.pk, "layout": layout, "check_by": list(rule.by)},
        )
    return letter


def _default_signer(
    actor: User, decision: Decision, kind: Kind, review: Review | None, appeal: Appeal | None
) -> User:
    # 004: "The CCSM will notify the customer"; "The Chief Officer Governance will ... advise the
    # customer in writing of the outcome". A letter goes out in the name of whoever decided.
    if kind == Kind.APPEAL_OUTCOME and appeal is not None and appeal.decided_by is not None:
        return appeal.decided_by
    if kind == Kind.REVIEW_OUTCOME and review is not None and review.reviewer is not None:
        return review.reviewer
    return decision.decided_by if decision.decided_by is not None else actor


def letter_edit(
    *,
    actor: User,
    letter: Letter,
    layout: str | None = None,
    enclose_policy: bool | None = None,
    signed_by: User | None = None,
    **texts: str,
) -> Letter:
    """Change what the drafter wrote (only while it is a draft, and only its author)."""
    _check_actor(actor, letter.organisation_id)
    if letter.status != Letter.Status.DRAFT:
        raise ValidationError("Only a draft can be changed. This letter is no longer a draft.")
    if actor.pk != letter.author_id:
        raise ValidationError("Only the person who drafted this letter can change it.")
    unknown = set(texts) - set(FREE_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"unknown letter fields: {sorted(unknown)}")
    errors: dict[str, str] = {}
    for name, value in texts.items():
        if len(value) > MAX_TEXT:
            errors[name] = f"Keep this to {MAX_TEXT} characters or fewer"
    preset = preset_of(letter)
    if layout is not None and layout not in _layouts(preset):
        errors["layout"] = f"This policy writes letters in English only ({preset.letters.clause})."
    if signed_by is not None and (
        signed_by.organisation_id != letter.organisation_id or not signed_by.is_active
    ):
        errors["signed_by"] = "Select someone who works for your organisation."
    if errors:
        raise ValidationError(errors)
    changed: list[str] = []
    updates: dict[str, object] = {name: value.strip() for name, value in texts.items()}
    for name, option in (("layout", layout), ("enclose_policy", enclose_policy), ("signed_by", signed_by)):
        if option is not None:
            updates[name] = option
    for name, new in updates.items():
        if getattr(letter, name) != new:
            setattr(letter, name, new)
            changed.append(name)
    if not changed:
        return letter
    with transaction.atomic():
        letter.save(update_fields=[*changed, "modified_at"])
        audit_record(actor=actor, action="letter.edit", obj=letter, detail={"changed": changed})
    return letter


# ---------------------------------------------------------------------------------------------
# The check
# ---------------------------------------------------------------------------------------------


def letter_submit_for_check(*, actor: User, letter: Letter, today: dt.date | None = None) -> Letter:
    """Send a complete draft to whoever the policy names to check it."""
    _check_actor(actor, letter.organisation_id)
    if letter.status != Letter.Status.DRAFT:
        raise ValidationError("Only a draft can be sent for its check.")
    if not letter.check_required:
        raise ValidationError("This letter needs no check: it can be issued.")
    if actor.pk != letter.author_id and not selectors.may_see(actor, letter):
        raise ValidationError("Only the person who drafted this letter can send it for its check.")
    preset = preset_of(letter)
    facts = letter_facts.facts_for(letter, on=_today(today))
    _refuse_missing(letter, preset, letter_facts.missing_for(letter, facts, preset), "letter")
    with transaction.atomic():
        letter.status = Letter.Status.AWAITING_CHECK
        letter.submitted_at = timezone.now()
        letter.check_note = ""
        letter.save(update_fields=["status", "submitted_at", "check_note", "modified_at"])
        audit_record(actor=actor, action="letter.submit", obj=letter, detail={"check_by": letter.check_by})
    return letter


def checkers(letter: Letter) -> str:
    """Who may check this letter, as a phrase ("the Complaints Review Group")."""
    if letter.check_by:
        return who(preset_of(letter), letter.check_by)
    return "a manager or someone more senior who did not draft it"


def may_check(user: Any, letter: Letter) -> bool:
    """Whether `user` could check this letter now (the page shows the check form to them)."""
    if letter.status != Letter.Status.AWAITING_CHECK or user.pk == letter.author_id:
        return False
    return _check_authority(user, letter)


def _check_authority(user: Any, letter: Letter) -> bool:
    if getattr(user, "organisation_id", None) != letter.organisation_id:
        return False
    if letter.check_by:
        return bool(acting_keys(preset_of(letter), user.role_keys) & set(letter.check_by))
    return bool(COLLEAGUES & set(user.capabilities))


COLLEAGUES = frozenset(str(c) for c in letter_facts.COLLEAGUE_CHECKERS)


def letter_check(
    *,
    actor: User,
    letter: Letter,
    approve: bool,
    note: str = "",
    as_group: str = "",
    members_present: Iterable[User] = (),
) -> Letter:
    """The check by whom the policy names (003 Guidance: "This draft must be checked by your
    manager before it is issued"; "must be checked by the Complaints Review Group"), never by its
    author. Approved, it can be issued; returned, it is a draft again with the checker's note."""
    _check_actor(actor, letter.organisation_id)
    if letter.status != Letter.Status.AWAITING_CHECK:
        raise ValidationError("This letter is not waiting for a check.")
    if actor.pk == letter.author_id:
        raise ValidationError({"approve": "You drafted this letter, so someone else must check it."})
    preset = preset_of(letter)
    members: tuple[User, ...] = ()
    checked_as = ""
    if letter.check_by:
        held = authority(preset, actor, as_group=as_group, members_present=members_present)
        if not held.keys & set(letter.check_by):
            raise ValidationError(
                {"approve": f"Only {checkers(letter)} may check this letter ({letter.check_clause})."}
            )
        members = held.members
        checked_as = held.group or next((k for k in letter.check_by if k in held.keys), "")
    elif not COLLEAGUES & set(actor.capabilities):
        raise ValidationError(
            {"approve": f"Only {checkers(letter)} may check this letter ({letter.check_clause})."}
        )
    if not approve and not note.strip():
        raise ValidationError({"note": "Enter what needs to change in the letter"})
    with transaction.atomic():
        letter.status = Letter.Status.CHECKED if approve else Letter.Status.DRAFT
        letter.checked_by = actor if approve else None
        letter.checked_as = checked_as if approve else ""
        letter.checked_at = timezone.now() if approve else None
        letter.check_note = note.strip()
        letter.save(
            update_fields=["status", "checked_by", "checked_as", "checked_at", "check_note", "modified_at"]
        )
        letter.check_members.set(members if approve else ())
        audit_record(
            actor=actor,
            action="letter.check" if approve else "letter.return",
            obj=letter,
            detail={"as": checked_as, "members": [m.pk for m in members]},
        )
    return letter


# ---------------------------------------------------------------------------------------------
# Issuing, or recording that it was not sent
# ---------------------------------------------------------------------------------------------


def letter_issue(
    *,
    actor: User,
    letter: Letter,
    issued_on: dt.date,
    method: str,
    today: dt.date | None = None,
) -> Letter:
    """Issue a checked letter: date it, say how it went, and freeze it.

    Refused when a check is required and has not been done (naming who must check it), when the
    letter does not say everything its preset requires (naming what is missing), or when there is
    no address for the method chosen. Issuing renders the PDF, large print and DOCX once, stores
    them and records their SHA-256 and that of the HTML; a posted letter gets its deemed receipt
    (the preset's working days, `calendar_for(org).deemed_receipt`), from which the appeal deadline
    in the letter is counted (004 "Appealing a decision": "within 20 working days of receiving it").
    """
    _check_actor(actor, letter.organisation_id)
    day = _today(today)
    if letter.is_final:
        raise ValidationError("This letter has already been issued or recorded as not sent.")
    if not selectors.may_see(actor, letter):
        raise ValidationError("Only those who work on this case can issue its letters.")
    if letter.check_required and letter.status != Letter.Status.CHECKED:
        waiting = " It is waiting for its check." if letter.status == Letter.Status.AWAITING_CHECK else ""
        raise ValidationError(
            {
                "letter": f"This letter must be checked before it is issued, by {checkers(letter)} "
                f"({letter.check_clause}).{waiting}"
            }
        )
    errors: dict[str, str] = {}
    if method not in Letter.Method.values:
        errors["method"] = "Select how the letter is being sent"
    if issued_on > day:
        errors["issued_on"] = "The date of the letter must be today or in the past"
    decided_on = letter.decision.decided_on
    if decided_on and issued_on < decided_on:
        errors["issued_on"] = f"The letter cannot be dated before the decision ({long_date(decided_on)})"
    customer = letter.case.customer
    if method == Letter.Method.POST and not letter_facts.recipient(customer).address_lines:
        errors["method"] = (
            f"No postal address is recorded for {customer.name}. Add one to the customer, or choose another way"
        )
    if method == Letter.Method.EMAIL and not letter_facts.email_address(customer):
        errors["method"] = f"No email address is recorded for {customer.name}. Add one, or choose another way"
    if errors:
        raise ValidationError(errors)

    preset = preset_of(letter)
    facts = letter_facts.facts_for(letter, on=issued_on, method=method)
    _refuse_missing(letter, preset, letter_facts.missing_for(letter, facts, preset), "letter")
    enclosure = render.enclosure_for(preset) if letter.enclose_policy else None
    rendered = render.render_all(facts, letter.layout, enclosure=enclosure)
    stored = _store(letter, rendered)
    try:
        with transaction.atomic():
            current = Letter.objects.select_for_update().get(pk=letter.pk)
            if current.status != letter.status:
                raise ValidationError("This letter changed while it was being issued. Look at it again.")
            letter.status = Letter.Status.ISSUED
            letter.issued_on = issued_on
            letter.method = method
            if method == Letter.Method.POST:
                letter.posted_on = issued_on
                letter.deemed_received_on = calendar_for(letter.decision.organisation).deemed_receipt(
                    issued_on, preset.appeals.deemed_receipt_working_days
                )
            letter.appeal_deadline = (
                facts.appeal.deadline if facts.appeal and facts.kind in RESTRICTING_KINDS else None
            )
            letter.issued_by = actor
            letter.issued_at = timezone.now()
            letter.html = rendered.html
            letter.content_sha256 = _sha256(rendered.html.encode("utf-8"))
            for name, (path, digest) in stored.items():
                setattr(letter, f"{name}_name", path)
                setattr(letter, f"{name}_sha256", digest)
            letter.save()
            audit_record(
                actor=actor,
                action="letter.issue",
                obj=letter,
                detail={
                    "method": method,
                    "issued_on": issued_on.isoformat(),
                    "deemed_received_on": letter.deemed_received_on.isoformat()
                    if letter.deemed_received_on
                    else None,
                    "appeal_deadline": letter.appeal_deadline.isoformat() if letter.appeal_deadline else None,
                    "content_sha256": letter.content_sha256,
                    "pdf_sha256": letter.pdf_sha256,
                    "large_print_sha256": letter.large_print_sha256,
                    "docx_sha256": letter.docx_sha256,
                },
            )
    except BaseException:
        for path, _digest in stored.values():
            default_storage.delete(path)  # nothing recorded, so nothing kept
        raise
    return letter


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _store(letter: Letter, rendered: render.Rendered) -> dict[str, tuple[str, str]]:
    stored: dict[str, tuple[str, str]] = {}
    try:
        for name, data, extension in (
            ("pdf", rendered.pdf, "pdf"),
            ("large_print", rendered.large_print, "pdf"),
            ("docx", rendered.docx, "docx"),
        ):
            path = default_storage.save(
                f"letters/{letter.organisation_id}/{uuid.uuid4().hex}.{extension}", ContentFile(data)
            )
            stored[name] = (path, _sha256(data))
    except BaseException:
        for path, _digest in stored.values():
            default_storage.delete(path)
        raise
    return stored


def letter_record_not_sent(*, actor: User, letter: Letter, exemption: str, reason: str) -> Letter:
    """Record that the customer will not be sent this letter, for a reason the policy gives (003
    11.5: "the threat is so extreme that we may act without prior warning"; 11.6: "medical or SBC
    professional staff advise that telling a customer ... is not appropriate"; 000/001 §13: "we
    will keep a record if it is not possible or appropriate to inform the customer")."""
    _check_actor(actor, letter.organisation_id)
    if letter.is_final:
        raise ValidationError("This letter has already been issued or recorded as not sent.")
    preset = preset_of(letter)
    allowed = {e.key: e for e in preset.letters.notification_exemptions}
    if not allowed:
        raise ValidationError(
            {
                "exemption": "This policy gives no reason for not telling the customer, so the letter must be "
                f"sent ({preset.letters.clause})."
            }
        )
    if not (_check_authority(actor, letter) or COLLEAGUES & set(actor.capabilities)):
        raise ValidationError(
            {"exemption": "Only a manager or someone more senior can decide not to send a letter."}
        )
    chosen = allowed.get(exemption)
    if chosen is None:
        raise ValidationError({"exemption": "Select the reason this policy gives for not sending it"})
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the letter is not being sent, and who advised it"})
    with transaction.atomic():
        letter.status = Letter.Status.NOT_SENT
        letter.not_sent_exemption = chosen.key
        letter.not_sent_clause = chosen.clause
        letter.not_sent_reason = reason.strip()
        letter.not_sent_by = actor
        letter.not_sent_at = timezone.now()
        letter.save(
            update_fields=[
                "status",
                "not_sent_exemption",
                "not_sent_clause",
                "not_sent_reason",
                "not_sent_by",
                "not_sent_at",
                "modified_at",
            ]
        )
        audit_record(
            actor=actor,
            action="letter.not_sent",
            obj=letter,
            detail={"exemption": chosen.key, "clause": chosen.clause},
        )
    return letter


# ---------------------------------------------------------------------------------------------
# Settings
# ---------------------------------------------------------------------------------------------


def letter_settings_update(
    *,
    actor: User,
    organisation: Organisation,
    bilingual_layout: str,
    colleague_check: bool,
    welsh_name: str = "",
    welsh_address: str = "",
) -> LetterSettings:
    """How the organisation finishes its letters: its bilingual layout (Welsh first or side by side),
    whether a colleague checks letters the policy is silent on, and its name and address in Welsh."""
    _check_actor(actor, organisation.pk)
    if Capability.INFORMATION_GOVERNANCE not in actor.capabilities:
        raise ValidationError("Only information governance can change the letter settings.")
    if bilingual_layout not in LetterSettings.BilingualLayout.values:
        raise ValidationError({"bilingual_layout": "Select how Welsh and English letters are laid out"})
    with transaction.atomic():
        settings, _created = LetterSettings.objects.select_for_update().get_or_create(
            organisation=organisation, defaults={"created_by": actor}
        )
        settings.bilingual_layout = bilingual_layout
        settings.colleague_check = colleague_check
        settings.welsh_name = welsh_name.strip()
        settings.welsh_address = welsh_address.strip()
        settings.save()
        audit_record(
            actor=actor,
            action="letter_settings.update",
            obj=settings,
            detail={"bilingual_layout": bilingual_layout, "colleague_check": colleague_check},
        )
    return settings
