"""One company's explanation as plain data: points table, reasons with evidence, path to the next grade."""

from __future__ import annotations

import dataclasses
import json
import json.encoder
import math
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


def explanations_json(result: RatingResult, methodology: Methodology) -> list[str]:
    """Every rated company's explanation as JSON text, in the order of ``result.companies``.

    Byte for byte ``json.dumps(explain(result, code, methodology).as_dict(), ensure_ascii=False,
    separators=(",", ":"))``, but built column by column: each field is formatted once per distinct value
    (scores, weights, dates and points repeat a lot) and the pieces are joined per company, with no
    ``Explanation`` objects in between (a nation has 150,000 companies and millions of evidence rows).
    """
    companies = result.companies
    n = len(companies)
    if n == 0:
        return []
    codes = [str(v) for v in companies["credit_code"].tolist()]
    position = pd.Index(codes)

    def owner_of(frame: pd.DataFrame) -> np.ndarray:
        """Position in ``companies`` of each row's company (-1: not rated, never shown)."""
        return position.get_indexer([str(v) for v in frame["credit_code"].tolist()]).astype(np.int64)

    # Evidence: one JSON object per row, joined per (company, reason) in frame order.
    evidence = result.evidence
    reasons = result.reasons
    reason_text = {kind: [str(v) for v in frame["reason"].tolist()] for kind, frame in
                   (("reasons", reasons), ("evidence", evidence))}
    reason_names = pd.Index(pd.unique(np.array(reason_text["reasons"] + reason_text["evidence"], dtype=object)))
    width = max(len(reason_names), 1)
    evidence_keys = np.zeros(0, dtype=np.int64)
    evidence_lists: list[str] = []
    if len(evidence):
        dates, days = pd.factorize(evidence["event_date"])
        date_texts = [*(_json_or_null(_date_text(day)) for day in days), "null"]  # code -1 (missing): null
        items = [f'{{"kind":{k},"record_id":{r},"event_date":{d},"points":{p},"detail":{x}}}'
                 for k, r, d, p, x in zip(_json_strings(evidence["kind"]), _json_strings(evidence["record_id"]),
                                          _pick(date_texts, dates), _json_floats(evidence["points"]),
                                          _json_floats(evidence["detail"]), strict=True)]
        owner = owner_of(evidence)
        key = owner * width + reason_names.get_indexer(reason_text["evidence"])
        evidence_keys, evidence_lists = _joined(items, np.where(owner >= 0, key, -1))

    # Reasons: each with its evidence list, joined per company.
    reason_lists = [""] * n
    if len(reasons):
        owner = owner_of(reasons)
        key = owner * width + reason_names.get_indexer(reason_text["reasons"])
        at = np.searchsorted(evidence_keys, key)
        found = np.zeros(len(key), dtype=bool)
        if len(evidence_keys):
            found = (at < len(evidence_keys)) & (evidence_keys[np.minimum(at, len(evidence_keys) - 1)] == key)
        lists = _pick([*evidence_lists, ""], np.where(found, at, -1))
        items = [f'{{"code":{c},"points_lost":{p},"evidence":[{e}]}}'
                 for c, p, e in zip(_json_strings(reasons["reason"]), _json_floats(reasons["points_lost"]), lists,
                                    strict=True)]
        groups, joined = _joined(items, owner)
        for g, text in zip(groups.tolist(), joined, strict=True):
            reason_lists[g] = text

    # Path steps, joined per company; the next grade and the gap come from each company's first step.
    paths = result.paths
    path_lists = [""] * n
    next_grade = ["null"] * n
    gap = ["null"] * n
    if len(paths):
        def floats(name: str) -> list[str]:
            return _json_floats(paths[name]) if name in paths else ["null"] * len(paths)

        items = [f'{{"component":{c},"max_gain":{g},"reachable":{r},"target_subscore":{ts},'
                 f'"target_measure":{tm},"target_count":{tc},"best_subscore":{b},"combined":{cb},'
                 f'"combined_subscore":{cs},"combined_measure":{cm},"combined_count":{cc}}}'
                 for c, g, r, ts, tm, tc, b, cb, cs, cm, cc in zip(
                     _json_strings(paths["component"]), _json_floats(paths["max_gain"]),
                     _json_bools(paths["reachable"]), floats("target_subscore"), floats("target_measure"),
                     floats("target_count"), floats("best_subscore"),
                     _json_bools(paths["combined"]) if "combined" in paths else ["false"] * len(paths),
                     floats("combined_subscore"), floats("combined_measure"), floats("combined_count"),
                     strict=True)]
        owner = owner_of(paths)
        groups, joined = _joined(items, owner)
        first = _first_of_groups(owner)
        grades = _json_strings(paths["next_grade"])
        gaps = _json_floats(paths["gap"])
        for g, text, row in zip(groups.tolist(), joined, first.tolist(), strict=True):
            path_lists[g] = text
            next_grade[g] = grades[row]
            gap[g] = gaps[row]

    c = companies

    def number(name: str) -> np.ndarray:
        return c[name].to_numpy(dtype=float)

    def earned(weight: str, score: str) -> list[str]:  # w'·sub-score, 0.0 when not assessed
        sub = number(score)
        return _json_floats(np.where(np.isnan(sub), 0.0, number(weight) * sub))

    rw = _JSON.encode(_plain(methodology.complaints.rate_weight))
    tw = _JSON.encode(_plain(methodology.complaints.timeliness_weight))
    visits = _json_ints(c["visits"])
    names = [_encode_string(v) if isinstance(v, str) else "null" for v in c["name"].tolist()]
    head = (f',"methodology_id":{_JSON.encode(result.methodology_id)},'
            f'"period":{_JSON.encode([result.period.start.isoformat(), result.period.end.isoformat()])},')
    tail = f',"constants":{_JSON.encode(_plain(result.constants.as_dict()))}}}'
    columns = zip(
        [_encode_string(code) for code in codes], names,
        _json_floats(c["score"]), _json_strings(c["grade"]), _json_strings(c["band_grade"]),
        _json_floats(c["bonus"]), _json_bools(c["veto"]), _json_bools(c["floor_applied"]),
        _json_bools(c["provisional"]), _json_bools(c["red_list"]), _json_bools(c["black_list"]),
        _json_floats(c["exposure"]), visits,
        # INSP
        _json_floats(c["insp_measure"]), _json_floats(c["insp_score"]), _json_floats(c["w_insp"]),
        earned("w_insp", "insp_score"), _json_floats(c["lost_INSP"]), _json_bools(c["insp_assessed"]),
        _json_floats(c["insp_points"]),
        # COMPL
        _json_floats(c["compl_rate"]), _json_floats(c["compl_score"]), _json_floats(c["w_compl"]),
        earned("w_compl", "compl_score"), _json_floats(number("lost_COMPL_RATE") + number("lost_COMPL_TIMELY")),
        _json_bools(c["compl_assessed"]), _json_floats(c["compl_rate_score"]), _json_floats(c["compl_timeliness"]),
        _json_floats(c["compl_timeliness_score"]), _json_ints(c["compl_substantiated"]),
        _json_ints(c["compl_on_time"]), _json_ints(c["compl_due"]),
        # FEE
        _json_floats(c["fee_points"]), _json_floats(c["fee_score"]), _json_floats(c["w_fee"]),
        earned("w_fee", "fee_score"), _json_floats(c["lost_FEE"]), _json_bools(c["fee_assessed"]),
        reason_lists, next_grade, gap, path_lists,
        strict=True,
    )
    return [
        f'{{"credit_code":{code},"name":{name}{head}"score":{score},"grade":{grade},"band_grade":{band},'
        f'"bonus":{bonus},"veto":{veto},"floor_applied":{floor},"provisional":{prov},"red_list":{red},'
        f'"black_list":{black},"exposure":{exposure},"visits":{visit},"indicators":['
        f'{{"code":"INSP","measure":{im},"sub_score":{isc},"weight":{iw},"points_earned":{ie},"points_lost":{il},'
        f'"assessed":{ia},"parts":{{"points":{ip},"visits":{visit}}}}},'
        f'{{"code":"COMPL","measure":{cm},"sub_score":{csc},"weight":{cw},"points_earned":{ce},"points_lost":{cl},'
        f'"assessed":{ca},"parts":{{"u":{cu},"t":{ct},"v":{cv},"rate_weight":{rw},"timeliness_weight":{tw},'
        f'"substantiated":{cs},"on_time":{co},"due":{cd}}}}},'
        f'{{"code":"FEE","measure":{fm},"sub_score":{fsc},"weight":{fw},"points_earned":{fe},"points_lost":{fl},'
        f'"assessed":{fa},"parts":{{}}}}],"reasons":[{reason}],"next_grade":{nxt},"gap":{gp},"path":[{path}]{tail}'
        for (code, name, score, grade, band, bonus, veto, floor, prov, red, black, exposure, visit,
             im, isc, iw, ie, il, ia, ip, cm, csc, cw, ce, cl, ca, cu, ct, cv, cs, co, cd,
             fm, fsc, fw, fe, fl, fa, reason, nxt, gp, path) in columns
    ]


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_encode_string = json.encoder.encode_basestring  # what that encoder writes for a str


