"""PostgreSQL imports COPY into a staging table and merge in SQL, and a first load on either engine is written
while the file is read: the outcome must be the Python merge's (the reference path, which SQLite uses after the
reading) on random files: new, changed and unchanged rows, re-imports, the history and the audit entries."""

from __future__ import annotations

import datetime as dt
import functools
import json
import random
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import text

from rating_service.audit import service as audit
from rating_service.errors import ImportRejected
from rating_service.records import reader, repository, service
from rating_service.records.formats import KINDS
from rating_service.records.service import ImportSummary, import_files
from tests import factories as f
from tests.conftest import _reset

# What COPY's formats treat specially: text's escapes and null marker, CSV's separator, quote and end-of-data line.
CHANNELS = ["12345", "来电", "微信公众号", "back\\slash", "tab\tinside", "line\nbreak", "a \\N value", "say \"hi\"",
            "\\.", "逗号,分隔", "\"引号开头", "crlf\r\ninside"]
SATISFACTIONS = [None, "满意", "基本满意", "不满意"]
CATEGORIES = [None, "环境卫生", "噪音扰民", "停车管理"]


def _complaint(rng: random.Random, number: int, communities: list[str]) -> list[Any]:
    received = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(300))
    due = received + dt.timedelta(days=rng.randrange(30)) if rng.random() < 0.7 else None
    resolved = received + dt.timedelta(days=rng.randrange(40)) if rng.random() < 0.6 else None
    return [f"GD-{number:06d}", received.isoformat(), rng.choice(CHANNELS), rng.choice(communities),
            rng.choice([None, f.CODE_A, f.CODE_B]), rng.choice(CATEGORIES), rng.choice(["是", "否"]),
            None if due is None else due.isoformat(), None if resolved is None else resolved.isoformat(),
            rng.choice(SATISFACTIONS)]


def _community(rng: random.Random, number: int) -> list[Any]:
    area = rng.choice([None, rng.randrange(1000, 99999), round(rng.uniform(1000, 99999), 2)])
    return [f"ZY-R{number:03d}", f"小区{number}", rng.choice([None, "城关社区", "金山社区"]), rng.randrange(1, 3000),
            area]


def _changed(rng: random.Random, row: list[Any], fresh: list[Any], positions: list[int]) -> list[Any]:
    """``row`` with one to three of its cells at ``positions`` taken from ``fresh`` (a row of the same kind)."""
    out = list(row)
    for position in rng.sample(positions, rng.randint(1, 3)):
        out[position] = fresh[position]
    if out == row:
        out[-1] = fresh[-1] if fresh[-1] != row[-1] else None
    return out


def _files(seed: int) -> tuple[list[list[list[Any]]], list[list[list[Any]]]]:
    """Two import rounds (and a repeat of the second) of communities and of complaints."""
    rng = random.Random(seed)
    communities = [_community(rng, i) for i in range(12)]
    later = [_changed(rng, r, _community(rng, i), [1, 2, 3, 4]) if rng.random() < 0.4 else r
             for i, r in enumerate(communities)]
    later += [_community(rng, i) for i in range(12, 16)]
    ids = [r[0] for r in communities]
    complaints = [_complaint(rng, i, ids) for i in range(80)]
    kept = [r for r in complaints if rng.random() < 0.8]
    # Dates keep their order: the resolution date changes as a later one, from the same receipt date.
    again = []
    for r in kept:
        if rng.random() < 0.4:
            fresh = _complaint(rng, 0, ids)
            fresh[8] = (dt.date.fromisoformat(r[1]) + dt.timedelta(days=rng.randrange(40))).isoformat()
            r = _changed(rng, r, fresh, [2, 3, 4, 5, 6, 8, 9])
        again.append(r)
    again += [_complaint(rng, i, ids) for i in range(80, 110)]
    rng.shuffle(again)
    return [communities, later, later], [complaints, again, again]


