"""What the public may see of a cycle, built once per cycle version and kept in memory.

A cycle is public once publicized (its ratings marked 公示中) and stays public when finalized. The public sees per
company: name, credit code, score, grade, the provisional mark, red/black list, the indicator sub-scores and the
counts of counted records by kind and category; per cycle the appeal statistics. Nothing else leaves this room:
no personal data, no record contents, no appeal grounds or attachments.

Every server process keeps a ``DisclosureCache``. It asks the database for the public cycles' versions at most once
per poll interval (one small query); a cycle whose version moved on (a state change, an appeal filed or decided)
is built again, and every cached page and file is dropped. In the process that made the change the cache looks
again as soon as the transaction commits.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import event
from sqlalchemy.orm import Session

from rating_service.appeals import decisions
from rating_service.cycles import service as cycles
from rating_service.cycles.models import Cycle
from rating_service.db import DISCLOSURE_CHANGED, Database
from rating_service.disclosure import repository
from rating_service.errors import NotFound
from rating_service.i18n import Lang
from rating_service.methodologies import service as methodologies
from rating_service.records.formats import ZH_WORDS
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
SORTS = ("score", "name", "credit_code", "grade")
LISTS = ("red", "black")
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_QUERY = 100


def category_label(kind: str, category: str, lang: Lang) -> str:
    if not category:
        return "未分类" if lang == "zh" else "Uncategorised"
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

    def as_json(self) -> dict[str, Any]:
        return {"rank": self.rank, "credit_code": self.credit_code, "name": self.name, "score": self.score,
                "grade": self.grade, "provisional": self.provisional, "red_list": self.red_list,
                "black_list": self.black_list, "sub_scores": self.sub_scores, "weights": self.weights,
                "counted_records": self.counts, "counted_records_by_category": self.categories}


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
        rows = [r for r in rows if needle in r.name.casefold() or code in r.credit_code]
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


def counted_record_counts(session: Session, cycle: Cycle) -> dict[str, dict[str, dict[str, int]]]:
    """``credit_code → kind → category → count`` of the records that count in the cycle, after its appeal
    decisions (voided records no longer count; amended ones count as amended)."""
    result, inputs = decisions.rate_amended_cycle(session=session, cycle=cycle, with_evidence=False)
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
            lookup = pd.Series(repository.record_categories(session, kind=kind, watermark=cycle.snapshot_batch,
                                                            period_start=cycle.period_start,
                                                            period_end=cycle.period_end,
                                                            date_column=EVENT_DATE[kind]), dtype=object)
        # One category per record id (the last, as a dict would keep it), looked up for every counted record at once.
        lookup = lookup[~lookup.index.duplicated(keep="last")]
        categories = mine["record_id"].astype(str).map(lookup).fillna("")
        grouped = pd.DataFrame({"credit_code": mine["credit_code"].astype(str).to_numpy(),
                                "category": categories.to_numpy()}).value_counts(sort=False)
        for (code, category), count in grouped.items():  # type: ignore[misc]
            out.setdefault(code, {}).setdefault(kind, {})[category] = int(count)
    return out


def build(session: Session, cycle_id: int) -> CycleDisclosure:
    cycle = repository.public_cycle(session, cycle_id)
    if cycle is None:
        raise NotFound("cycle_not_found", cycle_id=cycle_id)
    methodology = cycles.methodology_of(cycle)
    counts = counted_record_counts(session, cycle)
    rows = []
    for row in repository.public_ratings(session, cycle_id=cycle.id):
        indicators = {line["code"]: line for line in json.loads(row.explanation)["indicators"]}
        assessed = {code: indicators[code] for code in INDICATORS if code in indicators}
        per_kind = counts.get(row.credit_code, {})
        categories = {kind: dict(sorted(per_kind[kind].items(), key=lambda kv: (-kv[1], kv[0])))
                      for kind in KINDS if kind in per_kind}
        rows.append((row, {code: line.get("sub_score") for code, line in assessed.items()},
                     {code: line["weight"] for code, line in assessed.items() if line.get("assessed")},
                     {kind: sum(per_kind.get(kind, {}).values()) for kind in KINDS}, categories))
    rows.sort(key=lambda item: (-item[0].score, item[0].name or "", item[0].credit_code))
    ratings = []
    rank, previous = 0, None
    for position, (row, sub_scores, weights, kind_counts, categories) in enumerate(rows, start=1):
        if row.score != previous:
            rank, previous = position, row.score
        ratings.append(PublicRating(rank=rank, credit_code=row.credit_code, name=row.name or row.credit_code,
                                    score=row.score, grade=row.grade, provisional=row.provisional,
                                    red_list=row.red_list, black_list=row.black_list, sub_scores=sub_scores,
                                    weights=weights, counts=kind_counts, categories=categories))
    tally = {band.grade: 0 for band in methodology.bands}
    for rating in ratings:
        tally[rating.grade] = tally.get(rating.grade, 0) + 1
    statistics = decisions.statistics(session=session, cycle_id=cycle.id)
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
    ("compl_score", "number", "投诉处理得分", "Complaint sub-score, 0–100 (blank: not assessed)"),
    ("fee_score", "number", "收费规范得分", "Fee-conduct sub-score, 0–100 (blank: not assessed)"),
    ("inspections", "integer", "计入的检查记录数", "Inspection records counted"),
    ("complaints", "integer", "计入的投诉记录数", "Complaint records counted"),
    ("fee_violations", "integer", "计入的收费违规数", "Fee violations counted"),
    ("commendations", "integer", "计入的表彰数", "Commendations counted"),
    ("major_events", "integer", "计入的重大事项数", "Major events counted"),
)
DICTIONARY_ZH = {
    "cycle_status": "publicized 表示公示中（异议期内，可能调整），finalized 表示已终评",
    "rank": "按信用分排名（同分同名次）", "score": "信用分，0–100", "grade": "信用等级（AAA、AA、A、B、C）",
    "provisional": "在管户数或检查次数不足，评价为暂定", "insp_score": "巡查检查指标得分，0–100（空：不参评）",
    "compl_score": "投诉处理指标得分，0–100（空：不参评）", "fee_score": "收费规范指标得分，0–100（空：不参评）",
}


def open_data_rows(disclosure: CycleDisclosure) -> list[dict[str, Any]]:
    c = disclosure.cycle
    return [{"cycle_id": c.id, "cycle_name": c.name, "cycle_status": c.status,
             "period_start": c.period_start.isoformat(), "period_end": c.period_end.isoformat(),
             "methodology_id": c.methodology_id, "rank": r.rank, "credit_code": r.credit_code, "name": r.name,
             "score": r.score, "grade": r.grade, "provisional": r.provisional, "red_list": r.red_list,
             "black_list": r.black_list, "insp_score": r.sub_scores.get("INSP"),
             "compl_score": r.sub_scores.get("COMPL"), "fee_score": r.sub_scores.get("FEE"),
             **{kind: r.counts.get(kind, 0) for kind in KINDS}} for r in disclosure.ratings]


def ratings_csv(disclosure: CycleDisclosure, lang: Lang) -> bytes:
    """UTF-8 with a BOM (Excel opens it as UTF-8), Chinese headers by default, formula-like text neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([name if lang == "en" else zh for name, _type, zh, _en in DICTIONARY])
    yes, no = ("yes", "no") if lang == "en" else ("是", "否")
    for row in open_data_rows(disclosure):
        writer.writerow([neutralised(yes if value is True else no if value is False else "" if value is None
                                     else value) for value in row.values()])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def ratings_json(disclosure: CycleDisclosure) -> bytes:
    document = {"cycle": disclosure.cycle.as_json(),
                "grades": dict(disclosure.grades), "appeals": disclosure.appeals,
                "fields": [{"name": n, "type": t, "zh": zh, "en": en} for n, t, zh, en in DICTIONARY],
                "ratings": [r.as_json() for r in disclosure.ratings]}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# -- the per-process cache ---------------------------------------------------------------------------------------

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
_caches: weakref.WeakSet[DisclosureCache] = weakref.WeakSet()


