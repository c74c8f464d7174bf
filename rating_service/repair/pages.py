"""The repair pages: a company's marks, its request form (evidence, the commitment signed in the form) and its
requests; the officers' queue with due dates and the review page (accept, refuse, verify on site, decide); the
flagged breaches of commitments. The words are ``i18n/repair.py`` PAGE_TEXT; the rules and the writing are
``repair.service`` (the pages only read forms and word what the service answers)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from rating_service import clock
from rating_service.appeals.uploads import inline_attachment, read_attachments
from rating_service.cycles import service as cycles
from rating_service.errors import Conflict, Forbidden, NotFound, RatingServiceError
from rating_service.i18n import MESSAGES, Lang, translate
from rating_service.i18n.repair import PAGE_TEXT
from rating_service.repair import documents, repository, service
from rating_service.repair.models import OPEN_STATUSES, BreachStatus, RepairStatus
from rating_service.settings import get_settings
from rating_service.web.deps import (
    CurrentUser,
    DatabaseDep,
    DbId,
    OfficerUser,
    SessionDep,
    WriteSessionDep,
    database_of,
)
from rating_service.web.ui import private_download, redirect, render, request_lang
from scoring.methodology import REPAIR_SEVERITIES

router = APIRouter(include_in_schema=False)

TEXT = {
    **PAGE_TEXT,
    **{f"status_{s.value}": s.localized() for s in RepairStatus},
    **{f"breach_{s.value}": s.localized() for s in BreachStatus},
    **{f"severity_{s}": {lang: translate(f"repair_severity.{s}", lang) for lang in ("zh", "en")}
       for s in REPAIR_SEVERITIES},
}
# The conditions a company declares in the form (the commitment has its own box and signature; "no new record of
# the same kind" is checked from the records, not declared).
DECLARED = service.DECLARABLE
QUEUE_FILTERS = ("open", "decided", "all")
MAX_FORM_TEXT = 4 * service.MAX_STATEMENT  # a form field's bound (the service says what is too long, by name)
# A failed check of a filing said next to the form field it is about (the others on top of the form).
FIELD_OF_CHECK = {"rectified": "declared", "penalty_fulfilled": "declared", "commitment_signed": "commitment"}
FIELD_OF_TEXT = {"statement": "statement", "signature": "signature", "reasons": "reasons",
                 "verification_note": "note", "accept_note": "note", "breach_note": "note"}


def _day(value: dt.date | None, lang: Lang) -> str:
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日" if lang == "zh" else value.isoformat()


def _t(key: str, lang: Lang, **params: Any) -> str:
    words = PAGE_TEXT[key][lang]
    return words.format(**params) if params else words


def _company_only(principal: Any) -> str:
    if principal.is_officer or not principal.credit_code:
        raise Forbidden("repair_company_only")
    return str(principal.credit_code)


def _field_of(refused: RatingServiceError) -> str:
    """The form field a refusal is about: a named text field, the evidence, the records; else the form itself."""
    field = refused.params.get("field")
    if isinstance(field, dict):  # a Localized field name (repair_field.*)
        for name, where in FIELD_OF_TEXT.items():
            if field.get("zh") == MESSAGES[f"repair_field.{name}"]["zh"]:
                return where
    if refused.key == "repair_evidence_required" or refused.key.startswith("appeal_file") \
            or refused.key == "appeal_too_many_files":
        return "files"
    return "form"


def _why_not(view: Any, lang: Lang) -> list[str]:
    """Why a request filed today would be refused, in plain words: the checks that fail even when everything the
    company declares is declared (too early, an open request, the wait after a refusal, a new record...)."""
    return [service.refusal_text(check, lang) for check in view.eligibility.failed()
            if check.code not in FIELD_OF_CHECK] or ([_t("why_other", lang)] if not view.eligibility.eligible
                                                     else [])


def _mark_row(view: Any, lang: Lang) -> dict[str, Any]:
    mark = view.mark
    query = urlencode([("cycle_id", mark.cycle_id), ("mark", mark.request_mark)]
                      + [("records", f"{r.kind}:{r.record_id}") for r in mark.records
                         if mark.request_mark == "records"])
    return {"label": translate(f"repair_mark.{mark.request_mark}", lang), "full_label": view.label,
            "cycle_name": view.cycle_name, "severity": TEXT[f"severity_{mark.severity}"][lang],
            "publicity_from": _day(mark.publicity_from, lang), "earliest_on": _day(view.earliest_on, lang),
            "publicity_ends_on": _day(view.publicity_ends_on, lang), "records": list(view.records_text),
            "can_request": view.eligibility.eligible and view.repaired is None, "why": _why_not(view, lang),
            "request_id": view.request_id, "repaired": view.repaired.note(lang) if view.repaired else "",
            "new_url": f"/repair/new?{query}"}


def _request_row(r: Any, lang: Lang, cycle_names: dict[int, str]) -> dict[str, Any]:
    due = r.decide_due_on if r.status == "accepted" else r.accept_due_on if r.status == "submitted" else None
    return {"id": r.id, "status": r.status, "status_label": TEXT[f"status_{r.status}"][lang],
            "mark_label": service.mark_label(r.mark, cycle_names.get(r.cycle_id, ""), lang=lang),
            "filed_on": _day(r.filed_on, lang),
            "due_on": _day(due, lang), "decided_on": _day(r.decided_on, lang),
            "refile_from": _day(r.refile_from, lang) if r.status == "refused" else "",
            "decision_url": f"/documents/{r.decision_document_id}.pdf" if r.decision_document_id else ""}


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
    mine = service.list_requests(session, principal, limit=200)
    cycle_names = repository.cycle_names(session, {r.cycle_id for r in mine})
    requests = [_request_row(r, lang, cycle_names) for r in mine]
    return render(request, "repair_home.html", {"marks": marks, "requests": requests}, catalogue=TEXT)


# -- the request form ----------------------------------------------------------------------------------------------

def _records_of(values: list[str] | None) -> list[tuple[str, str]]:
    """``kind:record_id`` values as keys, in order, once each (bounded)."""
    keys = (tuple(v[:100].split(":", 1)) for v in (values or [])[:service.MAX_RECORDS] if ":" in v)
    return list(dict.fromkeys(keys))  # type: ignore[arg-type]


def _chosen_mark(session: Any, code: str, cycle_id: int, mark: str, records: list[tuple[str, str]],
                 lang: Lang) -> Any:
    """The company's mark the form is for (its cycle, its kind; for records, exactly the records named), else 404."""
    for view in service.company_marks(session, credit_code=code, today=clock.local_today(), lang=lang):
        if view.mark.cycle_id != cycle_id or view.mark.request_mark != mark:
            continue
        if mark == "records" and {(r.kind, r.record_id) for r in view.mark.records} != set(records):
            continue
        return view
    raise NotFound("repair_page_mark_not_found")


