"""Engine and sessions. SQLite gets WAL, busy_timeout, foreign keys and BEGIN IMMEDIATE writes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, MetaData, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from rating_service.settings import Settings, get_settings

# A session that changed something the public sees sets this in ``session.info``; the disclosure caches of the
# process look again after the commit.
DISCLOSURE_CHANGED = "disclosure_changed"

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def sqlite_pragmas(settings: Settings) -> list[str]:
    """The PRAGMAs every SQLite connection gets (the import benchmark's baseline uses the same)."""
    return [
        "journal_mode=WAL",
        f"busy_timeout={int(settings.sqlite_busy_timeout_ms)}",
        "foreign_keys=ON",
        "synchronous=NORMAL",
        # A bigger page cache keeps index pages of large imports in memory (the default is 2 MiB).
        f"cache_size=-{int(settings.sqlite_cache_kib)}",
    ]


def _install_sqlite_pragmas(engine: Engine, pragmas: list[str]) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Hand transaction control to SQLAlchemy's "begin" event below (pysqlite would otherwise
        # start deferred transactions itself, which deadlock-upgrade under concurrent writers).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in pragmas:
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        readonly = conn.get_execution_options().get("readonly", False)
        conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")


def make_engine(settings: Settings | None = None) -> Engine:
    settings = settings or get_settings()
    url = settings.database_url
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        _install_sqlite_pragmas(engine, sqlite_pragmas(settings))
        return engine
    return create_engine(url, pool_pre_ping=True)


class Database:
    """An engine plus session factories for writes (BEGIN IMMEDIATE on SQLite) and reads."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()
        self.engine = make_engine(self.settings)
        self._write = sessionmaker(bind=self.engine, expire_on_commit=False)
        self._read = sessionmaker(bind=self.engine.execution_options(readonly=True), expire_on_commit=False)
        # SQLite read transactions already see one snapshot from their first read (WAL); PostgreSQL's
        # default READ COMMITTED gives each statement its own, so snapshot reads ask for REPEATABLE READ.
        self._snapshot = self._read if self.is_sqlite else sessionmaker(
            bind=self.engine.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True),
            expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def write_session(self) -> Iterator[Session]:
        """A session whose transaction commits when the block ends and rolls back on error."""
        with self._write() as session, session.begin():
            yield session

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        with self._read() as session, session.begin():
            yield session

    @contextmanager
    def snapshot_session(self) -> Iterator[Session]:
        """A read-only session whose statements all see the same committed state."""
        with self._snapshot() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


_database: Database | None = None


def get_database() -> Database:
    global _database
    if _database is None:
        _database = Database()
    return _database


def set_database(database: Database | None) -> None:
    """Replace the process-wide database (tests and the CLI's --database option use this)."""
    global _database
    _database = database