class DisclosureCache:
    def __init__(self, database: Database, *, poll_seconds: float) -> None:
        self.database = database
        self.poll_seconds = poll_seconds
        self._lock = threading.RLock()
        self._versions: dict[int, int] | None = None
        self._listed: list[PublicCycle] = []
        self._adopted: list[tuple[str, str]] | None = None  # adopted methodology versions (id, hash)
        self._methodologies: list[Methodology] | None = None
        self._cycles: dict[int, CycleDisclosure] = {}
        self._answers: OrderedDict[tuple[Any, ...], Cached] = OrderedDict()
        self._next_poll = 0.0
        _caches.add(self)

    def expire(self) -> None:
        self._next_poll = 0.0

    def due(self) -> bool:
        return time.monotonic() >= self._next_poll

    def claim_poll(self) -> bool:
        """True for the one caller that should look at the database now. Called on the event loop (no await in
        between), so of fifty requests arriving when the poll is due one looks and the others go on serving what
        is held for the few milliseconds the look takes."""
        now = time.monotonic()
        if now < self._next_poll:
            return False
        self._next_poll = now + self.poll_seconds
        return True

    def refresh(self) -> None:
        """Read the public cycles (a small table); drop what moved on since the last look."""
        with self.database.read_session() as session:
            found = [public_cycle_of(c) for c in repository.public_cycles(session)]
            adopted = repository.methodology_versions(session)
            versions = {c.id: c.version for c in found}
            if adopted != self._adopted or self._methodologies is None:
                self._methodologies = methodologies.all_versions(session)
        with self._lock:
            if versions != self._versions or adopted != self._adopted:
                self._versions = versions
                self._adopted = adopted
                self._listed = found
                self._cycles = {i: d for i, d in self._cycles.items() if versions.get(i) == d.cycle.version}
                self._answers.clear()
            self._next_poll = time.monotonic() + self.poll_seconds

    def versions(self) -> dict[int, int]:
        if self._versions is None or self.due():
            self.refresh()
        assert self._versions is not None
        return self._versions

    def methodologies(self) -> list[Methodology]:
        """Every methodology version, shipped and adopted, by effective date."""
        self.versions()
        assert self._methodologies is not None
        return list(self._methodologies)

    def methodology(self, identifier: str) -> Methodology:
        for methodology in self.methodologies():
            if methodology.id == identifier:
                return methodology
        raise NotFound("methodology_not_found", methodology=identifier[:64])

    def public_cycles(self) -> list[PublicCycle]:
        """Every public cycle, the latest period first, without building any."""
        self.versions()
        return list(self._listed)

    def cycle(self, cycle_id: int) -> CycleDisclosure:
        versions = self.versions()
        if cycle_id not in versions:
            raise NotFound("cycle_not_found", cycle_id=cycle_id)
        held = self._cycles.get(cycle_id)
        if held is not None and held.cycle.version == versions[cycle_id]:
            return held
        with self._lock:
            held = self._cycles.get(cycle_id)
            if held is not None and held.cycle.version == versions[cycle_id]:
                return held
            with self.database.read_session() as session:
                built = build(session, cycle_id)
            if self._versions is not None and self._versions.get(cycle_id) == built.cycle.version:
                self._cycles[cycle_id] = built
            return built

    def cycles(self) -> list[CycleDisclosure]:
        """Every public cycle's data, the latest period first."""
        return [self.cycle(c.id) for c in self.public_cycles()]

    def current(self) -> CycleDisclosure | None:
        """The cycle the public site opens on: the latest rated period that is public."""
        listed = self.public_cycles()
        return self.cycle(listed[0].id) if listed else None

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

    def answer(self, key: tuple[Any, ...]) -> Cached | None:
        found = self._answers.get(key)
        if found is not None:
            try:
                self._answers.move_to_end(key)
            except KeyError:  # dropped by a refresh meanwhile
                pass
        return found

    def remember(self, key: tuple[Any, ...], make: Callable[[], Cached]) -> Cached:
        generation = self._versions
        made = make()
        with self._lock:
            if self._versions is generation:  # not built from data a refresh has since dropped
                self._answers[key] = made
                while len(self._answers) > PAGE_CACHE_ENTRIES:
                    self._answers.popitem(last=False)
        return made


@event.listens_for(Session, "after_commit")
def _expire_after_commit(session: Session) -> None:
    if session.info.pop(DISCLOSURE_CHANGED, False):
        for cache in list(_caches):
            cache.expire()


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(DISCLOSURE_CHANGED, None)
