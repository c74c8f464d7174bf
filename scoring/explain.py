"""One company's explanation as plain data: points table, reasons with evidence, path to the next grade."""

from __future__ import annotations

import dataclasses
import itertools
import json
import json.encoder
import math
import re
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
    separators=(",", ":"))``, but built column by column, with no ``Explanation`` objects in between (a nation
    has 150,000 companies and millions of evidence rows): each field is formatted once per distinct value
    (scores, weights, dates and points repeat a lot) and the texts are put together by ``_rows``.
    """
    companies = result.companies
    n = len(companies)
    if n == 0:
        return []
    codes = list(map(str, companies["credit_code"].tolist()))
    position = pd.Index(codes)

    def owner_of(frame: pd.DataFrame) -> np.ndarray:
        """Position in ``companies`` of each row's company (-1: not rated, never shown)."""
        found, uniques = pd.factorize(frame["credit_code"].to_numpy(dtype=object))
        return np.append(position.get_indexer(list(map(str, uniques))), -1).astype(np.int64)[found]

    # Evidence: one JSON object per row, joined per (company, reason) in frame order.
    evidence = result.evidence
    reasons = result.reasons
    reason_names, reason_codes = _reason_codes(reasons["reason"], evidence["reason"])
    width = max(len(reason_names), 1)
    evidence_keys = np.zeros(0, dtype=np.int64)
    evidence_lists: list[str] = []
    if len(evidence):
        dates, days = pd.factorize(evidence["event_date"])
        date_texts = [*(_json_or_null(_date_text(day)) for day in days), "null"]  # code -1 (missing): null
        kinds, kind_names = pd.factorize(evidence["kind"].to_numpy(dtype=object))  # never missing
        ids = list(map(str, evidence["record_id"].tolist()))
        plain = _plain_strings(ids)  # nothing to escape: the quotes go into the texts around the id
        quote = '"' if plain else ""
        prefix = [f'{{"kind":{_encode_string(str(k))},"record_id":{quote}' for k in kind_names.tolist()]
        points_codes, points_texts = _float_codes(evidence["points"])
        detail_codes, detail_texts = _float_codes(evidence["detail"])
        rest = (dates.astype(np.int64) + 1) * (len(points_texts) * len(detail_texts)) \
            + points_codes * len(detail_texts) + detail_codes
        rest_codes, rest_keys = pd.factorize(rest)
        rest_texts = []
        for key in rest_keys.tolist():
            d, rem = divmod(key, len(points_texts) * len(detail_texts))
            p, x = divmod(rem, len(detail_texts))
            rest_texts.append(f'{quote},"event_date":{date_texts[d - 1]},"points":{points_texts[p]},'
                              f'"detail":{detail_texts[x]}}}')
        owner = owner_of(evidence)
        key = np.where(owner >= 0, owner * width + reason_codes[1], -1)
        evidence_keys, evidence_lists = _rows(
            [_pick(prefix, kinds), ids if plain else list(map(_encode_string, ids)), _pick(rest_texts, rest_codes)],
            key)

    # Reasons: each with its evidence list, joined per company.
    reason_lists = [""] * n
    if len(reasons):
        owner = owner_of(reasons)
        key = owner * width + reason_codes[0]
        at = np.searchsorted(evidence_keys, key)
        found = np.zeros(len(key), dtype=bool)
        if len(evidence_keys):
            found = (at < len(evidence_keys)) & (evidence_keys[np.minimum(at, len(evidence_keys) - 1)] == key)
        opening = [f'{{"code":{_encode_string(name)},"points_lost":' for name in reason_names]
        groups, joined = _rows([_pick(opening, reason_codes[0]), _json_floats(reasons["points_lost"]),
                                ',"evidence":[', _pick([*evidence_lists, ""], np.where(found, at, -1)), "]}"], owner)
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

        owner = owner_of(paths)
        groups, joined = _rows([
            '{"component":', _json_strings(paths["component"]), ',"max_gain":', _json_floats(paths["max_gain"]),
            ',"reachable":', _json_bools(paths["reachable"]), ',"target_subscore":', floats("target_subscore"),
            ',"target_measure":', floats("target_measure"), ',"target_count":', floats("target_count"),
            ',"best_subscore":', floats("best_subscore"),
            ',"combined":', _json_bools(paths["combined"]) if "combined" in paths else ["false"] * len(paths),
            ',"combined_subscore":', floats("combined_subscore"), ',"combined_measure":', floats("combined_measure"),
            ',"combined_count":', floats("combined_count"), "}"], owner)
        first = _first_of_groups(owner)
        grades = _pick(_json_strings(paths["next_grade"]), first)
        gaps = _pick(_json_floats(paths["gap"]), first)
        for g, text, grade, distance in zip(groups.tolist(), joined, grades, gaps, strict=True):
            path_lists[g] = text
            next_grade[g] = grade
            gap[g] = distance

    c = companies

    def number(name: str) -> np.ndarray:
        return c[name].to_numpy(dtype=float)

    def earned(weight: str, score: str) -> list[str]:  # w'·sub-score, 0.0 when not assessed
        sub = number(score)
        return _json_floats(np.where(np.isnan(sub), 0.0, number(weight) * sub))

    rw = _JSON.encode(_plain(methodology.complaints.rate_weight))
    tw = _JSON.encode(_plain(methodology.complaints.timeliness_weight))
    late_rate = methodology.complaints.timeliness.late_rate  # ZY-2026: "l" and "late" in place of "t"
    visits = _json_ints(c["visits"])
    period = _JSON.encode([result.period.start.isoformat(), result.period.end.isoformat()])
    return _each_row([
        '{"credit_code":', list(map(_encode_string, codes)),
        ',"name":', [_encode_string(v) if isinstance(v, str) else "null" for v in c["name"].tolist()],
        f',"methodology_id":{_JSON.encode(result.methodology_id)},"period":{period},"score":',
        _json_floats(c["score"]), ',"grade":', _json_strings(c["grade"]),
        ',"band_grade":', _json_strings(c["band_grade"]), ',"bonus":', _json_floats(c["bonus"]),
        ',"veto":', _json_bools(c["veto"]), ',"floor_applied":', _json_bools(c["floor_applied"]),
        ',"provisional":', _json_bools(c["provisional"]), ',"red_list":', _json_bools(c["red_list"]),
        ',"black_list":', _json_bools(c["black_list"]), ',"exposure":', _json_floats(c["exposure"]),
        ',"visits":', visits,
        ',"indicators":[{"code":"INSP","measure":', _json_floats(c["insp_measure"]),
        ',"sub_score":', _json_floats(c["insp_score"]), ',"weight":', _json_floats(c["w_insp"]),
        ',"points_earned":', earned("w_insp", "insp_score"), ',"points_lost":', _json_floats(c["lost_INSP"]),
        ',"assessed":', _json_bools(c["insp_assessed"]),
        ',"parts":{"points":', _json_floats(c["insp_points"]), ',"visits":', visits,
        '}},{"code":"COMPL","measure":', _json_floats(c["compl_rate"]),
        ',"sub_score":', _json_floats(c["compl_score"]), ',"weight":', _json_floats(c["w_compl"]),
        ',"points_earned":', earned("w_compl", "compl_score"),
        ',"points_lost":', _json_floats(number("lost_COMPL_RATE") + number("lost_COMPL_TIMELY")),
        ',"assessed":', _json_bools(c["compl_assessed"]),
        ',"parts":{"u":', _json_floats(c["compl_rate_score"]),
        *((',"l":', _json_floats(c["compl_late_rate"])) if late_rate
          else (',"t":', _json_floats(c["compl_timeliness"]))),
        ',"v":', _json_floats(c["compl_timeliness_score"]), f',"rate_weight":{rw},"timeliness_weight":{tw}'
        ',"substantiated":', _json_ints(c["compl_substantiated"]), ',"on_time":', _json_ints(c["compl_on_time"]),
        *((',"late":', _json_ints(c["compl_late"])) if late_rate else ()),
        ',"due":', _json_ints(c["compl_due"]),
        '}},{"code":"FEE","measure":', _json_floats(c["fee_points"]),
        ',"sub_score":', _json_floats(c["fee_score"]), ',"weight":', _json_floats(c["w_fee"]),
        ',"points_earned":', earned("w_fee", "fee_score"), ',"points_lost":', _json_floats(c["lost_FEE"]),
        ',"assessed":', _json_bools(c["fee_assessed"]),
        ',"parts":{}}],"reasons":[', reason_lists, '],"next_grade":', next_grade, ',"gap":', gap,
        ',"path":[', path_lists, f'],"constants":{_JSON.encode(_plain(result.constants.as_dict()))}}}'])


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_encode_string = json.encoder.encode_basestring  # what that encoder writes for a str
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f\\"]')  # the characters encode_basestring escapes
_CHUNK = 4096  # rows per join in _rows
_END = "\x00"  # never in JSON text (the encoder escapes it): marks the end of a row in ``_rows``


