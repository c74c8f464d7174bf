"""Every query of appeals, their items and attachments."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rating_service.appeals.models import Appeal, AppealAttachment, AppealItem


def pending_for(session: Session, *, cycle_id: int, credit_code: str) -> Appeal | None:
    query = select(Appeal).where(Appeal.cycle_id == cycle_id, Appeal.credit_code == credit_code,
                                 Appeal.status == "pending")
    return session.scalars(query).first()


def appeal(session: Session, appeal_id: int, *, for_update: bool = False) -> Appeal | None:
    query = select(Appeal).where(Appeal.id == appeal_id)
    if for_update:
        query = query.with_for_update()
    return session.scalars(query).first()


def decided_items(session: Session, *, cycle_id: int) -> list[AppealItem]:
    """Record decisions of the cycle's decided appeals, oldest decision first."""
    query = (select(AppealItem).join(Appeal, Appeal.id == AppealItem.appeal_id)
             .where(Appeal.cycle_id == cycle_id, Appeal.status == "decided", AppealItem.action.is_not(None))
             .order_by(Appeal.decided_at, AppealItem.id))
    return list(session.scalars(query))


def pending_count(session: Session, *, cycle_id: int) -> int:
    query = select(func.count()).select_from(Appeal).where(Appeal.cycle_id == cycle_id, Appeal.status == "pending")
    return int(session.execute(query).scalar_one())


def list_appeals(session: Session, *, cycle_id: int, credit_code: str | None = None,
                 status: str | None = None) -> list[Appeal]:
    query = select(Appeal).where(Appeal.cycle_id == cycle_id)
    if credit_code is not None:
        query = query.where(Appeal.credit_code == credit_code)
    if status is not None:
        query = query.where(Appeal.status == status)
    return list(session.scalars(query.order_by(Appeal.due_on, Appeal.id)))


def items(session: Session, appeal_id: int) -> list[AppealItem]:
    return list(session.scalars(select(AppealItem).where(AppealItem.appeal_id == appeal_id).order_by(AppealItem.id)))


def attachments(session: Session, appeal_id: int) -> list[AppealAttachment]:
    query = select(AppealAttachment).where(AppealAttachment.appeal_id == appeal_id).order_by(AppealAttachment.id)
    return list(session.scalars(query))


def attachment(session: Session, attachment_id: int) -> AppealAttachment | None:
    return session.get(AppealAttachment, attachment_id)
