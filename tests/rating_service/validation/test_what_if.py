"""The what-if: a draft methodology on a rated cycle's frozen snapshot, beside the cycle's own methodology."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

from rating_service.cycles import service as cycles
from rating_service.cycles.models import Cycle
from rating_service.methodologies import service as methodologies
from rating_service.validation import service
from scoring.engine import Constants, Period, rate_companies
from tests import factories as f
from tests.rating_service.notices.helpers import publish
from tests.rating_service.validation.conftest import bands, draft_data, draft_text, stored_ratings

GRADES = ["AAA", "AA", "A", "B", "C"]


def _what_if(client: Any, cycle_id: int, **body: Any) -> dict[str, Any]:
    response = client.post("/api/v1/methodologies/what-if", json={"cycle_id": cycle_id, **body})
    assert response.status_code == 200, response.text
    return response.json()


def _diagonal(counts: Counter[str]) -> list[list[int]]:
    return [[counts[g] if g == h else 0 for h in GRADES] for g in GRADES]


def test_the_cycles_own_methodology_is_the_identity_over_the_api(database, demo):
    officer = f.api_client(database, "officer")
    for cycle_id in (demo.first, demo.second):
        stored = stored_ratings(database, cycle_id)
        result = _what_if(officer, cycle_id, yaml=draft_text("ZY-2025-copy", "2025-01-01"))
        assert (result["current_methodology"], result["draft_methodology"]) == ("ZY-2025", "ZY-2025-copy")
        assert result["cycle"]["id"] == cycle_id
        assert result["changes"] == []
        migration = result["migration"]
        assert migration["grades"] == GRADES
        assert migration["matrix"] == _diagonal(Counter(grade for _s, grade, _m in stored.values()))
        assert (migration["both"], migration["stayed"], migration["upgraded"], migration["downgraded"]) == \
            (len(stored), len(stored), 0, 0)


def test_the_cycles_own_methodology_is_the_identity_in_the_service(database, demo):
    stored = stored_ratings(database, demo.first)
    with database.read_session() as session:
        own = cycles.methodology_of(session.get(Cycle, demo.first))
        outcome = service.what_if(session=session, cycle_id=demo.first, draft=own)
    assert outcome.result.identity
    assert outcome.current.id == outcome.draft.id == "ZY-2025"
    assert outcome.as_dict()["migration"]["matrix"] == _diagonal(Counter(g for _s, g, _m in stored.values()))


@pytest.mark.parametrize("which", ["first", "second"])
def test_a_raised_band_edge_moves_exactly_the_aa_companies_below_it_for_bands(database, demo, which):
    cycle_id = getattr(demo, which)
    stored = stored_ratings(database, cycle_id)
    expected = {code for code, (score, grade, _m) in stored.items() if grade == "AA" and 80 <= score < 85}
    assert expected  # the demo data has some (else the test proves nothing)
    assert any(grade == "AA" and score >= 85 for score, grade, _m in stored.values())  # and some that stay
    draft = draft_data("ZY-2025-aa85", "2025-01-01", bands=bands(AA=85))
    result = _what_if(f.api_client(database, "officer"), cycle_id, methodology=json.loads(json.dumps(draft,
                                                                                                       default=str)))
    assert {c["credit_code"] for c in result["changes"]} == expected
    for change in result["changes"]:
        score = stored[change["credit_code"]][0]
        assert (change["grade_before"], change["grade_after"]) == ("AA", "A")
        assert change["score_before"] == change["score_after"] == score
        assert change["reasons"] == ["BANDS"]
    matrix = result["migration"]["matrix"]
    assert matrix[GRADES.index("AA")][GRADES.index("A")] == len(expected)
    assert sum(sum(row) for row in matrix) - result["migration"]["stayed"] == len(expected)


def _engine_grades(database: Any, cycle_id: int, draft_yaml: str) -> dict[str, tuple[float, str]]:
    """The cycle's snapshot rated independently with the draft and the frozen R0 (no appeals in these tests)."""
    with database.read_session() as session:
        cycle = session.get(Cycle, cycle_id)
        period = Period(cycle.period_start, cycle.period_end)
        snapshot = cycles.read_snapshot(session=session, watermark=cycle.snapshot_batch, period=period)
        r0 = json.loads(cycle.constants)["R0"]
    result = rate_companies(inputs=snapshot.inputs, period=period, methodology=methodologies.parse_text(draft_yaml),
                            constants=Constants(r0=r0))
    return {str(r.credit_code): (float(r.score), str(r.grade)) for r in result.companies.itertuples()}