def _plain_strings(values: list[str]) -> bool:
    """True when no value has a character the encoder escapes (its JSON is the value in quotes)."""
    return _NEEDS_ESCAPE.search("".join(values)) is None


def _reason_codes(*columns: pd.Series) -> tuple[list[str], list[np.ndarray]]:
    """Reason names over several columns and each column's codes into them."""
    texts = [list(map(str, column.tolist())) for column in columns]
    codes, names = pd.factorize(np.array([t for text in texts for t in text], dtype=object))
    cuts = np.cumsum([len(text) for text in texts])[:-1]
    return [str(name) for name in names], [part.astype(np.int64) for part in np.split(codes, cuts)]


def _json_or_null(text: str | None) -> str:
    return "null" if text is None else _encode_string(text)


def _float_texts(values: list[float]) -> list[str]:
    """Floats as the encoder writes them after ``_plain`` (NaN became None)."""
    return ["null" if v != v else _JSON.encode(v) if v in (math.inf, -math.inf) else float.__repr__(v)
            for v in values]


def _pick(texts: list[str], codes: np.ndarray) -> list[str]:
    """``texts[code]`` for every code; -1 picks the last text."""
    out: list[str] = np.asarray(texts, dtype=object)[codes].tolist()
    return out


def _float_codes(values: Any) -> tuple[np.ndarray, list[str]]:
    """Codes into distinct JSON texts of ``float(v)`` (``_num``: NaN as null, the last text)."""
    numbers = np.asarray(values, dtype=float)
    codes, uniques = pd.factorize(numbers, use_na_sentinel=True)
    texts = [*_float_texts(uniques.tolist()), "null", "-0.0"]
    codes = codes.astype(np.int64)
    codes[codes < 0] = len(texts) - 2
    codes[(numbers == 0) & np.signbit(numbers)] = len(texts) - 1  # -0.0 hashes as 0.0
    return codes, texts


