"""Accounts: argon2 passwords, session cookies with CSRF, bearer tokens, throttled logins, admin actions."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from rating_service.accounts import service as accounts
from rating_service.accounts.models import AuthToken, User
from rating_service.audit import service as audit
from rating_service.audit.repository import AuditFilter
from rating_service.cli import app
from rating_service.errors import NotFound, RatingServiceError, TooManyAttempts, Unauthorized
from tests import factories as f


@pytest.mark.real_password_hashes
def test_passwords_are_stored_as_argon2id_hashes_and_tokens_as_sha256(database):
    f.make_user(database, "officer", "officer")
    client = f.api_client(database, "officer")
    raw = client.headers["Authorization"].split()[1]
    with database.read_session() as session:
        user = session.scalars(select(User)).one()
        token = session.scalars(select(AuthToken)).one()
    assert user.password_hash.startswith("$argon2id$") and f.PASSWORD not in user.password_hash
    assert "$m=65536,t=3,p=4$" in user.password_hash  # argon2-cffi's recommended costs (RFC 9106 low-memory)
    assert token.token_hash == accounts.hash_token(raw) and raw not in token.token_hash
    assert client.get("/api/v1/me").json()["role"] == "officer"


def test_account_rules_are_checked_with_clear_errors(database):
    f.load(database, "companies")
    with database.write_session() as session:
        with pytest.raises(RatingServiceError) as short:
            accounts.create_user(session, username="newbie", password="short", role="officer", actor="admin")
        assert "至少 12 个字符" in short.value.message("zh")
        with pytest.raises(RatingServiceError) as unbound:
            accounts.create_user(session, username="company1", password=f.PASSWORD, role="company", actor="admin")
        assert unbound.value.key == "user_company_code_required"
        with pytest.raises(NotFound):
            accounts.create_user(session, username="company1", password=f.PASSWORD, role="company", actor="admin",
                                 credit_code=f.CODE_C)
        with pytest.raises(RatingServiceError) as role:
            accounts.create_user(session, username="rooty", password=f.PASSWORD, role="root", actor="admin")
        assert role.value.key == "user_role_invalid"
        accounts.create_user(session, username="company1", password=f.PASSWORD, role="company", actor="admin",
                             credit_code=f.CODE_A)
        with pytest.raises(RatingServiceError) as taken:
            accounts.create_user(session, username="company1", password=f.PASSWORD, role="officer", actor="admin")
        assert taken.value.key == "user_exists"


def test_wrong_passwords_lock_the_address_and_username_for_a_growing_while(database, monkeypatch):
    clock = [dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)]
    monkeypatch.setattr(accounts, "_now", lambda: clock[0])
    f.make_user(database, "officer", "officer")
    for _ in range(4):
        with database.write_session() as session, pytest.raises(Unauthorized):
            accounts.login(session, username="officer", password="wrong-password", kind="api", client="10.1.1.1")
    with database.write_session() as session, pytest.raises(Unauthorized):  # the 5th failure starts a lock
        accounts.login(session, username="officer", password="wrong-password", kind="api", client="10.1.1.1")
    # Even the right password is refused from that address while locked: guessing is slowed down.
    with database.write_session() as session, pytest.raises(TooManyAttempts) as locked:
        accounts.login(session, username="officer", password=f.PASSWORD, kind="api", client="10.1.1.1")
    assert locked.value.params["seconds"] == 30
    with database.read_session() as session:
        entries, _ = audit.search(session, filters=AuditFilter(action="user.login_failed"), limit=10)
    assert [e.entity_id for e in entries] == ["officer"] * 6
    # After the lock ends, one more failure locks for twice as long.
    clock[0] += dt.timedelta(seconds=31)
    with database.write_session() as session, pytest.raises(Unauthorized):
        accounts.login(session, username="officer", password="wrong-password", kind="api", client="10.1.1.1")
    with database.write_session() as session, pytest.raises(TooManyAttempts) as again:
        accounts.login(session, username="officer", password=f.PASSWORD, kind="api", client="10.1.1.1")
    assert again.value.params["seconds"] == 60


def test_throttled_login_answers_429_with_retry_after_over_http(database):
    f.make_user(database, "officer", "officer")
    client = f.api_client(database)
    for _ in range(5):
        assert client.post("/api/v1/auth/token", json={"username": "officer", "password": "nope-nope"}
                           ).status_code == 401
    locked = client.post("/api/v1/auth/token", json={"username": "officer", "password": f.PASSWORD})
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0
    assert locked.json()["code"] == "too_many_attempts" and "秒后再试" in locked.json()["message"]
    # The page client connects from the same (test) address.
    page_client = f.page_client(database)
    page = page_client.post("/login", data={"username": "officer", "password": f.PASSWORD,
                                            "login_csrf": f.login_csrf_of(page_client)})
    assert page.status_code == 429 and "秒后再试" in page.text and int(page.headers["Retry-After"]) > 0


def test_unknown_user_and_wrong_password_get_the_same_answer(database):
    f.make_user(database, "officer", "officer")
    client = f.api_client(database)
    unknown = client.post("/api/v1/auth/token", json={"username": "ghost", "password": f.PASSWORD})
    wrong = client.post("/api/v1/auth/token", json={"username": "officer", "password": "wrong-password"})
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json()


def test_cookie_forms_need_the_csrf_token_and_bearer_calls_do_not(database):
    f.make_user(database, "admin", "admin")
    page = f.page_client(database, "admin")
    form = {"username": "clerk", "password": f.PASSWORD, "role": "officer"}
    refused = page.post("/admin/users", data=form)
    assert refused.status_code == 403 and "表单已过期" in refused.text
    wrong = page.post("/admin/users", data={**form, "csrf_token": "0" * 40})
    assert wrong.status_code == 403
    accepted = page.post("/admin/users", data={**form, "csrf_token": f.csrf_of(page)})
    assert accepted.status_code == 303
    # A JSON call riding on the cookie needs the header; a bearer call needs nothing.
    assert page.post("/api/v1/users", json={**form, "username": "clerk2"}).status_code == 403
    assert page.post("/api/v1/users", json={**form, "username": "clerk2"},
                     headers={"X-CSRF-Token": f.csrf_of(page)}).status_code == 201
    api = f.api_client(database, "admin")
    assert api.post("/api/v1/users", json={**form, "username": "clerk3"}).status_code == 201


def test_login_page_sets_an_httponly_cookie_and_only_redirects_locally(database):
    f.make_user(database, "officer", "officer")
    client = f.page_client(database)
    response = client.post("/login", data={"username": "officer", "password": f.PASSWORD,
                                           "next": "https://evil.example/", "login_csrf": f.login_csrf_of(client)})
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert client.get("/").status_code == 200
    other = f.page_client(database)
    bad = other.post("/login", data={"username": "officer", "password": "wrong-password",
                                     "login_csrf": f.login_csrf_of(other)})
    assert bad.status_code == 401 and "用户名或密码错误" in bad.text
    logout = client.post("/logout", data={"csrf_token": f.csrf_of(client)})
    assert logout.status_code == 303
    assert client.get("/").headers["location"] == "/public"


def test_disabling_an_account_ends_its_sessions_and_tokens(database):
    f.make_user(database, "admin", "admin")
    f.make_user(database, "officer", "officer")
    officer = f.api_client(database, "officer")
    officer_page = f.page_client(database, "officer")
    admin = f.api_client(database, "admin")
    assert admin.post("/api/v1/users/officer/disable", json={"reason": "调岗"}).json()["active"] is False
    assert officer.get("/api/v1/me").status_code == 401
    assert officer_page.get("/").status_code == 303
    assert f.api_client(database).post("/api/v1/auth/token", json={"username": "officer", "password": f.PASSWORD}
                                       ).status_code == 401
    assert admin.post("/api/v1/users/admin/disable", json={}).status_code == 400  # not oneself
    with database.read_session() as session:
        entries, _ = audit.search(session, filters=AuditFilter(action="user.disable"), limit=5)
    assert [(e.actor, e.entity_id, e.reason) for e in entries] == [("admin", "officer", "调岗")]


def test_revoked_api_token_stops_working(database):
    f.make_user(database, "officer", "officer")
    client = f.api_client(database, "officer")
    assert client.delete("/api/v1/auth/token").status_code == 204
    assert client.get("/api/v1/me").status_code == 401


def test_users_cli_creates_lists_and_disables(database):
    f.load(database, "companies")
    runner = CliRunner()
    created = runner.invoke(app, ["users", "create", "company1", "--role", "company", "--credit-code", f.CODE_A,
                                  "--password", f.PASSWORD])
    assert created.exit_code == 0 and "已创建账户 company1" in created.output
    refused = runner.invoke(app, ["users", "create", "company2", "--role", "company", "--password", f.PASSWORD])
    assert refused.exit_code == 2 and "必须绑定统一社会信用代码" in refused.output
    listed = runner.invoke(app, ["users", "list"])
    assert "company1" in listed.output and f.CODE_A in listed.output
    disabled = runner.invoke(app, ["users", "disable", "company1", "--reason", "退出"])
    assert disabled.exit_code == 0
    with database.read_session() as session:
        assert session.scalars(select(User.active).where(User.username == "company1")).one() is False
