"""The admins' audit-log page: the log in sentences, filtered and paged, newest first; its CSV/XLSX export (audited)
and the chain's verification status."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from rating_service.audit import repository, service, wording
from rating_service.audit.service import audit_filter
from rating_service.errors import PayloadInvalid
from rating_service.i18n import translate
from rating_service.i18n.audit import PAGE_TEXT as TEXT
from rating_service.settings import to_local
from rating_service.web.deps import AdminUser, DatabaseDep, SessionDep
from rating_service.web.ui import render, request_lang

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
EXPORT_MAX_ROWS = 20_000
# The chain is verified on every view while the log holds at most this many entries. Measured (the whole of
# `service.verify`: chain, HMACs, anchors; SQLite, the shared 2-core machine): 40-85 µs an entry, so 10 000 entries
# take 0.4-0.9 s and 100 000 about 4 s. Up to 2 000 entries the check costs at most about 0.2 s a view; a longer
# log shows the last check this process ran, with its time, and a "verify now" button.
VERIFY_ON_VIEW_MAX = 2_000


@dataclass(frozen=True)
class Checked:
    result: service.VerifyResult
    at: dt.datetime


_last_check: dict[str, Checked] = {}  # database URL -> the last verification this process ran
_check_lock = threading.Lock()


def _day(value: str, field: str, lang: Any) -> dt.date | None:
    # Plain strings, not dates, in the signature: an empty date box arrives as "" and must mean "no limit".
    if not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise PayloadInvalid("audit_date_invalid", field=translate(f"audit_field.{field}", lang),
                             value=value.strip()[:10]) from None


def _filters(request: Request, fields: dict[str, str]) -> repository.AuditFilter:
    lang = request_lang(request, page=True)
    since, until = _day(fields["since"], "since", lang), _day(fields["until"], "until", lang)
    if since and until and since > until:
        raise PayloadInvalid("audit_dates_reversed", since=since.isoformat(), until=until.isoformat())
    return audit_filter(fields["actor"], fields["action"], fields["entity_kind"], fields["entity_id"], since, until)


def _fields(actor: str, action: str, entity_kind: str, entity_id: str, since: str, until: str) -> dict[str, str]:
    return {"actor": actor.strip(), "action": action.strip(), "entity_kind": entity_kind.strip(),
            "entity_id": entity_id.strip(), "since": since.strip(), "until": until.strip()}


Actor = Annotated[str, Query(max_length=100)]
Action = Annotated[str, Query(max_length=64)]
Kind = Annotated[str, Query(max_length=64)]
Ident = Annotated[str, Query(max_length=200)]
Day = Annotated[str, Query(max_length=10)]


def _status(database: Any, session: Any, lang: Any, *, force: bool = False) -> dict[str, Any]:
    """The chain's status for the page: verified now (a short log, or asked for), else the last check's result."""
    key = str(database.engine.url)
    total = service.count(session, filters=repository.AuditFilter())
    if force or total <= VERIFY_ON_VIEW_MAX:
        with database.snapshot_session() as snapshot:
            result = service.verify(snapshot)
        with _check_lock:
            _last_check[key] = Checked(result, dt.datetime.now(dt.UTC))
        checked: Checked | None = _last_check[key]
        fresh = True
    else:
        checked, fresh = _last_check.get(key), False
    if checked is None:
        return {"state": "unchecked", "text": TEXT["status_unchecked"][lang].format(count=total), "button": True}
    result = checked.result
    text = TEXT["status_ok"][lang].format(count=result.count) if result.ok else TEXT["status_failed"][lang].format(
        problem=translate(result.problem or "", lang, **(result.params or {})))
    if not fresh:
        text += TEXT["status_when"][lang].format(at=to_local(checked.at).strftime("%Y-%m-%d %H:%M:%S"))
    return {"state": "ok" if result.ok else "failed", "text": text, "button": not fresh,
            "at": checked.at}


def _action_choices(lang: Any, selected: str) -> list[tuple[str, str]]:
    """(code, name) of every labelled action, by name; the selected one too if it has no label."""
    choices = sorted(((a, wording.action_label(a, lang)) for a in wording.labelled_actions()), key=lambda c: c[1])
    seen = {a for a, _ in choices}
    if selected and selected not in seen:
        choices.append((selected, wording.action_label(selected, lang)))
    return choices


@router.get("/admin/audit", response_class=HTMLResponse)
def audit_page(request: Request, principal: AdminUser, session: SessionDep, database: DatabaseDep,
               actor: Actor = "", action: Action = "", entity_kind: Kind = "", entity_id: Ident = "",
               since: Day = "", until: Day = "",
               page: Annotated[int, Query(ge=1, le=1_000_000)] = 1) -> Response:
    lang = request_lang(request, page=True)
    fields = _fields(actor, action, entity_kind, entity_id, since, until)
    filters = _filters(request, fields)
    entries, total = service.search(session, filters=filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    pages = max(1, -(-total // PAGE_SIZE))
    if page > pages:
        raise PayloadInvalid("audit_page_beyond", page=page, pages=pages)
    kept = {k: v for k, v in fields.items() if v}

    def link(to: int) -> str:
        return "/admin/audit?" + urlencode({**kept, "page": to})

    return render(request, "audit.html", {
        "fields": fields, "actions": _action_choices(lang, fields["action"]),
        "kinds": wording.kind_choices(lang),
        "rows": service.readable(session, entries, lang), "total": total, "page": page, "pages": pages,
        "prev_url": link(page - 1) if page > 1 else None, "next_url": link(page + 1) if page < pages else None,
        "export_query": urlencode(kept), "status": _status(database, session, lang),
        "export_max": EXPORT_MAX_ROWS,
    }, catalogue=TEXT)


@router.post("/admin/audit/verify")
def audit_verify_now(request: Request, principal: AdminUser, session: SessionDep, database: DatabaseDep) -> Response:
    """Verify the whole chain now (a long log is not verified on every view) and show the page again."""
    _status(database, session, request_lang(request, page=True), force=True)
    return RedirectResponse("/admin/audit", status_code=303)


@router.get("/admin/audit/export")
def audit_export(request: Request, principal: AdminUser, session: SessionDep, database: DatabaseDep,
                 fmt: Annotated[str, Query(alias="format", max_length=8)] = "csv", actor: Actor = "",
                 action: Action = "", entity_kind: Kind = "", entity_id: Ident = "", since: Day = "",
                 until: Day = "") -> Response:
    """The filtered log as CSV or XLSX: sentences and details for people, codes in their own columns. The export
    is itself audited (``audit.export``)."""
    lang = request_lang(request, page=True)
    if fmt not in service.EXPORT_FORMATS:
        raise PayloadInvalid("audit_export_format_unknown", format=fmt[:10])
    fields = _fields(actor, action, entity_kind, entity_id, since, until)
    filters = _filters(request, fields)
    total = service.count(session, filters=filters)
    if total > EXPORT_MAX_ROWS:
        raise PayloadInvalid("audit_export_too_many", count=total, limit=EXPORT_MAX_ROWS)
    rows = service.readable_matching(session, filters=filters, limit=EXPORT_MAX_ROWS, lang=lang)
    data = service.export_bytes(fmt, rows, lang)
    with database.write_session() as writer:
        service.record(writer, "audit.export", actor=principal.username,
                       payload={"format": fmt, "rows": total, "filters": {k: v for k, v in fields.items() if v}})
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    return Response(data, media_type=service.EXPORT_FORMATS[fmt], headers={
        "Content-Disposition": f'attachment; filename="audit-log-{stamp}.{fmt}"'})
