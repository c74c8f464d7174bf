"""The notice and bulletin PDFs, checked as a reader (and a PDF/A validator) would see them.

Text through poppler's pdftotext, fonts through pdffonts, pages through pdfinfo, the QR code by decoding a
rendering of the page (zxing-cpp), metadata through pypdf. Each document is rendered once per module.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import html
import html.parser
import io
import logging
import re
import subprocess
from collections.abc import Callable, Iterator
from functools import cached_property
from pathlib import Path

import pypdf
import pytest
from pypdf.generic import ByteStringObject, ContentStream, TextStringObject

import reports
from reports import Bulletin, Notice, ReasonRow, fonts, format_date, render_bulletin, render_many, render_notice
from tests.reports.documents import COMPLAINT_IDS, DEMO_DIR, FEE_IDS, INSPECTION_IDS, make_notice

HANAMIN_B = Path("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf")
SHIPPED_NAMES = "堃喆赟"  # not in GB 2312, but in the shipped subset (common in company names)
EXT_B = "𠀾𪚥"  # CJK extension B: drawn by a system fallback font
UNDRAWABLE = "\U00031350\ue000"  # CJK extension H and private use: no font has them
RARE_NAME = f"枞阳县{SHIPPED_NAMES}{EXT_B}{UNDRAWABLE}物业管理有限公司"


def flat(text: str) -> str:
    """Text without any whitespace: pdftotext breaks lines (and words) where the layout does."""
    return re.sub(r"\s+", "", text)


@dataclasses.dataclass
class Pdf:
    """One rendered document on disk, with what poppler and pypdf say about it (each asked once)."""

    data: bytes
    path: Path
    notdef_warnings: list[str]

    def run(self, *args: str) -> str:
        return subprocess.run(args, check=True, capture_output=True, text=True).stdout

    @cached_property
    def text(self) -> str:
        return self.run("pdftotext", "-layout", "-enc", "UTF-8", str(self.path), "-")

    @cached_property
    def flat_text(self) -> str:
        return flat(self.text)

    @cached_property
    def flat_reading_order(self) -> str:
        """Without -layout: text in reading order, so a table cell's lines stay together."""
        return flat(self.run("pdftotext", "-enc", "UTF-8", str(self.path), "-"))

    @cached_property
    def fonts(self) -> list[dict[str, str]]:
        """pdffonts rows: name, type (may hold spaces), emb, sub, uni."""
        lines = self.run("pdffonts", str(self.path)).splitlines()
        assert lines[0].split()[:3] == ["name", "type", "encoding"], lines
        rows = []
        for line in lines[2:]:
            parts = line.split()
            # name, type…, encoding, emb, sub, uni, object number, generation
            rows.append({"name": parts[0], "type": " ".join(parts[1:-6]), "encoding": parts[-6], "emb": parts[-5],
                         "sub": parts[-4], "uni": parts[-3]})
        return rows

    @cached_property
    def info(self) -> dict[str, str]:
        lines = self.run("pdfinfo", str(self.path)).splitlines()
        return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in lines)}

    @cached_property
    def reader(self) -> pypdf.PdfReader:
        return pypdf.PdfReader(io.BytesIO(self.data))


class _NotdefLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if ".notdef" in record.getMessage():
            self.messages.append(record.getMessage())


@contextlib.contextmanager
def notdef_warnings() -> Iterator[list[str]]:
    """WeasyPrint's warnings about glyphs no font had (drawn as .notdef boxes)."""
    handler = _NotdefLog()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)


