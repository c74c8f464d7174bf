"""The compiled loops of ``scoring.kernels`` (numba), imported by it on the first call: importing numba costs a
process about 110 MiB of resident memory, which a process that never rates (an import, the web server) need not
pay.

Each is a plain loop over the records, compiled once per type signature and cached on disk next to this file
(``cache=True``), run without the interpreter lock (``nogil=True``) so the engine's threads run them side by side.
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(inline="always")
def _above(a, b):
    """Whether ``a`` ranks strictly before ``b``, largest first, NaN before every number (as a sort of the distinct
    values ranks it: ``np.unique`` puts NaN last of the ascending values)."""
    if a != a:
        return b == b
    if b != b:
        return False
    return a > b


@numba.njit(inline="always")
def _pair_above(a1, a2, b1, b2):
    if _above(a1, b1):
        return True
    if _above(b1, a1):
        return False
    return _above(a2, b2)


@numba.njit(inline="always")
def _candidate(c, masked, shown):
    return c >= 0 and masked and shown[c]


@numba.njit(nogil=True, cache=True)
def cut_survivors(company, mask, shown, first, second, limit):
    """Rows ``r`` (ascending) with ``mask[r]`` and ``company[r] >= 0`` and ``shown[company[r]]`` whose key pair
    (``first[r]``, ``second[r]``) is not below the company's ``limit``-th best pair, largest first: every row that
    can be among its company's top ``limit`` by the two keys, the ties at the cut included (every row of a company
    with fewer). One pass keeps each company's ``limit`` best pairs so far in a small sorted buffer and lists the
    rows not below its cut when they come (the cut only rises, so a row below it then is below it at the end: a
    few rows a company are listed, not every candidate); the list is then cut by the final buffers."""
    n = shown.size
    best1 = np.empty((n, limit), dtype=first.dtype)
    best2 = np.empty((n, limit), dtype=second.dtype)
    count = np.zeros(n, dtype=np.int32)
    listed = np.empty(company.size, dtype=np.int64)  # only the pages written are ever touched
    size = 0
    for r in range(company.size):
        c = company[r]
        if not _candidate(c, mask[r], shown):
            continue
        a1 = first[r]
        a2 = second[r]
        k = count[c]
        if k == limit:
            if _pair_above(best1[c, limit - 1], best2[c, limit - 1], a1, a2):
                continue  # below the cut
            listed[size] = r
            size += 1
            if not _pair_above(a1, a2, best1[c, limit - 1], best2[c, limit - 1]):
                continue  # tied with the cut: listed, the buffer as it is
            k -= 1
        else:
            listed[size] = r
            size += 1
            count[c] = k + 1
        # Insertion: shift down the pairs that rank below the new one (a tie stays above it).
        while k > 0 and _pair_above(a1, a2, best1[c, k - 1], best2[c, k - 1]):
            best1[c, k] = best1[c, k - 1]
            best2[c, k] = best2[c, k - 1]
            k -= 1
        best1[c, k] = a1
        best2[c, k] = a2
    out = np.empty(size, dtype=np.int64)
    kept = 0
    for i in range(size):
        r = listed[i]
        c = company[r]
        if count[c] == limit and _pair_above(best1[c, limit - 1], best2[c, limit - 1], first[r], second[r]):
            continue
        out[kept] = r
        kept += 1
    return out[:kept].copy()


@numba.njit(nogil=True, cache=True)
def top_runs(company, first, second, limit, companies):
    """The rows of each company (``company`` in [0, ``companies``)) ordered by their key pair, largest first (NaN
    before every number; equal pairs in row order), cut to the runs of equal pairs that start among the company's
    first ``limit`` rows. Returns those rows and each one's run (numbered from 1, rising through the companies in
    order).

    A counting sort by company, then an insertion sort of each company's rows: a row moves past the rows that rank
    below it only, so the survivors of ``cut_survivors`` (at most ``limit`` - 1 rows above the cut, the rest tied at
    it) are sorted in about ``limit`` steps a row; rows that are not survivors can take a company's row count
    squared."""
    size = company.size
    starts = np.zeros(companies + 1, dtype=np.int64)
    for i in range(size):
        starts[company[i] + 1] += 1
    for c in range(companies):
        starts[c + 1] += starts[c]
    fill = starts.copy()
    order = np.empty(size, dtype=np.int64)
    for i in range(size):
        c = company[i]
        order[fill[c]] = i
        fill[c] += 1
    chosen = np.empty(size, dtype=np.int64)
    runs = np.empty(size, dtype=np.int64)
    kept = 0
    run = 0
    for c in range(companies):
        low, high = starts[c], starts[c + 1]
        for j in range(low + 1, high):
            x = order[j]
            k = j
            while k > low and _pair_above(first[x], second[x], first[order[k - 1]], second[order[k - 1]]):
                order[k] = order[k - 1]
                k -= 1
            order[k] = x
        keep = False
        for j in range(low, high):
            x = order[j]
            if j == low or _pair_above(first[order[j - 1]], second[order[j - 1]], first[x], second[x]):
                run += 1  # a new run of equal pairs
                keep = j - low < limit
            if keep:
                chosen[kept] = x
                runs[kept] = run
                kept += 1
    return chosen[:kept].copy(), runs[:kept].copy()


@numba.njit(nogil=True, cache=True)
def sum_by(codes, weights, where, size):
    """Per position in [0, size): the sum of ``weights`` (the count when ``weights`` is empty) over the rows of that
    code, leaving out codes < 0 and rows where ``where`` is False (every row kept when ``where`` is empty).

    As ``np.bincount`` of the codes shifted by one, slot 0 taking the rows left out, in one pass and without the
    shifted copy: each position adds the same rows in the same order, so the sums are the same numbers. The slot is
    computed rather than branched on (a kept row is as likely as not on a mask)."""
    out = np.zeros(size + 1, dtype=np.float64)
    if weights.size > 0:
        if where.size > 0:
            for r in range(codes.size):
                out[max(codes[r] + 1, 0) * where[r]] += weights[r]
        else:
            for r in range(codes.size):
                out[max(codes[r] + 1, 0)] += weights[r]
    elif where.size > 0:
        for r in range(codes.size):
            out[max(codes[r] + 1, 0) * where[r]] += 1.0
    else:
        for r in range(codes.size):
            out[max(codes[r] + 1, 0)] += 1.0
    return out[1:]


@numba.njit(inline="always")
def _day(ticks, per_day, no_day):
    """The day number (floor division) of a date held as ``per_day`` ticks a day; ``no_day`` stays itself."""
    if ticks == no_day or per_day == 1:
        return ticks
    if per_day == 86_400:  # seconds, the usual unit: a constant divisor, no division instruction
        return ticks // 86_400
    return ticks // per_day


@numba.njit(nogil=True, cache=True)
def event_days(ticks, per_day, start, end, no_day, in_period):
    """Each record's day number (``no_day`` where it has none), and whether it falls in [start, end] written into
    ``in_period``."""
    size = ticks.size
    day = np.empty(size, dtype=np.int64)
    for r in range(size):
        d = _day(ticks[r], per_day, no_day)
        day[r] = d
        in_period[r] = d != no_day and start <= d and d <= end
    return day


@numba.njit(nogil=True, cache=True)
def visit_keys(company, community, day, per_company, shift, start):
    """A key per record with a company (``company`` >= 0): ((company · per_company + community + 1) · shift + day
    - start), in record order."""
    size = 0
    for r in range(company.size):
        size += company[r] >= 0
    keys = np.empty(size, dtype=np.int64)
    k = 0
    for r in range(company.size):
        c = company[r]
        if c >= 0:
            keys[k] = (np.int64(c) * per_company + community[r] + 1) * shift + (day[r] - start)
            k += 1
    return keys


@numba.njit(nogil=True, cache=True)
def inspection_points(severity_points, rectify_by, per_by, rectified_on, per_on, as_of, no_day, multiplier, out):
    """Each inspection's defect points, written into ``out``: its severity's, times ``multiplier`` when it has
    points and its rectification was late (done after the deadline) or missed (not done, the deadline before
    ``as_of``)."""
    for r in range(severity_points.size):
        by = _day(rectify_by[r], per_by, no_day)
        on = _day(rectified_on[r], per_on, no_day)
        points = severity_points[r]
        late = by != no_day and on != no_day and on > by
        missed = by != no_day and on == no_day and by < as_of
        out[r] = points * multiplier if (late or missed) and points > 0 else points * 1.0


@numba.njit(nogil=True, cache=True)
def complaint_deadlines(company, received, due_on, per_due, resolved_on, per_resolved, default_due_days, as_of,
                        no_day):
    """Per complaint: whether it was due by ``as_of`` (its company known), whether it was resolved on time, and
    the days from its due day to its resolution (or to ``as_of``), as float64. A complaint without a due day is
    due ``default_due_days`` after it was received."""
    size = company.size
    is_due = np.empty(size, dtype=np.bool_)
    on_time = np.empty(size, dtype=np.bool_)
    past_due = np.empty(size, dtype=np.float64)
    for r in range(size):
        due = _day(due_on[r], per_due, no_day)
        if due == no_day:
            due = received[r] + default_due_days
        resolved = _day(resolved_on[r], per_resolved, no_day)
        due_now = company[r] >= 0 and due <= as_of
        is_due[r] = due_now
        on_time[r] = due_now and resolved != no_day and resolved <= due
        past_due[r] = (as_of if resolved == no_day else resolved) - due
    return is_due, on_time, past_due


@numba.njit(nogil=True, cache=True)
def attribute(named, named_table, community, community_table, day, in_period, table, offsets, contract_start,
              contract_end, contract_company, no_day, with_community, company, how):
    """``engine._attribute`` in one pass, and the company only where the record is counted in P.

    Per record: the named company (``named`` >= 0; -2, named outside the rated set, stays unattributed but counts
    as named), else the community's single contract holder when the day falls in that contract, else for a
    community with several contracts (rows ``offsets[c]`` to ``offsets[c + 1]`` of the contracts, sorted by start)
    the last one to start on or before the day, if it has not ended before it. ``table`` has a row per community
    position and a last one for -1 (no community): the single contract's holder, first and last day (or
    never-reached days), and whether there are several contracts. ``named`` and ``community`` are codes into
    ``named_table`` and ``community_table`` (a categorical's codes into its categories' positions, -1 picking the
    tables' last entry, -1), or the positions themselves where a table is empty; with a ``community_table``,
    ``table`` has a row per community code instead (``table[community_table]``: one lookup a record, not two in a
    row). Writes each record's company position into ``company`` and how it was attributed (0 named, 1 contract,
    2 unattributed) into ``how``; returns the company position where ``in_period`` holds (else -1), and when
    ``with_community`` each record's community position (else an empty array)."""
    size = named.size
    counted = np.empty(size, dtype=np.int32)
    places = np.empty(size if with_community else 0, dtype=np.int32)
    contracts = contract_start.size
    by_name = named_table.size > 0
    by_community = community_table.size > 0
    for r in range(size):
        nm = named_table[named[r]] if by_name else named[r]
        cm = community[r]  # the row of ``table``: a code or a position
        if with_community:
            places[r] = community_table[cm] if by_community else cm
        c = -1
        h = 2
        if nm != -1:
            h = 0
            if nm >= 0:
                c = nm
        elif contracts > 0:
            # cm of -1 picks the table's last row (no contract)
            d = day[r]
            if table[cm, 1] <= d and d <= table[cm, 2]:
                c = table[cm, 0]
                h = 1
            if table[cm, 3] != 0 and d != no_day:
                at = community_table[cm] if by_community else cm
                first = offsets[at]
                i = offsets[at + 1] - 1
                while i >= first and contract_start[i] > d:
                    i -= 1
                if i >= first and (contract_end[i] == no_day or contract_end[i] >= d):
                    c = contract_company[i]
                    h = 1
        company[r] = c
        how[r] = h
        counted[r] = c if in_period[r] else -1
    return counted, places

