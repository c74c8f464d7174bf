"""Training the triage model on the tickets the bureau confirmed, keeping its versions, and reading labelled files.

A version is a ``triage_models`` row (its id is the version): the pickled ``triage.Triage``, the held-out metrics
as JSON, who trained it and on how many tickets. The newest trained one is active; training marks the earlier ones
inactive. The pickle is only ever written here (from a model trained here) and read back here.

Service level: never commits (the caller's transaction does).
"""

from __future__ import annotations

import json
import pickle
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from rating_service import clock
from rating_service.audit import service as audit
from rating_service.db import Database
from rating_service.errors import ImportRejected, RatingServiceError, RowError, RowErrors
from rating_service.intake import repository, triage
from rating_service.intake.models import ItemKind, ItemStatus, TriageModel
from rating_service.intake.redact import redact
from rating_service.records.reader import FileProblem, read_table

MIN_CONFIRMED = 20  # decided hotline tickets (confirmed or not property-related) needed to train
TEXT_COLUMN, CATEGORY_COLUMN, RELEVANT_COLUMN = "诉求内容", "诉求类别", "是否物业服务类"
_YES, _NO = {"是", "y", "yes", "true", "1"}, {"否", "n", "no", "false", "0"}

_cache: dict[tuple[int, str, int], triage.Triage] = {}
_cache_lock = threading.Lock()
_CACHED = 4  # model versions kept unpickled


def _decided(session: Session) -> list[tuple[str, str | None, bool]]:
    """(text, category, relevant) of every decided hotline ticket, oldest first."""
    rows = repository.decided_texts(session, ItemKind.HOTLINE.value)
    return [(text or "", category, status == ItemStatus.CONFIRMED.value) for text, category, status in rows]


def check_enough_decided(session: Session) -> None:
    """Refuse (before queueing a training) when fewer than ``MIN_CONFIRMED`` tickets are decided."""
    _enough(_decided(session))


def _enough(decided: list[tuple[str, str | None, bool]]) -> None:
    if len(decided) < MIN_CONFIRMED:
        raise RatingServiceError("intake_triage.too_few", count=len(decided), needed=MIN_CONFIRMED)


def train_job(*, database: Database, actor: str, progress: Callable[[str, int, int], None]) -> None:
    """The task of an ``intake_train`` job (the model page's "retrain"): `train_from_confirmed` in its own
    transaction, on a worker."""
    progress("training", 0, 1)
    with database.write_session() as session:
        train_from_confirmed(session, actor=actor)
    progress("training", 1, 1)


def train_from_confirmed(session: Session, *, actor: str, seed: int = 0) -> TriageModel:
    """A new active model version trained on every decided hotline ticket: confirmed ones are property-related with
    their confirmed category, those marked not property-related are not. Refuses fewer than ``MIN_CONFIRMED``."""
    decided = _decided(session)
    _enough(decided)
    texts = [text for text, _, _ in decided]
    categories = [category for _, category, _ in decided]
    relevant = [is_relevant for _, _, is_relevant in decided]
    model, metrics = triage.train(texts, categories, relevant, seed=seed)
    earlier = repository.retire_models(session)
    row = TriageModel(trained_at=clock.now(), trained_by=actor, samples=len(texts), metrics=json.dumps(metrics,
                      ensure_ascii=False), model=b"", active=True)
    session.add(row)
    session.flush()
    model.version = row.id
    row.model = pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL)
    relevance = metrics.get("relevance", {})
    audit.append(session, [audit.AuditDraft(
        action="intake.model_train", actor=actor, entity_kind="triage_model", entity_id=str(row.id),
        payload={"samples": len(texts), "macro_f1": metrics.get("macro_f1"),
                 "relevance_precision": relevance.get("precision"), "relevance_recall": relevance.get("recall"),
                 "seed": seed, "deactivated": earlier})])
    session.flush()
    return row


def models(session: Session) -> list[TriageModel]:
    """Every model version, newest first (their pickles not loaded)."""
    return repository.models(session)


