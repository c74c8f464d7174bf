"""Intake's rules: raw exports and pushes become intake items (validated whole, personal data removed, matched to
a community, triaged), the officers' queue and decisions turn confirmed items into complaint and inspection
records (one import batch per decision, so a cycle's snapshot watermark holds), and the column mappings.

Never commits: the caller owns the transaction, so a refused file or push leaves the database as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from rating_service import clock
from rating_service.audit import service as audit
from rating_service.errors import ImportRejected, NotFound, RatingServiceError, RowError, RowErrors
from rating_service.i18n import Lang, translate
from rating_service.intake import directory, formats, matching, repository, training
from rating_service.intake import redact as redaction
from rating_service.intake.formats import RawFormat
from rating_service.intake.models import IntakeItem, IntakeMapping, ItemKind, ItemStatus, MatchStatus
from rating_service.records import service as records
from rating_service.records.formats import SATISFACTION, SEVERITY, is_personal_data_header, normalise_header
from rating_service.records.limits import ImportLimits
from rating_service.records.models import Complaint, ImportBatch, Inspection
from rating_service.records.personal_data import mask_text
from rating_service.records.reader import FileProblem, read_table
from rating_service.records.validate import BOOL_SPELLINGS, DATE_PATTERN, new_errors
from rating_service.settings import get_settings, to_local

ProgressFn = Callable[[str, int, int], None]
API_FILE = "api"  # the "file" of a push's row errors
EARLIEST = dt.date(1990, 1, 1)
LATEST = dt.date(2100, 12, 31)
_DATE_RE = re.compile(DATE_PATTERN)
_SEVERITY_WORDS = {code: zh for zh, code in ((w, SEVERITY[0][w.casefold()]) for w in SEVERITY[2])}
_SATISFACTION_WORDS = {code: zh for zh, code in ((w, SATISFACTION[0][w.casefold()]) for w in SATISFACTION[2])}


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


# -- the contract's values --------------------------------------------------------------------------------------

@dataclass
class ItemIn:
    """One validated incoming ticket / finding, before redaction."""

    external_no: str
    received_on: dt.date
    place_text: str
    text: str | None
    fields: dict[str, Any]
    idempotency_key: str | None = None
    row: int | None = None


@dataclass
class IngestSummary:
    received: int
    inserted: int
    unchanged: int
    proposed: int
    review: int
    redactions: int
    batch_id: int | None
    dropped_columns: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


@dataclass
class QueueFilter:
    status: str = "pending"
    kind: str | None = None
    view: str = "all"  # "all" | "high" (bulk-confirmable) | "review"
    q: str | None = None
    page: int = 1
    per_page: int = 50


@dataclass
class AlternativeView:
    community_id: str
    name: str
    score: float
    rule_label: str


@dataclass
class ItemView:
    id: int
    kind: str
    kind_label: str
    external_no: str
    received_on: dt.date
    place_text: str
    text: str | None
    fields: dict[str, str]
    match_status: str | None
    match_status_label: str
    match_community_id: str | None
    match_community_name: str | None
    match_score: float | None
    match_rule_label: str
    alternatives: list[AlternativeView]
    category_suggested: str | None
    category_probability: float | None
    relevant_probability: float | None
    category_alternatives: list[tuple[str, float]]
    status: str
    status_label: str
    community_id: str | None
    community_name: str | None
    category: str | None
    duplicate_of_no: str | None
    decided_by: str | None
    decided_at: dt.datetime | None
    record_id: str | None
    reason: str
    high_confidence: bool


@dataclass
class QueuePage:
    rows: list[ItemView]
    total: int
    page: int
    pages: int
    per_page: int = 50


@dataclass
class Progress:
    total: int
    decided: int
    confirmed: int
    not_property: int
    duplicate: int
    pending: int


@dataclass
class DecisionSummary:
    decided: int
    status: str
    item_ids: list[int]
    created: int = 0  # records inserted
    linked: int = 0  # items linked to a record that already existed
    batch_ids: list[int] = field(default_factory=list)


# -- redaction and the match rule's words -------------------------------------------------------------------------

def _redactor() -> Callable[[str], tuple[str, int]]:
    """text -> (text with personal data removed, how many pieces were removed)."""
    house_numbers = get_settings().intake_remove_house_numbers

    def run(text: str) -> tuple[str, int]:
        done = redaction.redact(text, house_numbers=house_numbers)
        return done.text, done.count

    return run


def _rule_label(rule: str | None, lang: Lang) -> str:
    if not rule:
        return ""
    return matching.rule_label(rule, lang)


# -- mappings ---------------------------------------------------------------------------------------------------

def _format(kind: str) -> RawFormat:
    fmt = formats.resolve(kind)
    if fmt is None:
        raise RatingServiceError("intake_kind_unknown", kind=kind, choices="hotline, patrol")
    return fmt


def _admin_mapping(session: Session, kind: str) -> dict[str, list[str]]:
    row = repository.mapping_row(session, kind)
    if row is None:
        return {}
    try:
        data = json.loads(row.mapping)
    except ValueError:
        return {}
    return {str(k): [str(h) for h in v] for k, v in data.items() if isinstance(v, list)} if isinstance(data, dict) \
        else {}


def mapping(session: Session, kind: str) -> dict[str, list[str]]:
    """field -> accepted headers: the defaults (formats.py) and then the administrator's additions."""
    fmt = _format(kind)
    merged = formats.default_mapping(fmt.kind)
    for name, headers in _admin_mapping(session, fmt.kind).items():
        if name in merged:
            merged[name].extend(h for h in headers if h not in merged[name])
    return merged


