"""Plain language: every letter's fixed English wording is easy to read; no sentence runs on.

The bound, Flesch reading ease of at least 70 ("fairly easy"), is stricter than the 60 usually
called plain English: the people who get these letters are often upset, sometimes unwell or
reading in a second language, and GOV.UK writes for a reading age of 9. 70 is what short
sentences of everyday words reach, and the letters reach it with room to spare (the lowest, the
reply to unacceptable correspondence, scores about 76, held down by the words 003 9.15 requires:
"offensive, unnecessary and unhelpful"). Each kind is scored as the customer reads it, with the
case's facts filled in and the drafter's own words left out (they are the checker's to judge).

Welsh is not scored: Flesch's constants were fitted to English words and sentences and mean
nothing for Welsh. Its sentences are held to the same length, and a Welsh speaker reviews it.
"""

from __future__ import annotations

import re

import pytest

from engage.letters import wording
from engage.letters.content import AppealRoute, Kind, build, measure_text, plain_text
from engage.letters.readability import LETTER_BOUND, MAX_SENTENCE_WORDS, flesch, sentences, syllables, words
from engage.letters.tests.samples import ALL_MEASURES, KINDS, PRESETS, complete

# Every variant of every kind: each outcome, a late appeal, no internal appeal, a no-review decision.
VARIANTS: list[tuple[Kind, dict[str, object]]] = [(kind, {}) for kind in KINDS] + [
    (Kind.REVIEW_OUTCOME, {"outcome": "continue"}),
    (Kind.REVIEW_OUTCOME, {"outcome": "lift"}),
    (Kind.APPEAL_OUTCOME, {"outcome": "upheld"}),
    (Kind.APPEAL_OUTCOME, {"outcome": "overturned"}),
    (Kind.APPEAL_ACKNOWLEDGEMENT, {"appeal_in_time": False}),
    (Kind.APPEAL_ACKNOWLEDGEMENT, {"appeal": AppealRoute(internal=False)}),
    (
        Kind.DECISION,
        {"appeal": AppealRoute(internal=False), "review_on": None, "ends_on": None, "no_review": True},
    ),
    (Kind.DECISION, {"decision_type": "stop_all_contact"}),
    (Kind.DECISION, {"decision_type": "restrict_complaints_process"}),
]

# Words that blame, threaten or hide meaning (000/001 §71.1: "explain the situation neutrally and
# avoid blame"; 002 11.1). The policies' own labels for behaviour are for staff, not for letters.
BANNED = (
    "vexatious",
    "unreasonable",
    "persistent",
    "aggressive",
    "abusive",
    "hereby",
    "aforementioned",
    "pursuant",
    "in accordance with",
    "notwithstanding",
    "forthwith",
    "failure to",
    "you must not",
)


@pytest.mark.parametrize("preset_key", PRESETS)
@pytest.mark.parametrize(
    ("kind", "changes"), VARIANTS, ids=[f"{k.value}-{i}" for i, (k, _c) in enumerate(VARIANTS)]
)
def test_the_fixed_english_wording_of_every_letter_is_fairly_easy_to_read(kind, changes, preset_key):
    text = plain_text(build(complete(kind, preset_key, free={}, **changes), "en"))
    score = flesch(text)
    assert score.flesch >= LETTER_BOUND, f"{kind} ({preset_key}) scores {score}"


def test_the_measures_in_plain_words_are_fairly_easy_to_read():
    score = flesch("\n".join(measure_text(m, "en") for m in ALL_MEASURES))
    assert score.flesch >= LETTER_BOUND, score


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_no_sentence_of_fixed_wording_is_longer_than_25_words(lang):
    for key, value in wording.WORDING[lang].items():
        for sentence in sentences(value):
            assert len(words(sentence)) <= MAX_SENTENCE_WORDS, (key, sentence)


def test_the_fixed_wording_has_no_words_that_blame_or_obscure():
    english = " ".join(wording.WORDING["en"].values()).lower()
    for word in BANNED:
        assert not re.search(rf"\b{re.escape(word)}\b", english), word


def test_the_fixed_wording_speaks_to_the_reader():
    """Plain English: "we" and "you", active voice, no third person about the customer."""
    english = " ".join(wording.WORDING["en"].values()).lower()
    assert "the customer" not in english
    assert "the council" not in english


# ---------------------------------------------------------------------------------------------
# The measure itself
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("we", 1),
        ("letter", 2),
        ("decision", 3),
        ("made", 1),
        ("please", 1),
        ("asked", 1),
        ("times", 1),
        ("appeal", 2),
        ("respectful", 3),
        ("unnecessary", 5),
        ("people", 2),
        ("12", 1),
        ("don't", 1),
    ],
)
def test_syllables_are_counted_by_vowel_groups(word, count):
    assert syllables(word) == count


def test_short_plain_sentences_score_high_and_long_latinate_ones_low():
    assert flesch("We will write to you. You can call us on Tuesdays.").flesch > 90
    hard = (
        "Notwithstanding the aforementioned considerations, the organisation's determination "
        "regarding communication modalities necessitates comprehensive reconsideration."
    )
    assert flesch(hard).flesch < 0


def test_a_list_item_counts_as_a_sentence():
    assert len(sentences("You can contact us:\nby phone\nby email")) == 3
