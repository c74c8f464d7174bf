"""The disclosure build as it was before it was made set-based (issue 21): the reference that
``test_build_reference.py`` compares ``disclosure.service.build`` with, field by field, on random data."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from sqlalchemy import and_, select, union_all
from sqlalchemy.orm import Session

from rating_service.appeals import service as appeals_service
from rating_service.cycles import facts, standing
from rating_service.cycles import service as cycles
from rating_service.cycles.models import Cycle, Rating
from rating_service.cycles.repository import read_frame, record_rows, visible_as_of
from rating_service.db import Base
from rating_service.disclosure.repository import PUBLIC_COLUMNS, public_cycle
from rating_service.disclosure.service import (
    KINDS,
    SNAPSHOT_CATEGORY,
    CycleDisclosure,
    PublicCommunity,
    PublicRating,
    leaves_black_list,
    public_cycle_of,
)
from rating_service.errors import NotFound
from rating_service.records.models import HISTORY
from rating_service.repair import service as repair_service
from rating_service.repair.service import PublicRepair
from scoring.engine import EVENT_DATE
from scoring.methodology import INDICATORS, Methodology


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _day(value: Any) -> dt.date | None:
    if _missing(value):
        return None
    return value.date() if isinstance(value, pd.Timestamp | dt.datetime) else value


def old_public_ratings(session: Session, *, cycle_id: int) -> list[Any]:
    query = select(*PUBLIC_COLUMNS, Rating.explanation).where(Rating.cycle_id == cycle_id).order_by(Rating.credit_code)
    return list(session.execute(query))

def old_record_categories(session: Session, *, kind: str, watermark: int, period_start: dt.date,
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


def old_community_rows(session: Session, cycle: Cycle) -> list[tuple[Any, ...]]:
    """(credit code, community id, name, neighbourhood, households, contract start, contract end) of every contract
    of the cycle's frozen snapshot that covers part of its period: public facts of a community (no contact, no
    person). A community's own columns only, never the company's registered contacts."""
    assert cycle.snapshot_batch is not None
    window: dict[str, Any] = {"watermark": cycle.snapshot_batch, "period_start": cycle.period_start,
                              "period_end": cycle.period_end}
    contracts = record_rows(session, "contracts",
                            columns=["community_id", "credit_code", "start_date", "end_date"], **window)
    if contracts.empty:
        return []
    communities = record_rows(session, "communities", columns=["community_id", "name", "neighborhood", "households"],
                              only=("community_id", [str(c) for c in contracts["community_id"].unique()]), **window)
    about = {str(row[0]): row[1:] for row in communities.itertuples(index=False, name=None)}
    out = []
    for community, code, start, end in contracts.itertuples(index=False, name=None):
        name, neighborhood, households = about.get(str(community), (None, None, None))
        out.append((str(code), str(community), name, neighborhood, households, start, end))
    return out


def managed_communities(session: Session, cycle: Cycle) -> dict[str, tuple[PublicCommunity, ...]]:
    """credit code → the communities it managed during the cycle's period (frozen snapshot), by name; a community
    managed under several contracts is listed once, from its first day to its last."""
    spans: dict[tuple[str, str], list[Any]] = {}
    for code, community, name, neighborhood, households, start, end in old_community_rows(session, cycle):
        start, end = _day(start), _day(end)
        key = (code, community)
        held = spans.get(key)
        if held is None:
            spans[key] = [community if _missing(name) else name, "" if _missing(neighborhood) else str(neighborhood),
                          None if _missing(households) else int(households), start, end]
            continue
        held[3] = min(held[3], start) if held[3] and start else None
        held[4] = None if held[4] is None or end is None else max(held[4], end)
    out: dict[str, list[PublicCommunity]] = {}
    for (code, _community), (name, neighborhood, households, start, end) in spans.items():
        out.setdefault(code, []).append(PublicCommunity(
            name=str(name), neighborhood=neighborhood, households=households,
            start=start if start and start > cycle.period_start else None,
            end=end if end and end < cycle.period_end else None))
    return {code: tuple(sorted(found, key=lambda c: c.name)) for code, found in out.items()}


def counted_record_counts(session: Session, cycle: Cycle) -> dict[str, dict[str, dict[str, int]]]:
    """``credit_code → kind → category → count`` of the records that count in the cycle, after its appeal
    decisions (voided records no longer count; amended ones count as amended)."""
    result, inputs = standing.rate_amended_cycle(session=session, cycle=cycle, with_evidence=False)
    records = result.records
    counted = records[records["counted"] & records["credit_code"].notna()]
    out: dict[str, dict[str, dict[str, int]]] = {}
    assert cycle.snapshot_batch is not None
    for kind in KINDS:
        mine = counted[counted["kind"].astype(str) == kind]
        if mine.empty:
            continue
        if kind in SNAPSHOT_CATEGORY:
            frame = inputs.frame(kind)
            lookup = pd.Series(frame[SNAPSHOT_CATEGORY[kind]].astype(str).to_numpy(),
                               index=frame["record_id"].astype(str).to_numpy())
        else:
            lookup = old_record_categories(session, kind=kind, watermark=cycle.snapshot_batch,
                                                  period_start=cycle.period_start, period_end=cycle.period_end,
                                                  date_column=EVENT_DATE[kind])
        # One category per record id (the last, as a dict would keep it), looked up for every counted record at once.
        lookup = lookup[~lookup.index.duplicated(keep="last")]
        categories = mine["record_id"].astype(str).map(lookup).fillna("")
        grouped = pd.DataFrame({"credit_code": mine["credit_code"].astype(str).to_numpy(),
                                "category": categories.to_numpy()}).value_counts(sort=False)
        for (code, category), count in grouped.items():
            out.setdefault(code, {}).setdefault(kind, {})[category] = int(count)
    return out


def reference_build(session: Session, cycle_id: int) -> CycleDisclosure:
    cycle = public_cycle(session, cycle_id)
    if cycle is None:
        raise NotFound("cycle_not_found", cycle_id=cycle_id)
    methodology = cycles.methodology_of(cycle)
    counts = counted_record_counts(session, cycle)
    communities = managed_communities(session, cycle)
    rows = []
    for row in old_public_ratings(session, cycle_id=cycle.id):
        indicators = {line["code"]: line for line in json.loads(row.explanation)["indicators"]}
        assessed = {code: indicators[code] for code in INDICATORS if code in indicators}
        per_kind = counts.get(row.credit_code, {})
        categories = {kind: dict(sorted(per_kind[kind].items(), key=lambda kv: (-kv[1], kv[0])))
                      for kind in KINDS if kind in per_kind}
        rows.append((row, {code: line.get("sub_score") for code, line in assessed.items()},
                     {code: line["weight"] for code, line in assessed.items() if line.get("assessed")},
                     {kind: sum(per_kind.get(kind, {}).values()) for kind in KINDS}, categories))
    repairs = repair_service.public_repairs(session, cycle_id=cycle.id)  # on=None: see leaves_black_list
    statements = public_statements(session, cycle, methodology,
                                   [row for row, *_rest in rows if row.red_list or row.black_list], repairs)
    rows.sort(key=lambda item: (-item[0].score, item[0].name or "", item[0].credit_code))
    ratings = []
    rank, previous = 0, None
    for position, (row, sub_scores, weights, kind_counts, categories) in enumerate(rows, start=1):
        if row.score != previous:
            rank, previous = position, row.score
        mine = tuple(repairs.get(row.credit_code, ()))
        ratings.append(PublicRating(rank=rank, credit_code=row.credit_code, name=row.name or row.credit_code,
                                    score=row.score, grade=row.grade, provisional=row.provisional,
                                    red_list=row.red_list,
                                    black_list=bool(row.black_list) and not leaves_black_list(mine),
                                    sub_scores=sub_scores, weights=weights, counts=kind_counts,
                                    categories=categories, statements=statements.get(row.credit_code, {}),
                                    communities=communities.get(row.credit_code, ()), repairs=mine,
                                    listed_black=bool(row.black_list)))
    tally = {band.grade: 0 for band in methodology.bands}
    for rating in ratings:
        tally[rating.grade] = tally.get(rating.grade, 0) + 1
    statistics = appeals_service.statistics(session=session, cycle_id=cycle.id)
    appeals = {key: statistics[key] for key in ("filed", "pending", "upheld", "partly_upheld", "rejected",
                                                "median_days_to_decision")}
    return CycleDisclosure(cycle=public_cycle_of(cycle), methodology=methodology, ratings=ratings,
                           grades=list(tally.items()), appeals=appeals)


def public_statements(session: Session, cycle: Cycle, methodology: Methodology, rows: Sequence[Any],
                      repairs: Mapping[str, Sequence[PublicRepair]] | None = None
                      ) -> dict[str, dict[str, tuple[str, ...]]]:
    """credit code -> language -> the veto statement and the list statements of the companies on a list (the
    veto records' facts read at once for all of them).

    A repair changes them (the rating itself stays as stored): a repaired black list or veto takes the company
    off the black list, so its black-list statement goes, and its veto statement (the fee type, amount and
    decision number of the veto records) is no longer publicized; a veto statement naming a repaired record goes
    too. The repair's note (``PublicRating.repair_notes``) says what happened instead."""
    repairs = repairs or {}
    explanations = {row.credit_code: json.loads(row.explanation) for row in rows}
    vetoed = {code: exp for code, exp in explanations.items() if exp.get("veto")}
    veto_facts = facts.explained_facts(session=session, cycle=cycle, explanations=vetoed, reasons=("VETO",)) \
        if vetoed else {}
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for code, exp in explanations.items():
        mine = repairs.get(code, ())
        public = {**exp, "black_list": bool(exp.get("black_list")) and not leaves_black_list(mine)}
        repaired_records = {(kind, record_id) for r in mine for kind, record_id in r.records}
        shown_veto = code in veto_facts and not leaves_black_list(mine) \
            and not repaired_records & veto_facts[code].records.keys()
        out[code] = {}
        for lang in ("zh", "en"):
            veto = facts.veto_statement(veto_facts[code], public, methodology, lang) if shown_veto else None
            out[code][lang] = (*([veto] if veto else []), *facts.list_statements(public, methodology, lang))
    return out
