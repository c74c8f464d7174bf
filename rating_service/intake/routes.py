"""The intake JSON API: pushes from other systems (`POST /api/v1/intake/tickets`, per-system keys) and the
administrators' management of those keys (docs/intake.md, "Intake API").

The push is opened by an intake key alone (``Authorization: Bearer zyik_…``), found by the edge middleware before
the body is read (rating_service/web/edge.py); an account's token is no key, and a key is no account anywhere
else. A malformed batch is answered 422 naming each ticket's index and field in the caller's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from rating_service.errors import PayloadInvalid, Unauthorized
from rating_service.i18n import Lang, translate
from rating_service.intake import formats, systems
from rating_service.intake.models import IntakeSystem
from rating_service.intake.schemas import (
    PushOut,
    PushSummaryOut,
    SystemIn,
    SystemIssuedOut,
    SystemOut,
    TicketBatchIn,
    TicketPushIn,
    TicketResultOut,
)
from rating_service.intake.service import ItemIn
from rating_service.settings import get_settings, to_local
from rating_service.web.deps import AdminUser, DbId, SessionDep, WriteSessionDep
from rating_service.web.edge import INTAKE_SYSTEM_KEY
from rating_service.web.errors import API_ERRORS


class TicketsInvalid(PayloadInvalid):
    """A pushed batch that does not validate: one detail per problem, naming the ticket's index and its field."""

    def __init__(self, problems: list[dict[str, Any]]) -> None:
        super().__init__("intake_push_invalid", count=len(problems))
        self.problems = problems

    def details(self, lang: Lang = "zh") -> list[dict[str, Any]]:
        out = []
        for p in self.problems:
            reason = translate(_reason_key(p["code"]), lang, **p["params"])
            field = p["field"]
            label = translate(f"intake_api_field.{field}", lang) if field and _has(f"intake_api_field.{field}") \
                else (field or "")
            if p["index"] is not None:
                text = translate("intake_push_item_problem", lang, index=p["index"], field=label, reason=reason)
            else:
                text = translate("intake_push_problem", lang, field=label or "-", reason=reason)
            out.append({"index": p["index"], "field": field, "reason": text, "code": p["code"]})
        return out


def _has(key: str) -> bool:
    from rating_service.i18n import MESSAGES

    return key in MESSAGES


def _reason_key(code: str) -> str:
    key = f"intake_push_reason.{code}"
    return key if _has(key) else "intake_push_reason.other"


def _problems(exc: RequestValidationError) -> list[dict[str, Any]]:
    problems = []
    for error in exc.errors():
        loc = [p for p in error.get("loc", ()) if p != "body"]
        index = None
        if len(loc) >= 2 and loc[0] == "tickets" and isinstance(loc[1], int):
            index, loc = loc[1], loc[2:]
        elif loc[:1] == ["tickets"]:
            loc = loc[:1]
        # A union's branches appear in the location (bool, literal[...]): the field is the first name.
        field = next((str(p) for p in loc if isinstance(p, str) and p.isidentifier()), None)
        ctx = error.get("ctx") or {}
        params = {k: v for k, v in ctx.items() if k in ("max_length", "min_length") and isinstance(v, int)}
        problems.append({"index": index, "field": field, "code": str(error.get("type", "other")),
                         "params": {"max_length": params.get("max_length", ""),
                                    "min_length": params.get("min_length", "")}})
    # one line per (ticket, field): a union's failed branches say the same thing several times
    unique: dict[tuple[Any, Any], dict[str, Any]] = {}
    for p in problems:
        unique.setdefault((p["index"], p["field"]), p)
    return list(unique.values())


