"""One company's explanation as plain data: points table, reasons with evidence, path to the next grade."""

from __future__ import annotations

import dataclasses
import enum
import json
import json.encoder
import math
import re
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from scoring.engine import RatingResult, in_threads, is_arrow_text, text_positions
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
    """Every rated company's explanation as JSON text, in the order of ``result.companies``: the texts of
    ``explanations_utf8`` as Python strings."""
    return explanations_utf8(result, methodology).to_pylist()


def explanations_utf8(result: RatingResult, methodology: Methodology) -> pa.ChunkedArray:
    """Every rated company's explanation as JSON text, in the order of ``result.companies``, as Arrow text: UTF-8,
    half what the same texts take as Python strings (Chinese makes those two bytes a character; 569 against
    1,140 MiB for a nation). A caller that writes them a few thousand at a time never holds them all as Python
    strings.

    Byte for byte ``json.dumps(explain(result, code, methodology).as_dict(), ensure_ascii=False,
    separators=(",", ":"))``, but built column by column, with no ``Explanation`` objects in between (a nation
    has 150,000 companies and millions of evidence rows):
    - each field is formatted once per distinct value (scores, weights, dates and points repeat a lot), and a
      row's field is a code into those texts (``_Coded``); neighbouring fields with few distinct pairs become
      one field (``_merged``);
    - Arrow's string kernels put the texts together, a few thousand companies at a time (``_COMPANIES_PER_CHUNK``),
      so what the joins hold stays small and no Python string is made but each company's whole text.
    """
    companies = result.companies
    n = len(companies)
    if n == 0:
        return pa.chunked_array([], _TEXT)
    codes = list(map(str, companies["credit_code"].tolist()))
    rated = _texts(codes)

    def owner_of(frame: pd.DataFrame) -> np.ndarray:
        """Position in ``companies`` of each row's company (-1: not rated, never shown), by ``str()`` of its
        credit code, looked up in Arrow: every row of a column of Arrow text, else the first row of each run."""
        column = frame["credit_code"]
        if is_arrow_text(column):
            return text_positions(pa.array(column), rated)
        held = column.to_numpy(dtype=object)
        starts = _run_starts(held)
        if starts is None:
            return text_positions(_texts(list(map(str, held))), rated)
        return np.repeat(text_positions(_texts(list(map(str, held[starts]))), rated), np.diff(np.r_[starts, len(held)]))

    # The parts of the evidence and reasons, of the path steps and of the companies are made side by side (much of
    # it is Arrow's and numpy's work, without the interpreter lock): 1.3 s one after another for a nation.
    def prepare_reasons() -> tuple[_Listed, _Groups, _Listed, _Groups]:
        # Evidence: one JSON object per row, joined per (company, reason) in frame order.
        evidence = result.evidence
        reasons = result.reasons
        reason_names, (reason_code, evidence_reason) = _reason_codes(reasons["reason"], evidence["reason"])
        width = max(len(reason_names), 1)
        evidence_parts: _Listed = _listed([])
        evidence_key = np.zeros(0, dtype=np.int64)
        if len(evidence):
            dates, days = pd.factorize(evidence["event_date"])
            date_texts = [*(_json_or_null(_date_text(day)) for day in days), "null"]  # code -1 (missing): null
            kinds, kind_names = _run_factorize(evidence["kind"])  # never missing; a reason's rows mostly of one kind
            id_texts, plain = _id_texts(evidence["record_id"])
            quote = '"' if plain else ""  # nothing to escape: the quotes go into the texts around the id
            prefix = [f'{{"kind":{_encode_string(str(k))},"record_id":{quote}' for k in kind_names]
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
            evidence_key = np.where(owner >= 0, owner * width + evidence_reason, -1)
            evidence_parts = _listed(_prepared([_pick(prefix, kinds), id_texts, _pick(rest_texts, rest_codes)]))

        # Reasons: each with its evidence list (a slot filled chunk by chunk), joined per company.
        opening = [f'{{"code":{_encode_string(name)},"points_lost":' for name in reason_names]
        reason_parts = _listed(_prepared([_pick(opening, reason_code), _json_floats(reasons["points_lost"]),
                                          ',"evidence":[', _Slot.EVIDENCE, "]}"]))
        reason_groups = _Groups(owner_of(reasons) if len(reasons) else np.zeros(0, dtype=np.int64))
        # Each evidence row goes with the rows of its (company, reason) among the grouped reasons: its key is the
        # position of that reason row, so a chunk's evidence lists come in the order of its reasons, one each.
        evidence_groups = _Groups.matched(evidence_key, reason_groups.owned_keys(reason_code, width))
        return evidence_parts, evidence_groups, reason_parts, reason_groups

    def prepare_paths() -> tuple[_Listed, _Coded, _Coded, _Groups]:
        # Path steps, joined per company.
        paths = result.paths
        m = len(paths)

        def floats(name: str) -> _Coded:
            return _json_floats(paths[name]) if name in paths else _repeated("null", m)

        path_parts = _listed(_prepared([
            '{"component":', _json_strings(paths["component"]), ',"max_gain":', floats("max_gain"),
            ',"reachable":', _json_bools(paths["reachable"]), ',"target_subscore":', floats("target_subscore"),
            ',"target_measure":', floats("target_measure"), ',"target_count":', floats("target_count"),
            ',"best_subscore":', floats("best_subscore"),
            ',"combined":', _json_bools(paths["combined"]) if "combined" in paths else _repeated("false", m),
            ',"combined_subscore":', floats("combined_subscore"), ',"combined_measure":', floats("combined_measure"),
            ',"combined_count":', floats("combined_count"), "}"]))
        next_grade, gaps = _json_strings(paths["next_grade"]).in_arrow(), floats("gap").in_arrow()
        path_groups = _Groups(owner_of(paths) if m else np.zeros(0, dtype=np.int64))
        return path_parts, next_grade, gaps, path_groups

    def prepare_companies() -> list[_Part | _Slot]:
        c = companies

        def number(name: str) -> np.ndarray:
            return c[name].to_numpy(dtype=float)

        def earned(weight: str, score: str) -> _Coded:  # w'·sub-score, 0.0 when not assessed
            sub = number(score)
            return _json_floats(np.where(np.isnan(sub), 0.0, number(weight) * sub))

        rw = _JSON.encode(_plain(methodology.complaints.rate_weight))
        tw = _JSON.encode(_plain(methodology.complaints.timeliness_weight))
        late_rate = methodology.complaints.timeliness.late_rate  # ZY-2026: "l" and "late" in place of "t"
        visits = _json_ints(c["visits"])
        period = _JSON.encode([result.period.start.isoformat(), result.period.end.isoformat()])
        company_parts = _prepared([
            '{"credit_code":', _texts(list(map(_encode_string, codes))),
            ',"name":', _json_names(c["name"]),
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
            ',"parts":{}}],"reasons":[', _Slot.REASONS, '],"next_grade":', _Slot.NEXT_GRADE, ',"gap":', _Slot.GAP,
            ',"path":[', _Slot.PATHS, f'],"constants":{_JSON.encode(_plain(result.constants.as_dict()))}}}'])
        return company_parts

    (evidence_parts, evidence_groups, reason_parts, reason_groups), (path_parts, next_grade, gaps, path_groups), \
        company_parts = in_threads(lambda make: make(), [prepare_reasons, prepare_paths, prepare_companies])

    def chunk(start: int) -> pa.Array:
        """The texts of the companies from ``start``, ``_COMPANIES_PER_CHUNK`` of them at most."""
        stop = min(start + _COMPANIES_PER_CHUNK, n)
        size = stop - start
        # The chunk's reasons (positions low to high among the grouped reasons), each with its evidence list,
        # and each company's list of reasons: each list a view of the bytes of its rows (``_lists``).
        low, high = reason_groups.span(start, stop)
        rows, keys = evidence_groups.within(low, high)
        evidence_lists = _lists(evidence_parts, rows, keys, low, high, {})
        rows, owners = reason_groups.within(start, stop)
        slots: dict[_Slot, _Part] = {
            _Slot.REASONS: _lists(reason_parts, rows, owners, start, stop, {_Slot.EVIDENCE: evidence_lists})}
        # Its path steps, joined per company; the next grade and the gap come from each company's first step.
        rows, owners = path_groups.within(start, stop)
        slots[_Slot.PATHS] = _lists(path_parts, rows, owners, start, stop, {})
        steps = _starts(owners)
        first = (rows if isinstance(rows, np.ndarray) else np.arange(rows.start, rows.stop))[steps]
        groups = owners[steps] - start
        slots[_Slot.NEXT_GRADE] = _placed(size, groups, next_grade.rows(first).column(), "null")
        slots[_Slot.GAP] = _placed(size, groups, gaps.rows(first).column(), "null")
        return _join([slots[part] if isinstance(part, _Slot) else _part_rows(part, slice(start, stop))
                      for part in company_parts])

    # Arrow's kernels (takes and joins, most of the work) run without the interpreter lock: the engine's threads
    # make the chunks, their texts kept in the companies' order.
    return pa.chunked_array(in_threads(chunk, range(0, n, _COMPANIES_PER_CHUNK)), _TEXT)


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_encode_string = json.encoder.encode_basestring  # what that encoder writes for a str
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f\\"]')  # the characters encode_basestring escapes
_TEXT = pa.large_string()  # JSON texts in Arrow (64-bit offsets: a nation's explanations pass 2 GiB)


