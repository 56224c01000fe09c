"""Every kind of letter rendered for every preset: the PDF turned back into text says every item its
preset requires; the Welsh letter carries the Welsh fixed wording with ŵ and ŷ intact; large print
is large; the DOCX has the same words.

PDFs are read back with `pdftext` (standard library only, so CI needs no poppler), and each one is
rendered once and shared by the tests that read it (WeasyPrint takes a few tenths of a second a page).
"""

from __future__ import annotations

import functools
import io
import re
import shutil
import subprocess
import unicodedata

import pytest

from engage.letters import render
from engage.letters.content import Kind, build, required_for
from engage.letters.tests import pdftext
from engage.letters.tests.samples import KINDS, PRESETS, complete
from engage.policy import presets


@functools.cache
def _pdf(kind: Kind, preset_key: str, layout: str = "en", large: bool = False) -> bytes:
    facts = complete(kind, preset_key)
    enclosure = render.enclosure_for(presets.get(preset_key)) if facts.enclose_policy else None
    return render.pdf(render.html(facts, layout, enclosure=enclosure, large=large))


@functools.cache
def _text(kind: Kind, preset_key: str, layout: str = "en", large: bool = False) -> str:
    return pdftext.text(_pdf(kind, preset_key, layout, large))


def _squash(text: str) -> str:
    # Lines wrap anywhere (even inside "e-bost" or a web address): compare without whitespace.
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def _section_text(section) -> list[str]:
    found = [section.heading] if section.heading else []
    for part in section.body:
        found.extend(part if isinstance(part, tuple) else [part])
    return found


@pytest.mark.parametrize("preset_key", PRESETS)
@pytest.mark.parametrize("kind", KINDS)
def test_every_letter_pdf_says_every_item_its_preset_requires(kind, preset_key):
    facts = complete(kind, preset_key)
    required = required_for(kind, presets.get(preset_key).letters, outcome=facts.outcome)
    document = build(facts, "en")
    pdf = _squash(_text(kind, preset_key))
    assert _squash(document.title) in pdf
    assert _squash(document.salutation) in pdf
    for item in required:
        covering = [s for s in document.sections if item in s.covers and s.body]
        assert covering, f"{kind} ({preset_key}) has no section for {item}"
        for section in covering:
            for line in _section_text(section):
                assert _squash(line) in pdf, f"{kind} ({preset_key}): {item} not in the PDF: {line!r}"


def test_the_pdf_carries_the_letterhead_address_reference_and_date():
    text = _text(Kind.DECISION, "scottish_borders")
    squashed = _squash(text)
    for expected in (
        "Scottish Borders Council",
        "County Hall",
        "Phone: 01352 752121",
        "Bryn Jenkins",
        "12 Ffordd y Llan",
        "Our reference: CASE-000001/L1",
        "Date: 3 March 2026",
        "Yours sincerely",
        "Siân Ellis-Jones",
    ):
        assert _squash(expected) in squashed, expected
    assert "\ufffd" not in text


def test_the_flintshire_decision_pdf_encloses_the_policy():
    """004 "Formal decision to manage contact": "A copy of this policy will be enclosed with the decision"."""
    squashed = _squash(_text(Kind.DECISION, "flintshire"))
    assert _squash("Enclosure: Managing Customer Contact Policy") in squashed
    assert _squash("The customer can appeal a decision to manage contact within 20 working days") in squashed


WELSH_FIXED = (
    "Annwyl Bryn Jenkins",
    "Yn gywir",
    "Mae gennych hawl i apelio yn erbyn y penderfyniad hwn.",
    "Rhaid i'ch apêl ein cyrraedd erbyn 2 Ebrill 2026.",
    "Byddwn yn adolygu'r penderfyniad hwn erbyn 30 Gorffennaf 2026.",
    "Ombwdsmon Gwasanaethau Cyhoeddus Cymru",
    "Rydym eisiau gwneud yn siŵr y gallwn barhau i'ch helpu chi a phawb arall.",
    "Rydym wedi amgáu copi o'n polisi: Polisi Rheoli Cyswllt â Chwsmeriaid.",
    "Byddwn yn rhoi gwybod i'r bobl hyn am y penderfyniad hwn",
    "Pob gweithiwr sy'n ateb galwadau rheng flaen",
    "Cyngor Sir y Fflint",
    "Ein cyfeirnod: CASE-000001/L1",
    "Dyddiad: 3 Mawrth 2026",
)


