"""§7 of methodology ZY-2025: the worked example, to the decimal."""

from __future__ import annotations

import datetime as dt

import pytest

from rating_service.companies.credit_code import make_credit_code
from scoring.engine import Constants, Period, rate_companies
from scoring.methodology import load_methodology, methodology_in_force
from tests.scoring.builders import inputs

A = make_credit_code(region="340722", serial=1)  # 皖江物业
B = make_credit_code(region="340722", serial=2)  # the previous manager of 尚泽江南府
P = Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def worked_example():  # type: ignore[no-untyped-def]
    inspections = [
        # four visits with findings: 3 minor (one rectified late), 1 moderate unrectified, deadline 2025-12-10
        {"record_id": "X1", "inspected_on": "2025-02-10", "community_id": "SSLT", "severity": "minor",
         "rectify_by": "2025-02-20", "rectified_on": "2025-02-18"},
        {"record_id": "X2", "inspected_on": "2025-04-10", "community_id": "SSLT", "severity": "minor",
         "rectify_by": "2025-04-20", "rectified_on": "2025-04-30"},
        {"record_id": "X3", "inspected_on": "2025-08-10", "community_id": "SZJNF", "severity": "minor"},
        {"record_id": "X4", "inspected_on": "2025-11-30", "community_id": "SZJNF", "severity": "moderate",
         "rectify_by": "2025-12-10"},
    ] + [  # six visits that found nothing
        {"record_id": f"V{i}", "inspected_on": f"2025-{i + 2:02d}-15", "community_id": "SSLT", "severity": "none"}
        for i in range(1, 7)
    ]
    complaints = []
    for i in range(20):
        complaints.append({
            "record_id": f"C{i:02d}", "received_on": f"2025-{(i % 11) + 1:02d}-05", "community_id": "SSLT",
            "substantiated": i < 9, "due_on": f"2025-{(i % 11) + 1:02d}-12",
            # 17 on time, 2 late, 1 unresolved
            "resolved_on": None if i == 19 else f"2025-{(i % 11) + 1:02d}-{10 if i < 17 else 20}",
        })
    complaints.append({"record_id": "C-not-due", "received_on": "2025-12-28", "community_id": "SSLT",
                       "substantiated": False})  # due 2026-01-04, after as_of: not counted in timeliness
    return inputs(
        companies=[{"credit_code": A, "name": "皖江物业"}, {"credit_code": B, "name": "前物业"}],
        communities=[{"community_id": "SSLT", "name": "山水兰亭", "households": 800},
                     {"community_id": "SZJNF", "name": "尚泽江南府", "households": 400}],
        contracts=[{"community_id": "SSLT", "credit_code": A, "start_date": "2020-01-01"},
                   {"community_id": "SZJNF", "credit_code": B, "start_date": "2019-01-01", "end_date": "2025-06-30"},
                   {"community_id": "SZJNF", "credit_code": A, "start_date": "2025-07-01"}],
        inspections=inspections,
        complaints=complaints,
        fee_violations=[{"record_id": "F1", "decided_on": "2025-06-01", "credit_code": A,
                         "violation_type": "overcharge", "amount_yuan": 23000, "refunded": True}],
        commendations=[{"record_id": "B1", "awarded_on": "2025-12-01", "credit_code": A, "level": "county"}],
    )


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    methodology = load_methodology("scoring/methodologies/ZY-2025.yaml")
    return rate_companies(inputs=worked_example(), period=P, methodology=methodology, constants=Constants(r0=0.004))


def _company(result):  # type: ignore[no-untyped-def]
    return result.companies.set_index("credit_code").loc[A]


def test_exposure_and_visits(result):
    row = _company(result)
    assert row["exposure"] == pytest.approx(1001.64, abs=0.005)
    assert row["visits"] == 10


def test_inspection_indicator(result):
    row = _company(result)
    assert (row["insp_points"], row["insp_measure"], row["insp_score"]) == (10, 1.0, 90.00)


def test_complaint_indicator(result):
    row = _company(result)
    assert row["compl_rate"] == pytest.approx(7.836, abs=0.0005)
    assert row["compl_rate_score"] == pytest.approx(60.82, abs=0.005)
    assert (row["compl_due"], row["compl_on_time"], row["compl_timeliness_score"]) == (20, 17, 85.0)
    assert row["compl_score"] == 65.66


def test_fee_indicator_and_bonus(result):
    row = _company(result)
    assert (row["fee_points"], row["fee_score"], row["bonus"]) == (3.0, 81.25, 2.0)


