"""deploy/postgres/roles.sql as docs/deployment.md runs it: a superuser creates the two roles and the database, the
owner migrates (`rating db upgrade`) and grants (`rating db grant-app-role`), and the service, connected as the
application role, does its work through its public interfaces (imports and a cycle over the API, the job queue's
functions) while it cannot drop, create or rewrite anything it must not."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import ProgrammingError

from rating_service import grants
from rating_service.audit import service as audit
from rating_service.db import Database, set_database
from rating_service.records import repository as records_repository
from rating_service.settings import Settings, get_settings
from tests import factories as f
from tests.conftest import IN_CI

ROLES_SQL = Path(__file__).resolve().parents[2] / "deploy" / "postgres" / "roles.sql"


class Site(NamedTuple):
    owner_url: str
    app_url: str
    app: str


def _rating(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The `rating` command line in a process of its own, with DATABASE_URL naming `url`."""
    return subprocess.run([sys.executable, "-c", "from rating_service.cli import main; main()", *args],
                          env={**os.environ, "DATABASE_URL": url}, capture_output=True, text=True, timeout=300)


def _psql_roles(server_url: str, **variables: str) -> subprocess.CompletedProcess[str]:
    psql = shutil.which("psql")
    if psql is None:
        if IN_CI:
            pytest.fail("psql is missing: scripts/system-deps.sh installs postgresql-client")
        pytest.skip("psql is not installed (scripts/system-deps.sh installs postgresql-client)")
    libpq_url = make_url(server_url).set(drivername="postgresql").render_as_string(hide_password=False)
    command = [psql, libpq_url, "-X", "-q", "-f", str(ROLES_SQL)]
    for name, value in variables.items():
        command += ["-v", f"{name}={value}"]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def site(postgresql_database: Database) -> Iterator[Site]:
    """A fresh database made by roles.sql under unique names, migrated and granted by its owner."""
    server_url = postgresql_database.engine.url
    suffix = secrets.token_hex(4)
    owner, app, dbname = f"rating_owner_{suffix}", f"rating_app_{suffix}", f"rating_deploy_{suffix}"
    made = _psql_roles(server_url.render_as_string(hide_password=False), owner=owner, app=app, dbname=dbname,
                       owner_password=secrets.token_urlsafe(24), app_password=secrets.token_urlsafe(24))
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        assert made.returncode == 0, made.stderr
        # The script sets passwords; the test server trusts local connections, so the URLs carry none.
        owner_url = server_url.set(username=owner, password=None, database=dbname).render_as_string(
            hide_password=False)
        app_url = server_url.set(username=app, password=None, database=dbname).render_as_string(hide_password=False)
        upgraded = _rating(owner_url, "db", "upgrade")
        assert upgraded.returncode == 0, upgraded.stderr
        granted = _rating(owner_url, "db", "grant-app-role", app)
        assert granted.returncode == 0, granted.stdout + granted.stderr
        yield Site(owner_url, app_url, app)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            for role in (app, owner):
                conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{role}"')
        admin.dispose()


def _queue_schema() -> str:
    return resources.files("procrastinate.sql").joinpath("schema.sql").read_text(encoding="utf-8")


@pytest.fixture
def service(site: Site) -> Iterator[Database]:
    """The database as the web processes and workers see it: connected as the application role. Its audit chain is
    its own: the anchors other tests' databases left in the shared anchor file do not apply."""
    get_settings().audit_anchor_file.unlink(missing_ok=True)
    database = Database(Settings(database_url=site.app_url, environment="test"))
    set_database(database)
    yield database
    set_database(None)
    database.dispose()


def test_the_queue_tables_granted_are_procrastinates():
    assert set(grants.QUEUE_TABLES) == set(re.findall(r"^CREATE TABLE (\w+)", _queue_schema(), re.M))


def test_the_roles_script_refuses_to_run_without_passwords(postgresql_database):
    refused = _psql_roles(postgresql_database.engine.url.render_as_string(hide_password=False),
                          owner="never_made_owner", app="never_made_app", dbname="never_made")
    assert refused.returncode != 0 and "owner_password" in refused.stderr
    with postgresql_database.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM pg_roles WHERE rolname LIKE 'never_made%'")).scalar() == 0


