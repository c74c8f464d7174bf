"""The appeals room's JSON: an appeal as filed and decided, a decision, statistics, the records counted."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from rating_service.web.schemas import JsonObject, Timestamp


class ItemIn(BaseModel):
    kind: str = Field(max_length=32)
    record_id: str = Field(max_length=64)
    action: str = Field(max_length=8, description="void | amend | keep")
    changes: dict[str, Any] = Field(default_factory=dict, max_length=10, description=(
        "amend: field -> new value. Dates YYYY-MM-DD (blank clears), yes/no as true/false or 是/否, amount_yuan a "
        "number >= 0, severity / violation_type / kind one of the import's codes or their Chinese words (e.g. "
        "severity none | minor | moderate | serious)"))
    finding: str = Field(default="", max_length=2000)


class DecisionIn(BaseModel):
    outcome: str = Field(max_length=16, description="upheld | partly_upheld | rejected")
    reasons: str = Field(max_length=5000)
    items: list[ItemIn] = Field(default_factory=list, max_length=200)


class ScoreGradeOut(BaseModel):
    score: float | None
    grade: str | None


class AppealItemOut(BaseModel):
    kind: str
    record_id: str
    contest: str = Field(description="data (the record is wrong) | attribution (not the company's that day)")
    action: str | None = Field(description="void | amend | keep; null until decided")
    amendment: JsonObject | None = Field(description="amend: field -> new value")
    finding: str | None


class AttachmentOut(BaseModel):
    id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    url: str


class AppealOut(BaseModel):
    id: int
    cycle_id: int
    credit_code: str
    status: str = Field(description="pending | decided")
    scope: str = Field(description="records | calculation")
    grounds: str
    filed_at: Timestamp
    filed_by: str
    filed_on: dt.date
    due_on: dt.date
    overdue: bool
    before: ScoreGradeOut
    after: ScoreGradeOut | None
    outcome: str | None
    decision_reasons: str | None
    decided_at: Timestamp | None
    decision_document_url: str | None
    revised_notice_url: str | None
    items: list[AppealItemOut]
    attachments: list[AttachmentOut]


class AppealListOut(BaseModel):
    cycle_id: int
    items: list[AppealOut]


class AppealStatisticsOut(BaseModel):
    cycle_id: int
    filed: int
    pending: int
    upheld: int
    partly_upheld: int
    rejected: int
    median_days_to_decision: float | None


class ContractRefOut(BaseModel):
    community_id: str
    start: str
    end: str | None


class CountedRecordOut(BaseModel):
    kind: str
    record_id: str
    date: str | None
    community_id: str | None
    community_name: str | None
    points: float
    attribution: str = Field(description="named | contract")
    reasons: list[str] = Field(description="the reason codes the record feeds: INSP, COMPL_RATE, COMPL_TIMELY, "
                                           "FEE, VETO")
    contract: ContractRefOut | None


class CountedRecordsOut(BaseModel):
    cycle_id: int
    credit_code: str
    items: list[CountedRecordOut]
