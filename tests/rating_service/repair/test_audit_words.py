"""Every repair step's audit entry reads as words on the audit page: a sentence naming the request, details field
by field, no code (mark, status, record kind, stage) left raw."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import select

from rating_service.audit import service as audit
from rating_service.audit.models import AuditEntry
from rating_service.repair import service
from tests.rating_service.repair.conftest import COMPANY_A
from tests.rating_service.repair.test_service import add_record, file, filing

CODES = re.compile(r"black_list|fee_violations|major_events|repair_|audit_|refusal_stage|breach_status")
WORDS = re.compile(r"veto|records|submitted|accepted|repaired|refused|acceptance|decision|flagged|confirmed|dismissed")


def test_repair_entries_in_words(database: Any, published: Any, today: Any) -> None:
    refused_id = file(database, COMPANY_A, filing(published.cycle_id))
    with database.write_session() as session:
        service.refuse(session, request_id=refused_id, actor="officer", reasons="材料不全。")
    today(dt.date(2026, 2, 13))
    request_id = file(database, COMPANY_A, filing(published.cycle_id))
    with database.write_session() as session:
        service.accept(session, request_id=request_id, actor="officer", note="材料齐全，予以受理。")
        service.decide(session, request_id=request_id, actor="officer", reasons="",
                       verification_note="现场核查属实。")
    add_record(database, "fee_violations", ["SF-401", "2026-03-01", published.codes[0], None, "超标准收费", "80",
                                            "否", None], dt.date(2026, 3, 2))
    with database.write_session() as session:
        assert service.detect_breaches(session, today=dt.date(2026, 3, 2)) == 1
        breach = service.list_breaches(session)[0]
        service.decide_breach(session, breach_id=breach.breach_id, actor="officer", confirm=False,
                              note="该记录已撤销。")
    with database.read_session() as session:
        entries = list(session.scalars(select(AuditEntry).where(AuditEntry.action.like("repair.%"))
                                       .order_by(AuditEntry.seq)))
        words = {lang: audit.readable(session, entries, lang) for lang in ("zh", "en")}
    assert [e.action for e in entries] == ["repair.file", "repair.refuse", "repair.file", "repair.accept",
                                           "repair.decide", "repair.breach_flag", "repair.breach_decide"]
    for lang, readable in words.items():
        for item in readable:
            text = " ".join([item.sentence, item.action_label, *item.details])
            assert not CODES.search(text), (lang, item.entry.action, text)
            assert lang == "en" or not WORDS.search(text), (item.entry.action, text)
    zh = words["zh"]
    assert zh[0].sentence.endswith(f"提交了第 {refused_id} 号信用修复申请")
    assert "修复事项：不良记录" in zh[0].details and "申请修复的记录：收费违规记录 SF-001" in zh[0].details
    assert any("环节：不予受理" in d for d in zh[1].details)
