"""The admins' audit-log page: newest first, filtered, paginated, in Beijing time."""

from __future__ import annotations

import datetime as dt
import html
import re

from rating_service.audit import service as audit
from tests import factories as f


def _admin(database):
    f.make_user(database, "admin", "admin")
    return f.page_client(database, "admin")


def _seqs(page):
    table = page.split('class="audit"')[1].split("</table>")[0]
    return [int(n) for n in re.findall(r'<tr><td class="num">(\d+)</td>', table)]


def _record(database, count, action="cycle.compute", actor="officer", **kwargs):
    with database.write_session() as session:
        for i in range(count):
            audit.record(session, action, actor=actor, entity_kind="cycle", entity_id=str(i + 1), **kwargs)


def test_audit_page_lists_entries_newest_first_with_payload_and_local_time(database):
    client = _admin(database)
    with database.write_session() as session:
        audit.append(session, [audit.AuditDraft("cycle.publicize", actor="officer", entity_kind="cycle",
                                                entity_id="7", reason="公示期开始",
                                                payload={"from": "computed", "to": "publicized"})],
                     at=dt.datetime(2025, 3, 5, 23, 30, 15, tzinfo=dt.UTC))
    page = client.get("/admin/audit")
    assert page.status_code == 200
    text = page.text
    seqs = _seqs(text)
    assert seqs == sorted(seqs, reverse=True) and len(seqs) >= 3  # user.create, user.login, the publicize
    assert "2025-03-06 07:30:15" in text  # Beijing time
    assert "cycle.publicize" in text and "cycle:7" in text and "公示期开始" in text
    assert ('<details><summary>查看</summary><pre>{"from":"computed","to":"publicized"}</pre></details>'
            in html.unescape(text))


def test_filters_by_actor_action_prefix_entity_and_date(database):
    client = _admin(database)
    _record(database, 3)
    _record(database, 2, action="import", actor="clerk")
    page = client.get("/admin/audit", params={"action": "cycle."})
    assert '<option value="cycle." selected>cycle.*</option>' in page.text
    assert len(_seqs(page.text)) == 3 and "<td>clerk</td>" not in page.text
    by_actor = client.get("/admin/audit", params={"actor": "clerk"}).text
    assert len(_seqs(by_actor)) == 2 and "共 2 条" in by_actor
    by_entity = client.get("/admin/audit", params={"entity_kind": "cycle", "entity_id": "2"}).text
    assert len(_seqs(by_entity)) == 2  # one cycle.compute and one import with entity id 2
    today = dt.date.today().isoformat()
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    assert len(_seqs(client.get("/admin/audit", params={"since": "2000-01-01", "until": today}).text)) >= 5
    none = client.get("/admin/audit", params={"since": tomorrow, "until": "", "actor": ""}).text
    assert "没有符合条件的记录" in none


def test_pages_of_fifty_with_previous_and_next_links_keep_the_filters(database):
    client = _admin(database)
    _record(database, 120)
    first = client.get("/admin/audit", params={"action": "cycle."}).text
    assert len(_seqs(first)) == 50 and "共 120 条，第 1/3 页" in first
    assert 'href="/admin/audit?action=cycle.&amp;page=2"' in first and 'rel="prev"' not in first
    second = client.get("/admin/audit", params={"action": "cycle.", "page": 2}).text
    assert _seqs(second)[0] == _seqs(first)[-1] - 1
    assert "page=1" in second and "page=3" in second
    last = client.get("/admin/audit", params={"action": "cycle.", "page": 3}).text
    assert len(_seqs(last)) == 20 and 'rel="next"' not in last


def test_audit_page_is_for_admins_only_and_speaks_english_on_request(database):
    f.make_user(database, "officer", "officer")
    assert f.page_client(database, "officer").get("/admin/audit").status_code == 403
    english = _admin(database).get("/admin/audit?lang=en").text
    assert "Audit log" in english and "Beijing time" in english and "Filter" in english


def test_an_invalid_date_is_a_readable_error(database):
    response = _admin(database).get("/admin/audit", params={"since": "2025-02-30"})
    assert response.status_code == 422 and "请求格式不正确" in response.text
