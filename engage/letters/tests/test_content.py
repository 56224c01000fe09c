"""What letters say, from the case's facts, and what `missing` names when they cannot say it.

Pure: no database. Every kind of letter under every shipped preset says everything its preset
requires (003 11.2; 004 "Formal decision to manage contact"; 000/001 §71; 003 10.1), and each
item goes missing when the fact it rests on is taken away.
"""

from __future__ import annotations

import datetime as dt
import re
import string
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engage.letters import wording
from engage.letters.content import (
    LABELS,
    AppealRoute,
    FreeText,
    Item,
    Kind,
    build,
    measure_text,
    missing,
    plain_text,
    required_for,
)
from engage.letters.tests.samples import ALL_MEASURES, KINDS, PRESETS, complete
from engage.policy import presets
from engage.policy.vocabulary import LetterContent

C = LetterContent


def _missing(facts, preset_key: str, lang: str = "en") -> list[str]:
    required = required_for(facts.kind, presets.get(preset_key).letters, outcome=facts.outcome)
    return missing(required, build(facts, lang).sections)


@pytest.mark.parametrize("preset_key", PRESETS)
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_letter_says_everything_its_preset_requires(kind, preset_key):
    facts = complete(kind, preset_key)
    for lang in presets.get(preset_key).letters.languages:
        assert _missing(facts, preset_key, lang) == [], (kind, preset_key, lang)


def test_flintshire_decision_letter_requires_the_five_things_004_names_and_the_policy_copy():
    """004 "Formal decision to manage contact": "the reasons why this decision has been taken, how
    long any restriction will be in place, when it will be reviewed and the right to appeal the
    decision. A copy of this policy will be enclosed"; 004 "Appealing a decision": the deadline."""
    required = required_for(Kind.DECISION, presets.get("flintshire").letters)
    assert set(required) == {
        C.ACTIONS,
        C.REASONS,
        C.DURATION,
        C.REVIEW_DATE,
        C.APPEAL_RIGHTS,
        C.APPEAL_DEADLINE,
        C.POLICY_COPY,
        Item.HELP,
    }


def test_scottish_borders_decision_letter_says_who_is_told():
    """003 11.2: "if appropriate, who this information will be shared with"."""
    assert C.SHARING in required_for(Kind.DECISION, presets.get("scottish_borders").letters)
    text = plain_text(build(complete(Kind.DECISION, "scottish_borders", sharing=()), "en"))
    assert "We will tell only the staff who need to know" in text


def test_a_letter_without_what_happened_cannot_say_why():
    facts = complete(Kind.DECISION, "flintshire", free={})
    assert _missing(facts, "flintshire") == ["why the decision was taken"]


def test_a_warning_without_what_happened_does_not_discuss_the_behaviour():
    """003 10.1: "discuss their behaviour" and "explain why this behaviour is causing us concern"."""
    facts = complete(Kind.WARNING, "scottish_borders", free={})
    assert _missing(facts, "scottish_borders") == ["what happened and why it concerns us"]


def test_unticking_the_policy_copy_leaves_flintshire_letter_incomplete():
    facts = complete(Kind.DECISION, "flintshire", enclose_policy=False)
    assert _missing(facts, "flintshire") == ["that a copy of the policy is enclosed"]


def test_a_restriction_with_no_review_and_no_end_does_not_say_when_it_will_be_reviewed():
    """004 "Reviewing decisions": "at the time specified in the decision letter"."""
    facts = complete(Kind.DECISION, "flintshire", review_on=None, ends_on=None)
    assert _missing(facts, "flintshire") == ["when it will be reviewed"]
    # A recorded reason for no review (001 §25, 003 7.9) is explained instead.
    explained = complete(Kind.DECISION, "flintshire", review_on=None, ends_on=None, no_review=True)
    assert _missing(explained, "flintshire") == []
    assert "We will look at it again if things change." in plain_text(build(explained, "en"))


