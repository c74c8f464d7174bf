"""What a report shows, as plain data: the service words a stored rating into these, `reports` lays them out."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

Lang = Literal["zh", "en"]


@dataclass(frozen=True)
class Issuer:
    name: str  # 枞阳县住房和城乡建设局
    short_name: str  # used in the document number prefix, e.g. 枞住建信评
    base_url: str  # public address of the service; verification URLs start here


@dataclass(frozen=True)
class IndicatorRow:
    label: str
    measure: str  # worded measure, e.g. "巡查扣分密度 0.85（扣分 12，巡查 14 次）"
    sub_score: str
    weight: str
    earned: str
    lost: str
    note: str | None = None


@dataclass(frozen=True)
class ReasonRow:
    label: str
    lost: str | None
    record_ids: list[str]  # the evidence record numbers, most significant first
    record_count: int  # all evidence records (the list may be shortened)
    # One full worded fact line per evidence record shown (kind, date, community, category, severity or amount,
    # deadline, rectification, decision number, points), printed in body size. Empty: the record numbers are
    # printed instead (documents issued before these lines existed).
    evidence: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Revision:
    """A revised notice replaces an earlier one after an appeal decision changed the rating."""

    replaces_doc_number: str
    decision_doc_number: str | None
    previous_score: str
    previous_grade: str


@dataclass(frozen=True)
class Notice:
    """信用评价结果告知书: one company's rating in one cycle."""

    issuer: Issuer
    doc_number: str  # 枞住建信评〔2025〕12号
    issue_date: dt.date
    company_name: str
    credit_code: str
    cycle_name: str
    period_start: dt.date
    period_end: dt.date
    score: str  # already rounded for display, e.g. "86.4"
    grade: str
    provisional: bool
    flags: list[str]  # worded flags: 红榜, 黑榜, 一票否决, …
    indicators: list[IndicatorRow]
    reasons: list[ReasonRow]
    path_headline: str
    path_steps: list[str]
    appeal_deadline: dt.date
    appeal_days: int
    methodology_id: str
    verification_code: str
    revision: Revision | None = None
    bonus: str = "0"  # good-conduct bonus points added to the weighted sum
    lang: Lang = "zh"
    # A full sentence on the veto (what, which decision, which rule, the consequence), printed prominently in
    # place of the bare flags line; None: no veto, or a document issued before this sentence existed.
    veto_statement: str | None = None
    # Sentences saying why the company is on the red or black list.
    list_statements: list[str] = field(default_factory=list)

    @property
    def verification_url(self) -> str:
        return f"{self.issuer.base_url.rstrip('/')}/verify/{self.verification_code}"


@dataclass(frozen=True)
class BulletinRow:
    company_name: str
    credit_code: str
    score: str
    grade: str
    provisional: bool
    lists: str  # 红榜 / 黑榜 / ""


@dataclass(frozen=True)
class Bulletin:
    """信用评价结果公示名单: every company's grade, for posting in communities."""

    issuer: Issuer
    doc_number: str
    issue_date: dt.date
    cycle_name: str
    period_start: dt.date
    period_end: dt.date
    publicity_end: dt.date  # the appeal deadline
    methodology_id: str
    rows: list[BulletinRow]
    grade_counts: list[tuple[str, int]] = field(default_factory=list)
    lang: Lang = "zh"
    # The audit log's head when the list was numbered (its seq and the start of its hash), printed so that a later
    # rewrite of the log up to that entry contradicts every posted copy. 0: not printed (older lists).
    audit_seq: int = 0
    audit_hash: str = ""
    # The list's own verification code (the documents table's), printed with its QR code so that a posted copy can
    # be checked at /verify/{code}. "": not printed (lists issued before it was).
    verification_code: str = ""

    @property
    def verification_url(self) -> str:
        return f"{self.issuer.base_url.rstrip('/')}/verify/{self.verification_code}"


@dataclass(frozen=True)
class ContestedItem:
    record: str  # e.g. "投诉工单 GD2025-000981"
    decision: str  # worded: 撤销 / 更正 / 维持
    detail: str  # the amendment or the finding, worded


