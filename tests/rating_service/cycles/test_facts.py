"""Evidence as facts: whole records in words, the veto and the lists stated in full (rating_service/cycles/facts)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from rating_service.cycles import facts, standing
from rating_service.cycles import repository as cycles_repo
from rating_service.cycles import service as cycles
from rating_service.notices import service as notices
from rating_service.records.service import import_files
from reports.model import Notice, from_payload
from tests import factories as f
from tests.rating_service.notices.helpers import computed_cycle

# 江南 (CODE_B) misused the maintenance fund: a veto, and the black list.
FUND = ["WG2025-006", "2025-06-02", f.CODE_B, "ZY-C003", "挪用住宅专项维修资金", "48600", "否", "枞住建罚〔2025〕14号"]
CODES = ("INSP", "COMPL", "COMPL_RATE", "COMPL_TIMELY", "FEE", "VETO", "maintenance_fund", "overcharge", "minor",
         "serious", "refuse_to_exit", "ZY-C00")


def load_with_fund(database: Any) -> None:
    f.load(database, *f.REFERENCE, "inspections", "complaints", "fee_violations")
    with database.write_session() as session:
        import_files(session, kind=f.KINDS["fee_violations"],
                     files=[f.upload("fee_violations", [FUND], name="fund.csv")], actor="test", today=f.TODAY)


@pytest.fixture
def vetoed(database: Any) -> Any:
    load_with_fund(database)
    cycle_id = computed_cycle(database, "2025年度")
    return database, cycle_id


def test_cycle_facts_word_every_evidence_record_without_codes(vetoed: Any) -> None:
    database, cycle_id = vetoed
    with database.read_session() as session:
        cycle = cycles.get_cycle_or_raise(session=session, cycle_id=cycle_id)
        every = facts.cycle_facts(session, cycle)
        m = cycles.methodology_of(cycle)
        rating_b = cycles_repo.rating(session, cycle_id=cycle_id, credit_code=f.CODE_B)
        rating_a = cycles_repo.rating(session, cycle_id=cycle_id, credit_code=f.CODE_A)
    assert set(every) == {f.CODE_A, f.CODE_B}
    lines = facts.evidence_lines(every[f.CODE_B], "FEE", m)
    fund = next(line for line in lines if "WG2025-006" in line)
    assert fund == "收费违规 WG2025-006 · 2025年6月2日 · 金山花园 · 挪用住宅专项维修资金 · 涉及金额 48,600 元 · " \
                   "枞住建罚〔2025〕14号 · 计 14 分 · 一票否决"
    insp = facts.evidence_lines(every[f.CODE_B], "INSP", m)
    assert insp == ["巡查检查 XC-0002 · 2025年4月8日 · 尚泽江南府 · 消防通道 · 严重 · "
                    "整改期限 4月15日，未整改（逾期 260 天） · 计 12 分"]
    a_lines = [line for reason in ("INSP", "COMPL_RATE", "COMPL_TIMELY", "FEE")
               for line in facts.evidence_lines(every[f.CODE_A], reason, m)]
    assert "投诉工单 GD-000003 · 2025年8月1日 · 尚泽江南府 · 停车管理 · 查实 · " \
           "办理时限 8月8日，8月20日办结（逾期 12 天）" in a_lines
    for line in [*lines, *insp, *a_lines]:
        assert not any(code in line for code in CODES), line

    statement = facts.veto_statement(every[f.CODE_B], rating_b, m)
    assert statement is not None
    assert "挪用住宅专项维修资金行为（枞住建罚〔2025〕14号，涉及金额 48,600 元" in statement
    assert statement.endswith("依评价细则第五条一票否决，信用等级评定为 C 级，列入黑榜。")
    assert facts.veto_statement(every[f.CODE_A], rating_a, m) is None
    lists = facts.list_statements(rating_b, m)
    assert len(lists) == 1 and lists[0].startswith("列入黑榜：因一票否决，信用等级评定为 C 级。依评价细则第五条")
    assert facts.list_statements(rating_a, m) == []
    english = facts.veto_statement(every[f.CODE_B], json.loads(rating_b.explanation), m, "en")
    assert english and "Misusing the maintenance fund" in english and "48,600" in english


def test_company_facts_hold_every_counted_record_whole(vetoed: Any) -> None:
    database, cycle_id = vetoed
    with database.read_session() as session:
        cycle = cycles.get_cycle_or_raise(session=session, cycle_id=cycle_id)
        mine = standing.company_facts(session=session, cycle=cycle, credit_code=f.CODE_A)
        m = cycles.methodology_of(cycle)
    gd1 = mine.records[("complaints", "GD-000001")]
    assert gd1.attribution == "contract" and gd1.contract is not None
    assert gd1.contract.community_name == "山水兰亭" and gd1.fields["channel"] == "12345"
    assert "2020年1月1日起" in facts.attribution_text(gd1, "皖江", m)
    fields = dict(facts.record_fields(mine.records[("inspections", "XC-0001")], m))
    assert fields["小区编号"] == "山水兰亭（ZY-C001）" and fields["严重程度"] == "一般" and fields["备注"] == "楼道堆物"
    assert ("fee_violations", "WG2025-006") not in mine.records


def test_the_veto_companys_page_notice_words_and_public_record_state_fee_type_amount_and_decision_number(
        database: Any) -> None:
    from tests.rating_service.disclosure import helpers as h

    load_with_fund(database)
    cycle_id = h.new_cycle(database, "2025年度", "finalized")
    f.make_user(database, "officer", "officer")
    f.make_user(database, "company_b", "company", credit_code=f.CODE_B)
    stated = ("挪用住宅专项维修资金", "48,600 元", "枞住建罚〔2025〕14号")

    # The company's own page: the veto in full near the grade, the list it is on and why, evidence as facts.
    page = f.page_client(database, "company_b").get(f"/cycles/{cycle_id}/companies/{f.CODE_B}")
    assert page.status_code == 200
    veto = page.text.split('id="veto-statement">', 1)[1].split("</p>", 1)[0]
    assert all(s in veto for s in stated) and "依评价细则第五条一票否决" in veto and "列入黑榜" in veto
    assert "列入黑榜：因一票否决" in page.text
    assert f'href="/cycles/{cycle_id}/records/fee_violations/WG2025-006"' in page.text
    assert "VETO" not in page.text.split('id="veto-statement"', 1)[1].split("</section>", 1)[0]

    # The notice's words (lane docs renders them into Notice.veto_statement / ReasonRow.evidence).
    with database.read_session() as session:
        cycle = cycles.get_cycle_or_raise(session=session, cycle_id=cycle_id)
        every = facts.cycle_facts(session, cycle)
        rating = cycles_repo.rating(session, cycle_id=cycle_id, credit_code=f.CODE_B)
        notice_veto = facts.veto_statement(every[f.CODE_B], rating, cycles.methodology_of(cycle))
    assert notice_veto is not None and all(s in notice_veto for s in stated)
    words = facts.notice_words(every[f.CODE_B], json.loads(rating.explanation), cycles.methodology_of(cycle))
    assert words.veto_statement == notice_veto and words.list_statements[0].startswith("列入黑榜：因一票否决")
    assert any(all(s in line for s in stated) for line in words.evidence["FEE"])

    # The public record.
    public = f.page_client(database).get(f"/public/companies/{f.CODE_B}")
    assert public.status_code == 200
    statement = public.text.split('id="public-statement-1">', 1)[1].split("</p>", 1)[0]
    assert all(s in statement for s in stated)
    assert "列入黑榜：因一票否决" in public.text
    assert "WG2025-006" in statement and "拒不移交" not in public.text  # the record's number, never its note
    # The black list says why the company is on it.
    lists = f.page_client(database).get("/public/lists").text.split('id="black-list"', 1)[1].split("</table>", 1)[0]
    assert f.CODE_B in lists and all(s in lists for s in stated)

    # The notice issued at publicity carries the statement (rendered from this payload).
    with database.read_session() as session:
        issued = notices.latest_notice(session=session, cycle_id=cycle_id, credit_code=f.CODE_B)
    assert issued is not None
    notice = from_payload(json.loads(issued.payload))
    assert isinstance(notice, Notice) and all(s in (notice.veto_statement or "") for s in stated)
