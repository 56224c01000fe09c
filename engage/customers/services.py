"""Adding customers and what identifies them, recording needs, representatives and notes, merging."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from engage.audit.services import audit_record
from engage.customers.identifiers import (
    Kind,
    address_postcode,
    normalise,
    normalise_address,
    normalise_platform,
    normalise_postcode,
)
from engage.customers.models import (
    Customer,
    Identifier,
    Need,
    Representative,
    RepresentativeIdentifier,
    VulnerabilityNote,
)
from engage.customers.selectors import can_merge, can_see_vulnerability
from engage.organisations.models import Organisation

NEED_MAX_LENGTH = 1000


@dataclass(frozen=True)
class NewIdentifier:
    """An identifier as typed. A postal address may carry its postcode separately."""

    kind: str
    raw: str
    platform: str = ""
    postcode: str = ""


def _check_actor(actor: Any, organisation: Organisation) -> None:
    # Views reach customers only through access.get_for_user; this stops any other caller.
    if actor is not None and getattr(actor, "organisation_id", None) != organisation.pk:
        raise PermissionDenied("This customer belongs to another organisation.")


def _check_open(customer: Customer) -> None:
    if customer.merged_into_id is not None:
        raise ValidationError(
            {"customer": f"{customer.reference} was merged into another record: make changes there."}
        )


def _identifier_fields(new: NewIdentifier) -> dict[str, str]:
    """The stored fields of one identifier, or ValidationError naming the field and the rule."""
    try:
        kind = Kind(new.kind)
    except ValueError:
        raise ValidationError({"kind": "Select what kind of identifier this is"}) from None
    raw = new.raw.strip()
    if kind == Kind.POSTAL_ADDRESS:
        return _address_fields(raw, new.postcode.strip())
    fields = {"kind": str(kind), "display": raw, "platform": "", "postcode": ""}
    errors = {}
    if kind == Kind.SOCIAL:
        try:
            fields["platform"] = normalise_platform(new.platform)
        except ValueError as exc:
            errors["platform"] = str(exc)
    try:
        fields["value"] = normalise(kind, raw)
    except ValueError as exc:
        errors[str(kind)] = str(exc)
    if errors:
        raise ValidationError(errors)
    if kind == Kind.POSTCODE:
        fields["display"] = fields["value"]
    return fields


def _address_fields(lines: str, postcode: str) -> dict[str, str]:
    """An address's lines with its postcode, given separately or as the last line."""
    errors: dict[str, str] = {}
    if not lines:
        errors["postal_address"] = "Enter the address"
    if postcode:
        try:
            postcode = normalise_postcode(postcode)
        except ValueError as exc:
            errors["postcode"] = str(exc)
    if errors:
        raise ValidationError(errors)
    text = f"{lines}\n{postcode}" if postcode else lines
    try:
        value = normalise_address(text)
    except ValueError as exc:
        # Without a separate postcode, the address itself lacked one: say which field needs it.
        field = "postal_address" if postcode else "postcode"
        message = str(exc) if postcode else "Enter the postcode of the address, like CH7 6NF"
        raise ValidationError({field: message}) from None
    return {
        "kind": str(Kind.POSTAL_ADDRESS),
        "value": value,
        "display": ", ".join(line.strip() for line in text.splitlines() if line.strip()),
        "platform": "",
        "postcode": address_postcode(text),
    }


def _next_reference(organisation: Organisation) -> str:
    # Lock the organisation's row so two people adding customers at once get different numbers
    # (PostgreSQL; SQLite serialises writers anyway).
    Organisation.objects.select_for_update().filter(pk=organisation.pk).exists()
    last = (
        Customer.objects.filter(organisation=organisation)
        .order_by("-id")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.removeprefix("C-")) + 1 if last else 1
    return f"C-{number:06d}"


