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
from rating_service.records.formats import KINDS
from rating_service.web.deps import CurrentUser, DbId, FormDataDep, OfficerUser, SessionDep, WriteSessionDep
from rating_service.web.ui import redirect, render, request_lang

router = APIRouter(include_in_schema=False)

TEXT = {
    "appeals_title": {"zh": "异议申诉", "en": "Appeals"},
    "new_appeal": {"zh": "提出异议申诉", "en": "File an appeal"},
    "appeal_deadline_note": {"zh": "异议申诉期截至 {date}（含当日）。", "en": "Appeals close on {date} (inclusive)."},
    "scope": {"zh": "异议类型", "en": "What is contested"},
    "scope_records": {"zh": "对扣分记录有异议", "en": "Records that cost points"},
    "scope_calculation": {"zh": "对计算方法有异议", "en": "The calculation"},
    "contested": {"zh": "有异议的记录（可多选）", "en": "Contested records (choose any)"},
    "grounds": {"zh": "异议理由", "en": "Grounds"},
    "attachments": {"zh": "证明材料（PDF、JPG、PNG，每个不超过 {mb} MB，最多 {n} 个）",
                    "en": "Evidence (PDF, JPG, PNG; up to {mb} MB each, at most {n})"},
    "evidence": {"zh": "证明材料", "en": "Evidence"},
    "submit_appeal": {"zh": "提交异议", "en": "Submit the appeal"},
    "confirm_appeal": {"zh": "确认提交异议？提交后在处理完毕前不能再次提出。",
                       "en": "Submit the appeal? No other appeal can be filed until it is decided."},
    "appeal_no": {"zh": "异议 {id}", "en": "Appeal {id}"},
    **{f"status_{status.value}": status.localized() for status in AppealStatus},
    "filed_on": {"zh": "提出日期", "en": "Filed"},
    "due_on": {"zh": "处理期限", "en": "Decision due"},
    "overdue": {"zh": "已逾期", "en": "Overdue"},
    "company": {"zh": "企业", "en": "Company"},
    "before": {"zh": "复核前", "en": "Before"},
    "after": {"zh": "复核后", "en": "After"},
    "outcome": {"zh": "处理结果", "en": "Outcome"},
    **{f"outcome_{outcome.value}": outcome.localized() for outcome in AppealOutcome},
    "reasons": {"zh": "处理理由", "en": "Reasons"},
    "record": {"zh": "记录", "en": "Record"},
    "record_date": {"zh": "日期", "en": "Date"},
    "counted_title": {"zh": "本期计分的全部记录", "en": "Every record counted in this cycle"},
    "counted_intro": {"zh": "共 {n} 条。“归属”说明该记录为何计入本企业：记录中载明企业，"
                            "或按当日有效的物业服务合同归属。",
                      "en": "{n} records. Attribution says why a record counts for this company: it names the "
                            "company, or the service contract in force for its community that day."},
    "community": {"zh": "小区", "en": "Community"},
    "points": {"zh": "扣分", "en": "Points"},
    "attribution": {"zh": "归属", "en": "Attribution"},
    "attr_named": {"zh": "记录中载明本企业", "en": "Names the company"},
    "attr_contract": {"zh": "按物业服务合同（{community}，{start} 起{end}）",
                      "en": "By service contract ({community}, from {start}{end})"},
    "contract_open": {"zh": "", "en": ""},
    "contract_to": {"zh": "至 {end}", "en": " to {end}"},
    "all_records": {"zh": "查看全部计分记录", "en": "All counted records"},
    "action": {"zh": "处理", "en": "Action"},
    **{f"action_{action.value}": action.localized() for action in ItemAction},
    "amend_field": {"zh": "更正字段", "en": "Field"},
    "amend_value": {"zh": "更正为", "en": "New value"},
    "finding": {"zh": "认定", "en": "Finding"},
    "decide": {"zh": "作出处理决定", "en": "Decide"},
    "confirm_decide": {"zh": "确认作出处理决定？将按冻结的常数重新计算该企业的评价结果。",
                       "en": "Decide? The company is re-scored with the cycle's frozen constants."},
    "documents": {"zh": "文书", "en": "Documents"},
    "decision_pdf": {"zh": "异议处理决定书 PDF", "en": "Decision (PDF)"},
    "revised_pdf": {"zh": "更正后的告知书 PDF", "en": "Revised notice (PDF)"},
    "no_appeals": {"zh": "暂无异议。", "en": "No appeals."},
    "stats": {"zh": "异议统计", "en": "Statistics"},
    "stats_line": {"zh": "共 {filed} 件：待处理 {pending}，异议成立 {upheld}，部分成立 {partly_upheld}，"
                         "驳回 {rejected}；处理用时中位数 {median} 天。",
                   "en": "{filed} filed: {pending} pending, {upheld} upheld, {partly_upheld} partly upheld, "
                         "{rejected} rejected; median {median} days to decision."},
    "grounds_placeholder": {"zh": "请写明事实和理由", "en": "Facts and reasons"},
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
