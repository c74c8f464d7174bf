"""The shipped ZY-2026 tried on a 2025 cycle (rated with ZY-2025): from the page with ZY-2026 as the base, over the
API and from the CLI with scoring/methodologies/ZY-2026.yaml. The result names the rule that changed (how the
timeliness part of complaints is scored), shows the migration matrix, and each company whose grade would change
with the complaints part that moved; ZY-2025 on its own cycle is still the identity."""

from __future__ import annotations

import html
import re
from collections import Counter
from typing import Any

from typer.testing import CliRunner

from rating_service.cli import app
from rating_service.settings import PROJECT_ROOT
from tests import factories as f
from tests.rating_service.disclosure import helpers as h
from tests.rating_service.validation.conftest import draft_text, stored_ratings, what_if_form

ZY_2026 = PROJECT_ROOT / "scoring" / "methodologies" / "ZY-2026.yaml"
GRADES = ["AAA", "AA", "A", "B", "C"]
CODES = re.compile(r"(?<![A-Za-z0-9_])(INSP|COMPL|COMPL_RATE|COMPL_TIMELY|FEE|VETO|BANDS|R0)(?![A-Za-z0-9_])")
RULE = ("「投诉处置」按时办结计分规则：按到期投诉中按时办结的比例计分 → "
        "按未按时办结的投诉件数计分（每 1,000 户年，可信度常数 300 户年）")


def _form(client: Any, cycle_id: int, base: str) -> dict[str, Any]:
    return what_if_form(client, cycle_id, base)


def _rows(fields: dict[str, Any], code: str) -> list[tuple[str, str]]:
    return [(x, y) for x, y in zip(fields[f"x_{code}"], fields[f"y_{code}"], strict=True) if x or y]


def _matrix(page: str) -> list[list[int]]:
    table = re.search(r'<table id="what-if-matrix"[^>]*>(.*?)</table>', page, re.S)
    assert table is not None, page[:500]
    body = table.group(1).split("<tbody>", 1)[1]
    return [[int(v) for v in re.findall(r'<td[^>]*>(\d+)</td>', row)] for row in re.findall(r"<tr>.*?</tr>", body,
                                                                                           re.S)]


def _changes(page: str, table_id: str = "what-if-changes") -> list[list[str]]:
    """The changed companies' rows: name, score before → after, grades, why (its text)."""
    table = re.search(rf'<table id="{table_id}">(.*?)</table>', page, re.S)
    if table is None:
        return []
    rows = re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)[1:]
    return [[h.text_of(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)] for row in rows]


def _rules(page: str) -> list[str]:
    found = re.search(r'<ul id="what-if-rules">(.*?)</ul>', page, re.S)
    return [] if found is None else [html.unescape(li) for li in re.findall(r"<li>(.*?)</li>", found.group(1))]


def test_the_form_shows_the_timeliness_curve_of_a_base_that_has_one_only(database, demo):
    officer = f.page_client(database, "officer")
    zy2026 = _form(officer, demo.first, "ZY-2026")
    assert _rows(zy2026, "COMPL_TIMELY") == [("0", "100"), ("2", "90"), ("5", "75"), ("10", "50"), ("20", "0")]
    page = officer.get(f"/methodologies/what-if?cycle={demo.first}&base=ZY-2026").text
    assert "<caption>「投诉处置」未按时办结率折线</caption>" in page
    assert not CODES.findall(h.text_of(page)), CODES.findall(h.text_of(page))
    english = officer.get(f"/methodologies/what-if?cycle={demo.first}&base=ZY-2026&lang=en").text
    assert "Late-complaint rate curve of" in english
    zy2025 = _form(officer, demo.first, "ZY-2025")
    assert "x_COMPL_TIMELY" not in zy2025 and "x_COMPL" in zy2025
    assert "未按时办结率折线" not in officer.get(f"/methodologies/what-if?cycle={demo.first}").text


def test_zy_2026_as_the_base_on_a_2025_cycle_shows_the_rule_change_and_the_migration(database, demo):
    officer = f.page_client(database, "officer")
    stored = stored_ratings(database, demo.first)
    assert {m for _s, _g, m in stored.values()} == {"ZY-2025"}
    response = officer.post("/methodologies/what-if", data=_form(officer, demo.first, "ZY-2026"))
    assert response.status_code == 200, response.text[:500]
    page = response.text
    assert "ZY-2025 → 修订草案" in h.text_of(page)
    assert _rules(page) == [RULE, "「投诉处置」未按时办结率折线：— → (0, 100) (2, 90) (5, 75) (10, 50) (20, 0)"]
    matrix = _matrix(page)
    assert sum(map(sum, matrix)) == len(stored)
    assert [sum(row) for row in matrix] == [Counter(g for _s, g, _m in stored.values())[g] for g in GRADES]
    moved = sum(v for i, row in enumerate(matrix) for j, v in enumerate(row) if i != j)
    assert len(_changes(page)) == moved  # the demo's half-year: the new rule moves scores, not grades
    # Short of a grade, what the rule does: the companies whose score moves, largest change first, and why.
    moves = _changes(page, "what-if-score-moves")
    assert moves
    deltas = []
    for name, score, grade, why in moves:
        before, after = (float(s) for s in score.split("→"))
        assert before != after and grade in GRADES and why.startswith("投诉处置（按时办结部分）"), (name, why)
        deltas.append(abs(after - before))
    assert deltas == sorted(deltas, reverse=True)
    assert not CODES.findall(h.text_of(page)), CODES.findall(h.text_of(page))