def test_score_and_grade(result):
    row = _company(result)
    assert row["raw_score"] == pytest.approx(81.2935, abs=1e-9)
    assert (row["score"], row["grade"]) == (81.3, "AA")
    assert not row["veto"] and not row["provisional"] and not row["red_list"] and not row["black_list"]


def test_reasons_in_the_stated_order(result):
    reasons = result.reasons[result.reasons["credit_code"] == A]
    assert reasons["reason"].tolist() == ["COMPL_RATE", "FEE", "INSP", "COMPL_TIMELY"]
    assert [round(v, 2) for v in reasons["points_lost"]] == [10.97, 4.69, 4.00, 1.05]


def test_path_to_the_next_grade(result):
    path = result.paths[result.paths["credit_code"] == A].set_index("component")
    assert set(path["next_grade"]) == {"AAA"} and set(path["gap"]) == {8.7}
    assert not path.loc["INSP", "reachable"] and path.loc["INSP", "max_gain"] == pytest.approx(4.0)
    assert not path.loc["FEE", "reachable"] and round(path.loc["FEE", "max_gain"], 2) == 4.69
    assert not path.loc["COMPL_TIMELY", "reachable"] and round(path.loc["COMPL_TIMELY", "max_gain"], 2) == 1.05
    assert path.loc["COMPL_RATE", "reachable"]
    rise = path.loc["COMPL_RATE", "target_subscore"] - _company(result)["compl_rate_score"]
    assert round(rise, 2) == 31.07
    assert round(path.loc["COMPL_RATE", "target_subscore"], 2) == 91.89
    assert round(path.loc["COMPL_RATE", "target_measure"], 2) == 1.62
    # r <= 1.622 with E = 1001.64, k = 300, R0 = 0.004: C <= 1.622 * 1301.64 / 1000 - 1.2 = 0.91 -> none at all.
    assert path.loc["COMPL_RATE", "target_count"] == 0
    # Even with no substantiated complaint r stays at the prior's 1000 * 1.2 / 1301.64 = 0.922 (u = 95.39),
    # so the most COMPL_RATE can gain is 0.35 * 0.8 * (95.39 - 60.82) = 9.68, enough for 8.7.
    assert round(path.loc["COMPL_RATE", "max_gain"], 2) == 9.68


def test_takeover_attributes_by_contract_and_predecessor_is_not_charged(result):
    records = result.records.set_index("record_id")
    assert records.loc["X3", "credit_code"] == A and records.loc["X3", "attribution"] == "contract"
    predecessor = result.companies.set_index("credit_code").loc[B]
    assert predecessor["insp_points"] == 0 and predecessor["visits"] == 0


def test_methodology_in_force_at_the_period_end_is_zy_2025():
    assert methodology_in_force(P.end).id == "ZY-2025"


def test_explanation_for_the_notice(result):
    from scoring.explain import explain, shown

    methodology = load_methodology("scoring/methodologies/ZY-2025.yaml")
    exp = explain(result, A, methodology)
    assert (exp.score, exp.grade, exp.next_grade, exp.gap) == (81.3, "AA", "AAA", 8.7)
    table = {line.code: line for line in exp.indicators}
    assert (table["INSP"].measure, table["INSP"].sub_score, table["INSP"].weight) == (1.0, 90.0, 0.4)
    assert round(table["COMPL"].points_earned, 3) == 22.981 and round(table["FEE"].points_earned, 4) == 20.3125
    assert [r.code for r in exp.reasons] == ["COMPL_RATE", "FEE", "INSP", "COMPL_TIMELY"]
    insp = next(r for r in exp.reasons if r.code == "INSP")
    assert [e.record_id for e in insp.evidence] == ["X4", "X2", "X3", "X1"]  # 6, 2, 1, 1 points; newest first on ties
    rate = next(r for r in exp.reasons if r.code == "COMPL_RATE")
    assert len(rate.evidence) == 5  # up to 5 of the 9 substantiated complaints, newest first
    timely = next(r for r in exp.reasons if r.code == "COMPL_TIMELY")
    assert [e.record_id for e in timely.evidence][0] == "C19"  # unresolved: most overdue
    step = next(s for s in exp.path if s.component == "COMPL_RATE")
    assert shown(step.target_measure, at_most=True) == 1.62
    assert exp.as_dict()["constants"] == {"R0": 0.004}