def customer_create(
    *,
    actor: Any,
    organisation: Organisation,
    full_name: str,
    identifiers: Iterable[NewIdentifier],
    kind: str = Customer.Kind.PERSON,
    display_name: str = "",
) -> Customer:
    """A new customer with at least one identifier. Names are kept exactly as typed."""
    _check_actor(actor, organisation)
    new_identifiers = list(identifiers)
    errors: dict[str, list[str]] = {}
    if not full_name.strip():
        errors["full_name"] = ["Enter the customer's full name"]
    if kind not in Customer.Kind.values:
        errors["kind"] = ["Select whether the customer is a person or an organisation"]
    if not new_identifiers:
        errors["identifiers"] = [
            "Enter at least one way to recognise the customer: a phone number, email address, "
            "social media handle, postal address, postcode or reference"
        ]
    prepared = []
    for new in new_identifiers:
        try:
            prepared.append(_identifier_fields(new))
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        customer = Customer.objects.create(
            organisation=organisation,
            created_by=_user(actor),
            reference=_next_reference(organisation),
            kind=kind,
            full_name=full_name.strip(),
            display_name=display_name.strip(),
        )
        Identifier.objects.bulk_create(
            [
                Identifier(
                    organisation=organisation,
                    created_by=_user(actor),
                    customer=customer,
                    valid_from=now,
                    **fields,
                )
                for fields in prepared
            ]
        )
        audit_record(
            actor=actor,
            action="customer.create",
            obj=customer,
            detail={"reference": customer.reference, "identifiers": sorted(f["kind"] for f in prepared)},
        )
    return customer


def identifier_add(
    *,
    actor: Any,
    customer: Customer,
    kind: str,
    raw: str,
    platform: str = "",
    postcode: str = "",
) -> Identifier:
    """Another way to recognise the customer: a new number, address, handle or reference."""
    _check_actor(actor, customer.organisation)
    _check_open(customer)
    fields = _identifier_fields(NewIdentifier(kind=kind, raw=raw, platform=platform, postcode=postcode))
    _refuse_if_held(customer.identifiers, fields, customer.reference)
    with transaction.atomic():
        identifier = Identifier.objects.create(
            organisation=customer.organisation,
            created_by=_user(actor),
            customer=customer,
            valid_from=timezone.now(),
            **fields,
        )
        audit_record(
            actor=actor,
            action="identifier.add",
            obj=identifier,
            detail={"customer": customer.reference, "kind": identifier.kind},
        )
    return identifier


def identifier_end(*, actor: Any, identifier: Identifier) -> Identifier:
    """Mark an identifier no longer used. It stays linked, as an alias that still finds the customer."""
    _check_actor(actor, identifier.organisation)
    _check_open(identifier.customer)
    if identifier.valid_to is not None:
        raise ValidationError(
            {"identifier": f"This {_label(identifier.kind)} is already marked as no longer used"}
        )
    with transaction.atomic():
        identifier.valid_to = timezone.now()
        identifier.save(update_fields=["valid_to", "modified_at"])
        audit_record(
            actor=actor,
            action="identifier.end",
            obj=identifier,
            detail={"customer": identifier.customer.reference, "kind": identifier.kind},
        )
    return identifier


def representative_add(
    *,
    actor: Any,
    customer: Customer,
    name: str,
    relationship: str,
    contact_details: str = "",
    contact_through: bool = False,
    phone: str = "",
    email: str = "",
) -> Representative:
    """Someone acting for the customer: an advocate, solicitor, family member or other third party.

    Their phone number and email address, if given, become the representative's identifiers, so
    the contact check knows them when they call or write for the customer.
    """
    _check_actor(actor, customer.organisation)
    _check_open(customer)
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = ["Enter the representative's name"]
    if relationship not in Representative.Relationship.values:
        errors["relationship"] = ["Select how the representative is related to the customer"]
    prepared = []
    for kind, raw in ((Kind.PHONE, phone), (Kind.EMAIL, email)):
        if raw.strip():
            try:
                prepared.append(_identifier_fields(NewIdentifier(kind=kind, raw=raw)))
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    errors.setdefault(field, []).extend(messages)
    if contact_through and not (contact_details.strip() or phone.strip() or email.strip()):
        errors["contact_details"] = [
            "Enter how to contact the representative, as contact goes through them: "
            "a phone number, an email address or other contact details"
        ]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        representative = Representative.objects.create(
            organisation=customer.organisation,
            created_by=_user(actor),
            customer=customer,
            name=name.strip(),
            relationship=relationship,
            contact_details=contact_details.strip(),
            contact_through=contact_through,
        )
        RepresentativeIdentifier.objects.bulk_create(
            [
                RepresentativeIdentifier(
                    organisation=customer.organisation,
                    created_by=_user(actor),
                    representative=representative,
                    kind=fields["kind"],
                    value=fields["value"],
                    display=fields["display"],
                    valid_from=now,
                )
                for fields in prepared
            ]
        )
        audit_record(
            actor=actor,
            action="representative.add",
            obj=representative,
            detail={
                "customer": customer.reference,
                "relationship": relationship,
                "contact_through": contact_through,
                "identifiers": sorted(f["kind"] for f in prepared),
            },
        )
    return representative


