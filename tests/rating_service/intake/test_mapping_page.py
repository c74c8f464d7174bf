"""The administrators' column mappings of raw exports: each field in words with its default headers and the
headers an administrator adds; saved through the intake service (audited), refusals shown on the page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from rating_service.audit.models import AuditEntry
from rating_service.intake import service
from tests import factories as f

MACHINE_NAMES = ("external_no", "received_on", "place_text", "handling_unit", "rectified_on", "property_related")


@pytest.fixture
def world(database: Any) -> Any:
    f.make_user(database, "officer", "officer")
    f.make_user(database, "admin", "admin")
    f.load(database, "companies")
    f.make_user(database, "company", "company", credit_code=f.CODE_A)
    return database


def _visible(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S))


def _save(client: Any, kind: str, **fields: str) -> Any:
    data = {"kind": kind, "csrf_token": f.csrf_of(client), **{f"field.{k}": v for k, v in fields.items()}}
    return client.post("/admin/intake/mapping", data=data)


def test_admins_see_every_field_in_words_with_its_headers(world):
    page = f.page_client(world, "admin").get("/admin/intake/mapping")
    assert page.status_code == 200
    text = _visible(page.text)
    for words in ("12345热线工单", "巡查记录", "工单编号", "诉求地址", "回访满意度", "记录编号", "整改完成日期",
                  "工单号"):
        assert words in text, words
    assert [name for name in MACHINE_NAMES if re.search(rf"\b{name}\b", text)] == []
    english = f.page_client(world, "admin").get("/admin/intake/mapping?lang=en")
    assert "Address or community" in english.text and "Also accepted" in english.text


def test_officers_companies_and_the_public_are_refused(world):
    assert f.page_client(world, "officer").get("/admin/intake/mapping").status_code == 403
    assert f.page_client(world, "company").get("/admin/intake/mapping").status_code == 403
    assert f.page_client(world).get("/admin/intake/mapping").status_code == 303
    officer = f.page_client(world, "officer")
    assert _save(officer, "hotline", place_text="报修地址").status_code == 403
    with world.read_session() as session:
        assert "报修地址" not in service.mapping(session, "hotline")["place_text"]


def test_an_admin_adds_headers_separated_by_commas_or_the_chinese_comma(world):
    client = f.page_client(world, "admin")
    saved = _save(client, "hotline", place_text="报修地址、 投诉地址", text="反映内容,问题描述 ", external_no="")
    assert saved.status_code == 303 and saved.headers["location"] == "/admin/intake/mapping?saved=hotline"
    with world.read_session() as session:
        mapping = service.mapping(session, "hotline")
        assert mapping["place_text"][-2:] == ["报修地址", "投诉地址"]
        assert mapping["text"][-2:] == ["反映内容", "问题描述"]
        assert "工单编号" in mapping["external_no"]  # the defaults always stay
        audited = session.scalars(select(AuditEntry).where(AuditEntry.actor == "admin",
                                                          AuditEntry.action.like("intake.%"))).all()
    assert len(audited) == 1
    page = client.get(saved.headers["location"])
    assert "已保存“12345热线工单”的列名" in page.text
    assert re.search(r'name="field.place_text" value="报修地址、投诉地址"', page.text)
    # Emptying the field takes the additions back.
    assert _save(client, "hotline", place_text="").status_code == 303
    with world.read_session() as session:
        assert "报修地址" not in service.mapping(session, "hotline")["place_text"]


def test_a_header_that_would_name_two_fields_is_refused_in_words(world):
    client = f.page_client(world, "admin")
    refused = _save(client, "patrol", place_text="问题描述")  # already the finding's text
    assert refused.status_code == 400
    error = re.search(r'id="mapping-error-patrol">(.*?)</p>', refused.text, re.S).group(1)
    assert "没有保存" in error and "问题描述" in error
    assert [name for name in ("place_text", "text") if re.search(rf"\b{name}\b", error)] == []
    assert 'value="问题描述"' in refused.text  # what was typed stays in the form
    with world.read_session() as session:
        assert "问题描述" not in service.mapping(session, "patrol")["place_text"]


def test_an_unknown_kind_is_a_message_not_an_error_page(world):
    client = f.page_client(world, "admin")
    answer = _save(client, "weibo", place_text="地址")
    assert answer.status_code == 400 and "没有这种导出文件" in answer.text
