"""Every query the import service needs (reference look-ups, existing rows, bulk writes), and browsing records."""

from __future__ import annotations

import datetime as dt
import queue
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import ARRAY, Table, Text, and_, any_, bindparam, func, literal, or_, select, tuple_
from sqlalchemy.orm import Session

from rating_service.companies.models import Community, Company, Contract
from rating_service.db import Base
from rating_service.records.models import (
    Commendation,
    Complaint,
    FeeViolation,
    ImportBatch,
    Inspection,
    MajorEvent,
)
from scoring.engine import EVENT_DATE

CHUNK = 5000
ARRAY_CHUNK = 100_000  # values per array parameter (PostgreSQL)
RECORD_MODELS = {
    "inspections": Inspection,
    "complaints": Complaint,
    "fee_violations": FeeViolation,
    "commendations": Commendation,
    "major_events": MajorEvent,
}


def table_for(kind_table: str) -> Table:
    return Base.metadata.tables[kind_table]


def _chunks(values: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


class DatabaseLookup:
    """ReferenceLookup backed by the database, seen from inside the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def known_companies(self, codes: Iterable[str]) -> set[str]:
        return self._known(Company.credit_code, sorted(set(codes)))

    def known_communities(self, community_ids: Iterable[str]) -> set[str]:
        return self._known(Community.community_id, sorted(set(community_ids)))

    def _known(self, column: Any, values: list[str]) -> set[str]:
        found: set[str] = set()
        if is_postgresql(self.session):  # one array parameter instead of one parameter per value
            for chunk in _chunks(values, ARRAY_CHUNK):
                found.update(self.session.scalars(
                    select(column).where(column == any_(bindparam("wanted", list(chunk), type_=ARRAY(Text))))))
            return found
        for chunk in _chunks(values):
            found.update(self.session.scalars(select(column).where(column.in_(chunk))))
        return found

    def contracts_of(self, community_ids: Iterable[str]) -> pd.DataFrame:
        rows: list[tuple[Any, ...]] = []
        for chunk in _chunks(sorted(set(community_ids))):
            rows.extend(self.session.execute(
                select(Contract.community_id, Contract.credit_code, Contract.start_date, Contract.end_date)
                .where(Contract.community_id.in_(chunk))
            ))
        frame = pd.DataFrame(rows, columns=["community_id", "credit_code", "start_date", "end_date"])
        for col in ("start_date", "end_date"):
            frame[col] = pd.to_datetime(frame[col]).astype("datetime64[s]")
        return frame


def table_is_empty(session: Session, table: Table) -> bool:
    return session.execute(select(func.count()).select_from(select(table).limit(1).subquery())).scalar_one() == 0


def fetch_existing(session: Session, table: Table, key: tuple[str, ...], content: list[str],
                   keys: pd.DataFrame) -> pd.DataFrame:
    """Existing rows (key + content columns) whose key is among ``keys``."""
    columns = [table.c[name] for name in (*key, *content)]
    names = [c.name for c in columns]
    rows: list[tuple[Any, ...]] = []
    if len(key) == 1:
        values = keys[key[0]].dropna().unique().tolist()
        for chunk in _chunks(values):
            rows.extend(session.execute(select(*columns).where(table.c[key[0]].in_(chunk))))
    else:
        records = [tuple(_to_python(v) for v in r) for r in keys[list(key)].itertuples(index=False, name=None)]
        for chunk in _chunks(records, 500):
            rows.extend(session.execute(
                select(*columns).where(tuple_(*[table.c[k] for k in key]).in_(chunk))
            ))
    return pd.DataFrame(rows, columns=names)


def _to_python(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        return value.date()
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return None
    return value


def insert_rows(session: Session, table: Table, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Bulk insert already-converted rows: executemany on SQLite, COPY on PostgreSQL."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        raw = connection.connection.driver_connection
        assert raw is not None
        with raw.cursor() as cursor, cursor.copy(
            f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(row)
        return
    placeholders = ", ".join("?" for _ in columns)
    connection.exec_driver_sql(f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({placeholders})", rows)


def update_rows(session: Session, table: Table, key: tuple[str, ...], columns: list[str],
                rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    stmt = table.update()
    for name in key:
        stmt = stmt.where(table.c[name] == bindparam(f"k_{name}"))
    stmt = stmt.values({name: bindparam(f"v_{name}") for name in columns})
    session.connection().execute(stmt, rows)


def archive_rows(session: Session, table: Table, key: tuple[str, ...], keys: list[tuple[Any, ...]], *,
                 superseded_by: int, deleted: bool = False) -> None:
    """Copy the current versions of the keyed rows into the table's history before they change."""
    from rating_service.records.models import HISTORY

    if not keys:
        return
    history = HISTORY[table.name]
    names = [c.name for c in table.columns]
    key_columns = [table.c[k] for k in key]
    for chunk in _chunks(keys, 500):
        condition = key_columns[0].in_([k[0] for k in chunk]) if len(key) == 1 else tuple_(*key_columns).in_(chunk)
        source = select(*[table.c[n] for n in names], literal(superseded_by), literal(deleted)).where(condition)
        session.execute(history.insert().from_select([*names, "superseded_by", "deleted"], source))


def delete_rows(session: Session, table: Table, key_column: str, values: list[str]) -> int:
    deleted = 0
    for chunk in _chunks(values):
        result: Any = session.execute(table.delete().where(table.c[key_column].in_(chunk)))
        deleted += result.rowcount or 0
    return deleted


def current_batch(session: Session) -> int:
    """The newest import batch (a change-set number: deletions make batches too); 0 when none."""
    from rating_service.records.models import ImportBatch

    return int(session.execute(select(func.coalesce(func.max(ImportBatch.id), 0))).scalar_one())


# -- browsing records and import batches (the API and the pages) ------------------------------------------------

@dataclass(frozen=True)
class RecordFilter:
    kind: str
    credit_code: str | None = None
    community_id: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    # A company caller: only records naming it, or naming no company in a community it managed that day.
    visible_to: str | None = None


def _records_query(f: RecordFilter, columns: list[Any]) -> Any:
    model: Any = RECORD_MODELS[f.kind]
    date = getattr(model, EVENT_DATE[f.kind])
    stmt = select(*columns)
    if f.credit_code:
        stmt = stmt.where(model.credit_code == f.credit_code)
    if f.community_id and hasattr(model, "community_id"):
        stmt = stmt.where(model.community_id == f.community_id)
    if f.date_from:
        stmt = stmt.where(date >= f.date_from)
    if f.date_to:
        stmt = stmt.where(date <= f.date_to)
    if f.visible_to:
        conditions = [model.credit_code == f.visible_to]
        if hasattr(model, "community_id"):
            covered = select(Contract.id).where(
                Contract.community_id == model.community_id, Contract.credit_code == f.visible_to,
                Contract.start_date <= date, or_(Contract.end_date.is_(None), Contract.end_date >= date),
            ).exists()
            conditions.append(and_(model.credit_code.is_(None), covered))
        stmt = stmt.where(or_(*conditions))
    return stmt


def list_records(session: Session, *, filters: RecordFilter, limit: int,
                 offset: int) -> tuple[list[dict[str, Any]], int]:
    model: Any = RECORD_MODELS[filters.kind]
    table = model.__table__
    columns = [c for c in table.columns if c.name != "batch_id"]
    total = session.execute(_records_query(filters, [func.count()]).select_from(table)).scalar_one()
    date = getattr(model, EVENT_DATE[filters.kind])
    rows = session.execute(_records_query(filters, columns).order_by(date.desc(), model.record_id)
                           .limit(limit).offset(offset)).mappings().all()
    return [dict(r) for r in rows], int(total)


def list_batches(session: Session, *, limit: int = 50, offset: int = 0) -> list[ImportBatch]:
    return list(session.scalars(select(ImportBatch).order_by(ImportBatch.id.desc()).limit(limit).offset(offset)))


# -- PostgreSQL: COPY into a staging table, then set-based merge -------------------------------------------------

STAGE = "_import_stage"


def is_postgresql(session: Session) -> bool:
    return session.connection().dialect.name == "postgresql"


def stage_copy(session: Session, table: Table, columns: list[str], blocks: Iterable[memoryview]) -> None:
    """A temporary table with ``columns`` of ``table`` (their types, no constraints) and ``_pos``, the row's
    position in the file, filled by ``COPY … FROM STDIN`` from ``blocks`` of CSV text (``copy_blocks``)."""
    connection = session.connection()
    names = ", ".join(columns)
    connection.exec_driver_sql(f"DROP TABLE IF EXISTS {STAGE}")
    connection.exec_driver_sql(
        f"CREATE TEMPORARY TABLE {STAGE} ON COMMIT DROP AS SELECT {names} FROM {table.name} WITH NO DATA")
    connection.exec_driver_sql(f"ALTER TABLE {STAGE} ADD COLUMN _pos bigint")
    copy_blocks(session, STAGE, [*columns, "_pos"], blocks)


def copy_blocks(session: Session, table_name: str, columns: list[str], blocks: Iterable[memoryview]) -> None:
    """``COPY table (columns) FROM STDIN`` fed with ready-made blocks of lines (``copy_stream``)."""
    with copy_stream(session, table_name, columns) as write:
        for block in blocks:
            write(block)


# Blocks made but not yet sent (each a slice of at most 50,000 rows): enough for the sending to keep up, few enough
# that memory holds at most this many slices more than a sender that waits for each one.
COPY_QUEUE = 2


@contextmanager
def copy_stream(session: Session, table_name: str, columns: list[str]) -> Iterator[Callable[[memoryview], None]]:
    """``COPY table (columns) FROM STDIN`` in CSV format (an unquoted empty field is NULL, a quoted one text), open
    for the block: the caller writes blocks of whole lines as it makes them. A thread sends them, so the caller
    makes the next block (or reads on in its file) while the server stores the last one; the caller must not use the
    session's connection until the block ends. A failure to send is raised at the next write or at the end."""
    raw = session.connection().connection.driver_connection
    assert raw is not None
    with raw.cursor() as cursor, cursor.copy(
            f"COPY {table_name} ({', '.join(columns)}) FROM STDIN (FORMAT csv)") as copy, \
            _sent_by_a_thread(copy.write) as write:
        yield write


def streams_while_read(session: Session) -> bool:
    """Whether a first load can write this database's table while the file is still read: PostgreSQL by
    ``copy_stream``; SQLite by ``json_insert_stream``, which needs ``json_each`` and ``json_extract`` built in (3.38
    and later)."""
    dialect = session.connection().dialect.name
    return dialect == "postgresql" or (dialect == "sqlite" and sqlite3.sqlite_version_info >= (3, 38))


@contextmanager
def json_insert_stream(session: Session, table_name: str, columns: list[str], *, batch_id: int
                       ) -> Iterator[Callable[[bytes], None]]:
    """SQLite's ``copy_stream``: the caller writes blocks, each a JSON array of rows in UTF-8 (one array of
    ``columns``' values per row), and a thread inserts each block in one statement over ``json_each``, every row
    of batch ``batch_id`` (a parameter: one value fewer to take out of each row's JSON). The statement
    runs without Python's interpreter lock, so the caller goes on reading its file meanwhile (``executemany`` binds
    each row holding the lock, and handing it over per row left the two threads taking turns). A JSON ``true`` or
    ``false`` is stored as 1 or 0, as a Python bool is bound; text, whole numbers, numbers with a fraction and null
    as they are. The caller must not use the session's connection until the block ends."""
    raw = session.connection().connection.driver_connection
    assert raw is not None
    values = ", ".join(f"json_extract(value, '$[{position}]')" for position in range(len(columns)))
    statement = (f"INSERT INTO {table_name} ({', '.join(columns)}, batch_id) "
                 f"SELECT {values}, :batch_id FROM json_each(CAST(:block AS TEXT))")
    with _sent_by_a_thread(
            lambda block: raw.execute(statement, {"block": block, "batch_id": batch_id}).close()) as write:
        yield write


@contextmanager
def _sent_by_a_thread(send_one: Callable[[Any], Any]) -> Iterator[Callable[[Any], None]]:
    """A writer whose blocks ``send_one`` handles in a thread, at most COPY_QUEUE of them waiting; a failure stops
    the sending and is raised at the next write or at the end."""
    pending: queue.Queue[Any] = queue.Queue(maxsize=COPY_QUEUE)
    failed: list[BaseException] = []

    def send() -> None:
        while (block := pending.get()) is not None:
            if not failed:
                try:
                    send_one(block)
                except BaseException as exc:  # handed to the caller's thread
                    failed.append(exc)

    sender = threading.Thread(target=send, name="block-sender", daemon=True)
    sender.start()

    def write(block: Any) -> None:
        if failed:
            raise failed[0]
        pending.put(block)

    try:
        yield write
    finally:
        pending.put(None)
        sender.join()
    if failed:
        raise failed[0]


def copy_into_empty(session: Session, table: Table, columns: list[str], blocks: Iterable[memoryview], *,
                    rows: int) -> None:
    """``rows`` new rows straight into ``table``, which holds none (PostgreSQL): nothing stored can match them, so
    the staging table and its merge have nothing to do. A bulk load sets the foreign keys and secondary indexes
    aside and puts them back after, as ``merge_staged`` does."""
    with new_rows_written(session, table, new_rows=rows, empty=True):
        copy_blocks(session, table.name, columns, blocks)


@dataclass
class MergeResult:
    inserted: int
    updated: int
    unchanged: int
    # (before, after) of every changed row, in file order: column -> value as the driver returns it
    changes: list[tuple[dict[str, Any], dict[str, Any]]]


def merge_staged(session: Session, table: Table, key: Sequence[str], content: Sequence[str], *,
                 batch_id: int, empty: bool, staged: int) -> MergeResult:
    """Merge the staging table into ``table`` in four statements: archive the stored versions of changed rows into
    the history, update them, drop every matched row from the staging table, insert what is left (new rows).
    ``empty``: the table holds no rows (nothing can match); ``staged``: the staging table's rows. A bulk load sets
    the table's foreign keys and secondary indexes aside while inserting (``set_aside_checks``). Drops the
    staging table."""
    from rating_service.records.models import HISTORY

    connection = session.connection()
    columns = [*key, *content]
    changes: list[tuple[dict[str, Any], dict[str, Any]]] = []
    matched = updated = 0
    if not empty:
        connection.exec_driver_sql(f"ANALYZE {STAGE}")
        on = " AND ".join(f"t.{k} = s.{k}" for k in key)
        differs = " OR ".join(f"t.{c} IS DISTINCT FROM s.{c}" for c in content) or "false"
        picked = ", ".join([*(f"t.{c}" for c in columns), *(f"s.{c}" for c in columns)])
        result = connection.exec_driver_sql(
            f"SELECT {picked} FROM {STAGE} s JOIN {table.name} t ON {on} WHERE {differs} ORDER BY s._pos")
        width = len(columns)
        for row in result:
            changes.append((dict(zip(columns, row[:width], strict=True)),
                            dict(zip(columns, row[width:], strict=True))))
        if changes:
            history = HISTORY[table.name]
            names = [c.name for c in table.columns]
            connection.exec_driver_sql(
                f"INSERT INTO {history.name} ({', '.join(names)}, superseded_by, deleted) "
                f"SELECT {', '.join(f't.{n}' for n in names)}, %(batch)s, false "
                f"FROM {table.name} t JOIN {STAGE} s ON {on} WHERE {differs}", {"batch": batch_id})
            assignments = ", ".join(f"{c} = s.{c}" for c in content)
            update: Any = connection.exec_driver_sql(
                f"UPDATE {table.name} t SET {assignments}, batch_id = %(batch)s FROM {STAGE} s "
                f"WHERE {on} AND ({differs})", {"batch": batch_id})
            updated = update.rowcount
        gone: Any = connection.exec_driver_sql(f"DELETE FROM {STAGE} s USING {table.name} t WHERE {on}")
        matched = gone.rowcount
    listed = ", ".join(columns)
    with new_rows_written(session, table, new_rows=staged - matched, empty=empty):
        # A temporary table is never scanned in parallel: rows go in in file order.
        inserted: Any = connection.exec_driver_sql(
            f"INSERT INTO {table.name} ({listed}, batch_id) SELECT {listed}, %(batch)s FROM {STAGE}",
            {"batch": batch_id})
    connection.exec_driver_sql(f"DROP TABLE {STAGE}")
    return MergeResult(inserted=inserted.rowcount, updated=updated, unchanged=matched - updated, changes=changes)


# New rows from which a load into a table at most as big as them rebuilds its indexes and foreign keys once.
BULK_MIN_ROWS = 10_000


def bulk_load(session: Session, table: Table, *, new_rows: int, empty: bool) -> bool:
    """Whether inserting ``new_rows`` is a bulk load: at least BULK_MIN_ROWS, and at least as many as the table
    holds (PostgreSQL: the planner's estimate), so that checking the whole table once costs less than row by row."""
    if new_rows < BULK_MIN_ROWS:
        return False
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # Setting indexes and foreign keys aside takes the table's owner: the application role of a deployment
        # (deploy/postgres/roles.sql) owns nothing, so its imports check row by row.
        owner = connection.exec_driver_sql(
            "SELECT pg_has_role(current_user, relowner, 'USAGE') FROM pg_class WHERE oid = %(t)s::regclass",
            {"t": table.name}).scalar_one()
        if not owner:
            return False
        if empty:
            return True
        estimate = connection.exec_driver_sql(
            "SELECT reltuples FROM pg_class WHERE oid = %(t)s::regclass", {"t": table.name}).scalar_one()
    elif empty:
        return True
    else:
        estimate = session.execute(select(func.count()).select_from(table)).scalar_one()
    return new_rows >= float(estimate)


def set_aside_checks(session: Session, table: Table) -> list[str]:
    """Drop ``table``'s non-unique indexes and, on PostgreSQL, its foreign keys (its primary key and unique
    constraints stay); returns the statements that put them back. Row by row, a PostgreSQL foreign key costs a query
    per row and an index a random insertion: on a bulk load, building each index once and validating each key in
    one join is several times faster. All of it is in the import's transaction (a failure restores them with
    everything else). On PostgreSQL it holds the table's ACCESS EXCLUSIVE lock until the commit: readers of that
    table wait for the import. SQLite checks its foreign keys row by row (an index look-up) and keeps them."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        indexes = connection.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL "
            "AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name", (table.name,)).all()
        for name, _ in indexes:
            connection.exec_driver_sql(f'DROP INDEX "{name}"')
        return [definition for _, definition in indexes]
    params = {"t": table.name}
    keys = connection.exec_driver_sql(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %(t)s::regclass AND contype = 'f' ORDER BY conname", params).all()
    indexes = connection.exec_driver_sql(
        "SELECT c.relname, pg_get_indexdef(c.oid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE i.indrelid = %(t)s::regclass AND NOT i.indisunique AND NOT i.indisprimary ORDER BY c.relname",
        params).all()
    for name, _ in keys:
        connection.exec_driver_sql(f'ALTER TABLE {table.name} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    return [*(definition for _, definition in indexes),
            *(f'ALTER TABLE {table.name} ADD CONSTRAINT "{name}" {definition}' for name, definition in keys)]


# SQLite's page cache while a bulk load writes a table without its secondary indexes: rows go in in rowid order
# and each index is then built once by a sort, so a large cache holds pages nothing reads again. Measured on the
# 1 M-row complaint import: the same time with 16 MiB as with the 64 MiB default, 62 MiB less memory at its peak.
BULK_SQLITE_CACHE_KIB = 16_384


@contextmanager
def new_rows_written(session: Session, table: Table, *, new_rows: int, empty: bool) -> Iterator[None]:
    """Around the insertion of ``new_rows`` into ``table`` (``empty``: it holds none). A bulk load (``bulk_load``)
    sets the table's checks aside before and puts them back after (``set_aside_checks``; after a failure the
    rollback puts them back), and on SQLite writes with a small page cache (``bulk_page_cache``)."""
    if not bulk_load(session, table, new_rows=new_rows, empty=empty):
        yield
        return
    with bulk_page_cache(session):
        deferred = set_aside_checks(session, table)
        yield
        restore_checks(session, deferred)


@contextmanager
def bulk_page_cache(session: Session) -> Iterator[None]:
    """On SQLite, a bulk load's page cache for its duration (``BULK_SQLITE_CACHE_KIB`` at most); the connection's
    own size comes back afterwards, also after a failure (the setting belongs to the connection, which the pool
    keeps: a rollback would not restore it)."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    held = connection.exec_driver_sql("PRAGMA cache_size").scalar_one()
    # A negative size is in KiB; a positive one in pages (of 4 KiB by default): only ever made smaller here.
    held_kib = -held if held < 0 else held * 4
    if held_kib <= BULK_SQLITE_CACHE_KIB:
        yield
        return
    connection.exec_driver_sql(f"PRAGMA cache_size=-{BULK_SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={int(held)}")


def restore_checks(session: Session, statements: list[str]) -> None:
    for statement in statements:
        session.connection().exec_driver_sql(statement)
