"""Appeal pages: a company files against its preliminary rating; officers see the queue and decide."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from rating_service.appeals import decisions, repository, service
from rating_service.appeals.models import AppealOutcome, AppealStatus, ItemAction
from rating_service.appeals.uploads import read_attachments
from rating_service.cycles import facts, standing
from rating_service.cycles import service as cycles
from rating_service.cycles.service import visible_cycle, visible_rating
from rating_service.errors import Conflict, Forbidden, NotFound
from rating_service.i18n import Lang
from rating_service.i18n.appeals import PAGE_TEXT
from rating_service.i18n.records import PAGE_TEXT as RECORD_TEXT
from rating_service.records.formats import KINDS
from rating_service.web.deps import CurrentUser, DbId, FormDataDep, OfficerUser, SessionDep, WriteSessionDep
from rating_service.web.ui import redirect, render, request_lang

router = APIRouter(include_in_schema=False)

TEXT = {
    **PAGE_TEXT,
    **{key: words for key, words in RECORD_TEXT.items() if key.startswith("record_")},
    # the value types' labels (rating_service/i18n/labels.py)
    **{f"status_{status.value}": status.localized() for status in AppealStatus},
    **{f"outcome_{outcome.value}": outcome.localized() for outcome in AppealOutcome},
    **{f"action_{action.value}": action.localized() for action in ItemAction},
}
FIELD_WORDS = decisions.FIELD_WORDS


PAGE_SIZE = 20
FIELD_OF_ERROR = {  # where a refusal is said on the form
    "appeal_grounds_required": "grounds", "appeal_grounds_too_long": "grounds", "appeal_scope_unknown": "scope",
    "appeal_records_required": "records", "appeal_too_many_records": "records", "appeal_record_not_counted": "records",
    "appeal_attribution_not_chosen": "records",
}


def _keys(values: list[str] | None) -> list[tuple[str, str]]:
    """``kind:record_id`` values as keys, in order, once each."""
    return list(dict.fromkeys(tuple(v.split(":", 1)) for v in values or [] if ":" in v))  # type: ignore[misc]


def _row(fact: facts.RecordFact, m: Any, lang: Lang, cycle_id: int, company_name: str | None) -> dict[str, Any]:
    """One counted record for a page: its fact line and pieces, its link, its attribution and what it feeds."""
    return {"value": f"{fact.kind}:{fact.record_id}", "kind": fact.kind, "kind_label": KINDS[fact.kind].label(lang),
            "record_id": fact.record_id, "date": facts.day_text(fact.date, lang),
            "month": fact.date.strftime("%Y-%m") if fact.date else "", "community": fact.community_name or "",
            "category": str(fact.fields.get("category") or ""), "line": facts.fact_line(fact, m, lang),
            "parts": facts.fact_parts(fact, m, lang)[1:] if fact.date else facts.fact_parts(fact, m, lang),
            "points": facts.points_text(fact.points), "url": f"/cycles/{cycle_id}/{fact.url_path}",
            "attribution": facts.attribution_text(fact, company_name, m, lang),
            "reasons": [facts.reason_name(code, m, lang) for code in fact.reasons]}


def _company_rows(session: Any, cycle: Any, credit_code: str, lang: Lang) -> tuple[list[dict[str, Any]], Any]:
    rating = cycles.find_rating(session=session, cycle=cycle, credit_code=credit_code)
    mine = standing.company_facts(session=session, cycle=cycle, credit_code=credit_code)
    m = cycles.methodology_of(cycle)
    rows = [_row(fact, m, lang, cycle.id, rating.name if rating else None) for fact in mine.records.values()]
    rows.sort(key=lambda r: (r["month"], r["kind"], r["record_id"]))
    top = {k for keys in mine.evidence.values() for k in keys}
    for row in rows:
        row["top"] = (row["kind"], row["record_id"]) in top
    return rows, rating


def _matches(row: dict[str, Any], query: str, kind: str, month: str) -> bool:
    if kind and row["kind"] != kind:
        return False
    if month and row["month"] != month:
        return False
    if query:
        needle = query.casefold()
        return any(needle in str(row[k]).casefold() for k in ("record_id", "community", "category", "line")) \
            or needle in row["value"].casefold()
    return True


def _form_context(*, request: Request, session: Any, cycle: Any, principal: Any, chosen: list[tuple[str, str]],
                  attribution: set[tuple[str, str]], step: str, query: str = "", kind: str = "", month: str = "",
                  page: int = 1, grounds: str = "", scope: str = "records",
                  error: dict[str, str] | None = None) -> dict[str, Any]:
    from rating_service.settings import get_settings

    lang = request_lang(request, page=True)
    code = principal.credit_code
    settings = get_settings()
    context: dict[str, Any] = {"cycle": cycle, "limit_mb": settings.attachment_limit_mb,
                               "limit_n": settings.attachments_per_appeal, "error": error or {},
                               "grounds": grounds, "scope": scope, "step": step, "query": query, "kind": kind,
                               "month": month}
    closed = service.closed_reason(session=session, cycle=cycle, credit_code=code)
    if closed is not None:
        pending = repository.pending_for(session, cycle_id=cycle.id, credit_code=code)
        return context | {"closed": closed.message(lang), "pending": pending}
    rows, _rating = _company_rows(session, cycle, code, lang)
    by_value = {r["value"]: r for r in rows}
    chosen_values = [f"{k}:{r}" for k, r in chosen if f"{k}:{r}" in by_value]
    found = [r for r in rows if _matches(r, query, kind, month)]
    pages = max(1, -(-len(found) // PAGE_SIZE))
    page = min(max(1, page), pages)
    shown = found[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
    shown_values = {r["value"] for r in shown}
    return context | {
        "closed": None, "rows_total": len(rows), "found": len(found), "shown": shown, "page": page, "pages": pages,
        "chosen": [by_value[v] for v in chosen_values], "chosen_values": set(chosen_values),
        "carried": [v for v in chosen_values if v not in shown_values],
        "attribution": {f"{k}:{r}" for k, r in attribution},
        "kinds": [(k, KINDS[k].label(lang)) for k in dict.fromkeys(r["kind"] for r in rows)],
        "months": sorted({r["month"] for r in rows if r["month"]}),
    }


@router.get("/cycles/{cycle_id}/appeals/new", response_class=HTMLResponse)
def new_appeal(request: Request, cycle_id: DbId, principal: CurrentUser, session: SessionDep,
               q: Annotated[str, Query(max_length=100)] = "", kind: Annotated[str, Query(max_length=32)] = "",
               month: Annotated[str, Query(max_length=7)] = "", page: Annotated[int, Query(ge=1, le=100000)] = 1,
               step: Annotated[str, Query(max_length=12)] = "pick",
               records: Annotated[list[str] | None, Query(max_length=service.MAX_RECORDS)] = None,
               scope: Annotated[str, Query(max_length=20)] = "records") -> Response:
    """Step 1 (``step=pick``): every counted record of the company, searched, filtered and paged by GET
    parameters, the chosen ones carried along; step 2 (``step=grounds``): the chosen records, the grounds."""
    if principal.is_officer or not principal.credit_code:
        raise Forbidden("appeal_company_only")
    cycle = visible_cycle(session, principal, cycle_id)
    context = _form_context(request=request, session=session, cycle=cycle, principal=principal,
                            chosen=_keys(records), attribution=set(), step="grounds" if step == "grounds" else "pick",
                            query=q.strip(), kind=kind, month=month, page=page,
                            scope="calculation" if scope == "calculation" else "records")
    return render(request, "appeal_new.html", context, catalogue=TEXT)


@router.post("/cycles/{cycle_id}/appeals")
def file_appeal_page(request: Request, cycle_id: DbId, principal: CurrentUser, session: WriteSessionDep,
                     grounds: Annotated[str, Form(max_length=service.MAX_GROUNDS * 4)] = "",
                     scope: Annotated[str, Form(max_length=20)] = "records",
                     records: Annotated[list[str] | None, Form()] = None,
                     attribution: Annotated[list[str] | None, Form()] = None,
                     files: Annotated[list[UploadFile] | None, File()] = None) -> Response:
    contested = _keys(records)
    attributed = _keys(attribution)
    uploads = [u for u in read_attachments(files) if u.data or u.filename not in ("", "attachment")]
    try:
        appeal = service.file_appeal(session=session, cycle_id=cycle_id, principal=principal, filing=service.Filing(
            scope=scope, grounds=grounds, records=contested, attachments=uploads, attribution=attributed))
    except (service.AppealRefused, Conflict) as refused:
        # The form again, with the refusal next to its field and everything typed and chosen kept (the service
        # refuses before it writes anything).
        lang = request_lang(request, page=True)
        cycle = visible_cycle(session, principal, cycle_id)
        field = FIELD_OF_ERROR.get(refused.key, "files" if refused.key.startswith("appeal_file") else "form")
        context = _form_context(request=request, session=session, cycle=cycle, principal=principal,
                                chosen=contested, attribution=set(attributed), step="grounds", grounds=grounds,
                                scope=scope if scope in ("records", "calculation") else "records",
                                error={field: refused.message(lang), "any": "1", "files_lost": "1" if uploads else ""})
        return render(request, "appeal_new.html", context, catalogue=TEXT, status_code=refused.status_code)
    return redirect(f"/appeals/{appeal.id}")


@router.get("/appeals/{appeal_id}", response_class=HTMLResponse)
def appeal_page(request: Request, appeal_id: DbId, principal: CurrentUser, session: SessionDep) -> Response:
    appeal = service.visible_appeal(session=session, principal=principal, appeal_id=appeal_id)
    cycle = cycles.get_cycle_or_raise(session=session, cycle_id=appeal.cycle_id)
    rating = cycles.find_rating(session=session, cycle=cycle, credit_code=appeal.credit_code)
    data = service.appeal_out(session, appeal)
    lang = request_lang(request, page=True)
    m = cycles.methodology_of(cycle)
    # The contested records as facts (as they stood when filed: a voided record is still shown, from the snapshot)
    contested = standing.records_by_key(session=session, cycle=cycle, credit_code=appeal.credit_code,
                                     keys=[(i["kind"], i["record_id"]) for i in data["items"]])
    for item in data["items"]:
        kind = KINDS.get(item["kind"])
        item["kind_label"] = kind.label(lang) if kind else item["kind"]
        item["fields"] = list(decisions.AMENDABLE.get(item["kind"], {}))
        fact = contested.get((item["kind"], item["record_id"]))
        item["line"] = facts.fact_line(fact, m, lang) if fact else f"{item['kind_label']} {item['record_id']}"
        item["url"] = f"/cycles/{cycle.id}/{fact.url_path}" if fact else None
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
    rows, _rating = _company_rows(session, cycle, credit_code, lang)
    rows.sort(key=lambda r: (r["kind"], r["month"], r["record_id"]))
    return render(request, "counted_records.html", {"cycle": cycle, "rating": rating, "rows": rows}, catalogue=TEXT)


@router.get("/cycles/{cycle_id}/records/{kind}/{record_id}", response_class=HTMLResponse)
def record_page(request: Request, cycle_id: DbId, kind: Annotated[str, Path(max_length=32)],
                record_id: Annotated[str, Path(max_length=64)], principal: CurrentUser,
                session: SessionDep) -> Response:
    """One counted record, whole: its fields as imported (in words), its attribution, its effect on the score.
    A company sees only a record counted for itself in the cycle (anything else is 404); an officer any."""
    cycle = visible_cycle(session, principal, cycle_id)
    fact = standing.find_record(session=session, cycle=cycle, kind=kind, record_id=record_id) \
        if kind in facts.EVENT_KINDS else None
    if fact is None or (not principal.is_officer and fact.credit_code != principal.credit_code):
        raise NotFound("record_not_found", kind=KINDS[kind].zh if kind in KINDS else kind[:32],
                       record_id=record_id[:64])
    lang = request_lang(request, page=True)
    m = cycles.methodology_of(cycle)
    rating = cycles.find_rating(session=session, cycle=cycle, credit_code=fact.credit_code)
    name = rating.name if rating and rating.name else fact.credit_code
    return render(request, "record.html", {
        "cycle": cycle, "fact": fact, "company_name": name, "kind_label": KINDS[kind].label(lang),
        "line": facts.fact_line(fact, m, lang), "fields": facts.record_fields(fact, m, lang),
        "attribution": facts.attribution_text(fact, name, m, lang), "effect": facts.effect_text(fact, m, lang),
        "can_contest": not principal.is_officer and service.closed_reason(
            session=session, cycle=cycle, credit_code=fact.credit_code) is None,
    }, catalogue=TEXT)
