"""Run the benchmarks and print the figures, each next to its baseline measured in the same run.

    .venv/bin/python bench/generate.py          # once: the dataset (see its docstring)
    .venv/bin/python bench/run.py               # SQLite: engine, HTTP, import
    .venv/bin/python bench/run.py --postgres    # and the same on a throwaway PostgreSQL cluster

Not a test: it prints figures and ratios (and writes them to bench/data/results-*.json), and
says, for each goal, whether this run met it. Goals (the issue's, docs/benchmarks.md):
- the contact check over HTTP (GET /api/v1/contact-check with a token, as an integration calls
  it; gunicorn, 2 sync workers; wrk, 16 connections, 20 s) at >= 70% of the requests/s of a
  trivial Django JSON view in the same server, p99 <= 1.5x;
- the engine alone (parse, one SELECT, the rules) <= 5x the median of the same SELECT through
  Python's sqlite3 (or psycopg) on the same database;
- importing the events CSV at >= 50% of the rows/s of `sqlite3 .import` (or COPY) of the same
  file into a bare table, with peak memory flat as the file grows.

Each measurement runs in its own process (`run.py measure-...`) so that Django's settings can
point at the database under test and memory is measured per import.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
PYTHON = sys.executable
SQLITE_FILE = DATA / "engage-bench.sqlite3"


# ---------------------------------------------------------------------------------------------
# Child processes: each prints one JSON object
# ---------------------------------------------------------------------------------------------


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def _samples(meta: dict[str, Any], n: int, seed: int = 7) -> list[tuple[str, str]]:
    """(as typed, channel): 70% customers with nothing in force, 20% restricted, 10% unknown; half
    E.164, half national with a space, as call handlers and telephony systems write them."""
    rnd = random.Random(seed)
    restricted = meta["restricted"]
    out = []
    for _ in range(n):
        roll = rnd.random()
        if roll < 0.2:
            number = f"+4474{rnd.choice(restricted):08d}"
        elif roll < 0.9:
            number = f"+4474{rnd.randrange(1, meta['customers'] + 1):08d}"
        else:
            number = f"+4479{rnd.randrange(10**8):08d}"
        typed = number if rnd.random() < 0.5 else f"0{number[3:7]} {number[7:]}"
        out.append((typed, "phone"))
    return out


def _stats(ns: list[int]) -> dict[str, float]:
    ordered = sorted(ns)
    return {
        "median_us": statistics.median(ordered) / 1000,
        "p99_us": ordered[int(len(ordered) * 0.99) - 1] / 1000,
        "n": len(ordered),
    }


def measure_lookup(samples_n: int) -> dict[str, Any]:
    """The same SELECT raw, then the engine (parse + SELECT + rules), then the full check."""
    _django()
    from django.db import connection
    from django.utils import timezone

    from engage.contacts.lookup import _hit_params, sql_for
    from engage.contacts.services import contact_answer, contact_check, parse_identifier

    meta = json.loads((DATA / f"meta-{connection.vendor}.json").read_text(encoding="utf-8"))
    org = meta["organisation_id"]
    samples = _samples(meta, samples_n)
    now = timezone.now()
    today = timezone.localdate(now)
    parsed = [parse_identifier(typed) for typed, _ in samples]
    sql = sql_for("phone", connection.vendor)
    params = [[*_hit_params(org, p.kind, p.value), org, today, today, org] for p in parsed]

    raw_ns: list[int] = []
    if connection.vendor == "sqlite":
        import sqlite3

        raw = sqlite3.connect(connection.settings_dict["NAME"])
        raw.execute("PRAGMA journal_mode=WAL")
        raw_sql = sql.replace("%s", "?")
        raw_params = [[v.isoformat() if isinstance(v, dt.date) else v for v in p] for p in params]
        run = lambda p: raw.execute(raw_sql, p).fetchall()  # noqa: E731
    else:
        import psycopg

        s = connection.settings_dict
        raw = psycopg.connect(
            host=s["HOST"], port=s["PORT"], user=s["USER"], password=s["PASSWORD"], dbname=s["NAME"]
        )
        raw_params = params
        run = lambda p: raw.execute(sql, p).fetchall()  # noqa: E731
    # Warm the operating system's cache with every identifier first (the engine is timed after
    # the raw statement, so it would otherwise get a warm file that the raw statement did not).
    for p in raw_params:
        run(p)
    for p in raw_params:
        t = time.perf_counter_ns()
        run(p)
        raw_ns.append(time.perf_counter_ns() - t)
    found = sum(1 for p in raw_params[:1000] if run(p))

    engine_ns: list[int] = []
    decisions: dict[str, int] = {}
    for typed, channel in samples[:500]:
        contact_answer(organisation_id=org, identifier=typed, channel=channel, at=now)
    for typed, channel in samples:
        t = time.perf_counter_ns()
        answered = contact_answer(organisation_id=org, identifier=typed, channel=channel, at=now)
        engine_ns.append(time.perf_counter_ns() - t)
        decisions[answered.answer.decision.value] = decisions.get(answered.answer.decision.value, 0) + 1

    check_ns: list[int] = []
    for typed, channel in samples[: samples_n // 2]:
        t = time.perf_counter_ns()
        contact_check(
            actor=None, organisation_id=org, label="bench", identifier=typed, channel=channel, at=now
        )
        check_ns.append(time.perf_counter_ns() - t)
    return {
        "vendor": connection.vendor,
        "raw": _stats(raw_ns),
        "engine": _stats(engine_ns),
        "check_with_record": _stats(check_ns),
        "decisions": decisions,
        "raw_rows_found_of_1000": found,
    }


def measure_import(path: str, batch_size: int | None) -> dict[str, Any]:
    _django()
    import resource

    from django.db import connection

    from engage.contacts.importer import BATCH_SIZE, IMPORT_CACHE_KIB, IMPORT_CHECKPOINT_BYTES, contact_import
    from engage.organisations.models import Organisation

    organisation = Organisation.objects.get(slug="bench")
    batch_size = batch_size or BATCH_SIZE
    started = time.perf_counter()
    report = contact_import(actor=None, organisation=organisation, path=path, batch_size=batch_size)
    elapsed = time.perf_counter() - started
    return {
        "vendor": connection.vendor,
        "rows": report.rows_read,
        "seconds": elapsed,
        "rows_per_s": report.rows_read / elapsed,
        "stored": report.stored,
        "counted_only": report.counted_only,
        "rejected": report.rejected,
        "flags_raised": report.flags_raised,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "batch_size": batch_size,
        "bytes": Path(path).stat().st_size,
        # The import's pragmas, for the floor to use the same.
        "cache_kib": IMPORT_CACHE_KIB,
        "checkpoint_bytes": IMPORT_CHECKPOINT_BYTES,
    }


# ---------------------------------------------------------------------------------------------
# The orchestra
# ---------------------------------------------------------------------------------------------


def _child(args: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    result = subprocess.run(
        [PYTHON, str(Path(__file__)), *args],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit(f"{' '.join(args)} failed")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _wrk(url: str, seconds: int, script: Path | None) -> dict[str, float]:
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency"]
    if script is not None:
        command += ["-s", str(script)]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]

    def pct(p: str) -> float:
        value, unit = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),  # type: ignore[union-attr]
        "rps": rps,
        "p50_ms": pct("50"),
        "p99_ms": pct("99"),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def _mean_runs(runs: list[dict[str, float]]) -> dict[str, Any]:
    mean = {key: statistics.fmean(r[key] for r in runs) for key in runs[0]}
    return {**mean, "non_2xx": int(sum(r["non_2xx"] for r in runs)), "runs": runs}


def _children(pid: int) -> list[int]:
    """The gunicorn workers (the master's children)."""
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False)
    return [int(p) for p in found.stdout.split()]


