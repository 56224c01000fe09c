"""How any channel's identifier for a customer is written down, so every formatting finds the same one.

Pure Python, no Django: the contact check and the search box both call `normalise(kind, raw)`, and
the stored `Identifier.value` is always its result, so a lookup is one equality on an index.
Every function raises ValueError with a plain sentence a member of staff can act on.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from enum import StrEnum

import phonenumbers


class Kind(StrEnum):
    """Kinds of identifier (the same values as `Identifier.Kind` in the models)."""

    PHONE = "phone"
    EMAIL = "email"
    SOCIAL = "social"
    POSTAL_ADDRESS = "postal_address"
    POSTCODE = "postcode"
    REFERENCE = "reference"


# What a single search box might hold beyond the identifier kinds: a name (with or without a
# postcode after it), which is searched differently.
NAME = "name"

DEFAULT_REGION = "GB"

# Social media platforms staff meet most; anything else is "other", with the handle kept.
PLATFORMS: dict[str, str] = {
    "x": "X (Twitter)",
    "facebook": "Facebook",
    "instagram": "Instagram",
    "tiktok": "TikTok",
    "youtube": "YouTube",
    "linkedin": "LinkedIn",
    "bluesky": "Bluesky",
    "threads": "Threads",
    "nextdoor": "Nextdoor",
    "other": "Another platform",
}
_PLATFORM_ALIASES = {"twitter": "x", "x (twitter)": "x", "fb": "facebook", "ig": "instagram"}

# UK postcodes (BS 7666 shapes) plus the Girobank oddity. Validated on the compact form.
_POSTCODE = re.compile(r"^(?:GIR0AA|[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][ABD-HJLNP-UW-Z]{2})$")
# A postcode at the end of a longer text (an address, or "name and postcode" in the search box).
_TRAILING_POSTCODE = re.compile(
    r"(?:^|[\s,])((?:GIR\s*0AA)|(?:[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][ABD-HJLNP-UW-Z]{2}))\s*$",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_PHONE_LIKE = re.compile(r"^(?:tel:)?\+?[\d\s().\-/]+(?:\s*(?:ext\.?|x|#)\s*\d+)?$", re.IGNORECASE)
_HANDLE = re.compile(r"^[^\s@]+$")
_REFERENCE_LIKE = re.compile(r"^(?=.*\d)[^\s]+$")

PHONE_MESSAGE = "Enter a phone number in the correct format, like 01352 702345 or +44 1352 702345"
EMAIL_MESSAGE = "Enter an email address in the correct format, like name@example.org"
SOCIAL_MESSAGE = "Enter a social media handle without spaces, like @dewi_jones"
PLATFORM_MESSAGE = "Select the social media platform"
POSTCODE_MESSAGE = "Enter a real UK postcode, like CH7 6NF"
ADDRESS_MESSAGE = "Enter the address, with the postcode at the end, like 1 Stryd Fawr, Yr Wyddgrug, CH7 1AB"
REFERENCE_MESSAGE = "Enter the reference, like a case number"


def normalise(kind: Kind | str, raw: str) -> str:
    """The stored, comparable form of an identifier. Idempotent: normalise(k, normalise(k, x))."""
    kind = Kind(kind)
    return _NORMALISERS[kind](raw)


def normalise_phone(raw: str, region: str = DEFAULT_REGION) -> str:
    """E.164, e.g. "+441352702345", from any UK or international formatting.

    The `phonenumbers` library (Google's libphonenumber metadata, kept up to date) decides what a
    real number is, so a new number range needs a library upgrade, not a code change. An
    extension ("ext 12") is dropped: the contact check matches the line, not the desk.
    """
    text = raw.strip()
    if not text:
        raise ValueError(PHONE_MESSAGE)
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(PHONE_MESSAGE) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValueError(PHONE_MESSAGE)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(raw: str) -> str:
    """Trimmed and lower-cased, the local part (before the @) included.

    RFC 5321 lets a mail server treat "Ann@" and "ann@" as different mailboxes, but no large
    provider does, and people type their own address in either case. Missing a match would let a
    restricted customer's email past the contact check; two different people whose addresses
    differ only in case is vanishingly rare. Provider tricks (Gmail dots, "+tags") are NOT folded:
    they mean different mailboxes on other providers.
    """
    text = unicodedata.normalize("NFC", raw.strip())
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:") :]
    if not _EMAIL.match(text):
        raise ValueError(EMAIL_MESSAGE)
    local, _, domain = text.rpartition("@")
    return f"{local.lower()}@{domain.lower()}"


def normalise_social(raw: str) -> str:
    """The handle, without a leading @, case-folded (platforms treat handles case-insensitively)."""
    text = unicodedata.normalize("NFC", raw.strip().lstrip("@").strip())
    text = unicodedata.normalize("NFC", text.casefold())
    if not text or not _HANDLE.match(text):
        raise ValueError(SOCIAL_MESSAGE)
    return text


def normalise_platform(raw: str) -> str:
    """One of PLATFORMS' keys, from a key, a name or a common alias ("Twitter" -> "x")."""
    text = raw.strip().casefold()
    text = _PLATFORM_ALIASES.get(text, text)
    if text in PLATFORMS:
        return text
    for key, label in PLATFORMS.items():
        if label.casefold() == text:
            return key
    raise ValueError(PLATFORM_MESSAGE)


def normalise_postcode(raw: str) -> str:
    """Upper case with one space before the inward code: "ch76nf" -> "CH7 6NF"."""
    compact = re.sub(r"\s+", "", raw).upper()
    if not _POSTCODE.match(compact):
        raise ValueError(POSTCODE_MESSAGE)
    return f"{compact[:-3]} {compact[-3:]}"


def normalise_address(raw: str) -> str:
    """Lines case-folded, joined by ", ", with a normalised postcode last (which it must end with).

    Only for matching: the address as typed is kept for display. Punctuation other than line
    breaks and commas is kept, because "Flat 2/3" and "Flat 23" are different places.
    """
    postcode = address_postcode(raw)
    match = _TRAILING_POSTCODE.search(unicodedata.normalize("NFC", raw.strip()))
    assert match is not None  # address_postcode() found it
    lines_text = match.string[: match.start(1)]
    parts = [" ".join(part.split()) for part in re.split(r"[\n\r,]+", lines_text)]
    lines = [unicodedata.normalize("NFC", part.casefold()) for part in parts if part]
    if not lines:
        raise ValueError(ADDRESS_MESSAGE)
    return ", ".join([*lines, postcode])


def address_postcode(raw: str) -> str:
    """The postcode an address ends with, normalised."""
    match = _TRAILING_POSTCODE.search(unicodedata.normalize("NFC", raw.strip()))
    if match is None:
        raise ValueError(ADDRESS_MESSAGE)
    try:
        return normalise_postcode(match.group(1))
    except ValueError as exc:
        raise ValueError(ADDRESS_MESSAGE) from exc


def normalise_reference(raw: str) -> str:
    """Trimmed, upper case, inner spaces collapsed: " cas 1234 " -> "CAS 1234"."""
    text = " ".join(unicodedata.normalize("NFC", raw).split())
    text = unicodedata.normalize("NFC", text.upper())
    if not text:
        raise ValueError(REFERENCE_MESSAGE)
    return text


def normalise_name(raw: str) -> str:
    """A name for comparison only: case-folded and composed (NFC), accents and punctuation kept.

    "Siôn" and "SIÔN" compare equal; "Siôn" and "Sion" do not, but score close under fuzzy
    matching. Names as typed are always what is stored and shown.
    """
    return unicodedata.normalize("NFC", " ".join(raw.split()).casefold())


def guess_kind(raw: str) -> str:
    """What a single search box's text most likely is: one of `Kind`'s values, or NAME.

    "@name" is a social handle; text with an @ and a dot after it an email address; something
    that is all digits and phone punctuation a phone number; a UK postcode a postcode; one word
    with a digit in it (like "C-000123" or "CAS/1234") a reference; anything else a name.
    """
    text = raw.strip()
    if text.startswith("@"):
        return Kind.SOCIAL
    if "@" in text:
        return Kind.EMAIL if "." in text.rpartition("@")[2] else Kind.SOCIAL
    if _PHONE_LIKE.match(text) and sum(map(str.isdigit, text)) >= 6:
        return Kind.PHONE
    if _POSTCODE.match(re.sub(r"\s+", "", text).upper()):
        return Kind.POSTCODE
    if _REFERENCE_LIKE.match(text):
        return Kind.REFERENCE
    return NAME


def split_name_and_postcode(raw: str) -> tuple[str, str] | None:
    """("Siôn Jones", "CH7 6NF") from "Siôn Jones, ch7 6nf"; None without both a name and a postcode."""
    match = _TRAILING_POSTCODE.search(raw.strip())
    if match is None:
        return None
    name = match.string[: match.start(1)].strip(" \t,")
    if not name:
        return None
    try:
        return name, normalise_postcode(match.group(1))
    except ValueError:
        return None


_NORMALISERS: dict[Kind, Callable[[str], str]] = {
    Kind.PHONE: normalise_phone,
    Kind.EMAIL: normalise_email,
    Kind.SOCIAL: normalise_social,
    Kind.POSTAL_ADDRESS: normalise_address,
    Kind.POSTCODE: normalise_postcode,
    Kind.REFERENCE: normalise_reference,
}
