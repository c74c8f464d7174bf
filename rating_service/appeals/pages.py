"""Appeal pages: a company files against its preliminary rating; officers see the queue and decide."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from rating_service.appeals import decisions, repository, service
from rating_service.appeals.models import AppealOutcome, AppealStatus, ItemAction
from rating_service.appeals.uploads import inline_attachment, read_attachments
from rating_service.cycles import facts, standing, wording
from rating_service.cycles import service as cycles
from rating_service.cycles.service import visible_cycle, visible_rating
from rating_service.errors import Conflict, Forbidden, NotFound, RatingServiceError
from rating_service.i18n import Lang
from rating_service.i18n.appeals import PAGE_TEXT
from rating_service.i18n.records import PAGE_TEXT as RECORD_TEXT
from rating_service.intake import service as intake
from rating_service.records.formats import KINDS
from rating_service.web.deps import (
    CurrentUser,
    DatabaseDep,
    DbId,
    FormDataDep,
    OfficerUser,
    SessionDep,
    WriteSessionDep,
)
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


# -- one appeal: what was contested, the evidence, and the officer's decision (preview, then confirm) ---------------

def _current_raw(value: Any) -> str:
    """A record's value as its form field holds it: dates YYYY-MM-DD, yes/no as true/false, amounts plain."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def _amend_fields(fact: facts.RecordFact | None, kind: str, m: Any, lang: Lang,
                  submitted: dict[str, str]) -> list[dict[str, Any]]:
    """The fields a decision may change, typed for the form: label, input type, allowed values in words, the
    current value (in words) and the value the form holds (what was typed, else the current one)."""
    out = []
    for name, type_ in decisions.AMENDABLE.get(kind, {}).items():
        current = fact.fields.get(name) if fact else None
        options: list[tuple[str, str]] = []
        if type_ == "enum":
            options = [(code, facts.value_text(kind, name, code, m, lang))
                       for code in decisions.allowed_codes(kind, name)]
        elif type_ == "bool":
            options = [("true", facts.value_text(kind, name, True, m, lang)),
                       ("false", facts.value_text(kind, name, False, m, lang))]
        out.append({"name": name, "label": KINDS[kind].column(name).label(lang), "type": type_, "options": options,
                    "current": _current_raw(current),
                    "current_text": facts.value_text(kind, name, current, m, lang) if current not in (None, "") else "",
                    "value": submitted.get(name, _current_raw(current)),
                    "min": fact.date.isoformat() if fact and fact.date and type_ == "date" else ""})
    return out


def _form_state(form: Any, rows: list[Any]) -> dict[str, Any]:
    """What the decision form holds: per contested record its action, amended fields and finding; the outcome
    and the reasons (strings as sent, bounded)."""
    items = {}
    for row in rows:
        key = f"{row.kind}:{row.record_id}"
        amend = {}
        for name in decisions.AMENDABLE.get(row.kind, {}):
            raw = form.get(f"amend:{key}:{name}")
            if raw is not None:
                amend[name] = str(raw)[:64]
        items[key] = {"action": str(form.get(f"action:{key}") or "")[:16], "amend": amend,
                      "finding": str(form.get(f"finding:{key}") or "")[:2000]}
    return {"items": items, "outcome": str(form.get("outcome") or "")[:16],
            "reasons": str(form.get("reasons") or "")[:5000]}


def _decision_of(state: dict[str, Any], rows: list[Any], current: dict[tuple[str, str], Any]) -> decisions.Decision:
    """The decision the form states. An amended field counts only where it differs from the record's value (the
    form shows every field filled with it); a value that cannot be read is passed on, for the decision to refuse
    naming the record and the field."""
    items = []
    for row in rows:
        key = f"{row.kind}:{row.record_id}"
        chosen = state["items"][key]
        changes: dict[str, Any] = {}
        if chosen["action"] == "amend":
            fact = current.get((row.kind, row.record_id))
            for name, raw in chosen["amend"].items():
                now = fact.fields.get(name) if fact else None
                try:
                    if decisions.amend_value(row.kind, name, raw, row.record_id) == now:
                        continue
                except decisions.DecisionInvalid:
                    pass
                changes[name] = raw
        items.append(decisions.ItemDecision(row.kind, row.record_id, chosen["action"], changes, chosen["finding"]))
    return decisions.Decision(outcome=state["outcome"], reasons=state["reasons"], items=items)


