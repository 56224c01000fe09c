"""`engage run-jobs`: expire restrictions, open periodic reviews, send reminders, delete old contact
checks. Safe to run often."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from engage.audit.services import audit_source
from engage.decisions import jobs


class Command(BaseCommand):
    help = "Run the scheduled jobs for cases once (idempotent; run it from cron), or queue them for a worker."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", help="Run as if today were this date (YYYY-MM-DD), e.g. to catch up.")
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the jobs for the task worker instead of running them here.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date must be a date like 2026-03-31, not {options['date']!r}") from exc
        if options["enqueue"]:
            from engage.decisions.tasks import run_jobs

            result = run_jobs.enqueue(today.isoformat() if today else None)
            self.stdout.write(f"Queued the jobs as task {result.id}.")
            return
        with audit_source("command: engage run-jobs"):
            ran = jobs.run_all(today)
        self.stdout.write(str(ran))
