"""The officers' dashboard (the home page's officer view: the to-do list, the cycles, the counts, the searchable
company and community lists) and the to-do count every officer page shows in its navigation."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from rating_service import clock
from rating_service.cycles import service as cycles
from rating_service.i18n.cycles import DASHBOARD_TEXT
from rating_service.records.formats import KINDS
from rating_service.todo import service
from rating_service.web.deps import database_of
from rating_service.web.ui import render, request_lang

MAX_PAGE = 100_000


def _page_number(request: Request, name: str) -> int:
    """A page number from the query (1 when absent, not a number or out of range: paging never fails)."""
    raw = request.query_params.get(name, "")
    if not (raw.isascii() and raw.isdigit() and 0 < len(raw) <= 6):
        return 1
    return min(max(int(raw), 1), MAX_PAGE)


def dashboard(request: Request, session: Session) -> Response:
    """The officer's home page: what waits (``#todo``), the cycles, the counts, the companies and communities."""
    lang = request_lang(request, page=True)
    today = clock.local_today()
    q = (request.query_params.get("q") or "").strip()[:service.MAX_QUERY]
    context: dict[str, Any] = {
        "todo": service.officer_todo(session, today),
        "kind_labels": {k: v.label(lang) for k, v in KINDS.items()},
        "counts": service.record_counts(session),
        "companies": service.company_page(session, today=today, q=q, page=_page_number(request, "cp")),
        "communities": service.community_page(session, today=today, q=q, page=_page_number(request, "mp")),
        "q": q,
        "last_import": service.last_import(session),
        "cycles": cycles.list_cycles(session=session)[:10],
        "today": today,
    }
    return render(request, "overview.html", context, catalogue=DASHBOARD_TEXT)


def nav_context(request: Request, user: Any) -> dict[str, Any]:
    """The officers' navigation badge (the open to-do lines); nothing for anyone else."""
    if user is None or not getattr(user, "is_officer", False):
        return {}
    with database_of(request).read_session() as session:
        count = service.open_count(session, clock.local_today())
    lang = request_lang(request, page=True)
    return {"nav_todo": {"count": count, "label": DASHBOARD_TEXT["nav_todo"][lang].format(n=count)}}
