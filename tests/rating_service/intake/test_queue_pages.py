"""The review queue's pages over HTTP: who may see them, the queue and an item in words, the decisions (in bulk,
the high-confidence batch, one corrected item, not property-related, duplicate), refused input as a 4xx page with
its message, and the upload of a raw 12345 export."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from sqlalchemy import select

from rating_service.intake import service
from rating_service.intake.models import IntakeItem
from tests import factories as f

HOTLINE_HEADERS = ["工单编号", "受理时间", "来电人", "联系电话", "诉求地址", "诉求内容", "诉求类型", "承办单位",
                   "办理时限", "办结时间", "是否属实", "回访满意度"]
# Words that are codes, never words for people: none may show in a page's visible text.
CODES = ("hotline", "patrol", "pending", "proposed", "not_property", "fuzzy", "exact_name", "exact_alias",
         "__not_property__", "confirmed", "duplicate", "review", "None")


def _visible(html: str) -> str:
    """The page's text as people read it (no tags, attributes, scripts)."""
    body = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def _item(no: str, place: str, text: str, day: int = 5) -> service.ItemIn:
    return service.ItemIn(external_no=no, received_on=dt.date(2026, 3, day), place_text=place, text=text,
                          fields={"handling_unit": "城关镇", "substantiated": True})


def make_queue(database: Any) -> dict[str, int]:
    """The factory's communities, an officer, a company user and five tickets: three that match a community well
    (two of them with a confident category suggestion: bulk-confirmable), one nobody can place, one more to mark
    as a duplicate of the first. Returns ticket number -> item id."""
    f.load(database, *f.REFERENCE)
    f.make_user(database, "officer", "officer")
    f.make_user(database, "company", "company", credit_code=f.CODE_A)
    items = [
        _item("GD-2026-0001", "枞阳县城关镇山水兰亭3栋2单元", "楼道垃圾三天没人清运，气味很大。"),
        _item("GD-2026-0002", "尚泽江南府", "小区路灯坏了很久，物业不修。", day=6),
        _item("GD-2026-0003", "金山花园", "地下车库乱停车，物业不管。", day=7),
        _item("GD-2026-0004", "某某路旁边", "邻居装修声音太大。", day=8),
        _item("GD-2026-0005", "山水兰亭", "楼道垃圾三天没人清运（再次来电）。", day=9),
    ]
    with database.write_session() as session:
        service.ingest(session, kind="hotline", items=items, actor="test")
    with database.write_session() as session:
        rows = {i.external_no: i for i in session.execute(select(IntakeItem)).scalars()}
        # The triage model's confident suggestions for the first two (a trained model is the triage lane's test).
        for no, category in (("GD-2026-0001", "垃圾清运"), ("GD-2026-0002", "设施损坏")):
            rows[no].category_suggested, rows[no].category_probability = category, 0.97
            rows[no].relevant_probability = 0.98
        return {no: item.id for no, item in rows.items()}


@pytest.fixture
def queue(database: Any) -> dict[str, int]:
    return make_queue(database)


@pytest.fixture
def queue_sqlite(sqlite_only: Any) -> dict[str, int]:
    return make_queue(sqlite_only)


def _officer(database: Any) -> Any:
    return f.page_client(database, "officer")


def _post(client: Any, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data={**data, "csrf_token": f.csrf_of(client)})


def _status(database: Any, item_id: int) -> tuple[str, str | None, str | None]:
    with database.read_session() as session:
        item = session.get(IntakeItem, item_id)
        assert item is not None
        return item.status, item.community_id, item.category


def test_an_officer_sees_the_queue_in_words(database: Any, queue: dict[str, int]) -> None:
    client = _officer(database)
    page = client.get("/intake")
    assert page.status_code == 200
    text = _visible(page.text)
    assert "已确认 0 / 5" in text
    assert "确认全部可批量确认的 2 件" in text
    assert 'data-confirm="按建议确认全部 2 件' in page.text  # the dialog states the number
    assert '<table class="cards intake-rows"' in page.text
    for no in queue:
        assert no in text
    assert "山水兰亭" in text and "垃圾清运" in text and "97%" in text
    assert "/static/intake-queue.js" in page.text and "j / k" in text
    assert re.search(r"<script>(?!</script>)", page.text) is None  # no inline script (CSP)
    assert not [code for code in CODES if re.search(rf"\b{re.escape(code)}\b", text)]
    # the navigation: 工单确认 with the pending count, on every officer page
    assert re.search(r'href="/intake"[^>]*>工单确认 <span class="nav-badge" id="nav-intake"[^>]*>5</span>',
                     client.get("/").text)
    # the tabs: bulk-confirmable lists the two, needs-judgement the other three
    high = _visible(client.get("/intake?view=high").text)
    assert "GD-2026-0001" in high and "GD-2026-0002" in high and "GD-2026-0004" not in high
    review = _visible(client.get("/intake?view=review").text)
    assert "GD-2026-0004" in review and "GD-2026-0001" not in review
    # a search, and query values that make no sense fall back instead of failing
    found = _visible(client.get("/intake", params={"q": "装修"}).text)
    assert "GD-2026-0004" in found and "GD-2026-0001" not in found
    assert client.get("/intake", params={"view": "nonsense", "page": "-3", "kind": "x"}).status_code == 200


