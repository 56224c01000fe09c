"""What a letter says, built from the case's facts: its sections in plain words, and what is missing.

Pure Python over plain values (no database, no templates, no HTTP), tested directly. `facts.py`
reads the case into a `Facts`; `build` turns it into a `Document` in one language; `required_for`
says which content the organisation's preset requires of this kind of letter; and `missing`
names, in plain words, whatever the built sections do not yet say. A letter with anything missing
cannot be issued (`services.letter_issue`).

Every section says which content items it covers (the preset's `LetterContent`, plus the few
items every letter of a kind needs, `Item`), and covers them only when it has the facts to say
them: a decision letter with no review date and no end date does not cover "review_date".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from engage.decisions.measures import (
    ALL_CHANNELS,
    AllowedChannels,
    AutomatedLine,
    BehaviourContract,
    CallTimes,
    MatterClosed,
    MeasureSpec,
    MonitoredMailbox,
    NoStaffDetails,
    PremisesBan,
    ReadAndFile,
    SinglePointOfContact,
    ThirdPartyOnly,
    TopicsLimited,
    VolumeLimit,
    WitnessRequired,
)
from engage.letters import wording
from engage.letters.wording import CHANNEL_WAYS, PER, WRITTEN, date_text, listing, name_in, with_article
from engage.policy.schema import Letters
from engage.policy.vocabulary import Channel, DecisionType, LetterContent

__all__ = [
    "LABELS",
    "AppealRoute",
    "Document",
    "Facts",
    "FreeText",
    "Item",
    "Kind",
    "Letterhead",
    "Recipient",
    "Section",
    "build",
    "measure_text",
    "missing",
    "plain_text",
    "required_for",
]


class Kind(StrEnum):
    """The letters Engage writes (DESIGN glossary "Letter"; the issue's list of kinds)."""

    WARNING = "warning"
    RESTORATIVE = "restorative"
    UNACCEPTABLE_CORRESPONDENCE = "unacceptable_correspondence"
    SHORT_RESTRICTION = "short_restriction"
    DECISION = "decision"
    REVIEW_OUTCOME = "review_outcome"
    APPEAL_ACKNOWLEDGEMENT = "appeal_acknowledgement"
    APPEAL_OUTCOME = "appeal_outcome"
    LIFTING = "lifting"


class Item(StrEnum):
    """Content every letter of a kind needs, beyond what presets list (`LetterContent`)."""

    OUTCOME = "outcome"
    APPEAL_RECEIVED = "appeal_received"
    APPEAL_HEARD_BY = "appeal_heard_by"
    # 000/001 §71.4, 002 11.1: "ensure the communication is accessible, inclusive and meets the
    # needs of the person"; 004 Introduction: "making reasonable adjustments if necessary".
    HELP = "help"


# What is missing, as the end of "It does not yet say …" (staff-facing).
LABELS: dict[str, str] = {
    LetterContent.REASONS: "why the decision was taken",
    LetterContent.ACTIONS: "what the decision means in practice",
    LetterContent.DURATION: "how long it will last",
    LetterContent.REVIEW_DATE: "when it will be reviewed",
    LetterContent.APPEAL_RIGHTS: "how to appeal",
    LetterContent.APPEAL_DEADLINE: "the date by which to appeal",
    LetterContent.SHARING: "who the decision is shared with",
    LetterContent.OMBUDSMAN: "how to contact the ombudsman",
    LetterContent.POLICY_COPY: "that a copy of the policy is enclosed",
    LetterContent.BEHAVIOUR_CONCERN: "what happened and why it concerns us",
    LetterContent.CHANGE_REQUESTED: "what we are asking the customer to change",
    LetterContent.CONSEQUENCES: "what may happen if nothing changes",
    Item.OUTCOME: "what has been decided",
    Item.APPEAL_RECEIVED: "when the appeal was received",
    Item.APPEAL_HEARD_BY: "who will look at the appeal",
    Item.HELP: "how to ask for help or another format (the organisation's phone number or email address)",
}

# Decisions that restrict contact and the letter each gets; warnings and restorative approaches
# get theirs, or the reply to unacceptable correspondence (000/001 §35, 003 9.19: a manager's
# decision that correspondence is unacceptable).
RESTRICTION_KIND: dict[str, Kind] = {
    DecisionType.SHORT_RESTRICTION: Kind.SHORT_RESTRICTION,
    DecisionType.ACTIVE_MANAGEMENT: Kind.DECISION,
    DecisionType.STOP_ALL_CONTACT: Kind.DECISION,
    DecisionType.RESTRICT_COMPLAINTS_PROCESS: Kind.DECISION,
}
# 000/001 §36 say the casework in abusive correspondence is still dealt with; 002 7.10 and 003
# 9.17 say not to respond to anything in it. (The preset schema has no key for this yet.)
CASEWORK_SEPARATELY: dict[str, str] = {"next_gen": "000: §36", "highland": "001: §36"}
ASKING_KINDS = (Kind.WARNING, Kind.RESTORATIVE, Kind.UNACCEPTABLE_CORRESPONDENCE)
RESTRICTING_KINDS = (Kind.DECISION, Kind.SHORT_RESTRICTION)


@dataclass(frozen=True)
class Letterhead:
    name: str
    address_lines: tuple[str, ...] = ()
    telephone: str = ""
    email: str = ""
    website: str = ""
    welsh_name: str = ""
    welsh_address_lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recipient:
    name: str
    address_lines: tuple[str, ...] = ()
    care_of: str = ""


@dataclass(frozen=True)
class FreeText:
    """What the drafter writes, in one language: the facts of the interaction in neutral words
    (000/001 §71.1, 71.3), anything specific to ask, and anything else."""

    what_happened: str = ""
    requested_change: str = ""
    additional: str = ""


@dataclass(frozen=True)
class AppealRoute:
    """Where an appeal goes (the engine's answer) and by when (`engine.appeal_deadline`)."""

    internal: bool
    heard_by: str = ""  # the role or group's name, as the preset gives it
    deadline: dt.date | None = None
    someone_else: bool = True


@dataclass(frozen=True)
class Facts:
    """Everything a letter says that comes from the case, as plain values."""

    kind: Kind
    letterhead: Letterhead
    recipient: Recipient
    reference: str
    letter_date: dt.date
    decision_type: str = ""
    decided_on: dt.date | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None  # the first day it no longer applies
    review_on: dt.date | None = None
    no_review: bool = False  # a reason for no review is recorded (001 §25, 003 7.9)
    measures: tuple[MeasureSpec, ...] = ()
    sharing: tuple[str, ...] = ()
    customer_told: str = ""  # CustomerTold, from the preset's reviews
    appeal: AppealRoute | None = None
    ombudsman_name: str = ""
    ombudsman_url: str = ""
    policy_title: str = ""
    enclose_policy: bool = False
    outcome: str = ""  # review: continue/vary/lift; appeal: upheld/varied/overturned
    outcome_on: dt.date | None = None
    next_review_on: dt.date | None = None
    appeal_received_on: dt.date | None = None
    appeal_in_time: bool = True
    casework_separately: bool = False
    welsh_welcome: bool = False
    signatory: str = ""
    signatory_title: str = ""
    free: Mapping[str, FreeText] = field(default_factory=dict)


Body = tuple[str | tuple[str, ...], ...]  # a paragraph, or a bulleted list


@dataclass(frozen=True)
class Section:
    key: str
    heading: str = ""
    body: Body = ()
    covers: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Document:
    """A letter in one language, ready for a template."""

    lang: str
    title: str
    salutation: str
    sections: tuple[Section, ...]
    closing: str


# ---------------------------------------------------------------------------------------------
# What is required, and what is missing
# ---------------------------------------------------------------------------------------------


def required_for(kind: Kind | str, letters: Letters, *, outcome: str = "") -> tuple[str, ...]:
    """The content a letter of this kind must contain under the organisation's preset.

    Decision letters: the preset's `required_contents` (003 11.2; 004 "Formal decision to manage
    contact"; 000/001 §71). Warnings and restorative letters: its `warning_contents` (003 10.1).
    The reply to unacceptable correspondence always says it is unacceptable, asks for it to stop
    and says what follows (003 9.15-9.16; 000/001 §35). The other kinds say what was decided and
    why (004 "Appealing a decision": "advise the customer in writing of the outcome"; 003 12.4).
    Every letter says how to ask for help or another format (Item.HELP).
    """
    kind = Kind(kind)
    items: list[str]
    if kind in RESTRICTING_KINDS:
        items = list(letters.required_contents)
    elif kind in (Kind.WARNING, Kind.RESTORATIVE):
        items = list(letters.warning_contents)
    elif kind == Kind.UNACCEPTABLE_CORRESPONDENCE:
        items = [
            *letters.warning_contents,
            LetterContent.BEHAVIOUR_CONCERN,
            LetterContent.CHANGE_REQUESTED,
            LetterContent.CONSEQUENCES,
        ]
    elif kind == Kind.REVIEW_OUTCOME:
        items = [Item.OUTCOME, LetterContent.REASONS]
        if outcome != "lift":
            items += [LetterContent.ACTIONS, LetterContent.REVIEW_DATE]
    elif kind == Kind.APPEAL_ACKNOWLEDGEMENT:
        items = [Item.APPEAL_RECEIVED, Item.APPEAL_HEARD_BY]
    elif kind == Kind.APPEAL_OUTCOME:
        items = [Item.OUTCOME, LetterContent.REASONS, LetterContent.OMBUDSMAN]
        if outcome == "varied":
            items.append(LetterContent.ACTIONS)
    else:
        items = [Item.OUTCOME, LetterContent.REASONS]
    items.append(Item.HELP)
    return tuple(dict.fromkeys(str(i) for i in items))


def missing(required: Iterable[str], sections: Iterable[Section]) -> list[str]:
    """What the letter does not yet say, in plain words, in the order the policy lists it."""
    covered: set[str] = set()
    for section in sections:
        if section.body:
            covered |= section.covers
    return [LABELS.get(str(item), str(item).replace("_", " ")) for item in required if item not in covered]


# ---------------------------------------------------------------------------------------------
# Building the letter
# ---------------------------------------------------------------------------------------------


def build(facts: Facts, lang: str) -> Document:
    """The letter in `lang` ("en" or "cy"), section by section."""
    w = _Writer(facts, lang)
    kind = facts.kind
    if kind in (Kind.WARNING, Kind.RESTORATIVE):
        sections = w.asking()
    elif kind == Kind.UNACCEPTABLE_CORRESPONDENCE:
        sections = w.unacceptable()
    elif kind in RESTRICTING_KINDS:
        sections = w.restricting()
    elif kind == Kind.REVIEW_OUTCOME:
        sections = w.review_outcome()
    elif kind == Kind.APPEAL_ACKNOWLEDGEMENT:
        sections = w.appeal_acknowledgement()
    elif kind == Kind.APPEAL_OUTCOME:
        sections = w.appeal_outcome()
    else:
        sections = w.lifting()
    sections += w.closing_sections()
    return Document(
        lang=lang,
        title=w.t(f"title_{kind.value}"),
        salutation=w.t("dear", name=facts.recipient.name),
        sections=tuple(s for s in sections if s.body),
        closing=w.t("yours"),
    )


def plain_text(document: Document) -> str:
    """The document's words, one paragraph or list item a line (for tests and readability)."""
    lines = [document.title, document.salutation]
    for section in document.sections:
        if section.heading:
            lines.append(section.heading)
        for part in section.body:
            lines.extend(part if isinstance(part, tuple) else [part])
    lines.append(document.closing)
    return "\n".join(lines)


def paragraphs(text: str) -> tuple[str, ...]:
    """Free text as paragraphs: blank lines separate them; single line breaks become spaces."""
    return tuple(" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip()) if p.strip())


class _Writer:
    def __init__(self, facts: Facts, lang: str) -> None:
        self.f = facts
        self.lang = lang
        self.free = facts.free.get(lang, FreeText())

    def t(self, key: str, **fields: object) -> str:
        return wording.text(self.lang, key, **fields)

    def date(self, d: dt.date) -> str:
        return date_text(self.lang, d)

    def last_day(self) -> dt.date | None:
        # `ends_on` is the first day a decision no longer applies; letters name the last day it does.
        return self.f.ends_on - dt.timedelta(days=1) if self.f.ends_on else None

    def heard_by(self, *, capital: bool = False) -> str:
        route = self.f.appeal
        name = with_article(self.lang, route.heard_by) if route and route.heard_by else ""
        return name[:1].upper() + name[1:] if capital else name

    # ---- Warnings, restorative letters, unacceptable correspondence

    def asking(self) -> list[Section]:
        kind = self.f.kind.value
        said = paragraphs(self.free.what_happened)
        sections = [
            Section("intro", body=(self.t(f"intro_{kind}"),)),
            Section(
                "happened",
                self.t("happened_heading"),
                (*said, self.t("concern")),
                # 003 10.1: "discuss their behaviour" and "explain why this behaviour is causing
                # us concern": the drafter says what happened; the concern is fixed wording.
                frozenset({LetterContent.BEHAVIOUR_CONCERN, LetterContent.REASONS}) if said else frozenset(),
            ),
            Section(
                "ask",
                self.t("ask_heading"),
                (self.t("ask"), *paragraphs(self.free.requested_change)),
                frozenset({LetterContent.CHANGE_REQUESTED}),
            ),
            Section(
                "next", self.t("next_heading"), (self.t("next"),), frozenset({LetterContent.CONSEQUENCES})
            ),
        ]
        if self.f.kind == Kind.RESTORATIVE:
            # 000/001 §71.2: "look for opportunities to restore the relationship".
            sections.append(Section("support", self.t("support_heading"), (self.t("support"),)))
        return sections

    def unacceptable(self) -> list[Section]:
        # 003 9.17: "should not respond directly to the correspondence or any information within
        # it"; 000/001 §36: "will deal with the casework related information within it".
        intro: list[str] = [self.t("unacceptable"), self.t("no_reply")]
        if self.f.casework_separately:
            intro.append(self.t("casework_separately"))
        return [
            Section("intro", body=tuple(intro), covers=frozenset({LetterContent.BEHAVIOUR_CONCERN})),
            Section(
                "ask",
                self.t("ask_heading"),
                (self.t("stop_language"), *paragraphs(self.free.requested_change)),
                frozenset({LetterContent.CHANGE_REQUESTED}),
            ),
            Section(
                "next",
                self.t("next_heading"),
                (self.t("if_continues"),),
                frozenset({LetterContent.CONSEQUENCES}),
            ),
        ]

    # ---- Decisions to restrict contact

    def restricting(self) -> list[Section]:
        f = self.f
        short = f.kind == Kind.SHORT_RESTRICTION
        said = paragraphs(self.free.what_happened)
        sections = [
            Section(
                "intro",
                body=(self.t("intro_short_restriction" if short else "intro_decision"), self.t("separate")),
            ),
            Section(
                "why",
                self.t("why_heading"),
                (*said, self.t("needs")) if said else (),
                # 000/001 §71.3: "a clear statement which focuses on the interaction and explains
                # what has been decided and why"; the presets that follow §71 require both.
                frozenset({LetterContent.REASONS, LetterContent.BEHAVIOUR_CONCERN}),
            ),
        ]
        sections.append(self.short_means() if short else self.means())
        # 000/001 §71: "communicating that the situation needs to change"; 003 13.2: a
        # restriction "will be reconsidered if the customer demonstrates a more acceptable approach".
        sections.append(
            Section(
                "ask",
                self.t("ask_heading"),
                (self.t("ask_decision"), *paragraphs(self.free.requested_change)),
                frozenset({LetterContent.CHANGE_REQUESTED}),
            )
        )
        if not short:
            sections.append(self.how_long())
        sections += [self.review(), self.sharing(), self.appeal(), self.ombudsman()]
        return sections

    def means(self) -> Section:
        f = self.f
        lines = [measure_text(m, self.lang) for m in f.measures]
        if f.decision_type in (DecisionType.STOP_ALL_CONTACT, DecisionType.RESTRICT_COMPLAINTS_PROCESS):
            lines.insert(0, self.t(str(f.decision_type)))
        if not lines:
            return Section("means", self.t("means_heading"))
        lead = (self.t("from", date=self.date(f.starts_on)),) if f.starts_on else ()
        return Section(
            "means", self.t("means_heading"), (*lead, tuple(lines)), frozenset({LetterContent.ACTIONS})
        )

    def short_means(self) -> Section:
        f = self.f
        allowed: set[str] = set(ALL_CHANNELS)
        for spec in f.measures:
            if isinstance(spec, AllowedChannels):
                allowed &= {c.value for c in spec.channels}
        closed = [c.value for c in Channel if c.value not in allowed]
        last = self.last_day()
        if not closed or f.starts_on is None or last is None:
            return Section("means", self.t("means_heading"))
        ways = CHANNEL_WAYS[self.lang]
        if last <= f.starts_on:
            lead = self.t("short_closed_day", date=self.date(f.starts_on))
        else:
            lead = self.t("short_closed_span", start=self.date(f.starts_on), end=self.date(last))
        body: list[str | tuple[str, ...]] = [lead, tuple(ways[c] for c in closed)]
        still = [c.value for c in Channel if c.value in allowed]
        if still:
            body += [self.t("short_open"), tuple(ways[c] for c in still)]
        body.append(self.t("short_after"))
        return Section(
            "means",
            self.t("means_heading"),
            tuple(body),
            frozenset({LetterContent.ACTIONS, LetterContent.DURATION}),
        )

    def how_long(self) -> Section:
        # 004: "how long any restriction will be in place"; 003 11.2: "the duration of that action".
        f, last = self.f, self.last_day()
        if f.starts_on is None:
            return Section("how_long", self.t("how_long_heading"))
        body = self.t("until", date=self.date(last)) if last else self.t("no_end")
        return Section("how_long", self.t("how_long_heading"), (body,), frozenset({LetterContent.DURATION}))

    def review(self) -> Section:
        # 004 "Reviewing decisions": "at the time specified in the decision letter"; 001 §25 and
        # 003 7.9: "the timing and circumstances where review would be considered".
        f, last = self.f, self.last_day()
        if f.review_on:
            body: tuple[str, ...] = (self.t("review_by", date=self.date(f.review_on)),)
            if f.customer_told:
                body += (self.t(f"told_{f.customer_told}"),)
        elif last:
            body = (self.t("ends_no_review", date=self.date(last)),)
        elif f.no_review:
            body = (self.t("no_review"),)
        else:
            body = ()
        return Section("review", self.t("review_heading"), body, frozenset({LetterContent.REVIEW_DATE}))

    def sharing(self) -> Section:
        # 003 11.2: "who this information will be shared with and possibly recorded on our
        # Customer Relationship Management System".
        parties = tuple(name_in(self.lang, p) for p in self.f.sharing)
        body: Body = (
            (self.t("sharing"), parties, self.t("sharing_record"))
            if parties
            else (self.t("sharing_none"), self.t("sharing_record"))
        )
        return Section("sharing", self.t("sharing_heading"), body, frozenset({LetterContent.SHARING}))

    def appeal(self) -> Section:
        # 004 "Appealing a decision": "within 20 working days of receiving it by writing to the
        # Chief Officer Governance"; 003 12.3: the route by the level that decided.
        route, head = self.f.appeal, self.t("appeal_heading")
        if route is None:
            return Section("appeal", head)
        if not route.internal:
            return Section("appeal", head, (self.t("no_internal_appeal"),))
        body = [self.t("appeal_right"), self.t("appeal_how", heard_by=self.heard_by())]
        if self.f.letterhead.email:
            body.append(self.t("appeal_email", email=self.f.letterhead.email))
        covers = {LetterContent.APPEAL_RIGHTS}
        if route.deadline:
            body.append(self.t("appeal_deadline", date=self.date(route.deadline)))
            covers.add(LetterContent.APPEAL_DEADLINE)
        if route.someone_else:
            body.append(self.t("appeal_independent"))
        return Section("appeal", head, tuple(body), frozenset(covers))

    def ombudsman(self, *, after: bool | None = None) -> Section:
        # 003 12.6: where no internal appeal is offered, "the customer will be advised that they
        # can raise the matter with the SPSO"; otherwise after the appeal.
        f, head = self.f, self.t("ombudsman_heading")
        if not f.ombudsman_name:
            return Section("ombudsman", head)
        # No route known at all is not "no internal appeal": the letter then does not say how to appeal.
        no_internal = f.appeal is not None and not f.appeal.internal
        after = not no_internal if after is None else after
        name = (
            with_article(self.lang, f.ombudsman_name)
            if self.lang == "en"
            else name_in("cy", f.ombudsman_name)
        )
        body = [self.t("ombudsman_after" if after else "ombudsman_direct", ombudsman=name)]
        if f.ombudsman_url:
            body.append(self.t("ombudsman_contact", url=f.ombudsman_url))
        covers: set[str] = {LetterContent.OMBUDSMAN}
        if no_internal:
            # With no internal appeal, the ombudsman is the way to challenge the decision, and
            # their usual time limit is the date that matters.
            covers |= {LetterContent.APPEAL_RIGHTS, LetterContent.APPEAL_DEADLINE, Item.APPEAL_HEARD_BY}
        return Section("ombudsman", head, tuple(body), frozenset(covers))

    # ---- Reviews, appeals and lifting

    def why(self) -> Section:
        said = paragraphs(self.free.what_happened)
        return Section("why", self.t("why_decided_heading"), said, frozenset({LetterContent.REASONS}))

    def current_measures(self) -> Section:
        lines = tuple(measure_text(m, self.lang) for m in self.f.measures)
        return Section(
            "now", self.t("now_heading"), (lines,) if lines else (), frozenset({LetterContent.ACTIONS})
        )

    def review_outcome(self) -> list[Section]:
        f = self.f
        intro = (self.t("intro_review", date=self.date(f.decided_on)),) if f.decided_on else ()
        outcome: tuple[str, ...] = ()
        if f.outcome == "continue":
            outcome = (self.t("review_continue"),)
        elif f.outcome == "vary":
            outcome = (self.t("review_vary"),)
        elif f.outcome == "lift" and f.outcome_on:
            outcome = (self.t("review_lift", date=self.date(f.outcome_on)),)
        sections = [
            Section("intro", body=intro),
            Section("decided", self.t("decided_heading"), outcome, frozenset({Item.OUTCOME})),
            self.why(),
        ]
        if f.outcome != "lift":
            sections.append(self.current_measures())
            nxt = (self.t("next_review", date=self.date(f.next_review_on)),) if f.next_review_on else ()
            sections.append(
                Section("next_review", self.t("review_heading"), nxt, frozenset({LetterContent.REVIEW_DATE}))
            )
        return sections

    def appeal_acknowledgement(self) -> list[Section]:
        f = self.f
        received = (
            (self.t("appeal_received", date=self.date(f.appeal_received_on)),) if f.appeal_received_on else ()
        )
        sections = [Section("received", body=received, covers=frozenset({Item.APPEAL_RECEIVED}))]
        route = f.appeal
        if route is not None and route.internal and route.heard_by:
            body = [self.t("appeal_heard_by", heard_by=self.heard_by(capital=True)), self.t("appeal_scope")]
            if f.decided_on:
                body.append(self.t("appeal_meanwhile", date=self.date(f.decided_on)))
            if not f.appeal_in_time and route.deadline:
                body.append(self.t("appeal_late", date=self.date(route.deadline)))
            body.append(self.t("appeal_outcome_to_follow"))
            sections.append(Section("heard_by", body=tuple(body), covers=frozenset({Item.APPEAL_HEARD_BY})))
        elif route is not None and not route.internal:
            sections += [
                Section("heard_by", body=(self.t("no_internal_appeal"),)),
                self.ombudsman(after=False),
            ]
        return sections

    def appeal_outcome(self) -> list[Section]:
        f = self.f
        intro: tuple[str, ...] = ()
        if f.decided_on and f.appeal and f.appeal.heard_by:
            intro = (
                self.t(
                    "appeal_considered", heard_by=self.heard_by(capital=True), date=self.date(f.decided_on)
                ),
            )
        body: Body = ()
        covers: set[str] = {Item.OUTCOME}
        when = self.date(f.outcome_on) if f.outcome_on else ""
        if f.outcome == "upheld":
            body = (self.t("appeal_upheld"),)
        elif f.outcome == "varied" and when:
            lines = tuple(measure_text(m, self.lang) for m in f.measures)
            body = (
                (self.t("appeal_varied", date=when), lines)
                if lines
                else (self.t("appeal_varied", date=when),)
            )
            if lines:
                covers.add(LetterContent.ACTIONS)
        elif f.outcome == "overturned" and when:
            body = (self.t("appeal_overturned", date=when),)
        return [
            Section("intro", body=intro),
            Section("decided", self.t("decided_heading"), body, frozenset(covers)),
            self.why(),
            self.ombudsman(after=True),
        ]

    def lifting(self) -> list[Section]:
        f = self.f
        body = (self.t("lifted", date=self.date(f.outcome_on)),) if f.outcome_on else ()
        return [Section("decided", body=body, covers=frozenset({Item.OUTCOME})), self.why()]

    # ---- Every letter

    def closing_sections(self) -> list[Section]:
        f, head = self.f, self.letterhead_help()
        sections = []
        if f.enclose_policy and f.policy_title:
            # 004 "Formal decision to manage contact": "A copy of this policy will be enclosed".
            sections.append(
                Section(
                    "enclosed",
                    self.t("enclosed_heading"),
                    (self.t("enclosed", policy=name_in(self.lang, f.policy_title)),),
                    frozenset({LetterContent.POLICY_COPY}),
                )
            )
        more = paragraphs(self.free.additional)
        if more:
            sections.append(Section("more", self.t("more_heading"), more))
        sections.append(head)
        return sections

    def letterhead_help(self) -> Section:
        f = self.f
        contacts = []
        if f.letterhead.telephone:
            contacts.append(self.t("phone", telephone=f.letterhead.telephone))
        if f.letterhead.email:
            contacts.append(self.t("email", email=f.letterhead.email))
        body: list[str | tuple[str, ...]] = [self.t("help")]
        if contacts:
            body += [self.t("help_contact"), tuple(contacts)]
        if f.welsh_welcome:
            body.append(self.t("welsh_welcome"))
        return Section(
            "help", self.t("help_heading"), tuple(body), frozenset({Item.HELP}) if contacts else frozenset()
        )


# ---------------------------------------------------------------------------------------------
# Each measure in plain words, to the customer (the marker, `decisions.markers`, is for staff)
# ---------------------------------------------------------------------------------------------


def measure_text(spec: MeasureSpec, lang: str) -> str:
    """One measure as the customer reads it: what they can do, and how, in one to three sentences."""

    def t(key: str, **fields: object) -> str:
        return wording.text(lang, key, **fields)

    ways = CHANNEL_WAYS[lang]
    parts: list[str]
    if isinstance(spec, AllowedChannels):
        allowed = [ways[c.value] for c in Channel if c in set(spec.channels)]
        parts = [t("m_channels", ways=listing(lang, allowed, "or"))] if allowed else [t("m_no_contact")]
    elif isinstance(spec, SinglePointOfContact):
        parts = [t("m_spoc", officer=spec.officer_name or "-")]
        if spec.deputy_name:
            parts.append(t("m_spoc_deputy", deputy=spec.deputy_name))
    elif isinstance(spec, CallTimes):
        parts = [] if len(spec.days) == 7 else [t("m_call_days", days=wording.days_text(lang, spec.days))]
        key = "m_call_times_overnight" if spec.crosses_midnight else "m_call_times"
        parts.append(t(key, start=f"{spec.start:%H:%M}", end=f"{spec.end:%H:%M}"))
        if spec.max_minutes:
            parts.append(t("m_call_length", minutes=spec.max_minutes))
    elif isinstance(spec, VolumeLimit):
        per = PER[lang][spec.per]
        parts = [
            t("m_volume_once", per=per)
            if spec.max_contacts == 1
            else t("m_volume", count=spec.max_contacts, per=per)
        ]
        if spec.channel is not None:
            parts.append(t("m_volume_channel", way=ways[spec.channel.value]))
    elif isinstance(spec, ThirdPartyOnly):
        parts = [t("m_third_party", third_party=spec.third_party)]
    elif isinstance(spec, AutomatedLine):
        parts = [t("m_automated", line=spec.line)]
    elif isinstance(spec, WitnessRequired):
        parts = [t("m_witness")]
        if spec.witness:
            parts.append(t("m_witness_who", witness=spec.witness))
    elif isinstance(spec, PremisesBan):
        parts = [t("m_premises_all") if spec.all_premises else t("m_premises", places=_semi(spec.premises))]
    elif isinstance(spec, TopicsLimited):
        parts = []
        if spec.topics:
            parts.append(t("m_topics", topics=_semi(spec.topics)))
        if spec.max_issues is not None:
            per = PER[lang].get(spec.per, "")
            one = spec.max_issues == 1
            parts.append(t("m_issues_one", per=per) if one else t("m_issues", count=spec.max_issues, per=per))
    elif isinstance(spec, MatterClosed):
        parts = [t("m_closed", matter=spec.matter)]
    elif isinstance(spec, ReadAndFile):
        what = listing(
            lang, [WRITTEN[lang][c.value] for c in spec.channels if c.value in WRITTEN[lang]], "and"
        )
        parts = [t("m_read_and_file"), t("m_read_and_file_what", what=what)]
    elif isinstance(spec, MonitoredMailbox):
        parts = [t("m_mailbox", mailbox=spec.mailbox)]
    elif isinstance(spec, NoStaffDetails):
        parts = [t("m_no_staff_details")]
    elif isinstance(spec, BehaviourContract):
        parts = [t("m_contract")]
        if spec.signed_on:
            parts.append(t("m_contract_signed", date=date_text(lang, spec.signed_on)))
    else:  # pragma: no cover - every MeasureType has a spec (measures.spec_class)
        raise TypeError(f"no wording for {type(spec).__name__}")
    return " ".join(parts)


def _semi(items: Sequence[str]) -> str:
    # Staff's own words, listed with semicolons: no "and" in either language, so no mutation.
    return "; ".join(items)
