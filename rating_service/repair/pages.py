"""The repair pages: a company's marks, its request form (evidence, the commitment signed in the form) and its
requests; the officers' queue with due dates and the review page (accept, refuse, verify on site, decide); the
flagged breaches of commitments. The words are ``i18n/repair.py`` PAGE_TEXT; the rules and the writing are
``repair.service`` (the pages only read forms and word what the service answers)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from rating_service import clock
from rating_service.appeals.uploads import inline_attachment, read_attachments
from rating_service.errors import Conflict, Forbidden, NotFound, RatingServiceError
from rating_service.i18n import Lang, translate
from rating_service.i18n.repair import PAGE_TEXT
from rating_service.records.formats import KINDS
from rating_service.repair import documents, service
from rating_service.repair.models import BreachStatus, RefusalStage, RepairMark, RepairStatus
from rating_service.settings import get_settings
from rating_service.web.deps import CurrentUser, DatabaseDep, DbId, OfficerUser, SessionDep, WriteSessionDep, \
    database_of
from rating_service.web.ui import private_download, redirect, render, request_lang

router = APIRouter(include_in_schema=False)

TEXT = {
    **PAGE_TEXT,
    **{f"status_{s.value}": s.localized() for s in RepairStatus},
    **{f"mark_{m.value}": m.localized() for m in RepairMark},
    **{f"stage_{s.value}": s.localized() for s in RefusalStage},
    **{f"breach_{s.value}": s.localized() for s in BreachStatus},
    **{f"severity_{s}": {lang: translate(f"repair_severity.{s}", lang) for lang in ("zh", "en")}
       for s in ("general", "serious")},
    **{f"condition_{c}": {lang: translate(f"repair_condition.{c}", lang) for lang in ("zh", "en")}
       for c in ("rectified", "penalty_fulfilled", "commitment_signed", "no_new_same_kind")},
}
# The conditions a company declares in the form (the commitment has its own box; "no new record of the same kind"
# is checked by the service, not declared).
DECLARED = ("rectified", "penalty_fulfilled")
MAX_STATEMENT = 3000
MAX_REASONS = 3000
MAX_NOTE = 3000
MAX_SIGNATURE = 200
QUEUE_FILTERS = ("open", "decided", "all")
# Where a refusal is said on the form (the rest go on top of it).
FIELD_OF_ERROR = {
    "statement": "statement", "declared": "declared", "condition": "declared", "commitment": "commitment",
    "signature": "signature", "file": "files", "attachment": "files", "evidence": "files",
}


def _field_of(key: str) -> str:
    """The form field a refusal's message key names (``repair_signature_mismatch`` → ``signature``)."""
    for part, field in FIELD_OF_ERROR.items():
        if part in key:
            return field
    return "form"


def _day(value: dt.date | None, lang: Lang) -> str:
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日" if lang == "zh" else value.isoformat()


def _t(key: str, lang: Lang, **params: Any) -> str:
    words = PAGE_TEXT[key][lang]
    return words.format(**params) if params else words


def _company_only(principal: Any) -> str:
    if principal.is_officer or not principal.credit_code:
        raise Forbidden("repair_page_company_only")
    return str(principal.credit_code)


def _record_words(record: Any, lang: Lang) -> dict[str, Any]:
    """One record behind a mark, in words: its kind, number, date and the decision's number."""
    kind = KINDS.get(record.kind)
    return {"kind": kind.label(lang) if kind else "", "record_id": record.record_id,
            "date": _day(record.record_date, lang), "document_no": record.document_no or "",
            "value": f"{record.kind}:{record.record_id}"}


def _why_not(eligibility: Any, lang: Lang) -> list[str]:
    """Why a request filed today would be refused, in plain words (the failing checks, the conditions the company
    declares in the form left out)."""
    out = []
    for check in eligibility.checks:
        if check.ok or check.code in DECLARED or check.code == "commitment_signed":
            continue
        key = f"why_{check.code}"
        if key not in PAGE_TEXT:
            key = "why_other"
        params = {k: _day(v, lang) if isinstance(v, dt.date) else v for k, v in check.params.items()}
        params.setdefault("date", _day(eligibility.earliest_on, lang))
        try:
            out.append(_t(key, lang, **params))
        except (KeyError, IndexError):
            out.append(_t("why_other", lang))
    return out


