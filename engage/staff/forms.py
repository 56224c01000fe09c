"""Forms for information governance to manage staff. Validation of rules lives in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from engage.staff.models import Role, User


class _OrganisationScoped(forms.Form):
    def __init__(
        self, *args: Any, organisation: Any, exclude_member: User | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["roles"].queryset = Role.objects.filter(organisation=organisation, is_archived=False)  # type: ignore[attr-defined]
        managers = User.objects.filter(organisation=organisation, is_active=True)
        if exclude_member is not None:
            managers = managers.exclude(pk=exclude_member.pk)
        self.fields["line_manager"].queryset = managers  # type: ignore[attr-defined]


class RolesForm(_OrganisationScoped):
    roles = forms.ModelMultipleChoiceField(
        queryset=Role.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Roles"),
        help_text=_("Roles come from your organisation's policy. Select all that apply."),
        error_messages={"required": _("Select at least one role")},
    )
    line_manager = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label=_("Line manager"), empty_label=_("None")
    )
    job_title = forms.CharField(max_length=200, required=False, label=_("Job title"))


class StaffCreateForm(RolesForm):
    field_order = ["first_name", "last_name", "email", "username", "job_title", "roles", "line_manager"]
    first_name = forms.CharField(
        max_length=150, label=_("First name"), error_messages={"required": _("Enter a first name")}
    )
    last_name = forms.CharField(
        max_length=150, label=_("Last name"), error_messages={"required": _("Enter a last name")}
    )
    email = forms.EmailField(
        label=_("Email address"),
        error_messages={
            "required": _("Enter an email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.org"),
        },
    )
    username = forms.CharField(
        max_length=150,
        label=_("Username"),
        help_text=_("Letters, numbers and @ . + - _ only."),
        error_messages={"required": _("Enter a username")},
    )


class DeactivateForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        label=_("Why is this person's access ending?"),
        error_messages={"required": _("Enter why this person's access is ending")},
    )
