"""Fixtures for letter stories: Flintshire's letterhead and Bryn Jenkins, whose contact Siân manages
formally (004); the Scottish Borders people (tests/personas.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from engage.audit.services import audit_source
from engage.customers.services import identifier_add
from engage.decisions.services import MeasureInput, case_open, decision_make
from engage.decisions.tests.stories import customer, incident
from tests.personas import Borders, make_borders

D = dt.date
MONDAY = D(2026, 3, 2)
TUESDAY = D(2026, 3, 3)
DECIDED = D(2026, 3, 9)  # a Monday: Siân's formal decision
ADDRESS = "12 Ffordd y Llan\nMold\nCH7 1AA"


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture
def quick_files(monkeypatch):
    """Issuing without WeasyPrint, for tests about the workflow rather than the files: the frozen
    HTML is real; the PDF, large print and DOCX are stand-ins. test_render renders every kind, and
    the issue test and the download test read real files."""
    from engage.letters import render

    def stand_in(facts, layout, *, enclosure=None):
        html = render.html(facts, layout, enclosure=enclosure)
        return render.Rendered(
            html=html, pdf=b"%PDF stand-in", large_print=b"%PDF large", docx=b"PK stand-in"
        )

    monkeypatch.setattr(render, "render_all", stand_in)


def set_letterhead(organisation, *, address="County Hall\nMold\nCH7 6NB") -> None:
    organisation.address = address
    organisation.telephone = "01352 752121"
    organisation.email = "customerservices@example.gov.uk"
    organisation.website = "https://www.example.gov.uk"
    organisation.save()


@pytest.fixture
def borders(db: None) -> Borders:
    made = make_borders()
    set_letterhead(made.organisation, address="Council Headquarters\nNewtown St Boswells\nTD6 0SA")
    return made


@pytest.fixture
def bryn(flintshire):
    """Bryn Jenkins swore at Ffion on Monday; she warned him once and ended the call (004
    "Terminating a telephone call"). He has a postal address."""
    set_letterhead(flintshire.organisation)
    who = customer(flintshire.organisation, "Bryn Jenkins")
    with audit_source("test setup"):
        identifier_add(actor=flintshire.dafydd, customer=who, kind="postal_address", raw=ADDRESS)
    call = incident(
        flintshire.organisation,
        who,
        flintshire.ffion,
        on=MONDAY,
        categories=["aggressive_abusive"],
        actions=["call_ended"],
        warned=True,
    )
    case = case_open(actor=flintshire.dafydd, customer=who)
    return case, call


def formal(flintshire, case, call, **extra):
    """Siân's formal decision to manage Bryn's contact (004 "Formal decision to manage contact")."""
    args = {
        "actor": flintshire.sian,
        "case": case,
        "type": "active_management",
        "reasons": "He swore at Ffion on three calls after being warned.",
        "incidents": [call],
        "why_not_less_restrictive": "The warning did not change how the calls went.",
        "considerations": "Mr Jenkins is hard of hearing: calls stay possible, with time to talk.",
        "advocacy_offered": True,
        "warning_given_on": MONDAY,
        "ends_on": D(2026, 9, 3),
        "review_on": D(2026, 9, 1),
        "measures": [
            MeasureInput(
                "single_point_of_contact", {"officer": flintshire.sian.pk, "deputy": flintshire.dafydd.pk}
            ),
            MeasureInput(
                "call_times", {"days": ["tue"], "start": "10:00", "end": "12:00", "max_minutes": "20"}
            ),
        ],
        "today": DECIDED,
    }
    args.update(extra)
    return decision_make(**args)


@pytest.fixture
def bryns_decision(flintshire, bryn):
    case, call = bryn
    return formal(flintshire, case, call)