def test_companies_and_visitors_get_no_queue(database: Any, queue: dict[str, int]) -> None:
    company = f.page_client(database, "company")
    for url in ("/intake", f"/intake/items/{queue['GD-2026-0001']}", "/intake/upload"):
        answer = company.get(url)
        assert answer.status_code == 403, url
        assert "GD-2026-0001" not in answer.text
    assert "/intake" not in company.get("/").text  # no link in a company's navigation
    refused = _post(company, "/intake/bulk", {"action": "confirm", "ids": [str(queue["GD-2026-0001"])]})
    assert refused.status_code == 403
    assert _status(database, queue["GD-2026-0001"])[0] == "pending"
    visitor = f.page_client(database)
    answer = visitor.get("/intake")
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


def test_bulk_confirm_and_not_property(database: Any, queue: dict[str, int]) -> None:
    client = _officer(database)
    answer = _post(client, "/intake/bulk", {"action": "confirm", "ids": [str(queue["GD-2026-0001"]),
                                                                          str(queue["GD-2026-0002"])]})
    assert answer.status_code == 303
    after = client.get(answer.headers["location"])
    assert "已确认 2 件工单。" in after.text and "已确认 2 / 5" in _visible(after.text)
    assert _status(database, queue["GD-2026-0001"]) == ("confirmed", "ZY-C001", "垃圾清运")
    answer = _post(client, "/intake/bulk", {"action": "not_property", "ids": [str(queue["GD-2026-0004"])]})
    assert answer.status_code == 303
    assert _status(database, queue["GD-2026-0004"])[0] == "not_property"
    done = _visible(client.get("/intake?view=done&status=not_property").text)
    assert "GD-2026-0004" in done and "非物业服务类" in done


def test_the_high_confidence_batch_is_confirmed_as_the_dialog_said(database: Any, queue: dict[str, int]) -> None:
    client = _officer(database)
    stale = _post(client, "/intake/confirm-high", {"expected": "7"})
    assert stale.status_code == 409
    assert "可批量确认的工单已变为 2 件（确认时为 7 件）" in stale.text
    assert _status(database, queue["GD-2026-0001"])[0] == "pending"
    answer = _post(client, "/intake/confirm-high", {"expected": "2"})
    assert answer.status_code == 303
    assert _status(database, queue["GD-2026-0001"])[0] == "confirmed"
    assert _status(database, queue["GD-2026-0002"]) == ("confirmed", "ZY-C002", "设施损坏")
    assert _status(database, queue["GD-2026-0003"])[0] == "pending"
    again = _post(client, "/intake/confirm-high", {"expected": "0"})
    assert again.status_code == 400 and "目前没有可批量确认的工单。" in again.text


def test_an_item_whole_and_corrected_then_the_next(database: Any, queue: dict[str, int]) -> None:
    client = _officer(database)
    item_id = queue["GD-2026-0004"]
    page = client.get(f"/intake/items/{item_id}")
    assert page.status_code == 200
    text = _visible(page.text)
    assert "邻居装修声音太大。" in text and "某某路旁边" in text and "城关镇" in text
    assert 'name="other_community"' in page.text and "金山花园（ZY-C003）" in text
    assert '<option value="停车管理"' in page.text  # the methodology's complaint categories
    assert not [code for code in CODES if re.search(rf"\b{re.escape(code)}\b", text)]
    answer = _post(client, f"/intake/items/{item_id}/confirm",
                   {"other_community": "ZY-C003", "category": "噪音扰民"})
    assert answer.status_code == 303
    assert re.match(r"/intake/items/\d+\?", answer.headers["location"])  # to the next pending item
    assert _status(database, item_id) == ("confirmed", "ZY-C003", "噪音扰民")
    following = client.get(answer.headers["location"])
    assert "工单 GD-2026-0004 已确认。" in following.text
    decided = _visible(client.get(f"/intake/items/{item_id}").text)
    assert "金山花园" in decided and "确认并下一件" not in decided


