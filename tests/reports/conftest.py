"""Documents for the `reports` tests: a realistic notice, its revision after an appeal, and a bulletin of the
18 demo companies."""

from __future__ import annotations

import datetime as dt

import pytest

from reports import Bulletin, BulletinRow, Notice, ReasonRow, Revision
from tests.reports.documents import (
    APPEAL_DEADLINE,
    COMPLAINT_IDS,
    INSPECTION_IDS,
    ISSUE_DATE,
    ISSUER,
    demo_companies,
    make_notice,
)


@pytest.fixture(scope="session")
def notice() -> Notice:
    return make_notice()


@pytest.fixture(scope="session")
def revised_notice() -> Notice:
    """The same company's notice after an appeal decision struck two inspection records and granted a bonus."""
    return make_notice(
        doc_number="枞住建信评〔2026〕3号",
        issue_date=dt.date(2026, 2, 9),
        score="81.2",
        grade="A",
        bonus="1.50",
        flags=[],
        reasons=[
            ReasonRow("日常巡查扣分", "9.50", INSPECTION_IDS[2:], 12),
            ReasonRow("投诉超期办结", "2.10", COMPLAINT_IDS, 2),
        ],
        path_headline="距 AA 级还差 3.8 分",
        appeal_deadline=dt.date(2026, 2, 26),
        verification_code="R3VN-8HKW-2CQE",
        revision=Revision(replaces_doc_number="枞住建信评〔2025〕12号", decision_doc_number="枞住建信复〔2026〕2号",
                          previous_score="78.6", previous_grade="B"),
    )


@pytest.fixture(scope="session")
def bulletin() -> Bulletin:
    """The public list of all 18 demo companies."""
    grades = ["AA", "A", "B", "C"]
    rows = []
    for i, (code, name) in enumerate(demo_companies()):
        grade = grades[i % 4]
        rows.append(BulletinRow(company_name=name, credit_code=code, score=f"{95 - 2.3 * i:.1f}", grade=grade,
                                provisional=i % 7 == 3, lists={"AA": "红榜", "C": "黑榜"}.get(grade, "")))
    counts = [(g, sum(r.grade == g for r in rows)) for g in grades]
    return Bulletin(issuer=ISSUER, doc_number="枞住建信评〔2025〕11号", issue_date=ISSUE_DATE, cycle_name="2025年度",
                    period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 12, 31),
                    publicity_end=APPEAL_DEADLINE, methodology_id="ZY-2025", rows=rows, grade_counts=counts)
