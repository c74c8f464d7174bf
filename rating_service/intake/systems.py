"""The systems that push tickets through the intake API, and their keys (service level; never commits).

An administrator issues a key for a named system (the 12345 platform's interface, a district's patrol app). The
raw key is ``zyik_`` followed by 32 random bytes (``secrets.token_urlsafe``) and is handed out once; only its
SHA-256 is stored (as for accounts' tokens), with its first characters (``key_prefix``) to tell keys apart on the
list. A key is found by its hash (an indexed unique column, then ``hmac.compare_digest``), so lookups do not leak
how much of a guess was right. A key authenticates the intake push only: it is no account and no login anywhere
else (``rating_service/web/edge.py`` resolves it on the push path alone; elsewhere it is an unknown bearer token).

Issuing a key for a system whose key was revoked gives that system a new key (its pushed tickets and their
idempotency keys stay its own); a system with a live key must be revoked first. Issue and revoke are audited
(``intake.system_issue``, ``intake.system_revoke``).
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy.orm import Session

from rating_service.accounts.service import hash_token
from rating_service.audit import service as audit
from rating_service.errors import Conflict, ImportRejected, NotFound, RatingServiceError
from rating_service.intake import repository, service
from rating_service.intake.models import IntakeSystem, ItemKind

KEY_PREFIX = "zyik_"
PREFIX_SHOWN = 12  # characters of the key kept in clear to tell keys apart: "zyik_" and 7 more
MAX_KEY_LENGTH = 200  # anything longer is no key of ours and is not even hashed
NAME_MAX = 100
_NAME = re.compile(r"^[^\x00-\x1f\x7f]{1,100}$")
ENTITY = "intake_system"


@dataclass(frozen=True)
class SystemCaller:
    """The system a push came from, as the edge middleware found it by its key."""

    id: int
    name: str


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def looks_like_key(raw: str | None) -> bool:
    return raw is not None and raw.startswith(KEY_PREFIX) and len(raw) <= MAX_KEY_LENGTH


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def systems(session: Session) -> list[IntakeSystem]:
    """Every system, live ones first, then by name."""
    return sorted(repository.systems(session), key=lambda s: s.revoked_at is not None)


def get(session: Session, system_id: int) -> IntakeSystem:
    found = repository.system(session, system_id)
    if found is None:
        raise NotFound("intake_system_not_found", name=str(system_id))
    return found


def by_name(session: Session, name: str) -> IntakeSystem:
    found = repository.system_by_name(session, name.strip())
    if found is None:
        raise NotFound("intake_system_not_found", name=name.strip())
    return found


def issue(session: Session, *, name: str, actor: str) -> tuple[IntakeSystem, str]:
    """A new key for the named system (created if new): the system and the raw key, to be shown this once."""
    name = (name or "").strip()
    if not _NAME.match(name):
        raise RatingServiceError("intake_system_name_invalid", maximum=NAME_MAX)
    raw = new_key()
    now = _now()
    system = repository.system_by_name(session, name)
    renewed = system is not None
    if system is None:
        system = IntakeSystem(name=name, key_hash=hash_token(raw), key_prefix=raw[:PREFIX_SHOWN], created_by=actor,
                              created_at=now)
        session.add(system)
    elif system.revoked_at is None:
        raise Conflict("intake_system_exists", name=name)
    else:
        system.key_hash, system.key_prefix = hash_token(raw), raw[:PREFIX_SHOWN]
        system.created_by, system.created_at = actor, now
        system.revoked_by = system.revoked_at = system.last_used_at = None
    session.flush()
    audit.record(session, "intake.system_issue", actor=actor, entity_kind=ENTITY, entity_id=name,
                 payload={"key_prefix": system.key_prefix, "renewed": renewed})
    return system, raw


def revoke(session: Session, *, system: IntakeSystem, actor: str) -> IntakeSystem:
    """Ends the system's key at once; its pushed tickets stay."""
    if system.revoked_at is not None:
        raise Conflict("intake_system_revoked_already", name=system.name)
    system.revoked_at, system.revoked_by = _now(), actor
    session.flush()
    audit.record(session, "intake.system_revoke", actor=actor, entity_kind=ENTITY, entity_id=system.name,
                 payload={"key_prefix": system.key_prefix})
    return system