def _cpu_seconds(pids: list[int]) -> float:
    """User and system CPU the processes have used: CPU per request is steadier than requests/s
    on a machine shared with others, whose load takes time from both endpoints unevenly."""
    ticks = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _migrate(env: dict[str, str]) -> None:
    subprocess.run(
        [str(Path(PYTHON).parent / "engage"), "migrate", "--noinput", "-v", "0"],
        env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": "bench.settings"},
        cwd=ROOT,
        check=True,
    )


def measure_token(organisation_id: int) -> dict[str, Any]:
    """A read-only token of a "Benchmark" service account of the organisation (made once). The
    contact checks recorded by earlier runs are removed first, so that every HTTP run starts from
    the same table (they had reached 3.9 million rows, 413 MiB, in the shared dataset)."""
    _django()
    import secrets

    from django.db import connection

    from engage.api.models import ApiToken, ServiceAccount
    from engage.api.services import TOKEN_PREFIX, hash_token
    from engage.contacts.models import ContactCheck

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(ContactCheck._meta.db_table)}")

    account, _ = ServiceAccount.objects.get_or_create(
        organisation_id=organisation_id, name="Benchmark", defaults={"scope": ServiceAccount.Scope.READ}
    )
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(account=account, prefix=plain[:8], secret_sha256=hash_token(plain))
    return {"token": plain}


