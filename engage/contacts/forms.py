"""Forms for contact pages. They only parse: the services validate, so every problem is named at once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

from engage.contacts.models import CHANNEL_CHOICES


class CheckForm(forms.Form):
    identifier = forms.CharField(
        max_length=200,
        required=False,
        label=_("Phone, email, social media handle, reference, or name and postcode"),
        help_text=_(
            "For example, 01352 702345, name@example.org, @dewi_jones, C-000123, or Siôn Jones CH7 6NF."
        ),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}),
    )
    channel = forms.ChoiceField(
        choices=CHANNEL_CHOICES,
        required=False,
        label=_("How are they contacting us?"),
        widget=forms.RadioSelect,
    )
    via_representative = forms.BooleanField(
        required=False,
        label=_("They are acting for the customer"),
        help_text=_(
            "For example an advocate, a solicitor or a family member. A representative's own number or "
            "email address finds the customer when it is recorded on their page; otherwise check the "
            "customer's details and tick this."
        ),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Contact events file"),
        help_text=_("A CSV file or a JSON Lines file (.jsonl), with the columns described below."),
    )


class LevelsCloseForm(forms.Form):
    outcome = forms.CharField(
        max_length=2000,
        required=False,
        label=_("What did you decide?"),
        help_text=_(
            "In a sentence or two. A restriction is a decision of its own, taken on the customer's case under the policy."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LevelSettingsForm(forms.Form):
    calls_per_hour = forms.IntegerField(
        min_value=1, max_value=1000, required=False, label=_("Calls in one hour")
    )
    calls_per_day = forms.IntegerField(
        min_value=1, max_value=1000, required=False, label=_("Calls in one day")
    )
    calls_per_week = forms.IntegerField(
        min_value=1, max_value=5000, required=False, label=_("Calls in one week")
    )
    call_minutes_per_week = forms.IntegerField(
        min_value=1, max_value=10080, required=False, label=_("Minutes on the phone in one week")
    )
    email_recipients = forms.IntegerField(
        min_value=1, max_value=1000, required=False, label=_("Members of staff sent the same email")
    )


def _months_field(label: StrOrPromise, help_text: StrOrPromise) -> forms.IntegerField:
    return forms.IntegerField(
        min_value=1,
        max_value=120,
        label=label,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            key: _("Enter a whole number of months from 1 to 120")
            for key in ("required", "invalid", "min_value", "max_value")
        },
    )


class EventsRetentionForm(forms.Form):
    months = _months_field(
        _("Keep contact events for this many months"),
        _("For example, 24. Events older than this are deleted each night."),
    )


class ChecksRetentionForm(forms.Form):
    months = _months_field(
        _("Keep contact checks for this many months"),
        _("For example, 24. Checks older than this are deleted each night."),
    )