def _form_context(request: Request, session: Any, principal: Any, *, cycle_id: int, mark: str,
                  records: list[tuple[str, str]], statement: str = "", declared: tuple[str, ...] = (),
                  signed: bool = False, signature: str = "", error: dict[str, Any] | None = None) -> dict[str, Any]:
    lang = request_lang(request, page=True)
    code = _company_only(principal)
    view = _chosen_mark(session, code, cycle_id, mark, records, lang)
    cycle = cycles.get_cycle_or_raise(session=session, cycle_id=cycle_id)
    rating = cycles.find_rating(session=session, cycle=cycle, credit_code=code)
    # The name the signature must equal, as file_request reads it.
    company_name = repository.company_names(session, [code]).get(code) or (rating.name if rating else "") or code
    # The text shown is the text signed: the same words file_request freezes into the commitment.
    months = cycles.methodology_of(cycle).repair_rules().commitment_months
    mark_label = translate(f"repair_mark.{mark}", lang)
    paragraphs = documents.commitment_paragraphs(company_name=company_name, mark_label=mark_label,
                                                 cycle_name=cycle.name, commitment_months=months, lang=lang)
    # The whole letter as the PDF words it: who undertakes what (intro), the undertakings, how long it binds.
    letter = {"intro": TEXT["commitment_intro"][lang].format(company=company_name, credit_code=code,
                                                             cycle=cycle.name, mark=mark_label),
              "period": TEXT["commitment_period"][lang].format(months=months)}
    settings = get_settings()
    return {"mark": _mark_row(view, lang), "mark_code": mark, "cycle_id": cycle_id,
            "records_values": [f"{k}:{r}" for k, r in records], "company_name": company_name,
            "paragraphs": paragraphs, "letter": letter,
            "conditions": [(c, translate(f"repair_condition.{c}", lang)) for c in DECLARED],
            "statement": statement, "declared": set(declared), "signed": signed, "signature": signature,
            "limit_mb": settings.attachment_limit_mb, "limit_n": settings.attachments_per_appeal,
            "max_statement": service.MAX_STATEMENT, "error": error or {}}