def _hidden_fields(state: dict[str, Any]) -> list[tuple[str, str]]:
    """The previewed choices as hidden fields of the confirming form (the decision confirmed is the one shown)."""
    out = []
    for key, chosen in state["items"].items():
        out.append((f"action:{key}", chosen["action"]))
        if chosen["action"] == "amend":
            out += [(f"amend:{key}:{name}", value) for name, value in chosen["amend"].items()]
        if chosen["finding"]:
            out.append((f"finding:{key}", chosen["finding"]))
    return [*out, ("outcome", state["outcome"]), ("reasons", state["reasons"])]


def _changed_reasons(before: dict[str, Any], after: dict[str, Any], m: Any, lang: Lang) -> list[str]:
    """What the decision changes in the rating, in the methodology's words: each indicator's points, each reason's
    points lost (or a reason gone or new), each flag or list gained or lost."""
    t = {key: words[lang] for key, words in PAGE_TEXT.items() if key.startswith("preview_")}
    out = []
    was = {row["code"]: row for row in wording.indicator_rows(before, lang, m)}
    for row in wording.indicator_rows(after, lang, m):
        old = was.get(row["code"])
        if old and old["earned"] != row["earned"]:
            out.append(t["preview_indicator"].format(label=row["label"], a=old["earned"], b=row["earned"]))
    old_reasons = {r["code"]: r for r in wording.reasons(before, lang, m)}
    new_reasons = {r["code"]: r for r in wording.reasons(after, lang, m)}
    for code, old in old_reasons.items():
        new = new_reasons.get(code)
        if new is None:
            out.append(t["preview_reason_gone"].format(label=old["label"]))
        elif old["lost"] != new["lost"] and old["lost"] is not None and new["lost"] is not None:
            out.append(t["preview_reason_lost"].format(label=old["label"], a=old["lost"], b=new["lost"]))
    for code, new in new_reasons.items():
        if code not in old_reasons:
            out.append(t["preview_reason_new"].format(label=new["label"]))
    old_flags, new_flags = wording.flags(before, lang, m), wording.flags(after, lang, m)
    out += [t["preview_flag_gone"].format(label=flag) for flag in old_flags if flag not in new_flags]
    out += [t["preview_flag_new"].format(label=flag) for flag in new_flags if flag not in old_flags]
    return out


def _preview_context(preview: decisions.Preview, m: Any, lang: Lang, state: dict[str, Any],
                     items: list[dict[str, Any]]) -> dict[str, Any]:
    by_key = {f"{i['kind']}:{i['record_id']}": i for i in items}
    actions = []
    for item in preview.items:
        shown = by_key.get(f"{item.kind}:{item.record_id}", {})
        labels = {f["name"]: f for f in shown.get("amend", [])}
        changes = []
        for name, value in item.changes.items():
            field = labels.get(name, {"label": name, "current_text": ""})
            changes.append({"label": field["label"], "before": field["current_text"],
                            "after": facts.value_text(item.kind, name, value, m, lang)})
        actions.append({"record": f"{shown.get('kind_label', item.kind)} {item.record_id}",
                        "action": ItemAction(item.action).label(lang), "changes": changes})
    return {"score_before": f"{preview.score_before:.1f}", "grade_before": preview.grade_before,
            "score_after": f"{preview.score_after:.1f}", "grade_after": preview.grade_after,
            "changed": preview.changed, "lines": _changed_reasons(preview.before, preview.after, m, lang),
            "actions": actions, "outcome": AppealOutcome(state["outcome"]).label(lang),
            "hidden": _hidden_fields(state)}


