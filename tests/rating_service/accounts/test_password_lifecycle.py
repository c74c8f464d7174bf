"""The password's life: one's own change, an administrator's reset with a temporary password and the forced change,
sessions ended on reset and on disable, company accounts picked from the register, the CLI, and the audit trail."""

from __future__ import annotations

import json
import logging
import re

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from rating_service.accounts import service as accounts
from rating_service.accounts.models import User
from rating_service.accounts.passwords import check_password
from rating_service.audit.models import AuditEntry
from rating_service.cli import app
from rating_service.errors import RatingServiceError
from tests import factories as f

NEW_PASSWORD = "amber-lantern-47"
TEMPORARY = re.compile(r'id="temporary-password">([a-z0-9-]+)<')


def _audit(database, action: str) -> list[AuditEntry]:
    with database.read_session() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.seq)))


def _audit_text(database) -> str:
    """Everything the audit table holds, as one text (to prove a secret is not in it)."""
    with database.read_session() as session:
        rows = session.scalars(select(AuditEntry)).all()
        return "\n".join(f"{r.actor} {r.action} {r.entity_id} {r.reason} {r.payload}" for r in rows)


def _change(client, current: str, new: str, confirm: str | None = None):
    return client.post("/account/password", data={"current_password": current, "new_password": new,
                                                  "confirm_password": new if confirm is None else confirm,
                                                  "csrf_token": f.csrf_of(client)})


def _page_login(database, username: str, password: str):
    client = f.page_client(database)
    response = client.post("/login", data={"username": username, "password": password, "next": "/",
                                           "login_csrf": f.login_csrf_of(client)})
    return client, response


def _company(database) -> None:
    f.load(database, "companies")
    f.make_user(database, "company1", "company", credit_code=f.CODE_A)


# -- one's own change ---------------------------------------------------------------------------------------------

def test_changing_ones_own_password_names_the_rule_broken_and_then_works(database):
    f.make_user(database, "officer", "officer")
    page = f.page_client(database, "officer")
    api = f.api_client(database, "officer")
    form = page.get("/account/password")
    assert form.status_code == 200 and "当前密码" in form.text and 'minlength="12"' in form.text
    for current, new, confirm, said in (
        ("wrong-password-1", NEW_PASSWORD, None, "当前密码不正确"),
        (f.PASSWORD, "short-1", None, "密码至少 12 个字符"),
        (f.PASSWORD, "my-officer-pass-9", None, "不能包含用户名"),
        (f.PASSWORD, "password123456", None, "密码过于常见"),
        (f.PASSWORD, f.PASSWORD, None, "新密码不能与当前密码相同"),
        (f.PASSWORD, NEW_PASSWORD, "amber-lantern-48", "两次输入的新密码不一致"),
    ):
        refused = _change(page, current, new, confirm)
        assert refused.status_code == 400 and said in refused.text, said
    assert _change(page, f.PASSWORD, NEW_PASSWORD).headers["location"] == "/account/password?changed=1"
    assert "密码已修改" in page.get("/account/password?changed=1").text
    # This session goes on; the account's other sessions and tokens have ended; only the new password logs in.
    assert page.get("/").status_code == 200
    assert api.get("/api/v1/me").status_code == 401
    assert _page_login(database, "officer", f.PASSWORD)[1].status_code == 401
    assert _page_login(database, "officer", NEW_PASSWORD)[1].headers["location"] == "/"
    [entry] = _audit(database, "user.password_change")
    assert (entry.actor, entry.entity_id, json.loads(entry.payload)["forced"]) == ("officer", "officer", False)
    assert NEW_PASSWORD not in _audit_text(database) and f.PASSWORD not in _audit_text(database)


def test_the_api_changes_ones_own_password_with_the_same_rules(database):
    f.make_user(database, "officer", "officer")
    api = f.api_client(database, "officer")
    wrong = api.post("/api/v1/me/password", json={"current_password": "nope-nope-nope", "new_password": NEW_PASSWORD})
    assert wrong.status_code == 400 and wrong.json()["message"] == "当前密码不正确。"
    common = api.post("/api/v1/me/password", json={"current_password": f.PASSWORD, "new_password": "qwertyuiop12"})
    assert common.status_code == 400 and common.json()["message"].startswith("密码过于常见")
    done = api.post("/api/v1/me/password", json={"current_password": f.PASSWORD, "new_password": NEW_PASSWORD})
    assert done.status_code == 200 and done.json()["must_change_password"] is False
    assert api.get("/api/v1/me").status_code == 200  # the calling token stays
    assert f.api_client(database, "officer", NEW_PASSWORD).get("/api/v1/me").status_code == 200


