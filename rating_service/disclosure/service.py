"""What the public may see of a cycle, built once per cycle version and kept in memory.

A cycle is public once publicized (its ratings marked 公示中) and stays public when finalized. The public sees per
company: name, credit code, score, grade, the provisional mark, red/black list, the indicator sub-scores and the
counts of counted records by kind and category; per cycle the appeal statistics. Nothing else leaves this room:
no personal data, no record contents, no appeal grounds or attachments.

Every server process keeps a ``DisclosureCache``. It asks the database for the public cycles' versions at most once
per poll interval (one small query); a cycle whose version moved on (a state change, an appeal filed or decided)
is built again by one background thread while requests go on being answered from the previous build, and the new
build is switched in at once when done. A cycle that stops being public leaves at once. In the process that made a
change the cache looks again as soon as the transaction commits.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import datetime as dt
import gc
import hashlib
import io
import json
import logging
import re
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import event
from sqlalchemy.orm import Session

from rating_service.appeals import service as appeals_service
from rating_service.cycles import facts, standing
from rating_service.cycles import service as cycles
from rating_service.cycles.models import Cycle, CycleState
from rating_service.db import DISCLOSURE_CHANGED, Database
from rating_service.disclosure import repository
from rating_service.errors import NotFound, RatingServiceError
from rating_service.i18n import MESSAGES, Lang, translate
from rating_service.methodologies import service as methodologies
from rating_service.observability import metrics
from rating_service.records.formats import ZH_WORDS
from rating_service.repair import service as repair_service
from rating_service.repair.service import PublicRepair
from rating_service.settings import get_settings
from scoring.engine import EVENT_DATE, RECORD_KINDS
from scoring.methodology import INDICATORS, Methodology

KINDS = RECORD_KINDS
# Where a counted record's category comes from: a column of the frozen snapshot, or (free text) the record table.
SNAPSHOT_CATEGORY = {"fee_violations": "violation_type", "commendations": "level", "major_events": "kind"}
# English words of the coded categories (the Chinese ones are the import formats' spellings, formats.ZH_WORDS).
EN_WORDS: dict[str, dict[str, str]] = {
    "violation_type": {"undisclosed": "Fees not disclosed", "overcharge": "Overcharging",
                       "unauthorized_item": "Unauthorised charges", "public_income": "Public income taken",
                       "maintenance_fund": "Maintenance fund misused"},
    "level": {"national": "National", "provincial": "Provincial", "city": "City", "county": "County",
              "township": "Township"},
    "kind": {"refuse_to_exit": "Refused to leave after the contract ended",
             "major_safety_accident": "Major safety accident", "false_material": "False material"},
    "severity": {"none": "none", "minor": "minor", "moderate": "moderate", "serious": "serious"},
}


def code_word(column: str, code: str, lang: Lang) -> str:
    """An enumerated value (a fee violation type, a commendation level…) in words; unknown codes as they are."""
    words = ZH_WORDS if lang == "zh" else EN_WORDS
    return words.get(column, {}).get(code, code)
REPAIR_NUMBER_SEP = "；"
SORTS = ("score", "name", "credit_code", "grade")
LISTS = ("red", "black")
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_QUERY = 100


def category_label(kind: str, category: str, lang: Lang) -> str:
    if not category:
        return translate("uncategorised", lang)
    return code_word(SNAPSHOT_CATEGORY[kind], category, lang) if kind in SNAPSHOT_CATEGORY else category


@dataclass(frozen=True, slots=True)
class PublicCycle:
    id: int
    name: str
    period_start: dt.date
    period_end: dt.date
    status: str  # publicized (公示中) or finalized
    methodology_id: str
    notice_date: dt.date | None
    appeal_deadline: dt.date | None
    finalized_on: dt.date | None
    version: int

    @property
    def in_publicity(self) -> bool:
        return self.status == "publicized"

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "period_start": self.period_start.isoformat(),
                "period_end": self.period_end.isoformat(), "status": self.status,
                "in_publicity": self.in_publicity, "methodology_id": self.methodology_id,
                "notice_date": _iso(self.notice_date), "appeal_deadline": _iso(self.appeal_deadline),
                "finalized_on": _iso(self.finalized_on)}


@dataclass(frozen=True, slots=True)
class PublicCommunity:
    """A community the company managed during the cycle's period (its contract as the cycle's snapshot holds it):
    public facts only, no contact and no person."""

    name: str
    neighborhood: str  # the 社区 it belongs to ("" when not given)
    households: int | None
    start: dt.date | None  # the contract's first day, when it began within the period (else None: before it)
    end: dt.date | None  # its last day, when it ended within the period (else None: still managed at its end)


@dataclass(frozen=True, slots=True)
class PublicRating:
    rank: int  # 1 = best score of the cycle (ties share a rank)
    credit_code: str
    name: str
    score: float
    grade: str
    provisional: bool
    red_list: bool
    black_list: bool
    sub_scores: dict[str, float | None]  # None: not assessed
    weights: dict[str, float]  # re-normalised weights of the assessed indicators
    counts: dict[str, int]  # counted records by kind
    categories: dict[str, dict[str, int]]  # kind → category → counted records
    # the public record, by language: the veto stated in full (fee type, amount, decision number) and why the
    # company is on the red or black list (cycles.facts)
    statements: dict[str, tuple[str, ...]] = field(default_factory=dict)
    communities: tuple[PublicCommunity, ...] = ()  # managed during the period, by name
    # Credit repairs decided for this company in this cycle (repair.service.public_repairs), oldest first. The
    # stored rating is never changed: ``black_list`` above is the public flag (False once a repaired black list or
    # veto took the company off), ``listed_black`` what the cycle's rating said.
    repairs: tuple[PublicRepair, ...] = ()
    listed_black: bool = False

    @property
    def left_black_list(self) -> bool:
        """On the cycle's black list, taken off by a repair."""
        return self.listed_black and not self.black_list

    @property
    def repair_status(self) -> str:
        """Open data's machine value: "" (no repair), "repaired", "repaired_breached" (a breach confirmed)."""
        if not self.repairs:
            return ""
        return "repaired_breached" if any(r.breach_confirmed_on for r in self.repairs) else "repaired"

    @property
    def repair_date(self) -> dt.date | None:
        """The latest repair's day."""
        return max((r.repaired_on for r in self.repairs), default=None)

    @property
    def repair_document_no(self) -> str:
        """The repair decisions' numbers (several joined by 「；」, oldest first)."""
        return REPAIR_NUMBER_SEP.join(r.doc_number for r in self.repairs if r.doc_number)

    def repair_notes(self, lang: Lang = "zh") -> list[str]:
        """「已修复（2026年12月3日，枞住建信评〔2026〕5号）」 per repair, with a confirmed breach."""
        return [r.note(lang) for r in self.repairs]

    def matches(self, needle: str, code: str) -> bool:
        """A search hit: the name, the credit code or a managed community's name holds the text."""
        return needle in self.name.casefold() or code in self.credit_code or bool(self.communities_matching(needle))

    def communities_matching(self, needle: str) -> list[PublicCommunity]:
        return [c for c in self.communities if needle and needle in c.name.casefold()]

    def as_json(self) -> dict[str, Any]:
        return {"rank": self.rank, "credit_code": self.credit_code, "name": self.name, "score": self.score,
                "grade": self.grade, "provisional": self.provisional, "red_list": self.red_list,
                "black_list": self.black_list, "sub_scores": self.sub_scores, "weights": self.weights,
                "counted_records": self.counts, "counted_records_by_category": self.categories,
                "repair_status": self.repair_status, "repair_date": _iso(self.repair_date),
                "repair_document_no": self.repair_document_no,
                "repairs": [{"repaired_on": r.repaired_on.isoformat(), "document_no": r.doc_number,
                             "left_black_list": r.leaves_black_list,
                             "breach_confirmed_on": _iso(r.breach_confirmed_on)} for r in self.repairs]}


