"""One company's explanation as plain data: points table, reasons with evidence, path to the next grade."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from scoring.engine import RatingResult
from scoring.methodology import Methodology
from scoring.piecewise import round_half_up


@dataclass(frozen=True)
class IndicatorLine:
    code: str  # INSP, COMPL, FEE
    measure: float | None  # d, r (per 1,000 household-years), F
    sub_score: float | None  # None when not assessed
    weight: float  # re-normalised weight w'
    points_earned: float
    points_lost: float
    assessed: bool
    parts: dict[str, float | None] = field(default_factory=dict)  # COMPL: u, t, v


@dataclass(frozen=True)
class Evidence:
    kind: str
    record_id: str
    event_date: str | None
    points: float | None
    detail: float | None  # COMPL_TIMELY: days overdue


@dataclass(frozen=True)
class Reason:
    code: str
    points_lost: float | None
    evidence: list[Evidence]


@dataclass(frozen=True)
class PathStep:
    component: str
    max_gain: float
    reachable: bool
    target_subscore: float | None
    target_measure: float | None  # d, r, t or F that closes the gap (d, r, F: at most; t: at least)
    target_count: float | None = None  # COMPL_RATE: the most substantiated complaints that still close it
    best_subscore: float | None = None  # the best sub-score the company can reach (COMPL_RATE: below 100, the prior)
    # Part of the combined path (no single component suffices; greedy by the largest gain) and its targets there.
    combined: bool = False
    combined_subscore: float | None = None
    combined_measure: float | None = None
    combined_count: float | None = None


@dataclass(frozen=True)
class Explanation:
    credit_code: str
    name: str | None
    methodology_id: str
    period: tuple[str, str]
    score: float
    grade: str
    band_grade: str
    bonus: float
    veto: bool
    floor_applied: bool
    provisional: bool
    red_list: bool
    black_list: bool
    exposure: float
    visits: int
    indicators: list[IndicatorLine]
    reasons: list[Reason]
    next_grade: str | None
    gap: float | None
    path: list[PathStep]
    constants: dict[str, float]

    def as_dict(self) -> dict[str, Any]:
        """Dataclasses to dicts, tuples to lists, NaN to None (a nation stores 150,000 of these: no deep copies)."""
        return _plain(self)


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _plain(value: Any) -> Any:
    """Plain JSON-able data: dataclasses to dicts, tuples to lists, NaN to None; without
    ``dataclasses.asdict``'s deep copies, which cost more than the rest of a nation's compute."""
    kind = type(value)
    if value is None or kind is str or kind is int or kind is bool:
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    names = _FIELD_NAMES.get(kind)
    if names is None and dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(value))
    if names is not None:
        out = {}
        for name in names:  # most fields are plain values: no call for them
            field = getattr(value, name)
            field_type = type(field)
            if field_type is str or field is None or field_type is int or field_type is bool:
                out[name] = field
            elif field_type is float:
                out[name] = None if math.isnan(field) else field
            else:
                out[name] = _plain(field)
        return out
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _date_text(value: Any) -> str | None:
    return None if value is None or pd.isna(value) else str(np.datetime64(value, "D"))


def _num(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def explain(result: RatingResult, credit_code: str, methodology: Methodology) -> Explanation:
    rows = result.companies[result.companies["credit_code"] == credit_code]
    if rows.empty:
        raise KeyError(credit_code)
    reasons = result.reasons[result.reasons["credit_code"] == credit_code].to_dict("records")
    evidence = result.evidence[result.evidence["credit_code"] == credit_code].to_dict("records")
    path = result.paths[result.paths["credit_code"] == credit_code].to_dict("records")
    return _explanation(rows.iloc[0].to_dict(), reasons, evidence, path, result, methodology)


def explain_all(result: RatingResult, methodology: Methodology) -> Iterator[Explanation]:
    """Every rated company's explanation, in the order of ``result.companies`` (one pass per frame)."""
    reasons = _grouped(result.reasons)
    evidence = _grouped_evidence(result.evidence)
    paths = _grouped(result.paths)
    for row in _records(result.companies):
        code = row["credit_code"]
        yield _explanation(row, reasons.get(code, []), [], paths.get(code, []), result, methodology,
                           by_reason=evidence.get(code, {}))


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """``frame.to_dict("records")`` column by column: the same Python values (``tolist`` unboxes numpy
    scalars; datetimes become Timestamps), without pandas' per-row work."""
    columns = list(frame.columns)
    return [dict(zip(columns, values, strict=True))
            for values in zip(*(frame[c].tolist() for c in columns), strict=True)]


