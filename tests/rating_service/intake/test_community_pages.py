"""The officers' community page: facts, contracts, the directory's names (added and removed, audited), the
"试一试" box and the intake items matched to the community; refusals shown on the page, never a 5xx."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from rating_service import clock
from rating_service.audit.models import AuditEntry
from rating_service.intake.models import CommunityName, IntakeItem
from tests import factories as f

INTERNAL = ("alias", "former", "address", "town", "fuzzy_name", "exact_name", "exact_alias", "contains_name",
            "proposed", "review", "pending", "hotline", "patrol", "__not_property__")


@pytest.fixture
def world(database: Any) -> Any:
    f.load(database, "companies", "communities", "contracts")
    f.make_user(database, "officer", "officer")
    f.make_user(database, "admin", "admin")
    f.make_user(database, "company", "company", credit_code=f.CODE_A)
    return database


def _visible(html: str) -> str:
    """The page's text people read: no tags, no attribute values."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def _internal_codes(html: str) -> list[str]:
    text = _visible(html)
    return [code for code in INTERNAL if re.search(rf"(?<![A-Za-z_]){re.escape(code)}(?![A-Za-z_])", text)]


def _add(client: Any, community_id: str, kind: str, text: str) -> Any:
    return client.post(f"/communities/{community_id}/names",
                       data={"kind": kind, "text": text, "csrf_token": f.csrf_of(client)})


def _names(database: Any, community_id: str) -> list[tuple[str, str, str]]:
    with database.read_session() as session:
        rows = session.scalars(select(CommunityName).where(CommunityName.community_id == community_id)
                               .order_by(CommunityName.id)).all()
        return [(r.kind, r.text, r.added_by) for r in rows]


def test_the_page_shows_the_facts_the_manager_today_and_the_contract_history(world):
    page = f.page_client(world, "officer").get("/communities/ZY-C002")
    assert page.status_code == 200, page.text
    text = _visible(page.text)
    assert "尚泽江南府" in text and "城关社区" in text and "400" in text and "46,000" in text
    facts = re.search(r'<section id="facts".*?</section>', page.text, re.S).group(0)
    assert "安徽皖江物业服务有限公司" in facts  # CODE_A took over on 2025-07-01 and manages it today
    contracts = re.search(r'<section id="contracts".*?</section>', page.text, re.S).group(0)
    assert contracts.index("2025-07-01") < contracts.index("2019-05-01")  # newest first
    assert "2025-06-30" in contracts and "枞阳县江南物业管理有限公司" in contracts
    assert _internal_codes(page.text) == []


def test_an_unknown_community_is_the_html_not_found_page(world):
    page = f.page_client(world, "officer").get("/communities/ZY-C999")
    assert page.status_code == 404
    assert "text/html" in page.headers["content-type"] and "ZY-C999" in page.text


def test_companies_and_the_public_are_refused(world):
    assert f.page_client(world, "company").get("/communities/ZY-C001").status_code == 403
    anonymous = f.page_client(world).get("/communities/ZY-C001")
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    company = f.page_client(world, "company")
    refused = _add(company, "ZY-C001", "alias", "山水兰庭")
    assert refused.status_code == 403
    assert _names(world, "ZY-C001") == []


def test_an_officer_adds_and_removes_names_and_both_are_audited(world):
    client = f.page_client(world, "officer")
    added = _add(client, "ZY-C001", "alias", "  山水兰庭 ")
    assert added.status_code == 303 and added.headers["location"].startswith("/communities/ZY-C001?")
    _add(client, "ZY-C001", "address", "枞阳县城关镇枞川路88号")
    assert _names(world, "ZY-C001") == [("alias", "山水兰庭", "officer"),
                                        ("address", "枞阳县城关镇枞川路88号", "officer")]
    page = client.get(added.headers["location"])
    names = re.search(r'<section id="names".*?</section>', page.text, re.S).group(0)
    assert "已添加“山水兰庭”" in names and "别名" in names and "地址" in names and "officer" in names
    assert _internal_codes(page.text) == []
    with world.read_session() as session:
        name_id = session.scalars(select(CommunityName.id).where(CommunityName.text == "山水兰庭")).one()
    removed = client.post(f"/communities/ZY-C001/names/{name_id}/remove", data={"csrf_token": f.csrf_of(client)})
    assert removed.status_code == 303
    assert _names(world, "ZY-C001") == [("address", "枞阳县城关镇枞川路88号", "officer")]
    assert "已删除一个名称" in client.get(removed.headers["location"]).text
    with world.read_session() as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.actor == "officer",
                                                                  AuditEntry.action.like("community.%"))).all()
    assert len(actions) >= 3 and len(set(actions)) >= 2  # two additions and one removal


