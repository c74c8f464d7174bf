"""PostgreSQL: the service's role may read and append to the audit log, never change or empty it, and still does
everything else the service does (imports, accounts, a whole cycle, verify, anchors)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from sqlalchemy import make_url, text
from sqlalchemy.exc import ProgrammingError
from typer.testing import CliRunner

from rating_service import grants
from rating_service.audit import service as audit
from rating_service.cli import app
from rating_service.cycles import service as cycles
from rating_service.db import Database, set_database
from rating_service.errors import RatingServiceError
from rating_service.settings import Settings
from tests import factories as f
from tests.conftest import PG_URL, _reset

# Roles belong to the cluster: one per test database, so that suites on other databases never share it.
ROLE = "rating_app_test_" + re.sub(r"[^a-z0-9_]", "_", (make_url(PG_URL).database or "x").lower()) if PG_URL \
    else "rating_app_test"
runner = CliRunner()


def _drop_role(database: Database) -> None:
    with database.engine.begin() as conn:
        if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": ROLE}).first():
            conn.exec_driver_sql(f"DROP OWNED BY {ROLE}")
            conn.exec_driver_sql(f"DROP ROLE {ROLE}")


@pytest.fixture
def owner(postgresql_database: Database) -> Iterator[Database]:
    """The database as the tables' owner (the role that migrates), with an ordinary login role beside it."""
    _reset(postgresql_database)
    _drop_role(postgresql_database)
    with postgresql_database.engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE ROLE {ROLE} LOGIN")
    yield postgresql_database
    set_database(None)
    _drop_role(postgresql_database)


@pytest.fixture
def app_role(owner: Database) -> Iterator[Database]:
    """Grants applied; the database as the service sees it when it connects as the application role."""
    with owner.engine.begin() as conn:
        grants.grant_app_role(conn, role=ROLE)
    database = Database(Settings(database_url=make_url(PG_URL).set(username=ROLE, password=None)
                                 .render_as_string(hide_password=False), environment="test"))
    set_database(database)
    yield database
    database.dispose()


def test_printed_grants_give_the_audit_log_select_and_insert_only():
    printed = runner.invoke(app, ["db", "grant-app-role", "rating_app", "--print"])
    assert printed.exit_code == 0, printed.output
    lines = printed.output.splitlines()
    assert "GRANT SELECT, INSERT ON TABLE public.audit_log TO rating_app;" in lines
    assert "GRANT SELECT, INSERT, UPDATE ON TABLE public.audit_head TO rating_app;" in lines
    assert [line for line in lines if "audit_log" in line and line.startswith("GRANT")] == [
        "GRANT SELECT, INSERT ON TABLE public.audit_log TO rating_app;"]
    assert "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE public.users TO rating_app;" in lines
    assert not any("TRUNCATE" in line for line in lines)


def test_the_service_runs_a_whole_cycle_as_the_application_role_and_the_log_verifies(app_role):
    database = app_role
    with database.engine.connect() as conn:
        assert conn.execute(text("SELECT current_user")).scalar() == ROLE
    f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations")  # COPY, upserts, history
    f.make_user(database, "officer1", "officer")
    f.api_client(database, "officer1")  # a login: a token row and an audit entry
    with database.write_session() as session:
        cycle_id = cycles.create_cycle(session=session, actor="officer1", draft=cycles.CycleDraft(
            "2025年度", dt.date(2025, 1, 1), dt.date(2025, 12, 31))).id
    cycles.compute_cycle(database=database, cycle_id=cycle_id, actor="officer1")
    with database.write_session() as session:
        cycles.publicize_cycle(session=session, cycle_id=cycle_id, actor="officer1", notice_date=f.TODAY)
    with f.appeals_closed(database, cycle_id), database.write_session() as session:
        cycles.finalize_cycle(session=session, cycle_id=cycle_id, actor="officer1")
    with database.read_session() as session:
        result = audit.verify(session)
        assert result.ok and result.count >= 9 and result.anchors >= 9
        assert audit.anchor_now(session) is not None


@pytest.mark.parametrize("statement", [
    "UPDATE audit_log SET actor = 'mallory' WHERE seq = 1",
    "DELETE FROM audit_log WHERE seq = 1",
    "TRUNCATE audit_log",
    "DELETE FROM audit_head",
    "TRUNCATE audit_head",
    "UPDATE alembic_version SET version_num = '0001'",
    "ALTER TABLE audit_log DISABLE TRIGGER ALL",
])
def test_the_application_role_cannot_change_or_empty_the_audit_log(app_role, statement):
    f.make_user(app_role, "officer1", "officer")
    with pytest.raises(ProgrammingError) as info, app_role.engine.begin() as conn:
        conn.exec_driver_sql(statement)
    assert type(info.value.orig).__name__ in {"InsufficientPrivilege"}, info.value


def test_the_application_role_moves_the_head_forward(app_role):
    f.make_user(app_role, "officer1", "officer")
    with app_role.engine.connect() as conn:
        allowed = conn.execute(text(
            "SELECT has_table_privilege('audit_head', 'UPDATE'), has_table_privilege('audit_log', 'INSERT'), "
            "has_table_privilege('audit_log', 'UPDATE'), has_table_privilege('users', 'DELETE')")).one()
    assert tuple(allowed) == (True, True, False, True)


def test_grants_refuse_a_superuser_and_a_role_that_owns_the_tables(owner):
    with owner.engine.begin() as conn, pytest.raises(RatingServiceError) as info:
        grants.grant_app_role(conn, role="postgres")
    assert info.value.key == "db_grant_role_superuser"
    with owner.engine.begin() as conn:
        conn.exec_driver_sql(f"ALTER TABLE audit_log OWNER TO {ROLE}")
    try:
        with owner.engine.begin() as conn, pytest.raises(RatingServiceError) as info:
            grants.grant_app_role(conn, role=ROLE)
        assert info.value.key == "db_grant_role_owns" and "audit_log" in info.value.message("zh")
    finally:
        with owner.engine.begin() as conn:
            conn.exec_driver_sql("ALTER TABLE audit_log OWNER TO CURRENT_USER")


def test_grants_refuse_when_public_could_still_change_the_log(owner):
    with owner.engine.begin() as conn:
        conn.exec_driver_sql("GRANT DELETE ON audit_log TO PUBLIC")
    try:
        with owner.engine.begin() as conn, pytest.raises(RatingServiceError) as info:
            grants.grant_app_role(conn, role=ROLE)
        assert info.value.key == "db_grant_still_allowed" and "DELETE" in info.value.message("en")
    finally:
        with owner.engine.begin() as conn:
            conn.exec_driver_sql("REVOKE DELETE ON audit_log FROM PUBLIC")


def test_cli_grants_the_role(owner):
    set_database(owner)
    done = runner.invoke(app, ["db", "grant-app-role", ROLE])
    assert done.exit_code == 0, done.output
    assert f"已为角色 {ROLE} 授权" in done.output
    with owner.engine.connect() as conn:
        assert conn.execute(text("SELECT has_table_privilege(:r, 'audit_log', 'DELETE')"), {"r": ROLE}).scalar() \
            is False
    missing = runner.invoke(app, ["db", "grant-app-role", "no_such_role_here"])
    assert missing.exit_code == 2 and "CREATE ROLE" in missing.output