def test_an_organisation_with_no_phone_or_email_cannot_say_how_to_ask_for_help():
    """000/001 §71.4: "Ensure the communication is accessible, inclusive and meets the needs of the person"."""
    facts = complete(Kind.WARNING, "highland")
    bare = facts.letterhead.__class__(name=facts.letterhead.name)
    assert _missing(complete(Kind.WARNING, "highland", letterhead=bare), "highland") == [LABELS[Item.HELP]]


def test_no_internal_appeal_signposts_the_ombudsman_instead():
    """003 12.6: "the customer will be advised that they can raise the matter with the SPSO"."""
    facts = complete(Kind.DECISION, "spso_model", appeal=AppealRoute(internal=False))
    assert _missing(facts, "spso_model") == []
    text = plain_text(build(facts, "en"))
    assert "We cannot look at an appeal ourselves in this case." in text
    assert "You can ask the Scottish Public Services Ombudsman to look at this decision." in text
    assert "https://www.spso.org.uk" in text


def test_the_appeal_paragraph_names_who_hears_it_and_the_working_day_deadline():
    """004 "Appealing a decision": "within 20 working days of receiving it by writing to the Chief
    Officer Governance". Decided Monday 2 March 2026, posted Tuesday 3 March: treated as received
    on Thursday 5 March (two working days), so the 20th working day after is Thursday 2 April."""
    text = plain_text(build(complete(Kind.DECISION, "flintshire"), "en"))
    assert (
        "To appeal, write to the Chief Officer Governance at the address at the top of this letter." in text
    )
    assert "Your appeal must reach us by 2 April 2026." in text
    welsh = plain_text(build(complete(Kind.DECISION, "flintshire"), "cy"))
    assert "I apelio, ysgrifennwch at y Prif Swyddog Llywodraethu" in welsh
    assert "Rhaid i'ch apêl ein cyrraedd erbyn 2 Ebrill 2026." in welsh


def test_the_one_day_restriction_names_the_day_and_what_stays_open():
    """004 "Terminating a telephone call": "the CCSM may restrict telephone contact for one day"."""
    text = plain_text(build(complete(Kind.SHORT_RESTRICTION, "flintshire"), "en"))
    assert "You cannot contact us in these ways on 2 March 2026:\nby phone" in text
    assert "You can still contact us in these ways:\nby email\nby letter\nin person" in text
    assert "It ends at the end of 2 March 2026, so we will not need to review it." in text


def test_the_reply_to_unacceptable_correspondence_does_not_engage_with_what_was_written():
    """003 9.15-9.17: say it is unacceptable and will not be tolerated, that the language is
    "offensive, unnecessary and unhelpful", ask for it to stop, say we will not reply if it goes on,
    and "not respond directly to the correspondence or any information within it"."""
    borders = plain_text(build(complete(Kind.UNACCEPTABLE_CORRESPONDENCE, "scottish_borders", free={}), "en"))
    assert "offensive, unnecessary and unhelpful" in borders
    assert "we will not tolerate it" in borders
    assert "Please stop using language like this" in borders
    assert "If it continues, we will not reply to your correspondence." in borders
    assert "This letter does not reply to what you wrote." in borders
    assert "deal separately" not in borders
    # 000/001 §36: "will deal with the casework related information within it".
    highland = plain_text(build(complete(Kind.UNACCEPTABLE_CORRESPONDENCE, "highland", free={}), "en"))
    assert "We will deal separately with any request about our services in it." in highland