def _json_or_null(text: str | None) -> str:
    return "null" if text is None else _encode_string(text)


def _float_text(value: float) -> str:
    """A float as the encoder writes it after ``_plain`` (NaN became None)."""
    return "null" if value != value else _JSON.encode(value)


def _pick(texts: list[str], codes: np.ndarray) -> list[str]:
    """``texts[code]`` for every code; -1 picks the last text."""
    out: list[str] = np.asarray(texts, dtype=object)[codes].tolist()
    return out


def _json_floats(values: Any) -> list[str]:
    """JSON of ``float(v)`` for every value (``_num``: NaN as null); each distinct value formatted once."""
    numbers = np.asarray(values, dtype=float)
    codes, uniques = pd.factorize(numbers, use_na_sentinel=True)
    out = _pick([*(_float_text(v) for v in uniques.tolist()), "null"], codes)
    for i in np.flatnonzero((numbers == 0) & np.signbit(numbers)).tolist():  # -0.0 hashes as 0.0
        out[i] = "-0.0"
    return out


def _json_ints(values: Any) -> list[str]:
    return [str(v) for v in np.asarray(values, dtype=np.int64).tolist()]


def _json_bools(values: Any) -> list[str]:
    flags = np.asarray(values)
    if flags.dtype != bool:
        flags = np.array([bool(v) for v in flags.tolist()], dtype=bool)
    out: list[str] = np.where(flags, "true", "false").astype(object).tolist()
    return out


