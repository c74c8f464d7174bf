"""`rating doctor`: it fails (exit 1) on a configuration that cannot run and says in Chinese what to set; it passes
on the test configuration; each check finds its problem (folders, database schema, calendar, public address, job
queue, production settings, fonts), through the command and through the service's check functions."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest
from typer.testing import CliRunner

from rating_service import migrate
from rating_service.cli import app
from rating_service.db import Database
from rating_service.doctor import service as doctor
from rating_service.settings import Settings
from rating_service.workdays import service as workdays

runner = CliRunner()
STRONG_SECRET = "s" * 48
PUBLIC_URL = "https://xypj.zongyang.gov.cn"


@pytest.fixture
def site(sqlite_only: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    """The test configuration, pointed at the migrated SQLite test database."""
    monkeypatch.setenv("DATABASE_URL", sqlite_only.engine.url.render_as_string(hide_password=False))
    monkeypatch.delenv("RATING_SECRET_KEY", raising=False)
    monkeypatch.delenv("RATING_ENVIRONMENT", raising=False)
    monkeypatch.setenv("RATING_JOB_QUEUE", "local")
    return sqlite_only


def _doctor(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["doctor", *args], env={"COLUMNS": "300", "NO_COLOR": "1"})
    return result.exit_code, result.stdout


def _line(output: str, name: str) -> str:
    """The first line of a check in the command's output (status, name, finding)."""
    return next(line for line in output.splitlines() if f" {name} " in line)


def _codes(result: doctor.CheckResult) -> list[str]:
    return [f.code for f in result.findings]


def _production(**values: object) -> Settings:
    return Settings(**{"environment": "production", "secret_key": STRONG_SECRET, "public_base_url": PUBLIC_URL,
                       "log_format": "json", **values})


def test_fails_on_a_missing_secret_in_production_and_says_what_to_set(site, monkeypatch):
    monkeypatch.setenv("RATING_ENVIRONMENT", "production")
    monkeypatch.setenv("RATING_PUBLIC_BASE_URL", PUBLIC_URL)
    code, output = _doctor()
    assert code == 1, output
    secret = _line(output, "会话密钥")
    assert secret.startswith("失败")
    assert "未设置会话密钥 RATING_SECRET_KEY" in secret
    assert "python -c 'import secrets; print(secrets.token_urlsafe(48))'" in secret
    assert _line(output, "设置加载").startswith("失败")
    # The checks that do not need the settings to load still ran, on the values configured.
    assert _line(output, "数据库与迁移").startswith("通过")
    assert "配置有必须修复的问题" in output


def test_a_short_secret_fails_in_production_and_warns_in_development(site, monkeypatch):
    monkeypatch.setenv("RATING_SECRET_KEY", "too-short")
    monkeypatch.setenv("RATING_ENVIRONMENT", "production")
    production = doctor.load_settings()
    assert not production.strict and production.settings is not None
    assert doctor.check_secret_key(production.settings).findings == (
        doctor.Finding("fail", "secret_short", {"environment": "production"}),)
    development = doctor.load_settings(environment="development")
    assert development.strict
    assert doctor.check_secret_key(development.settings).status == "warn"
    assert doctor.check_secret_key(development.settings.model_copy(update={"secret_key": STRONG_SECRET})
                                   ).status == "pass"


def test_every_problem_that_stops_production_is_its_own_finding(site, monkeypatch, tmp_path):
    """Settings() names only the first problem; the doctor names the secret and the audit key at once."""
    monkeypatch.setenv("RATING_ENVIRONMENT", "production")
    monkeypatch.setenv("RATING_AUDIT_KEY_FILE", str(tmp_path / "missing.key"))
    results = {r.name: r for r in doctor.run(doctor.load_settings())}
    assert _codes(results["settings"]) == ["settings_refused"]
    assert _codes(results["secret_key"]) == ["secret_default"]
    assert results["audit_key"].findings[0].code == "audit_key_unreadable"
    assert "missing.key" in results["audit_key"].findings[0].params["source"]
    (tmp_path / "short.key").write_text("abc\n")
    short = doctor.check_audit_key(doctor.load_settings(audit_key_file=tmp_path / "short.key").settings)
    assert (short.status, _codes(short)) == ("fail", ["audit_key_short"])


def test_passes_on_the_test_configuration(site):
    code, output = _doctor()
    assert code == 0, output
    assert not [line for line in output.splitlines() if line.startswith("失败")], output
    assert _line(output, "数据库与迁移").startswith("通过")
    assert _line(output, "文件目录可写").startswith("通过")
    assert "配置可以运行" in output
    english_code, english = _doctor("--lang", "en")
    assert english_code == 0
    assert "Database and migrations" in english and "The configuration can run." in english


