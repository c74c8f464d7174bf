"""Reference implementations of engine steps that have a faster path in ``scoring/engine.py``; only the
tests use them (tests/scoring/test_engine_paths.py compares both on random data)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring import engine
from scoring.engine import Constants
from scoring.methodology import REASON_CODES, Methodology
from scoring.piecewise import pl, pl_inverse, round_half_up


def reasons(companies: pd.DataFrame, m: Methodology) -> pd.DataFrame:
    """The reasons as a long frame sorted by pandas (the engine's first implementation)."""
    order = {code: i for i, code in enumerate(m.explanation.tie_order)}
    long = companies.melt(id_vars=["credit_code"], value_vars=[f"lost_{c}" for c in REASON_CODES],
                          var_name="reason", value_name="points_lost")
    long["reason"] = long["reason"].str.removeprefix("lost_").astype(object)
    long["_key"] = np.round(long["points_lost"].to_numpy(dtype=float), 9)
    long = long[long["_key"] > 0]
    long["_tie"] = long["reason"].map(order)
    long = long.sort_values(["credit_code", "_key", "_tie"], ascending=[True, False, True], kind="stable")
    long = long.groupby("credit_code", sort=False).head(m.explanation.max_reasons)
    vetoed = companies.loc[companies["veto"], ["credit_code"]].assign(reason="VETO", points_lost=np.nan)
    out = pd.concat([vetoed, long[["credit_code", "reason", "points_lost"]]], ignore_index=True)
    out["_first"] = (out["reason"] != "VETO").astype(int)
    out = out.sort_values(["credit_code", "_first"], kind="stable").drop(columns="_first")
    out["rank"] = out.groupby("credit_code", sort=False).cumcount() + 1
    return out[["credit_code", "rank", "reason", "points_lost"]].reset_index(drop=True)


def days(values: object) -> np.ndarray:
    """Day numbers through ``pd.to_datetime`` for every input (the engine now casts datetime64 directly)."""
    series = pd.Series(values)
    if len(series) == 0:
        return np.array([], dtype=np.int64)
    converted = pd.to_datetime(series, errors="coerce")
    out = converted.to_numpy(dtype="datetime64[D]").astype(np.int64)
    out[converted.isna().to_numpy()] = np.iinfo(np.int64).min
    return out


def names(companies: pd.DataFrame, company_index: pd.Index) -> np.ndarray:
    """Names by an index of the companies' credit codes (the engine now goes by position)."""
    by_code = companies.drop_duplicates("credit_code").set_index("credit_code")["name"]
    return by_code.reindex(company_index).to_numpy(dtype=object)


def survivors(company: np.ndarray, mask: np.ndarray, shown: np.ndarray, first: np.ndarray, second: np.ndarray,
              limit: int) -> np.ndarray:
    """``kernels.cut_survivors`` company by company: the candidates' key pairs as dense ranks (a sort of the
    distinct values, NaN first), sorted; the ``limit``-th best pair the threshold."""
    candidate = mask & (company >= 0)
    candidate[candidate] = shown[company[candidate]]
    rows = np.flatnonzero(candidate)
    keep = np.zeros(len(company), dtype=bool)
    if not rows.size:
        return rows
    r1, r2 = dense_desc(first[rows])[0], dense_desc(second[rows])[0]
    for c in np.unique(company[rows]):
        mine = company[rows] == c
        pairs = sorted(zip(r1[mine].tolist(), r2[mine].tolist(), strict=True))
        cut = pairs[limit - 1] if len(pairs) >= limit else pairs[-1]
        keep[rows[mine]] = [(a, b) <= cut for a, b in zip(r1[mine].tolist(), r2[mine].tolist(), strict=True)]
    return np.flatnonzero(keep)


def attribute(named: np.ndarray, community: np.ndarray, day: np.ndarray, in_period: np.ndarray,
              contracts: engine._Contracts) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``engine._attribute`` over whole numpy columns (the engine before 2026-12-05): the single-contract tables
    for every record, then a binary search (``np.searchsorted``) over every contract's (community, start) for the
    records of communities with several."""
    no_day = engine.NO_DAY
    holder, first_day, last_day, takeover = (contracts.table[:, i] for i in range(4))
    key = contracts.community * engine._SHIFT + contracts.start  # sorted
    company = np.where(named >= 0, named, -1)
    how = np.where(named != -1, np.int8(0), np.int8(2))
    names_none = named == -1
    if key.size and names_none.any():
        valid = (first_day[community] <= day) & (day <= last_day[community]) & names_none
        company[valid] = holder[community[valid]]
        how[valid] = 1
        many = np.flatnonzero((takeover[community] != 0) & names_none & (day != no_day))
        if many.size:
            comm = community[many]
            rec_day = day[many]
            idx = np.searchsorted(key, comm * engine._SHIFT + rec_day, side="right") - 1
            idx_safe = np.clip(idx, 0, key.size - 1)
            end_many = contracts.end[idx_safe]
            ok = (idx >= 0) & (contracts.community[idx_safe] == comm) & (contracts.start[idx_safe] <= rec_day) \
                & ((end_many == no_day) | (end_many >= rec_day))
            company[many[ok]] = contracts.company[idx_safe[ok]]
            how[many[ok]] = 1
    return np.where(in_period, company, -1).astype(np.int32), company.astype(np.int32), how


def dense_desc(values: np.ndarray) -> tuple[np.ndarray, int]:
    """Dense ranks, the largest value first, by a sort of the distinct values."""
    uniques, inverse = np.unique(values, return_inverse=True)
    return (len(uniques) - 1 - inverse).astype(np.int64), len(uniques)


def top(company: np.ndarray, keys_desc: list[np.ndarray], record_ids: list[str], limit: int) -> np.ndarray:
    """``engine._top`` as its rule: per company (ascending), the rows by their keys, largest first (dense ranks:
    NaN first), then by record id, then by position; the first ``limit`` of each. A frame's stable sort of every
    row."""
    ranks = {f"k{i}": dense_desc(key)[0] for i, key in enumerate(keys_desc)}
    rows = pd.DataFrame({"company": company, **ranks, "record_id": record_ids, "at": np.arange(len(company))})
    rows = rows.sort_values(["company", *ranks, "record_id"], kind="stable")
    picked: np.ndarray = rows[rows.groupby("company").cumcount() < limit]["at"].to_numpy()
    return picked


def paths(companies: pd.DataFrame, m: Methodology, constants: Constants) -> pd.DataFrame:
    """``engine._paths`` as a frame at every step: one frame per component, concatenated, filtered, mapped
    and sorted (the engine before 2026-12-05). §6 path to the next grade, per company and component.

    "A perfect component" is the best the company can reach: for COMPL_RATE that is no substantiated
    complaint at all, whose rate is still k·R0/(E+k) per 1,000 household-years (the county prior), so
    its best sub-score can be below 100. For COMPL_RATE the path also gives the most substantiated
    complaints the company may have.
    """
    grade_pos = {g: i for i, g in enumerate(m.grades)}
    mins = {b.grade: b.min for b in m.bands}
    position = companies["grade"].map(grade_pos).to_numpy()
    eligible = (position > 0) & ~companies["veto"].to_numpy()
    base = companies[eligible]
    if base.empty:
        return pd.DataFrame(columns=["credit_code", "next_grade", "gap", "component", "max_gain", "reachable",
                                     "target_subscore", "target_measure", "target_count", "best_subscore",
                                     "combined", "combined_subscore", "combined_measure", "combined_count"])
    next_grade = np.array(m.grades, dtype=object)[position[eligible] - 1]
    gap = round_half_up(np.array([mins[g] for g in next_grade]) - base["score"].to_numpy(), m.rounding.score_decimals)
    rw, tw = m.complaints.rate_weight, m.complaints.timeliness_weight
    k, per = m.complaints.credibility_households, m.complaints.rate_per_households
    exposure = base["exposure"].to_numpy()
    best_rate = per * k * constants.r0 / (exposure + k) if k > 0 else np.zeros(len(base))
    hundred = np.full(len(base), 100.0)
    specs = {
        # component: (weight share, current sub-score, best reachable sub-score, assessed, sub-score -> measure)
        "INSP": (base["w_insp"].to_numpy(), base["insp_score"].to_numpy(), hundred,
                 base["insp_assessed"].to_numpy(), lambda s: pl_inverse(s, m.inspections.breakpoints)),
        "COMPL_RATE": (base["w_compl"].to_numpy() * rw, base["compl_rate_score"].to_numpy(),
                       pl(best_rate, m.complaints.rate_breakpoints), base["compl_assessed"].to_numpy(),
                       lambda s: pl_inverse(s, m.complaints.rate_breakpoints)),
        "COMPL_TIMELY": (base["w_compl"].to_numpy() * tw, base["compl_timeliness_score"].to_numpy(), hundred,
                         base["compl_assessed"].to_numpy(), engine._timely_inverse(m)),
        "FEE": (base["w_fee"].to_numpy(), base["fee_score"].to_numpy(), hundred,
                base["fee_assessed"].to_numpy(), lambda s: pl_inverse(s, m.fees.breakpoints)),
    }
    parts = []
    for component, (weight, current, best, assessed, inverse) in specs.items():
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
            target_count = np.where(reachable, engine._late_count_allowed(np.where(reachable, measure, 0.0), exposure,
                                                                   m.complaints.timeliness), np.nan)
        else:
            target_count = np.full(len(base), np.nan)
        parts.append(pd.DataFrame({
            "credit_code": base["credit_code"].to_numpy(),
            "next_grade": next_grade,
            "gap": gap,
            "component": component,
            "max_gain": max_gain,
            "reachable": reachable,
            "assessed": assessed,
            "target_subscore": target,
            "target_measure": measure,
            "target_count": target_count,
            "best_subscore": np.where(assessed, best, np.nan),
            "_now": now,
            "_weight": weight,
            "_pos": np.arange(len(base)),  # base is in credit-code order: positions sort as the codes do
        }))
    out = pd.concat(parts, ignore_index=True)
    out = out[out["assessed"]].drop(columns="assessed")
    order = {c: i for i, c in enumerate(REASON_CODES)}
    out["_c"] = out["component"].map(order)
    out = _combined(out, m, constants, exposure=pd.Series(exposure, index=base["credit_code"].to_numpy()))
    rows = np.lexsort((out["_c"].to_numpy(), out["_pos"].to_numpy()))  # (credit_code, component) order
    return out.iloc[rows].drop(columns=["_c", "_now", "_weight", "_pos"]).reset_index(drop=True)


def _combined(out: pd.DataFrame, m: Methodology, constants: Constants, *, exposure: pd.Series) -> pd.DataFrame:
    """The combined path (an addition to §6), for a company that no single component brings to the next grade.

    Greedy by the largest possible gain: components are taken in that order (ties in the reason codes' order),
    each taken one improved to its best reachable sub-score, until the gains close the gap; the last one taken
    needs only what is left. This names the fewest components that suffice. ``combined`` marks the rows of the
    combination and ``combined_*`` give their targets (sub-score, measure, and for COMPL_RATE the most
    substantiated complaints); none when even every component at its best falls short, or one alone suffices.
    """
    rows = len(out)
    combined = np.zeros(rows, dtype=bool)
    sub = np.full(rows, np.nan)
    if rows:
        codes = out["_pos"].to_numpy()  # the company, as an integer
        gain = out["max_gain"].to_numpy(dtype=float)
        usable = out["_weight"].to_numpy(dtype=float) > 0
        frame = pd.DataFrame({"code": codes, "gain": np.where(usable, gain, 0.0), "c": out["_c"].to_numpy(),
                              "reachable": out["reachable"].to_numpy(dtype=bool), "at": np.arange(rows)})
        per_company = frame.groupby("code", sort=False)
        single = per_company["reachable"].transform("any").to_numpy()
        total = per_company["gain"].transform("sum").to_numpy()
        gap = out["gap"].to_numpy(dtype=float)
        wanted = ~single & (total + 1e-9 >= gap)
        if wanted.any():
            ordered = frame[wanted].sort_values(["code", "gain", "c"], ascending=[True, False, True], kind="stable")
            at = ordered["at"].to_numpy()
            running = ordered.groupby("code", sort=False)["gain"].cumsum().to_numpy()
            before = running - ordered["gain"].to_numpy()
            need = gap[at]
            taken = (before + 1e-9 < need) & (ordered["gain"].to_numpy() > 0)
            last = taken & (running + 1e-9 >= need)
            now = out["_now"].to_numpy(dtype=float)[at]
            weight = out["_weight"].to_numpy(dtype=float)[at]
            best = out["best_subscore"].to_numpy(dtype=float)[at]
            partial = now + (need - before) / np.where(weight > 0, weight, 1.0)
            combined[at[taken]] = True
            sub[at[taken]] = np.where(last, np.minimum(partial, best), best)[taken]
    out = out.assign(combined=combined, combined_subscore=sub)
    measure = np.full(rows, np.nan)
    count = np.full(rows, np.nan)
    inverses = {
        "INSP": lambda s: pl_inverse(s, m.inspections.breakpoints),
        "COMPL_RATE": lambda s: pl_inverse(s, m.complaints.rate_breakpoints),
        "COMPL_TIMELY": engine._timely_inverse(m),
        "FEE": lambda s: pl_inverse(s, m.fees.breakpoints),
    }
    component = out["component"].to_numpy()
    for name, inverse in inverses.items():
        mine = combined & (component == name)
        if not mine.any():
            continue
        values = np.asarray(inverse(sub[mine]), dtype=float)
        measure[mine] = values
        if name == "COMPL_RATE":
            k, per = m.complaints.credibility_households, m.complaints.rate_per_households
            e = exposure.reindex(out["credit_code"].to_numpy()[mine]).to_numpy(dtype=float)
            count[mine] = np.maximum(np.floor(values * (e + k) / per - k * constants.r0 + 1e-9), 0.0)
        elif name == "COMPL_TIMELY" and m.complaints.timeliness.late_rate:
            e = exposure.reindex(out["credit_code"].to_numpy()[mine]).to_numpy(dtype=float)
            count[mine] = engine._late_count_allowed(values, e, m.complaints.timeliness)
    return out.assign(combined_measure=measure, combined_count=count)


def by_run_and_text(runs: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``engine._by_run_and_text`` as a frame's stable sort of the values made numpy texts (the engine before
    2026-12-05)."""
    ties = pd.DataFrame({"run": runs, "record_id": np.asarray(values, dtype=object).astype(str),
                         "at": np.arange(len(runs))})
    order: np.ndarray = ties.sort_values(["run", "record_id"], kind="stable")["at"].to_numpy()
    return order


def sum_by(codes: np.ndarray, weights: np.ndarray | None, size: int) -> np.ndarray:
    """``engine._sum_by`` over the kept rows alone (the engine before 2026-12-05)."""
    keep = codes >= 0
    if weights is None:
        return np.bincount(codes[keep], minlength=size).astype(float)
    return np.bincount(codes[keep], weights=weights[keep], minlength=size).astype(float)
