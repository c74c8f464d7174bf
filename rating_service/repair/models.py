"""Repair requests, the marks and records they cover, their evidence, and breaches of the signed commitment."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from rating_service.db import Base
from rating_service.i18n import LabelledEnum


class RepairStatus(LabelledEnum):
    """Where a repair request stands (``RepairRequest.status``)."""

    SUBMITTED = "submitted"  # received, waiting to be accepted (受理) or refused
    ACCEPTED = "accepted"  # accepted, waiting for the decision
    REPAIRED = "repaired"  # decided: repaired (同意修复)
    REFUSED = "refused"  # refused, at acceptance (不予受理) or at decision (不予修复)


class RepairMark(LabelledEnum):
    """What a request asks to repair (``RepairRequest.mark``): a cycle's black list, its veto, or records."""

    BLACK_LIST = "black_list"
    VETO = "veto"
    RECORDS = "records"


class RefusalStage(LabelledEnum):
    """At which step a request was refused (``RepairRequest.refused_stage``)."""

    ACCEPTANCE = "acceptance"
    DECISION = "decision"


class BreachStatus(LabelledEnum):
    """A possible breach of a commitment (``CommitmentBreach.status``)."""

    FLAGGED = "flagged"  # found by the service, waiting for an officer
    CONFIRMED = "confirmed"  # an officer confirmed it: the public record notes it
    DISMISSED = "dismissed"  # an officer found it is not a breach


REPAIR_STATUSES = tuple(s.value for s in RepairStatus)
REPAIR_MARKS = tuple(m.value for m in RepairMark)
OPEN_STATUSES = ("submitted", "accepted")


class RepairRequest(Base):
    """One request, from filing to decision. The rating it concerns is never rewritten: a repaired mark changes
    what the public record says from ``repaired_on`` (see docs/repair.md)."""

    __tablename__ = "repair_requests"
    __table_args__ = (
        CheckConstraint("status IN ('submitted', 'accepted', 'repaired', 'refused')", name="status_known"),
        CheckConstraint("mark IN ('black_list', 'veto', 'records')", name="mark_known"),
        CheckConstraint("severity IN ('general', 'serious')", name="severity_known"),
        CheckConstraint("refused_stage IS NULL OR refused_stage IN ('acceptance', 'decision')",
                        name="refused_stage_known"),
        Index("ix_repair_requests_company", "credit_code", "cycle_id"),
        Index("ix_repair_requests_status", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"))  # the cycle whose public record holds the mark
    credit_code: Mapped[str] = mapped_column(String(18))
    mark: Mapped[str] = mapped_column(String(16))
    severity: Mapped[str] = mapped_column(String(8))
    methodology_id: Mapped[str] = mapped_column(String(64))  # whose repair rules apply
    status: Mapped[str] = mapped_column(String(16))
    statement: Mapped[str] = mapped_column(Text)  # the company's account of what it corrected (personal data cut out)
    conditions: Mapped[str] = mapped_column(Text)  # JSON: the conditions the company declares met, {code: true}
    eligibility: Mapped[str] = mapped_column(Text)  # JSON: the checks at filing ({"checks": [...], "earliest_on"})
    publicity_from: Mapped[dt.date] = mapped_column(Date)  # the minimum publicity counts from this day
    earliest_on: Mapped[dt.date] = mapped_column(Date)  # the first day a request could be accepted
    filed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    filed_by: Mapped[str] = mapped_column(String(100))
    filed_on: Mapped[dt.date] = mapped_column(Date)  # in the bureau's time zone
    accept_due_on: Mapped[dt.date] = mapped_column(Date)  # accept_working_days after filed_on
    accepted_on: Mapped[dt.date | None] = mapped_column(Date)
    accepted_by: Mapped[str | None] = mapped_column(String(100))
    decide_due_on: Mapped[dt.date | None] = mapped_column(Date)  # decide_working_days after accepted_on
    verification_note: Mapped[str | None] = mapped_column(Text)  # the officer's on-site verification
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    refused_stage: Mapped[str | None] = mapped_column(String(16))
    reasons: Mapped[str | None] = mapped_column(Text)  # the officer's reasons (required for a refusal)
    refile_from: Mapped[dt.date | None] = mapped_column(Date)  # a refusal: a new request may be filed from this day
    repaired_on: Mapped[dt.date | None] = mapped_column(Date)  # the effect starts on this day
    commitment_until: Mapped[dt.date | None] = mapped_column(Date)  # the commitment binds until this day
    commitment_signed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # The 信用承诺书 as signed: the JSON of reports.model.Commitment, frozen at filing (rendering it again gives the
    # same bytes; the hash is stored when it is first rendered). A company's letter, so it takes no bureau number.
    commitment_payload: Mapped[str] = mapped_column(Text)
    commitment_sha256: Mapped[str | None] = mapped_column(String(64))
    decision_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))


class RepairItem(Base):
    """A record a request covers: the records chosen (mark ``records``) or the records behind the mark."""

    __tablename__ = "repair_items"
    __table_args__ = (Index("ix_repair_items_request", "request_id"), Index("ix_repair_items_record", "kind",
                                                                            "record_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("repair_requests.id"))
    kind: Mapped[str] = mapped_column(String(32))  # fee_violations or major_events
    record_id: Mapped[str] = mapped_column(String(64))
    subtype: Mapped[str | None] = mapped_column(String(32))  # violation_type or the event's kind
    record_date: Mapped[dt.date | None] = mapped_column(Date)


class RepairAttachment(Base):
    """Evidence of the correction, stored as appeal evidence is (generated name, type from the content)."""

    __tablename__ = "repair_attachments"
    __table_args__ = (Index("ix_repair_attachments_request", "request_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("repair_requests.id"))
    filename: Mapped[str] = mapped_column(String(120))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class CommitmentBreach(Base):
    """A new adverse record of the same kind within a repaired request's commitment period."""

    __tablename__ = "repair_breaches"
    __table_args__ = (
        CheckConstraint("status IN ('flagged', 'confirmed', 'dismissed')", name="status_known"),
        Index("ix_repair_breaches_request", "request_id"),
        Index("ix_repair_breaches_status", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("repair_requests.id"))
    credit_code: Mapped[str] = mapped_column(String(18))
    kind: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str] = mapped_column(String(64))
    record_date: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    detected_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
