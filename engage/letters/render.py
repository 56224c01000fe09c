"""A letter's words on paper: HTML (preview and the frozen record), PDF and large print (WeasyPrint),
and DOCX for organisations that finish letters in Word (docxtpl).

Everything here works from a `content.Facts` and the layout, never from the database, so every
kind of letter can be rendered for every preset in the tests without one.
"""

from __future__ import annotations

import functools
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

from engage.letters import content, wording
from engage.letters.content import Document, Facts, Section
from engage.policy.schema import Preset

__all__ = ["CSS_PATH", "Rendered", "context", "docx", "enclosure_for", "html", "pdf"]

CSS_PATH = Path(__file__).resolve().parent / "static" / "letters" / "letter.css"
_POLICY_TEXTS = Path(__file__).resolve().parent.parent / "policy" / "texts"
BILINGUAL = ("bilingual_welsh_first", "side_by_side")


@dataclass(frozen=True)
class Enclosure:
    title: str
    blocks: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class Rendered:
    """The frozen forms of one letter."""

    html: str
    pdf: bytes
    large_print: bytes
    docx: bytes


def languages(layout: str) -> tuple[str, ...]:
    return {"en": ("en",), "cy": ("cy",)}.get(layout, ("cy", "en"))


def documents(facts: Facts, layout: str) -> list[Document]:
    return [content.build(facts, lang) for lang in languages(layout)]


# ---------------------------------------------------------------------------------------------
# The policy enclosed (004 "A copy of this policy will be enclosed with the decision")
# ---------------------------------------------------------------------------------------------


def enclosure_for(preset: Preset) -> Enclosure | None:
    """The organisation's policy text, as shipped in `engage/policy/texts`, for enclosing."""
    path = _POLICY_TEXTS / preset.source
    if not path.is_file():
        return None
    return Enclosure(
        wording.text("en", "enclosure_title", policy=preset.title), _policy_blocks(_cached_text(path))
    )


@functools.cache
def _cached_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


_MARKUP = re.compile(r"\*\*|__|<[^>]+>|\\(?=[*_#])")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def _policy_blocks(text: str) -> tuple[dict[str, Any], ...]:
    """Paragraphs, headings and lists from the policy's plain text (its light markdown removed)."""
    blocks: list[dict[str, Any]] = []
    items: list[str] = []

    def flush() -> None:
        if items:
            blocks.append({"kind": "list", "items": tuple(items)})
            items.clear()

    for raw in text.splitlines():
        line = _MARKUP.sub("", _LINK.sub(r"\1", raw)).strip()
        if not line:
            flush()
            continue
        bullet = re.match(r"^(?:[-*•]|\d+(?:\.\d+)*\.?)\s+(.*)$", line)
        if line.startswith("#"):
            flush()
            blocks.append({"kind": "heading", "text": line.lstrip("#").strip()})
        elif bullet and line[:1] in "-*•":
            items.append(bullet.group(1))
        else:
            flush()
            blocks.append({"kind": "p", "text": line})
    flush()
    return tuple(blocks)


# ---------------------------------------------------------------------------------------------
# The template's context
# ---------------------------------------------------------------------------------------------


def context(
    facts: Facts,
    layout: str,
    *,
    enclosure: Enclosure | None = None,
    preview: bool = False,
    large: bool = False,
) -> dict[str, Any]:
    """Everything `letters/_document.html` shows, as plain data."""
    docs = documents(facts, layout)
    langs = [d.lang for d in docs]
    head = facts.letterhead
    letterhead = []
    # The organisation's name in Welsh: its letter settings, else the names Engage knows (004).
    welsh_name = head.welsh_name or (wording.welsh(head.name) if head.name in wording.WELSH_NAMES else "")
    if "cy" in langs and (welsh_name or head.welsh_address_lines):
        letterhead.append({"lang": "cy", "name": welsh_name or head.name, "lines": head.welsh_address_lines})
    if "en" in langs or not letterhead:
        letterhead.append(
            {"lang": "en" if letterhead else "", "name": head.name, "lines": head.address_lines}
        )
    contact = []
    for key, value in (("phone", head.telephone), ("email", head.email), ("website", head.website)):
        if value:
            labels = " / ".join(wording.WORDING[lang][key].split(":")[0] for lang in langs)
            contact.append(f"{labels}: {value}")
    recipient = facts.recipient
    address = [recipient.name]
    if recipient.care_of:
        address.append(wording.text(langs[0], "care_of", name=recipient.care_of))
    address += list(recipient.address_lines)
    meta = [
        {"lang": lang, "text": wording.text(lang, "our_reference", reference=facts.reference)}
        for lang in langs
    ] + [
        {"lang": lang, "text": wording.text(lang, "date", date=wording.date_text(lang, facts.letter_date))}
        for lang in langs
    ]
    signature = {
        "kind": "signature",
        "name": facts.signatory,
        "title": facts.signatory_title,
    }
    bodies = []
    for doc in docs:
        parts: list[dict[str, Any]] = [
            {"kind": "title", "text": doc.title},
            {"kind": "p", "text": doc.salutation},
        ]
        for section in doc.sections:
            parts += _section_parts(section)
        parts.append({**signature, "closing": doc.closing})
        bodies.append({"lang": doc.lang, "parts": parts})
    side = layout == "side_by_side" and len(docs) == 2
    rows = _rows(docs, signature) if side else []
    return {
        "doc": {
            "lang": langs[0],
            "title_text": f"{docs[0].title} ({facts.reference})",
            "preview": preview,
            "large": large,
            "letterhead": letterhead,
            "contact": contact,
            "address": address,
            "meta": meta,
            "side_by_side": side,
            "columns": [{"lang": d.lang, "name": wording.text(d.lang, "language_name")} for d in docs],
            "rows": rows,
            "bodies": [] if side else bodies,
            "enclosure": enclosure if facts.enclose_policy else None,
        }
    }


