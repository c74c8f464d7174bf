"""The snapshot reader on PostgreSQL (ADBC on a second connection that imports the session's snapshot) gives
exactly the frames of the reference path (SQLAlchemy rows, ``repository._read_rows``), and sees exactly what
the session sees."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Boolean, Column, Date, Integer, MetaData, Numeric, String, Table, insert, select, text
from sqlalchemy.orm import Session

from rating_service.cycles import repository
from rating_service.cycles import service as cycles
from rating_service.db import Database
from rating_service.records.formats import KINDS
from rating_service.records.service import import_files
from scoring.engine import Period
from tests import factories as f

PERIOD = Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
# One column of every kind the reader types: categorical ids and codes, dates, booleans, numbers, plain text.
PROBE = Table(
    "snapshot_reader_probe", MetaData(),
    Column("id", Integer, primary_key=True),
    Column("credit_code", String(40)), Column("severity", String(20)), Column("inspected_on", Date),
    Column("rectified_on", Date), Column("substantiated", Boolean), Column("households", Integer),
    Column("amount_yuan", Numeric(16, 2)), Column("record_id", String(60)), Column("name", String(200)),
)
COLUMNS = [c.name for c in PROBE.columns if c.name != "id"]
TEXTS = ["", "a", "ZY-C001", "物业", "江南物业有限公司", "quote\"d", "comma, inside", "line\nbreak", "tab\there",
         "back\\slash", "emoji 🏠", "Ä", "z", "ZZ", "é" * 30, "  spaces  "]


def _value(rng: random.Random, name: str) -> object:
    if rng.random() < 0.15:
        return None
    if name in ("inspected_on", "rectified_on"):
        return dt.date(1990, 1, 1) + dt.timedelta(days=rng.randrange(0, 20_000))
    if name == "substantiated":
        return rng.random() < 0.5
    if name == "households":
        return rng.randrange(1, 5000)
    if name == "amount_yuan":
        return Decimal(rng.randrange(0, 10**9)) / 100
    if name == "credit_code":  # hundreds of distinct codes (a categorical's codes wider than one byte)
        return rng.choice(TEXTS[:8]) + (str(rng.randrange(400)) if rng.random() < 0.7 else "")
    if name == "severity":
        return rng.choice(TEXTS[:8])
    return rng.choice(TEXTS) + (str(rng.randrange(10**6)) if rng.random() < 0.5 else "")


@pytest.fixture
def probe(postgresql_database: Database) -> Iterator[Database]:
    database = postgresql_database
    PROBE.drop(database.engine, checkfirst=True)
    PROBE.create(database.engine)
    try:
        yield database
    finally:
        PROBE.drop(database.engine, checkfirst=True)


def _fill(database: Database, seed: int, rows: int) -> None:
    rng = random.Random(seed)
    with database.engine.begin() as conn:
        conn.execute(insert(PROBE), [{name: _value(rng, name) for name in COLUMNS} for _ in range(rows)])


def _assert_same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    for name in want.columns:
        assert got[name].dtype == want[name].dtype, name
        if isinstance(want[name].dtype, pd.CategoricalDtype):
            assert list(got[name].cat.categories) == list(want[name].cat.categories), name
            assert got[name].cat.codes.dtype == want[name].cat.codes.dtype, name


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_arrow_reader_equals_the_row_reader_on_random_rows(probe: Database, seed: int,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    if seed == 3:  # the columns of a large frame are typed on two threads
        monkeypatch.setattr(repository, "_PARALLEL_ROWS", 1)
    _fill(probe, seed, rows=random.Random(seed).randrange(600, 1200))
    query = select(*[PROBE.c[name] for name in COLUMNS]).order_by(PROBE.c.id)
    with probe.snapshot_session() as session:
        fast = repository.read_frame(session, query, COLUMNS)
        reference = repository._read_rows(session, query, columns=COLUMNS)
        assert repository._exported_view(session.connection()) is not None  # the fast path did run
    assert len(reference["credit_code"].cat.categories) > 127  # codes of two bytes
    _assert_same(fast, reference)


def test_an_empty_read_has_the_reference_dtypes(probe: Database) -> None:
    query = select(*[PROBE.c[name] for name in COLUMNS])
    with probe.snapshot_session() as session:
        _assert_same(repository.read_frame(session, query, COLUMNS),
                     repository._read_rows(session, query, columns=COLUMNS))


@pytest.mark.parametrize("seed", [4, 5])
def test_pieces_of_many_batches_join_as_the_row_reader_types_their_values(seed: int) -> None:
    """The typing of fetched pieces, without a server: pieces of several batches each (the driver's), some
    sliced, some with every value of a column NULL, joined on one thread and on two, equal ``_typed`` of the
    same values as Python objects (what the row reader gets)."""
    import pyarrow as pa

    rng = random.Random(seed)
    types = {"credit_code": pa.string(), "severity": pa.string(), "inspected_on": pa.date32(),
             "rectified_on": pa.date32(), "substantiated": pa.bool_(), "households": pa.float64(),
             "amount_yuan": pa.float64(), "record_id": pa.string(), "name": pa.string()}
    rows: list[dict[str, object]] = []
    pieces = []
    for _ in range(rng.randrange(2, 5)):
        batches = []
        for _ in range(rng.randrange(1, 5)):
            batch = [{name: _value(rng, name) for name in COLUMNS} for _ in range(rng.randrange(0, 300))]
            if rng.random() < 0.3:
                for row in batch:
                    row["rectified_on"] = None
            batches.append(pa.record_batch({name: pa.array(
                [None if row[name] is None else float(row[name]) if types[name] == pa.float64() else row[name]  # type: ignore[arg-type]
                 for row in batch], type=types[name]) for name in COLUMNS}))
            rows += batch
        table = pa.Table.from_batches(batches, schema=batches[0].schema)
        cut = rng.randrange(0, 3)
        rows = rows[:len(rows) - table.num_rows] + rows[len(rows) - table.num_rows + cut:]
        pieces.append(repository._piece(table.slice(cut), COLUMNS))
    want = repository._typed(pd.DataFrame(rows, columns=COLUMNS), COLUMNS)
    for parallel_rows in (10**9, 1):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(repository, "_PARALLEL_ROWS", parallel_rows)
            _assert_same(repository._joined(list(pieces), COLUMNS), want)


def test_infinite_dates_read_as_missing_and_the_extreme_dates_as_themselves(probe: Database) -> None:
    """The server sends dates as they are; its infinities (which no import writes) are NULL on the client side,
    and no finite date is taken for one."""
    with probe.engine.begin() as conn:
        conn.execute(text("INSERT INTO snapshot_reader_probe (id, inspected_on, rectified_on) VALUES "
                          "(1, 'infinity', '4714-11-24 BC'), (2, '-infinity', '5874897-12-31'), "
                          "(3, NULL, '2025-06-30'), (4, '1970-01-01', '1969-12-31')"))
    query = select(PROBE.c.inspected_on, PROBE.c.rectified_on).order_by(PROBE.c.id)
    with probe.snapshot_session() as session:
        frame = repository.read_frame(session, query, ["inspected_on", "rectified_on"])
    assert frame["inspected_on"].dtype == frame["rectified_on"].dtype == "datetime64[s]"
    assert frame["inspected_on"].isna().tolist() == [True, True, True, False]
    assert frame["inspected_on"].iloc[3] == pd.Timestamp("1970-01-01")
    assert (frame["rectified_on"].to_numpy() == np.array(
        ["-4713-11-24", "5874897-12-31", "2025-06-30", "1969-12-31"], dtype="datetime64[s]")).all()


def _complaints(count: int, seed: int) -> list[list[object]]:
    rng = random.Random(seed)
    return [[f"GD-{i:06d}", f"2025-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}", "12345",
             rng.choice(["ZY-C001", "ZY-C002", "ZY-C003"]), rng.choice([None, f.CODE_A]), "环境卫生",
             rng.choice(["是", "否"]), rng.choice([None, "2025-12-30"]), None, None] for i in range(count)]


@pytest.mark.parametrize("piece_rows", [None, 300])
def test_the_snapshot_read_equals_the_reference_on_records(postgresql_database: Database, piece_rows: int | None,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Read whole or in pieces of pages (the history rows with the first), at the current watermark and at an
    earlier one that still sees superseded versions. Rows come in the order of the plan the server picks, for
    either reader (the engine does not depend on it): pieces are compared as sets of rows."""
    from tests.conftest import _reset

    database = postgresql_database
    _reset(database)
    f.load(database, *f.REFERENCE, "inspections", "fee_violations", "commendations", "major_events")
    with database.write_session() as session:
        import_files(session, kind=KINDS["complaints"], actor="test", today=f.TODAY,
                     files=[f.upload("complaints", _complaints(3000, seed=1))])
    with database.read_session() as session:
        earlier = cycles.records_repo.current_batch(session)
    with database.write_session() as session:  # changes half of them: their old versions go to history
        import_files(session, kind=KINDS["complaints"], actor="test", today=f.TODAY,
                     files=[f.upload("complaints", _complaints(3000, seed=2)[:1500])])
    with database.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE complaints")
    if piece_rows is not None:
        monkeypatch.setattr(repository, "PIECE_ROWS", piece_rows)
    with database.snapshot_session() as session:
        assert len(repository._pieces(session, "complaints")) == (1 if piece_rows is None else 11)
        for watermark in (earlier, cycles.records_repo.current_batch(session)):
            frames = repository.read_snapshot(session, watermark=watermark, period_start=PERIOD.start,
                                              period_end=PERIOD.end)
            for kind, frame in frames.items():
                query = repository.snapshot_query(kind, watermark=watermark, period_start=PERIOD.start,
                                                  period_end=PERIOD.end)
                want = repository._read_rows(session, query, columns=repository.SNAPSHOT_COLUMNS[kind])
                if piece_rows is not None:
                    frame, want = (x.sort_values(list(x.columns)).reset_index(drop=True) for x in (frame, want))
                _assert_same(frame, want)
            assert len(frames["complaints"]) == 3000
            # Text is one array, copied out of the fetched pieces: a slice of a fetched batch keeps the whole
            # batch (all its columns) alive as long as the frame lives.
            assert frames["complaints"]["record_id"].array.__arrow_array__().num_chunks == 1


def test_a_row_committed_after_the_snapshot_is_not_seen(probe: Database) -> None:
    _fill(probe, 7, rows=20)
    query = select(*[PROBE.c[name] for name in COLUMNS])
    with probe.snapshot_session() as session:
        session.execute(text("SELECT count(*) FROM snapshot_reader_probe")).scalar_one()  # the snapshot is taken
        _fill(probe, 8, rows=5)  # committed by another connection
        seen = repository.read_frame(session, query, COLUMNS)
    assert len(seen) == 20
    with probe.snapshot_session() as session:
        assert len(repository.read_frame(session, query, COLUMNS)) == 25


def test_a_transaction_that_has_written_reads_its_own_rows(probe: Database) -> None:
    _fill(probe, 9, rows=10)
    query = select(*[PROBE.c[name] for name in COLUMNS])
    with Session(probe.engine) as session:  # closed without a commit: the write is rolled back
        session.execute(insert(PROBE).values(name="uncommitted"))
        assert repository._exported_view(session.connection()) is None  # no exported view holds its write
        frame = repository.read_frame(session, query, COLUMNS)
        assert len(frame) == 11 and "uncommitted" in set(frame["name"])
