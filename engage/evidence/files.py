"""What an evidence file really is, judged by its content, and images made safe to keep.

Pure Python (no Django): `inspect()` decides from the bytes (magic numbers, and a parse where
there is no magic number, as for email) whether a file is one Engage accepts, and refuses one
whose content does not match its name; `strip_metadata()` re-encodes images without EXIF, GPS,
XMP or text chunks. A refusal is a `FileRefused` carrying one plain sentence for the person
uploading.

Limits: MAX_BYTES is 20 MB, enough for a phone photo, a long screenshot, a few minutes of audio
or a typical PDF; the whole file is held in memory to check and re-encode it, so the limit also
bounds the memory one upload can take. MAX_PIXELS bounds what a small compressed image may
expand to when decoded (a "decompression bomb").
"""

from __future__ import annotations

import contextlib
import email.parser
import email.policy
import io
import re
import struct
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import puremagic
from PIL import Image, ImageFile, ImageOps

MAX_BYTES = 20 * 1024 * 1024
MAX_MEGABYTES = MAX_BYTES // (1024 * 1024)
MAX_PIXELS = 50_000_000  # a 48-megapixel phone photo fits; a bomb does not


class Kind(StrEnum):
    IMAGE = "image"
    PDF = "pdf"
    EMAIL = "email"
    AUDIO = "audio"


@dataclass(frozen=True)
class FileVerdict:
    kind: Kind
    content_type: str
    extension: str  # the canonical one, with its dot, for the name Engage gives the file


