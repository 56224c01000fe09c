"""The question pages of logging an incident, the witness account, the review and the police decision.

Forms parse what was typed into plain values; the rules (what is required, who may decide what)
live in the services, whose errors are shown against the same fields.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engage.incidents import rules
from engage.incidents.models import CHANNEL_CHOICES, ImmediateAction, Incident
from engage.policy.schema import Preset
from engage.staff.models import User

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


def _yes_no_field(
    label: Any, required_message: Any, help_text: Any = "", required: bool = True
) -> forms.Field:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=YES_NO,
        widget=forms.RadioSelect,
        coerce=lambda v: v == "yes",
        empty_value=None,
        required=required,
        error_messages={"required": required_message},
    )


class StepForm(forms.Form):
    """A question page. `initial_from(incident)` fills it from the draft; `values()` gives the
    service the step's data."""

    def __init__(self, *args: Any, incident: Incident, preset: Preset, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", self.initial_from(incident))
        super().__init__(*args, **kwargs)
        self.incident = incident
        self.preset = preset
        self.user = user

    @classmethod
    def initial_from(cls, incident: Incident) -> dict[str, Any]:
        return {}

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


# ---------------------------------------------------------------------------------------------
# When: a GOV.UK date input and a time, with an error for the part that is wrong
# ---------------------------------------------------------------------------------------------

_TIME = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\s*$", re.IGNORECASE)


def parse_time(text: str) -> dt.time | None:
    """'14:30', '14.30', '2:30pm', '9am' -> a time; anything else None."""
    match = _TIME.match(text)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    meridiem = (match.group(3) or "").lower()
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    elif match.group(2) is None:
        return None  # "14" alone is too easy to mistype
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


class WhenForm(StepForm):
    day = forms.CharField(label=_("Day"), required=False, max_length=2)
    month = forms.CharField(label=_("Month"), required=False, max_length=2)
    year = forms.CharField(label=_("Year"), required=False, max_length=4)
    time = forms.CharField(
        label=_("Time"),
        required=False,
        max_length=8,
        help_text=_("Use the 24-hour clock, for example 14:30"),
    )

    @classmethod
    def initial_from(cls, incident: Incident) -> dict[str, Any]:
        if incident.occurred_at is None:
            return {}
        local = timezone.localtime(incident.occurred_at)
        return {"day": local.day, "month": local.month, "year": local.year, "time": local.strftime("%H:%M")}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parts = {k: (data.get(k) or "").strip() for k in ("day", "month", "year")}
        self.date_error_parts: set[str] = set()
        date = None
        missing = [k for k, v in parts.items() if not v]
        if len(missing) == 3:
            self._date_error(["day", "month", "year"], _("Enter the date it happened"))
        elif missing:
            self._date_error(
                missing, _("The date it happened must include a %(parts)s") % {"parts": " and ".join(missing)}
            )
        elif not all(v.isdigit() for v in parts.values()):
            self._date_error(
                [k for k, v in parts.items() if not v.isdigit()],
                _("The date it happened must be a real date"),
            )
        elif len(parts["year"]) != 4:
            self._date_error(["year"], _("The year must include 4 numbers"))
        else:
            try:
                date = dt.date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
            except ValueError:
                self._date_error(["day", "month", "year"], _("The date it happened must be a real date"))
        time_text = (data.get("time") or "").strip()
        time = parse_time(time_text) if time_text else None
        if not time_text:
            self.add_error("time", _("Enter the time it happened"))
        elif time is None:
            self.add_error("time", _("Enter the time in the 24-hour format, like 14:30"))
        if date is not None and time is not None:
            data["occurred_at"] = dt.datetime.combine(date, time, tzinfo=timezone.get_current_timezone())
        return data

    def date_parts(self) -> list[tuple[Any, int]]:
        return [(self["day"], 2), (self["month"], 2), (self["year"], 4)]

    def date_errors(self) -> list[Any]:
        return [e for name in ("day", "month", "year") for e in self.errors.get(name, [])]

    def _date_error(self, parts: list[str], message: Any) -> None:
        # One message for the date, on its first part in error; the other parts are only outlined.
        self.date_error_parts.update(parts)
        self.add_error(parts[0], message)

    def values(self) -> dict[str, Any]:
        return {"occurred_at": self.cleaned_data["occurred_at"]}


class WhereForm(StepForm):
    location = forms.CharField(
        label=_("Where did it happen? (optional)"),
        help_text=_(
            "For example, the reception at County Hall, or an address. Leave blank for a call, email or post."
        ),
        max_length=200,
        required=False,
    )
    service = forms.CharField(
        label=_("Which service were you providing?"),
        help_text=_("For example, council tax, housing repairs or the contact centre"),
        max_length=200,
        error_messages={"required": _("Enter which service you were providing")},
    )

    @classmethod
    def initial_from(cls, incident: Incident) -> dict[str, Any]:
        return {"location": incident.location, "service": incident.service}


class ChannelForm(StepForm):
    channel = forms.ChoiceField(
        label=_("How was the person in contact?"),
        choices=CHANNEL_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how the person was in contact")},
    )

    @classmethod
    def initial_from(cls, incident: Incident) -> dict[str, Any]:
        return {"channel": incident.channel or None}


class PersonForm(StepForm):
    identifier = forms.CharField(
        label=_("Find them by phone number, email address, social media handle or customer reference"),
        help_text=_("Leave blank if you do not know."),
        max_length=400,
        required=False,
    )
    person_description = forms.CharField(
        label=_("If you cannot find them, describe the person"),
        help_text=_(
            "The name they gave, or how they were known to you, for example 'caller from a withheld number'. Facts only."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )
    unlink = forms.BooleanField(label=_("This is not the right customer: remove the link"), required=False)

    @classmethod
    def initial_from(cls, incident: Incident) -> dict[str, Any]:
        return {"person_description": incident.person_description}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.incident.customer_id is None:
            del self.fields["unlink"]

    def clean(self) -> dict[str, Any]:
        from engage.customers.selectors import find_by_identifier

        data = super().clean() or {}
        customer = None if data.get("unlink") else self.incident.customer
        raw = (data.get("identifier") or "").strip()
        if raw:
            found = find_by_identifier(self.user, raw)
            if not found:
                self.add_error(
                    "identifier",
                    _(
                        "No customer was found with this identifier. Check it, or leave it blank and describe the person"
                    ),
                )
            elif len(found) > 1:
                self.add_error(
                    "identifier",
                    _("More than one customer has this identifier: enter their customer reference"),
                )
            else:
                customer = found[0]
        data["customer"] = customer
        return data

    def values(self) -> dict[str, Any]:
        return {
            "customer": self.cleaned_data["customer"],
            "person_description": self.cleaned_data.get("person_description", ""),
        }


class AccountForm(StepForm):
    account = forms.CharField(
        label=_("What happened?"),
        help_text=_(
            "In your own words: what was said and done, in the order it happened. Quote the words used where "
            "you can. Record facts, not opinions."
        ),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=20000,
        error_messages={"required": _("Describe what happened, in your own words")},
    )

    @classmethod
    def initial_from(cls, incident: Incident) -> dict[str, Any]:
        return {"account": incident.account}


class CategoriesForm(StepForm):
    categories = forms.MultipleChoiceField(
        label=_("What kind of behaviour was it?"),
        help_text=_("Select all that apply."),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select the kind of behaviour")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = [(c.key, c.name) for c in self.preset.categories]  # type: ignore[attr-defined]

    @classmethod
    def initial_from(cls, incident: Incident) -> dict[str, Any]:
        return {"categories": list(incident.categories)}


class StaffForm(StepForm):
    staff_affected = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        label=_("Who was affected?"),
        help_text=_("Select everyone the behaviour was aimed at or who was harmed by it, including you."),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select who was affected")},
    )
    witnesses = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        label=_("Who else saw or heard it? (optional)"),
        help_text=_("Each witness will be asked to add their own account."),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = User.objects.filter(organisation=self.incident.organisation_id, is_active=True).order_by(
            "first_name", "last_name"
        )
        self.fields["staff_affected"].queryset = staff  # type: ignore[attr-defined]
        self.fields["witnesses"].queryset = staff.exclude(pk=self.incident.reporter_id)  # type: ignore[attr-defined]

    @classmethod
    def initial_from(cls, incident: Incident) -> dict[str, Any]:
        return {
            "staff_affected": list(incident.staff_affected.values_list("pk", flat=True)),
            "witnesses": list(incident.witnesses.values_list("staff_id", flat=True)),
        }


class ActionForm(StepForm):
    immediate_actions = forms.MultipleChoiceField(
        label=_("What did you do at the time?"),
        help_text=_("Select all that apply."),
        choices=[*ImmediateAction.choices, (rules.NO_ACTION, _("None of these"))],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select what you did at the time, or 'None of these'")},
    )
    warning_given_first = _yes_no_field(
        _("If you ended the call or meeting, did you warn the person first?"),
        _("Select whether you warned the person before ending the contact"),
        help_text=_(
            "A warning should come first where it is safe to give one. Leave blank if you did not end a call or meeting."
        ),
        required=False,
    )

    @classmethod
    def initial_from(cls, incident: Incident) -> dict[str, Any]:
        return {
            "immediate_actions": list(incident.immediate_actions),
            "warning_given_first": yes_no(incident.warning_given_first),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        problem = rules.immediate_actions_problem(data.get("immediate_actions") or [])
        if problem:
            self.add_error("immediate_actions", problem)
        return data


class RecordingForm(StepForm):
    recording_said = _yes_no_field(
        _("Did the person say they were recording or live-streaming?"),
        _("Select whether the person said they were recording or live-streaming"),
    )

    @classmethod
    def initial_from(cls, incident: Incident) -> dict[str, Any]:
        return {"recording_said": yes_no(incident.recording_said)}


class NamedForm(StepForm):
    staff_named_publicly = _yes_no_field(
        _("Were any staff named publicly?"),
        _("Select whether staff were named publicly"),
        help_text=_("For example, named in a social media post, on a website or to a newspaper."),
    )

    @classmethod
    def initial_from(cls, incident: Incident) -> dict[str, Any]:
        return {"staff_named_publicly": yes_no(incident.staff_named_publicly)}


class PortalForm(StepForm):
    hs_portal_reference = forms.CharField(max_length=100, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rule = rules.health_and_safety_portal(self.preset, self.incident.categories)
        field = self.fields["hs_portal_reference"]
        field.label = _("%(portal)s reference") % {"portal": rule.portal} + (
            "" if rule.required else _(" (optional)")
        )
        field.help_text = rule.reason

    @classmethod
    def initial_from(cls, incident: Incident) -> dict[str, Any]:
        return {"hs_portal_reference": incident.hs_portal_reference}


class SupportForm(StepForm):
    support_wanted = _yes_no_field(
        _("Would you like support after this?"),
        _("Select whether you would like support"),
        help_text=_("For example, a debrief with your manager or a referral to occupational health."),
    )
    time_away_wanted = _yes_no_field(
        _("Would you like some time away from your work?"),
        _("Select whether you would like time away from your work"),
    )

    @classmethod
    def initial_from(cls, incident: Incident) -> dict[str, Any]:
        return {
            "support_wanted": yes_no(incident.support_wanted),
            "time_away_wanted": yes_no(incident.time_away_wanted),
        }


# ---------------------------------------------------------------------------------------------
# After submitting
# ---------------------------------------------------------------------------------------------


class SubmitForm(forms.Form):
    """No fields: carries the missing answers so the page shows them (and its title says Error)."""


class WitnessForm(forms.Form):
    account = forms.CharField(
        label=_("What did you see or hear?"),
        help_text=_("In your own words, as facts. Quote the words used where you can."),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
        error_messages={"required": _("Describe what you saw or heard")},
    )


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What have you decided?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Select what you have decided")},
    )
    reason = forms.CharField(
        label=_("Why?"),
        help_text=_("Your reasons, as you would explain them to the customer and to the member of staff."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": _("Enter the reasons for your decision")},
    )

    def __init__(self, *args: Any, options: list[rules.ReviewOption], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only what this manager may decide is a radio; the refused options are shown beside it.
        self.fields["outcome"].choices = [(o.decision.value, o.name) for o in options if o.verdict.allowed]  # type: ignore[attr-defined]


class PoliceForm(forms.Form):
    reported = forms.ChoiceField(
        label=_("Has this incident been reported to the police?"),
        choices=[("yes", _("Yes, it has been reported")), ("no", _("No, it will not be reported"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select whether the incident has been reported to the police")},
    )
    reference = forms.CharField(label=_("Police reference number"), max_length=100, required=False)
    reason_not_reported = forms.CharField(
        label=_("Why will it not be reported?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
    )
    staff_view = forms.CharField(
        label=_("What is the view of the staff involved?"),
        help_text=_("Ask the staff member who was affected, and take their view into account."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
    )

    def __init__(self, *args: Any, may_decide_not_to_report: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_decide_not_to_report:
            # The only answer left is a police reference; the page says why, naming the clause.
            self.fields["reported"].choices = [("yes", _("Yes, it has been reported"))]  # type: ignore[attr-defined]
            self.fields["reported"].initial = "yes"
            for name in ("reason_not_reported", "staff_view"):
                del self.fields[name]


STEP_FORMS: dict[str, type[StepForm]] = {
    "when": WhenForm,
    "where": WhereForm,
    "channel": ChannelForm,
    "person": PersonForm,
    "account": AccountForm,
    "categories": CategoriesForm,
    "staff": StaffForm,
    "action": ActionForm,
    "recording": RecordingForm,
    "named": NamedForm,
    "portal": PortalForm,
    "support": SupportForm,
}