def test_a_warning_discusses_explains_asks_and_says_what_may_follow():
    """003 10.1: discuss the behaviour, explain why it concerns us, ask for change, say what may follow."""
    document = build(complete(Kind.WARNING, "scottish_borders"), "en")
    keys = [s.key for s in document.sections]
    assert keys[:4] == ["intro", "happened", "ask", "next"]
    assert "we may need to limit how you contact us" in plain_text(document)


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        ("continue", "We have decided to keep it in place for now."),
        ("vary", "We have decided to change it."),
        ("lift", "We have decided to end it. From 1 May 2026, you can contact us in the usual way."),
    ],
)
def test_review_outcomes_say_what_was_decided(outcome, expected):
    facts = complete(Kind.REVIEW_OUTCOME, "flintshire", outcome=outcome)
    assert expected in plain_text(build(facts, "en"))
    assert _missing(facts, "flintshire") == []


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        ("upheld", "The decision stands. The arrangements in our decision still apply."),
        ("varied", "The arrangements have been changed. From 1 May 2026, they are:"),
        ("overturned", "The limits on how you contact us have been removed."),
    ],
)
def test_appeal_outcomes_say_the_arrangements_still_apply_or_what_changed(outcome, expected):
    """003 12.4: "either the restricted contact arrangements still apply or a different course of
    action has been agreed"; 004: "advise the customer in writing of the outcome"."""
    facts = complete(Kind.APPEAL_OUTCOME, "scottish_borders", outcome=outcome)
    text = plain_text(build(facts, "en"))
    assert expected in text
    assert (
        "If you are still unhappy after your appeal, you can ask the Scottish Public Services Ombudsman"
        in text
    )
    assert _missing(facts, "scottish_borders") == []


def test_a_late_appeal_is_acknowledged_with_its_deadline():
    facts = complete(Kind.APPEAL_ACKNOWLEDGEMENT, "flintshire", appeal_in_time=False)
    text = plain_text(build(facts, "en"))
    assert "Your appeal reached us after the time limit, which was 2 April 2026." in text
    assert "The Chief Officer Governance will look at it." in text


def test_the_bilingual_letter_misses_the_welsh_why_when_only_the_english_is_written():
    facts = complete(Kind.DECISION, "flintshire", free={"en": FreeText("The calls became heated.")})
    assert _missing(facts, "flintshire", "en") == []
    assert _missing(facts, "flintshire", "cy") == ["why the decision was taken"]


def test_staff_names_are_withheld_from_the_signature_when_a_measure_says_so():
    """Handled when the facts are read (facts.py); the content shows whatever signatory it is given."""
    document = build(complete(Kind.DECISION, "highland", signatory=""), "en")
    assert document.closing == "Yours sincerely"


# ---------------------------------------------------------------------------------------------
# missing(): a property over every combination of facts taken away
# ---------------------------------------------------------------------------------------------

_TAKE_AWAY = {
    "what_happened": ({"free": {}}, {C.REASONS, C.BEHAVIOUR_CONCERN}),
    "measures": ({"measures": ()}, {C.ACTIONS}),
    "review": ({"review_on": None, "ends_on": None, "no_review": False}, {C.REVIEW_DATE}),
    "start": ({"starts_on": None}, {C.DURATION}),
    "policy_copy": ({"enclose_policy": False}, {C.POLICY_COPY}),
    "appeal_deadline": ({"appeal": "no deadline"}, {C.APPEAL_DEADLINE}),
    "appeal_route": ({"appeal": None}, {C.APPEAL_RIGHTS, C.APPEAL_DEADLINE}),
    "contacts": ({"letterhead": "bare"}, {Item.HELP}),
}


@given(
    preset_key=st.sampled_from(PRESETS),
    taken=st.sets(st.sampled_from(sorted(_TAKE_AWAY))),
)
def test_missing_names_exactly_what_was_taken_away_in_the_policys_order(preset_key, taken):
    base = complete(Kind.DECISION, preset_key)
    changes: dict[str, object] = {}
    gone: set[str] = set()
    for name in sorted(taken):
        change, items = _TAKE_AWAY[name]
        for key, value in change.items():
            if value == "no deadline":
                value = None if "appeal_route" in taken else AppealRoute(True, base.appeal.heard_by, None)
            elif value == "bare":
                value = base.letterhead.__class__(name=base.letterhead.name)
            changes[key] = value
        gone |= items
    facts = complete(Kind.DECISION, preset_key, **changes)
    required = required_for(Kind.DECISION, presets.get(preset_key).letters)
    assert _missing(facts, preset_key) == [LABELS[r] for r in required if r in gone]