def test_changed_weights_change_exactly_the_companies_the_engine_regrades(database, demo):
    text = draft_text("ZY-2025-w", "2025-01-01", weights={"INSP": 0.2, "COMPL": 0.2, "FEE": 0.6})
    officer = f.api_client(database, "officer")
    for cycle_id in (demo.first, demo.second):
        stored = stored_ratings(database, cycle_id)
        engine = _engine_grades(database, cycle_id, text)
        expected = {code for code, (_s, grade) in engine.items() if grade != stored[code][1]}
        assert expected  # the weights matter for these data
        result = _what_if(officer, cycle_id, yaml=text)
        assert {c["credit_code"] for c in result["changes"]} == expected
        for change in result["changes"]:
            code = change["credit_code"]
            assert (change["score_before"], change["grade_before"]) == stored[code][:2]
            assert (change["score_after"], change["grade_after"]) == engine[code]
            assert "BANDS" not in change["reasons"] and change["reasons"]
        after = Counter(grade for _s, grade in engine.values())
        assert [sum(column) for column in zip(*result["migration"]["matrix"], strict=True)] == \
            [after[g] for g in GRADES]


def test_what_if_errors(database, demo):
    officer = f.api_client(database, "officer")
    bad = officer.post("/api/v1/methodologies/what-if", json={
        "cycle_id": demo.first, "yaml": draft_text("X", weights={"INSP": 0.5, "COMPL": 0.35, "FEE": 0.25})})
    assert bad.status_code == 400 and bad.json()["code"] == "methodology_invalid"
    assert bad.json()["message"] == "各指标权重合计应为 100%，现为 110%。"
    assert bad.json()["details"][0]["field"] == "weights"
    draft = draft_text("ZY-2025-copy")
    with database.write_session() as session:
        draft_cycle = cycles.create_cycle(session=session, actor="setup", draft=cycles.CycleDraft(
            "草稿", demo_period()[0], demo_period()[1])).id
    refused = officer.post("/api/v1/methodologies/what-if", json={"cycle_id": draft_cycle, "yaml": draft})
    assert refused.status_code == 409 and "尚未计算" in refused.json()["message"]
    missing = officer.post("/api/v1/methodologies/what-if", json={"cycle_id": 999, "yaml": draft})
    assert missing.status_code == 404
    empty = officer.post("/api/v1/methodologies/what-if", json={"cycle_id": demo.first})
    assert empty.status_code == 400 and empty.json()["code"] == "methodology_invalid"


def demo_period() -> tuple[Any, Any]:
    from tests.rating_service.validation.conftest import FIRST

    return FIRST[1], FIRST[2]


# -- appeals ---------------------------------------------------------------------------------------------------


def test_the_what_if_rates_the_cycle_as_it_stands_after_appeal_decisions(database, monkeypatch):
    """Voiding GD-000003 lifts 皖江物业 (CODE_A) from 81.2 to 85.8: a draft with AA from 85 would have moved it to A
    before the decision, and no longer does after it; with AA from 86 it moves, from its decided score."""
    import datetime as dt

    f.pin_today(monkeypatch, dt.date(2026, 1, 14))  # inside the appeal window
    world = publish(database)
    f.make_user(database, "officer", "officer")
    f.make_user(database, "company", "company", credit_code=f.CODE_A)
    officer, company = f.api_client(database, "officer"), f.api_client(database, "company")
    aa85 = {"methodology": json.loads(json.dumps(draft_data("D85", bands=bands(AA=85)), default=str))}
    aa86 = {"methodology": json.loads(json.dumps(draft_data("D86", bands=bands(AA=86)), default=str))}

    undecided = stored_ratings(database, world.cycle_id)[f.CODE_A][:2]
    moved = {c["credit_code"]: c for c in _what_if(officer, world.cycle_id, **aa85)["changes"]}
    assert f.CODE_A in moved and moved[f.CODE_A]["score_before"] == undecided[0]

    appeal = company.post(f"/api/v1/cycles/{world.cycle_id}/appeals", data={
        "grounds": "该投诉不属实。", "scope": "records", "records": ["complaints:GD-000003"]})
    assert appeal.status_code == 201, appeal.text
    decided = officer.post(f"/api/v1/appeals/{appeal.json()['id']}/decision", json={
        "outcome": "upheld", "reasons": "成立", "items": [
            {"kind": "complaints", "record_id": "GD-000003", "action": "void"}]})
    assert decided.status_code == 200, decided.text
    after = decided.json()["after"]
    assert after["score"] != undecided[0] and 85 <= after["score"] < 86 and after["grade"] == "AA"

    now = _what_if(officer, world.cycle_id, **aa85)
    assert f.CODE_A not in {c["credit_code"] for c in now["changes"]}
    stored = stored_ratings(database, world.cycle_id)
    assert [sum(row) for row in now["migration"]["matrix"]] == \
        [Counter(g for _s, g, _m in stored.values())[g] for g in GRADES]
    edge = {c["credit_code"]: c for c in _what_if(officer, world.cycle_id, **aa86)["changes"]}
    assert edge[f.CODE_A]["score_before"] == after["score"]
    assert (edge[f.CODE_A]["grade_before"], edge[f.CODE_A]["grade_after"]) == ("AA", "A")
