"""Forms for information governance to manage service accounts. The rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from engage.api.models import ServiceAccount


class ServiceAccountForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label=_("Name"),
        help_text=_("Say which system will use it, like Telephony or Mail gateway."),
        error_messages={"required": _("Enter a name for the service account, like Telephony")},
    )
    scope = forms.ChoiceField(
        choices=[
            (ServiceAccount.Scope.READ, _("Read only: check contacts and read records")),
            (ServiceAccount.Scope.READ_WRITE, _("Read and write: also record contact events")),
        ],
        widget=forms.RadioSelect,
        label=_("What may it do?"),
        help_text=_("Choose read only unless the system sends Engage its calls or emails."),
        error_messages={"required": _("Select whether the account may only read, or read and write")},
    )