@pytest.fixture(scope="module")
def make_pdf(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("pdfs")
    count = iter(range(1000))

    def make(document: Notice | Bulletin) -> Pdf:
        with notdef_warnings() as warnings:
            data = render_notice(document) if isinstance(document, Notice) else render_bulletin(document)
        path = folder / f"doc{next(count)}.pdf"
        path.write_bytes(data)
        return Pdf(data, path, warnings)

    return make


@pytest.fixture(scope="module")
def notice_pdf(make_pdf, notice: Notice) -> Pdf:
    return make_pdf(notice)


@pytest.fixture(scope="module")
def revised_pdf(make_pdf, revised_notice: Notice) -> Pdf:
    return make_pdf(revised_notice)


@pytest.fixture(scope="module")
def bulletin_pdf(make_pdf, bulletin: Bulletin) -> Pdf:
    return make_pdf(bulletin)


@pytest.fixture(scope="module")
def english_notice(notice: Notice) -> Notice:
    return dataclasses.replace(notice, lang="en")


@pytest.fixture(scope="module")
def english_pdf(make_pdf, english_notice: Notice) -> Pdf:
    return make_pdf(english_notice)


@pytest.fixture(scope="module")
def rare_notice(notice: Notice) -> Notice:
    return dataclasses.replace(notice, company_name=RARE_NAME, doc_number="枞住建信评〔2025〕15号",
                               verification_code="W9FD-3JQA-6MZC")


@pytest.fixture(scope="module")
def rare_pdf(make_pdf, rare_notice: Notice) -> Pdf:
    return make_pdf(rare_notice)


@pytest.fixture(scope="module")
def long_notice(notice: Notice) -> Notice:
    """Four reasons with 30 evidence records each; the service passes at most six record numbers per reason."""
    reasons = [ReasonRow(label, lost, [f"{prefix}-{n:05d}" for n in range(1, 7)], 30)
               for label, lost, prefix in (("日常巡查扣分", "13.75", "XC2025"), ("投诉超期办结", "4.20", "GD2025"),
                                           ("投诉查实", "3.60", "GD2026"), ("未按规定公示收费", "3.00", "WG2025"))]
    return dataclasses.replace(notice, reasons=reasons, doc_number="枞住建信评〔2025〕16号")


@pytest.fixture(scope="module")
def long_pdf(make_pdf, long_notice: Notice) -> Pdf:
    return make_pdf(long_notice)


@pytest.fixture(scope="module")
def all_pdfs(notice_pdf, revised_pdf, bulletin_pdf, english_pdf, rare_pdf, long_pdf) -> dict[str, Pdf]:
    return {"notice": notice_pdf, "revised": revised_pdf, "bulletin": bulletin_pdf, "english": english_pdf,
            "rare": rare_pdf, "long": long_pdf}


DOC_KINDS = ["notice", "revised", "bulletin", "english", "rare", "long"]


# --- 1. text ------------------------------------------------------------------------------------------------


def test_format_date_uses_arabic_numerals_without_leading_zeros() -> None:
    assert format_date(dt.date(2025, 7, 8)) == "2025年7月8日"
    assert format_date(dt.date(2026, 1, 19)) == "2026年1月19日"
    assert format_date(dt.date(2025, 12, 31)) == "2025年12月31日"


def test_notice_text_holds_the_facts_of_the_rating(notice_pdf: Pdf, notice: Notice) -> None:
    expected = [notice.company_name, notice.credit_code, f"信用得分{notice.score}分", "信用等级B级",
                "2026年1月19日", "2026年1月12日", "2025年1月1日至2025年12月31日", "枞住建信评〔2025〕12号",
                notice.verification_code, notice.issuer.name, "黑榜",
                *INSPECTION_IDS, *COMPLAINT_IDS, *FEE_IDS, "等，共14条"]
    missing = [item for item in expected if flat(item) not in notice_pdf.flat_text]
    assert not missing, f"not in the PDF text: {missing}\n{notice_pdf.text}"
    # The address may wrap after a "/" beside the signature: whole in reading order.
    assert notice.verification_url in notice_pdf.flat_reading_order
    # Arabic numerals without leading zeros, six-corner brackets (not square or round ones) in the number.
    assert "2026年01月" not in notice_pdf.flat_text
    assert "[2025]" not in notice_pdf.flat_text and "（2025）12号" not in notice_pdf.flat_text


def test_notice_lists_every_indicator_with_its_points(notice_pdf: Pdf, notice: Notice) -> None:
    for row in notice.indicators:
        for value in (row.label, row.measure, row.sub_score, row.weight, row.earned, row.lost, row.note or ""):
            assert flat(value) in notice_pdf.flat_reading_order, value


def test_indicator_table_ends_with_the_bonus_and_the_total(notice_pdf: Pdf, revised_pdf: Pdf) -> None:
    assert "综合得分78.6" in notice_pdf.flat_reading_order
    assert "良好行为加分" not in notice_pdf.flat_reading_order  # no bonus, no bonus row
    assert "良好行为加分+1.50" in revised_pdf.flat_reading_order
    assert "综合得分81.2" in revised_pdf.flat_reading_order


def _words(pdf: Pdf) -> list[tuple[str, float, float]]:
    """(text, xMin, xMax) of every word, in reading order (pdftotext -bbox)."""
    out = pdf.run("pdftotext", "-bbox", "-enc", "UTF-8", str(pdf.path), "-")
    pattern = r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)</word>'
    return [(html.unescape(text), float(x0), float(x1)) for x0, x1, text in re.findall(pattern, out)]


