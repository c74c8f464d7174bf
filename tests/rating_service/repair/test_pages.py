"""The repair pages through the app: a company sees its marks and requests, files a request with evidence and the
commitment signed in the form (a refusal names the field in Chinese and keeps what was typed), an officer accepts
and decides through the forms, the dashboard's to-do lists the request, and no page shows an internal code."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import unquote

import pytest

from rating_service.repair import repository
from tests import factories as f
from tests.rating_service.disclosure import helpers as h
from tests.rating_service.notices.helpers import Published, publish

TODAY = dt.date(2026, 2, 16)  # a Monday: SF-001 (2025-06-01, general) has been publicized more than 3 months
NAME_A = "安徽皖江物业服务有限公司"
# Codes that must never reach the text people read (they stay in form values and attributes).
CODES = ("black_list", "veto", "records", "fee_violations", "major_events", "overcharge", "rectified",
         "penalty_fulfilled", "commitment_signed", "no_new_same_kind", "submitted", "accepted", "repaired",
         "refused", "serious", "general", "too_early", "None")
FORBIDDEN = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(CODES) + r")(?![A-Za-z0-9_])")


@pytest.fixture
def world(database: Any, monkeypatch: pytest.MonkeyPatch) -> Published:
    published = publish(database)
    f.make_user(database, "officer", "officer")
    f.make_user(database, "company", "company", credit_code=f.CODE_A)
    f.make_user(database, "company_b", "company", credit_code=f.CODE_B)
    f.pin_today(monkeypatch, TODAY)
    return published


def _form_url(client: Any) -> str:
    """The request link of the company's mark, as its repair page gives it."""
    page = client.get("/repair")
    assert page.status_code == 200, page.text
    found = re.search(r'href="(/repair/new\?[^"]+)"', page.text)
    assert found is not None, page.text
    return found.group(1).replace("&amp;", "&")


def _fields(url: str) -> dict[str, Any]:
    query = unquote(url.split("?", 1)[1])
    pairs = [p.split("=", 1) for p in query.split("&")]
    return {"cycle_id": next(v for k, v in pairs if k == "cycle_id"), "mark": next(v for k, v in pairs if k == "mark"),
            "records": [v for k, v in pairs if k == "records"]}


def _file(client: Any, url: str, **changes: Any) -> Any:
    data = {**_fields(url), "statement": "已全额退还多收的物业费，并在小区公示栏公示收费项目和标准。",
            "declared": ["rectified", "penalty_fulfilled"], "commitment": "yes", "signature": NAME_A,
            "csrf_token": f.csrf_of(client)}
    files = changes.pop("files", [("files", ("整改报告.pdf", f.pdf_file(), "application/pdf"))])
    data.update(changes)
    return client.post("/repair/requests", data={k: v for k, v in data.items() if v is not None}, files=files)


def _plain(text: str) -> list[str]:
    return sorted({m.group(1) for m in FORBIDDEN.finditer(h.text_of(text))})


def test_the_company_sees_its_mark_in_words_and_the_form_shows_the_whole_commitment(database, world):
    client = f.page_client(database, "company")
    home = client.get("/repair")
    assert "收费违规 SF-001" in home.text and "可以申请" in home.text
    assert "一般失信行为" in home.text and "2025年9月1日" in home.text  # severity in words, the earliest day
    form = client.get(_form_url(client))
    assert form.status_code == 200
    paragraphs = re.search(r'<div class="commitment-text" id="commitment-text">(.*?)</div>', form.text, re.S)
    assert paragraphs is not None and NAME_A in paragraphs.group(1) and "12个月" in paragraphs.group(1).replace(" ", "")
    assert "本企业作出以上承诺" in form.text and 'name="csrf_token"' in form.text
    assert not _plain(home.text) and not _plain(form.text), (_plain(home.text), _plain(form.text))
    # The company home says a repair can be requested, with the link.
    assert 'id="repair-line"' in client.get("/").text


