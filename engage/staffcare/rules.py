"""Staff care rules as pure functions: who must be told, what the desk may be told, clean links.

No database and no HTTP: these take a `Preset` and plain values, and are tested directly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from engage.policy.schema import Preset
from engage.policy.vocabulary import Capability, Channel

LINE_MANAGER = "line_manager"
STAFF_MEMBER = "staff_member"
MAX_LINKS = 20

# The paragraphs of each policy that staff care follows, keyed by the policy file's number
# (a preset's `source` starts with it). 003, 004 and the SPSO model say nothing on these; Engage
# still offers them to protect staff, and cites no clause.
# TODO(lead): move into the preset schema (a [staff_care] section) so a new version can change it.
_CLAUSES: dict[str, dict[str, str]] = {
    "000": {
        "debrief": "000: §68",
        "request": "000: §68, §70",
        "named_tell": "000: §78",
        "named_minimum": "000: §79",
        "named_in_private": "000: §80",
        "named_say": "000: §80, §84, §86",
    },
    "001": {
        "debrief": "001: §68",
        "request": "001: §68, §70",
        "named_tell": "001: §78",
        "named_minimum": "001: §79",
        "named_in_private": "001: §80",
        "named_say": "001: §80, §84, §86",
    },
    "002": {
        "debrief": "002: 10.4",
        "request": "002: 10.4, 10.6",
        "named_tell": "002: 12.6",
        "named_minimum": "002: 12.7",
        "named_in_private": "002: 12.8",
        "named_say": "002: 12.8, 12.10",
    },
}


def clause(preset: Preset, topic: str) -> str:
    """The organisation's paragraph for a staff care topic, or "" where its policy is silent."""
    return _CLAUSES.get(preset.source[:3], {}).get(topic, "")


@dataclass(frozen=True)
class Party:
    """Someone who must be told that a member of staff was named online."""

    key: str
    name: str
    clause: str


def parties_to_tell(preset: Preset, *, reported_by_someone_else: bool) -> list[Party]:
    """Who must be told, as the organisation's policy names them, and no one more (000/001 §79).

    The line manager always (000/001 §78a, 002 §12.6); each role carrying `hr_communications`
    (Head of People and Corporate Communications in 000/001 §78a; HR Business Partner and
    Communications Team Leader in 002 §12.6); whoever a `social_media` sharing rule names
    (003 9.24), where a role it already names is not listed twice; and, when a colleague
    found it, the member of staff themselves, in private, by their line manager (000/001 §80,
    002 §12.8).
    """
    parties = [Party(LINE_MANAGER, "Line manager", clause(preset, "named_tell"))]
    rules = [r for r in preset.sharing if r.when == Channel.SOCIAL_MEDIA]
    rule_words = " ".join(text for r in rules for text in r.tell).casefold()
    for role in preset.roles:
        if Capability.HR_COMMUNICATIONS in role.capabilities and role.name.casefold() not in rule_words:
            parties.append(Party(f"role:{role.key}", role.name, role.clause))
    for rule in rules:
        for text in rule.tell:
            parties.append(Party(f"sharing:{_slug(text)}", text, rule.clause))
    if reported_by_someone_else:
        parties.append(
            Party(STAFF_MEMBER, "The member of staff, in private", clause(preset, "named_in_private"))
        )
    return parties


def untold(parties: Iterable[Party], told_keys: Iterable[str]) -> list[Party]:
    done = set(told_keys)
    return [p for p in parties if p.key not in done]


# What a call handler or mailbox monitor may be told for each kind of agreed request: what to do,
# never why (000/001 §76: recorded minimally, seen only by those who need it).
_DESK: dict[str, str] = {
    "no_further_contact": "Do not put this caller through to {name}.",
    "remove_from_case": "Do not pass anything about this customer to {name}.",
    "senior_manager_name": "Do not give this customer {name}'s name or contact details.",
}


def desk_sentences(requests: Iterable[tuple[str, str]]) -> list[str]:
    """Plain sentences for the desk from (staff member's name, kind) pairs: what to do, never why.

    One sentence per pair, in a stable order, with duplicates dropped. Kinds Engage does not
    know are left out rather than guessed at.
    """
    order = list(_DESK)
    seen: set[tuple[str, str]] = set()
    out: list[tuple[int, str, str]] = []
    for name, kind in requests:
        if kind not in _DESK or (name, kind) in seen:
            continue
        seen.add((name, kind))
        out.append((order.index(kind), name, _DESK[kind].format(name=name)))
    return [sentence for _, _, sentence in sorted(out)]


_url = URLValidator(schemes=["http", "https"])


def clean_links(raw: str | Iterable[str]) -> list[str]:
    """Web addresses, one a line, checked; ValueError names the first that is not one.

    A missing scheme ("facebook.com/post/1") is taken as https.
    """
    lines = raw.splitlines() if isinstance(raw, str) else list(raw)
    links: list[str] = []
    for line in lines:
        link = line.strip()
        if not link:
            continue
        if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", link):
            link = f"https://{link}"
        try:
            _url(link)
        except ValidationError as exc:
            raise ValueError(
                f"“{line.strip()[:80]}” is not a web address, like https://www.example.com/page"
            ) from exc
        if link not in links:
            links.append(link)
    if len(links) > MAX_LINKS:
        raise ValueError(f"Give up to {MAX_LINKS} links")
    return links


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_")[:40]
