"""Parse and check an import file column by column (vectorised), collecting every bad cell.

Nothing here touches the database: references to companies and communities, and contract
overlaps, are checked against a ``ReferenceLookup`` that the caller supplies (the database for
imports, the folder's own files for `rating score --data`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pandas as pd

from rating_service.companies.credit_code import credit_code_problem
from rating_service.errors import RowError, RowErrors
from rating_service.records.formats import (
    Column,
    RecordKind,
    header_index,
    is_personal_data_header,
    normalise_header,
)
from rating_service.records.limits import ImportLimits
from rating_service.records.personal_data import Finding, scan_values
from rating_service.records.reader import Factorized, FileProblem, RawTable

BOOL_SPELLINGS = {
    "是": True, "否": False, "y": True, "n": False, "yes": True, "no": False,
    "true": True, "false": False, "1": True, "0": False, "t": True, "f": False,
}
# The words a template offers for a yes/no column (every spelling above is accepted).
BOOL_WORDS = ("是", "否")
DATE_PATTERN = (
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]+\d{1,2}[:：]\d{1,2}(?:[:：]\d{1,2}(?:\.\d+)?)?)?$"
)
EARLIEST = pd.Timestamp("1990-01-01")
LATEST = pd.Timestamp("2100-12-31")
MAX_AMOUNT = 1e12
DEDUPE_LIMIT = 50_000
CODE_MEMO_LIMIT = 500_000  # credit codes remembered per file (a nation has ~150,000 property companies)
_UNCHECKED = "unchecked"  # not a problem key: a code not looked at yet


class ReferenceLookup(Protocol):
    def known_companies(self, codes: Iterable[str]) -> set[str]: ...
    def known_communities(self, community_ids: Iterable[str]) -> set[str]: ...
    def contracts_of(self, community_ids: Iterable[str]) -> pd.DataFrame:
        """Existing contracts (community_id, credit_code, start_date, end_date as datetime64)."""
        ...


@dataclass(frozen=True)
class Categories:
    """The categories a methodology allows in a kind's listed column (``Column.listed``)."""

    methodology: str
    allowed: tuple[str, ...]


# Per column name: a parsed column as each row's code (-1: None) and the parsed value of each distinct cell, such
# that ``_take(values, codes)`` is the column. Writers use it to convert a column once per distinct value.
Forms = dict[str, Factorized]


def new_errors(limits: ImportLimits) -> RowErrors:
    """An empty error collection bounded as ``limits`` say."""
    return RowErrors(per_reason=limits.errors_per_reason, echo=limits.echo)


@dataclass
class ParsedFile:
    kind: RecordKind
    filename: str
    file_format: str
    encoding: str | None
    frame: pd.DataFrame  # canonical columns only
    row_numbers: np.ndarray
    headers: dict[str, str]  # canonical column -> header as found in the file
    dropped_columns: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    errors: RowErrors = field(default_factory=RowErrors)

    @property
    def rows(self) -> int:
        return len(self.frame)


