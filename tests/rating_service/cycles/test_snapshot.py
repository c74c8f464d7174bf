"""A computed cycle is frozen: later imports, edits and deletions change nothing in it; and what it stores
equals `rating score` on the same data."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from rating_service.cli import DEMO_DIR, app
from rating_service.cycles import repository
from rating_service.cycles import service as cycles
from rating_service.records.formats import KINDS
from rating_service.records.service import delete_records, import_files, import_folder
from scoring.engine import Period
from tests import factories as f

PERIOD = Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def _import(database, kind, rows):  # type: ignore[no-untyped-def]
    with database.write_session() as session:
        import_files(session, kind=KINDS[kind], actor="test", today=f.TODAY, files=[f.upload(kind, rows)])


def _computed_cycle(database, name="2025年度"):  # type: ignore[no-untyped-def]
    with database.write_session() as session:
        cycle_id = cycles.create_cycle(session=session, draft=cycles.CycleDraft(name, PERIOD.start, PERIOD.end),
                                       actor="officer").id
    return cycles.compute_cycle(database=database, cycle_id=cycle_id, actor="officer")


def _stored(database, cycle_id):  # type: ignore[no-untyped-def]
    with database.read_session() as session:
        ratings, _ = repository.list_ratings(session, cycle_id=cycle_id, sort="credit_code")
        return [(r.credit_code, r.score, r.grade, r.snapshot_hash, r.explanation) for r in ratings]


def _digest_at(database, watermark):  # type: ignore[no-untyped-def]
    with database.read_session() as session:
        return cycles.read_snapshot(session=session, watermark=watermark, period=PERIOD).digest()


def _change_everything(database):  # type: ignore[no-untyped-def]
    """New records, changed records, a deleted record, a changed contract and changed households."""
    _import(database, "complaints", [
        *f.COMPLAINTS,
        ["GD-000004", "2025-10-01", "12345", "ZY-C001", None, "环境卫生", "是", "2025-10-08", None, None],
    ])
    changed = [list(r) for r in f.INSPECTIONS]
    changed[0][6] = "严重"  # XC-0001 becomes serious
    _import(database, "inspections", changed)
    with database.write_session() as session:
        delete_records(session, kind=KINDS["complaints"], record_ids=["GD-000003"], actor="officer",
                       reason="录入错误")
    households = [list(r) for r in f.COMMUNITIES]
    households[0][3] = 1600
    _import(database, "communities", households)
    contracts = [list(r) for r in f.CONTRACTS]
    contracts[3][3] = "2025-03-31"  # 江南物业 leaves ZY-C003 early
    _import(database, "contracts", contracts)


def test_imports_edits_and_deletions_after_compute_change_nothing_in_the_cycle(database):
    f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations")
    cycle = _computed_cycle(database)
    before = _stored(database, cycle.id)
    _change_everything(database)
    assert _stored(database, cycle.id) == before
    # The frozen snapshot can still be read back exactly: same content hash as when computed.
    assert _digest_at(database, cycle.snapshot_batch) == cycle.snapshot_hash
    # A cycle computed now sees the new data.
    later = _computed_cycle(database, "2025年度（复核）")
    assert later.snapshot_hash != cycle.snapshot_hash
    assert _stored(database, later.id) != [(c, s, g, later.snapshot_hash, e) for c, s, g, _, e in before]


def test_recomputing_after_a_change_takes_a_new_snapshot(database):
    f.load(database, *f.REFERENCE, "complaints")
    cycle = _computed_cycle(database)
    _import(database, "complaints", [
        *f.COMPLAINTS,
        ["GD-000004", "2025-10-01", "12345", "ZY-C001", None, "环境卫生", "是", "2025-10-08", None, None],
    ])
    again = cycles.compute_cycle(database=database, cycle_id=cycle.id, actor="officer")
    assert again.snapshot_batch > cycle.snapshot_batch and again.snapshot_hash != cycle.snapshot_hash
    assert json.loads(again.quality)["records"]["complaints"] == 4


def test_unchanged_reimport_moves_the_watermark_but_not_the_hash(database):
    f.load(database, *f.REFERENCE, "complaints")
    cycle = _computed_cycle(database)
    f.load(database, "complaints")
    again = cycles.compute_cycle(database=database, cycle_id=cycle.id, actor="officer")
    assert again.snapshot_batch > cycle.snapshot_batch and again.snapshot_hash == cycle.snapshot_hash


def test_the_snapshot_hash_is_the_same_on_sqlite_and_postgresql(sqlite_database, postgresql_database):
    from tests.conftest import _reset

    digests = []
    for database in (sqlite_database, postgresql_database):
        _reset(database)
        f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations", "commendations",
               "major_events")
        with database.read_session() as session:
            watermark = cycles.records_repo.current_batch(session)
        digests.append(_digest_at(database, watermark))
    assert digests[0] == digests[1]


def test_stored_ratings_equal_rating_score_on_the_same_data(database):
    with database.write_session() as session:
        import_folder(session, folder=DEMO_DIR, actor="test", today=f.TODAY)
    cycle = _computed_cycle(database)
    result = CliRunner().invoke(app, ["score", "--data", str(DEMO_DIR), "--period", "2025-01-01:2025-12-31",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    expected = {row["credit_code"]: row for row in json.loads(result.output)}
    with database.read_session() as session:
        ratings, total = repository.list_ratings(session, cycle_id=cycle.id)
    assert total == len(expected) == 18
    for rating in ratings:
        want = expected[rating.credit_code]
        explanation = json.loads(rating.explanation)
        assert (rating.score, rating.grade, rating.band_grade) == (want["score"], want["grade"], want["band_grade"])
        assert (rating.veto, rating.provisional, rating.red_list, rating.black_list) == \
            (want["veto"], want["provisional"], want["red_list"], want["black_list"])
        assert rating.bonus == pytest.approx(want["bonus"]) and rating.visits == want["visits"]
        assert rating.exposure == pytest.approx(want["exposure"], abs=1e-4)
        assert [r["code"] for r in explanation["reasons"]] == want["reasons"]
        assert {line["code"]: line["sub_score"] for line in explanation["indicators"]} == \
            pytest.approx(dict(want["indicators"]), abs=0.005)