@dataclass(frozen=True)
class AppealRecord:
    """异议处理决定书: one appeal's parties, contested items, findings, decision and before/after rating."""

    issuer: Issuer
    doc_number: str
    issue_date: dt.date
    company_name: str
    credit_code: str
    cycle_name: str
    appeal_id: int
    filed_on: dt.date
    scope: str  # worded: 对记录的异议 / 对计算的异议
    grounds: str
    items: list[ContestedItem]
    outcome: str  # worded: 异议成立 / 异议部分成立 / 驳回异议
    reasons: str
    score_before: str
    grade_before: str
    score_after: str
    grade_after: str
    revised_notice: str | None  # number of the revised notice issued with it, if the rating changed
    verification_code: str
    lang: Lang = "zh"

    @property
    def verification_url(self) -> str:
        return f"{self.issuer.base_url.rstrip('/')}/verify/{self.verification_code}"


@dataclass(frozen=True)
class RepairDecision:
    """信用修复决定书: the bureau's decision on one repair request (repaired, refused at acceptance or at decision).
    Every line is worded by the service; no person is named (the company, the bureau, record numbers only)."""

    issuer: Issuer
    doc_number: str
    issue_date: dt.date
    company_name: str
    credit_code: str
    cycle_name: str
    request_id: int
    filed_on: dt.date
    mark: str  # worded: 列入黑榜 / 一票否决 / 不良记录
    marked: list[str]  # the mark and the records behind it, one worded line each
    original_notice: str | None  # the number of the cycle's notice that stated the mark
    statement: str  # the company's account of its correction
    evidence: list[str]  # the evidence files, by name
    conditions: list[list[str]]  # [condition worded, finding worded], in the rules' order
    verification_note: str | None  # the on-site verification
    outcome: str  # worded: 同意修复 / 不予修复 / 不予受理
    repaired: bool
    reasons: str
    effects: list[str]  # what the repair does (or, refused, when a new request may be filed), worded
    repaired_on: dt.date | None
    commitment_until: dt.date | None
    refile_from: dt.date | None
    basis: str  # the rules' basis (the NDRC order) and the methodology
    verification_code: str
    lang: Lang = "zh"

    @property
    def verification_url(self) -> str:
        return f"{self.issuer.base_url.rstrip('/')}/verify/{self.verification_code}"


@dataclass(frozen=True)
class Commitment:
    """信用承诺书: what a company undertakes when it asks for repair (the catalogue's text, filled in), as signed
    in the form. A company's letter: no bureau number, no person named."""

    issuer: Issuer  # addressed to
    company_name: str
    credit_code: str
    cycle_name: str
    request_id: int
    mark: str  # worded
    paragraphs: list[str]  # the undertakings, worded from the catalogue
    commitment_months: int
    signed_on: dt.date
    signed_at: str  # the time of signing, ISO 8601 with the bureau's offset
    issue_date: dt.date  # = signed_on (the renderer dates every document)
    doc_number: str  # "" : a company's letter carries no bureau number
    lang: Lang = "zh"


def as_payload(document: Notice | Bulletin | AppealRecord | RepairDecision | Commitment) -> dict[str, Any]:
    """Plain JSON-able data (dates as ISO strings) from which `from_payload` rebuilds the same document."""

    def plain(value: Any) -> Any:
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return value

    data = plain(dataclasses.asdict(document))
    data["type"] = type(document).__name__
    return data


def from_payload(data: dict[str, Any]) -> Notice | Bulletin | AppealRecord | RepairDecision | Commitment:
    data = dict(data)
    kind = data.pop("type")
    issuer = Issuer(**data.pop("issuer"))
    dates = {k: dt.date.fromisoformat(v) for k, v in data.items()
             if k in ("issue_date", "period_start", "period_end", "appeal_deadline", "publicity_end", "filed_on",
                      "repaired_on", "commitment_until", "refile_from", "signed_on") and v is not None}
    data.update(dates)
    if kind == "Notice":
        revision = data.pop("revision")
        return Notice(issuer=issuer, **{**data, "indicators": [IndicatorRow(**r) for r in data["indicators"]],
                                        "reasons": [ReasonRow(**r) for r in data["reasons"]],
                                        "revision": Revision(**revision) if revision else None})
    if kind == "Bulletin":
        return Bulletin(issuer=issuer, **{**data, "rows": [BulletinRow(**r) for r in data["rows"]],
                                          "grade_counts": [(g, int(c)) for g, c in data["grade_counts"]]})
    if kind == "AppealRecord":
        return AppealRecord(issuer=issuer, **{**data, "items": [ContestedItem(**i) for i in data["items"]]})
    if kind == "RepairDecision":
        return RepairDecision(issuer=issuer, **data)
    if kind == "Commitment":
        return Commitment(issuer=issuer, **data)
    raise ValueError(f"unknown document type {kind!r}")
