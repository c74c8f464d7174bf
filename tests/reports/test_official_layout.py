"""GB/T 9704 layout of the issued documents: page numbers on the outer edges, evidence in body size, the
verification code and address never broken inside a token, the signature never alone on a page, the decision
record's 救济途径 and "你单位"; read back from the PDFs with poppler's pdftotext."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from reports import ReasonRow, render
from reports.model import AppealRecord, ContestedItem, Notice
from reports.texts import TEXT
from tests.reports.documents import ISSUER, make_notice

EVIDENCE = [f"日常巡查 XC2025-{n:05d}，2025年{m}月{d}日，枞阳县浮山花园小区，消防通道堵塞（一般），"
            f"限期7日整改，逾期未整改，扣3分" for n, m, d in ((17, 3, 4), (42, 5, 9), (58, 6, 2))]
VETO = ("因存在挪用住宅专项维修资金行为（枞住建罚〔2025〕14号，涉及金额 48,600 元），依评价细则第五条一票否决，"
        "信用等级评定为 C 级，列入黑榜。")


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Layout:
    text: str
    words: list[Word]
    page_width: float
    page_height: float
    pages: int


def _layout(data: bytes, path: Path) -> Layout:
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    bbox = subprocess.run(["pdftotext", "-bbox", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    words: list[Word] = []
    page = 0
    width = height = 0.0
    for line in bbox.splitlines():
        if m := re.search(r'<page width="([\d.]+)" height="([\d.]+)"', line):
            page += 1
            width, height = float(m[1]), float(m[2])
        elif m := re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>',
                            line):
            words.append(Word(page, html.unescape(m[5]), *(float(m[i]) for i in range(1, 5))))
    return Layout(text, words, width, height, page)


@pytest.fixture(scope="module")
def veto_notice() -> Notice:
    records = ["XC2025-00017", "XC2025-00042", "XC2025-00058"]
    reasons = [ReasonRow("日常巡查扣分", "13.75", records, 14, evidence=EVIDENCE)]
    return make_notice(doc_number="枞住建信评〔2025〕17号", grade="C", flags=["一票否决", "黑榜"], reasons=reasons,
                       veto_statement=VETO)


@pytest.fixture(scope="module")
def record() -> AppealRecord:
    return AppealRecord(
        issuer=ISSUER, doc_number="枞住建信评〔2026〕20号", issue_date=dt.date(2026, 2, 9),
        company_name="安徽皖江物业服务有限公司", credit_code="91340722927900581W", cycle_name="2025年度", appeal_id=3,
        filed_on=dt.date(2026, 1, 15), scope="对记录的异议", grounds="该巡查记录所列问题已于当日整改完毕。" * 3,
        items=[ContestedItem(f"日常巡查 XC2025-{n:05d}", "撤销", "经核实，问题已于巡查当日整改，记录撤销")
               for n in range(1, 5)],
        outcome="异议部分成立", reasons="巡查记录所载问题已当日整改，依评价细则不应扣分。" * 2,
        score_before="78.6", grade_before="B", score_after="81.2", grade_after="A",
        revised_notice="枞住建信评〔2026〕21号", verification_code="R3VN-8HKW-2CQE")


@pytest.fixture(scope="module")
def layouts(tmp_path_factory: pytest.TempPathFactory, veto_notice: Notice, record: AppealRecord) -> dict[str, Layout]:
    folder = tmp_path_factory.mktemp("layout")
    return {name: _layout(render(document), folder / f"{name}.pdf")
            for name, document in (("notice", veto_notice), ("record", record))}


def test_page_numbers_sit_on_the_outer_edges(layouts: dict[str, Layout]) -> None:
    for name, layout in layouts.items():
        assert layout.pages >= 2, name
        for page in range(1, layout.pages + 1):
            numbers = [w for w in layout.words if w.page == page and w.text == str(page)
                       and w.y0 > layout.page_height - 35 * 72 / 25.4]
            assert len(numbers) == 1, (name, page)
            middle = (numbers[0].x0 + numbers[0].x1) / 2
            if page % 2:  # odd pages: right
                assert middle > layout.page_width * 0.75, (name, page, middle)
            else:
                assert middle < layout.page_width * 0.25, (name, page, middle)


def test_evidence_lines_are_printed_in_body_size(layouts: dict[str, Layout]) -> None:
    words = layouts["notice"].words
    body = next(w for w in words if w.text.startswith("信用得分"))
    for record_id in ("XC2025-00017", "XC2025-00042", "XC2025-00058"):
        line = next(w for w in words if w.text.startswith(record_id))
        assert abs((line.y1 - line.y0) - (body.y1 - body.y0)) < 1.0, record_id


def test_veto_statement_replaces_the_bare_flags_line(layouts: dict[str, Layout]) -> None:
    flat = re.sub(r"\s+", "", layouts["notice"].text)
    assert re.sub(r"\s+", "", VETO) in flat
    assert "同时列入" not in flat


@pytest.mark.parametrize("name", ["notice", "record"])
def test_verification_code_and_address_are_never_broken_inside_a_token(layouts: dict[str, Layout],
                                                                         veto_notice: Notice,
                                                                         record: AppealRecord, name: str) -> None:
    document = veto_notice if name == "notice" else record
    lines = layouts[name].text.splitlines()
    assert any(document.verification_code in line for line in lines)
    host, _, tail = document.verification_url.partition("/verify/")
    # The address is on one line, or wrapped only after a "/".
    assert any(document.verification_url in line for line in lines) or (
        any(line.endswith(host + "/") for line in lines) and any(f"verify/{tail}" in line for line in lines))


@pytest.mark.parametrize("name", ["notice", "record"])
def test_the_signature_is_never_alone_on_its_page(layouts: dict[str, Layout], name: str) -> None:
    layout = layouts[name]
    signature = [w for w in layout.words if w.text == "（盖章）"]
    assert len(signature) == 1
    page = signature[0].page
    signature_words = {"枞阳县住房和城乡建设局", "（盖章）", "—", str(page)}
    others = [w for w in layout.words if w.page == page and w.text not in signature_words
              and not re.fullmatch(r"\d{4}年\d+月\d+日", w.text) and w.y0 < signature[0].y0]
    # Above or beside the signature: a heading and the text of the last section (or the verification block).
    assert len(others) >= 2 and any(re.match(r"[一二三四五六七八九十]、", w.text) for w in others), \
        [w.text for w in others]


def test_decision_record_has_remedies_and_addresses_the_company_as_you(layouts: dict[str, Layout],
                                                                      record: AppealRecord) -> None:
    flat = re.sub(r"\s+", "", layouts["record"].text)
    assert TEXT["zh"]["h_remedy"] in flat and re.sub(r"\s+", "", TEXT["zh"]["remedy"]) in flat
    assert flat.count(record.company_name) == 1  # the salutation only; afterwards 你单位
    assert "你单位" in flat
    # The remedy sentence and the signature share a page.
    words = layouts["record"].words
    remedy_page = next(w.page for w in words if w.text.startswith("你单位如对本决定不服"))
    assert remedy_page == next(w.page for w in words if w.text == "（盖章）")


def test_english_decision_record_has_the_remedy_sentence(tmp_path: Path, record: AppealRecord) -> None:
    layout = _layout(render(dataclasses.replace(record, lang="en")), tmp_path / "en.pdf")
    assert "administrative reconsideration" in re.sub(r"\s+", " ", layout.text)


def test_a_payload_stored_before_the_new_fields_still_loads_and_prints_the_flags_line(tmp_path: Path) -> None:
    from reports.model import as_payload, from_payload

    payload = as_payload(make_notice())
    for key in ("veto_statement", "list_statements"):
        del payload[key]
    for reason in payload["reasons"]:
        del reason["evidence"]
    old = from_payload(payload)
    assert isinstance(old, Notice) and old.veto_statement is None and old.list_statements == []
    assert all(reason.evidence == [] for reason in old.reasons)
    flat = re.sub(r"\s+", "", _layout(render(old), tmp_path / "old.pdf").text)
    assert "同时列入：黑榜" in flat and "XC2025-00017" in flat