@pytest.mark.parametrize("layout", ["cy", "bilingual_welsh_first", "side_by_side"])
def test_the_flintshire_welsh_letter_has_the_welsh_fixed_wording_with_its_letters_intact(layout):
    """004 is a Welsh council's policy ("English and Welsh"): the fixed wording in Welsh, with ŵ, ŷ
    and â as single composed characters, never dropped or replaced."""
    text = _text(Kind.DECISION, "flintshire", layout)
    assert "\ufffd" not in text
    assert unicodedata.normalize("NFC", text) == text
    squashed = _squash(text)
    for phrase in WELSH_FIXED:
        assert _squash(phrase) in squashed, phrase
    for letter in "ŵâêô":
        assert letter in text
    if layout != "cy":
        assert _squash("You have the right to appeal against this decision.") in squashed
    else:
        assert _squash("You have the right to appeal") not in squashed


def test_the_welsh_warning_carries_y_circumflex():
    text = _text(Kind.WARNING, "flintshire", "cy")
    assert "Ynglŷn â'ch cyswllt diweddar â ni" in text
    assert "ŷ" in text
    assert "siŵr" in text


def test_welsh_comes_first_in_the_welsh_first_letter_and_on_the_left_side_by_side():
    for layout in ("bilingual_welsh_first", "side_by_side"):
        text = _text(Kind.DECISION, "flintshire", layout)
        assert text.index("Annwyl") < text.index("Dear"), layout
        assert text.index("Ein penderfyniad") < text.index("Our decision"), layout


def test_the_pdf_is_tagged_with_its_language_for_screen_readers():
    welsh = pdftext.catalog(_pdf(Kind.DECISION, "flintshire", "cy"))
    assert b"/StructTreeRoot" in welsh
    assert b"/Lang (cy)" in welsh
    assert b"/Lang (en)" in pdftext.catalog(_pdf(Kind.WARNING, "highland"))


def test_large_print_is_set_half_as_large_again_or_more():
    """RNIB: large print is 16 point or more; Engage's is 18 against the standard 12."""
    standard = pdftext.font_sizes(_pdf(Kind.WARNING, "highland"))
    large = pdftext.font_sizes(_pdf(Kind.WARNING, "highland", large=True))
    body = max(set(standard), key=standard.count)
    body_large = max(set(large), key=large.count)
    assert body_large >= body * 1.5
    assert _squash("Please keep your contact with us polite and respectful.") in _squash(
        _text(Kind.WARNING, "highland", large=True)
    )


@pytest.mark.parametrize("layout", ["en", "bilingual_welsh_first", "side_by_side"])
def test_the_docx_has_the_same_words_as_the_letter(layout):
    from docx import Document

    facts = complete(Kind.DECISION, "flintshire")
    enclosure = render.enclosure_for(presets.get("flintshire"))
    word = Document(io.BytesIO(render.docx(facts, layout, enclosure=enclosure)))
    paragraphs = [p.text for p in word.paragraphs]
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    squashed = _squash("\n".join(paragraphs + cells))
    for lang in render.languages(layout):
        document = build(facts, lang)
        for section in document.sections:
            for line in _section_text(section):
                assert _squash(line) in squashed, (layout, line)
    assert _squash("Managing Customer Contact Policy") in squashed
    assert word.core_properties.language == ("en-GB" if layout == "en" else "cy-GB")
    assert "{{" not in squashed
    assert "{%" not in squashed


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler's pdftotext is not installed here")
def test_the_pdf_reader_agrees_with_pdftotext():
    """A check on the checker: poppler reads the same words from the same PDF."""
    pdf = _pdf(Kind.DECISION, "flintshire", "bilingual_welsh_first")
    poppler = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    # List bullets are drawn apart from their text; poppler and this reader place them differently.
    ours = _squash(pdftext.text(pdf)).replace("•", "")
    assert _squash(poppler.decode("utf-8").replace("\f", "")).replace("•", "") == ours


def test_what_a_drafter_writes_is_text_never_markup():
    from engage.letters.content import FreeText

    facts = complete(
        Kind.LIFTING,
        "highland",
        free={"en": FreeText('<img src="http://169.254.169.254/latest"> <b>Calls</b> & emails')},
    )
    html = render.html(facts, "en")
    assert "&lt;img src=&quot;http://169.254.169.254/latest&quot;&gt;" in html
    assert "<img" not in html
    text = pdftext.text(render.pdf(html))
    assert '<img src="http://169.254.169.254/latest"> <b>Calls</b> & emails' in text.replace("\n", " ")
