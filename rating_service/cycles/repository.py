"""Every query of the cycle workflow: the snapshot read, stored ratings, quality lists, jobs.

The snapshot read runs on the database side: the period's records as of a change-set watermark
(main rows written up to it, plus history rows it had not yet superseded). PostgreSQL streams the
result with ``COPY … TO STDOUT`` straight into pandas; SQLite is read in chunks.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Sequence
from typing import Any

import pandas as pd
from sqlalchemy import Select, Table, and_, delete, func, or_, select, union_all
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from rating_service.cycles.models import Cycle, Job, Rating, UnattributedRecord
from rating_service.db import Base
from rating_service.records.models import HISTORY
from rating_service.records.repository import insert_rows
from scoring.engine import EVENT_DATE, RECORD_COLUMNS, RECORD_KINDS

# What the engine reads of each table (extra columns are not selected).
SNAPSHOT_COLUMNS: dict[str, list[str]] = {
    "companies": ["credit_code", "name"],
    "communities": ["community_id", "households"],
    "contracts": ["community_id", "credit_code", "start_date", "end_date"],
    **RECORD_COLUMNS,
}
DATE_COLUMNS = {"start_date", "end_date", "inspected_on", "rectify_by", "rectified_on", "received_on", "due_on",
                "resolved_on", "decided_on", "awarded_on", "occurred_on"}
BOOL_COLUMNS = {"substantiated", "refunded"}
NUMBER_COLUMNS = {"households", "amount_yuan"}
# Few distinct values over many rows: categoricals keep a nation's snapshot small.
CATEGORY_COLUMNS = {"credit_code", "community_id", "severity", "violation_type", "level", "kind"}
CHUNK_ROWS = 200_000


def _visible(table: Table, watermark: int) -> Any:
    return or_(table.c.batch_id.is_(None), table.c.batch_id <= watermark)


def snapshot_query(kind: str, *, watermark: int, period_start: dt.date, period_end: dt.date) -> Select[Any]:
    """The rows of ``kind`` as of change-set ``watermark`` that can matter to a rating of the period."""
    main = Base.metadata.tables[kind]
    history = HISTORY[kind]
    columns = SNAPSHOT_COLUMNS[kind]
    parts = []
    for table, extra in ((main, []), (history, [history.c.superseded_by > watermark])):
        conditions = [_visible(table, watermark), *extra]
        if kind == "contracts":
            conditions += [table.c.start_date <= period_end,
                           or_(table.c.end_date.is_(None), table.c.end_date >= period_start)]
        elif kind in EVENT_DATE:
            date = table.c[EVENT_DATE[kind]]
            conditions += [date >= period_start, date <= period_end]
        parts.append(select(*[table.c[c] for c in columns]).where(and_(*conditions)))
    return union_all(*parts)  # type: ignore[return-value]


def read_snapshot(session: Session, *, watermark: int, period_start: dt.date,
                  period_end: dt.date) -> dict[str, pd.DataFrame]:
    """One frame per table kind, with the engine's dtypes; the same frames on SQLite and PostgreSQL."""
    frames = {}
    for kind in ("companies", "communities", "contracts", *RECORD_KINDS):
        query = snapshot_query(kind, watermark=watermark, period_start=period_start, period_end=period_end)
        frames[kind] = _typed(_read(session, query, SNAPSHOT_COLUMNS[kind]), SNAPSHOT_COLUMNS[kind])
    return frames


def _read(session: Session, query: Select[Any], columns: list[str]) -> pd.DataFrame:
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        sql = str(query.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
        raw = connection.connection.driver_connection
        assert raw is not None
        with raw.cursor() as cursor, cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)") as copy:
            stream = _CopyStream(iter(copy))
            return pd.read_csv(stream, header=None, names=columns, dtype=str, keep_default_na=False,
                               na_values=[""], engine="c")
    result = connection.execute(query)
    chunks = []
    while rows := result.fetchmany(CHUNK_ROWS):
        chunks.append(pd.DataFrame.from_records(rows, columns=columns))
    if not chunks:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    return chunks[0] if len(chunks) == 1 else pd.concat(chunks, ignore_index=True)