def set_mapping(session: Session, kind: str, mapping: dict[str, list[str]], actor: str) -> None:
    """Replace the administrator's additional headers of ``kind`` (the defaults always stay); audited. Refused when
    a field is unknown or one header (as normalised) would name two fields."""
    fmt = _format(kind)
    known = set(fmt.names)
    owner: dict[str, str] = {}
    for name, headers in formats.default_mapping(fmt.kind).items():
        for header in headers:
            owner.setdefault(normalise_header(header), name)
    cleaned: dict[str, list[str]] = {}
    for name, headers in mapping.items():
        if name not in known:
            raise RatingServiceError("intake_mapping_field_unknown", field=name, choices="、".join(fmt.names))
        if isinstance(headers, str) or not isinstance(headers, list | tuple):
            raise RatingServiceError("intake_mapping_headers_list", field=name)
        for header in headers:
            text = str(header).strip()
            key = normalise_header(text)
            if not key:
                continue
            if owner.get(key, name) != name:
                raise RatingServiceError("intake_mapping_header_twice", header=text, first=owner[key], second=name)
            if key in owner:
                continue  # already accepted for this field
            owner[key] = name
            cleaned.setdefault(name, []).append(text)
    before = _admin_mapping(session, fmt.kind)
    row = repository.mapping_row(session, fmt.kind)
    now = clock.now()
    text = json.dumps(cleaned, ensure_ascii=False, sort_keys=True)
    if row is None:
        session.add(IntakeMapping(kind=fmt.kind, mapping=text, updated_by=actor, updated_at=now))
    else:
        row.mapping, row.updated_by, row.updated_at = text, actor, now
    audit.record(session, "intake.mapping", actor=actor, entity_kind="intake_mapping", entity_id=fmt.kind,
                 payload={"before": before, "after": cleaned})
    session.flush()


# -- reading a raw file -----------------------------------------------------------------------------------------

def _parse_date(text: str) -> dt.date | str:
    """A date (a time of day is dropped) or the key of its problem."""
    match = _DATE_RE.match(text)
    if match is None:
        return "date_invalid"
    try:
        day = dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return "date_impossible"
    if not EARLIEST <= day <= LATEST:
        return "date_out_of_range"
    return day


@dataclass
class _Parsed:
    items: list[ItemIn]
    headers: dict[str, str]  # field -> header found
    dropped: list[str]
    ignored: list[str]
    file_format: str
    encoding: str | None


def _labels(filename: str, fmt: RawFormat, headers: dict[str, str]) -> dict[tuple[str, str], dict[str, str]]:
    return {(filename, f.name): {"zh": headers.get(f.name, f.zh), "en": f.name} for f in fmt.fields}


def _read(session: Session, fmt: RawFormat, upload: records.UploadedFile, *, history: bool, limits: ImportLimits,
          errors: RowErrors, progress: ProgressFn) -> _Parsed | None:
    filename = upload.filename
    progress("reading", 0, 0)
    try:
        raw = read_table(filename, upload.data, limits=limits)
    except FileProblem as problem:
        errors.append(problem.as_row_error(filename))
        return None
    index = formats.header_index(mapping(session, fmt.kind))
    wanted = {f.name for f in fmt.fields if history or not f.history_only}
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    dropped: list[str] = []
    ignored: list[str] = []
    for position, header in enumerate(raw.headers):
        name = index.get(normalise_header(header))
        if name is None or name not in wanted:
            (dropped if is_personal_data_header(header) else ignored).append(header)
            continue
        if name in positions:
            errors.append(RowError(filename, 1, name, header, "header_duplicate_column", {"column": header}))
            continue
        positions[name] = position
        headers[name] = header
    needed = [f for f in fmt.fields if f.required or (history and f.history_only)]
    for f in needed:
        if f.name not in positions:
            errors.append(RowError(filename, 1, f.name, None, "header_missing_column",
                                   {"column": f"{f.zh}（{f.name}）"}))
    if errors:
        return None
    frames: list[pd.DataFrame] = []
    numbers: list[np.ndarray] = []
    estimate = raw.line_breaks
    try:
        for chunk in raw.chunks:
            frames.append(chunk.frame[[positions[n] for n in positions]].set_axis(list(positions), axis=1))
            numbers.append(chunk.row_numbers)
            last = int(chunk.row_numbers[-1]) if len(chunk.row_numbers) else 0
            progress("reading", last, max(estimate, last))
    except FileProblem as problem:
        errors.append(problem.as_row_error(filename))
        return None
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(positions))
    rows = np.concatenate(numbers) if numbers else np.array([], dtype=np.int64)
    items = _parse_rows(fmt, frame, rows, filename=filename, history=history, errors=errors)
    return _Parsed(items, headers, dropped, ignored, raw.file_format, raw.encoding)