@dataclass
class CycleDisclosure:
    cycle: PublicCycle
    methodology: Methodology
    ratings: list[PublicRating]  # best score first, then by name and credit code
    grades: list[tuple[str, int]]  # every grade of the methodology, best first, with its count
    appeals: dict[str, Any]
    by_code: dict[str, PublicRating] = field(init=False)
    grade_order: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.by_code = {r.credit_code: r for r in self.ratings}
        self.grade_order = {band.grade: i for i, band in enumerate(self.methodology.bands)}

    def rating_or_raise(self, credit_code: str) -> PublicRating:
        found = self.by_code.get(credit_code.strip().upper())
        if found is None:
            raise NotFound("rating_not_found", cycle_id=self.cycle.id, code=credit_code[:18])
        return found

    def red_list(self) -> list[PublicRating]:
        return [r for r in self.ratings if r.red_list]

    def black_list(self) -> list[PublicRating]:
        return [r for r in self.ratings if r.black_list]

    def repaired_off_black_list(self) -> list[PublicRating]:
        """On the cycle's black list as rated, off it by a credit repair."""
        return [r for r in self.ratings if r.left_black_list]


@dataclass(frozen=True)
class Query:
    """A search of a cycle's ratings: name or credit code, grade, list, sort, page."""

    q: str = ""
    grade: str = ""
    list: str = ""
    sort: str = "score"
    order: str = ""  # asc or desc; blank: the sort's natural order (best score, A to Z)
    page: int = 1
    per_page: int = PAGE_SIZE

    @classmethod
    def of(cls, params: Any) -> Query:
        """Lenient parsing of query parameters: an unknown value falls back to the default (a public page never
        answers a typo with an error)."""
        def text(name: str) -> str:
            value = params.get(name)
            return str(value).strip()[:MAX_QUERY] if value is not None else ""

        def number(name: str, default: int, high: int) -> int:
            try:
                return min(max(int(text(name) or default), 1), high)
            except ValueError:
                return default

        sort = text("sort")
        order = text("order")
        listed = text("list")
        return cls(q=text("q"), grade=text("grade").upper(), list=listed if listed in LISTS else "",
                   sort=sort if sort in SORTS else "score", order=order if order in ("asc", "desc") else "",
                   page=number("page", 1, 1_000_000), per_page=number("per_page", PAGE_SIZE, MAX_PAGE_SIZE))

    def key(self) -> tuple[Any, ...]:
        return (self.q, self.grade, self.list, self.sort, self.order, self.page, self.per_page)

    def params(self, **changes: Any) -> dict[str, Any]:
        """The non-default parameters, with changes: links that keep the search."""
        values = {"q": self.q, "grade": self.grade, "list": self.list, "sort": self.sort, "order": self.order,
                  "page": self.page, **changes}
        defaults = {"q": "", "grade": "", "list": "", "sort": "score", "order": "", "page": 1}
        return {k: v for k, v in values.items() if v != defaults.get(k)}


@dataclass(frozen=True)
class Found:
    items: list[PublicRating]
    total: int
    page: int
    pages: int
    per_page: int


