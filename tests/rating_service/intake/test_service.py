"""Intake's service: a raw export becomes intake items (personal data removed, matched), the queue shows them with
their reasons, the progress counts them, and an administrator's mapping adds headers."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from rating_service.errors import RatingServiceError
from rating_service.intake import service
from rating_service.intake.models import IntakeItem
from tests import factories as f
from tests.rating_service.intake.helpers import HOTLINE_HEADER, PATROL_HEADER, PHONE, finding, ticket, upload


@pytest.fixture
def db(sqlite_only):  # type: ignore[no-untyped-def]
    f.load(sqlite_only, *f.REFERENCE)
    return sqlite_only


def test_a_hotline_export_becomes_pending_items_matched_to_their_community(db) -> None:  # type: ignore[no-untyped-def]
    rows = [ticket("GD-1"), ticket("GD-2", place="枞阳县城关镇金山花园5栋", text=f"请联系{PHONE}处理漏水")]
    with db.write_session() as session:
        summary = service.import_file(session, kind="hotline", upload=upload(HOTLINE_HEADER, rows), actor="officer")
    assert (summary.received, summary.inserted, summary.unchanged) == (2, 2, 0)
    assert summary.batch_id is not None and summary.redactions >= 1
    assert "联系电话" in summary.dropped_columns and "来电人" in summary.dropped_columns
    with db.read_session() as session:
        items = {i.external_no: i for i in session.execute(select(IntakeItem)).scalars()}
        assert items["GD-1"].match_community_id == "ZY-C001"
        assert items["GD-2"].match_community_id == "ZY-C003"
        assert PHONE not in (items["GD-2"].text or "")
        assert items["GD-1"].status == "pending"
        fields = json.loads(items["GD-1"].fields)
        assert fields["substantiated"] is True and fields["satisfaction"] == "satisfied"
        page = service.queue(session, service.QueueFilter())
        assert page.total == 2 and {r.external_no for r in page.rows} == {"GD-1", "GD-2"}
        view = service.item_view(session, items["GD-1"].id)
        assert view.kind_label == "12345热线工单" and view.match_community_name == "山水兰亭"
        assert view.fields["是否属实"] == "是" and view.fields["回访满意度"] == "满意"
        assert view.reason and view.high_confidence is False  # no model yet: no category suggestion
        english = service.item_view(session, items["GD-1"].id, lang="en")
        assert english.status_label == "To confirm" and "Satisfaction" in english.fields
        assert service.progress(session) == service.Progress(2, 0, 0, 0, 0, 2)


def test_patrol_findings_with_a_proposed_match_are_bulk_confirmable(db) -> None:  # type: ignore[no-untyped-def]
    rows = [finding("XC-1"), finding("XC-2", place="某某不存在的地方")]
    with db.write_session() as session:
        service.import_file(session, kind="patrol", upload=upload(PATROL_HEADER, rows), actor="officer")
    with db.read_session() as session:
        high = service.high_confidence_ids(session)
        page = service.queue(session, service.QueueFilter(view="high"))
        assert [r.external_no for r in page.rows] == ["XC-1"] and len(high) == 1
        review = service.queue(session, service.QueueFilter(view="review"))
        assert [r.external_no for r in review.rows] == ["XC-2"]
        assert review.rows[0].high_confidence is False


def test_an_administrators_mapping_adds_headers_and_is_validated(db) -> None:  # type: ignore[no-untyped-def]
    with db.write_session() as session:
        service.set_mapping(session, "hotline", {"external_no": ["单号"], "place_text": ["事发地点"]}, "admin")
    with db.read_session() as session:
        merged = service.mapping(session, "hotline")
        assert "单号" in merged["external_no"] and "工单编号" in merged["external_no"]
    header = ["单号" if h == "工单编号" else "事发地点" if h == "诉求地址" else h for h in HOTLINE_HEADER]
    with db.write_session() as session:
        summary = service.import_file(session, kind="hotline", upload=upload(header, [ticket("GD-9")]),
                                      actor="officer")
    assert summary.inserted == 1
    with db.write_session() as session, pytest.raises(RatingServiceError) as unknown:
        service.set_mapping(session, "hotline", {"no_such_field": ["x"]}, "admin")
    assert unknown.value.key == "intake_mapping_field_unknown"
    with db.write_session() as session, pytest.raises(RatingServiceError) as twice:
        service.set_mapping(session, "hotline", {"text": ["工单编号"]}, "admin")
    assert twice.value.key == "intake_mapping_header_twice"
    with db.write_session() as session, pytest.raises(RatingServiceError) as twice_new:
        service.set_mapping(session, "hotline", {"text": ["说明"], "place_text": ["说明"]}, "admin")
    assert twice_new.value.key == "intake_mapping_header_twice"
