"""Every query of the cycle workflow: the snapshot read, stored ratings, quality lists, jobs.

The snapshot read runs on the database side: the period's records as of a change-set watermark
(main rows written up to it, plus history rows it had not yet superseded). On PostgreSQL a second
connection (ADBC) imports the session's snapshot and fetches the rows as Arrow tables; SQLite is read in chunks.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Select, Table, and_, delete, func, or_, select, text, union_all
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from rating_service.cycles.models import Cycle, Job, Rating, UnattributedRecord
from rating_service.db import Base
from rating_service.records.models import HISTORY
from rating_service.records.repository import insert_rows
from scoring.engine import EVENT_DATE, RECORD_COLUMNS, RECORD_KINDS

# What the engine reads of each table (extra columns are not selected).
SNAPSHOT_COLUMNS: dict[str, list[str]] = {
    "companies": ["credit_code", "name"],
    "communities": ["community_id", "households"],
    "contracts": ["community_id", "credit_code", "start_date", "end_date"],
    **RECORD_COLUMNS,
}
DATE_COLUMNS = {"start_date", "end_date", "inspected_on", "rectify_by", "rectified_on", "received_on", "due_on",
                "resolved_on", "decided_on", "awarded_on", "occurred_on"}
BOOL_COLUMNS = {"substantiated", "refunded"}
NUMBER_COLUMNS = {"households", "amount_yuan"}
# Few distinct values over many rows: categoricals keep a nation's snapshot small.
CATEGORY_COLUMNS = {"credit_code", "community_id", "severity", "violation_type", "level", "kind"}
CHUNK_ROWS = 200_000
# PostgreSQL: the snapshot's tables are read in pieces of about this many rows on this many connections at once.
PIECE_ROWS = 2_000_000
READ_CONNECTIONS = 2


def visible_as_of(table: Table, watermark: int) -> Any:
    return or_(table.c.batch_id.is_(None), table.c.batch_id <= watermark)


def snapshot_query(kind: str, *, watermark: int, period_start: dt.date, period_end: dt.date,
                   columns: Sequence[str] | None = None, only: tuple[str, Sequence[str]] | None = None,
                   blocks: tuple[int, int | None] | None = None) -> Select[Any]:
    """The rows of ``kind`` as of change-set ``watermark`` that can matter to a rating of the period (``columns``:
    other columns than the engine's, e.g. every imported one; ``only``: (column, values), only those rows).

    ``blocks`` (PostgreSQL): (first, end) pages of the main table only (end None: to its end), and the history
    rows with the first pages; the pieces of a table in page order hold its rows in the order of one scan."""
    main = Base.metadata.tables[kind]
    history = HISTORY[kind]
    columns = list(columns or SNAPSHOT_COLUMNS[kind])
    parts = []
    for table, extra in ((main, []), (history, [history.c.superseded_by > watermark])):
        conditions = [visible_as_of(table, watermark), *extra]
        if blocks is not None:
            if table is history and blocks[0] > 0:
                continue
            if table is main:
                conditions.append(text(f"{main.name}.ctid >= '({blocks[0]},0)'::tid"))
                if blocks[1] is not None:
                    conditions.append(text(f"{main.name}.ctid < '({blocks[1]},0)'::tid"))
        if only is not None:
            conditions.append(table.c[only[0]].in_(list(only[1])))
        if kind == "contracts":
            conditions += [table.c.start_date <= period_end,
                           or_(table.c.end_date.is_(None), table.c.end_date >= period_start)]
        elif kind in EVENT_DATE:
            date = table.c[EVENT_DATE[kind]]
            conditions += [date >= period_start, date <= period_end]
        parts.append(select(*[table.c[c] for c in columns]).where(and_(*conditions)))
    return union_all(*parts) if len(parts) > 1 else parts[0]  # type: ignore[return-value]


def read_snapshot(session: Session, *, watermark: int, period_start: dt.date,
                  period_end: dt.date) -> dict[str, pd.DataFrame]:
    """One frame per table kind, with the engine's dtypes; the same frames on SQLite and PostgreSQL."""
    queries = {kind: ([snapshot_query(kind, watermark=watermark, period_start=period_start, period_end=period_end,
                                      blocks=blocks) for blocks in _pieces(session, kind)], SNAPSHOT_COLUMNS[kind])
               for kind in ("companies", "communities", "contracts", *RECORD_KINDS)}
    return _read_bulk(session, queries)


def _pieces(session: Session, kind: str) -> list[tuple[int, int | None] | None]:
    """Page ranges of the kind's main table of about ``PIECE_ROWS`` rows each (by the planner's statistics),
    read in parallel on PostgreSQL; one piece (None: the whole table) on SQLite or for a small table."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return [None]
    pages, rows = connection.execute(text(
        "SELECT pg_relation_size(oid) / current_setting('block_size')::int, reltuples FROM pg_class "
        "WHERE oid = CAST(:name AS regclass)"), {"name": kind}).one()
    count = min(int(max(rows, 0) // PIECE_ROWS) + 1, int(pages) or 1, 64)
    if count == 1:
        return [None]
    bounds = [int(pages) * i // count for i in range(count)]
    return [(start, end) for start, end in zip(bounds, [*bounds[1:], None], strict=True)]


def record_rows(session: Session, kind: str, *, columns: Sequence[str], watermark: int, period_start: dt.date,
                period_end: dt.date, only: tuple[str, Sequence[str]] | None = None) -> pd.DataFrame:
    """Whole rows (``columns``) of ``kind`` as the snapshot at ``watermark`` holds them; ``only`` (column, values):
    only those rows (asked in chunks of at most 5,000 values)."""
    def query(values: Sequence[str] | None) -> Select[Any]:
        return snapshot_query(kind, watermark=watermark, period_start=period_start, period_end=period_end,
                              columns=columns, only=None if values is None or only is None else (only[0], values))
    if only is None:
        return read_frame(session, query(None), list(columns))
    values = sorted(set(only[1]))
    chunks = [query(values[i:i + 5000]) for i in range(0, len(values), 5000)]
    return _read_rows(session, *(chunks or [query([])]), columns=list(columns))


def read_frame(session: Session, query: Select[Any], columns: list[str]) -> pd.DataFrame:
    """Any select's rows as a typed frame, read the way the snapshot is (Arrow on PostgreSQL, chunks on
    SQLite); ``columns`` name the select's columns in order."""
    return _read_bulk(session, {"frame": ([query], columns)})["frame"]