def _grouped(frame: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for row in _records(frame):
        out.setdefault(str(row["credit_code"]), []).append(row)
    return out


def _grouped_evidence(frame: pd.DataFrame) -> dict[str, dict[str, list[Evidence]]]:
    """Evidence per company and reason, built column-wise with the conversions ``_explanation`` applies
    to one evidence row (``str``, ``_date_text``, ``_num``), in frame order."""
    if frame.empty:
        return {}
    dates, texts = pd.factorize(frame["event_date"])  # few distinct days: format each once
    date_text = [*(_date_text(day) for day in texts), None]  # code -1 (missing) picks the final None
    items = zip(
        (str(v) for v in frame["kind"].tolist()),
        (str(v) for v in frame["record_id"].tolist()),
        (date_text[code] for code in dates.tolist()),
        _numbers(frame["points"]),
        _numbers(frame["detail"]),
        strict=True,
    )
    out: dict[str, dict[str, list[Evidence]]] = {}
    for code, reason, item in zip(frame["credit_code"].tolist(), frame["reason"].tolist(), items, strict=True):
        out.setdefault(str(code), {}).setdefault(reason, []).append(Evidence(*item))
    return out


def _numbers(values: pd.Series) -> list[float | None]:
    """``_num`` of every value."""
    if values.dtype == np.float64:
        plain = values.to_numpy().astype(object)  # Python floats
        plain[values.isna().to_numpy()] = None
        return plain.tolist()
    return [_num(v) for v in values.tolist()]


def _explanation(row: dict[str, Any], reasons: list[dict[str, Any]], evidence: list[dict[str, Any]],
                 path: list[dict[str, Any]], result: RatingResult, methodology: Methodology, *,
                 by_reason: dict[str, list[Evidence]] | None = None) -> Explanation:
    """One explanation from a company row and its reason, evidence and path rows; ``by_reason`` is the
    evidence already converted and grouped by reason code (``explain_all``), else built from ``evidence``."""
    credit_code = str(row["credit_code"])
    rw, tw = methodology.complaints.rate_weight, methodology.complaints.timeliness_weight
    lines = []
    for code, measure, score, weight, assessed, lost, parts in (
        ("INSP", row["insp_measure"], row["insp_score"], row["w_insp"], row["insp_assessed"], row["lost_INSP"],
         {"points": _num(row["insp_points"]), "visits": int(row["visits"])}),
        ("COMPL", row["compl_rate"], row["compl_score"], row["w_compl"], row["compl_assessed"],
         row["lost_COMPL_RATE"] + row["lost_COMPL_TIMELY"],
         {"u": _num(row["compl_rate_score"]), "t": _num(row["compl_timeliness"]),
          "v": _num(row["compl_timeliness_score"]), "rate_weight": rw, "timeliness_weight": tw,
          "substantiated": int(row["compl_substantiated"]), "on_time": int(row["compl_on_time"]),
          "due": int(row["compl_due"])}),
        ("FEE", row["fee_points"], row["fee_score"], row["w_fee"], row["fee_assessed"], row["lost_FEE"], {}),
    ):
        sub = _num(score)
        earned = float(weight) * sub if sub is not None else 0.0
        lines.append(IndicatorLine(code, _num(measure), sub, float(weight), earned, float(lost), bool(assessed),
                                   parts))
    if by_reason is None:
        by_reason = {}
        for e in evidence:
            by_reason.setdefault(e["reason"], []).append(
                Evidence(str(e["kind"]), str(e["record_id"]), _date_text(e["event_date"]), _num(e["points"]),
                         _num(e["detail"])))
    reason_list = [Reason(r["reason"], _num(r["points_lost"]), by_reason.get(r["reason"], [])) for r in reasons]
    steps = [PathStep(str(p["component"]), float(p["max_gain"]), bool(p["reachable"]), _num(p["target_subscore"]),
                      _num(p["target_measure"]), _num(p["target_count"]), _num(p.get("best_subscore")),
                      bool(p.get("combined", False)), _num(p.get("combined_subscore")),
                      _num(p.get("combined_measure")), _num(p.get("combined_count"))) for p in path]
    return Explanation(
        credit_code=credit_code, name=row["name"] if isinstance(row["name"], str) else None,
        methodology_id=result.methodology_id,
        period=(result.period.start.isoformat(), result.period.end.isoformat()),
        score=float(row["score"]), grade=str(row["grade"]), band_grade=str(row["band_grade"]),
        bonus=float(row["bonus"]), veto=bool(row["veto"]), floor_applied=bool(row["floor_applied"]),
        provisional=bool(row["provisional"]), red_list=bool(row["red_list"]), black_list=bool(row["black_list"]),
        exposure=float(row["exposure"]), visits=int(row["visits"]), indicators=lines, reasons=reason_list,
        next_grade=str(path[0]["next_grade"]) if path else None,
        gap=float(path[0]["gap"]) if path else None,
        path=steps, constants=result.constants.as_dict(),
    )


def shown(value: float | None, decimals: int = 2, *, at_most: bool | None = None) -> float | None:
    """A figure for display: thresholds a company must stay under round down, those to reach round up."""
    if value is None or math.isnan(value) or math.isinf(value):
        return value
    factor = 10 ** decimals
    if at_most is True:
        return math.floor(value * factor + 1e-9) / factor
    if at_most is False:
        return math.ceil(value * factor - 1e-9) / factor
    return float(round_half_up(value, decimals))
