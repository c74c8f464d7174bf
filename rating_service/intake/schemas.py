"""The intake room's JSON: what the intake API accepts and answers. Each lane of issue 18 keeps its own section."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

# -- api lane: the intake API (pushed tickets, the systems and their keys) ------------------------------------

SATISFACTION_WORDS = ("满意", "基本满意", "不满意")
SATISFACTION_CODES = ("satisfied", "basically_satisfied", "dissatisfied")
REQUEST_TYPES = ("投诉", "咨询", "求助", "建议", "举报")


def _not_blank(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if not value:
        raise PydanticCustomError("blank", "blank")
    return value


class TicketPushIn(BaseModel):
    """One 12345 ticket as a pushing system sends it (the columns of the platform's export, without the caller)."""

    model_config = ConfigDict(extra="forbid")

    idempotency_key: str = Field(
        min_length=1, max_length=128,
        description="the sender's key of this ticket: a retried push with the same key changes nothing; the same "
                    "key with different content is refused (409)")
    ticket_no: str = Field(min_length=1, max_length=64, description="工单编号")
    received_at: dt.datetime = Field(description="受理时间, e.g. 2026-03-05T09:12:33+08:00 (no zone: Beijing time)")
    address: str = Field(min_length=1, max_length=500, description="诉求地址 as the caller gave it")
    content: str | None = Field(default=None, max_length=4000,
                                description="诉求内容; phone and ID numbers in it are removed before it is stored")
    request_type: Literal["投诉", "咨询", "求助", "建议", "举报"] | None = Field(default=None, description="诉求类型")
    handling_unit: str | None = Field(default=None, max_length=200, description="承办单位")
    due_on: dt.date | None = Field(default=None, description="办理时限")
    resolved_at: dt.datetime | None = Field(default=None, description="办结时间")
    substantiated: bool | Literal["是", "否"] | None = Field(default=None, description="是否属实")
    satisfaction: Literal["满意", "基本满意", "不满意", "satisfied", "basically_satisfied", "dissatisfied"] | None = \
        Field(default=None, description="回访满意度, in words or as a code")

    _strip = field_validator("idempotency_key", "ticket_no", "address")(_not_blank)

    @field_validator("content", "handling_unit")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return (value.strip() or None) if value is not None else None


class TicketBatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tickets: list[TicketPushIn] = Field(
        min_length=1, max_length=10_000,
        description="the batch: at most RATING_INTAKE_BATCH_MAX tickets (500 unless configured); larger sets go "
                    "in several pushes")


class TicketResultOut(BaseModel):
    idempotency_key: str
    status: Literal["inserted", "unchanged"] = Field(description="inserted now, or already there from an earlier "
                                                                 "push with the same key and content")
    item_id: int = Field(description="the ticket's id in the review queue")


class PushSummaryOut(BaseModel):
    received: int
    inserted: int
    unchanged: int
    proposed: int = Field(description="new tickets whose community was proposed by matching")
    review: int = Field(description="new tickets whose community needs an officer")
    redactions: int = Field(description="pieces of personal data removed from the new tickets")


class PushOut(BaseModel):
    system: str = Field(description="the name of the system whose key made the push")
    items: list[TicketResultOut]
    summary: PushSummaryOut


class SystemIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100, description="the system's name, e.g. 12345平台")


class SystemOut(BaseModel):
    id: int
    name: str
    key_prefix: str = Field(description="the key's first characters, to tell keys apart (the key itself is not "
                                        "kept)")
    created_by: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_by: str | None
    revoked_at: dt.datetime | None
    active: bool


class SystemIssuedOut(SystemOut):
    key: str = Field(description="the key, shown this once: send it as Authorization: Bearer <key> to "
                                 "POST /api/v1/intake/tickets")