def _read_bulk(session: Session, queries: dict[str, tuple[list[Select[Any]], list[str]]]
               ) -> dict[str, pd.DataFrame]:
    """Each frame's rows (the union of its pieces, in order) with the engine's dtypes: through ADBC on PostgreSQL
    when the session's view can be shared (``_exported_view``), else row by row."""
    connection = session.connection()
    view = _exported_view(connection) if connection.dialect.name == "postgresql" else None
    if view is None:
        return {name: _read_rows(session, *pieces, columns=columns) for name, (pieces, columns) in queries.items()}
    return _read_arrow(connection, view, queries)


def _read_rows(session: Session, *queries: Select[Any], columns: list[str]) -> pd.DataFrame:
    """The queries' rows one after the other through SQLAlchemy, in chunks, with the engine's dtypes (the
    reference path)."""
    chunks = []
    for query in queries:
        result = session.connection().execute(query)
        while rows := result.fetchmany(CHUNK_ROWS):
            chunks.append(pd.DataFrame.from_records(rows, columns=columns))
    if not chunks:
        return _typed(pd.DataFrame({c: pd.Series(dtype=object) for c in columns}), columns)
    return _typed(chunks[0] if len(chunks) == 1 else pd.concat(chunks, ignore_index=True), columns)


# -- PostgreSQL: Arrow through ADBC, on a second connection that sees what the session sees ---------------------

# Session settings that change how values are rendered as text, copied to the reading connection.
_VIEW_SETTINGS = ("search_path", "TimeZone", "DateStyle", "IntervalStyle", "extra_float_digits")