def _error_context(refused: RatingServiceError, lang: Lang) -> dict[str, str]:
    """Where a refusal is said on the form: next to its record (and field), the outcome, the reasons, or on top."""
    params = refused.params
    where = "form"
    if isinstance(params.get("record"), dict) and "row" not in params and "field" in params:
        where = "field"
    elif isinstance(params.get("record"), dict):
        where = "record"
    elif refused.key in ("decision_outcome_missing", "decision_outcome_unknown", "decision_rejected_changes"):
        where = "outcome"
    elif refused.key == "decision_reasons_required":
        where = "reasons"
    return {"where": where, "message": refused.message(lang),
            "record": str((params.get("record") or {}).get("zh", "")) if isinstance(params.get("record"), dict)
            else "",
            "field": str((params.get("field") or {}).get("zh", "")) if isinstance(params.get("field"), dict) else ""}


def _appeal_page(request: Request, session: Any, principal: Any, appeal_id: int, *,
                 state: dict[str, Any] | None = None, preview: decisions.Preview | None = None,
                 error: RatingServiceError | None = None, status_code: int = 200) -> Response:
    appeal = service.visible_appeal(session=session, principal=principal, appeal_id=appeal_id)
    cycle = cycles.get_cycle_or_raise(session=session, cycle_id=appeal.cycle_id)
    rating = cycles.find_rating(session=session, cycle=cycle, credit_code=appeal.credit_code)
    company_name = rating.name if rating and rating.name else appeal.credit_code
    data = service.appeal_out(session, appeal)
    lang = request_lang(request, page=True)
    m = cycles.methodology_of(cycle)
    # The contested records as facts (as they stood when filed: a voided record is still shown, from the snapshot)
    contested = standing.records_by_key(session=session, cycle=cycle, credit_code=appeal.credit_code,
                                     keys=[(i["kind"], i["record_id"]) for i in data["items"]])
    chosen_items = (state or {}).get("items", {})
    for item in data["items"]:
        kind = KINDS.get(item["kind"])
        key = f"{item['kind']}:{item['record_id']}"
        chosen = chosen_items.get(key, {"action": "", "amend": {}, "finding": ""})
        item["key"] = key
        item["kind_label"] = kind.label(lang) if kind else item["kind"]
        fact = contested.get((item["kind"], item["record_id"]))
        item["line"] = facts.fact_line(fact, m, lang) if fact else f"{item['kind_label']} {item['record_id']}"
        item["url"] = f"/cycles/{cycle.id}/{fact.url_path}" if fact else None
        item["fields"] = facts.record_fields(fact, m, lang) if fact else []
        item["attribution"] = facts.attribution_text(fact, company_name, m, lang) if fact else ""
        item["points"] = facts.points_text(fact.points) if fact else ""
        item["effect"] = facts.effect_text(fact, m, lang) if fact else []
        item["amend"] = _amend_fields(fact, item["kind"], m, lang, chosen["amend"])
        item["chosen"] = chosen
        item["amendment_words"] = _amendment_words(item["kind"], item["record_id"], item["amendment"] or {}, m, lang)
    for attachment in data["attachments"]:
        attachment["view_url"] = f"/appeals/{appeal.id}/attachments/{attachment['id']}"
        attachment["is_pdf"] = attachment["content_type"] == "application/pdf"
    shown_error = _error_context(error, lang) if error is not None else None
    return render(request, "appeal.html", {
        "appeal": data, "cycle": cycle, "company_name": company_name,
        "can_decide": principal.is_officer and appeal.status == "pending" and cycle.status == "publicized",
        "field_words": FIELD_WORDS, "state": state or {"items": {}, "outcome": "", "reasons": ""},
        "preview": _preview_context(preview, m, lang, state or {}, data["items"]) if preview else None,
        "error": shown_error, "outcomes": [(o.value, o.label(lang)) for o in AppealOutcome],
        "actions": [(a, ItemAction(a).label(lang)) for a in ("keep", "void", "amend")],
    }, catalogue=TEXT, status_code=status_code)


def _amendment_words(kind: str, record_id: str, amendment: dict[str, Any], m: Any, lang: Lang
                     ) -> list[tuple[str, str]]:
    """A decided amendment in words: (field label, new value in words; blank when cleared)."""
    out = []
    for name, value in amendment.items():
        try:
            label = KINDS[kind].column(name).label(lang)
            typed = decisions.amend_value(kind, name, value, record_id) if isinstance(value, str) and value else value
            text = facts.value_text(kind, name, typed, m, lang)
        except (KeyError, decisions.DecisionInvalid):
            label, text = name, str(value)
        out.append((label, text or PAGE_TEXT["value_blank"][lang]))
    return out


