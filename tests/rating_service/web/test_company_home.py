"""A company's home page: its score and grade in every publicized cycle, as a table and a chart."""

from __future__ import annotations

import datetime as dt
import re

from rating_service.cycles import repository as cycles_repo
from tests import factories as f
from tests.rating_service.notices.helpers import COMPUTED_ON, computed_cycle, publicize, publish


def test_history_lists_every_publicized_cycle_and_only_the_companys_own_scores(database):
    first = publish(database)
    with database.write_session() as session:
        from rating_service.cycles import service as cycles

        second_id = cycles.create_cycle(session=session, actor="officer", draft=cycles.CycleDraft(
            "2025上半年", dt.date(2025, 1, 1), dt.date(2025, 6, 30))).id
    with f.on_day(COMPUTED_ON):
        cycles.compute_cycle(database=database, cycle_id=second_id, actor="officer")
    publicize(database, second_id, dt.date(2026, 1, 13))
    hidden = computed_cycle(database, "2024年度草稿")  # computed, not publicized: never shown to companies
    f.make_user(database, "company", "company", credit_code=f.CODE_A)
    with database.read_session() as session:
        own = {c.name: r.score for c, r in cycles_repo.company_history(
            session, credit_code=f.CODE_A, statuses=("publicized", "finalized"))}
        other = cycles_repo.rating(session, cycle_id=first.cycle_id, credit_code=f.CODE_B)
    assert set(own) == {"2025年度", "2025上半年"}

    page = f.page_client(database, "company").get("/")
    assert page.status_code == 200
    rows = re.findall(r"<tr><td[^>]*>([^<]+)</td>", page.text.split('id="history"')[1])
    assert rows == ["2025上半年", "2025年度"]  # oldest period first
    for name, score in own.items():
        assert f"{score:.1f}" in page.text, name
    assert page.text.count("<circle") == 2
    assert hidden and "2024年度草稿" not in page.text
    assert other is not None and f.CODE_B not in page.text  # nothing of another company
