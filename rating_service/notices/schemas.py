"""The notices room's JSON: a cycle's issued documents, and what a verification code stands for."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class DocumentOut(BaseModel):
    id: int
    kind: str = Field(description="notice | revised_notice | bulletin | appeal_record | repair_decision")
    kind_label: str
    cycle_id: int
    credit_code: str | None = Field(description="null for a bulletin")
    doc_number: str
    issue_date: dt.date
    verification_code: str
    sha256: str | None = Field(description="set once the PDF is rendered")
    size: int | None
    revised_by_id: int | None
    download_url: str


class DocumentPageOut(BaseModel):
    cycle_id: int
    appeal_deadline: dt.date | None
    total: int
    limit: int
    offset: int
    counts: dict[str, int] | None = Field(description="documents by kind, and rendered ones (officers only)")
    items: list[DocumentOut]


class VerifiedRepairOut(BaseModel):
    doc_number: str = Field(description="the number of the 信用修复决定书")
    repaired_on: dt.date = Field(description="the repair's effect starts on this day")
    note: str = Field(description="the public record's note, in Chinese: 已修复（日期，文号）")


class VerificationOut(BaseModel):
    code: str
    kind: str
    doc_number: str
    issue_date: dt.date
    cycle_name: str
    cycle_status: str
    company_name: str | None
    credit_code: str | None
    score: str | None = Field(description="as printed on the document")
    grade: str | None
    provisional: bool | None
    revised: bool
    revised_by: str | None = Field(description="the number of the document in force instead")
    outcome: str | None = Field(default=None, description="a repair decision: 同意修复 / 不予受理 / 不予修复")
    repairs: list[VerifiedRepairOut] = Field(
        default_factory=list, description="a notice: the credit repair decisions on its company in its cycle (the "
                                          "rating itself is unchanged)")
