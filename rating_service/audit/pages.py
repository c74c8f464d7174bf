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
from rating_service.web.deps import AdminUser, SessionDep
from rating_service.web.ui import render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50

TEXT = {
    "audit_title": {"zh": "审计日志", "en": "Audit log"},
    "audit_hint": {
        "zh": "每一次导入、状态变更、决定和账户操作都记录在此，按哈希链接，不可修改。时间为北京时间。",
        "en": "Every import, state change, decision and account action is recorded here, hash-chained and "
              "append-only. Times are Beijing time.",
    },
    "actor": {"zh": "操作人", "en": "Actor"},
    "action": {"zh": "操作", "en": "Action"},
    "any_action": {"zh": "全部", "en": "any"},
    "entity_kind": {"zh": "对象类型", "en": "Entity kind"},
    "entity_id": {"zh": "对象编号", "en": "Entity id"},
    "since": {"zh": "开始日期", "en": "From"},
    "until": {"zh": "结束日期", "en": "To"},
    "filter": {"zh": "筛选", "en": "Filter"},
    "reset": {"zh": "清除条件", "en": "Clear"},
    "seq": {"zh": "序号", "en": "Seq"},
    "at": {"zh": "时间", "en": "Time"},
    "entity": {"zh": "对象", "en": "Entity"},
    "reason": {"zh": "事由", "en": "Reason"},
    "payload": {"zh": "内容", "en": "Payload"},
    "show": {"zh": "查看", "en": "show"},
    "total": {"zh": "共 {total} 条，第 {page}/{pages} 页", "en": "{total} entries, page {page} of {pages}"},
    "none": {"zh": "没有符合条件的记录。", "en": "No entries match."},
    "prev": {"zh": "‹ 上一页（较新）", "en": "‹ Newer"},
    "next": {"zh": "下一页（较早）›", "en": "Older ›"},
}


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
