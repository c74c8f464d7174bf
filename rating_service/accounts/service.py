"""Accounts: create, list, disable; log in with throttling; resolve session and API tokens.

Passwords are hashed with argon2id and must keep the policy of ``passwords``. Tokens are random 32-byte secrets
handed to the client once; only their SHA-256 is stored, so a leaked database does not leak sessions.

An account whose password an administrator chose (a new account from the page or the API, a reset) must change
it at its next login (``must_change_password``): the web layer refuses every other page and API call until the
owner picks one of their own (``change_password``). A reset hands the administrator a readable temporary password
once (``reset_password``), stores only its hash and ends all the account's sessions and API tokens.

Failed logins are throttled per client address and per (address, username as typed), whether or not the username
exists, so that an attacker is slowed down without locking the owner out at another address and without learning
which usernames exist. Every failed login is audited (``user.login_failed``), never with the password.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import math
import re
import secrets
import unicodedata
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from rating_service import clock
from rating_service.accounts import repository
from rating_service.accounts.models import ROLES, AuthToken, LoginThrottle, User
from rating_service.accounts.passwords import check_password
from rating_service.audit import service as audit
from rating_service.companies import repository as companies_repo
from rating_service.errors import NotFound, RatingServiceError, TooManyAttempts, Unauthorized
from rating_service.settings import Settings, get_settings

_hasher = PasswordHasher()
# Verified against when the username is unknown, so that both answers take the same time. Hashed on the first
# login rather than at import (one hash at the service's costs is ~0.15 s of every start otherwise).
_DUMMY_HASH: str | None = None
USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{3,64}$")
# Audit entries of failed logins keep at most this much of the username as typed.
TYPED_USERNAME_MAX = 64
ANONYMOUS = "anonymous"
_LOGIN_CSRF_SECRET = re.compile(r"^[A-Za-z0-9_-]{43}$")


@dataclass(frozen=True)
class Principal:
    """Who is calling: a user's id, name, role and (for a company) its credit code."""

    user_id: int
    username: str
    display_name: str
    role: str
    credit_code: str | None
    token_id: int | None = None
    # The account's password was chosen by an administrator: only the password change is open to it.
    must_change_password: bool = False

    @property
    def is_officer(self) -> bool:
        return self.role in ("officer", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @classmethod
    def of(cls, user: User, token_id: int | None = None) -> Principal:
        return cls(user.id, user.username, user.display_name, user.role, user.credit_code, token_id,
                   bool(user.must_change_password))


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


def new_login_csrf_secret() -> str:
    """A random pre-session secret for the login form's cookie (double submit, see ``login_csrf_token_for``)."""
    return secrets.token_urlsafe(32)


def is_login_csrf_secret(value: str | None) -> bool:
    return bool(value and _LOGIN_CSRF_SECRET.match(value))


def login_csrf_token_for(secret: str) -> str:
    """The login form's hidden token: an HMAC of its cookie's secret, so that another site can neither read nor
    forge a matching pair (a cookie planted from a sibling domain has no valid HMAC)."""
    key = get_settings().secret_key.encode("utf-8")
    return hmac.new(key, b"login-csrf:" + secret.encode("utf-8"), hashlib.sha256).hexdigest()[:40]


def login_csrf_valid(secret: str | None, sent: str | None) -> bool:
    if not sent or not is_login_csrf_secret(secret):
        return False
    return hmac.compare_digest(sent.encode("utf-8"), login_csrf_token_for(secret or "").encode("utf-8"))


def create_user(session: Session, *, username: str, password: str, role: str, actor: str,
                display_name: str | None = None, credit_code: str | None = None, demo: bool = False,
                must_change_password: bool = False) -> User:
    """A new active account. ``demo``: one of the demo's published logins (``admin`` / ``admin-demo-2025``), whose
    password may contain the username; every other rule of the password policy still applies (the demo is
    refused in production). ``must_change_password``: an administrator chose the password for someone else (the
    page, the API, the CLI), so its owner must change it at the first login; the demo's logins are not forced."""
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
                active=True, created_at=_now(), must_change_password=must_change_password)
    session.add(user)
    session.flush()
    audit.record(session, "user.create", actor=actor, entity_kind="user", entity_id=username,
                 payload={"role": role, "credit_code": user.credit_code, "display_name": user.display_name,
                          "must_change_password": must_change_password})
    return user


def list_users(session: Session) -> list[User]:
    return repository.list_users(session)


@dataclass(frozen=True)
class CompanyChoice:
    """A company an account can be bound to: its credit code and name."""

    credit_code: str
    name: str


# The create-account form offers at most this many companies (a county has a few hundred).
COMPANY_CHOICES_MAX = 5000


