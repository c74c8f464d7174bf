"""Inputs for the validation tests: the Zongyang demo CSVs as RatingInputs, and synthetic frames.

The demo CSVs carry Chinese headers and spellings (as the bureau exports them). The service's importer
(rating_service/records/formats.py) maps them; scoring tests must not import the service, so the few
headers and spellings those files use are mapped here.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from scoring.engine import RatingInputs
from tests.scoring.builders import COLUMNS, DATES

ZONGYANG = Path(__file__).resolve().parents[2] / "fixtures" / "zongyang"

HEADERS = {
    "统一社会信用代码": "credit_code", "企业名称": "name", "小区编号": "community_id", "小区名称": "name",
    "户数": "households", "开始日期": "start_date", "结束日期": "end_date", "记录编号": "record_id",
    "检查日期": "inspected_on", "严重程度": "severity", "整改期限": "rectify_by", "整改完成日期": "rectified_on",
    "工单编号": "record_id", "受理时间": "received_on", "是否查实": "substantiated", "办理时限": "due_on",
    "办结时间": "resolved_on", "案件编号": "record_id", "认定日期": "decided_on", "违规类型": "violation_type",
    "涉及金额": "amount_yuan", "是否退还": "refunded", "表彰日期": "awarded_on", "级别": "level",
    "发生日期": "occurred_on", "类型": "kind",
}
SPELLINGS = {
    "severity": {"合格": "none", "一般": "minor", "较重": "moderate", "严重": "serious"},
    "violation_type": {"未按规定公示收费": "undisclosed", "超标准收费": "overcharge",
                       "违规收取费用": "unauthorized_item", "侵占公共收益": "public_income",
                       "挪用住宅专项维修资金": "maintenance_fund"},
    "level": {"国家级": "national", "省级": "provincial", "市级": "city", "县级": "county", "镇级": "township"},
    "kind": {"合同终止后拒不退出": "refuse_to_exit", "重大安全责任事故": "major_safety_accident",
             "提供虚假材料": "false_material"},
}
YES = {"是": True, "否": False}


def _read(kind: str) -> pd.DataFrame:
    raw = pd.read_csv(ZONGYANG / f"{kind}.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    raw = raw.rename(columns=HEADERS)
    out = pd.DataFrame(index=raw.index)
    for column in COLUMNS[kind]:
        text = raw[column] if column in raw else pd.Series("", index=raw.index, dtype=object)
        text = text.astype(object).where(text.astype(object) != "", None)
        if column in DATES:
            out[column] = pd.to_datetime(text).astype("datetime64[s]")
        elif column in ("substantiated", "refunded"):
            out[column] = text.map(YES).astype(object).where(text.notna(), False).astype(bool)
        elif column in ("households", "amount_yuan"):
            out[column] = pd.to_numeric(text).astype(float)
        elif column in SPELLINGS:
            out[column] = text.map(SPELLINGS[column]).astype(object)
        else:
            out[column] = text.astype(object)
    return out


def zongyang_inputs() -> RatingInputs:
    """The demo county of fixtures/zongyang (2025 records)."""
    return RatingInputs(**{kind: _read(kind) for kind in COLUMNS})


def subscore_frame(*, size: int, seed: int) -> pd.DataFrame:
    """A result.companies-like frame of ``size`` companies with random sub-scores (all assessed, no bonus,
    veto or floor), enough for advisory_weights and sensitivity."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "credit_code": [f"C{i:04d}" for i in range(size)],
        "name": [f"物业{i}" for i in range(size)],
        "insp_score": rng.uniform(30, 100, size),
        "insp_assessed": np.ones(size, dtype=bool),
        "compl_score": rng.uniform(30, 100, size),
        "compl_assessed": np.ones(size, dtype=bool),
        "fee_score": rng.uniform(30, 100, size),
        "fee_assessed": np.ones(size, dtype=bool),
        "bonus": np.zeros(size),
        "veto": np.zeros(size, dtype=bool),
        "insp_points": np.ones(size),
        "compl_substantiated": np.ones(size, dtype=np.int64),
        "fee_points": np.ones(size),
    })