@router.get("/repair/new", response_class=HTMLResponse)
def new_request(request: Request, principal: CurrentUser, session: SessionDep,
                cycle_id: Annotated[int, Query(ge=1, le=2_147_483_647)],
                mark: Annotated[str, Query(max_length=16)],
                records: Annotated[list[str] | None, Query(max_length=service.MAX_RECORDS)] = None) -> Response:
    """The form for one mark: the mark in words, the statement, the conditions declared, the evidence, the
    commitment's full text with its box and the company's name typed as the signature."""
    _company_only(principal)
    context = _form_context(request, session, principal, cycle_id=cycle_id, mark=mark, records=_records_of(records))
    return render(request, "repair_new.html", context, catalogue=TEXT)


@router.post("/repair/requests")
def file_request(request: Request, principal: CurrentUser, session: WriteSessionDep,
                 cycle_id: Annotated[int, Form(ge=1, le=2_147_483_647)],
                 mark: Annotated[str, Form(max_length=16)],
                 records: Annotated[list[str] | None, Form(max_length=service.MAX_RECORDS)] = None,
                 statement: Annotated[str, Form(max_length=MAX_FORM_TEXT)] = "",
                 declared: Annotated[list[str] | None, Form(max_length=10)] = None,
                 commitment: Annotated[str, Form(max_length=10)] = "",
                 signature: Annotated[str, Form(max_length=service.MAX_SIGNATURE * 2)] = "",
                 files: Annotated[list[UploadFile] | None, File()] = None) -> Response:
    _company_only(principal)
    chosen = _records_of(records)
    conditions = tuple(dict.fromkeys(d[:32] for d in declared or []))
    uploads = [u for u in read_attachments(files) if u.data or u.filename not in ("", "attachment")]
    signed = commitment == "yes"
    try:
        filed = service.file_request(session, principal=principal, filing=service.Filing(
            cycle_id=cycle_id, mark=mark, records=chosen, statement=statement, declared=conditions,
            commitment_signed=signed, signature=signature, attachments=uploads))
    except (service.RepairRefused, Conflict) as refused:
        # The form again, each refusal next to its field, everything typed kept (not the files: a browser cannot
        # be handed them back). The service refuses before it writes anything.
        lang = request_lang(request, page=True)
        error: dict[str, Any] = {"files_lost": "1" if uploads else ""}
        checks = getattr(refused, "checks", ())
        if checks:
            for check in checks:
                where = FIELD_OF_CHECK.get(check.code, "form")
                if where == "commitment" and signed:
                    where = "signature"  # the box is ticked: the name typed is what differs
                words = translate("repair_refused.commitment_signed", lang, name=refused.params.get("name", "")) \
                    if check.code == "commitment_signed" else service.refusal_text(check, lang)
                error.setdefault(where, words)
        else:
            error[_field_of(refused)] = refused.message(lang)
        context = _form_context(request, session, principal, cycle_id=cycle_id, mark=mark, records=chosen,
                                statement=statement, declared=conditions, signed=signed, signature=signature,
                                error=error)
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
    timeline = [("filed", r.filed_on), ("accept_due", r.accept_due_on if r.status == "submitted" else None),
                ("accepted", r.accepted_on), ("decide_due", r.decide_due_on if r.status == "accepted" else None),
                ("decided", r.decided_on)]
    open_ = r.status in OPEN_STATUSES
    due_on = detail.decide_due_on if r.status == "accepted" else detail.accept_due_on if open_ else None
    rules = cycles.methodology_of(cycles.get_cycle_or_raise(session=session, cycle_id=r.cycle_id)).repair_rules()
    return render(request, "repair_request.html", {
        "r": r, "detail": detail, "status_label": detail.status_label,
        "severity_label": TEXT[f"severity_{r.severity}"][lang],
        "stage_label": detail.refusal_stage_label or "",
        "timeline": [(key, _day(day, lang)) for key, day in timeline if day is not None],
        "items": detail.items, "checks": detail.checks, "declared": detail.declared, "attachments": attachments,
        "open": open_, "due_on": _day(due_on, lang), "working_days_left": detail.working_days_left if open_ else None,
        "overdue": bool(open_ and detail.overdue), "refile_from": _day(r.refile_from, lang),
        "repaired_on": _day(r.repaired_on, lang), "commitment_until": _day(r.commitment_until, lang),
        "decision_url": f"/documents/{detail.decision_document.id}.pdf" if detail.decision_document else "",
        "decision_number": detail.decision_document.doc_number if detail.decision_document else "",
        "can_accept": principal.is_officer and r.status == "submitted",
        "can_decide": principal.is_officer and r.status == "accepted",
        "bar_years": rules.false_material_bar_years,
        "error": error or {}, "form": form or {},
    }, catalogue=TEXT, status_code=status_code)


