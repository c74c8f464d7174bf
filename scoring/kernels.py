"""Compiled loops (numba) for the engine's steps that numpy can only do in many passes or by sorting.

The loops live in ``scoring._compiled``, imported on the first call (numba takes about 110 MiB of resident memory
and 0.3 s to import: a process of the service that never rates does not load it). ``tests/scoring/
test_engine_paths.py`` compares each with a numpy reference (``tests/scoring/engine_reference.py``) on random data.

Numba compiles a loop once per type signature, and an array's type includes whether it is read-only: pandas 3
hands out a frame's columns read-only (copy on write), the engine's own arrays are writeable. So every array goes
in as a read-only, contiguous view of the dtype the loop takes (``_view``; no copy where it already is that
dtype), and the loops a rating uses have one signature each, which ``load`` compiles or loads from the cache up
front. (Before, a read-only mask or code column made numba load or compile another version in the middle of a
rating.)
"""

from __future__ import annotations

from typing import Any

import numpy as np


def _view(values: Any, dtype: Any) -> np.ndarray:
    """``values`` as a contiguous array of ``dtype``, seen read-only (the loops write only arrays of their own)."""
    held = np.ascontiguousarray(values, dtype=dtype)
    view = held.view()
    view.flags.writeable = False
    return view


def _key(values: Any) -> np.ndarray:
    """A sort key as the loops take it: int64 (days) for integers, float64 (points, details) for anything else."""
    return _view(values, np.int64 if np.asarray(values).dtype.kind in "iu" else np.float64)


def cut_survivors(company: np.ndarray, mask: np.ndarray, shown: np.ndarray, first: np.ndarray, second: np.ndarray,
                  limit: int) -> np.ndarray:
    """Rows ``r`` (ascending, int64) with ``mask[r]`` and ``company[r] >= 0`` and ``shown[company[r]]`` whose key pair
    (``first[r]``, ``second[r]``) is not below the company's ``limit``-th best pair, largest first (NaN before every
    number): every row that can be among its company's top ``limit`` by the two keys, the ties at the cut included
    (every row of a company with fewer). Keys are int64 (days) or float64 (points, details)."""
    from scoring import _compiled

    out: np.ndarray = _compiled.cut_survivors(_view(company, np.int32), _view(mask, np.bool_),
                                              _view(shown, np.bool_), _key(first), _key(second), int(limit))
    return out


def top_runs(company: np.ndarray, first: np.ndarray, second: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions (int64) of each company's rows ordered by (``first``, ``second``), largest first (NaN before every
    number; equal pairs in position order), companies ascending, cut to the runs of equal pairs that start among
    the company's first ``limit`` rows; and each kept row's run number (rising from 1). Meant for the survivors of
    ``cut_survivors``: sorting a company's other rows can take their count squared."""
    from scoring import _compiled

    held = _view(company, np.int32)
    companies = int(held.max()) + 1 if held.size else 0
    if held.size and int(held.min()) < 0:
        raise ValueError("top_runs takes company positions >= 0")
    chosen, runs = _compiled.top_runs(held, _key(first), _key(second), int(limit), companies)
    return chosen, runs


_NO_WEIGHTS = np.zeros(0, dtype=np.float64)
_EVERY_ROW = np.zeros(0, dtype=np.bool_)


def sum_by(codes: np.ndarray, weights: np.ndarray | None, size: int, where: np.ndarray | None = None) -> np.ndarray:
    """Per position in [0, size): the sum (float64) of ``weights`` (the count when None) over the rows of that code,
    leaving out codes < 0 and rows where ``where`` is False; the numbers ``np.bincount`` gives, in one pass.
    Codes narrower than int32 are widened first (one compiled version for int32, one for int64)."""
    from scoring import _compiled

    held_codes = _view(codes, np.int64 if np.asarray(codes).dtype == np.int64 else np.int32)
    held = _view(_NO_WEIGHTS if weights is None else weights, np.float64)
    kept = _view(_EVERY_ROW if where is None else where, np.bool_)
    if (weights is not None and held.size != held_codes.size) or (where is not None and kept.size != held_codes.size):
        raise ValueError("codes, weights and where differ in length")
    out: np.ndarray = _compiled.sum_by(held_codes, held, kept, int(size))
    return out


def _out(out: np.ndarray | None, size: int, dtype: Any) -> np.ndarray:
    """Where a loop writes a result: ``out`` (a writeable contiguous array of that size and dtype, such as a slice
    of a larger array the caller fills kind by kind, which then needs no concatenation), or a new array."""
    if out is None:
        return np.empty(size, dtype=dtype)
    if out.shape != (size,) or out.dtype != dtype or not out.flags.c_contiguous or not out.flags.writeable:
        raise ValueError(f"out must be a writeable contiguous {np.dtype(dtype)} array of {size} rows")
    return out


