"""Issued documents and the per-year document number counters."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from rating_service.db import Base
from rating_service.i18n import LabelledEnum


class DocumentKind(LabelledEnum):
    """The kinds of issued document (``Document.kind``)."""

    NOTICE = "notice"
    REVISED_NOTICE = "revised_notice"
    BULLETIN = "bulletin"
    APPEAL_RECORD = "appeal_record"
    REPAIR_DECISION = "repair_decision"  # 信用修复决定书 (repaired, or refused with the reason)


class Document(Base):
    """One issued PDF: its number, verification code, the frozen data it is rendered from, and its hash.

    `payload` holds everything the renderer needs, frozen at issue; rendering it again gives the same bytes,
    so a lost file is re-rendered and checked against `sha256`.
    """

    __tablename__ = "documents"
    __table_args__ = (
        CheckConstraint("kind IN ('notice', 'revised_notice', 'bulletin', 'appeal_record', 'repair_decision')",
                        name="kind_known"),
        UniqueConstraint("doc_year", "doc_seq", name="uq_documents_number"),
        UniqueConstraint("verification_code", name="uq_documents_verification_code"),
        Index("ix_documents_cycle_company", "cycle_id", "credit_code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"))
    credit_code: Mapped[str | None] = mapped_column(String(18))  # None for a bulletin
    doc_year: Mapped[int] = mapped_column(Integer)
    doc_seq: Mapped[int] = mapped_column(Integer)
    doc_number: Mapped[str] = mapped_column(String(64), unique=True)
    verification_code: Mapped[str] = mapped_column(String(20))
    issue_date: Mapped[dt.date] = mapped_column(Date)
    payload: Mapped[str] = mapped_column(Text)  # JSON of the reports data class
    sha256: Mapped[str | None] = mapped_column(String(64))  # set when first rendered
    size: Mapped[int | None] = mapped_column(Integer)
    rendered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))  # a revised notice names the old
    revised_by_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(100))


class DocumentCounter(Base):
    """The last document number used in a year; numbers are taken under a row lock and never reused."""

    __tablename__ = "document_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(Integer)
