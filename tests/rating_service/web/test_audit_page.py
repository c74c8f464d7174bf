"""The admins' audit-log page: entries as Chinese sentences with the objects' names, details field by field, filters,
pages, the CSV/XLSX export (itself audited) and the chain's verification status."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from rating_service.audit import pages as audit_pages
from rating_service.audit import service as audit
from tests import factories as f
from tests.rating_service.notices import helpers as notices


def _admin(database):
    f.make_user(database, "admin", "admin")
    return f.page_client(database, "admin")


def _table(page: str) -> str:
    return page.split('class="audit audit-readable"')[1].split("</table>")[0] if "audit-readable" in page else ""


def _seqs(page):
    return [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', _table(page))]


def _visible(page: str) -> str:
    """The table's text as people read it (tags and attributes, where the codes live, removed)."""
    return html.unescape(re.sub(r"<[^>]+>", " ", _table(page)))


def _record(database, count, action="cycle.compute", actor="officer", kind="cycle", **kwargs):
    with database.write_session() as session:
        for i in range(count):
            audit.record(session, action, actor=actor, entity_kind=kind, entity_id=str(i + 1), **kwargs)


@pytest.fixture
def published(database):
    """Records imported, a cycle computed and publicized (its documents issued), a document downloaded."""
    f.load(database, *f.REFERENCE, "inspections")
    cycle_id = notices.computed_cycle(database, "2025年度")
    notices.publicize(database, cycle_id)
    notice = next(d for d in notices.documents(database, cycle_id) if d.kind == "notice")
    f.make_user(database, "officer", "officer")
    with database.write_session() as session:
        audit.record(session, "document.download", actor="officer", entity_kind="document", entity_id=str(notice.id),
                     payload={"number": notice.doc_number, "kind": "notice", "credit_code": notice.credit_code})
    return {"cycle_id": cycle_id, "notice": notice}


def test_entries_read_as_chinese_sentences_with_the_objects_names(database, published):
    client = _admin(database)
    page = client.get("/admin/audit")
    assert page.status_code == 200
    seen = _visible(page.text)
    assert "业务人员 officer 下载了信用评价结果告知书 " + published["notice"].doc_number in seen
    assert "公示了评价周期「2025年度」" in seen and "计算了评价周期「2025年度」" in seen
    assert re.search(r"导入了巡查检查文件「inspections\.csv」", seen)
    assert "管理员 admin 登录了系统" in seen
    # no code, no kind:id, no raw JSON where people read
    for raw in ("document:", "cycle:", "import_batch:", "cycle.publicize", "document.download", "user.login", "{\""):
        assert raw not in seen, raw
    assert 'data-action="cycle.publicize"' in page.text  # the code stays in a machine field


def test_details_are_a_field_by_field_diff_in_words(database):
    client = _admin(database)
    with database.write_session() as session:
        audit.append(session, [
            audit.AuditDraft("cycle.publicize", actor="officer", entity_kind="cycle", entity_id="7",
                             reason="公示期开始", payload={"from": "computed", "to": "publicized"}),
            audit.AuditDraft("record.update", actor="officer", entity_kind="inspections", entity_id="XC-9",
                             payload={"batch_id": 3, "changed": ["severity"], "before": {"severity": "minor"},
                                      "after": {"severity": "serious"}}),
        ], at=dt.datetime(2025, 3, 5, 23, 30, 15, tzinfo=dt.UTC))
    page = client.get("/admin/audit")
    seen = _visible(page.text)
    assert "2025-03-06 07:30:15" in page.text  # Beijing time
    assert "状态：已计算 → 公示中" in seen and "事由：公示期开始" in seen
    assert "严重程度：一般 → 严重" in seen
    assert "更新了巡查检查记录 XC-9" in seen
    assert "评价周期（编号 7）" in seen  # a cycle that does not exist: a kind word and its id
    assert "minor" not in seen and "publicized" not in seen


def test_unknown_actions_and_kinds_read_as_a_generic_phrase(database):
    client = _admin(database)
    _record(database, 1, action="test.something_new", kind="gizmo")
    seen = _visible(client.get("/admin/audit").text)
    assert "执行了一项未登记的操作（对象：其他对象（编号 1））" in seen
    assert "test.something_new" not in seen and "gizmo" not in seen


