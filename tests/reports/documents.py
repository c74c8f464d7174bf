"""Builders of `reports` documents: a realistic notice (and variants of it), as the service words them.

The data look like what the service words from the Zongyang demo data (fixtures/zongyang/): real company names
and credit codes, record numbers in the demo formats (XC… inspections, GD… complaints, WG… fee violations).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
from pathlib import Path

from reports import IndicatorRow, Issuer, Notice, ReasonRow

ROOT = Path(__file__).resolve().parents[2]
DEMO_DIR = ROOT / "fixtures" / "zongyang"

ISSUER = Issuer(name="枞阳县住房和城乡建设局", short_name="枞住建信评", base_url="http://127.0.0.1:8000")
ISSUE_DATE = dt.date(2026, 1, 12)
APPEAL_DEADLINE = dt.date(2026, 1, 19)  # 5 working days after 12 January 2026 (a Monday)

INSPECTION_IDS = [f"XC2025-{n:05d}" for n in (17, 42, 58, 103, 131, 207)]
COMPLAINT_IDS = ["GD2025-000311", "GD2025-000587"]
FEE_IDS = ["WG2025-004"]


def demo_companies() -> list[tuple[str, str]]:
    """(credit code, name) of every company in the demo data."""
    with (DEMO_DIR / "companies.csv").open(encoding="utf-8-sig", newline="") as f:
        return [(row["统一社会信用代码"], row["企业名称"]) for row in csv.DictReader(f)]


def make_notice(**changes: object) -> Notice:
    notice = Notice(
        issuer=ISSUER,
        doc_number="枞住建信评〔2025〕12号",
        issue_date=ISSUE_DATE,
        company_name="安徽锦程物业服务有限公司",
        credit_code="91340722108190264B",
        cycle_name="2025年度",
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 12, 31),
        score="78.6",
        grade="B",
        provisional=False,
        flags=["黑榜"],
        indicators=[
            IndicatorRow("日常巡查", "巡查扣分密度 0.85（扣分 12，巡查 14 次）", "72.50", "0.5000", "36.25", "13.75"),
            IndicatorRow("投诉处理", "有效投诉率 1.20‰，按时办结率 90.0%（9/10）", "80.00", "0.3000", "24.00", "6.00",
                         "其中投诉率 0.7 × 0.85，时效 0.3 × 0.90"),
            IndicatorRow("收费违规", "收费违规扣分 3", "85.00", "0.2000", "17.00", "3.00"),
        ],
        reasons=[
            ReasonRow("日常巡查扣分", "13.75", INSPECTION_IDS, 14),
            ReasonRow("投诉超期办结", "2.10", COMPLAINT_IDS, 2),
            ReasonRow("未按规定公示收费", "3.00", FEE_IDS, 1),
        ],
        path_headline="距 A 级还差 1.4 分",
        path_steps=["日常巡查：巡查扣分密度降至 0.60 以下", "投诉处理：按时办结率提高到 95% 以上"],
        appeal_deadline=APPEAL_DEADLINE,
        appeal_days=5,
        methodology_id="ZY-2025",
        verification_code="K7QX-M2PD-94TR",
    )
    return dataclasses.replace(notice, **changes) if changes else notice
