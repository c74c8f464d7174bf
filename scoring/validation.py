"""Methodology validation: does a rating predict anything, is it stable, and what would a draft change?

"A rating is only worth publishing if it predicts something." This room holds the analyst's checks
of a methodology against the data it rates, all pure functions of engine output (``RatingResult``
frames) and plain frames:

- ``next_cycle_outcomes`` turns a computed cycle into the adverse outcomes a rating should predict;
- ``back_test`` scores cycle N's scores and grades against cycle N+1's outcomes (ROC AUC, Gini, the
  outcome rate per grade, bootstrap intervals);
- ``migration_matrix`` and ``population_stability`` compare two cycles' grades and score distributions;
- ``composite`` re-scores stored sub-scores with other weights (exactly as the engine does), which
  ``sensitivity`` uses for random weight perturbations;
- ``advisory_weights`` fits sub-scores to next-cycle outcomes and proposes weights, as advice only;
- ``what_if`` compares a draft methodology's ratings of a snapshot with the current ones.

Every result is a frozen dataclass whose ``as_dict()`` is plain JSON-able data.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from scoring.engine import RatingInputs, RatingResult
from scoring.methodology import INDICATORS, Methodology
from scoring.piecewise import round_half_up

# result.companies columns per indicator: (sub-score, assessed flag, re-normalised weight).
SUBSCORE_COLUMNS = {
    "INSP": ("insp_score", "insp_assessed", "w_insp"),
    "COMPL": ("compl_score", "compl_assessed", "w_compl"),
    "FEE": ("fee_score", "fee_assessed", "w_fee"),
}
PSI_EDGES: tuple[float, ...] = tuple(float(x) for x in range(0, 101, 10))
PSI_STABLE_BELOW = 0.1
PSI_SHIFT_ABOVE = 0.25
_TOLERANCE = 1e-9
# The parts of the complaints sub-score, by the column of the engine's result that holds each part's score.
COMPL_PARTS = (("COMPL_RATE", "compl_rate_score"), ("COMPL_TIMELY", "compl_timeliness_score"))


def _moved(before: pd.Series, after: pd.Series, column: str) -> bool:
    """Whether a company's value in ``column`` differs between two results (a value on one side only counts)."""
    b, a = before[column], after[column]
    if pd.isna(b) or pd.isna(a):
        return bool(pd.isna(b) != pd.isna(a))
    return abs(float(a) - float(b)) > _TOLERANCE


