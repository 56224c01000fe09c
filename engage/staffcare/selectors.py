"""Reads for staff care: what the contact check must honour, and who may see which staff care record.

Staff care records are personal. Beyond the organisation (engage.access) each is seen only by
those who need it (000/001 §76, §79; 002 §12.7): the member of staff, the people above them in
line management, and for named-online reports HR and communications.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from engage import access
from engage.policy.vocabulary import Capability
from engage.staff.models import Role, User
from engage.staffcare.models import Debrief, NamedOnlineReport, StaffRequest

# How far up the line of management a manager sees their reports' staff care. Four levels
# reach from a call handler to a head of service in every policy Engage runs.
MANAGEMENT_DEPTH = 4


def active_no_contact(organisation_id: int, customer_id: int) -> list[tuple[int, str]]:
    """(staff user id, kind) of every agreed staff request about this customer.

    The contact check calls this for every contact: one query on the partial index
    `staffrequest_agreed_customer`, no joins. Turn the result into words with
    `rules.desk_sentences`, which never says why.
    """
    return list(
        StaffRequest.objects.filter(
            organisation_id=organisation_id, customer_id=customer_id, status=StaffRequest.Status.AGREED
        )
        .order_by("staff_member_id", "kind")
        .values_list("staff_member_id", "kind")
    )


def _above(field: str, user: Any) -> Q:
    """`field`'s line manager, or theirs, ... is `user` (`field` "" for the user model itself)."""
    q = Q()
    path = field
    for _ in range(MANAGEMENT_DEPTH):
        path = f"{path}__line_manager" if path else "line_manager"
        q |= Q(**{path: user})
    return q


def manages(manager: Any, member: Any) -> bool:
    """Whether `manager` is above `member` in line management (same organisation only)."""
    if manager is None or member is None or manager.pk == member.pk:
        return False
    if manager.organisation_id is None or manager.organisation_id != member.organisation_id:
        return False
    person = member
    for _ in range(MANAGEMENT_DEPTH):
        person = person.line_manager
        if person is None:
            return False
        if person.pk == manager.pk:
            return True
    return False


def may_decide(actor: Any, request: StaffRequest) -> bool:
    """The staff member's manager, or a senior decision maker; never the staff member themselves."""
    if actor is None or actor.organisation_id != request.organisation_id:
        return False
    if actor.pk == request.staff_member_id:
        return False
    return manages(actor, request.staff_member) or actor.can(Capability.SENIOR_DECISION_MAKER)


def requests_for(user: Any) -> QuerySet[StaffRequest]:
    qs = access.scoped(StaffRequest, user).select_related("staff_member", "customer", "decided_by")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.can(Capability.SENIOR_DECISION_MAKER):
        return qs
    return qs.filter(Q(staff_member=user) | _above("staff_member", user))


def debriefs_for(user: Any) -> QuerySet[Debrief]:
    qs = access.scoped(Debrief, user).select_related("staff_member", "incident")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(Q(staff_member=user) | Q(held_with=user) | _above("staff_member", user)).distinct()


def named_online_for(user: Any) -> QuerySet[NamedOnlineReport]:
    """Reports a person may see. The member of staff sees one a colleague made only once their
    line manager has told them in private (000/001 §80, 002 §12.8), so they never learn of it
    from a screen."""
    qs = access.scoped(NamedOnlineReport, user).select_related("staff_member", "reported_by")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    # Not even HR sees a report about themselves before they have been told of it.
    qs = qs.exclude(staff_member=user, staff_member_knows=False)
    if user.can(Capability.HR_COMMUNICATIONS):
        return qs
    return qs.filter(Q(staff_member=user) | _above("staff_member", user))


def may_handle_named_online(actor: Any, report: NamedOnlineReport) -> bool:
    """Line management and HR/communications act on a report (000/001 §78–82, 002 §12.6–12.8)."""
    if actor is None or actor.organisation_id != report.organisation_id:
        return False
    if actor.pk == report.staff_member_id:
        return False
    return actor.can(Capability.HR_COMMUNICATIONS) or manages(actor, report.staff_member)


def managed_by(user: Any) -> QuerySet[User]:
    """The active people `user` is above in line management, by name."""
    return (
        access.scoped(User, user).filter(_above("", user), is_active=True).order_by("first_name", "last_name")
    )


def people_with(organisation_id: int, *capabilities: Capability) -> QuerySet[User]:
    """Active people of the organisation whose current roles carry any of these capabilities.

    Capabilities live in a JSON list on the role, which SQLite cannot search; roles are few,
    so they are read once and matched here.
    """
    wanted = {str(c) for c in capabilities}
    role_ids = [
        role.pk
        for role in Role.objects.filter(organisation_id=organisation_id, is_archived=False)
        if wanted & set(role.capabilities)
    ]
    return (
        User.objects.filter(organisation_id=organisation_id, is_active=True, roles__in=role_ids)
        .distinct()
        .order_by("first_name", "last_name")
    )
