"""Login throttling (per address and username as typed, and per address), the same answer whether a username
exists or not, every failed login audited without the password, and the login form's CSRF token."""

from __future__ import annotations

import datetime as dt
import json
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from rating_service.accounts import service as accounts
from rating_service.accounts.models import LoginThrottle
from rating_service.audit import service as audit
from rating_service.audit.models import AuditEntry
from rating_service.audit.repository import AuditFilter
from rating_service.errors import TooManyAttempts, Unauthorized
from rating_service.web.app import create_app
from tests import factories as f

ATTACKER = "198.51.100.66"
OWNER = "203.0.113.5"
SECRET = "Wr0ng-but-Secret-9"  # a wrong password that must never reach the audit log


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[dt.datetime]:
    """The accounts service's clock, moved by the test."""
    now = [dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)]
    monkeypatch.setattr(accounts, "_now", lambda: now[0])
    return now


def _try(database: Any, username: str, password: str, client: str) -> str:
    """One login through the service, committed as the routes do; returns ok, 401 or 429:<seconds>."""
    with database.write_session() as session:
        try:
            accounts.login(session, username=username, password=password, kind="api", client=client)
        except Unauthorized:
            session.commit()
            return "401"
        except TooManyAttempts as exc:
            session.commit()
            return f"429:{exc.params['seconds']}"
    return "ok"


def _client(database: Any, address: str) -> TestClient:
    return TestClient(create_app(database), follow_redirects=False, client=(address, 50000))


def _failed_logins(database: Any) -> list[Any]:
    with database.read_session() as session:
        entries, _ = audit.search(session, filters=AuditFilter(action="user.login_failed"), limit=500)
    return list(reversed(entries))


# -- throttling ------------------------------------------------------------------------------------------------

def test_one_wrong_password_per_lock_period_does_not_lock_the_owner_out_from_another_address(database, clock):
    f.make_user(database, "admin", "admin")
    for _ in range(12):
        # The attacker waits out every lock and tries again: the owner logs in from the office all along.
        assert _try(database, "admin", "guess-guess-guess", ATTACKER) == "401"
        assert _try(database, "admin", f.PASSWORD, OWNER) == "ok"
        with database.read_session() as session:
            locked = session.scalars(select(LoginThrottle.locked_until).where(
                LoginThrottle.scope == "account", LoginThrottle.client == ATTACKER)).one()
        clock[0] = max(clock[0], accounts._aware(locked) or clock[0]) + dt.timedelta(seconds=1)
    # The attacker's own pair stays slowed down: its locks grew to the cap.
    assert _try(database, "admin", "guess-guess-guess", ATTACKER) == "401"
    assert _try(database, "admin", f.PASSWORD, ATTACKER) == "429:900"


def test_the_backoff_doubles_after_the_free_failures_up_to_the_cap(database, clock):
    f.make_user(database, "officer", "officer")
    answers = [_try(database, "officer", "nope-nope-nope", ATTACKER) for _ in range(5)]
    assert answers == ["401"] * 5
    waits = []
    for _ in range(7):
        refused = _try(database, "officer", "nope-nope-nope", ATTACKER)
        waits.append(int(refused.split(":")[1]))
        clock[0] += dt.timedelta(seconds=waits[-1])
        assert _try(database, "officer", "nope-nope-nope", ATTACKER) == "401"
    assert waits == [30, 60, 120, 240, 480, 900, 900]


def test_a_successful_login_clears_its_own_key_only(database, clock):
    f.make_user(database, "officer", "officer")
    for _ in range(4):
        _try(database, "officer", "nope-nope-nope", OWNER)
        _try(database, "officer", "nope-nope-nope", ATTACKER)
    assert _try(database, "officer", f.PASSWORD, OWNER) == "ok"
    with database.read_session() as session:
        rows = {(r.scope, r.client, r.username): r.failures for r in session.scalars(select(LoginThrottle))}
    assert ("account", OWNER, "officer") not in rows
    assert rows[("account", ATTACKER, "officer")] == 4
    assert rows[("address", OWNER, "")] == 4  # a success does not reset its address's count (a company
    # account must not be a way to reset the throttle between guesses at other accounts)
    assert _try(database, "officer", "nope-nope-nope", ATTACKER) == "401"  # the attacker's 5th: locked
    assert _try(database, "officer", f.PASSWORD, ATTACKER).startswith("429")


