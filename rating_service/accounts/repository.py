"""Every query on users, tokens and login throttling."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from rating_service.accounts.models import AuthToken, LoginThrottle, User


def user_by_username(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == username)).one_or_none()


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.role, User.username)))


def token_with_user(session: Session, token_hash: str) -> tuple[AuthToken, User] | None:
    row = session.execute(
        select(AuthToken, User).join(User, User.id == AuthToken.user_id).where(AuthToken.token_hash == token_hash)
    ).one_or_none()
    return None if row is None else (row[0], row[1])


def revoke_tokens(session: Session, *, user_id: int, at: dt.datetime, keep_id: int | None = None) -> None:
    """End every session and API token of a user (but ``keep_id``, the caller's own)."""
    stmt = update(AuthToken).where(AuthToken.user_id == user_id, AuthToken.revoked_at.is_(None))
    if keep_id is not None:
        stmt = stmt.where(AuthToken.id != keep_id)
    session.execute(stmt.values(revoked_at=at))


def lock_throttle(session: Session, *, scope: str, client: str, username: str, now: dt.datetime) -> LoginThrottle:
    """The throttle row of a key, created when missing and locked until commit.

    Concurrent attempts on one key queue here (PostgreSQL: row lock; SQLite: the write transaction already
    serialises writers), so parallel guesses cannot slip past the count.
    """
    dialect = session.get_bind().dialect.name
    insert_fn = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert_fn(LoginThrottle).values(
        scope=scope, client=client, username=username, failures=0, window_start=now, last_seen=now, refused=0,
    ).on_conflict_do_nothing(index_elements=["scope", "client", "username"]))
    return session.scalars(
        select(LoginThrottle).where(LoginThrottle.scope == scope, LoginThrottle.client == client,
                                    LoginThrottle.username == username)
        .with_for_update().execution_options(populate_existing=True)).one()


def delete_throttle(session: Session, row: LoginThrottle) -> None:
    session.delete(row)


def clear_throttles_of(session: Session, *, username: str) -> None:
    """Forget the failures of a username (as typed, lower-cased) at every address."""
    session.execute(delete(LoginThrottle).where(LoginThrottle.scope == "account",
                                                LoginThrottle.username == username))


def prune_throttles(session: Session, *, idle_before: dt.datetime, now: dt.datetime, batch: int = 500) -> int:
    """Delete up to ``batch`` rows idle since before ``idle_before`` and not locked; rows that another
    transaction holds are skipped (PostgreSQL), so two pruning logins never wait on each other."""
    stale = (select(LoginThrottle.id)
             .where(LoginThrottle.last_seen < idle_before,
                    or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until < now))
             .limit(batch).with_for_update(skip_locked=True))
    ids = list(session.scalars(stale))
    if ids:
        session.execute(delete(LoginThrottle).where(LoginThrottle.id.in_(ids)))
    return len(ids)
