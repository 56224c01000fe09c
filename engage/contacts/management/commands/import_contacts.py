"""`engage import-contacts FILE`: import telephony call records or mail logs (CSV or JSON Lines)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from engage.audit.services import audit_source
from engage.contacts import importer
from engage.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Import contact events from a CSV or JSON Lines file (columns: "
        + ", ".join(importer.COLUMNS)
        + "). Safe to run again: a file already imported changes nothing, one stopped part-way resumes."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="The CSV (.csv) or JSON Lines (.jsonl) file.")
        parser.add_argument(
            "--organisation", help="The organisation's short name (slug); needed when there is more than one."
        )
        parser.add_argument("--batch-size", type=int, default=importer.BATCH_SIZE, help="Rows a transaction.")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = _organisation(options["organisation"])
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        with audit_source("command: engage import-contacts"):
            try:
                report = importer.contact_import(
                    actor=None,
                    organisation=organisation,
                    path=options["file"],
                    batch_size=options["batch_size"],
                )
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
            except FileNotFoundError as exc:
                raise CommandError(f"There is no file {options['file']}") from exc
        if report.already_imported:
            self.stdout.write(f"{report.file_name} was imported before: nothing changed.")
        self.stdout.write(
            f"{report.file_name}: {report.rows_read} rows; {report.stored} events stored, "
            f"{report.duplicates} already held, {report.counted_only} counted only (no single customer), "
            f"{report.rejected} rejected; {report.flags_raised} levels-of-contact items raised."
        )
        for rejection in report.rejections:
            self.stdout.write(f"  {rejection['reason']}")
        if report.rejected > len(report.rejections):
            self.stdout.write(f"  ... and {report.rejected - len(report.rejections)} more rejected rows.")


def _organisation(slug: str | None) -> Organisation:
    if slug:
        found = Organisation.objects.filter(slug=slug).first()
        if found is None:
            raise CommandError(f"There is no organisation '{slug}'")
        return found
    active = list(Organisation.objects.filter(is_active=True)[:2])
    if len(active) != 1:
        raise CommandError("Say which organisation with --organisation SLUG")
    return active[0]