def event_days(dates: tuple[np.ndarray, int], start: int, end: int, no_day: Any, *,
               in_period: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Each record's day number (int64, ``no_day`` where it has none) and whether it falls in [``start``, ``end``]
    (bool, written into ``in_period`` when given), in one pass over its dates as (int64 ticks, ticks a day)
    (``engine._ticks``)."""
    from scoring import _compiled

    ticks, per_day = dates
    held = _view(ticks, np.int64)
    flags = _out(in_period, held.size, np.bool_)
    day = _compiled.event_days(held, np.int64(per_day), np.int64(start), np.int64(end), np.int64(no_day), flags)
    return day, flags


def visit_keys(company: np.ndarray, community: np.ndarray, day: np.ndarray, per_company: int, shift: int,
               start: int) -> np.ndarray:
    """The visit key of each record with a company (``company`` >= 0), in record order (int64):
    ``(company · per_company + community + 1) · shift + day - start``."""
    from scoring import _compiled

    keys: np.ndarray = _compiled.visit_keys(_view(company, np.int32), _view(community, np.int32),
                                            _view(day, np.int64), np.int64(per_company), np.int64(shift),
                                            np.int64(start))
    return keys


def inspection_points(severity_points: np.ndarray, rectify_by: tuple[np.ndarray, int],
                      rectified_on: tuple[np.ndarray, int], as_of: int, no_day: Any, multiplier: float, *,
                      out: np.ndarray | None = None) -> np.ndarray:
    """Each inspection's defect points (float64, written into ``out`` when given): its severity's, times
    ``multiplier`` when it has points and its rectification was late or missed by ``as_of``. The dates come as
    (int64 ticks, ticks a day) (``engine._ticks``), turned into days inside the loop: one pass where numpy made ten
    over day arrays of its own."""
    from scoring import _compiled

    (by, per_by), (on, per_on) = rectify_by, rectified_on
    points = _view(severity_points, np.float64)
    written = _out(out, points.size, np.float64)
    _compiled.inspection_points(points, _view(by, np.int64), np.int64(per_by), _view(on, np.int64), np.int64(per_on),
                                np.int64(as_of), np.int64(no_day), float(multiplier), written)
    return written


def complaint_deadlines(company: np.ndarray, received: np.ndarray, due_on: tuple[np.ndarray, int],
                        resolved_on: tuple[np.ndarray, int], default_due_days: int, as_of: int, no_day: Any
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per complaint: whether it was due by ``as_of`` (its company known), whether it was resolved by its due day,
    and the days from its due day to its resolution or to ``as_of`` (float64); a complaint without a due day is due
    ``default_due_days`` after ``received`` (day numbers). Dates as in ``inspection_points``."""
    from scoring import _compiled

    (due, per_due), (resolved, per_resolved) = due_on, resolved_on
    is_due, on_time, past_due = _compiled.complaint_deadlines(
        _view(company, np.int32), _view(received, np.int64), _view(due, np.int64), np.int64(per_due),
        _view(resolved, np.int64), np.int64(per_resolved), np.int64(default_due_days), np.int64(as_of),
        np.int64(no_day))
    return is_due, on_time, past_due


_NO_TABLE = np.zeros(0, dtype=np.int32)


def attribute(named: np.ndarray, community: np.ndarray, day: np.ndarray, in_period: np.ndarray, table: np.ndarray,
              offsets: np.ndarray, contract_start: np.ndarray, contract_end: np.ndarray,
              contract_company: np.ndarray, no_day: Any, *, named_table: np.ndarray | None = None,
              community_table: np.ndarray | None = None, with_community: bool = False,
              company: np.ndarray | None = None, how: np.ndarray | None = None
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """Each record's company where it is counted in P (int32, else -1), its company (int32, -1 unattributed), how
    (int8: 0 named, 1 contract, 2 unattributed) and, with ``with_community``, its community position (int32;
    else None); see ``engine._attribute``. ``named`` and ``community`` are positions, or codes into
    ``named_table`` / ``community_table`` (a categorical's codes, int8 to int32, and its categories' positions with
    a trailing -1 for code -1), looked up inside the loop rather than gathered into a column of their own first.
    The company and how are written into ``company`` and ``how`` when given."""
    from scoring import _compiled

    if community_table is not None:  # the contracts' table by community code: one lookup a record, not two
        table = np.asarray(table)[np.asarray(community_table)]
    held = _view(named, np.int32)
    companies, ways = _out(company, held.size, np.int32), _out(how, held.size, np.int8)
    counted, places = _compiled.attribute(
        held, _view(_NO_TABLE if named_table is None else named_table, np.int32),
        _view(community, np.int32), _view(_NO_TABLE if community_table is None else community_table, np.int32),
        _view(day, np.int64), _view(in_period, np.bool_), _view(table, np.int32), _view(offsets, np.int64),
        _view(contract_start, np.int64), _view(contract_end, np.int64), _view(contract_company, np.int32),
        np.int64(no_day), bool(with_community), companies, ways)
    return counted, companies, ways, places if with_community else None


def load() -> None:
    """Import numba and load the loops' compiled code (from the cache on disk, or by compiling it) now rather than
    in the first rating: about 0.3 s to import and 0.4 s for a process's first compiled call. A worker does it at
    its start (``rating worker``). Every signature a rating uses: the evidence's three pairs of key types, codes of
    int32 and int64."""
    rows = np.zeros(1, dtype=np.int32)
    none = np.zeros(1, dtype=np.bool_)
    days = np.zeros(1, dtype=np.int64)
    points = np.zeros(1, dtype=np.float64)
    for first, second in ((days, days), (points, days), (points, points)):
        cut_survivors(rows, none, none, first, second, 1)
        top_runs(rows, first, second, 1)
    for codes in (rows, days):
        sum_by(codes, None, 1)
    event_days((days, 1), 0, 0, 0)
    visit_keys(rows, rows, days, 1, 1, 0)
    inspection_points(points, (days, 1), (days, 1), 0, 0, 1.0)
    complaint_deadlines(rows, days, (days, 1), (days, 1), 0, 0, 0)
    attribute(rows, rows, days, none, np.zeros((1, 4), dtype=np.int32), days, days, days, rows, 0,
              named_table=rows, community_table=rows, with_community=True)