def company_choices(session: Session) -> list[CompanyChoice]:
    """The companies of the register, by name, for the company account form's list."""
    rows = companies_repo.list_companies(session, on=clock.local_today(), limit=COMPANY_CHOICES_MAX)
    return [CompanyChoice(r.credit_code, r.name) for r in rows]


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
    if active:
        # Enabling is also the admin's unlock: the username's login throttling is forgotten at every address.
        repository.clear_throttles_of(session, username=throttle_username(username))
    else:
        repository.revoke_tokens(session, user_id=user.id, at=_now())
    session.flush()
    audit.record(session, "user.enable" if active else "user.disable", actor=actor, entity_kind="user",
                 entity_id=username, reason=reason)
    return user


# The temporary password's letters: lower case and digits without the look-alikes (0/o, 1/l/i), read out on the
# phone or copied from the screen without mistakes; four groups of four (~78 bits).
TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
TEMPORARY_GROUPS = 4


def temporary_password(username: str) -> str:
    """A random readable password (``k7m2-q9xz-…``) that keeps the password policy."""
    while True:
        candidate = "-".join("".join(secrets.choice(TEMPORARY_ALPHABET) for _ in range(4))
                             for _ in range(TEMPORARY_GROUPS))
        try:
            check_password(candidate, username=username)
        except RatingServiceError:
            continue
        return candidate


def reset_password(session: Session, *, username: str, actor: str, reason: str | None = None) -> str:
    """An administrator's reset: a new temporary password (returned once, to be handed to the owner; only its hash
    is stored and it is never audited), the change forced at the next login, every session and API token of the
    account ended and its login throttling forgotten."""
    user = get_user_or_raise(session, username=username)
    if user.username == actor:
        raise RatingServiceError("user_reset_self")
    temporary = temporary_password(username)
    user.password_hash = _hasher.hash(temporary)
    user.must_change_password = True
    repository.revoke_tokens(session, user_id=user.id, at=_now())
    repository.clear_throttles_of(session, username=throttle_username(username))
    session.flush()
    audit.record(session, "user.password_reset", actor=actor, entity_kind="user", entity_id=username,
                 reason=reason, payload={"role": user.role, "sessions_ended": True, "must_change_password": True})
    return temporary


def change_password(session: Session, *, username: str, current: str, new: str, keep_token_id: int | None = None,
                    client: str | None = None) -> User:
    """The owner changes their own password: the current one is required, the new one keeps the policy and differs
    from it. Every other session and API token of the account ends (``keep_token_id``, the caller's own, stays);
    a forced change is over.

    A wrong current password counts like a failed login (throttled per address and per address and username,
    audited ``user.login_failed`` with kind ``password_change``), so that a stolen session cannot guess the
    password; the caller commits before answering the refusal.
    """
    user = get_user_or_raise(session, username=username)
    now = _now()
    by_address, by_pair = _throttle_rows(session, username=username, client=client, kind="password_change",
                                         now=now)
    if not _verify(user.password_hash, current):
        extra = _count_failure(by_address, by_pair, now=now, settings=get_settings())
        _audit_failure(session, typed=typed_username(username), client=client, kind="password_change",
                       reason="wrong_password", extra=extra)
        session.flush()
        raise RatingServiceError("user_password_current_wrong")
    repository.delete_throttle(session, by_pair)
    if by_address.failures == 0 and by_address.refused == 0:
        repository.delete_throttle(session, by_address)
    check_password(new, username=username)
    if new == current:
        raise RatingServiceError("user_password_unchanged")
    forced = bool(user.must_change_password)
    user.password_hash = _hasher.hash(new)
    user.must_change_password = False
    repository.revoke_tokens(session, user_id=user.id, at=_now(), keep_id=keep_token_id)
    session.flush()
    audit.record(session, "user.password_change", actor=username, entity_kind="user", entity_id=username,
                 payload={"forced": forced, "client": typed_username(client) if client else None})
    return user


def typed_username(username: str) -> str:
    """The username as typed, fit to store and show: control, format and surrogate characters (which PostgreSQL
    text or UTF-8 cannot hold) replaced with U+FFFD, at most TYPED_USERNAME_MAX characters."""
    return "".join("\ufffd" if unicodedata.category(c).startswith("C") else c
                   for c in username[:TYPED_USERNAME_MAX])


def throttle_username(username: str) -> str:
    """The username part of a throttle key: as typed, lower-cased (``Admin`` and ``admin`` count together)."""
    return typed_username(username).lower()


