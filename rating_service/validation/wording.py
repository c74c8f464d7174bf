"""The words of the validation report and the what-if, shared by the officer pages, the CLI and the PDF."""

from __future__ import annotations

from typing import Any

from rating_service.i18n import Lang, translate
from rating_service.i18n.explanations import EXPLAIN_TEXT
from rating_service.i18n.validation import PAGE_TEXT as TEXT
from rating_service.i18n.validation import REASON_WORDS


def words(lang: Lang) -> dict[str, str]:
    return {k: v[lang] for k, v in TEXT.items()}


def psi_label(label: str, lang: Lang) -> str:
    return TEXT[f"psi_{label}"][lang]


def reason_text(codes: list[str] | tuple[str, ...], lang: Lang) -> str:
    sep = translate("list_separator", lang)
    return sep.join(REASON_WORDS.get(c, {"zh": c, "en": c})[lang] for c in codes)


def fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "—"
    return f"{float(value):.{digits}f}"


def pct(value: Any, digits: int = 1) -> str:
    if value is None:
        return "—"
    return f"{100 * float(value):.{digits}f}%"


def report_figures(report: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """What the page and the PDF show besides the report itself: labels and chart geometry."""
    names = {o["code"]: o[lang] for o in report["outcomes"]}
    bars = []
    for o in report["back_test"]["outcomes"]:
        rates = [g["rate"] for g in o["grades"] if g["rate"] is not None]
        top = max(rates) if rates else 0
        bars.append({"code": o["code"], "name": names.get(o["code"], o["code"]),
                     "grades": [{**g, "height": 0 if not top or g["rate"] is None else 80 * g["rate"] / top,
                                 "label": pct(g["rate"], 0)} for g in o["grades"]]})
    stability = report["stability"]
    widest = max([max(b["expected_share"], b["actual_share"]) for b in stability["bands"]] or [0]) or 1
    psi_bars = [{**b, "e": 80 * b["expected_share"] / widest, "a": 80 * b["actual_share"] / widest}
                for b in stability["bands"]]
    return {"names": names, "bars": bars, "psi_bars": psi_bars, "psi_label": psi_label(stability["label"], lang),
            "fmt": fmt, "pct": pct, "indicator_names": EXPLAIN_TEXT[lang], "percent": round(
                100 * report["back_test"]["confidence"])}