def search(disclosure: CycleDisclosure, query: Query) -> Found:
    rows: Iterable[PublicRating] = disclosure.ratings
    if query.q:
        needle = query.q.casefold()
        code = query.q.upper()
        rows = [r for r in rows if r.matches(needle, code)]
    if query.grade:
        rows = [r for r in rows if r.grade == query.grade]
    if query.list == "red":
        rows = [r for r in rows if r.red_list]
    elif query.list == "black":
        rows = [r for r in rows if r.black_list]
    rows = list(rows)
    descending = query.order == "desc" if query.order else query.sort == "score"
    if query.sort == "name":
        rows.sort(key=lambda r: (r.name, r.credit_code), reverse=descending)
    elif query.sort == "credit_code":
        rows.sort(key=lambda r: r.credit_code, reverse=descending)
    elif query.sort == "grade":
        # Best grade first (asc), then by score within a grade.
        order = disclosure.grade_order
        rows.sort(key=lambda r: (-order.get(r.grade, len(order)), r.score), reverse=not descending)
    elif not descending:
        rows.reverse()  # the ratings are kept best first
    pages = max(1, -(-len(rows) // query.per_page))
    page = min(query.page, pages)
    start = (page - 1) * query.per_page
    return Found(rows[start:start + query.per_page], len(rows), page, pages, query.per_page)


# -- building a cycle's disclosure -----------------------------------------------------------------------------

def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def public_cycle_of(cycle: Cycle) -> PublicCycle:
    return PublicCycle(
        id=cycle.id, name=cycle.name, period_start=cycle.period_start, period_end=cycle.period_end,
        status=cycle.status, methodology_id=cycle.methodology_id, notice_date=cycle.notice_date,
        appeal_deadline=cycle.appeal_deadline,
        finalized_on=cycles.to_local_date(cycle.finalized_at) if cycle.finalized_at else None,
        version=cycle.disclosure_version)


def community_facts(session: Session, cycle: Cycle) -> dict[str, tuple[PublicCommunity, ...]]:
    """credit code → the communities it managed during the cycle's period (frozen snapshot), by name; a community
    managed under several contracts is listed once, from its first day to its last (no first day when one of its
    contracts began before the period, no last day when one ran past it or has no end)."""
    frame = repository.community_contracts(session, cycle)
    if frame.empty:
        return {}
    start = pd.to_datetime(frame["start_date"]).astype("datetime64[s]")
    end = pd.to_datetime(frame["end_date"]).astype("datetime64[s]")
    contracts = pd.DataFrame({"credit_code": frame["credit_code"], "community_id": frame["community_id"],
                              "row": np.arange(len(frame)), "start": start, "end": end,
                              "open_start": start.isna(), "open_end": end.isna()})
    # Most communities have one contract with the company in the period: only the others are grouped.
    repeated = contracts.duplicated(["credit_code", "community_id"], keep=False).to_numpy()
    grouped = contracts[repeated].groupby(["credit_code", "community_id"], sort=False) \
        .agg(row=("row", "first"), start=("start", "min"), open_start=("open_start", "any"), end=("end", "max"),
             open_end=("open_end", "any")).reset_index()
    spans = pd.concat([contracts[~repeated], grouped], ignore_index=True).sort_values("row", kind="stable")
    first = frame.iloc[spans["row"].to_numpy()]
    communities = spans["community_id"].to_numpy(dtype=object)
    named = first["name"].astype(object).to_numpy()
    names = np.where(pd.isna(named), communities, named)
    neighborhoods = first["neighborhood"].astype(object).to_numpy()
    neighborhoods = np.where(pd.isna(neighborhoods), "", neighborhoods)
    households = pd.to_numeric(first["households"].astype(object), errors="coerce").to_numpy(dtype=float)
    period_start = np.datetime64(cycle.period_start, "s")
    period_end = np.datetime64(cycle.period_end, "s")
    starts, ends = spans["start"].to_numpy(), spans["end"].to_numpy()
    shown_start = np.where(~spans["open_start"].to_numpy() & (starts > period_start), starts, np.datetime64("NaT"))
    shown_end = np.where(~spans["open_end"].to_numpy() & (ends < period_end), ends, np.datetime64("NaT"))
    out: dict[str, list[PublicCommunity]] = {}
    for code, name, neighborhood, count, begins, ends_on in zip(
            spans["credit_code"].to_numpy(dtype=object).tolist(), names.tolist(),
            neighborhoods.tolist(), households.tolist(), shown_start.astype("datetime64[D]").astype(object).tolist(),
            shown_end.astype("datetime64[D]").astype(object).tolist(), strict=True):
        out.setdefault(code, []).append(PublicCommunity(
            name=str(name), neighborhood=str(neighborhood), households=None if count != count else int(count),
            start=begins, end=ends_on))
    return {code: tuple(sorted(found, key=lambda c: c.name)) for code, found in out.items()}


Counts = tuple[dict[str, int], dict[str, dict[str, int]]]  # kind → count, kind → category → count


def counted_record_counts(session: Session, cycle: Cycle) -> dict[str, Counts]:
    """``credit_code → (kind → count, kind → category → count)`` of the records that count in the cycle, after its
    appeal decisions (voided records no longer count; amended ones count as amended); every kind in the first,
    the kinds with counted records in the second, their categories by count (most first), then by name."""
    result, inputs = standing.rate_amended_cycle(session=session, cycle=cycle, with_evidence=False)
    records = result.records
    counted = records[records["counted"] & records["credit_code"].notna()]
    assert cycle.snapshot_batch is not None
    parts = []
    for position, kind in enumerate(KINDS):
        mine = counted[counted["kind"].astype(str) == kind]
        if mine.empty:
            continue
        if kind in SNAPSHOT_CATEGORY:
            frame = inputs.frame(kind)
            lookup = pd.Series(frame[SNAPSHOT_CATEGORY[kind]].astype(str).to_numpy(),
                               index=frame["record_id"].astype(str).to_numpy())
        else:
            lookup = repository.record_categories(session, kind=kind, watermark=cycle.snapshot_batch,
                                                  period_start=cycle.period_start, period_end=cycle.period_end,
                                                  date_column=EVENT_DATE[kind])
        # One category per record id (the last, as a dict would keep it), looked up for every counted record at once.
        lookup = lookup[~lookup.index.duplicated(keep="last")]
        categories = mine["record_id"].astype(str).map(lookup).fillna("")
        parts.append(pd.DataFrame({"credit_code": mine["credit_code"].astype(str).to_numpy(dtype=object),
                                   "kind": position, "category": categories.to_numpy(dtype=object)}))
    if not parts:
        return {}
    grouped = pd.concat(parts, ignore_index=True).value_counts(sort=False).rename("count").reset_index()
    grouped["fewer"] = -grouped["count"]
    grouped = grouped.sort_values(["credit_code", "kind", "fewer", "category"], kind="stable")
    out: dict[str, Counts] = {}
    for code, position, category, count in zip(grouped["credit_code"].tolist(), grouped["kind"].tolist(),
                                               grouped["category"].tolist(), grouped["count"].tolist(), strict=True):
        held = out.get(code)
        if held is None:
            held = out[code] = (dict.fromkeys(KINDS, 0), {})
        kind = KINDS[position]
        held[0][kind] += count
        by_category = held[1].get(kind)
        if by_category is None:
            by_category = held[1][kind] = {}
        by_category[category] = count
    return out


def leaves_black_list(repairs: Iterable[PublicRepair]) -> bool:
    """A repaired black list or veto takes the company off the cycle's black list. Every decided repair counts
    (``public_repairs(on=None)``): its ``repaired_on`` is the decision's day, and the decision moves the cycle's
    disclosure version (``cycles.service.disclosure_changed``), so the build that follows it already shows it; a
    build never waits for a later day to arrive."""
    return any(r.leaves_black_list for r in repairs)


def public_statements(session: Session, cycle: Cycle, methodology: Methodology, rows: Sequence[Any],
                      repairs: Mapping[str, Sequence[PublicRepair]] | None = None
                      ) -> dict[str, dict[str, tuple[str, ...]]]:
    """credit code -> language -> the veto statement and the list statements of the companies on a list (``rows``:
    their public columns, ``veto``, and the stored explanation of a vetoed one; the veto records' facts read at once
    for all of them).

    A repair changes them (the rating itself stays as stored): a repaired black list or veto takes the company
    off the black list, so its black-list statement goes, and its veto statement (the fee type, amount and
    decision number of the veto records) is no longer publicized; a veto statement naming a repaired record goes
    too. The repair's note (``PublicRating.repair_notes``) says what happened instead. The list statements depend on
    the lists, the veto and the grade only: worded once per combination."""
    repairs = repairs or {}
    vetoed = {row.credit_code: json.loads(row.explanation) for row in rows if row.veto}
    veto_facts = facts.explained_facts(session=session, cycle=cycle, explanations=vetoed, reasons=("VETO",)) \
        if vetoed else {}
    worded: dict[tuple[Any, ...], tuple[str, ...]] = {}
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for row in rows:
        code = row.credit_code
        mine = repairs.get(code, ())
        black = bool(row.black_list) and not leaves_black_list(mine)
        exp = vetoed.get(code)
        public = {**exp, "black_list": black} if exp is not None else \
            {"red_list": row.red_list, "black_list": black, "veto": False, "grade": row.grade}
        repaired_records = {(kind, record_id) for r in mine for kind, record_id in r.records}
        shown_veto = code in veto_facts and not leaves_black_list(mine) \
            and not repaired_records & veto_facts[code].records.keys()
        out[code] = {}
        for lang in ("zh", "en"):
            key = (bool(public.get("red_list")), black, bool(public.get("veto")), public.get("grade"), lang)
            lists = worded.get(key)
            if lists is None:
                lists = worded[key] = tuple(facts.list_statements(public, methodology, lang))
            veto = facts.veto_statement(veto_facts[code], public, methodology, lang) if shown_veto else None
            out[code][lang] = (*([veto] if veto else []), *lists)
    return out


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a build makes its millions of long-lived objects (each full collection
    would walk all of them again; they are moved out of its scans after the build: ``_keep_out_of_gc``)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def build(session: Session, cycle_id: int) -> CycleDisclosure:
    with _collector_paused():
        return _build(session, cycle_id)


def _build(session: Session, cycle_id: int) -> CycleDisclosure:
    cycle = repository.public_cycle(session, cycle_id)
    if cycle is None:
        raise NotFound("cycle_not_found", cycle_id=cycle_id)
    methodology = cycles.methodology_of(cycle)
    counts = counted_record_counts(session, cycle)
    communities = community_facts(session, cycle)
    rows = []
    for row in repository.public_ratings(session, cycle_id=cycle.id):
        indicators = {line["code"]: line for line in json.loads(row.indicators)}
        assessed = {code: indicators[code] for code in INDICATORS if code in indicators}
        kind_counts, categories = counts.get(row.credit_code) or (dict.fromkeys(KINDS, 0), {})
        rows.append((row, {code: line.get("sub_score") for code, line in assessed.items()},
                     {code: line["weight"] for code, line in assessed.items() if line.get("assessed")},
                     kind_counts, categories))
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


# -- open data ---------------------------------------------------------------------------------------------------

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value: Any) -> Any:
    """A text cell a spreadsheet would read as a formula gets a leading apostrophe (OWASP's advice); numbers stay
    numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


# (field, type, Chinese header, English description)
DICTIONARY: tuple[tuple[str, str, str, str], ...] = (
    ("cycle_id", "integer", "评价周期编号", "Rating cycle id"),
    ("cycle_name", "text", "评价周期", "Rating cycle name"),
    ("cycle_status", "text", "状态", "publicized (公示中, in the publicity period) or finalized (final)"),
    ("period_start", "date", "评价期间起", "First day of the rated period"),
    ("period_end", "date", "评价期间止", "Last day of the rated period"),
    ("methodology_id", "text", "评价细则", "Methodology version used"),
    ("rank", "integer", "名次", "Rank by score (ties share a rank)"),
    ("credit_code", "text", "统一社会信用代码", "Unified social credit code (GB 32100-2015)"),
    ("name", "text", "企业名称", "Company name"),
    ("score", "number", "信用分", "Credit score, 0–100"),
    ("grade", "text", "信用等级", "Credit grade (AAA, AA, A, B, C)"),
    ("provisional", "boolean", "暂定评价", "Too little exposure or too few inspections for a firm rating"),
    ("red_list", "boolean", "红榜", "On the red (commended) list"),
    ("black_list", "boolean", "黑榜", "On the black (warning) list"),
    ("insp_score", "number", "巡查检查得分", "Inspection sub-score, 0–100 (blank: not assessed)"),
    ("compl_score", "number", "投诉处置得分", "Complaint sub-score, 0–100 (blank: not assessed)"),
    ("fee_score", "number", "收费规范得分", "Fee-conduct sub-score, 0–100 (blank: not assessed)"),
    ("inspections", "integer", "计入的检查记录数", "Inspection records counted"),
    ("complaints", "integer", "计入的投诉记录数", "Complaint records counted"),
    ("fee_violations", "integer", "计入的收费违规数", "Fee violations counted"),
    ("commendations", "integer", "计入的表彰数", "Commendations counted"),
    ("major_events", "integer", "计入的重大事项数", "Major events counted"),
    ("repair_status", "text", "修复状态", "Credit repair: blank (none), repaired, or repaired_breached (repaired; "
     "a breach of the signed commitment was confirmed later)"),
    ("repair_date", "date", "修复日期", "The day the (latest) repair took effect (blank: none)"),
    ("repair_document_no", "text", "修复决定书文号",
     "Number of the credit repair decision, 信用修复决定书 (several: separated by 「；」)"),
)
# The repair columns' machine values (English CSV, JSON) → their words (Chinese CSV, workbook).
REPAIR_STATUS_WORDS = {"repaired": "public_repair_repaired", "repaired_breached": "public_repair_breached"}
DICTIONARY_ZH = {
    "cycle_status": "publicized 表示公示中（异议期内，可能调整），finalized 表示已终评",
    "rank": "按信用分排名（同分同名次）", "score": "信用分，0–100", "grade": "信用等级（AAA、AA、A、B、C）",
    "provisional": "在管户数或检查次数不足，评价为暂定", "insp_score": "巡查检查指标得分，0–100（空：不参评）",
    "compl_score": "投诉处置指标得分，0–100（空：不参评）", "fee_score": "收费规范指标得分，0–100（空：不参评）",
    "black_list": "是否在黑榜；信用修复后移出黑榜的为“否”（评价结果本身不变）",
    "repair_status": "信用修复：空（无）、repaired（已修复）或 repaired_breached（已修复，后经核实违反信用承诺）",
    "repair_date": "（最近一次）信用修复生效的日期（空：无）",
    "repair_document_no": "信用修复决定书文号（多个以“；”分隔）",
}


def open_data_rows(disclosure: CycleDisclosure) -> list[dict[str, Any]]:
    c = disclosure.cycle
    return [{"cycle_id": c.id, "cycle_name": c.name, "cycle_status": c.status,
             "period_start": c.period_start.isoformat(), "period_end": c.period_end.isoformat(),
             "methodology_id": c.methodology_id, "rank": r.rank, "credit_code": r.credit_code, "name": r.name,
             "score": r.score, "grade": r.grade, "provisional": r.provisional, "red_list": r.red_list,
             "black_list": r.black_list, "insp_score": r.sub_scores.get("INSP"),
             "compl_score": r.sub_scores.get("COMPL"), "fee_score": r.sub_scores.get("FEE"),
             **{kind: r.counts.get(kind, 0) for kind in KINDS},
             "repair_status": r.repair_status, "repair_date": _iso(r.repair_date),
             "repair_document_no": r.repair_document_no} for r in disclosure.ratings]


def _zh_values(disclosure: CycleDisclosure) -> list[list[Any]]:
    """The open-data rows as people read them: the cycle's state in words (公示中, 已终评), yes/no in words, a
    blank for "not assessed"; codes (credit codes) and numbers as they are."""
    yes, no = translate("yes", "zh"), translate("no", "zh")
    rows = []
    for row in open_data_rows(disclosure):
        row["cycle_status"] = CycleState(row["cycle_status"]).label("zh")
        if row["repair_status"]:
            row["repair_status"] = translate(REPAIR_STATUS_WORDS[row["repair_status"]], "zh")
        rows.append([yes if value is True else no if value is False else "" if value is None else value
                     for value in row.values()])
    return rows


def ratings_csv(disclosure: CycleDisclosure, lang: Lang) -> bytes:
    """UTF-8 with a BOM (Excel opens it as UTF-8), formula-like text neutralised. Chinese (the default): Chinese
    headers and values in words (状态 = 公示中 / 已终评); English: the field names and the machine values, unchanged
    for programs (status = publicized / finalized)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([name if lang == "en" else zh for name, _type, zh, _en in DICTIONARY])
    if lang == "zh":
        for values in _zh_values(disclosure):
            writer.writerow([neutralised(value) for value in values])
        return ("\ufeff" + out.getvalue()).encode("utf-8")
    yes, no = translate("yes", lang), translate("no", lang)
    for row in open_data_rows(disclosure):
        writer.writerow([neutralised(yes if value is True else no if value is False else "" if value is None
                                     else value) for value in row.values()])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# Text columns of the workbook: written as text cells (never a number Excel would round, never a formula).
XLSX_TEXT = {"credit_code", "cycle_name", "name", "period_start", "period_end", "methodology_id", "cycle_status",
             "grade", "repair_status", "repair_date", "repair_document_no"}


def _text_cell(sheet: Any, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value="" if value is None else str(value))
    cell.data_type = "s"  # a value starting with "=" stays text, and an all-digit code is not a number
    cell.number_format = "@"
    return cell


def ratings_xlsx(disclosure: CycleDisclosure) -> bytes:
    """The cycle's open data as a workbook people open in Excel: the ratings with Chinese headers and values (credit
    codes as text cells, equal to the CSV's), the red and black lists with the reason each company is listed, and
    the data dictionary. Bounded by the cycle's ratings (write-only: rows are streamed, not kept as cells)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    book.properties.creator = get_settings().issuer_name
    stamp = dt.datetime.combine(disclosure.cycle.finalized_on or disclosure.cycle.notice_date
                                or disclosure.cycle.period_end, dt.time())
    book.properties.created = book.properties.modified = stamp
    names = [name for name, *_rest in DICTIONARY]

    ratings = book.create_sheet(translate("xlsx_ratings_sheet", "zh"))
    ratings.freeze_panes = "A2"
    ratings.append([_text_cell(ratings, zh) for _n, _t, zh, _en in DICTIONARY])
    for values in _zh_values(disclosure):
        ratings.append([_text_cell(ratings, value) if name in XLSX_TEXT or isinstance(value, str) else value
                        for name, value in zip(names, values, strict=True)])

    lists = book.create_sheet(translate("xlsx_lists_sheet", "zh"))
    lists.append([_text_cell(lists, translate(key, "zh")) for key in
                  ("xlsx_list", "xlsx_name", "xlsx_credit_code", "xlsx_grade", "xlsx_reason")])
    for key, listed in (("xlsx_red", disclosure.red_list()), ("xlsx_black", disclosure.black_list()),
                        ("xlsx_black_repaired", disclosure.repaired_off_black_list())):
        for r in listed:
            reason = translate("xlsx_reason_sep", "zh").join((*r.statements.get("zh", ()), *r.repair_notes("zh")))
            lists.append([_text_cell(lists, v) for v in (translate(key, "zh"), r.name, r.credit_code, r.grade,
                                                           reason)])

    dictionary = book.create_sheet(translate("xlsx_dictionary_sheet", "zh"))
    dictionary.append([_text_cell(dictionary, translate(key, "zh"))
                       for key in ("xlsx_header", "xlsx_field", "xlsx_type", "xlsx_meaning")])
    for name, kind, zh, _en in DICTIONARY:
        dictionary.append([_text_cell(dictionary, v) for v in (zh, name, translate(f"xlsx_type_{kind}", "zh"),
                                                               dictionary_meaning(name, zh, "zh", xlsx=True))])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def dictionary_meaning(name: str, zh: str, lang: Lang, *, xlsx: bool = False) -> str:
    """A field's meaning in the data dictionary; in the workbook, what its values read there (words, not codes)."""
    if xlsx and f"xlsx_values_{name}" in MESSAGES:
        return translate(f"xlsx_values_{name}", lang)
    return DICTIONARY_ZH.get(name, zh) if lang == "zh" else zh


def open_data_names(cycle: PublicCycle, ext: str, lang: Lang = "zh") -> tuple[str, str]:
    """(ASCII name, name people see) of a cycle's open-data file: ratings-2025.xlsx and
    枞阳县物业服务企业信用评价结果-2025年度.xlsx for a calendar year; the cycle's id and name otherwise."""
    start, end = cycle.period_start, cycle.period_end
    whole_year = start.year == end.year and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
    tag = f"{start.year}" if whole_year else f"cycle-{cycle.id}"
    ascii_name = f"ratings-{tag}{'-en' if lang == 'en' else ''}.{ext}"
    if lang == "en":
        return ascii_name, ascii_name
    period = translate("open_data_year", "zh", year=start.year) if whole_year else cycle.name
    name = _UNSAFE_IN_NAMES.sub("", translate("open_data_file", "zh", period=period)).strip(" .")
    return ascii_name, f"{name}.{ext}"


_UNSAFE_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def ratings_json(disclosure: CycleDisclosure) -> bytes:
    document = {"cycle": disclosure.cycle.as_json(),
                "grades": dict(disclosure.grades), "appeals": disclosure.appeals,
                "fields": [{"name": n, "type": t, "zh": zh, "en": en} for n, t, zh, en in DICTIONARY],
                "ratings": [r.as_json() for r in disclosure.ratings]}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# -- the per-process cache ---------------------------------------------------------------------------------------
#
# What may be served stale, and what may not (docs/disclosure.md, "Caching and freshness"):
# - a public cycle's data (ratings, counts, appeal statistics, its status label) is served from its last build until
#   the build of its new version is done in the background, then switched in with one assignment;
# - a newly publicized cycle appears once it is built: until then the site shows what it showed;
# - a cycle that stops being public leaves the view with the poll that sees it, without waiting for any build, and
#   every cached answer goes with it; a build finished for a cycle that is no longer public is thrown away.

@dataclass(frozen=True)
class Cached:
    """A finished public answer: the body, its ETag, and the headers every copy carries."""

    body: bytes
    media_type: str
    etag: str
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, body: bytes, media_type: str, headers: dict[str, str] | None = None) -> Cached:
        digest = hashlib.blake2b(body, digest_size=12).hexdigest()
        return cls(body, media_type, f'"{digest}"', tuple((headers or {}).items()))