def test_a_name_of_another_community_is_not_removed_through_this_one(world):
    client = f.page_client(world, "officer")
    _add(client, "ZY-C002", "alias", "江南府")
    with world.read_session() as session:
        name_id = session.scalars(select(CommunityName.id)).one()
    answer = client.post(f"/communities/ZY-C001/names/{name_id}/remove", data={"csrf_token": f.csrf_of(client)})
    assert answer.status_code == 400 and "这个名称已不存在" in answer.text
    assert _names(world, "ZY-C002") == [("alias", "江南府", "officer")]


@pytest.mark.parametrize(("kind", "text", "message"), [
    ("alias", "   ", "名称不能为空"),
    ("alias", "兰" * 301, "名称不能超过 300 个字"),
    ("nickname", "兰亭", "请选择名称类型"),
])
def test_bad_input_is_a_message_on_the_page_and_nothing_is_stored(world, kind, text, message):
    client = f.page_client(world, "officer")
    answer = _add(client, "ZY-C001", kind, text)
    assert answer.status_code == 400
    assert message in answer.text and 'class="flash error"' in answer.text
    assert _names(world, "ZY-C001") == []


def test_a_duplicate_and_personal_data_are_refused_with_a_message(world):
    client = f.page_client(world, "officer")
    assert _add(client, "ZY-C001", "alias", "山水兰庭").status_code == 303
    again = _add(client, "ZY-C001", "alias", "山水兰庭")
    assert again.status_code == 400 and "该小区已有名称“山水兰庭”" in again.text
    phone = _add(client, "ZY-C001", "address", "枞川路88号 联系电话13812345678")
    assert phone.status_code == 400 and "个人信息" in phone.text
    assert "13812345678" not in _visible(phone.text.split('class="flash error"')[1].split("</p>")[0])
    assert _names(world, "ZY-C001") == [("alias", "山水兰庭", "officer")]


def test_the_try_box_says_which_community_matching_finds_and_by_which_rule(world):
    client = f.page_client(world, "officer")
    _add(client, "ZY-C001", "alias", "兰亭苑")
    here = client.get("/communities/ZY-C001", params={"try": "枞阳县城关镇山水兰亭3栋2单元"})
    assert here.status_code == 200
    result = re.search(r'<div class="try-result".*?</div>\s*</section>|<div class="try-result".*?</dl>', here.text,
                       re.S).group(0)
    assert "山水兰亭" in result and "就是本小区" in result and "相似度" in result
    assert _internal_codes(here.text) == []
    other = client.get("/communities/ZY-C001", params={"try": "尚泽江南府5栋"})
    assert 'href="/communities/ZY-C002"' in other.text and "不是本小区" in other.text
    nothing = client.get("/communities/ZY-C001", params={"try": "县人民医院门诊楼"})
    assert nothing.status_code == 200 and "未找到小区" in nothing.text
    assert client.get("/communities/ZY-C001", params={"try": "兰" * 301}).status_code == 422


def test_recent_items_of_the_community_link_to_their_ticket(world):
    with world.write_session() as session:
        for n, (community, matched) in enumerate([("ZY-C001", None), (None, "ZY-C001"), (None, "ZY-C002")]):
            session.add(IntakeItem(kind="hotline", external_no=f"GD-2026-{n:04d}", content_sha=f"{n:064d}",
                                   received_on=f.TODAY, place_text=f"山水兰亭{n}栋", text="楼道堆物", fields="{}",
                                   created_at=clock.now(), match_status="proposed", match_community_id=matched,
                                   community_id=community, status="confirmed" if community else "pending"))
    page = f.page_client(world, "officer").get("/communities/ZY-C001")
    recent = re.search(r'<section id="recent".*?</section>', page.text, re.S).group(0)
    assert "GD-2026-0000" in recent and "GD-2026-0001" in recent and "GD-2026-0002" not in recent
    ids = re.findall(r'href="/intake/items/(\d+)"', recent)
    assert len(ids) == 2
    assert "已确认" in recent and "待确认" in recent and _internal_codes(page.text) == []


def test_the_dashboard_and_the_cycle_page_link_the_community_page(world):
    page = f.page_client(world, "officer").get("/")
    assert 'href="/communities/ZY-C001"' in page.text