def parse_table(raw: RawTable, kind: RecordKind, *, today: dt.date,
                on_rows: Callable[[int], None] | None = None, limits: ImportLimits | None = None,
                categories: Categories | None = None,
                on_chunk: Callable[[pd.DataFrame, RowErrors, Forms], None] | None = None) -> ParsedFile:
    """Map headers, drop personal-data columns and parse every cell; errors are collected (bounded), not raised.

    ``on_chunk`` sees each slice of the file as soon as it is parsed: its rows as the returned frame will hold them
    (defaults applied), with the errors found so far and the columns' ``Forms``. The file-wide checks (duplicate
    keys) come after the last one."""
    limits = limits or ImportLimits()
    index = header_index(kind)
    mapping: dict[int, str] = {}
    headers: dict[str, str] = {}
    dropped: list[str] = []
    ignored: list[str] = []
    errors = new_errors(limits)
    for position, header in enumerate(raw.headers):
        canonical = index.get(normalise_header(header))
        if canonical is None:
            (dropped if is_personal_data_header(header) else ignored).append(header)
            continue
        if canonical in headers:
            errors.append(RowError(raw.filename, 1, canonical, header, "header_duplicate_column",
                                   {"column": header}))
            continue
        mapping[position] = canonical
        headers[canonical] = header
    for col in kind.columns:
        if col.required and col.name not in headers:
            errors.append(RowError(raw.filename, 1, col.name, None, "header_missing_column",
                                   {"column": f"{col.zh}（{col.name}）"}))
    parsed = ParsedFile(kind, raw.filename, raw.file_format, raw.encoding, pd.DataFrame(),
                        np.array([], dtype="int64"), headers, dropped, ignored, errors)
    if errors:
        return parsed

    positions = {name: position for position, name in mapping.items()}
    raw.wanted = set(mapping)  # the reader may leave out the columns not mapped (names, phones)
    # Each column's pieces, chunk by chunk: joined one column at a time at the end, so the whole file is never
    # held twice (a list of chunk frames and their concatenation).
    pieces: dict[str, list[pd.Series]] = {col.name: [] for col in kind.columns}
    numbers: list[np.ndarray] = []
    memory = _FileMemory()
    try:
        for chunk in raw.chunks:
            rows = chunk.frame.shape[0]
            checker = _Checker(raw.filename, chunk.row_numbers, errors, memory,
                               mask_personal_data=limits.personal_data == "mask", categories=categories)
            columns: dict[str, object] = {}
            for col in kind.columns:
                factorized = None
                if col.name in positions:
                    values = chunk.frame[positions[col.name]].to_numpy(dtype=object)
                    factorized = chunk.factorized.get(positions[col.name]) if chunk.factorized else None
                else:
                    values = np.full(rows, None, dtype=object)
                columns[col.name] = checker.parse_column(col, values, today=today, factorized=factorized)
            series = {name: (pd.Series(v, dtype=object) if isinstance(v, np.ndarray) else v)
                      for name, v in columns.items()}
            frame = _with_defaults(kind, pd.DataFrame(series, copy=False), checker.forms)
            del series
            checker.check_order(kind, frame)
            if kind.event_date:
                checker.check_not_future(frame, kind.column(kind.event_date), today)
            for name in pieces:
                pieces[name].append(frame[name])
            numbers.append(chunk.row_numbers)
            if on_chunk is not None:
                on_chunk(frame, errors, checker.forms)
            del frame
            if on_rows is not None:
                on_rows(int(chunk.row_numbers[-1]))
            # The raw slice (its cells, its factorization) and what was parsed from it go before the next slice is
            # read: only the parsed columns (pieces) are kept.
            del chunk, columns, values, factorized, checker
    except FileProblem as problem:
        errors.append(problem.as_row_error(raw.filename))
        return parsed
    if not numbers:
        errors.append(RowError(raw.filename, None, None, None, "file_no_rows"))
        return parsed
    joined: dict[str, pd.Series] = {}
    for name in list(pieces):
        parts = pieces.pop(name)
        joined[name] = parts[0].reset_index(drop=True) if len(parts) == 1 else pd.concat(parts, ignore_index=True)
        del parts
    parsed.frame = pd.DataFrame(joined, copy=False)
    del joined
    parsed.row_numbers = np.concatenate(numbers)
    _Checker(raw.filename, parsed.row_numbers, errors).check_duplicate_keys(kind, parsed.frame)
    order = {name: i for i, name in enumerate(kind.column_names)}
    errors.sort(key=lambda e: (e.row or 0, order.get(e.column or "", -1)))
    return parsed


