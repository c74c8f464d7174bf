"""Early warning (预警): the running rating of the period to date, the companies sliding, a company's own position,
the weekly summary (docs/monitor.md).

The running rating is the cycles' own rating, done early: the period runs from the day after the last rated
cycle's end to today, the methodology is the one in force today, the records are read as a cycle's snapshot reads
them (at the current import batch) and rated by the same engine (``scoring.engine.rate_companies``). It is marked
provisional, never stored as a rating and never published: no public route, no open data, no disclosure reads it.
Only the weekly summary is stored, as the words it had when written.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from sqlalchemy.orm import Session

from rating_service import clock
from rating_service.audit import service as audit
from rating_service.cycles import facts
from rating_service.cycles import service as cycles
from rating_service.cycles.models import Cycle
from rating_service.cycles.wording import fixed
from rating_service.errors import NotFound
from rating_service.i18n import Lang
from rating_service.methodologies import service as methodologies
from rating_service.monitor import repository
from rating_service.monitor.models import MonitorSummary
from rating_service.records import repository as records_repo
from rating_service.settings import get_settings
from scoring.engine import Period, RatingResult, rate_companies
from scoring.explain import explain
from scoring.methodology import Methodology

MAX_DRIVERS = 3  # reasons shown per company (the biggest losses)
MAX_RECORDS = 5  # records shown per reason


@dataclass(frozen=True)
class Running:
    """The running rating of the period to date: provisional, never stored as a rating, never published."""

    period: Period
    methodology: Methodology
    watermark: int  # the import batch the records were read at
    last_cycle_id: int
    last_cycle_name: str
    last_published: bool  # the last cycle is publicized or finalized (a company may see its grade there)
    result: RatingResult
    last: dict[str, tuple[float, str]]  # credit code -> (score, grade) of the last cycle
    seconds: float  # how long reading and rating took
    provisional: bool = True  # always: the running rating is never a rating of record

    def grade_rank(self, grade: str | None) -> int | None:
        """0 for the best band, 1 for the next, …; None for no grade (asked once per company and grade: the
        ranks are made once, not the band list on every call)."""
        return self._ranks.get(grade) if grade is not None else None

    @functools.cached_property
    def _ranks(self) -> dict[str, int]:
        return {grade: rank for rank, grade in enumerate(self.methodology.grades)}


@dataclass(frozen=True)
class Line:
    """One company of the running rating, against its last grade."""

    credit_code: str
    name: str
    score: float
    grade: str
    last_score: float | None
    last_grade: str | None
    band_min: float  # the lower edge of the running band
    margin: float | None  # points above that edge (None: the lowest band, nothing below)
    next_grade: str | None  # the band below
    below_last: bool  # the running grade is below the last grade
    near_edge: bool  # within the margin setting above the edge of the band below

    @property
    def sliding(self) -> bool:
        return self.below_last or self.near_edge


@dataclass(frozen=True)
class Driver:
    """A reason pulling a company down, in words, with the records behind it (whole fact lines)."""

    label: str
    lost: str  # points lost, two decimals ("" when the reason loses none by itself)
    records: tuple[str, ...]


@dataclass(frozen=True)
class Position:
    """A company's running position: its line and what pulls it down."""

    running: Running
    line: Line
    drivers: list[Driver] = field(default_factory=list)


# -- the running rating ------------------------------------------------------------------------------------------

def running(session: Session, *, today: dt.date | None = None) -> Running:
    """The running rating of the current period to date (raises NotFound when no cycle has ratings yet, or the
    period has not begun). Not cached: on the demo (18 companies, ~1,600 records) reading and rating take ~0.3 s."""
    today = today or clock.local_today()
    cycle = repository.last_rated_cycle(session)
    if cycle is None:
        raise NotFound("monitor_no_cycle")
    start = cycle.period_end + dt.timedelta(days=1)
    if today < start:
        raise NotFound("monitor_not_started", start=start.isoformat())
    methodology = methodologies.in_force(session, today)
    watermark = records_repo.current_batch(session)
    began = time.perf_counter()
    period = Period(start, today)
    snapshot = cycles.read_snapshot(session=session, watermark=watermark, period=period)
    result = rate_companies(inputs=snapshot.inputs, period=period, methodology=methodology)
    return Running(period=period, methodology=methodology, watermark=watermark, last_cycle_id=cycle.id,
                   last_cycle_name=cycle.name, last_published=cycle.status in ("publicized", "finalized"),
                   result=result, last=repository.last_grades(session, cycle.id),
                   seconds=time.perf_counter() - began)


def lines(current: Running, margin: float | None = None) -> list[Line]:
    """Every rated company against its last grade, worst slide first (grade steps down, then margin, then code)."""
    margin = get_settings().monitor_margin_points if margin is None else margin
    bands = current.methodology.bands
    out = []
    for row in current.result.companies.itertuples(index=False):
        code = str(row.credit_code)
        score, grade, band_grade = float(row.score), str(row.grade), str(row.band_grade)
        last_score, last_grade = current.last.get(code, (None, None))
        rank, last_rank = current.grade_rank(grade), current.grade_rank(last_grade)
        below = rank is not None and last_rank is not None and rank > last_rank
        band_rank = current.grade_rank(band_grade)
        band_min = bands[band_rank].min if band_rank is not None else 0.0
        below_band = bands[band_rank + 1].grade if band_rank is not None and band_rank + 1 < len(bands) else None
        # The margin counts only where the grade is the band's (a veto or a floor decides the grade otherwise).
        edge = score - band_min if below_band is not None and grade == band_grade else None
        near = edge is not None and 0 <= edge < margin
        out.append(Line(credit_code=code, name=row.name if isinstance(row.name, str) else code, score=score,
                        grade=grade, last_score=last_score, last_grade=last_grade, band_min=band_min, margin=edge,
                        next_grade=below_band, below_last=below, near_edge=near))

    def order(line: Line) -> tuple[int, float, str]:
        steps = (current.grade_rank(line.grade) or 0) - (current.grade_rank(line.last_grade) or 0) \
            if line.last_grade is not None else 0
        return (-steps, line.margin if line.margin is not None else 1e9, line.credit_code)
    return sorted(out, key=order)


