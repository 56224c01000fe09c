"""Staff care forms: few questions, optional wherever the answer can wait, in plain words.

Forms parse what was typed; who may do what, and what must be given, is checked by the services,
whose errors are shown against the same fields.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engage.evidence import files
from engage.incidents.models import Incident
from engage.staff.models import User
from engage.staffcare.models import StaffRequest
from engage.staffcare.rules import Party
from engage.staffcare.services import MAX_SCREENSHOTS

# ---------------------------------------------------------------------- GOV.UK date input


class DateInput(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes in a fieldset."""

    template_name = "staffcare/widgets/date.html"
    _PARTS = (("day", _("Day"), 2), ("month", _("Month"), 2), ("year", _("Year"), 4))

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({name: forms.TextInput for name, _label, _width in self._PARTS}, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def id_for_label(self, id_: str) -> str:
        # Where a label or an error summary link lands: the day box.
        return f"{id_}_day" if id_ else id_

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["has_error"] = (attrs or {}).get("aria-invalid") == "true"
        for sub, (_name, label, width) in zip(widget["subwidgets"], self._PARTS, strict=True):
            sub["label"] = label
            sub["width"] = width
        return context


class DateField(forms.Field):
    """A date typed as day, month and year, with GOV.UK error messages."""

    widget = DateInput
    default_error_messages = {
        "required": _("Enter a date"),
        "invalid": _("Enter a real date, like 27 3 2025"),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("template_name", "staffcare/forms/date_field.html")
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, dt.date):
            return value
        parts = ["" if p is None else str(p).strip() for p in (value or [])]
        if not any(parts):
            return None
        try:
            day, month, year = (int(p) for p in parts)
            if year < 1900:
                raise ValueError("year")
            return dt.date(year, month, day)
        except ValueError as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc


class FileInput(forms.FileInput):
    """Several files at once. Named FileInput so the GOV.UK renderer styles it as a file upload."""

    allow_multiple_selected = True


class ScreenshotsField(forms.FileField):
    widget = FileInput

    def clean(self, data: Any, initial: Any = None) -> list[tuple[str, bytes]]:
        uploads = [u for u in (data if isinstance(data, list | tuple) else [data]) if u]
        if len(uploads) > MAX_SCREENSHOTS:
            raise ValidationError(_("Add up to %(n)s screenshots") % {"n": MAX_SCREENSHOTS})
        out = []
        for upload in uploads:
            if upload.size > files.MAX_BYTES:
                raise ValidationError(
                    _("Each screenshot must be smaller than %(mb)s MB") % {"mb": files.MAX_MEGABYTES}
                )
            out.append((upload.name, upload.read()))
        return out


def _text(
    label: Any, *, help_text: Any = "", required: bool = False, rows: int = 3, **kw: Any
) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=kw.pop("max_length", 4000),
        **kw,
    )


def _people(queryset: Any) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(queryset=queryset, empty_label=None)


# -------------------------------------------------------------------------- staff requests


class CustomerSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find the customer"),
        help_text=_("Their phone number, email address, reference, or name and postcode."),
        max_length=200,
        error_messages={"required": _("Enter something to find the customer by")},
    )


class RequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What would you like?"),
        choices=StaffRequest.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select what you would like")},
    )
    reason = _text(
        _("Anything you want your manager to know (optional)"),
        help_text=_("You do not have to give a reason."),
    )

    def __init__(self, *args: Any, for_whom: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if for_whom is not None:
            field = _people(for_whom)
            field.label = _("Who is this for?")
            self.fields = {"staff_member": field, **self.fields}


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Do you agree?"),
        choices=[("agree", _("Yes, agree")), ("decline", _("No, do not agree"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select whether you agree")},
    )
    reason = _text(_("Reason"), help_text=_("Needed if you do not agree. They will see it."))

    def __init__(self, *args: Any, request: StaffRequest, seniors: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if request.kind == StaffRequest.Kind.SENIOR_MANAGER_NAME and seniors is not None:
            field = _people(seniors)
            field.required = False
            field.empty_label = _("Me")
            field.label = _("If you agree: whose name should letters and emails go out in?")
            self.fields["correspond_as"] = field


class EndForm(forms.Form):
    reason = _text(_("Why is this ending?"), help_text=_("They will see this."))

    def __init__(self, *args: Any, own: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if own:
            self.fields["reason"].label = _("Anything you want to say (optional)")
            self.fields["reason"].help_text = ""


# ------------------------------------------------------------------------------- debriefs


class DebriefForm(forms.Form):
    held_on = DateField(
        label=_("When was the debrief?"),
        help_text=_("For example, 27 3 2025"),
        error_messages={"required": _("Enter the date of the debrief")},
    )
    held_with = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        label=_("Who was it with?"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select who the debrief was with")},
    )
    incident = forms.ModelChoiceField(
        queryset=Incident.objects.none(),
        required=False,
        label=_("Which incident was it about? (optional)"),
        empty_label=_("Not about one incident"),
    )
    agreed_actions = _text(
        _("What did you agree?"),
        required=True,
        rows=4,
        help_text=_("Any support, time away or changes agreed. Write 'nothing further' if there were none."),
        error_messages={"required": _("Enter what you agreed, even if it was nothing further")},
    )
    follow_up_on = DateField(
        label=_("When will you check in again? (optional)"),
        required=False,
        help_text=_("For example, 3 4 2025"),
    )

    def __init__(
        self, *args: Any, for_whom: Any = None, held_with: Any, incidents: Any, **kwargs: Any
    ) -> None:
        kwargs.setdefault("initial", {"held_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["held_with"].queryset = held_with  # type: ignore[attr-defined]
        self.fields["incident"].queryset = incidents  # type: ignore[attr-defined]
        self.fields["incident"].label_from_instance = lambda i: (  # type: ignore[attr-defined]
            f"{i.reference}" + (f", {timezone.localtime(i.occurred_at):%-d %B %Y}" if i.occurred_at else "")
        )
        if for_whom is not None:
            field = _people(for_whom)
            field.label = _("Who was the debrief for?")
            self.fields = {"staff_member": field, **self.fields}


# --------------------------------------------------------------------------- named online


class NamedOnlineForm(forms.Form):
    """Reporting being named online. Only where it was is needed now; the rest can wait."""

    platform = forms.CharField(
        label=_("Where was it posted?"),
        help_text=_("For example, Facebook, X, TikTok, or the name of a website."),
        max_length=100,
        error_messages={"required": _("Enter where it was posted, like Facebook or a website's name")},
    )
    links = _text(
        _("Links to it (optional)"),
        help_text=_("Copy the web address of each post or page, one on each line."),
    )
    screenshots = ScreenshotsField(
        label=_("Screenshots (optional)"),
        required=False,
        help_text=_("You can choose more than one. Only the people who need to will be able to open them."),
    )
    description = _text(
        _("What does it say? (optional)"),
        help_text=_("A sentence or two is enough. You do not have to repeat words that upset you."),
    )
    staff_view = _text(
        _("What would you like to happen? (optional)"),
        help_text=_(
            "For example: report it to the site, ask for it to be taken down, tell the police, "
            "or nothing at all. You can add this later."
        ),
    )

    def __init__(self, *args: Any, colleagues: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if colleagues is not None:
            # A colleague reporting: they name who, and leave that person's say to them.
            field = _people(colleagues)
            field.label = _("Who has been named?")
            self.fields = {"staff_member": field, **self.fields}
            del self.fields["staff_view"]


class TellForm(forms.Form):
    parties = forms.MultipleChoiceField(
        label=_("Who has been told?"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select who has been told")},
    )
    told_on = DateField(
        label=_("When were they told?"),
        help_text=_("For example, 27 3 2025"),
        error_messages={"required": _("Enter when they were told")},
    )

    def __init__(self, *args: Any, parties: list[Party], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"told_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["parties"].choices = [(p.key, p.name) for p in parties]  # type: ignore[attr-defined]


class SayForm(forms.Form):
    staff_view = _text(
        _("What would you like to happen?"),
        required=True,
        rows=4,
        help_text=_(
            "For example: report it to the site, ask for it to be taken down, tell the police, "
            "note it on your personal record, or nothing at all."
        ),
        error_messages={"required": _("Enter what you would like to happen, even if it is nothing")},
    )

    def __init__(self, *args: Any, own: bool, name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not own:
            self.fields["staff_view"].label = _("What does %(name)s want to happen?") % {"name": name}
            self.fields["staff_view"].help_text = _("In their words, after talking with them in private.")
            self.fields["staff_view"].error_messages["required"] = _("Enter what they want to happen")


class ActForm(forms.Form):
    actions_taken = _text(
        _("What has been done?"),
        required=True,
        rows=5,
        help_text=_(
            "For example: reported to the platform, removal asked for, reported to the police "
            "(only if they agreed), support offered."
        ),
        error_messages={"required": _("Enter what has been done, even if it is nothing yet")},
    )


class CloseForm(forms.Form):
    """Nothing to fill in: closing is one deliberate button."""
