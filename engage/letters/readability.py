"""How easy English text is to read: Flesch reading ease, with a simple syllable count.

Flesch (1948): 206.835 - 1.015 × (words per sentence) - 84.6 × (syllables per word). 60-70 is
"plain English" (readable by most 13 to 15 year olds); 70-80 "fairly easy". The letters' fixed
wording must score at least `LETTER_BOUND` (see `test_readability.py` for why that bound).

The formula and its constants were fitted to English; they mean nothing for Welsh, whose words
are counted differently (long compounds, mutations, digraphs such as "ll" and "dd" that are one
letter). Welsh wording is checked for sentence length only, and by a Welsh speaker.

No library: the syllable count is a heuristic (vowel groups, less a silent final "e"), accurate
enough for a score over whole letters; it errs slightly high on long words, so it is strict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["LETTER_BOUND", "MAX_SENTENCE_WORDS", "Score", "flesch", "sentences", "syllables", "words"]

# See test_readability.py: every letter's fixed English wording scores at least this.
LETTER_BOUND = 70.0
# GOV.UK style: "aim for no more than 25 words" in a sentence.
MAX_SENTENCE_WORDS = 25

_WORD = re.compile(r"[A-Za-zÀ-ÿŴŵŶŷ]+(?:['’][A-Za-z]+)?|\d+(?:[:.,]\d+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+|\n+")
_VOWELS = re.compile(r"[aeiouy]+")


@dataclass(frozen=True)
class Score:
    flesch: float
    words: int
    sentences: int
    syllables: int

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def sentences(text: str) -> list[str]:
    """Sentences: split after . ! ? or : and at line breaks (a list item is a sentence)."""
    return [s.strip() for s in _SENTENCE_END.split(text) if words(s)]


def syllables(word: str) -> int:
    """Syllables in an English word, by vowel groups: "letter" 2, "decision" 3, "made" 1.

    Numbers count one syllable per digit group, read as a word ("12" is "twelve"): close enough.
    """
    w = word.lower().strip("'’")
    if not w:
        return 0
    if w[0].isdigit():
        return max(1, len(re.findall(r"\d+", w)))
    w = w.replace("’", "'").split("'")[0]
    count = len(_VOWELS.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1  # silent final e: "made", "use", "please"
    elif (
        w.endswith(("ed", "es"))
        and count > 1
        and not w.endswith(("ted", "ded", "ses", "zes", "ches", "shes", "ces", "ges"))
    ):
        count -= 1  # "asked", "times": the ending adds no syllable
    return max(1, count)


def flesch(text: str) -> Score:
    """The Flesch reading ease of `text`, with the counts it rests on."""
    found = sentences(text)
    all_words = [w for s in found for w in words(s)]
    n_words = len(all_words) or 1
    n_sentences = len(found) or 1
    n_syllables = sum(syllables(w) for w in all_words)
    score = 206.835 - 1.015 * (n_words / n_sentences) - 84.6 * (n_syllables / n_words)
    return Score(round(score, 1), len(all_words), len(found), n_syllables)
