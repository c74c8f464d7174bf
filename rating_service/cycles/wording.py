"""An explanation (stored rating JSON) in words: points table, 计算方法, reasons with evidence, path to the next grade.

The one home of the explanation's formatting (its sentences, `EXPLAIN_TEXT`, are in rating_service/i18n/explanations.py;
the names and one-sentence explanations of indicators, reasons, flags and lists are the methodology's ``words``):
the officer drill-down, the company portal, the PDF notices, the public site and the terminal (`rating score
--explain`) all word a rating through these functions, so that every place says the same thing. People read names
and plain sentences; codes stay in the machine fields (``code``, ``component``), formulas in the ``method`` lines.
"""

from __future__ import annotations

import math
from typing import Any

from rating_service.i18n import Lang
from rating_service.i18n.explanations import EXPLAIN_TEXT
from rating_service.records.formats import KINDS
from scoring.explain import shown
from scoring.methodology import Methodology


def fixed(value: Any, decimals: int, *, missing: str = "-") -> str:
    """A figure with ``decimals`` decimals; ``missing`` for none (a sub-score not assessed)."""
    if value is None:
        return missing
    number = float(value)
    return missing if math.isnan(number) else f"{number:.{decimals}f}"


def num(value: Any) -> str:
    """Points and counts without trailing zeros (3.0 -> 3), as the CLI writes them."""
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


def _line(exp: dict[str, Any], code: str) -> dict[str, Any] | None:
    return next((line for line in exp["indicators"] if line["code"] == code), None)


def _r0(exp: dict[str, Any]) -> float:
    return float((exp.get("constants") or {}).get("R0") or 0.0)


def _late_rate(parts: dict[str, Any]) -> bool:
    """The complaint timeliness part is the late-complaint rate ``l`` (ZY-2026 and later), not the on-time share
    ``t``: the stored explanation says which (its COMPL parts hold ``l``), whatever the methodology file says now."""
    return "l" in parts


def _curve(points: Any, words: dict[str, str]) -> str:
    parts = [words["curve_point"].format(x=num(x), y=num(y)) for x, y in points[:-1]]
    parts.append(words["curve_last"].format(x=num(points[-1][0]), y=num(points[-1][1])))
    return words["curve_sep"].join(parts)


def _measure_text(exp: dict[str, Any], line: dict[str, Any], words: dict[str, str],
                  r0: float) -> tuple[str, str | None]:
    """What was measured, in words and numbers a resident understands (and a second sentence where there is one)."""
    code, parts, measure = line["code"], line.get("parts") or {}, line.get("measure")
    if code == "INSP":
        points = parts.get("points") or 0
        if not points:
            return words["insp_clean"].format(visits=exp["visits"]), None
        return words["insp_measure"].format(d=fixed(measure, 2), points=num(points), visits=exp["visits"]), None
    if code == "COMPL":
        text = words["compl_measure"].format(count=parts.get("substantiated", 0), r=fixed(measure, 2),
                                             avg=fixed(r0 * 1000, 2))
        due = parts.get("due", 0)
        if not due:
            return text, words["compl_none_due"]
        if _late_rate(parts):
            return text, words["compl_late"].format(due=due, late=parts.get("late", 0), l=fixed(parts.get("l"), 2))
        t = parts.get("t")
        return text, words["compl_timely"].format(due=due, on_time=parts.get("on_time", 0),
                                                  t=fixed(None if t is None else t * 100, 1))
    if not measure:
        return words["fee_clean"], None
    return words["fee_measure"].format(f=num(measure)), None