def test_the_json_output_parses_and_keeps_codes_in_machine_fields(site, monkeypatch):
    monkeypatch.setenv("RATING_ENVIRONMENT", "production")
    code, output = _doctor("--json")
    assert code == 1
    data = json.loads(output)
    assert data["status"] == "fail" and data["ok"] is False
    assert [c["check"] for c in data["checks"]] == list(doctor.CHECKS)
    secret = next(c for c in data["checks"] if c["check"] == "secret_key")
    assert secret["name"] == "会话密钥" and secret["status"] == "fail"
    assert secret["findings"][0]["code"] == "secret_default"
    assert "RATING_SECRET_KEY" in secret["findings"][0]["message"]
    assert "secret_default" not in secret["findings"][0]["message"]


def test_an_unwritable_documents_folder_fails(site, monkeypatch, tmp_path):
    # A path under a regular file cannot be made even by root (chmod does not stop root).
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder")
    monkeypatch.setenv("RATING_DOCUMENTS_DIR", str(blocker / "docs"))
    code, output = _doctor()
    assert code == 1, output
    line = _line(output, "文件目录可写")
    assert line.startswith("失败") and "RATING_DOCUMENTS_DIR" in line and "file.txt" in line
    result = doctor.check_folders(doctor.load_settings().settings)
    documents = next(f for f in result.findings if f.params["env"] == "RATING_DOCUMENTS_DIR")
    assert (documents.status, documents.code) == ("fail", "folder_blocked")


def test_a_folder_the_service_user_cannot_write_fails(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        probe = locked / "probe"
        try:
            probe.write_text("x")
        except PermissionError:
            pass
        else:
            probe.unlink()
            pytest.skip("this user (root) writes into a folder of mode 0500")
        assert doctor.folder_problem(locked) == ("folder_not_writable", "Permission denied")
        assert doctor.folder_problem(locked / "new")[0] == "folder_cannot_create"
    finally:
        locked.chmod(0o700)


def test_a_writable_or_creatable_folder_passes_and_nothing_is_left_behind(tmp_path):
    assert doctor.folder_problem(tmp_path) is None
    assert doctor.folder_problem(tmp_path / "later" / "documents") is None
    assert list(tmp_path.iterdir()) == []
    settings = Settings(environment="test", documents_dir=tmp_path / "later")
    documents = doctor.check_folders(settings).findings[0]
    assert (documents.status, documents.code) == ("pass", "folder_made_on_use")


def test_migrations_not_current_fail_with_the_upgrade_command(site, monkeypatch, tmp_path):
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{empty}")
    code, output = _doctor()
    assert code == 1
    line = _line(output, "数据库与迁移")
    assert line.startswith("失败") and "rating db upgrade" in line
    assert _line(output, "工作日历").startswith("跳过")
    behind = Database(Settings(database_url=f"sqlite:///{tmp_path / 'behind.db'}", environment="test"))
    try:
        migrate.upgrade(behind, "+1")
        result = doctor.check_database(behind)
    finally:
        behind.dispose()
    assert (result.status, _codes(result)) == ("fail", ["database_behind"])
    assert result.findings[0].params["head"] == migrate.heads()[0]


def test_a_missing_sqlite_file_is_reported_and_not_created(site, monkeypatch, tmp_path):
    missing = tmp_path / "nowhere" / "rating.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{missing}")
    results = {r.name: r for r in doctor.run(doctor.load_settings())}
    assert _codes(results["database"]) == ["database_file_missing"]
    assert not missing.parent.exists()