@router.get("/appeals/{appeal_id}", response_class=HTMLResponse)
def appeal_page(request: Request, appeal_id: DbId, principal: CurrentUser, session: SessionDep) -> Response:
    return _appeal_page(request, session, principal, appeal_id)


def _posted(session: Any, principal: Any, appeal_id: int, form: Any) -> tuple[dict[str, Any], decisions.Decision]:
    appeal = service.visible_appeal(session=session, principal=principal, appeal_id=appeal_id)
    cycle = cycles.get_cycle_or_raise(session=session, cycle_id=appeal.cycle_id)
    rows = repository.items(session, appeal.id)
    state = _form_state(form, rows)
    amending = [(r.kind, r.record_id) for r in rows if state["items"][f"{r.kind}:{r.record_id}"]["action"] == "amend"]
    current = facts.imported_records(session=session, cycle=cycle, credit_code=appeal.credit_code, keys=amending,
                                     points={}) if amending else {}
    return state, _decision_of(state, rows, current)


@router.post("/appeals/{appeal_id}/decision/preview", response_class=HTMLResponse)
def preview_page(request: Request, appeal_id: DbId, principal: OfficerUser, session: SessionDep,
                 form: FormDataDep) -> Response:
    """Step 1 of deciding: the re-scored result of the choices (nothing is written: a read-only session), the
    choices kept in the form, and a form that confirms exactly these choices."""
    state, decision = _posted(session, principal, appeal_id, form)
    try:
        preview = decisions.preview_decision(session=session, appeal_id=appeal_id, decision=decision)
    except (decisions.DecisionInvalid, Conflict) as refused:
        return _appeal_page(request, session, principal, appeal_id, state=state, error=refused,
                            status_code=refused.status_code)
    return _appeal_page(request, session, principal, appeal_id, state=state, preview=preview)


@router.post("/appeals/{appeal_id}/decision")
def decide_page(request: Request, appeal_id: DbId, principal: OfficerUser, session: WriteSessionDep,
                form: FormDataDep) -> Response:
    """Step 2: the decision confirmed as previewed (the preview's score and grade come along and must still be
    what the re-scoring gives). Without them this is a preview: nothing is decided unseen."""
    state, decision = _posted(session, principal, appeal_id, form)
    score, grade = str(form.get("expect_score") or ""), str(form.get("expect_grade") or "")[:8]
    try:
        if not score or not grade:
            preview = decisions.preview_decision(session=session, appeal_id=appeal_id, decision=decision)
            return _appeal_page(request, session, principal, appeal_id, state=state, preview=preview)
        try:
            expected = (float(score), grade)
        except ValueError:
            expected = (-1.0, grade)
        decisions.decide_appeal(session=session, appeal_id=appeal_id, actor=principal.username, decision=decision,
                                expected=expected)
    except (decisions.DecisionInvalid, Conflict) as refused:  # refused before anything is written
        return _appeal_page(request, session, principal, appeal_id, state=state, error=refused,
                            status_code=refused.status_code)
    return redirect(f"/appeals/{appeal_id}")


@router.get("/appeals/{appeal_id}/attachments/{attachment_id}")
def attachment_page(appeal_id: DbId, attachment_id: DbId, principal: CurrentUser, session: SessionDep,
                    database: DatabaseDep) -> Response:
    """An attachment to open in the page's viewer (PDF, image) with headers that keep it inert; only for those who
    may see the appeal (another company: 404). Every opening is audited, as a download is."""
    item, data = service.attachment_bytes(session=session, principal=principal, appeal_id=appeal_id,
                                          attachment_id=attachment_id)
    service.record_attachment_download(database=database, attachment=item, actor=principal.username)
    return inline_attachment(data, filename=item.filename, attachment_id=item.id)


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
        "source": intake.record_source(session, record_kind=kind, record_id=fact.record_id,
                                       officer=principal.is_officer, lang=lang),
    }, catalogue=TEXT)
