"""`engage demo`: one demo organisation per policy preset, with staff for every role. Idempotent."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from engage.audit.services import audit_source
from engage.organisations.models import Organisation
from engage.organisations.services import organisation_create
from engage.policy import presets
from engage.policy.vocabulary import Capability
from engage.staff.models import Role, User
from engage.staff.services import staff_create


@dataclass(frozen=True)
class DemoOrganisation:
    preset: str
    name: str
    slug: str
    address: str
    people: tuple[str, ...]  # names handed out to roles in order


DEMO_ORGANISATIONS = (
    DemoOrganisation(
        "flintshire",
        "Flintshire County Council (demo)",
        "flintshire",
        "County Hall\nMold\nCH7 6NB",
        (
            "Ffion Hughes",
            "Dafydd Roberts",
            "Siân Ellis-Jones",
            "Gwenllian Parry",
            "Rhodri ap Huw",
            "Carys O'Neill",
            "Ieuan Williams",
            "Mererid Lloyd",
        ),
    ),
    DemoOrganisation(
        "scottish_borders",
        "Scottish Borders Council (demo)",
        "scottish-borders",
        "Council Headquarters\nNewtown St Boswells\nTD6 0SA",
        (
            "Eilidh Fraser",
            "Callum Scott",
            "Mòrag MacLeòid",
            "Alasdair Dùghlas",
            "Kirsty Elliot",
            "Ruaridh Kerr",
            "Iona Turnbull",
            "Hamish Laidlaw",
            "Fiona Pringle",
        ),
    ),
    DemoOrganisation(
        "clackmannanshire",
        "Clackmannanshire Council (demo)",
        "clackmannanshire",
        "Kilncraigs\nGreenside Street\nAlloa\nFK10 1EB",
        (
            "Shona McAllister",
            "Graeme Dow",
            "Aileen Ó Briain",
            "Euan Paterson",
            "Catriona Reid",
            "Struan Wallace",
            "Marsaili Grant",
            "Innes Murray",
        ),
    ),
    DemoOrganisation(
        "highland",
        "The Highland Council (demo)",
        "highland",
        "Glenurquhart Road\nInverness\nIV3 5NX",
        (
            "Seonaidh MacAoidh",
            "Donnchadh Rothach",
            "Peigi Mhoireach",
            "Alan Munro",
            "Ishbel Ross",
            "Lachlan MacKenzie",
            "Kenna Sutherland",
            "Tormod MacLeod",
        ),
    ),
    DemoOrganisation(
        "next_gen",
        "Next Gen Support Services (demo)",
        "next-gen",
        "Unit 4, Enterprise Park\nInverness\nIV2 5XX",
        (
            "Niamh Campbell",
            "Oran Docherty",
            "Beth Anderson-Smith",
            "Ross McIntyre",
            "Leah Johnstone",
            "Jamie Ogilvie",
            "Anna-Marie Brodie",
            "Calum Gunn",
        ),
    ),
    DemoOrganisation(
        "spso_model",
        "Model Council (demo, SPSO model policy)",
        "model-council",
        "1 Council Street\nAnytown\nAB1 2CD",
        (
            "Sam Taylor",
            "Priya Shah",
            "Tomás Ó Súilleabháin",
            "Jo Bloggs-Martin",
            "Chris Evans",
            "Alex Morgan",
            "Dana Kowalski",
            "Lee Chapman",
        ),
    ),
)

# Each domain that has demo data provides `populate(organisation)`; listed here so the order is
# explicit (customers before the incidents about them). Each must be idempotent.
_DEMO_DATA: tuple[str, ...] = (
    "engage.customers.demo",
    "engage.incidents.demo",
    "engage.staffcare.demo",
    "engage.decisions.demo",
)

# Who line-manages whom in the demo: each role's holder reports to the first holder of the next level.
_LEVELS = [
    Capability.FRONTLINE,
    Capability.MANAGER,
    Capability.SENIOR_DECISION_MAKER,
    Capability.APPEAL_OFFICER,
    Capability.EXECUTIVE,
]


def _demo_modules() -> list[Any]:
    modules = []
    for name in _DEMO_DATA:
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return modules


def _level(role: Role) -> int:
    levels = [i for i, cap in enumerate(_LEVELS) if cap in role.capabilities]
    return min(levels) if levels else len(_LEVELS)


class Command(BaseCommand):
    help = "Create one demo organisation per policy preset, with staff for every role (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet", action="store_true", help="Do not print the sign-ins.")

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("The demo data must not be loaded into a production Engage.")
        password = settings.ENGAGE_DEMO_PASSWORD
        shipped = set(presets.available())
        sign_ins: list[tuple[str, str, str]] = []
        with audit_source("command: engage demo"):
            for spec in DEMO_ORGANISATIONS:
                if spec.preset not in shipped:
                    continue
                organisation = Organisation.objects.filter(slug=spec.slug).first()
                if organisation is None:
                    organisation = organisation_create(
                        actor=None,
                        name=spec.name,
                        slug=spec.slug,
                        preset_key=spec.preset,
                        address=spec.address,
                    )
                sign_ins += self._staff(organisation, spec, password)
                for module in _demo_modules():
                    module.populate(organisation)
        if not options["quiet"]:
            self._print(sign_ins, password)

    def _staff(
        self, organisation: Organisation, spec: DemoOrganisation, password: str
    ) -> list[tuple[str, str, str]]:
        roles = sorted(
            Role.objects.filter(organisation=organisation, is_archived=False), key=_level, reverse=True
        )
        made: dict[Role, User] = {}
        out = []
        # Most senior first, so each person's line manager already exists.
        for index, role in enumerate(roles):
            username = f"{spec.slug}-{role.key}".replace("_", "-")
            user = User.objects.filter(username=username).first()
            if user is None:
                first, _, last = spec.people[index % len(spec.people)].partition(" ")
                # The nearest level above, so a call handler reports to a team leader, not the chief executive.
                above = [(_level(r), u) for r, u in made.items() if _level(r) > _level(role)]
                manager = min(above, key=lambda pair: pair[0])[1] if above else None
                user = staff_create(
                    actor=None,
                    organisation=organisation,
                    username=username,
                    first_name=first,
                    last_name=last,
                    email=f"{username}@example.org",
                    roles=[role],
                    password=password,
                    line_manager=manager,
                    job_title=role.name,
                )
            made[role] = user
            out.append((organisation.name, username, role.name))
        return sorted(out)

    def _print(self, sign_ins: list[tuple[str, str, str]], password: str) -> None:
        self.stdout.write(self.style.SUCCESS(f"Demo sign-ins (password for all: {password})"))
        current = None
        for org, username, role in sign_ins:
            if org != current:
                self.stdout.write(f"\n  {org}")
                current = org
            self.stdout.write(f"    {username:<48} {role}")
        self.stdout.write("")
