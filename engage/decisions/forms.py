"""Forms for deciding, approving, sharing, reviewing and appealing. The rules live in the services and
the engine: these forms only turn what was typed into values, each error naming its field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engage.decisions import measures as measure_specs
from engage.decisions import rules
from engage.decisions.models import Appeal, Decision, Review
from engage.decisions.selectors import KnownWarning
from engage.incidents.models import Incident
from engage.policy import engine
from engage.policy.describe import exemption_label, long_date, sentence, who
from engage.policy.schema import DecisionRule, Preset
from engage.policy.vocabulary import Channel, DecisionType, MeasureType
from engage.staff.models import User

CHANNEL_LABELS = {
    Channel.PHONE.value: _("Phone"),
    Channel.EMAIL.value: _("Email"),
    Channel.LETTER.value: _("Letter"),
    Channel.IN_PERSON.value: _("In person"),
    Channel.SOCIAL_MEDIA.value: _("Social media"),
    Channel.ONLINE_FORM.value: _("Online form"),
    Channel.EVENT.value: _("Events"),
}
CHANNELS = [(c.value, CHANNEL_LABELS[c.value]) for c in Channel]
DAYS = [(d, measure_specs.DAY_NAMES[d]) for d in measure_specs.DAYS]
PERIODS = [("", _("Select a period")), ("day", _("a day")), ("week", _("a week")), ("month", _("a month"))]
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


# ---------------------------------------------------------------------------------------------
# GOV.UK date inputs: a date as day, month and year boxes, each error naming its part
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One thing to show on a form page: a field, a GOV.UK date input (three boxes), or the measures."""

    kind: str
    field: Any = None
    name: str = ""
    day: Any = None
    month: Any = None
    year: Any = None
    legend: str = ""
    hint: str = ""


class Layout:
    """Lets a template render a form's fields in order, with each date's three boxes as one input."""

    def layout(self) -> list[Item]:
        form: Any = self
        meta = {name: (legend, hint) for name, _required, legend, hint in getattr(form, "_dates", [])}
        hidden = {f"{n}_{p}" for n in meta for p in ("month", "year")} | set(
            getattr(form, "_in_measures", ())
        )
        items = []
        for name in form.fields:
            if name in hidden:
                continue
            if name.endswith("_day") and name.removesuffix("_day") in meta:
                base = name.removesuffix("_day")
                legend, hint = meta[base]
                items.append(
                    Item(
                        "date",
                        name=base,
                        day=form[name],
                        month=form[f"{base}_month"],
                        year=form[f"{base}_year"],
                        legend=legend,
                        hint=hint,
                    )
                )
            elif name == "measures":
                items.append(Item("measures", field=form[name]))
            else:
                items.append(Item("field", field=form[name]))
        return items


def add_date(form: forms.Form, name: str, required: bool, legend: Any = "", hint: Any = "") -> None:
    for part, low, high in (("day", 1, 31), ("month", 1, 12), ("year", 2000, 2100)):
        form.fields[f"{name}_{part}"] = forms.IntegerField(
            min_value=low,
            max_value=high,
            required=False,
            label=sentence(part),
            error_messages={"invalid": _("Enter the %(part)s as a number") % {"part": part}},
        )
    hint = hint or _("For example, 27 3 2026")
    dates = [*getattr(form, "_dates", []), (name, required, legend or sentence(name.replace("_", " ")), hint)]
    setattr(form, "_dates", dates)  # noqa: B010 - a Form has no slot for it; Layout reads it back


def clean_dates(form: forms.Form, data: dict[str, Any], labels: dict[str, str]) -> None:
    for name, required, _legend, _hint in getattr(form, "_dates", []):
        parts = {p: data.get(f"{name}_{p}") for p in ("day", "month", "year")}
        missing = [p for p, v in parts.items() if v is None]
        what = labels.get(name, "date")
        if any(form.has_error(f"{name}_{p}") for p in parts):
            continue
        if len(missing) == 3:
            data[name] = None
            if required:
                form.add_error(f"{name}_day", _("Enter %(what)s") % {"what": what})
        elif missing:
            form.add_error(
                f"{name}_{missing[0]}",
                _("%(what)s must include a %(part)s") % {"what": sentence(what), "part": missing[0]},
            )
        else:
            try:
                data[name] = dt.date(parts["year"], parts["month"], parts["day"])  # type: ignore[arg-type]
            except ValueError:
                form.add_error(f"{name}_day", _("%(what)s must be a real date") % {"what": sentence(what)})