PAGE_CACHE_ENTRIES = 4096
PREPARING_ENTRIES = 1024  # per view
# A failed build is tried again after this long (at once when the cycle's version moves on).
BUILD_RETRY_SECONDS = 30.0
# What a "preparing" answer tells a client (and a crawler) to wait before asking again.
RETRY_AFTER_SECONDS = 5
log = logging.getLogger(__name__)
_caches: weakref.WeakSet[DisclosureCache] = weakref.WeakSet()


class Preparing(RatingServiceError):
    """Public data that exists but is not built yet in this process (it has just started): 503 with Retry-After."""

    status_code = 503
    code = "preparing"

    def __init__(self, cycles: Sequence[PublicCycle], ready: Collection[int]) -> None:
        super().__init__("public_preparing")
        self.cycles = tuple(cycles)
        self.ready = frozenset(ready)

    def details(self, lang: Lang = "zh") -> list[dict[str, Any]]:
        return [{"cycle_id": c.id, "name": c.name, "status": c.status, "ready": c.id in self.ready}
                for c in self.cycles]


@dataclass(frozen=True, eq=False)
class PublicView:
    """What this process's public site shows at one moment. Immutable: a request reads one view from start to end,
    and moving to a newer view is one assignment."""

    generation: int  # moves on whenever what the pages show changes (their finished answers are dropped then)
    listed: tuple[PublicCycle, ...]  # the cycles the site shows, the latest period first
    data: Mapping[int, CycleDisclosure]  # their built data (right after a start, not all of them yet)
    public: tuple[PublicCycle, ...]  # every public cycle as last polled, shown or not yet
    methodology_versions: tuple[Methodology, ...]
    # Right after a start most answers are "preparing": which answers this view lacks the data for, and the
    # "preparing" answers made from it, so that each is worked out once and does not take time from the build.
    lacks: dict[tuple[Any, ...], Preparing] = field(default_factory=dict, repr=False)
    preparing_answers: dict[tuple[Any, ...], Cached] = field(default_factory=dict, repr=False)

    def preparing(self) -> Preparing:
        return Preparing(self.public, self.data.keys())

    def public_cycles(self) -> list[PublicCycle]:
        """The cycles shown, the latest period first, without their data."""
        return list(self.listed)

    def cycle(self, cycle_id: int) -> CycleDisclosure:
        """A public cycle's data; 404 for a cycle that is not public, 503 for one not built yet."""
        found = self.data.get(cycle_id)
        if found is not None:
            return found
        if any(c.id == cycle_id for c in self.public):
            raise self.preparing()
        raise NotFound("cycle_not_found", cycle_id=cycle_id)

    def cycles(self) -> list[CycleDisclosure]:
        """Every shown cycle's data, the latest period first (503 while one of them is still being built)."""
        if any(c.id not in self.data for c in self.listed):
            raise self.preparing()
        return [self.data[c.id] for c in self.listed]

    def current(self) -> CycleDisclosure | None:
        """The cycle the public site opens on: the latest rated period shown."""
        return self.cycle(self.listed[0].id) if self.listed else None

    def chosen(self, cycle_id: Any) -> CycleDisclosure:
        """``?cycle=`` if given (a non-public or unknown id is 404), else the current cycle (404 when none)."""
        if cycle_id not in (None, ""):
            try:
                return self.cycle(int(cycle_id))
            except (TypeError, ValueError):
                raise NotFound("cycle_not_found", cycle_id=str(cycle_id)[:20]) from None
        current = self.current()
        if current is None:
            raise NotFound("public_nothing_yet")
        return current

    def methodologies(self) -> list[Methodology]:
        """Every methodology version, shipped and adopted, by effective date."""
        return list(self.methodology_versions)

    def methodology(self, identifier: str) -> Methodology:
        for methodology in self.methodology_versions:
            if methodology.id == identifier:
                return methodology
        raise NotFound("methodology_not_found", methodology=identifier[:64])


