"""The notices room's JSON: a cycle's issued documents, and what a verification code stands for."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class DocumentOut(BaseModel):
    id: int
    kind: str = Field(description="notice | revised_notice | bulletin | appeal_record")
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
