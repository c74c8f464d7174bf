"""An explanation (stored rating JSON) in words: points table, reasons with evidence, path to the next grade.

The one home of the explanation's words (`EXPLAIN_TEXT`) and of their formatting: the officer drill-down, the
company portal, the PDF notices, the public site and the terminal (`rating score --explain`) all word a rating
through these functions, so that every place says the same thing.
"""

from __future__ import annotations

import math
from typing import Any

from rating_service.i18n import Lang
from rating_service.records.formats import KINDS
from scoring.explain import shown

# The words of every explanation: the terminal (`rating score`), the officer and company pages, the PDF notices
# and the public site. Keys are the template fields; indicator and reason codes (INSP, COMPL_RATE, …) name themselves.
EXPLAIN_TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "rank": "名次", "name": "企业名称", "credit_code": "统一社会信用代码", "score": "得分", "grade": "等级",
        "flags": "标识", "reasons": "主要扣分原因", "provisional": "暂定", "veto": "一票否决", "red": "红榜",
        "black": "黑榜", "floor": "保底", "flag_sep": "、",
        "caption": "评价细则 {methodology}，评价期间 {start} 至 {end}，R0 = {r0_k} 件/千户年，共 {count} 家企业",
        "INSP": "巡查检查", "COMPL": "投诉处置", "FEE": "收费规范", "VETO": "一票否决",
        "COMPL_RATE": "查实投诉率", "COMPL_TIMELY": "投诉办结及时率",
        "indicator": "指标", "measure": "计量值", "sub_score": "指标得分", "weight": "权重", "earned": "得分",
        "lost": "失分", "not_assessed": "未评价",
        "title": "{name}（{code}）信用评价说明",
        "cycle": "评价细则 {methodology}，评价期间 {start} 至 {end}",
        "result": "综合得分 {score}，等级 {grade}",
        "band": "（按得分为 {band}）",
        "exposure": "服务规模 {exposure} 户年，巡查 {visits} 次，良好行为加分 {bonus}",
        "points_title": "一、指标得分",
        "insp_measure": "d = {d}（{points} 分 / {visits} 次）",
        "compl_measure": "r = {r}/千户年；按时办结 t = {t}%（{on_time}/{due}）",
        "compl_parts": "投诉处置 = {rw} × u（{u}）+ {tw} × v（{v}）",
        "fee_measure": "F = {f}",
        "bonus_line": "良好行为加分 B = {bonus}；综合得分 S = {score}",
        "reasons_title": "二、扣分原因",
        "no_reasons": "无扣分。",
        "reason_line": "{rank}. {code} {label}{lost}",
        "lost_suffix": "：失 {lost} 分",
        "evidence_points": "{points} 分",
        "evidence_overdue": "逾期 {days} 天",
        "path_title": "三、升级路径",
        "path_top": "已是最高等级。",
        "path_veto": "一票否决，不适用升级路径。",
        "path_gap": "升至 {grade} 还差 {gap} 分：",
        "path_unreachable": "仅靠本项无法达到（最多可提高 {gain} 分）",
        "path_insp": "d ≤ {value}（每次巡查扣分）",
        "path_rate": "r ≤ {value}（每千户年查实投诉件数），即本期查实投诉不超过 {count} 件",
        "path_timely": "t ≥ {value}%（按时办结的比例）",
        "path_fee": "F ≤ {value}（收费违规扣分）",
        "path_any": "任意取值均可",
        "r0": "县域先验 R0 = {r0}（每千户年 {r0_k} 件查实投诉）",
    },
    "en": {
        "rank": "Rank", "name": "Name", "credit_code": "Credit code", "score": "Score", "grade": "Grade",
        "flags": "Flags", "reasons": "Top reasons", "provisional": "provisional", "veto": "veto", "red": "red",
        "black": "black", "floor": "floor", "flag_sep": ",",
        "caption": "Methodology {methodology}, period {start} to {end}, R0 = {r0_k} per 1,000 household-years, "
                   "{count} companies",
        "INSP": "Inspections", "COMPL": "Complaints", "FEE": "Fees", "VETO": "veto",
        "COMPL_RATE": "substantiated complaint rate", "COMPL_TIMELY": "complaints resolved on time",
        "indicator": "Indicator", "measure": "Measure", "sub_score": "Sub-score", "weight": "Weight",
        "earned": "Points", "lost": "Lost", "not_assessed": "not assessed",
        "title": "Credit rating explanation: {name} ({code})",
        "cycle": "Methodology {methodology}, period {start} to {end}",
        "result": "Score {score}, grade {grade}",
        "band": " (by score: {band})",
        "exposure": "Exposure {exposure} household-years, {visits} inspection visits, bonus {bonus}",
        "points_title": "1. Indicators",
        "insp_measure": "d = {d} ({points} pts / {visits} visits)",
        "compl_measure": "r = {r} per 1,000 hh-years; on time t = {t}% ({on_time}/{due})",
        "compl_parts": "Complaints = {rw} × u ({u}) + {tw} × v ({v})",
        "fee_measure": "F = {f}",
        "bonus_line": "Bonus B = {bonus}; score S = {score}",
        "reasons_title": "2. Reasons",
        "no_reasons": "No points lost.",
        "reason_line": "{rank}. {code} {label}{lost}",
        "lost_suffix": ": {lost} points lost",
        "evidence_points": "{points} pts",
        "evidence_overdue": "{days} days overdue",
        "path_title": "3. Path to the next grade",
        "path_top": "Already at the top grade.",
        "path_veto": "Vetoed: no path to a higher grade.",
        "path_gap": "To reach {grade}: {gap} points needed",
        "path_unreachable": "not reachable by this component alone (max gain {gain})",
        "path_insp": "d ≤ {value} defect points per visit",
        "path_rate": "r ≤ {value} substantiated complaints per 1,000 household-years, i.e. at most {count} "
                     "substantiated complaints in the period",
        "path_timely": "t ≥ {value}% of due complaints resolved on time",
        "path_fee": "F ≤ {value} fee violation points",
        "path_any": "any value",
        "r0": "County prior R0 = {r0} substantiated complaints per household-year ({r0_k} per 1,000)",
    },
}