@pytest.mark.parametrize(("kind", "labels"), [
    pytest.param("notice", ["日常巡查", "投诉处理", "收费违规"], id="notice"),
    pytest.param("revised", ["日常巡查", "投诉处理", "收费违规"], id="revised"),
])
def test_indicator_labels_stay_in_their_column(all_pdfs: dict[str, Pdf], kind: str, labels: list[str]) -> None:
    words = _words(all_pdfs[kind])
    texts = [w[0] for w in words]
    measure_left = next(x0 for text, x0, _ in words if text.startswith("巡查扣分密度"))  # text start of column 2
    for label in labels:
        tokens = label.split()
        start = next(i for i in range(len(texts)) if texts[i:i + len(tokens)] == tokens)
        right = words[start + len(tokens) - 1][2]
        # Column 2's text starts 1.5 mm (4.25 pt) right of the border between the columns.
        assert right <= measure_left - 3, f"{label!r} ends at {right:.1f} pt, past the column border"


@pytest.mark.parametrize(("kind", "label", "value"), [
    pytest.param("revised", "良好行为加分", "+1.50", id="bonus"),
    pytest.param("revised", "综合得分", "81.2", id="total"),
    pytest.param("english", "Total score", None, id="english-total"),
])
def test_sum_rows_end_before_their_points(all_pdfs: dict[str, Pdf], kind: str, label: str,
                                          value: str | None) -> None:
    """The bonus and total rows span the first four columns; their label ends left of the points cell."""
    words = _words(all_pdfs[kind])
    texts = [w[0] for w in words]
    tokens = label.split()
    start = next(i for i in range(len(texts)) if texts[i:i + len(tokens)] == tokens)
    label_right = words[start + len(tokens) - 1][2]
    points = words[start + len(tokens)]
    if value is not None:
        assert points[0] == value
    weight_left = next(x0 for text, x0, _ in words if text in ("0.5000", "0.4000", "0.3000"))
    assert label_right < weight_left + 60, "the label runs into the points column"
    assert points[1] > label_right, f"{label!r} ends at {label_right:.1f} pt, past its points at {points[1]:.1f} pt"


def test_revised_notice_names_what_it_replaces(revised_pdf: Pdf, revised_notice: Notice) -> None:
    revision = revised_notice.revision
    assert revision is not None and revision.decision_doc_number
    expected = ["物业服务企业信用评价结果告知书（更正）", "枞住建信评〔2026〕3号", revision.replaces_doc_number,
                revision.decision_doc_number, f"更正前得分{revision.previous_score}分、等级{revision.previous_grade}级",
                "信用得分81.2分，信用等级A级", "2026年2月26日", revised_notice.verification_code]
    missing = [item for item in expected if flat(item) not in revised_pdf.flat_text]
    assert not missing, f"not in the PDF text: {missing}\n{revised_pdf.text}"
    assert "黑榜" not in revised_pdf.flat_text  # the revised rating left the black list
    assert INSPECTION_IDS[0] not in revised_pdf.flat_text  # struck by the appeal decision


