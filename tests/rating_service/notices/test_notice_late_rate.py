"""A notice of a rating under ZY-2026 words the on-time part as late complaints per 1,000 households a year, in
plain Chinese (read back from the PDF with pdftotext), through the same `notice_for` as every notice."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from pathlib import Path
from types import SimpleNamespace

from rating_service.cycles.facts import CompanyFacts
from rating_service.notices.service import notice_for
from reports.render import render_notice
from scoring.engine import Constants, rate_companies
from scoring.explain import explanations_json
from scoring.methodology import load_methodology
from tests.rating_service.cycles.test_wording_timeliness import LATE, _late_company
from tests.scoring.test_worked_example import A, P, worked_example

ZY2026 = load_methodology("scoring/methodologies/ZY-2026.yaml")
CODES = ["INSP", "COMPL_RATE", "COMPL_TIMELY", "COMPL", "FEE", "VETO", "R0", "late_rate", "on_time"]


def _notice_text(exp: dict, code: str, name: str, tmp_path: Path) -> str:
    cycle = SimpleNamespace(name="2026年度", period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31),
                            appeal_window_days=5)
    rating = SimpleNamespace(name=name, credit_code=code, score=exp["score"], grade=exp["grade"],
                             provisional=exp["provisional"], methodology_id="ZY-2026", explanation=json.dumps(exp))
    notice = notice_for(cycle=cycle, rating=rating, number="枞住建信评〔2027〕1号", code="K7QX-M2PD-94TR",
                        issue_date=dt.date(2027, 1, 11), deadline=dt.date(2027, 1, 18), methodology=ZY2026,
                        company=CompanyFacts(credit_code=code))
    path = tmp_path / "notice.pdf"
    path.write_bytes(render_notice(notice))
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    return re.sub(r"\s+", "", text)  # lines break anywhere in Chinese


def test_the_worked_example_notice_under_zy_2026(tmp_path):
    result = rate_companies(inputs=worked_example(), period=P, methodology=ZY2026, constants=Constants(r0=0.004))
    exp = json.loads(explanations_json(result, ZY2026)[list(result.companies["credit_code"]).index(A)])
    text = _notice_text(exp, A, "皖江物业", tmp_path)
    assert "信用得分81.5分，信用等级AA级" in text
    assert "到期投诉20件，未按时办结3件，折合每千户每年2.30件" in text
    assert "按时办结" in text and "%" not in text  # no on-time share
    found = [c for c in CODES if re.search(rf"(?<![A-Za-z0-9_]){c}(?![A-Za-z0-9_])", text)]
    assert not found, found


def test_the_path_of_a_late_company_in_its_notice(tmp_path):
    text = _notice_text(_late_company(ZY2026), LATE, "甲物业", tmp_path)
    assert "投诉未按时办结：本期未按时办结的投诉不超过17件（折合每千户每年不超过13.49件，现为15.38件）" in text
    found = [c for c in CODES if re.search(rf"(?<![A-Za-z0-9_]){c}(?![A-Za-z0-9_])", text)]
    assert not found, found
