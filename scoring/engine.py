"""The rating engine: plain frames and a methodology in, scores, reasons and evidence out.

Pure and vectorised (numpy/pandas, no per-row Python): the service, the auditors' CLI and a
researcher's notebook all call ``rate_companies``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeAlias, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from scoring import kernels
from scoring.methodology import REASON_CODES, Methodology, TimelinessRule
from scoring.piecewise import pl, pl_inverse, round_half_up

NO_DAY = np.iinfo(np.int64).min
RECORD_KINDS = ("inspections", "complaints", "fee_violations", "commendations", "major_events")
EVENT_DATE = {
    "inspections": "inspected_on",
    "complaints": "received_on",
    "fee_violations": "decided_on",
    "commendations": "awarded_on",
    "major_events": "occurred_on",
}


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("period end is before its start / 评价期间结束日期早于开始日期")

    @property
    def as_of(self) -> dt.date:
        return self.end

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2025-01-01:2025-12-31``."""
        try:
            start, end = (dt.date.fromisoformat(part.strip()) for part in text.split(":"))
        except ValueError as exc:
            raise ValueError(f"period must look like 2025-01-01:2025-12-31, not {text!r}") from exc
        return cls(start, end)


@dataclass
class RatingInputs:
    """Plain frames, one per file kind; columns as in the import formats (extra columns are ignored).

    Dates may be datetime64 or date objects; ids may be strings or categoricals.
    """

    companies: pd.DataFrame
    communities: pd.DataFrame
    contracts: pd.DataFrame
    inspections: pd.DataFrame | None = None
    complaints: pd.DataFrame | None = None
    fee_violations: pd.DataFrame | None = None
    commendations: pd.DataFrame | None = None
    major_events: pd.DataFrame | None = None

    def frame(self, kind: str) -> pd.DataFrame:
        value = getattr(self, kind)
        return value if value is not None else pd.DataFrame(columns=RECORD_COLUMNS[kind])


RECORD_COLUMNS = {
    "inspections": ["record_id", "inspected_on", "community_id", "credit_code", "severity", "rectify_by",
                    "rectified_on"],
    "complaints": ["record_id", "received_on", "community_id", "credit_code", "substantiated", "due_on",
                   "resolved_on"],
    "fee_violations": ["record_id", "decided_on", "credit_code", "community_id", "violation_type", "amount_yuan",
                       "refunded"],
    "commendations": ["record_id", "awarded_on", "credit_code", "level"],
    "major_events": ["record_id", "occurred_on", "credit_code", "kind"],
}


@dataclass(frozen=True)
class Constants:
    """Numbers frozen when a cycle is first computed; appeals re-score with them."""

    r0: float

    def as_dict(self) -> dict[str, float]:
        return {"R0": self.r0}


@dataclass
class RatingResult:
    period: Period
    methodology_id: str
    constants: Constants
    companies: pd.DataFrame  # one row per rated company
    reasons: pd.DataFrame  # credit_code, rank, reason, points_lost (VETO first, then at most N codes)
    evidence: pd.DataFrame  # credit_code, reason, rank, kind, record_id, event_date, points, detail
    records: pd.DataFrame  # kind, record_id, credit_code, attribution, counted, points
    paths: pd.DataFrame  # credit_code, next_grade, gap, component, max_gain, reachable, target_*, best_subscore,
    #                      combined, combined_* (the combined path when no single component suffices)
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def unattributed(self) -> pd.DataFrame:
        records = self.records
        mask = ((records["attribution"] == "unattributed") & records["counted"]).to_numpy(dtype=bool)
        # Column by column: a Series filtered by a mask filters Arrow text chunk by chunk, where a frame's rows
        # are taken by position, and Arrow joins every chunk of the ids first to take from them (600 MB at 30 M
        # records, kept by Arrow's allocator after it is freed).
        return pd.DataFrame({name: records[name][mask] for name in records.columns})


# -- small vectorised helpers ------------------------------------------------------------------------

_TICKS_A_DAY = {"h": 24, "m": 1_440, "s": 86_400, "ms": 86_400_000, "us": 86_400_000_000, "ns": 86_400_000_000_000}


def _held_ticks(series: pd.Series) -> tuple[np.ndarray, int] | None:
    """A naive datetime64 column of a unit in ``_TICKS_A_DAY`` as it is held, int64 ticks (a view; NaT, the least
    int64, is NO_DAY), and the ticks in a day; None for any other column."""
    if series.dtype.kind == "M" and getattr(series.dtype, "tz", None) is None:
        held = series.to_numpy()
        unit, count = np.datetime_data(held.dtype)
        if unit in _TICKS_A_DAY and count == 1:
            return held.view(np.int64), _TICKS_A_DAY[unit]
    return None


def _days(values: Any) -> np.ndarray:
    """Day numbers (days since 1970-01-01) as int64; NO_DAY where missing."""
    series = pd.Series(values)
    if len(series) == 0:
        return np.array([], dtype=np.int64)
    held = _held_ticks(series)
    if held is not None:
        # The floor of a division by the ticks of a day: what the cast to days does, three times as fast
        # (numpy divides by one number without a division per element); NaT, the least int64, stays itself.
        ticks, per_day = held
        out = ticks // per_day
        np.putmask(out, ticks == NO_DAY, NO_DAY)
        return out
    if series.dtype.kind == "M" and getattr(series.dtype, "tz", None) is None:  # another unit: NaT = NO_DAY
        return series.to_numpy().astype("datetime64[D]").view(np.int64)
    converted = pd.to_datetime(series, errors="coerce")
    out = converted.to_numpy(dtype="datetime64[D]").astype(np.int64)
    out[converted.isna().to_numpy()] = NO_DAY
    return out


def _ticks(values: Any) -> tuple[np.ndarray, int]:
    """A date column as int64 ticks and the ticks in a day, for a compiled loop to take the days of: datetime64 of
    a unit in ``_TICKS_A_DAY`` as it is held (no copy; NaT is NO_DAY), anything else as ``_days`` (one tick a
    day)."""
    series = pd.Series(values)
    return _held_ticks(series) or (_days(series), 1)


def _day(value: dt.date) -> int:
    return int(np.datetime64(value, "D").astype(np.int64))


_Tables: TypeAlias = dict[tuple[int, int, int | None], tuple[pd.Index, pd.Index, np.ndarray]]


def _codes(values: Any, index: pd.Index, tables: _Tables | None = None, *, absent: int = -1) -> np.ndarray:
    """Positions of ``values`` in ``index`` as int32: -1 where a value is missing, ``absent`` where it is not in the
    index (an index of companies or communities is far below 2**31 long; half the memory of int64 per record);
    categoricals stay cheap.

    ``tables`` keeps each categories' table of positions for the next column of the same categories (every record
    kind's ids are categoricals over the same registry: one lookup of its 450,000 ids, not one per kind)."""
    if len(index) >= 2**31 - 1:  # pragma: no cover - no registry is that large
        raise OverflowError("too many ids for int32 positions")
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    if isinstance(series.dtype, pd.CategoricalDtype):
        # One gather from a table with a trailing -1, which a missing value's code (-1) picks.
        return _table(series.cat.categories, index, tables, absent)[_category_codes(series)]
    out = index.get_indexer(series.astype(object).where(series.notna(), None)).astype(np.int32)
    if absent != -1:
        out[(out < 0) & series.notna().to_numpy()] = absent
    return out


def _category_codes(series: pd.Series) -> np.ndarray:
    """A categorical column's codes as held (read-only, no copy): ``.cat.codes`` copies them into a new column
    (70 MB for 17 M complaints, and a page fault per 4 KiB of it)."""
    codes: np.ndarray = series.array.codes
    return codes