def test_bulletin_lists_every_company_and_credit_code(bulletin_pdf: Pdf, bulletin: Bulletin) -> None:
    assert len(bulletin.rows) == 18
    missing = [(row.company_name, row.credit_code) for row in bulletin.rows
               if row.company_name not in bulletin_pdf.flat_text or row.credit_code not in bulletin_pdf.flat_text]
    assert not missing, f"not in the PDF text: {missing}\n{bulletin_pdf.text}"
    assert "枞住建信评〔2025〕11号" in bulletin_pdf.flat_text
    assert "公示期至2026年1月19日止" in bulletin_pdf.flat_text
    assert "本次共评价18家企业" in bulletin_pdf.flat_text


# --- 2. fonts -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", DOC_KINDS)
def test_every_font_is_embedded_and_none_is_type3(all_pdfs: dict[str, Pdf], kind: str) -> None:
    rows = all_pdfs[kind].fonts
    assert rows, "pdffonts lists no font"
    assert [r for r in rows if r["emb"] != "yes"] == []
    assert [r for r in rows if "Type 3" in r["type"]] == []
    assert [r for r in rows if r["uni"] != "yes"] == []  # every font maps back to Unicode (text can be copied)
    # WeasyPrint writes a custom encoding only to map missing glyphs to .notdef.
    assert [r for r in rows if r["encoding"] != "Identity-H"] == []


@pytest.mark.parametrize("kind", ["notice", "revised", "bulletin", "english", "long"])
def test_ordinary_documents_use_only_the_shipped_fonts(all_pdfs: dict[str, Pdf], kind: str) -> None:
    """Identical on every machine: no system font is needed for ordinary data."""
    names = {row["name"].partition("+")[2] for row in all_pdfs[kind].fonts}
    assert names <= fonts.PDF_NAMES, names


# --- 3. glyph coverage --------------------------------------------------------------------------------------


def _missing_from(coverage: frozenset[int] | set[int], chars: set[str]) -> list[str]:
    return sorted(f"{c} U+{ord(c):04X}" for c in chars if ord(c) not in coverage and c not in "\n\r\t")


def _heading_cmap() -> set[int]:
    """What both the heading face (黑体) and the title face (小标宋-style) draw."""
    from fontTools.ttLib import TTFont

    with TTFont(str(fonts.HEADING), lazy=True) as heading, TTFont(str(fonts.TITLE), lazy=True) as title:
        return set(heading.getBestCmap()) & set(title.getBestCmap())