def _run(database: Any, seed: int) -> tuple[list[ImportSummary], dict[str, Any]]:
    community_files, complaint_files = _files(seed)
    f.load(database, "companies")
    summaries = []
    for kind, rounds in (("communities", community_files), ("complaints", complaint_files)):
        for rows in rounds:
            with database.write_session() as session:
                (summary,) = import_files(session, kind=KINDS[kind], files=[f.upload(kind, rows)],
                                          actor="officer1", today=f.TODAY)
            summaries.append(summary)
    state: dict[str, Any] = {}
    with database.read_session() as session:
        for name, order in (("communities", "community_id"), ("complaints", "record_id"),
                            ("communities_history", "community_id, superseded_by"),
                            ("complaints_history", "record_id, superseded_by")):
            rows = session.execute(text(f"SELECT * FROM {name} ORDER BY {order}")).mappings().all()
            state[name] = [{k: v for k, v in r.items() if k != "history_id"} for r in rows]
        entries = session.execute(text(
            "SELECT seq, actor, action, entity_kind, entity_id, payload FROM audit_log ORDER BY seq")).all()
        state["audit"] = [(*e[:5], json.loads(e[5])) for e in entries]
        assert audit.verify(session).ok
    return summaries, state


@pytest.mark.parametrize(("seed", "bulk"), [(1, False), (2, False), (3, True), (4, True)])
def test_set_based_merge_matches_the_python_merge(database: Any, monkeypatch: pytest.MonkeyPatch, seed: int,
                                                  bulk: bool) -> None:
    """``bulk``: every insert sets the foreign keys and secondary indexes aside and puts them back after."""
    if database.is_sqlite:
        pytest.skip("the set-based merge is PostgreSQL's; SQLite runs the reference path")
    with monkeypatch.context() as patch:
        patch.setattr(repository, "bulk_load", lambda session, table, *, new_rows, empty: bulk)
        fast, fast_state = _run(database, seed)
    fast_schema = _schema(database)
    _reset(database)
    monkeypatch.setattr(repository, "is_postgresql", lambda session: False)
    reference, reference_state = _run(database, seed)
    counts = [(s.kind, s.inserted, s.updated, s.unchanged) for s in fast]
    assert counts == [(s.kind, s.inserted, s.updated, s.unchanged) for s in reference]
    assert [s.as_dict() for s in fast] == [s.as_dict() for s in reference]
    # Something of each case happened: updates in the second round, nothing at all in the repeat.
    assert fast[1].updated and fast[1].inserted and fast[1].unchanged and fast[4].updated and fast[4].inserted
    assert (fast[2].inserted, fast[2].updated) == (0, 0) and (fast[5].inserted, fast[5].updated) == (0, 0)
    assert fast_state == reference_state
    assert fast_schema == _schema(database)


def test_bulk_insert_on_sqlite_matches_row_by_row(database: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite sets its secondary indexes aside on a bulk load: same rows, history, audit and indexes after."""
    if not database.is_sqlite:
        pytest.skip("PostgreSQL's bulk load is compared with the reference path above")
    states = []
    for bulk in (True, False):
        _reset(database)
        with monkeypatch.context() as patch:
            patch.setattr(repository, "bulk_load", lambda session, table, *, new_rows, empty, bulk=bulk: bulk)
            summaries, state = _run(database, 5)
        states.append(([s.as_dict() for s in summaries], state, _schema(database)))
    assert states[0] == states[1]


def _schema(database: Any) -> list[tuple[Any, ...]]:
    """The records tables' indexes and constraints as the catalog defines them."""
    with database.read_session() as session:
        if database.is_sqlite:
            return [tuple(r) for r in session.execute(text(
                "SELECT type, name, tbl_name, sql FROM sqlite_master "
                "WHERE tbl_name IN ('communities', 'complaints') ORDER BY name, type"))]
        return [tuple(r) for r in session.execute(text(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), convalidated FROM pg_constraint "
            "WHERE conrelid IN ('communities'::regclass, 'complaints'::regclass) "
            "UNION ALL SELECT tablename, indexname, indexdef, true FROM pg_indexes "
            "WHERE tablename IN ('communities', 'complaints') ORDER BY 1, 2, 3"))]