def run_http(env: dict[str, str], seconds: int, meta: dict[str, Any], alike: bool = False) -> dict[str, Any]:
    """The trivial view, then GET /api/v1/contact-check with a service account's token, each for
    `seconds` under wrk, from one gunicorn with Engage's settings changed only by `env`.

    With `alike`, the trivial view is also requested as the check is: through the same wrk script,
    with the same Authorization header and the same query strings (which it ignores). wrk shares
    the machine's two processors with the server, and a script's request() costs wrk time that a
    fixed request does not; this ceiling leaves only the view's own work between the two."""
    port = _free_port()
    token = _child(["measure-token", str(meta["organisation_id"])], env)["token"]
    queries = [
        urllib.parse.urlencode({"identifier": t, "channel": c}) for t, c in _samples(meta, 5000, seed=11)
    ]
    paths = DATA / "wrk-paths.txt"
    paths.write_text("".join(f"/api/v1/contact-check?{q}\n" for q in queries), encoding="utf-8")
    script = _wrk_script(DATA / "wrk-paths.lua", paths, token)
    hello_paths = DATA / "wrk-hello-paths.txt"
    hello_paths.write_text("".join(f"/bench/hello?{q}\n" for q in queries), encoding="utf-8")
    hello_script = _wrk_script(DATA / "wrk-hello-paths.lua", hello_paths, token)
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "--workers",
            "2",
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--chdir",
            str(ROOT),
            "--log-level",
            "warning",
            "engage.config.wsgi:application",
        ],
        env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": "bench.settings"},
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/bench/hello", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        first = urllib.request.Request(
            f"{base}{paths.read_text().splitlines()[0]}", headers={"Authorization": f"Bearer {token}"}
        )
        sample = urllib.request.urlopen(first, timeout=5).read()
        _wrk(f"{base}/bench/hello", 3, None)  # warm both workers
        _wrk(base, 3, script)
        # Trivial view, check, check, trivial view ("ABBA"): on a shared machine whose speed drifts
        # from minute to minute, each endpoint's two runs straddle the same moment, so a drift
        # weighs on both alike. Each endpoint's figures are the mean of its two runs.
        runs: dict[str, list[dict[str, float]]] = {"hello": [], "check": [], "hello_alike": []}
        order = (
            ("hello", "hello_alike", "check", "check", "hello_alike", "hello")
            if alike
            else ("hello", "check", "check", "hello")
        )
        for name in order:
            workers = _children(server.pid)
            before = _cpu_seconds(workers)
            if name == "hello":
                run = _wrk(f"{base}/bench/hello", seconds, None)
            else:
                run = _wrk(base, seconds, script if name == "check" else hello_script)
            run["cpu_us"] = 1e6 * (_cpu_seconds(workers) - before) / max(run["requests"], 1)
            runs[name].append(run)
        return {
            **{name: _mean_runs(endpoint_runs) for name, endpoint_runs in runs.items() if endpoint_runs},
            "sample_response": json.loads(sample),
            "env": env,
        }
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def _wrk_script(script: Path, paths: Path, token: str) -> Path:
    """A wrk script requesting each of `paths` in turn (a fixed stride through them), with the token."""
    script.write_text(
        f"""
local paths = {{}}
for line in io.lines("{paths}") do paths[#paths + 1] = line end
local i = 0
wrk.headers["Authorization"] = "Bearer {token}"
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i * 7919) % #paths + 1])
end
""",
        encoding="utf-8",
    )
    return script


