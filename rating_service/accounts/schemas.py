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
    must_change_password: bool = Field(
        default=False, description="an administrator chose the password: only POST /api/v1/me/password (and "
                                   "GET /api/v1/me, logout) answer until it is changed; the rest is 403 "
                                   "password_change_required")


class MeOut(BaseModel):
    username: str
    display_name: str
    role: str
    credit_code: str | None
    must_change_password: bool = False


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
    must_change_password: bool = False


class PasswordChangeIn(BaseModel):
    current_password: str = Field(max_length=200, description="the current (or temporary) password")
    new_password: str = Field(max_length=200)


class PasswordResetOut(BaseModel):
    username: str
    temporary_password: str = Field(description="shown this once, never stored in clear: hand it to the owner, who "
                                                "must change it at the next login")


class ReasonIn(BaseModel):
    reason: str | None = Field(default=None, max_length=1000)