@router.get("/repair/requests/{request_id}", response_class=HTMLResponse)
def request_page(request: Request, request_id: DbId, principal: CurrentUser, session: SessionDep) -> Response:
    """One request: its status, timeline and working days left, the records, the checks, the evidence, the signed
    commitment, the decision; for officers, the forms to accept, refuse or decide."""
    return _request_page(request, session, principal, request_id)


@router.get("/repair/requests/{request_id}/attachments/{attachment_id}")
def attachment_page(request_id: DbId, attachment_id: DbId, principal: CurrentUser, session: SessionDep,
                    database: DatabaseDep) -> Response:
    """Evidence for the page's viewer, inert (as appeal evidence is); another company's: 404. Every opening is
    audited, as a download is."""
    item, data = service.attachment_bytes(session, principal, request_id, attachment_id)
    service.record_attachment_download(database=database, attachment=item, actor=principal.username)
    return inline_attachment(data, filename=item.filename, attachment_id=item.id)


@router.get("/repair/requests/{request_id}/commitment.pdf")
def commitment_page(request: Request, request_id: DbId, principal: CurrentUser,
                    session: WriteSessionDep) -> Response:
    """The 信用承诺书 as signed, rendered from the payload frozen at filing (the same bytes every time: the first
    rendering stores their hash, a later one that differs is refused)."""
    repair = service.visible_request(session, principal, request_id)
    data = documents.commitment_pdf(request=repair)
    lang = request_lang(request, page=True)
    return private_download(data, media_type="application/pdf", inline=True,
                            filename=_t("commitment_filename", lang, id=repair.id),
                            ascii_name=f"repair-{repair.id}-commitment.pdf")