def test_the_per_address_throttle_kicks_in_across_many_usernames(database, clock):
    f.make_user(database, "officer", "officer")
    for i in range(20):  # login_address_max_failures: one failure each for 20 usernames
        assert _try(database, f"user{i:02d}", "nope-nope-nope", ATTACKER) == "401"
    # Now every login from that address waits, even with the right password of a real account...
    assert _try(database, "officer", f.PASSWORD, ATTACKER) == "429:300"
    assert _try(database, "somebody-else", "nope-nope-nope", ATTACKER) == "429:300"
    # ...while the same account logs in from elsewhere, and the address is let go after the window.
    assert _try(database, "officer", f.PASSWORD, OWNER) == "ok"
    clock[0] += dt.timedelta(seconds=300)
    assert _try(database, "officer", f.PASSWORD, ATTACKER) == "ok"


def test_failures_spread_over_time_do_not_trip_the_per_address_throttle(database, clock):
    for i in range(30):
        assert _try(database, f"user{i:02d}", "nope-nope-nope", OWNER) == "401"
        clock[0] += dt.timedelta(seconds=20)  # 15 failures per 300 s window


def test_ipv6_clients_are_throttled_by_their_64_network(database, clock):
    for i in range(20):
        assert _try(database, f"user{i:02d}", "nope-nope-nope", f"2001:db8:1:2::{i + 1:x}") == "401"
    assert _try(database, "anyone", "nope-nope-nope", "2001:db8:1:2:ffff::9").startswith("429")
    assert _try(database, "anyone", "nope-nope-nope", "2001:db8:1:3::1") == "401"
    assert accounts.client_key("::ffff:192.0.2.1") == "192.0.2.1"


def test_parallel_guesses_at_one_key_are_all_counted(database, clock):
    f.make_user(database, "officer", "officer")
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(lambda _: _try(database, "officer", "nope-nope-nope", ATTACKER), range(12)))
    # The 5th failure locks the pair: whoever comes after waits, however many run at once.
    assert answers.count("401") == 5 and answers.count("429:30") == 7


def test_old_throttle_rows_are_pruned(database, clock):
    for i in range(5):
        _try(database, f"user{i}", "nope-nope-nope", f"192.0.2.{i}")
    clock[0] += dt.timedelta(hours=25)
    _try(database, "late", "nope-nope-nope", ATTACKER)
    with database.read_session() as session:
        left = {(r.client, r.username) for r in session.scalars(select(LoginThrottle))}
    assert left == {(ATTACKER, ""), (ATTACKER, "late")}


def test_enabling_an_account_clears_its_throttling(database, clock):
    f.make_user(database, "admin", "admin")
    f.make_user(database, "officer", "officer")
    for _ in range(5):
        _try(database, "officer", "nope-nope-nope", OWNER)
    assert _try(database, "officer", f.PASSWORD, OWNER).startswith("429")
    admin = f.api_client(database, "admin")
    assert admin.post("/api/v1/users/officer/enable", json={"reason": "本人忘记密码"}).status_code == 200
    assert _try(database, "officer", f.PASSWORD, OWNER) == "ok"


# -- the same answer for every username ------------------------------------------------------------------------

def test_unknown_known_and_disabled_usernames_get_byte_identical_api_answers(database, clock):
    f.make_user(database, "admin", "admin")
    f.make_user(database, "officer", "officer")
    f.make_user(database, "retired", "officer")
    f.api_client(database, "admin").post("/api/v1/users/retired/disable", json={})
    runs = {}
    for username, address in (("officer", "192.0.2.1"), ("ghost", "192.0.2.2"), ("retired", "192.0.2.3")):
        client = _client(database, address)
        runs[username] = [
            (r.status_code, r.content, r.headers.get("retry-after"))
            for r in (client.post("/api/v1/auth/token", json={"username": username, "password": SECRET})
                      for _ in range(7))
        ]
    assert runs["officer"] == runs["ghost"] == runs["retired"]
    assert [status for status, _, _ in runs["ghost"]] == [401] * 5 + [429] * 2
    assert runs["ghost"][5][2] == "30"


