"""Appeals, the records they contest, and their attachments (stored outside any served folder)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from rating_service.db import Base
from rating_service.i18n import LabelledEnum


class AppealStatus(LabelledEnum):
    """Where an appeal stands (``Appeal.status``)."""

    PENDING = "pending"
    DECIDED = "decided"


class AppealOutcome(LabelledEnum):
    """The decision on an appeal (``Appeal.outcome``); the decision record says it in Chinese."""

    UPHELD = "upheld"
    PARTLY_UPHELD = "partly_upheld"
    REJECTED = "rejected"


class ItemAction(LabelledEnum):
    """What a decision does to one contested record (``AppealItem.action``)."""

    VOID = "void"
    AMEND = "amend"
    KEEP = "keep"


OUTCOMES = tuple(o.value for o in AppealOutcome)
CONTESTS = ("data", "attribution")


class Appeal(Base):
    __tablename__ = "appeals"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'decided')", name="status_known"),
        CheckConstraint("scope IN ('records', 'calculation')", name="scope_known"),
        CheckConstraint("outcome IS NULL OR outcome IN ('upheld', 'partly_upheld', 'rejected')", name="outcome_known"),
        Index("ix_appeals_cycle_company", "cycle_id", "credit_code"),
        Index("ix_appeals_status_due", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"))
    credit_code: Mapped[str] = mapped_column(String(18))
    status: Mapped[str] = mapped_column(String(16))
    scope: Mapped[str] = mapped_column(String(16))  # contested records, or the calculation itself
    grounds: Mapped[str] = mapped_column(Text)
    filed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    filed_by: Mapped[str] = mapped_column(String(100))
    filed_on: Mapped[dt.date] = mapped_column(Date)  # in the bureau's time zone
    due_on: Mapped[dt.date] = mapped_column(Date)  # decision deadline: the cycle's decision_days working days later
    score_before: Mapped[float] = mapped_column(Float)
    grade_before: Mapped[str] = mapped_column(String(8))
    outcome: Mapped[str | None] = mapped_column(String(16))
    decision_reasons: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[str | None] = mapped_column(String(100))
    score_after: Mapped[float | None] = mapped_column(Float)
    grade_after: Mapped[str | None] = mapped_column(String(8))
    decision_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    revised_notice_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))


class AppealItem(Base):
    """One contested record; the decision sets what happens to it (void, amend, keep)."""

    __tablename__ = "appeal_items"
    __table_args__ = (
        CheckConstraint("action IS NULL OR action IN ('void', 'amend', 'keep')", name="action_known"),
        CheckConstraint("contest IS NULL OR contest IN ('data', 'attribution')", name="contest_known"),
        Index("ix_appeal_items_appeal", "appeal_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeals.id"))
    kind: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str] = mapped_column(String(64))
    # data: the record is wrong; attribution: the company no longer served the community then (NULL: data)
    contest: Mapped[str | None] = mapped_column(String(16))
    action: Mapped[str | None] = mapped_column(String(8))
    amendment: Mapped[str | None] = mapped_column(Text)  # JSON of the changed fields
    finding: Mapped[str | None] = mapped_column(Text)


class AppealAttachment(Base):
    """Evidence a company attached: stored under a generated name; the original name is only shown."""

    __tablename__ = "appeal_attachments"
    __table_args__ = (Index("ix_appeal_attachments_appeal", "appeal_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeals.id"))
    filename: Mapped[str] = mapped_column(String(120))  # sanitised original name, for display only
    content_type: Mapped[str] = mapped_column(String(40))  # from the content, not the name
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(80))  # generated file name under the attachments folder
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
