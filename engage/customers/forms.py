"""Forms for customer pages. They only parse: the services validate, so every problem is named at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from engage.customers import identifiers
from engage.customers.models import Customer, Identifier, Representative

_PLATFORM_CHOICES = [("", _("Select a platform")), *identifiers.PLATFORMS.items()]
_NAME_HINT = _("As the customer gives it, with any accents, apostrophes and hyphens.")


class SearchForm(forms.Form):
    q = forms.CharField(
        max_length=200,
        required=False,
        label=_("Phone, email, social media handle, reference, or name and postcode"),
        help_text=_("For example, 01352 702345, @dewi_jones, C-000123, or Siôn Jones CH7 6NF."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}),
    )


def _optional(label: Any, **kwargs: Any) -> forms.CharField:
    return forms.CharField(required=False, label=label, **kwargs)


# One builder per identifier field, so the add-a-customer form and the add-an-identifier pages ask
# in the same words. Field names are the names the services use in their errors.
def _phone() -> forms.Field:
    return _optional(
        _("Phone number"),
        max_length=60,
        help_text=_("For example, 01352 702345 or +44 1352 702345."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )


def _email() -> forms.Field:
    return _optional(
        _("Email address"),
        max_length=254,
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "off", "spellcheck": "false"}),
    )


def _platform() -> forms.Field:
    return forms.ChoiceField(choices=_PLATFORM_CHOICES, required=False, label=_("Social media platform"))


def _social() -> forms.Field:
    return _optional(
        _("Social media handle"),
        max_length=200,
        help_text=_("For example, @dewi_jones."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


def _postal_address() -> forms.Field:
    return _optional(
        _("Postal address"),
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Each part of the address on its own line."),
    )


def _postcode(help_text: Any = "") -> forms.Field:
    return _optional(
        _("Postcode"),
        max_length=10,
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "govuk-input--width-10"}),
    )


def _reference() -> forms.Field:
    return _optional(
        _("Other reference"), max_length=100, help_text=_("For example, a case number from another system.")
    )


class CustomerCreateForm(forms.Form):
    IDENTIFIER_FIELDS = ("phone", "email", "platform", "social", "postal_address", "postcode", "reference")

    kind = forms.ChoiceField(
        choices=Customer.Kind.choices,
        required=False,
        initial=Customer.Kind.PERSON,
        widget=forms.RadioSelect,
        label=_("Is the customer a person or an organisation?"),
    )
    full_name = _optional(_("Full name"), max_length=200, help_text=_NAME_HINT)
    display_name = _optional(
        _("Known as (optional)"), max_length=200, help_text=_("What they prefer to be called, if different.")
    )
    phone = _phone()
    email = _email()
    platform = _platform()
    social = _social()
    postal_address = _postal_address()
    postcode = _postcode(_("The postcode of the address, or on its own if that is all you know."))
    reference = _reference()


class IdentifierKindForm(forms.Form):
    kind = forms.ChoiceField(
        choices=Identifier.Kind.choices,
        widget=forms.RadioSelect,
        label=_("What do you want to add?"),
        error_messages={"required": _("Select what you want to add")},
    )


_IDENTIFIER_FIELDS: dict[str, list[tuple[str, Callable[[], forms.Field]]]] = {
    Identifier.Kind.PHONE: [("phone", _phone)],
    Identifier.Kind.EMAIL: [("email", _email)],
    Identifier.Kind.SOCIAL: [("platform", _platform), ("social", _social)],
    Identifier.Kind.POSTAL_ADDRESS: [("postal_address", _postal_address), ("postcode", _postcode)],
    Identifier.Kind.POSTCODE: [("postcode", _postcode)],
    Identifier.Kind.REFERENCE: [("reference", _reference)],
}


class IdentifierForm(forms.Form):
    """The fields for one kind of identifier."""

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, build in _IDENTIFIER_FIELDS[Identifier.Kind(kind)]:
            self.fields[name] = build()


class RepresentativeForm(forms.Form):
    name = _optional(_("Name"), max_length=200, help_text=_NAME_HINT)
    relationship = forms.ChoiceField(
        choices=Representative.Relationship.choices,
        required=False,
        widget=forms.RadioSelect,
        label=_("How are they related to the customer?"),
    )
    # The representative's own phone and email: the contact check knows them by these when they
    # call or write for the customer.
    phone = _optional(
        _("Their phone number (optional)"),
        max_length=60,
        help_text=_("For example, 01352 702345. A call from this number will be recognised as them."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = _optional(
        _("Their email address (optional)"),
        max_length=254,
        help_text=_("An email from this address will be recognised as them."),
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "off", "spellcheck": "false"}),
    )
    contact_details = _optional(
        _("Other contact details (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example, a postal address, or when they can be reached."),
    )
    contact_through = forms.BooleanField(
        required=False, label=_("Contact with the customer goes through this representative")
    )


class NeedForm(forms.Form):
    description = _optional(
        _("Need or reasonable adjustment"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For example: letters in large print; uses a textphone; prefers to be contacted in Welsh; "
            "needs extra time on the phone. Everyone who deals with the customer will see this."
        ),
    )


class VulnerabilityNoteForm(forms.Form):
    text = _optional(
        _("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Record only what staff need to know, factually, in 500 characters or fewer. Only managers, "
            "senior managers, appeal officers and information governance can see it."
        ),
    )


class ConfirmForm(forms.Form):
    """A confirmation with nothing to fill in, so a refusal can still be shown in the error summary."""
