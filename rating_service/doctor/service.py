"""`rating doctor`: is this site configured to run? Each check is a small function returning a `CheckResult` of
findings; a finding is a code (the catalogue's ``doctor.<code>`` words it, with its remedy) and its parameters.

Nothing here prints or changes anything: folders are probed with a temporary file that is removed again, a missing
SQLite file is not created, the network is not used. The settings are built here, not taken from `get_settings()`,
so that settings that refuse to load are reported problem by problem and the other checks still run on their
values.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from pydantic_settings import SettingsError

from rating_service.db import Database
from rating_service.settings import Settings, audit_key_problem, secret_key_problem

Status = Literal["pass", "warn", "fail", "skip"]
# Worst last: a check's status is its worst finding's.
SEVERITY: tuple[Status, ...] = ("skip", "pass", "warn", "fail")
CHECKS = ("settings", "secret_key", "audit_key", "public_base_url", "folders", "fonts", "database", "calendar",
          "job_queue", "production")
# The folders the service writes, by the environment variable that sets each.
FOLDERS = {"RATING_DOCUMENTS_DIR": "documents_dir", "RATING_ATTACHMENTS_DIR": "attachments_dir",
           "RATING_IMPORT_REPORTS_DIR": "import_reports_dir"}
# Hosts that are never a site's public address.
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0"})
# The Debian package of each system fallback font, by the folder it installs into (scripts/system-deps.sh).
FONT_PACKAGES = {"noto": "fonts-noto-cjk", "hanazono": "fonts-hanazono"}
# From this month next year's working-day calendar is asked for (a warning), from the next one it is required:
# the to-do list asks from December (todo/service.py), and publicizing in December needs it for the appeal window.
CALENDAR_WARN_MONTH = 11
CALENDAR_FAIL_MONTH = 12


@dataclass(frozen=True)
class Finding:
    status: Status
    code: str  # the catalogue key is doctor.<code>
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckResult:
    name: str  # one of CHECKS; the catalogue key of its Chinese name is doctor_check.<name>
    findings: tuple[Finding, ...]

    @property
    def status(self) -> Status:
        return max((f.status for f in self.findings), key=SEVERITY.index, default="pass")


@dataclass(frozen=True)
class LoadedSettings:
    """The settings as configured: `settings` (None when a value is invalid), and the problems met loading them."""

    settings: Settings | None
    strict: bool  # True: Settings() loaded; False: it refused and `settings` skips the production validators
    findings: tuple[Finding, ...]


def _unchecked_settings_class() -> type[Settings]:
    """Settings without its model validators: the values as configured, for checks that report each problem."""
    skipped = {name: lambda self: self for name in Settings.__pydantic_decorators__.model_validators}
    return type("UncheckedSettings", (Settings,), skipped)


def _env_name(loc: tuple[Any, ...]) -> str:
    name = str(loc[0]) if loc else ""
    return "DATABASE_URL" if name.lower() in ("database_url", "rating_database_url") else f"RATING_{name.upper()}"


def _shown(error: Mapping[str, Any]) -> str:
    """An invalid value as the finding shows it: never a key's, a token's or a password's."""
    name = _env_name(error["loc"])
    return "***" if any(word in name for word in ("KEY", "TOKEN", "SECRET", "PASSWORD")) else str(error["input"])[:80]


