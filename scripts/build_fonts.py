"""Builds the notice fonts shipped in `reports/fonts/` from Debian's fonts-noto-cjk (pinned version).

The notices must look the same on every machine, so the project ships its own font files instead of taking
whatever fontconfig finds. They are subsets of Noto Serif CJK SC (SIL Open Font License 1.1, see
`reports/fonts/OFL.txt`):

- `NoticeSerif-Regular.otf`: every character of GB 2312, ASCII, Latin-1, general and CJK punctuation,
  full-width forms, every character of the demo data and the report templates, and a list of characters
  common in company and personal names that GB 2312 lacks;
- `NoticeSerif-Bold.otf`: the characters of the report templates' fixed text (titles, headings), the 3,755
  hanzi of GB 2312 level 1 (issuer and cycle names in titles), ASCII and punctuation.

Anything else (a rare character in a company name) falls back, per character, to the system's full
Noto Serif CJK SC and then to HanaMin A/B (fonts-hanazono), which cover CJK extensions A to F.

Run `python scripts/build_fonts.py` after installing fonts-noto-cjk at the version below; it rewrites
both files byte-identically from the same input.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = Path(__file__).resolve().parents[1]
SOURCE_VERSION = "1:20220127+repack1-1"
SOURCES = {
    "Regular": Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
    "Bold": Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"),
}
OUT = ROOT / "reports" / "fonts"

# Characters frequent in Chinese company and personal names that GB 2312 lacks.
NAME_EXTRAS = (
    "堃喆赟淼犇鑫昇玥珺琪璟瑄煜昱晟彧翀旻曌垚焱浛淏沣泷珅玮琰瑾璇婧妍瑶祎祺禛颢頔炜烨焜燊熠"
    "琨琦瑛瑜璐璞璋瓒皓睿筠翊翔耘苒荃萱蕙蓁镕镛铠锴钰钊铎骞骅骐鹍鲲崧嵘峣岚宸宥寰鋆锟"
    "芃芊茜菁堉埕垲圻坤坪坶埼堇彬彪斌旭昶晁晔晖暐暻曦朗杉栩桦楠榕槿橦汧洺浔涵淇渝溪滢漪潇濠"
    "骉羴鱻厶廾卅卌丿乂亓亘亶亹仝佘佟侗俣俶倢偲傃僖儇兕冏凇凼刈刖劢劬匡匦卟卣厝叕吖吲呙呤咩"
    "囯坜垣埭堨塬墀壵夔奭妘姮娅婵媛嫣孥孳宓宬寀尜屃岍岜岵峄峤崮嵚嵛巉巛帏庋庠廑弢彀彧忞怡恂恺"
)


def gb2312() -> set[str]:
    chars = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def gb2312_level1() -> set[str]:
    """The 3,755 most frequent hanzi (GB 2312 level 1), for bold text that comes from data (issuer, cycle)."""
    chars = set()
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


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


def build(weight: str, chars: set[str]) -> Path:
    collection = TTCollection(str(SOURCES[weight]))
    index = next(i for i, f in enumerate(collection.fonts) if f["name"].getDebugName(4).startswith("Noto Serif CJK SC"))
    font = collection.fonts[index]
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in chars))
    subsetter.subset(font)
    # Fixed timestamps so that the same input gives the same bytes.
    font["head"].modified = font["head"].created
    font.recalcTimestamp = False
    out = OUT / f"NoticeSerif-{weight}.otf"
    font.save(str(out), reorderTables=True)
    return out


def main() -> int:
    for path in SOURCES.values():
        if not path.exists():
            print(f"missing {path}: apt-get install fonts-noto-cjk={SOURCE_VERSION}", file=sys.stderr)
            return 1
    fixtures = text_of(sorted((ROOT / "fixtures" / "zongyang").glob("*.csv")))
    templates = template_text()
    regular = gb2312() | BASE | fixtures | templates | set(NAME_EXTRAS)
    bold = BASE | templates | gb2312_level1()
    OUT.mkdir(parents=True, exist_ok=True)
    for weight, chars in (("Regular", regular), ("Bold", bold)):
        out = build(weight, chars)
        digest = hashlib.sha256(out.read_bytes()).hexdigest()
        print(f"{out.relative_to(ROOT)}: {len(chars)} characters, {out.stat().st_size // 1024} KiB, sha256 {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
