"""Settings for the benchmarks: Engage's own, on the benchmark's database, with bench.urls.

BENCH_DATABASE_URL picks the database (default: SQLite at bench/data/engage-bench.sqlite3). It is
handed to Engage's settings as DATABASE_URL, so the database is set up exactly as Engage sets it
up (SQLite WAL and pragmas, persistent connections, PostgreSQL prepared statements); the
ENGAGE_DB_* and ENGAGE_CHECK_JOURNAL variables change it as they would change Engage. The
middleware stack is Engage's own, so the trivial view and the contact check pay the same
framework costs.
"""

from __future__ import annotations

import os
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent / "data"
os.environ.setdefault("ENGAGE_DATA_DIR", str(BENCH_DIR / "engage-data"))
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{BENCH_DIR / 'engage-bench.sqlite3'}"
)

from engage.config.settings import *  # noqa: E402, F403

ROOT_URLCONF = "bench.urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "handlers": {}, "root": {"level": "WARNING"}}