def test_the_user_menu_and_the_company_home_link_to_the_change(database):
    _company(database)
    company = f.page_client(database, "company1")
    home = company.get("/")
    assert home.status_code == 200 and home.text.count('href="/account/password"') == 2


# -- the administrator's reset ------------------------------------------------------------------------------------

def test_an_admin_reset_gives_a_temporary_password_and_forces_a_change_before_anything_else(database, caplog):
    caplog.set_level(logging.DEBUG)
    _company(database)
    f.make_user(database, "admin", "admin")
    old_page = f.page_client(database, "company1")
    old_api = f.api_client(database, "company1")
    admin = f.page_client(database, "admin")

    shown = admin.post("/admin/users/company1/password", data={"csrf_token": f.csrf_of(admin)})
    assert shown.status_code == 200 and shown.headers["cache-control"] == "no-store"
    assert "只显示这一次" in shown.text
    temporary = TEMPORARY.search(shown.text).group(1)
    assert re.fullmatch(r"[a-z2-9]{4}(-[a-z2-9]{4}){3}", temporary)
    assert temporary not in admin.get("/admin/users").text  # shown once
    assert "待修改密码" in admin.get("/admin/users").text

    # The sessions and tokens from before are dead; the old password no longer logs in.
    assert old_page.get("/").headers["location"] == "/public"
    assert old_api.get("/api/v1/me").status_code == 401
    assert _page_login(database, "company1", f.PASSWORD)[1].status_code == 401

    company, login = _page_login(database, "company1", temporary)
    assert login.status_code == 303 and login.headers["location"] == "/account/password"
    forced = company.get("/account/password")
    assert forced.status_code == 200 and "临时密码" in forced.text and "请先设置您自己的新密码" in forced.text
    for path in ("/", "/cycles", "/admin/users", "/login"):
        assert company.get(path).headers.get("location") == "/account/password", path
    api = f.api_client(database, "company1", temporary)
    assert api.get("/api/v1/me").json()["must_change_password"] is True
    refused = api.get(f"/api/v1/companies/{f.CODE_A}")
    assert refused.status_code == 403 and refused.json()["code"] == "password_change_required"
    assert "请先修改密码" in refused.json()["message"]
    assert api.post("/api/v1/auth/token", json={"username": "company1", "password": temporary}
                    ).json()["must_change_password"] is True

    # The new password may not be the temporary one; a good one opens the home page.
    assert "新密码不能与当前密码相同" in _change(company, temporary, temporary).text
    assert company.get("/").headers.get("location") == "/account/password"
    changed = _change(company, temporary, NEW_PASSWORD)
    assert changed.status_code == 303 and changed.headers["location"] == "/"
    assert company.get("/").status_code == 200
    assert api.get("/api/v1/me").status_code == 401  # the temporary password's token ended with the change
    assert _page_login(database, "company1", temporary)[1].status_code == 401  # it worked until changed, once
    assert f.api_client(database, "company1", NEW_PASSWORD).get(f"/api/v1/companies/{f.CODE_A}").status_code == 200

    [reset] = _audit(database, "user.password_reset")
    assert (reset.actor, reset.entity_kind, reset.entity_id) == ("admin", "user", "company1")
    [change] = _audit(database, "user.password_change")
    assert (change.actor, change.entity_id, json.loads(change.payload)["forced"]) == ("company1", "company1", True)
    assert temporary not in _audit_text(database)
    assert all(temporary not in record.getMessage() for record in caplog.records)
    with database.read_session() as session:
        user = session.scalars(select(User).where(User.username == "company1")).one()
        assert temporary not in user.password_hash and user.must_change_password is False


def test_the_api_resets_too_and_an_admin_cannot_reset_itself(database):
    f.make_user(database, "admin", "admin")
    f.make_user(database, "officer", "officer")
    admin = f.api_client(database, "admin")
    reset = admin.post("/api/v1/users/officer/reset-password", json={"reason": "本人遗忘"})
    assert reset.status_code == 200
    temporary = reset.json()["temporary_password"]
    officer = f.api_client(database, "officer", temporary)
    assert officer.get("/api/v1/cycles").json()["code"] == "password_change_required"
    assert officer.post("/api/v1/me/password", json={"current_password": temporary, "new_password": NEW_PASSWORD}
                        ).status_code == 200
    assert officer.get("/api/v1/cycles").status_code == 200
    myself = admin.post("/api/v1/users/admin/reset-password", json={})
    assert myself.status_code == 400 and "不能重置自己的密码" in myself.json()["message"]
    assert admin.post("/api/v1/users/ghost/reset-password", json={}).status_code == 404
    assert [e.reason for e in _audit(database, "user.password_reset")] == ["本人遗忘"]


