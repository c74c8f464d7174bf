"""Rating cycles, their stored ratings, data-quality lists and background jobs."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from rating_service.db import Base
from rating_service.i18n import LabelledEnum


class CycleState(LabelledEnum):
    """The states of a rating cycle (``Cycle.status``), in their order."""

    DRAFT = "draft"
    COMPUTED = "computed"
    PUBLICIZED = "publicized"
    FINALIZED = "finalized"


class CycleAction(LabelledEnum):
    """What moves a cycle from one state to the next."""

    COMPUTE = "compute"
    PUBLICIZE = "publicize"
    FINALIZE = "finalize"


CYCLE_STATES = tuple(s.value for s in CycleState)


class Cycle(Base):
    __tablename__ = "cycles"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'computed', 'publicized', 'finalized')", name="status_known"),
        CheckConstraint("period_end >= period_start", name="period_ordered"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    methodology_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(100))
    computed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    computed_by: Mapped[str | None] = mapped_column(String(100))
    compute_count: Mapped[int] = mapped_column(Integer, default=0)
    publicized_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    publicized_by: Mapped[str | None] = mapped_column(String(100))
    notice_date: Mapped[dt.date | None] = mapped_column(Date)
    # The appeal window: this many working days after the notice date, ending on appeal_deadline.
    appeal_window_days: Mapped[int] = mapped_column(Integer, default=5, server_default="5")
    appeal_deadline: Mapped[dt.date | None] = mapped_column(Date)
    # An appeal must be decided within this many working days of its filing.
    decision_days: Mapped[int] = mapped_column(Integer, default=10, server_default="10")
    # Bumped on every change the public can see (state change, appeal filed or decided): the disclosure
    # cache of every server process compares it to what it holds.
    disclosure_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    finalized_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    finalized_by: Mapped[str | None] = mapped_column(String(100))
    # The frozen snapshot: every change-set (import batch) up to snapshot_batch, and its content hash.
    snapshot_batch: Mapped[int | None] = mapped_column(Integer)
    snapshot_hash: Mapped[str | None] = mapped_column(String(64))
    constants: Mapped[str | None] = mapped_column(Text)  # JSON, e.g. {"R0": 0.0041}
    quality: Mapped[str | None] = mapped_column(Text)  # JSON summary of the data-quality report
    rated: Mapped[int | None] = mapped_column(Integer)


class Rating(Base):
    """One company's rating in one cycle, with its full explanation as JSON."""

    __tablename__ = "ratings"
    __table_args__ = (
        UniqueConstraint("cycle_id", "credit_code", name="uq_ratings_cycle_company"),
        Index("ix_ratings_cycle_grade", "cycle_id", "grade"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"))
    credit_code: Mapped[str] = mapped_column(String(18))
    name: Mapped[str | None] = mapped_column(String(200))
    score: Mapped[float] = mapped_column(Float)
    grade: Mapped[str] = mapped_column(String(8))
    band_grade: Mapped[str] = mapped_column(String(8))
    bonus: Mapped[float] = mapped_column(Float)
    veto: Mapped[bool] = mapped_column(Boolean)
    provisional: Mapped[bool] = mapped_column(Boolean)
    red_list: Mapped[bool] = mapped_column(Boolean)
    black_list: Mapped[bool] = mapped_column(Boolean)
    exposure: Mapped[float] = mapped_column(Float)
    visits: Mapped[int] = mapped_column(Integer)
    methodology_id: Mapped[str] = mapped_column(String(64))
    snapshot_hash: Mapped[str] = mapped_column(String(64))
    # JSON of scoring.explain.Explanation; lz4-compressed on PostgreSQL (migration 0015)
    explanation: Mapped[str] = mapped_column(Text)


class UnattributedRecord(Base):
    """A counted record that no contract covers: not scored, listed in the data-quality report."""

    __tablename__ = "cycle_unattributed"
    __table_args__ = (Index("ix_cycle_unattributed_cycle", "cycle_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"))
    kind: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str] = mapped_column(String(64))
    community_id: Mapped[str | None] = mapped_column(String(64))
    event_date: Mapped[dt.date | None] = mapped_column(Date)


class Job(Base):
    """A long action run in the background (computing a cycle, rendering its documents; see rating_service.jobs),
    polled by the pages for progress."""

    __tablename__ = "jobs"
    __table_args__ = (CheckConstraint("status IN ('running', 'done', 'failed')", name="status_known"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("cycles.id"))
    actor: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(16))
    stage: Mapped[str | None] = mapped_column(String(32))
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    error: Mapped[str | None] = mapped_column(Text)  # JSON {code, key, params}


class JobBatch(Base):
    """One batch of a job split across workers (rendering a cycle's documents): its items (JSON list of ids) and
    when it was done. Written once by the job's first step; a batch is counted on its job exactly once."""

    __tablename__ = "job_batches"

    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    items: Mapped[str] = mapped_column(Text)
    done_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