def test_filters_by_actor_action_kind_id_and_dates(database):
    client = _admin(database)
    _record(database, 3)
    _record(database, 2, action="import", actor="clerk", kind="import_batch")
    by_action = client.get("/admin/audit", params={"action": "cycle.compute"}).text
    assert '<option value="cycle.compute" selected>计算评价周期</option>' in by_action
    assert len(_seqs(by_action)) == 3 and 'data-actor="clerk"' not in by_action
    assert len(_seqs(client.get("/admin/audit", params={"action": "cycle."}).text)) == 3
    by_actor = client.get("/admin/audit", params={"actor": "clerk"}).text
    assert len(_seqs(by_actor)) == 2 and "共 2 条" in by_actor
    by_kind = client.get("/admin/audit", params={"entity_kind": "import_batch"}).text
    assert len(_seqs(by_kind)) == 2 and '<option value="import_batch" selected>导入批次</option>' in by_kind
    by_entity = client.get("/admin/audit", params={"entity_kind": "cycle", "entity_id": "2"}).text
    assert len(_seqs(by_entity)) == 1
    today = dt.date.today().isoformat()
    later = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    assert len(_seqs(client.get("/admin/audit", params={"since": "2000-01-01", "until": today}).text)) >= 5
    assert "没有符合条件的记录" in client.get("/admin/audit", params={"since": later, "until": ""}).text


@pytest.mark.parametrize(("params", "words"), [
    ({"since": "2025-02-30"}, "开始日期“2025-02-30”不是有效的日期"),
    ({"until": "yesterday"}, "结束日期“yesterday”不是有效的日期"),
    ({"since": "2025-03-01", "until": "2025-02-01"}, "开始日期 2025-03-01 晚于结束日期 2025-02-01"),
    ({"page": "999"}, "第 999 页不存在"),
    ({"actor": "x" * 101}, "请求格式不正确"),
])
def test_bad_filters_are_a_chinese_message_not_a_server_error(database, params, words):
    response = _admin(database).get("/admin/audit", params=params)
    assert response.status_code == 422 and words in response.text


def test_pages_of_fifty_with_previous_and_next_links_keep_the_filters(database):
    client = _admin(database)
    _record(database, 120)
    first = client.get("/admin/audit", params={"action": "cycle."}).text
    assert len(_seqs(first)) == 50 and "共 120 条，第 1/3 页" in first
    assert 'href="/admin/audit?action=cycle.&amp;page=2"' in first and 'rel="prev"' not in first
    second = client.get("/admin/audit", params={"action": "cycle.", "page": 2}).text
    assert _seqs(second)[0] == _seqs(first)[-1] - 1
    last = client.get("/admin/audit", params={"action": "cycle.", "page": 3}).text
    assert len(_seqs(last)) == 20 and 'rel="next"' not in last


def test_csv_export_has_chinese_headers_sentences_and_code_columns_and_is_audited(database, published):
    client = _admin(database)
    response = client.get("/admin/audit/export", params={"format": "csv", "action": "document.download"})
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:6] == ["序号", "时间（北京时间）", "操作记录", "操作", "事由", "详情"]
    assert rows[0][6:] == ["操作人账号", "操作代码", "对象类型代码", "对象编号"]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["操作记录"] == "业务人员 officer 下载了信用评价结果告知书 " + published["notice"].doc_number
    assert row["操作"] == "下载文书" and row["操作代码"] == "document.download" and row["对象类型代码"] == "document"
    assert "统一社会信用代码：" + published["notice"].credit_code in row["详情"]
    exported = client.get("/admin/audit", params={"action": "audit.export"}).text
    assert "管理员 admin 导出了审计日志" in _visible(exported)
    assert "格式：csv" in _visible(exported) and "行数：1" in _visible(exported)


