"""The validation report over the API, the CLI, the page and the PDF, on two rated half-year cycles."""

from __future__ import annotations

import html
import json
import re
import subprocess
from typing import Any

from typer.testing import CliRunner

from rating_service.cli import app
from rating_service.cycles import service as cycles
from rating_service.i18n.validation import PAGE_TEXT
from rating_service.validation.wording import auc_band, conclusion, fmt
from tests import factories as f
from tests.rating_service.disclosure import helpers as h
from tests.rating_service.validation.conftest import FIRST, new_cycle, stored_ratings

runner = CliRunner()
SMALL = {"bootstrap": 30, "draws": 10, "seed": 7}


def _report(client: Any, cycle_id: int, next_id: int, **params: Any) -> Any:
    query = "&".join(f"{k}={v}" for k, v in {"cycle": cycle_id, "next": next_id, **SMALL, **params}.items())
    return client.get(f"/api/v1/validation?{query}")


def _aucs(report: dict[str, Any]) -> dict[str, str]:
    return {o["code"]: fmt(o["auc"]) for o in report["back_test"]["outcomes"]}


def test_the_api_and_the_cli_give_the_same_figures(database, demo):
    response = _report(f.api_client(database, "officer"), demo.first, demo.second)
    assert response.status_code == 200, response.text
    api = response.json()
    result = runner.invoke(app, ["validate", "--cycle", str(demo.first), "--next", str(demo.second), "--format",
                                 "json", "--bootstrap", "30", "--draws", "10", "--seed", "7"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == api
    assert api["settings"] == {"bootstrap": 30, "draws": 10, "seed": 7, "spread": 0.2}
    assert (api["cycle"]["id"], api["next"]["id"], api["methodology_id"]) == (demo.first, demo.second, "ZY-2025")
    assert [o["code"] for o in api["back_test"]["outcomes"]] == [o["code"] for o in api["outcomes"]]
    assert set(api["advice"]) == {o["code"] for o in api["outcomes"]}


def test_the_seed_and_resamples_reach_the_figures(database, demo):
    officer = f.api_client(database, "officer")
    one, other = _report(officer, demo.first, demo.second).json(), _report(officer, demo.first, demo.second,
                                                                            seed=8).json()
    assert _aucs(one) == _aucs(other)  # the point estimate does not depend on the seed
    assert [o["auc_ci"] for o in one["back_test"]["outcomes"]] != [o["auc_ci"] for o in other["back_test"]["outcomes"]]
    assert one["back_test"]["bootstrap"] == 30 and one["sensitivity"]["draws"] == 10


def test_migration_rows_add_up_to_the_companies_rated_in_both(database, demo):
    report = _report(f.api_client(database, "officer"), demo.first, demo.second).json()
    first, second = stored_ratings(database, demo.first), stored_ratings(database, demo.second)
    both = set(first) & set(second)
    migration = report["migration"]
    assert migration["both"] == len(both) > 0
    assert sum(sum(row) for row in migration["matrix"]) == len(both)
    grades = migration["grades"]
    for grade, row in zip(grades, migration["matrix"], strict=True):
        assert sum(row) == sum(1 for code in both if first[code][1] == grade)
        for later, count in zip(grades, row, strict=True):
            assert count == sum(1 for code in both if (first[code][1], second[code][1]) == (grade, later))


def test_an_outcome_cycle_that_does_not_follow_the_cycle_it_judges_is_refused(database, demo):
    """"2025 judged by 2024": the outcome cycle must come after the judged one (a twin of the same period too)."""
    twin = new_cycle(database, "2025年上半年（复核）", FIRST[1], FIRST[2])
    officer = f.api_client(database, "officer")
    for cycle_id, next_id in ((demo.second, demo.first), (demo.first, twin)):
        refused = _report(officer, cycle_id, next_id)
        assert refused.status_code == 400, refused.text
        assert "结果观察周期应在被检验周期之后" in refused.json()["message"]
    page = f.page_client(database, "officer").get(f"/validation?cycle={demo.second}&next={demo.first}")
    assert page.status_code == 400 and '<table id="back-test">' not in page.text
    error = re.search(r'<p class="flash error" role="alert" id="error">([^<]*)</p>', page.text)
    assert error is not None and "结果观察周期应在被检验周期之后" in html.unescape(error.group(1))
    # The selects offer only cycles that can be judged and cycles that can judge.
    options = dict(re.findall(r'<select name="(cycle|next)" id="(?:cycle|next)">(.*?)</select>', page.text, re.S))
    assert f'value="{demo.second}"' not in options["cycle"] and f'value="{demo.first}"' in options["cycle"]
    assert f'value="{demo.first}"' not in options["next"] and f'value="{demo.second}"' in options["next"]
    cli = runner.invoke(app, ["validate", "--cycle", str(demo.second), "--next", str(demo.first)])
    assert cli.exit_code == 2 and "结果观察周期应在被检验周期之后" in cli.output


def test_the_page_opens_with_a_plain_conclusion_banded_by_the_auc(database, demo):
    report = _report(f.api_client(database, "officer"), demo.first, demo.second, bootstrap=500, draws=200,
                     seed=0).json()
    page = f.page_client(database, "officer").get(f"/validation?cycle={demo.first}&next={demo.second}")
    assert page.status_code == 200
    found = re.search(r'<section class="conclusion" id="conclusion".*?<p>(.*?)</p>', page.text, re.S)
    assert found is not None
    conclusion = html.unescape(found.group(1))
    assert page.text.index('id="conclusion"') < page.text.index('<details id="technical">') < \
        page.text.index('<table id="back-test">')  # the figures are folded below the conclusion
    for outcome in report["back_test"]["outcomes"]:
        band = auc_band(outcome["auc"], events=outcome["events"], n=outcome["n"])
        name = next(o["zh"] for o in report["outcomes"] if o["code"] == outcome["code"])
        if band == "unknown":
            assert f"{name}：下一周期没有或几乎没有企业出现这种情况" in conclusion
        else:
            assert f"{PAGE_TEXT[f'conclusion_{band}']['zh']}：" in conclusion
            assert f"（AUC {outcome['auc']:.2f}）" in conclusion and name in conclusion
    assert "PSI" in conclusion and "排名一致性" in conclusion
    text = h.text_of(page.text)
    assert not re.search(r"(?<![A-Za-z_])(INSP|COMPL|FEE|COMPL_RATE|COMPL_TIMELY|VETO)(?![A-Za-z_])", text)
    for metric in ("metric_auc", "metric_gini", "metric_psi", "metric_tau"):
        assert PAGE_TEXT[metric]["zh"] in text


def test_the_page_shows_the_aucs_of_the_report(database, demo):
    expected = _aucs(_report(f.api_client(database, "officer"), demo.first, demo.second).json())
    assert any(value != "—" for value in expected.values())
    page = f.page_client(database, "officer").get(f"/validation?cycle={demo.first}&next={demo.second}")
    assert page.status_code == 200, page.text[:500]
    shown = dict(re.findall(r'<tr data-outcome="([a-z_]+)">.*?<td class="num auc">([^<]*)</td>', page.text, re.S))
    assert shown == expected


def test_the_page_without_a_choice_judges_a_cycle_by_the_one_that_follows_it(database, demo):
    page = f.page_client(database, "officer").get("/validation")
    assert page.status_code == 200, page.text[:500]
    selected = r'<select name="(cycle|next)" id="(?:cycle|next)">.*?<option value="(\d+)" selected'
    chosen = dict(re.findall(selected, page.text, re.S))
    assert chosen == {"cycle": str(demo.first), "next": str(demo.second)}
    assert '<table id="back-test">' in page.text


def test_the_same_cycle_twice_and_an_uncomputed_cycle_are_refused(database, demo):
    officer = f.api_client(database, "officer")
    same = _report(officer, demo.first, demo.first)
    assert same.status_code == 400 and "请选择两个不同的评价周期" in same.json()["message"]
    with database.write_session() as session:
        draft = cycles.create_cycle(session=session, actor="setup", draft=cycles.CycleDraft(
            "草稿周期", FIRST[1], FIRST[2])).id
    refused = _report(officer, demo.first, draft)
    assert refused.status_code == 409 and refused.json()["code"] == "invalid_transition"
    assert "尚未计算" in refused.json()["message"]
    assert _report(officer, draft, demo.second).status_code == 409
    assert _report(officer, demo.first, 999).status_code == 404
    cli = runner.invoke(app, ["validate", "--cycle", str(demo.first), "--next", str(demo.first)])
    assert cli.exit_code == 2 and "请选择两个不同的评价周期" in cli.output


def _pdf_text(data: bytes, tmp_path: Any) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def test_the_pdf_report_carries_the_title_and_the_aucs_and_is_reproducible(database, demo, tmp_path):
    expected = _aucs(_report(f.api_client(database, "officer"), demo.first, demo.second).json())
    page = f.page_client(database, "officer")
    url = f"/validation/report.pdf?cycle={demo.first}&next={demo.second}"
    response = page.get(url)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = _pdf_text(response.content, tmp_path)
    assert "评价细则验证报告" in text
    report = _report(f.api_client(database, "officer"), demo.first, demo.second, bootstrap=500, draws=200,
                     seed=0).json()
    flat = re.sub(r"\s+", "", text)
    shown = [re.sub(r"\s+", "", sentence)[:12] for sentence in conclusion(report, "zh")]
    assert "结论" in flat and [s for s in shown if s not in flat] == []
    for value in expected.values():
        assert value in text
    assert page.get(url).content == response.content


def test_a_next_cycle_rated_under_a_version_with_another_grade_is_validated_not_a_server_error(database, demo):
    """The bureau adopts a version with a grade D; a cycle rated with it is the natural outcome cycle of one rated
    under ZY-2025. The report must come out (its migration over both versions' grades) or be refused with a
    message, never a 500."""
    from fastapi.testclient import TestClient

    from rating_service.web.app import create_app
    from tests.rating_service.validation.conftest import SECOND, draft_text

    five = [{"grade": g, "min": m} for g, m in (("AAA", 90), ("AA", 80), ("A", 70), ("B", 60), ("C", 40), ("D", 0))]
    admin = f.api_client(database, "admin")
    assert admin.post("/api/v1/methodologies", json={"yaml": draft_text("ZY-D", "2027-01-01", bands=five),
                                                     "reason": "增设 D 级"}).status_code == 201
    with database.write_session() as session:
        later = cycles.create_cycle(session=session, actor="setup", draft=cycles.CycleDraft(
            "2025年下半年（ZY-D）", SECOND[1], SECOND[2], "ZY-D")).id
    cycles.compute_cycle(database=database, cycle_id=later, actor="setup")
    stored = stored_ratings(database, later)
    assert "D" in {g for _s, g, _m in stored.values()}  # some company has the new grade

    client = TestClient(create_app(database), follow_redirects=False, raise_server_exceptions=False)
    token = client.post("/api/v1/auth/token", json={"username": "officer", "password": f.PASSWORD}).json()
    client.headers["Authorization"] = f"Bearer {token['access_token']}"
    response = _report(client, demo.first, later)
    assert response.status_code != 500, "validation across versions with different grades is a server error"
    if response.status_code == 200:
        migration = response.json()["migration"]
        assert "D" in migration["grades"]
        assert sum(sum(row) for row in migration["matrix"]) == migration["both"] == len(stored)
    else:
        assert response.status_code in (400, 409) and response.json()["message"]