def _mark_row(view: Any, lang: Lang) -> dict[str, Any]:
    mark = view.mark
    why = _why_not(view.eligibility, lang)
    records = [_record_words(r, lang) for r in mark.records]
    query = f"cycle_id={mark.cycle_id}&mark={mark.request_mark}"
    if mark.request_mark == "records":
        query += "".join(f"&records={r['value']}" for r in records)
    return {"label": view.label, "cycle_name": view.cycle_name, "severity": TEXT[f"severity_{mark.severity}"][lang],
            "publicity_from": _day(mark.publicity_from, lang), "earliest_on": _day(view.earliest_on, lang),
            "publicity_ends_on": _day(view.publicity_ends_on, lang), "records": records,
            "can_request": view.eligibility.eligible and view.repaired is None, "why": why,
            "request_id": view.request_id, "repaired": view.repaired.note(lang) if view.repaired else "",
            "new_url": f"/repair/new?{query}"}


@router.get("/repair", response_class=HTMLResponse)
def repair_home(request: Request, principal: CurrentUser, session: SessionDep) -> Response:
    """A company's marks (each: can it be requested today, and if not why) and its requests. Officers work from
    the queue."""
    if principal.is_officer:
        return redirect("/repair/queue")
    code = _company_only(principal)
    lang = request_lang(request, page=True)
    today = clock.local_today()
    marks = [_mark_row(v, lang) for v in service.company_marks(session, credit_code=code, today=today, lang=lang)]
    requests = [_request_row(session, principal, r, lang)
                for r in service.list_requests(session, principal, limit=200)]
    return render(request, "repair_home.html", {"marks": marks, "requests": requests, "today": _day(today, lang)},
                  catalogue=TEXT)


def _request_row(session: Any, principal: Any, r: Any, lang: Lang) -> dict[str, Any]:
    due = r.decide_due_on if r.status == "accepted" else r.accept_due_on if r.status == "submitted" else None
    return {"id": r.id, "status": r.status, "status_label": TEXT[f"status_{r.status}"][lang],
            "mark_label": TEXT[f"mark_{r.mark}"][lang], "filed_on": _day(r.filed_on, lang), "due_on": _day(due, lang),
            "decided_on": _day(r.decided_on, lang), "refile_from": _day(r.refile_from, lang),
            "decision_url": f"/documents/{r.decision_document_id}.pdf" if r.decision_document_id else ""}


# -- the request form ----------------------------------------------------------------------------------------------

def _records_of(values: list[str] | None) -> list[tuple[str, str]]:
    return list(dict.fromkeys(tuple(v.split(":", 1)) for v in values or [] if ":" in v))  # type: ignore[misc]


def _chosen_mark(session: Any, code: str, cycle_id: int, mark: str, records: list[tuple[str, str]],
                 lang: Lang) -> Any:
    """The company's mark the form is for (its cycle, its kind; for records, the records named), else 404."""
    views = service.company_marks(session, credit_code=code, today=clock.local_today(), lang=lang)
    for view in views:
        if view.mark.cycle_id != cycle_id or view.mark.request_mark != mark:
            continue
        if mark == "records" and {(r.kind, r.record_id) for r in view.mark.records} != set(records):
            continue
        return view
    raise NotFound("repair_page_mark_not_found")


def _form_context(request: Request, session: Any, principal: Any, *, cycle_id: int, mark: str,
                  records: list[tuple[str, str]], statement: str = "", declared: tuple[str, ...] = (),
                  signed: bool = False, signature: str = "", error: dict[str, str] | None = None) -> dict[str, Any]:
    lang = request_lang(request, page=True)
    code = _company_only(principal)
    view = _chosen_mark(session, code, cycle_id, mark, records, lang)
    settings = get_settings()
    company_name = _company_name(session, code)
    rules = service.rules_for_cycle(session, cycle_id) if hasattr(service, "rules_for_cycle") else None
    months = rules.commitment_months if rules is not None else _commitment_months(session, cycle_id)
    paragraphs = documents.commitment_paragraphs(company_name=company_name, mark_label=view.label,
                                                 cycle_name=view.cycle_name, commitment_months=months, lang=lang)
    return {"mark": _mark_row(view, lang), "mark_code": mark, "cycle_id": cycle_id,
            "records_values": [f"{k}:{r}" for k, r in records], "company_name": company_name,
            "paragraphs": paragraphs, "conditions": [(c, TEXT[f"condition_{c}"][lang]) for c in DECLARED],
            "statement": statement, "declared": set(declared), "signed": signed, "signature": signature,
            "limit_mb": settings.attachment_limit_mb, "limit_n": settings.attachments_per_appeal,
            "max_statement": MAX_STATEMENT, "error": error or {}}


def _commitment_months(session: Any, cycle_id: int) -> int:
    from rating_service.cycles import service as cycles

    cycle = cycles.get_cycle_or_raise(session=session, cycle_id=cycle_id)
    return cycles.methodology_of(cycle).repair_rules().commitment_months


