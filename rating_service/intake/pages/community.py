"""The officers' community page (its facts, contracts, directory names with an add form and a "试一试" box, the
intake items matched to it), the triage model's page (versions, held-out evaluation, retraining) and the
administrators' column mappings of raw exports.

Who may do what: officers and administrators see a community and edit its names (audited by the directory), see
the model and retrain it (audited by the training; an officer confirms the tickets the model learns from, so the
officer may also retrain it); only administrators change the column mappings (audited by the intake service)."""

from __future__ import annotations

import json
import re
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from rating_service import clock
from rating_service.errors import NotFound, RatingServiceError
from rating_service.i18n import Lang, translate
from rating_service.i18n.intake import PAGE_TEXT as TEXT
from rating_service.intake import directory, formats, profile, service, training
from rating_service.intake.formats import RawField
from rating_service.intake.models import ITEM_KINDS, NAME_KINDS, ItemKind, NameKind
from rating_service.jobs import service as jobs
from rating_service.web.deps import AdminUser, DatabaseDep, DbId, FormDataDep, OfficerUser, SessionDep
from rating_service.web.ui import redirect, render, request_lang

router = APIRouter(include_in_schema=False)

CommunityId = Annotated[str, Path(min_length=1, max_length=64)]
NAME_MAX = 300  # community_names.text
HEADERS_MAX = 2000  # one field's accepted headers as typed
_SEPARATORS = re.compile(r"[、,，;；\n]+")


def _t(key: str, lang: Lang, **params: Any) -> str:
    entry = TEXT[key]
    return (entry.get(lang) or entry["zh"]).format(**params)


# -- the community page -------------------------------------------------------------------------------------


def _community_page(request: Request, session: Session, community_id: str, *, try_text: str = "",
                    notice: str | None = None, error: str | None = None, form: dict[str, str] | None = None,
                    status_code: int = 200) -> Response:
    lang = request_lang(request, page=True)
    facts = profile.community_profile(session, community_id, today=clock.local_today())
    tried = profile.try_match(session, try_text, community_id=community_id, lang=lang) if try_text.strip() else None
    return render(request, "community.html", {
        "c": facts,
        "names": profile.names(session, community_id, lang),
        "kinds": [(kind, NameKind(kind).label(lang)) for kind in NAME_KINDS],
        "try_text": try_text,
        "try_max": profile.TRY_MAX_LENGTH,
        "tried": tried,
        "recent": profile.recent_items(session, community_id, lang),
        "notice": notice,
        "error": error,
        "form": form or {"kind": NAME_KINDS[0], "text": ""},
        "name_max": NAME_MAX,
        "page_title": _t("community_page_title", lang, name=facts.name),
    }, catalogue=TEXT, status_code=status_code)


@router.get("/communities/{community_id}", response_class=HTMLResponse)
def community_page(request: Request, community_id: CommunityId, principal: OfficerUser, session: SessionDep,
                   try_: Annotated[str, Query(alias="try", max_length=profile.TRY_MAX_LENGTH)] = "",
                   added: Annotated[str, Query(max_length=NAME_MAX)] = "",
                   removed: bool = False) -> Response:
    lang = request_lang(request, page=True)
    notice = (_t("community_name_added", lang, text=added) if added
              else _t("community_name_removed", lang) if removed else None)
    return _community_page(request, session, community_id, try_text=try_, notice=notice)


@router.post("/communities/{community_id}/names", response_class=HTMLResponse)
def add_name(request: Request, community_id: CommunityId, principal: OfficerUser, database: DatabaseDep,
             kind: Annotated[str, Form(max_length=32)] = "",
             text: Annotated[str, Form(max_length=NAME_MAX * 4)] = "") -> Response:
    """Add an alias, former name, address or town; a refusal shows the page again with the reason."""
    lang = request_lang(request, page=True)
    text = " ".join(text.split())
    form = {"kind": kind, "text": text}
    error: str | None = None
    try:
        with database.write_session() as session:
            profile.community_profile(session, community_id, today=clock.local_today())  # 404 for an unknown id
            # The directory refuses an empty, too long or duplicate name and personal data, in words.
            if kind not in NAME_KINDS:
                error = _t("community_name_kind_unknown", lang)
            else:
                directory.add_name(session, community_id=community_id, kind=kind, text=text,
                                   actor=principal.username)
    except RatingServiceError as exc:
        if exc.status_code == 404:
            raise
        error = exc.message(lang)
    if error is not None:
        with database.read_session() as session:
            return _community_page(request, session, community_id, error=error, form=form, status_code=400)
    return redirect(f"/communities/{community_id}?{urlencode({'added': text})}#names")