def test_an_item_the_service_refuses_shows_why(database: Any, queue: dict[str, int]) -> None:
    client = _officer(database)
    item_id = queue["GD-2026-0003"]  # no category suggested: confirming needs one
    answer = _post(client, f"/intake/items/{item_id}/confirm", {"category": "没有这个类别"})
    assert 400 <= answer.status_code < 500
    assert 'class="flash error"' in answer.text and "GD-2026-0003" in answer.text
    assert _status(database, item_id)[0] == "pending"


def test_not_property_and_duplicate_of_an_item(database: Any, queue: dict[str, int]) -> None:
    client = _officer(database)
    answer = _post(client, f"/intake/items/{queue['GD-2026-0004']}/not-property", {})
    assert answer.status_code == 303
    assert _status(database, queue["GD-2026-0004"])[0] == "not_property"
    unknown = _post(client, f"/intake/items/{queue['GD-2026-0005']}/duplicate", {"of_external_no": "GD-9999"})
    assert 400 <= unknown.status_code < 500 and 'class="flash error"' in unknown.text
    assert 'value="GD-9999"' in unknown.text  # the officer's input stays in the form
    blank = _post(client, f"/intake/items/{queue['GD-2026-0005']}/duplicate", {"of_external_no": " "})
    assert blank.status_code == 400 and "请填写原工单编号。" in blank.text
    answer = _post(client, f"/intake/items/{queue['GD-2026-0005']}/duplicate", {"of_external_no": "GD-2026-0001"})
    assert answer.status_code == 303
    assert _status(database, queue["GD-2026-0005"])[0] == "duplicate"


@pytest.mark.parametrize(("ids", "message"), [
    (["abc"], "“abc”不是工单的序号"),
    ([], "请先勾选要处理的工单。"),
    (["999999"], None),
])
def test_bad_ids_are_refused_with_a_message(sqlite_only: Any, queue_sqlite: dict[str, int], ids: list[str],
                                            message: str | None) -> None:
    client = _officer(sqlite_only)
    answer = _post(client, "/intake/bulk", {"action": "confirm", "ids": ids})
    assert 400 <= answer.status_code < 500
    assert 'class="flash error"' in answer.text
    if message:
        assert message in answer.text
    assert not [code for code in ("Traceback", "intake_", "not_found") if code in _visible(answer.text)]
    wrong = _post(client, "/intake/bulk", {"action": "drop", "ids": [str(queue_sqlite["GD-2026-0001"])]})
    assert wrong.status_code == 400 and "确认所选" in wrong.text
    assert client.get("/intake/items/999999").status_code == 404


def _hotline_xlsx(rows: list[list[Any]], headers: list[str] | None = None) -> bytes:
    return f.xlsx_bytes(headers or HOTLINE_HEADERS, rows)


def test_the_upload_shows_its_summary_or_its_errors(sqlite_only: Any, queue_sqlite: dict[str, int]) -> None:
    client = _officer(sqlite_only)
    form = client.get("/intake/upload")
    assert form.status_code == 200 and "已核定的历史工单（用于训练）" in form.text
    rows = [["GD-2026-0100", "2026-04-01 09:12:33", "王某", "13912345678", "枞阳县城关镇山水兰亭5栋",
             "楼下垃圾桶满了没人清理，电话13912345678", "投诉", "城关镇", "2026-04-08", "", "", ""]]
    upload = {"kind": "hotline", "csrf_token": f.csrf_of(client)}
    answer = client.post("/intake/upload", data=upload,
                         files={"file": ("12345.xlsx", _hotline_xlsx(rows), "application/octet-stream")})
    assert answer.status_code == 200, answer.text
    summary = _visible(answer.text)
    assert "导入完成。" in summary and "收到 1" in summary and "新增 1" in summary
    assert "13912345678" not in answer.text
    short = _hotline_xlsx(rows, HOTLINE_HEADERS[:4])
    bad = client.post("/intake/upload", data=upload, files={"file": ("12345.xlsx", short, "application/octet-stream")})
    assert bad.status_code == 400
    assert 'id="import-errors"' in bad.text and "诉求地址" in bad.text
    missing = client.post("/intake/upload", data=upload)
    assert missing.status_code in (400, 422)