def _with_defaults(kind: RecordKind, frame: pd.DataFrame, forms: Forms) -> pd.DataFrame:
    """``frame`` with the values a missing cell stands for (a fee violation's amount 0, not refunded); the forms of
    the columns changed here describe them no longer and are dropped."""
    if kind.name == "fee_violations":
        frame["amount_yuan"] = frame["amount_yuan"].fillna(0.0)
        frame["refunded"] = frame["refunded"].where(frame["refunded"].notna(), False).astype(bool)
        forms.pop("amount_yuan", None)
        forms.pop("refunded", None)
    return frame


def kept_positions(errors: RowErrors, filename: str, mask: np.ndarray, column: str, key: str) -> np.ndarray:
    """The flagged positions whose errors are kept; the rest are only counted (errors are bounded), so that no
    error object is made for them."""
    positions = np.flatnonzero(mask)
    room = errors.room(filename, column, key)
    if positions.size > room:
        errors.omit(filename, column, key, int(positions.size - room))
        positions = positions[:room]
    return positions


@dataclass
class _FileMemory:
    """What the chunks of one file learn for the next ones."""

    # Per text column: repeated values share one string object (memory), until a column shows too many distinct
    # values to be worth it (record ids: None).
    shared: dict[str, dict[str, str] | None] = field(default_factory=dict)
    # Per text column: values already found free of personal data (scanned once), likewise.
    clean: dict[str, set[str] | None] = field(default_factory=dict)
    # Each credit code's problem (None: valid), worked out once per file (a file names the same few thousand
    # companies in every chunk).
    code_problems: dict[str, str | None] = field(default_factory=dict)


