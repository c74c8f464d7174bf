"""Settings, the SQLite connection rules and the Alembic schema."""

from __future__ import annotations

import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from pydantic import ValidationError
from sqlalchemy import inspect

from rating_service import migrate
from rating_service.db import Base, Database
from rating_service.settings import PROJECT_ROOT, Settings


def test_default_database_is_sqlite_under_var(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("RATING_DATABASE_URL", raising=False)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.database_url == f"sqlite:///{PROJECT_ROOT / 'var' / 'rating.db'}"


def test_database_url_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@h:5432/x")
    assert Settings(_env_file=None).database_url == "postgresql+psycopg://u@h:5432/x"  # type: ignore[call-arg]


def test_default_secret_is_refused_in_production():
    with pytest.raises(ValidationError):
        Settings(environment="production", _env_file=None)  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match="32 bytes"):  # a short secret is refused too
        Settings(environment="production", secret_key="s3cret", _env_file=None)  # type: ignore[call-arg]
    long = "s3cret-" * 6
    assert Settings(environment="production", secret_key=long, _env_file=None).secret_key == long  # type: ignore[call-arg]


def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(sqlite_only):
    with sqlite_only.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -65_536


def test_sqlite_write_sessions_take_the_write_lock_at_begin(sqlite_only):
    path = sqlite_only.engine.url.database
    with sqlite_only.write_session() as session:
        session.connection()  # BEGIN IMMEDIATE has run; nothing written yet
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
    # Read sessions do not take it.
    with sqlite_only.read_session() as session:
        session.connection()
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        other.close()


def test_migrations_have_one_head():
    assert len(migrate.heads()) == 1


def test_migrated_schema_matches_the_models(database):
    with database.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": migrate.include_name}), Base.metadata)
    assert diff == []
    assert migrate.current(database) == migrate.heads()[0]
    assert set(Base.metadata.tables) <= set(inspect(database.engine).get_table_names())


def test_unmigrated_database_is_refused_with_a_clear_message(tmp_path):
    from rating_service.errors import RatingServiceError

    fresh = Database(Settings(database_url=f"sqlite:///{tmp_path / 'empty.db'}", _env_file=None))  # type: ignore[call-arg]
    with pytest.raises(RatingServiceError) as info:
        migrate.ensure_current(fresh)
    assert "rating db upgrade" in info.value.message("zh")
    migrate.upgrade(fresh)
    migrate.ensure_current(fresh)
    migrate.downgrade(fresh)
    assert migrate.current(fresh) is None


def test_migration_config_keeps_a_database_url_with_percent_escapes():
    from rating_service import migrate
    from rating_service.db import Database
    from rating_service.settings import Settings

    url = "postgresql+psycopg://rater:p%40ss%25word@127.0.0.1:5432/test"  # no connection is made
    database = Database(Settings(database_url=url, environment="test"))
    assert migrate.alembic_config(database).get_main_option("sqlalchemy.url") == url
    database.dispose()
