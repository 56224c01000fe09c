"""Organisation settings forms for information governance."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class LetterheadForm(forms.Form):
    address = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label=_("Postal address"),
        help_text=_("As it should appear on letters, one line per line."),
    )
    telephone = forms.CharField(max_length=40, required=False, label=_("Telephone number"))
    email = forms.EmailField(
        required=False,
        label=_("Email address"),
        error_messages={
            "invalid": _("Enter an email address in the correct format, like contact@example.gov.uk")
        },
    )
    website = forms.URLField(
        required=False,
        label=_("Website"),
        assume_scheme="https",
        error_messages={
            "invalid": _("Enter a website address in the correct format, like https://example.gov.uk")
        },
    )


class ClosureForm(forms.Form):
    """A date as the GOV.UK date input: day, month and year boxes, each error naming its part."""

    day = forms.IntegerField(min_value=1, max_value=31, label=_("Day"), required=False)
    month = forms.IntegerField(min_value=1, max_value=12, label=_("Month"), required=False)
    year = forms.IntegerField(min_value=2000, max_value=2100, label=_("Year"), required=False)
    reason = forms.CharField(
        max_length=200,
        label=_("Why is the organisation closed?"),
        error_messages={"required": _("Enter a reason")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parts = {k: data.get(k) for k in ("day", "month", "year")}
        missing = [k for k, v in parts.items() if v is None]
        if len(missing) == 3:
            self.add_error("day", _("Enter the date of the closure"))
        elif missing:
            self.add_error(missing[0], _("The date must include a %(part)s") % {"part": missing[0]})
        else:
            try:
                data["date"] = dt.date(parts["year"], parts["month"], parts["day"])  # type: ignore[arg-type]
            except ValueError:
                self.add_error("day", _("The date must be a real date"))
        return data
