"""Import record files: validate whole files first, then insert, update or leave rows unchanged.

The CLI (`rating import`) and the HTTP upload route both call ``import_files``; the caller owns
the transaction, so a rejected file leaves the database exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import secrets
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from sqlalchemy.orm import Session

from rating_service import clock
from rating_service.audit import service as audit
from rating_service.errors import ImportRejected, NotFound, RatingServiceError, RowError, RowErrors
from rating_service.i18n import Lang
from rating_service.methodologies import service as methodologies
from rating_service.observability import metrics
from rating_service.records import repository
from rating_service.records.formats import KIND_ORDER, KINDS, Column, RecordKind, resolve_kind
from rating_service.records.limits import ImportLimits
from rating_service.records.models import ImportBatch
from rating_service.records.personal_data import mask_text
from rating_service.records.reader import Factorized, FileProblem, RawTable, read_table
from rating_service.records.validate import (
    Categories,
    Forms,
    ParsedFile,
    check_references,
    new_errors,
    parse_table,
)
from rating_service.records.workbooks import column_guide, errors_workbook, is_report_token, template_workbook
from rating_service.settings import get_settings
from scoring.methodology import Methodology

Progress = Callable[[str, int, int], None]
WRITE_SLICE = 50_000
RECORD_KIND_NAMES = ("inspections", "complaints", "fee_violations", "commendations", "major_events")


@dataclass(frozen=True)
class UploadedFile:
    filename: str
    data: bytes

    @classmethod
    def from_path(cls, path: Path, *, limits: ImportLimits | None = None) -> UploadedFile:
        """A file of the command line, refused before it is read when it is over the size limit (as an upload)."""
        limits = limits or ImportLimits.from_settings()
        if not path.is_file():
            raise RatingServiceError("file_missing", path=str(path))
        try:
            if path.stat().st_size > limits.max_file_bytes:
                raise RatingServiceError("file_too_large", limit=f"{limits.max_file_bytes // (1024 * 1024)} MB")
            return cls(path.name, path.read_bytes())
        except OSError as exc:
            raise RatingServiceError("file_unreadable", detail=f"{path}: {exc.strerror or exc}") from None


def folder_files(folder: Path, kind: str) -> list[Path]:
    """``<kind>.csv`` / ``<kind>.xlsx`` files of a folder, the names a folder import looks for."""
    return sorted(p for p in folder.glob(f"{kind}.*") if p.is_file() and p.suffix.lower() in {".csv", ".xlsx"})


@dataclass
class ImportSummary:
    kind: str
    filename: str
    file_format: str
    encoding: str | None
    rows: int
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    dropped_columns: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    batch_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def kind_or_raise(name: str) -> RecordKind:
    kind = resolve_kind(name)
    if kind is None:
        raise RatingServiceError("kind_unknown", kind=name, choices=", ".join(KIND_ORDER))
    return kind


def categories_of(kind: RecordKind, methodology: Methodology | None) -> Categories | None:
    """The categories ``methodology`` allows in ``kind``'s listed column; None for kinds without one."""
    if methodology is None or not any(col.listed for col in kind.columns):
        return None
    return Categories(methodology.id, methodology.category_list(kind.name))


def methodology_for_imports(session: Session, day: dt.date) -> Methodology:
    """The methodology whose category lists an import on ``day`` follows: the one in force, or, before the first
    takes force, the latest version (shipped or adopted)."""
    try:
        return methodologies.in_force(session, day)
    except NotFound:
        return max(methodologies.all_versions(session), key=lambda m: (m.effective_from, m.id))


def parse_files(kind: RecordKind, files: Sequence[UploadedFile], *, today: dt.date,
                progress: Progress = _no_progress, limits: ImportLimits | None = None,
                methodology: Methodology | None = None,
                first_file_chunks: Callable[[RawTable, pd.DataFrame, RowErrors, Forms], None] | None = None,
                ) -> tuple[list[ParsedFile], RowErrors]:
    """Read and check files on their own (no database); returns parsed files and every error (bounded).
    With ``methodology``, a kind's category column takes only that methodology's categories.
    ``first_file_chunks`` sees each parsed slice of the first file (``parse_table``'s ``on_chunk``)."""
    limits = limits or ImportLimits.from_settings()
    categories = categories_of(kind, methodology)
    parsed: list[ParsedFile] = []
    errors = new_errors(limits)
    for number, upload in enumerate(files):
        progress("reading", 0, 0)
        try:
            raw = read_table(upload.filename, upload.data, limits=limits)
        except FileProblem as problem:
            errors.append(problem.as_row_error(upload.filename))
            continue
        # Line breaks are a cheap estimate of rows for the progress bar (XLSX: unknown until read).
        estimate = raw.line_breaks

        def on_rows(row: int, total: int = estimate) -> None:
            progress("reading", row, max(total, row))

        on_chunk = None
        if number == 0 and first_file_chunks is not None:
            on_chunk = functools.partial(first_file_chunks, raw)
        result = parse_table(raw, kind, today=today, on_rows=on_rows, limits=limits, categories=categories,
                             on_chunk=on_chunk)
        parsed.append(result)
        errors.absorb(result.errors)
    _check_keys_across_files(kind, parsed, errors)
    return parsed, errors