def test_every_refusal_costs_the_same_work_whether_the_username_exists_or_not(database, clock, monkeypatch):
    f.make_user(database, "officer", "officer")
    f.make_user(database, "retired", "officer")
    with database.write_session() as session:
        accounts.set_active(session, username="retired", active=False, actor="test")
    verified: list[str] = []
    real = accounts._verify
    monkeypatch.setattr(accounts, "_verify", lambda stored, password: verified.append(stored) or real(stored,
                                                                                                   password))
    for username, address in (("officer", "192.0.2.1"), ("ghost", "192.0.2.2"), ("retired", "192.0.2.3")):
        verified.clear()
        answers = [_try(database, username, SECRET, address) for _ in range(7)]
        # One argon2 verification per counted attempt (the dummy hash for a ghost), none while throttled.
        assert answers == ["401"] * 5 + ["429:30"] * 2 and len(verified) == 5
        assert all(h.startswith("$argon2id$") for h in verified)


def test_unknown_and_known_usernames_get_the_same_login_page(database, clock):
    f.make_user(database, "officer", "officer")
    pages = {}
    for username, address in (("officer", "192.0.2.1"), ("nobody1", "192.0.2.2")):
        client = _client(database, address)
        client.cookies.set("login_csrf", "A" * 43, path="/login")  # the same pre-session cookie for both
        token = accounts.login_csrf_token_for("A" * 43)
        pages[username] = [
            (r.status_code, r.text.replace(username, "<typed>"), r.headers.get("retry-after"))
            for r in (client.post("/login", data={"username": username, "password": SECRET, "login_csrf": token})
                      for _ in range(6))
        ]
    assert pages["officer"] == pages["nobody1"]
    assert [p[0] for p in pages["officer"]] == [401] * 5 + [429]


# -- audit -----------------------------------------------------------------------------------------------------

def test_every_failed_login_is_audited_with_the_typed_username_and_address_and_never_the_password(database, clock):
    f.make_user(database, "officer", "officer")
    f.make_user(database, "retired", "officer")
    with database.write_session() as session:
        accounts.set_active(session, username="retired", active=False, actor="test")
    assert _try(database, "ghost", SECRET, "192.0.2.7") == "401"
    assert _try(database, "officer", SECRET, "192.0.2.7") == "401"
    assert _try(database, "retired", f.PASSWORD, "192.0.2.7") == "401"
    assert _try(database, "Officer" * 20, SECRET, "192.0.2.7") == "401"  # 140 characters typed
    for _ in range(4):
        _try(database, "officer", SECRET, ATTACKER)
    assert _try(database, "officer", SECRET, ATTACKER) == "401"  # starts a lock
    assert _try(database, "officer", f.PASSWORD, ATTACKER).startswith("429")
    # A username holding a NUL (PostgreSQL cannot store one) is a malformed request, refused before any login
    # is tried: a 422, not a 500, and no attempt to count.
    nul = _client(database, "192.0.2.8").post("/api/v1/auth/token", json={"username": "a\x00b", "password": SECRET})
    assert nul.status_code == 422 and nul.json()["code"] == "control_characters"

    entries = _failed_logins(database)
    seen = [(e.entity_id, json.loads(e.payload)["client"], json.loads(e.payload)["reason"]) for e in entries]
    assert seen[:4] == [("ghost", "192.0.2.7", "unknown_user"), ("officer", "192.0.2.7", "wrong_password"),
                        ("retired", "192.0.2.7", "disabled"), (("Officer" * 20)[:64], "192.0.2.7", "unknown_user")]
    assert seen[4:] == [("officer", ATTACKER, "wrong_password")] * 5 + [("officer", ATTACKER, "throttled_account")]
    assert json.loads(entries[8].payload)["locked_seconds"] == 30
    assert all(e.actor == "anonymous" and json.loads(e.payload)["username"] == e.entity_id for e in entries)
    with database.read_session() as session:
        everything = session.scalars(select(AuditEntry)).all()
    dump = json.dumps([[e.actor, e.entity_id, e.reason, e.payload] for e in everything], ensure_ascii=False)
    assert SECRET not in dump and f.PASSWORD not in dump


