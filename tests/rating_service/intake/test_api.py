"""The intake API: an administrator issues, lists and revokes per-system keys (API, page, CLI); a key opens the
ticket push alone, and nothing but a key opens it; a push is idempotent per key, a changed ticket under an old key
is a 409 naming the key, a malformed batch a 422 naming the ticket's index and field; all of it audited."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from rating_service.audit.models import AuditEntry
from rating_service.intake.models import IntakeItem, IntakeSystem
from tests import factories as f

PUSH = "/api/v1/intake/tickets"


def ticket(n: int, **changes):
    base = {"idempotency_key": f"k-{n}", "ticket_no": f"GD2026{n:06d}", "received_at": "2026-03-05T09:12:33+08:00",
            "address": "枞阳县城关镇山水兰亭3栋2单元", "content": "小区电梯经常停运，物业不及时维修。",
            "request_type": "投诉", "handling_unit": "县住建局", "due_on": "2026-03-12",
            "resolved_at": None, "substantiated": "是", "satisfaction": "基本满意"}
    return {**base, **changes}


@pytest.fixture
def world(database):
    f.load(database, *f.REFERENCE)
    f.make_user(database, "admin1", "admin")
    f.make_user(database, "officer1", "officer")
    return database


def issue(client, name="12345平台"):
    answer = client.post("/api/v1/intake/systems", json={"name": name})
    assert answer.status_code == 201, answer.text
    return answer.json()


def pusher(database, key, app=None):
    client = f.api_client(database, app=app)
    client.headers["Authorization"] = f"Bearer {key}"
    return client


def audit_actions(database):
    with database.read_session() as session:
        return [(e.action, e.entity_id, e.actor) for e in session.scalars(select(AuditEntry).order_by(AuditEntry.seq))]


def test_an_admin_issues_lists_and_revokes_keys_stored_only_as_hashes(world):
    admin = f.api_client(world, "admin1")
    issued = issue(admin)
    key = issued["key"]
    assert key.startswith("zyik_") and len(key) > 40 and issued["key_prefix"] == key[:12] and issued["active"]
    listed = admin.get("/api/v1/intake/systems").json()
    assert [(s["name"], s["key_prefix"], s["active"], s["last_used_at"]) for s in listed] == \
        [("12345平台", key[:12], True, None)]
    assert "key" not in listed[0] and key not in admin.get("/api/v1/intake/systems").text
    with world.read_session() as session:
        stored = session.scalars(select(IntakeSystem)).one()
        assert stored.key_hash != key and key not in (stored.key_hash + stored.key_prefix)
    # a live key is not issued twice; a revoked system gets a new one
    again = admin.post("/api/v1/intake/systems", json={"name": "12345平台"})
    assert again.status_code == 409 and "12345平台" in again.json()["message"]
    revoked = admin.post(f"/api/v1/intake/systems/{issued['id']}/revoke")
    assert revoked.status_code == 200 and revoked.json()["active"] is False and revoked.json()["revoked_by"] == "admin1"
    assert admin.post(f"/api/v1/intake/systems/{issued['id']}/revoke").status_code == 409
    assert admin.post("/api/v1/intake/systems/999999/revoke").status_code == 404
    renewed = issue(admin)
    assert renewed["id"] == issued["id"] and renewed["key"] != key and renewed["active"]
    assert [a[:2] for a in audit_actions(world) if a[0].startswith("intake.")] == [
        ("intake.system_issue", "12345平台"), ("intake.system_revoke", "12345平台"),
        ("intake.system_issue", "12345平台")]


@pytest.mark.parametrize("who", ["officer1", None])
def test_only_an_admin_manages_keys(world, who):
    client = f.api_client(world, who)
    expected = 403 if who else 401
    assert client.get("/api/v1/intake/systems").status_code == expected
    assert client.post("/api/v1/intake/systems", json={"name": "x"}).status_code == expected
    assert client.post("/api/v1/intake/systems/1/revoke").status_code == expected


def test_bad_system_names_are_refused_in_words(world):
    admin = f.api_client(world, "admin1")
    for body in ({"name": ""}, {"name": "   "}, {"name": "x" * 101}, {}, {"name": "a", "extra": 1}):
        answer = admin.post("/api/v1/intake/systems", json=body)
        assert answer.status_code in (400, 422), (body, answer.text)
        assert answer.json()["code"] in ("payload_invalid", "error")


def test_an_intake_key_is_no_login_anywhere_else(world):
    admin = f.api_client(world, "admin1")
    key = issue(admin)["key"]
    client = pusher(world, key)
    for method, path, body in [("GET", "/api/v1/me", None), ("GET", "/api/v1/intake/systems", None),
                               ("POST", "/api/v1/intake/systems", {"name": "other"}),
                               ("GET", "/api/v1/companies", None), ("POST", "/api/v1/users", {"username": "x"})]:
        answer = client.request(method, path, json=body)
        assert answer.status_code == 401, (path, answer.status_code, answer.text)
        assert answer.json()["code"] == "unauthorized"
    for page in ("/", "/admin/intake/systems", "/admin/users"):
        answer = client.get(page)
        assert answer.status_code < 500 and answer.status_code != 200, (page, answer.status_code)
    # sent as a session cookie it is no session either
    browser = f.page_client(world)
    browser.cookies.set("session", key)
    assert browser.get("/admin/intake/systems").status_code != 200


def test_an_accounts_token_cannot_push(world):
    for who in ("officer1", "admin1"):
        answer = f.api_client(world, who).post(PUSH, json={"tickets": [ticket(1)]})
        assert answer.status_code == 401, answer.text
        assert answer.json()["code"] == "unauthorized"
    assert f.api_client(world).post(PUSH, json={"tickets": [ticket(1)]}).status_code == 401
    unknown = pusher(world, "zyik_" + "A" * 43).post(PUSH, json={"tickets": [ticket(1)]})
    assert unknown.status_code == 401
    with world.read_session() as session:
        assert session.scalars(select(IntakeItem)).all() == []


def test_a_revoked_key_is_refused(world):
    admin = f.api_client(world, "admin1")
    issued = issue(admin)
    client = pusher(world, issued["key"])
    admin.post(f"/api/v1/intake/systems/{issued['id']}/revoke")
    answer = client.post(PUSH, json={"tickets": [ticket(1)]})
    assert answer.status_code == 401 and answer.json()["code"] == "unauthorized"


def test_the_admin_page_issues_a_key_once_lists_and_revokes(world):
    browser = f.page_client(world, "admin1")
    page = browser.get("/admin/intake/systems")
    assert page.status_code == 200 and 'name="name"' in page.text
    issued = browser.post("/admin/intake/systems", data={"name": "巡查系统", "csrf_token": f.csrf_of(browser)})
    assert issued.status_code == 200 and issued.headers["cache-control"] == "no-store"
    key = re.search(r'id="issued-key">(zyik_[A-Za-z0-9_-]+)<', issued.text).group(1)
    listed = browser.get("/admin/intake/systems")
    assert "巡查系统" in listed.text and key[:12] in listed.text and key not in listed.text
    assert "data-confirm" in listed.text
    twice = browser.post("/admin/intake/systems", data={"name": "巡查系统", "csrf_token": f.csrf_of(browser)})
    assert twice.status_code == 409 and "巡查系统" in twice.text and 'id="issued-key"' not in twice.text
    with world.read_session() as session:
        system_id = session.scalars(select(IntakeSystem.id)).one()
    no_csrf = browser.post(f"/admin/intake/systems/{system_id}/revoke")
    assert no_csrf.status_code == 403
    done = browser.post(f"/admin/intake/systems/{system_id}/revoke", data={"csrf_token": f.csrf_of(browser)})
    assert done.status_code == 303
    assert pusher(world, key).post(PUSH, json={"tickets": [ticket(1)]}).status_code == 401
    assert f.page_client(world, "officer1").get("/admin/intake/systems").status_code == 403


def test_the_cli_issues_lists_and_revokes(world, monkeypatch):
    from typer.testing import CliRunner

    from rating_service.cli import app

    monkeypatch.setattr("rating_service.cli.common.current_database", lambda: world)
    runner = CliRunner()
    issued = runner.invoke(app, ["intake", "key-issue", "区巡查App"])
    assert issued.exit_code == 0, issued.output
    key = issued.output.strip().splitlines()[-1]
    assert key.startswith("zyik_")
    listed = runner.invoke(app, ["intake", "key-list"])
    assert listed.exit_code == 0 and "区巡查App" in listed.output and key not in listed.output
    assert runner.invoke(app, ["intake", "key-revoke", "区巡查App"]).exit_code == 0
    assert runner.invoke(app, ["intake", "key-revoke", "区巡查App"]).exit_code != 0
    assert runner.invoke(app, ["intake", "key-revoke", "没有"]).exit_code != 0
    assert [a[0] for a in audit_actions(world) if a[0].startswith("intake.")] == [
        "intake.system_issue", "intake.system_revoke"]


def test_a_push_inserts_a_retry_changes_nothing_and_a_changed_ticket_is_a_conflict(world):
    admin = f.api_client(world, "admin1")
    client = pusher(world, issue(admin)["key"])
    batch = [ticket(1), ticket(2, content="楼道灯坏了，请物业处理，联系电话13912345678。", satisfaction="dissatisfied",
                               substantiated=False, resolved_at="2026-03-10 16:00:00")]
    first = client.post(PUSH, json={"tickets": batch})
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["system"] == "12345平台"
    assert [(i["idempotency_key"], i["status"]) for i in body["items"]] == [("k-1", "inserted"), ("k-2", "inserted")]
    assert body["summary"]["received"] == 2 and body["summary"]["inserted"] == 2
    assert body["summary"]["redactions"] >= 1
    ids = [i["item_id"] for i in body["items"]]
    again = client.post(PUSH, json={"tickets": batch + [ticket(3)]})
    assert again.status_code == 200, again.text
    assert [(i["idempotency_key"], i["status"], i["item_id"]) for i in again.json()["items"][:2]] == \
        [("k-1", "unchanged", ids[0]), ("k-2", "unchanged", ids[1])]
    assert again.json()["items"][2]["status"] == "inserted"
    with world.read_session() as session:
        items = session.scalars(select(IntakeItem).order_by(IntakeItem.id)).all()
        assert len(items) == 3
        assert all(i.system_id is not None and i.idempotency_key for i in items)
        assert "13912345678" not in (items[1].text or "")
        last_used = session.scalars(select(IntakeSystem.last_used_at)).one()
    assert last_used is not None
    changed = client.post(PUSH, json={"tickets": [ticket(4), ticket(2, content="内容改了")]})
    assert changed.status_code == 409, changed.text
    assert changed.json()["code"] == "conflict" and "k-2" in changed.json()["message"]
    twice = client.post(PUSH, json={"tickets": [ticket(5), ticket(5, content="另一条")]})
    assert twice.status_code == 409 and "k-5" in twice.json()["message"]
    with world.read_session() as session:
        assert len(session.scalars(select(IntakeItem)).all()) == 3  # nothing of the refused batches
    actors = {a[2] for a in audit_actions(world)}
    assert admin and "admin1" in actors


@pytest.mark.parametrize(("tickets", "index", "field"), [
    ([ticket(1), {**ticket(2), "ticket_no": ""}], 1, "ticket_no"),
    ([ticket(1), ticket(2), {k: v for k, v in ticket(3).items() if k != "idempotency_key"}], 2, "idempotency_key"),
    ([{**ticket(1), "idempotency_key": "x" * 129}], 0, "idempotency_key"),
    ([ticket(1), {**ticket(2), "received_at": "2026-02-30 09:00:00"}], 1, "received_at"),
    ([{**ticket(1), "due_on": "2026-13-01"}], 0, "due_on"),
    ([{**ticket(1), "satisfaction": "还行"}], 0, "satisfaction"),
    ([{**ticket(1), "substantiated": "也许"}], 0, "substantiated"),
    ([{**ticket(1), "address": "   "}], 0, "address"),
    ([{**ticket(1), "phone": "13912345678"}], 0, "phone"),
])
def test_a_malformed_ticket_is_named_by_index_and_field_in_chinese(world, tickets, index, field):
    client = pusher(world, issue(f.api_client(world, "admin1"))["key"])
    answer = client.post(PUSH, json={"tickets": tickets})
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["code"] == "payload_invalid" and "未保存" in body["message"]
    assert {"index": index, "field": field} in [{"index": d["index"], "field": d["field"]} for d in body["details"]]
    detail = next(d for d in body["details"] if d["index"] == index and d["field"] == field)
    assert f"第 {index} 条" in detail["reason"]
    assert "13912345678" not in answer.text
    with world.read_session() as session:
        assert session.scalars(select(IntakeItem)).all() == []


def test_the_batch_is_bounded_and_the_body_must_be_a_batch(world, monkeypatch):
    client = pusher(world, issue(f.api_client(world, "admin1"))["key"])
    monkeypatch.setenv("RATING_INTAKE_BATCH_MAX", "3")
    from rating_service.settings import get_settings

    get_settings.cache_clear()
    try:
        answer = client.post(PUSH, json={"tickets": [ticket(n) for n in range(4)]})
    finally:
        monkeypatch.delenv("RATING_INTAKE_BATCH_MAX")
        get_settings.cache_clear()
    assert answer.status_code == 422 and "3" in answer.json()["details"][0]["reason"]
    for body in ({"tickets": []}, {}, [], {"tickets": "x"}, {"tickets": [1]}):
        answer = client.post(PUSH, json=body)
        assert answer.status_code == 422, (body, answer.text)
    raw = client.post(PUSH, content=b"{not json", headers={"content-type": "application/json"})
    assert raw.status_code == 422
    huge = client.post(PUSH, content=b"{" + b" " * (9 * 1024 * 1024) + b"}",
                       headers={"content-type": "application/json"})
    assert huge.status_code == 413
