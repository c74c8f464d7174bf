"""Every kind of PDF the Zongyang demo issues speaks plain Chinese: no internal code, no English enum value.

The demo data (fixtures/zongyang) are imported, the 2025 cycle computed and publicized; 安徽皖江物业 appeals
against an inspection record and the bureau amends it (a decision record and a revised notice are issued). Then
the bulletin, the notices of a red-list, a black-list and a veto company, the revised notice and the decision
record are rendered from their stored payloads, and their text is extracted with pdftotext.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess

import pytest
from sqlalchemy import select

from rating_service.cycles.models import CYCLE_STATES
from rating_service.notices.models import Document
from rating_service.records.formats import (
    EVENT_KIND_PAIRS,
    KINDS,
    LEVEL_PAIRS,
    SEVERITY_PAIRS,
    VIOLATION_PAIRS,
)
from reports import render
from reports.model import from_payload
from tests import factories as f

NOTICE_DAY = dt.date(2026, 1, 12)  # a Monday: the appeal window closes on 2026-01-19
APPEAL_DAY = dt.date(2026, 1, 14)
APPELLANT = "91340722927900581W"  # 安徽皖江物业服务有限公司 (AAA, red list)
CONTESTED = "XC2025-00486"  # one of its inspection records
DOCUMENTS = {  # what is rendered: kind -> (document kind, credit code)
    "bulletin": ("bulletin", None),
    "notice_red": ("notice", "91340722108190264B"),  # 安徽锦程: AAA, red list
    "notice_black": ("notice", "91340722167878085P"),  # 枞阳县永盛: C, black list
    "notice_veto_fund": ("notice", "913407222014553941"),  # 枞阳县金鼎: veto (maintenance fund)
    "notice_veto_event": ("notice", "91340722816566410Q"),  # 枞阳县鑫源: veto (major event)
    "revised_notice": ("revised_notice", APPELLANT),
    "appeal_record": ("appeal_record", APPELLANT),
}

# Internal codes: whole tokens (not inside a credit code, a record number or a verification code).
CODES = ["INSP", "COMPL_RATE", "COMPL_TIMELY", "COMPL", "FEE", "VETO", "R0", "maintenance_fund"]
ENUM_VALUES = sorted({code for pairs in (SEVERITY_PAIRS, VIOLATION_PAIRS, LEVEL_PAIRS, EVENT_KIND_PAIRS)
                      for _zh, code in pairs} | set(CYCLE_STATES) | set(KINDS))


def _tokens(text: str, words: list[str]) -> list[str]:
    found = []
    for word in words:
        if re.search(rf"(?<![A-Za-z0-9_]){re.escape(word)}(?![A-Za-z0-9_])", text):
            found.append(word)
    return found


@pytest.fixture(scope="module")
def demo_texts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("plain-words")
    database, cycle_id = f.zongyang_publicized(folder / "rating.db", NOTICE_DAY,
                                               documents_dir=str(folder / "documents"))
    f.make_user(database, "officer", "officer")
    f.make_user(database, "company", "company", credit_code=APPELLANT)
    with f.on_day(APPEAL_DAY):
        filed = f.api_client(database, "company").post(
            f"/api/v1/cycles/{cycle_id}/appeals",
            data={"grounds": "该巡查记录所列问题已当日整改。", "scope": "records",
                  "records": [f"inspections:{CONTESTED}"]})
        assert filed.status_code == 201, filed.text
        decided = f.api_client(database, "officer").post(
            f"/api/v1/appeals/{filed.json()['id']}/decision",
            json={"outcome": "partly_upheld", "reasons": "问题已当日整改，问题等级改为一般。",
                  "items": [{"kind": "inspections", "record_id": CONTESTED, "action": "amend",
                             "changes": {"severity": "一般"}, "finding": "问题已当日整改"}]})
        assert decided.status_code == 200, decided.text
    with database.read_session() as session:
        issued = list(session.scalars(select(Document).where(Document.cycle_id == cycle_id)))
    texts: dict[str, str] = {}
    for name, (kind, code) in DOCUMENTS.items():
        document = next(d for d in issued if d.kind == kind and d.credit_code == code)
        path = folder / f"{name}.pdf"
        path.write_bytes(render(from_payload(json.loads(document.payload))))
        texts[name] = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                                     capture_output=True, text=True).stdout
    return texts


def test_every_kind_was_rendered_with_its_words(demo_texts: dict[str, str]) -> None:
    assert "公示名单" in demo_texts["bulletin"]
    assert "一票否决" in demo_texts["notice_veto_fund"] and "一票否决" in demo_texts["notice_veto_event"]
    assert "黑榜" in demo_texts["notice_black"] and "红榜" in demo_texts["notice_red"]
    assert "（更正）" in demo_texts["revised_notice"]
    assert "异议处理决定书" in demo_texts["appeal_record"] and "救济途径" in demo_texts["appeal_record"]


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_no_internal_code_in_the_text(demo_texts: dict[str, str], name: str) -> None:
    assert _tokens(demo_texts[name], CODES) == []


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_no_english_enum_value_in_the_chinese_text(demo_texts: dict[str, str], name: str) -> None:
    assert _tokens(demo_texts[name], ENUM_VALUES) == []


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_one_vocabulary(demo_texts: dict[str, str], name: str) -> None:
    text = re.sub(r"\s+", "", demo_texts[name])
    for wrong in ("评价办法", "评价方法", "已定稿", "失分"):
        assert wrong not in text, wrong




def test_the_veto_notice_states_the_act_its_amount_and_decision_number(demo_texts: dict[str, str]) -> None:
    """The veto in full, not "一票否决、黑榜": the fee type, the amount, the decision number and the rule's article."""
    text = re.sub(r"\s+", "", demo_texts["notice_veto_fund"])
    for fact in ("挪用住宅专项维修资金", "48,600元", "枞住建罚〔2025〕14号", "依评价细则第五条一票否决", "列入黑榜"):
        assert fact in text, fact


def test_evidence_lines_state_facts_not_only_numbers(demo_texts: dict[str, str]) -> None:
    """Each evidence line names the community and the category, beside the record number and date."""
    text = re.sub(r"\s+", "", demo_texts["notice_black"])
    line = r"投诉工单GD2025-\d+·2025年\d+月\d+日·(?P<community>[^·]+)·(?P<category>[^·]+)·查实·办理时限\d+月\d+日"
    found = re.search(line, text)
    assert found and not found["community"].startswith("ZY-C"), text[:2000]
