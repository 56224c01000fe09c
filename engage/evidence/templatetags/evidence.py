"""`{% evidence_panel incident user as panel %}`: what evidence/_list.html shows this person."""

from __future__ import annotations

from typing import Any

from django import template

from engage.evidence import selectors

register = template.Library()


@register.simple_tag
def evidence_panel(incident: Any, user: Any) -> selectors.Panel:
    return selectors.evidence_panel(user, incident)