def representative_identifier_add(
    *, actor: Any, representative: Representative, kind: str, raw: str, platform: str = ""
) -> RepresentativeIdentifier:
    """Another way to recognise a representative: a phone number, email address or handle."""
    customer = representative.customer
    _check_actor(actor, customer.organisation)
    _check_open(customer)
    if kind not in RepresentativeIdentifier.KINDS:
        raise ValidationError({"kind": "Select a phone number, email address or social media handle"})
    fields = _identifier_fields(NewIdentifier(kind=kind, raw=raw, platform=platform))
    _refuse_if_held(representative.identifiers, fields, representative.name)
    with transaction.atomic():
        identifier = RepresentativeIdentifier.objects.create(
            organisation=customer.organisation,
            created_by=_user(actor),
            representative=representative,
            kind=fields["kind"],
            value=fields["value"],
            display=fields["display"],
            platform=fields["platform"],
            valid_from=timezone.now(),
        )
        audit_record(
            actor=actor,
            action="representative_identifier.add",
            obj=identifier,
            detail={
                "customer": customer.reference,
                "representative": representative.pk,
                "kind": identifier.kind,
            },
        )
    return identifier


def representative_identifier_end(
    *, actor: Any, identifier: RepresentativeIdentifier
) -> RepresentativeIdentifier:
    """Mark a representative's identifier no longer used. Like the customer's own, it stays as an
    alias: the contact check still finds the customer through it, and says it is no longer used."""
    customer = identifier.representative.customer
    _check_actor(actor, identifier.organisation)
    _check_open(customer)
    if identifier.valid_to is not None:
        raise ValidationError(
            {"identifier": f"This {_label(identifier.kind)} is already marked as no longer used"}
        )
    with transaction.atomic():
        identifier.valid_to = timezone.now()
        identifier.save(update_fields=["valid_to", "modified_at"])
        audit_record(
            actor=actor,
            action="representative_identifier.end",
            obj=identifier,
            detail={
                "customer": customer.reference,
                "representative": identifier.representative_id,
                "kind": identifier.kind,
            },
        )
    return identifier


def need_record(*, actor: Any, customer: Customer, description: str) -> Need:
    """A need or reasonable adjustment, shown to everyone who deals with or decides about the customer."""
    _check_actor(actor, customer.organisation)
    _check_open(customer)
    if not description.strip():
        raise ValidationError({"description": "Enter the need or reasonable adjustment"})
    if len(description.strip()) > NEED_MAX_LENGTH:
        raise ValidationError({"description": f"The need must be {NEED_MAX_LENGTH} characters or fewer"})
    with transaction.atomic():
        need = Need.objects.create(
            organisation=customer.organisation,
            created_by=_user(actor),
            customer=customer,
            description=description.strip(),
        )
        audit_record(actor=actor, action="need.record", obj=need, detail={"customer": customer.reference})
    return need


def vulnerability_note_record(*, actor: Any, customer: Customer, text: str) -> VulnerabilityNote:
    """A minimal note for those who need it. Only they may record one, as only they can read it."""
    _check_actor(actor, customer.organisation)
    if actor is not None and not can_see_vulnerability(actor):
        raise PermissionDenied("Your role does not allow recording vulnerability notes.")
    _check_open(customer)
    limit = VulnerabilityNote.MAX_LENGTH
    if not text.strip():
        raise ValidationError({"text": "Enter the note"})
    if len(text.strip()) > limit:
        raise ValidationError(
            {"text": f"Keep the note to {limit} characters or fewer: record only what staff need to know"}
        )
    with transaction.atomic():
        note = VulnerabilityNote.objects.create(
            organisation=customer.organisation,
            created_by=_user(actor),
            customer=customer,
            text=text.strip(),
        )
        # The note itself stays out of the audit log, which more people can read.
        audit_record(
            actor=actor, action="vulnerability_note.record", obj=note, detail={"customer": customer.reference}
        )
    return note


