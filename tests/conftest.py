"""Shared fixtures: a migrated database on SQLite always, and on PostgreSQL when DATABASE_URL names one.

`.ci/run` sets DATABASE_URL to the PostgreSQL server, so every database test runs on both engines
there; on a developer machine without it the PostgreSQL variants skip with the reason.

Under pytest-xdist (`make test` runs the suite in parallel) every worker is its own process with its own SQLite
files and temporary folders, and its own PostgreSQL database on DATABASE_URL's server: DATABASE_URL's name with
the worker's id appended (``test_gw0``, ``test_gw1``, …), created at the start of the session and dropped at its
end. Without xdist the tests use DATABASE_URL's database itself, as before.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError

from rating_service import migrate
from rating_service.db import Base, Database, set_database
from rating_service.settings import Settings

# Tests may read the environment to decide which engines exist; the service itself never does.
_ENV_URL = os.environ.get("DATABASE_URL", "")
_SERVER_URL = _ENV_URL if _ENV_URL.startswith("postgresql") else ""
# pytest-xdist names its workers gw0, gw1, … in this variable; unset when the suite runs in one process.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def _worker_url(url: str, worker: str) -> str:
    """The URL of this worker's own database on the same server (the URL itself without xdist)."""
    if not url or not worker:
        return url
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database or 'postgres'}_{worker}").render_as_string(hide_password=False)


PG_URL = _worker_url(_SERVER_URL, XDIST_WORKER)
IN_CI = os.environ.get("CI", "").lower() == "true"
TODAY = dt.date(2026, 11, 28)
# Issued PDFs go to a scratch folder, never into the checkout's var/.
os.environ["RATING_DOCUMENTS_DIR"] = tempfile.mkdtemp(prefix="rating-documents-")
os.environ["RATING_ATTACHMENTS_DIR"] = tempfile.mkdtemp(prefix="rating-attachments-")
os.environ["RATING_IMPORT_REPORTS_DIR"] = tempfile.mkdtemp(prefix="rating-import-errors-")
# The session databases keep the suite's folders whichever test first asks for them (a test that points the
# environment at a folder of its own must not leave it in a database every later test shares).
_SUITE_FOLDERS = (Path(os.environ["RATING_DOCUMENTS_DIR"]), Path(os.environ["RATING_ATTACHMENTS_DIR"]),
                  Path(os.environ["RATING_IMPORT_REPORTS_DIR"]))


def _session_settings(url: str) -> Settings:
    documents, attachments, reports = _SUITE_FOLDERS
    return Settings(database_url=url, environment="test", documents_dir=documents, attachments_dir=attachments,
                    import_reports_dir=reports)
# The audit key and anchors too; the key is written here so that production-mode Settings validate in tests.
_AUDIT_DIR = tempfile.mkdtemp(prefix="rating-audit-")
os.environ["RATING_AUDIT_KEY_FILE"] = os.path.join(_AUDIT_DIR, "audit.key")
os.environ["RATING_AUDIT_ANCHOR_FILE"] = os.path.join(_AUDIT_DIR, "audit-anchors.log")
with open(os.open(os.environ["RATING_AUDIT_KEY_FILE"], os.O_WRONLY | os.O_CREAT, 0o600), "w") as _key:
    _key.write(os.urandom(32).hex() + "\n")
# Publicizing does not render every PDF in the background here; downloads render on demand.
os.environ.setdefault("RATING_RENDER_ON_PUBLICIZE", "false")
# Jobs run on the serving process's threads unless a test starts real workers (tests/rating_service/jobs/).
os.environ.setdefault("RATING_JOB_QUEUE", "local")
# The public data is built in the background; a test's first public request right after its app starts waits for it
# (the service waits 1 s at most). Tests of the minimal "preparing" answer make their own cache that does not wait.
os.environ.setdefault("RATING_DISCLOSURE_BUILD_WAIT_SECONDS", "60")


