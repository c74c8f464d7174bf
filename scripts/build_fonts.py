"""Builds the document fonts shipped in `reports/fonts/` from the Fandol fonts of Debian's texlive-lang-chinese.

The notices must look the same on every machine, so the project ships its own font files instead of taking
whatever fontconfig finds. GB/T 9704 sets an official document's title in 小标宋, its headings in 黑体 and its
body in 仿宋_GB2312; the shipped fonts are subsets of the freely licensed Fandol family (Fandol team, GPL v3 with
the GPL font exception, see `reports/fonts/README.md` and `reports/fonts/COPYING-Fandol.txt`):

- `FandolFang-Regular-subset.otf` (body, tables): every character of GB 2312, ASCII, Latin-1, general and CJK
  punctuation, full-width forms, every character of the demo data and the report templates, and the characters
  common in company and personal names that GB 2312 lacks (those that Fandol draws);
- `FandolHei-Regular-subset.otf` (headings, table heads, the veto statement) and `FandolSong-Bold-subset.otf`
  (the title and the issuer's red header, 小标宋-style): the templates' fixed text, the 3,755 hanzi of GB 2312
  level 1 (issuer and cycle names, decision numbers), ASCII and punctuation; a rarer character in them is drawn
  by the body face;
- `NoticeSerif-Extra.otf`: what Fandol lacks of the body's set (accented Latin letters, name characters such as
  堃, 喆, 赟), from Noto Serif CJK SC of Debian's fonts-noto-cjk 1:20220127+repack1-1 (SIL Open Font License 1.1,
  `reports/fonts/OFL.txt`), so that these too look the same everywhere.

Anything else (a rare character in a company name) falls back, per character, to the system's Noto Serif CJK SC
and then to HanaMin A/B (fonts-hanazono), which cover CJK extensions A to F.

Run `python scripts/build_fonts.py` with texlive-lang-chinese at the version below installed, or without
installing it (it pulls in TeX Live):

    apt-get download texlive-lang-chinese=2022.20230122-1 && dpkg-deb -x texlive-lang-chinese_*.deb /tmp/tl
    python scripts/build_fonts.py --root /tmp/tl

It rewrites the three files byte-identically from the same input. Runtime and CI need no TeX Live: the subsets
are committed.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parents[1]
SOURCE_PACKAGE = "texlive-lang-chinese"
SOURCE_VERSION = "2022.20230122-1"
SOURCE_DIR = Path("usr/share/texlive/texmf-dist/fonts/opentype/public/fandol")
OUT = ROOT / "reports" / "fonts"
NOTO = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
NOTO_VERSION = "1:20220127+repack1-1"

# What the project adds to each subset's name table: a modified version says so (GPL v3 section 5a).
MODIFIED_NOTE = ("Subset of the Fandol font (Fandol team) made by scripts/build_fonts.py of the property-credit "
                 "project from Debian texlive-lang-chinese " + SOURCE_VERSION + ". GPL v3 with the GPL font "
                 "exception, which is extended to this subset.")

# Characters frequent in Chinese company and personal names that GB 2312 lacks.
NAME_EXTRAS = (
    "堃喆赟淼犇鑫昇玥珺琪璟瑄煜昱晟彧翀旻曌垚焱浛淏沣泷珅玮琰瑾璇婧妍瑶祎祺禛颢頔炜烨焜燊熠"
    "琨琦瑛瑜璐璞璋瓒皓睿筠翊翔耘苒荃萱蕙蓁镕镛铠锴钰钊铎骞骅骐鹍鲲崧嵘峣岚宸宥寰鋆锟"
    "芃芊茜菁堉埕垲圻坤坪坶埼堇彬彪斌旭昶晁晔晖暐暻曦朗杉栩桦楠榕槿橦汧洺浔涵淇渝溪滢漪潇濠"
    "骉羴鱻厶廾卅卌丿乂亓亘亶亹仝佘佟侗俣俶倢偲傃僖儇兕冏凇凼刈刖劢劬匡匦卟卣厝叕吖吲呙呤咩"
    "囯坜垣埭堨塬墀壵夔奭妘姮娅婵媛嫣孥孳宓宬寀尜屃岍岜岵峄峤崮嵚嵛巉巛帏庋庠廑弢彀彧忞怡恂恺"
)


def gb2312(first_row: int = 0xA1, last_row: int = 0xF7) -> set[str]:
    chars = set()
    for hi in range(first_row, last_row + 1):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def gb2312_level1() -> set[str]:
    """The 3,755 most frequent hanzi (GB 2312 level 1), for bold text that comes from data (issuer, cycle)."""
    return gb2312(0xB0, 0xD7)


def ranges(*spans: tuple[int, int]) -> set[str]:
    return {chr(c) for lo, hi in spans for c in range(lo, hi + 1)}


BASE = ranges((0x20, 0x7E), (0xA0, 0x17F), (0x2000, 0x206F), (0x2100, 0x218F), (0x2460, 0x24FF),
              (0x3000, 0x303F), (0xFF01, 0xFFEF)) | set("—–·•№℃×÷±≤≥→←↑↓√□■○●△▲")


def text_of(paths: list[Path]) -> set[str]:
    chars: set[str] = set()
    for path in paths:
        chars |= set(path.read_text(encoding="utf-8-sig"))
    return {c for c in chars if c.isprintable()}


def template_text() -> set[str]:
    paths = sorted((ROOT / "reports" / "templates").glob("*")) + [ROOT / "reports" / "texts.py"]
    return text_of([p for p in paths if p.is_file()])


# (source file, shipped file, what it holds)
FACES = (
    ("FandolFang-Regular.otf", "FandolFang-Regular-subset.otf", "body"),
    ("FandolHei-Regular.otf", "FandolHei-Regular-subset.otf", "title"),
    ("FandolSong-Bold.otf", "FandolSong-Bold-subset.otf", "title"),
)


def build(source: Path, target: str, chars: set[str], *, note: bool = True) -> Path:
    if source.suffix == ".ttc":
        collection = TTCollection(str(source))
        font = next(f for f in collection.fonts if f["name"].getDebugName(4).startswith("Noto Serif CJK SC"))
    else:
        font = TTFont(str(source))
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in chars))
    subsetter.subset(font)
    name = font["name"]
    if not note:
        return _save(font, target)
    description = name.getDebugName(10) or ""
    name.setName((description + " " if description else "") + MODIFIED_NOTE, 10, 3, 1, 0x409)
    name.setName("GPL v3 with the GPL font exception; see COPYING-Fandol.txt", 13, 3, 1, 0x409)
    return _save(font, target)


def _save(font: TTFont, target: str) -> Path:
    # Fixed timestamps so that the same input gives the same bytes.
    font["head"].modified = font["head"].created
    font.recalcTimestamp = False
    out = OUT / target
    font.save(str(out), reorderTables=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path("/"),
                        help=f"where {SOURCE_PACKAGE} is installed or unpacked (default /)")
    args = parser.parse_args(argv)
    source_dir = args.root / SOURCE_DIR
    for source, _target, _kind in FACES:
        if not (source_dir / source).exists():
            print(f"missing {source_dir / source}: apt-get install {SOURCE_PACKAGE}={SOURCE_VERSION} "
                  "(or unpack it and pass --root)", file=sys.stderr)
            return 1
    if not NOTO.exists():
        print(f"missing {NOTO}: apt-get install fonts-noto-cjk={NOTO_VERSION}", file=sys.stderr)
        return 1
    fixtures = text_of(sorted((ROOT / "fixtures" / "zongyang").glob("*.csv")))
    templates = template_text()
    sets = {"body": gb2312() | BASE | fixtures | templates | set(NAME_EXTRAS),
            "title": BASE | templates | gb2312_level1()}
    OUT.mkdir(parents=True, exist_ok=True)
    body_drawn: set[int] = set()
    for source, target, kind in FACES:
        out = build(source_dir / source, target, sets[kind])
        digest = hashlib.sha256(out.read_bytes()).hexdigest()
        with TTFont(str(out), lazy=True) as font:
            drawn = len(font.getBestCmap())
        print(f"{out.relative_to(ROOT)}: {drawn} of {len(sets[kind])} characters asked, "
              f"{out.stat().st_size // 1024} KiB, sha256 {digest}")
        if kind == "body":
            with TTFont(str(out), lazy=True) as font:
                body_drawn = set(font.getBestCmap())
    extra = {c for c in sets["body"] if ord(c) not in body_drawn}
    out = build(NOTO, "NoticeSerif-Extra.otf", extra, note=False)
    print(f"{out.relative_to(ROOT)}: {len(extra)} characters Fandol lacks, {out.stat().st_size // 1024} KiB, "
          f"sha256 {hashlib.sha256(out.read_bytes()).hexdigest()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
