"""Golden cases for methodologies ZY-2025 and ZY-2026: one small, hand-computed YAML file per rule in fixtures/golden/.

Each file holds ``name``, ``rule`` (the methodology section it pins), ``why`` (the hand arithmetic,
for a reviewer to check against the methodology text), an optional ``methodology`` (a shipped id, ZY-2025 when
absent), ``period``, an optional frozen ``r0``,
``input`` (rows as in tests/scoring/builders.py) and ``expect``:

- ``rated``: the exact set of rated credit codes;
- ``companies``: {credit_code: {column of RatingResult.companies: value}}; ``score``, ``grade`` and
  every non-float are compared exactly, other numbers to 1e-6, ``.nan`` means "not assessed" (NaN);
- ``reasons``: {credit_code: [reason codes in the order shown]} or a list of
  {reason: CODE, points_lost: x} mappings;
- ``evidence``: {credit_code: {reason: [record ids in rank order]}};
- ``records``: {record_id: {column of RatingResult.records: value}};
- ``unattributed``: the record ids of the cycle's data-quality report;
- ``r0``: the R0 the cycle computed (or was given).

A file may carry ``xfail: "engine bug: ..."`` to pin a known engine defect (strict).
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from scoring.engine import Constants, Period, RatingResult, rate_companies
from scoring.methodology import load_methodology, methodology_by_id
from tests.scoring.builders import COLUMNS, inputs

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "fixtures" / "golden"
METHODOLOGY = load_methodology(ROOT / "scoring" / "methodologies" / "ZY-2025.yaml")
CASES = sorted(GOLDEN.glob("*.yaml"))
TOLERANCE = 1e-6
EXACT = {"score", "grade", "band_grade"}
TOP_KEYS = {"name", "rule", "why", "methodology", "period", "r0", "input", "expect", "xfail"}
EXPECT_KEYS = {"rated", "companies", "reasons", "evidence", "records", "unattributed", "r0"}

# Rules the golden set must cover (a substring of some case's ``rule``), so none is dropped silently.
REQUIRED_RULES = [
    "§2 attribution: a record without a credit_code",
    "§2 attribution: a record that no contract covers",
    "§4.1 overdue: rectified late",
    "§4.1 overdue: unrectified",
    "§4.1 not assessed",
    "§4.2 not assessed",
    "§5 rounding",
    "§5 bonus cap",
    "§5 clamp",
    "§5 veto: maintenance_fund",
    "§5 veto: major event",
    "§5 floor",
    "§5 provisional",
    "§5 red list",
    "§4.2 R0",
    "§4.2 default due date",
    "ZY-2026 §4.2 late rate: no complaint due",
    "ZY-2026 §4.2 late rate: all late",
    "ZY-2026 §4.2 late rate: unresolved past due",
    "ZY-2026 §4.2 late rate: blank due date",
]


def _iso(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def load_case(path: Path) -> dict[str, Any]:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(case, dict), f"{path.name}: not a mapping"
    assert not set(case) - TOP_KEYS, f"{path.name}: unknown keys {sorted(set(case) - TOP_KEYS)}"
    assert {"name", "rule", "why", "period", "input", "expect"} <= set(case), f"{path.name}: missing keys"
    assert not set(case["expect"]) - EXPECT_KEYS, f"{path.name}: unknown expect keys"
    assert not set(case["input"]) - set(COLUMNS), f"{path.name}: unknown input kinds"
    return case


def run_case(case: dict[str, Any]) -> RatingResult:
    rows = {kind: [{k: _iso(v) for k, v in row.items()} for row in case["input"].get(kind) or []]
            for kind in COLUMNS}
    for kind, kind_rows in rows.items():
        for row in kind_rows:
            assert not set(row) - set(COLUMNS[kind]), f"{kind}: unknown columns {sorted(set(row) - set(COLUMNS[kind]))}"
    period = Period(_date(case["period"]["start"]), _date(case["period"]["end"]))
    constants = Constants(r0=float(case["r0"])) if case.get("r0") is not None else None
    methodology = methodology_by_id(case["methodology"]) if case.get("methodology") else METHODOLOGY
    return rate_companies(inputs=inputs(**rows), period=period, methodology=methodology, constants=constants)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def check_value(where: str, column: str, actual: Any, expected: Any) -> None:
    if _missing(expected):
        assert _missing(actual), f"{where}.{column}: expected not assessed/empty, got {actual!r}"
    elif isinstance(expected, bool):
        assert isinstance(actual, bool | int), f"{where}.{column}: {actual!r} is not a flag"
        assert bool(actual) is expected, f"{where}.{column}: {actual!r} != {expected}"
    elif isinstance(expected, int | float):
        assert not _missing(actual), f"{where}.{column}: expected {expected}, got {actual!r}"
        if column in EXACT:
            assert float(actual) == float(expected), f"{where}.{column}: {actual!r} != {expected!r}"
        else:
            assert abs(float(actual) - float(expected)) <= TOLERANCE, f"{where}.{column}: {actual!r} != {expected!r}"
    else:
        assert actual == expected, f"{where}.{column}: {actual!r} != {expected!r}"


def check(case: dict[str, Any], result: RatingResult) -> None:
    expect = case["expect"]
    companies = result.companies.set_index("credit_code")
    if "rated" in expect:
        assert sorted(companies.index) == sorted(expect["rated"])
    for code, columns in (expect.get("companies") or {}).items():
        assert code in companies.index, f"{code} is not rated"
        row = companies.loc[code]
        for column, value in columns.items():
            assert column in companies.columns, f"unknown companies column {column}"
            actual = row[column]
            check_value(code, column, actual.item() if hasattr(actual, "item") else actual, value)
    for code, expected in (expect.get("reasons") or {}).items():
        shown = result.reasons[result.reasons["credit_code"] == code].sort_values("rank")
        assert shown["rank"].tolist() == list(range(1, len(shown) + 1))
        if expected and isinstance(expected[0], dict):
            assert shown["reason"].tolist() == [e["reason"] for e in expected], code
            for (_, got), want in zip(shown.iterrows(), expected, strict=True):
                check_value(f"{code}.{want['reason']}", "points_lost", got["points_lost"], want.get("points_lost"))
        else:
            assert shown["reason"].tolist() == list(expected), code
    for code, by_reason in (expect.get("evidence") or {}).items():
        for reason, ids in by_reason.items():
            items = result.evidence[(result.evidence["credit_code"] == code) & (result.evidence["reason"] == reason)]
            assert items.sort_values("rank")["record_id"].tolist() == list(ids), f"{code}.{reason} evidence"
    records = result.records
    for record_id, columns in (expect.get("records") or {}).items():
        rows = records[records["record_id"] == record_id]
        assert len(rows) == 1, f"record {record_id}: {len(rows)} rows"
        row = rows.iloc[0]
        for column, value in columns.items():
            actual = row[column]
            check_value(record_id, column, actual.item() if hasattr(actual, "item") else actual, value)
    if "unattributed" in expect:
        assert sorted(result.unattributed["record_id"]) == sorted(expect["unattributed"])
    if "r0" in expect:
        assert abs(result.constants.r0 - float(expect["r0"])) <= 1e-12


def _param(path: Path) -> Any:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    marks = [pytest.mark.xfail(strict=True, reason=case["xfail"])] if isinstance(case, dict) and case.get("xfail") \
        else []
    return pytest.param(path, id=path.stem, marks=marks)


@pytest.mark.parametrize("path", [_param(p) for p in CASES])
def test_golden_case(path: Path) -> None:
    case = load_case(path)
    check(case, run_case(case))


def test_golden_set_covers_every_rule() -> None:
    assert len(CASES) >= 12
    rules = [load_case(p)["rule"] for p in CASES]
    missing = [r for r in REQUIRED_RULES if not any(r in rule for rule in rules)]
    assert not missing, f"no golden case for: {missing}"


def test_golden_cases_use_valid_credit_codes() -> None:
    from rating_service.companies.credit_code import is_valid_credit_code

    for path in CASES:
        case = load_case(path)
        codes = {row["credit_code"] for kind in COLUMNS for row in case["input"].get(kind) or []
                 if row.get("credit_code")}
        assert all(isinstance(c, str) and is_valid_credit_code(c) for c in codes), path.name
