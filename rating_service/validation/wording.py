"""The words of the validation report and the what-if, shared by the officer pages, the CLI and the PDF."""

from __future__ import annotations

import math
from typing import Any

from rating_service.i18n import Lang, translate
from rating_service.i18n.explanations import EXPLAIN_TEXT
from rating_service.i18n.validation import PAGE_TEXT as TEXT
from rating_service.i18n.validation import REASON_WORDS
from scoring.validation import COMPL_PARTS as _PART_COLUMNS


def words(lang: Lang) -> dict[str, str]:
    return {k: v[lang] for k, v in TEXT.items()}


def psi_label(label: str, lang: Lang) -> str:
    return TEXT[f"psi_{label}"][lang]


def rule_changes_text(paths: list[str], current: Any, draft: Any, lang: Lang) -> list[str]:
    """The what-if's ``rule_changes`` in words, one line each: a weight or a curve named by its indicator, the
    timeliness rule with how each version scores it (ZY-2025 → ZY-2026: the share on time → late complaints per
    1,000 household-years)."""
    from rating_service.methodologies import service as methodologies

    out = []
    for path in paths:
        field = methodologies.field_words(path, draft).render(lang)
        if path.startswith("weights.") and path.removeprefix("weights.") in draft.weights:
            code = path.removeprefix("weights.")
            field = TEXT["field_weight_of"][lang].format(name=draft.name("indicators", code, lang))
            out.append(TEXT["rule_change"][lang].format(
                field=field, before=_per_cent(current.weights.get(code)), after=_per_cent(draft.weights[code])))
        elif path == methodologies.TIMELINESS_RULE:
            out.append(TEXT["rule_change"][lang].format(
                field=field, before=methodologies.timeliness_words(current, lang),
                after=methodologies.timeliness_words(draft, lang)))
        elif path == "bands":
            out.append(TEXT["rule_change"][lang].format(
                field=field, before=" ".join(f"{b.grade} ≥ {b.min:g}" for b in current.bands),
                after=" ".join(f"{b.grade} ≥ {b.min:g}" for b in draft.bands)))
        else:
            out.append(TEXT["rule_change"][lang].format(field=field, before=_value(current, path),
                                                        after=_value(draft, path)))
    return out


def _per_cent(weight: float | None) -> str:
    return "—" if weight is None else f"{100 * weight:.10g}%"


def _value(methodology: Any, path: str) -> str:
    """A methodology's value at a key path, short: a curve as its points, nothing as —."""
    value: Any = methodology.model_dump(mode="json")
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if value is None:
        return "—"
    if isinstance(value, list) and all(isinstance(v, list) and len(v) == 2 for v in value):
        return " ".join(f"({x:g}, {y:g})" for x, y in value)
    return str(value)[:80]


COMPL_PARTS = tuple(code for code, _column in _PART_COLUMNS)  # the complaints score's parts a reason may name


def reason_text(codes: list[str] | tuple[str, ...], lang: Lang) -> str:
    """The what-if's reasons in words; the parts of the complaints score that moved go in brackets after it
    (投诉处置（按时办结部分）)."""
    sep = translate("list_separator", lang)

    def word(code: str) -> str:
        return REASON_WORDS.get(code, {"zh": code, "en": code})[lang]

    out: list[str] = []
    for code in codes:
        if code in COMPL_PARTS and "COMPL" in codes:
            continue
        parts = [word(p) for p in codes if p in COMPL_PARTS] if code == "COMPL" else []
        if parts:
            out.append(f"{word(code)}（{sep.join(parts)}）" if lang == "zh" else f"{word(code)} ({', '.join(parts)})")
        else:
            out.append(word(code))
    return sep.join(out)


def fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "—"
    return f"{float(value):.{digits}f}"


def pct(value: Any, digits: int = 1) -> str:
    if value is None:
        return "—"
    return f"{100 * float(value):.{digits}f}%"


def advice_warning(warning: dict[str, Any], coefficients: dict[str, float] | None, lang: Lang,
                   names: dict[str, str] | None = None) -> str:
    """An advisory-weight warning in words, by its kind, the indicator named (not coded)."""
    name = (names or EXPLAIN_TEXT[lang]).get(warning["indicator"], warning["indicator"])
    key = f"advice_{warning['code']}"
    if key not in TEXT:
        return str(warning[lang])
    coef = (coefficients or {}).get(warning["indicator"])
    return TEXT[key][lang].format(name=name, coef="—" if coef is None else f"{coef:+.3f}")


def report_figures(report: dict[str, Any], lang: Lang, indicators: dict[str, str] | None = None) -> dict[str, Any]:
    """What the page and the PDF show besides the report itself: labels and chart geometry. ``indicators``: the
    indicators' names in the methodology's own words (``indicator_names``)."""
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
            "fmt": fmt, "pct": pct, "indicator_names": indicators or EXPLAIN_TEXT[lang],
            "conclusion": conclusion(report, lang), "advice_warning": advice_warning,
            "percent": round(100 * report["back_test"]["confidence"])}


