"""A company contests a record that is not among its top evidence, in a real browser, and the decision re-scores it.

The appeal form lists every record counted for the company (searched, filtered, paged), not only the ≤ 5 records per
reason its rating shows; the company finds one by its number, contests it (and its attribution), an officer voids it
and the company's rating page shows the new score.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rating_service.appeals import decisions
from rating_service.cycles import repository as cycles_repo
from rating_service.cycles import service as cycles
from rating_service.cycles import standing
from rating_service.db import Database
from scoring.amend import RecordDecision
from tests import factories as f
from tests.browser.test_officer_flow import ARTIFACTS, page, serving  # noqa: F401  (the page fixture)

pytestmark = pytest.mark.slow


def _record_beyond_the_top_evidence(database: Database, cycle_id: int) -> tuple[str, str]:
    """(credit code, inspection id): an inspection that costs the company points but is none of its rating's
    evidence, of a company whose inspections score is between 0 and 100 (voiding it changes the score)."""
    with database.read_session() as session:
        cycle = cycles.get_cycle_or_raise(session=session, cycle_id=cycle_id)
        result, _inputs, _m = standing.rate_amended(session=session, cycle=cycle, with_evidence=False)
        ratings, _total = cycles_repo.list_ratings(session, cycle_id=cycle_id)
        explanations = {r.credit_code: json.loads(r.explanation) for r in ratings}
    records = result.records
    costly = records[records["counted"] & (records["kind"].astype(str) == "inspections") & (records["points"] > 0)]
    candidates = []
    for code, exp in sorted(explanations.items()):
        insp = next((i for i in exp["indicators"] if i["code"] == "INSP"), None)
        if not insp or insp.get("sub_score") is None or not 0 < insp["sub_score"] < 100 or exp.get("veto"):
            continue
        top = {e["record_id"] for r in exp["reasons"] for e in r["evidence"] if e["kind"] == "inspections"}
        mine = costly[costly["credit_code"].astype(object) == code]
        for record_id in sorted(set(mine["record_id"].astype(str)) - top):
            points = float(mine[mine["record_id"].astype(str) == record_id]["points"].iloc[0])
            candidates.append((-points / max(exp["visits"], 1), code, record_id))
    with database.read_session() as session:
        cycle = cycles.get_cycle_or_raise(session=session, cycle_id=cycle_id)
        for _weight, code, record_id in sorted(candidates)[:20]:
            exp, _data = decisions.rescore(session=session, cycle=cycle, credit_code=code,
                                           decisions=[RecordDecision("inspections", record_id, "void", {})])
            if exp.score > explanations[code]["score"]:
                return code, record_id
    raise AssertionError("the Zongyang data has no company with an inspection beyond its top evidence")


@pytest.fixture
def publicized(tmp_path: Path) -> Iterator[tuple[str, int, str, str]]:
    """(url, cycle id, credit code, record id): the Zongyang data, the 2025 cycle computed and publicized today
    (the appeal window is open), an officer, and a company user of a company with a record beyond its evidence."""
    database, cycle_id = f.zongyang_publicized(tmp_path / "rating.db")
    code, record_id = _record_beyond_the_top_evidence(database, cycle_id)
    f.make_user(database, "officer", "officer")
    f.make_user(database, "company", "company", credit_code=code)
    with serving(database, "uvicorn-contest-test") as url:
        yield url, cycle_id, code, record_id


def test_a_company_contests_a_record_beyond_its_top_evidence_and_the_decision_rescores_it(
        publicized: tuple[str, int, str, str], page: Any) -> None:  # noqa: F811
    from playwright.sync_api import expect

    served, cycle_id, code, record_id = publicized

    def login(username: str) -> None:
        page.context.clear_cookies()
        page.goto(f"{served}/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", f.PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{served}/")

    login("company")
    page.goto(f"{served}/cycles/{cycle_id}/companies/{code}")
    before = page.locator("#score").inner_text()
    assert record_id not in page.locator("ol.reasons").inner_text()  # not among the evidence the page shows
    page.locator("#appeal-link").click()
    page.wait_for_url("**/appeals/new")
    page.fill("#record-search", record_id)
    page.locator("#search-button").click()
    page.wait_for_url(f"**/appeals/new?**q={record_id}**")
    rows = page.locator("#pick-records tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("巡查检查")
    rows.first.locator("input[name=records]").check()
    page.locator("#to-grounds").click()
    page.wait_for_url("**/appeals/new?**step=grounds**")
    expect(page.locator("#chosen-records")).to_contain_text(record_id)
    page.get_by_label("该记录发生时本企业已不再服务该小区").check()
    page.fill("#grounds", "该巡查发生时我公司与该小区的物业服务合同已经终止，附合同终止协议。")
    page.screenshot(path=str(ARTIFACTS / "contest-any-record-grounds.png"), full_page=True)
    page.locator("#submit-appeal").click()
    page.wait_for_url("**/appeals/*")
    expect(page.locator("#appeal-status")).to_have_text("待处理")
    appeal_url = page.url

    login("officer")
    page.goto(appeal_url)
    expect(page.locator("#attribution-contested")).to_have_text("该记录发生时本企业已不再服务该小区")
    page.locator("#decide input[type=radio][name^='action:'][value=void]").first.check()
    page.locator("#decide input[type=radio][name=outcome][value=upheld]").check()
    page.fill("textarea[name=reasons]", "经核实，该记录发生时合同已终止，撤销该记录。")
    page.get_by_role("button", name="预览结果").click()
    page.get_by_role("button", name="确认决定").click()
    page.wait_for_url(appeal_url)
    expect(page.locator("#appeal-status")).to_have_text("已处理")

    login("company")
    page.goto(f"{served}/cycles/{cycle_id}/companies/{code}")
    after = page.locator("#score").inner_text()
    assert float(after) > float(before), (before, after)
    page.goto(f"{served}/cycles/{cycle_id}/companies/{code}/records")
    expect(page.locator("#counted-records")).not_to_contain_text(record_id)
    page.screenshot(path=str(ARTIFACTS / "contest-any-record-after.png"), full_page=True)