def error_field(form: forms.Form, key: str) -> str | None:
    """Where a service's error about `key` belongs on this form (a date goes to its day box)."""
    if key in form.fields:
        return key
    if f"{key}_day" in form.fields:
        return f"{key}_day"
    return None


def apply_errors(form: forms.Form, error: Any) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for key, messages in error.message_dict.items():
        form.add_error(error_field(form, key), messages)


# ---------------------------------------------------------------------------------------------
# Choosing and making a decision
# ---------------------------------------------------------------------------------------------


class ChooseForm(Layout, forms.Form):
    type = forms.ChoiceField(
        widget=forms.RadioSelect,
        label=_("What do you want to decide?"),
        error_messages={"required": _("Select a decision")},
    )

    def __init__(self, *args: Any, allowed: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = allowed  # type: ignore[attr-defined]


class _People(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj}, {obj.job_title}" if obj.job_title else str(obj)


class _PeopleMany(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj}, {obj.job_title}" if obj.job_title else str(obj)


class _Incidents(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        when = long_date(obj.occurred_at.date()) if obj.occurred_at else ""
        channel = f", {obj.get_channel_display().lower()}" if obj.channel else ""
        return f"{obj.reference}: {when}{channel}"


class ProposeForm(forms.Form):
    """Ask someone who may take a decision to take it (`services.decision_propose`)."""

    def __init__(self, *args: Any, incidents: QuerySet[Incident], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["incidents"] = _Incidents(
            queryset=incidents,
            widget=forms.CheckboxSelectMultiple,
            required=False,
            label=_("Which incidents is it about?"),
            help_text=_("Select all that apply."),
        )
        self.fields["reasons"] = forms.CharField(
            widget=forms.Textarea(attrs={"rows": 4}),
            label=_("Why is this decision needed?"),
            help_text=_("Facts, not opinions: what happened and its effect on staff or the service."),
            error_messages={"required": _("Enter why this decision is needed")},
        )


@dataclass
class MeasureOption:
    """One measure the policy lists, how this person stands with it, and its parameter fields."""

    type: str
    name: str
    verdict: engine.Verdict
    approval: str = ""
    fields: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)


def _group_choices(preset: Preset, actor: User, allowed: Iterable[str]) -> list[tuple[str, str]]:
    held = actor.role_keys
    return [(g.key, g.name) for g in preset.groups if g.key in set(allowed) and set(g.member_roles) & held]


def _members(preset: Preset, organisation_id: int, group_keys: Iterable[str]) -> QuerySet[User]:
    roles = {r for g in preset.groups if g.key in set(group_keys) for r in g.member_roles}
    return User.objects.filter(
        organisation_id=organisation_id, is_active=True, roles__key__in=roles, roles__is_archived=False
    ).distinct()


def add_group_fields(
    form: forms.Form, preset: Preset, actor: User, allowed: Iterable[str], as_what: Any
) -> None:
    """'Are you acting alone or as the group?' with the members present, where the actor sits on a
    group the policy names for this step."""
    groups = _group_choices(preset, actor, allowed)
    form.groups = groups  # type: ignore[attr-defined]
    if not groups:
        return
    own = [k for k in actor.role_keys if k in set(allowed)]
    choices = ([("", _("Myself, as %(role)s") % {"role": who(preset, own)})] if own else []) + [
        (key, _("The %(group)s") % {"group": name}) for key, name in groups
    ]
    form.fields["as_group"] = forms.ChoiceField(
        choices=choices,
        widget=forms.RadioSelect,
        required=bool(not own),
        initial="" if own else groups[0][0],
        label=as_what,
        error_messages={"required": _("Select who is taking this decision")},
    )
    form.fields["members_present"] = _PeopleMany(
        queryset=_members(preset, actor.organisation_id, [k for k, _n in groups]).exclude(pk=actor.pk),  # type: ignore[arg-type]
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Who else from the group is present?"),
        help_text=_("You count as present. Select everyone else taking part."),
    )


class DecisionForm(Layout, forms.Form):
    """Everything one type of decision must record, with the preset's measures as conditional reveals."""

    def __init__(
        self,
        *args: Any,
        preset: Preset,
        rule: DecisionRule,
        actor: User,
        incidents: QuerySet[Incident],
        warnings: list[KnownWarning],
        today: dt.date,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.preset, self.rule, self.today = preset, rule, today
        dtype = rule.type
        self.restriction = dtype in rules.RESTRICTIONS
        self.measure_options: list[MeasureOption] = []
        self._in_measures: list[str] = []
        held = rules.acting_keys(preset, actor.role_keys)
        f = self.fields

        add_group_fields(self, preset, actor, rule.decided_by, _("Who is taking this decision?"))
        if self.groups:  # type: ignore[attr-defined]
            f["group_outcome"] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                label=_("If the group decides: the outcome of its discussion"),
                help_text=_("For example, agreed unanimously, or agreed with one member dissenting."),
            )
        f["incidents"] = _Incidents(
            queryset=incidents,
            widget=forms.CheckboxSelectMultiple,
            required=False,
            label=_("Which incidents does this decision rest on?"),
            help_text=_("The evidence for the decision. Select all that apply."),
        )
        f["reasons"] = forms.CharField(
            widget=forms.Textarea(attrs={"rows": 4}),
            label=_("Why is this decision being taken?"),
            help_text=_("Facts, not opinions: what happened and its effect on staff or the service."),
            error_messages={"required": _("Enter why this decision is being taken")},
        )
        if self.restriction:
            f["why_not_less_restrictive"] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                label=_("Why would nothing less restrictive do?"),
            )
        if self.restriction or dtype == DecisionType.REFERRAL:
            f["considerations"] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                label=_("Needs, reasonable adjustments and equality considerations taken into account"),
                help_text=_(
                    "For example age, disability, sex, race, religion or belief, and any needs the customer has told us about."
                ),
            )
        if rule.advocacy_to_be_considered:
            f["advocacy_offered"] = forms.ChoiceField(
                choices=YES_NO,
                widget=forms.RadioSelect,
                required=False,
                label=_("Was independent advocacy offered to the customer?"),
                help_text=_("Consider whether independent advocacy would help the customer (%(clause)s).")
                % {"clause": rule.clause},
            )
        if rule.requires_warning_first:
            basis = [(f"warning:{w.on.isoformat()}", w.label) for w in warnings]
            basis += [(f"exemption:{e.value}", sentence(exemption_label(e))) for e in rule.warning_exemptions]
            f["warning_basis"] = forms.ChoiceField(
                choices=basis,
                widget=forms.RadioSelect,
                required=False,
                label=_("Which warning came first, or why was none needed?"),
                help_text=_("A warning must come first unless one of these applies (%(clause)s).")
                % {"clause": rule.clause},
            )
        if dtype == DecisionType.SHORT_RESTRICTION:
            f["restricted_channel"] = forms.ChoiceField(
                choices=CHANNELS,
                widget=forms.RadioSelect,
                initial=Channel.PHONE.value,
                label=_("Which way of contacting us is restricted?"),
            )
        if self.restriction:
            f["physical_threat"] = forms.BooleanField(
                required=False,
                label=_("The customer made a physical threat"),
                help_text=_("Every service in contact with them may then need to be told."),
            )
            add_date(
                self,
                "starts_on",
                False,
                _("Start date"),
                _("Leave empty to start today. For example, 27 3 2026"),
            )
            longest = (
                _("It lasts at most %(days)s day(s): the end date is the first day it no longer applies.")
                % {"days": rule.max_duration_days}
                if rule.max_duration_days
                else _("The first day it no longer applies. Leave empty to last until it is lifted.")
            )
            add_date(self, "ends_on", rule.max_duration_days is not None, _("End date"), longest)
            latest = engine.latest_review_date(preset, today)
            add_date(
                self,
                "review_on",
                False,
                _("Review date"),
                _("No later than %(date)s (%(clause)s).")
                % {"date": long_date(latest), "clause": preset.reviews.clause}
                if latest
                else _("When the restriction will be reviewed (%(clause)s).")
                % {"clause": preset.reviews.clause},
            )
            if preset.reviews.no_review_allowed_for:
                f["no_review_reason"] = forms.CharField(
                    widget=forms.Textarea(attrs={"rows": 2}),
                    required=False,
                    label=_("If there will be no review, why not?"),
                    help_text=_("For example, to protect staff from violence (%(clause)s).")
                    % {"clause": preset.reviews.clause},
                )
            if preset.appeals.no_internal_appeal:
                f["no_internal_appeal_reason"] = forms.ChoiceField(
                    choices=[("", _("An internal appeal is offered"))]
                    + [(e.key, sentence(e.description)) for e in preset.appeals.no_internal_appeal],
                    widget=forms.RadioSelect,
                    required=False,
                    initial="",
                    label=_("Is the customer offered an internal appeal?"),
                    help_text=_(
                        "Where none is offered, the letter tells them about the %(name)s (%(clause)s)."
                    )
                    % {"name": preset.ombudsman.name, "clause": preset.appeals.clause},
                )
            if dtype != DecisionType.SHORT_RESTRICTION:
                self._add_measures(held, actor)
            f["no_contact_line_reason"] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                label=_("If no line of contact will be left, why?"),
                help_text=_("Only where the policy lets you decide this (%(clause)s).")
                % {"clause": preset.contact_line.clause},
            )
        if dtype == DecisionType.REFERRAL:
            staff = User.objects.filter(organisation=actor.organisation, is_active=True).exclude(pk=actor.pk)
            f["referral_to"] = _People(
                queryset=staff,
                label=_("Who is it referred to?"),
                empty_label=_("Select a person"),
                required=False,
            )
            f["referral_contact_officer"] = _People(
                queryset=staff, label=_("Contact officer"), empty_label=_("None"), required=False
            )
            f["referral_action_to_date"] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                label=_("Any related action taken to date or previously"),
                help_text=_("For example warnings given, or a previous restriction."),
            )

    def _add_measures(self, held: frozenset[str], actor: User) -> None:
        f = self.fields
        staff = User.objects.filter(organisation=actor.organisation, is_active=True)
        f["measures"] = forms.MultipleChoiceField(
            choices=[(m.type.value, m.name) for m in self.preset.measures],
            widget=forms.CheckboxSelectMultiple,
            required=False,
            label=_("Which measures?"),
        )
        for rule in self.preset.measures:
            m = rule.type.value
            verdict = engine.may_impose(self.preset, held, m)
            approvers = [k for k in rule.approved_by if k not in held]
            option = MeasureOption(
                m,
                rule.name,
                verdict,
                approval=(
                    _("Needs the approval of %(who)s (%(clause)s).")
                    % {"who": who(self.preset, approvers), "clause": rule.clause}
                    if approvers
                    else ""
                ),
            )
            self.measure_options.append(option)

            def add(name: str, form_field: forms.Field, _m: str = m, _o: MeasureOption = option) -> None:
                f[f"{_m}__{name}"] = form_field
                _o.fields.append(f"{_m}__{name}")
                self._in_measures.append(f"{_m}__{name}")

            if m == MeasureType.ALLOWED_CHANNELS:
                add(
                    "channels",
                    forms.MultipleChoiceField(
                        choices=CHANNELS,
                        widget=forms.CheckboxSelectMultiple,
                        required=False,
                        label=_("Which ways may the customer still contact us?"),
                    ),
                )
            elif m == MeasureType.SINGLE_POINT_OF_CONTACT:
                add(
                    "officer",
                    _People(
                        queryset=staff,
                        required=False,
                        label=_("Named officer"),
                        empty_label=_("Select a person"),
                    ),
                )
                add(
                    "deputy",
                    _People(
                        queryset=staff,
                        required=False,
                        label=_("Deputy when they are away (optional)"),
                        empty_label=_("None"),
                    ),
                )
            elif m == MeasureType.CALL_TIMES:
                add(
                    "days",
                    forms.MultipleChoiceField(
                        choices=DAYS,
                        widget=forms.CheckboxSelectMultiple,
                        required=False,
                        label=_("On which days may the customer call?"),
                    ),
                )
                add(
                    "start",
                    forms.CharField(
                        required=False,
                        label=_("From"),
                        help_text=_("24-hour clock, like 10:00"),
                        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
                    ),
                )
                add(
                    "end",
                    forms.CharField(
                        required=False,
                        label=_("Until"),
                        help_text=_("24-hour clock, like 12:00; earlier than the start means the next day"),
                        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
                    ),
                )
                add(
                    "max_minutes",
                    forms.CharField(
                        required=False,
                        label=_("Longest call, in minutes (optional)"),
                        widget=forms.TextInput(
                            attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}
                        ),
                    ),
                )
            elif m == MeasureType.VOLUME_LIMIT:
                add(
                    "max_contacts",
                    forms.CharField(
                        required=False,
                        label=_("Most contacts allowed"),
                        widget=forms.TextInput(
                            attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}
                        ),
                    ),
                )
                add("per", forms.ChoiceField(choices=PERIODS, required=False, label=_("In")))
                add(
                    "channel",
                    forms.ChoiceField(
                        choices=[("", _("Any way of contacting us")), *CHANNELS],
                        required=False,
                        label=_("Counting"),
                    ),
                )
            elif m == MeasureType.THIRD_PARTY_ONLY:
                add(
                    "third_party",
                    forms.CharField(
                        required=False,
                        label=_("Who does contact go through?"),
                        help_text=_("For example, the customer's advocate"),
                    ),
                )
            elif m == MeasureType.AUTOMATED_LINE:
                add("line", forms.CharField(required=False, label=_("Which automated line?")))
            elif m == MeasureType.WITNESS_REQUIRED:
                add(
                    "witness",
                    forms.CharField(required=False, label=_("Who should the witness be? (optional)")),
                )
            elif m == MeasureType.PREMISES_BAN:
                add(
                    "premises",
                    forms.CharField(
                        widget=forms.Textarea(attrs={"rows": 3}),
                        required=False,
                        label=_("Which premises?"),
                        help_text=_("One on each line"),
                    ),
                )
                add("all_premises", forms.BooleanField(required=False, label=_("All of our premises")))
            elif m == MeasureType.TOPICS_LIMITED:
                add(
                    "topics",
                    forms.CharField(
                        widget=forms.Textarea(attrs={"rows": 3}),
                        required=False,
                        label=_("Topics we will correspond on"),
                        help_text=_("One on each line"),
                    ),
                )
                add(
                    "max_issues",
                    forms.CharField(
                        required=False,
                        label=_("Most issues considered (optional)"),
                        widget=forms.TextInput(
                            attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}
                        ),
                    ),
                )
                add("per", forms.ChoiceField(choices=PERIODS, required=False, label=_("In")))
            elif m == MeasureType.MATTER_CLOSED:
                add("matter", forms.CharField(required=False, label=_("Which matter is closed?")))
            elif m == MeasureType.READ_AND_FILE:
                add(
                    "channels",
                    forms.MultipleChoiceField(
                        choices=[c for c in CHANNELS if c[0] in measure_specs.WRITTEN_CHANNELS],
                        widget=forms.CheckboxSelectMultiple,
                        required=False,
                        label=_("Which correspondence?"),
                    ),
                )
            elif m == MeasureType.MONITORED_MAILBOX:
                add("mailbox", forms.CharField(required=False, label=_("Monitored mailbox address")))
            elif m == MeasureType.BEHAVIOUR_CONTRACT:
                add_date(self, f"{m}__signed_on", False, _("Date the customer signed it (optional)"))
                option.dates.append(f"{m}__signed_on")
                self._in_measures += [f"{m}__signed_on_{p}" for p in ("day", "month", "year")]

    _LABELS = {
        "starts_on": "the start date",
        "ends_on": "the end date",
        "review_on": "the review date",
        "behaviour_contract__signed_on": "the date the contract was signed",
    }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        clean_dates(self, data, self._LABELS)
        return data

    def measure_inputs(self) -> list[Any]:
        from engage.decisions.services import MeasureInput

        data = self.cleaned_data
        chosen = data.get("measures") or []
        out = []
        for option in self.measure_options:
            if option.type not in chosen:
                continue
            params: dict[str, Any] = {}
            for name in option.fields:
                value = data.get(name)
                key = name.split("__", 1)[1]
                params[key] = value.pk if isinstance(value, User) else value
            for name in option.dates:
                params[name.split("__", 1)[1]] = data.get(name)
            out.append(MeasureInput(option.type, params))
        return out

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned data as `decision_make` keyword arguments."""
        data = self.cleaned_data
        args: dict[str, Any] = {
            "incidents": list(data.get("incidents") or []),
            "reasons": data.get("reasons", ""),
            "why_not_less_restrictive": data.get("why_not_less_restrictive", ""),
            "considerations": data.get("considerations", ""),
            "as_group": data.get("as_group", ""),
            "members_present": list(data.get("members_present") or []),
            "group_outcome": data.get("group_outcome", ""),
        }
        if "advocacy_offered" in self.fields:
            answer = data.get("advocacy_offered")
            args["advocacy_offered"] = {"yes": True, "no": False}.get(answer or "")
        basis = data.get("warning_basis") or ""
        if basis.startswith("warning:"):
            args["warning_given_on"] = dt.date.fromisoformat(basis.removeprefix("warning:"))
        elif basis.startswith("exemption:"):
            args["warning_exemption"] = basis.removeprefix("exemption:")
        if self.restriction:
            args.update(
                physical_threat=bool(data.get("physical_threat")),
                starts_on=data.get("starts_on"),
                ends_on=data.get("ends_on"),
                review_on=data.get("review_on"),
                no_review_reason=data.get("no_review_reason", ""),
                no_internal_appeal_reason=data.get("no_internal_appeal_reason", ""),
                no_contact_line_reason=data.get("no_contact_line_reason", ""),
                measures=self.measure_inputs(),
            )
        if "restricted_channel" in self.fields:
            args["restricted_channels"] = [data.get("restricted_channel") or Channel.PHONE.value]
        if "referral_to" in self.fields:
            args.update(
                referral_to=data.get("referral_to"),
                referral_contact_officer=data.get("referral_contact_officer"),
                referral_action_to_date=data.get("referral_action_to_date", ""),
            )
        return args

    def error_key(self, key: str) -> str | None:
        if key in {m.value for m in MeasureType}:
            return "measures" if "measures" in self.fields else None
        if key.startswith(f"{MeasureType.BEHAVIOUR_CONTRACT.value}__signed_on"):
            return f"{MeasureType.BEHAVIOUR_CONTRACT.value}__signed_on_day"
        if key in ("warning_given_on", "warning_exemption"):
            return "warning_basis" if "warning_basis" in self.fields else None
        if key == "restricted_channels":
            return "restricted_channel"
        return error_field(self, key)


# ---------------------------------------------------------------------------------------------
# Approving, sharing, reviewing, lifting, appealing
# ---------------------------------------------------------------------------------------------


class ApproveForm(Layout, forms.Form):
    approve = forms.ChoiceField(
        choices=[("yes", _("Approve")), ("no", _("Do not approve"))],
        widget=forms.RadioSelect,
        label=_("Do you approve this decision?"),
        error_messages={"required": _("Select whether you approve the decision")},
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label=_("Reasons"),
        help_text=_("Required if you do not approve it."),
    )

    def __init__(self, *args: Any, preset: Preset, actor: User, decision: Decision, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_group_fields(self, preset, actor, decision.approval_needed_by, _("Who is approving?"))


class SharingForm(Layout, forms.Form):
    note = forms.CharField(required=False, max_length=500, label=_("How were they told? (optional)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_date(self, "told_on", True, _("When were they told?"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        clean_dates(self, data, {"told_on": "the date they were told"})
        return data


class ReviewForm(Layout, forms.Form):
    outcome = forms.ChoiceField(
        choices=Review.Outcome.choices,
        widget=forms.RadioSelect,
        label=_("What is the outcome of the review?"),
        error_messages={"required": _("Select whether the restriction continues, is varied or is lifted")},
    )
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("What did the review consider?"),
        error_messages={"required": _("Enter what the review considered and why this outcome")},
    )
    in_active_contact = forms.ChoiceField(
        choices=YES_NO,
        widget=forms.RadioSelect,
        label=_("Is the customer still in active contact with us?"),
        error_messages={"required": _("Select whether the customer is still in active contact")},
    )
    keep_measures = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("If varying: which measures continue?"),
    )

    def __init__(self, *args: Any, preset: Preset, actor: User, decision: Decision, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_group_fields(self, preset, actor, preset.reviews.reviewed_by, _("Who is reviewing?"))
        self.fields["keep_measures"].choices = [  # type: ignore[attr-defined]
            (str(m.pk), m.get_type_display()) for m in decision.measures.all()
        ]
        latest = engine.latest_review_date(preset, timezone.localdate())
        add_date(
            self,
            "next_review_on",
            False,
            _("If it continues or is varied: date of the next review"),
            _("No later than %(date)s (%(clause)s).")
            % {"date": long_date(latest), "clause": preset.reviews.clause}
            if latest
            else "",
        )
        add_date(self, "ends_on", False, _("If varying: new end date (optional)"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        clean_dates(
            self, data, {"next_review_on": "the date of the next review", "ends_on": "the new end date"}
        )
        return data


class LiftForm(Layout, forms.Form):
    reasons = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("Why is the restriction being lifted?"),
        error_messages={"required": _("Enter why the restriction is being lifted")},
    )

    def __init__(self, *args: Any, preset: Preset, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rule = preset.decision(DecisionType.LIFT)
        add_group_fields(self, preset, actor, rule.decided_by if rule else [], _("Who is lifting it?"))


class AppealReceiveForm(Layout, forms.Form):
    grounds = forms.MultipleChoiceField(
        choices=rules.APPEAL_GROUNDS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("What does the customer argue?"),
        help_text=_("Select all that apply."),
    )
    grounds_detail = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("The customer's arguments in brief")
    )
    about_restriction_only = forms.BooleanField(
        required=False,
        label=_(
            "Only the arguments about the restriction will be considered, not the matters the customer raised"
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_date(self, "received_on", True, _("When was the appeal received?"))
        add_date(
            self,
            "decision_received_on",
            False,
            _("When did the customer receive the decision? (optional)"),
            _("If known. Otherwise the time to appeal counts from the decision."),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        clean_dates(
            self,
            data,
            {
                "received_on": "the date the appeal was received",
                "decision_received_on": "the date the customer received the decision",
            },
        )
        return data


class AppealDecideForm(Layout, forms.Form):
    outcome = forms.ChoiceField(
        choices=Appeal.Outcome.choices,
        widget=forms.RadioSelect,
        label=_("What is the outcome of the appeal?"),
        error_messages={"required": _("Select whether the appeal upholds, varies or overturns the decision")},
    )
    reasons = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("Reasons for the outcome"),
        error_messages={"required": _("Enter the reasons for the outcome")},
    )
    keep_measures = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple, required=False, label=_("If varying: which measures continue?")
    )
    late_accepted_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label=_("If the appeal was late: why is it being heard?"),
    )

    def __init__(self, *args: Any, preset: Preset, actor: User, appeal: Appeal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_group_fields(self, preset, actor, appeal.heard_by, _("Who is deciding the appeal?"))
        self.fields["keep_measures"].choices = [  # type: ignore[attr-defined]
            (str(m.pk), m.get_type_display()) for m in appeal.decision.measures.all()
        ]
        add_date(self, "ends_on", False, _("If varying: new end date (optional)"))
        if appeal.in_time:
            del self.fields["late_accepted_reason"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        clean_dates(self, data, {"ends_on": "the new end date"})
        return data


class AdviceForm(Layout, forms.Form):
    advice = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        label=_("Your analysis, comments and recommendation"),
        error_messages={"required": _("Enter your analysis, comments and recommendation")},
    )


class PeriodicItemForm(Layout, forms.Form):
    still_needed = forms.ChoiceField(
        choices=YES_NO,
        widget=forms.RadioSelect,
        label=_("Is this restriction still needed, and consistent with others?"),
        error_messages={"required": _("Select whether the restriction is still needed")},
    )
    note = forms.CharField(required=False, max_length=1000, label=_("Note"))


class SignOffForm(Layout, forms.Form):
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Summary of the review"),
        error_messages={"required": _("Enter a summary of the review")},
    )

    def __init__(self, *args: Any, preset: Preset, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        by = preset.reviews.periodic.by or preset.reviews.reviewed_by
        add_group_fields(self, preset, actor, by, _("Who is signing off?"))
