"""Settings for the benchmarks: Engage's own, on the benchmark's database, with bench.urls.

BENCH_DATABASE_URL picks the database (default: SQLite at bench/data/engage-bench.sqlite3, in
WAL mode exactly as `engage.config.settings` sets SQLite up). The middleware stack is Engage's
own, so the trivial view and the contact check pay the same framework costs.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

os.environ.setdefault("ENGAGE_DATA_DIR", str(Path(__file__).resolve().parent / "data" / "engage-data"))

from engage.config.settings import *  # noqa: F403
from engage.config.settings import DATABASES

BENCH_DIR = Path(__file__).resolve().parent / "data"
_url = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{BENCH_DIR / 'engage-bench.sqlite3'}")
_sqlite_options = (
    DATABASES["default"].get("OPTIONS", {}) if DATABASES["default"]["ENGINE"].endswith("sqlite3") else None
)
DATABASES = {"default": dj_database_url.parse(_url, conn_max_age=600)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = _sqlite_options or {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = (
        0
        if os.environ.get("BENCH_SQLITE_CONN_MAX_AGE") is None
        else int(os.environ["BENCH_SQLITE_CONN_MAX_AGE"])
    )
elif os.environ.get("BENCH_PG_PREPARE", "1") == "1":
    # baselines.md: server-side binding with prepared statements brings the cursor path from 742
    # to 252 µs (not for PgBouncer in transaction mode). Engage's settings do not set it (yet).
    DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}

ROOT_URLCONF = "bench.urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "handlers": {}, "root": {"level": "WARNING"}}