def _rows(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle) - 1


def run_import_sqlite(events: Path, batch_size: int | None, prefixes: list[int]) -> dict[str, Any]:
    bare = DATA / "bare.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{bare}{suffix}").unlink(missing_ok=True)
    rows = _rows(events)
    script = (
        "PRAGMA journal_mode=WAL;\nPRAGMA synchronous=NORMAL;\n"
        "CREATE TABLE bare (identifier TEXT, channel TEXT, direction TEXT, started_at TEXT, "
        "duration_seconds TEXT, service TEXT, handler TEXT);\n"
        f".mode csv\n.import --skip 1 {events} bare\n"
    )
    started = time.perf_counter()
    subprocess.run(["sqlite3", str(bare)], input=script, text=True, check=True, capture_output=True)
    baseline = {"rows": rows, "seconds": time.perf_counter() - started}
    baseline["rows_per_s"] = rows / baseline["seconds"]
    for suffix in ("", "-wal", "-shm"):
        Path(f"{bare}{suffix}").unlink(missing_ok=True)
    runs = []
    for size in prefixes:
        source = events if size >= rows else _prefix(events, size)
        target = DATA / "import-target.sqlite3"
        _copy_sqlite(SQLITE_FILE, target)
        run = _child(
            ["measure-import", str(source), str(batch_size or 0)],
            {"BENCH_DATABASE_URL": f"sqlite:///{target}"},
        )
        run["floor"] = _floor_sqlite(target, run)
        runs.append(run)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
    return {"baseline": baseline, "runs": runs}