class _TextOf(html.parser.HTMLParser):
    """The text a template draws, split into what is set in the bold face and what in the regular face."""

    BOLD = {"h1", "h2", "th"}
    VOID = {"meta", "br", "img", "col", "hr", "link"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = [False]
        self.skip = 0
        self.regular: set[str] = set()
        self.bold: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        if tag in ("title", "head"):
            self.skip += 1
        classes = (dict(attrs).get("class") or "").split()
        self.stack.append(self.stack[-1] or tag in self.BOLD or "issuer" in classes)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if tag in ("title", "head"):
            self.skip -= 1
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            (self.bold if self.stack[-1] else self.regular).update(data)


def test_shipped_font_coverage_is_the_regular_font_cmap() -> None:
    from fontTools.ttLib import TTFont

    with TTFont(str(fonts.BODY), lazy=True) as body, TTFont(str(fonts.EXTRA), lazy=True) as extra:
        assert fonts.shipped_coverage() == frozenset(body.getBestCmap()) | frozenset(extra.getBestCmap())


def test_shipped_font_draws_every_character_of_the_demo_data() -> None:
    chars: set[str] = set()
    for path in sorted(DEMO_DIR.glob("*.csv")):
        chars |= set(path.read_text(encoding="utf-8-sig"))
    assert len(chars) > 300
    assert _missing_from(fonts.shipped_coverage(), chars) == []


def test_shipped_fonts_draw_every_character_of_the_templates(notice: Notice, revised_notice: Notice,
                                                             bulletin: Bulletin) -> None:
    regular: set[str] = set()
    bold: set[str] = set()
    # Wording only some notices have: provisional grade, no reasons, a reason without points, an indicator not
    # assessed.
    unusual = dataclasses.replace(notice, provisional=True, reasons=[])
    unusual_too = dataclasses.replace(notice, reasons=[ReasonRow("一票否决事项", None, ["ZD2025-001"], 1)],
                                      indicators=[dataclasses.replace(notice.indicators[0], sub_score="")])
    documents = [notice, revised_notice, bulletin, unusual, unusual_too]
    for document in [*documents, *(dataclasses.replace(d, lang="en") for d in documents)]:
        parser = _TextOf()
        parser.feed(reports.renderer().html(document))
        regular |= parser.regular
        bold |= parser.bold
    # Generated text of the stylesheet: the page numbers "— 1 —".
    css = (Path(reports.__file__).parent / "templates" / "style.css").read_text(encoding="utf-8")
    for content in re.findall(r'content:\s*([^;]*);', css):
        regular |= set("".join(re.findall(r'"([^"]*)"', content)) + "0123456789")
    assert "信" in bold and "—" in regular and set("未评价not assessed") <= regular  # the parser saw the text
    assert _missing_from(fonts.shipped_coverage(), regular | bold) == [], "regular face"
    assert _missing_from(_heading_cmap(), bold) == [], "heading and title faces (headings, titles, table heads)"


# Rare characters in a company name


def test_drawable_writes_characters_no_font_has_as_code_points() -> None:
    assert fonts.missing(UNDRAWABLE) == set(UNDRAWABLE)
    assert fonts.missing(SHIPPED_NAMES) == set()
    assert all(ord(c) in fonts.shipped_coverage() for c in SHIPPED_NAMES)
    assert fonts.drawable(f"甲{UNDRAWABLE}乙") == "甲〔U+31350〕〔U+E000〕乙"
    assert fonts.drawable(SHIPPED_NAMES) == SHIPPED_NAMES


def test_rare_name_characters_shipped_in_the_font_round_trip(rare_pdf: Pdf) -> None:
    assert SHIPPED_NAMES in rare_pdf.flat_text


@pytest.mark.skipif(not HANAMIN_B.exists(), reason=f"fallback font {HANAMIN_B} (fonts-hanazono) is not installed")
def test_extension_b_characters_are_drawn_by_a_fallback_font(rare_pdf: Pdf) -> None:
    assert fonts.missing(EXT_B) == set()
    assert fonts.drawable(EXT_B) == EXT_B
    for c in EXT_B:
        assert c in rare_pdf.flat_text, f"U+{ord(c):X} not in the text layer"
    fallbacks = {row["name"].partition("+")[2] for row in rare_pdf.fonts} - fonts.PDF_NAMES
    assert fallbacks, "a character outside the shipped font was drawn without a fallback font"


def test_characters_no_font_has_appear_as_code_points(rare_pdf: Pdf) -> None:
    assert "〔U+31350〕" in rare_pdf.flat_text
    assert "〔U+E000〕" in rare_pdf.flat_text
    assert not set(UNDRAWABLE) & set(rare_pdf.text)
    expected_name = fonts.drawable(RARE_NAME)
    assert flat(expected_name) + "：" in rare_pdf.flat_text  # the addressee line, whole


@pytest.mark.parametrize("kind", DOC_KINDS)
def test_no_replacement_characters_and_the_company_names_round_trip(all_pdfs: dict[str, Pdf], kind: str,
                                                                    notice: Notice, english_notice: Notice,
                                                                    revised_notice: Notice, rare_notice: Notice,
                                                                    long_notice: Notice, bulletin: Bulletin) -> None:
    pdf = all_pdfs[kind]
    assert "\ufffd" not in pdf.text
    if kind == "bulletin":
        names = [row.company_name for row in bulletin.rows]
    else:
        document = {"notice": notice, "english": english_notice, "revised": revised_notice, "rare": rare_notice,
                    "long": long_notice}[kind]
        names = [fonts.drawable(document.company_name)]
    for name in names:
        assert flat(name) in pdf.flat_text


def _glyph_count(descendant: pypdf.generic.DictionaryObject) -> int:
    from fontTools.cffLib import CFFFontSet
    from fontTools.ttLib import TTFont

    descriptor = descendant["/FontDescriptor"].get_object()
    stream = next(descriptor[k] for k in ("/FontFile2", "/FontFile3") if k in descriptor).get_object()
    data = stream.get_data()
    if stream.get("/Subtype") in ("/CIDFontType0C", "/Type1C"):
        cff = CFFFontSet()
        cff.decompile(io.BytesIO(data), None)
        return len(cff[cff.fontNames[0]].CharStrings)
    return TTFont(io.BytesIO(data))["maxp"].numGlyphs


def _glyph_of(font_dict: pypdf.generic.DictionaryObject) -> Callable[[int], int]:
    """Code -> glyph id of a Type0 font: Identity-H with /CIDToGIDMap /Identity, or a CMap of `begincidchar`
    entries (what WeasyPrint writes when a glyph was missing: the missing ones map to 0, .notdef)."""
    assert font_dict["/Subtype"] == "/Type0"
    descendant = font_dict["/DescendantFonts"][0].get_object()
    assert descendant.get("/CIDToGIDMap", "/Identity") == "/Identity"
    count = _glyph_count(descendant)
    encoding = font_dict["/Encoding"]
    if encoding == "/Identity-H":
        return lambda code: code if code < count else 0
    cmap = encoding.get_object().get_data().decode("latin-1")
    cids = {int(code, 16): int(cid) for code, cid in re.findall(r"<([0-9a-fA-F]{4})>\s+(\d+)", cmap)}
    return lambda code: cids.get(code, 0) if cids.get(code, 0) < count else 0


def _notdef_glyphs(reader: pypdf.PdfReader) -> list[str]:
    """Shown glyphs that are .notdef (glyph 0, or one the embedded font does not have)."""
    bad = []
    for number, page in enumerate(reader.pages, start=1):
        font_dicts = page["/Resources"]["/Font"]
        glyph_of: dict[str, Callable[[int], int]] = {}
        font: str | None = None
        stack: list[str | None] = []
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"q":
                stack.append(font)
            elif operator == b"Q":
                font = stack.pop()
            elif operator == b"Tf":
                font = str(operands[0])
            elif operator in (b"Tj", b"TJ", b"'", b'"'):
                assert font is not None
                if font not in glyph_of:
                    glyph_of[font] = _glyph_of(font_dicts[font].get_object())
                strings = operands[0] if operator == b"TJ" else [operands[-1]]
                for item in strings:
                    if isinstance(item, TextStringObject | ByteStringObject):
                        raw = item.original_bytes
                        for i in range(0, len(raw), 2):
                            code = int.from_bytes(raw[i:i + 2], "big")
                            if glyph_of[font](code) == 0:
                                bad.append(f"page {number}, {font_dicts[font]['/BaseFont']}: code {code:04x}")
    return bad


@pytest.mark.parametrize("kind", DOC_KINDS)
def test_no_glyph_is_notdef(all_pdfs: dict[str, Pdf], kind: str) -> None:
    pdf = all_pdfs[kind]
    assert pdf.notdef_warnings == []
    assert _notdef_glyphs(pdf.reader) == []


# --- 4. QR code ---------------------------------------------------------------------------------------------


def _decoded_qr_codes(pdf: Pdf) -> list[str]:
    import PIL.Image
    import zxingcpp

    prefix = pdf.path.with_suffix("")
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(pdf.path), str(prefix)], check=True)
    texts = []
    for png in sorted(prefix.parent.glob(f"{prefix.name}-*.png")):
        with PIL.Image.open(png) as image:
            texts += [barcode.text for barcode in zxingcpp.read_barcodes(image)]
    return texts


