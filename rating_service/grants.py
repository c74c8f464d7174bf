"""PostgreSQL privileges of the role the service runs as: what it needs on every table, and on the audit log only
SELECT and INSERT, so that a compromised service (or anyone holding its password) cannot rewrite or empty the log.

The tables belong to another role (the one that runs `rating db upgrade`); the grants are re-applied after every
upgrade (idempotent). See docs/audit.md.
"""

from __future__ import annotations

from sqlalchemy import Connection, text
from sqlalchemy.dialects import postgresql

from rating_service.errors import RatingServiceError
from rating_service.models import Base

# Everything the service does to a table it may do to any table, except where listed here.
DEFAULT_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE")
TABLE_PRIVILEGES: dict[str, tuple[str, ...]] = {
    "audit_log": ("SELECT", "INSERT"),  # append-only: no UPDATE, DELETE or TRUNCATE
    "audit_head": ("SELECT", "INSERT", "UPDATE"),  # moved forward by appends (UPDATE also allows FOR UPDATE)
    "alembic_version": ("SELECT",),  # the service checks the schema revision; only upgrades change it
}
# The job queue's tables (procrastinate's schema, applied by a migration; tests/deploy/test_roles.py checks this list
# against the installed procrastinate's schema.sql): web processes queue jobs, workers take, finish and retry them.
# A database migrated before the queue's revision has none of them; they are granted once they exist.
QUEUE_TABLES = ("procrastinate_workers", "procrastinate_jobs", "procrastinate_periodic_defers",
                "procrastinate_events")


def privileges(*, queue_tables: tuple[str, ...] = QUEUE_TABLES) -> dict[str, tuple[str, ...]]:
    """Table → the privileges the application role gets on it."""
    tables = [t.name for t in Base.metadata.sorted_tables] + ["alembic_version", *queue_tables]
    return {name: TABLE_PRIVILEGES.get(name, DEFAULT_PRIVILEGES) for name in tables}


def grant_statements(*, role: str, schema: str = "public", queue_tables: tuple[str, ...] = QUEUE_TABLES) -> list[str]:
    """The SQL giving `role` exactly `privileges()` in `schema`, anything else revoked first; EXECUTE on the
    schema's functions (the queue's are plpgsql functions, run with the caller's rights)."""
    quote = postgresql.dialect().identifier_preparer.quote
    role, schema = quote(role), quote(schema)
    statements = [f"GRANT USAGE ON SCHEMA {schema} TO {role}"]
    for table, allowed in privileges(queue_tables=queue_tables).items():
        statements.append(f"REVOKE ALL ON TABLE {schema}.{table} FROM {role}")
        statements.append(f"GRANT {', '.join(allowed)} ON TABLE {schema}.{table} TO {role}")
    statements.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}")
    statements.append(f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA {schema} TO {role}")
    return statements


def quote_identifier(connection: Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote(name)


def grant_app_role(connection: Connection, *, role: str) -> list[str]:
    """Give `role` (an existing role that is not a superuser and owns nothing here) exactly its privileges, then
    check that it cannot change the audit log by any other path (PUBLIC, a group). Returns the statements run."""
    if connection.dialect.name != "postgresql":
        raise RatingServiceError("db_grant_not_postgresql")
    found = connection.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = :role"), {"role": role}).first()
    if found is None:
        raise RatingServiceError("db_grant_role_missing", role=role)
    if found.rolsuper:
        raise RatingServiceError("db_grant_role_superuser", role=role)
    # An owner (or a member of the owner's role) may grant itself anything back: the grants would be theatre.
    owned = connection.execute(text(
        "SELECT tablename, tableowner FROM pg_tables WHERE schemaname = current_schema() "
        "AND pg_has_role(:role, tableowner, 'MEMBER') ORDER BY tablename"), {"role": role}).first()
    if owned is not None:
        raise RatingServiceError("db_grant_role_owns", role=role, table=owned.tablename, owner=owned.tableowner)
    schema = connection.execute(text("SELECT current_schema()")).scalar_one()
    present = set(connection.execute(text(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")).scalars())
    statements = grant_statements(role=role, schema=schema,
                                  queue_tables=tuple(t for t in QUEUE_TABLES if t in present))
    # An import stages its rows in a temporary table (records.repository.stage_copy): the role needs TEMPORARY on
    # the database (roles.sql grants it; a database made by an older roles.sql gets it here when we own it).
    database = connection.execute(text("SELECT current_database()")).scalar_one()
    lacks_temp = connection.execute(text(
        "SELECT NOT has_database_privilege(:role, current_database(), 'TEMPORARY') AND pg_has_role(current_user, "
        "(SELECT datdba FROM pg_database WHERE datname = current_database()), 'USAGE')"), {"role": role}).scalar_one()
    if lacks_temp:
        statements.append(f"GRANT TEMPORARY ON DATABASE {quote_identifier(connection, database)} TO "
                          f"{quote_identifier(connection, role)}")
    for statement in statements:
        connection.exec_driver_sql(statement)
    kept = connection.execute(text(
        "SELECT p FROM unnest(ARRAY['UPDATE', 'DELETE', 'TRUNCATE']) AS p "
        "WHERE has_table_privilege(:role, CAST(:table AS regclass), p)"),
        {"role": role, "table": f"{connection.dialect.identifier_preparer.quote(schema)}.audit_log"}).scalars().all()
    if kept:
        raise RatingServiceError("db_grant_still_allowed", role=role, privileges=", ".join(kept))
    return statements
