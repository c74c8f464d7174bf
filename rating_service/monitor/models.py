"""The weekly early-warning summaries, as they were when written (the running rating itself is never stored)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from rating_service.db import Base


class MonitorSummary(Base):
    """One week's summary: the sliding companies and the records that drive each, frozen when written."""

    __tablename__ = "monitor_summaries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    week_start: Mapped[dt.date] = mapped_column(Date, unique=True)  # the Monday of the week
    period_start: Mapped[dt.date] = mapped_column(Date)  # the running period: the day after the last cycle's end
    period_end: Mapped[dt.date] = mapped_column(Date)  # … to this day
    methodology_id: Mapped[str] = mapped_column(String(64))
    lines: Mapped[int] = mapped_column(Integer)  # companies listed
    payload: Mapped[str] = mapped_column(Text)  # JSON of the summary's lines
    generated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    generated_by: Mapped[str] = mapped_column(String(100))