def _cache_size(session: Any) -> int:
    return int(session.connection().exec_driver_sql("PRAGMA cache_size").scalar_one())


def test_a_bulk_load_on_sqlite_writes_with_a_small_page_cache_and_gives_the_connections_back(
        database: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page cache is small while a bulk load writes (its pages are not read again) and the connection's own
    size is back afterwards, after a failed load as well (the pool keeps the connection)."""
    if not database.is_sqlite:
        pytest.skip("SQLite's page cache")
    with database.read_session() as session:
        own = _cache_size(session)
    assert -own > repository.BULK_SQLITE_CACHE_KIB  # the connection's size (KiB) is above the bulk load's
    seen: list[int] = []
    insert_rows = repository.insert_rows

    def recording(session: Any, *args: Any, **kwargs: Any) -> None:
        seen.append(_cache_size(session))
        insert_rows(session, *args, **kwargs)

    f.load(database, "companies")
    monkeypatch.setattr(repository, "insert_rows", recording)
    for bulk, numbers in ((True, range(30)), (False, range(30, 60))):
        monkeypatch.setattr(repository, "bulk_load", lambda session, table, *, new_rows, empty, bulk=bulk: bulk)
        rows = [_community(random.Random(n), n) for n in numbers]
        with database.write_session() as session:
            (summary,) = import_files(session, kind=KINDS["communities"], files=[f.upload("communities", rows)],
                                      actor="officer1", today=f.TODAY)
            assert summary.inserted == 30
            assert _cache_size(session) == own
    assert seen == [-repository.BULK_SQLITE_CACHE_KIB, own]

    def failing(session: Any, *args: Any, **kwargs: Any) -> None:
        seen.append(_cache_size(session))
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(repository, "insert_rows", failing)
    monkeypatch.setattr(repository, "bulk_load", lambda session, table, *, new_rows, empty: True)
    more = [_community(random.Random(n), n) for n in range(60, 90)]
    with pytest.raises(RuntimeError), database.write_session() as session:
        import_files(session, kind=KINDS["communities"], files=[f.upload("communities", more)],
                     actor="officer1", today=f.TODAY)
    assert seen[-1] == -repository.BULK_SQLITE_CACHE_KIB
    with database.read_session() as session:
        assert _cache_size(session) == own


def _written_while_read(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Small files take the streamed first load (``_FirstLoad``): 5 lines suffice and files are read 7 rows at a
    time. Returns the batches ``_FirstLoad.finish`` handed on (None: the file was written after the reading)."""
    monkeypatch.setattr(repository, "BULK_MIN_ROWS", 5)
    monkeypatch.setattr(service, "read_table", functools.partial(reader.read_table, chunk_rows=7))
    handed: list[Any] = []
    finish = service._FirstLoad.finish

    def recording(self: Any, file: Any) -> Any:
        handed.append(finish(self, file))
        return handed[-1]

    monkeypatch.setattr(service._FirstLoad, "finish", recording)
    return handed


@pytest.mark.parametrize("seed", [6, 7])
def test_a_first_load_written_while_read_matches_the_python_merge(database: Any, monkeypatch: pytest.MonkeyPatch,
                                                                  seed: int) -> None:
    """A first load's slices are written as they are parsed (PostgreSQL: COPY; SQLite: an INSERT over a JSON array
    per slice): the rows, history, batches, audit entries and the checks put back are the reference path's (the
    Python merge after the reading)."""
    with monkeypatch.context() as patch:
        handed = _written_while_read(patch)
        fast, fast_state = _run(database, seed)
    # The companies (2 lines: too few), then three rounds of communities and of complaints: the first round of each
    # kind (an empty table) was written while read, the later rounds merge.
    assert [batch is not None for batch in handed] == [False, True, False, False, True, False, False]
    fast_schema = _schema(database)
    _reset(database)
    monkeypatch.setattr(repository, "is_postgresql", lambda session: False)
    monkeypatch.setattr(repository, "streams_while_read", lambda session: False)
    reference, reference_state = _run(database, seed)
    assert [s.as_dict() for s in fast] == [s.as_dict() for s in reference]
    assert fast_state == reference_state
    assert fast_schema == _schema(database)


def _complaint_rows(count: int) -> list[list[Any]]:
    rng = random.Random(count)
    return [_complaint(rng, i, ["ZY-C001", "ZY-C002", "ZY-C003"]) for i in range(count)]


@pytest.mark.parametrize(("problem", "row", "column"), [
    ("bad_date", 40, "received_on"),  # a cell in a late slice: the earlier slices were sent already
    ("repeated_key", 38, "record_id"),  # found by the file-wide check after the last slice; the COPY failed on it
    ("unknown_community", 30, "community_id"),  # found by the look-ups after the reading
])
def test_a_refused_first_load_leaves_nothing_behind(database: Any, monkeypatch: pytest.MonkeyPatch, problem: str,
                                                    row: int, column: str) -> None:
    handed = _written_while_read(monkeypatch)
    f.load(database, "companies")
    f.load(database, "communities")
    handed.clear()  # those two loads: too few lines
    schema = _schema(database)
    with database.read_session() as session:
        batches = session.execute(text("SELECT count(*) FROM import_batches")).scalar_one()
        entries = session.execute(text("SELECT count(*) FROM audit_log")).scalar_one()
        own_cache = _cache_size(session) if database.is_sqlite else None
    rows = _complaint_rows(50)
    if problem == "bad_date":
        rows[row - 2][1] = "2025-13-01"
    elif problem == "repeated_key":
        rows[row - 2][0] = rows[3][0]
    else:
        rows[row - 2][3] = "ZY-NOWHERE"
    started: list[bool] = []
    start = service._FirstLoad._start
    monkeypatch.setattr(service._FirstLoad, "_start", lambda self, raw: started.append(start(self, raw)) or started[-1])
    # A caller that goes on in the same transaction and commits: the refusal itself must leave nothing.
    with database.write_session() as session:
        with pytest.raises(ImportRejected) as refused:
            import_files(session, kind=KINDS["complaints"], files=[f.upload("complaints", rows)], actor="officer1",
                         today=f.TODAY)
        session.execute(text("SELECT 1"))
    assert (row, column) in [(e.row, e.column) for e in refused.value.errors]
    assert started == [True] and handed == []  # slices were sent; the file was never accepted
    with database.read_session() as session:
        assert session.execute(text("SELECT count(*) FROM complaints")).scalar_one() == 0
        assert session.execute(text("SELECT count(*) FROM import_batches")).scalar_one() == batches
        assert session.execute(text("SELECT count(*) FROM audit_log")).scalar_one() == entries
        if database.is_sqlite:  # the bulk load's small page cache was given back with the refusal
            assert _cache_size(session) == own_cache
    assert _schema(database) == schema
    # The connection and the table are fine: the corrected file goes in, written while read.
    rows = _complaint_rows(50)
    with database.write_session() as session:
        (summary,) = import_files(session, kind=KINDS["complaints"], files=[f.upload("complaints", rows)],
                                  actor="officer1", today=f.TODAY)
    assert summary.inserted == 50 and handed[-1] is not None
    with database.read_session() as session:
        assert session.execute(text("SELECT count(*) FROM complaints")).scalar_one() == 50
    assert _schema(database) == schema


def test_two_files_the_first_written_while_read_the_second_merged(database: Any,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the first file of an import can be a first load: the second one merges into what the first wrote. A key
    in both files refuses the pair and leaves nothing, though the first file's rows were sent."""
    rows = _complaint_rows(60)
    files = [f.upload("complaints", rows[:40], name="一.csv"), f.upload("complaints", rows[40:], name="二.csv")]

    def run() -> tuple[list[dict[str, Any]], list[Any]]:
        f.load(database, "companies")
        f.load(database, "communities")
        with database.write_session() as session:
            summaries = import_files(session, kind=KINDS["complaints"], files=files, actor="officer1",
                                     today=f.TODAY)
        with database.read_session() as session:
            stored = session.execute(text("SELECT * FROM complaints ORDER BY record_id")).all()
        return [s.as_dict() for s in summaries], [tuple(r) for r in stored]

    with monkeypatch.context() as patch:
        handed = _written_while_read(patch)
        fast = run()
    assert handed[-1] is not None  # the first file was written while read (the second is never asked)
    _reset(database)
    with monkeypatch.context() as patch:
        patch.setattr(repository, "is_postgresql", lambda session: False)
        patch.setattr(repository, "streams_while_read", lambda session: False)
        reference = run()
    assert fast == reference and len(fast[1]) == 60 and [s["inserted"] for s in fast[0]] == [40, 20]

    _reset(database)
    f.load(database, "companies")
    f.load(database, "communities")
    handed = _written_while_read(monkeypatch)
    again = [f.upload("complaints", rows[:40], name="一.csv"), f.upload("complaints", rows[35:], name="二.csv")]
    with pytest.raises(ImportRejected) as refused, database.write_session() as session:
        import_files(session, kind=KINDS["complaints"], files=again, actor="officer1", today=f.TODAY)
    assert {e.key for e in refused.value.errors} == {"duplicate_across_files"}
    assert handed == []
    with database.read_session() as session:
        assert session.execute(text("SELECT count(*) FROM complaints")).scalar_one() == 0


@pytest.mark.parametrize("kind", ["complaints", "communities"])
def test_the_json_arrays_sqlite_inserts_hold_the_values_the_python_path_binds(monkeypatch: pytest.MonkeyPatch,
                                                                              kind: str) -> None:
    """``_json_rows`` builds each slice's JSON in Arrow, a column of few distinct values once per value: read back,
    every row is what ``executemany`` would bind (text with quotes, backslashes and control characters, dates,
    booleans, amounts, missing values), in file order, slice after slice."""
    monkeypatch.setattr(service, "JSON_SLICE", 40)
    rng = random.Random(kind)
    if kind == "complaints":
        ids = ["ZY-C001", "ZY-C002"]
        rows = [_complaint(rng, i, ids) for i in range(100)]
        rows += [_complaint(random.Random(i), 100 + i, ids) for i in range(60)]  # slices of mostly distinct values
    else:
        rows = [_community(rng, i) for i in range(130)]
    (parsed,), errors = service.parse_files(KINDS[kind], [f.upload(kind, rows)], today=f.TODAY)
    assert not errors
    read_back, expected = _json_read_back(kind, parsed.frame)
    assert read_back == expected and len(read_back) == len(rows)
    assert all(type(a) is type(b) for got, want in zip(read_back, expected, strict=True)
               for a, b in zip(got, want, strict=True))


def _json_read_back(kind: str, frame: pd.DataFrame) -> tuple[list[list[Any]], list[list[Any]]]:
    """The rows of ``_json_rows``'s blocks read back, and the rows ``executemany`` would bind."""
    columns = [*KINDS[kind].key, *service._content_columns(KINDS[kind])]
    read_back = [row for block in service._json_rows(KINDS[kind], frame, columns) for row in json.loads(block)]
    return read_back, [list(row) for row in zip(*service._python_columns(frame, columns), strict=True)]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_json_arrays_hold_every_kinds_values_as_the_python_path_binds_them(monkeypatch: pytest.MonkeyPatch,
                                                                               kind: str) -> None:
    """Every kind's columns (amounts, counts, defaults of a fee violation, enums, dates in several spellings), its
    standard rows repeated so that each slice holds few distinct values: read back as ``executemany`` binds them."""
    monkeypatch.setattr(service, "JSON_SLICE", 40)
    rows = f.ROWS[kind] * 30
    (parsed,), errors = service.parse_files(KINDS[kind], [f.upload(kind, rows)], today=f.TODAY)
    assert {e.key for e in errors} <= {"duplicate_in_file", "contract_key_duplicate"}  # the repeats; every cell parsed
    read_back, expected = _json_read_back(kind, parsed.frame)
    assert read_back == expected and len(read_back) == len(rows)
    assert [[type(v) for v in row] for row in read_back] == [[type(v) for v in row] for row in expected]