def sliding(current: Running, margin: float | None = None) -> list[Line]:
    """The companies whose running grade is below their last grade, or whose running score is within ``margin``
    points (default: the ``monitor_margin_points`` setting) above the lower edge of their running band."""
    return [line for line in lines(current, margin) if line.sliding]


def _facts_cycle(current: Running) -> Cycle:
    """A cycle-shaped view of the running period for ``cycles.facts`` (never added to a session, never stored)."""
    return Cycle(id=0, name="", period_start=current.period.start, period_end=current.period.end,
                 methodology_id=current.methodology.id, status="draft", snapshot_batch=current.watermark)


def drivers(session: Session, current: Running, codes: Iterable[str], lang: Lang = "zh"
            ) -> dict[str, list[Driver]]:
    """credit code -> the reasons pulling it down (biggest loss first) with their records as fact lines."""
    codes = [c for c in codes if (current.result.companies["credit_code"] == c).any()]
    explanations = {code: explain(current.result, code, current.methodology).as_dict() for code in codes}
    company_facts = facts.explained_facts(session=session, cycle=_facts_cycle(current), explanations=explanations)
    m = current.methodology
    out: dict[str, list[Driver]] = {}
    for code, exp in explanations.items():
        reasons = [r for r in exp["reasons"] if r.get("code") != "VETO" or r.get("evidence")]
        reasons.sort(key=lambda r: -(r.get("points_lost") or 0))
        items = []
        for reason in reasons[:MAX_DRIVERS]:
            lost = reason.get("points_lost")
            lines_ = facts.evidence_lines(company_facts[code], reason["code"], m, lang)[:MAX_RECORDS]
            items.append(Driver(label=m.term("reasons", reason["code"]).name(lang),
                                lost="" if lost is None else fixed(lost, 2), records=tuple(lines_)))
        out[code] = items
    return out


def company_position(session: Session, *, credit_code: str, today: dt.date | None = None,
                     lang: Lang = "zh", for_company: bool = False) -> Position:
    """The company's running score and grade against its last, and what pulls it down (NotFound: not rated in
    the running period). ``for_company``: the company's own view; a last cycle not yet publicized is not its to
    see, so its last score and grade are left out (and the comparison with them)."""
    current = running(session, today=today)
    line = next((li for li in lines(current) if li.credit_code == credit_code), None)
    if line is None:
        raise NotFound("monitor_company_not_rated")
    if for_company and not current.last_published:
        line = replace(line, last_score=None, last_grade=None, below_last=False)
    return Position(current, line, drivers(session, current, [credit_code], lang)[credit_code])


# -- the weekly summary ---------------------------------------------------------------------------------------------

def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def summary_lines(session: Session, current: Running) -> list[dict[str, Any]]:
    """The sliding companies as plain data, their drivers worded in both languages (what a summary freezes)."""
    slide = sliding(current)
    worded = {lang: drivers(session, current, [li.credit_code for li in slide], lang) for lang in ("zh", "en")}
    return [{**asdict(li), "drivers": {lang: [asdict(d) for d in worded[lang][li.credit_code]]
                                       for lang in ("zh", "en")}} for li in slide]


def write_summary(session: Session, *, today: dt.date | None = None, actor: str) -> MonitorSummary:
    """Store (or replace) the summary of today's week (week_start: that Monday) with the lines frozen as JSON."""
    today = today or clock.local_today()
    current = running(session, today=today)
    data = summary_lines(session, current)
    monday = week_start(today)
    row = repository.summary(session, monday)
    if row is None:
        row = MonitorSummary(week_start=monday)
        session.add(row)
    row.period_start, row.period_end = current.period.start, current.period.end
    row.methodology_id = current.methodology.id
    row.lines = len(data)
    row.payload = json.dumps({"last_cycle": current.last_cycle_name, "lines": data}, ensure_ascii=False,
                             sort_keys=True)
    row.generated_at = clock.now()
    row.generated_by = actor
    session.flush()
    audit.record(session, "monitor.summary", actor=actor, entity_kind="monitor_summary",
                 entity_id=monday.isoformat(),
                 payload={"week_start": monday.isoformat(), "period_start": current.period.start.isoformat(),
                          "period_end": current.period.end.isoformat(), "methodology": current.methodology.id,
                          "lines": len(data)})
    return row


def summaries(session: Session) -> list[MonitorSummary]:
    return repository.summaries(session)


def summary(session: Session, week: dt.date) -> MonitorSummary:
    row = repository.summary(session, week_start(week))
    if row is None:
        raise NotFound("monitor_summary_not_found", week=week.isoformat())
    return row


def summary_payload(row: MonitorSummary) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(row.payload)
    return data