def test_filing_with_evidence_redirects_to_the_request_and_shows_it(database, world):
    client = f.page_client(database, "company")
    answer = _file(client, _form_url(client))
    assert answer.status_code == 303, answer.text
    target = answer.headers["location"]
    assert re.fullmatch(r"/repair/requests/\d+", target)
    page = client.get(target)
    assert page.status_code == 200
    assert "待受理" in page.text and "整改报告.pdf" in page.text and "commitment.pdf" in page.text
    assert "还剩" in page.text  # working days left to the acceptance deadline
    assert not _plain(page.text), _plain(page.text)
    request_id = int(target.rsplit("/", 1)[1])
    attachment = re.search(rf'href="(/repair/requests/{request_id}/attachments/\d+)"', page.text).group(1)
    assert client.get(attachment).content.startswith(b"%PDF-")
    pdf = client.get(f"/repair/requests/{request_id}/commitment.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    # Another company: its request does not exist for them; the list of requests is its own only.
    other = f.page_client(database, "company_b")
    assert other.get(target).status_code == 404
    assert other.get(attachment).status_code == 404
    assert other.get(f"/repair/requests/{request_id}/commitment.pdf").status_code == 404
    assert f"/repair/requests/{request_id}" not in other.get("/repair").text
    assert f"/repair/requests/{request_id}" in client.get("/repair").text


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"statement": ""}, "statement", "整改情况说明"),
    ({"signature": "皖江物业"}, "signature", "签名"),
    ({"commitment": None}, "commitment", "本企业作出以上承诺"),
    ({"declared": ["rectified"]}, "declared", "已履行处罚决定"),
    ({"files": []}, "files", "证明材料"),
])
def test_a_refused_filing_names_the_field_in_chinese_and_keeps_what_was_typed(database, world, changes, field,
                                                                                words):
    client = f.page_client(database, "company")
    answer = _file(client, _form_url(client), **changes)
    assert answer.status_code == 400, answer.text
    error = re.search(rf'id="{field}-error">(.*?)</p>', answer.text)
    assert error is not None and words in error.group(1), answer.text[-3000:]
    if changes.get("statement") != "":
        assert "已全额退还多收的物业费" in answer.text  # the statement typed is kept
    with database.read_session() as session:
        assert repository.requests_of(session, credit_code=f.CODE_A) == []  # nothing written


def test_the_officer_accepts_and_decides_through_the_forms_and_the_todo_lists_it(database, world):
    company = f.page_client(database, "company")
    target = _file(company, _form_url(company)).headers["location"]
    request_id = int(target.rsplit("/", 1)[1])
    officer = f.page_client(database, "officer")
    # The to-do and the queue list it, with its due date; the navigation counts it.
    dashboard = officer.get("/")
    todo = re.search(r'<section id="todo".*?</section>', dashboard.text, re.S).group(0)
    assert f'href="{target}"' in todo and "待受理" in todo and NAME_A in todo
    assert 'id="nav-repair"' in dashboard.text
    queue = officer.get("/repair/queue")
    assert f'href="{target}"' in queue.text and not _plain(queue.text)
    page = officer.get(target)
    assert 'id="accept-form"' in page.text and 'id="refuse-form"' in page.text and 'id="decide-form"' not in page.text
    token = f.csrf_of(officer)
    assert officer.post(f"{target}/accept", data={"csrf_token": token, "note": ""}).status_code == 303
    page = officer.get(target)
    assert "已受理" in page.text and 'id="decide-form"' in page.text
    # Deciding without the on-site note is refused, naming it; the reasons typed are kept.
    refused = officer.post(f"{target}/decide", data={"csrf_token": token, "reasons": "整改到位，材料真实。",
                                                      "verification_note": ""})
    assert refused.status_code == 400 and "现场核查情况" in re.search(r'id="note-error">(.*?)</p>',
                                                                       refused.text).group(1)
    assert "整改到位，材料真实。" in refused.text
    decided = officer.post(f"{target}/decide", data={"csrf_token": token, "reasons": "整改到位，材料真实。",
                                                      "verification_note": "2026年2月17日到小区核实，收费公示已张贴。"})
    assert decided.status_code == 303, decided.text
    page = company.get(target)
    assert "已修复" in page.text and 'id="decision-pdf"' in page.text and not _plain(page.text)
    document = re.search(r'href="(/documents/\d+\.pdf)"', page.text).group(1)
    assert company.get(document).content.startswith(b"%PDF-")
    # Decided: out of the queue and the to-do; in the decided list.
    assert f'href="{target}"' not in officer.get("/repair/queue").text
    assert f'href="{target}"' in officer.get("/repair/queue?status=decided").text
    assert f'href="{target}"' not in officer.get("/").text
    assert request_id > 0


