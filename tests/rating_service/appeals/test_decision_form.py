"""The officer's decision form (GET /appeals/{id}; POST …/decision/preview, then …/decision): each contested record
whole beside keep / void / amend with no choice made, typed amendments checked on the server, a preview that writes
nothing, a confirmation that decides what was previewed; the attachments opened inline with safe headers."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from rating_service.appeals.models import Appeal
from rating_service.audit.models import AuditEntry
from rating_service.cycles import repository as cycles_repo
from tests import factories as f

PDF = f.pdf_file()
PNG = f.image_file("PNG")
CONTESTED = ["inspections:XC-0001", "complaints:GD-000003", "fee_violations:SF-001"]


def _file(database: Any, cycle_id: int, files: list[tuple[str, bytes]] = ()) -> int:  # type: ignore[assignment]
    response = f.api_client(database, "company").post(
        f"/api/v1/cycles/{cycle_id}/appeals",
        data={"grounds": "该巡查发生时楼道堆物已清理，投诉经核实不属实，收费已退还。", "scope": "records",
              "records": CONTESTED},
        files=[("files", (name, content, "application/octet-stream")) for name, content in files] or None)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _officer(database: Any) -> tuple[Any, str]:
    client = f.page_client(database, "officer")
    return client, f.csrf_of(client)


def _choices(**over: Any) -> dict[str, Any]:
    """A complete form: every record kept but the complaint voided, outcome partly upheld."""
    data: dict[str, Any] = {"action:inspections:XC-0001": "keep", "action:complaints:GD-000003": "void",
                            "action:fee_violations:SF-001": "keep", "outcome": "partly_upheld",
                            "reasons": "经核实，该投诉不属实，予以撤销；其余维持。"}
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def _state(database: Any, cycle_id: int, appeal_id: int) -> tuple[Any, ...]:
    """What a decision would change: the appeal's status and after-figures, the rating, the audit log's length."""
    with database.read_session() as session:
        appeal = session.get(Appeal, appeal_id)
        rating = cycles_repo.rating(session, cycle_id=cycle_id, credit_code=f.CODE_A)
        audits = session.query(AuditEntry).count()
        return (appeal.status, appeal.outcome, appeal.score_after, appeal.grade_after, rating.score, rating.grade,
                rating.explanation, audits)


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", page)))


def test_the_form_shows_each_record_whole_and_no_choice_is_made(database, published):
    appeal_id = _file(database, published.cycle_id)
    officer, _csrf = _officer(database)
    page = officer.get(f"/appeals/{appeal_id}")
    assert page.status_code == 200
    form = page.text[page.text.index('id="decision-form"'):]
    text = _text(form)
    # Every contested record with its data as imported, in Chinese words, its attribution and its points.
    for words in ("巡查检查", "XC-0001", "检查部门", "城管", "问题类别", "乱堆乱放", "严重程度", "一般", "整改完成日期",
                  "投诉工单", "GD-000003", "是否查实", "停车管理", "收费违规", "SF-001", "超标准收费", "涉及金额",
                  "枞住建罚〔2025〕1号", "归属", "扣分", "企业异议"):
        assert words in text, words
    assert "安徽皖江物业服务有限公司" in text  # the attribution names the company
    # keep / void / amend per record, and the outcome: nothing chosen beforehand.
    for key in CONTESTED:
        radios = re.findall(rf'<input type="radio" name="action:{re.escape(key)}"[^>]*>', form)
        assert [re.search(r'value="(\w+)"', r).group(1) for r in radios] == ["keep", "void", "amend"]
        assert not any("checked" in r for r in radios)
        assert all("required" in r for r in radios)
    outcomes = re.findall(r'<input type="radio" name="outcome"[^>]*>', form)
    assert len(outcomes) == 3 and not any("checked" in r for r in outcomes)
    assert "selected" not in re.search(r'name="outcome".*', form, re.S).group(0).split("amend")[0]
    # The amendment fields are typed, with the allowed values in Chinese and the current value.
    assert re.search(r'<input type="date" name="amend:inspections:XC-0001:rectified_on" value="2025-03-15"', form)
    severity = re.search(r'<select name="amend:inspections:XC-0001:severity">(.*?)</select>', form, re.S).group(1)
    assert re.findall(r">([^<]+)</option>", severity) == ["合格", "一般", "较重", "严重"]
    assert 'value="minor" selected' in severity
    assert re.search(r'<input type="number" name="amend:fee_violations:SF-001:amount_yuan" value="23000" min="0" '
                     r'step="0.01"', form)
    assert "可选：合格、一般、较重、严重" in text and "现为：一般" in text
    for code in ("minor", "overcharge", "true", "false"):  # codes stay in the values, never in the words
        assert f">{code}<" not in form
    assert "预览结果" in text and "确认决定" not in text  # the first step is the preview


def test_a_post_without_a_choice_is_refused_naming_the_record_and_nothing_is_written(database, published):
    appeal_id = _file(database, published.cycle_id)
    officer, csrf = _officer(database)
    before = _state(database, published.cycle_id, appeal_id)
    for url in (f"/appeals/{appeal_id}/decision/preview", f"/appeals/{appeal_id}/decision"):
        response = officer.post(url, data={**_choices(**{"action:complaints:GD-000003": None}), "csrf_token": csrf,
                                           "expect_score": "90.0", "expect_grade": "A"})
        assert response.status_code == 400, response.text
        message = re.search(r'id="decision-error">([^<]+)<', response.text).group(1)
        assert "第 2 条记录（投诉工单 GD-000003）尚未选择处理方式" in html.unescape(message)
        # The choices made are kept; the reasons too.
        assert re.search(r'name="action:complaints:GD-000003"[^>]*>', response.text)
        assert re.search(r'name="action:inspections:XC-0001" value="keep"[^>]*checked', response.text)
        assert "经核实，该投诉不属实" in response.text
    no_outcome = officer.post(f"/appeals/{appeal_id}/decision/preview",
                              data={**_choices(outcome=None), "csrf_token": csrf})
    assert no_outcome.status_code == 400
    assert "请选择处理结果" in html.unescape(no_outcome.text)
    assert _state(database, published.cycle_id, appeal_id) == before


def test_the_preview_writes_nothing_and_shows_the_score_and_grade_before_and_after(database, published):
    appeal_id = _file(database, published.cycle_id)
    officer, csrf = _officer(database)
    before = _state(database, published.cycle_id, appeal_id)
    response = officer.post(f"/appeals/{appeal_id}/decision/preview", data={**_choices(), "csrf_token": csrf})
    assert response.status_code == 200, response.text
    assert _state(database, published.cycle_id, appeal_id) == before
    preview = response.text[response.text.index('id="decision-preview"'):response.text.index('id="decision-form"')]
    score = _text(re.search(r'id="preview-score">(.*?)</span></div>', preview, re.S).group(1)).split("→")
    grade = _text(re.search(r'id="preview-grade">(.*?)</span></div>', preview, re.S).group(1)).split("→")
    assert float(score[0]) == round(before[4], 1) and grade[0].strip() == before[5]
    assert float(score[1]) > float(score[0])  # the substantiated complaint no longer counts
    reasons = _text(re.search(r'id="preview-reasons">(.*?)</ul>', preview, re.S).group(1))
    assert "投诉" in reasons and "COMPL" not in reasons  # in the methodology's words, no code
    assert "投诉工单 GD-000003：撤销" in _text(preview)
    # The confirming form carries exactly the previewed choices and figures.
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', preview))
    assert hidden["action:complaints:GD-000003"] == "void" and hidden["outcome"] == "partly_upheld"
    assert hidden["expect_score"] == score[1].strip() and hidden["expect_grade"] == grade[1].strip()
    # The editable form keeps the choices.
    assert re.search(r'name="action:complaints:GD-000003" value="void"[^>]*checked', response.text)

    # Confirming decides exactly that.
    confirmed = officer.post(f"/appeals/{appeal_id}/decision", data={**hidden, "csrf_token": csrf})
    assert confirmed.status_code == 303 and confirmed.headers["location"] == f"/appeals/{appeal_id}"
    status, outcome, score_after, grade_after, rating_score, rating_grade, _exp, _n = \
        _state(database, published.cycle_id, appeal_id)
    assert (status, outcome) == ("decided", "partly_upheld")
    assert (f"{score_after:.1f}", grade_after) == (hidden["expect_score"], hidden["expect_grade"])
    assert (rating_score, rating_grade) == (score_after, grade_after)
    decided = officer.get(f"/appeals/{appeal_id}").text
    assert "已处理" in decided and 'id="decision-form"' not in decided


def test_a_confirmation_that_no_longer_matches_its_preview_is_refused(database, published):
    appeal_id = _file(database, published.cycle_id)
    officer, csrf = _officer(database)
    before = _state(database, published.cycle_id, appeal_id)
    response = officer.post(f"/appeals/{appeal_id}/decision",
                            data={**_choices(), "expect_score": "1.0", "expect_grade": "C", "csrf_token": csrf})
    assert response.status_code == 409
    assert "与预览不同，未作出决定" in html.unescape(response.text)
    assert _state(database, published.cycle_id, appeal_id) == before
    # Without the preview's figures the decision page only previews.
    unseen = officer.post(f"/appeals/{appeal_id}/decision", data={**_choices(), "csrf_token": csrf})
    assert unseen.status_code == 200 and 'id="confirm-button"' in unseen.text
    assert _state(database, published.cycle_id, appeal_id) == before


@pytest.mark.parametrize(("field", "value", "words"), [
    ("amend:inspections:XC-0001:rectified_on", "15/03/2025", "记录 巡查检查 XC-0001 的“整改完成日期”应为日期"),
    ("amend:inspections:XC-0001:rectified_on", "2025-02-01", "“整改完成日期”（2025-02-01）不能早于“检查日期”"),
    ("amend:inspections:XC-0001:severity", "catastrophic", "记录 巡查检查 XC-0001 的“严重程度”不能为“catastrophic”，"
                                                          "可选：合格、一般、较重、严重"),
    ("amend:fee_violations:SF-001:amount_yuan", "-5", "记录 收费违规 SF-001 的“涉及金额”应在 0 至"),
    ("amend:fee_violations:SF-001:refunded", "maybe", "记录 收费违规 SF-001 的“是否退还”应为“是”或“否”"),
])
def test_a_bad_amendment_is_refused_naming_the_record_and_the_field(database, published, field, value, words):
    appeal_id = _file(database, published.cycle_id)
    officer, csrf = _officer(database)
    before = _state(database, published.cycle_id, appeal_id)
    kind_record = field.split(":")[1] + ":" + field.split(":")[2]
    data = {**_choices(**{f"action:{kind_record}": "amend", field: value}), "csrf_token": csrf}
    for url in (f"/appeals/{appeal_id}/decision/preview", f"/appeals/{appeal_id}/decision"):
        response = officer.post(url, data={**data, "expect_score": "50.0", "expect_grade": "B"})
        assert response.status_code == 400, response.text
        assert words in html.unescape(response.text)
    assert _state(database, published.cycle_id, appeal_id) == before


def test_an_amendment_changes_only_the_fields_changed_and_is_said_in_words(database, published):
    appeal_id = _file(database, published.cycle_id)
    officer, csrf = _officer(database)
    data = _choices(**{"action:inspections:XC-0001": "amend", "amend:inspections:XC-0001:severity": "none",
                       "amend:inspections:XC-0001:rectified_on": "2025-03-15",  # unchanged: not an amendment
                       "action:complaints:GD-000003": "keep", "outcome": "partly_upheld"})
    preview = officer.post(f"/appeals/{appeal_id}/decision/preview", data={**data, "csrf_token": csrf})
    assert preview.status_code == 200, preview.text
    assert "巡查检查 XC-0001：更正（严重程度 一般 → 合格）" in _text(preview.text)
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', preview.text))
    assert officer.post(f"/appeals/{appeal_id}/decision", data={**hidden, "csrf_token": csrf}).status_code == 303
    api = f.api_client(database, "officer").get(f"/api/v1/appeals/{appeal_id}").json()
    assert [i["amendment"] for i in api["items"]] == [{"severity": "none"}, None, None]
    assert "严重程度 → 合格" in _text(officer.get(f"/appeals/{appeal_id}").text)


def test_the_json_api_refuses_a_severity_that_is_not_allowed(database, published):
    appeal_id = _file(database, published.cycle_id)
    response = f.api_client(database, "officer").post(f"/api/v1/appeals/{appeal_id}/decision", json={
        "outcome": "partly_upheld", "reasons": "更正", "items": [
            {"kind": "inspections", "record_id": "XC-0001", "action": "amend", "changes": {"severity": "极重"}},
            {"kind": "complaints", "record_id": "GD-000003", "action": "keep"},
            {"kind": "fee_violations", "record_id": "SF-001", "action": "keep"}]})
    assert response.status_code == 400
    assert "“严重程度”不能为“极重”" in response.json()["message"]


def test_attachments_open_inline_with_safe_headers_and_only_for_those_who_may_see_the_appeal(database, published):
    appeal_id = _file(database, published.cycle_id, files=[("合同终止协议.pdf", PDF), ("现场照片.png", PNG)])
    officer, _csrf = _officer(database)
    page = officer.get(f"/appeals/{appeal_id}").text
    views = re.findall(rf'(?:iframe class="attachment-pdf"|img class="attachment-image") src="(/appeals/{appeal_id}'
                       rf'/attachments/\d+)"', page)
    assert len(views) == 2
    pdf, png = (officer.get(url) for url in views)
    for response, media_type, data in ((pdf, "application/pdf", PDF), (png, "image/png", None)):
        assert response.status_code == 200
        assert response.headers["content-type"] == media_type
        assert response.headers["content-disposition"].startswith("inline;")
        assert "filename*=UTF-8''" in response.headers["content-disposition"]
        assert response.headers["x-content-type-options"] == "nosniff"
        csp = response.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "frame-ancestors 'self'" in csp
        assert response.headers["x-frame-options"] == "SAMEORIGIN"
        assert "no-store" in response.headers["cache-control"]
        if data is not None:
            assert response.content == data
    assert "%E5%90%88%E5%90%8C" in pdf.headers["content-disposition"]  # 合同…, encoded
    assert all("sandbox" in r.headers["content-security-policy"] for r in (pdf, png))
    # The filing company sees its own; another company gets 404, as for an appeal that does not exist.
    own = f.page_client(database, "company")
    assert own.get(views[0]).status_code == 200
    other = f.page_client(database, "company_b")
    assert other.get(views[0]).status_code == 404
    assert other.get(f"/appeals/{appeal_id}").status_code == 404
    assert f.page_client(database).get(views[0]).status_code == 303  # log in first
    # An attachment of another appeal under this appeal's number: 404.
    attachment_id = int(views[0].rsplit("/", 1)[1])
    assert officer.get(f"/appeals/{appeal_id + 1}/attachments/{attachment_id}").status_code == 404