@pytest.mark.parametrize("kind", ["notice", "revised"])
def test_qr_code_decodes_to_the_verification_url(all_pdfs: dict[str, Pdf], kind: str, notice: Notice,
                                                 revised_notice: Notice) -> None:
    document = notice if kind == "notice" else revised_notice
    assert document.verification_url == f"http://127.0.0.1:8000/verify/{document.verification_code}"
    assert _decoded_qr_codes(all_pdfs[kind]) == [document.verification_url]


# --- 5. pages -----------------------------------------------------------------------------------------------


def test_typical_notice_takes_one_to_three_a4_pages(notice_pdf: Pdf, revised_pdf: Pdf) -> None:
    for pdf in (notice_pdf, revised_pdf):
        assert 1 <= int(pdf.info["Pages"]) <= 3  # 仿宋 3号 body (GB/T 9704): a third page for the signature
        assert "(A4)" in pdf.info["Page size"]


def test_notice_with_many_evidence_records_stays_within_three_pages(long_pdf: Pdf, long_notice: Notice) -> None:
    assert int(long_pdf.info["Pages"]) <= 3
    for reason in long_notice.reasons:
        assert flat(reason.label) in long_pdf.flat_text
        for record in reason.record_ids:
            assert record in long_pdf.flat_text
    assert long_pdf.flat_text.count("等，共30条") == 4


