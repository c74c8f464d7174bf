"""An adopted methodology version: its YAML text, as validated and adopted; never changed afterwards."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from rating_service.db import Base


class MethodologyVersion(Base):
    __tablename__ = "methodology_versions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    effective_from: Mapped[dt.date] = mapped_column(Date)
    based_on: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)  # the YAML, exactly as adopted
    sha256: Mapped[str] = mapped_column(String(64))
    adopted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    adopted_by: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