def load_settings(**overrides: Any) -> LoadedSettings:
    """The settings from the environment (and `overrides`, as the tests give them), each problem a finding."""
    try:
        settings = Settings(**overrides)
    except SettingsError as exc:  # a list or other JSON value that does not parse
        field_name = re.search(r'field "(\w+)"', str(exc))
        name = _env_name((field_name.group(1),)) if field_name else "RATING_…"
        return LoadedSettings(None, False, (Finding("fail", "setting_unparsable", {"name": name}),))
    except ValidationError as exc:
        invalid = [Finding("fail", "setting_invalid", {"name": _env_name(e["loc"]), "value": _shown(e),
                                                       "reason": e["msg"]})
                   for e in exc.errors() if e["loc"]]
        if invalid:
            return LoadedSettings(None, False, tuple(invalid))
        # Only the model validators refused (a field error is reported above): the values themselves load.
        unchecked = _unchecked_settings_class()(**overrides)
        reason = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
        refused = Finding("fail", "settings_refused", {"environment": unchecked.environment, "reason": reason})
        return LoadedSettings(unchecked, False, (refused,))
    return LoadedSettings(settings, True, (Finding("pass", "settings_loaded", {"environment": settings.environment}),))


def check_settings(loaded: LoadedSettings) -> CheckResult:
    return CheckResult("settings", loaded.findings)


def check_secret_key(settings: Settings) -> CheckResult:
    problem = secret_key_problem(settings.secret_key)
    if problem is None:
        return CheckResult("secret_key", (Finding("pass", "secret_ok"),))
    status: Status = "fail" if settings.environment == "production" else "warn"
    return CheckResult("secret_key", (Finding(status, f"secret_{problem}", {"environment": settings.environment}),))


def check_audit_key(settings: Settings) -> CheckResult:
    problem = audit_key_problem(settings)
    if problem is None:
        return CheckResult("audit_key", (Finding("pass", "audit_key_ok"),))
    if settings.environment != "production" and problem.kind == "unreadable" and not settings.audit_key_file.exists():
        # Outside production a missing key file is made on first use.
        return CheckResult("audit_key", (Finding("pass", "audit_key_made_on_use",
                                                 {"path": str(settings.audit_key_file)}),))
    status: Status = "fail" if settings.environment == "production" else "warn"
    return CheckResult("audit_key", (Finding(status, f"audit_key_{problem.kind}",
                                             {"source": problem.source, "reason": problem.reason}),))


def check_public_base_url(settings: Settings) -> CheckResult:
    url = settings.public_base_url.strip()
    production = settings.environment == "production"
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        return CheckResult("public_base_url", (Finding("fail", "base_url_unparsable", {"url": url}),))
    findings = []
    if parts.scheme not in ("http", "https") or not host:
        findings.append(Finding("fail", "base_url_unparsable", {"url": url}))
    elif parts.path.strip("/") or parts.query or parts.fragment or parts.username or parts.password:
        findings.append(Finding("fail", "base_url_extra_parts", {"url": url, "root": f"{parts.scheme}://{parts.netloc}"}))
    if production and host and parts.scheme != "https":
        findings.append(Finding("fail", "base_url_not_https", {"url": url}))
    if production and (host in LOCAL_HOSTS or host == "example" or host.startswith("example.")
                       or host.endswith((".example", ".localhost")) or ".example." in host):
        findings.append(Finding("fail", "base_url_placeholder", {"url": url, "host": host}))
    return CheckResult("public_base_url", tuple(findings) or (Finding("pass", "base_url_ok", {"url": url}),))


def folder_problem(folder: Path) -> tuple[str, str] | None:
    """Why the service cannot write files into `folder` (code, reason); None when it can (or can create it).

    Probed with a temporary file (or folder, for a missing one: in its nearest existing parent) that is removed
    again; nothing is left behind and a missing folder is not created.
    """
    probe = folder
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if not probe.is_dir():
        return ("folder_blocked", str(probe))
    try:
        if probe == folder:
            with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-"):
                pass
        else:
            with tempfile.TemporaryDirectory(dir=probe, prefix=".doctor-"):
                pass
    except OSError as exc:
        return ("folder_not_writable" if probe == folder else "folder_cannot_create", exc.strerror or str(exc))
    return None


