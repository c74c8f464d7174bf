"""Methodology validation (scoring/validation.py): back-test, migration, stability, sensitivity, advice, what-if.

Synthetic data with a planted relationship (or none) pins the statistics; the demo county
(fixtures/zongyang) and the golden cases pin that re-scoring from stored sub-scores is the engine's
own arithmetic, so the sensitivity and what-if numbers describe the methodology actually in use.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy.stats import rankdata
from sklearn.metrics import roc_auc_score

from scoring.engine import Period, RatingResult, rate_companies
from scoring.methodology import METHODOLOGY_DIR, load_methodology, parse_methodology
from scoring.validation import (
    DEFAULT_OUTCOMES,
    OutcomeDefinition,
    _auc_rows,
    advisory_weights,
    back_test,
    composite,
    migration_matrix,
    next_cycle_outcomes,
    population_stability,
    sensitivity,
    stability_label,
    what_if,
)
from tests.scoring.builders import inputs
from tests.scoring.test_golden import CASES, GOLDEN, load_case, run_case
from tests.scoring.validation_builders import subscore_frame, zongyang_inputs

ZY2025 = load_methodology(METHODOLOGY_DIR / "ZY-2025.yaml")
GRADES = ZY2025.grades  # AAA, AA, A, B, C: best first
P2025 = Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
P2026 = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
REASON_CODES = {"VETO", "FLOOR", "INSP", "COMPL", "FEE", "BONUS", "BANDS"}


@pytest.fixture(scope="module")
def county() -> RatingResult:
    """The demo county rated for 2025 with ZY-2025 (18 companies)."""
    return rate_companies(inputs=zongyang_inputs(), period=P2025, methodology=ZY2025)


def grade_of(score: np.ndarray) -> np.ndarray:
    mins = np.array([b.min for b in ZY2025.bands])
    return np.array(GRADES, dtype=object)[np.argmax(score[:, None] >= mins[None, :], axis=1)]


def synthetic_scores(*, size: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    score = np.round(rng.uniform(20, 100, size), 1)
    return pd.DataFrame({"credit_code": [f"C{i:04d}" for i in range(size)], "score": score,
                         "grade": grade_of(score)})


def methodology_with(**changes: Any) -> Any:
    """ZY-2025 with some top-level keys replaced, validated like a methodology file."""
    data = ZY2025.model_dump(mode="json")
    data.update(changes, id="ZY-DRAFT")
    return parse_methodology(data, source="draft")


# -- back-test ---------------------------------------------------------------------------------------


def test_back_test_finds_a_planted_relationship_with_auc_at_least_0_7_and_falling_rates_per_grade():
    scores = synthetic_scores(size=400, seed=7)
    rng = np.random.default_rng(8)
    chance = 1 / (1 + np.exp((scores["score"].to_numpy() - 60) / 6))  # falls steeply with the score
    outcomes = pd.DataFrame({"serious_finding": rng.random(400) < chance},
                            index=pd.Index(scores["credit_code"], name="credit_code"))

    found = back_test(scores=scores, outcomes=outcomes, grades=GRADES, bootstrap=300, seed=1).outcome(
        "serious_finding")

    assert found.auc is not None and found.gini is not None and found.auc_ci is not None
    assert found.auc >= 0.7
    assert found.auc == pytest.approx(roc_auc_score(outcomes["serious_finding"], -scores["score"]))
    assert found.gini == pytest.approx(2 * found.auc - 1)
    assert found.auc_ci[0] <= found.auc <= found.auc_ci[1]
    assert found.gini_ci == pytest.approx((2 * found.auc_ci[0] - 1, 2 * found.auc_ci[1] - 1))
    rates = [g.rate for g in found.grades]
    assert [g.grade for g in found.grades] == GRADES
    assert all(r is not None for r in rates)
    assert rates == sorted(rates)  # best grade first: the rate rises as the grade worsens
    assert found.monotone is True
    assert sum(g.n for g in found.grades) == found.n == 400


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_back_test_on_pure_noise_finds_auc_within_0_5_plus_minus_0_1(seed: int):
    scores = synthetic_scores(size=400, seed=seed)
    rng = np.random.default_rng(100 + seed)
    outcomes = pd.DataFrame({"fee_violation": rng.random(400) < 0.3}, index=scores["credit_code"])

    found = back_test(scores=scores, outcomes=outcomes, grades=GRADES, bootstrap=50, seed=seed).outcome(
        "fee_violation")

    assert found.auc is not None
    assert abs(found.auc - 0.5) <= 0.1


def test_back_test_counts_only_companies_scored_in_cycle_n_and_rated_in_cycle_n_plus_1():
    scores = pd.DataFrame({"credit_code": ["A", "B", "C", "D"], "score": [95.0, 85.0, 65.0, 40.0],
                           "grade": ["AAA", "AA", "B", "C"]})
    outcomes = pd.DataFrame({"credit_code": ["C", "D", "E"], "fee_violation": [False, True, True]})

    result = back_test(scores=scores, outcomes=outcomes, grades=GRADES, bootstrap=20)
    fee = result.outcome("fee_violation")

    assert (result.n_scored, result.n_with_outcome, result.n_matched) == (4, 3, 2)
    assert (fee.n, fee.events) == (2, 1)
    assert fee.auc == 1.0  # the lower score (D) had the outcome
    by_grade = {g.grade: (g.n, g.events, g.rate) for g in fee.grades}
    assert by_grade == {"AAA": (0, 0, None), "AA": (0, 0, None), "A": (0, 0, None), "B": (1, 0, 0.0),
                        "C": (1, 1, 1.0)}


def test_back_test_gives_no_auc_when_the_outcome_has_one_class():
    scores = synthetic_scores(size=30, seed=3)
    outcomes = pd.DataFrame({"serious_finding": np.zeros(30, dtype=bool)}, index=scores["credit_code"])

    found = back_test(scores=scores, outcomes=outcomes, grades=GRADES, bootstrap=20).outcome("serious_finding")

    assert (found.auc, found.gini, found.auc_ci, found.gini_ci, found.resamples) == (None, None, None, None, 0)
    assert found.events == 0


def test_back_test_flags_rates_that_rise_as_the_grade_improves():
    scores = pd.DataFrame({"credit_code": list("ABCD"), "score": [95.0, 92.0, 50.0, 45.0],
                           "grade": ["AAA", "AAA", "C", "C"]})
    outcomes = pd.DataFrame({"serious_finding": [True, True, False, True]}, index=list("ABCD"))

    found = back_test(scores=scores, outcomes=outcomes, grades=GRADES, bootstrap=20).outcome("serious_finding")

    assert found.monotone is False


def test_back_test_bootstrap_is_reproducible_with_its_seed():
    scores = synthetic_scores(size=120, seed=5)
    outcomes = pd.DataFrame({"x": np.random.default_rng(6).random(120) < 0.4}, index=scores["credit_code"])

    first = back_test(scores=scores, outcomes=outcomes, grades=GRADES, bootstrap=100, seed=3).as_dict()
    again = back_test(scores=scores, outcomes=outcomes, grades=GRADES, bootstrap=100, seed=3).as_dict()
    other = back_test(scores=scores, outcomes=outcomes, grades=GRADES, bootstrap=100, seed=4).as_dict()

    assert first == again
    assert first["outcomes"][0]["auc_ci"] != other["outcomes"][0]["auc_ci"]


def test_bootstrap_auc_of_a_resample_equals_sklearn_with_tied_scores():
    score = np.array([[50.0, 50.0, 60.0, 70.0, 70.0, 80.0]])
    label = np.array([[True, False, True, False, True, False]])

    assert _auc_rows(rankdata(-score, axis=1), label)[0] == pytest.approx(roc_auc_score(label[0], -score[0]))


# -- next-cycle outcomes -------------------------------------------------------------------------------


def _next_cycle_world() -> dict[str, list[dict[str, Any]]]:
    """Four companies with a contract each (1,000 households all 2026) and E with no contract."""
    codes = ["A", "B", "C", "D"]
    complaints = []
    for code, count in zip(codes, [0, 1, 3, 6], strict=True):  # substantiated complaints in 2026
        complaints += [{"record_id": f"K{code}{i}", "received_on": "2026-04-01", "community_id": f"N{code}",
                        "substantiated": True, "due_on": "2026-04-05", "resolved_on": "2026-04-02"}
                       for i in range(count)]
    return {
        "companies": [{"credit_code": c, "name": f"物业{c}"} for c in [*codes, "E"]],
        "communities": [{"community_id": f"N{c}", "name": f"小区{c}", "households": 1000} for c in codes],
        "contracts": [{"community_id": f"N{c}", "credit_code": c, "start_date": "2020-01-01"} for c in codes],
        "inspections": [
            {"record_id": "I1", "inspected_on": "2026-03-01", "community_id": "NA", "severity": "serious"},
            {"record_id": "I2", "inspected_on": "2025-06-01", "community_id": "NB", "severity": "serious"},
            {"record_id": "I3", "inspected_on": "2026-03-01", "community_id": "NB", "severity": "minor"},
        ],
        "complaints": complaints,
        "fee_violations": [
            {"record_id": "F1", "decided_on": "2026-05-01", "credit_code": "C", "violation_type": "undisclosed"},
            {"record_id": "F2", "decided_on": "2026-05-01", "credit_code": "E", "violation_type": "overcharge"},
            {"record_id": "F3", "decided_on": "2025-05-01", "credit_code": "D", "violation_type": "overcharge"},
        ],
    }


def test_next_cycle_outcomes_follow_the_three_default_rules():
    built = inputs(**_next_cycle_world())
    result = rate_companies(inputs=built, period=P2026, methodology=ZY2025)

    outcomes = next_cycle_outcomes(result=result, inputs=built)

    assert list(outcomes.columns) == [d.code for d in DEFAULT_OUTCOMES]
    assert all(outcomes[c].dtype == bool for c in outcomes.columns)
    assert outcomes.to_dict(orient="index") == {
        # A: a counted serious finding. B: its serious finding lies in 2025, only a minor one in 2026.
        "A": {"serious_finding": True, "complaint_rate_above_median": False, "fee_violation": False},
        "B": {"serious_finding": False, "complaint_rate_above_median": False, "fee_violation": False},
        # Rates rise with 0, 1, 3, 6 substantiated complaints on equal exposure: C and D lie above the median.
        "C": {"serious_finding": False, "complaint_rate_above_median": True, "fee_violation": True},
        # D's fee violation was decided in 2025: not counted in 2026.
        "D": {"serious_finding": False, "complaint_rate_above_median": True, "fee_violation": False},
        # E has no exposure (no rate to compare) and a counted fee violation naming it.
        "E": {"serious_finding": False, "complaint_rate_above_median": False, "fee_violation": True},
    }


def test_next_cycle_outcomes_reject_an_unknown_outcome_code():
    built = inputs(**_next_cycle_world())
    result = rate_companies(inputs=built, period=P2026, methodology=ZY2025)

    with pytest.raises(ValueError, match="unknown outcome"):
        next_cycle_outcomes(result=result, inputs=built, definitions=[OutcomeDefinition("late_fees", "x", "x")])


# -- population stability ------------------------------------------------------------------------------


def test_psi_of_identical_distributions_is_exactly_zero_and_stable():
    scores = synthetic_scores(size=300, seed=2)["score"]

    stability = population_stability(expected=scores, actual=scores.sample(frac=1, random_state=1))

    assert stability.psi == 0.0
    assert stability.label == "stable"
    assert sum(b.expected_share for b in stability.bands) == pytest.approx(1.0)
    assert len(stability.bands) == 10


def test_psi_of_a_shifted_distribution_is_labelled_shift():
    rng = np.random.default_rng(4)

    stability = population_stability(expected=rng.normal(70, 8, 500).clip(0, 100),
                                      actual=rng.normal(85, 8, 500).clip(0, 100))

    assert stability.psi > 0.25
    assert stability.label == "shift"


def test_psi_of_a_small_change_is_labelled_by_its_value():
    rng = np.random.default_rng(5)
    expected = rng.normal(75, 10, 2000).clip(0, 100)

    stability = population_stability(expected=expected, actual=(expected + rng.normal(1.5, 2, 2000)).clip(0, 100))

    assert 0 < stability.psi <= 0.25
    assert stability.label == ("stable" if stability.psi < 0.1 else "watch")


def test_psi_labels_at_the_band_edges():
    assert [stability_label(v) for v in (0.0, 0.0999, 0.1, 0.25, 0.2501)] == \
        ["stable", "stable", "watch", "watch", "shift"]


def test_psi_puts_a_score_of_100_in_the_top_band():
    stability = population_stability(expected=[100.0, 95.0], actual=[0.0, 5.0])

    assert stability.bands[-1].expected_share == 1.0
    assert stability.bands[0].actual_share == 1.0


# -- migration ---------------------------------------------------------------------------------------


def test_migration_matrix_on_a_hand_made_case():
    before = pd.Series({"A": "AAA", "B": "AA", "C": "B", "D": "C", "E": "A", "F": "AA"})
    after = pd.Series({"A": "AA", "B": "AA", "C": "A", "D": "C", "F": "AAA", "G": "B", "H": "C"})

    migration = migration_matrix(before=before, after=after, grades=GRADES)
    table = migration.frame()

    assert list(table.index) == GRADES and list(table.columns) == GRADES
    assert int(table.to_numpy().sum()) == migration.both == 5  # A, B, C, D, F are rated in both cycles
    assert table.loc["AAA", "AA"] == 1 and table.loc["AA", "AA"] == 1 and table.loc["B", "A"] == 1
    assert table.loc["C", "C"] == 1 and table.loc["AA", "AAA"] == 1
    assert table.loc["A"].sum() == 0  # E left: its row stays empty
    assert (migration.entered, migration.left) == (2, 1)  # G, H entered; E left
    assert (migration.stayed, migration.upgraded, migration.downgraded) == (2, 2, 1)


def test_migration_rows_sum_to_the_companies_rated_in_both_cycles(county: RatingResult):
    before = county.companies.set_index("credit_code")["grade"]
    after = before.iloc[3:].copy()
    after.iloc[:5] = "C"

    migration = migration_matrix(before=before, after=after, grades=GRADES)

    rows = migration.frame().sum(axis=1)
    assert rows.to_dict() == before.loc[after.index].value_counts().reindex(GRADES, fill_value=0).to_dict()
    assert (migration.both, migration.left, migration.entered) == (len(before) - 3, 3, 0)


def test_migration_rejects_a_grade_outside_the_list():
    with pytest.raises(ValueError, match="not among"):
        migration_matrix(before=pd.Series({"A": "AAA"}), after=pd.Series({"A": "D"}), grades=GRADES)


# -- composite from stored sub-scores ------------------------------------------------------------------


def test_composite_with_the_methodology_weights_reproduces_the_engine_on_the_demo_county(county: RatingResult):
    engine = county.companies

    again = composite(frame=engine, methodology=ZY2025)

    assert again["score"].tolist() == engine["score"].tolist()
    assert again["raw_score"].tolist() == engine["raw_score"].tolist()
    assert again["grade"].tolist() == engine["grade"].tolist()
    assert again["band_grade"].tolist() == engine["band_grade"].tolist()
    assert again["floor_applied"].tolist() == engine["floor_applied"].tolist()
    assert again[["w_insp", "w_compl", "w_fee"]].to_numpy().tolist() == \
        engine[["w_insp", "w_compl", "w_fee"]].to_numpy().tolist()


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_composite_with_the_methodology_weights_reproduces_every_golden_case(path: Path):
    engine = run_case(load_case(path)).companies

    again = composite(frame=engine, methodology=ZY2025)

    assert again["score"].tolist() == engine["score"].tolist()
    assert again["grade"].tolist() == engine["grade"].tolist()
    assert again["floor_applied"].tolist() == engine["floor_applied"].tolist()


def test_composite_applies_floor_and_veto_whatever_the_weights():
    floor = run_case(load_case(GOLDEN / "floor.yaml")).companies  # X: no adverse record
    veto = run_case(load_case(GOLDEN / "veto_fee_type.yaml")).companies

    only_complaints = {"INSP": 0.0, "COMPL": 1.0, "FEE": 0.0}
    lifted = composite(frame=floor, methodology=ZY2025, weights=only_complaints).set_index("credit_code")
    vetoed = composite(frame=veto, methodology=ZY2025, weights={"INSP": 0.0, "COMPL": 0.0, "FEE": 1.0})

    assert lifted.loc["913407220000000195", ["score", "band_grade", "grade", "floor_applied"]].tolist() == \
        [0.0, "C", "B", True]
    assert lifted.loc["913407220000000270", ["band_grade", "grade", "floor_applied"]].tolist() == ["C", "C", False]
    assert (vetoed.loc[vetoed["veto"], "grade"] == ZY2025.veto.grade).all() and vetoed["veto"].any()


# -- sensitivity --------------------------------------------------------------------------------------


def test_sensitivity_is_reproducible_with_its_seed(county: RatingResult):
    first = sensitivity(frame=county.companies, methodology=ZY2025, draws=60, seed=11)
    again = sensitivity(frame=county.companies, methodology=ZY2025, draws=60, seed=11)

    assert first.as_dict() == again.as_dict()
    assert first.kendall_tau.p05 is not None and first.kendall_tau.p05 < 1.0  # the weights do move something


def test_sensitivity_with_spread_zero_keeps_every_rank_and_grade(county: RatingResult):
    still = sensitivity(frame=county.companies, methodology=ZY2025, draws=20, spread=0.0)

    assert (still.kendall_tau.p05, still.kendall_tau.median, still.kendall_tau.p95) == (1.0, 1.0, 1.0)
    assert (still.grade_change_share.p05, still.grade_change_share.p95) == (0.0, 0.0)
    assert still.most_moved == ()


def test_sensitivity_names_companies_near_a_band_edge_as_most_moved():
    frame = subscore_frame(size=3, seed=0)
    # Company 0 scores 80.0 exactly with the base weights: any weight change can cross the AA/A edge.
    # Companies 1 and 2 score 100 and 40 (all sub-scores equal): no weight can move them.
    frame[["insp_score", "compl_score", "fee_score"]] = [[100.0, 60.0, 76.0], [100.0, 100.0, 100.0],
                                                        [40.0, 40.0, 40.0]]

    moved = sensitivity(frame=frame, methodology=ZY2025, draws=100, seed=2)

    assert composite(frame=frame, methodology=ZY2025)["score"].tolist() == [80.0, 100.0, 40.0]
    assert [m.credit_code for m in moved.most_moved] == ["C0000"]
    assert moved.most_moved[0].grades_seen == ("AA", "A")
    assert 0 < moved.most_moved[0].grade_change_share < 1


# -- advisory weights -------------------------------------------------------------------------------


def test_advisory_weights_follow_a_planted_insp_effect_and_refuse_a_wrong_sign():
    frame = subscore_frame(size=600, seed=1)
    rng = np.random.default_rng(2)
    # Risk falls steeply with the INSP sub-score and (wrongly) rises a little with the FEE sub-score.
    logit = (-(frame["insp_score"] - 65) / 6 + (frame["fee_score"] - 65) / 15).to_numpy()
    outcome = pd.Series(rng.random(600) < 1 / (1 + np.exp(-logit)), index=frame["credit_code"].to_numpy())

    advice = advisory_weights(frame=frame, outcome=outcome, methodology=ZY2025)

    assert advice.coefficients is not None and advice.suggested is not None
    assert advice.coefficients["INSP"] < 0 < advice.coefficients["FEE"]
    assert max(advice.suggested, key=lambda c: advice.suggested[c]) == "INSP"  # type: ignore[index]
    assert advice.suggested["FEE"] == 0.0
    assert sum(advice.suggested.values()) == pytest.approx(1.0, abs=1e-12)
    assert all(round(v, 2) == v for v in advice.suggested.values())
    warned = {(w.indicator, w.code) for w in advice.warnings}
    assert ("FEE", "wrong_sign") in warned
    assert not any(indicator == "INSP" for indicator, _ in warned)
    assert advice.current == ZY2025.weights
    assert (advice.n, advice.reason) == (600, None)


def test_advisory_weights_align_an_outcome_without_credit_codes_by_row():
    frame = subscore_frame(size=300, seed=6)
    rng = np.random.default_rng(7)
    planted = rng.random(300) < 1 / (1 + np.exp((frame["insp_score"].to_numpy() - 65) / 6))

    by_row = advisory_weights(frame=frame, outcome=pd.Series(planted), methodology=ZY2025)
    by_code = advisory_weights(frame=frame, outcome=pd.Series(planted, index=frame["credit_code"].to_numpy()),
                               methodology=ZY2025)

    assert by_row.n == 300
    assert by_row.as_dict() == by_code.as_dict()


def test_advisory_weights_give_no_advice_for_one_class_or_too_few_companies():
    frame = subscore_frame(size=40, seed=3)
    never = pd.Series(False, index=frame["credit_code"].to_numpy())
    few = pd.Series([True, False] * 4, index=frame["credit_code"].to_numpy()[:8])

    one_class = advisory_weights(frame=frame, outcome=never, methodology=ZY2025)
    too_few = advisory_weights(frame=frame, outcome=few, methodology=ZY2025)

    assert one_class.suggested is None and one_class.reason is not None and "one class" in one_class.reason
    assert too_few.suggested is None and too_few.reason is not None and too_few.n == 8


def test_advisory_weights_fill_a_not_assessed_sub_score_with_the_column_mean():
    frame = subscore_frame(size=200, seed=4)
    frame.loc[:49, "insp_assessed"] = False
    frame.loc[:49, "insp_score"] = np.nan
    rng = np.random.default_rng(5)
    outcome = pd.Series(rng.random(200) < 1 / (1 + np.exp((frame["compl_score"].to_numpy() - 65) / 6)),
                        index=frame["credit_code"].to_numpy())

    advice = advisory_weights(frame=frame, outcome=outcome, methodology=ZY2025)

    assert advice.coefficients is not None and all(np.isfinite(list(advice.coefficients.values())))
    assert advice.suggested is not None and max(advice.suggested, key=advice.suggested.__getitem__) == "COMPL"


# -- what-if ----------------------------------------------------------------------------------------


def test_what_if_with_the_current_methodology_is_the_identity(county: RatingResult):
    again = rate_companies(inputs=zongyang_inputs(), period=P2025, methodology=ZY2025)

    change = what_if(current=county, draft=again, grades=GRADES)

    counts = county.companies["grade"].value_counts().reindex(GRADES, fill_value=0).tolist()
    assert np.array_equal(change.migration.frame().to_numpy(), np.diag(counts))
    assert change.changes == ()
    assert change.identity is True


def test_what_if_with_changed_weights_lists_exactly_the_companies_whose_grade_changes(county: RatingResult):
    draft = methodology_with(weights={"INSP": 0.2, "COMPL": 0.6, "FEE": 0.2})
    rated = rate_companies(inputs=zongyang_inputs(), period=P2025, methodology=draft)

    change = what_if(current=county, draft=rated, grades=GRADES)

    joined = county.companies.merge(rated.companies, on="credit_code", suffixes=("_now", "_draft"))
    differs = set(joined.loc[joined["grade_now"] != joined["grade_draft"], "credit_code"])
    assert differs, "the draft weights should move at least one grade of the demo county"
    assert {c.credit_code for c in change.changes} == differs
    assert change.identity is False
    assert change.draft_methodology_id == "ZY-DRAFT"
    for item in change.changes:
        assert item.reasons and set(item.reasons) <= REASON_CODES
        assert item.grade_before != item.grade_after
        moves = {i.code: abs(i.contribution_change) for i in item.indicators}
        first = next(r for r in item.reasons if r in moves)
        assert moves[first] == max(moves.values())  # the largest contribution change comes first
        assert any(i.weight_before != i.weight_after for i in item.indicators)
    assert change.migration.both == len(county.companies)
    off_diagonal = change.migration.upgraded + change.migration.downgraded
    assert off_diagonal == len(differs)


def test_what_if_with_a_raised_band_edge_gives_bands_as_the_reason(county: RatingResult):
    bands = [{"grade": b.grade, "min": 97.0 if b.grade == "AAA" else b.min} for b in ZY2025.bands]
    rated = rate_companies(inputs=zongyang_inputs(), period=P2025, methodology=methodology_with(bands=bands))

    change = what_if(current=county, draft=rated, grades=GRADES)

    demoted = set(county.companies.loc[county.companies["score"].between(90, 97, inclusive="left"), "credit_code"])
    assert {c.credit_code for c in change.changes} == demoted and demoted
    assert all(c.reasons == ("BANDS",) and (c.grade_before, c.grade_after) == ("AAA", "AA") for c in change.changes)


# -- plain data ---------------------------------------------------------------------------------------


def test_every_result_is_plain_json(county: RatingResult):
    scores = county.companies[["credit_code", "score", "grade"]]
    outcomes = pd.DataFrame({"serious_finding": county.companies["score"].to_numpy() < 70},
                            index=county.companies["credit_code"])
    draft = rate_companies(inputs=zongyang_inputs(), period=P2025,
                           methodology=methodology_with(weights={"INSP": 0.2, "COMPL": 0.6, "FEE": 0.2}))
    frame = subscore_frame(size=50, seed=9)
    outcome = pd.Series(frame["insp_score"].to_numpy() < 60, index=frame["credit_code"].to_numpy())
    results = [
        back_test(scores=scores, outcomes=outcomes, grades=GRADES, bootstrap=20),
        migration_matrix(before=scores.set_index("credit_code")["grade"],
                         after=draft.companies.set_index("credit_code")["grade"], grades=GRADES),
        population_stability(expected=scores["score"], actual=draft.companies["score"]),
        sensitivity(frame=county.companies, methodology=ZY2025, draws=10),
        advisory_weights(frame=frame, outcome=outcome, methodology=ZY2025),
        what_if(current=county, draft=draft, grades=GRADES),
    ]

    for result in results:
        data = result.as_dict()
        assert json.loads(json.dumps(data, allow_nan=False)) == data
