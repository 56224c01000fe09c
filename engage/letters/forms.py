"""Forms for drafting, checking, issuing and not sending letters. The rules are the services': these
forms only turn what was typed into values, each error naming its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from engage.decisions.forms import Layout, add_date, add_group_fields, clean_dates
from engage.letters.facts import Option
from engage.letters.models import Letter, LetterSettings
from engage.policy.schema import Preset
from engage.staff.models import User

LAYOUT_LABELS = dict(Letter.Layout.choices)
_NEUTRAL = _(
    "Neutral words about the interaction, not the person: what happened, when and how. "
    "No blame, no staff names, no quotes from what the customer said (000/001 §71; 003 9.17)."
)


# No field may be called "layout": templates read `form.layout` (the Layout mixin) and a field of
# that name would hide it.


class NewLetterForm(Layout, forms.Form):
    letter = forms.ChoiceField(
        widget=forms.RadioSelect,
        label=_("Which letter are you drafting?"),
        error_messages={"required": _("Select which letter to draft")},
    )

    def __init__(
        self, *args: Any, options: list[Option], layouts: list[str], default_layout: str, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.options = {o.value: o for o in options}
        self.fields["letter"].choices = [(o.value, o.label) for o in options]  # type: ignore[attr-defined]
        if len(options) == 1:
            self.fields["letter"].initial = options[0].value
        if len(layouts) > 1:
            self.fields["language"] = forms.ChoiceField(
                widget=forms.RadioSelect,
                choices=[(v, LAYOUT_LABELS[v]) for v in layouts],
                initial=default_layout,
                label=_("Which language?"),
                help_text=_("This policy writes to customers in Welsh and English."),
                error_messages={"required": _("Select the language of the letter")},
            )


class EditForm(Layout, forms.Form):
    what_happened = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        label=_("What happened, and why we made this decision"),
        help_text=_NEUTRAL,
    )
    requested_change = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label=_("Anything specific we are asking the customer to do (optional)"),
    )
    additional_text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label=_("Other information for the customer (optional)"),
        help_text=_("For example, that their request or complaint is still being dealt with."),
    )
    enclose_policy = forms.BooleanField(required=False, label=_("Enclose a copy of the policy"))

    def __init__(self, *args: Any, letter: Letter, layouts: list[str], people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        welsh = "cy" in letter.languages
        english = "en" in letter.languages
        if not english:
            for name in ("what_happened", "requested_change", "additional_text"):
                del self.fields[name]
        if welsh:
            self.fields["what_happened_cy"] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 6, "lang": "cy"}),
                required=False,
                label=_("In Welsh: what happened, and why we made this decision"),
                help_text=_NEUTRAL,
            )
            self.fields["requested_change_cy"] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 3, "lang": "cy"}),
                required=False,
                label=_("In Welsh: anything specific we are asking the customer to do (optional)"),
            )
            self.fields["additional_text_cy"] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 3, "lang": "cy"}),
                required=False,
                label=_("In Welsh: other information for the customer (optional)"),
            )
        if len(layouts) > 1:
            self.fields["language"] = forms.ChoiceField(
                widget=forms.RadioSelect,
                choices=[(v, LAYOUT_LABELS[v]) for v in layouts],
                label=_("Which language?"),
            )
        self.fields["signed_by"] = forms.ModelChoiceField(
            queryset=people, required=True, label=_("Who signs the letter?"), empty_label=None
        )
        # Order: the words first, then how it is sent out.
        order = [
            "what_happened",
            "what_happened_cy",
            "requested_change",
            "requested_change_cy",
            "additional_text",
            "additional_text_cy",
            "enclose_policy",
            "language",
            "signed_by",
        ]
        self.order_fields([f for f in order if f in self.fields])


class CheckForm(Layout, forms.Form):
    approve = forms.ChoiceField(
        choices=[("yes", _("Yes, it can be issued")), ("no", _("No, return it to its author"))],
        widget=forms.RadioSelect,
        label=_("Can this letter be issued?"),
        error_messages={"required": _("Select whether the letter can be issued")},
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label=_("Note for the author"),
        help_text=_("Required if you return it: say what needs to change."),
    )

    def __init__(self, *args: Any, preset: Preset, actor: User, letter: Letter, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if letter.check_by:
            add_group_fields(self, preset, actor, letter.check_by, _("Who is checking?"))


class IssueForm(Layout, forms.Form):
    method = forms.ChoiceField(
        choices=Letter.Method.choices,
        widget=forms.RadioSelect,
        label=_("How is the letter being sent?"),
        error_messages={"required": _("Select how the letter is being sent")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_date(
            self,
            "issued_on",
            True,
            _("Date of the letter"),
            _("The day it is posted, emailed or handed over. For example, 27 3 2026"),
        )
        self.order_fields(["issued_on_day", "issued_on_month", "issued_on_year", "method"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        clean_dates(self, data, {"issued_on": "the date of the letter"})
        return data


class NotSentForm(Layout, forms.Form):
    exemption = forms.ChoiceField(
        widget=forms.RadioSelect,
        label=_("Why is the letter not being sent?"),
        error_messages={"required": _("Select the reason the policy gives")},
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("Details"),
        help_text=_("Who advised it and when, and what was considered."),
        error_messages={"required": _("Enter why the letter is not being sent, and who advised it")},
    )

    def __init__(self, *args: Any, preset: Preset, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["exemption"].choices = [  # type: ignore[attr-defined]
            (e.key, f"{e.description} ({e.clause})") for e in preset.letters.notification_exemptions
        ]


class SettingsForm(Layout, forms.ModelForm):
    class Meta:
        model = LetterSettings
        fields = ["bilingual_layout", "colleague_check", "welsh_name", "welsh_address"]
        widgets = {
            "bilingual_layout": forms.RadioSelect,
            "welsh_address": forms.Textarea(attrs={"rows": 4, "lang": "cy"}),
            "welsh_name": forms.TextInput(attrs={"lang": "cy"}),
        }
        labels = {
            "bilingual_layout": _("How are letters in Welsh and English laid out?"),
            "colleague_check": _("Check every letter the policy is silent on"),
            "welsh_name": _("The organisation's name in Welsh"),
            "welsh_address": _("The organisation's address in Welsh"),
        }
        help_texts = {
            "colleague_check": _(
                "Where the policy names no one to check a letter, a manager other than its author checks it."
            ),
            "welsh_name": _("Shown on the letterhead of Welsh and bilingual letters."),
        }


__all__ = ["CheckForm", "EditForm", "IssueForm", "NewLetterForm", "NotSentForm", "SettingsForm"]
