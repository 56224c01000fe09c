"""Forms for adding, opening and withdrawing evidence. The rules on files live in files.py and services."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from engage.evidence.files import ACCEPTED, MAX_MEGABYTES


class EvidenceAddForm(forms.Form):
    file = forms.FileField(
        label=_("Upload a file"),
        help_text=format_lazy(_("{accepted}, smaller than {mb} MB."), accepted=ACCEPTED, mb=MAX_MEGABYTES),
        error_messages={"required": _("Select a file"), "empty": _("The selected file is empty")},
    )
    distressing = forms.TypedChoiceField(
        label=_("Is this distressing?"),
        help_text=_(
            "For example threats, abuse, violent or sexual content, or anything that would upset someone "
            "who saw or heard it without warning. Distressing items are never shown on screen: people "
            "open them deliberately, saying why."
        ),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Select yes if this item may be distressing")},
    )
    description = forms.CharField(
        label=_("What does it show? (optional)"),
        help_text=_(
            "Facts only, for example “Screenshot of a Facebook post naming a member of staff”. "
            "Screen readers read this out in place of an image."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
    )


class OpenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you opening this?"),
        help_text=_("For example, to review the incident. Your name, the time and this reason are recorded."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        error_messages={"required": _("Enter why you are opening this item")},
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this item being withdrawn?"),
        help_text=_("For example, it was added to the wrong incident."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        error_messages={"required": _("Enter why this item is being withdrawn")},
    )
