"""Adding staff, changing their roles and line manager, and ending their access."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from engage.audit.services import audit_record
from engage.organisations.models import Organisation
from engage.staff.models import Role, User


def _check_same_organisation(
    organisation: Organisation, roles: Iterable[Role], line_manager: User | None
) -> None:
    for role in roles:
        if role.organisation_id != organisation.pk or role.is_archived:
            raise ValidationError({"roles": f"{role} is not a current role of {organisation}."})
    if line_manager is not None and line_manager.organisation_id != organisation.pk:
        raise ValidationError({"line_manager": "The line manager must work for the same organisation."})


def staff_create(
    *,
    actor: Any,
    organisation: Organisation,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    roles: Iterable[Role],
    password: str | None = None,
    line_manager: User | None = None,
    job_title: str = "",
) -> User:
    roles = list(roles)
    _check_same_organisation(organisation, roles, line_manager)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "Another account already uses this username."})
    user = User(
        organisation=organisation,
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        line_manager=line_manager,
        job_title=job_title,
    )
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    with transaction.atomic():
        user.save()
        user.roles.set(roles)
        audit_record(
            actor=actor,
            action="staff.create",
            obj=user,
            organisation=organisation,
            detail={"roles": sorted(r.key for r in roles)},
        )
    return user


def staff_change_roles(
    *,
    actor: Any,
    member: User,
    roles: Iterable[Role],
    line_manager: User | None,
    job_title: str | None = None,
) -> User:
    roles = list(roles)
    assert member.organisation is not None
    _check_same_organisation(member.organisation, roles, line_manager)
    if line_manager is not None and line_manager.pk == member.pk:
        raise ValidationError({"line_manager": "A person cannot be their own line manager."})
    with transaction.atomic():
        before = sorted(member.roles.values_list("key", flat=True))
        member.roles.set(roles)
        member.line_manager = line_manager
        fields = ["line_manager"]
        if job_title is not None:
            member.job_title = job_title
            fields.append("job_title")
        member.save(update_fields=fields)
        audit_record(
            actor=actor,
            action="staff.roles_change",
            obj=member,
            detail={
                "before": before,
                "after": sorted(r.key for r in roles),
                "line_manager": line_manager.pk if line_manager else None,
            },
        )
    member.__dict__.pop("_capabilities", None)
    return member


def staff_deactivate(*, actor: Any, member: User, reason: str) -> User:
    """End someone's access. The account stays, so the records they made keep their author."""
    if actor is not None and getattr(actor, "pk", None) == member.pk:
        raise ValidationError({"member": "You cannot end your own access; ask another administrator."})
    if not reason.strip():
        raise ValidationError({"reason": "Enter why this person's access is ending."})
    with transaction.atomic():
        member.is_active = False
        member.save(update_fields=["is_active"])
        audit_record(actor=actor, action="staff.deactivate", obj=member, detail={"reason": reason.strip()})
    return member