@router.post("/communities/{community_id}/names/{name_id}/remove", response_class=HTMLResponse)
def remove_name(request: Request, community_id: CommunityId, name_id: DbId, principal: OfficerUser,
                database: DatabaseDep) -> Response:
    lang = request_lang(request, page=True)
    error: str | None = None
    try:
        with database.write_session() as session:
            profile.community_profile(session, community_id, today=clock.local_today())  # 404 for an unknown id
            if profile.name_owner(session, name_id) != community_id:
                error = _t("community_name_gone", lang)
            else:
                directory.remove_name(session, name_id=name_id, actor=principal.username)
    except RatingServiceError as exc:
        if isinstance(exc, NotFound):
            raise
        error = exc.message(lang)
    if error is not None:
        with database.read_session() as session:
            return _community_page(request, session, community_id, error=error, status_code=400)
    return redirect(f"/communities/{community_id}?removed=1#names")


# -- the triage model's page --------------------------------------------------------------------------------


def _percent(value: Any, lang: Lang) -> str:
    if value is None:
        return "—"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "—"
    return f"{number * 100:.1f}%"


def _category_label(category: str, lang: Lang) -> str:
    # The methodology's categories are Chinese words already; the model's internal "not relevant" class is not.
    return _t("model_not_property", lang) if category.startswith("__") else category