class _Checker:
    """Parses columns and records problems, for one slice of rows with its spreadsheet row numbers."""

    def __init__(self, filename: str, row_numbers: np.ndarray, errors: RowErrors,
                 memory: _FileMemory | None = None, *, mask_personal_data: bool = False,
                 categories: Categories | None = None) -> None:
        self.filename = filename
        self.row_numbers = row_numbers
        self.errors = errors
        self.memory = memory if memory is not None else _FileMemory()
        self.mask_personal_data = mask_personal_data
        self.categories = categories
        self._factorized: Factorized | None = None  # of the column parse_column is at
        # Each parsed column made from its distinct values: (codes, -1 for None; the parsed value of each)
        self.forms: Forms = {}

    def _shared(self, name: str, values: list[str | None]) -> list[str | None]:
        cache = self.memory.shared.setdefault(name, {})
        if cache is None:
            return values
        shared = [cache.setdefault(v, v) if v is not None else None for v in values]
        if len(cache) > DEDUPE_LIMIT:
            self.memory.shared[name] = None
        return shared

    # -- error helpers -------------------------------------------------------------------------
    def _positions(self, mask: np.ndarray, column: str, key: str) -> np.ndarray:
        return kept_positions(self.errors, self.filename, mask, column, key)

    def flag(self, mask: np.ndarray, column: str, values: np.ndarray, key: str, **params: object) -> None:
        positions = self._positions(mask, column, key)
        if positions.size == 0:
            return
        rows = self.row_numbers
        filename = self.filename
        self.errors.extend(
            RowError(filename, int(rows[i]), column, None if values[i] is None else str(values[i]), key,
                     dict(params))
            for i in positions
        )

    # -- columns -------------------------------------------------------------------------------
    def parse_column(self, col: Column, values: np.ndarray, *, today: dt.date,
                     factorized: Factorized | None = None) -> object:
        """``values`` parsed as ``col`` says, problems flagged; ``factorized``: ``_distinct(values)`` when the
        reader has it (``RawChunk.factorized``)."""
        self._factorized = factorized
        try:
            present: np.ndarray = (factorized[0] != -1) if factorized is not None else values != None  # noqa: E711
            if col.required:
                self.flag(~present, col.name, values, "required")
            parser = getattr(self, f"_parse_{col.type}")
            return parser(col, values, present)
        finally:
            self._factorized = None

    def _distinct(self, values: np.ndarray) -> Factorized:
        """``_distinct(values)``, from the reader's factorization of the column being parsed when it has one."""
        if self._factorized is not None:
            return self._factorized
        return _distinct(values)

    def _formed(self, col: Column, codes: np.ndarray, per_distinct: list[Any]) -> np.ndarray:
        """The column made from the parsed value of each distinct cell, its form kept (``Forms``)."""
        self.forms[col.name] = (codes, per_distinct)
        return _take(per_distinct, codes)

    def _parse_text(self, col: Column, values: np.ndarray, present: np.ndarray) -> np.ndarray:
        listed = values.tolist()
        allowed = set(self.categories.allowed) if col.listed and self.categories is not None else None
        flagged = np.zeros(len(listed), dtype=bool)
        if not col.contact:
            flagged = self._personal_data(col, listed, allowed)
        # Masking personal data changes values: those are factorized afresh.
        codes, distinct = (self._distinct(values) if not self.mask_personal_data
                           else _distinct(np.asarray(listed, dtype=object)))
        lengths = np.array([len(v) for v in distinct] + [0])[codes]
        self.flag((lengths > col.max_len) & ~flagged, col.name, values, "text_too_long", limit=col.max_len)
        shared = self._formed(col, codes, self._shared(col.name, distinct))
        if allowed is not None and self.categories is not None:
            known = np.array([v in allowed for v in distinct] + [False])[codes]
            unknown = present & ~flagged & ~known
            self.flag(unknown, col.name, shared, "category_unknown", methodology=self.categories.methodology,
                      choices="、".join(self.categories.allowed))
        return shared

    def _personal_data(self, col: Column, listed: list[str | None], allowed: set[str] | None) -> np.ndarray:
        """Scan a text column for personal data: flag each value holding some (refuse), or mask it in ``listed``
        (mask); returns which positions were flagged. A methodology's categories are known to be free of it."""
        found = self._scan(col.name, listed, skip=allowed)
        flagged = np.zeros(len(listed), dtype=bool)
        if not found:
            return flagged
        if self.mask_personal_data:
            for position, finding in found.items():
                listed[position] = finding.masked
            return flagged
        positions = np.array(sorted(found), dtype=np.int64)
        flagged[positions] = True
        for i in self._positions(flagged, col.name, "personal_data_in_value").tolist():
            finding = found[i]
            self.errors.append(RowError(self.filename, int(self.row_numbers[i]), col.name, finding.masked,
                                        "personal_data_in_value", {"what": finding.label()}))
        return flagged

    def _scan(self, name: str, listed: list[str | None], *, skip: set[str] | None) -> dict[int, Finding]:
        """``scan_values`` over the values not seen clean before in this column (most columns repeat a few values:
        a channel, a community); a column of distinct values (record ids) is scanned whole, chunk by chunk."""
        seen = self.memory.clean.setdefault(name, set())
        if seen is None:
            return scan_values(listed)
        fresh = list({v for v in listed if v is not None} - seen - (skip or set()))
        if not fresh:
            return {}
        found = scan_values(fresh)
        seen.update(v for i, v in enumerate(fresh) if i not in found)
        if len(seen) > DEDUPE_LIMIT:
            self.memory.clean[name] = None
        if not found:
            return {}
        bad = {fresh[i]: finding for i, finding in found.items()}
        return {i: bad[v] for i, v in enumerate(listed) if v is not None and v in bad}

    def _parse_credit_code(self, col: Column, values: np.ndarray, present: np.ndarray) -> np.ndarray:
        codes, distinct = self._distinct(values)
        codes_upper: list[str] = [v.upper().replace(" ", "") for v in distinct]
        memo = self.memory.code_problems
        problems: list[str | None] = []
        for code in codes_upper:
            problem = memo.get(code, _UNCHECKED)
            if problem is _UNCHECKED:
                problem = credit_code_problem(code)
                if len(memo) < CODE_MEMO_LIMIT:
                    memo[code] = problem
            problems.append(problem)
        for key in ("credit_code_length", "credit_code_charset", "credit_code_check_digit"):
            bad = np.array([problem == key for problem in problems] + [False])
            if bad.any():
                self.flag(bad[codes], col.name, values, key)
        return self._formed(col, codes, self._shared(col.name, list(codes_upper)))

    def _parse_date(self, col: Column, values: np.ndarray, present: np.ndarray) -> pd.Series:
        series = pd.Series(values, dtype=object)
        # Fast path: ISO dates parse in C; the rest go through the regex below.
        parsed = pd.to_datetime(series, format="%Y-%m-%d", errors="coerce")
        pending = present & parsed.isna().to_numpy()
        if pending.any():
            sub = series[pending].astype(str)
            parts = sub.str.extract(DATE_PATTERN)
            matched = parts[0].notna().to_numpy()
            self.flag(_scatter(pending, ~matched), col.name, values, "date_invalid")
            if matched.any():
                comps = parts[matched].astype("int64")
                built = pd.to_datetime(
                    pd.DataFrame({"year": comps[0], "month": comps[1], "day": comps[2]}), errors="coerce"
                )
                impossible = built.isna().to_numpy()
                self.flag(_scatter(_scatter(pending, matched), impossible), col.name, values, "date_impossible")
                parsed.loc[built.index[~impossible]] = built[~impossible]
        parsed = parsed.astype("datetime64[s]")
        out_of_range = (parsed.notna() & ((parsed < EARLIEST) | (parsed > LATEST))).to_numpy()
        self.flag(out_of_range, col.name, values, "date_out_of_range", low="1990-01-01", high="2100-12-31")
        return parsed.where(~out_of_range)

    def _parse_bool(self, col: Column, values: np.ndarray, present: np.ndarray) -> pd.Series:
        codes, distinct = self._distinct(values)
        mapped = self._formed(col, codes, [BOOL_SPELLINGS.get(v.casefold()) for v in distinct])
        bad = (mapped == None) & present  # noqa: E711  (elementwise)
        self.flag(bad, col.name, values, "bool_invalid")
        return pd.Series(mapped, dtype=object)

    def _parse_enum(self, col: Column, values: np.ndarray, present: np.ndarray) -> np.ndarray:
        codes, distinct = self._distinct(values)
        mapped = self._formed(col, codes, [col.choices.get(v.casefold()) for v in distinct])
        bad = (mapped == None) & present  # noqa: E711  (elementwise)
        self.flag(bad, col.name, values, "enum_invalid", choices=col.choices_label)
        return mapped

    def _numbers(self, values: np.ndarray) -> pd.Series:
        cleaned = pd.Series(
            [v.replace(",", "").replace("，", "").rstrip("元户㎡").replace("¥", "") if v is not None else None
             for v in values],
            dtype=object,
        )
        return pd.to_numeric(cleaned, errors="coerce")

    def _parse_int(self, col: Column, values: np.ndarray, present: np.ndarray) -> pd.Series:
        numbers = self._numbers(values)
        not_number = present & numbers.isna().to_numpy()
        not_whole = present & ~not_number & (numbers % 1 != 0).to_numpy()
        self.flag(not_number | not_whole, col.name, values, "int_invalid")
        ok = present & ~not_number & ~not_whole
        if col.positive:
            self.flag(ok & (numbers <= 0).to_numpy(), col.name, values, "must_be_positive")
        self.flag(ok & (numbers.abs() > 2_000_000_000).to_numpy(), col.name, values, "number_too_large",
                  limit=2_000_000_000)
        return numbers.where(pd.Series(ok)).astype("Int64")

    def _parse_decimal(self, col: Column, values: np.ndarray, present: np.ndarray) -> pd.Series:
        numbers = self._numbers(values)
        not_number = present & numbers.isna().to_numpy()
        self.flag(not_number, col.name, values, "number_invalid")
        ok = present & ~not_number
        self.flag(ok & (numbers < 0).to_numpy(), col.name, values, "must_not_be_negative")
        self.flag(ok & (numbers > MAX_AMOUNT).to_numpy(), col.name, values, "number_too_large", limit="1e12")
        return numbers.where(pd.Series(ok)).round(2).astype("float64")

    # -- rows ----------------------------------------------------------------------------------
    def check_order(self, kind: RecordKind, frame: pd.DataFrame) -> None:
        for later, earlier in kind.not_before:
            a, b = frame[later], frame[earlier]
            mask = (a.notna() & b.notna() & (a < b)).to_numpy()
            if mask.any():
                col = kind.column(earlier)
                shown = frame[later].dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
                for i in self._positions(mask, later, "date_before"):
                    self.errors.append(RowError(
                        self.filename, int(self.row_numbers[i]), later, shown[i], "date_before",
                        {"other": col.zh, "other_value": b.iloc[i].strftime("%Y-%m-%d")},
                    ))

    def check_not_future(self, frame: pd.DataFrame, col: Column, today: dt.date) -> None:
        dates = frame[col.name]
        mask = (dates.notna() & (dates > pd.Timestamp(today))).to_numpy()
        if mask.any():  # every date written out only for a slice that has one to show
            shown = dates.dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
            self.flag(mask, col.name, shown, "date_in_future", today=today.isoformat())

    def check_duplicate_keys(self, kind: RecordKind, frame: pd.DataFrame) -> None:
        key = list(kind.key)
        if frame[key].isna().any(axis=None):
            keyed = frame[key].notna().all(axis=1).to_numpy()
        else:
            keyed = np.ones(len(frame), dtype=bool)
        dup = frame.duplicated(key, keep=False).to_numpy() & keyed
        if not dup.any():
            return
        message = "duplicate_in_file" if len(key) == 1 else "contract_key_duplicate"
        shown_col = key[0] if len(key) == 1 else "start_date"
        # Each repeated row names another row of its key: the first, or for the first the second.
        members = frame.loc[dup, key].copy()
        members["_row"] = self.row_numbers[dup]
        groups = members.groupby(key, sort=False, dropna=False)["_row"]
        first = groups.transform("first").to_numpy()
        second = members["_row"].where(groups.cumcount() == 1).groupby(
            [members[k] for k in key], sort=False, dropna=False).transform("max").to_numpy()
        rows = members["_row"].to_numpy()
        other = np.where(rows == first, second, first)
        values = frame.loc[dup, shown_col].to_numpy(dtype=object)
        for i in self._positions(np.ones(len(rows), dtype=bool), shown_col, message).tolist():
            value = values[i]
            shown = value.strftime("%Y-%m-%d") if isinstance(value, pd.Timestamp) else str(value)
            self.errors.append(RowError(self.filename, int(rows[i]), shown_col, shown, message,
                                        {"other": int(other[i])}))