def test_bulletin_is_a4_with_page_numbers(bulletin_pdf: Pdf) -> None:
    assert "(A4)" in bulletin_pdf.info["Page size"]
    pages = int(bulletin_pdf.info["Pages"])
    assert pages >= 1
    for page in range(1, pages + 1):
        assert re.search(rf"—\s*{page}\s*—", bulletin_pdf.text), f"no page number — {page} —"


# --- 6. determinism -----------------------------------------------------------------------------------------


def test_rendering_is_deterministic(notice_pdf: Pdf, notice: Notice, bulletin_pdf: Pdf, bulletin: Bulletin) -> None:
    assert render_notice(notice) == notice_pdf.data
    assert render_bulletin(bulletin) == bulletin_pdf.data


def test_different_notices_give_different_bytes_and_identifiers(notice_pdf: Pdf, rare_pdf: Pdf,
                                                               revised_pdf: Pdf) -> None:
    assert len({pdf.data for pdf in (notice_pdf, rare_pdf, revised_pdf)}) == 3
    identifiers = {bytes(pdf.reader.trailer["/ID"][0].original_bytes) for pdf in (notice_pdf, rare_pdf, revised_pdf)}
    assert len(identifiers) == 3


def test_pdf_identifier_comes_from_the_document_number_not_the_content(notice: Notice, notice_pdf: Pdf) -> None:
    other = render_notice(dataclasses.replace(notice, score="79.9"))
    assert other != notice_pdf.data
    first_id = pypdf.PdfReader(io.BytesIO(other)).trailer["/ID"][0]
    assert first_id.original_bytes == notice_pdf.reader.trailer["/ID"][0].original_bytes


# --- 7. PDF/A-3b and metadata -------------------------------------------------------------------------------


def _xmp(pdf: Pdf) -> str:
    return pdf.reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")


@pytest.mark.parametrize("kind", ["notice", "revised", "bulletin", "english"])
def test_pdfa_3b_identification_and_output_intent(all_pdfs: dict[str, Pdf], kind: str) -> None:
    pdf = all_pdfs[kind]
    xmp = _xmp(pdf)
    assert re.search(r'pdfaid:part(="3"|>3<)', xmp), xmp
    assert re.search(r'pdfaid:conformance(="B"|>B<)', xmp), xmp
    catalog = pdf.reader.trailer["/Root"]
    intents = catalog["/OutputIntents"]
    assert len(intents) >= 1
    intent = intents[0].get_object()
    assert intent["/S"] == "/GTS_PDFA1" and "/DestOutputProfile" in intent
    assert "/ID" in pdf.reader.trailer


