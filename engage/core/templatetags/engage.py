"""Template helpers for GOV.UK components."""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()

_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "selectmultiple": "govuk-select",
    "file": "govuk-file-upload",
    "clearablefile": "govuk-file-upload",
}


@register.filter
def govuk_widget(field: BoundField) -> SafeString:
    """The field's widget with GOV.UK classes and aria-describedby pointing at its hint and error."""
    widget_type = field.widget_type
    css = _CLASSES.get(widget_type, "govuk-input")
    if field.errors:
        css += {"govuk-textarea": " govuk-textarea--error", "govuk-select": " govuk-select--error"}.get(
            css, " govuk-input--error" if css == "govuk-input" else " govuk-file-upload--error"
        )
    existing = field.field.widget.attrs.get("class")
    if existing:
        css = f"{css} {existing}"
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_helptext")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    attrs: dict[str, str | bool] = {"class": css}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def first_input_id(field: BoundField) -> str:
    """Where an error summary link should land: the first radio or checkbox of a group."""
    if field.widget_type in {"radioselect", "checkboxselectmultiple"}:
        return f"{field.auto_id}_0"
    return field.id_for_label or field.auto_id