def _distinct(values: np.ndarray) -> Factorized:
    """(codes, distinct values) of a column of str or None: ``distinct[codes[i]]`` is the i-th value, code -1 is
    None. Cells are parsed and checked once per distinct value (most columns repeat a few)."""
    codes, uniques = pd.factorize(values)
    return codes, uniques.tolist()


def _take(per_distinct: list[Any], codes: np.ndarray) -> np.ndarray:
    """The value of each row's distinct value (None for a code of -1), as an object array."""
    table = np.empty(len(per_distinct) + 1, dtype=object)
    table[:-1] = per_distinct
    table[-1] = None
    return table[codes]


def _scatter(outer: np.ndarray, inner: np.ndarray) -> np.ndarray:
    """Mask over all rows from a mask over the rows where ``outer`` is True."""
    result = np.zeros(outer.shape, dtype=bool)
    result[np.flatnonzero(outer)[inner]] = True
    return result


# -- references (need a lookup) ----------------------------------------------------------------

def check_references(parsed: ParsedFile, lookup: ReferenceLookup, *, errors: RowErrors | None = None) -> None:
    """Unknown companies and communities; for contracts, overlaps within the file and with the database. The errors
    go to ``errors`` (default: the file's own)."""
    errors = parsed.errors if errors is None else errors
    frame = parsed.frame
    if frame.empty:
        return
    for col in parsed.kind.columns:
        if col.references is None or col.name not in frame:
            continue
        values = frame[col.name].to_numpy(dtype=object)
        wanted = {v for v in values if v is not None}
        if not wanted:
            continue
        if col.references == "company":
            known = lookup.known_companies(wanted)
            key = "company_unknown"
        else:
            known = lookup.known_communities(wanted)
            key = "community_unknown"
        missing = wanted - known
        if missing:
            mask = np.array([v in missing for v in values], dtype=bool)
            _Checker(parsed.filename, parsed.row_numbers, errors).flag(mask, col.name, values, key)
    if parsed.kind.name == "contracts":
        check_contract_overlaps(parsed, lookup.contracts_of(set(frame["community_id"].dropna())), errors=errors)


