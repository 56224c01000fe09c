"""Text out of the PDFs WeasyPrint writes, with nothing but the standard library.

Tests must read what is really in the PDF, not what was meant to go in, and CI may have no
poppler (`pdftotext`). WeasyPrint writes compressed content streams that show glyphs by index
(Identity-H fonts, often inside object streams) and a ToUnicode map for each font: enough to turn
the page back into text. This reads only that shape of PDF; it is not a general PDF parser.
"""

from __future__ import annotations

import re
import zlib

_OBJECT = re.compile(rb"(\d+)\s+\d+\s+obj\b(.*?)\bendobj", re.S)
_STREAM = re.compile(rb"^(.*?)stream\r?\n(.*)$", re.S)
_TOKEN = re.compile(
    rb"/([A-Za-z0-9+_.-]+)\s+[\d.]+\s+Tf"  # choose a font
    rb"|\[((?:[^\]\\]|\\.)*)\]\s*TJ"  # show glyphs, with kerning
    rb"|<([0-9A-Fa-f]*)>\s*Tj"  # show glyphs
    rb"|\b(?:ET|Tm|Td|TD|T\*)\b",  # end of a text object or a new line
    re.S,
)


def _objects(pdf: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    """Object number -> (dictionary, decoded stream or None), including objects in object streams."""
    found: dict[int, tuple[bytes, bytes | None]] = {}
    for match in _OBJECT.finditer(pdf):
        number, body = int(match.group(1)), match.group(2).strip()
        stream = _STREAM.match(body)
        if stream is None:
            found[number] = (body, None)
            continue
        head, raw = stream.group(1), stream.group(2)
        length = re.search(rb"/Length\s+(\d+)(?!\s+\d+\s+R)", head)
        if length:
            raw = raw[: int(length.group(1))]
        found[number] = (head, zlib.decompress(raw) if b"/FlateDecode" in head else raw)
    for head, data in list(found.values()):
        if data is None or b"/ObjStm" not in head:
            continue
        first = int(re.search(rb"/First\s+(\d+)", head).group(1))  # type: ignore[union-attr]
        numbers = [int(n) for n in data[:first].split()]
        pairs = list(zip(numbers[0::2], numbers[1::2], strict=True))
        for i, (number, offset) in enumerate(pairs):
            end = pairs[i + 1][1] if i + 1 < len(pairs) else len(data) - first
            found[number] = (data[first + offset : first + end].strip(), None)
    return found


def _unicode_map(data: bytes) -> dict[int, str]:
    table: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            table[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, start in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            for i, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                table[code] = chr(int(start, 16) + i)
    return table


def catalog(pdf: bytes) -> bytes:
    """The document catalogue: where a tagged PDF names its structure tree and its language."""
    return next(head for head, _data in _objects(pdf).values() if b"/Type /Catalog" in head)


def font_sizes(pdf: bytes) -> list[float]:
    """Every font size set in the content streams, in PDF units (for comparing large print)."""
    sizes: list[float] = []
    for _head, data in _objects(pdf).values():
        if data is not None and b"BT" in data:
            sizes += [float(s) for s in re.findall(rb"/[A-Za-z0-9+_.-]+\s+([\d.]+)\s+Tf", data)]
    return sizes


def text(pdf: bytes) -> str:
    """The PDF's text, in content order, a line break wherever the text position moves."""
    objects = _objects(pdf)
    fonts: dict[int, dict[int, str]] = {}
    for number, (head, _data) in objects.items():
        to_unicode = re.search(rb"/ToUnicode\s+(\d+)\s+0\s+R", head)
        if to_unicode and b"/Font" in head:
            stream = objects[int(to_unicode.group(1))][1] or b""
            fonts[number] = _unicode_map(stream)
    by_name: dict[bytes, dict[int, str]] = {}
    for head, _data in objects.values():
        for name, ref in re.findall(rb"/([A-Za-z0-9+_.-]+)\s+(\d+)\s+0\s+R", head):
            if int(ref) in fonts:
                by_name[name] = fonts[int(ref)]
    out: list[str] = []
    for number in sorted(objects):
        head, data = objects[number]
        if data is None or b"BT" not in data or b"Tf" not in data:
            continue
        glyphs: dict[int, str] = {}
        for token in _TOKEN.finditer(data):
            font, shown, single = token.group(1), token.group(2), token.group(3)
            if font is not None:
                glyphs = by_name.get(font, {})
            elif shown is not None or single is not None:
                hexes = re.findall(rb"<([0-9A-Fa-f]*)>", shown) if shown is not None else [single]
                for h in hexes:
                    out.extend(glyphs.get(int(h[i : i + 4], 16), "\ufffd") for i in range(0, len(h), 4))
            else:
                out.append("\n")
    return re.sub(r"\n+", "\n", "".join(out))
