"""A cycle warns before compute about tickets and patrol findings of its period still waiting for confirmation,
and its data-quality report counts them."""

from __future__ import annotations

import datetime as dt
import json

from rating_service.cycles import service as cycles
from rating_service.intake import service
from tests import factories as f
from tests.rating_service.intake.helpers import HOTLINE_HEADER, ticket, upload

PERIOD = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def test_pending_items_of_the_period_are_counted_and_shown_before_compute(sqlite_only) -> None:  # type: ignore[no-untyped-def]
    db = sqlite_only
    f.load(db, *f.REFERENCE)
    rows = [ticket("GD-1", day="2025-03-05"), ticket("GD-2", day="2025-12-31 23:59:00"),
            ticket("GD-3", day="2026-01-01")]
    with db.write_session() as session:
        service.import_file(session, kind="hotline", upload=upload(HOTLINE_HEADER, rows), actor="officer")
        assert service.unconfirmed_in_period(session, *PERIOD) == 2
        cycle_id = cycles.create_cycle(session=session, draft=cycles.CycleDraft("2025年度", *PERIOD),
                                       actor="officer").id
    f.make_user(db, "officer1", "officer")
    client = f.page_client(db, "officer1")
    page = client.get(f"/cycles/{cycle_id}")
    assert page.status_code == 200
    assert "本期间还有 2 件工单/巡查记录未确认，确认后才计入评价" in page.text and 'href="/intake"' in page.text
    computed = cycles.compute_cycle(database=db, cycle_id=cycle_id, actor="officer")
    assert json.loads(computed.quality)["unconfirmed_intake"] == 2
    with db.write_session() as session:
        ids = [i.id for i in service.queue(session, service.QueueFilter()).rows if i.external_no != "GD-3"]
        service.mark_not_property(session, item_ids=ids, actor="officer")
    assert "未确认" not in client.get(f"/cycles/{cycle_id}").text
