"""Companies, communities and the management contracts that attribute records to companies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from rating_service.db import Base


class Company(Base):
    __tablename__ = "companies"

    credit_code: Mapped[str] = mapped_column(String(18), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    legal_representative: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(50))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))


class Community(Base):
    __tablename__ = "communities"
    __table_args__ = (CheckConstraint("households > 0", name="households_positive"),)

    community_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    neighborhood: Mapped[str | None] = mapped_column(String(200))
    households: Mapped[int] = mapped_column(Integer)
    floor_area_m2: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))


class Contract(Base):
    __tablename__ = "contracts"
    __table_args__ = (
        UniqueConstraint("community_id", "credit_code", "start_date", name="uq_contracts_key"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates_ordered"),
        Index("ix_contracts_credit_code", "credit_code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    community_id: Mapped[str] = mapped_column(ForeignKey("communities.community_id"))
    credit_code: Mapped[str] = mapped_column(ForeignKey("companies.credit_code"))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))
