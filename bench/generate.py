"""Generate a council-scale dataset for the benchmarks (not a test; see docs/benchmarks.md).

    .venv/bin/python bench/generate.py                       # 1,000,000 customers, SQLite
    .venv/bin/python bench/generate.py --scale 0.1           # a tenth of everything
    BENCH_DATABASE_URL=postgres://... .venv/bin/python bench/generate.py --no-events

Writes, into the benchmark database (migrated from scratch):
- one organisation (the Flintshire preset) and one CCSM;
- customers with 2-3 identifiers each: a mobile number and an email address for everyone, a
  landline for every other customer, and for one in ten of those the landline is an old number
  (ended: an alias);
- active restrictions (decisions in force, with one or two measures each, of several kinds),
  plus ended ones, and agreed staff requests;
and the contact-event CSV (bench/data/events.csv) in the import's format: calls, emails and
letters over two years, in time order, 90% from known customers, 7% from unknown numbers, 3%
withheld. The bulk tables are written with executemany (SQLite) or COPY (PostgreSQL); the few
thousand decisions go through the ORM.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.settings import BENCH_DIR  # noqa: E402
from engage.audit.services import audit_source  # noqa: E402
from engage.contacts.importer import COLUMNS  # noqa: E402
from engage.customers.models import Customer, Identifier  # noqa: E402
from engage.decisions import measures as m  # noqa: E402
from engage.decisions.models import Case, Decision, Measure  # noqa: E402
from engage.organisations.services import organisation_create  # noqa: E402
from engage.staff.models import Role  # noqa: E402
from engage.staff.services import staff_create  # noqa: E402
from engage.staffcare.models import StaffRequest  # noqa: E402

FIRST = [
    "Siôn",
    "Ffion",
    "Dafydd",
    "Nia",
    "Bryn",
    "Mair",
    "Gareth",
    "Elin",
    "Rhys",
    "Carys",
    "Owain",
    "Megan",
]
LAST = ["Jones", "Williams", "Davies", "Evans", "Thomas", "Roberts", "Hughes", "Lewis", "Morgan", "Price"]
SERVICES = ["Council Tax", "Housing", "Waste", "Planning", "Benefits", "Highways", "Social Care"]
HANDLERS = [f"{f} {last}" for f in FIRST[:8] for last in LAST[:6]]
CHUNK = 100_000


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="1.0 = 1M customers, 10k restrictions, 10M events"
    )
    parser.add_argument("--no-events", action="store_true", help="Do not write the events CSV")
    parser.add_argument("--seed", type=int, default=20261124)
    args = parser.parse_args()
    customers = int(1_000_000 * args.scale)
    restrictions = int(10_000 * args.scale)
    events = int(10_000_000 * args.scale)
    rnd = random.Random(args.seed)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    now = timezone.now().replace(microsecond=0)
    started = time.perf_counter()

    _fresh_database()
    with audit_source("bench/generate.py"):
        organisation = organisation_create(
            actor=None, name="Bench County Council", slug="bench", preset_key="flintshire"
        )
        role = next(
            r
            for r in Role.objects.filter(organisation=organisation)
            if "senior_decision_maker" in r.capabilities
        )
        ccsm = staff_create(
            actor=None,
            organisation=organisation,
            username="ccsm",
            first_name="Siân",
            last_name="Ellis-Jones",
            email="ccsm@example.org",
            roles=[role],
            password="bench-password-not-for-use-1",
        )
    print(f"database migrated, organisation {organisation.pk} ({time.perf_counter() - started:.0f} s)")

    _customers(organisation.pk, customers, now, rnd)
    print(f"{customers:,} customers and their identifiers written ({time.perf_counter() - started:.0f} s)")
    restricted = _restrictions(organisation.pk, ccsm, customers, restrictions, now, rnd)
    print(f"{restrictions:,} active restrictions written ({time.perf_counter() - started:.0f} s)")
    meta = {
        "organisation_id": organisation.pk,
        "customers": customers,
        "restrictions": restrictions,
        "restricted": restricted[:5000],
        "events": 0,
        "generated_at": now.isoformat(),
        "vendor": connection.vendor,
    }
    path = BENCH_DIR / "events.csv"
    if not args.no_events:
        _events(path, customers, events, now, rnd)
        meta["events"] = events
        print(f"{events:,} contact events written to {path} ({time.perf_counter() - started:.0f} s)")
    elif path.exists():
        with path.open("rb") as existing:
            meta["events"] = sum(1 for _ in existing) - 1
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    (BENCH_DIR / f"meta-{connection.vendor}.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    print(f"done in {time.perf_counter() - started:.0f} s")


def _fresh_database() -> None:
    if connection.vendor == "sqlite":
        name = Path(connection.settings_dict["NAME"])
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
    else:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)


def _stamp(value: dt.datetime) -> object:
    return value.replace(tzinfo=None).isoformat(" ") if connection.vendor == "sqlite" else value


def mobile(n: int) -> str:
    return f"+4474{n:08d}"


def landline(n: int) -> str:
    return f"+441352{n // 2:06d}"


def old_number(n: int) -> str:
    return f"+4475{n:08d}"


def email(n: int) -> str:
    return f"customer{n}@example.org"


def _customers(organisation_id: int, count: int, now: dt.datetime, rnd: random.Random) -> None:
    stamp = _stamp(now)
    since = _stamp(now - dt.timedelta(days=800))
    cu = [f.column for f in Customer._meta.concrete_fields]
    idf = [f.column for f in Identifier._meta.concrete_fields if f.column != "id"]
    for start in range(1, count + 1, CHUNK):
        ids = range(start, min(start + CHUNK, count + 1))
        customers = []
        identifiers = []
        for n in ids:
            values = {
                "id": n,
                "created_at": stamp,
                "modified_at": stamp,
                "organisation_id": organisation_id,
                "created_by_id": None,
                "reference": f"C-{n:07d}",
                "kind": "person",
                "full_name": f"{rnd.choice(FIRST)} {rnd.choice(LAST)}",
                "display_name": "",
                "merged_into_id": None,
                "merged_at": None,
                "is_archived": False,
            }
            customers.append(tuple(values[c] for c in cu))
            rows = [("phone", mobile(n), f"0{mobile(n)[3:]}", None), ("email", email(n), email(n), None)]
            if n % 2 == 0:
                rows.append(("phone", landline(n), f"0{landline(n)[3:]}", since if n % 20 == 0 else None))
            for kind, value, display, valid_to in rows:
                row = {
                    "created_at": stamp,
                    "modified_at": stamp,
                    "organisation_id": organisation_id,
                    "created_by_id": None,
                    "customer_id": n,
                    "kind": kind,
                    "value": value,
                    "display": display,
                    "platform": "",
                    "postcode": "",
                    "valid_from": since,
                    "valid_to": valid_to,
                }
                identifiers.append(tuple(row[c] for c in idf))
        _bulk(Customer._meta.db_table, cu, customers)
        _bulk(Identifier._meta.db_table, idf, identifiers)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{Customer._meta.db_table}', 'id'), {count})"
            )


def _bulk(table: str, columns: list[str], rows: list[tuple[object, ...]]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            raw = cursor.cursor
            marks = ", ".join("?" * len(columns))
            raw.executemany(f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({marks})', rows)


_MIX = [
    lambda officer: [m.SinglePointOfContact(officer.pk, "Siân Ellis-Jones")],
    lambda officer: [m.AllowedChannels(tuple(c for c in m.Channel if c != m.Channel.PHONE))],
    lambda officer: [
        m.CallTimes(("tue",), dt.time(10), dt.time(12), 20),
        m.SinglePointOfContact(officer.pk, "Siân Ellis-Jones"),
    ],
    lambda officer: [m.AutomatedLine("Council Tax automated line")],
    lambda officer: [m.NoStaffDetails(), m.ReadAndFile()],
    # Counted against the customer's recorded calls at every check (a second statement).
    lambda officer: [m.VolumeLimit(3, "week", m.Channel.PHONE)],
]


def _restrictions(
    organisation_id: int, ccsm: object, customers: int, count: int, now: dt.datetime, rnd: random.Random
) -> list[int]:
    today = now.date()
    step = max(customers // max(count, 1), 1)
    chosen = [1 + k * step for k in range(count)]
    cases = [Case(organisation_id=organisation_id, customer_id=n, reference=f"CASE-{n:07d}") for n in chosen]
    Case.objects.bulk_create(cases, batch_size=2000)
    decisions = []
    for k, case in enumerate(cases):
        ended = k % 10 == 9  # one in ten has ended: it must not apply
        decisions.append(
            Decision(
                organisation_id=organisation_id,
                case=case,
                type="active_management",
                status=Decision.Status.ENDED if ended else Decision.Status.IN_FORCE,
                decided_by=ccsm,  # type: ignore[misc]
                reasons="Generated for the benchmarks.",
                starts_on=today - dt.timedelta(days=rnd.randrange(1, 300)),
                ends_on=(today - dt.timedelta(days=1))
                if ended
                else today + dt.timedelta(days=rnd.randrange(30, 180)),
            )
        )
    Decision.objects.bulk_create(decisions, batch_size=2000)
    measures = []
    for k, decision in enumerate(decisions):
        for spec in _MIX[k % len(_MIX)](ccsm):
            measures.append(
                Measure(
                    organisation_id=organisation_id,
                    decision=decision,
                    customer_id=decision.case.customer_id,
                    type=spec.type.value,
                    params=spec.to_json(),
                    starts_on=decision.starts_on,
                    ends_on=decision.ends_on,
                )
            )
    Measure.objects.bulk_create(measures, batch_size=2000)
    requests = [
        StaffRequest(
            organisation_id=organisation_id,
            staff_member=ccsm,  # type: ignore[misc]
            customer_id=n,
            kind="no_further_contact",
            status="agreed",
        )
        for n in chosen[3::10]
    ]
    StaffRequest.objects.bulk_create(requests, batch_size=2000)
    return [n for k, n in enumerate(chosen) if k % 10 != 9]


def _events(path: Path, customers: int, count: int, now: dt.datetime, rnd: random.Random) -> None:
    start = now - dt.timedelta(days=730)
    span = (now - dt.timedelta(hours=1) - start).total_seconds()
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS[:7])
        rows = []
        for i in range(count):
            at = start + dt.timedelta(seconds=int(span * i / count))
            roll = rnd.random()
            n = rnd.randrange(1, customers + 1)
            channel = "phone" if roll < 0.6 else ("email" if roll < 0.95 else "letter")
            known = rnd.random()
            if channel == "phone":
                if known < 0.9:
                    number = mobile(n) if n % 2 or rnd.random() < 0.5 else landline(n)
                    identifier = number if rnd.random() < 0.7 else f"0{number[3:7]} {number[7:]}"
                elif known < 0.97:
                    identifier = f"+4479{rnd.randrange(10**8):08d}"
                else:
                    identifier = ""
                direction = "inbound" if rnd.random() < 0.8 else "outbound"
                duration = str(rnd.randrange(10, 900))
                handler = rnd.choice(HANDLERS)
            elif channel == "email":
                identifier = email(n) if known < 0.93 else f"someone{rnd.randrange(10**7)}@example.net"
                direction = "inbound"
                duration = ""
                handler = f"{rnd.choice(SERVICES).lower().replace(' ', '-')}@bench.gov.uk"
            else:
                identifier = f"C-{n:07d}"
                direction = "inbound"
                duration = ""
                handler = ""
            rows.append(
                (
                    identifier,
                    channel,
                    direction,
                    at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    duration,
                    rnd.choice(SERVICES),
                    handler,
                )
            )
            if len(rows) == 50_000:
                writer.writerows(rows)
                rows = []
        writer.writerows(rows)


if __name__ == "__main__":
    main()