def test_notice_metadata(notice_pdf: Pdf, notice: Notice) -> None:
    meta = notice_pdf.reader.metadata
    assert meta is not None
    assert "物业服务企业信用评价结果告知书" in meta.title and notice.doc_number in meta.title
    assert meta.author == "枞阳县住房和城乡建设局"
    assert meta.subject and notice.company_name in meta.subject
    assert meta.creation_date == dt.datetime(2026, 1, 12, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert meta.modification_date == meta.creation_date
    assert notice_pdf.reader.trailer["/Root"]["/Lang"] == "zh-CN"
    xmp = _xmp(notice_pdf)
    assert notice.doc_number in xmp and "2026-01-12T00:00:00+08:00" in xmp


def test_revised_notice_and_bulletin_metadata(revised_pdf: Pdf, bulletin_pdf: Pdf) -> None:
    revised = revised_pdf.reader.metadata
    assert revised is not None and "（更正）" in revised.title and "枞住建信评〔2026〕3号" in revised.title
    assert revised.creation_date is not None and revised.creation_date.date() == dt.date(2026, 2, 9)
    bulletin = bulletin_pdf.reader.metadata
    assert bulletin is not None and "公示名单" in bulletin.title and "枞住建信评〔2025〕11号" in bulletin.title
    assert bulletin.author == "枞阳县住房和城乡建设局" and bulletin.subject
    assert bulletin_pdf.reader.trailer["/Root"]["/Lang"] == "zh-CN"


# --- 8. parallel rendering ----------------------------------------------------------------------------------


def test_render_many_in_two_processes_matches_single_renders() -> None:
    companies = ["安徽皖江物业服务有限公司", "枞阳县浮山物业管理有限公司", "枞阳县长河物业管理有限公司",
                 "枞阳县鸿泰物业管理有限公司", "安徽诚信达物业服务有限公司", "枞阳县安居物业管理有限公司"]
    notices = [make_notice(company_name=name, doc_number=f"枞住建信评〔2025〕{20 + i}号", score=f"{70 + 3.1 * i:.1f}",
                           verification_code=f"P{i}QX-M2PD-94TR") for i, name in enumerate(companies)]
    seen: list[int] = []
    results = list(render_many(notices, processes=2, progress=seen.append))
    assert sorted(r.index for r in results) == list(range(6))
    assert seen == [1, 2, 3, 4, 5, 6]
    by_index = {r.index: r for r in results}
    for i, document in enumerate(notices):
        result = by_index[i]
        assert isinstance(result, reports.Rendered)
        assert result.sha256 == hashlib.sha256(result.pdf).hexdigest()
        assert result.pdf == render_notice(document), f"notice {i} differs from a single-process render"
    assert len({r.sha256 for r in results}) == 6


# --- 9. English ---------------------------------------------------------------------------------------------


def test_english_notice(english_pdf: Pdf, english_notice: Notice) -> None:
    assert flat("Notice of Credit Rating Result") in english_pdf.flat_text
    assert "2026-01-19" in english_pdf.flat_text and english_notice.verification_code in english_pdf.flat_text
    assert english_pdf.reader.trailer["/Root"]["/Lang"] == "en"
    meta = english_pdf.reader.metadata
    assert meta is not None and "Notice of Credit Rating Result" in meta.title


def test_english_sentences_are_separated_by_a_space(english_pdf: Pdf) -> None:
    """The result sentence and the list sentence are two sentences: "grade B. Also listed: …"."""
    text = re.sub(r"\s+", " ", english_pdf.text)
    assert "grade B. Also listed" in text, re.search(r"grade B.{0,30}", text)