def client_key(client: str | None) -> str:
    """The address that throttling counts against: the client's IP (an IPv4-mapped IPv6 address as IPv4), and for
    IPv6 its /64 network, since one subscriber commonly holds a whole /64."""
    if not client:
        return "unknown"
    try:
        address = ipaddress.ip_address(client)
    except ValueError:
        return typed_username(client)
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def login(session: Session, *, username: str, password: str, kind: str, client: str | None = None,
          label: str | None = None) -> tuple[Principal, str]:
    """Check the password and issue a token of ``kind``; returns the principal and the raw token.

    Refused with 429 (even with the right password) while the client's address, or the pair of address and
    username as typed, is locked; refused with 401 for an unknown username, a disabled account or a wrong
    password, which all cost one argon2 verification and count alike. The caller commits before answering a
    refusal, so that the count and the audit entry are kept.
    """
    settings = get_settings()
    now = _now()
    typed = typed_username(username)
    by_address, by_pair = _throttle_rows(session, username=username, client=client, kind=kind, now=now)
    repository.prune_throttles(session, idle_before=now - dt.timedelta(hours=settings.login_throttle_keep_hours),
                               now=now)
    # A username with characters no account can have is not looked up (PostgreSQL refuses NUL in a query).
    user = repository.user_by_username(session, username) if typed == username else None
    matches = _verify(user.password_hash if user is not None else _dummy_hash(), password)
    if user is None or not user.active or not matches:
        reason = "unknown_user" if user is None else "disabled" if not user.active else "wrong_password"
        extra = _count_failure(by_address, by_pair, now=now, settings=settings)
        _audit_failure(session, typed=typed, client=client, kind=kind, reason=reason, extra=extra)
        session.flush()
        raise Unauthorized("login_failed")
    repository.delete_throttle(session, by_pair)
    if by_address.failures == 0 and by_address.refused == 0:
        repository.delete_throttle(session, by_address)
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
                 payload={"kind": kind, "client": typed_username(client) if client else None, "label": label})
    return Principal.of(user, token.id), raw


def _throttle_rows(session: Session, *, username: str, client: str | None, kind: str,
                   now: dt.datetime) -> tuple[LoginThrottle, LoginThrottle]:
    """The throttle rows of the client's address and of the pair (address, username as typed), locked until commit;
    raises TooManyAttempts (the first refusal of a lock audited) while either is locked."""
    address = client_key(client)
    # The address row first, then the pair's: every login locks in this order, so two never wait crosswise.
    by_address = repository.lock_throttle(session, scope="address", client=address, username="", now=now)
    by_pair = repository.lock_throttle(session, scope="account", client=address,
                                       username=throttle_username(username), now=now)
    for row, reason in ((by_address, "throttled_address"), (by_pair, "throttled_account")):
        locked_until = _aware(row.locked_until)
        if locked_until is not None and locked_until > now:
            seconds = math.ceil((locked_until - now).total_seconds())
            row.refused += 1
            row.last_seen = now
            # An attacker hammering a locked key must not fill the audit log: the first refusal of each lock is
            # written, the others are counted and reported with the key's next audited failure.
            if row.refused == 1:
                _audit_failure(session, typed=typed_username(username), client=client, kind=kind, reason=reason,
                               extra={"retry_after": seconds})
            session.flush()
            raise TooManyAttempts("login_locked", seconds=seconds)
    by_address.last_seen = by_pair.last_seen = now
    session.flush()
    return by_address, by_pair


def _count_failure(by_address: LoginThrottle, by_pair: LoginThrottle, *, now: dt.datetime,
                   settings: Settings) -> dict[str, Any]:
    """Count one failure against the address and the pair; lock either when its limit is reached. Returns what
    the audit entry reports: locks started, and refusals of earlier locks that were counted but not audited."""
    extra: dict[str, Any] = {}
    unlogged = max(by_address.refused - 1, 0) + max(by_pair.refused - 1, 0)
    if unlogged:
        extra["unlogged_refusals"] = unlogged
    by_address.refused = by_pair.refused = 0
    window = dt.timedelta(seconds=settings.login_address_window_seconds)
    window_start = _aware(by_address.window_start)
    if by_address.failures == 0 or window_start is None or now - window_start >= window:
        by_address.failures, by_address.window_start = 0, now
    by_address.failures += 1
    if by_address.failures >= settings.login_address_max_failures:
        by_address.locked_until = now + window
        by_address.failures = 0  # the next window starts with the next failure after the lock
        extra["address_locked_seconds"] = settings.login_address_window_seconds
    by_pair.failures += 1
    beyond = by_pair.failures - settings.login_free_failures
    if beyond >= 0:
        seconds = min(settings.login_lock_seconds * 2 ** min(beyond, 32), settings.login_lock_max_seconds)
        by_pair.locked_until = now + dt.timedelta(seconds=seconds)
        extra["locked_seconds"] = seconds
    extra["failures"] = by_pair.failures
    return extra


def _audit_failure(session: Session, *, typed: str, client: str | None, kind: str, reason: str,
                   extra: dict[str, Any]) -> None:
    """``user.login_failed``: the username as typed (truncated), the source address and the reason; never the
    password."""
    audit.record(session, "user.login_failed", actor=ANONYMOUS, entity_kind="user", entity_id=typed,
                 payload={"username": typed, "client": typed_username(client) if client else None,
                          "reason": reason, "kind": kind, **extra})


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = _hasher.hash("not-a-password")
    return _DUMMY_HASH


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
