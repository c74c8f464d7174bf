"""Reference implementations of engine steps that have a faster path in ``scoring/engine.py``; only the
tests use them (tests/scoring/test_engine_paths.py compares both on random data)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.methodology import REASON_CODES, Methodology


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


def prefilter(company: np.ndarray, primary_rank: np.ndarray, distinct: int, limit: int) -> np.ndarray:
    """The prefilter over a dense company × bucket matrix (the engine now walks only the cells that hold rows)."""
    buckets = 64
    bucket = (primary_rank * buckets // max(distinct, 1)).astype(np.int64)
    n = int(company.max()) + 1
    counts = np.bincount(company * buckets + bucket, minlength=n * buckets).reshape(n, buckets)
    reached = np.cumsum(counts, axis=1) >= limit
    threshold = np.where(reached.any(axis=1), reached.argmax(axis=1), buckets - 1)
    result: np.ndarray = bucket <= threshold[company]
    return result


def dense_desc(values: np.ndarray) -> tuple[np.ndarray, int]:
    """Dense ranks, the largest value first, by a sort of the distinct values."""
    uniques, inverse = np.unique(values, return_inverse=True)
    return (len(uniques) - 1 - inverse).astype(np.int64), len(uniques)