def _company_name(session: Any, code: str) -> str:
    from rating_service.companies import repository as companies

    company = companies.get_company(session, code) if hasattr(companies, "get_company") else None
    return company.name if company is not None else code


@router.get("/repair/new", response_class=HTMLResponse)
def new_request(request: Request, principal: CurrentUser, session: SessionDep,
                cycle_id: Annotated[int, Query(ge=1, le=2_147_483_647)],
                mark: Annotated[str, Query(max_length=16)],
                records: Annotated[list[str] | None, Query(max_length=50)] = None) -> Response:
    """The form for one mark: the mark in words, the statement, the conditions declared, the evidence, the
    commitment's full text with its box and the company's name typed as the signature."""
    _company_only(principal)
    context = _form_context(request, session, principal, cycle_id=cycle_id, mark=mark,
                            records=_records_of([v[:100] for v in records or []]))
    return render(request, "repair_new.html", context, catalogue=TEXT)


@router.post("/repair/requests")
def file_request(request: Request, principal: CurrentUser, session: WriteSessionDep,
                 cycle_id: Annotated[int, Form(ge=1, le=2_147_483_647)],
                 mark: Annotated[str, Form(max_length=16)],
                 records: Annotated[list[str] | None, Form(max_length=50)] = None,
                 statement: Annotated[str, Form(max_length=MAX_STATEMENT * 4)] = "",
                 declared: Annotated[list[str] | None, Form(max_length=10)] = None,
                 commitment: Annotated[str, Form(max_length=10)] = "",
                 signature: Annotated[str, Form(max_length=MAX_SIGNATURE)] = "",
                 files: Annotated[list[UploadFile] | None, File()] = None) -> Response:
    _company_only(principal)
    chosen = _records_of([v[:100] for v in records or []])
    conditions = tuple(c for c in dict.fromkeys(d[:32] for d in declared or []) if c in DECLARED)
    uploads = [u for u in read_attachments(files) if u.data or u.filename not in ("", "attachment")]
    try:
        filed = service.file_request(session, principal=principal, filing=service.Filing(
            cycle_id=cycle_id, mark=mark, records=chosen, statement=statement, declared=conditions,
            commitment_signed=commitment == "yes", signature=signature, attachments=uploads))
    except (service.RepairRefused, Conflict) as refused:
        # The form again, the refusal next to its field, everything typed kept (not the files).
        lang = request_lang(request, page=True)
        error = {_field_of(refused.key): refused.message(lang), "files_lost": "1" if uploads else ""}
        context = _form_context(request, session, principal, cycle_id=cycle_id, mark=mark, records=chosen,
                                statement=statement, declared=conditions, signed=commitment == "yes",
                                signature=signature, error=error)
        return render(request, "repair_new.html", context, catalogue=TEXT, status_code=refused.status_code)
    return redirect(f"/repair/requests/{filed.id}")


# -- one request ---------------------------------------------------------------------------------------------------

