"""Compiled loops (numba) for the engine's steps that numpy can only do in many passes or by sorting.

The loops live in ``scoring._compiled``, imported on the first call (numba takes about 110 MiB of resident memory
and 0.3 s to import: a process of the service that never rates does not load it). ``tests/scoring/
test_engine_paths.py`` compares each with a numpy reference (``tests/scoring/engine_reference.py``) on random data.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def cut_survivors(company: np.ndarray, mask: np.ndarray, shown: np.ndarray, first: np.ndarray, second: np.ndarray,
                  limit: int) -> np.ndarray:
    """Rows ``r`` (ascending, int64) with ``mask[r]`` and ``company[r] >= 0`` and ``shown[company[r]]`` whose key pair
    (``first[r]``, ``second[r]``) is not below the company's ``limit``-th best pair, largest first (NaN before every
    number): every row that can be among its company's top ``limit`` by the two keys, the ties at the cut included
    (every row of a company with fewer)."""
    from scoring import _compiled

    out: np.ndarray = _compiled.cut_survivors(company, mask, shown, first, second, limit)
    return out


_NO_WEIGHTS = np.zeros(0, dtype=np.float64)
_EVERY_ROW = np.zeros(0, dtype=np.bool_)


def sum_by(codes: np.ndarray, weights: np.ndarray | None, size: int, where: np.ndarray | None = None) -> np.ndarray:
    """Per position in [0, size): the sum (float64) of ``weights`` (the count when None) over the rows of that code,
    leaving out codes < 0 and rows where ``where`` is False; the numbers ``np.bincount`` gives, in one pass.
    Codes narrower than int32 are widened first (one compiled version for int32, one for int64)."""
    from scoring import _compiled

    codes = np.asarray(codes)
    if codes.dtype != np.int64:
        codes = codes.astype(np.int32, copy=False)
    held = _NO_WEIGHTS if weights is None else np.asarray(weights, dtype=np.float64)
    kept = _EVERY_ROW if where is None else np.asarray(where, dtype=np.bool_)
    if (weights is not None and held.size != codes.size) or (where is not None and kept.size != codes.size):
        raise ValueError("codes, weights and where differ in length")
    out: np.ndarray = _compiled.sum_by(codes, held, kept, int(size))
    return out


def _int64s(values: np.ndarray) -> np.ndarray:
    """Contiguous and writeable int64 (a date column's ticks may be a read-only view of what Arrow holds): one
    compiled version of each loop."""
    held = np.ascontiguousarray(values, dtype=np.int64)
    return held if held.flags.writeable else held.copy()


def inspection_points(severity_points: np.ndarray, rectify_by: tuple[np.ndarray, int],
                      rectified_on: tuple[np.ndarray, int], as_of: int, no_day: Any, multiplier: float) -> np.ndarray:
    """Each inspection's defect points (float64): its severity's, times ``multiplier`` when it has points and its
    rectification was late or missed by ``as_of``. The dates come as (int64 ticks, ticks a day) (``engine._ticks``),
    turned into days inside the loop: one pass where numpy made ten over day arrays of its own."""
    from scoring import _compiled

    (by, per_by), (on, per_on) = rectify_by, rectified_on
    out: np.ndarray = _compiled.inspection_points(np.ascontiguousarray(severity_points, dtype=np.float64),
                                                  _int64s(by), np.int64(per_by), _int64s(on), np.int64(per_on),
                                                  np.int64(as_of), np.int64(no_day), float(multiplier))
    return out


def complaint_deadlines(company: np.ndarray, received: np.ndarray, due_on: tuple[np.ndarray, int],
                        resolved_on: tuple[np.ndarray, int], default_due_days: int, as_of: int, no_day: Any
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per complaint: whether it was due by ``as_of`` (its company known), whether it was resolved by its due day,
    and the days from its due day to its resolution or to ``as_of`` (float64); a complaint without a due day is due
    ``default_due_days`` after ``received`` (day numbers). Dates as in ``inspection_points``."""
    from scoring import _compiled

    (due, per_due), (resolved, per_resolved) = due_on, resolved_on
    is_due, on_time, past_due = _compiled.complaint_deadlines(
        np.ascontiguousarray(company, dtype=np.int32), _int64s(received), _int64s(due), np.int64(per_due),
        _int64s(resolved), np.int64(per_resolved), np.int64(default_due_days), np.int64(as_of), np.int64(no_day))
    return is_due, on_time, past_due


_NO_TABLE = np.zeros(0, dtype=np.int32)


def attribute(named: np.ndarray, community: np.ndarray, day: np.ndarray, in_period: np.ndarray, table: np.ndarray,
              offsets: np.ndarray, contract_start: np.ndarray, contract_end: np.ndarray,
              contract_company: np.ndarray, no_day: Any, *, named_table: np.ndarray | None = None,
              community_table: np.ndarray | None = None, with_community: bool = False
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """Each record's company where it is counted in P (int32, else -1), its company (int32, -1 unattributed), how
    (int8: 0 named, 1 contract, 2 unattributed) and, with ``with_community``, its community position (int32;
    else None); see ``engine._attribute``. ``named`` and ``community`` are positions, or codes into
    ``named_table`` / ``community_table`` (a categorical's codes and its categories' positions with a trailing -1
    for code -1), looked up inside the loop rather than gathered into a column of their own first."""
    from scoring import _compiled

    counted, company, how, places = _compiled.attribute(
        _int32s(named), _NO_TABLE if named_table is None else _int32s(named_table), _int32s(community),
        _NO_TABLE if community_table is None else _int32s(community_table), day, in_period, table, offsets,
        contract_start, contract_end, contract_company, no_day, bool(with_community))
    return counted, company, how, places if with_community else None


def _int32s(values: np.ndarray) -> np.ndarray:
    """Contiguous int32 (categorical codes come as int8 or int16 for few categories): one compiled version."""
    return np.ascontiguousarray(values, dtype=np.int32)


def load() -> None:
    """Import numba and load the loops' compiled code (from the cache on disk, or by compiling it) now rather than
    in the first rating: about 0.3 s to import and 0.4 s for a process's first compiled call. A worker does it at
    its start (``rating worker``)."""
    rows = np.zeros(1, dtype=np.int32)
    none = np.zeros(1, dtype=np.bool_)
    days = np.zeros(1, dtype=np.int64)
    cut_survivors(rows, none, none, days, days, 1)
    for codes in (rows, days):
        sum_by(codes, None, 1)
    inspection_points(np.zeros(1), (days, 1), (days, 1), 0, 0, 1.0)
    complaint_deadlines(rows, days, (days, 1), (days, 1), 0, 0, 0)
    attribute(rows, rows, days, none, np.zeros((1, 4), dtype=np.int32), days, days, days, rows, np.int64(0),
              named_table=rows, community_table=rows, with_community=True)