def test_throttled_attempts_are_audited_once_per_lock_and_counted(database, clock):
    for _ in range(5):
        _try(database, "admin", "nope-nope-nope", ATTACKER)
    for _ in range(50):  # hammering a locked key
        assert _try(database, "admin", "nope-nope-nope", ATTACKER) == "429:30"
    entries = _failed_logins(database)
    reasons = [json.loads(e.payload)["reason"] for e in entries]
    assert reasons == ["unknown_user"] * 5 + ["throttled_account"]
    clock[0] += dt.timedelta(seconds=30)
    assert _try(database, "admin", "nope-nope-nope", ATTACKER) == "401"
    last = json.loads(_failed_logins(database)[-1].payload)
    assert last["unlogged_refusals"] == 49 and last["locked_seconds"] == 60


# -- login CSRF ------------------------------------------------------------------------------------------------

def test_the_login_form_sets_its_csrf_cookie(database):
    client = f.page_client(database)
    page = client.get("/login")
    cookie = page.headers["set-cookie"]
    assert cookie.startswith("login_csrf=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Path=/login" in cookie and page.headers["cache-control"] == "no-store"
    secret = client.cookies.get("login_csrf")
    assert re.search(r'name="login_csrf" value="([0-9a-f]{40})"', page.text).group(1) == \
        accounts.login_csrf_token_for(secret)
    # The same cookie is kept on the next visit (a second tab's form stays valid).
    assert "set-cookie" not in client.get("/login").headers


def test_a_login_without_the_right_csrf_token_is_refused(database):
    f.make_user(database, "officer", "officer")
    client = f.page_client(database)
    form = {"username": "officer", "password": f.PASSWORD}
    missing = client.post("/login", data=form)
    assert missing.status_code == 403 and "登录表单已过期" in missing.text
    assert 'name="login_csrf"' in missing.text and 'name="password"' in missing.text  # the form again
    token = f.login_csrf_of(client)
    assert client.post("/login", data={**form, "login_csrf": "0" * 40}).status_code == 403
    # A token bound to another browser's cookie (the attacker's own) does not fit this browser's cookie.
    attacker = f.page_client(database)
    assert client.post("/login", data={**form, "login_csrf": f.login_csrf_of(attacker)}).status_code == 403
    # Without the cookie, the right token is refused too.
    bare = f.page_client(database)
    assert bare.post("/login", data={**form, "login_csrf": token}).status_code == 403
    assert client.get("/api/v1/me").status_code == 401 and _failed_logins(database) == []
    accepted = client.post("/login", data={**form, "login_csrf": token})
    assert accepted.status_code == 303 and client.get("/").status_code == 200
    assert 'login_csrf=""' in accepted.headers["set-cookie"]  # spent: the next login gets a fresh one


def test_the_english_login_form_refusal_is_in_english(database):
    client = f.page_client(database)
    client.cookies.set("lang", "en")
    refused = client.post("/login", data={"username": "officer", "password": f.PASSWORD})
    assert refused.status_code == 403 and "The login form has expired" in refused.text


def test_the_api_token_needs_no_csrf_token(database):
    f.make_user(database, "officer", "officer")
    response = f.api_client(database).post("/api/v1/auth/token", json={"username": "officer",
                                                                       "password": f.PASSWORD})
    assert response.status_code == 200 and "set-cookie" not in response.headers


def test_the_throttle_table_is_empty_after_a_clean_login(database):
    f.make_user(database, "officer", "officer")
    f.api_client(database, "officer")
    with database.read_session() as session:
        assert session.scalar(select(func.count()).select_from(LoginThrottle)) == 0
