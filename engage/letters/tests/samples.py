"""Complete facts for every kind of letter under every shipped preset, as plain values (no database).

`complete(kind, preset_key)` gives facts from which a letter says everything its preset requires;
tests take things away from them to see what `missing` says. The people are Flintshire's and the
Scottish Borders' from the personas and stories.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from engage.decisions.measures import MeasureSpec, parse
from engage.letters.content import (
    ASKING_KINDS,
    CASEWORK_SEPARATELY,
    RESTRICTING_KINDS,
    AppealRoute,
    Facts,
    FreeText,
    Kind,
    Letterhead,
    Recipient,
)
from engage.policy import engine, presets
from engage.policy.schema import Preset
from engage.policy.working_days import WorkingCalendar

PRESETS = tuple(presets.available())
KINDS = tuple(Kind)
DECIDED = dt.date(2026, 3, 2)  # a Monday
POSTED = dt.date(2026, 3, 3)

WHAT_HAPPENED = {
    "en": "On 2 March you phoned us three times. On each call, the conversation became heated and the call was ended.",
    "cy": "Ar 2 Mawrth, gwnaethoch ein ffonio dair gwaith. Ar bob galwad, aeth y sgwrs yn danllyd a daeth yr alwad i ben.",
}
ASK = {
    "en": "Please write to us by email if you need an update.",
    "cy": "Anfonwch e-bost atom os oes angen diweddariad arnoch.",
}
MORE = {
    "en": "Your housing repair request is still open. We will write to you about it separately.",
    "cy": "Mae eich cais am waith trwsio tai yn dal ar agor. Byddwn yn ysgrifennu atoch amdano ar wahân.",
}

# Every kind of measure, as a decision would store it.
MEASURES: tuple[MeasureSpec, ...] = (
    parse("allowed_channels", {"channels": ["email", "letter", "phone"]}),
    parse(
        "single_point_of_contact",
        {"officer": 1, "officer_name": "Siân Ellis-Jones", "deputy": 2, "deputy_name": "Dafydd Roberts"},
    ),
    parse("call_times", {"days": ["tue"], "start": "10:00", "end": "12:00", "max_minutes": 20}),
    parse("read_and_file", {"channels": ["email", "letter"]}),
    parse("behaviour_contract", {"signed_on": None}),
)
ALL_MEASURES: tuple[MeasureSpec, ...] = (
    *MEASURES,
    parse("volume_limit", {"max_contacts": 3, "per": "week", "channel": "email"}),
    parse("third_party_only", {"third_party": "Citizens Advice Flintshire"}),
    parse("automated_line", {"line": "01352 700000"}),
    parse("witness_required", {"witness": "a duty manager"}),
    parse("premises_ban", {"premises": ["County Hall, Mold"], "all_premises": False}),
    parse("topics_limited", {"topics": ["the repair to 4 Bryn Road"], "max_issues": 2, "per": "month"}),
    parse("matter_closed", {"matter": "the 2024 parking complaint"}),
    parse("monitored_mailbox", {"mailbox": "contact@example.gov.uk"}),
    parse("no_staff_details", {}),
)


def letterhead(preset: Preset) -> Letterhead:
    return Letterhead(
        name=preset.organisation,
        address_lines=("County Hall", "Mold", "CH7 6NB"),
        telephone="01352 752121",
        email="customerservices@example.gov.uk",
        website="https://www.example.gov.uk",
        welsh_name="Cyngor Sir y Fflint" if "cy" in preset.letters.languages else "",
        welsh_address_lines=("Neuadd y Sir", "Yr Wyddgrug", "CH7 6NB")
        if "cy" in preset.letters.languages
        else (),
    )


def appeal_route(preset: Preset) -> AppealRoute:
    route = preset.appeals.routes[-1]
    calendar = WorkingCalendar(preset.nation)
    deadline = engine.appeal_deadline(preset, calendar, decided_on=DECIDED, posted_on=POSTED)
    return AppealRoute(
        internal=True,
        heard_by=preset.decider_name(route.heard_by[0]),
        deadline=deadline,
        someone_else=preset.appeals.decided_by_someone_else,
    )


def complete(kind: Kind | str, preset_key: str, **changes: object) -> Facts:
    kind = Kind(kind)
    preset = presets.get(preset_key)
    langs = preset.letters.languages
    outcome = {
        Kind.REVIEW_OUTCOME: "vary",
        Kind.APPEAL_OUTCOME: "varied",
        Kind.LIFTING: "lift",
    }.get(kind, "")
    decision_type = {
        Kind.WARNING: "warning",
        Kind.RESTORATIVE: "restorative_approach",
        Kind.UNACCEPTABLE_CORRESPONDENCE: "warning",
        Kind.SHORT_RESTRICTION: "short_restriction",
        Kind.LIFTING: "lift",
    }.get(kind, "active_management")
    short = kind == Kind.SHORT_RESTRICTION
    facts = Facts(
        kind=kind,
        letterhead=letterhead(preset),
        recipient=Recipient("Bryn Jenkins", ("12 Ffordd y Llan", "Mold", "CH7 1AA")),
        reference="CASE-000001/L1",
        letter_date=POSTED,
        decision_type=decision_type,
        decided_on=DECIDED,
        starts_on=DECIDED,
        ends_on=DECIDED + dt.timedelta(days=1) if short else DECIDED + dt.timedelta(days=180),
        review_on=None if short else DECIDED + dt.timedelta(days=150),
        measures=(parse("allowed_channels", {"channels": ["email", "letter", "in_person"]}),)
        if short
        else MEASURES,
        sharing=tuple(p for rule in preset.sharing[:2] for p in rule.tell),
        customer_told=preset.reviews.customer_told.value,
        appeal=appeal_route(preset),
        ombudsman_name=preset.ombudsman.name,
        ombudsman_url=preset.ombudsman.url,
        policy_title=preset.title,
        # As letter_draft does: the policy goes with decisions and requests to change, not replies.
        enclose_policy=preset.letters.enclose_policy and kind in (*RESTRICTING_KINDS, *ASKING_KINDS),
        outcome=outcome,
        outcome_on=DECIDED + dt.timedelta(days=60),
        next_review_on=DECIDED + dt.timedelta(days=200),
        appeal_received_on=DECIDED + dt.timedelta(days=10),
        casework_separately=preset.key in CASEWORK_SEPARATELY,
        welsh_welcome="cy" in langs,
        signatory="Siân Ellis-Jones",
        signatory_title="Customer Contact Service Manager",
        free={lang: FreeText(WHAT_HAPPENED[lang], ASK[lang], MORE[lang]) for lang in ("en", "cy")},
    )
    return replace(facts, **changes)  # type: ignore[arg-type]