def metrics_of(row: TriageModel) -> dict[str, Any]:
    """The held-out metrics a version was stored with."""
    try:
        data = json.loads(row.metrics or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def active_model(session: Session) -> tuple[TriageModel, triage.Triage] | None:
    """The newest active version and its model (unpickled once per version and kept), or None before training."""
    row = repository.active_model_row(session)
    if row is None:
        return None
    key = (row.id, row.trained_at.isoformat() if row.trained_at else "", row.samples)
    with _cache_lock:
        cached = _cache.get(key)
    if cached is None:
        data = repository.model_bytes(session, row.id)
        cached = pickle.loads(data or b"")  # noqa: S301  (only this module writes the column, from its own models)
        cached.version = row.id
        with _cache_lock:
            while len(_cache) >= _CACHED:
                _cache.pop(next(iter(_cache)))
            _cache[key] = cached
    return row, cached


def _relevant(value: str | None) -> bool | None:
    text = (value or "").strip().lower()
    return True if text in _YES else False if text in _NO else None


def labelled_from_file(upload: Any) -> tuple[list[str], list[str | None], list[bool]]:
    """(texts redacted, categories, relevant) of a labelled ticket file in the history format (诉求内容, 诉求类别,
    是否物业服务类; other columns ignored). Raises ImportRejected naming the row and column of each problem."""
    filename = upload.filename
    try:
        raw = read_table(filename, upload.data)
        headers = [str(h).strip() for h in raw.headers]
        missing = [c for c in (TEXT_COLUMN, CATEGORY_COLUMN, RELEVANT_COLUMN) if c not in headers]
        if missing:
            raise ImportRejected([RowError(filename, None, c, None, "intake_triage.column_missing", {"column": c})
                                  for c in missing])
        at = {name: headers.index(name) for name in (TEXT_COLUMN, CATEGORY_COLUMN, RELEVANT_COLUMN)}
        texts: list[str] = []
        categories: list[str | None] = []
        relevant: list[bool] = []
        errors = RowErrors()
        for chunk in raw.chunks:
            frame = chunk.frame
            for position, row_number in enumerate(chunk.row_numbers.tolist()):
                text = frame.iat[position, at[TEXT_COLUMN]]
                category = frame.iat[position, at[CATEGORY_COLUMN]]
                flag = frame.iat[position, at[RELEVANT_COLUMN]]
                is_relevant = _relevant(flag)
                if is_relevant is None:
                    errors.append(RowError(filename, int(row_number), RELEVANT_COLUMN, flag or "",
                                           "intake_triage.yes_no", {}))
                    continue
                category = (category or "").strip() or None
                if is_relevant and category is None:
                    errors.append(RowError(filename, int(row_number), CATEGORY_COLUMN, "",
                                           "intake_triage.category_missing", {}))
                    continue
                texts.append(redact(text or "").text)
                categories.append(category if is_relevant else None)
                relevant.append(is_relevant)
    except FileProblem as problem:
        raise ImportRejected([problem.as_row_error(filename)]) from None
    if errors:
        raise ImportRejected(errors)
    if not texts:
        raise RatingServiceError("intake_triage.empty_file", file=filename)
    return texts, categories, relevant


def evaluate_on_file(session: Session, upload: Any) -> tuple[TriageModel, dict[str, Any]]:
    """The active model's metrics on a labelled file (see ``labelled_from_file``). Refuses before any training."""
    found = active_model(session)
    if found is None:
        raise RatingServiceError("intake_triage.no_model")
    texts, categories, relevant = labelled_from_file(upload)
    row, model = found
    return row, triage.evaluate(model, texts, categories, relevant)


def stored_metrics(session: Session) -> tuple[TriageModel, dict[str, Any]]:
    """The active model's held-out metrics as stored when it was trained. Refuses before any training."""
    found = active_model(session)
    if found is None:
        raise RatingServiceError("intake_triage.no_model")
    return found[0], metrics_of(found[0])