def _request_page(request: Request, session: Any, principal: Any, request_id: int, *,
                  error: dict[str, str] | None = None, form: dict[str, str] | None = None,
                  status_code: int = 200) -> Response:
    lang = request_lang(request, page=True)
    detail = service.request_detail(session, principal, request_id, lang=lang)
    r = detail.request
    attachments = [{"id": a.id, "name": a.filename, "size_kb": max(1, (a.size + 1023) // 1024),
                    "is_pdf": a.content_type == "application/pdf",
                    "url": f"/repair/requests/{r.id}/attachments/{a.id}"} for a in detail.attachments]
    timeline = [("filed", _day(r.filed_on, lang)), ("accept_due", _day(r.accept_due_on, lang)),
                ("accepted", _day(r.accepted_on, lang)), ("decide_due", _day(r.decide_due_on, lang)),
                ("decided", _day(r.decided_on, lang))]
    open_ = r.status in ("submitted", "accepted")
    due_on = detail.decide_due_on if r.status == "accepted" else detail.accept_due_on if open_ else None
    return render(request, "repair_request.html", {
        "r": r, "detail": detail, "status_label": TEXT[f"status_{r.status}"][lang],
        "stage_label": TEXT[f"stage_{r.refused_stage}"][lang] if r.refused_stage else "",
        "timeline": [(key, value) for key, value in timeline if value], "attachments": attachments,
        "open": open_, "due_on": _day(due_on, lang), "working_days_left": detail.working_days_left if open_ else None,
        "overdue": bool(open_ and detail.overdue), "refile_from": _day(r.refile_from, lang),
        "repaired_on": _day(r.repaired_on, lang), "commitment_until": _day(r.commitment_until, lang),
        "decision_url": f"/documents/{detail.decision_document.id}.pdf" if detail.decision_document else "",
        "decision_number": detail.decision_document.doc_number if detail.decision_document else "",
        "can_accept": principal.is_officer and r.status == "submitted",
        "can_decide": principal.is_officer and r.status == "accepted",
        "error": error or {}, "form": form or {},
    }, catalogue=TEXT, status_code=status_code)


@router.get("/repair/requests/{request_id}", response_class=HTMLResponse)
def request_page(request: Request, request_id: DbId, principal: CurrentUser, session: SessionDep) -> Response:
    return _request_page(request, session, principal, request_id)


@router.get("/repair/requests/{request_id}/attachments/{attachment_id}")
def attachment_page(request_id: DbId, attachment_id: DbId, principal: CurrentUser,
                    session: WriteSessionDep) -> Response:
    """Evidence for the page's viewer, inert (as appeal evidence is); another company's: 404. Audited."""
    item, data = service.attachment_bytes(session, principal, request_id, attachment_id)
    return inline_attachment(data, filename=item.filename, attachment_id=item.id)


@router.get("/repair/requests/{request_id}/commitment.pdf")
def commitment_page(request: Request, request_id: DbId, principal: CurrentUser,
                    session: WriteSessionDep) -> Response:
    """The 信用承诺书 as signed (rendered from the payload frozen at filing; always the same bytes)."""
    repair = service.visible_request(session, principal, request_id)
    data = documents.commitment_pdf(request=repair)
    lang = request_lang(request, page=True)
    return private_download(data, media_type="application/pdf", inline=True,
                            filename=_t("commitment_filename", lang, id=repair.id),
                            ascii_name=f"repair-{repair.id}-commitment.pdf")


def _officer_action(request: Request, session: Any, principal: Any, request_id: int, form: dict[str, str],
                    action: Any) -> Response:
    try:
        action()
    except (service.RepairRefused, Conflict) as refused:
        session.rollback()
        lang = request_lang(request, page=True)
        field = "reasons" if "reason" in refused.key else "note" if "note" in refused.key \
            or "verification" in refused.key else "form"
        return _request_page(request, session, principal, request_id, form=form,
                             error={"where": form.get("action", ""), field: refused.message(lang)},
                             status_code=refused.status_code)
    return redirect(f"/repair/requests/{request_id}")


@router.post("/repair/requests/{request_id}/accept")
def accept_page(request: Request, request_id: DbId, principal: OfficerUser, session: WriteSessionDep,
                note: Annotated[str, Form(max_length=MAX_NOTE * 4)] = "") -> Response:
    return _officer_action(request, session, principal, request_id, {"action": "accept", "note": note},
                           lambda: service.accept(session, request_id=request_id, actor=principal.username,
                                                  note=note.strip() or None))


@router.post("/repair/requests/{request_id}/refuse")
def refuse_page(request: Request, request_id: DbId, principal: OfficerUser, session: WriteSessionDep,
                reasons: Annotated[str, Form(max_length=MAX_REASONS * 4)] = "",
                false_material: Annotated[str, Form(max_length=10)] = "") -> Response:
    form = {"action": "refuse", "reasons": reasons, "false_material": false_material}
    return _officer_action(request, session, principal, request_id, form,
                           lambda: service.refuse(session, request_id=request_id, actor=principal.username,
                                                  reasons=reasons, false_material=false_material == "yes"))


@router.post("/repair/requests/{request_id}/decide")
def decide_page(request: Request, request_id: DbId, principal: OfficerUser, session: WriteSessionDep,
                reasons: Annotated[str, Form(max_length=MAX_REASONS * 4)] = "",
                verification_note: Annotated[str, Form(max_length=MAX_NOTE * 4)] = "") -> Response:
    form = {"action": "decide", "reasons": reasons, "verification_note": verification_note}
    return _officer_action(request, session, principal, request_id, form,
                           lambda: service.decide(session, request_id=request_id, actor=principal.username,
                                                  reasons=reasons, verification_note=verification_note))


# -- the officers' queue and the breaches --------------------------------------------------------------------------

@router.get("/repair/queue", response_class=HTMLResponse)
def queue_page(request: Request, principal: OfficerUser, session: SessionDep,
               status: Annotated[str, Query(max_length=10)] = "open") -> Response:
    """Open requests most urgent first (due date, working days left, overdue); or the decided ones, or all."""
    lang = request_lang(request, page=True)
    shown = status if status in QUEUE_FILTERS else "open"
    today = clock.local_today()
    rows = []
    if shown in ("open", "all"):
        for q in service.queue(session, today=today):
            rows.append({"id": q.request_id, "company": q.company_name, "credit_code": q.credit_code,
                         "mark": q.mark_label, "status": q.status, "status_label": TEXT[f"status_{q.status}"][lang],
                         "due_on": _day(q.due_on, lang), "days_left": q.working_days_left, "overdue": q.overdue,
                         "decided_on": ""})
    if shown in ("decided", "all"):
        names = {}
        for r in service.list_requests(session, principal, status="decided", limit=200):
            if r.credit_code not in names:
                names[r.credit_code] = _company_name(session, r.credit_code)
            rows.append({"id": r.id, "company": names[r.credit_code], "credit_code": r.credit_code,
                         "mark": TEXT[f"mark_{r.mark}"][lang], "status": r.status,
                         "status_label": TEXT[f"status_{r.status}"][lang], "due_on": "", "days_left": None,
                         "overdue": False, "decided_on": _day(r.decided_on, lang)})
    breaches = [b for b in service.list_breaches(session, status="flagged")]
    return render(request, "repair_queue.html", {
        "rows": rows, "shown": shown, "filters": QUEUE_FILTERS, "flagged": len(breaches)}, catalogue=TEXT)


@router.get("/repair/breaches", response_class=HTMLResponse)
def breaches_page(request: Request, principal: OfficerUser, session: SessionDep) -> Response:
    lang = request_lang(request, page=True)
    rows = [_breach_row(b, lang) for b in service.list_breaches(session)]
    return render(request, "repair_breaches.html", {"rows": rows}, catalogue=TEXT)


def _breach_row(b: Any, lang: Lang) -> dict[str, Any]:
    kind = KINDS.get(getattr(b, "kind", ""))
    return {"id": b.breach_id, "request_id": b.request_id, "company": b.company_name, "credit_code": b.credit_code,
            "record": f"{kind.label(lang) if kind else ''} {b.record_id}", "record_date": _day(b.record_date, lang),
            "status": b.status, "status_label": TEXT[f"breach_{b.status}"][lang],
            "commitment_until": _day(getattr(b, "commitment_until", None), lang), "note": b.note or "",
            "decided_on": _day(getattr(b, "decided_on", None), lang)}


@router.post("/repair/breaches/{breach_id}")
def breach_decide_page(request: Request, breach_id: DbId, principal: OfficerUser, session: WriteSessionDep,
                       decision: Annotated[str, Form(max_length=10)] = "",
                       note: Annotated[str, Form(max_length=MAX_NOTE * 4)] = "") -> Response:
    lang = request_lang(request, page=True)
    try:
        if decision not in ("confirm", "dismiss"):
            raise service.RepairRefused("repair_page_breach_choose")
        service.decide_breach(session, breach_id=breach_id, actor=principal.username, confirm=decision == "confirm",
                              note=note)
    except (service.RepairRefused, Conflict) as refused:
        session.rollback()
        rows = [_breach_row(b, lang) for b in service.list_breaches(session)]
        return render(request, "repair_breaches.html", {
            "rows": rows, "error": {"id": breach_id, "message": refused.message(lang)}, "note": note},
            catalogue=TEXT, status_code=refused.status_code)
    return redirect("/repair/breaches")


# -- navigation and the company home -------------------------------------------------------------------------------

def nav_context(request: Request, user: Any) -> dict[str, Any]:
    """The link 信用修复: for officers with the number of open requests, for companies plain; nothing else."""
    if user is None:
        return {}
    lang = request_lang(request, page=True)
    if not getattr(user, "is_officer", False):
        return {"nav_repair": {"count": 0, "text": _t("nav_repair", lang), "label": ""}} \
            if getattr(user, "credit_code", None) else {}
    with database_of(request).read_session() as session:
        count = len(service.queue(session, today=clock.local_today()))
    return {"nav_repair": {"count": count, "text": _t("nav_repair", lang),
                           "label": _t("nav_repair_count", lang, n=count)}}


def home_line(session: Any, *, credit_code: str, lang: Lang) -> str | None:
    """The company home's line about repair: a mark that can be requested today, else None."""
    try:
        views = service.company_marks(session, credit_code=credit_code, today=clock.local_today(), lang=lang)
    except RatingServiceError:
        return None
    ready = [v for v in views if v.eligibility.eligible and v.repaired is None]
    if not ready:
        return None
    return _t("home_repairable", lang, mark=ready[0].label, cycle=ready[0].cycle_name)


__all__ = ["router", "nav_context", "home_line", "DatabaseDep"]
