"""Public verification of a code printed on a notice: JSON and the page, no login, nothing personal."""

from __future__ import annotations

from tests import factories as f
from tests.rating_service.notices.helpers import payload

FIELDS = {"code", "kind", "doc_number", "issue_date", "cycle_name", "cycle_status", "company_name", "credit_code",
          "score", "grade", "provisional", "revised", "revised_by", "outcome", "repairs"}
# What the imported company rows hold beyond name and code: never shown by a verification.
PERSONAL = ("张三", "李四", "湖滨路", "长江路", "0556-321")


def test_a_code_verifies_without_login_and_says_only_what_the_notice_says(published, database):
    api = f.api_client(database)
    code = published.own.verification_code
    response = api.get(f"/api/v1/verify/{code}")
    assert response.status_code == 200, response.text
    body = response.json()
    issued = payload(published.own)
    assert body == {
        "code": code, "kind": "notice", "doc_number": "枞住建信评〔2026〕2号", "issue_date": "2026-01-12",
        "cycle_name": "2025年度", "cycle_status": "publicized", "company_name": "安徽皖江物业服务有限公司",
        "credit_code": f.CODE_A, "score": issued["score"], "grade": issued["grade"],
        "provisional": issued["provisional"], "revised": False, "revised_by": None, "outcome": None, "repairs": [],
    }
    assert set(body) == FIELDS
    with database.read_session() as session:
        from rating_service.cycles import repository as cycles_repo

        rating = cycles_repo.rating(session, cycle_id=published.cycle_id, credit_code=f.CODE_A)
    assert rating is not None and body["grade"] == rating.grade and body["score"] == f"{rating.score:.1f}"
    assert not any(word in response.text for word in PERSONAL)


def test_codes_are_read_in_any_case_with_or_without_dashes(published, database):
    api = f.api_client(database)
    code = published.other.verification_code
    for typed in (code.lower(), code.replace("-", ""), code.replace("-", "").lower(), code.replace("-", " "),
                  f"{code[:4]}-{code[5:].replace('-', '')}"):
        response = api.get(f"/api/v1/verify/{typed}")
        assert response.status_code == 200, typed
        assert response.json()["doc_number"] == "枞住建信评〔2026〕3号" and response.json()["code"] == code


def test_the_bulletin_verifies_without_any_company(published, database):
    body = f.api_client(database).get(f"/api/v1/verify/{published.bulletin.verification_code}").json()
    assert body["kind"] == "bulletin" and body["doc_number"] == "枞住建信评〔2026〕1号"
    assert body["company_name"] is body["credit_code"] is body["score"] is body["grade"] is None


def test_an_unknown_code_is_404_with_a_message_in_the_callers_language(published, database):
    api = f.api_client(database)
    response = api.get("/api/v1/verify/ZZZZ-ZZZZ-ZZZZ")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "核验码“ZZZZ-ZZZZ-ZZZZ”不存在，请核对后重新输入。",
                               "details": []}
    english = api.get("/api/v1/verify/ZZZZ-ZZZZ-ZZZZ", headers={"Accept-Language": "en"})
    assert english.status_code == 404 and "ZZZZ-ZZZZ-ZZZZ" in english.json()["message"]
    # a code differing in one character does not verify
    code = published.own.verification_code
    wrong = code[:-1] + ("A" if code[-1] != "A" else "B")
    assert api.get(f"/api/v1/verify/{wrong}").status_code == 404
    assert api.get(f"/api/v1/verify/{code[:-1]}").status_code == 404
    assert api.get(f"/api/v1/verify/{'A' * 41}").status_code == 422


def test_the_verify_page_shows_the_document_without_login(published, database):
    page = f.page_client(database)
    code = published.own.verification_code
    shown = page.get(f"/verify/{code}")
    assert shown.status_code == 200
    for text in ("安徽皖江物业服务有限公司", f.CODE_A, "枞住建信评〔2026〕2号", "2026-01-12", "2025年度", "公示中",
                 "信用评价结果告知书", payload(published.own)["grade"], "该核验码对应以下文书"):
        assert text in shown.text, text
    assert not any(word in shown.text for word in PERSONAL)
    assert "江南物业" not in shown.text
    # the form's query works the same, in any case
    searched = page.get("/verify", params={"q": code.lower().replace("-", "")})
    assert searched.status_code == 200 and "枞住建信评〔2026〕2号" in searched.text
    # the empty form
    form = page.get("/verify")
    assert form.status_code == 200 and 'name="q"' in form.text and "枞住建信评" not in form.text
    # English
    english = page.get(f"/verify/{code}?lang=en")
    assert english.status_code == 200 and "This code stands for the document below." in english.text


def test_an_unknown_code_on_the_page_is_404_and_what_was_typed_is_escaped(published, database):
    page = f.page_client(database)
    missing = page.get("/verify/ZZZZ-ZZZZ-ZZZZ")
    assert missing.status_code == 404 and "核验码“ZZZZ-ZZZZ-ZZZZ”不存在" in missing.text
    hostile = page.get("/verify", params={"q": "<script>alert(1)</script>"})
    assert hostile.status_code == 404
    assert "<script>alert(1)</script>" not in hostile.text and "&lt;script&gt;" in hostile.text


def test_the_address_printed_on_the_notice_opens_its_verification_page(published, database):
    from rating_service.settings import get_settings
    from reports.model import from_payload

    base = get_settings().public_base_url.rstrip("/")
    url = from_payload(payload(published.own)).verification_url
    assert url == f"{base}/verify/{published.own.verification_code}"
    shown = f.page_client(database).get(url[len(base):])
    assert shown.status_code == 200 and "枞住建信评〔2026〕2号" in shown.text