def _officer_action(request: Request, session: Any, principal: Any, request_id: int, form: dict[str, str],
                    action: Callable[[], Any]) -> Response:
    """An officer's step; refused (a missing reason, a request no longer in that state): the page again with the
    message next to the field and the words typed kept. The service refuses before it writes."""
    try:
        action()
    except (service.RepairRefused, Conflict) as refused:
        lang = request_lang(request, page=True)
        return _request_page(request, session, principal, request_id, form=form,
                             error={_field_of(refused): refused.message(lang)}, status_code=refused.status_code)
    return redirect(f"/repair/requests/{request_id}")


@router.post("/repair/requests/{request_id}/accept")
def accept_page(request: Request, request_id: DbId, principal: OfficerUser, session: WriteSessionDep,
                note: Annotated[str, Form(max_length=MAX_FORM_TEXT)] = "") -> Response:
    return _officer_action(request, session, principal, request_id, {"action": "accept", "note": note},
                           lambda: service.accept(session, request_id=request_id, actor=principal.username,
                                                  note=note or None))


@router.post("/repair/requests/{request_id}/refuse")
def refuse_page(request: Request, request_id: DbId, principal: OfficerUser, session: WriteSessionDep,
                reasons: Annotated[str, Form(max_length=MAX_FORM_TEXT)] = "",
                false_material: Annotated[str, Form(max_length=10)] = "") -> Response:
    form = {"action": "refuse", "reasons": reasons, "false_material": false_material}
    return _officer_action(request, session, principal, request_id, form,
                           lambda: service.refuse(session, request_id=request_id, actor=principal.username,
                                                  reasons=reasons, false_material=false_material == "yes"))


@router.post("/repair/requests/{request_id}/decide")
def decide_page(request: Request, request_id: DbId, principal: OfficerUser, session: WriteSessionDep,
                reasons: Annotated[str, Form(max_length=MAX_FORM_TEXT)] = "",
                verification_note: Annotated[str, Form(max_length=MAX_FORM_TEXT)] = "") -> Response:
    form = {"action": "decide", "reasons": reasons, "verification_note": verification_note}
    return _officer_action(request, session, principal, request_id, form,
                           lambda: service.decide(session, request_id=request_id, actor=principal.username,
                                                  reasons=reasons, verification_note=verification_note))


# -- the officers' queue and the breaches --------------------------------------------------------------------------

@router.get("/repair/queue", response_class=HTMLResponse)
def queue_page(request: Request, principal: OfficerUser, session: SessionDep,
               status: Annotated[str, Query(max_length=10)] = "open") -> Response:
    """Open requests most urgent first (overdue, then by due date; working days left), or the decided ones, or all;
    the breaches waiting for an officer."""
    lang = request_lang(request, page=True)
    shown = status if status in QUEUE_FILTERS else "open"
    today = clock.local_today()
    rows = []
    if shown in ("open", "all"):
        for q in service.queue(session, today=today, lang=lang):
            rows.append({"id": q.request_id, "company": q.company_name, "credit_code": q.credit_code,
                         "mark": q.mark_label, "status": q.status, "status_label": q.status_label,
                         "due_on": _day(q.due_on, lang), "days_left": q.working_days_left, "overdue": q.overdue,
                         "decided_on": ""})
    if shown in ("decided", "all"):
        decided = [r for status_ in ("repaired", "refused")
                   for r in service.list_requests(session, principal, status=status_, limit=200)]
        decided.sort(key=lambda r: (r.decided_on or dt.date.min, r.id), reverse=True)
        names = repository.company_names(session, {r.credit_code for r in decided})
        cycle_names = repository.cycle_names(session, {r.cycle_id for r in decided})
        for r in decided:
            rows.append({"id": r.id, "company": names.get(r.credit_code, r.credit_code), "credit_code": r.credit_code,
                         "mark": service.mark_label(r.mark, cycle_names.get(r.cycle_id, ""), lang=lang),
                         "status": r.status, "status_label": TEXT[f"status_{r.status}"][lang], "due_on": "",
                         "days_left": None, "overdue": False, "decided_on": _day(r.decided_on, lang)})
    flagged = len(service.list_breaches(session, status="flagged", lang=lang))
    return render(request, "repair_queue.html", {"rows": rows, "shown": shown, "filters": QUEUE_FILTERS,
                                                 "flagged": flagged}, catalogue=TEXT)