class IntakeRoute(APIRoute):
    """Answers a malformed body with the intake's own words (index and field of each problem)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                raise TicketsInvalid(_problems(exc)) from None

        return route_handler


router = APIRouter(prefix="/api/v1", tags=["intake / 工单接收"], responses=API_ERRORS,
                   default_response_class=JSONResponse, route_class=IntakeRoute)


def intake_caller(request: Request) -> systems.SystemCaller:
    """The system whose intake key the edge middleware found for this push (nothing else opens it)."""
    caller = getattr(request.state, INTAKE_SYSTEM_KEY, None)
    if not isinstance(caller, systems.SystemCaller):
        raise Unauthorized("intake_key_required")
    return caller


IntakeCaller = Annotated[systems.SystemCaller, Depends(intake_caller)]


def _local_date(value: dt.datetime) -> dt.date:
    return to_local(value).date() if value.tzinfo is not None else value.date()


def _code(field: str, value: str | None) -> str | None:
    """A worded value as the raw export's column stores it (the format's code), so that a ticket pushed and the
    same ticket in an export have the same content."""
    if value is None:
        return None
    choices = next(f.choices for f in formats.HOTLINE.fields if f.name == field)
    return choices.get(value.casefold(), value)


def _substantiated(value: bool | str | None) -> bool | None:
    return value if value is None or isinstance(value, bool) else value == "是"


def item_in(ticket: TicketPushIn) -> ItemIn:
    """A pushed ticket as the intake's ingest takes it: the other columns in ``fields``, as an export's would be."""
    fields: dict[str, Any] = {
        "request_type": _code("request_type", ticket.request_type),
        "handling_unit": ticket.handling_unit,
        "due_on": ticket.due_on.isoformat() if ticket.due_on else None,
        "resolved_on": _local_date(ticket.resolved_at).isoformat() if ticket.resolved_at else None,
        "substantiated": _substantiated(ticket.substantiated),
        "satisfaction": _code("satisfaction", ticket.satisfaction),
    }
    return ItemIn(external_no=ticket.ticket_no, received_on=_local_date(ticket.received_at),
                  place_text=ticket.address, text=ticket.content, fields=fields,
                  idempotency_key=ticket.idempotency_key)


@router.post("/intake/tickets", response_model=PushOut,
             summary="Push a batch of 12345 tickets (intake key) / 推送12345工单（接收系统密钥）")
def push_tickets(body: TicketBatchIn, caller: IntakeCaller, session: WriteSessionDep) -> PushOut:
    """Authenticated by a system's intake key, ``Authorization: Bearer zyik_…`` (an account's token is refused).
    Each ticket carries the sender's ``idempotency_key``: a retried push changes nothing and answers
    ``unchanged``; the same key with different content is refused (409) and nothing of the batch is stored.
    Phone and ID numbers in the text are removed before anything is stored. The tickets wait in the review queue."""
    limit = get_settings().intake_batch_max
    if len(body.tickets) > limit:
        raise TicketsInvalid([{"index": None, "field": "tickets", "code": "too_long",
                               "params": {"max_length": limit, "min_length": ""}}])
    result = systems.push(session, caller=caller, items=[item_in(t) for t in body.tickets])
    s = result.summary
    return PushOut(system=caller.name,
                   items=[TicketResultOut(idempotency_key=i.idempotency_key, status=i.status, item_id=i.item_id)
                          for i in result.items],
                   summary=PushSummaryOut(received=len(body.tickets), inserted=s.inserted, unchanged=s.unchanged,
                                          proposed=s.proposed, review=s.review, redactions=s.redactions))


def system_out(system: IntakeSystem) -> SystemOut:
    return SystemOut(id=system.id, name=system.name, key_prefix=system.key_prefix, created_by=system.created_by,
                     created_at=system.created_at, last_used_at=system.last_used_at, revoked_by=system.revoked_by,
                     revoked_at=system.revoked_at, active=system.revoked_at is None)


@router.get("/intake/systems", response_model=list[SystemOut],
            summary="Systems that may push tickets, and their keys / 接收系统及其密钥")
def list_systems(principal: AdminUser, session: SessionDep) -> list[SystemOut]:
    return [system_out(s) for s in systems.systems(session)]


@router.post("/intake/systems", response_model=SystemIssuedOut, status_code=201,
             summary="Issue an intake key for a system (shown once) / 为接收系统签发密钥（仅显示一次）")
def issue_system(body: SystemIn, principal: AdminUser, session: WriteSessionDep) -> SystemIssuedOut:
    """The answer carries the key this once; only its SHA-256 is kept. A system whose key was revoked gets a new
    one; a system with a live key must be revoked first (409)."""
    system, raw = systems.issue(session, name=body.name, actor=principal.username)
    return SystemIssuedOut(**system_out(system).model_dump(), key=raw)


@router.post("/intake/systems/{system_id}/revoke", response_model=SystemOut,
             summary="Revoke a system's intake key / 吊销接收系统密钥")
def revoke_system(system_id: DbId, principal: AdminUser, session: WriteSessionDep) -> SystemOut:
    system = systems.revoke(session, system=systems.get(session, system_id), actor=principal.username)
    return system_out(system)