def fixed(value: Any, decimals: int, *, missing: str = "-") -> str:
    """A figure with ``decimals`` decimals; ``missing`` for none (a sub-score not assessed)."""
    if value is None:
        return missing
    number = float(value)
    return missing if math.isnan(number) else f"{number:.{decimals}f}"


def num(value: Any) -> str:
    """Points and counts without trailing zeros (3.0 -> 3), as the CLI writes them."""
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


def indicator_rows(exp: dict[str, Any], lang: Lang) -> list[dict[str, Any]]:
    words = EXPLAIN_TEXT[lang]
    rows = []
    for line in exp["indicators"]:
        code = line["code"]
        parts = line.get("parts") or {}
        measure = line.get("measure")
        if code == "INSP":
            text = words["insp_measure"].format(d=fixed(measure, 2), points=num(parts.get("points") or 0),
                                                visits=exp["visits"])
        elif code == "COMPL":
            t = parts.get("t")
            text = words["compl_measure"].format(r=fixed(measure, 2), t=fixed(None if t is None else t * 100, 1),
                                                 on_time=parts.get("on_time", 0), due=parts.get("due", 0))
        else:
            text = words["fee_measure"].format(f=num(measure or 0))
        note = None
        if code == "COMPL" and line["assessed"]:
            note = words["compl_parts"].format(rw=num(parts.get("rate_weight", 0)), u=fixed(parts.get("u"), 2),
                                               tw=num(parts.get("timeliness_weight", 0)), v=fixed(parts.get("v"), 2))
        rows.append({"code": code, "label": words[code], "assessed": line["assessed"], "measure": text,
                     "note": note, "sub_score": fixed(line.get("sub_score"), 2), "weight": fixed(line["weight"], 4),
                     "earned": fixed(line["points_earned"], 2), "lost": fixed(line["points_lost"], 2)})
    return rows


def reasons(exp: dict[str, Any], lang: Lang) -> list[dict[str, Any]]:
    words = EXPLAIN_TEXT[lang]
    out = []
    for reason in exp["reasons"]:
        evidence = []
        for item in reason["evidence"]:
            kind = KINDS.get(item["kind"])
            points = item.get("points")
            detail = item.get("detail")
            evidence.append({
                "kind": kind.label(lang) if kind else item["kind"],
                "record_id": item["record_id"], "event_date": item.get("event_date") or "",
                # As in the CLI: points only where records carry defect points, days only for late complaints.
                "points": num(points) if points is not None and item["kind"] in ("inspections", "fee_violations")
                else "",
                "overdue": num(detail) if detail is not None and reason["code"] == "COMPL_TIMELY" else "",
            })
        lost = reason.get("points_lost")
        out.append({"code": reason["code"], "label": words.get(reason["code"], reason["code"]),
                    "lost": None if lost is None else fixed(lost, 2), "evidence": evidence,
                    "with_points": any(e["points"] for e in evidence),
                    "with_overdue": any(e["overdue"] for e in evidence)})
    return out


def step_text(step: dict[str, Any], words: dict[str, str]) -> str:
    """One component's target, worded and rounded as `rating score --explain` does."""
    measure = step.get("target_measure")
    if not step.get("reachable") or measure is None:
        return words["path_unreachable"].format(gain=fixed(step.get("max_gain"), 2))
    measure = float(measure)
    if math.isinf(measure):
        return words["path_any"]
    if step["component"] == "COMPL_TIMELY":
        return words["path_timely"].format(value=fixed(shown(measure * 100, 1, at_most=False), 1))
    key = {"INSP": "path_insp", "COMPL_RATE": "path_rate", "FEE": "path_fee"}[step["component"]]
    count = "" if step.get("target_count") is None else str(int(step["target_count"]))
    return words[key].format(value=fixed(shown(measure, 2, at_most=True), 2), count=count)


def path(exp: dict[str, Any], lang: Lang) -> dict[str, Any]:
    words = EXPLAIN_TEXT[lang]
    if exp["veto"]:
        return {"headline": words["path_veto"], "steps": []}
    if exp.get("next_grade") is None:
        return {"headline": words["path_top"], "steps": []}
    steps = [{"component": s["component"], "label": words.get(s["component"], s["component"]),
              "text": step_text(s, words), "reachable": bool(s.get("reachable"))} for s in exp.get("path") or []]
    return {"headline": words["path_gap"].format(grade=exp["next_grade"], gap=fixed(exp.get("gap"), 1)).rstrip("："),
            "steps": steps}


FLAGS = (("provisional", "provisional"), ("veto", "veto"), ("red", "red_list"), ("black", "black_list"),
         ("floor", "floor_applied"))


def flags(exp: dict[str, Any], lang: Lang, *, with_provisional: bool = True) -> list[str]:
    """The rating's flags in words: 暂定, 一票否决, 红榜, 黑榜, 保底."""
    words = EXPLAIN_TEXT[lang]
    return [words[name] for name, key in FLAGS if exp.get(key) and (with_provisional or name != "provisional")]
