#!/usr/bin/env python3
"""Draw Engage's own favicon and app icons (no crown, no GOV.UK marks).

The mark is a white geometric "E" on Engage's dark teal (#0b3d3a), built only
from rectangles so it can be rasterised here with the standard library alone
(zlib + struct): no Pillow, no fonts, no network. Output is deterministic.

Usage: python3 make_icons.py OUTPUT_DIR
Writes: favicon.svg, favicon.ico (16/32/48 PNG-in-ICO), engage-icon-mask.svg,
        engage-icon-180.png, engage-icon-192.png, engage-icon-512.png
"""

from __future__ import annotations

import struct
import sys
import zlib
from pathlib import Path

BRAND = (0x0B, 0x3D, 0x3A)  # dark teal; white on it is 12.05:1 (WCAG AAA)
WHITE = (0xFF, 0xFF, 0xFF)

# Geometry on a 100 x 100 grid. The E's bars: (x0, y0, x1, y1).
E_BARS = (
    (28, 22, 42, 78),  # stem
    (28, 22, 72, 34),  # top arm
    (28, 44, 64, 56),  # middle arm (shorter)
    (28, 66, 72, 78),  # bottom arm
)
CORNER = 18  # corner radius of the rounded tile (favicons only)

SVG_E_PATH = "M28 22h44v12H42v10h22v12H42v10h30v12H28z"

FAVICON_SVG = f"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="100" height="100">
  <title>Engage</title>
  <rect width="100" height="100" rx="{CORNER}" fill="#0b3d3a"/>
  <path fill="#ffffff" d="{SVG_E_PATH}"/>
</svg>
"""

# Monochrome mask: the tile with the E cut out (used for Safari pinned tabs and
# as a neutral stand-in wherever GOV.UK Frontend's CSS would use the crest).
_R = CORNER
_SIDE = 100 - 2 * CORNER
TILE_PATH = (
    f"M{_R} 0h{_SIDE}a{_R} {_R} 0 0 1 {_R} {_R}v{_SIDE}a{_R} {_R} 0 0 1 -{_R} {_R}"
    f"h-{_SIDE}a{_R} {_R} 0 0 1 -{_R} -{_R}v-{_SIDE}a{_R} {_R} 0 0 1 {_R} -{_R}z"
)

MASK_SVG = f"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="100" height="100">
  <title>Engage</title>
  <path fill="#000000" fill-rule="evenodd" d="{TILE_PATH}{SVG_E_PATH}"/>
</svg>
"""

SUPERSAMPLE = 4


def _in_tile(x: float, y: float, rounded: bool) -> bool:
    if not (0 <= x < 100 and 0 <= y < 100):
        return False
    if not rounded:
        return True
    cx = min(max(x, CORNER), 100 - CORNER)
    cy = min(max(y, CORNER), 100 - CORNER)
    return (x - cx) ** 2 + (y - cy) ** 2 <= CORNER**2


def _in_e(x: float, y: float) -> bool:
    return any(x0 <= x < x1 and y0 <= y < y1 for x0, y0, x1, y1 in E_BARS)


def render(size: int, rounded: bool) -> bytes:
    """Return raw RGBA rows (with PNG filter bytes) for a size x size icon."""
    n = SUPERSAMPLE
    total = n * n
    rows = bytearray()
    scale = 100.0 / size
    offsets = [(i + 0.5) / n for i in range(n)]
    for py in range(size):
        rows.append(0)  # PNG filter type: none
        for px in range(size):
            tile = e = 0
            for oy in offsets:
                y = (py + oy) * scale
                for ox in offsets:
                    x = (px + ox) * scale
                    if _in_tile(x, y, rounded):
                        tile += 1
                        if _in_e(x, y):
                            e += 1
            if tile == 0:
                rows += b"\x00\x00\x00\x00"
                continue
            # colour: blend brand -> white by E coverage within the tile
            t = e / tile
            rgb = bytes(round(b + (w - b) * t) for b, w in zip(BRAND, WHITE, strict=True))
            rows += rgb + bytes((round(255 * tile / total),))
    return bytes(rows)


def png(size: int, rounded: bool) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    idat = zlib.compress(render(size, rounded), 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def ico(images: list[tuple[int, bytes]]) -> bytes:
    """PNG-compressed ICO (supported by every current browser)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries = b""
    blobs = b""
    for size, data in images:
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(data), offset)
        blobs += data
        offset += len(data)
    return header + entries + blobs


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "favicon.svg").write_text(FAVICON_SVG, encoding="utf-8")
    (out / "engage-icon-mask.svg").write_text(MASK_SVG, encoding="utf-8")
    (out / "favicon.ico").write_bytes(ico([(s, png(s, rounded=True)) for s in (16, 32, 48)]))
    # App icons are "maskable": full-bleed tile, the E sits inside the safe zone.
    for size in (180, 192, 512):
        (out / f"engage-icon-{size}.png").write_bytes(png(size, rounded=False))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_icons.py OUTPUT_DIR")
    main(Path(sys.argv[1]))