def _table(categories: pd.Index, index: pd.Index, tables: _Tables | None, absent: int) -> np.ndarray:
    """The position in ``index`` of each category (``absent`` where it is not there), and a last entry -1: int32,
    kept in ``tables`` for the next column of the same categories. The positions themselves are kept too (under
    ``absent`` None), for a table of the same categories with another ``absent``: the contracts, the registry's
    names and the records' named companies look up one registry's 150,000 credit codes once, not three times."""

    def kept(absent: int | None) -> np.ndarray | None:
        held = tables.get((id(categories), id(index), absent)) if tables is not None else None
        return held[2] if held is not None and held[0] is categories and held[1] is index else None

    table = kept(absent)
    if table is not None:
        return table
    found = kept(None)
    if found is None:
        if categories.equals(index):  # the registry's own ids, in its order: each category is its own position
            found = np.arange(len(index))
        else:
            found = index.get_indexer(categories)
    table = np.append(np.where(found >= 0, found, absent), -1).astype(np.int32)
    if tables is not None:
        tables[(id(categories), id(index), None)] = (categories, index, found)
        tables[(id(categories), id(index), absent)] = (categories, index, table)
    return table


def _coded(values: Any, index: pd.Index, tables: _Tables, *, absent: int = -1) -> tuple[np.ndarray, np.ndarray | None]:
    """``_codes`` as (codes, table) for a compiled loop to look up itself (``table[codes]``): a categorical's own
    codes and its categories' table (no column of positions made), anything else its positions and None."""
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    if isinstance(series.dtype, pd.CategoricalDtype):
        return _category_codes(series), _table(series.cat.categories, index, tables, absent)
    return _codes(series, index, tables, absent=absent), None


def _bool(values: Any) -> np.ndarray:
    series = pd.Series(values)
    if series.dtype == bool:
        return series.to_numpy()
    return series.astype(object).where(series.notna(), False).astype(bool).to_numpy()


def _distinct(values: pd.Series, mask: np.ndarray) -> list[str]:
    """Distinct non-missing values where ``mask`` holds; categoricals via their codes (no per-row strings)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        used = np.flatnonzero(_sum_by(_category_codes(values), None, len(values.cat.categories), where=mask))
        return values.cat.categories[used].astype(str).tolist()
    return [str(v) for v in pd.unique(values[mask].dropna())]


def text_positions(values: pa.Array | pa.ChunkedArray, table: pa.Array) -> np.ndarray:
    """Position (int64) in ``table`` of each text, -1 where it is missing or not in it; looked up by Arrow, with no
    Python string per row."""
    return np.asarray(pc.index_in(values, value_set=table).fill_null(-1).to_numpy(zero_copy_only=False),
                      dtype=np.int64)


def _lookup(values: pd.Series, table: dict[str, float]) -> np.ndarray:
    """Per-row numbers from a code -> number table (0 for unknown or missing codes)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        per_category = np.array([table.get(str(c), 0.0) for c in values.cat.categories] + [0.0], dtype=float)
        return per_category[_category_codes(values)]  # code -1 (missing) takes the trailing 0
    return values.map(table).astype(float).fillna(0.0).to_numpy(dtype=float)


def _names(companies: pd.DataFrame, company_index: pd.Index, tables: _Tables | None = None) -> np.ndarray:
    """Each rated company's name: the first row naming its credit code, NaN where none does (by position,
    without building an index of the registry's codes)."""
    names = companies["name"]
    out = np.full(len(company_index), getattr(names.dtype, "na_value", np.nan), dtype=object)
    at = _codes(companies["credit_code"], company_index, tables)
    values = names.to_numpy(dtype=object)
    found = np.flatnonzero(at >= 0)
    positions, first = np.unique(at[found], return_index=True)  # each company's first row
    out[positions] = values[found[first]]
    return out


def _sum_by(codes: np.ndarray, weights: np.ndarray | None, size: int, where: np.ndarray | None = None) -> np.ndarray:
    """Per position in [0, size): the sum of ``weights`` (the count when None) over the rows of that code, leaving
    out codes < 0 and rows where ``where`` is False.

    A compiled loop (``kernels.sum_by``): the numbers of one ``np.bincount`` over the codes shifted by one (slot 0
    taking the rows left out), in one pass with no shifted copy of the codes: 0.026 s against 0.093 s for 17.4 M
    weighted rows, 0.023 s against 0.103 s for a masked count (``tests/scoring/test_engine_paths.py`` compares the
    two on random data).
    """
    return kernels.sum_by(codes, weights, size, where)


def _late_rate(late: np.ndarray, exposure: np.ndarray, rule: TimelinessRule) -> np.ndarray:
    """ZY-2026's ``l = per × L / (E + k)``: late complaints per ``per`` household-years, no county prior."""
    k, per, _curve = rule.figures
    base = exposure + k
    return np.divide(per * late, base, out=np.zeros(len(late)), where=base > 0)


def _late_count_allowed(rate: np.ndarray, exposure: np.ndarray, rule: TimelinessRule) -> np.ndarray:
    """The most late complaints whose ``l`` stays at or below ``rate`` (whole complaints only)."""
    k, per, _curve = rule.figures
    return np.maximum(np.floor(rate * (exposure + k) / per + 1e-9), 0.0)


# -- attribution ---------------------------------------------------------------------------------------

@dataclass
class _Contracts:
    # Sorted by (community, start): the contracts whose community and company are known and that have a start.
    community: np.ndarray  # community position
    company: np.ndarray  # company position
    start: np.ndarray  # day
    end: np.ndarray  # day; NO_DAY = ongoing
    # By community position (and one past the last): where the community's contracts begin in the rows above.
    offsets: np.ndarray
    # A row of four int32 per community position, and a last row that a community position of -1 picks: the company
    # of the community's only contract (-1: none, or several), the first and last day that contract covers (an
    # ongoing one: _NEVER; where there is no single contract the first day is _NEVER, which no record's day
    # reaches), and 1 when the community has several contracts (a takeover). Side by side, so that a record's look-up
    # reads one cache line.
    table: np.ndarray


_SHIFT = np.int64(1) << np.int64(24)  # days fit in 24 bits from 1970 to 47,000 AD
_NEVER = np.iinfo(np.int32).max  # a day after every day (in the int32 tables of _Contracts)
_THREADS = min(2, os.cpu_count() or 1)  # for steps that split in two and run without the interpreter lock


def in_threads(work: Callable[..., Any], *items: Iterable[Any]) -> list[Any]:
    """``list(map(work, *items))``, ``_THREADS`` items at a time (numpy's and Arrow's loops run without the
    interpreter lock); in the calling thread when one thread is all there is. Results in the items' order."""
    if _THREADS == 1:
        return list(map(work, *items))
    with ThreadPoolExecutor(max_workers=_THREADS, thread_name_prefix="scoring") as pool:
        return list(pool.map(work, *items))


