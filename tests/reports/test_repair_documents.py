"""The 信用修复决定书 and the 信用承诺书 as HTML and PDF: the facts printed, no internal code, no "None", no
person, in Chinese and in English; the same data render to the same bytes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

from reports.model import Commitment, RepairDecision, as_payload, from_payload
from reports.render import render, renderer
from tests.reports.documents import ISSUER

# Codes of the rules and records that must never reach a reader, and what a missing value prints as.
CODES = ("black_list", "veto", "records", "fee_violations", "major_events", "maintenance_fund", "rectified",
         "penalty_fulfilled", "commitment_signed", "no_new_same_kind", "repaired", "refused", "acceptance",
         "serious", "general", "None", "null", "{", "}")
CODE = "913407225190696375"
NAME = "安徽顺和物业服务有限公司"


def decision(lang: str = "zh", *, repaired: bool = True) -> RepairDecision:
    zh = lang == "zh"
    return RepairDecision(
        issuer=ISSUER, doc_number="枞住建信评〔2026〕5号", issue_date=dt.date(2026, 3, 2), company_name=NAME,
        credit_code=CODE, cycle_name="2024年度", request_id=3, filed_on=dt.date(2026, 2, 16),
        mark="列入黑榜" if zh else "Black list",
        marked=["2024年度信用评价列入黑榜（严重失信行为，公示自2025年1月15日起计算）" if zh else
                "Black list in the 2024年度 credit rating (Serious breach of trust; publicity counted from 2025-01-15)",
                "收费违规记录WG2024-017（2024年5月3日，挪用住宅专项维修资金）" if zh else
                "Fee violations record WG2024-017 (2024-05-03, Misusing the maintenance fund)"],
        original_notice="枞住建信评〔2025〕9号",
        statement="已全额归还挪用的专项维修资金并建立资金管理制度。",
        evidence=["evidence-1.pdf", "evidence-2.jpg"],
        conditions=[["已完成整改并提供证明材料", "符合"], ["已签署信用承诺书", "符合（2026年2月16日在线签署）"]]
        if zh else [["The conduct is corrected, with evidence", "Met"], ["The credit commitment is signed", "Met"]],
        verification_note="经现场核查，整改属实。" if repaired else None,
        outcome=("同意修复" if zh else "Repair granted") if repaired else ("不予受理" if zh else "Not accepted"),
        repaired=repaired, reasons="符合修复条件。" if repaired else "未提交整改证明。",
        effects=["自2026年3月2日起，你单位不再列入2024年度信用评价黑榜。"] if repaired else
        ["你单位可自2026年4月1日起重新提出信用修复申请。"],
        repaired_on=dt.date(2026, 3, 2) if repaired else None,
        commitment_until=dt.date(2027, 3, 2) if repaired else None,
        refile_from=None if repaired else dt.date(2026, 4, 1),
        basis="《失信行为纠正后的信用信息修复管理办法（试行）》（国家发展改革委令2023年第58号）",
        verification_code="K7QM-2WXR-9HTD", lang=lang)  # type: ignore[arg-type]


def commitment(lang: str = "zh") -> Commitment:
    return Commitment(
        issuer=ISSUER, company_name=NAME, credit_code=CODE, cycle_name="2024年度", request_id=3,
        mark="列入黑榜" if lang == "zh" else "Black list",
        paragraphs=[f"第{i}项承诺。" if lang == "zh" else f"Undertaking {i}." for i in range(1, 6)],
        commitment_months=12, signed_on=dt.date(2026, 2, 16), signed_at="2026-02-16T10:05:30+08:00",
        issue_date=dt.date(2026, 2, 16), doc_number="", lang=lang)  # type: ignore[arg-type]


def visible(html: str) -> str:
    """The text a reader sees: tags and the QR image's data dropped."""
    return re.sub(r"<[^>]+>", " ", re.sub(r'src="[^"]*"', "", html))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("repaired", [True, False])
def test_the_decision_prints_its_facts_and_no_code(lang, repaired):
    d = decision(lang, repaired=repaired)
    text = visible(renderer().html(d))
    for fact in (d.doc_number, NAME, CODE, "2024年度", d.outcome, d.reasons, d.statement, "evidence-1.pdf",
                 "WG2024-017", "枞住建信评〔2025〕9号", d.verification_code, ISSUER.name, d.basis, *d.effects,
                 *(c for pair in d.conditions for c in pair)):
        assert fact in text, fact
    assert ("2026年3月2日" if lang == "zh" else "2026-03-02") in text  # the issue date
    assert [code for code in CODES if code in text] == []
    if not repaired:
        assert ("未经现场核查" if lang == "zh" else "No on-site verification") in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_commitment_is_the_companys_letter_signed_online(lang):
    c = commitment(lang)
    text = visible(renderer().html(c))
    for fact in (NAME, CODE, "2024年度", c.mark, ISSUER.name, *c.paragraphs):
        assert fact in text, fact
    assert ("2026年2月16日10时05分" if lang == "zh" else "2026-02-16 10:05") in text
    assert ("在线签署" if lang == "zh" else "Signed online") in text
    assert ("12个月" if lang == "zh" else "12 months") in text
    assert "枞住建信评" not in text  # a company's letter takes no bureau number
    assert [code for code in CODES if code in text] == []


def test_both_round_trip_and_render_the_same_bytes_twice():
    for document in (decision(), decision("en", repaired=False), commitment(), commitment("en")):
        assert from_payload(as_payload(document)) == document
    first, again = render(commitment()), render(from_payload(as_payload(commitment())))
    assert first.startswith(b"%PDF") and first == again
    assert render(decision()) == render(decision())
    # another request's commitment is another file
    assert render(dataclasses.replace(commitment(), request_id=4)) != first
