"""The accounts room's JSON: logging in for a token, who am I, account management."""

from __future__ import annotations

from pydantic import BaseModel, Field


class TokenRequest(BaseModel):
    username: str = Field(max_length=64)
    password: str = Field(max_length=200)
    label: str | None = Field(default=None, max_length=100)


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    role: str
    credit_code: str | None


class MeOut(BaseModel):
    username: str
    display_name: str
    role: str
    credit_code: str | None


class UserIn(BaseModel):
    username: str = Field(max_length=64)
    password: str = Field(max_length=200)
    role: str
    display_name: str | None = Field(default=None, max_length=100)
    credit_code: str | None = Field(default=None, max_length=18)


class UserOut(BaseModel):
    username: str
    display_name: str
    role: str
    credit_code: str | None
    active: bool


class ReasonIn(BaseModel):
    reason: str | None = Field(default=None, max_length=1000)