def check_folders(settings: Settings) -> CheckResult:
    findings = []
    for env, name in FOLDERS.items():
        folder: Path = getattr(settings, name)
        problem = folder_problem(folder)
        if problem is None:
            code = "folder_ok" if folder.is_dir() else "folder_made_on_use"
            findings.append(Finding("pass", code, {"env": env, "path": str(folder)}))
        else:
            findings.append(Finding("fail", problem[0], {"env": env, "path": str(folder), "reason": problem[1]}))
    return CheckResult("folders", tuple(findings))


def check_fonts() -> CheckResult:
    """The PDF renderer's fonts: the shipped ones (required) and the system fallbacks for rarer characters."""
    from reports import fonts

    findings = [Finding("fail", "font_shipped_missing", {"path": str(path)})
                for path in fonts.SHIPPED.values() if not path.is_file()]
    for path, _index in fonts.SYSTEM_FALLBACKS:
        if not path.is_file():
            package = FONT_PACKAGES.get(path.parent.name, "fonts-noto-cjk")
            findings.append(Finding("warn", "font_fallback_missing", {"path": str(path), "package": package}))
    return CheckResult("fonts", tuple(findings) or (Finding("pass", "fonts_ok", {"count": len(fonts.SHIPPED)}),))


def _sqlite_file(database_url: str) -> Path | None:
    """The file of a SQLite database URL (None for another engine or an in-memory database)."""
    from sqlalchemy import make_url

    url = make_url(database_url)
    return Path(url.database) if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:") \
        else None


def check_database(database: Database) -> CheckResult:
    """The database answers and its schema is the code's (Alembic's head)."""
    from rating_service import migrate

    try:
        revision = migrate.current(database)
    except Exception as exc:  # any failure to reach the database is this check's finding
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:200]
        url = database.engine.url.render_as_string(hide_password=True)
        return CheckResult("database", (Finding("fail", "database_unreachable", {"url": url, "reason": reason}),))
    heads = migrate.heads()
    if revision in heads:
        return CheckResult("database", (Finding("pass", "database_current", {"revision": revision}),))
    code = "database_empty" if revision is None else "database_behind"
    return CheckResult("database", (Finding("fail", code, {"revision": revision or "-", "head": ", ".join(heads)}),))


def check_calendar(database: Database, today: dt.date) -> CheckResult:
    """This year's working-day calendar must be known; next year's from November (warning) or December (failure)."""
    from rating_service.workdays import service as workdays
    from rating_service.workdays.holiday_calendar import known_years

    with database.read_session() as session:
        known = known_years(workdays.schedule(session))
    findings = []
    if today.year not in known:
        findings.append(Finding("fail", "calendar_year_missing", {"year": today.year}))
    next_year = today.year + 1
    if today.month >= CALENDAR_WARN_MONTH and next_year not in known:
        status: Status = "fail" if today.month >= CALENDAR_FAIL_MONTH else "warn"
        findings.append(Finding(status, "calendar_next_year_missing", {"year": next_year}))
    if findings:
        return CheckResult("calendar", tuple(findings))
    years = sorted(y for y in known if y >= today.year)
    return CheckResult("calendar", (Finding("pass", "calendar_known", {"years": ", ".join(map(str, years))}),))


def check_job_queue(settings: Settings, database: Database | None) -> CheckResult:
    if settings.job_queue == "procrastinate" and settings.is_sqlite:
        return CheckResult("job_queue", (Finding("fail", "queue_needs_postgresql"),))
    if settings.queue_backend == "local":
        return CheckResult("job_queue", (Finding("pass", "queue_local"),))
    if database is None:
        return CheckResult("job_queue", (Finding("skip", "queue_database_unavailable"),))
    from rating_service.jobs import service as jobs

    workers = jobs.live_workers(database)
    if workers is None:
        return CheckResult("job_queue", (Finding("warn", "queue_workers_unknown"),))
    if workers == 0:
        return CheckResult("job_queue", (Finding("warn", "queue_no_worker"),))
    return CheckResult("job_queue", (Finding("pass", "queue_workers", {"count": workers}),))


