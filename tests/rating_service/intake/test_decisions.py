"""Decisions on intake items: confirming makes complaint and inspection records that a cycle computed afterwards
counts; not property-related and duplicates make none; decided items are refused; every decision is audited."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from rating_service.audit import service as audit
from rating_service.audit.repository import AuditFilter
from rating_service.cycles import service as cycles
from rating_service.errors import NotFound, RatingServiceError
from rating_service.intake import service
from rating_service.intake.models import IntakeItem
from rating_service.records.models import Complaint, ImportBatch, Inspection
from tests import factories as f
from tests.rating_service.intake.helpers import HOTLINE_HEADER, PATROL_HEADER, finding, ticket, upload

PERIOD = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


@pytest.fixture
def db(sqlite_only):  # type: ignore[no-untyped-def]
    f.load(sqlite_only, *f.REFERENCE)
    rows = [ticket("GD-1", day="2025-03-05 09:00:00"), ticket("GD-2", day="2025-04-01 10:00:00", substantiated=""),
            ticket("GD-3", day="2025-05-01 10:00:00", text="邻居家狗叫"), ticket("GD-4", day="2025-05-02 08:00:00")]
    with sqlite_only.write_session() as session:
        service.import_file(session, kind="hotline", upload=upload(HOTLINE_HEADER, rows), actor="officer")
        service.import_file(session, kind="patrol", upload=upload(PATROL_HEADER, [finding("XC-9", day="2025-06-01")]),
                            actor="officer")
    return sqlite_only


def _ids(db) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with db.read_session() as session:
        return {str(r[0]): int(r[1]) for r in session.execute(select(IntakeItem.external_no, IntakeItem.id))}


def _complaints(db) -> int:  # type: ignore[no-untyped-def]
    with db.read_session() as session:
        return session.execute(select(func.count()).select_from(Complaint)).scalar_one()


def _computed_complaints(db) -> int:  # type: ignore[no-untyped-def]
    with db.write_session() as session:
        cycle_id = cycles.create_cycle(session=session, draft=cycles.CycleDraft(f"周期{_complaints(db)}", *PERIOD),
                                       actor="officer").id
    computed = cycles.compute_cycle(database=db, cycle_id=cycle_id, actor="officer")
    return json.loads(computed.quality)["records"]["complaints"]


def test_confirmed_tickets_become_complaints_that_the_next_compute_counts(db) -> None:  # type: ignore[no-untyped-def]
    ids = _ids(db)
    assert _computed_complaints(db) == 0
    with db.write_session() as session:
        summary = service.confirm(session, item_ids=[ids["GD-1"], ids["GD-2"]], actor="officer",
                                  community_id="ZY-C001", category="垃圾清运")
    assert (summary.decided, summary.created, summary.linked) == (2, 2, 0)
    with db.read_session() as session:
        complaint = session.get(Complaint, "GD-1")
        assert complaint is not None
        assert (complaint.channel, complaint.community_id, complaint.category, complaint.substantiated,
                complaint.satisfaction, complaint.due_on) == ("12345", "ZY-C001", "垃圾清运", True, "satisfied",
                                                              dt.date(2026, 3, 12))
        assert session.get(Complaint, "GD-2").substantiated is False  # 是否属实 blank: 否
        batch = session.get(ImportBatch, complaint.batch_id)
        assert (batch.kind, batch.file_format, batch.filename, batch.imported_by) == \
            ("complaints", "intake", "工单确认", "officer")
        item = session.get(IntakeItem, ids["GD-1"])
        assert (item.status, item.record_id, item.record_batch_id, item.decided_by) == \
            ("confirmed", "GD-1", batch.id, "officer")
        entries, _ = audit.search(session, filters=AuditFilter(action="intake.confirm"), limit=5)
        assert len(entries) == 1 and json.loads(entries[0].payload)["intake_items"] == [ids["GD-1"], ids["GD-2"]]
    assert _computed_complaints(db) == 2


def test_not_property_and_duplicates_create_no_records(db) -> None:  # type: ignore[no-untyped-def]
    ids = _ids(db)
    with db.write_session() as session:
        service.mark_not_property(session, item_ids=[ids["GD-3"]], actor="officer")
        service.mark_duplicate(session, item_id=ids["GD-4"], of_external_no="GD-1", actor="officer")
    assert _complaints(db) == 0
    with db.read_session() as session:
        assert session.get(IntakeItem, ids["GD-3"]).status == "not_property"
        view = service.item_view(session, ids["GD-4"])
        assert (view.status, view.duplicate_of_no) == ("duplicate", "GD-1")
        assert service.progress(session) == service.Progress(5, 2, 0, 1, 1, 3)
        actions = {e.action for e in audit.search(session, filters=AuditFilter(action="intake."), limit=20)[0]}
        assert {"intake.not_property", "intake.duplicate"} <= actions
    assert _computed_complaints(db) == 0


def test_decided_items_and_items_without_community_or_category_are_refused(db) -> None:  # type: ignore[no-untyped-def]
    ids = _ids(db)
    with db.write_session() as session:
        service.mark_not_property(session, item_ids=[ids["GD-3"]], actor="officer")
    with pytest.raises(RatingServiceError) as decided, db.write_session() as session:
        service.confirm(session, item_ids=[ids["GD-3"]], actor="officer", community_id="ZY-C001", category="其他")
    assert decided.value.key == "intake_already_decided" and "GD-3" in decided.value.message("zh")
    with pytest.raises(RatingServiceError) as no_category, db.write_session() as session:
        service.confirm(session, item_ids=[ids["GD-1"]], actor="officer")  # no model: no suggested category
    assert no_category.value.key == "intake_no_category" and "GD-1" in no_category.value.message("zh")
    with pytest.raises(RatingServiceError) as listed, db.write_session() as session:
        service.confirm(session, item_ids=[ids["GD-1"]], actor="officer", community_id="ZY-C001", category="外星人")
    assert listed.value.key == "intake_category_not_listed"
    with pytest.raises(RatingServiceError) as itself, db.write_session() as session:
        service.mark_duplicate(session, item_id=ids["GD-1"], of_external_no="GD-1", actor="officer")
    assert itself.value.key == "intake_duplicate_itself"
    with pytest.raises(NotFound), db.write_session() as session:
        service.mark_duplicate(session, item_id=ids["GD-1"], of_external_no="GD-404", actor="officer")
    assert _complaints(db) == 0


def test_a_confirmed_patrol_finding_becomes_an_inspection(db) -> None:  # type: ignore[no-untyped-def]
    ids = _ids(db)
    with db.read_session() as session:
        assert ids["XC-9"] in service.high_confidence_ids(session, kind="patrol")
    with db.write_session() as session:
        summary = service.confirm(session, item_ids=[ids["XC-9"]], actor="officer")  # the suggestion: the match
    assert summary.created == 1
    with db.read_session() as session:
        inspection = session.get(Inspection, "XC-9")
        assert (inspection.community_id, inspection.category, inspection.severity, inspection.department,
                inspection.note) == ("ZY-C001", "乱堆乱放", "minor", "城管", "楼道堆物")
        assert session.get(ImportBatch, inspection.batch_id).filename == "巡查记录确认"


def test_a_ticket_whose_complaint_exists_is_linked_not_inserted(db) -> None:  # type: ignore[no-untyped-def]
    f.load(db, "complaints")  # GD-000001 … exist
    with db.write_session() as session:
        service.import_file(session, kind="hotline", actor="officer",
                            upload=upload(HOTLINE_HEADER, [ticket("GD-000001", day="2025-03-05 09:00:00")]))
    ids = _ids(db)
    before = _complaints(db)
    with db.write_session() as session:
        summary = service.confirm(session, item_ids=[ids["GD-000001"]], actor="officer", community_id="ZY-C001",
                                  category="环境卫生")
    assert (summary.created, summary.linked) == (0, 1) and _complaints(db) == before
