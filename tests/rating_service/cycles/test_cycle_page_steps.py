"""The cycle page leads to the next step: it is the primary button, and the publicize form says what publicizing
will do (how many notices, until when companies may appeal, on the working-day calendar); the new-cycle form
proposes the next period without a cycle."""

from __future__ import annotations

import datetime as dt
import html
import json
import re

from rating_service.cycles import service as cycles
from tests import factories as f
from tests.rating_service.notices.helpers import COMPUTED_ON, computed_cycle


def _actions(page_text: str) -> str:
    found = re.search(r'<section id="actions">.*?</section>', page_text, re.S)
    assert found is not None, page_text
    return found.group(0)


def _buttons(actions: str) -> list[tuple[str, str]]:
    """(class, label) of each submit button, in the page's order."""
    return [(m.group(1) or "", m.group(2).strip()) for m in
            re.finditer(r'<button type="submit"(?: class="([^"]*)")?\s*>([^<]+)</button>', actions)]


def test_a_computed_cycle_offers_publicizing_first_and_says_what_it_will_issue_and_until_when(database, monkeypatch):
    f.load(database, *f.REFERENCE, "inspections", "complaints")
    f.make_user(database, "officer", "officer")
    cycle_id = computed_cycle(database, "2025年度")
    f.pin_today(monkeypatch, dt.date(2026, 1, 12))  # a Monday; five working days later is Monday 2026-01-19
    client = f.page_client(database, "officer")
    actions = _actions(client.get(f"/cycles/{cycle_id}").text)
    assert _buttons(actions) == [("primary", "公示"), ("", "重新计算")]
    effect = "将签发 2 份评价结果告知书，异议期至 2026年1月19日（5个工作日）。"
    assert f'<p class="effect" id="publicize-effect">{effect}</p>' in actions
    confirm = html.unescape(re.search(r'id="publicize-form" data-confirm="([^"]*)"', actions).group(1))
    assert confirm.startswith(effect + "\n") and "确定公示" in confirm
    # Every notice date the form offers has its own deadline (a later notice date, a later deadline).
    effects = json.loads(html.unescape(re.search(r"data-effects='([^']*)'", actions).group(1)))
    assert "2026年1月20日" in effects["2026-01-13"]  # noticed on Tuesday 2026-01-13
    # What the page said is what publicizing does.
    assert client.post(f"/cycles/{cycle_id}/publicize", data={"csrf_token": f.csrf_of(client),
                                                              "notice_date": "2026-01-12"}).status_code == 303
    with database.read_session() as session:
        cycle = cycles.get_cycle_or_raise(session=session, cycle_id=cycle_id)
        assert cycle.appeal_deadline == dt.date(2026, 1, 19) and cycle.rated == 2
    english = client.get(f"/cycles/{cycle_id}?lang=en")
    assert english.status_code == 200


def test_the_publicize_form_says_it_will_be_refused_when_the_deadline_falls_in_an_unknown_year(database, monkeypatch):
    f.load(database, *f.REFERENCE, "inspections", "complaints")
    f.make_user(database, "officer", "officer")
    f.pin_today(monkeypatch, dt.date(2026, 12, 28))
    cycle_id = computed_cycle(database, "2026年度", on=dt.date(2026, 12, 28))
    actions = _actions(f.page_client(database, "officer").get(f"/cycles/{cycle_id}").text)
    assert "2027年的工作日历尚未录入" in actions and "公示将被拒绝" in actions


def test_a_draft_offers_computing_as_the_primary_step(database):
    f.load(database, *f.REFERENCE)
    f.make_user(database, "officer", "officer")
    with f.on_day(COMPUTED_ON), database.write_session() as session:
        cycle_id = cycles.create_cycle(session=session, actor="officer", draft=cycles.CycleDraft(
            "2025年度", dt.date(2025, 1, 1), dt.date(2025, 12, 31))).id
    actions = _actions(f.page_client(database, "officer").get(f"/cycles/{cycle_id}").text)
    assert _buttons(actions) == [("primary", "计算")]


def test_the_new_cycle_form_proposes_the_next_period_without_a_cycle(database, monkeypatch):
    f.make_user(database, "officer", "officer")
    f.pin_today(monkeypatch, dt.date(2026, 11, 28))
    client = f.page_client(database, "officer")

    def proposed() -> tuple[str, str, str]:
        form = client.get("/cycles").text.split('<section id="new">')[1]
        return (re.search(r'name="name"[^>]*value="([^"]*)"', form).group(1),
                re.search(r'name="period_start"[^>]*value="([^"]*)"', form).group(1),
                re.search(r'name="period_end"[^>]*value="([^"]*)"', form).group(1))

    assert proposed() == ("2025年度", "2025-01-01", "2025-12-31")
    with database.write_session() as session:
        cycles.create_cycle(session=session, actor="officer", draft=cycles.CycleDraft(
            "2025年度", dt.date(2025, 1, 1), dt.date(2025, 12, 31)))
    assert proposed() == ("2026年度", "2026-01-01", "2026-12-31")