def indicator_rows(exp: dict[str, Any], lang: Lang, m: Methodology) -> list[dict[str, Any]]:
    """The points table: per indicator its name and plain explanation, what was measured in words, the points
    earned and lost (``code`` is a machine field); formulas are in ``method_lines``."""
    words = EXPLAIN_TEXT[lang]
    r0 = _r0(exp)
    rows = []
    for line in exp["indicators"]:
        code = line["code"]
        term = m.term("indicators", code)
        text, note = _measure_text(exp, line, words, r0)
        rows.append({"code": code, "label": term.name(lang), "explain": term.explain(lang),
                     "assessed": line["assessed"], "measure": text if line["assessed"] else words["not_assessed_note"],
                     "note": note if line["assessed"] else None, "sub_score": fixed(line.get("sub_score"), 2),
                     "weight": fixed(line["weight"], 4), "earned": fixed(line["points_earned"], 2),
                     "lost": fixed(line["points_lost"], 2)})
    return rows


def method_lines(exp: dict[str, Any], lang: Lang, m: Methodology) -> list[str]:
    """The folded 计算方法: each formula with its numbers and its symbols explained, then the total."""
    words = EXPLAIN_TEXT[lang]
    r0 = _r0(exp)
    out = []
    insp, compl, fee = _line(exp, "INSP"), _line(exp, "COMPL"), _line(exp, "FEE")
    if insp and insp["assessed"]:
        sev = m.inspections.severity_points
        out.append(words["method_insp"].format(
            points=num((insp.get("parts") or {}).get("points") or 0), visits=exp["visits"], d=fixed(insp["measure"], 2),
            minor=num(sev["minor"]), moderate=num(sev["moderate"]), serious=num(sev["serious"]),
            mult=num(m.inspections.overdue_multiplier), curve=_curve(m.inspections.breakpoints, words),
            s=fixed(insp["sub_score"], 2)))
    if compl and compl["assessed"]:
        parts = compl.get("parts") or {}
        c = m.complaints
        out.append(words["method_rate"].format(
            per=num(c.rate_per_households), c=parts.get("substantiated", 0), k=num(c.credibility_households),
            p=f"{r0:.6f}", e=fixed(exp["exposure"], 2), r=fixed(compl["measure"], 2),
            curve=_curve(c.rate_breakpoints, words), u=fixed(parts.get("u"), 2)))
        out.append(_method_timely(exp, parts, words, m))
        out.append(words["method_compl"].format(rw=num(parts.get("rate_weight", c.rate_weight)),
                                                tw=num(parts.get("timeliness_weight", c.timeliness_weight)),
                                                u=fixed(parts.get("u"), 2), v=fixed(parts.get("v"), 2),
                                                s=fixed(compl["sub_score"], 2)))
    if fee:
        out.append(words["method_fee"].format(
            f=num(fee.get("measure") or 0), step=num(m.fees.amount_step_yuan), cap=num(m.fees.amount_points_cap),
            refund=num(m.fees.refund_factor), curve=_curve(m.fees.breakpoints, words), s=fixed(fee["sub_score"], 2)))
    assessed = [line for line in exp["indicators"] if line["assessed"]]
    if len(assessed) < len(exp["indicators"]):
        out.append(words["method_weights"].format(weights=words["flag_sep"].join(
            words["weight_item"].format(label=m.name("indicators", line["code"], lang), weight=fixed(line["weight"], 4))
            for line in assessed)))
    raw = sum(line["points_earned"] for line in assessed) + float(exp.get("bonus") or 0)
    out.append(words["method_total"].format(
        terms=words["term_sep"].join(f"{fixed(line['weight'], 4)} × {fixed(line['sub_score'], 2)}"
                                     for line in assessed),
        bonus=num(exp.get("bonus") or 0), raw=fixed(min(max(raw, 0.0), 100.0), 3), score=fixed(exp["score"], 1)))
    return out