def test_the_logout_stays_open_to_an_account_that_must_change(database):
    f.make_user(database, "admin", "admin")
    f.make_user(database, "officer", "officer")
    with database.write_session() as session:
        temporary = accounts.reset_password(session, username="officer", actor="admin")
    officer, _ = _page_login(database, "officer", temporary)
    out = officer.post("/logout", data={"csrf_token": f.csrf_of(officer)})
    assert out.status_code == 303 and out.headers["location"] == "/login"


def test_accounts_an_admin_creates_must_change_but_the_demo_logins_do_not(database):
    f.make_user(database, "admin", "admin")
    admin = f.page_client(database, "admin")
    created = admin.post("/admin/users", data={"username": "clerk", "password": NEW_PASSWORD, "role": "officer",
                                               "csrf_token": f.csrf_of(admin)})
    assert created.status_code == 303
    assert f.api_client(database, "admin").post(
        "/api/v1/users", json={"username": "clerk2", "password": NEW_PASSWORD, "role": "officer"}
    ).json()["must_change_password"] is True
    assert _page_login(database, "clerk", NEW_PASSWORD)[1].headers["location"] == "/account/password"
    clerk2 = f.api_client(database, "clerk2", NEW_PASSWORD)
    assert clerk2.get("/api/v1/cycles").json()["code"] == "password_change_required"
    with database.write_session() as session:
        accounts.create_user(session, username="officer", password="officer-demo-2025", role="officer",
                             actor="demo", demo=True)
    demo = f.api_client(database, "officer", "officer-demo-2025")
    assert demo.get("/api/v1/me").json()["must_change_password"] is False
    assert demo.get("/api/v1/cycles").status_code == 200
    assert [json.loads(e.payload)["must_change_password"] for e in _audit(database, "user.create")] == \
        [False, True, True, False]


# -- disabling ----------------------------------------------------------------------------------------------------

def test_disabling_from_the_page_ends_the_users_session_at_once(database):
    f.make_user(database, "admin", "admin")
    f.make_user(database, "officer", "officer")
    officer = f.page_client(database, "officer")
    assert officer.get("/").status_code == 200
    admin = f.page_client(database, "admin")
    assert admin.post("/admin/users/officer/active", data={"active": "false", "csrf_token": f.csrf_of(admin)}
                      ).status_code == 303
    assert officer.get("/").headers["location"] == "/public"
    assert officer.get("/cycles").status_code in (303, 401)
    assert admin.post("/admin/users/officer/active", data={"active": "true", "csrf_token": f.csrf_of(admin)}
                      ).status_code == 303
    assert officer.get("/").headers["location"] == "/public"  # enabling again does not revive the old session
    assert [e.entity_id for e in _audit(database, "user.disable")] == ["officer"]
    assert [e.entity_id for e in _audit(database, "user.enable")] == ["officer"]


# -- company accounts from the register ---------------------------------------------------------------------------

def test_a_company_account_is_picked_from_the_register_and_a_bad_code_is_refused(database):
    f.load(database, "companies")
    f.make_user(database, "admin", "admin")
    admin = f.page_client(database, "admin")
    with database.read_session() as session:
        choices = accounts.company_choices(session)
    assert f.CODE_A in [c.credit_code for c in choices]
    form = admin.get("/admin/users").text
    first = choices[0]
    assert f'<option value="{first.credit_code}">{first.name} · {first.credit_code}</option>' in form
    assert '<input name="credit_code"' not in form  # chosen, not typed
    data = {"username": "company9", "password": NEW_PASSWORD, "role": "company", "csrf_token": f.csrf_of(admin)}
    bad = admin.post("/admin/users", data={**data, "credit_code": f.CODE_C})
    assert bad.status_code == 404 and "未找到企业" in bad.text
    missing = admin.post("/admin/users", data={**data, "credit_code": ""})
    assert missing.status_code == 400 and "必须绑定统一社会信用代码" in missing.text
    assert admin.post("/admin/users", data={**data, "credit_code": f.CODE_A}).status_code == 303
    # A company picked while the role says officer is not bound to the officer.
    assert admin.post("/admin/users", data={**data, "username": "clerk", "role": "officer", "credit_code": f.CODE_A}
                      ).status_code == 303
    with database.read_session() as session:
        bound = dict(session.execute(select(User.username, User.credit_code)).all())
    assert bound["company9"] == f.CODE_A and bound["clerk"] is None


# -- the CLI ------------------------------------------------------------------------------------------------------

