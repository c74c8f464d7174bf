"""Every query of the early-warning room: the last rated cycle and its ratings, the weekly summaries."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from rating_service.cycles.models import Cycle, Rating
from rating_service.monitor.models import MonitorSummary

RATED = ("computed", "publicized", "finalized")


def last_rated_cycle(session: Session) -> Cycle | None:
    """The latest-ending cycle that has ratings (computed, publicized or finalized); ties: the newest."""
    query = (select(Cycle).where(Cycle.status.in_(RATED))
             .order_by(Cycle.period_end.desc(), Cycle.id.desc()).limit(1))
    return session.execute(query).scalars().first()


def last_grades(session: Session, cycle_id: int) -> dict[str, tuple[float, str]]:
    """credit code -> (score, grade) of the cycle's stored ratings."""
    rows = session.execute(select(Rating.credit_code, Rating.score, Rating.grade).where(Rating.cycle_id == cycle_id))
    return {str(code): (float(score), str(grade)) for code, score, grade in rows}


def summary(session: Session, week_start: dt.date) -> MonitorSummary | None:
    return session.execute(select(MonitorSummary).where(MonitorSummary.week_start == week_start)).scalars().first()


def summaries(session: Session, *, limit: int = 200) -> list[MonitorSummary]:
    query = select(MonitorSummary).order_by(MonitorSummary.week_start.desc()).limit(limit)
    return list(session.execute(query).scalars())
