"""The public JSON API's and the open data's shapes (no login). The answers are built once per data version and
served from the disclosure cache as bytes; these models document them."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class PublicCycleOut(BaseModel):
    id: int
    name: str
    period_start: dt.date
    period_end: dt.date
    status: str = Field(description="publicized (公示中) | finalized (已发布)")
    in_publicity: bool
    methodology_id: str
    notice_date: dt.date | None
    appeal_deadline: dt.date | None
    finalized_on: dt.date | None


class AppealCountsOut(BaseModel):
    filed: int
    pending: int
    upheld: int
    partly_upheld: int
    rejected: int
    median_days_to_decision: float | None


class OpenDataLinksOut(BaseModel):
    csv: str
    xlsx: str = Field(description="Excel workbook: Chinese headers and values, credit codes as text / Excel 文件")
    json_: str = Field(alias="json")


class PublicCycleListingOut(PublicCycleOut):
    companies: int
    grades: dict[str, int] = Field(description="grade -> companies, best first")
    appeals: AppealCountsOut
    open_data: OpenDataLinksOut


class PublicRepairOut(BaseModel):
    repaired_on: dt.date
    document_no: str = Field(description="the 信用修复决定书's number / 决定书文号")
    left_black_list: bool = Field(description="a repaired black list or veto: off the cycle's black list from "
                                  "repaired_on (black_list is then false)")
    breach_confirmed_on: dt.date | None = Field(description="a breach of the signed commitment, confirmed / "
                                                "违反信用承诺（经核实）")


class PublicRatingOut(BaseModel):
    rank: int = Field(description="1 = best score of the cycle; ties share a rank")
    credit_code: str
    name: str
    score: float
    grade: str
    provisional: bool
    red_list: bool
    black_list: bool
    sub_scores: dict[str, float | None] = Field(description="indicator -> sub-score (null: not assessed)")
    weights: dict[str, float] = Field(description="re-normalised weights of the assessed indicators")
    counted_records: dict[str, int] = Field(description="record kind -> counted records")
    counted_records_by_category: dict[str, dict[str, int]]
    repair_status: str = Field(description="credit repair / 信用修复: \"\" (none) | repaired (已修复) | "
                               "repaired_breached (已修复，违反承诺)")
    repair_date: dt.date | None = Field(description="the day the (latest) repair took effect / 修复日期")
    repair_document_no: str = Field(description="the 信用修复决定书's number(s), separated by 「；」 / 修复决定书文号")
    repairs: list[PublicRepairOut] = Field(description="every repair decided for this rating, oldest first; the "
                                           "rating itself is never changed")


class PublicRatingPageOut(BaseModel):
    cycle: PublicCycleOut
    total: int
    page: int
    pages: int
    per_page: int
    items: list[PublicRatingOut]


class PublicCompanyRatingOut(PublicRatingOut):
    cycle: PublicCycleOut


class PublicCompanyOut(BaseModel):
    credit_code: str
    name: str
    ratings: list[PublicCompanyRatingOut] = Field(description="every public cycle's rating, oldest first")


class PublicMethodologyOut(BaseModel):
    id: str
    title: str
    title_en: str | None
    effective_from: dt.date
    effective_to: dt.date | None


class FieldOut(BaseModel):
    name: str
    type: str
    zh: str
    en: str


class OpenDataOut(BaseModel):
    cycle: PublicCycleOut
    grades: dict[str, int]
    appeals: AppealCountsOut
    fields: list[FieldOut] = Field(description="the data dictionary / 数据字典")
    ratings: list[PublicRatingOut]
