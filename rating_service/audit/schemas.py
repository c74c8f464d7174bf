"""The audit room's JSON: a page of audit log entries."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from rating_service.web.schemas import Timestamp


class AuditEntryOut(BaseModel):
    seq: int
    at: Timestamp
    actor: str
    action: str = Field(examples=["cycle.compute"])
    entity_kind: str | None
    entity_id: str | None
    reason: str | None
    payload: Any = Field(description="what the action recorded (JSON)")


class AuditPageOut(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[AuditEntryOut]