def _parse_rows(fmt: RawFormat, frame: pd.DataFrame, rows: np.ndarray, *, filename: str, history: bool,
                errors: RowErrors) -> list[ItemIn]:
    parsed: dict[str, list[Any]] = {}
    for f in fmt.fields:
        if f.name not in frame:
            continue
        values = frame[f.name].to_numpy(dtype=object)
        cache: dict[str, Any] = {}
        out: list[Any] = []
        for position, value in enumerate(values):
            if value is None or value == "":
                if f.required:
                    errors.append(RowError(filename, int(rows[position]), f.name, None, "required"))
                out.append(None)
                continue
            result = cache.get(value)
            if result is None:
                result = _parse_value(f, value)
                cache[value] = result
            if isinstance(result, _Bad):
                errors.append(RowError(filename, int(rows[position]), f.name, value, result.key, result.params))
                out.append(None)
            else:
                out.append(result)
        parsed[f.name] = out
    if errors:
        return []
    items: list[ItemIn] = []
    others = [n for n in parsed if n not in ("external_no", "received_on", "place_text", "text")]
    for position in range(len(frame)):
        fields = {}
        for name in others:
            value = parsed[name][position]
            fields[name] = value.isoformat() if isinstance(value, dt.date) else value
        items.append(ItemIn(
            external_no=parsed["external_no"][position], received_on=parsed["received_on"][position],
            place_text=parsed["place_text"][position] or "", text=parsed.get("text", [None] * len(frame))[position],
            fields=fields, row=int(rows[position]),
        ))
    return items


@dataclass(frozen=True)
class _Bad:
    key: str
    params: dict[str, Any] = field(default_factory=dict)


def _parse_value(f: formats.RawField, value: str) -> Any:
    if f.type == "date":
        day = _parse_date(value)
        if isinstance(day, str):
            return _Bad(day, {"low": EARLIEST.isoformat(), "high": LATEST.isoformat()})
        return day
    if f.type == "bool":
        flag = BOOL_SPELLINGS.get(value.casefold())
        return _Bad("bool_invalid") if flag is None else flag
    if f.type == "enum":
        code = f.choices.get(value.casefold())
        return _Bad("enum_invalid", {"choices": f.choices_label}) if code is None else code
    if len(value) > f.max_len:
        return _Bad("text_too_long", {"limit": f.max_len})
    return value


# -- preparing items: redaction, content, what is stored already ------------------------------------------------

@dataclass
class _Prepared:
    item: ItemIn
    place_text: str
    text: str | None
    fields: dict[str, Any]
    sha: str
    redactions: int
    row: int  # the row named in errors


def _prepare(kind: str, items: Sequence[ItemIn], progress: ProgressFn) -> list[_Prepared]:
    redact = _redactor()
    cache: dict[str, tuple[str, int]] = {}

    def clean(value: str) -> tuple[str, int]:
        done = cache.get(value)
        if done is None:
            done = redact(value)
            if len(cache) < 200_000:
                cache[value] = done
        return done

    prepared: list[_Prepared] = []
    total = len(items)
    for position, item in enumerate(items):
        place, n_place = clean(item.place_text or "")
        text, n_text = clean(item.text) if item.text else (item.text, 0)
        fields: dict[str, Any] = {}
        n_fields = 0
        for name, value in item.fields.items():
            if isinstance(value, str) and value:
                value, n = clean(value)
                n_fields += n
            elif isinstance(value, dt.date):
                value = value.isoformat()
            fields[name] = value
        content = json.dumps([kind, item.external_no, item.received_on.isoformat(), place, text, fields],
                             ensure_ascii=False, sort_keys=True, default=str)
        sha = hashlib.sha256(content.encode("utf-8")).hexdigest()
        prepared.append(_Prepared(item, place, text, fields, sha, n_place + n_text + n_fields,
                                  item.row if item.row is not None else position + 1))
        if position % 5000 == 0:
            progress("checking", position, total)
    progress("checking", total, total)
    return prepared


def _check_against(session: Session, kind: str, prepared: list[_Prepared], *, filename: str,
                   system_id: int | None, errors: RowErrors) -> list[_Prepared]:
    """The items to insert: repeats within the input with the same content are one, with different content an
    error; numbers (and a system's idempotency keys) already stored with the same content are unchanged, with
    different content an error."""
    first: dict[str, _Prepared] = {}
    unique: list[_Prepared] = []
    for p in prepared:
        seen = first.get(p.item.external_no)
        if seen is None:
            first[p.item.external_no] = p
            unique.append(p)
        elif seen.sha != p.sha:
            errors.append(RowError(filename, p.row, "external_no", p.item.external_no, "intake_number_repeated",
                                   {"other": seen.row}))
    if system_id is not None:
        keyed: dict[str, _Prepared] = {}
        for p in unique:
            key = p.item.idempotency_key
            if key is None:
                continue
            seen = keyed.get(key)
            if seen is not None and seen.sha != p.sha:
                errors.append(RowError(filename, p.row, "idempotency_key", mask_text(key), "intake_key_repeated",
                                       {"other": seen.row}))
            keyed.setdefault(key, p)
    stored = repository.stored_by_number(session, kind, [p.item.external_no for p in unique])
    by_key = repository.stored_by_key(session, system_id, [p.item.idempotency_key for p in unique
                                                            if p.item.idempotency_key]) \
        if system_id is not None else {}
    fresh: list[_Prepared] = []
    for p in unique:
        known = stored.get(p.item.external_no)
        pushed = by_key.get(p.item.idempotency_key) if p.item.idempotency_key else None
        if pushed is not None and pushed[1] != p.sha:
            errors.append(RowError(filename, p.row, "idempotency_key", mask_text(p.item.idempotency_key or ""),
                                   "intake_key_stored_differs", {}))
        elif known is not None and known[1] != p.sha:
            errors.append(RowError(filename, p.row, "external_no", p.item.external_no, "intake_number_stored_differs",
                                   {}))
        elif known is None and pushed is None:
            fresh.append(p)
    return fresh


