"""The companies room's JSON: companies and communities with what each manages, or is managed by, today."""

from __future__ import annotations

from pydantic import BaseModel


class CompanyOut(BaseModel):
    credit_code: str
    name: str
    legal_representative: str | None
    communities: int
    households: int


class CompanyPageOut(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[CompanyOut]


class CommunityOut(BaseModel):
    community_id: str
    name: str
    neighborhood: str | None
    households: int
    manager_code: str | None
    manager_name: str | None


class CommunityPageOut(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[CommunityOut]