def _exported_view(connection: Any) -> tuple[str, dict[str, str]] | None:
    """The session transaction's snapshot (``pg_export_snapshot``) and rendering settings, for a second
    connection to import; None when the transaction has written (its own uncommitted rows are in no
    exported snapshot), then the session reads itself."""
    row = connection.exec_driver_sql(
        "SELECT pg_current_xact_id_if_assigned() IS NOT NULL, "
        + ", ".join(f"current_setting('{name}')" for name in _VIEW_SETTINGS)).one()
    if row[0]:
        return None
    snapshot = connection.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one()
    return str(snapshot), dict(zip(_VIEW_SETTINGS, (str(v) for v in row[1:]), strict=True))


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _adbc_uri(connection: Any) -> str:
    url = connection.engine.url.set(drivername="postgresql")
    return str(url.render_as_string(hide_password=False))


def _read_arrow(connection: Any, view: tuple[str, dict[str, str]],
                queries: dict[str, tuple[list[Select[Any]], list[str]]]) -> dict[str, pd.DataFrame]:
    """Each piece as ``SELECT wire expressions FROM (piece)`` on one of ``READ_CONNECTIONS`` ADBC connections, each
    in a REPEATABLE READ transaction that imports the session's snapshot: exactly the rows the session sees.

    Pieces are fetched in parallel (the driver, Arrow's kernels and numpy release the GIL; the server scans on as
    many backends). Each thread types the piece it fetched at once (``_piece``), while the others fetch on; the
    thread that fetched a frame's last piece joins its pieces (``_joined``).
    """
    import adbc_driver_postgresql.dbapi as adbc

    snapshot, settings = view
    uri = _adbc_uri(connection)
    local = threading.local()
    opened: list[Any] = []
    lock = threading.Lock()
    fetched: dict[str, list[Any]] = {name: [None] * len(pieces) for name, (pieces, _columns) in queries.items()}
    waiting = {name: len(pieces) for name, (pieces, _columns) in queries.items()}
    out: dict[str, pd.DataFrame] = {}

    def cursor() -> Any:
        if not hasattr(local, "cursor"):
            reader = adbc.connect(uri, autocommit=True)
            with lock:
                opened.append(reader)
            local.cursor = reader.cursor()
            local.cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            local.cursor.execute(f"SET TRANSACTION SNAPSHOT {_literal(snapshot)}")
            for setting, value in settings.items():
                local.cursor.execute(f"SELECT set_config({_literal(setting)}, {_literal(value)}, true)")
                local.cursor.fetchall()
        return local.cursor

    def fetch(name: str, index: int, sql: str) -> None:
        reading = cursor()
        reading.execute(sql)
        piece = _piece(reading.fetch_arrow_table(), queries[name][1])
        with lock:
            fetched[name][index] = piece
            waiting[name] -= 1
            last = waiting[name] == 0
        if last:
            pieces, fetched[name] = fetched[name], []
            out[name] = _joined(pieces, queries[name][1])

    tasks = []
    # The frames of most pieces first: the joins of the first big frames overlap the later fetches, the last one
    # those of the small frames.
    for name, (pieces, columns) in sorted(queries.items(), key=lambda query: -len(query[1][0])):
        wire = ", ".join(f"{_wire_expression(column)} AS {column}" for column in columns)
        for index, piece in enumerate(pieces):
            sql = str(piece.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
            tasks.append((name, index, f"SELECT {wire} FROM ({sql}) AS snapshot"))
    try:
        with ThreadPoolExecutor(max_workers=min(READ_CONNECTIONS, len(tasks))) as pool:
            for future in [pool.submit(fetch, *task) for task in tasks]:
                future.result()
    finally:
        for reader in opened:
            reader.close()  # ends the read-only transaction
    return {name: out[name] for name in queries}


def _wire_expression(name: str) -> str:
    if name in NUMBER_COLUMNS:
        return f"CAST(snapshot.{name} AS double precision)"
    if name in DATE_COLUMNS or name in BOOL_COLUMNS:
        return f"snapshot.{name}"  # dates: the infinities become NULL on this side (``_dates``)
    return f"CAST(snapshot.{name} AS text)"  # PostgreSQL's own text of any other type


# The first day PostgreSQL's dates hold (4714-11-24 BC), in days after 1970-01-01; the driver gives the infinities
# as days far before it (the server's sentinels shifted to the Unix epoch): those read as NULL.
_FIRST_DAY = -2_440_588
_NAT = np.iinfo(np.int64).min  # NaT's own integer in a datetime64 array
# A frame of at least this many rows is typed a column per thread (the columns are independent).
_PARALLEL_ROWS = 1_000_000


def _from_arrow(table: Any, columns: list[str]) -> pd.DataFrame:
    """An Arrow table of the wire expressions as ``_typed`` would type the same values."""
    return _joined([_piece(table, columns)], columns)


def _piece(table: Any, columns: list[str]) -> Any:
    """A fetched piece as ``_joined`` takes it: its ids and codes dictionary-encoded at once, in the thread that
    fetched it (a fraction of their text's memory, and the other fetches go on meanwhile)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    for name in columns:
        if name in CATEGORY_COLUMNS:
            # One memo over all the batches: a value has the same position in every batch, and the last batch's
            # dictionary holds every value (Arrow gives each batch that same dictionary); one array of positions.
            encoded = pc.dictionary_encode(table.column(name))
            if encoded.num_chunks == 0:
                positions, dictionary = pa.array([], pa.int32()), pa.array([], pa.string())
            else:
                positions = pa.concat_arrays([chunk.indices for chunk in encoded.chunks])
                dictionary = encoded.chunks[-1].dictionary
            table = table.set_column(table.schema.get_field_index(name), name,
                                     pa.DictionaryArray.from_arrays(positions, dictionary))
    return table


def _joined(pieces: list[Any], columns: list[str]) -> pd.DataFrame:
    """The pieces (``_piece``) one after the other, typed as ``_typed`` would type the same values; each column
    straight into its own array, those of a large frame on two threads. Takes the pieces: the list is emptied, so
    that what a column held goes as soon as it is converted (the batches' own memory once all their columns are)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    rows = sum(piece.num_rows for piece in pieces)
    if rows == 0:
        return _typed(pd.DataFrame({c: pd.Series(dtype=object) for c in columns}), columns)  # as _read_rows
    chunks = {name: [chunk for piece in pieces for chunk in piece.column(name).chunks] for name in columns}
    pieces.clear()  # the fetched tables go: from here each column's chunks are held only by ``chunks``

    def column(name: str) -> Any:
        parts = chunks.pop(name)  # a dictionary-encoded column's own memory goes as soon as it is converted
        if name in DATE_COLUMNS:
            return _dates(parts, rows)
        if name in BOOL_COLUMNS:
            return pc.fill_null(pa.chunked_array(parts, type=pa.bool_()), False).to_numpy()  # NULL: false, as _typed
        if name in NUMBER_COLUMNS:
            return pa.chunked_array(parts).cast(pa.float64()).to_numpy()
        if name in CATEGORY_COLUMNS:
            return _categorical(parts, rows)
        # A copy in one piece: an array imported from the driver shares the ownership of its whole batch, so a
        # slice of it would keep every column of the batch alive with the frame (a nation: 900 MiB more).
        return pd.array(pa.chunked_array(parts, type=pa.string()).combine_chunks(),
                        dtype=pd.StringDtype(na_value=np.nan))

    if rows < _PARALLEL_ROWS:
        out = {name: column(name) for name in columns}
    else:
        with ThreadPoolExecutor(max_workers=2) as pool:
            out = dict(zip(columns, pool.map(column, columns), strict=True))
    return pd.DataFrame(out, index=pd.RangeIndex(rows), copy=False)


def _dates(parts: list[Any], rows: int) -> np.ndarray:
    """date32 chunks as one datetime64[s] array (NULL and the infinities: NaT), written in place."""
    out = np.empty(rows, dtype="datetime64[s]")
    seconds = out.view(np.int64)
    at = 0
    for part in parts:
        size = len(part)
        here, at = seconds[at:at + size], at + size
        if part.null_count == size:  # possibly no data buffer at all
            here[:] = _NAT
            continue
        days = np.frombuffer(part.buffers()[1], dtype=np.int32, count=size, offset=part.offset * 4)
        np.multiply(days, 86_400, out=here, dtype=np.int64)
        missing = days < _FIRST_DAY
        if part.null_count:
            missing |= part.is_null().to_numpy(zero_copy_only=False)
        here[missing] = _NAT
    return out


def _categorical(parts: list[Any], rows: int) -> pd.Categorical:
    """Dictionary-encoded chunks of text (each with its own dictionary) as one categorical whose categories are
    the sorted distinct values (what ``astype("category")`` gives: UTF-8 byte order is code point order); NULL
    is missing."""
    import pyarrow as pa
    import pyarrow.compute as pc

    dictionaries = [part.dictionary for part in parts]
    # The dictionaries' values in one pass: the distinct ones, and where each dictionary's values are among them.
    unified = pc.dictionary_encode(dictionaries[0] if len(parts) == 1 else pa.concat_arrays(dictionaries))
    order = pc.array_sort_indices(unified.dictionary).to_numpy()
    # Codes in the smallest signed type that holds them, as pandas keeps a categorical's codes (so no copy).
    codes = np.empty(rows, dtype=np.min_scalar_type(-len(order) - 1))
    rank = np.empty(len(order), dtype=codes.dtype)
    rank[order] = np.arange(len(order), dtype=codes.dtype)
    ranks = rank[unified.indices.to_numpy()]  # the rank of each dictionary's values, one dictionary after another
    at = seen = 0
    for part in parts:
        # A chunk's dictionary positions as ranks among all categories, and one more position for NULL: missing.
        size = len(part.dictionary)
        part_rank = np.append(ranks[seen:seen + size], -1).astype(codes.dtype, copy=False)
        seen += size
        positions = (part.indices if not part.null_count else part.indices.fill_null(size)).to_numpy()
        np.take(part_rank, positions, out=codes[at:at + len(part)], mode="clip")
        at += len(part)
    categories = unified.dictionary.take(pa.array(order))
    # Ranks of the dictionaries' own positions (and -1) are valid codes: pandas need not check every row's.
    return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(pd.Index(pd.array(
        categories, dtype=pd.StringDtype(na_value=np.nan)))), validate=False)


def _typed(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    out = {}
    for name in columns:
        values = frame[name]
        if name in DATE_COLUMNS:
            # SQLite gives date objects (and an empty PostgreSQL read, plain text).
            first = values.dropna().iloc[0] if values.notna().any() else None
            out[name] = pd.to_datetime(values, format="%Y-%m-%d" if isinstance(first, str) else None,
                                       errors="coerce").astype("datetime64[s]")
        elif name in BOOL_COLUMNS:
            if values.dtype == bool:
                out[name] = values
            else:
                text = values.astype(object).where(values.notna(), None).map(
                    lambda v: None if v is None else str(v).lower() in ("t", "true", "1"))
                out[name] = text.fillna(False).astype(bool)
        elif name in NUMBER_COLUMNS:
            out[name] = pd.to_numeric(values, errors="coerce").astype(float)
        elif name in CATEGORY_COLUMNS:
            out[name] = values.astype(object).where(values.notna(), None).astype("category")
        else:
            out[name] = values.astype(object).where(values.notna(), None).astype("str")
    return pd.DataFrame(out, index=pd.RangeIndex(len(frame)))


# -- cycles ---------------------------------------------------------------------------------------------

def list_cycles(session: Session, *, statuses: Sequence[str] | None = None) -> list[Cycle]:
    query = select(Cycle).order_by(Cycle.period_end.desc(), Cycle.id.desc())
    if statuses is not None:
        query = query.where(Cycle.status.in_(statuses))
    return list(session.scalars(query))


def cycle(session: Session, cycle_id: int, *, for_update: bool = False) -> Cycle | None:
    query = select(Cycle).where(Cycle.id == cycle_id)
    if for_update:
        query = query.with_for_update()
    return session.scalars(query).one_or_none()


def cycle_by_name(session: Session, name: str) -> Cycle | None:
    return session.scalars(select(Cycle).where(Cycle.name == name)).one_or_none()


def clear_results(session: Session, cycle_id: int) -> None:
    session.execute(delete(Rating).where(Rating.cycle_id == cycle_id))
    session.execute(delete(UnattributedRecord).where(UnattributedRecord.cycle_id == cycle_id))


def store_rows(session: Session, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    for start in range(0, len(rows), 50_000):
        insert_rows(session, Base.metadata.tables[table], columns, rows[start:start + 50_000])


RATING_SORTS = {
    "score": Rating.score, "grade": Rating.grade, "credit_code": Rating.credit_code, "name": Rating.name,
    "exposure": Rating.exposure,
}


def list_ratings(session: Session, *, cycle_id: int, credit_code: str | None = None, grade: str | None = None,
                 sort: str = "-score", limit: int | None = None, offset: int = 0) -> tuple[list[Rating], int]:
    query = select(Rating).where(Rating.cycle_id == cycle_id)
    if credit_code is not None:
        query = query.where(Rating.credit_code == credit_code)
    if grade is not None:
        query = query.where(Rating.grade == grade)
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    descending = sort.startswith("-")
    column = RATING_SORTS.get(sort.lstrip("-"), Rating.score)
    order = [column.desc() if descending else column.asc(), Rating.credit_code]
    query = query.order_by(*order).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query)), int(total)


def rating(session: Session, *, cycle_id: int, credit_code: str) -> Rating | None:
    return session.scalars(select(Rating).where(Rating.cycle_id == cycle_id,
                                                Rating.credit_code == credit_code)).one_or_none()


def rating_explanations(session: Session, cycle_id: int) -> Iterator[tuple[str, str]]:
    """(credit code, stored explanation JSON) of every rating of the cycle, streamed."""
    query = select(Rating.credit_code, Rating.explanation).where(Rating.cycle_id == cycle_id)
    for code, explanation in session.execute(query.execution_options(yield_per=2000)):
        yield str(code), str(explanation)


def grade_counts(session: Session, *, cycle_id: int) -> dict[str, int]:
    rows = session.execute(select(Rating.grade, func.count()).where(Rating.cycle_id == cycle_id)
                           .group_by(Rating.grade))
    return {str(grade): int(count) for grade, count in rows}


def quality_companies(session: Session, *, cycle_id: int, limit: int = 500) -> dict[str, list[Rating]]:
    """Companies rated with no exposure, and provisional ratings (each list capped for display)."""
    base = select(Rating).where(Rating.cycle_id == cycle_id).order_by(Rating.credit_code).limit(limit)
    return {
        "no_exposure": list(session.scalars(base.where(Rating.exposure <= 0))),
        "provisional": list(session.scalars(base.where(Rating.provisional.is_(True)))),
    }


def unattributed(session: Session, *, cycle_id: int, limit: int = 500) -> list[UnattributedRecord]:
    return list(session.scalars(select(UnattributedRecord).where(UnattributedRecord.cycle_id == cycle_id)
                                .order_by(UnattributedRecord.kind, UnattributedRecord.record_id).limit(limit)))


# -- jobs -----------------------------------------------------------------------------------------------

def running_job(session: Session, *, cycle_id: int) -> Job | None:
    """The cycle's compute still running, if any (rendering its documents does not hold the cycle)."""
    return session.scalars(select(Job).where(Job.cycle_id == cycle_id, Job.kind == "compute", Job.status == "running")
                           .order_by(Job.id.desc()).limit(1)).one_or_none()


def running_jobs(session: Session) -> list[Job]:
    return list(session.scalars(select(Job).where(Job.status == "running")))


def company_history(session: Session, *, credit_code: str, statuses: Sequence[str]) -> list[tuple[Cycle, Rating]]:
    """A company's ratings in the cycles of the given states, oldest period first."""
    query = (select(Cycle, Rating).join(Rating, Rating.cycle_id == Cycle.id)
             .where(Rating.credit_code == credit_code, Cycle.status.in_(list(statuses)))
             .order_by(Cycle.period_end, Cycle.id))
    return [(cycle, rating) for cycle, rating in session.execute(query)]