def test_xlsx_export_holds_text_cells(database, published):
    client = _admin(database)
    response = client.get("/admin/audit/export", params={"format": "xlsx", "entity_kind": "cycle"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][2] == "操作记录"
    sentences = [r[2] for r in rows[1:]]
    assert any("公示了评价周期「2025年度」" in s for s in sentences)
    assert all(cell.data_type == "s" for row in sheet.iter_rows(min_row=2) for cell in row if cell.value is not None)
    assert isinstance(rows[1][0], str)  # even the sequence number is text
    assert "导出了审计日志" in _visible(client.get("/admin/audit", params={"action": "audit.export"}).text)


def test_export_beyond_the_limit_or_in_an_unknown_format_is_refused_in_chinese(database, monkeypatch):
    client = _admin(database)
    _record(database, 5)
    monkeypatch.setattr(audit_pages, "EXPORT_MAX_ROWS", 3)
    refused = client.get("/admin/audit/export", params={"format": "csv"})
    assert refused.status_code == 422 and "超过一次导出的上限 3 条" in refused.text
    unknown = client.get("/admin/audit/export", params={"format": "pdf"})
    assert unknown.status_code == 422 and "导出格式“pdf”无效" in unknown.text
    assert "导出了审计日志" not in _visible(client.get("/admin/audit").text)


def test_status_line_shows_the_verified_count_and_a_tampered_entry(database):
    client = _admin(database)
    _record(database, 4)
    with database.read_session() as session:
        count = audit.count(session, filters=audit.repository.AuditFilter())
    page = client.get("/admin/audit").text
    assert f"审计链校验通过（{count} 条）" in page and 'data-state="ok"' in page
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET payload = :p WHERE seq = 3"), {"p": '{"i":99}'})
    tampered = client.get("/admin/audit").text
    assert "审计链校验未通过：审计日志第 3 条已被篡改（哈希不符）。" in tampered and 'data-state="failed"' in tampered


def test_a_long_log_is_verified_on_request(database, monkeypatch):
    client = _admin(database)
    _record(database, 4)
    monkeypatch.setattr(audit_pages, "VERIFY_ON_VIEW_MAX", 2)
    audit_pages._last_check.clear()
    page = client.get("/admin/audit").text
    assert "较长，未在打开页面时校验" in page and "立即校验" in page
    done = client.post("/admin/audit/verify", data={"csrf_token": f.csrf_of(client)})
    assert done.status_code == 303
    again = client.get("/admin/audit").text
    assert "审计链校验通过" in again and "（校验于 " in again


def test_audit_page_is_for_admins_only_and_speaks_english_on_request(database):
    f.make_user(database, "officer", "officer")
    officer = f.page_client(database, "officer")
    assert officer.get("/admin/audit").status_code == 403
    assert officer.get("/admin/audit/export").status_code == 403
    english = _admin(database).get("/admin/audit?lang=en").text
    assert "Audit log" in english and "Beijing time" in english and "Administrator admin signed in" in english


def test_names_are_looked_up_once_per_page_not_once_per_entry(database):
    from sqlalchemy import event

    from rating_service.cycles import service as cycles

    client = _admin(database)
    with database.write_session() as session:
        for name in ("甲", "乙", "丙"):
            cycles.create_cycle(session=session, actor="admin", draft=cycles.CycleDraft(
                f"{name}周期", dt.date(2025, 1, 1), dt.date(2025, 12, 31)))

    def statements_of(url: str, params: dict[str, str]) -> tuple[int, str]:
        seen: list[str] = []
        listener = lambda conn, cursor, statement, *rest: seen.append(statement)  # noqa: E731
        event.listen(database.engine, "before_cursor_execute", listener)
        try:
            page = client.get(url, params=params).text
        finally:
            event.remove(database.engine, "before_cursor_execute", listener)
        return len(seen), page

    few, page = statements_of("/admin/audit", {"action": "cycle.create"})
    assert "新建了评价周期「丙周期」" in _visible(page) and len(_seqs(page)) == 3
    _record(database, 30, action="cycle.create", actor="admin")
    many, page = statements_of("/admin/audit", {"action": "cycle.create"})
    assert len(_seqs(page)) == 33 and many == few


def test_exported_text_that_looks_like_a_formula_is_neutralised(database):
    client = _admin(database)
    _record(database, 1, reason="=HYPERLINK(\"http://x\")")
    csv_rows = list(csv.reader(io.StringIO(client.get("/admin/audit/export", params={
        "format": "csv", "action": "cycle.compute"}).content.decode("utf-8-sig"))))
    assert csv_rows[1][4] == "'=HYPERLINK(\"http://x\")"
    sheet = load_workbook(io.BytesIO(client.get("/admin/audit/export", params={
        "format": "xlsx", "action": "cycle.compute"}).content)).active
    assert sheet.cell(row=2, column=5).value == "'=HYPERLINK(\"http://x\")"