def check_production(settings: Settings) -> CheckResult:
    """What a production site should have on besides the settings that refuse to load without it."""
    if settings.environment != "production":
        return CheckResult("production", (Finding("skip", "production_not_applicable",
                                                  {"environment": settings.environment}),))
    findings = []
    if not settings.cookies_secure:
        findings.append(Finding("fail", "production_cookies_insecure"))
    if settings.api_docs_mode == "public":
        findings.append(Finding("warn", "production_api_docs_public"))
    if settings.metrics_enabled and not settings.metrics_allow_ips.strip() and settings.metrics_token is None:
        findings.append(Finding("warn", "production_metrics_open"))
    if settings.log_format != "json":
        findings.append(Finding("warn", "production_log_text"))
    return CheckResult("production", tuple(findings) or (Finding("pass", "production_ok"),))


def skipped(name: str, code: str = "skipped_no_settings") -> CheckResult:
    return CheckResult(name, (Finding("skip", code),))


def guarded(name: str, check: Callable[[], CheckResult]) -> CheckResult:
    """A check's result, or its failure to run as a finding: one broken check never hides the others."""
    try:
        return check()
    except Exception as exc:
        return CheckResult(name, (Finding("fail", "check_crashed", {"error": f"{type(exc).__name__}: {exc}"[:300]}),))


def local_today(loaded: LoadedSettings) -> dt.date:
    """Today in the site's time zone: the clock's (which may be a simulated day) when the settings load."""
    from rating_service import clock

    if loaded.strict or loaded.settings is None:
        return clock.local_today()
    return dt.datetime.now(ZoneInfo(loaded.settings.timezone)).date()


def run(loaded: LoadedSettings, today: dt.date | None = None,
        database_factory: Callable[[Settings], Database] = Database) -> list[CheckResult]:
    """Every check, in CHECKS order, on the settings as loaded; those that need what is missing are skipped."""
    settings = loaded.settings
    if settings is None:
        return [check_settings(loaded), *(skipped(name) for name in ("secret_key", "audit_key", "public_base_url",
                                                                      "folders")),
                guarded("fonts", check_fonts),
                *(skipped(name) for name in ("database", "calendar", "job_queue", "production"))]
    return [check_settings(loaded),
            guarded("secret_key", lambda: check_secret_key(settings)),
            guarded("audit_key", lambda: check_audit_key(settings)),
            guarded("public_base_url", lambda: check_public_base_url(settings)),
            guarded("folders", lambda: check_folders(settings)),
            guarded("fonts", check_fonts),
            *_database_checks(settings, lambda: today or local_today(loaded), database_factory),
            guarded("production", lambda: check_production(settings))]


def _database_checks(settings: Settings, today: Callable[[], dt.date],
                     database_factory: Callable[[Settings], Database]) -> list[CheckResult]:
    """The database, then what is read from it (the calendar, the queue's workers) when it is usable."""
    sqlite_file = _sqlite_file(settings.database_url)
    if sqlite_file is not None and not sqlite_file.is_file():
        # Not opened: opening a SQLite file that is not there would create it.
        missing = CheckResult("database", (Finding("fail", "database_file_missing", {"path": str(sqlite_file)}),))
        return [missing, skipped("calendar", "skipped_no_database"),
                guarded("job_queue", lambda: check_job_queue(settings, None))]
    database = database_factory(settings)
    try:
        result = guarded("database", lambda: check_database(database))
        usable = result.status == "pass"
        return [result,
                guarded("calendar", lambda: check_calendar(database, today())) if usable
                else skipped("calendar", "skipped_no_database"),
                guarded("job_queue", lambda: check_job_queue(settings, database if usable else None))]
    finally:
        database.dispose()


def worst(results: list[CheckResult]) -> Status:
    return max((r.status for r in results), key=SEVERITY.index, default="pass")