# -- storing ----------------------------------------------------------------------------------------------------

def _store(session: Session, kind: str, fresh: list[_Prepared], *, actor: str, batch_id: int | None,
           system_id: int | None, decisions: dict[str, tuple[str, str | None, str | None]] | None,
           progress: ProgressFn) -> tuple[int, int]:
    """Match, triage and insert ``fresh``; returns (proposed, review)."""
    if not fresh:
        return 0, 0
    progress("matching", 0, len(fresh))
    matches = directory.matcher(session).match_many([p.place_text for p in fresh])
    progress("matching", len(fresh), len(fresh))
    suggestions: list[Any] = [None] * len(fresh)
    model_id = None
    if kind == ItemKind.HOTLINE.value and decisions is None:
        active = training.active_model(session)
        if active is not None:
            record, model = active
            model_id = record.id
            progress("triage", 0, len(fresh))
            suggestions = list(model.suggest_many([_triage_text(p) for p in fresh]))
            progress("triage", len(fresh), len(fresh))
    now = clock.now()
    rows: list[dict[str, Any]] = []
    proposed = 0
    for p, match, suggestion in zip(fresh, matches, suggestions, strict=True):
        fields = dict(p.fields)
        if suggestion is not None and suggestion.alternatives:
            fields["_category_alternatives"] = [[c, round(float(prob), 4)] for c, prob in suggestion.alternatives]
        if match.status == MatchStatus.PROPOSED.value:
            proposed += 1
        row: dict[str, Any] = {
            "kind": kind, "external_no": p.item.external_no, "content_sha": p.sha, "received_on": p.item.received_on,
            "place_text": p.place_text, "text": p.text, "fields": json.dumps(fields, ensure_ascii=False),
            "redactions": p.redactions, "batch_id": batch_id, "system_id": system_id,
            "idempotency_key": p.item.idempotency_key, "created_at": now,
            "match_status": match.status, "match_community_id": match.community_id,
            "match_score": None if match.score is None else float(match.score), "match_rule": match.rule,
            "match_alternatives": json.dumps([{"community_id": c.community_id, "score": round(float(c.score), 2),
                                               "rule": c.rule} for c in match.alternatives], ensure_ascii=False),
            "model_id": model_id if suggestion is not None else None,
            "category_suggested": suggestion.category if suggestion is not None else None,
            "category_probability": _prob(suggestion.category_probability) if suggestion is not None else None,
            "relevant_probability": _prob(suggestion.relevant_probability) if suggestion is not None else None,
            "status": ItemStatus.PENDING.value, "community_id": None, "category": None, "duplicate_of": None,
            "decided_by": None, "decided_at": None, "record_id": None, "record_batch_id": None,
        }
        if decisions is not None:
            status, community_id, category = decisions[p.item.external_no]
            row.update(status=status, community_id=community_id, category=category, decided_by=actor,
                       decided_at=now)
        rows.append(row)
    repository.insert_items(session, rows, on_slice=lambda done, total: progress("writing", done, total))
    return proposed, len(fresh) - proposed