def _prepare_contracts(contracts: pd.DataFrame, start: np.ndarray, end: np.ndarray, communities: pd.Index,
                       companies: pd.Index, tables: _Tables | None = None) -> _Contracts:
    """Contracts sorted for attribution; ``start``/``end`` are the rows' day numbers (computed once)."""
    community = _codes(contracts["community_id"], communities, tables)
    company = _codes(contracts["credit_code"], companies, tables)
    ok = (community >= 0) & (company >= 0) & (start != NO_DAY)
    community, company, start, end = community[ok], company[ok], start[ok], end[ok]
    order = np.argsort(community * _SHIFT + start, kind="stable")
    community, company, start, end = community[order], company[order], start[order], end[order]
    n = len(communities)
    per_community = np.bincount(community, minlength=n)
    single = np.flatnonzero(per_community == 1)
    first = np.searchsorted(community, single)  # sorted by community: each single contract's row
    # int32 tables (days of years up to 5 million fit): half the bytes gathered per record (17 M complaints:
    # 1.5 → 1.2 s), compared with a record's int64 day as numbers.
    table = np.zeros((n + 1, 4), dtype=np.int32)
    table[:, :3] = [-1, _NEVER, _NEVER]  # holder, first day, last day; no takeover
    table[single, 0] = company[first]
    table[single, 1] = start[first]
    table[single, 2] = np.where(end[first] == NO_DAY, _NEVER, end[first])
    table[:n, 3] = per_community > 1
    return _Contracts(community, company, start, end, np.searchsorted(community, np.arange(n + 1)), table)


