"""Every query on users and tokens."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from rating_service.accounts.models import AuthToken, User


def user_by_username(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == username)).one_or_none()


def user_by_id(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.role, User.username)))


def token_with_user(session: Session, token_hash: str) -> tuple[AuthToken, User] | None:
    row = session.execute(
        select(AuthToken, User).join(User, User.id == AuthToken.user_id).where(AuthToken.token_hash == token_hash)
    ).one_or_none()
    return None if row is None else (row[0], row[1])


def revoke_tokens(session: Session, *, user_id: int, at: dt.datetime) -> None:
    session.execute(update(AuthToken).where(AuthToken.user_id == user_id, AuthToken.revoked_at.is_(None))
                    .values(revoked_at=at))