def _prob(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _triage_text(p: _Prepared) -> str:
    return " ".join(t for t in (p.place_text, p.text) if t)


def _summary(received: int, fresh: list[_Prepared], unchanged: int, proposed: int, review: int,
             batch_id: int | None) -> IngestSummary:
    return IngestSummary(received=received, inserted=len(fresh), unchanged=unchanged, proposed=proposed,
                         review=review, redactions=sum(p.redactions for p in fresh), batch_id=batch_id)


def ingest(session: Session, *, kind: str, items: Sequence[ItemIn], actor: str, batch_id: int | None = None,
           system_id: int | None = None, progress: ProgressFn = _no_progress) -> IngestSummary:
    """Redact, check, match, triage and store ``items``; idempotent (a number or a system's idempotency key stored
    with the same content is unchanged). Raises ImportRejected (nothing written) when an item repeats a stored
    number or key with different content."""
    fmt = _format(kind)
    limits = ImportLimits.from_settings()
    errors = new_errors(limits)
    prepared = _prepare(fmt.kind, items, progress)
    fresh = _check_against(session, fmt.kind, prepared, filename=API_FILE, system_id=system_id, errors=errors)
    if errors:
        raise ImportRejected(errors, labels=_labels(API_FILE, fmt, {}))
    proposed, review = _store(session, fmt.kind, fresh, actor=actor, batch_id=batch_id, system_id=system_id,
                              decisions=None, progress=progress)
    unchanged = len({p.item.external_no for p in prepared}) - len(fresh)
    session.flush()
    return _summary(len(items), fresh, unchanged, proposed, review, batch_id)


def import_file(session: Session, *, kind: str, upload: records.UploadedFile, actor: str, history: bool = False,
                progress: ProgressFn = _no_progress) -> IngestSummary:
    """Read a raw export whole (bounded), check every row, then store its new items under one import batch.
    Re-importing the same export writes nothing (no batch either). ``history``: the bureau's confirmed tickets
    (小区编号, 诉求类别, 是否物业服务类), stored already decided for training; they create no records."""
    fmt = _format(kind)
    if history and fmt.kind != ItemKind.HOTLINE.value:
        raise RatingServiceError("intake_history_hotline_only")
    limits = ImportLimits.from_settings()
    errors = new_errors(limits)
    parsed = _read(session, fmt, upload, history=history, limits=limits, errors=errors, progress=progress)
    headers = parsed.headers if parsed is not None else {}
    labels = _labels(upload.filename, fmt, headers)
    if parsed is None or errors:
        raise ImportRejected(errors, labels=labels)
    decisions = _history_decisions(session, parsed.items, filename=upload.filename, actor=actor, errors=errors) \
        if history else None
    prepared = _prepare(fmt.kind, parsed.items, progress)
    fresh = _check_against(session, fmt.kind, prepared, filename=upload.filename, system_id=None, errors=errors)
    if errors:
        raise ImportRejected(errors, labels=labels)
    unchanged = len({p.item.external_no for p in prepared}) - len(fresh)
    dropped = [mask_text(h) for h in parsed.dropped]
    ignored = [mask_text(h) for h in parsed.ignored]
    if not fresh:
        summary = _summary(len(parsed.items), fresh, unchanged, 0, 0, None)
        summary.dropped_columns, summary.ignored_columns = dropped, ignored
        return summary
    audit.lock_changes(session)
    batch = ImportBatch(
        kind=fmt.batch_kind, filename=mask_text(upload.filename)[:300],
        file_sha256=hashlib.sha256(upload.data).hexdigest(), file_format=parsed.file_format,
        encoding=parsed.encoding, imported_at=dt.datetime.now(dt.UTC), imported_by=actor, rows=len(parsed.items),
        inserted=len(fresh), updated=0, unchanged=unchanged,
        dropped_columns=json.dumps(dropped, ensure_ascii=False),
        ignored_columns=json.dumps(ignored, ensure_ascii=False),
    )
    session.add(batch)
    session.flush()
    proposed, review = _store(session, fmt.kind, fresh, actor=actor, batch_id=batch.id, system_id=None,
                              decisions=decisions, progress=progress)
    summary = _summary(len(parsed.items), fresh, unchanged, proposed, review, batch.id)
    summary.dropped_columns, summary.ignored_columns = dropped, ignored
    audit.record(session, "intake.import", actor=actor, entity_kind="import_batch", entity_id=str(batch.id),
                 payload={"kind": fmt.batch_kind, "filename": batch.filename, "history": history,
                          "rows": summary.received, "inserted": summary.inserted, "unchanged": summary.unchanged,
                          "redactions": summary.redactions, "dropped_columns": dropped,
                          "file_sha256": batch.file_sha256})
    session.flush()
    return summary


def _history_decisions(session: Session, items: list[ItemIn], *, filename: str, actor: str,
                       errors: RowErrors) -> dict[str, tuple[str, str | None, str | None]]:
    """external_no -> (status, community, category) of the bureau's confirmed history; bad rows to ``errors``."""
    known = repository.known_communities(session, [i.fields.get("community_id") or "" for i in items])
    categories = categories_for(session, "complaints", max((i.received_on for i in items), default=clock.local_today()))
    out: dict[str, tuple[str, str | None, str | None]] = {}
    for item in items:
        row = item.row or 0
        related = item.fields.get("property_related")
        community = item.fields.pop("community_id", None)
        category = item.fields.pop("category", None)
        item.fields.pop("property_related", None)
        if related is None:
            errors.append(RowError(filename, row, "property_related", None, "required"))
            continue
        if not related:
            out[item.external_no] = (ItemStatus.NOT_PROPERTY.value, None, None)
            continue
        if not community:
            errors.append(RowError(filename, row, "community_id", None, "required"))
        elif community not in known:
            errors.append(RowError(filename, row, "community_id", community, "community_unknown"))
        if not category:
            errors.append(RowError(filename, row, "category", None, "required"))
        elif category not in categories:
            errors.append(RowError(filename, row, "category", category, "intake_category_unknown",
                                   {"choices": "、".join(categories)}))
        out[item.external_no] = (ItemStatus.CONFIRMED.value, community, category)
    return out


def categories_for(session: Session, record_kind: str, day: dt.date) -> tuple[str, ...]:
    """The categories a record of ``record_kind`` (complaints, inspections) may take on ``day``: those an import on
    that day accepts (the methodology in force, or the latest before the first takes force)."""
    return records.methodology_for_imports(session, day).category_list(record_kind)


# -- the queue --------------------------------------------------------------------------------------------------

def _high() -> Any:
    settings = get_settings()
    return repository.high_confidence(bulk_category=settings.intake_bulk_category,
                                      bulk_relevance=settings.intake_bulk_relevance)


def _is_high(item: IntakeItem) -> bool:
    settings = get_settings()
    if item.match_status != MatchStatus.PROPOSED.value or item.match_community_id is None:
        return False
    if item.kind == ItemKind.PATROL.value:
        return True
    return (item.category_suggested is not None
            and (item.category_probability or 0.0) >= settings.intake_bulk_category
            and (item.relevant_probability or 0.0) >= settings.intake_bulk_relevance)


def _reason(item: IntakeItem, lang: Lang) -> str:
    settings = get_settings()
    if item.status != ItemStatus.PENDING.value:
        return translate("intake_reason.decided", lang, status=ItemStatus(item.status).label(lang))
    if item.match_status == MatchStatus.TIE.value:
        return translate("intake_reason.tie", lang)
    if item.match_status in (None, MatchStatus.NONE.value) or item.match_community_id is None:
        return translate("intake_reason.no_match", lang)
    if item.match_status != MatchStatus.PROPOSED.value:
        return translate("intake_reason.match_review", lang, score=f"{item.match_score or 0:.0f}")
    if item.kind == ItemKind.PATROL.value:
        return translate("intake_reason.high_patrol", lang, score=f"{item.match_score or 0:.0f}")
    if item.category_suggested is None or item.category_probability is None:
        if item.relevant_probability is not None and item.relevant_probability < settings.intake_bulk_relevance:
            return translate("intake_reason.low_relevance", lang, p=_percent(item.relevant_probability),
                             limit=_percent(settings.intake_bulk_relevance))
        return translate("intake_reason.no_suggestion", lang)
    if (item.relevant_probability or 0.0) < settings.intake_bulk_relevance:
        return translate("intake_reason.low_relevance", lang, p=_percent(item.relevant_probability or 0.0),
                         limit=_percent(settings.intake_bulk_relevance))
    if item.category_probability < settings.intake_bulk_category:
        return translate("intake_reason.low_category", lang, p=_percent(item.category_probability),
                         limit=_percent(settings.intake_bulk_category))
    return translate("intake_reason.high", lang, score=f"{item.match_score or 0:.0f}",
                     p=_percent(item.category_probability))


def _percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def _field_words(kind: str, fields: dict[str, Any], lang: Lang) -> dict[str, str]:
    fmt = formats.FORMATS[kind]
    out: dict[str, str] = {}
    for f in fmt.fields:
        if f.name not in fields or f.name in ("external_no", "received_on", "place_text", "text"):
            continue
        value = fields[f.name]
        if value is None or value == "":
            continue
        if isinstance(value, bool):
            words = translate("audit_yes" if value else "audit_no", lang)
        elif f.name == "satisfaction":
            words = _SATISFACTION_WORDS.get(value, str(value)) if lang == "zh" else \
                translate(f"intake_satisfaction.{value}", lang)
        elif f.name == "severity":
            words = _SEVERITY_WORDS.get(value, str(value)) if lang == "zh" else translate(f"intake_severity.{value}",
                                                                                            lang)
        else:
            words = str(value)
        out[f.zh if lang == "zh" else translate(f"intake_field.{f.name}", lang)] = words
    return out


def _load_json(text: str | None, default: Any) -> Any:
    try:
        return json.loads(text) if text else default
    except ValueError:
        return default


def _views(session: Session, items: list[IntakeItem], lang: Lang) -> list[ItemView]:
    ids: set[str | None] = set()
    alternatives: dict[int, list[dict[str, Any]]] = {}
    for item in items:
        ids.update((item.match_community_id, item.community_id))
        alternatives[item.id] = [a for a in _load_json(item.match_alternatives, []) if isinstance(a, dict)]
        ids.update(a.get("community_id") for a in alternatives[item.id])
    names = repository.community_names(session, ids)
    duplicates = repository.numbers_of(session, [i.duplicate_of for i in items])
    views = []
    for item in items:
        fields = _load_json(item.fields, {})
        category_alternatives = [(str(c), float(p)) for c, p in fields.pop("_category_alternatives", [])]
        views.append(ItemView(
            id=item.id, kind=item.kind, kind_label=ItemKind(item.kind).label(lang), external_no=item.external_no,
            received_on=item.received_on, place_text=item.place_text, text=item.text,
            fields=_field_words(item.kind, fields, lang),
            match_status=item.match_status,
            match_status_label=MatchStatus(item.match_status).label(lang) if item.match_status else "",
            match_community_id=item.match_community_id, match_community_name=names.get(item.match_community_id or ""),
            match_score=item.match_score, match_rule_label=_rule_label(item.match_rule, lang),
            alternatives=[AlternativeView(str(a.get("community_id")), names.get(str(a.get("community_id")), ""),
                                          float(a.get("score") or 0.0), _rule_label(a.get("rule"), lang))
                          for a in alternatives[item.id]],
            category_suggested=item.category_suggested, category_probability=item.category_probability,
            relevant_probability=item.relevant_probability, category_alternatives=category_alternatives,
            status=item.status, status_label=ItemStatus(item.status).label(lang), community_id=item.community_id,
            community_name=names.get(item.community_id or ""), category=item.category,
            duplicate_of_no=duplicates.get(item.duplicate_of) if item.duplicate_of else None,
            decided_by=item.decided_by, decided_at=item.decided_at, record_id=item.record_id,
            reason=_reason(item, lang), high_confidence=item.status == ItemStatus.PENDING.value and _is_high(item),
        ))
    return views


def _conditions(filters: QueueFilter) -> list[Any]:
    status = filters.status or "pending"
    if status != "all" and status not in {s.value for s in ItemStatus}:
        raise RatingServiceError("intake_status_unknown", status=status)
    if filters.kind and filters.kind not in {k.value for k in ItemKind}:
        raise RatingServiceError("intake_kind_unknown", kind=filters.kind, choices="hotline, patrol")
    if filters.view not in ("all", "high", "review"):
        raise RatingServiceError("intake_view_unknown", view=filters.view)
    q = (filters.q or "").strip()[:100] or None
    return repository.queue_conditions(status=status, kind=filters.kind, view=filters.view, q=q, high=_high())


def queue(session: Session, filters: QueueFilter, lang: Lang = "zh") -> QueuePage:
    conditions = _conditions(filters)
    per_page = max(1, min(int(filters.per_page or 50), 500))
    total = repository.count_items(session, conditions)
    pages = max(1, -(-total // per_page))
    page = max(1, min(int(filters.page or 1), pages))
    items = repository.page_items(session, conditions, offset=(page - 1) * per_page, limit=per_page)
    return QueuePage(rows=_views(session, items, lang), total=total, page=page, pages=pages, per_page=per_page)


def item_view(session: Session, item_id: int, lang: Lang = "zh") -> ItemView:
    item = repository.item(session, item_id)
    if item is None:
        raise NotFound("intake_item_not_found", id=item_id)
    return _views(session, [item], lang)[0]


def progress(session: Session, *, kind: str | None = None, reviewed_only: bool = False) -> Progress:
    """How far the review has come. ``reviewed_only`` leaves out the confirmed history imported for training."""
    counts = repository.status_counts(session, kind, reviewed_only=reviewed_only)
    confirmed = counts.get(ItemStatus.CONFIRMED.value, 0)
    not_property = counts.get(ItemStatus.NOT_PROPERTY.value, 0)
    duplicate = counts.get(ItemStatus.DUPLICATE.value, 0)
    pending = counts.get(ItemStatus.PENDING.value, 0)
    decided = confirmed + not_property + duplicate
    return Progress(total=decided + pending, decided=decided, confirmed=confirmed, not_property=not_property,
                    duplicate=duplicate, pending=pending)


def high_confidence_ids(session: Session, *, kind: str | None = None) -> list[int]:
    return repository.item_ids(session, _conditions(QueueFilter(status="pending", kind=kind, view="high")))


@dataclass(frozen=True)
class RecordSource:
    """Where a complaint or inspection record came from, when an officer confirmed it from the intake queue."""

    item_id: int
    line: str  # "来源：12345热线工单 GD-…，由 officer 于 2026-03-05 确认" (officers) or without the officer (companies)


RECORD_KINDS = {"complaints": ItemKind.HOTLINE.value, "inspections": ItemKind.PATROL.value}


def record_source(session: Session, *, record_kind: str, record_id: str, officer: bool,
                  lang: Lang = "zh") -> RecordSource | None:
    """The intake item behind a record (None for a record imported in the records format)."""
    kind = RECORD_KINDS.get(record_kind)
    item = repository.item_for_record(session, kind, record_id) if kind else None
    if item is None:
        return None
    day = to_local(item.decided_at).date().isoformat() if item.decided_at else ""
    params = {"kind": ItemKind(item.kind).label(lang), "number": item.external_no, "day": day}
    if officer:
        line = translate("intake_record_source_officer", lang, by=item.decided_by or "", **params)
        return RecordSource(item.id, line)
    return RecordSource(item.id, translate("intake_record_source", lang, **params))


def unconfirmed_in_period(session: Session, start: dt.date, end: dt.date) -> int:
    """Pending tickets and findings received from ``start`` to ``end`` (both included)."""
    return repository.pending_between(session, start, end)


# -- decisions --------------------------------------------------------------------------------------------------

def _pending(session: Session, item_ids: Sequence[int]) -> list[IntakeItem]:
    wanted = list(dict.fromkeys(int(i) for i in item_ids))
    if not wanted:
        raise RatingServiceError("intake_nothing_chosen")
    found = {i.id: i for i in repository.items(session, wanted)}
    missing = [i for i in wanted if i not in found]
    if missing:
        raise NotFound("intake_item_not_found", id=", ".join(str(i) for i in missing[:10]))
    decided = [found[i] for i in wanted if found[i].status != ItemStatus.PENDING.value]
    if decided:
        raise RatingServiceError("intake_already_decided", numbers="、".join(i.external_no for i in decided[:10]),
                                 status=ItemStatus(decided[0].status).localized())
    return [found[i] for i in wanted]


def confirm(session: Session, *, item_ids: Sequence[int], actor: str, community_id: str | None = None,
            category: str | None = None) -> DecisionSummary:
    """Confirm items: each becomes a complaint (a ticket) or an inspection (a finding) with the officer's community
    and category, or the suggested ones; one import batch per record kind; audited. Refused, naming the ticket,
    when an item is decided already or has no community or category."""
    items = _pending(session, item_ids)
    community_id = (community_id or "").strip() or None
    category = (category or "").strip() or None
    chosen: list[tuple[IntakeItem, str, str]] = []
    no_community = []
    no_category = []
    for item in items:
        community = community_id or (item.match_community_id if item.match_status in
                                     (MatchStatus.PROPOSED.value, MatchStatus.REVIEW.value) else None)
        fields = _load_json(item.fields, {})
        suggested = item.category_suggested if item.kind == ItemKind.HOTLINE.value else fields.get("category")
        cat = category or suggested
        if not community:
            no_community.append(item.external_no)
        if not cat:
            no_category.append(item.external_no)
        chosen.append((item, community or "", cat or ""))
    if no_community:
        raise RatingServiceError("intake_no_community", numbers="、".join(no_community[:10]))
    if no_category:
        raise RatingServiceError("intake_no_category", numbers="、".join(no_category[:10]))
    known = repository.known_communities(session, [c for _i, c, _k in chosen])
    unknown = sorted({c for _i, c, _k in chosen if c not in known})
    if unknown:
        raise RatingServiceError("intake_community_unknown", community=", ".join(unknown[:5]))
    for kind, record_kind in ((ItemKind.HOTLINE.value, "complaints"), (ItemKind.PATROL.value, "inspections")):
        mine = [(i, c, k) for i, c, k in chosen if i.kind == kind]
        if mine:
            allowed = set(categories_for(session, record_kind, max(i.received_on for i, _c, _k in mine)))
            wrong = [(i, k) for i, _c, k in mine if k not in allowed]
            if wrong:
                raise RatingServiceError("intake_category_not_listed", category=wrong[0][1],
                                         numbers="、".join(i.external_no for i, _k in wrong[:10]))
    audit.lock_changes(session)
    now = clock.now()
    summary = DecisionSummary(decided=len(items), status=ItemStatus.CONFIRMED.value, item_ids=[i.id for i in items])
    systems = repository.system_names(session, [i.system_id for i, _c, _k in chosen])
    for kind, record_kind in ((ItemKind.HOTLINE.value, "complaints"), (ItemKind.PATROL.value, "inspections")):
        mine = [(i, c, k) for i, c, k in chosen if i.kind == kind]
        if not mine:
            continue
        table = (Complaint if kind == ItemKind.HOTLINE.value else Inspection).__table__
        existing = repository.existing_record_ids(session, table, [i.external_no for i, _c, _k in mine])
        new = [(i, c, k) for i, c, k in mine if i.external_no not in existing]
        batch = ImportBatch(
            kind=record_kind, filename=translate(f"intake_confirm_file.{kind}", "zh"),
            file_sha256=hashlib.sha256(",".join(str(i.id) for i, _c, _k in mine).encode()).hexdigest(),
            file_format="intake", encoding=None, imported_at=dt.datetime.now(dt.UTC), imported_by=actor,
            rows=len(mine), inserted=len(new), updated=0, unchanged=len(mine) - len(new),
            dropped_columns="[]", ignored_columns="[]",
        )
        session.add(batch)
        session.flush()
        rows = [_complaint_row(i, c, k, systems) if kind == ItemKind.HOTLINE.value else _inspection_row(i, c, k)
                for i, c, k in new]
        for row in rows:
            row["batch_id"] = batch.id
        repository.insert_records(session, table, rows)
        for item, community, cat in mine:
            item.status = ItemStatus.CONFIRMED.value
            item.community_id, item.category = community, cat
            item.decided_by, item.decided_at = actor, now
            item.record_id, item.record_batch_id = item.external_no, batch.id
        summary.created += len(new)
        summary.linked += len(mine) - len(new)
        summary.batch_ids.append(batch.id)
        audit.record(session, "intake.confirm", actor=actor, entity_kind="import_batch", entity_id=str(batch.id),
                     payload={"intake_items": [i.id for i, _c, _k in mine],
                              "records": [i.external_no for i, _c, _k in mine],
                              "created": len(new), "linked": len(mine) - len(new),
                              "community_id": community_id, "category": category})
    session.flush()
    return summary


def _date(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _complaint_row(item: IntakeItem, community: str, category: str, systems: dict[int, str]) -> dict[str, Any]:
    fields = _load_json(item.fields, {})
    satisfaction = fields.get("satisfaction")
    return {
        "record_id": item.external_no, "received_on": item.received_on,
        "channel": systems.get(item.system_id, "12345") if item.system_id is not None else "12345",
        "community_id": community, "credit_code": None, "category": category,
        "substantiated": fields.get("substantiated") is True, "due_on": _date(fields.get("due_on")),
        "resolved_on": _date(fields.get("resolved_on")),
        "satisfaction": satisfaction if satisfaction in _SATISFACTION_WORDS else None,
    }


def _inspection_row(item: IntakeItem, community: str, category: str) -> dict[str, Any]:
    fields = _load_json(item.fields, {})
    severity = fields.get("severity")
    return {
        "record_id": item.external_no, "inspected_on": item.received_on, "community_id": community,
        "credit_code": None, "department": str(fields.get("department") or "")[:50], "category": category,
        "severity": severity if severity in _SEVERITY_WORDS else "minor",
        "rectify_by": _date(fields.get("rectify_by")), "rectified_on": _date(fields.get("rectified_on")),
        "note": item.text,
    }


def mark_not_property(session: Session, *, item_ids: Sequence[int], actor: str) -> DecisionSummary:
    """Keep the items, never counted: not about the property company's duties; audited."""
    items = _pending(session, item_ids)
    now = clock.now()
    for item in items:
        item.status, item.decided_by, item.decided_at = ItemStatus.NOT_PROPERTY.value, actor, now
    audit.append(session, [audit.AuditDraft(action="intake.not_property", actor=actor, entity_kind="intake_item",
                                            entity_id=str(item.id), payload={"ticket": item.external_no})
                           for item in items])
    session.flush()
    return DecisionSummary(decided=len(items), status=ItemStatus.NOT_PROPERTY.value, item_ids=[i.id for i in items])


def mark_duplicate(session: Session, *, item_id: int, of_external_no: str, actor: str) -> DecisionSummary:
    """The item repeats another ticket (of the same kind, by its number); audited."""
    [item] = _pending(session, [item_id])
    number = (of_external_no or "").strip()
    other = repository.item_by_number(session, item.kind, number) if number else None
    if other is None:
        raise NotFound("intake_duplicate_unknown", number=number or "-")
    if other.id == item.id:
        raise RatingServiceError("intake_duplicate_itself", number=number)
    item.status, item.duplicate_of = ItemStatus.DUPLICATE.value, other.id
    item.decided_by, item.decided_at = actor, clock.now()
    audit.record(session, "intake.duplicate", actor=actor, entity_kind="intake_item", entity_id=str(item.id),
                 payload={"ticket": item.external_no, "of": other.external_no})
    session.flush()
    return DecisionSummary(decided=1, status=ItemStatus.DUPLICATE.value, item_ids=[item.id])