def test_the_cli_resets_a_password_prints_it_once_and_forces_a_change(database):
    f.make_user(database, "officer", "officer")
    old = f.api_client(database, "officer")
    result = CliRunner().invoke(app, ["users", "reset-password", "officer", "--reason", "遗忘"])
    assert result.exit_code == 0, result.output
    temporary = re.search(r"临时密码[^：]*：([a-z0-9-]+)", result.output).group(1)
    assert result.output.count(temporary) == 1
    assert old.get("/api/v1/me").status_code == 401
    fresh = f.api_client(database, "officer", temporary)
    assert fresh.get("/api/v1/me").json()["must_change_password"] is True
    assert temporary not in _audit_text(database)
    [entry] = _audit(database, "user.password_reset")
    assert (entry.actor, entry.entity_id, entry.reason) == ("cli", "officer", "遗忘")
    missing = CliRunner().invoke(app, ["users", "reset-password", "ghost"])
    assert missing.exit_code != 0 and "未找到用户" in missing.output


def test_the_cli_creates_accounts_that_must_change_unless_told_to_keep_the_password(database):
    runner = CliRunner()
    assert runner.invoke(app, ["users", "create", "clerk", "--role", "officer", "--password", NEW_PASSWORD]
                         ).exit_code == 0
    assert runner.invoke(app, ["users", "create", "boss", "--role", "admin", "--password", NEW_PASSWORD,
                               "--keep-password"]).exit_code == 0
    with database.read_session() as session:
        flags = dict(session.execute(select(User.username, User.must_change_password)).all())
    assert flags == {"clerk": True, "boss": False}


# -- failed logins ------------------------------------------------------------------------------------------------

def test_failed_page_and_api_logins_are_audited_with_the_address_and_never_the_password(database):
    f.make_user(database, "officer", "officer")
    _page_login(database, "officer", "page-secret-guess-1")
    f.api_client(database).post("/api/v1/auth/token", json={"username": "officer", "password": "api-secret-guess-2"})
    entries = _audit(database, "user.login_failed")
    payloads = [json.loads(e.payload) for e in entries]
    assert [(p["kind"], p["reason"], p["client"]) for p in payloads] == \
        [("session", "wrong_password", "testclient"), ("api", "wrong_password", "testclient")]
    text = _audit_text(database)
    assert "page-secret-guess-1" not in text and "api-secret-guess-2" not in text


def test_the_temporary_password_keeps_the_policy(database):
    for _ in range(20):
        temporary = accounts.temporary_password("officer")
        check_password(temporary, username="officer")
        assert len(temporary) == 19 and not set(temporary) & set("01ilo")
    with database.write_session() as session, pytest.raises(RatingServiceError):
        accounts.reset_password(session, username="ghost", actor="admin")


# -- a forgotten password -----------------------------------------------------------------------------------------

def test_the_login_page_tells_a_company_that_forgot_its_password_whom_to_call(database, monkeypatch):
    from rating_service.settings import get_settings

    plain = f.page_client(database).get("/login").text
    assert "忘记密码？" in plain and "联系县住房和城乡建设局" in plain and "联系电话" not in plain
    monkeypatch.setenv("RATING_BUREAU_PHONE", "0562-3212345")
    get_settings.cache_clear()
    try:
        with_phone = f.page_client(database).get("/login").text
    finally:
        monkeypatch.delenv("RATING_BUREAU_PHONE")
        get_settings.cache_clear()
    assert '联系电话：<a class="token" href="tel:0562-3212345">0562-3212345</a>' in with_phone


def test_guessing_the_current_password_from_a_session_is_throttled_and_audited_like_a_login(database):
    f.make_user(database, "officer", "officer")
    page = f.page_client(database, "officer")
    api = f.api_client(database, "officer")
    for guess in range(3):
        assert _change(page, f"guess-number-{guess}", NEW_PASSWORD).status_code == 400
    for guess in range(3, 5):
        wrong = api.post("/api/v1/me/password", json={"current_password": f"guess-number-{guess}",
                                                      "new_password": NEW_PASSWORD})
        assert wrong.status_code == 400
    # Five failures lock the address and username: even the right current password waits now.
    locked = _change(page, f.PASSWORD, NEW_PASSWORD)
    assert locked.status_code == 429 and "秒后再试" in locked.text and int(locked.headers["Retry-After"]) > 0
    assert api.post("/api/v1/me/password", json={"current_password": f.PASSWORD, "new_password": NEW_PASSWORD}
                    ).status_code == 429
    payloads = [json.loads(e.payload) for e in _audit(database, "user.login_failed")]
    assert [(p["kind"], p["reason"]) for p in payloads] == \
        [("password_change", "wrong_password")] * 5 + [("password_change", "throttled_account")]
    assert all(p["client"] == "testclient" for p in payloads)
    assert not any(f"guess-number-{n}" in _audit_text(database) for n in range(5))
    assert _audit(database, "user.password_change") == []
