"""The repair room's JSON: a company's marks and their eligibility, a request as filed and decided, the officers'
bodies (acceptance, refusal, decision, breaches) and the breaches. Machine fields keep their codes (``status``,
``mark``, condition codes); each has a ``*_label`` in the caller's language beside it (docs/repair.md)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from rating_service.web.schemas import Timestamp

# Bounds of the officers' texts (the service checks its own rules too: reasons required, personal data refused).
MAX_NOTE = 2000
MAX_REASONS = 5000


class AcceptIn(BaseModel):
    note: str | None = Field(default=None, max_length=MAX_NOTE, description="an optional note kept with the step")


class RefuseIn(BaseModel):
    reasons: str = Field(min_length=1, max_length=MAX_REASONS, description="why (stated on the decision)")
    false_material: bool = Field(default=False, description=(
        "the request rested on false material: no new request for the methodology's false_material_bar_years"))


class DecideIn(BaseModel):
    reasons: str = Field(min_length=1, max_length=MAX_REASONS, description="the reasons of the decision")
    verification_note: str = Field(min_length=1, max_length=MAX_REASONS,
                                   description="the on-site verification (核查情况)")


class BreachDecisionIn(BaseModel):
    action: str = Field(max_length=10, pattern="^(confirm|dismiss)$", description="confirm | dismiss")
    note: str = Field(min_length=1, max_length=MAX_NOTE, description="what the officer found")


class CheckOut(BaseModel):
    code: str = Field(description="a condition code (rectified, penalty_fulfilled, commitment_signed, "
                                  "no_new_same_kind) or too_early, not_repairable, request_open, refile_wait, barred")
    ok: bool
    label: str = Field(description="the check in words, in the caller's language")
    detail: str = Field(description="what the check found, in words")


class MarkRecordOut(BaseModel):
    kind: str = Field(description="fee_violations | major_events")
    kind_label: str
    record_id: str
    subtype: str | None = Field(description="the record's violation_type or kind (a code)")
    record_date: dt.date
    document_no: str | None


class RepairedOut(BaseModel):
    request_id: int
    repaired_on: dt.date
    doc_number: str
    note: str = Field(description="what the public record says: 已修复（日期，决定书文号）")


class MarkOut(BaseModel):
    key: str = Field(description="the rule's key: black_list | veto | fee_violations | major_events")
    mark: str = Field(description="what a request names: black_list | veto | records")
    label: str = Field(description="the mark in words")
    cycle_id: int
    cycle_name: str
    severity: str = Field(description="general | serious")
    severity_label: str
    publicity_from: dt.date
    earliest_on: dt.date = Field(description="the first day a request can be accepted")
    publicity_ends_on: dt.date = Field(description="the publicity ends on this day in any case")
    eligible: bool = Field(description="a request filed today, declaring every condition, would be accepted")
    checks: list[CheckOut]
    records: list[MarkRecordOut]
    request_id: int | None = Field(description="the open (or last) request on this mark")
    repaired: RepairedOut | None


class MarksOut(BaseModel):
    credit_code: str
    today: dt.date
    items: list[MarkOut]


class ItemOut(BaseModel):
    kind: str
    kind_label: str
    record_id: str
    subtype: str | None
    record_date: dt.date | None


class AttachmentOut(BaseModel):
    id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    url: str


class DetailCheckOut(BaseModel):
    label: str
    ok: bool
    detail: str


class DecisionDocumentOut(BaseModel):
    id: int
    doc_number: str
    verification_code: str
    url: str = Field(description="the PDF (/documents/{id}.pdf)")


class RequestOut(BaseModel):
    id: int
    cycle_id: int
    cycle_name: str
    credit_code: str
    company_name: str
    mark: str = Field(description="black_list | veto | records")
    mark_label: str
    severity: str = Field(description="general | serious")
    severity_label: str
    status: str = Field(description="submitted | accepted | repaired | refused")
    status_label: str
    refused_stage: str | None = Field(description="acceptance | decision, when refused")
    refused_stage_label: str | None
    statement: str
    conditions: list[str] = Field(description="the condition codes the company declared met")
    conditions_labels: list[str]
    filed_at: Timestamp
    filed_on: dt.date
    earliest_on: dt.date
    accept_due_on: dt.date
    accepted_on: dt.date | None
    decide_due_on: dt.date | None
    working_days_left: int | None = Field(description="to the next due date, today and that day included; "
                                                      "null when none is running or it has passed")
    overdue: bool
    decided_on: dt.date | None
    reasons: str | None
    verification_note: str | None
    refile_from: dt.date | None = Field(description="a refusal: a new request may be filed from this day")
    repaired_on: dt.date | None
    commitment_until: dt.date | None
    commitment_url: str = Field(description="the signed 信用承诺书 (PDF)")
    decision_document: DecisionDocumentOut | None
    items: list[ItemOut]
    attachments: list[AttachmentOut]
    checks: list[DetailCheckOut] = Field(description="the conditions as checked, in words")


class RequestListOut(BaseModel):
    items: list[RequestOut]


class BreachOut(BaseModel):
    id: int
    request_id: int
    credit_code: str
    company_name: str
    cycle_name: str
    mark_label: str
    kind: str = Field(description="fee_violations | major_events")
    kind_label: str
    record_id: str
    record_date: dt.date
    status: str = Field(description="flagged | confirmed | dismissed")
    status_label: str
    decided_on: dt.date | None
    note: str | None
    repaired_on: dt.date | None
    commitment_until: dt.date | None


class BreachListOut(BaseModel):
    items: list[BreachOut]


class DetectOut(BaseModel):
    flagged: int = Field(description="breaches newly flagged by this run")
    items: list[BreachOut] = Field(description="every breach waiting for an officer")