# ---------------------------------------------------------------------------------------------
# Measures and wording
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "cy"])
@pytest.mark.parametrize("spec", ALL_MEASURES, ids=lambda s: s.type.value)
def test_every_measure_has_plain_words_in_both_languages(spec, lang):
    said = measure_text(spec, lang)
    assert said.endswith(".")
    assert "{" not in said
    assert "}" not in said
    assert said[0].isupper()


def test_measures_are_said_to_the_customer_not_to_staff():
    """The marker (decisions.markers) tells staff what to do; a letter tells the customer what they can do."""
    said = " ".join(measure_text(m, "en") for m in ALL_MEASURES)
    assert "You can contact us only in these ways: by phone, by email or by letter." in said
    assert (
        "You can phone us only on these days: Tuesdays. You can phone us between these times: 10:00 to 12:00."
        in said
    )
    assert "do not give" not in said.lower()


def test_both_languages_have_the_same_wording_keys_and_fields():
    fields = {
        lang: {k: sorted(f for _t, f, _s, _c in string.Formatter().parse(v) if f) for k, v in words.items()}
        for lang, words in wording.WORDING.items()
    }
    assert fields["en"] == fields["cy"]


def test_welsh_wording_uses_composed_welsh_letters():
    """ŵ and ŷ are single characters (NFC), never a w or y with a combining circumflex."""
    for key, value in wording.WORDING["cy"].items():
        assert unicodedata.normalize("NFC", value) == value, key
        assert "\u0302" not in value, key
    welsh = " ".join(wording.WORDING["cy"].values())
    for letter in "ŵŷâêô":
        assert letter in welsh


def test_dates_and_days_in_welsh():
    assert wording.date_text("cy", dt.date(2026, 4, 2)) == "2 Ebrill 2026"
    assert wording.date_text("cy", dt.date(2026, 7, 30)) == "30 Gorffennaf 2026"
    assert wording.date_text("en", dt.date(2026, 4, 2)) == "2 April 2026"
    assert wording.days_text("cy", ["mon", "tue"]) == "dydd Llun a dydd Mawrth"
    assert wording.days_text("en", ["mon", "tue", "thu"]) == "Mondays, Tuesdays and Thursdays"


def test_welsh_and_is_ac_before_a_vowel_and_roles_take_the_right_article():
    assert wording.listing("cy", ["dros y ffôn", "wyneb yn wyneb"], "and") == "dros y ffôn ac wyneb yn wyneb"
    assert wording.listing("cy", ["drwy e-bost", "drwy lythyr"], "or") == "drwy e-bost neu drwy lythyr"
    assert wording.with_article("cy", "Chief Officer Governance") == "y Prif Swyddog Llywodraethu"
    assert wording.with_article("cy", "Employee") == "y Gweithiwr"
    assert (
        wording.with_article("en", "All employees taking frontline calls")
        == "All employees taking frontline calls"
    )


def test_every_name_flintshire_can_put_in_a_welsh_letter_has_its_welsh():
    """004 is the bilingual policy: its organisation, roles, sharing parties, ombudsman and title."""
    preset = presets.get("flintshire")
    names = [preset.organisation, preset.title, preset.ombudsman.name]
    names += [r.name for r in preset.roles if r.key != "records_manager"]
    names += [party for rule in preset.sharing for party in rule.tell]
    for name in names:
        assert name in wording.WELSH_NAMES, name


def test_free_text_paragraphs_keep_blank_lines_and_join_wrapped_lines():
    facts = complete(Kind.LIFTING, "flintshire", free={"en": FreeText("First line\nwrapped.\n\nSecond.")})
    document = build(facts, "en")
    why = next(s for s in document.sections if s.key == "why")
    assert why.body == ("First line wrapped.", "Second.")


def test_no_fixed_wording_is_left_unfilled():
    for kind in KINDS:
        for lang in ("en", "cy"):
            text = plain_text(build(complete(kind, "flintshire"), lang))
            assert not re.search(r"\{[a-z_]+\}", text), (kind, lang)
