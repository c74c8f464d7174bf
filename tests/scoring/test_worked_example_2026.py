"""The worked example of methodology ZY-2026 (the §7 company under the 2026 rules), to the decimal.

ZY-2026 changes one thing: the timeliness part of COMPL scores late complaints per 1,000 household-years
(``l = 1000·L/(E + k)``, ``v = PL(l)``) instead of the share resolved on time. The §7 company: E = 1001.64,
20 complaints due, 17 on time, so L = 3; l = 2.3048, v = 88.476; s_COMPL = 66.35; S = 81.535 → 81.5, AA.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from scoring.engine import Constants, Period, rate_companies
from scoring.explain import explain, explanations_json
from scoring.methodology import load_methodology, methodology_by_id, methodology_in_force
from tests.scoring.test_worked_example import A, worked_example

P = Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
ZY2026 = load_methodology("scoring/methodologies/ZY-2026.yaml")


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    return rate_companies(inputs=worked_example(), period=P, methodology=ZY2026, constants=Constants(r0=0.004))


def _company(result):  # type: ignore[no-untyped-def]
    return result.companies.set_index("credit_code").loc[A]


def test_late_rate_part(result):
    row = _company(result)
    assert row["exposure"] == pytest.approx(1001.64, abs=0.005)
    assert (row["compl_due"], row["compl_on_time"], row["compl_late"]) == (20, 17, 3)
    assert round(row["compl_late_rate"], 4) == 2.3048  # 1000·3/(1001.64 + 300)
    assert round(row["compl_timeliness_score"], 3) == 88.476  # 90 − 15·(0.3048/3)


def test_complaint_indicator_and_unchanged_parts(result):
    row = _company(result)
    assert round(row["compl_rate_score"], 4) == 60.8188  # u as under ZY-2025
    assert row["compl_score"] == 66.35
    assert (row["insp_score"], row["fee_score"], row["bonus"]) == (90.0, 81.25, 2.0)


def test_score_and_grade(result):
    row = _company(result)
    assert row["raw_score"] == pytest.approx(81.535, abs=1e-9)  # 36 + 0.35·66.35 + 20.3125 + 2
    assert (row["score"], row["grade"]) == (81.5, "AA")


def test_points_lost_in_the_stated_order(result):
    reasons = result.reasons[result.reasons["credit_code"] == A]
    assert reasons["reason"].tolist() == ["COMPL_RATE", "FEE", "INSP", "COMPL_TIMELY"]
    assert [round(v, 2) for v in reasons["points_lost"]] == [10.97, 4.69, 4.00, 0.81]
    timely = result.evidence[(result.evidence["credit_code"] == A) & (result.evidence["reason"] == "COMPL_TIMELY")]
    assert timely.sort_values("rank")["record_id"].tolist()[0] == "C19"  # unresolved: most overdue, as before


def test_explanation_carries_the_late_rate(result):
    exp = explain(result, A, ZY2026)
    assert (exp.score, exp.grade, exp.next_grade, exp.gap) == (81.5, "AA", "AAA", 8.5)
    parts = next(line for line in exp.indicators if line.code == "COMPL").parts
    assert (parts["late"], parts["due"], parts["on_time"]) == (3, 20, 17)
    assert round(parts["l"], 4) == 2.3048 and round(parts["v"], 3) == 88.476 and "t" not in parts
    # The columnar JSON (what a cycle stores) is the same text.
    codes = result.companies["credit_code"].tolist()
    text = explanations_json(result, ZY2026)[codes.index(A)]
    assert text == json.dumps(exp.as_dict(), ensure_ascii=False, separators=(",", ":"))


def test_the_same_company_under_zy_2025_still_scores_81_3(result):
    zy2025 = rate_companies(inputs=worked_example(), period=P, methodology=methodology_by_id("ZY-2025"),
                            constants=Constants(r0=0.004))
    row = zy2025.companies.set_index("credit_code").loc[A]
    assert (row["score"], row["grade"]) == (81.3, "AA")
    assert "l" not in next(line for line in explain(zy2025, A, methodology_by_id("ZY-2025")).indicators
                           if line.code == "COMPL").parts


def test_versions_and_their_dates():
    assert methodology_in_force(dt.date(2025, 12, 31)).id == "ZY-2025"
    assert methodology_in_force(dt.date(2026, 1, 1)).id == "ZY-2026"
    zy2025 = methodology_by_id("ZY-2025")
    assert zy2025.effective_to == dt.date(2025, 12, 31) and ZY2026.effective_to is None
    assert zy2025.complaints.timeliness.rule == "share" and ZY2026.complaints.timeliness.rule == "late_rate"
    timely = ZY2026.complaints.timeliness
    assert (timely.credibility_households, timely.rate_per_households) == (300, 1000)
    assert timely.breakpoints == ((0, 100), (2, 90), (5, 75), (10, 50), (20, 0))


def _late_only(late: int):  # type: ignore[no-untyped-def]
    """One company, 200 households all year (E = 200), ``late`` complaints unresolved past due, nothing else."""
    from tests.scoring.builders import inputs

    code = "913407220000000195"
    return code, inputs(
        companies=[{"credit_code": code, "name": "皖江物业"}],
        communities=[{"community_id": "N1", "name": "山水兰亭", "households": 200}],
        contracts=[{"community_id": "N1", "credit_code": code, "start_date": "2020-01-01"}],
        complaints=[{"record_id": f"K{i}", "received_on": f"2026-0{1 + i % 9}-01", "community_id": "N1",
                     "substantiated": False, "due_on": f"2026-0{1 + i % 9}-05"} for i in range(late)])


def test_path_gives_the_late_rate_and_the_late_complaints_it_allows():
    """9 late: l = 1000·9/500 = 18, v = 10, S = 7/12·(80 + 2) + 5/12·100 = 89.5 → AA, 0.5 below AAA. v must reach
    (90 − 88.33)·12/7/0.2 = 14.29, i.e. l ≤ 17.14, so at most floor(17.14·500/1000) = 8 late complaints."""
    period = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    code, data = _late_only(9)
    result = rate_companies(inputs=data, period=period, methodology=ZY2026, constants=Constants(r0=0.0))
    row = result.companies.set_index("credit_code").loc[code]
    assert (row["compl_late"], row["compl_late_rate"], row["score"], row["grade"]) == (9, 18.0, 89.5, "AA")
    step = result.paths[(result.paths["credit_code"] == code)].set_index("component").loc["COMPL_TIMELY"]
    assert step["reachable"] and step["next_grade"] == "AAA" and step["gap"] == 0.5
    assert round(step["target_measure"], 2) == 17.14 and step["target_count"] == 8
    # The count is exact: 8 late complaints reach AAA, 9 do not.
    for late, grade in ((8, "AAA"), (9, "AA")):
        _, fewer = _late_only(late)
        rated = rate_companies(inputs=fewer, period=period, methodology=ZY2026, constants=Constants(r0=0.0))
        assert rated.companies.iloc[0]["grade"] == grade