def _method_timely(exp: dict[str, Any], parts: dict[str, Any], words: dict[str, str], m: Methodology) -> str:
    """The timeliness part's formula: ``v = 100 × t`` (the on-time share), or under the late-rate rule
    ``l = per × L ÷ (E + k)`` and ``v`` from l's curve, with the methodology's constant and curve."""
    if not _late_rate(parts):
        return words["method_timely"].format(v=fixed(parts.get("v"), 2))
    c = m.complaints
    # A methodology always states the figures of its late-rate rule; the rate part's stand in only for an
    # explanation read against a methodology that does not (never the case for a stored rating).
    k, per, curve = c.timeliness.figures if c.timeliness.late_rate else \
        (c.credibility_households, c.rate_per_households, c.rate_breakpoints)
    return words["method_late"].format(per=num(per), late=parts.get("late", 0), k=num(k), e=fixed(exp["exposure"], 2),
                                       l=fixed(parts.get("l"), 2), curve=_curve(curve, words),
                                       v=fixed(parts.get("v"), 2))


def reasons(exp: dict[str, Any], lang: Lang, m: Methodology) -> list[dict[str, Any]]:
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
        term = m.term("reasons", reason["code"])
        out.append({"code": reason["code"], "label": term.name(lang), "explain": term.explain(lang),
                    "lost": None if lost is None else fixed(lost, 2), "evidence": evidence,
                    "with_points": any(e["points"] for e in evidence),
                    "with_overdue": any(e["overdue"] for e in evidence),
                    "lost_text": "" if lost is None else words["lost_suffix"].format(lost=fixed(lost, 2))})
    return out


def _now(exp: dict[str, Any], component: str) -> float | None:
    if component == "INSP":
        line = _line(exp, "INSP")
        return None if line is None else line.get("measure")
    line = _line(exp, "COMPL" if component.startswith("COMPL") else "FEE")
    if line is None:
        return None
    if component == "COMPL_TIMELY":
        parts = line.get("parts") or {}
        if _late_rate(parts):
            return parts.get("l")
        t = parts.get("t")
        return None if t is None else t * 100
    return line.get("measure")


def _at_best(step: dict[str, Any]) -> bool:
    best, target = step.get("best_subscore"), step.get("combined_subscore")
    return best is not None and target is not None and target >= best - 1e-9


def _target_text(component: str, measure: float | None, count: float | None, exp: dict[str, Any],
                 words: dict[str, str], *, at_best: bool = False) -> str:
    """One component's target in words, rounded as a company must read it (limits down, shares up)."""
    if measure is None:
        return words["path_any"]
    measure = float(measure)
    if math.isinf(measure):
        return words["path_any"]
    now = _now(exp, component)
    if component == "COMPL_TIMELY" and _late_rate((_line(exp, "COMPL") or {}).get("parts") or {}):
        # Late complaints per 1,000 household-years to stay under, and the late complaints that allows.
        late = shown(measure, 2, at_most=True)
        if count is None or math.isnan(float(count)):
            return words["path_late_rate"].format(value=fixed(late, 2), now=fixed(now, 2))
        if not count:
            return words["path_late_zero"].format(value=fixed(late, 2), now=fixed(now, 2))
        return words["path_late"].format(count=str(int(count)), value=fixed(late, 2), now=fixed(now, 2))
    if component == "COMPL_TIMELY":
        return words["path_timely"].format(value=fixed(shown(measure * 100, 1, at_most=False), 1), now=fixed(now, 1))
    value = shown(measure, 2, at_most=True)
    if component == "INSP":
        return words["path_insp_zero"] if not value else words["path_insp"].format(value=fixed(value, 2),
                                                                                 now=fixed(now, 2))
    if component == "FEE":
        return words["path_fee_zero"] if not value else words["path_fee"].format(value=num(value), now=num(now or 0))
    if not count and at_best:
        return words["path_rate_best"].format(value=fixed(shown(measure, 2), 2), now=fixed(now, 2))
    if not count:
        return words["path_rate_zero"].format(value=fixed(value, 2), now=fixed(now, 2))
    return words["path_rate"].format(count=str(int(count)), value=fixed(value, 2), now=fixed(now, 2))


def _prior_note(step: dict[str, Any], exp: dict[str, Any], words: dict[str, str]) -> str | None:
    """Why substantiated complaints can gain less than they lost: the county prior keeps the rate above zero."""
    best = step.get("best_subscore")
    if step["component"] != "COMPL_RATE" or step.get("reachable") or best is None or best >= 100 - 1e-9:
        return None
    return words["prior_note"]


