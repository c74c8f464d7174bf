"""Every query of the public disclosure: only publicized and finalized cycles, only public columns."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from sqlalchemy import and_, case, func, literal_column, or_, select, union_all
from sqlalchemy.orm import Session

from rating_service.cycles.models import Cycle, Rating
from rating_service.cycles.repository import read_frame, record_rows, visible_as_of
from rating_service.db import Base
from rating_service.methodologies.models import MethodologyVersion
from rating_service.records.models import HISTORY

PUBLIC_STATES = ("publicized", "finalized")
# The public columns of a rating (of its explanation, the indicator sub-scores only: public_ratings).
PUBLIC_COLUMNS = (Rating.credit_code, Rating.name, Rating.score, Rating.grade, Rating.provisional, Rating.red_list,
                  Rating.black_list)


def public_cycles(session: Session) -> list[Cycle]:
    """The public cycles, the latest period first: a small table, read by every server process at most once per
    poll interval."""
    query = select(Cycle).where(Cycle.status.in_(PUBLIC_STATES)).order_by(Cycle.period_end.desc(), Cycle.id.desc())
    return list(session.scalars(query))


def methodology_versions(session: Session) -> list[tuple[str, str]]:
    """The adopted methodology versions (id, content hash): a new one changes the methodology pages."""
    rows = session.execute(select(MethodologyVersion.id, MethodologyVersion.sha256).order_by(MethodologyVersion.id))
    return [(str(i), str(h)) for i, h in rows]


def public_cycle(session: Session, cycle_id: int) -> Cycle | None:
    return session.scalars(select(Cycle).where(Cycle.id == cycle_id, Cycle.status.in_(PUBLIC_STATES))).first()


def public_ratings(session: Session, *, cycle_id: int) -> list[Any]:
    """The public columns of the cycle's ratings, by credit code, with the explanation's indicators (JSON text of
    its ``indicators`` list, cut out by the database: the whole explanations of a nation are half a gigabyte), and
    the whole explanation only of a vetoed company on a list (its veto statement needs it; None else)."""
    if session.get_bind().dialect.name == "postgresql":
        indicators: Any = literal_column("(ratings.explanation::json -> 'indicators')::text")
    else:
        indicators = func.json_extract(Rating.explanation, "$.indicators")
    vetoed = case((and_(Rating.veto, or_(Rating.red_list, Rating.black_list)), Rating.explanation), else_=None)
    query = select(*PUBLIC_COLUMNS, Rating.veto, indicators.label("indicators"), vetoed.label("explanation")) \
        .where(Rating.cycle_id == cycle_id).order_by(Rating.credit_code)
    return list(session.execute(query))


def record_categories(session: Session, *, kind: str, watermark: int, period_start: dt.date,
                      period_end: dt.date, date_column: str) -> pd.Series:
    """``record_id → category`` ("" when blank) of a cycle's frozen snapshot (the version as of change-set
    ``watermark``), read like the snapshot itself: millions of rows stream in as one frame, not row by row."""
    main = Base.metadata.tables[kind]
    history = HISTORY[kind]
    parts = []
    for table, extra in ((main, []), (history, [history.c.superseded_by > watermark])):
        date = table.c[date_column]
        conditions = [visible_as_of(table, watermark), date >= period_start, date <= period_end, *extra]
        parts.append(select(table.c.record_id, table.c.category).where(and_(*conditions)))
    frame = read_frame(session, union_all(*parts), ["record_id", "category"])  # type: ignore[arg-type]
    return pd.Series(frame["category"].fillna("").to_numpy(dtype=object),
                     index=frame["record_id"].to_numpy(dtype=object), dtype=object)


def community_contracts(session: Session, cycle: Cycle) -> pd.DataFrame:
    """Every contract of the cycle's frozen snapshot that covers part of its period, with its community's public
    facts: credit_code, community_id, name, neighborhood, households, start_date, end_date (no contact, no person;
    a community's own columns only, never the company's registered contacts). Two reads: the contracts, and the
    snapshot's communities (all of them at once, not asked for by id)."""
    assert cycle.snapshot_batch is not None
    window: dict[str, Any] = {"watermark": cycle.snapshot_batch, "period_start": cycle.period_start,
                              "period_end": cycle.period_end}
    contracts = record_rows(session, "contracts", columns=["community_id", "credit_code", "start_date", "end_date"],
                            **window)
    if contracts.empty:
        return contracts.assign(name=None, neighborhood=None, households=None)
    communities = record_rows(session, "communities", columns=["community_id", "name", "neighborhood", "households"],
                              **window)
    about = pd.DataFrame({"community_id": communities["community_id"].astype(object).astype(str).to_numpy(),
                          "name": communities["name"].astype(object).to_numpy(),
                          "neighborhood": communities["neighborhood"].astype(object).to_numpy(),
                          "households": communities["households"].astype(object).to_numpy()})
    about = about.drop_duplicates("community_id", keep="last")
    frame = pd.DataFrame({"credit_code": contracts["credit_code"].astype(object).astype(str).to_numpy(),
                          "community_id": contracts["community_id"].astype(object).astype(str).to_numpy(),
                          "start_date": contracts["start_date"].to_numpy(),
                          "end_date": contracts["end_date"].to_numpy()})
    return frame.merge(about, on="community_id", how="left", sort=False)