def _check_keys_across_files(kind: RecordKind, parsed: list[ParsedFile], errors: RowErrors) -> None:
    if len(parsed) < 2:
        return
    seen: dict[tuple[Any, ...], str] = {}
    key = list(kind.key)
    for file in parsed:
        if file.frame.empty or any(k not in file.frame for k in key):
            continue
        keys = list(file.frame[key].astype(str).itertuples(index=False, name=None))
        for row, k in zip(file.row_numbers, keys, strict=True):
            if k in seen and seen[k] != file.filename:
                errors.append(RowError(file.filename, int(row), key[0], str(k[0]), "duplicate_across_files",
                                       {"other": seen[k]}))
            else:
                seen.setdefault(k, file.filename)


def labels_for(kind: RecordKind, parsed: Sequence[ParsedFile]) -> dict[tuple[str, str], dict[str, str]]:
    """(file, column) -> header labels to show in errors: the file's own header, or zh/en names."""
    labels: dict[tuple[str, str], dict[str, str]] = {}
    for file in parsed:
        for col in kind.columns:
            labels[(file.filename, col.name)] = {"zh": col.zh, "en": col.name}
    return labels


# -- templates and error reports ---------------------------------------------------------------------

def _categories_today(session: Session, kind: RecordKind) -> Categories | None:
    if not any(col.listed for col in kind.columns):
        return None
    return categories_of(kind, methodology_for_imports(session, clock.local_today()))


def template(session: Session, kind: RecordKind, lang: Lang = "zh") -> bytes:
    """The XLSX template of ``kind``, its category lists those of the methodology an import today follows."""
    return template_workbook(kind, categories=_categories_today(session, kind), lang=lang)


def column_guides(session: Session, lang: Lang = "zh") -> dict[str, list[dict[str, Any]]]:
    """Every kind's columns as the import page lists them (the templates' 填写说明), in import order."""
    methodology = methodology_for_imports(session, clock.local_today())
    return {name: column_guide(KINDS[name], categories_of(KINDS[name], methodology), lang) for name in KIND_ORDER}


def save_error_report(rejected: ImportRejected, lang: Lang = "zh") -> str:
    """Write the XLSX of a rejected import's errors under a random name; returns that name (the token). Reports
    older than ``import_report_hours`` are removed on the way."""
    settings = get_settings()
    folder = settings.import_reports_dir
    folder.mkdir(parents=True, exist_ok=True)
    _remove_expired_reports(folder, settings.import_report_hours)
    token = secrets.token_urlsafe(24)
    data = errors_workbook(rejected.details(lang, per_group=None), rejected.groups(lang), lang=lang)
    path = folder / f"{token}.xlsx"
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as fh:
        fh.write(data)
    return token


def error_report(token: str) -> bytes:
    """The XLSX of a rejected import's errors; NotFound when the token is unknown or the report has expired."""
    settings = get_settings()
    path = settings.import_reports_dir / f"{token}.xlsx"
    gone = NotFound("error_report_gone", hours=settings.import_report_hours)
    if not is_report_token(token) or not path.is_file():
        raise gone
    if time.time() - path.stat().st_mtime > settings.import_report_hours * 3600:
        path.unlink(missing_ok=True)
        raise gone
    return path.read_bytes()