def test_an_unreachable_database_fails_naming_database_url(site, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody:secret@127.0.0.1:1/none")
    results = {r.name: r for r in doctor.run(doctor.load_settings())}
    finding = results["database"].findings[0]
    assert finding.code == "database_unreachable"
    assert "secret" not in finding.params["url"]
    assert results["calendar"].status == "skip"


@pytest.mark.parametrize(("today", "status", "codes"), [
    (dt.date(2026, 6, 1), "pass", ["calendar_known"]),
    (dt.date(2026, 11, 5), "warn", ["calendar_next_year_missing"]),
    (dt.date(2026, 12, 5), "fail", ["calendar_next_year_missing"]),
    (dt.date(2031, 3, 2), "fail", ["calendar_year_missing"]),
])
def test_next_years_calendar_is_asked_for_from_november(sqlite_only, today, status, codes):
    result = doctor.check_calendar(sqlite_only, today)
    assert (result.status, _codes(result)) == (status, codes)


def test_an_entered_calendar_satisfies_the_check(sqlite_only):
    with sqlite_only.write_session() as session:
        workdays.set_year(session=session, year=2027, holidays=[], workdays=[], source="国办发明电〔2026〕", actor="t")
    result = doctor.check_calendar(sqlite_only, dt.date(2026, 12, 5))
    assert result.status == "pass" and "2027" in result.findings[0].params["years"]


@pytest.mark.parametrize(("environment", "url", "codes"), [
    ("production", PUBLIC_URL, ["base_url_ok"]),
    ("production", PUBLIC_URL + "/", ["base_url_ok"]),
    ("production", "http://xypj.zongyang.gov.cn", ["base_url_not_https"]),
    ("production", "https://localhost:8443", ["base_url_placeholder"]),
    ("production", "https://rating.example.com", ["base_url_placeholder"]),
    ("production", PUBLIC_URL + "/rating?x=1", ["base_url_extra_parts"]),
    ("production", "xypj.zongyang.gov.cn", ["base_url_unparsable"]),
    ("production", "https://xypj.zongyang.gov.cn:port", ["base_url_unparsable"]),
    ("development", "http://127.0.0.1:8000", ["base_url_ok"]),
])
def test_the_public_address_pattern(environment, url, codes):
    settings = Settings(environment=environment, secret_key=STRONG_SECRET, public_base_url=url)
    assert _codes(doctor.check_public_base_url(settings)) == codes


def test_the_job_queue_warns_when_no_worker_runs(sqlite_only, monkeypatch):
    from rating_service.jobs import service as jobs

    settings = Settings(environment="test", job_queue="procrastinate",
                        database_url="postgresql+psycopg://rating@127.0.0.1/rating")
    monkeypatch.setattr(jobs, "live_workers", lambda database: 0, raising=False)
    result = doctor.check_job_queue(settings, sqlite_only)
    assert (result.status, _codes(result)) == ("warn", ["queue_no_worker"])
    monkeypatch.setattr(jobs, "live_workers", lambda database: 2, raising=False)
    result = doctor.check_job_queue(settings, sqlite_only)
    assert (result.status, result.findings[0].params) == ("pass", {"count": 2})
    local = doctor.check_job_queue(Settings(environment="test", job_queue="local"), sqlite_only)
    assert (local.status, _codes(local)) == ("pass", ["queue_local"])


def test_the_queue_on_sqlite_fails_and_a_broken_check_does_not_hide_the_others(site, monkeypatch):
    monkeypatch.setenv("RATING_JOB_QUEUE", "procrastinate")
    results = {r.name: r for r in doctor.run(doctor.load_settings())}
    assert _codes(results["job_queue"]) == ["queue_needs_postgresql"]
    assert results["settings"].status == "fail" and results["database"].status == "pass"

    def broken(_settings):
        raise RuntimeError("boom")

    monkeypatch.setattr(doctor, "check_public_base_url", broken)
    monkeypatch.setenv("RATING_JOB_QUEUE", "local")
    results = {r.name: r for r in doctor.run(doctor.load_settings())}
    assert _codes(results["public_base_url"]) == ["check_crashed"]
    assert results["database"].status == "pass" and results["folders"].status == "pass"


def test_production_settings_are_sanity_checked():
    assert doctor.check_production(_production()).status == "pass"
    loose = _production(secure_cookies=False, api_docs="public", metrics_allow_ips="", log_format="text")
    result = doctor.check_production(loose)
    assert {(f.status, f.code) for f in result.findings} == {
        ("fail", "production_cookies_insecure"), ("warn", "production_api_docs_public"),
        ("warn", "production_metrics_open"), ("warn", "production_log_text")}
    assert doctor.check_production(_production(metrics_allow_ips="", metrics_token="t" * 32)).status == "pass"
    assert doctor.check_production(Settings(environment="development")).status == "skip"


def test_an_invalid_value_is_named_and_the_other_checks_are_skipped(site, monkeypatch):
    monkeypatch.setenv("RATING_UPLOAD_LIMIT_MB", "many")
    code, output = _doctor()
    assert code == 1
    line = _line(output, "设置加载")
    assert line.startswith("失败") and "RATING_UPLOAD_LIMIT_MB" in line and "“many”" in line
    assert _line(output, "数据库与迁移").startswith("跳过")
    assert _line(output, "文书字体").startswith("通过")


def test_missing_fonts_name_the_debian_package(monkeypatch, tmp_path):
    from reports import fonts

    monkeypatch.setattr(fonts, "SYSTEM_FALLBACKS", ((tmp_path / "hanazono" / "HanaMinA.ttf", 0),))
    result = doctor.check_fonts()
    assert (result.status, result.findings[0].params["package"]) == ("warn", "fonts-hanazono")
    monkeypatch.setattr(fonts, "SHIPPED", {"Notice Fang": tmp_path / "FandolFang-Regular-subset.otf"})
    assert doctor.check_fonts().status == "fail"



def test_a_current_database_passes_on_each_engine(database):
    result = doctor.check_database(database)
    assert (result.status, result.findings[0].params) == ("pass", {"revision": migrate.heads()[0]})
    assert doctor.check_calendar(database, dt.date(2026, 6, 1)).status == "pass"


def test_a_list_setting_that_does_not_parse_is_named(site, monkeypatch):
    monkeypatch.setenv("RATING_AUDIT_RETIRED_KEY_FILES", "/etc/rating/old.key")
    code, output = _doctor()
    assert code == 1
    line = _line(output, "设置加载")
    assert line.startswith("失败") and "RATING_AUDIT_RETIRED_KEY_FILES" in line and "JSON" in line


def test_an_invalid_key_is_named_without_its_value(site):
    finding = doctor.load_settings(audit_key=12345).findings[0]
    assert (finding.code, finding.params["name"], finding.params["value"]) == (
        "setting_invalid", "RATING_AUDIT_KEY", "***")
