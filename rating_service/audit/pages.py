"""The admins' audit-log page: filter the append-only log and page through it, newest first."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from rating_service.audit import repository, service
from rating_service.audit.service import audit_filter
from rating_service.errors import RatingServiceError
from rating_service.i18n.audit import PAGE_TEXT as TEXT
from rating_service.web.deps import AdminUser, SessionDep
from rating_service.web.ui import render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50


def _day(value: str) -> dt.date | None:
    # Plain strings, not dates, in the signature: an empty date box arrives as "" and must mean "no limit".
    if not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        error = RatingServiceError("payload_invalid")
        error.status_code = 422
        raise error from None


def _compact(payload: str) -> str:
    try:
        return json.dumps(json.loads(payload), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    except ValueError:
        return payload


@router.get("/admin/audit", response_class=HTMLResponse)
def audit_page(request: Request, principal: AdminUser, session: SessionDep,
               actor: Annotated[str, Query(max_length=100)] = "",
               action: Annotated[str, Query(max_length=64)] = "",
               entity_kind: Annotated[str, Query(max_length=64)] = "",
               entity_id: Annotated[str, Query(max_length=200)] = "",
               since: Annotated[str, Query(max_length=10)] = "",
               until: Annotated[str, Query(max_length=10)] = "",
               page: Annotated[int, Query(ge=1, le=1_000_000)] = 1) -> Response:
    fields = {"actor": actor.strip(), "action": action.strip(), "entity_kind": entity_kind.strip(),
              "entity_id": entity_id.strip(), "since": since.strip(), "until": until.strip()}
    filters = audit_filter(fields["actor"], fields["action"], fields["entity_kind"], fields["entity_id"],
                           _day(since), _day(until))
    entries, total = service.search(session, filters=filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    pages = max(1, -(-total // PAGE_SIZE))
    kept = {k: v for k, v in fields.items() if v}

    def link(to: int) -> str:
        return "/admin/audit?" + urlencode({**kept, "page": to})

    # Offer the prefixes of the stored actions too ("cycle." matches every cycle action).
    actions = repository.actions(session)
    prefixes = sorted({a.split(".")[0] + "." for a in actions if "." in a})
    rows: list[dict[str, Any]] = [{"entry": e, "payload": _compact(e.payload)} for e in entries]
    return render(request, "audit.html", {
        "fields": fields, "actions": sorted({*actions, *prefixes}), "rows": rows, "total": total, "page": page,
        "pages": pages, "prev_url": link(page - 1) if page > 1 else None,
        "next_url": link(page + 1) if page < pages else None,
    }, catalogue=TEXT)
