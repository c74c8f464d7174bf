"""An explanation (stored rating JSON) in words: points table, reasons with evidence, path to the next grade.

The one home of the explanation's formatting (its words, `EXPLAIN_TEXT`, are in rating_service/i18n/explanations.py):
the officer drill-down, the company portal, the PDF notices, the public site and the terminal
(`rating score --explain`) all word a rating through these functions, so that every place says the same thing.
"""

from __future__ import annotations

import math
from typing import Any

from rating_service.i18n import Lang
from rating_service.i18n.explanations import EXPLAIN_TEXT
from rating_service.records.formats import KINDS
from scoring.explain import shown


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