# Tests that take long, started first in a parallel run so that they do not make its tail: the benchmark smoke
# tests (tests/bench, marked `bench`), the browser tests (tests/browser, marked `browser`) and those marked `slow`.
_SUITE = Path(__file__).resolve().parent
_FIRST = ("bench", "browser", "slow")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        path = Path(item.path).resolve()
        if path.is_relative_to(_SUITE) and path.relative_to(_SUITE).parts[0] in ("bench", "browser"):
            item.add_marker(path.relative_to(_SUITE).parts[0])
    if not XDIST_WORKER:
        return
    # In a parallel run (`make test`: -n … --dist loadgroup --no-loadscope-reorder) every test is its own unit of
    # work, handed out in this order to whichever worker is free; the tests of a module that share a module- or
    # class-scoped fixture stay together on one worker (xdist_group), so that the fixture is built once.
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        if info is not None and any(d.scope in ("class", "module", "package")
                                    for defs in info.name2fixturedefs.values() for d in defs):
            item.add_marker(pytest.mark.xdist_group(name=item.nodeid.split("::", 1)[0]))
    items.sort(key=lambda item: not any(item.get_closest_marker(name) for name in _FIRST))


def _reset(database: Database) -> None:
    # An emptied database starts a new audit chain: the old chain's anchors no longer apply.
    from rating_service.settings import get_settings

    get_settings().audit_anchor_file.unlink(missing_ok=True)
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with database.engine.begin() as conn:
        if database.is_sqlite:
            for name in tables:
                conn.exec_driver_sql(f"DELETE FROM {name}")
        else:
            conn.exec_driver_sql(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


@pytest.fixture(autouse=True)
def _pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """The service's clock (cycle steps, notice dates, appeal windows) says TODAY, whatever day the suite runs on:
    appeal deadlines fall in a year the working-day calendar knows. Tests move it with ``f.on_day(day)`` (a step
    taken on another day: a notice is publicized on its notice date, never back-dated), ``f.pin_today`` and
    ``f.appeals_closed``."""
    from tests import factories as f

    f.pin_today(monkeypatch, TODAY)


@pytest.fixture(autouse=True)
def _light_password_hashes(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A light argon2id for every test (the service's default costs ~0.12 s per hash or login on these machines,
    which hundreds of logins in the suite add up to minutes); tests marked ``real_password_hashes`` keep it."""
    if request.node.get_closest_marker("real_password_hashes"):
        return
    from argon2 import PasswordHasher

    from rating_service.accounts import service as accounts

    hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", hasher)
    monkeypatch.setattr(accounts, "_DUMMY_HASH", hasher.hash("not-a-password"))


@pytest.fixture(scope="session")
def sqlite_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    path = tmp_path_factory.mktemp("db") / "rating.db"
    database = Database(_session_settings(f"sqlite:///{path}"))
    migrate.upgrade(database)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def postgresql_database() -> Iterator[Database]:
    if not PG_URL:
        if IN_CI:
            pytest.fail("CI must run the suite on PostgreSQL: DATABASE_URL is not a postgresql URL")
        pytest.skip("PostgreSQL tests need DATABASE_URL=postgresql+psycopg://… (set by .ci/run)")
    try:
        if PG_URL != _SERVER_URL:
            _worker_database("create")
        database = Database(_session_settings(PG_URL))
        with database.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    except Exception as exc:  # pragma: no cover - depends on the machine
        if IN_CI:
            raise
        pytest.skip(f"PostgreSQL at {PG_URL} is not reachable: {exc}")
    migrate.upgrade(database)
    yield database
    database.dispose()
    if PG_URL != _SERVER_URL:
        _worker_database("drop")


def _worker_database(action: str) -> None:
    """Create (anew) or drop this xdist worker's database, through a connection to DATABASE_URL's database."""
    name = make_url(PG_URL).database
    engine = create_engine(_SERVER_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if action == "create":
                for attempt in range(10):
                    try:
                        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
                        break
                    except OperationalError:  # "source database template1 is being accessed by other users"
                        if attempt == 9:
                            raise
                        time.sleep(0.5)
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest) -> Iterator[Database]:
    """A migrated, empty database; also installed as the process-wide one for CLI and web tests."""
    db: Database = request.getfixturevalue(f"{request.param}_database")
    _reset(db)
    set_database(db)
    yield db
    set_database(None)


@pytest.fixture
def sqlite_only(sqlite_database: Database) -> Iterator[Database]:
    _reset(sqlite_database)
    set_database(sqlite_database)
    yield sqlite_database
    set_database(None)
