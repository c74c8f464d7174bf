"""The banner of a company's home page: grade, score, the appeal deadline and the working days left while the
window is open; the appeal under way; each decision's outcome with its documents; a plain word once the window
has closed or the cycle is final."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

from rating_service.appeals import service as appeals
from rating_service.cycles import repository as cycles_repo
from rating_service.cycles import service as cycles
from tests import factories as f
from tests.rating_service.notices.helpers import DEADLINE, Published, computed_cycle

WEDNESDAY = dt.date(2026, 1, 14)  # in the window: Wed, Thu, Fri and Monday the 19th (the deadline) are left


def _banner(page_text: str) -> str:
    match = re.search(r'<section class="banner[^"]*"[^>]*>(.*?)</section>', page_text, re.S)
    assert match is not None, "no banner on the page"
    return html.unescape(match.group(1))


def _field(banner: str, name: str) -> str | None:
    match = re.search(rf'data-field="{name}"[^>]*>(.*?)</(?:dd|p)>', banner, re.S)
    return None if match is None else _text(match.group(1))


def _text(fragment: str) -> str:
    """The words of an HTML fragment as read (tags dropped, white space collapsed)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", fragment)).strip()


def _rating(database: Any, cycle_id: int) -> tuple[float, str]:
    with database.read_session() as session:
        rating = cycles_repo.rating(session, cycle_id=cycle_id, credit_code=f.CODE_A)
        assert rating is not None
        return rating.score, rating.grade


def test_while_the_window_is_open_the_banner_gives_grade_score_deadline_and_working_days_left(
        database: Any, published: Published, today: Any) -> None:
    today(WEDNESDAY)
    score, grade = _rating(database, published.cycle_id)
    page = f.page_client(database, "company").get("/")
    assert page.status_code == 200
    banner = _banner(page.text)
    assert _field(banner, "grade") == grade
    assert _field(banner, "score") == f"{score:.1f}"
    assert _field(banner, "deadline") == DEADLINE.isoformat()
    assert _field(banner, "days-left") == "4 个工作日"
    assert f"可在 {DEADLINE.isoformat()}（含当日）前提出异议申诉，还剩 4 个工作日" in _text(banner)
    assert f'href="/cycles/{published.cycle_id}/appeals/new"' in banner
    assert f'href="/documents/{published.own.id}.pdf"' in banner and published.own.doc_number in banner
    assert f'href="/cycles/{published.cycle_id}/companies/{f.CODE_A}"' in banner
    assert f"/documents/{published.other.id}.pdf" not in page.text  # never another company's notice

    english = _banner(f.page_client(database, "company").get("/?lang=en").text)
    assert _field(english, "days-left") == "4 working days"
    assert f"may appeal until {DEADLINE.isoformat()} (inclusive): 4 working days left" in _text(english)


def test_on_the_deadline_day_one_working_day_is_left(database: Any, published: Published, today: Any) -> None:
    today(DEADLINE)
    banner = _banner(f.page_client(database, "company").get("/").text)
    assert _field(banner, "days-left") == "1 个工作日"


def test_an_appeal_under_way_is_shown_instead_of_the_appeal_button(
        database: Any, published: Published, today: Any) -> None:
    today(WEDNESDAY)
    company = f.api_client(database, "company")
    filed = company.post(f"/api/v1/cycles/{published.cycle_id}/appeals",
                         data={"grounds": "该投诉经核实不属实。", "scope": "calculation"})
    assert filed.status_code == 201, filed.text
    banner = _banner(f.page_client(database, "company").get("/").text)
    assert _field(banner, "pending") is not None
    assert f"你单位 {WEDNESDAY.isoformat()} 提出的异议正在处理，处理期限至 {filed.json()['due_on']}" in _text(banner)
    assert f'href="/appeals/{filed.json()["id"]}"' in banner
    assert "/appeals/new" not in banner


def test_after_a_decision_the_banner_gives_the_outcome_the_change_and_the_documents(
        database: Any, published: Published, today: Any) -> None:
    today(WEDNESDAY)
    before = _rating(database, published.cycle_id)
    company, officer = f.api_client(database, "company"), f.api_client(database, "officer")
    appeal = company.post(f"/api/v1/cycles/{published.cycle_id}/appeals", data={
        "grounds": "该投诉经核实不属实。", "scope": "records", "records": ["complaints:GD-000003"]}).json()
    decided = officer.post(f"/api/v1/appeals/{appeal['id']}/decision", json={
        "outcome": "upheld", "reasons": "经复核，异议成立。",
        "items": [{"kind": "complaints", "record_id": "GD-000003", "action": "void"}]})
    assert decided.status_code == 200, decided.text
    after = _rating(database, published.cycle_id)
    assert after != before

    banner = _banner(f.page_client(database, "company").get("/").text)
    assert _field(banner, "grade") == after[1] and _field(banner, "score") == f"{after[0]:.1f}"
    decision = _field(banner, "decision")
    assert decision is not None
    assert f"异议处理结果（{WEDNESDAY.isoformat()}）：异议成立。" in decision  # the decision record's date
    assert f"得分 {before[0]:.1f} → {after[0]:.1f}，等级 {before[1]} → {after[1]}。" in decision
    with database.read_session() as session:
        stored = appeals.repository.appeal(session, appeal["id"])
        assert stored is not None and stored.decision_document_id and stored.revised_notice_id
        record_id, revised_id = stored.decision_document_id, stored.revised_notice_id
    assert f'href="/documents/{record_id}.pdf"' in banner
    assert f'href="/documents/{revised_id}.pdf"' in banner
    client = f.page_client(database, "company")
    for document in (record_id, revised_id):
        response = client.get(f"/documents/{document}.pdf")
        assert response.status_code == 200 and response.content.startswith(b"%PDF-")


def test_once_the_window_has_closed_the_banner_says_so_and_offers_no_appeal(
        database: Any, published: Published, today: Any) -> None:
    today(DEADLINE + dt.timedelta(days=1))
    banner = _banner(f.page_client(database, "company").get("/").text)
    assert _field(banner, "window") == f"异议期已于 {DEADLINE.isoformat()} 结束，评价结果待终评。"
    assert _field(banner, "deadline") is None and _field(banner, "days-left") is None
    assert "/appeals/new" not in banner


def test_a_finalized_cycle_says_when_it_became_final(database: Any, published: Published, today: Any) -> None:
    later = DEADLINE + dt.timedelta(days=3)
    today(later)
    with database.write_session() as session:
        cycles.finalize_cycle(session=session, cycle_id=published.cycle_id, actor="officer")
    banner = _banner(f.page_client(database, "company").get("/").text)
    assert _field(banner, "window") == f"评价结果已于 {later.isoformat()} 终评，异议期已结束。"
    assert "已终评" in banner and "/appeals/new" not in banner
    with database.read_session() as session:
        standing = appeals.company_standing(session=session, credit_code=f.CODE_A, today=later)
    assert [(s.window, s.finalized_on, s.working_days_left) for s in standing] == [("final", later, None)]


def test_a_company_with_no_publicized_rating_sees_no_banner(database: Any) -> None:
    f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations")
    computed_cycle(database, "2025年度")  # computed, not publicized: nothing of it reaches the company yet
    f.make_user(database, "company", "company", credit_code=f.CODE_A)
    page = f.page_client(database, "company").get("/")
    assert page.status_code == 200
    assert 'class="banner' not in page.text and "暂无已公示的评价结果。" in page.text
