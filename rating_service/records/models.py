"""Event records that feed a rating, and the import batches that brought them in."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from rating_service.db import Base

SEVERITIES = ("none", "minor", "moderate", "serious")
SATISFACTIONS = ("satisfied", "basically_satisfied", "dissatisfied")
VIOLATION_TYPES = ("undisclosed", "overcharge", "unauthorized_item", "public_income", "maintenance_fund")
COMMENDATION_LEVELS = ("national", "provincial", "city", "county", "township")
MAJOR_EVENT_KINDS = ("refuse_to_exit", "major_safety_accident", "false_material")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class ImportBatch(Base):
    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str] = mapped_column(String(300))
    file_sha256: Mapped[str] = mapped_column(String(64))
    file_format: Mapped[str] = mapped_column(String(16))
    encoding: Mapped[str | None] = mapped_column(String(16))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    imported_by: Mapped[str] = mapped_column(String(100))
    rows: Mapped[int] = mapped_column(Integer)
    inserted: Mapped[int] = mapped_column(Integer)
    updated: Mapped[int] = mapped_column(Integer)
    unchanged: Mapped[int] = mapped_column(Integer)
    dropped_columns: Mapped[str] = mapped_column(Text, default="[]")
    ignored_columns: Mapped[str] = mapped_column(Text, default="[]")


class Inspection(Base):
    __tablename__ = "inspections"
    __table_args__ = (
        CheckConstraint(_in("severity", SEVERITIES), name="severity_known"),
        Index("ix_inspections_inspected_on", "inspected_on"),
        Index("ix_inspections_community_id", "community_id"),
        Index("ix_inspections_credit_code", "credit_code"),
    )

    record_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    inspected_on: Mapped[dt.date] = mapped_column(Date)
    community_id: Mapped[str] = mapped_column(ForeignKey("communities.community_id"))
    credit_code: Mapped[str | None] = mapped_column(ForeignKey("companies.credit_code"))
    department: Mapped[str] = mapped_column(String(50))
    category: Mapped[str] = mapped_column(String(100))
    severity: Mapped[str] = mapped_column(String(16))
    rectify_by: Mapped[dt.date | None] = mapped_column(Date)
    rectified_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))


class Complaint(Base):
    __tablename__ = "complaints"
    __table_args__ = (
        CheckConstraint(f"satisfaction IS NULL OR {_in('satisfaction', SATISFACTIONS)}", name="satisfaction_known"),
        Index("ix_complaints_received_on", "received_on"),
        Index("ix_complaints_community_id", "community_id"),
        Index("ix_complaints_credit_code", "credit_code"),
    )

    record_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_on: Mapped[dt.date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(50))
    community_id: Mapped[str] = mapped_column(ForeignKey("communities.community_id"))
    credit_code: Mapped[str | None] = mapped_column(ForeignKey("companies.credit_code"))
    category: Mapped[str | None] = mapped_column(String(100))
    substantiated: Mapped[bool] = mapped_column(Boolean)
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    resolved_on: Mapped[dt.date | None] = mapped_column(Date)
    satisfaction: Mapped[str | None] = mapped_column(String(32))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))


class FeeViolation(Base):
    __tablename__ = "fee_violations"
    __table_args__ = (
        CheckConstraint(_in("violation_type", VIOLATION_TYPES), name="violation_type_known"),
        CheckConstraint("amount_yuan >= 0", name="amount_not_negative"),
        Index("ix_fee_violations_decided_on", "decided_on"),
        Index("ix_fee_violations_credit_code", "credit_code"),
    )

    record_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    decided_on: Mapped[dt.date] = mapped_column(Date)
    credit_code: Mapped[str] = mapped_column(ForeignKey("companies.credit_code"))
    community_id: Mapped[str | None] = mapped_column(ForeignKey("communities.community_id"))
    violation_type: Mapped[str] = mapped_column(String(32))
    amount_yuan: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    refunded: Mapped[bool] = mapped_column(Boolean)
    document_no: Mapped[str | None] = mapped_column(String(100))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))


class Commendation(Base):
    __tablename__ = "commendations"
    __table_args__ = (
        CheckConstraint(_in("level", COMMENDATION_LEVELS), name="level_known"),
        Index("ix_commendations_awarded_on", "awarded_on"),
        Index("ix_commendations_credit_code", "credit_code"),
    )

    record_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    awarded_on: Mapped[dt.date] = mapped_column(Date)
    credit_code: Mapped[str] = mapped_column(ForeignKey("companies.credit_code"))
    level: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))


class MajorEvent(Base):
    __tablename__ = "major_events"
    __table_args__ = (
        CheckConstraint(_in("kind", MAJOR_EVENT_KINDS), name="kind_known"),
        Index("ix_major_events_occurred_on", "occurred_on"),
        Index("ix_major_events_credit_code", "credit_code"),
    )

    record_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    occurred_on: Mapped[dt.date] = mapped_column(Date)
    credit_code: Mapped[str] = mapped_column(ForeignKey("companies.credit_code"))
    kind: Mapped[str] = mapped_column(String(32))
    document_no: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))


# -- history: superseded versions, so that a rating cycle's snapshot can be read again ---------------------
#
# A row in a main table carries the import batch that last wrote it. When a later batch updates or deletes
# it, the old version moves to ``<table>_history`` with ``superseded_by`` = that batch. The state of the
# data "as of batch W" is then: main rows with batch_id <= W, plus history rows with
# batch_id <= W < superseded_by. A cycle freezes W when it is computed; nothing is copied.

HISTORY_TABLES = ("companies", "communities", "contracts", "inspections", "complaints", "fee_violations",
                  "commendations", "major_events")


def _history_table(name: str) -> Table:
    main = Base.metadata.tables[name]
    return Table(
        f"{name}_history", Base.metadata,
        Column("history_id", Integer, primary_key=True, autoincrement=True),
        *[Column(column.name, column.type, nullable=True) for column in main.columns],
        Column("superseded_by", Integer, nullable=False),
        Column("deleted", Boolean, nullable=False, default=False),
        Index(f"ix_{name}_history_superseded_by", "superseded_by"),
    )


# The main tables of companies, communities and contracts must be in the metadata first.
import rating_service.companies.models  # noqa: E402, F401, I001

HISTORY: dict[str, Table] = {name: _history_table(name) for name in HISTORY_TABLES}
