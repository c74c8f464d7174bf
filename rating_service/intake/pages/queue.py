"""The officers' review queue (``/intake``): the tickets and patrol findings waiting for a decision, one item whole
(``/intake/items/{id}``) with its suggestion and alternatives, the decisions (confirm, not property-related,
duplicate; one by one or in bulk) and the upload of a raw 12345 export or patrol sheet (``/intake/upload``).

Every decision is a POST that redirects (to the next pending item, or back to the queue); an error of the service
is drawn on the page it came from with its 4xx status. ``nav_context`` is the app's page hook that puts the link
工单确认 and the pending count into every officer page's navigation."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from rating_service.errors import Conflict, ImportRejected, RatingServiceError
from rating_service.i18n import Lang
from rating_service.i18n.intake import PAGE_TEXT as TEXT
from rating_service.i18n.records import PAGE_TEXT as RECORDS_TEXT
from rating_service.intake import review, service
from rating_service.intake.models import ITEM_KINDS, ItemKind, ItemStatus
from rating_service.records import service as records
from rating_service.records.uploads import read_uploads
from rating_service.settings import get_settings
from rating_service.web.deps import DatabaseDep, DbId, OfficerUser, SessionDep, database_of
from rating_service.web.ui import redirect, render, request_lang

router = APIRouter(include_in_schema=False)

PER_PAGE = 50
MAX_PAGE = 100_000
MAX_QUERY = 100
MAX_IDS = 1000  # one bulk form holds one page (50); a crafted one may not name more than this
# The tabs of the queue: (view, the service's status filter, its view filter); 已处理 shows one decision at a time.
TABS = {
    "all": ("pending", "all"),
    "high": ("pending", "high"),
    "review": ("pending", "review"),
    "done": ("confirmed", "all"),
}
DECIDED = tuple(s.value for s in ItemStatus if s is not ItemStatus.PENDING)
ACTIONS = ("confirm", "not_property")
ERRORS_SHOWN = 20
# The upload page lists a rejected file's errors in the import page's words (row, column, reason, the groups).
UPLOAD_TEXT = {**RECORDS_TEXT, **TEXT}


# -- reading the query (never fails: a bad value falls back to the default) -----------------------------------


def _view(raw: str | None) -> str:
    return raw if raw in TABS else "all"


def _kind(raw: str | None) -> str | None:
    return raw if raw in ITEM_KINDS else None


def _page_number(raw: str | None) -> int:
    raw = raw or ""
    if not (raw.isascii() and raw.isdigit() and 0 < len(raw) <= 6):
        return 1
    return min(max(int(raw), 1), MAX_PAGE)


def _query(raw: str | None) -> str:
    return (raw or "").strip()[:MAX_QUERY]


def _queue_url(view: str = "all", kind: str | None = None, q: str = "", page: int = 1, **extra: Any) -> str:
    params: dict[str, Any] = {}
    if view != "all":
        params["view"] = view
    if kind:
        params["kind"] = kind
    if q:
        params["q"] = q
    if page > 1:
        params["page"] = page
    params.update({k: v for k, v in extra.items() if v not in (None, "") and not (k == "status" and view != "done")})
    return "/intake" + (f"?{urlencode(params)}" if params else "")


def _percent(value: float | None) -> str:
    return "" if value is None else f"{round(value * 100):d}%"


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}"


def _kinds(lang: Lang) -> list[tuple[str, str]]:
    return [(k.value, k.label(lang)) for k in ItemKind]


# -- the queue ---------------------------------------------------------------------------------------------------


def _decided(raw: str | None) -> str:
    return raw if raw in DECIDED else ItemStatus.CONFIRMED.value


def _queue_page(request: Request, session: Session, *, view: str, kind: str | None, q: str, page: int,
                error: str | None = None, selected: list[int] | None = None, status_code: int = 200) -> Response:
    lang = request_lang(request, page=True)
    status, view_filter = TABS[view]
    decided = _decided(request.query_params.get("status")) if view == "done" else None
    status = decided or status
    listing = service.queue(session, service.QueueFilter(status=status, kind=kind, view=view_filter, q=q or None,
                                                         page=page, per_page=PER_PAGE), lang)
    progress = service.progress(session, kind=kind, reviewed_only=True)
    high = len(service.high_confidence_ids(session, kind=kind))
    done = request.query_params.get("done")
    flash = None
    if error is None and done in ("confirmed", "not_property"):
        flash = TEXT[f"flash_bulk_{done}"][lang].format(n=_page_number(request.query_params.get("n")))
    tabs = [(name, TEXT[f"tab_{name}"][lang], _queue_url(name, kind, q)) for name in TABS]
    return render(request, "intake_queue.html", {
        "listing": listing,
        "progress": progress,
        "high_count": high,
        "view": view,
        "kind": kind or "",
        "kinds": _kinds(lang),
        "q": q,
        "tabs": tabs,
        "decided_view": view == "done",
        "error": error,
        "flash": flash,
        "selected": set(selected or ()),
        "percent": _percent,
        "score": _score,
        "decided": decided,
        "decided_tabs": [(value, ItemStatus(value).label(lang), _queue_url(view, kind, q, status=value))
                         for value in DECIDED],
        "prev_url": _queue_url(view, kind, q, listing.page - 1, status=decided) if listing.page > 1 else None,
        "next_url": (_queue_url(view, kind, q, listing.page + 1, status=decided) if listing.page < listing.pages
                     else None),
        "clear_url": _queue_url(view),
        "return_to": {"view": view, "kind": kind or "", "q": q, "page": page},
    }, catalogue=TEXT, status_code=status_code)


@router.get("/intake", response_class=HTMLResponse)
def queue_page(request: Request, principal: OfficerUser, session: SessionDep) -> Response:
    params = request.query_params
    return _queue_page(request, session, view=_view(params.get("view")), kind=_kind(params.get("kind")),
                       q=_query(params.get("q")), page=_page_number(params.get("page")))


def _ids(raw: list[str]) -> list[int]:
    """The checked items' ids (refused, naming the value, when one is not an id)."""
    ids = []
    for value in raw[:MAX_IDS + 1]:
        value = value.strip()
        if not (value.isascii() and value.isdigit() and 0 < len(value) <= 9):
            raise RatingServiceError("intake_queue.bad_id", value=value[:40])
        ids.append(int(value))
    if not ids:
        raise RatingServiceError("intake_queue.no_selection")
    if len(ids) > MAX_IDS:
        raise RatingServiceError("intake_queue.too_many", limit=MAX_IDS)
    return list(dict.fromkeys(ids))