def _plain(value: Any) -> Any:
    """Plain JSON-able data: dataclasses to dicts, tuples to lists, numpy scalars to Python, NaN to None."""
    if value is None or isinstance(value, str | bool):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else float(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


class _Plain:
    def as_dict(self) -> dict[str, Any]:
        return _plain(self)


def _check_grades(values: pd.Series, grades: Sequence[str], what: str) -> None:
    unknown = sorted(set(values.dropna().astype(str)) - set(grades))
    if unknown:
        raise ValueError(f"{what}: grades {unknown} are not among {list(grades)} / 等级不在等级序列中")


# -- outcomes of the next cycle --------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeDefinition(_Plain):
    """One adverse outcome a rating should predict (an entry of the settings-like list)."""

    code: str
    zh: str
    en: str


DEFAULT_OUTCOMES: tuple[OutcomeDefinition, ...] = (
    OutcomeDefinition("serious_finding", "次年出现严重问题", "any serious inspection finding next cycle"),
    OutcomeDefinition("complaint_rate_above_median", "次年查实投诉率高于全县中位数",
                      "substantiated-complaint rate above the county median next cycle"),
    OutcomeDefinition("fee_violation", "次年出现收费违规", "any fee violation next cycle"),
)


def _counted_by_company(result: RatingResult, kind: str, mask: np.ndarray | None = None) -> pd.Series:
    """Number of counted, attributed records of ``kind`` per rated company (where ``mask`` holds, if given)."""
    records = result.records
    mine = (records["kind"] == kind).to_numpy()
    part = records[mine]
    keep = part["counted"].to_numpy(dtype=bool) & part["credit_code"].notna().to_numpy()
    if mask is not None:
        keep &= mask
    codes = part["credit_code"].astype(object)[keep]
    counts = codes.value_counts()
    index = pd.Index(result.companies["credit_code"].astype(object), name="credit_code")
    return counts.reindex(index, fill_value=0).astype(np.int64)


def _serious_finding(result: RatingResult, inputs: RatingInputs) -> pd.Series:
    inspections = inputs.frame("inspections")
    # result.records holds the input rows kind by kind in input order, so rows line up by position
    # (safer than matching record ids, which an import may repeat).
    serious = (inspections["severity"].astype(object) == "serious").to_numpy(dtype=bool)
    return _counted_by_company(result, "inspections", serious) > 0


def _complaint_rate_above_median(result: RatingResult, inputs: RatingInputs) -> pd.Series:
    companies = result.companies
    exposed = (companies["exposure"] > 0).to_numpy()
    rate = companies["compl_rate"].to_numpy(dtype=float)
    median = float(np.median(rate[exposed])) if exposed.any() else math.nan
    # Without exposure there is no rate to compare: such a company has no outcome (False).
    above = exposed & (rate > median + _TOLERANCE)
    return pd.Series(above, index=pd.Index(companies["credit_code"].astype(object), name="credit_code"))


def _fee_violation(result: RatingResult, inputs: RatingInputs) -> pd.Series:
    return _counted_by_company(result, "fee_violations") > 0


_OUTCOME_RULES = {
    "serious_finding": _serious_finding,
    "complaint_rate_above_median": _complaint_rate_above_median,
    "fee_violation": _fee_violation,
}


def next_cycle_outcomes(*, result: RatingResult, inputs: RatingInputs,
                        definitions: Sequence[OutcomeDefinition] = DEFAULT_OUTCOMES) -> pd.DataFrame:
    """One row per company rated in ``result`` (the NEXT cycle; index credit_code), one bool column per outcome.

    ``inputs`` must be the frames ``result`` was computed from (inspection severities are read from them).
    - serious_finding: any counted inspection attributed to the company with severity ``serious``;
    - complaint_rate_above_median: its substantiated-complaint rate (``compl_rate``) above the median over
      the companies with exposure > 0 (False without exposure);
    - fee_violation: any counted fee violation attributed to the company.
    """
    unknown = [d.code for d in definitions if d.code not in _OUTCOME_RULES]
    if unknown:
        raise ValueError(f"unknown outcome codes {unknown}; known: {sorted(_OUTCOME_RULES)} / 未知的结果定义")
    if len(inputs.frame("inspections")) != int((result.records["kind"] == "inspections").sum()):
        raise ValueError("inputs do not match result (inspection rows differ) / 输入数据与评价结果不一致")
    columns = {d.code: _OUTCOME_RULES[d.code](result, inputs).astype(bool) for d in definitions}
    index = pd.Index(result.companies["credit_code"].astype(object), name="credit_code")
    return pd.DataFrame(columns, index=index).astype(bool)


# -- back-test -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GradeRate(_Plain):
    grade: str
    n: int
    events: int
    rate: float | None  # None when no company had the grade


@dataclass(frozen=True)
class OutcomeBackTest(_Plain):
    code: str
    n: int
    events: int
    auc: float | None  # None when only one class occurs
    gini: float | None
    auc_ci: tuple[float, float] | None
    gini_ci: tuple[float, float] | None
    resamples: int  # bootstrap resamples with both classes (those without are skipped)
    grades: tuple[GradeRate, ...]  # every grade, best first
    monotone: bool  # the rate does not rise as the grade improves (empty grades ignored)


@dataclass(frozen=True)
class BackTest(_Plain):
    n_scored: int
    n_with_outcome: int
    n_matched: int
    bootstrap: int
    seed: int
    confidence: float
    outcomes: tuple[OutcomeBackTest, ...]

    def outcome(self, code: str) -> OutcomeBackTest:
        for item in self.outcomes:
            if item.code == code:
                return item
        raise KeyError(code)


def _auc_rows(ranks: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """ROC AUC of each row from the scores' mid-ranks (Mann-Whitney: ties count one half, as in sklearn); NaN
    for a row with one class only. One rank call for all bootstrap resamples instead of one sklearn call each."""
    positives = labels.sum(axis=1).astype(float)
    negatives = labels.shape[1] - positives
    rank_sum = np.where(labels, ranks, 0.0).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        auc = (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)
    return np.where((positives > 0) & (negatives > 0), auc, np.nan)


def _bootstrap_aucs(*, score: np.ndarray, events: np.ndarray, draws: int, seed: int) -> np.ndarray:
    """AUC of −score per outcome (rows of ``events``) and bootstrap resample (columns); NaN where a resample
    has one class. One set of resampled companies serves every outcome, so their intervals are comparable;
    resamples are drawn in blocks to bound memory at a nation's size."""
    n = score.size
    out = np.full((events.shape[0], max(draws, 0)), np.nan)
    if n == 0 or draws <= 0:
        return out
    from scipy.stats import rankdata  # imported where used: the web app starts without scipy

    rng = np.random.default_rng(seed)
    block = max(1, 2_000_000 // n)
    for first in range(0, draws, block):
        size = min(block, draws - first)
        picks = rng.integers(0, n, size=(size, n))
        ranks = rankdata(-score[picks], axis=1)
        for k in range(events.shape[0]):
            out[k, first:first + size] = _auc_rows(ranks, events[k][picks])
    return out


def _grade_rates(grade: np.ndarray, event: np.ndarray, grades: Sequence[str]) -> tuple[tuple[GradeRate, ...], bool]:
    codes = pd.Categorical(grade, categories=list(grades)).codes
    n = np.bincount(codes[codes >= 0], minlength=len(grades))
    events = np.bincount(codes[codes >= 0], weights=event[codes >= 0].astype(float), minlength=len(grades))
    rows = tuple(GradeRate(g, int(n[i]), int(events[i]), float(events[i] / n[i]) if n[i] else None)
                 for i, g in enumerate(grades))
    rates = [r.rate for r in rows if r.rate is not None]  # best grade first
    # Going from the best grade to the worst the rate may only rise (or stay).
    monotone = all(b >= a - _TOLERANCE for a, b in zip(rates, rates[1:], strict=False))
    return rows, monotone


def back_test(*, scores: pd.DataFrame, outcomes: pd.DataFrame, grades: Sequence[str],
              bootstrap: int = 500, seed: int = 0, confidence: float = 0.95) -> BackTest:
    """Cycle N's scores and grades against cycle N+1's outcomes; only companies in both count.

    ``scores``: credit_code, score, grade. ``outcomes``: bool columns indexed by credit_code (as
    ``next_cycle_outcomes`` returns; a credit_code column is accepted too). A higher score means lower risk, so
    the AUC is that of −score against the outcome; Gini = 2·AUC − 1. Intervals are percentile bootstrap
    intervals over companies resampled with replacement (seeded; resamples with one class are skipped).
    """
    if not 0 < confidence < 1:
        raise ValueError("confidence must lie strictly between 0 and 1 / 置信水平应在 0 与 1 之间")
    scored = scores.drop_duplicates("credit_code").set_index("credit_code")
    _check_grades(scored["grade"], grades, "scores")
    observed = outcomes.set_index("credit_code") if "credit_code" in outcomes.columns else outcomes
    both = scored.index.intersection(observed.index, sort=False)
    score = scored.loc[both, "score"].to_numpy(dtype=float)
    grade = scored.loc[both, "grade"].astype(object).to_numpy()
    n = len(both)
    codes = [str(c) for c in observed.columns]
    events = observed.loc[both, list(observed.columns)].astype(bool).to_numpy().T  # outcome x company
    resampled = _bootstrap_aucs(score=score, events=events, draws=bootstrap, seed=seed)
    tail = (1 - confidence) / 2
    results = []
    for k, code in enumerate(codes):
        event = events[k]
        count = int(event.sum())
        auc = gini = None
        auc_ci = gini_ci = None
        kept = 0
        if 0 < count < n:
            from sklearn.metrics import roc_auc_score  # imported where used: the web app starts without sklearn

            auc = float(roc_auc_score(event, -score))
            gini = 2 * auc - 1
            values = resampled[k][~np.isnan(resampled[k])]
            kept = int(values.size)
            if kept:
                low, high = np.quantile(values, [tail, 1 - tail])
                auc_ci = (float(low), float(high))
                gini_ci = (2 * float(low) - 1, 2 * float(high) - 1)
        rates, monotone = _grade_rates(grade, event, grades)
        results.append(OutcomeBackTest(code, n, count, auc, gini, auc_ci, gini_ci, kept, rates, monotone))
    return BackTest(n_scored=len(scored), n_with_outcome=len(observed), n_matched=n, bootstrap=bootstrap, seed=seed,
                    confidence=confidence, outcomes=tuple(results))


# -- migration between cycles ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Migration(_Plain):
    grades: tuple[str, ...]  # best first; rows = grade before, columns = grade after
    matrix: tuple[tuple[int, ...], ...]
    both: int  # companies rated in both
    entered: int  # rated only after
    left: int  # rated only before
    stayed: int
    upgraded: int
    downgraded: int

    def frame(self) -> pd.DataFrame:
        grades = list(self.grades)
        return pd.DataFrame(list(self.matrix), index=pd.Index(grades, name="before"),
                            columns=pd.Index(grades, name="after"), dtype=np.int64)


def migration_matrix(*, before: pd.Series, after: pd.Series, grades: Sequence[str]) -> Migration:
    """Grade migration between two cycles: ``before``/``after`` are grades by credit_code; every grade of
    ``grades`` (best first) is a row and a column, empty ones included."""
    before = before.dropna()
    after = after.dropna()
    _check_grades(before, grades, "before")
    _check_grades(after, grades, "after")
    before = before[~before.index.duplicated()]
    after = after[~after.index.duplicated()]
    both = before.index.intersection(after.index, sort=False)
    k = len(grades)
    row = pd.Categorical(before.loc[both].astype(object), categories=list(grades)).codes.astype(np.int64)
    col = pd.Categorical(after.loc[both].astype(object), categories=list(grades)).codes.astype(np.int64)
    matrix = np.bincount(row * k + col, minlength=k * k).reshape(k, k)
    return Migration(
        grades=tuple(grades),
        matrix=tuple(tuple(int(v) for v in r) for r in matrix),
        both=len(both),
        entered=int((~after.index.isin(before.index)).sum()),
        left=int((~before.index.isin(after.index)).sum()),
        stayed=int(np.trace(matrix)),
        upgraded=int((col < row).sum()),  # a smaller position is a better grade
        downgraded=int((col > row).sum()),
    )


# -- population stability ----------------------------------------------------------------------------


@dataclass(frozen=True)
class StabilityBand(_Plain):
    lower: float
    upper: float
    expected_share: float
    actual_share: float
    contribution: float  # (a − e)·ln(a / e) with floored shares


@dataclass(frozen=True)
class Stability(_Plain):
    psi: float
    label: str  # stable (< 0.1), watch (0.1–0.25), shift (> 0.25)
    n_expected: int
    n_actual: int
    bands: tuple[StabilityBand, ...]


def _band_shares(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    # Each band is [lower, upper) except the last, which holds its upper edge (a score of 100);
    # values outside the edges land in the end bands.
    index = np.clip(np.searchsorted(edges, values, side="right") - 1, 0, len(edges) - 2)
    return np.bincount(index, minlength=len(edges) - 1) / len(values)


def stability_label(psi: float) -> str:
    if psi < PSI_STABLE_BELOW:
        return "stable"
    return "watch" if psi <= PSI_SHIFT_ABOVE else "shift"


def population_stability(*, expected: Sequence[float] | pd.Series, actual: Sequence[float] | pd.Series,
                         edges: Sequence[float] = PSI_EDGES, floor: float = 1e-4) -> Stability:
    """PSI = Σ (a − e)·ln(a / e) over score bands of the shares ``e`` (expected, e.g. last cycle) and ``a``
    (actual), each floored at ``floor`` to avoid log 0. Identical distributions give exactly 0."""
    bounds = np.asarray(edges, dtype=float)
    if bounds.size < 2 or np.any(np.diff(bounds) <= 0):
        raise ValueError("edges must be at least two increasing numbers / 分段边界应递增")
    e_values = pd.Series(expected, dtype=float).dropna().to_numpy()
    a_values = pd.Series(actual, dtype=float).dropna().to_numpy()
    if not e_values.size or not a_values.size:
        raise ValueError("both distributions need at least one score / 两个分布都至少需要一个分数")
    e_share = _band_shares(e_values, bounds)
    a_share = _band_shares(a_values, bounds)
    e_floor = np.maximum(e_share, floor)
    a_floor = np.maximum(a_share, floor)
    contribution = (a_floor - e_floor) * np.log(a_floor / e_floor)
    psi = float(contribution.sum())
    bands = tuple(StabilityBand(float(bounds[i]), float(bounds[i + 1]), float(e_share[i]), float(a_share[i]),
                                float(contribution[i])) for i in range(bounds.size - 1))
    return Stability(psi, stability_label(psi), int(e_values.size), int(a_values.size), bands)


# -- composite from stored sub-scores ------------------------------------------------------------------


def composite(*, frame: pd.DataFrame, methodology: Methodology,
              weights: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Score and grade recomputed from stored sub-scores (``result.companies`` columns) with base ``weights``
    (default the methodology's), the engine's arithmetic step for step.

    Returns credit_code, w_insp, w_compl, w_fee, raw_score, score, band_grade, grade, veto, floor_applied on
    ``frame``'s index. The operations follow engine.rate_companies in the same order, so that the methodology's
    own weights reproduce its scores bit for bit (a different order of float additions could move a score
    across a rounding edge).
    """
    m = methodology
    base = dict(m.weights if weights is None else weights)
    if set(base) != set(INDICATORS) or any(v < 0 for v in base.values()) or sum(base.values()) <= 0:
        raise ValueError(f"weights need each of {list(INDICATORS)}, none negative / 权重应覆盖各指标且不得为负")
    n = len(frame)
    scores = {}
    assessed = {}
    for code, (score_col, assessed_col, _) in SUBSCORE_COLUMNS.items():
        assessed[code] = frame[assessed_col].to_numpy(dtype=bool)
        # A not-assessed sub-score is NaN in the frame but carries weight 0, as in the engine.
        scores[code] = np.where(assessed[code], frame[score_col].to_numpy(dtype=float), 0.0)
    raw_w = np.vstack([base[code] * assessed[code] for code in INDICATORS]) if n else np.zeros((3, 0))
    total_w = raw_w.sum(axis=0)
    w_insp, w_compl, w_fee = raw_w / np.where(total_w > 0, total_w, 1.0)
    bonus = frame["bonus"].to_numpy(dtype=float)
    value = w_insp * scores["INSP"] + w_compl * scores["COMPL"] + w_fee * scores["FEE"] + bonus
    raw_score = np.clip(value, 0.0, 100.0)
    score = round_half_up(raw_score, m.rounding.score_decimals)

    mins = np.array([b.min for b in m.bands])
    grades = np.array(m.grades, dtype=object)
    band_index = np.argmax(score[:, None] >= mins[None, :] - 1e-9, axis=1) if n else np.zeros(0, dtype=np.int64)
    veto = frame["veto"].to_numpy(dtype=bool)
    grade_index = band_index.copy()
    grade_index[veto] = m.grades.index(m.veto.grade)
    # The engine's floor: no adverse record (D = 0, C = 0, F = 0) and no veto, and only ever lifting a grade.
    # It does not depend on the weights, so it is decided from the stored counts, not from floor_applied
    # (which is set only where the floor actually lifted the engine's own grade).
    no_adverse = ((frame["insp_points"].to_numpy(dtype=float) == 0)
                  & (frame["compl_substantiated"].to_numpy(dtype=float) == 0)
                  & (frame["fee_points"].to_numpy(dtype=float) == 0) & ~veto)
    floor_index = m.grades.index(m.floor.grade)
    floor_applied = no_adverse & (grade_index > floor_index)
    grade_index[floor_applied] = floor_index
    out = pd.DataFrame({
        "credit_code": frame["credit_code"].astype(object).to_numpy(),
        "w_insp": w_insp,
        "w_compl": w_compl,
        "w_fee": w_fee,
        "raw_score": raw_score,
        "score": score,
        "band_grade": grades[band_index],
        "grade": grades[grade_index],
        "veto": veto,
        "floor_applied": floor_applied,
    }, index=frame.index)
    # Grades stay Python strings (object), as in result.companies, so the two compare without dtype surprises.
    out["band_grade"] = out["band_grade"].astype(object)
    out["grade"] = out["grade"].astype(object)
    return out


# -- sensitivity to the weights -------------------------------------------------------------------------


@dataclass(frozen=True)
class Spread(_Plain):
    median: float | None
    p05: float | None
    p95: float | None


@dataclass(frozen=True)
class MovedCompany(_Plain):
    credit_code: str
    name: str | None
    score: float  # with the methodology's weights
    grade: str
    grade_change_share: float  # share of draws in which the grade differs
    mean_abs_score_change: float
    max_abs_score_change: float
    grades_seen: tuple[str, ...]  # every grade the company took in some draw, best first


@dataclass(frozen=True)
class Sensitivity(_Plain):
    draws: int
    spread: float
    seed: int
    n: int
    kendall_tau: Spread  # of the scores versus the base scores, per draw
    grade_change_share: Spread  # share of companies whose grade changes, per draw
    most_moved: tuple[MovedCompany, ...]


def _spread(values: np.ndarray) -> Spread:
    finite = values[~np.isnan(values)]
    if not finite.size:
        return Spread(None, None, None)
    p05, median, p95 = np.quantile(finite, [0.05, 0.5, 0.95])
    return Spread(float(median), float(p05), float(p95))


def sensitivity(*, frame: pd.DataFrame, methodology: Methodology, draws: int = 200, spread: float = 0.2,
                seed: int = 0, most_moved: int = 10) -> Sensitivity:
    """Random weight perturbations: each draw multiplies every base weight by U(1 − spread, 1 + spread) and
    re-scores with ``composite``; per draw Kendall's tau of the scores versus the base scores and the share of
    companies whose grade changes; their median and 5th/95th percentiles, and the most-moved companies."""
    if not 0 <= spread < 1:
        raise ValueError("spread must lie in [0, 1) / 扰动幅度应在 [0, 1) 之间")
    if draws < 1:
        raise ValueError("draws must be at least 1 / 抽样次数至少为 1")
    from scipy.stats import kendalltau  # imported where used: the web app starts without scipy

    m = methodology
    base = composite(frame=frame, methodology=m)
    base_score = base["score"].to_numpy(dtype=float)
    base_grade = base["grade"].to_numpy(dtype=object)
    rng = np.random.default_rng(seed)
    factors = rng.uniform(1 - spread, 1 + spread, size=(draws, len(INDICATORS)))
    n = len(frame)
    score_draws = np.empty((draws, n))
    changed = np.zeros((draws, n), dtype=bool)
    position = {g: i for i, g in enumerate(m.grades)}
    seen = np.zeros((n, len(m.grades)), dtype=bool)
    seen[np.arange(n), [position[g] for g in base_grade]] = True
    taus = np.full(draws, np.nan)
    for i in range(draws):
        weights = {code: m.weights[code] * float(factors[i, j]) for j, code in enumerate(INDICATORS)}
        drawn = composite(frame=frame, methodology=m, weights=weights)
        score_draws[i] = drawn["score"].to_numpy(dtype=float)
        grade = drawn["grade"].to_numpy(dtype=object)
        changed[i] = grade != base_grade
        seen[np.arange(n), [position[g] for g in grade]] = True
        if n > 1:
            # Identical scores give tau = 1 (scipy returns NaN when a side is constant: no ranking to compare).
            taus[i] = 1.0 if np.array_equal(score_draws[i], base_score) else kendalltau(base_score,
                                                                                          score_draws[i]).statistic
    share_changed = changed.mean(axis=1) if n else np.zeros(draws)
    delta = np.abs(score_draws - base_score[None, :])
    per_company = pd.DataFrame({
        "credit_code": frame["credit_code"].astype(object).to_numpy(),
        "name": frame["name"].astype(object).to_numpy() if "name" in frame else np.full(n, None, dtype=object),
        "score": base_score,
        "grade": base_grade,
        "change_share": changed.mean(axis=0) if draws else np.zeros(n),
        "mean_delta": delta.mean(axis=0),
        "max_delta": delta.max(axis=0) if draws else np.zeros(n),
        "row": np.arange(n),
    })
    per_company = per_company.sort_values(["change_share", "mean_delta", "credit_code"],
                                          ascending=[False, False, True], kind="stable")
    top = per_company[(per_company["change_share"] > 0) | (per_company["mean_delta"] > 0)].head(most_moved)
    moved = tuple(
        MovedCompany(str(r.credit_code), None if pd.isna(r.name) else str(r.name), float(r.score), str(r.grade),
                     float(r.change_share), float(r.mean_delta), float(r.max_delta),
                     tuple(g for g, hit in zip(m.grades, seen[int(r.row)], strict=True) if hit))
        for r in top.itertuples(index=False)
    )
    return Sensitivity(draws, spread, seed, n, _spread(taus), _spread(share_changed), moved)


# -- advisory weights --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AdviceWarning(_Plain):
    indicator: str
    code: str  # wrong_sign, no_variation
    zh: str
    en: str


@dataclass(frozen=True)
class Advice(_Plain):
    """Advice only: the methodology's weights are the bureau's rule; this shows what the data suggest."""

    n: int
    events: int
    current: dict[str, float]
    coefficients: dict[str, float] | None  # per standardised sub-score; negative = the expected sign
    suggested: dict[str, float] | None  # sums to 1 (2 decimals); 0 for an indicator with a warning
    warnings: tuple[AdviceWarning, ...]
    reason: str | None  # why there is no advice, when there is none (English)
    reason_zh: str | None = None  # the same in Chinese


def _hundredths(shares: dict[str, float]) -> dict[str, float]:
    """Shares rounded to 2 decimals that still sum to exactly 1 (largest remainder, ties in indicator order)."""
    codes = list(shares)
    raw = np.array([shares[c] * 100 for c in codes])
    units = np.floor(raw + _TOLERANCE).astype(int)
    remainder = raw - units
    for i in np.argsort(-remainder, kind="stable")[: 100 - int(units.sum())]:
        units[i] += 1
    return {c: int(u) / 100 for c, u in zip(codes, units, strict=True)}


def advisory_weights(*, frame: pd.DataFrame, outcome: pd.Series, methodology: Methodology,
                     seed: int = 0) -> Advice:
    """Logistic regression of a next-cycle outcome (bool by credit_code, or a plain bool sequence in the order of
    ``frame``'s rows) on the standardised INSP/COMPL/FEE sub-scores of ``frame`` (``result.companies`` of cycle N;
    a not-assessed sub-score takes the column mean). Only companies in both count.

    A higher sub-score should mean lower risk, so a negative coefficient is the expected sign: suggested weight
    ∝ −coef over those indicators. A positive (wrong-sign) coefficient earns a warning and weight 0; it is never
    used. No advice (with a reason) when the outcome has one class, fewer than 10 companies match, or no
    indicator has the expected sign.
    """
    current = {code: float(methodology.weights[code]) for code in INDICATORS}
    codes = frame["credit_code"].astype(object)
    if not outcome.index.isin(codes).any() and len(outcome) == len(frame):
        # An outcome that names no company of the frame but matches its length is aligned row by row.
        outcome = pd.Series(outcome.to_numpy(), index=codes.to_numpy())
    rows = frame.drop_duplicates("credit_code").set_index("credit_code")
    target = outcome[~outcome.index.duplicated()].dropna()
    both = rows.index.intersection(target.index, sort=False)
    y = target.loc[both].astype(bool).to_numpy()
    n, events = len(both), int(y.sum())

    def none(reason: str, reason_zh: str, warnings: tuple[AdviceWarning, ...] = (),
             coefficients: dict[str, float] | None = None) -> Advice:
        return Advice(n, events, current, coefficients, None, warnings, reason, reason_zh)

    if n < 10:
        return none(f"too few companies with an outcome (n = {n} < 10)", f"样本不足（{n} 家，少于 10 家）")
    if events in (0, n):
        return none("the outcome has one class only", "不良情况全部发生或全部未发生，无法回归")
    columns = []
    warnings: list[AdviceWarning] = []
    usable = []
    for code, (score_col, assessed_col, _) in SUBSCORE_COLUMNS.items():
        values = rows.loc[both, score_col].to_numpy(dtype=float)
        values = np.where(rows.loc[both, assessed_col].to_numpy(dtype=bool), values, np.nan)
        mean = float(np.nanmean(values)) if np.isfinite(values).any() else 0.0
        values = np.where(np.isnan(values), mean, values)
        std = float(values.std())
        usable.append(std > 0)
        columns.append((values - mean) / std if std > 0 else np.zeros(n))
        if std == 0:
            warnings.append(AdviceWarning(code, "no_variation", f"{code} 分项得分无差异，无法估计",
                                          f"{code} sub-scores do not vary: no estimate"))
    from sklearn.linear_model import LogisticRegression  # imported where used: the web app starts without sklearn

    x = np.column_stack(columns)
    model = LogisticRegression(random_state=seed, max_iter=1000)
    model.fit(x, y)
    coef = {code: float(c) if ok else 0.0
            for code, c, ok in zip(INDICATORS, model.coef_[0], usable, strict=True)}
    for code, ok in zip(INDICATORS, usable, strict=True):
        if ok and coef[code] >= 0:
            warnings.append(AdviceWarning(
                code, "wrong_sign",
                f"{code} 分项得分越高风险越高（系数 {coef[code]:+.3f}），与预期相反，建议权重不予采用",
                f"a higher {code} sub-score goes with more risk (coefficient {coef[code]:+.3f}): the wrong sign, "
                "not used"))
    expected = {code: -c for code, c in coef.items() if c < 0}
    if not expected:
        return none("no indicator has the expected (negative) sign", "没有符合预期方向（系数为负）的指标",
                    tuple(warnings), coef)
    total = sum(expected.values())
    suggested = _hundredths({code: expected.get(code, 0.0) / total for code in INDICATORS})
    return Advice(n, events, current, coef, suggested, tuple(warnings), None)


# -- what-if: a draft methodology against the current one --------------------------------------------


@dataclass(frozen=True)
class IndicatorChange(_Plain):
    code: str  # INSP, COMPL, FEE
    sub_score_before: float | None  # None when not assessed
    sub_score_after: float | None
    weight_before: float  # re-normalised weight w'
    weight_after: float
    contribution_change: float  # Δ(w'·s) in composite points


@dataclass(frozen=True)
class CompanyChange(_Plain):
    credit_code: str
    name: str | None
    score_before: float
    score_after: float
    grade_before: str
    grade_after: str
    band_grade_before: str
    band_grade_after: str
    indicators: tuple[IndicatorChange, ...]
    bonus_before: float
    bonus_after: float
    veto_before: bool
    veto_after: bool
    floor_before: bool
    floor_after: bool
    reasons: tuple[str, ...]  # VETO, FLOOR, then INSP/COMPL/FEE/BONUS by contribution change, BANDS


@dataclass(frozen=True)
class WhatIf(_Plain):
    current_methodology_id: str
    draft_methodology_id: str
    migration: Migration
    changes: tuple[CompanyChange, ...]
    # Companies whose score changes and grade does not, the largest change first (what a rule change does short of
    # a grade: an officer sees who comes closer to a band edge before adopting it).
    score_moves: tuple[CompanyChange, ...] = ()

    @property
    def identity(self) -> bool:
        off_diagonal = sum(sum(r) for r in self.migration.matrix) - self.migration.stayed
        return off_diagonal == 0 and not self.changes


def _earned(side: pd.DataFrame, code: str) -> np.ndarray:
    """Composite points an indicator earns: w'·s (0 when not assessed, where w' is 0 too)."""
    score_col, _, weight_col = SUBSCORE_COLUMNS[code]
    return side[weight_col].to_numpy(dtype=float) * side[score_col].fillna(0.0).to_numpy(dtype=float)


def _optional(value: Any) -> float | None:
    return None if pd.isna(value) else float(value)


def what_if(*, current: RatingResult, draft: RatingResult, grades: Sequence[str]) -> WhatIf:
    """Both results rate the same snapshot with two methodologies. The migration matrix current → draft and
    every company whose grade changes, with why: sub-score and weight changes per indicator, bonus, veto and
    floor, as a short code list, the largest contribution change first (after VETO and FLOOR, which decide a
    grade outright); BANDS when the score is unchanged but its band is not (the draft moved a band edge)."""
    before = current.companies.drop_duplicates("credit_code").set_index("credit_code")
    after = draft.companies.drop_duplicates("credit_code").set_index("credit_code")
    migration = migration_matrix(before=before["grade"], after=after["grade"], grades=grades)
    both = before.index.intersection(after.index, sort=False)
    b, a = before.loc[both], after.loc[both]
    regraded = (b["grade"].astype(object) != a["grade"].astype(object)).to_numpy()
    rescored = np.abs(a["score"].to_numpy(dtype=float) - b["score"].to_numpy(dtype=float)) > _TOLERANCE
    moved = regraded | rescored
    regraded = regraded[moved]
    b, a = b[moved], a[moved]

    contribution = {code: _earned(a, code) - _earned(b, code) for code in INDICATORS}
    contribution["BONUS"] = a["bonus"].to_numpy(dtype=float) - b["bonus"].to_numpy(dtype=float)
    changes = []
    for i, code in enumerate(b.index):
        rb, ra = b.iloc[i], a.iloc[i]
        reasons = []
        if bool(rb["veto"]) != bool(ra["veto"]):
            reasons.append("VETO")
        if bool(rb["floor_applied"]) != bool(ra["floor_applied"]):
            reasons.append("FLOOR")
        moves = [(abs(float(contribution[c][i])), k, c) for k, c in enumerate((*INDICATORS, "BONUS"))]
        reasons += [c for size, _, c in sorted(moves, key=lambda t: (-t[0], t[1])) if size > _TOLERANCE]
        if "COMPL" in reasons:
            # Which part of the complaints score moved: the substantiated rate, the timeliness (ZY-2026 changed
            # how timeliness is scored), or both; named right after COMPL.
            at = reasons.index("COMPL") + 1
            reasons[at:at] = [part for part, column in COMPL_PARTS if _moved(rb, ra, column)]
        if float(rb["score"]) == float(ra["score"]) and rb["band_grade"] != ra["band_grade"]:
            reasons.append("BANDS")
        indicators = tuple(
            IndicatorChange(c, _optional(rb[s]), _optional(ra[s]), float(rb[w]), float(ra[w]),
                            float(contribution[c][i]))
            for c, (s, _, w) in SUBSCORE_COLUMNS.items()
        )
        changes.append(CompanyChange(
            credit_code=str(code), name=None if pd.isna(rb["name"]) else str(rb["name"]),
            score_before=float(rb["score"]), score_after=float(ra["score"]),
            grade_before=str(rb["grade"]), grade_after=str(ra["grade"]),
            band_grade_before=str(rb["band_grade"]), band_grade_after=str(ra["band_grade"]),
            indicators=indicators, bonus_before=float(rb["bonus"]), bonus_after=float(ra["bonus"]),
            veto_before=bool(rb["veto"]), veto_after=bool(ra["veto"]),
            floor_before=bool(rb["floor_applied"]), floor_after=bool(ra["floor_applied"]),
            reasons=tuple(reasons),
        ))
    grade_changes = tuple(c for c, flag in zip(changes, regraded, strict=True) if flag)
    score_moves = sorted((c for c, flag in zip(changes, regraded, strict=True) if not flag),
                         key=lambda c: (-abs(c.score_after - c.score_before), c.credit_code))
    return WhatIf(current.methodology_id, draft.methodology_id, migration, grade_changes, tuple(score_moves))