def _breach_row(b: Any, lang: Lang) -> dict[str, Any]:
    return {"id": b.breach_id, "request_id": b.request_id, "company": b.company_name, "credit_code": b.credit_code,
            "mark": b.mark_label, "record": f"{b.record_label} {b.record_id}", "record_date": _day(b.record_date, lang),
            "status": b.status, "status_label": b.status_label, "note": b.note or "",
            "repaired_on": _day(b.repaired_on, lang), "commitment_until": _day(b.commitment_until, lang),
            "decided_on": _day(b.decided_on, lang)}


def _breaches(request: Request, session: Any, *, error: dict[str, Any] | None = None, note: str = "",
              status_code: int = 200) -> Response:
    lang = request_lang(request, page=True)
    rows = [_breach_row(b, lang) for b in service.list_breaches(session, lang=lang)]
    rows.sort(key=lambda b: b["status"] != "flagged")  # the ones waiting first
    return render(request, "repair_breaches.html", {"rows": rows, "error": error, "note": note}, catalogue=TEXT,
                  status_code=status_code)


@router.get("/repair/breaches", response_class=HTMLResponse)
def breaches_page(request: Request, principal: OfficerUser, session: SessionDep) -> Response:
    """Repaired companies with a new record of the same kind within their commitment: confirm or dismiss."""
    return _breaches(request, session)


@router.post("/repair/breaches/{breach_id}")
def breach_decide_page(request: Request, breach_id: DbId, principal: OfficerUser, session: WriteSessionDep,
                       decision: Annotated[str, Form(max_length=10)] = "",
                       note: Annotated[str, Form(max_length=MAX_FORM_TEXT)] = "") -> Response:
    lang = request_lang(request, page=True)
    try:
        if decision not in ("confirm", "dismiss"):
            raise service.RepairRefused("repair_page_breach_choose")
        service.decide_breach(session, breach_id=breach_id, actor=principal.username, confirm=decision == "confirm",
                              note=note)
    except (service.RepairRefused, Conflict) as refused:
        return _breaches(request, session, error={"id": breach_id, "message": refused.message(lang)}, note=note,
                         status_code=refused.status_code)
    return redirect("/repair/breaches")


# -- navigation, the company home --------------------------------------------------------------------------------

def nav_context(request: Request, user: Any) -> dict[str, Any]:
    """The link 信用修复: for officers with the number of open requests, for companies plain; nothing else."""
    if user is None or not (getattr(user, "is_officer", False) or getattr(user, "credit_code", None)):
        return {}
    lang = request_lang(request, page=True)
    if not user.is_officer:
        return {"nav_repair": {"count": 0, "text": _t("nav_repair", lang), "label": ""}}
    with database_of(request).read_session() as session:
        count = len(repository.requests_of(session, statuses=OPEN_STATUSES))
    return {"nav_repair": {"count": count, "text": _t("nav_repair", lang),
                           "label": _t("nav_repair_count", lang, n=count)}}


def home_line(session: Any, *, credit_code: str, lang: Lang) -> dict[str, str] | None:
    """The company home's line about repair: a mark that can be requested today (else None)."""
    views = service.company_marks(session, credit_code=credit_code, today=clock.local_today(), lang=lang)
    ready = [v for v in views if v.eligibility.eligible and v.repaired is None]
    if not ready:
        return None
    return {"text": _t("home_repairable", lang, n=len(ready)), "link": _t("home_repair_link", lang)}