def _section_parts(section: Section) -> list[dict[str, Any]]:
    parts: list[dict[str, Any]] = []
    if section.heading:
        parts.append({"kind": "heading", "text": section.heading})
    for part in section.body:
        if isinstance(part, tuple):
            parts.append({"kind": "list", "items": part})
        else:
            parts.append({"kind": "p", "text": part})
    return parts


def _rows(docs: list[Document], signature: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """Welsh on the left, English on the right, each section beside its translation."""
    cy, en = docs
    rows = [
        [
            _cell(cy.lang, [{"kind": "title", "text": cy.title}]),
            _cell(en.lang, [{"kind": "title", "text": en.title}]),
        ],
        [
            _cell(cy.lang, [{"kind": "p", "text": cy.salutation}]),
            _cell(en.lang, [{"kind": "p", "text": en.salutation}]),
        ],
    ]
    by_key = {lang: {s.key: s for s in d.sections} for lang, d in (("cy", cy), ("en", en))}
    keys = list(dict.fromkeys([s.key for s in en.sections] + [s.key for s in cy.sections]))
    for key in keys:
        rows.append(
            [
                _cell(lang, _section_parts(by_key[lang][key]) if key in by_key[lang] else [])
                for lang in ("cy", "en")
            ]
        )
    rows.append(
        [
            _cell(cy.lang, [{**signature, "closing": cy.closing}]),
            _cell(en.lang, [{**signature, "closing": en.closing}]),
        ]
    )
    return rows


def _cell(lang: str, parts: list[dict[str, Any]]) -> dict[str, Any]:
    return {"kind": "section", "lang": lang, "parts": parts}


# ---------------------------------------------------------------------------------------------
# HTML, PDF, DOCX
# ---------------------------------------------------------------------------------------------


def html(facts: Facts, layout: str, *, enclosure: Enclosure | None = None, large: bool = False) -> str:
    """The letter as a standalone HTML document (what the PDF is made from, and what is frozen)."""
    return render_to_string("letters/document.html", context(facts, layout, enclosure=enclosure, large=large))


def preview_html(facts: Facts, layout: str, *, enclosure: Enclosure | None = None) -> str:
    """The letter's body for the preview page, its headings one level below the page's."""
    return render_to_string(
        "letters/_document.html", context(facts, layout, enclosure=enclosure, preview=True)
    )


@functools.cache
def _stylesheet() -> Any:
    from weasyprint import CSS

    return CSS(filename=str(CSS_PATH))


@functools.cache
def _no_fetching() -> Any:
    from weasyprint.urls import URLFetcher, URLFetchingError

    class NoFetching(URLFetcher):
        # A letter is made only of Engage's own (escaped) text and stylesheet: nothing in it may
        # reach the network or the disk, whatever a drafter or a customer's record contains.
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise URLFetchingError(f"letters fetch nothing ({url[:80]})")

    return NoFetching()


def pdf(document_html: str) -> bytes:
    """A tagged PDF (PDF/UA-1: headings, lists and the language of each part for screen readers)."""
    from weasyprint import HTML

    document = HTML(string=document_html, base_url=str(CSS_PATH.parent), url_fetcher=_no_fetching())
    return document.write_pdf(stylesheets=[_stylesheet()], pdf_variant="pdf/ua-1")  # type: ignore[no-any-return]


def render_all(facts: Facts, layout: str, *, enclosure: Enclosure | None = None) -> Rendered:
    """Every frozen form of the letter, rendered once at issue."""
    standard = html(facts, layout, enclosure=enclosure)
    large = html(facts, layout, enclosure=enclosure, large=True)
    return Rendered(
        html=standard,
        pdf=pdf(standard),
        large_print=pdf(large),
        docx=docx(facts, layout, enclosure=enclosure),
    )


# ---- DOCX: a plain Word template (built here, so it is reviewable as code) filled by docxtpl


@functools.cache
def _docx_template() -> bytes:
    from docx import Document as WordDocument
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    word = WordDocument()
    normal = word.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(12)

    def line(text: str, align: Any = None) -> None:
        paragraph = word.add_paragraph(text)
        if align is not None:
            paragraph.alignment = align

    for tag, align in (
        ("{%p for l in letterhead %}", None),
        ("{{r l }}", WD_ALIGN_PARAGRAPH.RIGHT),
        ("{%p endfor %}", None),
        ("{%p for l in address %}", None),
        ("{{ l }}", None),
        ("{%p endfor %}", None),
        ("{%p for l in meta %}", None),
        ("{{ l }}", None),
        ("{%p endfor %}", None),
        ("{%p if side_by_side %}", None),
    ):
        line(tag, align)
    table = word.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "{%tr for row in rows %}"
    table.cell(1, 0).text = "{{r row.left }}"
    table.cell(1, 1).text = "{{r row.right }}"
    table.cell(2, 0).text = "{%tr endfor %}"
    for tag in ("{%p else %}", "{%p for l in body %}", "{{r l }}", "{%p endfor %}", "{%p endif %}"):
        line(tag)
    for tag in ("{%p for l in enclosure %}", "{{r l }}", "{%p endfor %}"):
        line(tag)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def docx(facts: Facts, layout: str, *, enclosure: Enclosure | None = None) -> bytes:
    """The letter as a Word document: the same words, plain styles, ready to finish in Word."""
    from docx import Document as WordDocument
    from docxtpl import DocxTemplate, RichText

    data = context(facts, layout, enclosure=enclosure)["doc"]

    def rich(parts: list[dict[str, Any]]) -> list[Any]:
        lines = []
        for part in parts:
            text = RichText()
            if part["kind"] in ("title", "heading"):
                text.add(part["text"], bold=True, size=28 if part["kind"] == "title" else 24)
            elif part["kind"] == "list":
                for i, item in enumerate(part["items"]):
                    text.add(("\a" if i else "") + f"•\t{item}")
            elif part["kind"] == "signature":
                text.add(part["closing"])
                for value in (part["name"], part["title"]):
                    if value:
                        text.add(f"\n{value}")
            elif part["kind"] == "section":
                lines += rich(part["parts"])
                continue
            else:
                text.add(part["text"])
            lines.append(text)
        return lines

    def joined(parts: list[dict[str, Any]]) -> Any:
        cell = RichText()
        for i, text in enumerate(rich(parts)):
            if i:
                cell.add("\a")
            cell.add(text)
        return cell

    def page_break() -> Any:
        text = RichText()
        text.add("\f")
        return text

    head = []
    for block in data["letterhead"]:
        text = RichText()
        text.add(block["name"], bold=True)
        for value in block["lines"]:
            text.add(f"\n{value}")
        head.append(text)
    for value in data["contact"]:
        text = RichText()
        text.add(value)
        head.append(text)
    body: list[Any] = []
    for i, part in enumerate(data["bodies"]):
        if i:
            body.append(page_break())
        body += rich(part["parts"])
    rows = [{"left": joined(r[0]["parts"]), "right": joined(r[1]["parts"])} for r in data["rows"]]
    appendix: list[Any] = []
    if data["enclosure"] is not None:
        appendix.append(page_break())
        enclosed: Enclosure = data["enclosure"]
        appendix += rich([{"kind": "heading", "text": enclosed.title}])
        for block in enclosed.blocks:
            kind = "heading" if block["kind"] == "heading" else block["kind"]
            appendix += rich([{**block, "kind": kind}])
    template = DocxTemplate(io.BytesIO(_docx_template()))
    template.render(
        {
            "letterhead": head,
            "address": data["address"],
            "meta": [m["text"] for m in data["meta"]],
            "side_by_side": data["side_by_side"],
            "rows": rows,
            "body": body,
            "enclosure": appendix,
        }
    )
    out = io.BytesIO()
    template.save(out)
    # Record the letter's language for Word's spelling and for screen readers.
    word = WordDocument(io.BytesIO(out.getvalue()))
    word.core_properties.language = "cy-GB" if data["lang"] == "cy" else "en-GB"
    word.core_properties.title = data["title_text"]
    final = io.BytesIO()
    word.save(final)
    return final.getvalue()