def _id_texts(values: pd.Series) -> tuple[pa.Array, bool]:
    """The texts of ``str(v)`` for every value, and whether they are plain (no character the encoder escapes:
    each is its own JSON without the quotes); when one is not, every text is its JSON string.

    Values that are all str go to Arrow as they are, and Arrow looks for a character to escape: a nation's
    2.5 M evidence rows made into a list of Python strings and joined to look cost 0.6 s."""
    held = _arrow_strs(values)
    if held is not None and not _escapes(held):
        return held, True
    texts = list(map(str, values.tolist()))
    plain = _plain_strings(texts)
    return _texts(texts if plain else list(map(_encode_string, texts))), plain


def _escapes(texts: pa.Array) -> bool:
    """Whether a text has a character the encoder escapes (``_NEEDS_ESCAPE``): all are ASCII, and no byte of a
    UTF-8 character past ASCII is below 0x80, so the texts' bytes tell (a regular expression over 2.5 M ids took
    0.36 s)."""
    offsets, data = texts.buffers()[1:3]
    if data is None or not len(texts):
        return False
    ends = np.frombuffer(offsets, dtype=np.int64 if pa.types.is_large_string(texts.type) else np.int32)
    ends = ends[texts.offset:texts.offset + len(texts) + 1]
    held = np.frombuffer(data, dtype=np.uint8)[int(ends[0]):int(ends[-1])]
    return bool(((held < 0x20) | (held == ord('"')) | (held == ord("\\"))).any())


