"""Appeal pages: a company files against its preliminary rating; officers see the queue and decide."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from rating_service.appeals import decisions, repository, service
from rating_service.appeals.models import AppealOutcome, AppealStatus, ItemAction
from rating_service.appeals.uploads import read_attachments
from rating_service.cycles import service as cycles
from rating_service.cycles.service import visible_cycle, visible_rating
from rating_service.errors import Forbidden
from rating_service.i18n.appeals import PAGE_TEXT
from rating_service.records.formats import KINDS
from rating_service.web.deps import CurrentUser, DbId, FormDataDep, OfficerUser, SessionDep, WriteSessionDep
from rating_service.web.ui import redirect, render, request_lang

router = APIRouter(include_in_schema=False)

TEXT = {
    **PAGE_TEXT,
    # the value types' labels (rating_service/i18n/labels.py)
    **{f"status_{status.value}": status.localized() for status in AppealStatus},
    **{f"outcome_{outcome.value}": outcome.localized() for outcome in AppealOutcome},
    **{f"action_{action.value}": action.localized() for action in ItemAction},
}
FIELD_WORDS = decisions.FIELD_WORDS


def _contestable(session: Any, cycle: Any, credit_code: str) -> list[dict[str, str]]:
    rating = cycles.get_rating_or_raise(session=session, cycle=cycle, credit_code=credit_code)
    out = []
    for reason in json.loads(rating.explanation).get("reasons") or []:
        for e in reason.get("evidence") or []:
            kind = KINDS.get(e["kind"])
            out.append({"value": f"{e['kind']}:{e['record_id']}", "kind": kind.zh if kind else e["kind"],
                        "record_id": e["record_id"], "date": e.get("event_date") or "", "reason": reason["code"]})
    return list({o["value"]: o for o in out}.values())


@router.get("/cycles/{cycle_id}/appeals/new", response_class=HTMLResponse)
def new_appeal(request: Request, cycle_id: DbId, principal: CurrentUser, session: SessionDep) -> Response:
    if principal.is_officer or not principal.credit_code:
        raise Forbidden("appeal_company_only")
    cycle = visible_cycle(session, principal, cycle_id)
    from rating_service.settings import get_settings

    settings = get_settings()
    return render(request, "appeal_new.html", {
        "cycle": cycle, "records": _contestable(session, cycle, principal.credit_code),
        "limit_mb": settings.attachment_limit_mb, "limit_n": settings.attachments_per_appeal,
    }, catalogue=TEXT)


@router.post("/cycles/{cycle_id}/appeals")
def file_appeal_page(cycle_id: DbId, principal: CurrentUser, session: WriteSessionDep,
                     grounds: Annotated[str, Form(max_length=service.MAX_GROUNDS * 4)] = "",
                     scope: Annotated[str, Form(max_length=20)] = "records",
                     records: Annotated[list[str] | None, Form()] = None,
                     files: Annotated[list[UploadFile] | None, File()] = None) -> Response:
    contested = [tuple(r.split(":", 1)) for r in records or [] if ":" in r]
    uploads = [u for u in read_attachments(files) if u.data or u.filename not in ("", "attachment")]
    appeal = service.file_appeal(session=session, cycle_id=cycle_id, principal=principal, filing=service.Filing(
        scope=scope, grounds=grounds, records=contested, attachments=uploads))  # type: ignore[arg-type]
    return redirect(f"/appeals/{appeal.id}")


@router.get("/appeals/{appeal_id}", response_class=HTMLResponse)
def appeal_page(request: Request, appeal_id: DbId, principal: CurrentUser, session: SessionDep) -> Response:
    appeal = service.visible_appeal(session=session, principal=principal, appeal_id=appeal_id)
    cycle = cycles.get_cycle_or_raise(session=session, cycle_id=appeal.cycle_id)
    rating = cycles.find_rating(session=session, cycle=cycle, credit_code=appeal.credit_code)
    data = service.appeal_out(session, appeal)
    for item in data["items"]:
        kind = KINDS.get(item["kind"])
        item["kind_label"] = kind.zh if kind else item["kind"]
        item["fields"] = list(decisions.AMENDABLE.get(item["kind"], {}))
    return render(request, "appeal.html", {
        "appeal": data, "cycle": cycle, "company_name": rating.name if rating else appeal.credit_code,
        "can_decide": principal.is_officer and appeal.status == "pending" and cycle.status == "publicized",
        "field_words": FIELD_WORDS,
    }, catalogue=TEXT)


@router.post("/appeals/{appeal_id}/decision")
def decide_page(appeal_id: DbId, principal: OfficerUser, session: WriteSessionDep, form: FormDataDep) -> Response:
    items = []
    for row in repository.items(session, appeal_id):
        key = f"{row.kind}:{row.record_id}"
        action = str(form.get(f"action:{key}") or "keep")
        field = str(form.get(f"field:{key}") or "")
        value = form.get(f"value:{key}")
        changes = {field: value} if action == "amend" and field else {}
        items.append(decisions.ItemDecision(row.kind, row.record_id, action, changes,
                                            str(form.get(f"finding:{key}") or "")))
    decisions.decide_appeal(session=session, appeal_id=appeal_id, actor=principal.username,
                            decision=decisions.Decision(outcome=str(form.get("outcome") or ""),
                                                        reasons=str(form.get("reasons") or ""), items=items))
    return redirect(f"/appeals/{appeal_id}")


@router.get("/cycles/{cycle_id}/appeals", response_class=HTMLResponse)
def appeals_page(request: Request, cycle_id: DbId, principal: CurrentUser, session: SessionDep) -> Response:
    cycle = visible_cycle(session, principal, cycle_id)
    own = None if principal.is_officer else principal.credit_code or ""
    appeals = [service.appeal_out(session, a) for a in repository.list_appeals(session, cycle_id=cycle.id,
                                                                                 credit_code=own)]
    names = cycles.rated_names(session=session, cycle=cycle) if principal.is_officer else {}
    stats = service.statistics(session=session, cycle_id=cycle.id) if principal.is_officer else None
    return render(request, "appeals.html", {"cycle": cycle, "appeals": appeals, "names": names, "stats": stats},
                  catalogue=TEXT)


@router.get("/cycles/{cycle_id}/companies/{credit_code}/records", response_class=HTMLResponse)
def records_page(request: Request, cycle_id: DbId, credit_code: str, principal: CurrentUser,
                 session: SessionDep) -> Response:
    cycle, rating = visible_rating(session, principal, cycle_id, credit_code)
    lang = request_lang(request, page=True)
    rows = decisions.counted_records(session=session, cycle=cycle, credit_code=credit_code)
    for row in rows:
        kind = KINDS.get(row["kind"])
        row["kind_label"] = kind.label(lang) if kind else row["kind"]
    return render(request, "counted_records.html", {"cycle": cycle, "rating": rating, "rows": rows}, catalogue=TEXT)
