"""Small images for screenshot tests."""

from __future__ import annotations

import io

from PIL import Image


def jpeg_with_camera_details() -> bytes:
    """A JPEG whose EXIF names the phone that took it (metadata Engage must not keep)."""
    image = Image.new("RGB", (40, 20), "white")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"  # Model
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (30, 30), "navy").save(out, "PNG")
    return out.getvalue()