def caller_for_key(session: Session, raw: str | None) -> SystemCaller | None:
    """The live system whose key this is; None for anything else (revoked, unknown, not a key at all)."""
    if not looks_like_key(raw):
        return None
    digest = hash_token(raw or "")
    found = repository.system_by_key_hash(session, digest)
    if found is None or not hmac.compare_digest(found.key_hash.encode(), digest.encode()):
        return None
    if found.revoked_at is not None:
        return None
    return SystemCaller(found.id, found.name)


def touch(session: Session, system_id: int) -> None:
    """Notes that the system's key was just used."""
    found = repository.system(session, system_id)
    if found is not None:
        found.last_used_at = _now()
        session.flush()


@dataclass(frozen=True)
class PushedItem:
    idempotency_key: str
    status: Literal["inserted", "unchanged"]
    item_id: int


@dataclass(frozen=True)
class PushResult:
    items: list[PushedItem]
    summary: Any  # service.IngestSummary


def push(session: Session, *, caller: SystemCaller, items: Sequence[Any]) -> PushResult:
    """Stores a system's batch of tickets (``service.ItemIn`` with their idempotency keys) through the intake's
    ingest (redact, match, triage, store): per ticket whether it is new or was already there, and the summary.

    A key sent twice in the batch with different content, or again later with different content, is refused
    (409 naming the key) and nothing of the batch is stored.
    """
    seen: dict[str, Any] = {}
    unique = []
    for item in items:
        key = item.idempotency_key
        if key in seen:
            if _content(seen[key]) != _content(item):
                raise Conflict("intake_key_conflict", key=key)
            continue
        seen[key] = item
        unique.append(item)
    before = _items_by_key(session, caller.id, list(seen))
    try:
        summary = service.ingest(session, kind="hotline", items=unique, actor=f"system:{caller.name}",
                                 system_id=caller.id)
    except ImportRejected as exc:
        raise _rejection(exc, unique) from None
    after = _items_by_key(session, caller.id, list(seen))
    results = []
    for key, item in seen.items():
        item_id = after.get(key)
        if item_id is None:  # the same ticket came before by file or from another system: it is that one
            item_id = _item_by_number(session, item.external_no)
        if item_id is None:
            raise Conflict("intake_key_conflict", key=key)
        results.append(PushedItem(key, "unchanged" if key in before else "inserted", item_id))
    touch(session, caller.id)
    return PushResult(results, summary)


_KEY_CONFLICTS = ("intake_key_repeated", "intake_key_stored_differs")
_NUMBER_CONFLICTS = ("intake_number_repeated", "intake_number_stored_differs")


def _rejection(exc: ImportRejected, items: Sequence[Any]) -> RatingServiceError:
    """The ingest's refusal in the API's terms: a key (or ticket number) stored with other content is a conflict
    naming it (409); anything else stays the ingest's rejection, naming the ticket (row = index + 1)."""
    for error in exc.errors:
        index = (error.row or 0) - 1
        if error.key in _KEY_CONFLICTS and 0 <= index < len(items):
            return Conflict("intake_key_conflict", key=items[index].idempotency_key)
    for error in exc.errors:
        index = (error.row or 0) - 1
        if error.key in _NUMBER_CONFLICTS and 0 <= index < len(items):
            return Conflict("intake_number_conflict", number=items[index].external_no,
                            key=items[index].idempotency_key)
    return exc


def _content(item: Any) -> tuple[Any, ...]:
    return (item.external_no, item.received_on, item.place_text, item.text,
            sorted((k, str(v)) for k, v in (item.fields or {}).items()))


def _items_by_key(session: Session, system_id: int, keys: list[str]) -> dict[str, int]:
    return {key: item_id for key, (item_id, _sha) in repository.stored_by_key(session, system_id, keys).items()}


def _item_by_number(session: Session, external_no: str) -> int | None:
    item = repository.item_by_number(session, ItemKind.HOTLINE.value, external_no)
    return None if item is None else item.id
