"""The cycle workflow: draft → computed → publicized → finalized, refused transitions, stored results."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from rating_service.audit import service as audit
from rating_service.audit.repository import AuditFilter
from rating_service.cycles import service as cycles
from rating_service.errors import Conflict, InvalidTransition, RatingServiceError
from tests import factories as f

PERIOD = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def _create(database, name="2025年度"):  # type: ignore[no-untyped-def]
    with database.write_session() as session:
        return cycles.create_cycle(session=session, draft=cycles.CycleDraft(name, *PERIOD), actor="officer").id


def _status(database, cycle_id):  # type: ignore[no-untyped-def]
    with database.read_session() as session:
        return cycles.get_cycle_or_raise(session=session, cycle_id=cycle_id).status


def _publicize(database, cycle_id):  # type: ignore[no-untyped-def]
    with database.write_session() as session:  # the notice date: today
        cycles.publicize_cycle(session=session, cycle_id=cycle_id, actor="officer")


def _finalize(database, cycle_id):  # type: ignore[no-untyped-def]
    with database.write_session() as session:
        cycles.finalize_cycle(session=session, cycle_id=cycle_id, actor="officer")


def _finalize_when_closed(database, cycle_id):  # type: ignore[no-untyped-def]
    with f.appeals_closed(database, cycle_id):
        _finalize(database, cycle_id)


def _compute(database, cycle_id):  # type: ignore[no-untyped-def]
    return cycles.compute_cycle(database=database, cycle_id=cycle_id, actor="officer")


def test_a_cycle_goes_through_every_state_in_order(database):
    f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations")
    cycle_id = _create(database)
    assert _status(database, cycle_id) == "draft"
    computed = _compute(database, cycle_id)
    assert computed.status == "computed" and computed.rated == 2
    assert json.loads(computed.constants)["R0"] > 0
    _publicize(database, cycle_id)
    assert _status(database, cycle_id) == "publicized"
    _finalize_when_closed(database, cycle_id)
    assert _status(database, cycle_id) == "finalized"
    with database.read_session() as session:
        entries, _ = audit.search(session, filters=AuditFilter(action="cycle.", entity_id=str(cycle_id)), limit=10)
        actions = [e.action for e in reversed(entries)]
        assert actions == ["cycle.create", "cycle.compute", "cycle.publicize", "cycle.finalize"]
        assert all(e.actor == "officer" for e in entries)
        assert audit.verify(session).ok


REFUSED = [
    # (state reached first, action that must be refused)
    ("draft", "publicize"),
    ("draft", "finalize"),
    ("computed", "finalize"),
    ("publicized", "compute"),
    ("publicized", "publicize"),
    ("finalized", "compute"),
    ("finalized", "publicize"),
    ("finalized", "finalize"),
]


@pytest.mark.parametrize(("state", "action"), REFUSED)
def test_out_of_order_transitions_are_refused_with_409_and_change_nothing(database, state, action):
    f.load(database, *f.REFERENCE, "complaints")
    cycle_id = _create(database)
    steps = {"computed": [_compute], "publicized": [_compute, _publicize],
             "finalized": [_compute, _publicize, _finalize_when_closed]}.get(state, [])
    for step in steps:
        step(database, cycle_id)
    with database.read_session() as session:
        before = cycles.get_cycle_or_raise(session=session, cycle_id=cycle_id)
        snapshot_before = (before.status, before.snapshot_hash, before.compute_count)
    with pytest.raises(InvalidTransition) as caught:
        {"compute": _compute, "publicize": _publicize, "finalize": _finalize}[action](database, cycle_id)
    assert caught.value.status_code == 409
    message = caught.value.message("zh")
    assert f"评价周期 {cycle_id}" in message and "不能" in message
    assert caught.value.message("en").startswith(f"Cycle {cycle_id} is {state}")
    with database.read_session() as session:
        after = cycles.get_cycle_or_raise(session=session, cycle_id=cycle_id)
        assert (after.status, after.snapshot_hash, after.compute_count) == snapshot_before


def test_recomputing_is_allowed_while_computed_and_counts_the_runs(database):
    f.load(database, *f.REFERENCE, "complaints")
    cycle_id = _create(database)
    first = _compute(database, cycle_id)
    second = _compute(database, cycle_id)
    assert (first.compute_count, second.compute_count) == (1, 2)
    assert first.snapshot_hash == second.snapshot_hash
    with database.read_session() as session:
        ratings, total = cycles.repository.list_ratings(session, cycle_id=cycle_id)
    assert total == 2 and len({r.credit_code for r in ratings}) == 2  # replaced, not duplicated


def _stored(database, cycle_id):  # type: ignore[no-untyped-def]
    with database.read_session() as session:
        rows = cycles.repository.list_ratings(session, cycle_id=cycle_id, limit=None)[0]
        return sorted(tuple(getattr(r, c) for c in cycles.RATING_COLUMNS if c != "snapshot_hash") for r in rows)


def test_ratings_written_a_few_explanations_at_a_time_are_the_ratings_written_at_once(database, monkeypatch):
    """The explanations come in chunks of companies and are written chunk by chunk: every row keeps its own
    (here one company a chunk)."""
    from scoring import explain

    f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations", "commendations", "major_events")
    cycle_id = _create(database)
    _compute(database, cycle_id)
    whole = _stored(database, cycle_id)
    monkeypatch.setattr(explain, "_COMPANIES_PER_CHUNK", 1)
    _compute(database, cycle_id)
    assert len(whole) >= 2 and len({row[-1] for row in whole}) == len(whole)  # explanations differ by company
    assert _stored(database, cycle_id) == whole


def test_creating_a_cycle_checks_name_period_and_methodology(database):
    _create(database, "2025年度")
    with database.write_session() as session, pytest.raises(Conflict):
        cycles.create_cycle(session=session, draft=cycles.CycleDraft("2025年度", *PERIOD), actor="officer")
    with database.write_session() as session, pytest.raises(RatingServiceError) as reversed_period:
        cycles.create_cycle(session=session, draft=cycles.CycleDraft("x", PERIOD[1], PERIOD[0]), actor="officer")
    assert "早于开始日期" in reversed_period.value.message("zh")
    with database.write_session() as session, pytest.raises(RatingServiceError) as unknown:
        cycles.create_cycle(session=session, draft=cycles.CycleDraft("y", *PERIOD, "NO-SUCH"), actor="officer")
    assert "NO-SUCH" in unknown.value.message("zh")
    with database.write_session() as session:
        default = cycles.create_cycle(session=session, draft=cycles.CycleDraft("z", *PERIOD), actor="officer")
        assert default.methodology_id == "ZY-2025"


def test_stored_rating_carries_its_explanation_methodology_and_snapshot_hash(database):
    f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations", "commendations", "major_events")
    cycle_id = _create(database)
    computed = _compute(database, cycle_id)
    with database.read_session() as session:
        cycle = cycles.get_cycle_or_raise(session=session, cycle_id=cycle_id)
        rating = cycles.get_rating_or_raise(session=session, cycle=cycle, credit_code=f.CODE_B)
        explanation = json.loads(rating.explanation)
    assert rating.snapshot_hash == computed.snapshot_hash and len(rating.snapshot_hash) == 64
    assert rating.methodology_id == "ZY-2025"
    # 江南物业 has the refuse-to-exit major event: vetoed to C, and the VETO reason names the record.
    assert rating.veto and rating.grade == "C"
    assert explanation["reasons"][0]["code"] == "VETO"
    assert explanation["reasons"][0]["evidence"][0]["record_id"] == "ZD-001"
    assert {line["code"] for line in explanation["indicators"]} == {"INSP", "COMPL", "FEE"}
    assert explanation["constants"]["R0"] == json.loads(computed.constants)["R0"]
    # The counts behind the measures are kept too: 皖江 had two substantiated complaints with a due date,
    # GD-000001 settled on time and GD-000003 late.
    with database.read_session() as session:
        own = json.loads(cycles.get_rating_or_raise(session=session, cycle=cycle, credit_code=f.CODE_A).explanation)
    compl = next(line for line in own["indicators"] if line["code"] == "COMPL")
    assert (compl["parts"]["substantiated"], compl["parts"]["due"], compl["parts"]["on_time"]) == (2, 2, 1)
    insp = next(line for line in own["indicators"] if line["code"] == "INSP")
    assert insp["parts"]["visits"] == own["visits"] and insp["parts"]["points"] == pytest.approx(
        insp["measure"] * own["visits"])


def _import(database, kind, rows):  # type: ignore[no-untyped-def]
    from rating_service.records.formats import KINDS
    from rating_service.records.service import import_files

    with database.write_session() as session:
        import_files(session, kind=KINDS[kind], actor="test", today=f.TODAY, files=[f.upload(kind, rows)])


def test_quality_report_lists_unattributed_records_and_provisional_ratings(database):
    _import(database, "companies", [*f.COMPANIES, [f.CODE_C, "枞阳县小微物业有限公司", None, None, None]])
    _import(database, "communities", [*f.COMMUNITIES, ["ZY-C004", "小区四", None, 50, None],
                                      ["ZY-C005", "无物业小区", None, 120, None]])
    _import(database, "contracts", [*f.CONTRACTS, ["ZY-C004", f.CODE_C, "2025-01-01", None]])
    # ZY-C005 has no contract: its complaint is counted in the period but attributed to nobody.
    _import(database, "complaints", [*f.COMPLAINTS,
                                     ["GD-9", "2025-02-10", "12345", "ZY-C005", None, "环境卫生", "是", None, None,
                                      None]])
    cycle_id = _create(database)
    _compute(database, cycle_id)
    with database.read_session() as session:
        report = cycles.quality_report(session=session,
                                       cycle=cycles.get_cycle_or_raise(session=session, cycle_id=cycle_id))
    assert report["summary"]["unattributed_total"] == 1
    assert report["unattributed"] == [{"kind": "complaints", "record_id": "GD-9", "community_id": "ZY-C005",
                                       "event_date": "2025-02-10"}]
    # 50 households all year = 50 household-years, under the 100 the methodology needs for a firm rating.
    assert [r["credit_code"] for r in report["provisional"]] == [f.CODE_C]
    assert report["summary"]["provisional"] == 1 and report["summary"]["rated"] == 3
    assert report["no_exposure"] == []


def test_quality_report_of_a_draft_cycle_is_refused(database):
    cycle_id = _create(database)
    with database.read_session() as session, pytest.raises(InvalidTransition):
        cycles.quality_report(session=session, cycle=cycles.get_cycle_or_raise(session=session, cycle_id=cycle_id))


def _compl_parts(database, cycle_id, code):  # type: ignore[no-untyped-def]
    with database.read_session() as session:
        cycle = cycles.get_cycle_or_raise(session=session, cycle_id=cycle_id)
        rating = cycles.get_rating_or_raise(session=session, cycle=cycle, credit_code=code)
        explanation = json.loads(rating.explanation)
    return rating.methodology_id, next(line for line in explanation["indicators"] if line["code"] == "COMPL")["parts"]


def test_a_cycle_keeps_the_version_it_was_created_with(database):
    """A cycle takes the version in force at its period's end (2025: ZY-2025; 2026: ZY-2026, the late rate) and keeps
    it: the 2025 cycle computed again after ZY-2026 came into force is still rated by ZY-2025, to the same scores."""
    f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations", "commendations", "major_events")
    old = _create(database, "2025年度")
    first = _compute(database, old)
    with database.write_session() as session:
        new = cycles.create_cycle(session=session, actor="officer", draft=cycles.CycleDraft(
            "2026年度", dt.date(2026, 1, 1), dt.date(2026, 12, 31))).id
    _compute(database, new)
    with database.read_session() as session:
        assert cycles.get_cycle_or_raise(session=session, cycle_id=new).methodology_id == "ZY-2026"
        scores = {r.credit_code: (r.score, r.grade) for r in cycles.repository.list_ratings(session, cycle_id=old)[0]}
    methodology, parts = _compl_parts(database, new, f.CODE_A)
    assert methodology == "ZY-2026" and "l" in parts and "late" in parts and "t" not in parts
    again = cycles.compute_cycle(database=database, cycle_id=old, actor="officer", reason="重新计算")
    assert again.snapshot_hash == first.snapshot_hash
    methodology, parts = _compl_parts(database, old, f.CODE_A)
    assert methodology == "ZY-2025" and parts["t"] == 0.5 and "l" not in parts  # one of two on time, as before
    with database.read_session() as session:
        assert cycles.get_cycle_or_raise(session=session, cycle_id=old).methodology_id == "ZY-2025"
        assert {r.credit_code: (r.score, r.grade)
                for r in cycles.repository.list_ratings(session, cycle_id=old)[0]} == scores