@router.post("/intake/bulk", response_class=HTMLResponse)
def bulk(request: Request, principal: OfficerUser, database: DatabaseDep,
         action: Annotated[str, Form(max_length=32)] = "",
         ids: Annotated[list[str], Form(max_length=20)] = [],  # noqa: B006 (FastAPI copies defaults)
         view: Annotated[str, Form(max_length=16)] = "all", kind: Annotated[str, Form(max_length=16)] = "",
         q: Annotated[str, Form(max_length=MAX_QUERY)] = "", page: Annotated[str, Form(max_length=8)] = "") -> Response:
    """确认所选 / 标记为非物业服务类 for the checked rows of the queue."""
    lang = request_lang(request, page=True)
    view, item_kind, q, page_no = _view(view), _kind(kind), _query(q), _page_number(page)
    chosen: list[int] = []
    try:
        if action not in ACTIONS:
            raise RatingServiceError("intake_queue.bad_action")
        chosen = _ids(ids)
        with database.write_session() as session:
            if action == "confirm":
                service.confirm(session, item_ids=chosen, actor=principal.username)
            else:
                service.mark_not_property(session, item_ids=chosen, actor=principal.username)
    except RatingServiceError as exc:
        with database.read_session() as session:
            return _queue_page(request, session, view=view, kind=item_kind, q=q, page=page_no,
                               error=exc.message(lang), selected=chosen, status_code=_client_status(exc))
    done = "confirmed" if action == "confirm" else "not_property"
    return redirect(_queue_url(view, item_kind, q, page_no, done=done, n=len(chosen)))


@router.post("/intake/confirm-high", response_class=HTMLResponse)
def confirm_high(request: Request, principal: OfficerUser, database: DatabaseDep,
                 expected: Annotated[int | None, Form(ge=0, le=10_000_000)] = None,
                 kind: Annotated[str, Form(max_length=16)] = "",
                 view: Annotated[str, Form(max_length=16)] = "all") -> Response:
    """确认全部可批量确认的 N 件: every high-confidence item at once (refused when the number is no longer the one
    the officer was asked about)."""
    lang = request_lang(request, page=True)
    item_kind, view = _kind(kind), _view(view)
    try:
        with database.write_session() as session:
            ids = service.high_confidence_ids(session, kind=item_kind)
            if not ids:
                raise RatingServiceError("intake_queue.none_high")
            if expected is not None and expected != len(ids):
                raise Conflict("intake_queue.high_changed", expected=expected, now=len(ids))
            service.confirm(session, item_ids=ids, actor=principal.username)
    except RatingServiceError as exc:
        with database.read_session() as session:
            return _queue_page(request, session, view=view, kind=item_kind, q="", page=1, error=exc.message(lang),
                               status_code=_client_status(exc))
    return redirect(_queue_url(view, item_kind, done="confirmed", n=len(ids)))