def customer_merge(*, actor: Any, keep: Customer, merge: Customer) -> Customer:
    """Merge a duplicate into the record to keep, moving everything recorded against it.

    The merged record stays (archived, pointing at the one kept), so its reference still finds
    the person, and its identifiers keep their dates, so old numbers remain aliases. An
    identifier the kept record already holds stays on the merged record rather than appearing
    twice; lookups follow `merged_into`, so it still finds the person.
    """
    _check_actor(actor, keep.organisation)
    if actor is not None and not can_merge(actor):
        raise PermissionDenied("Your role does not allow merging customer records.")
    if keep.organisation_id != merge.organisation_id:
        raise ValidationError({"merge": "Records of two different organisations cannot be merged"})
    if keep.pk == merge.pk:
        raise ValidationError({"merge": "A record cannot be merged into itself"})
    if merge.merged_into_id is not None:
        raise ValidationError({"merge": f"{merge.reference} has already been merged into another record"})
    if keep.merged_into_id is not None:
        raise ValidationError(
            {"keep": f"{keep.reference} has itself been merged into another record: merge into that one"}
        )
    now = timezone.now()
    with transaction.atomic():
        held = set(keep.identifiers.filter(valid_to__isnull=True).values_list("kind", "value", "platform"))
        already = [i.pk for i in merge.identifiers.all() if (i.kind, i.value, i.platform) in held]
        moved = {
            "identifiers": Identifier.objects.filter(customer=merge)
            .exclude(pk__in=already)
            .update(customer=keep, modified_at=now),
            # Their identifiers follow them (they hang on the representative), counted here.
            "representative_identifiers": RepresentativeIdentifier.objects.filter(
                representative__customer=merge
            ).count(),
            "representatives": Representative.objects.filter(customer=merge).update(
                customer=keep, modified_at=now
            ),
            "needs": Need.objects.filter(customer=merge).update(customer=keep, modified_at=now),
            "vulnerability_notes": VulnerabilityNote.objects.filter(customer=merge).update(
                customer=keep, modified_at=now
            ),
        }
        # What other domains hold against the merged record follows the person, in this same
        # transaction. Imported here: those domains import customers, so a module import would loop.
        from engage.decisions.services import cases_follow_merge
        from engage.incidents.services import incidents_follow_merge
        from engage.staffcare.services import staff_requests_move

        moved["incidents"] = incidents_follow_merge(actor=_user(actor), keep=keep, merge=merge)
        moved.update(
            {
                f"case_{k}": v
                for k, v in cases_follow_merge(actor=_user(actor), keep=keep, merge=merge).items()
            }
        )
        moved["staff_requests"] = staff_requests_move(actor=_user(actor), source=merge, target=keep)
        # Records merged into this one earlier now point straight at the survivor: one hop.
        Customer.objects.filter(merged_into=merge).update(merged_into=keep, modified_at=now)
        merge.merged_into = keep
        merge.merged_at = now
        merge.is_archived = True
        merge.save(update_fields=["merged_into", "merged_at", "is_archived", "modified_at"])
        audit_record(
            actor=actor,
            action="customer.merge",
            obj=keep,
            detail={
                "keep": keep.reference,
                "merge": merge.reference,
                "moved": moved,
                "identifiers_already_held": len(already),
            },
        )
    return keep


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _refuse_if_held(held: Any, fields: dict[str, Any], whose: str) -> None:
    """Refuse an identifier its owner (a customer's or a representative's identifiers) already
    has in use, naming the field."""
    if held.filter(
        kind=fields["kind"], value=fields["value"], platform=fields["platform"], valid_to__isnull=True
    ).exists():
        raise ValidationError({fields["kind"]: f"{whose} already has this {_label(fields['kind'])}"})


def _label(kind: str) -> str:
    return str(Identifier.Kind(kind).label).lower()
