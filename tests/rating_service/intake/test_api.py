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
