"""Template helpers for decision pages: a form's bound fields by name, an item of a list."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField, Form

register = template.Library()


@register.filter
def index(items: Any, i: int) -> Any:
    return items[i]


@register.filter
def bound(form: Form, name: str) -> BoundField:
    return form[name]


@register.filter
def bound_date(form: Form, name: str) -> tuple[BoundField, BoundField, BoundField]:
    """The day, month and year boxes of a date field added with `forms.add_date`."""
    return form[f"{name}_day"], form[f"{name}_month"], form[f"{name}_year"]
