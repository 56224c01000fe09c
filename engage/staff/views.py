"""Staff pages: the organisation's directory, and managing staff for information governance."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from engage import access
from engage.policy.vocabulary import Capability
from engage.staff import services
from engage.staff.forms import DeactivateForm, RolesForm, StaffCreateForm
from engage.staff.models import User

_IG = Capability.INFORMATION_GOVERNANCE


def staff_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, _IG)
    people = access.scoped(User, request.user).prefetch_related("roles").select_related("line_manager")
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return render(request, "staff/list.html", {"page": page})


def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, _IG)
    member = access.get_for_user(User.objects.select_related("line_manager"), request.user, pk=pk)
    return render(request, "staff/detail.html", {"member": member, "roles": member.roles.all()})


def _apply_errors(form: RolesForm, error: ValidationError) -> None:
    for field, msgs in error.message_dict.items():
        form.add_error(field if field in form.fields else None, msgs)


def staff_add(request: HttpRequest) -> HttpResponse:
    access.require(request.user, _IG)
    organisation = request.user.organisation  # type: ignore[union-attr]
    assert organisation is not None  # require() passed, so the user belongs to one
    form = StaffCreateForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.staff_create(
                actor=request.user,
                organisation=organisation,
                username=form.cleaned_data["username"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                email=form.cleaned_data["email"],
                roles=form.cleaned_data["roles"],
                line_manager=form.cleaned_data["line_manager"],
                job_title=form.cleaned_data["job_title"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("%(name)s has been added.") % {"name": member})
            return redirect("staff:detail", pk=member.pk)
    return render(request, "staff/form.html", {"form": form, "title": _("Add a member of staff")})


def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, _IG)
    member = access.get_for_user(User, request.user, pk=pk)
    initial = {
        "roles": member.roles.all(),
        "line_manager": member.line_manager,
        "job_title": member.job_title,
    }
    form = RolesForm(
        request.POST or None, initial=initial, organisation=member.organisation, exclude_member=member
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_change_roles(
                actor=request.user,
                member=member,
                roles=form.cleaned_data["roles"],
                line_manager=form.cleaned_data["line_manager"],
                job_title=form.cleaned_data["job_title"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Roles for %(name)s have been changed.") % {"name": member})
            return redirect("staff:detail", pk=member.pk)
    title = _("Change roles for %(name)s") % {"name": member}
    return render(request, "staff/form.html", {"form": form, "title": title, "member": member})


def staff_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, _IG)
    member = access.get_for_user(User, request.user, pk=pk)
    form = DeactivateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_deactivate(actor=request.user, member=member, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("%(name)s can no longer sign in.") % {"name": member})
            return redirect("staff:detail", pk=member.pk)
    title = _("End access for %(name)s") % {"name": member}
    return render(request, "staff/form.html", {"form": form, "title": title, "member": member})