class FileRefused(ValueError):
    """The file is not accepted; `reason` says why in words for the person uploading it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class _Format:
    name: str  # as people know it, for messages
    kind: Kind
    content_type: str
    extension: str
    pillow: str = ""  # Pillow's format name, for images


_PNG = _Format("a PNG image", Kind.IMAGE, "image/png", ".png", "PNG")
_JPEG = _Format("a JPEG image", Kind.IMAGE, "image/jpeg", ".jpg", "JPEG")
_GIF = _Format("a GIF image", Kind.IMAGE, "image/gif", ".gif", "GIF")
_WEBP = _Format("a WebP image", Kind.IMAGE, "image/webp", ".webp", "WEBP")
_PDF = _Format("a PDF document", Kind.PDF, "application/pdf", ".pdf")
_EML = _Format("an email (.eml)", Kind.EMAIL, "message/rfc822", ".eml")
_MP3 = _Format("an MP3 recording", Kind.AUDIO, "audio/mpeg", ".mp3")
_WAV = _Format("a WAV recording", Kind.AUDIO, "audio/wav", ".wav")
_M4A = _Format("an M4A or MP4 recording", Kind.AUDIO, "audio/mp4", ".m4a")
_OGG = _Format("an OGG recording", Kind.AUDIO, "audio/ogg", ".ogg")

_BY_EXTENSION: dict[str, _Format] = {
    ".png": _PNG,
    ".jpg": _JPEG,
    ".jpeg": _JPEG,
    ".gif": _GIF,
    ".webp": _WEBP,
    ".pdf": _PDF,
    ".eml": _EML,
    ".mp3": _MP3,
    ".wav": _WAV,
    ".m4a": _M4A,
    ".mp4": _M4A,
    ".ogg": _OGG,
    ".oga": _OGG,
    ".opus": _OGG,
}
_PILLOW_FORMATS = tuple(f.pillow for f in (_PNG, _JPEG, _GIF, _WEBP))
EXTENSION_FOR = {f.content_type: f.extension for f in _BY_EXTENSION.values()}

ACCEPTED = (
    "PNG, JPEG, GIF or WebP images, PDF documents, emails saved as .eml, or MP3, WAV, M4A, MP4 or OGG audio"
)

# Brands an ISO base media file (MP4 family) declares for audio and general MP4 files.
_MP4_BRANDS = {
    b"M4A ",
    b"M4B ",
    b"mp41",
    b"mp42",
    b"isom",
    b"iso2",
    b"iso5",
    b"iso6",
    b"dash",
    b"3gp4",
    b"3gp5",
}
_HEADER_NAME = re.compile(rb"^[!-9;-~]+:")


def display_name(declared_name: str) -> str:
    """The uploaded file's name, safe to show: no folders, no control characters, not too long.

    For display only: Engage never uses it to build a path or a download name.
    """
    name = re.split(r"[\\/]", declared_name or "")[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:200] or "unnamed file"


def inspect(data: bytes, declared_name: str) -> FileVerdict:
    """Accept a file only if its content is an allowed type and matches its extension."""
    if not data:
        raise FileRefused("The selected file is empty.")
    if len(data) > MAX_BYTES:
        raise FileRefused(f"The file must be smaller than {MAX_MEGABYTES} MB.")
    extension = _extension(declared_name)
    expected = _BY_EXTENSION.get(extension)
    if expected is None:
        shown = f"“{extension}” files" if extension else "Files without an extension"
        raise FileRefused(f"{shown} cannot be added. Add {ACCEPTED}.")
    actual = _sniff(data)
    if actual is None and expected is _EML:
        actual = _EML if _is_email(data) else None
    if actual is not expected:
        advice = (
            f"Rename it to end in {actual.extension} and try again."
            if actual is not None
            else "Only add files that are what their name says."
        )
        raise FileRefused(
            f"The file's name says it is {expected.name}, but its content is {_describe(actual, data)}. {advice}"
        )
    _check_complete(expected, data)
    return FileVerdict(expected.kind, expected.content_type, expected.extension)


def strip_metadata(data: bytes, kind: Kind | str) -> bytes:
    """An image re-encoded without EXIF, GPS, XMP or text, turned the way its EXIF said to show it.

    Other kinds are returned unchanged. A malformed image is refused: it is decoded in full here,
    so a truncated or corrupt file is found now rather than when someone opens it.
    """
    if kind != Kind.IMAGE:
        return data
    try:
        with warnings.catch_warnings(), _complete_images_only():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=_PILLOW_FORMATS) as source:
                fmt = source.format
                width, height = source.size
                frames = getattr(source, "n_frames", 1)
                if width * height * frames > MAX_PIXELS:
                    raise FileRefused(
                        f"The image is too large: {width} × {height} pixels. Make it smaller than "
                        f"{MAX_PIXELS // 1_000_000} megapixels and try again."
                    )
                if frames > 1:
                    return _reencode_animation(source, fmt)
                source.load()
                icc = source.info.get("icc_profile")
                clean = ImageOps.exif_transpose(source)
        # Drop everything the decoder attached (EXIF, XMP, PNG text, comments) so none is written.
        clean.info = _drawing_only(clean.info)
        out = io.BytesIO()
        options: dict[str, object] = {}
        if icc:
            options["icc_profile"] = icc  # colour, not personal: keeps screenshots true to the screen
        if fmt == "JPEG":
            options.update(quality=95, optimize=True)
        elif fmt == "WEBP":
            options.update(lossless=True)
        clean.save(out, fmt, **options)
        return out.getvalue()
    except FileRefused:
        raise
    except Exception as exc:
        # A malformed image can fail anywhere in a decoder (OSError, SyntaxError, struct.error,
        # ValueError, EOFError, DecompressionBombError...): each means the same to the uploader.
        raise FileRefused("The image could not be read: it may be damaged or incomplete.") from exc


@contextlib.contextmanager
def _complete_images_only() -> Iterator[None]:
    """Decode with Pillow's truncated-image tolerance off.

    WeasyPrint (letters) sets `ImageFile.LOAD_TRUNCATED_IMAGES = True` for the whole process when
    it is imported, which would let a cut-short upload through. Evidence must be whole, so the
    setting is forced off while an upload is decoded (web workers are synchronous: one request
    at a time per process).
    """
    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _reencode_animation(source: Image.Image, fmt: str | None) -> bytes:
    frames = []
    durations = []
    for index in range(source.n_frames):  # type: ignore[attr-defined]
        source.seek(index)
        frames.append(source.copy())
        durations.append(source.info.get("duration", 100))
    for frame in frames:
        frame.info = _drawing_only(frame.info)
    out = io.BytesIO()
    frames[0].save(
        out, fmt, save_all=True, append_images=frames[1:], duration=durations, loop=source.info.get("loop", 0)
    )
    return out.getvalue()


def _drawing_only(info: dict[Any, Any]) -> dict[Any, Any]:
    # Transparency is part of the picture; everything else the decoder attached is metadata.
    return {key: value for key, value in info.items() if key == "transparency"}


def _extension(declared_name: str) -> str:
    name = re.split(r"[\\/]", declared_name or "")[-1].strip().lower()
    stem, dot, extension = name.rpartition(".")
    return f".{extension}" if dot and stem else ""


def _sniff(data: bytes) -> _Format | None:
    """The allowed format the content's magic number says this is, if any (not email: it has none)."""
    head = data[:64]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return _PNG
    if head.startswith(b"\xff\xd8\xff"):
        return _JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return _GIF
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return _WEBP
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return _WAV
    if head.startswith(b"%PDF-"):
        return _PDF
    if head.startswith(b"OggS"):
        return _OGG
    if head[4:8] == b"ftyp" and head[8:12] in _MP4_BRANDS:
        return _M4A
    if _is_mp3(data):
        return _MP3
    return None