def _arrow_strs(values: pd.Series) -> pa.Array | None:
    """The values as one Arrow text array when every one is a str (none missing), else None."""
    if is_arrow_text(values):
        held = pa.array(values)
    elif values.dtype == object and pd.api.types.infer_dtype(values, skipna=False) == "string":
        held = pa.array(values.to_numpy(dtype=object), _TEXT)  # (Arrow would take bytes too: not asked to here)
    else:
        return None
    if isinstance(held, pa.ChunkedArray):
        held = held.combine_chunks()
    return held.cast(_TEXT) if held.null_count == 0 else None


def _plain_strings(values: list[str]) -> bool:
    """True when no value has a character the encoder escapes (its JSON is the value in quotes)."""
    return _NEEDS_ESCAPE.search("".join(values)) is None


def _run_factorize(column: pd.Series) -> tuple[np.ndarray, list[Any]]:
    """``pd.factorize`` of a column whose rows come in runs of one value (a company's rows, a reason's evidence):
    only the first value of each run is hashed (a nation's evidence has 2.5 M rows in some 600,000 runs). Codes are
    int64, -1 for a missing value; the distinct values in order of first appearance.

    A column of Arrow text (pandas' ``str``: the engine's frames hold their codes so) is hashed by Arrow, row by
    row, without a Python string per row (turning 2.5 M rows into Python strings to compare runs took longer)."""
    if is_arrow_text(column):
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
        return codes.astype(np.int64), uniques.tolist()
    held = column.to_numpy(dtype=object)
    starts = _run_starts(held)
    if starts is None:
        codes, uniques = pd.factorize(held)
        return codes.astype(np.int64), list(uniques)
    codes, uniques = pd.factorize(held[starts])
    return np.repeat(codes.astype(np.int64), np.diff(np.r_[starts, len(held)])), list(uniques)