EMPTY_VIEW = PublicView(generation=0, listed=(), data={}, public=(), methodology_versions=())


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class DisclosureCache:
    """This process's public data: every public cycle built once per version by one background thread, and every
    finished answer. Requests never build: they read the current ``PublicView``.

    The public cycles' versions are polled (one small query) at most once per ``poll_seconds``, at once after a commit
    of this process that changed them. Right after the process starts nothing is built: a request that needs data
    waits for it at most ``wait_seconds`` (counted from the first poll), then gets the minimal "preparing" answer.
    A failed build is logged and tried again after ``retry_seconds`` (at once when the version moves on); the
    previous build keeps being served meanwhile.
    """

    def __init__(self, database: Database, *, poll_seconds: float, wait_seconds: float = 0.0,
                 retry_seconds: float = BUILD_RETRY_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.database = database
        self.poll_seconds = poll_seconds
        self.wait_seconds = wait_seconds
        self.retry_seconds = retry_seconds
        self._clock = clock
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)  # a build ended, a view was published, work arrived
        self._polled: dict[int, PublicCycle] | None = None  # the latest poll, the latest period first
        self._poll_seq = self._applied_seq = 0
        self._warming: set[int] = set()  # public at the first poll and not built yet: listed from the poll meanwhile
        self._adopted: list[tuple[str, str]] | None = None  # adopted methodology versions (id, hash)
        self._methodologies: tuple[Methodology, ...] | None = None
        self._data: dict[int, CycleDisclosure] = {}  # replaced, never changed in place: views share it
        self._failed: dict[int, tuple[int, float]] = {}  # cycle → (version whose build failed, when to try again)
        self._building: int | None = None
        self._builder: threading.Thread | None = None
        self._closed = False
        self._view = EMPTY_VIEW
        self._answers: OrderedDict[tuple[Any, ...], Cached] = OrderedDict()
        self._inflight: dict[tuple[Any, ...], threading.Event] = {}
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = []
        self._next_poll = float("-inf")
        self._patience_until = float("-inf")
        _caches.add(self)

    # -- polling -----------------------------------------------------------------------------------------------

    def expire(self) -> None:
        self._next_poll = float("-inf")

    def due(self) -> bool:
        return self._clock() >= self._next_poll

    def claim_poll(self) -> bool:
        """True for the one caller that should look at the database now. Called on the event loop (no await in
        between), so of fifty requests arriving when the poll is due one looks and the others go on serving what
        is held for the few milliseconds the look takes."""
        now = self._clock()
        if now < self._next_poll:
            return False
        self._next_poll = now + self.poll_seconds
        return True

    def refresh(self) -> None:
        """Read the public cycles and the adopted methodology versions (small tables). A cycle no longer public
        leaves the view at once; a new version of a cycle is built in the background."""
        with self._lock:
            self._poll_seq += 1
            seq, adopted_known, held = self._poll_seq, self._adopted, self._methodologies
        with self.database.read_session() as session:
            found = [public_cycle_of(c) for c in repository.public_cycles(session)]
            adopted = repository.methodology_versions(session)
            loaded = tuple(methodologies.all_versions(session)) if adopted != adopted_known or held is None else None
        with self._lock:
            self._next_poll = self._clock() + self.poll_seconds
            if seq < self._applied_seq:  # a later look has already been taken in
                return
            self._applied_seq = seq
            polled = {c.id: c for c in found}
            if self._polled is None:
                self._warming = set(polled)
                self._patience_until = self._clock() + self.wait_seconds
            else:
                self._warming &= polled.keys()
            self._polled = polled
            if loaded is not None:
                self._adopted, self._methodologies = adopted, loaded
            if self._data.keys() - polled.keys():  # no longer public: gone now, not after a build
                self._data = {i: d for i, d in self._data.items() if i in polled}
            self._failed = {i: f for i, f in self._failed.items() if i in polled}
            self._publish()
            self._kick()

    # -- what requests read ----------------------------------------------------------------------------------------

    def view(self) -> PublicView:
        return self._view

    def patience_left(self) -> float:
        """How much longer a request may wait for data right after the start (0 once the start is past)."""
        return max(0.0, self._patience_until - self._clock())

    async def next_view(self, seen: PublicView, timeout: float) -> PublicView:
        """The view after ``seen``, waiting on the event loop (no thread held) at most ``timeout`` seconds."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        with self._lock:
            if self._view is not seen:
                return self._view
            self._waiters.append((loop, future))
        try:
            await asyncio.wait_for(future, timeout)
        except TimeoutError:
            pass
        return self._view

    def answer(self, key: tuple[Any, ...]) -> Cached | None:
        found = self._answers.get(key)
        if found is not None:
            try:
                self._answers.move_to_end(key)
            except KeyError:  # dropped by a new view meanwhile
                pass
        return found

    def remember(self, key: tuple[Any, ...], view: PublicView, make: Callable[[], Cached]) -> Cached:
        """The answer for ``key`` made from ``view``, kept while that view is shown. One thread makes it; others that
        ask for the same answer meanwhile wait for it instead of making it again."""
        flight = (view.generation, *key)
        with self._lock:
            found = self._answers.get(key) if self._view.generation == view.generation else None
            if found is not None:
                return found
            running = self._inflight.get(flight)
            if running is None:
                self._inflight[flight] = threading.Event()
        if running is not None:
            running.wait(timeout=30.0)
            found = self.answer(key)
            if found is not None:
                return found
            return make()  # the first one failed (a 404, say): this one answers the same way
        try:
            made = make()
            with self._lock:
                if self._view.generation == view.generation:  # not made from data a newer view has replaced
                    self._answers[key] = made
                    while len(self._answers) > PAGE_CACHE_ENTRIES:
                        self._answers.popitem(last=False)
            return made
        finally:
            with self._lock:
                self._inflight.pop(flight).set()

    # Shortcuts for scripts and tests: the current view, polled first when due.
    def _polled_view(self) -> PublicView:
        if self._polled is None or self.due():
            self.refresh()
        return self._view

    def public_cycles(self) -> list[PublicCycle]:
        return self._polled_view().public_cycles()

    def cycle(self, cycle_id: int) -> CycleDisclosure:
        return self._polled_view().cycle(cycle_id)

    def cycles(self) -> list[CycleDisclosure]:
        return self._polled_view().cycles()

    def current(self) -> CycleDisclosure | None:
        return self._polled_view().current()

    def chosen(self, cycle_id: Any) -> CycleDisclosure:
        return self._polled_view().chosen(cycle_id)

    def methodologies(self) -> list[Methodology]:
        return self._polled_view().methodologies()

    def methodology(self, identifier: str) -> Methodology:
        return self._polled_view().methodology(identifier)

    # -- the background builder ------------------------------------------------------------------------------------

    def start(self) -> None:
        """Begin at once (at server start-up): the first poll and the builds run in the background thread."""
        with self._lock:
            if self._polled is None and not self._closed:
                self._start_builder()

    def close(self) -> None:
        """Stop building (the build under way finishes first)."""
        with self._lock:
            self._closed = True
            self._changed.notify_all()

    def settle(self, timeout: float = 60.0) -> PublicView:
        """Poll if due (as a request would), then wait until every public cycle is built at the version seen, or its
        build failed and waits for its retry; the view then. For tests and scripts: requests never wait like this."""
        if self._polled is None or self.due():
            self.refresh()
        deadline = time.monotonic() + timeout
        with self._lock:
            self._kick()
            while self._building is not None or self._next_job() is not None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"the public data was not built within {timeout:g} s")
                self._changed.wait(remaining)
            return self._view

    def _kick(self) -> None:
        """Start or wake the builder when there is something to build (lock held)."""
        if self._next_job() is None:
            return
        if self._builder is None or not self._builder.is_alive():
            self._start_builder()
        else:
            self._changed.notify_all()

    def _start_builder(self) -> None:
        self._builder = threading.Thread(target=self._run_builder, name="disclosure-builder", daemon=True)
        self._builder.start()

    def _next_job(self) -> tuple[int, int] | None:
        """The next (cycle, version) to build, the latest period first; a failed build waits for its retry time or
        a newer version (lock held)."""
        if self._polled is None or self._closed:
            return None
        now = self._clock()
        for cycle_id, polled in self._polled.items():
            held = self._data.get(cycle_id)
            if held is not None and held.cycle.version >= polled.version:
                continue
            failed = self._failed.get(cycle_id)
            if failed is not None and failed[0] >= polled.version and failed[1] > now:
                continue
            return cycle_id, polled.version
        return None

    def _retry_in(self) -> float | None:
        """Seconds until the next failed build may be tried again; None when none waits (lock held)."""
        if self._closed or not self._failed:
            return None
        return max(0.0, min(at for _version, at in self._failed.values()) - self._clock())

    def _run_builder(self) -> None:
        if self._polled is None:  # started with the server: the first look is taken here, off the event loop
            try:
                self.refresh()
            except Exception:
                log.exception("public site: the public cycles could not be read; the next request tries again")
                with self._lock:
                    self._builder = None
                    self._changed.notify_all()
                return
        while True:
            with self._lock:
                job = self._next_job()
                if job is None:
                    wait = self._retry_in()
                    if wait is None:
                        self._builder = None
                        self._changed.notify_all()
                        return
                    self._changed.wait(wait)
                    continue
                self._building = job[0]
            self._build_one(*job)

    def _build_one(self, cycle_id: int, version: int) -> None:
        started = time.perf_counter()
        built: CycleDisclosure | None = None
        try:
            with self.database.snapshot_session() as session:
                built = build(session, cycle_id)
        except NotFound:
            pass  # no longer public: the next poll drops it
        except Exception:
            held = self._data.get(cycle_id)
            log.exception("public site: building cycle %s (version %s) failed after %.1f s; %s; trying again in "
                          "%g s", cycle_id, version, time.perf_counter() - started,
                          f"version {held.cycle.version} stays served" if held else "it is not shown meanwhile",
                          self.retry_seconds)
        metrics.observe_disclosure_build(time.perf_counter() - started, built=built is not None)
        with self._lock:
            self._building = None
            if built is None:
                self._failed[cycle_id] = (version, self._clock() + self.retry_seconds)
            else:
                self._failed.pop(cycle_id, None)
                # A cycle that stopped being public while it was being built does not come back.
                if self._polled is not None and cycle_id in self._polled and not self._closed:
                    self._data = {**self._data, cycle_id: built}
                    self._warming.discard(cycle_id)
                    self._publish()
                log.info("public site: cycle %s built (version %s) in %.1f s", cycle_id, built.cycle.version,
                         time.perf_counter() - started)
            self._changed.notify_all()
        if built is not None:
            _keep_out_of_gc()

    def _publish(self) -> None:
        """Show a new view when what the site shows has changed (lock held)."""
        polled = self._polled or {}
        listed = tuple(self._data[i].cycle if i in self._data else cycle for i, cycle in polled.items()
                       if i in self._data or i in self._warming)
        public = tuple(polled.values())
        known = self._methodologies or ()
        old = self._view
        same = listed == old.listed and self._data is old.data and known is old.methodology_versions
        if same and public == old.public:
            return
        self._view = PublicView(generation=old.generation + (0 if same else 1), listed=listed, data=self._data,
                                public=public, methodology_versions=known)
        if not same:
            self._answers.clear()
        waiters, self._waiters = self._waiters, []
        for loop, future in waiters:
            try:
                loop.call_soon_threadsafe(_resolve, future)
            except RuntimeError:  # that event loop has closed
                pass
        self._changed.notify_all()


def _keep_out_of_gc() -> None:
    """After a build: the young garbage collected, then everything alive moved out of the collector's scans
    (``gc.freeze``). A nation's build holds millions of long-lived objects (ratings, their dicts and tuples); left
    tracked, every full collection walks all of them while requests wait for the interpreter (p99 spikes of tens of
    milliseconds, and a steady cost per request). They are freed by reference counting when a newer build replaces
    them (they hold no reference cycles); only cyclic garbage frozen with them waits for the process to end."""
    gc.collect(1)
    gc.freeze()


@event.listens_for(Session, "after_commit")
def _expire_after_commit(session: Session) -> None:
    if session.info.pop(DISCLOSURE_CHANGED, False):
        for cache in list(_caches):
            cache.expire()


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(DISCLOSURE_CHANGED, None)


def company_history(view: PublicView, credit_code: str) -> list[tuple[CycleDisclosure, PublicRating]]:
    """The company's rating in every public cycle, oldest first; 404 when it has none."""
    code = credit_code.strip().upper()
    found = [(d, d.by_code[code]) for d in reversed(view.cycles()) if code in d.by_code]
    if not found:
        raise NotFound("public_company_not_found", code=credit_code[:18])
    return found
