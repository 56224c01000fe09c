"""Building incidents through the services, as a member of staff would, for the tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from engage.audit.services import audit_source
from engage.incidents.models import Incident
from engage.incidents.services import incident_save_step, incident_start, incident_submit

ANSWERS: dict[str, dict[str, Any]] = {
    "where": {"location": "", "service": "Council tax"},
    "channel": {"channel": "phone"},
    "person": {"customer": None, "person_description": "Caller gave the name Siôn Ó Dónaill-Ŵyn"},
    "account": {
        "account": "The caller shouted and swore at me about his council tax bill. I warned him once; he carried on."
    },
    "categories": {"categories": ["aggressive_abusive"]},
    "action": {"immediate_actions": ["call_ended"], "warning_given_first": True},
    "recording": {"recording_said": False},
    "named": {"staff_named_publicly": False},
    "support": {"support_wanted": True, "time_away_wanted": False},
}


def draft(reporter: Any, *, skip: tuple[str, ...] = (), **steps: dict[str, Any]) -> Incident:
    """A draft with every question answered (bar `skip`), any step's answers replaced by `steps`."""
    with audit_source("test setup"):
        incident = incident_start(actor=reporter)
        answers = {"when": {"occurred_at": timezone.now() - dt.timedelta(hours=2)}, **ANSWERS, **steps}
        for step, data in answers.items():
            if step not in skip:
                incident_save_step(actor=reporter, incident=incident, step=step, data=data)
    return incident


def logged(reporter: Any, **steps: dict[str, Any]) -> Incident:
    """A complete incident, submitted to the reporter's manager."""
    incident = draft(reporter, **steps)
    with audit_source("test setup"):
        return incident_submit(actor=reporter, incident=incident)