def _run_starts(held: np.ndarray) -> np.ndarray | None:
    """Where each run of equal values starts; None when two values do not compare to True or False (pd.NA)."""
    if len(held) < 2:
        return np.arange(len(held))
    try:
        return np.flatnonzero(np.r_[True, np.asarray(held[1:] != held[:-1], dtype=bool)])
    except (TypeError, ValueError):
        return None


def _reason_codes(*columns: pd.Series) -> tuple[list[str], list[np.ndarray]]:
    """Reason names (``str`` of the values) over several columns and each column's codes into them, in the names'
    order (the engine's evidence is in (company, reason name) order, so its keys come out sorted)."""
    factorized = []
    for column in columns:
        codes, uniques = _run_factorize(column)
        if (codes < 0).any():  # a missing value's name is its str(), as that of any other value
            held = column.to_numpy(dtype=object)
            codes[codes < 0] = len(uniques) + np.arange(int((codes < 0).sum()))
            uniques += list(held[np.flatnonzero(column.isna().to_numpy())])
        factorized.append((codes, [str(u) for u in uniques]))
    names = sorted({name for _, texts in factorized for name in texts})
    at = {name: i for i, name in enumerate(names)}
    return names, [np.array([at[text] for text in texts] + [0], dtype=np.int64)[codes] if len(codes)
                   else np.zeros(0, dtype=np.int64) for codes, texts in factorized]


def _json_or_null(text: str | None) -> str:
    return "null" if text is None else _encode_string(text)


def _float_texts(values: list[float]) -> list[str]:
    """Floats as the encoder writes them after ``_plain`` (NaN became None)."""
    return ["null" if v != v else _JSON.encode(v) if v in (math.inf, -math.inf) else float.__repr__(v)
            for v in values]


def _texts(values: list[str]) -> pa.Array:
    return pa.array(values, _TEXT)


@dataclass(frozen=True)
class _Coded:
    """A column of texts as codes into its distinct texts: ``texts[codes[i]]`` is row i's text."""

    texts: list[str] | pa.Array
    codes: np.ndarray  # int64, every code a position in ``texts``

    def rows(self, at: slice | np.ndarray) -> _Coded:
        return _Coded(self.texts, self.codes[at])

    def column(self) -> pa.Array:
        table = self.texts if isinstance(self.texts, pa.Array) else _texts(self.texts)
        return table.take(pa.array(self.codes, pa.int64()))

    def in_arrow(self) -> _Coded:
        return _Coded(_arrow_texts(self.texts), self.codes)


_Part: TypeAlias = str | _Coded | pa.Array  # a str part is the same text in every row
_MERGED_SHARE = 16  # two coded parts become one while they have at most one distinct pair per 16 rows


def _repeated(text: str, size: int) -> _Coded:
    return _Coded([text], np.zeros(size, dtype=np.int64))


def _pick(texts: list[str] | pa.Array, codes: np.ndarray) -> _Coded:
    """``texts[code]`` for every code; -1 picks the last text."""
    return _Coded(texts, np.where(codes < 0, len(texts) - 1, codes).astype(np.int64))


def _placed(size: int, groups: np.ndarray, texts: pa.Array, missing: str) -> _Coded:
    """``size`` texts: ``texts[i]`` at position ``groups[i]``, ``missing`` everywhere else."""
    at = np.full(size, -1, dtype=np.int64)
    at[groups] = np.arange(len(groups))
    return _pick(pa.concat_arrays([texts, _texts([missing])]), at)


