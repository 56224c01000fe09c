"""Named people in two organisations, so tests read as stories.

Flintshire (policy 004): Ffion, a call handler; Dafydd, her team leader; Siân, the Customer
Contact Service Manager; Gwen, the Chief Officer Governance; Rhodri, records manager.
The Highland Council (policy 001): Eilidh, frontline staff; Mòrag, records officer — people of
another organisation who must see nothing of Flintshire's.
"""

from __future__ import annotations

from dataclasses import dataclass

from engage.organisations.models import Organisation
from engage.organisations.services import organisation_create
from engage.staff.models import Role, User
from engage.staff.services import staff_create

PASSWORD = "correct-horse-battery-staple-9"


@dataclass
class Flintshire:
    organisation: Organisation
    ffion: User
    dafydd: User
    sian: User
    gwen: User
    rhodri: User


@dataclass
class Highland:
    organisation: Organisation
    eilidh: User
    morag: User


def _role(organisation: Organisation, capability: str) -> Role:
    roles = Role.objects.filter(organisation=organisation, is_archived=False)
    return next(r for r in roles if capability in r.capabilities)


def _person(
    org: Organisation, username: str, name: str, capability: str, manager: User | None = None
) -> User:
    first, _, last = name.partition(" ")
    return staff_create(
        actor=None,
        organisation=org,
        username=username,
        first_name=first,
        last_name=last,
        email=f"{username}@example.org",
        roles=[_role(org, capability)],
        password=PASSWORD,
        line_manager=manager,
    )


def make_flintshire() -> Flintshire:
    org = organisation_create(
        actor=None, name="Flintshire County Council", slug="flintshire", preset_key="flintshire"
    )
    gwen = _person(org, "gwen", "Gwenllian Parry", "appeal_officer")
    sian = _person(org, "sian", "Siân Ellis-Jones", "senior_decision_maker")
    dafydd = _person(org, "dafydd", "Dafydd Roberts", "manager", sian)
    ffion = _person(org, "ffion", "Ffion Hughes", "frontline", dafydd)
    rhodri = _person(org, "rhodri", "Rhodri ap Huw", "information_governance")
    return Flintshire(org, ffion, dafydd, sian, gwen, rhodri)


def make_highland() -> Highland:
    org = organisation_create(actor=None, name="The Highland Council", slug="highland", preset_key="highland")
    eilidh = _person(org, "eilidh", "Eilidh Fraser", "frontline")
    morag = _person(org, "morag", "Mòrag MacLeòid", "information_governance")
    return Highland(org, eilidh, morag)