def _floor_sqlite(target: Path, run: dict[str, Any]) -> dict[str, float]:
    """What storing the events costs SQLite alone, whatever the importer does: the events the
    import stored, inserted again (without their ids) into an empty copy of the events table,
    with its unique index (month, customer, started_at, key) and any constraints, in as many
    batches as the import's, each sorted as the import sorts it and committed, with the import's
    pragmas. Rows/s counts the file's rows, as the import's figure does."""
    import sqlite3

    rows, batch_size = run["rows"], run["batch_size"]
    con = sqlite3.connect(target, isolation_level=None)
    try:
        (page_size,) = con.execute("PRAGMA page_size").fetchone()
        for pragma in (
            "journal_mode=WAL",
            "synchronous=NORMAL",
            "foreign_keys=ON",
            f"cache_size=-{run['cache_kib']}",
            f"wal_autocheckpoint={run['checkpoint_bytes'] // page_size}",
        ):
            con.execute(f"PRAGMA {pragma}")
        (table_sql,) = con.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'contacts_contactevent'"
        ).fetchone()
        con.execute(table_sql.replace('"contacts_contactevent"', '"floor_events"', 1))
        columns = ", ".join(
            f'"{c[1]}"' for c in con.execute("PRAGMA table_info(contacts_contactevent)") if c[1] != "id"
        )
        first, last = con.execute("SELECT min(id), max(id) FROM contacts_contactevent").fetchone()
        batches = -(-rows // batch_size)
        step = -(-(last - first + 1) // batches)
        before, started = con.total_changes, time.perf_counter()
        for low in range(first, last + 1, step):
            con.execute("BEGIN IMMEDIATE")
            con.execute(
                f"INSERT INTO floor_events ({columns}) SELECT {columns} FROM contacts_contactevent "
                "WHERE id >= ? AND id < ? ORDER BY month, customer_id, started_at, key "
                'ON CONFLICT ("month", "customer_id", "started_at", "key") DO NOTHING',
                (low, low + step),
            )
            con.execute("COMMIT")
        seconds = time.perf_counter() - started
        stored = con.total_changes - before
    finally:
        con.close()
    return {"seconds": seconds, "rows_per_s": rows / seconds, "stored": stored}


def _prefix(events: Path, size: int) -> Path:
    out = DATA / f"events-{size}.csv"
    if not out.exists():
        with events.open("rb") as source, out.open("wb") as target:
            for i, line in enumerate(source):
                if i > size:
                    break
                target.write(line)
    return out


def _copy_sqlite(source: Path, target: Path) -> None:
    import sqlite3

    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    with sqlite3.connect(target) as dst:
        dst.execute("PRAGMA journal_mode=WAL")


# ---------------------------------------------------------------------------------------------
# PostgreSQL: a throwaway cluster
# ---------------------------------------------------------------------------------------------


class Postgres:
    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="engage-bench-pg-"))
        shutil.chown(self.root, "postgres")
        self.bin = Path(sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1])
        self.port = _free_port()

    def _as_postgres(self, *args: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True, capture_output=True)

    def start(self) -> str:
        self._as_postgres(
            str(self.bin / "initdb"), "-D", f"{self.root}/data", "-A", "trust", "-U", "postgres"
        )
        self._as_postgres(
            str(self.bin / "pg_ctl"),
            "-D",
            f"{self.root}/data",
            "-l",
            f"{self.root}/log",
            "-w",
            "-o",
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c shared_buffers=1GB "
            "-c synchronous_commit=off -c max_wal_size=8GB -c fsync=on",
            "start",
        )
        for sql in (
            "CREATE ROLE engage LOGIN PASSWORD 'engage' SUPERUSER",
            "CREATE DATABASE engage_bench OWNER engage",
        ):
            subprocess.run(
                [
                    str(self.bin / "psql"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(self.port),
                    "-U",
                    "postgres",
                    "-q",
                    "-c",
                    sql,
                ],
                check=True,
                capture_output=True,
            )
        return f"postgres://engage:engage@127.0.0.1:{self.port}/engage_bench"

    def stop(self) -> None:
        try:
            self._as_postgres(str(self.bin / "pg_ctl"), "-D", f"{self.root}/data", "-m", "fast", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def run_import_postgres(url: str, events: Path, batch_size: int | None) -> dict[str, Any]:
    import psycopg

    rows = _rows(events)
    with psycopg.connect(url.replace("engage_bench", "postgres"), autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS import_target")
        admin.execute("CREATE DATABASE import_target TEMPLATE engage_bench")
    with psycopg.connect(url) as conn:
        conn.execute(
            "CREATE TEMPORARY TABLE bare (identifier TEXT, channel TEXT, direction TEXT, started_at TEXT, "
            "duration_seconds TEXT, service TEXT, handler TEXT)"
        )
        started = time.perf_counter()
        with (
            conn.cursor().copy("COPY bare FROM STDIN (FORMAT csv, HEADER true)") as copy,
            events.open("rb") as f,
        ):
            while block := f.read(1 << 20):
                copy.write(block)
        conn.commit()
        baseline = {"rows": rows, "seconds": time.perf_counter() - started}
    baseline["rows_per_s"] = rows / baseline["seconds"]
    run = _child(
        ["measure-import", str(events), str(batch_size or 0)],
        {"BENCH_DATABASE_URL": url.replace("engage_bench", "import_target")},
    )
    return {"baseline": baseline, "runs": [run]}


# ---------------------------------------------------------------------------------------------
# Printing
# ---------------------------------------------------------------------------------------------


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


# The HTTP runs: Engage's settings, then each with one thing changed, to show what it is worth.
HTTP_VARIANTS = [
    ("", "Engage's settings"),
    ("_no_journal", "every check recorded before answering (ENGAGE_CHECK_JOURNAL=false)"),
    ("_new_connections", "a new database connection for every request (ENGAGE_DB_CONN_MAX_AGE=0)"),
]
HTTP_ENV = {
    "": {},
    "_no_journal": {"ENGAGE_CHECK_JOURNAL": "false"},
    "_new_connections": {"ENGAGE_DB_CONN_MAX_AGE": "0"},
}


def _each(endpoint: dict[str, Any]) -> str:
    runs = endpoint.get("runs", [])
    each = ", ".join(f"{r['rps']:,.0f}" for r in runs)
    return f" (runs: {each})" if len(runs) > 1 else ""


def _cpu(endpoint: dict[str, Any]) -> str:
    return f", workers' CPU {endpoint['cpu_us']:,.0f} µs a request" if "cpu_us" in endpoint else ""


def report(results: dict[str, Any]) -> list[str]:
    lines = [
        f"Engage benchmarks, {results['when']}",
        f"machine: {results['machine']}",
        f"commit: {results['commit']}",
        f"dataset: {results['dataset']}",
        "",
    ]
    for vendor in ("sqlite", "postgresql"):
        lookup = results.get(f"lookup_{vendor}")
        if lookup:
            ratio = lookup["engine"]["median_us"] / lookup["raw"]["median_us"]
            lines += [
                f"[{vendor}] lookup, {lookup['raw']['n']} identifiers (70% unrestricted, 20% restricted, 10% unknown)",
                f"  raw statement ({'sqlite3' if vendor == 'sqlite' else 'psycopg'}): median {lookup['raw']['median_us']:.1f} µs, p99 {lookup['raw']['p99_us']:.1f} µs",
                f"  engine (parse + statement via connection.cursor() + rules): median {lookup['engine']['median_us']:.1f} µs, "
                f"p99 {lookup['engine']['p99_us']:.1f} µs = {ratio:.2f}x raw (goal <= 5x: {_verdict(ratio <= 5)})",
                f"  full check (engine + INSERT of the record): median {lookup['check_with_record']['median_us']:.1f} µs, "
                f"p99 {lookup['check_with_record']['p99_us']:.1f} µs",
                f"  answers: {lookup['decisions']}",
            ]
        for key, label in HTTP_VARIANTS:
            http = results.get(f"http_{vendor}{key}")
            if not http:
                continue
            hello, check = http["hello"], http["check"]
            share = check["rps"] / hello["rps"]
            p99 = check["p99_ms"] / hello["p99_ms"]
            lines += [
                f"[{vendor}] HTTP, gunicorn 2 sync workers, wrk -t2 -c16 -d{results['seconds']}s, "
                f"trivial view / check / check / trivial view: {label}",
                f"  trivial JSON view: {hello['rps']:,.0f} req/s{_each(hello)}, p50 {hello['p50_ms']:.2f} ms, "
                f"p99 {hello['p99_ms']:.2f} ms{_cpu(hello)}",
                f"  GET /api/v1/contact-check: {check['rps']:,.0f} req/s{_each(check)}, p50 {check['p50_ms']:.2f} ms, "
                f"p99 {check['p99_ms']:.2f} ms{_cpu(check)} (non-2xx: {check['non_2xx']})",
                f"  = {share:.1%} of the requests/s (goal >= 70%: {_verdict(share >= 0.7)}), "
                f"p99 {p99:.2f}x (goal <= 1.5x: {_verdict(p99 <= 1.5)})",
            ]
            alike = http.get("hello_alike")
            if alike:
                lines += [
                    f"  trivial view requested as the check is (same wrk script, header and query strings): "
                    f"{alike['rps']:,.0f} req/s{_each(alike)}, p50 {alike['p50_ms']:.2f} ms, p99 {alike['p99_ms']:.2f} ms"
                    f"{_cpu(alike)}",
                    f"  = the check at {check['rps'] / alike['rps']:.1%} of its requests/s, "
                    f"p99 {check['p99_ms'] / alike['p99_ms']:.2f}x (for comparison; the goal is judged above)",
                ]
        imported = results.get(f"import_{vendor}")
        if imported:
            base = imported["baseline"]
            name = "sqlite3 .import" if vendor == "sqlite" else "COPY"
            lines.append(
                f"[{vendor}] import: {name} of {base['rows']:,} rows into a bare table: "
                f"{base['rows_per_s']:,.0f} rows/s ({base['seconds']:.1f} s)"
            )
            for run in imported["runs"]:
                share = run["rows_per_s"] / base["rows_per_s"]
                lines.append(
                    f"  engage import-contacts, {run['rows']:,} rows in batches of {run['batch_size']:,}: "
                    f"{run['rows_per_s']:,.0f} rows/s "
                    f"({run['seconds']:.1f} s) = {share:.1%} (goal >= 50%: {_verdict(share >= 0.5)}); "
                    f"peak RSS {run['peak_rss_mib']:.0f} MiB; stored {run['stored']:,}, counted only "
                    f"{run['counted_only']:,}, rejected {run['rejected']:,}, flags {run['flags_raised']:,}"
                )
                if "floor" in run:
                    floor = run["floor"]
                    lines.append(
                        f"    floor, SQLite alone inserting the same events in the same batches into an "
                        f"empty copy of the indexed table: {floor['rows_per_s']:,.0f} rows/s "
                        f"({floor['seconds']:.1f} s, {floor['stored']:,} stored) = "
                        f"{floor['rows_per_s'] / base['rows_per_s']:.0%}; "
                        f"Engage at {run['rows_per_s'] / floor['rows_per_s']:.0%} of it"
                    )
        lines.append("")
    return lines


def _machine() -> str:
    cpu = ""
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory}, {platform.platform()}, Python {platform.python_version()}"
    )


def _commit() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, check=True
        )
        return head.stdout.strip() + (" (with uncommitted changes)" if dirty.stdout.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "measure-lookup":
        print(json.dumps(measure_lookup(int(sys.argv[2]))))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "measure-token":
        print(json.dumps(measure_token(int(sys.argv[2]))))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "measure-import":
        print(json.dumps(measure_import(sys.argv[2], int(sys.argv[3]) or None)))
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--samples", type=int, default=20_000, help="identifiers looked up per timing")
    parser.add_argument("--seconds", type=int, default=20, help="wrk duration per endpoint")
    parser.add_argument(
        "--batch-size",
        type=int,
        default=None,
        help="rows a transaction in the import (default: Engage's own)",
    )
    parser.add_argument(
        "--prefixes", default="1000000", help="also import the first N rows (comma-separated) for memory"
    )
    parser.add_argument("--postgres", action="store_true", help="also run on a throwaway PostgreSQL cluster")
    parser.add_argument("--postgres-scale", type=float, default=1.0, help="scale for the PostgreSQL dataset")
    parser.add_argument("--only", default="lookup,http,import", help="which parts to run")
    parser.add_argument("--skip-sqlite", action="store_true", help="only the PostgreSQL runs")
    args = parser.parse_args()
    parts = set(args.only.split(","))
    meta = json.loads((DATA / "meta-sqlite.json").read_text(encoding="utf-8"))
    events = DATA / "events.csv"
    results: dict[str, Any] = {
        "when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": _machine(),
        "commit": _commit(),
        "dataset": f"{meta['customers']:,} customers, {meta['restrictions']:,} restrictions, {meta['events']:,} events",
        "seconds": args.seconds,
    }
    sqlite_parts = set() if args.skip_sqlite else parts
    if sqlite_parts:
        _migrate({})  # a dataset generated before the latest migrations
    if "lookup" in sqlite_parts:
        results["lookup_sqlite"] = _child(["measure-lookup", str(args.samples)])
    if "http" in sqlite_parts:
        for key, _label in HTTP_VARIANTS:
            results[f"http_sqlite{key}"] = run_http(HTTP_ENV[key], args.seconds, meta, alike=key == "")
    if "import" in sqlite_parts and events.exists():
        prefixes = sorted({int(p) for p in args.prefixes.split(",") if p} | {meta["events"]})
        results["import_sqlite"] = run_import_sqlite(events, args.batch_size, prefixes)
    print("\n".join(report(results)), flush=True)
    if args.postgres:
        pg = Postgres()
        try:
            url = pg.start()
            env = {"BENCH_DATABASE_URL": url}
            subprocess.run(
                [
                    PYTHON,
                    str(ROOT / "bench" / "generate.py"),
                    "--no-events",
                    "--scale",
                    str(args.postgres_scale),
                ],
                env={**os.environ, **env},
                check=True,
            )
            pg_meta = json.loads((DATA / "meta-postgresql.json").read_text(encoding="utf-8"))
            if "lookup" in parts:
                results["lookup_postgresql"] = _child(["measure-lookup", str(args.samples)], env)
            if "http" in parts:
                for key, _label in HTTP_VARIANTS:
                    results[f"http_postgresql{key}"] = run_http(
                        {**env, **HTTP_ENV[key]}, args.seconds, pg_meta, alike=key == ""
                    )
            if "import" in parts and events.exists():
                results["import_postgresql"] = run_import_postgres(url, events, args.batch_size)
        finally:
            pg.stop()
        print("\n".join(report(results)))
    out = DATA / f"results-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}.json"
    out.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    print(f"(figures saved to {out.relative_to(ROOT)})")


if __name__ == "__main__":
    main()
