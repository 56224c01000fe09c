"""Named people in two organisations, so tests read as stories.

Flintshire (policy 004): Ffion, a call handler; Dafydd, her team leader; Siân, the Customer
Contact Service Manager; Gwen, the Chief Officer Governance; Rhodri, records manager.
The Highland Council (policy 001): Eilidh, frontline staff; Mòrag, records officer — people of
another organisation who must see nothing of Flintshire's.
Scottish Borders (policy 003), for the decision and letter stories: Kirsty answers the phones,
Callum is her manager, and the Complaints Review Group decides.
"""

from __future__ import annotations

from dataclasses import dataclass

from engage.audit.services import audit_source
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


@dataclass
class Borders:
    """Scottish Borders (policy 003): Kirsty answers the phones; Callum is her manager; Mòrag a
    senior manager; Alasdair and Iona are Directors, Ruaridh the Chief Legal Officer and Fiona the
    SPSO Liaison Officer (together the Complaints Review Group); Hamish the Chief Executive."""

    organisation: Organisation
    kirsty: User
    callum: User
    morag: User
    alasdair: User
    iona: User
    ruaridh: User
    fiona: User
    hamish: User

    @property
    def crg(self) -> list[User]:
        return [self.alasdair, self.iona, self.ruaridh, self.fiona]


def _role(organisation: Organisation, capability: str) -> Role:
    roles = Role.objects.filter(organisation=organisation, is_archived=False)
    return next(r for r in roles if capability in r.capabilities)


def _person(
    org: Organisation, username: str, name: str, capability: str, manager: User | None = None
) -> User:
    return _staff(org, username, name, _role(org, capability), manager)


def _staff(org: Organisation, username: str, name: str, role: Role, manager: User | None) -> User:
    first, _, last = name.partition(" ")
    with audit_source("test setup"):
        return staff_create(
            actor=None,
            organisation=org,
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@example.org",
            roles=[role],
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


def person(org: Organisation, username: str, name: str, role_key: str, manager: User | None = None) -> User:
    """Someone in the role with this key in the organisation's preset (rather than by capability)."""
    return _staff(org, username, name, Role.objects.get(organisation=org, key=role_key), manager)


def make_borders() -> Borders:
    with audit_source("test setup"):
        org = organisation_create(
            actor=None,
            name="Scottish Borders Council",
            slug="scottish-borders",
            preset_key="scottish_borders",
        )
        hamish = person(org, "hamish", "Hamish Laidlaw", "chief_executive")
        alasdair = person(org, "alasdair", "Alasdair Dùghlas", "director", hamish)
        iona = person(org, "iona", "Iona Turnbull", "director", hamish)
        ruaridh = person(org, "ruaridh", "Ruaridh Kerr", "chief_legal_officer", hamish)
        fiona = person(org, "fiona", "Fiona Pringle", "spso_liaison_officer", hamish)
        morag = person(org, "morag-sbc", "Mòrag MacLeòid", "senior_manager", alasdair)
        callum = person(org, "callum", "Callum Scott", "manager", morag)
        kirsty = person(org, "kirsty", "Kirsty Elliot", "employee", callum)
    return Borders(org, kirsty, callum, morag, alasdair, iona, ruaridh, fiona, hamish)
