"""The scheduled jobs as a django-tasks task, for worker mode (`engage db_worker`)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from engage.audit.services import audit_source
from engage.decisions import jobs


@task()
def run_jobs(today: str | None = None) -> str:
    """The same jobs as `engage run-jobs`; `today` is an ISO date, for re-running a missed day."""
    with audit_source("task: run_jobs"):
        return str(jobs.run_all(dt.date.fromisoformat(today) if today else None))
