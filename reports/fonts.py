"""The document fonts: shipped subsets of the Fandol family first, then system fallbacks, never a missing glyph.

GB/T 9704 sets an official document's title in 小标宋, its headings in 黑体 and its body in 仿宋_GB2312. The
shipped fonts (`reports/fonts/`, built by `scripts/build_fonts.py`, licences in `reports/fonts/README.md`) are:

- body (`FandolFang-Regular-subset.otf`, 仿宋): GB 2312, the demo data, the templates;
- headings (`FandolHei-Regular-subset.otf`, 黑体) and title (`FandolSong-Bold-subset.otf`, 小标宋-style): the
  templates' text and GB 2312 level 1; a rarer character in a heading or title falls back to the body face;
- `NoticeSerif-Extra.otf` (Noto Serif CJK SC, OFL): what Fandol lacks of that set (accented Latin letters, name
  characters such as 堃, 喆, 赟).

They make the output identical on every machine for every character they hold. A rarer character falls back,
per character, to the system's Noto Serif CJK SC and then HanaMin A/B (Debian fonts-noto-cjk, fonts-hanazono;
CJK extensions A to F). A character that no font holds is written as its code point, e.g. 〔U+3134A〕, so that
no notice ever shows a missing-glyph box.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent / "fonts"
BODY = FONT_DIR / "FandolFang-Regular-subset.otf"
HEADING = FONT_DIR / "FandolHei-Regular-subset.otf"
TITLE = FONT_DIR / "FandolSong-Bold-subset.otf"
EXTRA = FONT_DIR / "NoticeSerif-Extra.otf"

# CSS family name -> shipped file. Each is declared as the normal weight: nothing asks for a synthetic bold.
BODY_FAMILY = "Notice Fang"
HEADING_FAMILY = "Notice Hei"
TITLE_FAMILY = "Notice Song"
EXTRA_FAMILY = "Notice Serif Extra"
SHIPPED: dict[str, Path] = {BODY_FAMILY: BODY, HEADING_FAMILY: HEADING, TITLE_FAMILY: TITLE, EXTRA_FAMILY: EXTRA}
# How the families appear in a PDF's font list (pdffonts), subset prefix removed.
PDF_NAMES = frozenset(name.replace(" ", "-") for name in SHIPPED)

# (file, index in a collection) of the fallbacks, in order.
SYSTEM_FALLBACKS: tuple[tuple[Path, int], ...] = (
    (Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"), 2),  # index 2: Noto Serif CJK SC
    (Path("/usr/share/fonts/truetype/hanazono/HanaMinA.ttf"), 0),
    (Path("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf"), 0),
)
FALLBACK_FAMILIES = ("Noto Serif CJK SC", "HanaMinA", "HanaMinB")

log = logging.getLogger(__name__)


def font_face_css() -> str:
    """@font-face rules for the shipped fonts."""
    return "".join(f'@font-face {{ font-family: "{family}"; font-weight: normal; src: url("{path.as_uri()}"); }}\n'
                   for family, path in SHIPPED.items())


def _families(*first: str) -> str:
    return ", ".join(f'"{name}"' for name in (*first, BODY_FAMILY, EXTRA_FAMILY, *FALLBACK_FAMILIES)) + ", serif"


def family_list() -> str:
    """The body's family list (仿宋) with its fallbacks."""
    return _families()


def heading_family_list() -> str:
    """黑体 for headings, then the body's list."""
    return _families(HEADING_FAMILY)


def title_family_list() -> str:
    """小标宋-style for the title, then the body's list."""
    return _families(TITLE_FAMILY)


def stylesheet(css: str) -> str:
    """A stylesheet with its family variables filled in and the shipped @font-face rules before it."""
    css = (css.replace("var(--family)", family_list()).replace("var(--heading)", heading_family_list())
           .replace("var(--title)", title_family_list()))
    return font_face_css() + css


def _cmap(path: Path, index: int = 0) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(str(path), fontNumber=index, lazy=True) as font:
        return frozenset(font.getBestCmap())


@lru_cache(maxsize=1)
def shipped_coverage() -> frozenset[int]:
    """Code points the shipped body faces (Fandol Fang and the extra face) draw."""
    return _cmap(BODY) | _cmap(EXTRA)


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
