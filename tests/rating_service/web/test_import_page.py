"""The import page: upload files, see the summaries, or every bad row with nothing written."""

from __future__ import annotations

from rating_service.companies import repository as companies_repo
from tests import factories as f


def _officer(database):
    f.make_user(database, "officer", "officer")
    return f.page_client(database, "officer")


def _post(client, kind, *uploads, csrf=True, lang=None):
    data = {"kind": kind, **({"csrf_token": f.csrf_of(client)} if csrf else {})}
    files = [("files", (u.filename, u.data, "text/csv")) for u in uploads]
    return client.post("/imports" + (f"?lang={lang}" if lang else ""), data=data, files=files)


def _counts(database):
    with database.read_session() as session:
        return companies_repo.record_counts(session)


def test_import_page_offers_every_kind_and_lists_recent_batches(database):
    f.load(database, "companies")
    page = _officer(database).get("/imports")
    assert page.status_code == 200
    text = page.text
    assert 'enctype="multipart/form-data"' in text and 'name="csrf_token"' in text and "multiple" in text
    for label in ("企业", "小区", "物业服务合同", "巡查检查", "投诉工单", "收费违规", "表彰", "重大事项"):
        assert f">{label}</option>" in text
    assert 'data-busy="正在导入…"' in text
    recent = text.split("最近导入")[1]
    assert "companies.csv" in recent and "test" in recent


def test_upload_shows_the_summary_and_dropped_personal_columns(database):
    f.load(database, *f.REFERENCE)
    client = _officer(database)
    header = [*f.headers("complaints"), "投诉人", "联系电话"]
    rows = [[*row, "王五", "13800000000"] for row in f.COMPLAINTS]
    response = _post(client, "complaints", f.upload("complaints", rows, header=header, name="工单.csv"))
    assert response.status_code == 200
    summary = response.text.split('id="import-summary"')[1].split("</section>")[0]
    assert "导入完成" in summary and "工单.csv" in summary and "投诉工单" in summary
    assert '<td class="num">3</td><td class="num">3</td><td class="num">0</td>' in summary.replace("\n", "")
    assert "已删除的个人信息列" in summary and "投诉人、联系电话" in summary
    assert _counts(database)["complaints"] == 3
    assert "13800000000" not in response.text


def test_a_bad_row_is_shown_with_its_reason_and_nothing_is_written(database):
    f.load(database, *f.REFERENCE)
    client = _officer(database)
    rows = [list(row) for row in f.COMPLAINTS]
    rows[1][1] = "2025-13-45"  # the second data row is spreadsheet row 3
    response = _post(client, "complaints", f.upload("complaints", rows))
    assert response.status_code == 400
    text = response.text
    assert "文件未通过校验，共 1 处错误，未写入任何数据。" in text
    table = text.split('class="errors"')[1].split("</table>")[0]
    row = table.split("<tbody>")[1]
    assert "complaints.csv" in row and '<td class="num">3</td>' in row and "2025-13-45" in row
    assert "日期" in row and ("日期不存在" in row or "日期格式无法识别" in row)
    assert _counts(database)["complaints"] == 0
    # The form stays on the chosen kind so that a corrected file can be sent at once.
    assert '<option value="complaints" selected>' in text


def test_errors_are_english_with_the_switch(database):
    f.load(database, *f.REFERENCE)
    client = _officer(database)
    rows = [list(row) for row in f.COMPLAINTS]
    rows[0][0] = ""
    response = _post(client, "complaints", f.upload("complaints", rows), lang="en")
    assert response.status_code == 400
    assert "failed validation with 1 error(s); nothing was written" in response.text
    assert "A required value is blank." in response.text and "Import records" in response.text


def test_an_unknown_kind_is_refused_on_the_page(database):
    client = _officer(database)
    response = _post(client, "bananas", f.upload("companies", f.COMPANIES))
    assert response.status_code == 400 and "未知的数据类型" in response.text
    assert _counts(database)["companies"] == 0


def test_upload_without_csrf_token_is_refused(database):
    client = _officer(database)
    response = _post(client, "companies", f.upload("companies", f.COMPANIES), csrf=False)
    assert response.status_code == 403
    assert _counts(database)["companies"] == 0


def test_import_page_is_for_officers(database):
    f.load(database, "companies")
    f.make_user(database, "company-a", "company", credit_code=f.CODE_A)
    assert f.page_client(database, "company-a").get("/imports").status_code == 403
    anonymous = f.page_client(database).get("/imports")
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