class _CopyStream(io.RawIOBase):
    """A file object over COPY's blocks, so that read_csv parses while rows arrive."""

    def __init__(self, blocks: Iterator[Any]) -> None:
        self._blocks = blocks
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            try:
                self._pending = bytes(next(self._blocks))
            except StopIteration:
                return 0
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def _typed(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    out = {}
    for name in columns:
        values = frame[name]
        if name in DATE_COLUMNS:
            # PostgreSQL's COPY gives ISO text, SQLite gives date objects.
            first = values.dropna().iloc[0] if values.notna().any() else None
            out[name] = pd.to_datetime(values, format="%Y-%m-%d" if isinstance(first, str) else None,
                                       errors="coerce").astype("datetime64[s]")
        elif name in BOOL_COLUMNS:
            if values.dtype == bool:
                out[name] = values
            else:
                text = values.astype(object).where(values.notna(), None).map(
                    lambda v: None if v is None else str(v).lower() in ("t", "true", "1"))
                out[name] = text.fillna(False).astype(bool)
        elif name in NUMBER_COLUMNS:
            out[name] = pd.to_numeric(values, errors="coerce").astype(float)
        elif name in CATEGORY_COLUMNS:
            out[name] = values.astype(object).where(values.notna(), None).astype("category")
        else:
            out[name] = values.astype(object).where(values.notna(), None).astype("str")
    return pd.DataFrame(out, index=pd.RangeIndex(len(frame)))


# -- cycles ---------------------------------------------------------------------------------------------

def list_cycles(session: Session, *, statuses: Sequence[str] | None = None) -> list[Cycle]:
    query = select(Cycle).order_by(Cycle.period_end.desc(), Cycle.id.desc())
    if statuses is not None:
        query = query.where(Cycle.status.in_(statuses))
    return list(session.scalars(query))


def cycle(session: Session, cycle_id: int, *, for_update: bool = False) -> Cycle | None:
    query = select(Cycle).where(Cycle.id == cycle_id)
    if for_update:
        query = query.with_for_update()
    return session.scalars(query).one_or_none()


def cycle_by_name(session: Session, name: str) -> Cycle | None:
    return session.scalars(select(Cycle).where(Cycle.name == name)).one_or_none()


def clear_results(session: Session, cycle_id: int) -> None:
    session.execute(delete(Rating).where(Rating.cycle_id == cycle_id))
    session.execute(delete(UnattributedRecord).where(UnattributedRecord.cycle_id == cycle_id))


def store_rows(session: Session, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    for start in range(0, len(rows), 50_000):
        insert_rows(session, Base.metadata.tables[table], columns, rows[start:start + 50_000])


RATING_SORTS = {
    "score": Rating.score, "grade": Rating.grade, "credit_code": Rating.credit_code, "name": Rating.name,
    "exposure": Rating.exposure,
}


def list_ratings(session: Session, *, cycle_id: int, credit_code: str | None = None, grade: str | None = None,
                 sort: str = "-score", limit: int | None = None, offset: int = 0) -> tuple[list[Rating], int]:
    query = select(Rating).where(Rating.cycle_id == cycle_id)
    if credit_code is not None:
        query = query.where(Rating.credit_code == credit_code)
    if grade is not None:
        query = query.where(Rating.grade == grade)
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    descending = sort.startswith("-")
    column = RATING_SORTS.get(sort.lstrip("-"), Rating.score)
    order = [column.desc() if descending else column.asc(), Rating.credit_code]
    query = query.order_by(*order).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query)), int(total)


def rating(session: Session, *, cycle_id: int, credit_code: str) -> Rating | None:
    return session.scalars(select(Rating).where(Rating.cycle_id == cycle_id,
                                                Rating.credit_code == credit_code)).one_or_none()


def grade_counts(session: Session, *, cycle_id: int) -> dict[str, int]:
    rows = session.execute(select(Rating.grade, func.count()).where(Rating.cycle_id == cycle_id)
                           .group_by(Rating.grade))
    return {str(grade): int(count) for grade, count in rows}


def quality_companies(session: Session, *, cycle_id: int, limit: int = 500) -> dict[str, list[Rating]]:
    """Companies rated with no exposure, and provisional ratings (each list capped for display)."""
    base = select(Rating).where(Rating.cycle_id == cycle_id).order_by(Rating.credit_code).limit(limit)
    return {
        "no_exposure": list(session.scalars(base.where(Rating.exposure <= 0))),
        "provisional": list(session.scalars(base.where(Rating.provisional.is_(True)))),
    }


def unattributed(session: Session, *, cycle_id: int, limit: int = 500) -> list[UnattributedRecord]:
    return list(session.scalars(select(UnattributedRecord).where(UnattributedRecord.cycle_id == cycle_id)
                                .order_by(UnattributedRecord.kind, UnattributedRecord.record_id).limit(limit)))


# -- jobs -----------------------------------------------------------------------------------------------

def job(session: Session, job_id: int) -> Job | None:
    return session.get(Job, job_id)


def running_job(session: Session, *, cycle_id: int) -> Job | None:
    return session.scalars(select(Job).where(Job.cycle_id == cycle_id, Job.status == "running")
                           .order_by(Job.id.desc()).limit(1)).one_or_none()


def running_jobs(session: Session) -> list[Job]:
    return list(session.scalars(select(Job).where(Job.status == "running")))


def latest_job(session: Session, *, cycle_id: int) -> Job | None:
    return session.scalars(select(Job).where(Job.cycle_id == cycle_id).order_by(Job.id.desc()).limit(1)
                           ).one_or_none()