def _attribute(named: np.ndarray, community: np.ndarray, day: np.ndarray, in_period: np.ndarray,
               contracts: _Contracts, *, named_table: np.ndarray | None = None,
               community_table: np.ndarray | None = None, with_community: bool = False,
               company: np.ndarray | None = None, how: np.ndarray | None = None
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """Company position per record where it is counted in P (else -1), company position per record (-1 =
    unattributed), how (0 named, 1 contract, 2 unattributed) and, with ``with_community``, each record's community
    position (else None).

    named: company position, -1 when the record names no company, -2 when it names one outside the set. Most
    communities have a single contract: their records are looked up in the contracts' table by community (the
    contract's company, first and last day); only communities with several contracts (takeovers) need a search
    among their own contracts (sorted by start: the last that starts on or before the day; the same as a binary
    search on (community, start) for days within 2**23 of 1970). One compiled pass over the records
    (``kernels.attribute``; numpy took seven passes, a binary search over all 459,000 contracts among them, and
    1.5 s for a nation's 30 M records, one kind at a time); a record of community -1 looks in the table's last
    row (no contract), and one without a day (NO_DAY) is before every contract's first day. ``named`` and
    ``community`` may be a categorical's codes with its table of positions (``_coded``), looked up in the loop.
    The company and how are written into ``company`` and ``how`` when given (the records frame's rows).
    """
    return kernels.attribute(named, community, day, in_period, contracts.table, contracts.offsets, contracts.start,
                             contracts.end, contracts.company, NO_DAY, named_table=named_table,
                             community_table=community_table, with_community=with_community, company=company,
                             how=how)


# -- the engine ------------------------------------------------------------------------------------------

def rate_companies(*, inputs: RatingInputs, period: Period, methodology: Methodology,
                   constants: Constants | None = None, with_evidence: bool = True) -> RatingResult:
    m = methodology
    start, end = _day(period.start), _day(period.end)
    as_of = end

    # Company universe: contracts overlapping P, and counted records naming a company.
    communities = inputs.communities
    community_index = pd.Index(communities["community_id"].astype(object).to_numpy())
    households = pd.to_numeric(communities["households"], errors="coerce").fillna(0).to_numpy(dtype=float)

    contract_start = _days(inputs.contracts["start_date"])
    contract_end = _days(inputs.contracts["end_date"])
    overlaps = (contract_start <= end) & ((contract_end == NO_DAY) | (contract_end >= start))
    codes: set[str] = set(_distinct(inputs.contracts["credit_code"], overlaps))
    frames = {kind: inputs.frame(kind) for kind in RECORD_KINDS}
    # The records frame's columns, every kind's rows one after another, filled kind by kind where each kind's values
    # are worked out (no concatenation at the end: 0.2 s and 400 MB of new pages at 30 M records).
    rows = _Rows([len(frames[kind]) for kind in RECORD_KINDS])

    def dated(kind: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """A kind's event days, whether each is counted in P, and the companies its counted records name."""
        day, in_period = kernels.event_days(_ticks(frames[kind][EVENT_DATE[kind]]), start, end, NO_DAY,
                                            in_period=rows.of(kind, rows.counted))
        return day, in_period, _distinct(frames[kind]["credit_code"], in_period)

    # Two kinds at a time, as the attribution below (numpy's loops run without the interpreter lock).
    event_days: dict[str, np.ndarray] = {}
    counted: dict[str, np.ndarray] = {}
    for kind, (day, in_period, named) in zip(RECORD_KINDS, in_threads(dated, RECORD_KINDS), strict=True):
        event_days[kind], counted[kind] = day, in_period
        codes.update(named)
    company_index = pd.Index(sorted(codes), dtype=object)
    n = len(company_index)
    tables: _Tables = {}  # positions of each categories' ids, shared by the contracts and every kind (``_codes``)
    contracts = _prepare_contracts(inputs.contracts, contract_start, contract_end, community_index, company_index,
                                   tables)

    # Exposure E_c: household-years of contracts within P.
    ov_start = np.maximum(contracts.start, start)
    ov_end = np.where(contracts.end == NO_DAY, end, np.minimum(contracts.end, end))
    overlap_days = np.clip(ov_end - ov_start + 1, 0, None).astype(float)
    # Whole household-days summed exactly, divided once: E must not depend on the order of the rows
    # (E = 100 is the provisional threshold).
    exposure = _sum_by(contracts.company, households[contracts.community] * overlap_days, n) / m.days_per_year

    # Attribution of every record of every kind.
    # Positions are kept as int32 (a nation has 150,000 companies): at 30 M records every int64 array kept to the
    # end is 240 MB, and on a machine that pays for every page it touches first, memory is time.
    def attribute(kind: str, day: np.ndarray, in_period: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
        """A kind's records (their event days, whether each is counted in P): the company position when counted
        in P (else -1), the company position regardless of P, how each was attributed, and for the inspections
        each record's community position."""
        frame = frames[kind]
        # A record naming a company outside the rated set (e.g. outside P) stays with that company. The ids' codes
        # are looked up in their tables inside the compiled loop.
        named, named_table = _coded(frame["credit_code"], company_index, tables, absent=-2)
        community, community_table = _coded(frame["community_id"], community_index, tables) \
            if "community_id" in frame else (np.full(len(frame), -1, dtype=np.int32), None)
        return _attribute(named, community, day, in_period, contracts, named_table=named_table,
                          community_table=community_table, with_community=kind == "inspections",
                          company=rows.of(kind, rows.company), how=rows.of(kind, rows.how))

    # Kinds are attributed two at a time (numpy's loops run without the interpreter lock): the inspections and
    # the complaints, nine records in ten, go side by side.
    attributed: dict[str, np.ndarray] = {}  # company position when counted in P, else -1
    made = in_threads(attribute, RECORD_KINDS, [event_days[k] for k in RECORD_KINDS],
                      [counted[k] for k in RECORD_KINDS])
    for kind, (in_period, _, _, community) in zip(RECORD_KINDS, made, strict=True):
        attributed[kind] = in_period
        if community is not None:
            insp_community = community
    del made, in_period, community

    # INSP.
    insp = frames["inspections"]
    insp_company = attributed["inspections"]
    # Defect points: the severity's, more when the rectification was late or missed (one compiled pass over the
    # dates as held).
    insp_points = kernels.inspection_points(_lookup(insp["severity"], m.inspections.severity_points),
                                            _ticks(insp["rectify_by"]), _ticks(insp["rectified_on"]), as_of, NO_DAY,
                                            m.inspections.overdue_multiplier, out=rows.of("inspections", rows.points))
    visit_key = kernels.visit_keys(insp_company, insp_community, event_days["inspections"], len(community_index) + 1,
                                   int(_SHIFT), start)
    # Distinct visits are counted in a thread while the complaints and fees are worked out here (the sort, most of
    # it, runs without the interpreter lock).
    counting = ThreadPoolExecutor(max_workers=1, thread_name_prefix="scoring")
    visits_of = counting.submit(_visits, visit_key, len(community_index) + 1, n)
    # Given back before the evidence and the records frame, which then reuse the memory (400 MB at 30 M records).
    del insp_community, visit_key
    defect_points = _sum_by(insp_company, insp_points, n)

    # COMPL.
    comp = frames["complaints"]
    comp_company = attributed["complaints"]
    substantiated = _bool(comp["substantiated"])
    # The complaints' points in the records frame (1 when substantiated), written in the counting thread.
    filled = counting.submit(np.copyto, rows.of("complaints", rows.points), substantiated)
    subst_count = _sum_by(comp_company, None, n, where=substantiated)
    with_exposure = exposure > 0
    if constants is None:
        total_exposure = exposure[with_exposure].sum()
        r0 = float(subst_count[with_exposure].sum() / total_exposure) if total_exposure > 0 else 0.0
        constants = Constants(r0=r0)
    k = m.complaints.credibility_households
    rate = m.complaints.rate_per_households * (subst_count + k * constants.r0) / (exposure + k) \
        if k > 0 else np.divide(m.complaints.rate_per_households * subst_count, exposure, out=np.zeros(n),
                                where=with_exposure)
    rate_score = pl(rate, m.complaints.rate_breakpoints)
    is_due, on_time, past_due = kernels.complaint_deadlines(
        comp_company, event_days["complaints"], _ticks(comp["due_on"]), _ticks(comp["resolved_on"]),
        m.complaints.default_due_days, as_of, NO_DAY)
    due_count = _sum_by(comp_company, None, n, where=is_due)
    on_time_count = _sum_by(comp_company, None, n, where=on_time)
    timeliness = np.divide(on_time_count, due_count, out=np.ones(n), where=due_count > 0)
    late_count = due_count - on_time_count
    timely = m.complaints.timeliness
    if timely.late_rate:
        # ZY-2026: late complaints per 1,000 household-years, no county prior (none late: l = 0).
        late_rate = _late_rate(late_count, exposure, timely)
        timeliness_score = pl(late_rate, timely.curve)
    else:
        late_rate = np.full(n, np.nan)
        timeliness_score = 100.0 * timeliness
    compl_assessed = with_exposure
    compl_score = round_half_up(m.complaints.rate_weight * rate_score + m.complaints.timeliness_weight
                                * timeliness_score, m.rounding.indicator_decimals)

    # FEE.
    fee = frames["fee_violations"]
    fee_company = attributed["fee_violations"]
    type_points = _lookup(fee["violation_type"], m.fees.type_points)
    amount = pd.to_numeric(fee["amount_yuan"], errors="coerce").fillna(0).to_numpy(dtype=float)
    amount_points = np.minimum(m.fees.amount_points_cap, np.floor(amount / m.fees.amount_step_yuan + 1e-9))
    refunded = _bool(fee["refunded"])
    fee_points_each = (type_points + amount_points) * np.where(refunded, m.fees.refund_factor, 1.0)
    fee_points = _sum_by(fee_company, fee_points_each, n)
    fee_score = round_half_up(pl(fee_points, m.fees.breakpoints), m.rounding.indicator_decimals)

    try:
        visits = visits_of.result()
        filled.result()
    finally:
        counting.shutdown()
    insp_assessed = visits > 0
    defect_rate = np.divide(defect_points, visits, out=np.zeros(n), where=insp_assessed)
    insp_score = round_half_up(pl(defect_rate, m.inspections.breakpoints), m.rounding.indicator_decimals)

    # Weights re-normalised over the assessed indicators (FEE is always assessed).
    w = m.weights
    raw_w = np.vstack([w["INSP"] * insp_assessed, w["COMPL"] * compl_assessed, np.full(n, w["FEE"])])
    total_w = raw_w.sum(axis=0)
    w_insp, w_compl, w_fee = raw_w / np.where(total_w > 0, total_w, 1.0)

    # Bonus.
    comm = frames["commendations"]
    level_points = _lookup(comm["level"], m.bonus.level_points)
    bonus = np.minimum(m.bonus.cap, _sum_by(attributed["commendations"], level_points, n))

    composite = w_insp * insp_score + w_compl * compl_score + w_fee * fee_score + bonus
    raw_score = np.clip(composite, 0.0, 100.0)
    score = round_half_up(raw_score, m.rounding.score_decimals)

    # Grades, veto, floor, provisional, lists.
    mins = np.array([b.min for b in m.bands])
    grades = np.array(m.grades, dtype=object)
    band_index = np.argmax(score[:, None] >= mins[None, :] - 1e-9, axis=1)
    fee_veto = fee["violation_type"].isin(list(m.veto.fee_types)).to_numpy()
    event_veto = frames["major_events"]["kind"].isin(list(m.veto.major_event_kinds)).to_numpy()
    veto = (_sum_by(fee_company, None, n, where=fee_veto)
            + _sum_by(attributed["major_events"], None, n, where=event_veto)) > 0
    grade_index = band_index.copy()
    veto_index = m.grades.index(m.veto.grade)
    grade_index[veto] = veto_index
    no_adverse = (defect_points == 0) & (subst_count == 0) & (fee_points == 0) & ~veto
    floor_index = m.grades.index(m.floor.grade)
    floor_applied = no_adverse & (grade_index > floor_index)
    grade_index[floor_applied] = floor_index
    grade = grades[grade_index]
    provisional = (exposure < m.provisional.exposure_below) & (visits < m.provisional.visits_below)
    red = np.isin(grade, list(m.lists.red.grades))
    if m.lists.red.exclude_provisional:
        red &= ~provisional
    black = np.isin(grade, list(m.lists.black.grades))
    if m.lists.black.exclude_provisional:
        black &= ~provisional

    # Points lost per reason code (composite points).
    lost = {
        "INSP": w_insp * (100.0 - insp_score),
        "COMPL_RATE": w_compl * m.complaints.rate_weight * (100.0 - rate_score),
        "COMPL_TIMELY": w_compl * m.complaints.timeliness_weight * (100.0 - timeliness_score),
        "FEE": w_fee * (100.0 - fee_score),
    }

    companies = pd.DataFrame({
        "credit_code": company_index.to_numpy(),
        "name": _names(inputs.companies, company_index, tables),
        "exposure": exposure,
        "visits": visits.astype(np.int64),
        "insp_points": defect_points,
        "insp_measure": np.where(insp_assessed, defect_rate, np.nan),
        "insp_score": np.where(insp_assessed, insp_score, np.nan),
        "insp_assessed": insp_assessed,
        "compl_substantiated": subst_count.astype(np.int64),
        "compl_rate": np.where(compl_assessed, rate, np.nan),
        "compl_rate_score": np.where(compl_assessed, rate_score, np.nan),
        "compl_due": due_count.astype(np.int64),
        "compl_on_time": on_time_count.astype(np.int64),
        "compl_timeliness": np.where(compl_assessed, timeliness, np.nan),
        "compl_timeliness_score": np.where(compl_assessed, timeliness_score, np.nan),
        "compl_late": late_count.astype(np.int64),
        "compl_late_rate": np.where(compl_assessed, late_rate, np.nan),
        "compl_score": np.where(compl_assessed, compl_score, np.nan),
        "compl_assessed": compl_assessed,
        "fee_points": fee_points,
        "fee_score": fee_score,
        "fee_assessed": np.ones(n, dtype=bool),
        "w_insp": w_insp,
        "w_compl": w_compl,
        "w_fee": w_fee,
        "bonus": bonus,
        "raw_score": raw_score,
        "score": score,
        "band_grade": grades[band_index],
        "grade": grade,
        "veto": veto,
        "floor_applied": floor_applied,
        "provisional": provisional,
        "red_list": red,
        "black_list": black,
        **{f"lost_{code}": lost[code] for code in REASON_CODES},
    }, copy=False)  # new arrays: not copied into blocks of like-typed columns (37 columns, 150,000 rows: 7 ms)
    companies["band_grade"] = companies["band_grade"].astype(object)
    companies["grade"] = companies["grade"].astype(object)

    reasons, shown = _shown_reasons(companies, m)
    if with_evidence:
        # The paths are worked out in the evidence's threads, beside its reasons (one thread would otherwise wait
        # for the other's last reason: 0.2 s of a nation's 30 M records).
        evidence, paths = _evidence(frames, attributed, company_index, m, shown, insp_points, fee_points_each,
                                    substantiated, is_due, on_time, past_due, fee_veto, event_veto, event_days,
                                    beside=lambda: _paths(companies, m, constants))
    else:
        evidence = pd.DataFrame(columns=_EVIDENCE_COLUMNS)
        paths = _paths(companies, m, constants)
    # What the scoring and the evidence needed is given back; the records frame's columns are filled already.
    del attributed, insp_company, comp_company, fee_company, event_days, is_due, on_time, past_due
    for kind, points in (("fee_violations", fee_points_each), ("commendations", level_points),
                         ("major_events", event_veto)):
        rows.of(kind, rows.points)[:] = points  # (the inspections' and complaints' are there already)
    records = _records_frame(frames, rows, company_index)
    return RatingResult(period, m.id, constants, companies, reasons, evidence, records, paths)


def _visits(key: np.ndarray, per_company: int, n: int) -> np.ndarray:
    """Distinct visits per company from their keys ((company · per_company + community + 1) · _SHIFT + day), sorted
    here in place: the first key of each run (a sort is twice as fast as a hash at 12 M)."""
    if not key.size:
        return np.zeros(n)
    key.sort()
    unique = key[np.r_[True, key[1:] != key[:-1]]]
    return np.bincount(unique // _SHIFT // np.int64(per_company), minlength=n).astype(float)


def _reasons(companies: pd.DataFrame, m: Methodology) -> pd.DataFrame:
    """Per company (in the frame's order: credit-code order), VETO first when vetoed, then at most N reason
    codes with points lost, largest first; ties judged on the value shown (to 1e-9), so float noise cannot
    reorder equal losses, then in the methodology's tie order. One sort of a company × code matrix."""
    return _shown_reasons(companies, m)[0]


def _shown_reasons(companies: pd.DataFrame, m: Methodology) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """``_reasons``, and per reason code (VETO too) whether each company shows it (by company position, and an
    extra last slot, False, that position -1 picks): what the evidence is built for."""
    n = len(companies)
    lost = np.column_stack([companies[f"lost_{c}"].to_numpy(dtype=float) for c in REASON_CODES]) \
        if n else np.zeros((0, len(REASON_CODES)))
    key = np.round(lost, 9)
    tie = np.array([m.explanation.tie_order.index(c) for c in REASON_CODES])
    order = np.lexsort((np.broadcast_to(tie, key.shape), -key), axis=1)  # per row: largest key, then tie order
    ranked_key = np.take_along_axis(key, order, axis=1)
    shown = (ranked_key > 0) & (np.arange(len(REASON_CODES)) < m.explanation.max_reasons)
    veto = companies["veto"].to_numpy(dtype=bool)
    # One column before the codes for VETO; rows then flatten in (company, VETO, rank) order.
    take = np.column_stack([veto, shown])
    reason = np.column_stack([np.full(n, len(REASON_CODES)), order])[take]
    points = np.column_stack([np.full(n, np.nan), np.take_along_axis(lost, order, axis=1)])[take]
    company = np.repeat(np.arange(n), take.sum(axis=1))
    starts = np.cumsum(take.sum(axis=1)) - take.sum(axis=1)
    flags = {name: np.zeros(n + 1, dtype=bool) for name in (*REASON_CODES, "VETO")}
    for j, name in enumerate(REASON_CODES):
        flags[name][:n] = (shown & (order == j)).any(axis=1)
    flags["VETO"][:n] = veto
    return pd.DataFrame({
        "credit_code": companies["credit_code"].iloc[company].reset_index(drop=True),
        "rank": (np.arange(company.size) - starts[company] + 1).astype(np.int64),
        "reason": pd.Series(np.array([*REASON_CODES, "VETO"], dtype=object)[reason], dtype=object, copy=False),
        "points_lost": points,
    }, copy=False), flags  # new arrays: pandas 3 would copy each (a numpy array's default)


class _Rows:
    """The records frame's columns for every kind's rows, one kind after another in ``RECORD_KINDS`` order, made
    empty at the start and filled kind by kind (``of``) by the steps that work the values out."""

    def __init__(self, sizes: list[int]) -> None:
        self.sizes = sizes
        self.bounds = np.r_[0, np.cumsum(sizes)].astype(np.int64)
        total = int(self.bounds[-1])
        self.company = np.empty(total, dtype=np.int32)  # company position regardless of P (-1 unattributed)
        self.how = np.empty(total, dtype=np.int8)  # 0 named, 1 contract, 2 unattributed
        self.counted = np.empty(total, dtype=bool)  # counted in P
        self.points = np.empty(total, dtype=float)

    def of(self, kind: str, column: np.ndarray) -> np.ndarray:
        """A kind's rows of one of the columns (a view, written in place)."""
        i = RECORD_KINDS.index(kind)
        return column[self.bounds[i]:self.bounds[i + 1]]


def _records_frame(frames: dict[str, pd.DataFrame], rows: _Rows, company_index: pd.Index) -> pd.DataFrame:
    """Every input record with the company responsible for it, how it was attributed, and its points.

    Categoricals keep this frame small at tens of millions of rows.
    """
    return pd.DataFrame({
        "kind": pd.Categorical.from_codes(np.repeat(np.arange(len(RECORD_KINDS), dtype=np.int8), rows.sizes),
                                          categories=RECORD_KINDS, validate=False),
        "record_id": pd.concat([frames[k]["record_id"] for k in RECORD_KINDS], ignore_index=True),
        "credit_code": pd.Categorical.from_codes(rows.company, categories=company_index, validate=False),
        "attribution": pd.Categorical.from_codes(rows.how, categories=["named", "contract", "unattributed"],
                                                 validate=False),
        "counted": rows.counted,
        "points": rows.points,
    }, copy=False)  # the columns were filled in place, kind by kind: nothing is copied


def _rank_in_runs(company: np.ndarray) -> np.ndarray:
    """1, 2, 3, … within each run of equal values (a company's rows are contiguous)."""
    if company.size == 0:
        return np.zeros(0, dtype=np.int64)
    new_run = np.r_[True, company[1:] != company[:-1]]
    run_start = np.maximum.accumulate(np.where(new_run, np.arange(company.size), 0))
    return (np.arange(company.size) - run_start + 1).astype(np.int64)


def _by_run_and_text(runs: np.ndarray, values: np.ndarray | pa.Array) -> np.ndarray:
    """The stable order of rows by run, then by ``str()`` of their value as numpy compares such texts (code point
    by code point, trailing NUL characters dropped); sorted by Arrow (a frame's sort of 400,000 ids took 0.8 s,
    Arrow's 0.05 s). UTF-8 bytes sort as the code points they encode."""
    if isinstance(values, pa.Array):
        texts = values.cast(pa.large_string())
    else:
        held = np.asarray(values, dtype=object)
        texts = pa.array(held if pd.api.types.infer_dtype(held, skipna=False) == "string" else held.astype(str),
                         pa.large_string())
    table = pa.table({"run": runs, "text": pc.utf8_rtrim(texts, characters="\x00")})
    return pc.sort_indices(table, sort_keys=[("run", "ascending"), ("text", "ascending")]).to_numpy()


def _top(company: np.ndarray, keys_desc: list[np.ndarray], record_ids: Callable[[np.ndarray], Any],
         limit: int) -> np.ndarray:
    """Row indices of up to ``limit`` rows per company, largest keys first, ties by record id.

    One compiled pass orders each company's rows by their one or two keys (``kernels.top_runs``: a counting sort by
    company, then a short insertion sort; in place of dense ranks packed into one int64 and an argsort, 0.5 s of a
    nation's five reasons one after another); record ids (strings, as Python objects or Arrow text) are compared
    only among the rows that tie at a company's cut-off. The engine hands it only the rows that can make the cut
    (``kernels.cut_survivors``).
    """
    if company.size == 0:
        return np.array([], dtype=np.int64)
    first, second = keys_desc if len(keys_desc) == 2 else (keys_desc[0], keys_desc[0])
    chosen, runs = kernels.top_runs(company, first, second, limit)
    # Only rows that tie on every key need their record ids compared; the rest keep the keys' order.
    run_sizes = np.bincount(runs)
    tied = np.flatnonzero(run_sizes[runs] > 1)
    if tied.size:  # tied is ascending (flatnonzero)
        chosen[tied] = chosen[tied[_by_run_and_text(runs[tied], record_ids(chosen[tied]))]]
    c = company[chosen]
    new_group = np.r_[True, c[1:] != c[:-1]]
    group_start = np.maximum.accumulate(np.where(new_group, np.arange(c.size), 0))
    return chosen[(np.arange(c.size) - group_start) < limit]


_EVIDENCE_COLUMNS = ["credit_code", "reason", "rank", "kind", "record_id", "event_date", "points", "detail"]
T = TypeVar("T")


def _evidence(frames: dict[str, pd.DataFrame], attributed: dict[str, np.ndarray], company_index: pd.Index,
              m: Methodology, shown: dict[str, np.ndarray], insp_points: np.ndarray, fee_points: np.ndarray,
              substantiated: np.ndarray, is_due: np.ndarray, on_time: np.ndarray, past_due: np.ndarray,
              fee_veto: np.ndarray, event_veto: np.ndarray, event_days: dict[str, np.ndarray],
              beside: Callable[[], T]) -> tuple[pd.DataFrame, T]:
    """The evidence frame (up to ``max_evidence`` records per company and shown reason), and what ``beside``
    returns: it is called in the same threads as the reasons' picks, after the largest of them. Evidence is built
    only for the reasons that are shown: ``shown`` gives per reason code the companies showing it
    (``_shown_reasons``)."""
    codes = company_index.to_numpy(dtype=object)
    limit = m.explanation.max_evidence
    alphabetical = {name: i for i, name in enumerate(sorted(("VETO", *REASON_CODES)))}

    arrow_ids = {kind: _arrow_ids(frames[kind]["record_id"]) for kind in RECORD_KINDS}  # once, not per reason

    def pick(kinds: list[tuple[str, np.ndarray, np.ndarray, np.ndarray]], reason: str,
             sort_by: list[str]) -> dict[str, np.ndarray] | None:
        """kinds: (kind, mask, points, detail); sort_by: any of points, day, detail (all descending).

        Works on index arrays; record ids (strings) are fetched only for tie-breaks and the chosen rows. The
        candidates are first cut, kind by kind, to the rows that can make their company's top ``limit`` by the keys
        alone (the ties at the cut kept for the record ids to decide): one compiled pass in place of dense ranks and
        a sort of every shown row (about 1.3 s of the five reasons' time at 30 M records, one at a time).
        """
        sources = []
        for kind, mask, points, detail in kinds:
            by = {"points": points, "day": event_days[kind], "detail": detail}
            keys = [np.asarray(by[name]) for name in sort_by]
            first, second = keys if len(keys) == 2 else (keys[0], keys[0])  # one or two keys
            rows = kernels.cut_survivors(attributed[kind], mask, shown[reason], first, second, limit)
            sources.append((kind, rows, points, detail))
        sizes = [rows.size for _, rows, _, _ in sources]
        total = sum(sizes)
        if total == 0:
            return None
        source = np.repeat(np.arange(len(sources), dtype=np.int8), sizes)
        row = sources[0][1] if len(sources) == 1 else np.concatenate([rows for _, rows, _, _ in sources])
        values = {
            "company": [attributed[k] for k, _, _, _ in sources],
            "day": [event_days[k] for k, _, _, _ in sources],
            "points": [np.asarray(p, dtype=float) for _, _, p, _ in sources],
            "detail": [np.asarray(d, dtype=float) for _, _, _, d in sources],
        }

        def column(name: str, positions: np.ndarray | None = None) -> np.ndarray:
            """A column's values for every candidate, or for the candidates at ``positions``: only the sort keys
            are gathered for all of them (at 30 M records, millions of rows)."""
            if positions is None:
                return np.concatenate([values[name][i][rows] for i, (_, rows, _, _) in enumerate(sources)])
            if len(sources) == 1:
                return values[name][0][row[positions]]
            out = np.empty(positions.size, dtype=values[name][0].dtype)
            for i in range(len(sources)):
                mine = source[positions] == i
                out[mine] = values[name][i][row[positions[mine]]]
            return out

        ids = [frames[k]["record_id"] for k, _, _, _ in sources]
        held = [arrow_ids[k] for k, _, _, _ in sources]

        def record_ids(positions: np.ndarray) -> np.ndarray | pa.Array:
            """The record ids at ``positions``: Arrow text when every source's ids are Arrow text with none
            missing (no Python string per row), else Python objects."""
            mine = [source[positions] == i for i in range(len(sources))]
            arrow = [column for column in held if column is not None]
            if len(arrow) == len(held):
                return _taken([column.take(row[positions[at]]) for column, at in zip(arrow, mine, strict=True)], mine)
            out = np.empty(positions.size, dtype=object)
            for series, at in zip(ids, mine, strict=True):
                if at.any():
                    out[at] = series.take(row[positions[at]]).to_numpy(dtype=object)
            return out

        candidates = column("company")
        chosen = _top(candidates, [column(k) for k in sort_by], record_ids, limit)
        company = candidates[chosen]
        del candidates
        return {
            "company": company,
            "reason": np.full(company.size, alphabetical[reason], dtype=np.int8),
            "rank": _rank_in_runs(company),
            # Python strings stay Python objects (pandas would copy them into Arrow strings, and every reader of
            # these columns, explanations_json first, turns them back): 1 s of 15 at 10 M records. Record ids that
            # come as Arrow text stay Arrow text.
            "kind": np.array([RECORD_KINDS.index(k) for k, _, _, _ in sources], dtype=np.int8)[source[chosen]],
            "record_id": record_ids(chosen),
            "day": column("day", chosen),
            "points": column("points", chosen),
            "detail": column("detail", chosen),
        }

    # Constant columns as read-only views of one value (only the chosen rows are ever gathered from them).
    nan_insp = np.broadcast_to(np.nan, len(insp_points))
    nan_fee = np.broadcast_to(np.nan, len(fee_points))
    ones = np.broadcast_to(1.0, len(substantiated))
    nan_comp = np.broadcast_to(np.nan, len(substantiated))
    n_events = len(frames["major_events"])
    picks: list[Callable[[], dict[str, np.ndarray] | None]] = [
        lambda: pick([("complaints", substantiated, ones, nan_comp)], "COMPL_RATE", ["day"]),
        lambda: pick([("inspections", insp_points > 0, insp_points, nan_insp)], "INSP", ["points", "day"]),
        lambda: pick([("complaints", is_due & ~on_time, ones, past_due)], "COMPL_TIMELY", ["detail"]),
        lambda: pick([("fee_violations", fee_points > 0, fee_points, nan_fee)], "FEE", ["points", "day"]),
        lambda: pick([("fee_violations", fee_veto, fee_points, nan_fee),
                      ("major_events", event_veto, np.zeros(n_events), np.full(n_events, np.nan))], "VETO",
                     ["day"]),
    ]
    # Two reasons at a time (their sorts and gathers run without the interpreter lock), the largest first and
    # ``beside`` after the three largest; the rows are put in order below, so the order the reasons finish in does
    # not matter.
    made = in_threads(lambda make: make(), [*picks[:3], beside, *picks[3:]])
    besides: T = made.pop(3)
    parts = [part for part in made if part is not None]
    if not parts:
        return pd.DataFrame(columns=_EVIDENCE_COLUMNS), besides

    def joined(name: str) -> np.ndarray:
        return np.concatenate([part[name] for part in parts])

    # Evidence is kept only for the reasons that are shown; matched on integer keys, not strings.
    # company positions follow credit-code order, and the reasons' numbers the codes' alphabetical order, so this is
    # the (credit_code, reason, rank) order. Each column is put in that order once, and the frame made at the end.
    rank, reason, company = joined("rank"), joined("reason"), joined("company")
    # Each part is in (company, rank) order already: a stable sort of the packed (company, reason) keys merges the
    # parts' runs (0.01 s where a lexsort of the three keys took 0.15 s at 2.5 M rows).
    order = np.argsort(company.astype(np.int64) * len(alphabetical) + reason, kind="stable")
    kind = joined("kind")[order]

    def python_texts() -> dict[str, pd.Series]:
        # Python strings (each row a reference, counted under the interpreter lock): the kinds are taken from
        # their few names by int8 code.
        return {"credit_code": pd.Series(codes[company[order]], dtype=object, copy=False),
                "kind": pd.Series(np.array(RECORD_KINDS, dtype=object)[kind], dtype=object, copy=False)}

    def other_columns() -> dict[str, Any]:
        # Arrow's takes and numpy's gathers, without the interpreter lock: made beside the Python strings.
        days = joined("day")[order]
        return {"reason": _text_column(sorted(alphabetical), reason[order]), "rank": rank[order],
                "record_id": _id_column([part["record_id"] for part in parts], order),
                "event_date": days.astype("datetime64[D]").astype("datetime64[s]"),  # NO_DAY is NaT's own integer
                "points": joined("points")[order], "detail": joined("detail")[order]}

    columns = {name: column for halves in in_threads(lambda make: make(), [python_texts, other_columns])
               for name, column in halves.items()}
    # Every column is new here: no copy, and no consolidation of the like-typed columns into one block (0.3 s).
    return pd.DataFrame({name: columns[name] for name in _EVIDENCE_COLUMNS}, copy=False), besides


def is_arrow_text(column: pd.Series) -> bool:
    """Whether a column holds Arrow text (pandas' ``str`` on pyarrow, or an Arrow string type)."""
    dtype = column.dtype
    if isinstance(dtype, pd.ArrowDtype):
        return pa.types.is_string(dtype.pyarrow_dtype) or pa.types.is_large_string(dtype.pyarrow_dtype)
    return isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"


def _arrow_ids(column: pd.Series) -> pa.ChunkedArray | None:
    """The column as Arrow text (no copy), when it is Arrow text with no value missing; else None."""
    if not is_arrow_text(column):
        return None
    held = pa.chunked_array(pa.array(column)).cast(pa.large_string())
    return held if held.null_count == 0 else None


def _taken(parts: list[pa.ChunkedArray], places: list[np.ndarray]) -> pa.Array:
    """One Arrow array whose rows at ``places[i]`` (a mask) are ``parts[i]``, in order."""
    if len(parts) == 1:
        return parts[0].combine_chunks()
    joined = pa.chunked_array([chunk for part in parts for chunk in part.chunks], pa.large_string())
    at = np.concatenate([np.flatnonzero(mask) for mask in places])
    inverse = np.empty(at.size, dtype=np.int64)
    inverse[at] = np.arange(at.size)
    return joined.take(pa.array(inverse)).combine_chunks()


def _id_column(parts: list[np.ndarray | pa.Array], order: np.ndarray) -> pd.Series:
    """The evidence's record ids from each reason's part, put in ``order``: pandas' ``str`` when every part is
    Arrow text, else Python objects."""
    if all(isinstance(part, pa.Array) for part in parts):
        return pd.Series(pa.concat_arrays(parts).take(pa.array(order)), dtype="str")
    held = [part.to_numpy(zero_copy_only=False) if isinstance(part, pa.Array) else part for part in parts]
    return pd.Series(np.concatenate(held)[order], dtype=object, copy=False)


_PATH_COLUMNS = ["credit_code", "next_grade", "gap", "component", "max_gain", "reachable", "target_subscore",
                 "target_measure", "target_count", "best_subscore", "combined", "combined_subscore",
                 "combined_measure", "combined_count"]


def _paths(companies: pd.DataFrame, m: Methodology, constants: Constants) -> pd.DataFrame:
    """§6 path to the next grade, per company and component (not for the top grade or a veto).

    "A perfect component" is the best the company can reach: for COMPL_RATE that is no substantiated
    complaint at all, whose rate is still k·R0/(E+k) per 1,000 household-years (the county prior), so
    its best sub-score can be below 100. For COMPL_RATE the path also gives the most substantiated
    complaints the company may have.

    Worked out over plain arrays, a company × component matrix per field, and made a frame once at the end: the
    rows come out of the matrices in (credit_code, component) order, with no sort, no text column filtered or
    mapped (a nation's 530,000 rows: 1.3 s of frame operations on text before, 2026-12-05).
    """
    grade_pos = {g: i for i, g in enumerate(m.grades)}
    position = companies["grade"].map(grade_pos).to_numpy()
    eligible = (position > 0) & ~companies["veto"].to_numpy()
    at = np.flatnonzero(eligible)  # companies is in credit-code order, and so are these positions
    if not at.size:
        return pd.DataFrame(columns=_PATH_COLUMNS)

    def column(name: str) -> np.ndarray:
        return companies[name].to_numpy()[at]

    step = position[at] - 1
    mins = {b.grade: b.min for b in m.bands}
    band_min = np.array([mins.get(g, np.nan) for g in m.grades], dtype=float)
    gap = round_half_up(band_min[step] - column("score"), m.rounding.score_decimals)
    rw, tw = m.complaints.rate_weight, m.complaints.timeliness_weight
    k, per = m.complaints.credibility_households, m.complaints.rate_per_households
    exposure = column("exposure")
    size = at.size
    best_rate = per * k * constants.r0 / (exposure + k) if k > 0 else np.zeros(size)
    hundred = np.full(size, 100.0)
    specs = {
        # component: (weight share, current sub-score, best reachable sub-score, assessed, sub-score -> measure)
        "INSP": (column("w_insp"), column("insp_score"), hundred, column("insp_assessed"),
                 lambda s: pl_inverse(s, m.inspections.breakpoints)),
        "COMPL_RATE": (column("w_compl") * rw, column("compl_rate_score"),
                       pl(best_rate, m.complaints.rate_breakpoints), column("compl_assessed"),
                       lambda s: pl_inverse(s, m.complaints.rate_breakpoints)),
        "COMPL_TIMELY": (column("w_compl") * tw, column("compl_timeliness_score"), hundred,
                         column("compl_assessed"), _timely_inverse(m)),
        "FEE": (column("w_fee"), column("fee_score"), hundred, column("fee_assessed"),
                lambda s: pl_inverse(s, m.fees.breakpoints)),
    }
    fields: dict[str, list[np.ndarray]] = {}
    for component in REASON_CODES:  # the matrices' columns in the codes' order: rows come out in that order
        weight, current, best, assessed, inverse = specs[component]
        now = np.nan_to_num(current, nan=100.0)
        max_gain = weight * np.maximum(best - now, 0.0)
        reachable = assessed & (max_gain + 1e-9 >= gap) & (weight > 0)
        target = np.where(reachable, now + gap / np.where(weight > 0, weight, 1.0), np.nan)
        measure = np.where(reachable, inverse(np.where(reachable, target, 0.0)), np.nan)
        if component == "COMPL_RATE":
            # r = per·(C + k·R0)/(E + k)  =>  C = r·(E + k)/per − k·R0, whole complaints only.
            count = np.floor(measure * (exposure + k) / per - k * constants.r0 + 1e-9)
            target_count = np.where(reachable, np.maximum(count, 0.0), np.nan)
        elif component == "COMPL_TIMELY" and m.complaints.timeliness.late_rate:
            # l = per·L/(E + k)  =>  L = l·(E + k)/per: the late complaints the target rate allows.
            target_count = np.where(reachable, _late_count_allowed(np.where(reachable, measure, 0.0), exposure,
                                                                   m.complaints.timeliness), np.nan)
        else:
            target_count = np.full(size, np.nan)
        for name, values in (("assessed", np.asarray(assessed, dtype=bool)), ("max_gain", max_gain),
                             ("reachable", reachable), ("target_subscore", target), ("target_measure", measure),
                             ("target_count", target_count), ("best_subscore", np.where(assessed, best, np.nan)),
                             ("now", now), ("weight", weight)):
            fields.setdefault(name, []).append(values)
    # One row per (company, assessed component), company by company, each company's components in code order.
    keep = np.column_stack(fields.pop("assessed")).ravel()
    rows = {name: np.column_stack(values).ravel()[keep] for name, values in fields.items()}
    pos = np.repeat(np.arange(size), len(REASON_CODES))[keep]  # the company, as its row in the eligible ones
    code = np.tile(np.arange(len(REASON_CODES)), size)[keep]  # the component, as its place in REASON_CODES
    combined, sub, combined_measure, combined_count = _combined(
        pos, code, rows["max_gain"], rows["weight"], rows["reachable"], gap[pos], rows["now"],
        rows["best_subscore"], exposure, m, constants)
    return pd.DataFrame({
        "credit_code": _text_column(companies["credit_code"], at[pos]),
        "next_grade": _text_column(m.grades, step[pos]),
        "gap": gap[pos],
        "component": _text_column(REASON_CODES, code),
        **{name: rows[name] for name in ("max_gain", "reachable", "target_subscore", "target_measure",
                                          "target_count", "best_subscore")},
        "combined": combined,
        "combined_subscore": sub,
        "combined_measure": combined_measure,
        "combined_count": combined_count,
    }, copy=False)  # new arrays, not copied again


def _text_column(values: Any, rows: np.ndarray) -> pd.Series:
    """``values[rows]`` as a text column (pandas' ``str``, as a frame makes of Python strings), taken in Arrow: no
    Python string per row."""
    return pd.Series(pa.array(values, pa.large_string()).take(pa.array(rows)), dtype="str")


def _timely_inverse(m: Methodology) -> Callable[[np.ndarray], np.ndarray]:
    """The timeliness part's sub-score back to its measure: the on-time share (ZY-2025) or the most late complaints
    per 1,000 household-years that still earn it (ZY-2026)."""
    rule = m.complaints.timeliness
    if rule.late_rate:
        return lambda s: pl_inverse(s, rule.curve)
    return lambda s: s / 100.0


def _combined(company: np.ndarray, code: np.ndarray, max_gain: np.ndarray, weight: np.ndarray,
              reachable: np.ndarray, gap: np.ndarray, now: np.ndarray, best: np.ndarray, exposure: np.ndarray,
              m: Methodology, constants: Constants) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The combined path (an addition to §6), for a company that no single component brings to the next grade.

    Greedy by the largest possible gain: components are taken in that order (ties in the reason codes' order),
    each taken one improved to its best reachable sub-score, until the gains close the gap; the last one taken
    needs only what is left. This names the fewest components that suffice. ``combined`` marks the rows of the
    combination and ``combined_*`` give their targets (sub-score, measure, and for COMPL_RATE the most
    substantiated complaints); none when even every component at its best falls short, or one alone suffices.

    One row per (company, component): ``company`` a position into ``exposure``, ``code`` the component's place in
    REASON_CODES; a company's rows in code order. Returns ``combined`` and the three ``combined_*`` columns.
    """
    rows = len(company)
    combined = np.zeros(rows, dtype=bool)
    sub = np.full(rows, np.nan)
    if rows:
        gain = np.asarray(max_gain, dtype=float)
        usable = np.asarray(weight, dtype=float) > 0
        frame = pd.DataFrame({"code": company, "gain": np.where(usable, gain, 0.0), "c": code,
                              "reachable": np.asarray(reachable, dtype=bool), "at": np.arange(rows)})
        per_company = frame.groupby("code", sort=False)
        single = per_company["reachable"].transform("any").to_numpy()
        total = per_company["gain"].transform("sum").to_numpy()
        gap = np.asarray(gap, dtype=float)
        wanted = ~single & (total + 1e-9 >= gap)
        if wanted.any():
            ordered = frame[wanted].sort_values(["code", "gain", "c"], ascending=[True, False, True], kind="stable")
            at = ordered["at"].to_numpy()
            running = ordered.groupby("code", sort=False)["gain"].cumsum().to_numpy()
            before = running - ordered["gain"].to_numpy()
            need = gap[at]
            taken = (before + 1e-9 < need) & (ordered["gain"].to_numpy() > 0)
            last = taken & (running + 1e-9 >= need)
            partial = now[at] + (need - before) / np.where(weight[at] > 0, weight[at], 1.0)
            combined[at[taken]] = True
            sub[at[taken]] = np.where(last, np.minimum(partial, best[at]), best[at])[taken]
    measure = np.full(rows, np.nan)
    count = np.full(rows, np.nan)
    inverses = {
        "INSP": lambda s: pl_inverse(s, m.inspections.breakpoints),
        "COMPL_RATE": lambda s: pl_inverse(s, m.complaints.rate_breakpoints),
        "COMPL_TIMELY": _timely_inverse(m),
        "FEE": lambda s: pl_inverse(s, m.fees.breakpoints),
    }
    for name, inverse in inverses.items():
        mine = combined & (code == REASON_CODES.index(name))
        if not mine.any():
            continue
        values = np.asarray(inverse(sub[mine]), dtype=float)
        measure[mine] = values
        if name == "COMPL_RATE":
            k, per = m.complaints.credibility_households, m.complaints.rate_per_households
            e = exposure[company[mine]]
            count[mine] = np.maximum(np.floor(values * (e + k) / per - k * constants.r0 + 1e-9), 0.0)
        elif name == "COMPL_TIMELY" and m.complaints.timeliness.late_rate:
            count[mine] = _late_count_allowed(values, exposure[company[mine]], m.complaints.timeliness)
    return combined, sub, measure, count
