"""Integrations as stories: Flintshire's telephony (read only) and CRM (read and write), and The
Highland Council's telephony, whose token must find nothing of Flintshire's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from engage.api.models import ServiceAccount
from engage.api.services import service_account_create, token_issue
from engage.audit.services import audit_source
from engage.contacts.models import ContactEvent
from engage.contacts.services import contact_event_record
from engage.contacts.tests.stories import restrict
from engage.customers.models import Customer
from engage.customers.tests.factories import CustomerFactory
from engage.decisions.measures import NoStaffDetails, SinglePointOfContact
from engage.decisions.models import Appeal, Decision, Review
from engage.incidents.models import Incident
from engage.letters.models import Letter

BRYN_PHONE = "01352 702345"


@dataclass
class Integration:
    account: ServiceAccount
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def _integration(actor: Any, name: str, scope: str) -> Integration:
    with audit_source("test setup"):
        account = service_account_create(actor=actor, organisation=actor.organisation, name=name, scope=scope)
        return Integration(account, token_issue(actor=actor, account=account).plain)


@pytest.fixture
def telephony(flintshire) -> Integration:
    """Flintshire's telephony: checks every call, reads; writes nothing."""
    return _integration(flintshire.rhodri, "Telephony", ServiceAccount.Scope.READ)


@pytest.fixture
def crm(flintshire) -> Integration:
    """Flintshire's CRM: reads, and records contact events."""
    return _integration(flintshire.rhodri, "CRM", ServiceAccount.Scope.READ_WRITE)


@pytest.fixture
def highland_telephony(highland) -> Integration:
    return _integration(highland.morag, "Telephony", ServiceAccount.Scope.READ_WRITE)


@pytest.fixture
def bryn(flintshire) -> Customer:
    """Bryn Jenkins: calls only to Siân, and no staff names given (004 "Formal decision to manage
    contact"), from 1 January 2025 until lifted."""
    who: Customer = CustomerFactory(  # type: ignore[assignment]
        organisation=flintshire.organisation,
        full_name="Bryn Jenkins",
        phone=BRYN_PHONE,
        email="bryn@example.org",
    )
    restrict(
        who,
        SinglePointOfContact(flintshire.sian.pk, "Siân Ellis-Jones"),
        NoStaffDetails(),
        starts_on=dt.date(2025, 1, 1),
    )
    return who


@pytest.fixture
def flintshire_records(flintshire, bryn):
    """One of everything in Flintshire, reachable by the API."""
    decision = Decision.objects.get(case__customer=bryn)
    incident = Incident.objects.create(
        organisation=flintshire.organisation,
        reference="INC-2026-00001",
        status=Incident.Status.SUBMITTED,
        reporter=flintshire.ffion,
        customer=bryn,
        channel="phone",
        account="He shouted and swore after being asked to stop.",
        submitted_at=dt.datetime(2026, 3, 3, 10, 45, tzinfo=dt.UTC),
    )
    review = Review.objects.create(decision=decision, due_on=dt.date(2026, 9, 1))
    appeal = Appeal.objects.create(
        organisation=flintshire.organisation,
        decision=decision,
        status=Appeal.Status.AWAITING_DECISION,
        received_on=dt.date(2026, 1, 10),
    )
    with audit_source("test setup"):
        contact_event_record(
            actor=None,
            organisation=flintshire.organisation,
            event={
                "identifier": BRYN_PHONE,
                "channel": "phone",
                "direction": "inbound",
                "started_at": "2026-03-03T10:30:00+00:00",
            },
        )
    event = ContactEvent.objects.get(customer=bryn)
    letter = Letter.objects.create(
        organisation=flintshire.organisation,
        case=decision.case,
        decision=decision,
        number=1,
        kind="decision",
        status=Letter.Status.ISSUED,
        author=flintshire.sian,
        what_happened="You shouted and swore at a member of staff.",
        issued_on=dt.date(2025, 1, 2),
        method=Letter.Method.POST,
        posted_on=dt.date(2025, 1, 2),
    )
    return {
        "customers": bryn.reference,
        "incidents": incident.reference,
        "decisions": decision.pk,
        "reviews": review.pk,
        "appeals": appeal.pk,
        "contact-events": event.pk,
        "letters": letter.pk,
    }


@pytest.fixture
def api(client) -> Callable[..., Any]:
    """api("get", "/api/v1/customers", integration, data={...}) -> the response."""

    def call(method: str, path: str, integration: Integration | None = None, **kwargs: Any) -> Any:
        headers = dict(kwargs.pop("headers", {}))
        if integration is not None:
            headers.update(integration.auth)
        if method == "post" and "data" in kwargs:
            kwargs.setdefault("content_type", "application/json")
        return getattr(client, method)(path, headers=headers, **kwargs)

    return call