def test_the_service_works_as_the_application_role(site, service):
    with service.engine.connect() as conn:
        assert conn.execute(text("SELECT current_user")).scalar() == site.app
    f.make_user(service, "officer1", "officer")
    api = f.api_client(service, "officer1")
    for kind in (*f.REFERENCE, "inspections", "complaints", "fee_violations", "major_events"):
        data = f.upload(kind, f.ROWS[kind]).data
        imported = api.post(f"/api/v1/imports/{kind}", files={"files": (f"{kind}.csv", data, "text/csv")})
        assert imported.status_code == 200, imported.text
    created = api.post("/api/v1/cycles", json={"name": "2025年度", "period_start": "2025-01-01",
                                               "period_end": "2025-12-31"})
    assert created.status_code == 201, created.text
    job = api.post(f"/api/v1/cycles/{created.json()['id']}/compute-jobs")
    assert job.status_code == 202, job.text
    for _ in range(300):
        state = api.get(f"/api/v1/jobs/{job.json()['id']}").json()
        if state["status"] != "running":
            break
        time.sleep(0.1)
    assert state["status"] == "done", state
    assert api.get(f"/api/v1/cycles/{created.json()['id']}").json()["status"] == "computed"
    with service.read_session() as session:
        assert audit.verify(session).ok


def test_only_the_tables_owner_sets_checks_aside_for_a_bulk_import(site, service):
    """The application role may not drop the owner's indexes and keys: its big imports check row by row (and
    stage in a temporary table, which roles.sql lets it make); the owner's (`rating import` run by it) take the
    bulk path."""
    table = records_repository.table_for("complaints")
    with service.read_session() as session:
        assert records_repository.bulk_load(session, table, new_rows=10_000_000, empty=True) is False
        session.connection().exec_driver_sql("CREATE TEMPORARY TABLE staged_probe (x int) ON COMMIT DROP")
    owner = Database(Settings(database_url=site.owner_url, environment="test"))
    try:
        with owner.read_session() as session:
            assert records_repository.bulk_load(session, table, new_rows=10_000_000, empty=True) is True
    finally:
        owner.dispose()


def test_the_application_role_runs_the_job_queues_functions(service):
    with service.engine.begin() as conn:
        job_ids = conn.execute(text(
            "SELECT procrastinate_defer_jobs_v1(ARRAY[ROW('render', 'deploy_check', 0, NULL, NULL, "
            "'{}'::jsonb, NULL)::procrastinate_job_to_defer_v1])")).scalar_one()
        worker_id = conn.execute(text("SELECT procrastinate_register_worker_v1()")).scalar_one()
        fetched = conn.execute(text("SELECT id FROM procrastinate_fetch_job_v2(ARRAY['render'], :w)"),
                               {"w": worker_id}).scalar_one()
        assert fetched == job_ids[0]
        conn.execute(text("SELECT procrastinate_finish_job_v1(:id, 'succeeded', false)"), {"id": fetched})
        conn.execute(text("SELECT procrastinate_unregister_worker_v1(:w)"), {"w": worker_id})
        assert conn.execute(text("SELECT status FROM procrastinate_jobs WHERE id = :id"),
                            {"id": fetched}).scalar_one() == "succeeded"


@pytest.mark.parametrize("statement", [
    "DROP TABLE companies",
    "CREATE TABLE mine (id integer)",
    "ALTER TABLE users ADD COLUMN extra text",
    "TRUNCATE procrastinate_jobs",
    "UPDATE audit_log SET actor = 'mallory'",
    "DELETE FROM audit_log",
    "DELETE FROM alembic_version",
])
def test_the_application_role_cannot_change_the_schema_or_rewrite_the_log(service, statement):
    with pytest.raises(ProgrammingError) as info, service.engine.begin() as conn:
        conn.exec_driver_sql(statement)
    assert type(info.value.orig).__name__ == "InsufficientPrivilege", info.value


def test_the_owner_is_no_superuser_and_the_app_role_owns_nothing(site):
    engine = create_engine(site.owner_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar() is False
            owned = conn.execute(text("SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
                                      "WHERE r.rolname = :app"), {"app": site.app}).scalar()
            assert owned == 0
    finally:
        engine.dispose()