def check_contract_overlaps(parsed: ParsedFile, existing: pd.DataFrame, *, errors: RowErrors | None = None) -> None:
    errors = parsed.errors if errors is None else errors
    frame = parsed.frame
    incoming = frame[["community_id", "credit_code", "start_date", "end_date"]].copy()
    incoming["_row"] = parsed.row_numbers
    incoming = incoming.dropna(subset=["community_id", "credit_code", "start_date"])
    if incoming.empty:
        return
    key = ["community_id", "credit_code", "start_date"]
    if not existing.empty:
        existing = existing[["community_id", "credit_code", "start_date", "end_date"]].copy()
        existing["start_date"] = existing["start_date"].astype("datetime64[s]")
        existing["end_date"] = existing["end_date"].astype("datetime64[s]")
        # An incoming row with an existing key replaces that contract (an update).
        merged = existing.merge(incoming[key], on=key, how="left", indicator=True)
        existing = existing[(merged["_merge"] == "left_only").to_numpy()]
        existing["_row"] = -1
        combined = pd.concat([incoming, existing], ignore_index=True)
    else:
        combined = incoming.reset_index(drop=True)
    combined = combined.sort_values(["community_id", "start_date", "_row"], kind="stable").reset_index(drop=True)
    far_future = pd.Timestamp("2262-01-01").as_unit("s")
    end = combined["end_date"].fillna(far_future)
    same = combined["community_id"].eq(combined["community_id"].shift())
    # Running maximum of earlier ends in the community: a start on or before it overlaps.
    prev_end = end.groupby(combined["community_id"]).cummax().groupby(combined["community_id"]).shift()
    overlap = (same & (combined["start_date"] <= prev_end)).to_numpy()
    if not overlap.any():
        return
    for i in kept_positions(errors, parsed.filename, overlap, "start_date", "contract_overlap").tolist():
        row = combined.iloc[i]
        # The contract it overlaps: the latest-ending earlier one of the community.
        earlier = combined.iloc[:i]
        earlier = earlier[earlier["community_id"] == row["community_id"]]
        other = earlier.loc[end.iloc[:i][earlier.index].idxmax()]
        other_desc = _describe_contract(other)
        if row["_row"] >= 0:
            target_row, target = int(row["_row"]), row
        else:  # an existing contract overlaps an incoming one that starts before it
            target_row, target = int(other["_row"]), other
            other_desc = _describe_contract(row)
        errors.append(RowError(
            parsed.filename, target_row, "start_date", target["start_date"].strftime("%Y-%m-%d"),
            "contract_overlap", {"other": other_desc},
        ))


def _describe_contract(row: pd.Series) -> str:
    end = "" if pd.isna(row["end_date"]) else row["end_date"].strftime("%Y-%m-%d")
    where = f"第 {int(row['_row'])} 行 / row {int(row['_row'])}, " if row["_row"] >= 0 else ""
    return f"{where}{row['credit_code']} {row['start_date'].strftime('%Y-%m-%d')}~{end}"
