"""Evidence test helpers: incidents made directly, and sample files."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from engage.incidents.models import Incident


def make_incident(
    org, reporter, *, reference="INC-2026-00042", status=Incident.Status.SUBMITTED, affected=()
):
    incident = Incident.objects.create(
        organisation=org.organisation,
        created_by=reporter,
        reporter=reporter,
        reference=reference,
        status=status,
        routed_to=reporter.line_manager if status != Incident.Status.DRAFT else None,
    )
    incident.staff_affected.set([reporter, *affected])
    return incident


def screenshot_bytes(colour=(200, 30, 30), *, gps=False) -> bytes:
    out = io.BytesIO()
    options = {}
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMakerCo"
        exif[0x8825] = {1: "N", 2: (53.0, 10.0, 12.5), 3: "W", 4: (3.0, 8.0, 40.0)}
        options["exif"] = exif
    Image.new("RGB", (80, 40), colour).save(out, "PNG", **options)
    return out.getvalue()


def upload(name="Screenshot.png", data=None, content_type="image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, screenshot_bytes() if data is None else data, content_type=content_type)