def _json_strings(values: pd.Series) -> list[str]:
    """JSON of ``str(v)`` for every value; each distinct value encoded once."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    out = _pick([*(_encode_string(str(v)) for v in uniques.tolist()), ""], codes)
    missing = np.flatnonzero(codes < 0)
    if missing.size:  # str() of whatever the frame holds there (None, nan)
        held = values.to_numpy(dtype=object)
        for i in missing.tolist():
            out[i] = _encode_string(str(held[i]))
    return out


def _first_of_groups(owner: np.ndarray) -> np.ndarray:
    """Row of each group's first member (groups < 0 dropped), groups ascending as ``_joined`` returns them."""
    order = np.argsort(owner, kind="stable")
    g = owner[order]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    return order[starts[g[starts] >= 0]]


def _joined(items: list[str], group: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """``items`` joined with commas per group, frame order kept within a group; groups < 0 are dropped.

    Returns the distinct groups in ascending order and their joined texts."""
    order = np.argsort(group, kind="stable")
    g = group[order]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    ends = np.r_[starts[1:], len(g)]
    ordered = np.asarray(items, dtype=object)[order].tolist()
    keep = g[starts] >= 0
    starts, ends = starts[keep], ends[keep]
    return g[starts], [",".join(ordered[a:b]) for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]


def _explanation(row: dict[str, Any], reasons: list[dict[str, Any]], evidence: list[dict[str, Any]],
                 path: list[dict[str, Any]], result: RatingResult, methodology: Methodology) -> Explanation:
    """One explanation from a company row and its reason, evidence and path rows."""
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
    by_reason: dict[str, list[Evidence]] = {}
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
