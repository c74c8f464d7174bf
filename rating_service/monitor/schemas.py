"""The early-warning API's answers (provisional; never published)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class DriverOut(BaseModel):
    reason: str = Field(description="扣分原因（文字）/ the reason, in words")
    lost: str = Field(description="扣分（两位小数，可为空）/ points lost")
    records: list[str] = Field(description="相关记录（整行文字）/ the records behind it, in words")


class LineOut(BaseModel):
    credit_code: str
    name: str
    score: float = Field(description="试算得分 / running score")
    grade: str = Field(description="试算等级 / running grade")
    last_score: float | None = Field(description="上期得分 / last cycle's score")
    last_grade: str | None = Field(description="上期等级 / last cycle's grade")
    margin: float | None = Field(description="高出下一等级分数线的分数 / points above the band below")
    next_grade: str | None
    below_last: bool
    near_edge: bool
    drivers: list[DriverOut] = Field(default_factory=list)


class MonitorOut(BaseModel):
    provisional: bool = Field(description="始终为 true：试算，不是评价结果，不公开 / always true")
    period_start: dt.date
    period_end: dt.date
    methodology: str
    last_cycle: str
    margin_points: float
    sliding: list[LineOut]
    others: list[LineOut]


class PositionOut(BaseModel):
    provisional: bool
    period_start: dt.date
    period_end: dt.date
    methodology: str
    last_cycle: str
    position: LineOut