def _client_status(exc: RatingServiceError) -> int:
    """The error's status, always a client error on these pages (the input was refused, nothing broke)."""
    return exc.status_code if 400 <= exc.status_code < 500 else 400


# -- one item ----------------------------------------------------------------------------------------------------


def _item_page(request: Request, session: Session, item_id: int, *, view: str = "all", error: str | None = None,
               status_code: int = 200, form: dict[str, Any] | None = None) -> Response:
    lang = request_lang(request, page=True)
    item = service.item_view(session, item_id, lang)
    alternatives = list(item.alternatives)
    first = [a.community_id for a in alternatives]
    flash = None
    previous = request.query_params.get("from")
    did = request.query_params.get("did")
    if error is None and previous and did in ("confirmed", "not_property", "duplicate"):
        try:
            before = service.item_view(session, _page_number(previous), lang)
            flash = TEXT[f"flash_item_{did}"][lang].format(no=before.external_no)
        except RatingServiceError:
            flash = None
    chosen = (form or {}).get("community_id") or item.community_id or item.match_community_id
    category = (form or {}).get("category") or item.category or item.category_suggested
    return render(request, "intake_item.html", {
        "item": item,
        "fields": list(item.fields.items()),
        "alternatives": alternatives,
        "communities": review.community_choices(session, first=first),
        "alternative_ids": set(first),
        "chosen_community": chosen,
        "other_community": (form or {}).get("other_community", ""),
        "categories": review.categories(session, kind=item.kind, day=item.received_on),
        "chosen_category": category,
        "duplicate_no": (form or {}).get("of_external_no", ""),
        "pending": item.status == "pending",
        "error": error,
        "flash": flash,
        "view": view,
        "back_url": _queue_url(view),
        "percent": _percent,
        "score": _score,
    }, catalogue=TEXT, status_code=status_code)


@router.get("/intake/items/{item_id}", response_class=HTMLResponse)
def item_page(request: Request, item_id: DbId, principal: OfficerUser, session: SessionDep) -> Response:
    return _item_page(request, session, item_id, view=_view(request.query_params.get("view")))


def _after_decision(database: Any, item_id: int, view: str, did: str) -> Response:
    """To the next pending item of the tab the officer works in (the queue itself when none is left)."""
    status, view_filter = TABS[view] if view != "done" else TABS["all"]
    with database.read_session() as session:
        listing = service.queue(session, service.QueueFilter(status=status, view=view_filter, page=1, per_page=2))
    following = [row.id for row in listing.rows if row.id != item_id]
    if following:
        return redirect(f"/intake/items/{following[0]}?" + urlencode({"view": view, "from": item_id, "did": did}))
    return redirect(_queue_url(view, done=did if did != "duplicate" else None, n=1))


def _decide(request: Request, item_id: int, database: Any, view: str, did: str, form: dict[str, Any],
            decide: Any) -> Response:
    lang = request_lang(request, page=True)
    view = _view(view)
    try:
        with database.write_session() as session:
            decide(session)
    except RatingServiceError as exc:
        with database.read_session() as session:
            return _item_page(request, session, item_id, view=view, error=exc.message(lang),
                              status_code=_client_status(exc), form=form)
    return _after_decision(database, item_id, view, did)


@router.post("/intake/items/{item_id}/confirm", response_class=HTMLResponse)
def confirm_item(request: Request, item_id: DbId, principal: OfficerUser, database: DatabaseDep,
                 community_id: Annotated[str, Form(max_length=64)] = "",
                 other_community: Annotated[str, Form(max_length=64)] = "",
                 category: Annotated[str, Form(max_length=64)] = "",
                 view: Annotated[str, Form(max_length=16)] = "all") -> Response:
    """确认并下一件: the community chosen (the other-community select wins over the alternatives' radio), the
    category chosen; blank ones take the suggestion."""
    chosen = other_community.strip() or community_id.strip() or None
    form = {"community_id": community_id, "other_community": other_community, "category": category}

    def decide(session: Session) -> None:
        service.confirm(session, item_ids=[item_id], actor=principal.username, community_id=chosen,
                        category=category.strip() or None)

    return _decide(request, item_id, database, view, "confirmed", form, decide)