def _json_floats(values: Any) -> list[str]:
    """JSON of ``float(v)`` for every value (``_num``: NaN as null); each distinct value formatted once."""
    codes, texts = _float_codes(values)
    return _pick(texts, codes)


def _json_ints(values: Any) -> list[str]:
    return list(map(str, np.asarray(values, dtype=np.int64).tolist()))


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
    """Row of each group's first member (groups < 0 dropped), groups ascending as ``_rows`` returns them."""
    order = np.argsort(owner, kind="stable")
    g = owner[order]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    return order[starts[g[starts] >= 0]]


def _each_row(parts: list[str | list[str]]) -> list[str]:
    """Each row's text: its ``parts`` one after another (a str part is the same in every row). One join per
    row: these rows are long (a company's whole explanation), so a join and a split of many would copy more."""
    columns = [itertools.repeat(part) if isinstance(part, str) else part for part in parts]
    return list(map("".join, zip(*columns, strict=False)))  # the str parts repeat without end


def _rows(parts: list[str | list[str]], group: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Each row's text is its ``parts`` one after another (a str part is the same in every row); the rows of
    a group are joined with commas, in frame order; groups < 0 are dropped. Returns the distinct groups in
    ascending order and their texts.

    A few thousand rows at a time, one ``str.join`` over all their pieces and one ``split`` at the ends of
    the groups, instead of a join per row (the pieces of a chunk stay in the processor's cache)."""
    if not len(group):
        return np.zeros(0, dtype=np.int64), []
    order = np.arange(len(group)) if np.all(group[1:] >= group[:-1]) else np.argsort(group, kind="stable")
    g = group[order]
    keep = g >= 0
    order, g = order[keep], g[keep]
    if not len(g):
        return g, []
    last = np.r_[g[1:] != g[:-1], True]
    columns = [part if isinstance(part, str) else np.asarray(part, dtype=object)[order] for part in parts]
    ends = np.flatnonzero(last) + 1
    texts: list[str] = []
    start = 0
    while start < len(g):
        stop = int(ends[np.searchsorted(ends, min(start + _CHUNK, len(g)))])  # a chunk ends with a group
        cells = np.empty((stop - start, len(parts) + 1), dtype=object)
        for j, column in enumerate(columns):
            cells[:, j] = column if isinstance(column, str) else column[start:stop]
        cells[:, -1] = ","
        cells[last[start:stop], -1] = _END  # (a numpy str array would drop a trailing NUL)
        texts += "".join(cells.ravel().tolist()).split(_END)[:-1]
        start = stop
    return g[last], texts


def _explanation(row: dict[str, Any], reasons: list[dict[str, Any]], evidence: list[dict[str, Any]],
                 path: list[dict[str, Any]], result: RatingResult, methodology: Methodology) -> Explanation:
    """One explanation from a company row and its reason, evidence and path rows."""
    credit_code = str(row["credit_code"])
    lines = []
    for code, measure, score, weight, assessed, lost, parts in (
        ("INSP", row["insp_measure"], row["insp_score"], row["w_insp"], row["insp_assessed"], row["lost_INSP"],
         {"points": _num(row["insp_points"]), "visits": int(row["visits"])}),
        ("COMPL", row["compl_rate"], row["compl_score"], row["w_compl"], row["compl_assessed"],
         row["lost_COMPL_RATE"] + row["lost_COMPL_TIMELY"], _complaint_parts(row, methodology)),
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


def _complaint_parts(row: dict[str, Any], methodology: Methodology) -> dict[str, Any]:
    """The COMPL line's parts: the rate part ``u``, the timeliness measure (the on-time share ``t`` under ZY-2025,
    the late-complaint rate ``l`` and count ``late`` under ZY-2026), ``v`` and the counts."""
    c = methodology.complaints
    timely: dict[str, Any] = {"l": _num(row["compl_late_rate"])} if c.timeliness.late_rate \
        else {"t": _num(row["compl_timeliness"])}
    counts: dict[str, Any] = {"substantiated": int(row["compl_substantiated"]), "on_time": int(row["compl_on_time"])}
    if c.timeliness.late_rate:
        counts["late"] = int(row["compl_late"])
    return {"u": _num(row["compl_rate_score"]), **timely, "v": _num(row["compl_timeliness_score"]),
            "rate_weight": c.rate_weight, "timeliness_weight": c.timeliness_weight, **counts,
            "due": int(row["compl_due"])}


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
