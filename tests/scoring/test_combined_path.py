"""The combined path to the next grade (an addition to §6): when no single component closes the gap, the fewest
components improved together (greedy by the largest possible gain), or none when even all at their best fall short."""

from __future__ import annotations

import datetime as dt

import pytest

from rating_service.companies.credit_code import make_credit_code
from scoring.engine import Period, rate_companies
from scoring.explain import explain
from scoring.methodology import load_methodology
from scoring.piecewise import pl, round_half_up
from tests.scoring.builders import inputs

M = load_methodology("scoring/methodologies/ZY-2025.yaml")
P = Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
MIXED = make_credit_code(region="340722", serial=11)  # poor on every indicator: C, no single fix suffices
SMALL = make_credit_code(region="340722", serial=12)  # tiny, among many complaints: AA out of reach this cycle
BUSY = make_credit_code(region="340722", serial=13)  # raises the county prior


def _inputs():  # type: ignore[no-untyped-def]
    inspections = [{"record_id": f"I{i}", "inspected_on": f"2025-{i + 1:02d}-10", "community_id": "M1",
                    "severity": "serious" if i < 3 else "none"} for i in range(4)]  # d = 18 / 4 = 4.5
    complaints = [{"record_id": f"C{i}", "received_on": f"2025-{i % 12 + 1:02d}-03", "community_id": "M1",
                   "substantiated": True, "due_on": f"2025-{i % 12 + 1:02d}-10",
                   "resolved_on": f"2025-{i % 12 + 1:02d}-{20 if i % 2 else 8}"} for i in range(12)]
    complaints += [{"record_id": f"B{i}", "received_on": f"2025-{i % 12 + 1:02d}-04", "community_id": "B1",
                    "substantiated": True, "due_on": f"2025-{i % 12 + 1:02d}-11",
                    "resolved_on": f"2025-{i % 12 + 1:02d}-09"} for i in range(60)]
    return inputs(
        companies=[{"credit_code": MIXED, "name": "甲"}, {"credit_code": SMALL, "name": "乙"},
                   {"credit_code": BUSY, "name": "丙"}],
        communities=[{"community_id": "M1", "name": "一", "households": 1000},
                     {"community_id": "S1", "name": "二", "households": 5},
                     {"community_id": "B1", "name": "三", "households": 1000}],
        contracts=[{"community_id": "M1", "credit_code": MIXED, "start_date": "2020-01-01"},
                   {"community_id": "S1", "credit_code": SMALL, "start_date": "2020-01-01"},
                   {"community_id": "B1", "credit_code": BUSY, "start_date": "2020-01-01"}],
        inspections=inspections + [{"record_id": f"S{i}", "inspected_on": f"2025-0{i + 1}-12",
                                    "community_id": "S1", "severity": "minor"} for i in range(3)],
        complaints=complaints,
        fee_violations=[{"record_id": "F1", "decided_on": "2025-05-01", "credit_code": MIXED,
                         "violation_type": "public_income", "amount_yuan": 30000}],
        commendations=[{"record_id": "H1", "awarded_on": "2025-06-01", "credit_code": SMALL, "level": "county"}],
    )


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    return rate_companies(inputs=_inputs(), period=P, methodology=M)


def _rows(result, code):  # type: ignore[no-untyped-def]
    return result.paths[result.paths["credit_code"] == code].set_index("component")


def test_no_single_component_suffices_so_the_fewest_largest_gains_combine(result):
    company = result.companies.set_index("credit_code").loc[MIXED]
    rows = _rows(result, MIXED)
    gap = rows["gap"].iloc[0]
    assert not rows["reachable"].any()
    assert rows["max_gain"].sum() >= gap
    chosen = rows[rows["combined"]]
    # Greedy: the largest gains are taken first, and no fewer components would do.
    by_gain = rows["max_gain"].sort_values(ascending=False)
    assert list(chosen.index.sort_values()) == sorted(by_gain.index[:len(chosen)])
    assert by_gain.iloc[:len(chosen) - 1].sum() < gap <= by_gain.iloc[:len(chosen)].sum() + 1e-9
    # Every component but the last is at its best; together the targets close the gap exactly.
    weights = {"INSP": company["w_insp"], "COMPL_RATE": company["w_compl"] * 0.8,
               "COMPL_TIMELY": company["w_compl"] * 0.2, "FEE": company["w_fee"]}
    now = {"INSP": company["insp_score"], "COMPL_RATE": company["compl_rate_score"],
           "COMPL_TIMELY": company["compl_timeliness_score"], "FEE": company["fee_score"]}
    gained = sum(weights[c] * (chosen.loc[c, "combined_subscore"] - now[c]) for c in chosen.index)
    assert gained == pytest.approx(gap)
    assert (chosen["combined_subscore"] <= chosen["best_subscore"] + 1e-9).all()
    # The measures are the curves' inverses: the targets, scored again, give back the sub-scores.
    if "INSP" in chosen.index:
        assert float(pl(chosen.loc["INSP", "combined_measure"], M.inspections.breakpoints)) == pytest.approx(
            chosen.loc["INSP", "combined_subscore"])
    if "FEE" in chosen.index:
        assert float(pl(chosen.loc["FEE", "combined_measure"], M.fees.breakpoints)) == pytest.approx(
            chosen.loc["FEE", "combined_subscore"])
    assert set(chosen.index) >= {"INSP"}
    assert rows.loc[~rows["combined"], "combined_subscore"].isna().all()


def test_all_components_at_their_best_still_short_gives_no_combination(result):
    rows = _rows(result, SMALL)
    company = result.companies.set_index("credit_code").loc[SMALL]
    assert not rows["combined"].any() and not rows["reachable"].any()
    # Even with no substantiated complaint the prior keeps the rate sub-score far below 100.
    assert rows.loc["COMPL_RATE", "best_subscore"] < 60
    best = round_half_up(company["score"] + rows["max_gain"].sum(), 1)
    assert best < rows["gap"].iloc[0] + company["score"]


def test_the_explanation_carries_the_combination(result):
    exp = explain(result, MIXED, M)
    chosen = [s for s in exp.path if s.combined]
    assert chosen and all(s.combined_measure is not None for s in chosen)
    data = exp.as_dict()
    assert any(step["combined"] for step in data["path"])