def test_a_stricter_timeliness_curve_on_zy_2026_lists_the_companies_with_the_complaints_part_that_moved(database,
                                                                                                         demo):
    officer = f.page_client(database, "officer")
    data = _form(officer, demo.first, "ZY-2026")
    strict = {**data, "x_COMPL_TIMELY": ["0", "1", ""], "y_COMPL_TIMELY": ["100", "0", ""]}
    response = officer.post("/methodologies/what-if", data=strict)
    assert response.status_code == 200, response.text[:500]
    page = response.text
    changes = _changes(page)
    assert changes, "a late-rate curve that drops to 0 at one late complaint per 1,000 household-years moves grades"
    for _name, _score, grades, why in changes:
        before, after = (g.strip() for g in grades.split("→"))
        assert GRADES.index(after) > GRADES.index(before)  # lateness only costs points
        assert why.startswith("投诉处置（按时办结部分）"), why
    matrix = _matrix(page)
    assert sum(v for i, row in enumerate(matrix) for j, v in enumerate(row) if j > i) == len(changes)
    assert 'name="x_COMPL_TIMELY" value="1"' in page  # the form keeps what was tried
    assert "「投诉处置」未按时办结率折线：— → (0, 100) (1, 0)" in _rules(page)
    # The same curve on a base without the late-rate rule is not in the form: a share version has no such curve.
    bad = officer.post("/methodologies/what-if", data={**strict, "base": "ZY-2025"})
    assert bad.status_code == 200 and _rules(bad.text) == []  # ZY-2025 as it is: the curve's fields are ignored
    assert 'id="no-change"' in bad.text


def test_the_shipped_zy_2026_file_over_the_api_and_the_cli(database, demo):
    officer = f.api_client(database, "officer")
    text = ZY_2026.read_text(encoding="utf-8")
    response = officer.post("/api/v1/methodologies/what-if", json={"cycle_id": demo.second, "yaml": text})
    assert response.status_code == 200, response.text
    result = response.json()
    assert (result["current_methodology"], result["draft_methodology"]) == ("ZY-2025", "ZY-2026")
    assert result["rule_changes"] == ["complaints.timeliness", "complaints.timeliness.breakpoints"]
    assert result["migration"]["both"] == len(stored_ratings(database, demo.second))
    assert all(c["reasons"][:2] == ["COMPL", "COMPL_TIMELY"] for c in result["changes"] + result["score_moves"])
    assert result["score_moves"] and all(c["grade_before"] == c["grade_after"] for c in result["score_moves"])

    cli = CliRunner().invoke(app, ["methodology", "what-if", str(ZY_2026), "--cycle", str(demo.second)])
    assert cli.exit_code == 0, cli.output
    flat = "".join(cli.output.split())
    assert "".join(RULE.split()) in flat and "等级迁移矩阵:ZY-2025→ZY-2026" in flat
    none = "没有企业的等级发生变化。"
    assert (f"等级将改变的企业（{len(result['changes'])}家）" if result["changes"] else none) in flat
    assert f"得分变化、等级不变的企业（{len(result['score_moves'])}家，按变化大小排列）" in flat


def test_zy_2025_on_its_own_cycle_is_still_the_identity_with_no_rule_changed(database, demo):
    officer = f.api_client(database, "officer")
    result = officer.post("/api/v1/methodologies/what-if", json={
        "cycle_id": demo.first, "yaml": draft_text("ZY-2025-copy", "2025-01-01")}).json()
    assert result["rule_changes"] == [] and result["changes"] == [] and result["score_moves"] == []
    assert result["migration"]["stayed"] == result["migration"]["both"]
    page = f.page_client(database, "officer")
    shown = page.post("/methodologies/what-if", data=_form(page, demo.first, "ZY-2025"))
    assert shown.status_code == 200 and 'id="no-change"' in shown.text
    assert "规则与「ZY-2025」相同。" in shown.text and _rules(shown.text) == []