# -- the plain conclusion at the top of the report -------------------------------------------------------------------
#
# AUC bands. The AUC is the chance that a company that had the outcome in the next cycle scored lower than one that
# did not: 0.5 is a coin toss, 1 a perfect ranking. The bands are the usual reading of a discrimination AUC in
# credit scoring and clinical prediction (Hosmer & Lemeshow, *Applied Logistic Regression*, ch. 5: 0.7 acceptable,
# 0.8 excellent, 0.9 outstanding), with 0.6 as the floor below which a ranking is too close to chance to lean on.
# Below 0.45 the ranking points the wrong way (better grades, more trouble) by more than noise of a county's size.
AUC_BANDS: tuple[tuple[float, str], ...] = (
    (0.9, "strong"),  # outstanding: almost every company with the outcome is ranked below one without
    (0.8, "good"),    # excellent: the grades separate the two groups clearly
    (0.7, "fair"),    # acceptable: a real but partial separation
    (0.6, "weak"),    # some signal, not enough to rely on alone
    (0.45, "none"),   # indistinguishable from chance
)
# Fewer companies than this with (or without) the outcome and the AUC says nothing: it is not banded.
MIN_EVENTS = 5
# Kendall's τ of the ranks when every weight is shaken by ±20%: the share of company pairs that swap order is
# (1 − τ) / 2, so τ 0.9 means 5% of pairs swap (the ranking hardly depends on the exact weights) and τ below 0.7
# means more than 15% swap (the grades hang on the exact weights).
TAU_HIGH = 0.9
TAU_LOW = 0.7


def auc_band(auc: float | None, *, events: int | None = None, n: int | None = None) -> str:
    """The band of a back-test AUC: strong, good, fair, weak, none, reverse, or unknown (no AUC or too few cases
    on either side to judge)."""
    if auc is None or math.isnan(float(auc)):
        return "unknown"
    if events is not None and (events < MIN_EVENTS or (n is not None and n - events < MIN_EVENTS)):
        return "unknown"
    for floor, band in AUC_BANDS:
        if auc >= floor:
            return band
    return "reverse"


def tau_band(tau: float | None) -> str | None:
    if tau is None or math.isnan(float(tau)):
        return None
    return "high" if tau >= TAU_HIGH else "mid" if tau >= TAU_LOW else "low"


def _outcome_sentence(o: dict[str, Any], name: str, percent: int, lang: Lang) -> str:
    band = auc_band(o["auc"], events=o["events"], n=o["n"])
    if band == "unknown":
        return TEXT["conclusion_no_events"][lang].format(outcome=name)
    auc = f"{float(o['auc']):.2f}"
    if band == "reverse":
        key = "conclusion_reversed"
    elif band == "none":
        key = "conclusion_flat"
    else:
        key = "conclusion_monotone" if o.get("monotone") else "conclusion_mostly"
    text = TEXT[key][lang].format(band=TEXT[f"conclusion_{band}"][lang], outcome=name, auc=auc)
    ci = o.get("auc_ci")
    if band not in ("none", "reverse") and ci and ci[0] <= 0.5 <= ci[1]:
        text += TEXT["conclusion_uncertain"][lang].format(p=percent, lo=f"{ci[0]:.2f}", hi=f"{ci[1]:.2f}")
    return text


def conclusion(report: dict[str, Any], lang: Lang) -> list[str]:
    """The report in a few plain sentences: how well the grades foretold each outcome of the next cycle (banded by
    ``auc_band``), how stable the scores were (PSI, banded by ``scoring.validation.stability_label``: below 0.1
    stable, up to 0.25 worth a look, above a shift) and how far the ranking depends on the exact weights
    (Kendall's τ, ``tau_band``)."""
    names = {o["code"]: o[lang] for o in report["outcomes"]}
    percent = round(100 * report["back_test"]["confidence"])
    sentences = [_outcome_sentence(o, names.get(o["code"], o["code"]), percent, lang)
                 for o in report["back_test"]["outcomes"]]
    stability = report["stability"]
    if stability.get("psi") is not None:
        sentences.append(TEXT[f"conclusion_{stability['label']}"][lang].format(psi=fmt(stability["psi"], 2)))
    sensitivity = report["sensitivity"]
    tau = (sensitivity.get("kendall_tau") or {}).get("median")
    if (band := tau_band(tau)) is not None:
        sentences.append(TEXT[f"conclusion_tau_{band}"][lang].format(
            spread=round(100 * float(sensitivity["spread"])), tau=fmt(tau, 2)))
    return sentences
