"""Users (admin, officer, company bound to one credit code), their session and API tokens, login throttling."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from rating_service.db import Base
from rating_service.i18n import LabelledEnum


class Role(LabelledEnum):
    """The role of an account (``User.role``)."""

    ADMIN = "admin"
    OFFICER = "officer"
    COMPANY = "company"


ROLES = tuple(r.value for r in Role)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'officer', 'company')", name="role_known"),
        CheckConstraint("(role = 'company') = (credit_code IS NOT NULL)", name="company_bound"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    credit_code: Mapped[str | None] = mapped_column(ForeignKey("companies.credit_code"))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # Unused since migration 0009: login throttling is kept per client address in login_throttle (a lock on the
    # account itself let anyone keep its owner out). Left in place until a later migration drops them.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # Set when an administrator chose the password (a new account, a reset): every page and API call but the
    # password change is refused until the owner picks one of their own.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class AuthToken(Base):
    """A session cookie or an API bearer token; only the SHA-256 of the secret is stored."""

    __tablename__ = "auth_tokens"
    __table_args__ = (CheckConstraint("kind IN ('session', 'api')", name="kind_known"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class LoginThrottle(Base):
    """Failed logins of one client address (scope ``address``, username ``""``) or of one address and one
    username as typed, lower-cased (scope ``account``; the username need not exist)."""

    __tablename__ = "login_throttle"
    __table_args__ = (
        CheckConstraint("scope IN ('address', 'account')", name="scope_known"),
        UniqueConstraint("scope", "client", "username", name="uq_login_throttle_key"),
        Index("ix_login_throttle_last_seen", "last_seen"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scope: Mapped[str] = mapped_column(String(8))
    client: Mapped[str] = mapped_column(String(64))
    username: Mapped[str] = mapped_column(String(64))
    # Failures counted (for an address: within the window that started at window_start).
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # Attempts refused while locked since the lock began: the first is audited, the rest only counted here and
    # reported with the next audited failure of this row.
    refused: Mapped[int] = mapped_column(Integer, default=0)
