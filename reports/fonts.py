"""The notice fonts: shipped subsets of Noto Serif CJK SC first, then system fallbacks, never a missing glyph.

`reports/fonts/NoticeSerif-*.otf` are built by `scripts/build_fonts.py` (OFL, see `reports/fonts/OFL.txt`) and make
the output identical on every machine for every character they hold: GB 2312, the demo data, the templates and
common name characters. A rarer character falls back, per character, to the system's Noto Serif CJK SC and then
HanaMin A/B (Debian fonts-noto-cjk, fonts-hanazono; CJK extensions A to F). A character that no font holds is
written as its code point, e.g. 〔U+3134A〕, so that no notice ever shows a missing-glyph box.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR = FONT_DIR / "NoticeSerif-Regular.otf"
BOLD = FONT_DIR / "NoticeSerif-Bold.otf"
FAMILY = "Notice Serif"

# (file, index in a collection) of the fallbacks, in order.
SYSTEM_FALLBACKS: tuple[tuple[Path, int], ...] = (
    (Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"), 2),  # index 2: Noto Serif CJK SC
    (Path("/usr/share/fonts/truetype/hanazono/HanaMinA.ttf"), 0),
    (Path("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf"), 0),
)
FALLBACK_FAMILIES = ("Noto Serif CJK SC", "HanaMinA", "HanaMinB")

log = logging.getLogger(__name__)


def font_face_css() -> str:
    """@font-face rules for the shipped fonts, and the family list with its fallbacks."""
    return (
        f'@font-face {{ font-family: "{FAMILY}"; font-weight: normal; src: url("{REGULAR.as_uri()}"); }}\n'
        f'@font-face {{ font-family: "{FAMILY}"; font-weight: bold; src: url("{BOLD.as_uri()}"); }}\n'
    )


def family_list() -> str:
    return ", ".join(f'"{name}"' for name in (FAMILY, *FALLBACK_FAMILIES)) + ", serif"


def _cmap(path: Path, index: int = 0) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(str(path), fontNumber=index, lazy=True) as font:
        return frozenset(font.getBestCmap())


@lru_cache(maxsize=1)
def shipped_coverage() -> frozenset[int]:
    """Code points the shipped regular face draws."""
    return _cmap(REGULAR)


@lru_cache(maxsize=1)
def fallback_coverage() -> frozenset[int]:
    """Code points some installed fallback font draws (read only when a rare character turns up)."""
    covered: set[int] = set()
    for path, index in SYSTEM_FALLBACKS:
        if path.exists():
            covered |= _cmap(path, index)
        else:
            log.warning("fallback font %s is not installed", path)
    return frozenset(covered)


_IGNORED = frozenset(map(ord, "\n\r\t"))


def drawable(text: str) -> str:
    """The text with every character that no font can draw replaced by its code point."""
    shipped = shipped_coverage()
    if all(ord(c) in shipped or ord(c) in _IGNORED for c in text):
        return text
    fallback = fallback_coverage()
    out = []
    for c in text:
        code = ord(c)
        if code in shipped or code in fallback or code in _IGNORED:
            out.append(c)
        else:
            log.warning("no font draws U+%04X; written as its code point", code)
            out.append(f"〔U+{code:04X}〕")
    return "".join(out)


def missing(text: str) -> set[str]:
    """Characters of the text that neither the shipped fonts nor the installed fallbacks draw."""
    covered = shipped_coverage() | fallback_coverage()
    return {c for c in text if ord(c) not in covered and ord(c) not in _IGNORED}