def _remove_expired_reports(folder: Path, hours: int) -> None:
    cutoff = time.time() - hours * 3600
    for path in folder.glob("*.xlsx"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except OSError:
            continue


def import_files(session: Session, *, kind: RecordKind, files: Sequence[UploadedFile], actor: str,
                 today: dt.date | None = None, progress: Progress = _no_progress,
                 limits: ImportLimits | None = None) -> list[ImportSummary]:
    """Validate every file whole, then write them all; raises ImportRejected with the bad rows (bounded)."""
    today = today or clock.local_today()
    limits = limits or ImportLimits.from_settings()
    methodology = methodology_for_imports(session, today) if any(col.listed for col in kind.columns) else None
    first_load = _FirstLoad(session, kind, files[0], actor=actor, progress=progress) if files else None
    try:
        parsed, errors = parse_files(kind, files, today=today, progress=progress, limits=limits,
                                     methodology=methodology,
                                     first_file_chunks=first_load.chunk if first_load is not None else None)
    except BaseException:
        if first_load is not None:
            first_load.abandon()
        raise
    if first_load is not None:
        first_load.end_copy()  # before the look-ups below use the connection
    if not errors:
        progress("validating", 0, len(parsed))
        lookup = repository.DatabaseLookup(session)
        for file in parsed:
            check_references(file, lookup, errors=errors)
        progress("validating", len(parsed), len(parsed))
    if errors:
        if first_load is not None:
            first_load.abandon()
        metrics.count_import_rows(kind.name, "refused", sum(file.rows for file in parsed))
        raise ImportRejected(errors, labels=labels_for(kind, parsed))
    # Change-sets (batches) are numbered in commit order: a cycle's snapshot is "every batch up to W".
    audit.lock_changes(session)
    summaries = []
    for number, (upload, file) in enumerate(zip(files, parsed, strict=True)):
        written = first_load.finish(file) if number == 0 and first_load is not None else None
        summaries.append(_write_file(session, file, upload, actor=actor, progress=progress, batch=written))
    metrics.count_import_rows(kind.name, "stored", sum(summary.rows for summary in summaries))
    return summaries


def import_folder(session: Session, *, folder: Path, actor: str, today: dt.date | None = None,
                  progress: Progress = _no_progress) -> list[ImportSummary]:
    """Import every known file of a folder (companies.csv, communities.xlsx, …) in reference order."""
    summaries: list[ImportSummary] = []
    for name in KIND_ORDER:
        paths = folder_files(folder, name)
        if not paths:
            continue
        files = [UploadedFile.from_path(p) for p in paths]
        summaries.extend(import_files(session, kind=KINDS[name], files=files, actor=actor, today=today,
                                      progress=progress))
        session.flush()
    return summaries


def delete_records(session: Session, *, kind: RecordKind, record_ids: Sequence[str], actor: str,
                   reason: str) -> int:
    """Delete event records (a change-set of its own); cycles computed earlier still see them."""
    if kind.name not in RECORD_KIND_NAMES:
        raise RatingServiceError("delete_kind_refused", kind=kind.name)
    if not reason.strip():
        raise RatingServiceError("reason_required")
    wanted = sorted(set(record_ids))
    table = repository.table_for(kind.table)
    audit.lock_changes(session)
    found = repository.fetch_existing(session, table, kind.key, [], pd.DataFrame({"record_id": wanted}))
    missing = sorted(set(wanted) - set(found["record_id"].astype(str)))
    if missing:
        raise NotFound("record_not_found", kind=kind.name, record_id=", ".join(missing[:10]))
    batch = ImportBatch(
        kind=kind.name, filename="-", file_sha256=hashlib.sha256("\n".join(wanted).encode()).hexdigest(),
        file_format="delete", encoding=None, imported_at=dt.datetime.now(dt.UTC), imported_by=actor,
        rows=len(wanted), inserted=0, updated=0, unchanged=0, dropped_columns="[]", ignored_columns="[]",
    )
    session.add(batch)
    session.flush()
    repository.archive_rows(session, table, kind.key, [(r,) for r in wanted], superseded_by=batch.id, deleted=True)
    count = repository.delete_rows(session, table, "record_id", wanted)
    audit.append(session, [audit.AuditDraft(action="record.delete", actor=actor, entity_kind=kind.name,
                                            entity_id=record_id, reason=reason, payload={"batch_id": batch.id})
                           for record_id in wanted])
    return count


# -- writing ------------------------------------------------------------------------------------

def _content_columns(kind: RecordKind) -> list[str]:
    return [c for c in kind.column_names if c not in kind.key]


def _canonical_strings(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """A string form of each value that is equal exactly when the stored values are equal."""
    out: dict[str, Any] = {}
    for name in columns:
        series = frame[name]
        if pd.api.types.is_datetime64_any_dtype(series):
            values = np.datetime_as_string(series.to_numpy(dtype="datetime64[D]"), unit="D")
            out[name] = np.where(series.isna().to_numpy(), "", values)
        elif pd.api.types.is_float_dtype(series):
            out[name] = [("" if pd.isna(v) else f"{float(v):.2f}") for v in series.to_numpy()]
        else:
            out[name] = [_canonical_scalar(v) for v in series.to_numpy(dtype=object)]
    return pd.DataFrame(out, index=frame.index, dtype=object)


def _canonical_scalar(value: Any) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float):
        return "" if np.isnan(value) else f"{value:.2f}"
    if isinstance(value, bool | np.bool_):
        return "1" if value else "0"
    if isinstance(value, dt.datetime | pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "as_tuple"):  # Decimal
        return f"{float(value):.2f}"
    return str(value)


def _existing_as_frame(kind: RecordKind, existing: pd.DataFrame) -> pd.DataFrame:
    """Give rows read from the database the dtypes of a parsed file."""
    for col in kind.columns:
        if col.name not in existing:
            continue
        if col.type == "date":
            existing[col.name] = pd.to_datetime(existing[col.name]).astype("datetime64[s]")
        elif col.type == "decimal":
            existing[col.name] = pd.to_numeric(existing[col.name].astype(object), errors="coerce").astype(float)
    return existing


def _db_columns(kind: RecordKind, frame: pd.DataFrame, batch_id: int) -> tuple[list[str], list[list[Any]]]:
    """Column-wise Python values ready for executemany / COPY (dates as ISO text), the batch last."""
    names = kind.column_names
    columns = _python_columns(frame, names)
    columns.append([batch_id] * len(frame))
    return [*names, "batch_id"], columns


def _python_columns(frame: pd.DataFrame, names: list[str]) -> list[list[Any]]:
    """The frame's ``names`` as lists of Python values (dates as ISO text, amounts to the cent, missing None)."""
    columns: list[list[Any]] = []
    for name in names:
        series = frame[name]
        if pd.api.types.is_datetime64_any_dtype(series):
            text = np.datetime_as_string(series.to_numpy(dtype="datetime64[D]"), unit="D").astype(object)
            text[series.isna().to_numpy()] = None
            columns.append(text.tolist())
        elif isinstance(series.dtype, pd.Int64Dtype):
            columns.append([None if v is pd.NA else int(v) for v in series.to_numpy(dtype=object)])
        elif pd.api.types.is_float_dtype(series):
            columns.append([None if np.isnan(v) else round(float(v), 2) for v in series.to_numpy()])
        else:
            values = series.to_numpy(dtype=object)
            missing = pd.isna(values)  # None, or pd.NA from a nullable column: NULL
            if missing.any():
                values = values.copy()
                values[missing] = None
            columns.append(values.tolist())
    return columns


# Rows per JSON array that SQLite inserts in one statement: a block in the making, two waiting and one being inserted
# are in memory at once (50,000 rows each, as Python text, took the 1 M-row import's peak from 536 to 622 MiB).
JSON_SLICE = 10_000

_JSON_NULL = pa.scalar("null", type=pa.string())
# A control character in a JSON string must be escaped (\n, \u0001, ...): such a column's values go through json.
_CONTROL = "[\\x00-\\x1f]"


def _json_rows(kind: RecordKind, frame: pd.DataFrame, columns: list[str]) -> Iterator[bytes]:
    """The frame as JSON arrays of rows in slices (UTF-8), each row ``columns``' values, for
    ``repository.json_insert_stream``: the values the Python path binds (dates as ISO text, amounts to the cent,
    booleans ``true``/``false``, missing values ``null``). Each column becomes JSON tokens in Arrow (from the arrays
    COPY formats, ``_copy_column``) and the rows are joined there, so no Python object is made per value."""
    for start in range(0, len(frame), JSON_SLICE):
        part = frame.iloc[start:start + JSON_SLICE]
        tokens = [_json_tokens(kind.column(name), part[name]) for name in columns]
        joined = pc.binary_join_element_wise(*tokens, ",", memory_pool=_ARROW_POOL)
        rows = pc.binary_join_element_wise(pa.scalar("["), joined, pa.scalar("],"), "", memory_pool=_ARROW_POOL)
        offsets = rows.buffers()[1]
        first, end = np.frombuffer(offsets, dtype=np.int32, count=len(rows) + 1, offset=rows.offset * 4)[[0, -1]]
        body = memoryview(rows.buffers()[2])[first:end - 1]  # the rows one after another, without the last comma
        yield b"".join((b"[", body, b"]"))


def _json_tokens(col: Column, series: pd.Series) -> pa.Array:
    """A column's values as JSON text, one token per row. A column of few distinct values (a channel, a community,
    a date) is encoded once per distinct value."""
    values = _copy_column(col, series)
    encoded = None if col.type in ("decimal", "int", "bool") else pc.dictionary_encode(values, memory_pool=_ARROW_POOL)
    if encoded is None or len(encoded.dictionary) * 2 > len(values):  # mostly distinct (record ids): as they are
        tokens = _json_values(col, values)
    else:
        tokens = pc.take(_json_values(col, encoded.dictionary), encoded.indices, memory_pool=_ARROW_POOL)
    return pc.coalesce(tokens, _JSON_NULL, memory_pool=_ARROW_POOL)


def _json_values(col: Column, values: pa.Array) -> pa.Array:
    """JSON text of each value (``_copy_column``'s array); a null stays null."""
    pool = _ARROW_POOL
    if col.type == "decimal":  # already text to the cent
        return values
    if col.type == "int":
        return pc.cast(values, pa.string(), memory_pool=pool)
    if col.type == "bool":
        return pc.if_else(values, pa.scalar("true"), pa.scalar("false"), memory_pool=pool)
    if col.type == "date":
        return _quoted(pc.cast(values, pa.string(), memory_pool=pool))
    if pc.any(pc.match_substring_regex(values, _CONTROL, memory_pool=pool)).as_py():
        return pa.array([None if v is None else json.dumps(v, ensure_ascii=False) for v in values.to_pylist()],
                        type=pa.string(), memory_pool=pool)
    escaped = pc.replace_substring(values, "\\", "\\\\", memory_pool=pool)
    return _quoted(pc.replace_substring(escaped, '"', '\\"', memory_pool=pool))


def _quoted(text: pa.Array) -> pa.Array:
    return pc.binary_join_element_wise(pa.scalar('"'), text, pa.scalar('"'), "", memory_pool=_ARROW_POOL)


def _python_row(kind: RecordKind, row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for col in kind.columns:
        value = row[col.name]
        if value is None or value is pd.NaT or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
            out[col.name] = None
        elif col.type == "date":
            out[col.name] = pd.Timestamp(value).date()
        elif col.type == "int":
            out[col.name] = int(value)
        elif col.type == "decimal":
            out[col.name] = round(float(value), 2)
        elif col.type == "bool":
            out[col.name] = bool(value)
        else:
            out[col.name] = value
    return out


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in row.items()}


def _new_batch(session: Session, kind: RecordKind, upload: UploadedFile, *, file_format: str, encoding: str | None,
               actor: str, summary: ImportSummary | None = None) -> ImportBatch:
    """The file's import batch (its change-set), its counts still 0. Without the file's ``summary`` (a first load
    written while read, before the file is whole) its rows and columns are left for ``_describe``."""
    batch = ImportBatch(
        # A file name is stored too: personal data typed into one is masked like a value.
        kind=kind.name, filename=mask_text(upload.filename), file_sha256=hashlib.sha256(upload.data).hexdigest(),
        file_format=file_format, encoding=encoding, imported_at=dt.datetime.now(dt.UTC), imported_by=actor,
        rows=0, inserted=0, updated=0, unchanged=0, dropped_columns="[]", ignored_columns="[]")
    if summary is not None:
        _describe(batch, summary)
    session.add(batch)
    session.flush()
    return batch


def _describe(batch: ImportBatch, summary: ImportSummary) -> None:
    batch.rows = summary.rows
    batch.dropped_columns = json.dumps(summary.dropped_columns, ensure_ascii=False)
    batch.ignored_columns = json.dumps(summary.ignored_columns, ensure_ascii=False)


def _write_file(session: Session, file: ParsedFile, upload: UploadedFile, *, actor: str,
                progress: Progress, batch: ImportBatch | None = None) -> ImportSummary:
    """Store a checked file as a new batch; ``batch``: its rows are in the table already (``_FirstLoad``)."""
    kind = file.kind
    table = repository.table_for(kind.table)
    frame = file.frame
    # Headers are stored too: personal data typed into one is masked like a value.
    summary = ImportSummary(kind.name, mask_text(file.filename), file.file_format, file.encoding, file.rows,
                            dropped_columns=[mask_text(h) for h in file.dropped_columns],
                            ignored_columns=[mask_text(h) for h in file.ignored_columns])
    written = batch is not None
    if batch is None:
        batch = _new_batch(session, kind, upload, file_format=file.file_format, encoding=file.encoding, actor=actor,
                           summary=summary)
    else:
        _describe(batch, summary)
    summary.batch_id = batch.id

    if written:
        summary.inserted = file.rows
    elif repository.is_postgresql(session):
        _merge_postgresql(session, kind, table, frame, summary, batch_id=batch.id, actor=actor, progress=progress)
    else:
        _merge_python(session, kind, table, frame, summary, batch_id=batch.id, actor=actor, progress=progress)

    batch.inserted, batch.updated, batch.unchanged = summary.inserted, summary.updated, summary.unchanged
    audit.record(session, "import", actor=actor, entity_kind="import_batch", entity_id=str(batch.id),
                 payload={**summary.as_dict(), "file_sha256": batch.file_sha256})
    session.flush()
    return summary


def _merge_python(session: Session, kind: RecordKind, table: Any, frame: pd.DataFrame, summary: ImportSummary, *,
                  batch_id: int, actor: str, progress: Progress) -> None:
    """Compare with the stored rows in pandas, update the changed ones, insert the new ones (SQLite)."""
    content = _content_columns(kind)
    key = list(kind.key)
    is_new = np.ones(len(frame), dtype=bool)
    changed_positions: np.ndarray = np.array([], dtype=int)
    existing = pd.DataFrame()
    empty = repository.table_is_empty(session, table)
    if not empty:
        existing = repository.fetch_existing(session, table, kind.key, content, frame[key])
    if not existing.empty:
        existing = _existing_as_frame(kind, existing)
        incoming_keys = _canonical_strings(frame, key).agg("\x1f".join, axis=1)
        existing_keys = _canonical_strings(existing, key).agg("\x1f".join, axis=1)
        position_of = pd.Series(np.arange(len(existing)), index=existing_keys.to_numpy())
        matched = incoming_keys.map(position_of)
        is_new = matched.isna().to_numpy()
        old_pos = matched[~is_new].astype(int).to_numpy()
        new_pos = np.flatnonzero(~is_new)
        if content:
            incoming_content = _canonical_strings(frame.iloc[new_pos], content).to_numpy()
            stored_content = _canonical_strings(existing.iloc[old_pos], content).to_numpy()
            differs = (incoming_content != stored_content).any(axis=1)
        else:
            differs = np.zeros(len(new_pos), dtype=bool)
        changed_positions = new_pos[differs]
        if changed_positions.size:
            _update_changed(session, kind, table, frame, existing, changed_positions, old_pos[differs],
                            batch_id=batch_id, actor=actor)
        summary.unchanged = int((~differs).sum())
        summary.updated = int(changed_positions.size)

    new_rows = frame if is_new.all() else frame[is_new]  # all new (a first import): no copy of the file's rows
    total = len(new_rows)
    with repository.new_rows_written(session, table, new_rows=total, empty=empty):
        for start in range(0, max(total, 1), WRITE_SLICE):
            part = new_rows.iloc[start:start + WRITE_SLICE]
            if part.empty:
                break
            names, columns = _db_columns(kind, part, batch_id)
            repository.insert_rows(session, table, names, list(zip(*columns, strict=True)))
            progress("writing", min(start + WRITE_SLICE, total), total)
    summary.inserted = total


def _update_changed(session: Session, kind: RecordKind, table: Any, frame: pd.DataFrame, existing: pd.DataFrame,
                    new_positions: np.ndarray, old_positions: np.ndarray, *, batch_id: int, actor: str) -> None:
    content = _content_columns(kind)
    key = list(kind.key)
    after_rows = [_python_row(kind, r) for r in frame.iloc[new_positions].to_dict("records")]
    before_rows = [_python_row(kind, r) for r in existing.iloc[old_positions].to_dict("records")]
    params = []
    for after in after_rows:
        param = {f"k_{k}": after[k] for k in key}
        param.update({f"v_{c}": after[c] for c in content})
        param["v_batch_id"] = batch_id
        params.append(param)
    # The version being replaced stays readable for cycles computed before this batch.
    old_keys = [tuple(after[k] for k in key) for after in after_rows]
    repository.archive_rows(session, table, kind.key, old_keys, superseded_by=batch_id)
    repository.update_rows(session, table, kind.key, [*content, "batch_id"], params)
    audit.append(session, _update_drafts(kind, zip(before_rows, after_rows, strict=True), batch_id=batch_id,
                                         actor=actor))


def _update_drafts(kind: RecordKind, changes: Iterable[tuple[dict[str, Any], dict[str, Any]]], *, batch_id: int,
                   actor: str) -> list[audit.AuditDraft]:
    """One ``record.update`` audit entry per changed row: the columns that changed, the row before and after."""
    content = _content_columns(kind)
    drafts = []
    for before, after in changes:
        changed = sorted(c for c in content if before[c] != after[c])
        drafts.append(audit.AuditDraft(
            action="record.update", actor=actor, entity_kind=kind.name,
            entity_id="/".join(str(_jsonable({k: after[k]})[k]) for k in kind.key),
            payload={"batch_id": batch_id, "changed": changed, "before": _jsonable(before),
                     "after": _jsonable(after)},
        ))
    return drafts


# -- PostgreSQL: COPY into a staging table, merge in SQL ----------------------------------------------------------

# Arrow's own allocator (mimalloc) keeps what it frees for later; the import allocates each slice's arrays once, so
# they come from the C allocator, which gives them back at once (rating_service/allocator.py).
_ARROW_POOL = pa.system_memory_pool()


def _copy_column(col: Column, series: pd.Series, form: Factorized | None = None) -> pa.Array:
    """A column's cells as an Arrow array that the CSV writer formats as PostgreSQL reads them and as the Python
    path stores them: dates as days (``2025-01-24``), amounts to the cent, booleans ``true``/``false``; missing
    values null. With the column's ``form`` (``validate.Forms``: its distinct values and each row's code), text
    and booleans are converted once per distinct value and put in place by Arrow."""
    if form is not None and col.type in _FORM_TYPES:
        codes, per_distinct = form
        values = pa.array(per_distinct, type=_FORM_TYPES[col.type], from_pandas=True, memory_pool=_ARROW_POOL)
        return pc.take(values, pa.array(codes, mask=codes < 0), memory_pool=_ARROW_POOL)
    if col.type == "date":
        return pa.array(series.to_numpy(dtype="datetime64[D]"), from_pandas=True, memory_pool=_ARROW_POOL)
    if col.type == "int":
        return pa.array(series.to_numpy(dtype=object), type=pa.int64(), from_pandas=True, memory_pool=_ARROW_POOL)
    if col.type == "decimal":
        return pa.array([None if np.isnan(v) else f"{float(v):.2f}" for v in series.to_numpy(dtype="float64")],
                        type=pa.string(), memory_pool=_ARROW_POOL)
    if col.type == "bool":
        return pa.array(series.to_numpy(dtype=object), type=pa.bool_(), from_pandas=True, memory_pool=_ARROW_POOL)
    return pa.array(series.to_numpy(dtype=object), type=pa.string(), from_pandas=True, memory_pool=_ARROW_POOL)


# The column types a form converts (``_copy_column``), with their Arrow types.
_FORM_TYPES = {"text": pa.string(), "credit_code": pa.string(), "enum": pa.string(), "bool": pa.bool_()}


def _form_slice(form: Factorized | None, start: int, size: int) -> Factorized | None:
    return None if form is None else (form[0][start:start + size], form[1])


# Every value quoted, a null left empty: PostgreSQL's CSV format reads an unquoted empty field as NULL and a quoted
# one as text, in which a tab, a backslash or a line break needs no escape (a quote is doubled).
_COPY_CSV = pacsv.WriteOptions(include_header=False, quoting_style="all_valid")


def _copy_text(kind: RecordKind, frame: pd.DataFrame, columns: list[str], progress: Progress, *,
               batch_id: int | None = None, forms: Forms | None = None) -> Iterator[memoryview]:
    """The frame as ``COPY … (FORMAT csv)`` text in slices, formatted by Arrow's CSV writer; each row ends with its
    position in the file (for the staging table), or with ``batch_id`` when given (for the table itself). ``forms``:
    the frame's columns as made from their distinct values (``validate.Forms``), for ``_copy_column``."""
    total = len(frame)
    forms = forms or {}
    for start in range(0, total, WRITE_SLICE):
        part = frame.iloc[start:start + WRITE_SLICE]
        arrays = [_copy_column(kind.column(name), part[name], _form_slice(forms.get(name), start, WRITE_SLICE))
                  for name in columns]
        arrays.append(pa.array(np.arange(start, start + len(part)) if batch_id is None
                               else np.full(len(part), batch_id), memory_pool=_ARROW_POOL))
        sink = pa.BufferOutputStream(memory_pool=_ARROW_POOL)
        pacsv.write_csv(pa.Table.from_arrays(arrays, names=[*columns, "_last"]), sink, _COPY_CSV,
                        memory_pool=_ARROW_POOL)
        yield memoryview(sink.getvalue())  # the writer's buffer itself, not a copy
        progress("writing", min(start + WRITE_SLICE, total), total)


class _FirstLoad:
    """The first file of a first load, written while it is still being read.

    When the table holds no rows, every row of the first file is new. Instead of reading the whole file and then
    writing it into the table (``_merge_postgresql``, ``_merge_python``), each slice goes to the table as soon as it
    is parsed, and the database stores one slice while the next one is read (``repository.copy_stream`` on
    PostgreSQL; on SQLite ``repository.json_insert_stream``, one INSERT over a JSON array per slice, which runs
    without the interpreter lock). For a
    CSV file of at least ``repository.BULK_MIN_ROWS`` lines; anything else is written after the reading as before.

    What that write would do first is done before the first slice: the change lock, the file's batch and the checks
    set aside (``repository.bulk_load``), all inside a savepoint. No slice is sent once the file shows an error. If
    the file or its references are refused, ``abandon`` rolls the savepoint back: a refused file leaves nothing
    behind, as before. ``finish`` puts the checks back once the file is accepted."""

    def __init__(self, session: Session, kind: RecordKind, upload: UploadedFile, *, actor: str,
                 progress: Progress) -> None:
        self.session, self.kind, self.upload, self.actor, self.progress = session, kind, upload, actor, progress
        self.columns = [*kind.key, *_content_columns(kind)]
        self.batch: ImportBatch | None = None
        self.rows = 0
        self._declined = False
        self._savepoint: Any = None
        self._copy: Any = None  # the open copy_stream / json_insert_stream
        self._write: Callable[[Any], None] | None = None
        # A slice (with its columns' forms) as that stream's blocks
        self._blocks: Callable[..., Iterable[Any]] | None = None
        self._page_cache: Any = None  # the open repository.bulk_page_cache
        self._deferred: list[str] = []
        # The writing's failure, e.g. a key repeated in the file (the file-wide check that reports it comes after the
        # last slice): the refusal explains it; raised if the file is accepted all the same.
        self._failure: Exception | None = None

    def chunk(self, raw: RawTable, frame: pd.DataFrame, errors: RowErrors, forms: Forms | None = None) -> None:
        if self._declined or errors or self._failure is not None:
            return
        if self.batch is None and not self._start(raw):
            self._declined = True
            return
        assert self._write is not None and self._blocks is not None
        try:
            for block in self._blocks(frame, forms=forms):
                self._write(block)
        except Exception as exc:  # the database refused a block: see _failure
            self._failure = exc
            return
        self.rows += len(frame)
        self.progress("writing", self.rows, max(raw.line_breaks, self.rows))

    def _start(self, raw: RawTable) -> bool:
        session = self.session
        if not (raw.file_format == "csv" and raw.line_breaks >= repository.BULK_MIN_ROWS
                and repository.streams_while_read(session)):
            return False
        table = repository.table_for(self.kind.table)
        self._savepoint = session.begin_nested()
        # Change-sets (batches) are numbered in commit order: the lock comes before the batch, as in import_files.
        audit.lock_changes(session)
        # Only when the checks can be set aside: row by row, the COPY itself would refuse a reference that does not
        # exist before check_references could name its row.
        if not (repository.table_is_empty(session, table)
                and repository.bulk_load(session, table, new_rows=raw.line_breaks, empty=True)):
            self._savepoint.commit()  # nothing done in it
            self._savepoint = None
            return False
        self.batch = _new_batch(session, self.kind, self.upload, file_format=raw.file_format, encoding=raw.encoding,
                                actor=self.actor)
        # The bulk load's page cache on SQLite, until the indexes are built again (finish) or the load is abandoned.
        self._page_cache = repository.bulk_page_cache(session)
        self._page_cache.__enter__()
        self._deferred = repository.set_aside_checks(session, table)
        if repository.is_postgresql(session):
            self._copy = repository.copy_stream(session, table.name, [*self.columns, "batch_id"])
            self._blocks = functools.partial(_copy_text, self.kind, columns=self.columns, progress=_no_progress,
                                             batch_id=self.batch.id)
        else:
            self._copy = repository.json_insert_stream(session, table.name, self.columns, batch_id=self.batch.id)
            # (SQLite's JSON tokens are made once per distinct value by _json_tokens itself.)
            self._blocks = lambda frame, forms=None: _json_rows(self.kind, frame, self.columns)
        self._write = self._copy.__enter__()
        return True

    def end_copy(self) -> None:
        """Ends the writing (what was sent is stored); the connection is free again."""
        if self._copy is not None:
            copy, self._copy, self._write = self._copy, None, None
            try:
                copy.__exit__(None, None, None)
            except Exception as exc:  # the database refused a block: see _failure
                self._failure = self._failure or exc

    def abandon(self) -> None:
        """The import is refused: nothing written here stays (the checks come back with the savepoint)."""
        self.end_copy()
        if self._savepoint is not None:
            self._savepoint.rollback()
            self._savepoint = None
            self.batch = None
        self._leave_page_cache()

    def _leave_page_cache(self) -> None:
        if self._page_cache is not None:
            page_cache, self._page_cache = self._page_cache, None
            page_cache.__exit__(None, None, None)

    def finish(self, file: ParsedFile) -> ImportBatch | None:
        """The file was accepted: its batch, whose rows are all in the table, or None when it was not written here."""
        self.end_copy()
        if self.batch is None:
            return None
        try:
            if self._failure is not None:
                raise self._failure
            if self.rows != file.rows:  # pragma: no cover - every slice of an accepted file was sent
                raise RuntimeError(f"first load wrote {self.rows} of {file.rows} rows")
            repository.restore_checks(self.session, self._deferred)
        finally:
            self._leave_page_cache()
        self._savepoint.commit()
        self._savepoint = None
        self.progress("writing", file.rows, file.rows)
        return self.batch


def _merge_postgresql(session: Session, kind: RecordKind, table: Any, frame: pd.DataFrame, summary: ImportSummary,
                      *, batch_id: int, actor: str, progress: Progress) -> None:
    """COPY the file into a staging table, then archive, update and insert in set-based SQL, in the caller's
    transaction; the audit entries of changed rows are made from the rows the merge changed."""
    columns = [*kind.key, *_content_columns(kind)]
    empty = repository.table_is_empty(session, table)
    if empty:  # a first load: every row is new
        repository.copy_into_empty(session, table, [*columns, "batch_id"],
                                   _copy_text(kind, frame, columns, progress, batch_id=batch_id), rows=len(frame))
        summary.inserted, summary.updated, summary.unchanged = len(frame), 0, 0
        return
    repository.stage_copy(session, table, columns, _copy_text(kind, frame, columns, progress))
    result = repository.merge_staged(session, table, kind.key, _content_columns(kind), batch_id=batch_id,
                                     empty=empty, staged=len(frame))
    if result.changes:
        changes = ((_python_row(kind, before), _python_row(kind, after)) for before, after in result.changes)
        audit.append(session, _update_drafts(kind, changes, batch_id=batch_id, actor=actor))
    summary.inserted, summary.updated, summary.unchanged = result.inserted, result.updated, result.unchanged