def _is_mp3(data: bytes) -> bool:
    offset = 0
    if data.startswith(b"ID3") and len(data) >= 10:
        # ID3v2 tag: its size is four 7-bit bytes; a footer adds ten more.
        size = (data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9]
        offset = 10 + size + (10 if data[5] & 0x10 else 0)
        while offset < len(data) and data[offset] == 0:
            offset += 1  # padding after the tag
    frame = data[offset : offset + 2]
    # An MPEG audio frame: 11 sync bits, then a version, and layer III.
    return len(frame) == 2 and frame[0] == 0xFF and (frame[1] & 0xE6) == 0xE2


def _is_email(data: bytes) -> bool:
    """An RFC 822 message: headers first, with From and Date, or Received (a relayed message)."""
    if b"\x00" in data:
        return False
    text = data.lstrip(b"\r\n")
    if text.startswith(b"From "):
        text = text.partition(b"\n")[2]  # the "From " line some mail programs put before the headers
    if not _HEADER_NAME.match(text[:200]):
        return False
    message = email.parser.BytesParser(policy=email.policy.compat32).parsebytes(text, headersonly=True)
    names = {key.lower() for key in message}
    return ("from" in names and "date" in names) or "received" in names


def _check_complete(fmt: _Format, data: bytes) -> None:
    """Cheap checks that a file is whole, where its format allows; images are decoded in full later."""
    if fmt is _PDF and b"%%EOF" not in data[-1024:]:
        raise FileRefused(
            "The PDF is incomplete or damaged: it has no end-of-file marker. Save it again and retry."
        )
    if fmt in (_WAV, _WEBP):
        (declared,) = struct.unpack("<I", data[4:8])
        if declared + 8 > len(data) + 1:  # the RIFF size counts all but its first 8 bytes; +1 for padding
            raise FileRefused(f"The file is incomplete: it is {fmt.name} cut short. Save it again and retry.")


def _describe(actual: _Format | None, data: bytes) -> str:
    if actual is not None:
        return actual.name
    if _is_email(data):
        return "an email"
    head = data[:512].lstrip().lower()
    if head.startswith(b"mz"):
        return "a Windows program"
    if head.startswith((b"\x7felf", b"#!")):
        return "a program or script"
    if head.startswith((b"<!doctype html", b"<html", b"<script", b"<svg", b"<?xml")) or b"<html" in head:
        return "a web page or other markup"
    try:
        guess = puremagic.magic_string(data[:4096])
    except (puremagic.PureError, ValueError):
        guess = []
    if guess and guess[0].confidence >= 0.5 and guess[0].name:
        return f"something else ({guess[0].name})"
    return "not a type Engage recognises"
