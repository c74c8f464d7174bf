"""The cycles room's JSON: a cycle and its steps, ratings with their explanations, data quality, jobs."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from rating_service.web.schemas import JsonObject, Timestamp


class CycleIn(BaseModel):
    name: str = Field(min_length=1, max_length=100, examples=["2025年度"])
    period_start: dt.date
    period_end: dt.date
    methodology_id: str | None = Field(default=None, max_length=64, examples=["ZY-2025"])
    appeal_window_days: int | None = Field(default=None, ge=1, le=60,
                                           description="异议期：告知后工作日数（默认 5）/ appeal window, working days")
    decision_days: int | None = Field(default=None, ge=1, le=120,
                                      description="异议处理期限：工作日数（默认 10）/ decision deadline, working days")


class ActionIn(BaseModel):
    reason: str | None = Field(default=None, max_length=1000)
    notice_date: dt.date | None = Field(
        default=None, description="publicize: 告知日期，默认今天；不能早于今天（不能倒签），最多晚于今天 "
                                  "RATING_NOTICE_DATE_MAX_DAYS_AHEAD 天 / notice date, default today; never before "
                                  "today, at most RATING_NOTICE_DATE_MAX_DAYS_AHEAD days ahead")


class PeriodOut(BaseModel):
    start: dt.date
    end: dt.date


class SnapshotOut(BaseModel):
    batch: int | None = Field(description="the last import batch the frozen snapshot includes")
    hash: str | None


class CycleOut(BaseModel):
    id: int
    name: str
    status: str = Field(description="draft | computed | publicized | finalized")
    period: PeriodOut
    methodology_id: str
    created_at: Timestamp
    created_by: str
    computed_at: Timestamp | None
    computed_by: str | None
    compute_count: int
    publicized_at: Timestamp | None
    notice_date: dt.date | None
    finalized_at: Timestamp | None
    appeal_window_days: int
    appeal_deadline: dt.date | None
    decision_days: int
    snapshot: SnapshotOut
    constants: JsonObject | None = Field(description="the frozen constants, e.g. {\"R0\": 0.0041}")
    rated: int | None


class CycleDetailOut(CycleOut):
    grades: dict[str, int] = Field(default_factory=dict, description="grade -> companies, best first (officers only; "
                                                                    "absent for a company)")


class RatingOut(BaseModel):
    credit_code: str
    name: str | None
    score: float
    grade: str
    band_grade: str
    bonus: float
    veto: bool
    provisional: bool
    red_list: bool
    black_list: bool
    exposure: float
    visits: int
    methodology_id: str
    snapshot_hash: str


class RatingDetailOut(RatingOut):
    explanation: JsonObject = Field(description="how the score came about: indicators, reasons, evidence, paths")


class RatingPageOut(BaseModel):
    cycle_id: int
    total: int
    limit: int
    offset: int
    items: list[RatingOut]


class JobOut(BaseModel):
    id: int
    kind: str
    cycle_id: int | None
    status: str = Field(description="running | done | failed")
    stage: str | None
    done: int
    total: int
    started_at: Timestamp
    finished_at: Timestamp | None
    error: JsonObject | None = Field(description="a failed job's error: code, key, params")


class UnattributedOut(BaseModel):
    kind: str
    record_id: str
    community_id: str | None
    event_date: str | None


class CompanyRefOut(BaseModel):
    credit_code: str
    name: str | None


class ProvisionalOut(CompanyRefOut):
    exposure: float


class QualityOut(BaseModel):
    cycle_id: int
    summary: JsonObject
    unattributed: list[UnattributedOut]
    no_exposure: list[CompanyRefOut]
    provisional: list[ProvisionalOut]
