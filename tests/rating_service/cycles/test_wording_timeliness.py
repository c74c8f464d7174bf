"""The complaint-timeliness part of a rating in words, under both rules: the on-time share (ZY-2025) and the late
complaints per 1,000 household-years (ZY-2026). The stored explanation says which: its COMPL parts hold "l"."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from typing import Any

import pytest

from rating_service.companies.credit_code import make_credit_code
from rating_service.cycles import wording
from scoring.engine import Constants, Period, rate_companies
from scoring.explain import explanations_json
from scoring.methodology import Methodology, load_methodology
from tests.scoring.builders import inputs
from tests.scoring.test_worked_example import A, P, worked_example

ZY2025 = load_methodology("scoring/methodologies/ZY-2025.yaml")
ZY2026 = load_methodology("scoring/methodologies/ZY-2026.yaml")
# Codes and field names of the machine side that a person must never read.
INTERNAL = re.compile(r"COMPL|INSP|FEE|TIMELY|late_rate|on_time|rate_weight|timeliness|\bNone\b|\bnan\b")


def _explanation(result: Any, m: Methodology, code: str) -> dict[str, Any]:
    position = list(result.companies["credit_code"]).index(code)
    return json.loads(explanations_json(result, m)[position])


def _worked(m: Methodology) -> dict[str, Any]:
    result = rate_companies(inputs=worked_example(), period=P, methodology=m, constants=Constants(r0=0.004))
    return _explanation(result, m, A)


@pytest.fixture(scope="module")
def worked_2026() -> dict[str, Any]:
    return _worked(ZY2026)


@pytest.fixture(scope="module")
def worked_2025() -> dict[str, Any]:
    return _worked(ZY2025)


LATE = make_credit_code(region="340722", serial=7)


def _late_company(m: Methodology) -> dict[str, Any]:
    """1,000 households all year, 20 complaints due and all late, none substantiated: AA, and timeliness alone
    brings it to AAA."""
    complaints = [{"record_id": f"C{i:02d}", "received_on": f"2026-{(i % 11) + 1:02d}-05", "community_id": "K",
                   "substantiated": False, "due_on": f"2026-{(i % 11) + 1:02d}-12",
                   "resolved_on": f"2026-{(i % 11) + 1:02d}-20"} for i in range(20)]
    data = inputs(companies=[{"credit_code": LATE, "name": "甲物业"}],
                  communities=[{"community_id": "K", "name": "甲小区", "households": 1000}],
                  contracts=[{"community_id": "K", "credit_code": LATE, "start_date": "2020-01-01"}],
                  complaints=complaints)
    period = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    return _explanation(rate_companies(inputs=data, period=period, methodology=m, constants=Constants(r0=0.004)),
                        m, LATE)


def _compl_note(exp: dict[str, Any], lang: str, m: Methodology) -> str:
    return next(r["note"] for r in wording.indicator_rows(exp, lang, m) if r["code"] == "COMPL")


def _timely_line(exp: dict[str, Any], lang: str, m: Methodology) -> str:
    lines = wording.method_lines(exp, lang, m)
    return next(line for line in lines if line.startswith(("按时办结", "On time")))


def _all_texts(exp: dict[str, Any], lang: str, m: Methodology) -> list[str]:
    rows = wording.indicator_rows(exp, lang, m)
    texts = [t for r in rows for t in (r["label"], r["explain"], r["measure"], r["note"]) if t]
    texts += wording.method_lines(exp, lang, m)
    texts += [t for r in wording.reasons(exp, lang, m) for t in (r["label"], r["explain"], r["lost_text"])]
    texts += wording.path_lines(wording.path(exp, lang, m), lang)
    return texts


def test_the_worked_example_under_zy_2026_is_worded_as_late_complaints(worked_2026):
    parts = next(line for line in worked_2026["indicators"] if line["code"] == "COMPL")["parts"]
    assert (worked_2026["score"], worked_2026["grade"], parts["late"]) == (81.5, "AA", 3)
    assert _compl_note(worked_2026, "zh", ZY2026) == "到期投诉 20 件，未按时办结 3 件，折合每千户每年 2.30 件"
    assert _compl_note(worked_2026, "en", ZY2026) == \
        "20 complaints due, 3 not resolved on time, 2.30 per 1,000 households a year"


def test_the_method_line_gives_the_late_rate_with_its_numbers(worked_2026):
    zh = _timely_line(worked_2026, "zh", ZY2026)
    assert zh.startswith("按时办结：l = 1000 × L ÷ (E + k) = 1000 × 3 ÷ (1001.64 + 300) = 2.30。")
    assert "k = 300 户年" in zh and "L 是到期未按时办结的投诉件数" in zh
    assert "（0 时 100 分，2 时 90 分，5 时 75 分，10 时 50 分，20 及以上 0 分），得 88.48 分。" in zh
    assert "100 × t" not in zh and "比例" not in zh  # no on-time share
    en = _timely_line(worked_2026, "en", ZY2026)
    assert en.startswith("On time: l = 1000 × L ÷ (E + k) = 1000 × 3 ÷ (1001.64 + 300) = 2.30.")
    assert "(100 at 0, 90 at 2, 75 at 5, 50 at 10, 0 from 20): 88.48." in en
    compl = next(line for line in wording.method_lines(worked_2026, "zh", ZY2026) if line.startswith("投诉处置"))
    assert compl == "投诉处置：指标得分 = 0.8 × u + 0.2 × v = 0.8 × 60.82 + 0.2 × 88.48 = 66.35 分。"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_internal_code_is_shown(worked_2026, lang):
    for exp in (worked_2026, _late_company(ZY2026)):
        for text in _all_texts(exp, lang, ZY2026):
            assert not INTERNAL.search(text), text


def test_zy_2025_wording_is_unchanged(worked_2025):
    parts = next(line for line in worked_2025["indicators"] if line["code"] == "COMPL")["parts"]
    assert "l" not in parts and "late" not in parts and parts["t"] == 0.85
    assert _compl_note(worked_2025, "zh", ZY2025) == "到期投诉 20 件，按时办结 17 件（85.0%）"
    assert _compl_note(worked_2025, "en", ZY2025) == "20 complaints due, 17 resolved on time (85.0%)"
    assert _timely_line(worked_2025, "zh", ZY2025) == \
        "按时办结：v = 100 × t = 85.00，t 是到期投诉中按时办结的比例（没有到期投诉时 t = 1）。"
    assert _timely_line(worked_2025, "en", ZY2025) == \
        "On time: v = 100 × t = 85.00, t being the share of due complaints resolved on time (t = 1 when none was due)."


def test_the_rule_is_read_from_the_explanation_not_the_methodology(worked_2025, worked_2026):
    # A ZY-2025 rating read with ZY-2026 at hand is still worded as a share, and the other way round.
    assert _compl_note(worked_2025, "zh", ZY2026) == "到期投诉 20 件，按时办结 17 件（85.0%）"
    assert _compl_note(worked_2026, "zh", ZY2025) == "到期投诉 20 件，未按时办结 3 件，折合每千户每年 2.30 件"
    assert _timely_line(worked_2026, "zh", ZY2025).startswith("按时办结：l = 1000 × L ÷ (E + k) = 1000 × 3")


def test_none_due_keeps_its_sentence(worked_2026):
    exp = copy.deepcopy(worked_2026)
    parts = next(line for line in exp["indicators"] if line["code"] == "COMPL")["parts"]
    parts.update(due=0, late=0, on_time=0, l=0.0, v=100.0)
    assert _compl_note(exp, "zh", ZY2026) == "没有到期的投诉"
    assert _compl_note(exp, "en", ZY2026) == "no complaint was due"


def test_the_path_gives_the_late_complaints_allowed():
    exp = _late_company(ZY2026)
    step = next(s for s in exp["path"] if s["component"] == "COMPL_TIMELY")
    assert step["reachable"] and step["target_count"] == 17
    zh = wording.path_lines(wording.path(exp, "zh", ZY2026), "zh")
    assert "投诉未按时办结：本期未按时办结的投诉不超过 17 件（折合每千户每年不超过 13.49 件，现为 15.38 件）" in zh
    en = wording.path_lines(wording.path(exp, "en", ZY2026), "en")
    assert ("Complaints not resolved on time: at most 17 complaints not resolved on time in the period (at most "
            "13.49 per 1,000 households a year; now 15.38)") in en
    # The limit is rounded down: 13.4989… shows as 13.49, never as 13.50.
    assert step["target_measure"] == pytest.approx(13.4989, abs=1e-4)


def test_the_path_with_no_late_complaint_allowed():
    exp = _late_company(ZY2026)
    step = next(s for s in exp["path"] if s["component"] == "COMPL_TIMELY")
    step.update(target_count=0.0, target_measure=0.5)
    zh = wording.path_lines(wording.path(exp, "zh", ZY2026), "zh")
    assert "投诉未按时办结：本期到期投诉全部按时办结（折合每千户每年不超过 0.50 件，现为 15.38 件）" in zh
    en = wording.path_lines(wording.path(exp, "en", ZY2026), "en")
    assert any(line.endswith("every due complaint resolved on time in the period (at most 0.50 per 1,000 "
                             "households a year; now 15.38)") for line in en)
    step.update(target_count=None)  # a path without the count (never stored so): the late rate alone
    zh = wording.path_lines(wording.path(exp, "zh", ZY2026), "zh")
    assert "投诉未按时办结：未按时办结的投诉折合每千户每年不超过 0.50 件（现为 15.38 件）" in zh


def test_the_combined_path_under_the_late_rate():
    exp = _late_company(ZY2026)
    for step in exp["path"]:
        step["reachable"] = False
    step = next(s for s in exp["path"] if s["component"] == "COMPL_TIMELY")
    step.update(combined=True, combined_subscore=40.0, combined_measure=12.0, combined_count=15.0)
    worded = wording.path(exp, "zh", ZY2026)
    assert worded["mode"] == "combined"
    assert worded["steps"][0]["text"] == \
        "本期未按时办结的投诉不超过 15 件（折合每千户每年不超过 12.00 件，现为 15.38 件）"


def test_the_path_under_zy_2025_stays_a_share():
    exp = _late_company(ZY2025)
    zh = wording.path_lines(wording.path(exp, "zh", ZY2025), "zh")
    assert any("到期投诉按时办结的比例提高到" in line and "（现为 0.0%）" in line for line in zh), zh
