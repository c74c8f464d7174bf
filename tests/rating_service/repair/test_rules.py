"""Golden cases of the repair rules with the shipped methodology's periods (ZY-2025: general 3/12 months, serious
12/36 months, accept in 2 working days, decide in 5, commitment 12 months, refile after 30 days, false material
bars 3 years) and the 2026 working-day calendar (春节, 国庆 and their 调休 Saturdays)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from rating_service.repair import rules
from rating_service.workdays import holiday_calendar
from scoring.methodology import METHODOLOGY_DIR, load_methodology

D = dt.date


@pytest.fixture(scope="module")
def methodology() -> Any:
    return load_methodology(METHODOLOGY_DIR / "ZY-2025.yaml")


@pytest.fixture(scope="module")
def repair(methodology: Any) -> Any:
    return methodology.repair_rules()


def fee(record_id: str, subtype: str, day: dt.date) -> rules.MarkRecord:
    return rules.MarkRecord("fee_violations", record_id, subtype, day, None)


def event(record_id: str, subtype: str, day: dt.date) -> rules.MarkRecord:
    return rules.MarkRecord("major_events", record_id, subtype, day, None)


def overcharge_mark(repair: Any) -> rules.Mark:
    record = fee("SF-001", "overcharge", D(2025, 6, 1))
    return rules.Mark("fee_violations", "records", 1, repair.severity_of("fee_violations", "overcharge"),
                      D(2025, 6, 1), (record,))


def black_list_mark(repair: Any) -> rules.Mark:
    return rules.Mark("black_list", "black_list", 2, repair.severity_of("black_list"), D(2025, 1, 15), (),
                      same_kind_after=D(2024, 12, 31))


ALL = ("rectified", "penalty_fulfilled", "commitment_signed")


def verdict(mark: Any, repair: Any, methodology: Any, today: dt.date, declared: Any = ALL, later: Any = (),
            **kw: Any) -> rules.Eligibility:
    return rules.eligibility(mark, rules=repair, veto=methodology.veto, today=today, declared=declared,
                             later=list(later), **kw)


def failed(result: rules.Eligibility) -> list[str]:
    return [c.code for c in result.checks if not c.ok]


# -- months -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("day", "months", "expected"), [
    (D(2025, 1, 31), 1, D(2025, 2, 28)),
    (D(2024, 1, 31), 1, D(2024, 2, 29)),
    (D(2025, 1, 15), 12, D(2026, 1, 15)),
    (D(2025, 11, 30), 3, D(2026, 2, 28)),
    (D(2025, 8, 31), 36, D(2028, 8, 31)),
    (D(2025, 12, 31), 0, D(2025, 12, 31)),
])
def test_calendar_months_clamp_to_the_months_end(day: dt.date, months: int, expected: dt.date) -> None:
    assert rules.add_months(day, months) == expected


def test_periods_by_severity(repair: Any, methodology: Any) -> None:
    general = overcharge_mark(repair)
    assert general.severity == "general"
    assert rules.earliest_on(general, repair) == D(2025, 9, 1)
    assert rules.publicity_ends_on(general, repair) == D(2026, 6, 1)
    serious = black_list_mark(repair)
    assert serious.severity == "serious"
    assert rules.earliest_on(serious, repair) == D(2026, 1, 15)  # the demo's 顺和: 12 months from 2025-01-15
    assert rules.publicity_ends_on(serious, repair) == D(2028, 1, 15)
    assert repair.severity_of("fee_violations", "maintenance_fund") == "serious"
    fund = rules.Mark("fee_violations", "records", 1, "serious", D(2025, 1, 31), (fee("F", "maintenance_fund",
                                                                                       D(2025, 1, 31)),))
    assert rules.earliest_on(fund, repair) == D(2026, 1, 31)


# -- eligibility: golden cases ------------------------------------------------------------------------------------

def test_too_early_the_day_before_and_accepted_on_the_day(repair: Any, methodology: Any) -> None:
    mark = black_list_mark(repair)
    before = verdict(mark, repair, methodology, D(2026, 1, 14))
    assert not before.eligible and failed(before) == ["too_early"]
    assert before.checks[0].params == {"earliest_on": "2026-01-15"}
    on = verdict(mark, repair, methodology, D(2026, 1, 15))
    assert on.eligible and failed(on) == []
    assert [c.code for c in on.checks] == ["too_early", "rectified", "penalty_fulfilled", "commitment_signed",
                                           "no_new_same_kind"]
    general = overcharge_mark(repair)
    assert failed(verdict(general, repair, methodology, D(2025, 8, 31))) == ["too_early"]
    assert verdict(general, repair, methodology, D(2025, 9, 1)).eligible


@pytest.mark.parametrize("missing", ["rectified", "penalty_fulfilled", "commitment_signed"])
def test_each_condition_missing(repair: Any, methodology: Any, missing: str) -> None:
    declared = [c for c in ALL if c != missing]
    result = verdict(overcharge_mark(repair), repair, methodology, D(2026, 1, 14), declared=declared)
    assert not result.eligible
    assert failed(result) == [missing]


def test_declared_without_evidence_is_not_met(repair: Any, methodology: Any) -> None:
    result = verdict(overcharge_mark(repair), repair, methodology, D(2026, 1, 14), has_evidence=False)
    assert failed(result) == ["rectified", "penalty_fulfilled"]
    assert {c.params.get("missing") for c in result.checks if not c.ok} == {"evidence"}


def test_same_ground_same_fee_type_blocks_another_type_does_not(repair: Any, methodology: Any) -> None:
    mark = overcharge_mark(repair)
    today = D(2026, 1, 14)
    same = verdict(mark, repair, methodology, today, later=[fee("SF-009", "overcharge", D(2025, 11, 3))])
    assert failed(same) == ["no_new_same_kind"]
    check = next(c for c in same.checks if c.code == "no_new_same_kind")
    assert check.params["records"] == ["SF-009"] and check.params["after"] == "2025-06-01"
    other = verdict(mark, repair, methodology, today, later=[fee("SF-010", "undisclosed", D(2025, 11, 3)),
                                                               event("ZD-9", "refuse_to_exit", D(2025, 12, 1))])
    assert other.eligible
    # the record itself, one on the mark's own day, and one after today are not "new since"
    edge = verdict(mark, repair, methodology, today, later=[fee("SF-001", "overcharge", D(2025, 6, 1)),
                                                              fee("SF-011", "overcharge", D(2025, 6, 1)),
                                                              fee("SF-012", "overcharge", D(2026, 1, 15))])
    assert edge.eligible


def test_veto_grounds_for_a_black_list(repair: Any, methodology: Any) -> None:
    mark = black_list_mark(repair)
    today = D(2026, 2, 1)
    for record in (fee("SF-20", "maintenance_fund", D(2025, 3, 1)), event("ZD-20", "refuse_to_exit", D(2025, 3, 1)),
                   event("ZD-21", "false_material", D(2026, 1, 2))):
        assert failed(verdict(mark, repair, methodology, today, later=[record])) == ["no_new_same_kind"], record
    for record in (fee("SF-21", "overcharge", D(2025, 3, 1)), event("ZD-22", "other", D(2025, 3, 1)),
                   fee("SF-22", "maintenance_fund", D(2024, 12, 31))):  # not a veto ground, or before the period end
        assert verdict(mark, repair, methodology, today, later=[record]).eligible, record


def test_same_kind_by_a_record_kind_name(repair: Any, methodology: Any) -> None:
    custom = repair.model_copy(update={"records": {**repair.records, "fee_violations": repair.records[
        "fee_violations"].model_copy(update={"same_kind": ("fee_violations",)})}})
    mark = overcharge_mark(custom)
    assert rules.same_kind(mark, fee("X", "undisclosed", D(2025, 7, 1)), rules=custom, veto=methodology.veto)
    assert not rules.same_kind(mark, event("Y", "other", D(2025, 7, 1)), rules=custom, veto=methodology.veto)


def test_open_request_refile_wait_and_bar(repair: Any, methodology: Any) -> None:
    mark = overcharge_mark(repair)
    today = D(2026, 1, 14)
    assert failed(verdict(mark, repair, methodology, today, open_request=True)) == ["request_open"]
    wait = verdict(mark, repair, methodology, today, refile_from=D(2026, 1, 15))
    assert failed(wait) == ["refile_wait"] and wait.checks[-1].params == {"refile_from": "2026-01-15"}
    assert verdict(mark, repair, methodology, today, refile_from=today).eligible
    barred = verdict(mark, repair, methodology, today, barred_until=D(2029, 1, 1), refile_from=D(2029, 1, 1))
    assert failed(barred) == ["barred"]


def test_not_repairable_types(repair: Any, methodology: Any) -> None:
    custom = repair.model_copy(update={"records": {**repair.records, "major_events": repair.records[
        "major_events"].model_copy(update={"not_repairable": ("major_safety_accident",)})}})
    mark = rules.Mark("major_events", "records", 1, "serious", D(2024, 1, 1),
                      (event("ZD-1", "major_safety_accident", D(2024, 1, 1)),))
    result = verdict(mark, custom, methodology, D(2026, 1, 14))
    assert failed(result) == ["not_repairable"] and result.checks[0].params == {"records": ["ZD-1"]}


# -- decisions ----------------------------------------------------------------------------------------------------

def test_commitment_and_refile(repair: Any) -> None:
    assert rules.commitment_until(D(2026, 3, 31), repair) == D(2027, 3, 31)
    assert rules.commitment_until(D(2028, 2, 29), repair) == D(2029, 2, 28)
    general = overcharge_mark(repair)  # earliest 2025-09-01, long past
    assert rules.refile_from(D(2026, 1, 20), general, repair) == D(2026, 2, 19)
    serious = black_list_mark(repair)  # earliest 2026-01-15: a refusal on 2025-12-01 waits for it
    assert rules.refile_from(D(2025, 12, 1), serious, repair) == D(2026, 1, 15)
    assert rules.refile_from(D(2025, 12, 20), serious, repair) == D(2026, 1, 19)
    assert rules.refile_from(D(2026, 1, 20), general, repair, false_material=True) == D(2029, 1, 20)


# -- working-day deadlines across the 2026 holidays and 调休 -------------------------------------------------------

def add(day: dt.date, n: int) -> dt.date:
    return holiday_calendar.add_working_days(day, n)


@pytest.mark.parametrize(("filed", "accept_due"), [
    (D(2026, 9, 30), D(2026, 10, 9)),  # before 国庆: 10-01..10-07 off, 10-08 and 10-09 count
    (D(2026, 10, 9), D(2026, 10, 12)),  # Saturday 10-10 is a 调休 working day
    (D(2026, 2, 14), D(2026, 2, 25)),  # filed on the 调休 Saturday before 春节: 02-15..02-23 off
    (D(2026, 2, 26), D(2026, 2, 28)),  # Saturday 02-28 is a 调休 working day
    (D(2025, 12, 31), D(2026, 1, 5)),  # 元旦 01-01, 01-02 off; Sunday 01-04 works
    (D(2026, 4, 3), D(2026, 4, 8)),  # 清明: Monday 04-06 off
    (D(2026, 4, 30), D(2026, 5, 7)),  # 劳动节 05-01..05-05 off
])
def test_accept_due_across_2026_holidays(repair: Any, filed: dt.date, accept_due: dt.date) -> None:
    assert rules.accept_due(filed, repair, add) == accept_due


@pytest.mark.parametrize(("accepted", "decide_due"), [
    (D(2026, 9, 30), D(2026, 10, 13)),  # 10-08, 10-09, 10-10 (调休 Saturday), 10-12, 10-13
    (D(2026, 2, 13), D(2026, 2, 27)),  # 02-14 (调休 Saturday), then 02-24 .. 02-27
    (D(2026, 5, 8), D(2026, 5, 14)),  # 05-09 (调休 Saturday), 05-11 .. 05-14
    (D(2026, 6, 15), D(2026, 6, 23)),  # 端午 06-19 off
])
def test_decide_due_across_2026_holidays(repair: Any, accepted: dt.date, decide_due: dt.date) -> None:
    assert rules.decide_due(accepted, repair, add) == decide_due
