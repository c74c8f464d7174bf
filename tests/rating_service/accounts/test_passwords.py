"""The password policy: at least 12 characters, not a common password, not the username; applied wherever a
password is set, while passwords stored before the policy keep working."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from rating_service.accounts import passwords
from rating_service.accounts import service as accounts
from rating_service.accounts.models import User
from rating_service.cli import app
from rating_service.errors import RatingServiceError
from rating_service.i18n import translate
from tests import factories as f

STRONG = "Tq7#vL2m!pXz"  # 12 characters


def _refusal(password: str, username: str = "newbie") -> RatingServiceError:
    with pytest.raises(RatingServiceError) as refused:
        passwords.check_password(password, username=username)
    return refused.value


@pytest.mark.parametrize(("password", "key"), [
    ("12345678", "user_password_short"),
    ("password", "user_password_short"),
    ("password1234", "user_password_common"),  # in the list
    ("qwertyuiop12", "user_password_common"),  # in the list
    ("qwerty123456", "user_password_common"),
    ("Password2025!", "user_password_common"),  # a listed password with digits and punctuation around it
    ("!!iloveyou2025", "user_password_common"),
    ("123456789012", "user_password_common"),  # a keyboard run
    ("ZYXWVUTSRQPONM", "user_password_common"),  # the alphabet backwards
    ("abababababab", "user_password_repetitive"),
    ("newbie", "user_password_short"),
    ("NEWBIE-rocks-2026", "user_password_has_username"),
    ("newbienewbie", "user_password_has_username"),
])
def test_weak_passwords_are_refused_naming_the_rule_they_break(password, key):
    refused = _refusal(password)
    assert refused.key == key
    assert refused.message("zh") == translate(key, "zh", **refused.params)
    assert "密码" in refused.message("zh") and "password" in refused.message("en").lower()


def test_a_strong_twelve_character_password_is_accepted(database):
    passwords.check_password(STRONG, username="newbie")
    f.make_user(database, "newbie", "officer", password=STRONG)
    assert f.api_client(database, "newbie", STRONG).get("/api/v1/me").json()["username"] == "newbie"


def test_the_short_message_names_the_minimum_in_chinese_by_default():
    assert _refusal("12345678").message() == "密码至少 12 个字符。"
    assert _refusal("qwertyuiop12").message().startswith("密码过于常见")
    assert _refusal("newbie-2026-rocks").message() == "密码不能与用户名相同，也不能包含用户名。"


def test_the_minimum_length_setting_cannot_go_below_twelve():
    from pydantic import ValidationError

    from rating_service.settings import Settings

    with pytest.raises(ValidationError):
        Settings(password_min_length=8)
    assert Settings(password_min_length=16).password_min_length == 16


def test_the_common_password_list_is_shipped_with_its_source_and_licence():
    listed = passwords.common_passwords()
    assert len(listed) >= 30_000
    assert {"123456", "password", "12345678", "password1234", "qwertyuiop12"} <= listed
    assert all(p == p.lower() for p in listed)
    folder = Path(passwords.__file__).parent
    header = (folder / "common_passwords.txt").read_text("utf-8").splitlines()[0]
    assert header.startswith("#") and "zxcvbn" in header and "MIT" in header
    notice = (folder / "common_passwords.NOTICE").read_text("utf-8")
    assert "MIT License" in notice and "Dropbox" in notice
    project = tomllib.loads((folder.parent.parent / "pyproject.toml").read_text("utf-8"))
    data = project["tool"]["setuptools"]["package-data"]["rating_service"]
    assert "accounts/common_passwords.txt" in data and "accounts/common_passwords.NOTICE" in data


def test_the_policy_applies_to_the_api_the_page_the_cli_and_password_changes(database):
    f.make_user(database, "admin", "admin")
    api = f.api_client(database, "admin")
    refused = api.post("/api/v1/users", json={"username": "clerk", "password": "password1234", "role": "officer"})
    assert refused.status_code == 400 and refused.json()["message"].startswith("密码过于常见")
    page = f.page_client(database, "admin")
    form = page.post("/admin/users", data={"username": "clerk", "password": "12345678", "role": "officer",
                                           "csrf_token": f.csrf_of(page)})
    assert form.status_code == 400 and "密码至少 12 个字符" in form.text
    assert 'minlength="12"' in page.get("/admin/users").text
    cli = CliRunner().invoke(app, ["users", "create", "clerk", "--role", "officer", "--password", "clerk-2026-ok!"])
    assert cli.exit_code == 2 and "不能包含用户名" in cli.output
    with database.write_session() as session, pytest.raises(RatingServiceError) as changed:
        accounts.change_password(session, username="admin", current=f.PASSWORD, new="qwertyuiop12")
    assert changed.value.key == "user_password_common"
    with database.read_session() as session:
        assert session.scalars(select(User.username)).all() == ["admin"]
    assert api.post("/api/v1/users", json={"username": "clerk", "password": STRONG, "role": "officer"}
                    ).status_code == 201


def test_a_password_stored_before_the_policy_still_logs_in(database):
    f.make_user(database, "officer", "officer")
    with database.write_session() as session:
        user = session.scalars(select(User)).one()
        user.password_hash = accounts._hasher.hash("12345678")  # as main stored it before the policy
    assert f.api_client(database, "officer", "12345678").get("/api/v1/me").status_code == 200


def test_the_demo_logins_stay_valid_though_they_contain_their_usernames(database):
    with database.write_session() as session:
        with pytest.raises(RatingServiceError) as refused:
            accounts.create_user(session, username="admin", password="admin-demo-2025", role="admin", actor="t")
        assert refused.value.key == "user_password_has_username"
        accounts.create_user(session, username="admin", password="admin-demo-2025", role="admin", actor="demo",
                             demo=True)
        with pytest.raises(RatingServiceError) as short:  # the other rules still hold for the demo
            accounts.create_user(session, username="officer", password="officer", role="officer", actor="demo",
                                 demo=True)
        assert short.value.key == "user_password_short"
    assert f.api_client(database, "admin", "admin-demo-2025").get("/api/v1/me").status_code == 200
