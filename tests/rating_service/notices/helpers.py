"""Cycles publicized with issued documents, and ways to read what was issued."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from rating_service.cycles import service as cycles
from rating_service.notices.models import Document, DocumentCounter
from tests import factories as f

NOTICE_DATE = dt.date(2026, 1, 12)  # a Monday; five working days later is Monday 2026-01-19
DEADLINE = dt.date(2026, 1, 19)
PERIOD = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
COMPUTED_ON = dt.date(2026, 1, 5)  # the 2025 cycles are computed early in 2026, before their notices go out
CODE_PATTERN = r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}"  # no 0/O, no 1/I


def computed_cycle(database: Any, name: str, on: dt.date = COMPUTED_ON) -> int:
    """A cycle of the 2025 period, created and computed on the day ``on``."""
    with f.on_day(on):
        with database.write_session() as session:
            cycle_id = cycles.create_cycle(session=session, draft=cycles.CycleDraft(name, *PERIOD),
                                           actor="officer").id
        cycles.compute_cycle(database=database, cycle_id=cycle_id, actor="officer")
    return cycle_id


def publicize(database: Any, cycle_id: int, notice_date: dt.date = NOTICE_DATE) -> None:
    """Publicized on its notice date (a notice is never back-dated); afterwards the clock is as it was."""
    with f.on_day(notice_date), database.write_session() as session:
        cycles.publicize_cycle(session=session, cycle_id=cycle_id, actor="officer", notice_date=notice_date)


def documents(database: Any, cycle_id: int | None = None) -> list[Document]:
    """Documents (of one cycle, or all) in number order."""
    query = select(Document).order_by(Document.doc_year, Document.doc_seq)
    if cycle_id is not None:
        query = query.where(Document.cycle_id == cycle_id)
    with database.read_session() as session:
        return list(session.scalars(query))


def counters(database: Any) -> dict[int, int]:
    with database.read_session() as session:
        return {c.year: c.last_seq for c in session.scalars(select(DocumentCounter))}


def payload(document: Document) -> dict[str, Any]:
    return json.loads(document.payload)


@dataclass(frozen=True)
class Published:
    """The factory data's 2025 cycle, publicized on NOTICE_DATE: a bulletin and the notices of 皖江 and 江南."""

    cycle_id: int
    bulletin: Document
    own: Document  # 皖江物业 (CODE_A), the company user's
    other: Document  # 江南物业 (CODE_B)


def publish(database: Any) -> Published:
    f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations")
    cycle_id = computed_cycle(database, "2025年度")
    publicize(database, cycle_id)
    issued = documents(database, cycle_id)
    by_code = {d.credit_code: d for d in issued}
    return Published(cycle_id=cycle_id, bulletin=by_code[None], own=by_code[f.CODE_A], other=by_code[f.CODE_B])
