"""Every query of the methodology versions."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from rating_service.methodologies.models import MethodologyVersion


def versions(session: Session) -> list[MethodologyVersion]:
    return list(session.scalars(select(MethodologyVersion).order_by(MethodologyVersion.effective_from)))


def version(session: Session, identifier: str) -> MethodologyVersion | None:
    return session.get(MethodologyVersion, identifier)