def path(exp: dict[str, Any], lang: Lang, m: Methodology) -> dict[str, Any]:
    """The path to the next grade: ``headline``, a ``lead`` sentence, ``steps`` (label, text, machine field
    ``component``) and a ``note`` (why a component gains less than it lost); ``mode`` says which path it is:
    top, veto, single (any one step suffices), combined (all steps together) or none (not this cycle)."""
    words = EXPLAIN_TEXT[lang]
    if exp["veto"]:
        return {"mode": "veto", "headline": words["path_veto"].format(grade=m.veto.grade), "lead": None,
                "steps": [], "note": None}
    if exp.get("next_grade") is None:
        return {"mode": "top", "headline": words["path_top"], "lead": None, "steps": [], "note": None}
    grade = exp["next_grade"]
    headline = words["path_gap"].format(grade=grade, gap=fixed(exp.get("gap"), 1))
    raw_steps = exp.get("path") or []
    notes = [n for n in (_prior_note(s, exp, words) for s in raw_steps) if n]
    note = notes[0] if notes else None

    def label(step: dict[str, Any]) -> str:
        return m.name("reasons", step["component"], lang)

    if any(s.get("reachable") for s in raw_steps):
        steps = [{"component": s["component"], "label": label(s), "reachable": True,
                  "text": _target_text(s["component"], s.get("target_measure"), s.get("target_count"), exp, words)}
                 for s in raw_steps if s.get("reachable")]
        others = [words["path_other_item"].format(label=label(s), gain=fixed(s.get("max_gain"), 2))
                  for s in raw_steps if not s.get("reachable")]
        if others:
            others_line = words["path_others"].format(items=words["flag_sep"].join(others))
            note = others_line if note is None else f"{others_line}{words['note_sep']}{note}"
        return {"mode": "single", "headline": headline, "lead": words["path_single_lead"], "steps": steps,
                "note": note}
    chosen = [s for s in raw_steps if s.get("combined")]
    if chosen:
        names = words["path_names_sep"].join(label(s) for s in chosen)
        steps = [{"component": s["component"], "label": label(s), "reachable": True,
                  "text": _target_text(s["component"], s.get("combined_measure"), s.get("combined_count"), exp, words,
                                       at_best=_at_best(s))}
                 for s in chosen]
        return {"mode": "combined", "headline": headline, "lead": words["path_combined_lead"].format(names=names),
                "steps": steps, "note": note}
    best = float(exp["score"]) + sum(float(s.get("max_gain") or 0) for s in raw_steps)
    return {"mode": "none", "headline": headline,
            "lead": words["path_none"].format(grade=grade, best=fixed(shown(min(best, 100.0), 1, at_most=True), 1)),
            "steps": [], "note": note}


def path_lines(worded: dict[str, Any], lang: Lang) -> list[str]:
    """The path as lines of text, as every page and the terminal show it."""
    words = EXPLAIN_TEXT[lang]
    lines = [worded["headline"]]
    if worded["lead"]:
        lines.append(worded["lead"])
    lines += [words["path_step"].format(label=s["label"], text=s["text"]) for s in worded["steps"]]
    if worded["note"]:
        lines.append(worded["note"])
    return lines


FLAGS = (("provisional", "flags", "provisional"), ("veto", "flags", "veto"), ("red", "lists", "red_list"),
         ("black", "lists", "black_list"), ("floor", "flags", "floor_applied"))


def flags(exp: dict[str, Any], lang: Lang, m: Methodology, *, with_provisional: bool = True) -> list[str]:
    """The rating's flags in the methodology's words: 暂定, 一票否决, 红榜, 黑榜, 保底."""
    return [m.name(section, name, lang) for name, section, key in FLAGS
            if exp.get(key) and (with_provisional or name != "provisional")]