def _merged(parts: list[_Part]) -> list[_Part]:
    """The same rows' texts in fewer parts: a str part goes into the distinct texts of a coded neighbour, and
    neighbouring coded parts become one while their pairs of texts stay few (flags, grades, weights and the
    like), so Arrow joins and takes a few columns instead of a hundred. Many distinct texts (more than
    ``_IN_ARROW``) are put together in Arrow rather than one Python string at a time."""
    out: list[_Part] = []
    for part in parts:
        last = out[-1] if out else None
        if isinstance(part, str):
            if isinstance(last, str):
                out[-1] = last + part
            elif isinstance(last, _Coded):
                out[-1] = _Coded(_affixed("", last.texts, part), last.codes)
            else:
                out.append(part)
            continue
        if isinstance(part, _Coded):
            if isinstance(last, str):
                out.pop()
                part = _Coded(_affixed(last, part.texts, ""), part.codes)
                last = out[-1] if out else None
            if isinstance(last, _Coded) and _few(last) and _few(part):
                width = len(part.texts)
                pairs, uniques = _dense_codes(last.codes * width + part.codes, len(last.texts) * width)
                if len(uniques) * _MERGED_SHARE <= len(pairs):
                    out[-1] = _Coded(_paired(last.texts, part.texts, uniques // width, uniques % width), pairs)
                    continue
        out.append(part)
    return out


def _few(part: _Coded) -> bool:
    """False when the part's distinct texts are too many for it to be paired with a neighbour (``_merged``): the
    pairs are at least as many as the texts a part uses, and a coded part uses all but at most its two last
    (``_json_floats``' null and -0.0). Only saves work: pairing tells the same."""
    return (len(part.texts) - 2) * _MERGED_SHARE <= len(part.codes)


_IN_ARROW = 1024  # distinct texts from which the texts of merged parts are made in Arrow


def _affixed(prefix: str, texts: list[str] | pa.Array, suffix: str) -> list[str] | pa.Array:
    """Every text between ``prefix`` and ``suffix``."""
    if isinstance(texts, list) and len(texts) <= _IN_ARROW:
        return [prefix + text + suffix for text in texts]
    return pc.binary_join_element_wise(pa.scalar(prefix, _TEXT), _arrow_texts(texts), pa.scalar(suffix, _TEXT),
                                       pa.scalar("", _TEXT))


def _paired(first: list[str] | pa.Array, second: list[str] | pa.Array, i: np.ndarray, j: np.ndarray
            ) -> list[str] | pa.Array:
    """``first[i[k]] + second[j[k]]`` for every k."""
    if isinstance(first, list) and isinstance(second, list) and len(i) <= _IN_ARROW:
        return [first[a] + second[b] for a, b in zip(i.tolist(), j.tolist(), strict=True)]
    return pc.binary_join_element_wise(_arrow_texts(first).take(pa.array(i, pa.int64())),
                                       _arrow_texts(second).take(pa.array(j, pa.int64())), pa.scalar("", _TEXT))


def _arrow_texts(texts: list[str] | pa.Array) -> pa.Array:
    return texts if isinstance(texts, pa.Array) else _texts(texts)


def _dense_codes(keys: np.ndarray, bound: int) -> tuple[np.ndarray, np.ndarray]:
    """Codes (int64) into the distinct ``keys``, and those keys: ``uniques[codes] == keys``. Keys in [0, bound)
    index a table of that size when it is not much larger than the keys (no hashing); the distinct keys then come
    in ascending order, else in order of first appearance (``pd.factorize``)."""
    if bound <= 4 * len(keys) + (1 << 16):
        present = np.bincount(keys, minlength=bound) > 0
        uniques = np.flatnonzero(present)
        return (np.cumsum(present) - 1)[keys], uniques
    codes, uniques = pd.factorize(keys)
    return codes.astype(np.int64), uniques


def _float_uniques(values: Any) -> tuple[np.ndarray, np.ndarray]:
    """Codes (int64) into the distinct numbers of ``float(v)``, and those numbers; NaN takes the code
    ``len(uniques)``, -0.0 the code ``len(uniques) + 1``. Hashed by Arrow (twice as fast as ``pd.factorize``);
    a NaN or -0.0 among the numbers is then left unused, its rows taking those codes."""
    numbers = np.asarray(values, dtype=float)
    encoded = pc.dictionary_encode(pa.array(numbers, pa.float64()))
    codes = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    uniques = encoded.dictionary.to_numpy(zero_copy_only=False)
    codes[np.isnan(numbers)] = len(uniques)
    codes[(numbers == 0) & np.signbit(numbers)] = len(uniques) + 1
    return codes, uniques


def _float_codes(values: Any) -> tuple[np.ndarray, list[str]]:
    """Codes into distinct JSON texts of ``float(v)`` (``_num``: NaN as null)."""
    codes, uniques = _float_uniques(values)
    return codes, _float_slots(uniques)


def _float_slots(uniques: np.ndarray) -> list[str]:
    """The texts ``_float_uniques``' codes pick: each distinct number's, then NaN's and -0.0's."""
    return [*_float_texts(uniques.tolist()), "null", "-0.0"]


def _json_floats(values: Any) -> _Coded:
    """JSON of ``float(v)`` for every value (``_num``: NaN as null); each distinct value formatted once. Where the
    values are nearly all distinct (scores, measures, exposure: a nation's companies have 300,000 distinct ones
    in all), or have more than ``_IN_ARROW`` distinct ones (whose merged texts are made in Arrow anyway), Arrow
    formats them (``_arrow_float_texts``): Python's ``repr`` took 1 µs a number."""
    codes, uniques = _float_uniques(values)
    if len(uniques) * _MERGED_SHARE > len(codes) or len(uniques) > _IN_ARROW:
        # Never paired with a neighbour (``_merged``), or too many texts to merge in Python: Arrow's texts.
        return _Coded(pa.concat_arrays([_arrow_float_texts(uniques), _texts(["null", "-0.0"])]), codes)
    return _Coded(_float_slots(uniques), codes)


def _arrow_float_texts(numbers: np.ndarray) -> pa.Array:
    """``_float_texts`` of ``numbers``, formatted by Arrow where Arrow writes what ``repr`` writes.

    Both write the shortest digits that read back as the same number. ``repr`` writes them without an exponent
    for 1e-4 <= |v| < 1e16 (and 0), always with a point ("100.0"); Arrow writes "100" and takes an exponent
    sooner. So Arrow's text is kept, with ".0" added where it has no point, for a number in that range whose text
    has no exponent; every other number (an exponent, NaN, infinities) is written by ``_float_texts``."""
    if not len(numbers):
        return _texts([])
    texts = pc.cast(pa.array(numbers, pa.float64()), _TEXT)
    magnitude = np.abs(numbers)
    with np.errstate(invalid="ignore"):
        kept = ((magnitude >= 1e-4) & (magnitude < 1e16)) | (numbers == 0)
    kept &= ~pc.match_substring(texts, "e").to_numpy(zero_copy_only=False)
    whole = ~pc.match_substring(texts, ".").to_numpy(zero_copy_only=False) & kept
    if whole.any():
        texts = pc.if_else(pa.array(whole), pc.binary_join_element_wise(texts, pa.scalar(".0", _TEXT),
                                                                        pa.scalar("", _TEXT)), texts)
    rest = np.flatnonzero(~kept)
    if rest.size:
        texts = pc.replace_with_mask(texts, pa.array(~kept), _texts(_float_texts(numbers[rest].tolist())))
    return texts


def _json_ints(values: Any) -> _Coded:
    codes, uniques = pd.factorize(np.asarray(values, dtype=np.int64))
    return _Coded(list(map(str, uniques.tolist())), codes.astype(np.int64))


def _json_bools(values: Any) -> _Coded:
    flags = np.asarray(values)
    if flags.dtype != bool:
        flags = np.array([bool(v) for v in flags.tolist()], dtype=bool)
    return _pick(["false", "true"], flags.astype(np.int64))


def _json_names(values: pd.Series) -> _Coded:
    """JSON of each name, null where it is not a str; each distinct name encoded once."""
    held = values.to_numpy(dtype=object)
    codes, uniques = pd.factorize(held, use_na_sentinel=True)
    names = _arrow_strs(pd.Series(uniques, dtype=object)) if len(uniques) > _IN_ARROW else None
    if names is not None and not _escapes(names):
        # Names in Arrow: with no character to escape, each one's JSON is the name in quotes (a nation's 150,000
        # names encoded one by one in Python: 0.1 s).
        return _pick(pa.concat_arrays([_affixed('"', names, '"'), _texts(["null"])]), codes)
    texts = [_encode_string(v) if isinstance(v, str) else "null" for v in uniques.tolist()] + ["null"]
    return _pick(texts, codes)


def _json_strings(values: pd.Series) -> _Coded:
    """JSON of ``str(v)`` for every value; each distinct value encoded once."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    texts = [_encode_string(str(v)) for v in uniques.tolist()]
    codes = codes.astype(np.int64)
    missing = np.flatnonzero(codes < 0)
    if missing.size:  # str() of whatever the frame holds there (None, nan)
        held = values.to_numpy(dtype=object)
        codes[missing] = len(texts) + np.arange(missing.size)
        texts += [_encode_string(str(held[i])) for i in missing.tolist()]
    return _pick(texts, codes)


class _Slot(enum.Enum):
    """A part filled chunk by chunk (``explanations_json``)."""

    EVIDENCE = "evidence"
    REASONS = "reasons"
    NEXT_GRADE = "next_grade"
    GAP = "gap"
    PATHS = "paths"


_COMPANIES_PER_CHUNK = 4096
_Rows: TypeAlias = slice | np.ndarray


def _prepared(parts: list[_Part | _Slot]) -> list[_Part | _Slot]:
    """``parts`` merged (``_merged``; a slot stays between its neighbours) with every coded part's texts in Arrow
    once, for the chunks to take from."""
    out: list[_Part | _Slot] = []
    run: list[_Part] = []
    for part in [*parts, None]:
        if isinstance(part, (str, _Coded, pa.Array)):
            run.append(part)
            continue
        out += [p.in_arrow() if isinstance(p, _Coded) else p for p in _merged(run)]
        run = []
        if part is not None:
            out.append(part)
    return out


def _part_rows(part: _Part | _Slot, rows: _Rows) -> _Part | _Slot:
    """The part's texts for ``rows`` (a slice or row numbers) of its frame."""
    if isinstance(part, _Coded):
        return part.rows(rows)
    if isinstance(part, pa.Array):
        if isinstance(rows, slice):
            return part.slice(rows.start, rows.stop - rows.start)
        return part.take(pa.array(rows, pa.int64()))
    return part


class _Groups:
    """A frame's rows in the order of their group keys (stable; keys < 0 dropped), cut by ranges of keys."""

    def __init__(self, key: np.ndarray) -> None:
        if np.all(key[1:] >= key[:-1]):
            self.rows: _Rows = slice(int(np.searchsorted(key, 0)), len(key))
            self.keys = key[self.rows]
        else:
            order = np.argsort(key, kind="stable")
            keep = key[order] >= 0
            self.rows, self.keys = order[keep], key[order][keep]

    @classmethod
    def matched(cls, key: np.ndarray, targets: np.ndarray) -> _Groups:
        """A frame's rows grouped by the positions in ``targets`` (keys >= 0, one per position, any order, repeats
        allowed) that hold each row's ``key``: a row goes with every such position (none: the row is dropped), and
        the rows of a position keep the frame's order."""
        bound = int(targets.max()) + 1 if len(targets) else 0
        if len(targets) and bound <= 4 * (len(key) + len(targets)) and np.bincount(targets).max() == 1:
            # Each key held once (the engine's reasons: a company's codes once each): its position by a table of
            # the keys; the table's last entry, -1, for keys past them and for -1. The rows are then grouped by
            # position as any frame's rows by key.
            table = np.full(bound + 1, -1, dtype=np.int64)
            table[targets] = np.arange(len(targets))
            return cls(table[np.minimum(key, bound)])
        order = np.argsort(targets, kind="stable")
        held = targets[order]
        first, last = np.searchsorted(held, key, "left"), np.searchsorted(held, key, "right")
        counts = np.where(key >= 0, last - first, 0)
        rows = np.repeat(np.arange(len(key)), counts)
        # Each row's run of matching positions, one after another.
        starts = np.repeat(first - np.r_[0, np.cumsum(counts)[:-1]], counts)
        grouped = cls(order[starts + np.arange(len(rows))] if len(rows) else np.zeros(0, dtype=np.int64))
        grouped.rows = rows[grouped.rows]  # the repeated rows' own rows in the frame
        return grouped

    def owned_keys(self, codes: np.ndarray, width: int) -> np.ndarray:
        """Per grouped row, in the groups' order: its group key (owner) · ``width`` + its row's ``codes``."""
        return self.keys * width + codes[self.rows]

    def span(self, low: int, high: int) -> tuple[int, int]:
        """The positions, in the groups' order, of the rows with keys in [low, high)."""
        i, j = (int(x) for x in np.searchsorted(self.keys, [low, high]))
        return i, j

    def within(self, low: int, high: int) -> tuple[_Rows, np.ndarray]:
        """The rows (a slice when the frame is in key order) and keys of the keys in [low, high)."""
        i, j = self.span(low, high)
        if isinstance(self.rows, slice):
            return slice(self.rows.start + i, self.rows.start + j), self.keys[i:j]
        return self.rows[i:j], self.keys[i:j]


@dataclass(frozen=True)
class _Listed:
    """A level's parts (``_prepared``) ready to be written as lists: its first part with a second set of texts, the
    same after a comma, for every row of a list but its first (``_lists``)."""

    parts: list[_Part | _Slot]
    first: _Coded | None  # the first part's texts twice (the second time after a comma), or None: a comma part


def _listed(parts: list[_Part | _Slot]) -> _Listed:
    head = parts[0] if parts else None
    if not isinstance(head, _Coded):  # (``_prepared`` merges a leading str into a coded neighbour)
        return _Listed(parts, None)
    texts = _arrow_texts(head.texts)
    return _Listed(parts, _Coded(pa.concat_arrays([texts, _arrow_texts(_affixed(",", texts, ""))]), head.codes))


def _lists(level: _Listed, rows: _Rows, keys: np.ndarray, low: int, high: int, slots: dict[_Slot, _Part]
           ) -> pa.Array:
    """One text per key in [low, high): the texts of that key's ``rows`` (``keys`` ascending, every one in the
    range), each its parts one after another, joined with commas; "" for a key with no row. The rows are written
    once, the comma at the head of every row of a list but its first, and each list is a view of its rows' bytes:
    no list array is made and joined, and no list is taken again into the next level's rows."""
    size = high - low
    if not len(keys):
        return pa.LargeStringArray.from_buffers(size, pa.py_buffer(np.zeros(size + 1, dtype=np.int64)),
                                                pa.py_buffer(b""))
    later = np.r_[False, keys[1:] == keys[:-1]].astype(np.int64)  # not the first row of its list
    parts = [slots[part] if isinstance(part, _Slot) else _part_rows(part, rows) for part in level.parts]
    if level.first is None:
        parts.insert(0, _Coded(["", ","], later))
    else:
        head = level.first
        parts[0] = _Coded(head.texts, head.codes[rows] + later * (len(head.texts) // 2))
    texts = _join(parts)
    _, offsets, data = texts.buffers()
    ends = np.frombuffer(offsets, dtype=np.int64)[texts.offset:texts.offset + len(texts) + 1]
    at = ends[np.searchsorted(keys, np.arange(low, high + 1))]
    return pa.LargeStringArray.from_buffers(size, pa.py_buffer(np.ascontiguousarray(at)),
                                            data if data is not None else pa.py_buffer(b""))


def _starts(keys: np.ndarray) -> np.ndarray:
    """Where each run of equal keys starts."""
    return np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else np.zeros(0, dtype=np.int64)


def _join(parts: list[_Part]) -> pa.Array:
    """Each row's text: its ``parts`` one after another. Arrow joins them without a Python string per row."""
    columns = [pa.scalar(part, _TEXT) if isinstance(part, str) else part.column() if isinstance(part, _Coded)
               else part for part in parts]
    return pc.binary_join_element_wise(*columns, pa.scalar("", _TEXT))


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