def _first(mapping: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        if key in mapping and mapping[key] is not None:
            return mapping[key]
    return None


def _metrics_view(raw: str | dict[str, Any] | None, lang: Lang) -> dict[str, Any] | None:
    """The stored held-out evaluation in people's numbers: macro-F1, relevance precision/recall, per category."""
    metrics = json.loads(raw) if isinstance(raw, str) else (raw or {})
    if not metrics:
        return None
    relevance = metrics.get("relevance") if isinstance(metrics.get("relevance"), dict) else {}
    per = _first(metrics, "per_category", "categories", "by_category") or {}
    if isinstance(per, list):
        per = {row.get("category", ""): row for row in per if isinstance(row, dict)}
    rows: list[dict[str, Any]] = [
        {"category": _category_label(str(name), lang),
         "precision": _percent(_first(row, "precision", "p"), lang),
         "recall": _percent(_first(row, "recall", "r"), lang),
         "f1": _percent(_first(row, "f1", "f1_score", "f"), lang),
         "support": int(_first(row, "support", "n", "count") or 0),
         "internal": str(name).startswith("__")}
        for name, row in per.items() if isinstance(row, dict)]
    rows.sort(key=lambda r: (r["internal"], -r["support"], r["category"]))
    return {
        "macro_f1": _percent(_first(metrics, "macro_f1", "category_macro_f1"), lang),
        "relevance_precision": _percent(_first(relevance, "precision") if relevance
                                        else _first(metrics, "relevance_precision"), lang),
        "relevance_recall": _percent(_first(relevance, "recall") if relevance
                                     else _first(metrics, "relevance_recall"), lang),
        "heldout": _first(metrics, "test_samples", "heldout", "held_out", "test_size", "n_test"),
        "rows": rows,
    }


def _model_page(request: Request, session: Session, *, notice: str | None = None, error: str | None = None,
                job: Any = None, status_code: int = 200) -> Response:
    lang = request_lang(request, page=True)
    versions = training.models(session)
    active = training.active_model(session)
    current = active[0] if active is not None else None
    return render(request, "intake_model.html", {
        "current": current,
        "evaluation": _metrics_view(current.metrics, lang) if current is not None else None,
        "versions": [{"m": m, "evaluation": _metrics_view(m.metrics, lang)}
                     for m in sorted(versions, key=lambda m: m.id, reverse=True)
                     if current is None or m.id != current.id],
        "notice": notice,
        "error": error,
        "job": job,
        "stages": [[stage, TEXT[f"model_stage_{stage}"][lang]] for stage in ("queued", "retrying", "training")],
    }, catalogue=TEXT, status_code=status_code)


@router.get("/intake/model", response_class=HTMLResponse)
def model_page(request: Request, principal: OfficerUser, session: SessionDep,
               job: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None) -> Response:
    """The model page; with ``job``, a training queued from it: its progress, or how it ended."""
    lang = request_lang(request, page=True)
    training_job = jobs.find(session, job) if job is not None else None
    if training_job is None or training_job.kind != "intake_train":
        return _model_page(request, session)
    if training_job.status == "failed":
        return _model_page(request, session, error=_t("model_train_failed", lang) + jobs.error_text(training_job, lang))
    if training_job.status == "done":
        active = training.active_model(session)
        return _model_page(request, session, notice=_t("model_trained", lang, n=active[0].id) if active else None)
    return _model_page(request, session, job=training_job)


@router.post("/intake/model/train", response_class=HTMLResponse)
def train_model(request: Request, principal: OfficerUser, database: DatabaseDep) -> Response:
    """Queue a training of a new version on the confirmed tickets (officers and administrators); too few of them is
    a message at once. The page then shows the job's progress until the new version is there."""
    lang = request_lang(request, page=True)
    try:
        with database.write_session() as session:
            training.check_enough_decided(session)
            queued = jobs.submit(session, database, kind="intake_train", cycle_id=None, actor=principal.username,
                                 arguments={"actor": principal.username})
    except RatingServiceError as exc:
        with database.read_session() as session:
            return _model_page(request, session, error=_t("model_train_failed", lang) + exc.message(lang),
                               status_code=400)
    return redirect(f"/intake/model?job={queued.job_id}")


# -- the administrators' column mappings ------------------------------------------------------------------


def _field_label(field: RawField, lang: Lang) -> str:
    """The field in words: its Chinese header, or the English words of the page."""
    entry = TEXT.get(f"mapping_field.{field.name}")
    return field.zh if lang == "zh" or entry is None else entry["en"]


def _mapping_page(request: Request, session: Session, *, notice: str | None = None, error: str | None = None,
                  error_kind: str | None = None, typed: dict[str, str] | None = None,
                  status_code: int = 200) -> Response:
    lang = request_lang(request, page=True)
    kinds = []
    for kind in ITEM_KINDS:
        fmt = formats.FORMATS[kind]
        defaults = formats.default_mapping(kind)
        current = service.mapping(session, kind)
        rows = []
        for field in fmt.fields:
            default = defaults.get(field.name, [])
            added = [h for h in current.get(field.name, []) if h not in default]
            shown = typed.get(field.name) if typed is not None and kind == error_kind else None
            rows.append({"field": field.name, "label": _field_label(field, lang),
                         # the field's own name is a machine spelling: accepted, not shown
                         "defaults": [h for h in default if h != field.name],
                         "history_only": field.history_only, "required": field.required,
                         "value": shown if shown is not None else "、".join(added)})
        kinds.append({"kind": kind, "label": ItemKind(kind).label(lang), "rows": rows,
                      "error": error if kind == error_kind else None})
    return render(request, "intake_mapping.html", {"kinds": kinds, "notice": notice, "headers_max": HEADERS_MAX,
                                                   "error": error if error_kind not in ITEM_KINDS else None},
                  catalogue=TEXT, status_code=status_code)


@router.get("/admin/intake/mapping", response_class=HTMLResponse)
def mapping_page(request: Request, principal: AdminUser, session: SessionDep,
                 saved: Annotated[str, Query(max_length=16)] = "") -> Response:
    lang = request_lang(request, page=True)
    notice = _t("mapping_saved", lang, kind=ItemKind(saved).label(lang)) if saved in ITEM_KINDS else None
    return _mapping_page(request, session, notice=notice)


def split_headers(value: str) -> list[str]:
    """Headers as an administrator types them: separated by 、, commas, semicolons or lines; blanks dropped."""
    return list(dict.fromkeys(h.strip() for h in _SEPARATORS.split(value) if h.strip()))


def _in_words(exc: RatingServiceError, kind: str, lang: Lang) -> str:
    """The service's refusal with the fields it names in words instead of their machine names."""
    fmt = formats.FORMATS[kind]
    params = dict(exc.params)
    for key in ("field", "first", "second"):
        if params.get(key) in fmt.names:
            params[key] = _field_label(fmt.field(params[key]), lang)
    return translate(exc.key, lang, **params)


@router.post("/admin/intake/mapping", response_class=HTMLResponse)
def save_mapping(request: Request, principal: AdminUser, database: DatabaseDep, form: FormDataDep) -> Response:
    lang = request_lang(request, page=True)
    kind = str(form.get("kind") or "")
    typed = {key[len("field."):]: str(value) for key, value in form.multi_items() if key.startswith("field.")}
    if kind not in ITEM_KINDS:
        with database.read_session() as session:
            return _mapping_page(request, session, error=_t("mapping_kind_unknown", lang), status_code=400)
    try:
        with database.write_session() as session:
            mapping = {name: split_headers(typed.get(name, "")[:HEADERS_MAX])
                       for name in formats.FORMATS[kind].names}
            service.set_mapping(session, kind, mapping, principal.username)
    except RatingServiceError as exc:
        with database.read_session() as session:
            return _mapping_page(request, session, error=_t("mapping_not_saved", lang) + _in_words(exc, kind, lang),
                                 error_kind=kind, typed=typed, status_code=400)
    return redirect(f"/admin/intake/mapping?saved={kind}")