def test_the_officer_refuses_with_reasons_and_the_company_reads_when_it_may_file_again(database, world):
    company = f.page_client(database, "company")
    target = _file(company, _form_url(company)).headers["location"]
    officer = f.page_client(database, "officer")
    token = f.csrf_of(officer)
    empty = officer.post(f"{target}/refuse", data={"csrf_token": token, "reasons": ""})
    assert empty.status_code == 400 and "理由" in re.search(r'id="refuse-reasons-error">(.*?)</p>', empty.text).group(1)
    assert officer.post(f"{target}/refuse", data={"csrf_token": token, "reasons": "证明材料不能证明已退还多收费用。"}
                        ).status_code == 303
    page = company.get(target)
    assert "不予受理" in page.text and 'id="refile-from"' in page.text and not _plain(page.text)


def test_only_officers_act_and_a_company_cannot_open_the_queue(database, world):
    company = f.page_client(database, "company")
    target = _file(company, _form_url(company)).headers["location"]
    token = f.csrf_of(company)
    assert company.post(f"{target}/accept", data={"csrf_token": token}).status_code == 403
    assert company.get("/repair/queue").status_code == 403
    assert company.get("/repair/breaches").status_code == 403
    # A mark that is not the company's: not found, in words.
    assert company.get("/repair/new?cycle_id=999&mark=black_list").status_code == 404
    assert f.page_client(database, "officer").get("/repair/new?cycle_id=1&mark=black_list").status_code == 403


def test_a_breach_of_the_commitment_is_listed_for_the_officer_and_confirmed_through_the_form(database, world,
                                                                                              monkeypatch):
    from rating_service.records.formats import KINDS
    from rating_service.records.service import import_files
    from rating_service.repair import service

    company = f.page_client(database, "company")
    target = _file(company, _form_url(company)).headers["location"]
    officer = f.page_client(database, "officer")
    token = f.csrf_of(officer)
    assert officer.post(f"{target}/accept", data={"csrf_token": token}).status_code == 303
    assert officer.post(f"{target}/decide", data={"csrf_token": token, "reasons": "整改到位。",
                                                  "verification_note": "已到小区现场核实。"}).status_code == 303
    later = dt.date(2026, 4, 1)
    f.pin_today(monkeypatch, later)
    with database.write_session() as session:  # a new overcharge of 皖江 within the commitment
        import_files(session, kind=KINDS["fee_violations"], actor="test", today=later, files=[f.upload(
            "fee_violations", [["SF-009", "2026-03-20", f.CODE_A, "ZY-C001", "超标准收费", "5000", "是",
                                "枞住建罚〔2026〕3号"]])])
        assert service.detect_breaches(session, today=later) == 1
    todo = re.search(r'<section id="todo".*?</section>', officer.get("/").text, re.S).group(0)
    assert 'href="/repair/breaches"' in todo and NAME_A in todo
    assert 'id="breaches-flagged"' in officer.get("/repair/queue").text
    page = officer.get("/repair/breaches")
    assert "SF-009" in page.text and "待核实" in page.text and not _plain(page.text), _plain(page.text)
    breach_id = int(re.search(r'action="/repair/breaches/(\d+)"', page.text).group(1))
    unchosen = officer.post(f"/repair/breaches/{breach_id}", data={"csrf_token": token, "note": "已核实"})
    assert unchosen.status_code == 400 and "确认违反承诺" in re.search(r'id="breach-error">(.*?)</p>',
                                                                      unchosen.text).group(1)
    assert officer.post(f"/repair/breaches/{breach_id}", data={
        "csrf_token": token, "decision": "confirm", "note": "新发生超标准收费，违反承诺。"}).status_code == 303
    page = officer.get("/repair/breaches")
    assert "已确认违反承诺" in page.text and f'action="/repair/breaches/{breach_id}"' not in page.text
    assert 'href="/repair/breaches"' not in officer.get("/").text
