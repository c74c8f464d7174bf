"""Accounts: create, list, disable; log in with throttling; resolve session and API tokens.

Passwords are hashed with argon2id and must keep the policy of ``passwords``. Tokens are random 32-byte secrets
handed to the client once; only their SHA-256 is stored, so a leaked database does not leak sessions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from rating_service.accounts import repository
from rating_service.accounts.models import ROLES, AuthToken, User
from rating_service.accounts.passwords import check_password
from rating_service.audit import service as audit
from rating_service.companies import repository as companies_repo
from rating_service.errors import NotFound, RatingServiceError, TooManyAttempts, Unauthorized
from rating_service.settings import get_settings

_hasher = PasswordHasher()
# Verified against when the username is unknown, so that both answers take the same time.
_DUMMY_HASH = _hasher.hash("not-a-password")
USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{3,64}$")


@dataclass(frozen=True)
class Principal:
    """Who is calling: a user's id, name, role and (for a company) its credit code."""

    user_id: int
    username: str
    display_name: str
    role: str
    credit_code: str | None
    token_id: int | None = None

    @property
    def is_officer(self) -> bool:
        return self.role in ("officer", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @classmethod
    def of(cls, user: User, token_id: int | None = None) -> Principal:
        return cls(user.id, user.username, user.display_name, user.role, user.credit_code, token_id)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    # SQLite hands stored UTC times back naive.
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.UTC)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def csrf_token_for(raw_session_token: str) -> str:
    """The CSRF token of a session: an HMAC of the session secret (nothing to store)."""
    key = get_settings().secret_key.encode("utf-8")
    return hmac.new(key, b"csrf:" + raw_session_token.encode("utf-8"), hashlib.sha256).hexdigest()[:40]


def create_user(session: Session, *, username: str, password: str, role: str, actor: str,
                display_name: str | None = None, credit_code: str | None = None, demo: bool = False) -> User:
    """A new active account. ``demo``: one of the demo's published logins (``admin`` / ``admin-demo-2025``), whose
    password may contain the username; every other rule of the password policy still applies (the demo is
    refused in production)."""
    if not USERNAME.match(username):
        raise RatingServiceError("user_name_invalid", username=username)
    if role not in ROLES:
        raise RatingServiceError("user_role_invalid", role=role, choices=", ".join(ROLES))
    check_password(password, username="" if demo else username)
    if role == "company":
        if not credit_code:
            raise RatingServiceError("user_company_code_required")
        if not companies_repo.company_exists(session, credit_code):
            raise NotFound("company_not_found", code=credit_code)
    elif credit_code:
        raise RatingServiceError("user_code_only_for_company")
    if repository.user_by_username(session, username) is not None:
        raise RatingServiceError("user_exists", username=username)
    user = User(username=username, display_name=display_name or username, role=role,
                credit_code=credit_code if role == "company" else None, password_hash=_hasher.hash(password),
                active=True, created_at=_now(), failed_logins=0)
    session.add(user)
    session.flush()
    audit.record(session, "user.create", actor=actor, entity_kind="user", entity_id=username,
                 payload={"role": role, "credit_code": user.credit_code, "display_name": user.display_name})
    return user


def list_users(session: Session) -> list[User]:
    return repository.list_users(session)


def get_user_or_raise(session: Session, *, username: str) -> User:
    user = repository.user_by_username(session, username)
    if user is None:
        raise NotFound("user_not_found", username=username)
    return user


def set_active(session: Session, *, username: str, active: bool, actor: str, reason: str | None = None) -> User:
    user = get_user_or_raise(session, username=username)
    if not active and user.username == actor:
        raise RatingServiceError("user_disable_self")
    user.active = active
    user.failed_logins = 0
    user.locked_until = None
    if not active:
        repository.revoke_tokens(session, user_id=user.id, at=_now())
    session.flush()
    audit.record(session, "user.enable" if active else "user.disable", actor=actor, entity_kind="user",
                 entity_id=username, reason=reason)
    return user


def set_password(session: Session, *, username: str, password: str, actor: str) -> User:
    check_password(password, username=username)
    user = get_user_or_raise(session, username=username)
    user.password_hash = _hasher.hash(password)
    repository.revoke_tokens(session, user_id=user.id, at=_now())
    session.flush()
    audit.record(session, "user.password", actor=actor, entity_kind="user", entity_id=username)
    return user


def login(session: Session, *, username: str, password: str, kind: str, client: str | None = None,
          label: str | None = None) -> tuple[Principal, str]:
    """Check the password and issue a token of ``kind``; returns the principal and the raw token.

    After ``login_free_failures`` wrong passwords the account is locked for a while that doubles with
    each further failure (capped): attempts during the lock are refused with 429, even with the right
    password, so guessing is slowed to a crawl. Unknown usernames cost the same hash verification.
    """
    settings = get_settings()
    now = _now()
    user = repository.user_by_username(session, username)
    if user is None:
        _verify(_DUMMY_HASH, password)
        raise Unauthorized("login_failed")
    locked_until = _aware(user.locked_until)
    if locked_until is not None and locked_until > now:
        raise TooManyAttempts("login_locked", seconds=int((locked_until - now).total_seconds()) + 1)
    if not _verify(user.password_hash, password) or not user.active:
        if user.active:
            user.failed_logins += 1
            extra = user.failed_logins - settings.login_free_failures
            if extra >= 0:
                seconds = min(settings.login_lock_seconds * 2 ** extra, settings.login_lock_max_seconds)
                user.locked_until = now + dt.timedelta(seconds=seconds)
                audit.record(session, "user.locked", actor="system", entity_kind="user", entity_id=username,
                             payload={"failed_logins": user.failed_logins, "seconds": seconds, "client": client})
        session.flush()
        raise Unauthorized("login_failed")
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    raw = secrets.token_urlsafe(32)
    lifetime = dt.timedelta(hours=settings.session_hours) if kind == "session" else \
        dt.timedelta(days=settings.api_token_days)
    token = AuthToken(user_id=user.id, token_hash=hash_token(raw), kind=kind, created_at=now,
                      expires_at=now + lifetime)
    session.add(token)
    session.flush()
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    audit.record(session, "user.login", actor=username, entity_kind="user", entity_id=username,
                 payload={"kind": kind, "client": client, "label": label})
    return Principal.of(user, token.id), raw


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def principal_for_token(session: Session, raw: str, *, kind: str) -> Principal | None:
    found = repository.token_with_user(session, hash_token(raw))
    if found is None:
        return None
    token, user = found
    expires = _aware(token.expires_at)
    if token.kind != kind or token.revoked_at is not None or not user.active or (expires and expires <= _now()):
        return None
    return Principal.of(user, token.id)


def logout(session: Session, *, raw: str) -> None:
    found = repository.token_with_user(session, hash_token(raw))
    if found is not None and found[0].revoked_at is None:
        found[0].revoked_at = _now()
        session.flush()