@router.post("/intake/items/{item_id}/not-property", response_class=HTMLResponse)
def not_property_item(request: Request, item_id: DbId, principal: OfficerUser, database: DatabaseDep,
                      view: Annotated[str, Form(max_length=16)] = "all") -> Response:
    def decide(session: Session) -> None:
        service.mark_not_property(session, item_ids=[item_id], actor=principal.username)

    return _decide(request, item_id, database, view, "not_property", {}, decide)


@router.post("/intake/items/{item_id}/duplicate", response_class=HTMLResponse)
def duplicate_item(request: Request, item_id: DbId, principal: OfficerUser, database: DatabaseDep,
                   of_external_no: Annotated[str, Form(max_length=64)] = "",
                   view: Annotated[str, Form(max_length=16)] = "all") -> Response:
    original = of_external_no.strip()

    def decide(session: Session) -> None:
        if not original:
            raise RatingServiceError("intake_queue.duplicate_blank")
        service.mark_duplicate(session, item_id=item_id, of_external_no=original, actor=principal.username)

    return _decide(request, item_id, database, view, "duplicate", {"of_external_no": of_external_no}, decide)


# -- the upload of a raw file --------------------------------------------------------------------------------------


def _upload_page(request: Request, *, kind: str = ItemKind.HOTLINE.value, history: bool = False,
                 summary: Any = None, error: str | None = None, details: list[dict[str, Any]] | None = None,
                 groups: list[dict[str, Any]] | None = None, report: str | None = None,
                 status_code: int = 200) -> Response:
    lang = request_lang(request, page=True)
    listed = [d for d in details or [] if "omitted" not in d]
    counted = [d for d in details or [] if "omitted" in d]
    total = sum(g["count"] for g in groups) if groups else len(listed)
    return render(request, "intake_upload.html", {
        "kinds": _kinds(lang),
        "chosen": kind,
        "history": history,
        "summary": summary,
        "error": error,
        "details": sorted(listed, key=lambda d: (d["row"] is None, d["row"] or 0))[:ERRORS_SHOWN],
        "counted": counted,
        "errors_total": total,
        "groups": groups or [],
        "report": report,
        "report_hours": get_settings().import_report_hours,
    }, catalogue=UPLOAD_TEXT, status_code=status_code)


@router.get("/intake/upload", response_class=HTMLResponse)
def upload_page(request: Request, principal: OfficerUser) -> Response:
    return _upload_page(request, kind=_kind(request.query_params.get("kind")) or ItemKind.HOTLINE.value)


@router.post("/intake/upload", response_class=HTMLResponse)
def upload(request: Request, principal: OfficerUser, database: DatabaseDep,
           kind: Annotated[str, Form(max_length=16)] = "",
           history: Annotated[str, Form(max_length=8)] = "",
           file: Annotated[UploadFile | None, File()] = None) -> Response:
    lang = request_lang(request, page=True)
    as_history = bool(history)
    try:
        if kind not in ITEM_KINDS:
            raise RatingServiceError("intake_queue.bad_kind")
        if file is None or not file.filename:
            raise RatingServiceError("intake_queue.no_file")
        (uploaded,) = read_uploads([file])
        # The route owns its write transaction so that a rejected file rolls back whole (as on /imports).
        with database.write_session() as session:
            summary = service.import_file(session, kind=kind, upload=uploaded, actor=principal.username,
                                          history=as_history)
    except RatingServiceError as exc:
        rejected = exc if isinstance(exc, ImportRejected) else None
        return _upload_page(request, kind=kind if kind in ITEM_KINDS else ItemKind.HOTLINE.value,
                            history=as_history, error=exc.message(lang),
                            details=exc.details(lang), groups=rejected.groups(lang) if rejected else None,
                            report=records.save_error_report(rejected, lang) if rejected else None,
                            status_code=_client_status(exc))
    return _upload_page(request, kind=kind, history=as_history, summary=summary)


# -- the navigation ------------------------------------------------------------------------------------------------


def nav_context(request: Request, user: Any) -> dict[str, Any]:
    """The link 工单确认 with the number of items waiting, for officers; nothing for anyone else."""
    if user is None or not getattr(user, "is_officer", False):
        return {}
    with database_of(request).read_session() as session:
        count = review.pending_count(session)
    lang = request_lang(request, page=True)
    return {"nav_intake": {"count": count, "text": TEXT["nav_intake"][lang],
                           "label": TEXT["nav_intake_count"][lang].format(n=count)}}
