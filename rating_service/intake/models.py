"""Intake tables: the community directory's names, tickets and patrol findings waiting for review (intake items),
the triage models, the systems that push through the intake API, and the column mappings of raw exports."""

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
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from rating_service.db import Base
from rating_service.i18n import LabelledEnum


class NameKind(LabelledEnum):
    """What a directory entry of a community is (``CommunityName.kind``)."""

    ALIAS = "alias"  # 别名: a name people use today (山水兰庭, 江南府)
    FORMER = "former"  # 曾用名
    ADDRESS = "address"  # 地址: 枞阳县城关镇枞川路88号
    TOWN = "town"  # 所在镇/街道


NAME_KINDS = tuple(k.value for k in NameKind)


class ItemKind(LabelledEnum):
    """What an intake item becomes once confirmed (``IntakeItem.kind``)."""

    HOTLINE = "hotline"  # a 12345 ticket -> a complaint record
    PATROL = "patrol"  # a patrol-sheet finding -> an inspection record


ITEM_KINDS = tuple(k.value for k in ItemKind)


class ItemStatus(LabelledEnum):
    """Where an intake item stands (``IntakeItem.status``)."""

    PENDING = "pending"  # 待确认
    CONFIRMED = "confirmed"  # 已确认: became a record (record_id)
    NOT_PROPERTY = "not_property"  # 非物业服务类: kept, never counted
    DUPLICATE = "duplicate"  # 重复: duplicate_of names the item it repeats


ITEM_STATUSES = tuple(s.value for s in ItemStatus)


class MatchStatus(LabelledEnum):
    """What matching made of an item's place text (``IntakeItem.match_status``)."""

    PROPOSED = "proposed"  # one community scored above the threshold, clearly ahead of the next
    REVIEW = "review"  # a best guess below the threshold: an officer must choose
    TIE = "tie"  # two or more communities equally good: never guessed
    NONE = "none"  # nothing resembles the text


MATCH_STATUSES = tuple(s.value for s in MatchStatus)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class CommunityName(Base):
    """One more way to name or find a community besides its official name (communities.name)."""

    __tablename__ = "community_names"
    __table_args__ = (
        CheckConstraint(_in("kind", NAME_KINDS), name="kind_known"),
        UniqueConstraint("community_id", "kind", "text", name="uq_community_names_entry"),
        Index("ix_community_names_community_id", "community_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    community_id: Mapped[str] = mapped_column(ForeignKey("communities.community_id"))
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(String(300))
    added_by: Mapped[str] = mapped_column(String(100))
    added_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class TriageModel(Base):
    """A trained category and relevance classifier (version = id), its held-out evaluation and its pickled
    pipeline. Only the service writes ``model`` (it is read back with pickle: never load one from elsewhere)."""

    __tablename__ = "triage_models"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    trained_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    trained_by: Mapped[str] = mapped_column(String(100))
    samples: Mapped[int] = mapped_column(Integer)
    metrics: Mapped[str] = mapped_column(Text, default="{}")  # JSON: per-category precision/recall, macro-F1, …
    model: Mapped[bytes] = mapped_column(LargeBinary)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class IntakeSystem(Base):
    """A system that pushes tickets through the intake API with its own key (only the key's SHA-256 is kept)."""

    __tablename__ = "intake_systems"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    key_prefix: Mapped[str] = mapped_column(String(16))  # shown to tell keys apart, e.g. "ik_3f9a…"
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_by: Mapped[str | None] = mapped_column(String(100))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class IntakeMapping(Base):
    """An administrator's column mapping of a raw export (kind ``hotline`` or ``patrol``): JSON {field: [headers]}."""

    __tablename__ = "intake_mappings"
    __table_args__ = (CheckConstraint(_in("kind", ITEM_KINDS), name="kind_known"),)

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    mapping: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class IntakeItem(Base):
    """A ticket or patrol finding as received (personal data already removed), what matching and triage suggest,
    and the officer's decision. Only a confirmed item becomes a record (``record_id``)."""

    __tablename__ = "intake_items"
    __table_args__ = (
        CheckConstraint(_in("kind", ITEM_KINDS), name="kind_known"),
        CheckConstraint(_in("status", ITEM_STATUSES), name="status_known"),
        CheckConstraint(f"match_status IS NULL OR {_in('match_status', MATCH_STATUSES)}", name="match_status_known"),
        UniqueConstraint("kind", "external_no", name="uq_intake_items_number"),
        UniqueConstraint("system_id", "idempotency_key", name="uq_intake_items_idempotency"),
        Index("ix_intake_items_status", "status"),
        Index("ix_intake_items_received_on", "received_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    external_no: Mapped[str] = mapped_column(String(64))  # 工单编号 / 记录编号 as the source gave it
    content_sha: Mapped[str] = mapped_column(String(64))  # of the item's content after personal data removal
    received_on: Mapped[dt.date] = mapped_column(Date)  # 受理时间 / 检查日期
    place_text: Mapped[str] = mapped_column(Text)  # 诉求地址 / the community as written (personal data removed)
    text: Mapped[str | None] = mapped_column(Text)  # 诉求内容 / 问题描述 (personal data removed)
    fields: Mapped[str] = mapped_column(Text, default="{}")  # JSON: the other values of the source, validated
    redactions: Mapped[int] = mapped_column(Integer, default=0)  # how many personal-data pieces were removed
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))  # the file that brought it
    system_id: Mapped[int | None] = mapped_column(ForeignKey("intake_systems.id"))  # or the system that pushed it
    idempotency_key: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # matching
    match_status: Mapped[str | None] = mapped_column(String(16))
    match_community_id: Mapped[str | None] = mapped_column(ForeignKey("communities.community_id"))
    match_score: Mapped[float | None] = mapped_column(Float)
    match_rule: Mapped[str | None] = mapped_column(String(32))
    match_alternatives: Mapped[str] = mapped_column(Text, default="[]")  # JSON [{community_id, score, rule}]
    # triage (hotline tickets)
    model_id: Mapped[int | None] = mapped_column(ForeignKey("triage_models.id"))
    category_suggested: Mapped[str | None] = mapped_column(String(100))
    category_probability: Mapped[float | None] = mapped_column(Float)
    relevant_probability: Mapped[float | None] = mapped_column(Float)
    # the officer's decision
    status: Mapped[str] = mapped_column(String(16), default=ItemStatus.PENDING.value)
    community_id: Mapped[str | None] = mapped_column(ForeignKey("communities.community_id"))
    category: Mapped[str | None] = mapped_column(String(100))
    duplicate_of: Mapped[int | None] = mapped_column(ForeignKey("intake_items.id"))
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    record_id: Mapped[str | None] = mapped_column(String(64))  # the complaint / inspection it became
    record_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))
