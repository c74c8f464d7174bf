"""Append to, anchor and verify the hash-chained, keyed audit log. Callers own the transaction.

Three layers, each catching what the one before cannot:
- the SHA-256 chain: an edited or missing entry (the chain stays publicly recomputable);
- an HMAC per entry and on the head under a key outside the database: an edit whose chain was recomputed;
- anchors (head seq and hash, MAC'd) appended to a file outside the database after each commit that appended:
  deleted tail entries and a head moved or rolled back.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import logging
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from rating_service.audit import anchors, keys, repository, wording
from rating_service.audit.models import AuditHead
from rating_service.errors import Conflict, Misconfigured
from rating_service.i18n import Lang, translate
from rating_service.settings import get_settings, to_local

log = logging.getLogger(__name__)

GENESIS = "0" * 64
SYSTEM_ACTOR = "system"
# session.info key: the head (seq, hash) this transaction moved the log to, anchored once the commit succeeds.
PENDING_ANCHOR = "audit_pending_anchor"


@dataclass(frozen=True)
class AuditDraft:
    action: str
    actor: str = SYSTEM_ACTOR
    entity_kind: str | None = None
    entity_id: str | None = None
    reason: str | None = None
    payload: dict[str, Any] | None = None


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int
    problem: str | None = None  # message key: audit_altered, audit_missing, audit_broken_link, ...
    seq: int | None = None
    params: dict[str, Any] | None = None
    anchors: int = 0  # anchor lines checked (MAC) and held against the log
    anchored_seq: int = 0  # the highest sequence number an anchor names


def canonical_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def _canonical_time(at: dt.datetime) -> str:
    if at.tzinfo is not None:
        at = at.astimezone(dt.UTC).replace(tzinfo=None)
    return at.strftime("%Y-%m-%dT%H:%M:%S.%f")


def entry_hash(*, seq: int, at: dt.datetime, actor: str, action: str, entity_kind: str | None,
               entity_id: str | None, reason: str | None, payload: str, prev_hash: str) -> str:
    body = canonical_json([seq, _canonical_time(at), actor, action, entity_kind, entity_id, reason, payload,
                           prev_hash])
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def append(session: Session, drafts: list[AuditDraft], *, at: dt.datetime | None = None) -> list[int]:
    """Append entries in order, chained to the current head and MAC'd; returns their sequence numbers.

    The new head is anchored outside the database once the caller's transaction commits.
    """
    if not drafts:
        return []
    at = at or dt.datetime.now(dt.UTC)
    key = keys.keyring().signing
    head = _lock_head(session, key)
    seq, prev = head.seq, head.hash
    rows: list[dict[str, Any]] = []
    for draft in drafts:
        seq += 1
        payload = canonical_json(draft.payload or {})
        digest = entry_hash(seq=seq, at=at, actor=draft.actor, action=draft.action,
                            entity_kind=draft.entity_kind, entity_id=draft.entity_id, reason=draft.reason,
                            payload=payload, prev_hash=prev)
        rows.append({
            "seq": seq, "at": at, "actor": draft.actor, "action": draft.action,
            "entity_kind": draft.entity_kind, "entity_id": draft.entity_id, "reason": draft.reason,
            "payload": payload, "prev_hash": prev, "hash": digest, "key_id": key.key_id,
            "mac": keys.entry_mac(key, digest),
        })
        prev = digest
    repository.insert_entries(session, rows)
    repository.move_head(session, seq=seq, digest=prev, key_id=key.key_id, mac=keys.head_mac(key, seq, prev))
    session.expire(head)
    session.info[PENDING_ANCHOR] = (seq, prev)
    return [int(r["seq"]) for r in rows]


def _lock_head(session: Session, key: keys.AuditKey) -> AuditHead:
    """The head row, locked; created at seq 0 with the genesis hash on first use."""
    head = repository.lock_head(session)
    if head is None:
        head = repository.create_head(session, seq=0, digest=GENESIS, key_id=key.key_id,
                                      mac=keys.head_mac(key, 0, GENESIS))
    return head


def lock_changes(session: Session) -> None:
    """Serialise change-sets and snapshot reads on the audit head (imports, deletions, cycle snapshots)."""
    _lock_head(session, keys.keyring().signing)


def audit_filter(actor: str | None, action: str | None, entity_kind: str | None, entity_id: str | None,
                 since: dt.date | None, until: dt.date | None) -> repository.AuditFilter:
    """A search's filter from what a user typed: empty fields match anything; ``until`` includes the whole day."""
    def start_of(day: dt.date | None) -> dt.datetime | None:
        return None if day is None else dt.datetime.combine(day, dt.time(), dt.UTC)

    return repository.AuditFilter(actor=actor or None, action=action or None, entity_kind=entity_kind or None,
                                  entity_id=entity_id or None, since=start_of(since),
                                  until=start_of(until + dt.timedelta(days=1)) if until else None)


def search(session: Session, *, filters: repository.AuditFilter, limit: int = 50,
           offset: int = 0) -> tuple[list[Any], int]:
    """Entries matching the filters, newest first, and how many match in all."""
    return repository.search(session, filters=filters, limit=limit, offset=offset)


@dataclass(frozen=True)
class ReadableEntry:
    """An entry as people read it (the sentence, the action's name, the details line by line) beside the entry's
    machine fields (``entry.action``, ``entry.entity_kind``, ``entry.entity_id``)."""

    entry: Any
    sentence: str
    action_label: str
    details: list[str]


def readable(session: Session, entries: list[Any], lang: Lang = "zh") -> list[ReadableEntry]:
    """The entries in words; every name they refer to looked up at once, one query per kind (a page's worth)."""
    ids = wording.wanted(entries)
    names = wording.Names(
        cycles=repository.cycle_names(session, ids["cycle"]),
        documents=repository.document_numbers(session, ids["document"]),
        batches=repository.batch_files(session, ids["import_batch"]),
        appeals=repository.appeal_companies(session, ids["appeal"]),
        companies=repository.company_names(session, ids["company"]),
        methodologies=repository.methodology_titles(session, ids["methodology"]),
        roles=repository.user_roles(session, ids["users"]),
    )
    return [ReadableEntry(entry=e, sentence=wording.sentence(e, names, lang),
                          action_label=wording.action_label(e.action, lang), details=wording.details(e, lang))
            for e in entries]


def count(session: Session, *, filters: repository.AuditFilter) -> int:
    return repository.count(session, filters=filters)


def readable_matching(session: Session, *, filters: repository.AuditFilter, limit: int, lang: Lang = "zh",
                      slice_size: int = 1000) -> Iterator[ReadableEntry]:
    """The entries matching the filters in words (at most `limit`), newest first, their names looked up a slice
    at a time."""
    entries = repository.matching(session, filters=filters, limit=limit)
    for start in range(0, len(entries), slice_size):
        yield from readable(session, entries[start:start + slice_size], lang)


EXPORT_FORMATS = {"csv": "text/csv; charset=utf-8",
                  "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
# The export's columns: (header key in i18n.audit's MESSAGES, value of a ReadableEntry); the last three are the
# machine columns (codes, for filtering and joining), headed in words too.
_EXPORT_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("audit_export_seq", lambda r: str(r.entry.seq)),
    ("audit_export_at", lambda r: to_local(r.entry.at).strftime("%Y-%m-%d %H:%M:%S")),
    ("audit_export_sentence", lambda r: r.sentence),
    ("audit_export_action", lambda r: r.action_label),
    ("audit_export_reason", lambda r: r.entry.reason or ""),
    ("audit_export_details", lambda r: "\n".join(r.details)),
    ("audit_export_actor_code", lambda r: r.entry.actor),
    ("audit_export_action_code", lambda r: r.entry.action),
    ("audit_export_kind_code", lambda r: r.entry.entity_kind or ""),
    ("audit_export_id_code", lambda r: r.entry.entity_id or ""),
)
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    """Text a spreadsheet would read as a formula gets a leading apostrophe (OWASP's advice)."""
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text


def export_bytes(fmt: str, rows: Iterator[ReadableEntry], lang: Lang = "zh") -> bytes:
    """The entries as CSV (UTF-8 with a BOM, so Excel reads the Chinese) or XLSX (every cell text-typed)."""
    headers = [translate(key, lang) for key, _ in _EXPORT_COLUMNS]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(headers)
        for row in rows:
            writer.writerow([_cell(value(row)) for _, value in _EXPORT_COLUMNS])
        return ("\ufeff" + out.getvalue()).encode("utf-8")
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import TYPE_STRING

    book = Workbook(write_only=True)
    sheet = book.create_sheet(translate("audit_export_sheet", lang))
    for width, column in zip((8, 20, 60, 18, 24, 60, 16, 22, 16, 20), "ABCDEFGHIJ", strict=True):
        sheet.column_dimensions[column].width = width
    sheet.append(headers)
    for row in rows:
        cells = []
        for _, value in _EXPORT_COLUMNS:
            cell = WriteOnlyCell(sheet, value=_cell(value(row))[:32_000])
            cell.data_type = TYPE_STRING
            cell.number_format = "@"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def record(session: Session, action: str, **kwargs: Any) -> int:
    return append(session, [AuditDraft(action=action, **kwargs)])[0]


# -- anchors ----------------------------------------------------------------------------------------------------

_throttle = threading.Lock()
_last_anchor = [float("-inf")]  # time.monotonic() of this process's last automatic anchor


@event.listens_for(Session, "after_commit")
def _anchor_after_commit(session: Session) -> None:
    pending = session.info.pop(PENDING_ANCHOR, None)
    if pending is None:
        return
    settings = get_settings()
    if settings.audit_anchor_seconds > 0:
        now = time.monotonic()
        with _throttle:
            if now - _last_anchor[0] < settings.audit_anchor_seconds:
                return
            _last_anchor[0] = now
    seq, digest = pending
    # The request has committed: an anchor that cannot be written is the operator's problem, never the user's.
    try:
        anchors.write(settings.audit_anchor_file, anchors.make(key=keys.keyring().signing, seq=seq, digest=digest))
    except Exception:
        log.warning("audit anchor for entry %s not written to %s", seq, settings.audit_anchor_file, exc_info=True)


@event.listens_for(Session, "after_soft_rollback")
def _forget_after_rollback(session: Session, previous_transaction: Any) -> None:
    # Any rollback, a savepoint's included, may have undone the appends: never anchor a head that did not commit.
    session.info.pop(PENDING_ANCHOR, None)


def anchor_now(session: Session) -> anchors.Anchor | None:
    """Anchor the current head (for cron and operators); None if the log is empty.

    Refused when the head does not check out (its MAC, or the entry it names): anchoring a forged head would
    lend it credibility.
    """
    head = repository.head(session)
    if head is None or head.seq == 0:
        return None
    ring = keys.keyring()
    last = repository.entry(session, seq=head.seq)
    if (not keys.head_ok(ring.get(head.key_id), head.mac, head.seq, head.hash) or last is None
            or last.hash != head.hash or not keys.entry_ok(ring.get(last.key_id), last.mac, last.hash)):
        raise Conflict("audit_anchor_refused", seq=head.seq)
    anchor = anchors.make(key=ring.signing, seq=head.seq, digest=head.hash)
    path = get_settings().audit_anchor_file
    try:
        anchors.write(path, anchor)
    except OSError as exc:
        raise Misconfigured("audit_anchor_file_unusable", path=str(path), reason=exc.strerror or str(exc)) from None
    return anchor


PRINTED_HASH_LENGTH = 16  # 64 bits: no rewrite of the log can be made to match a printed head by trial


def printed_head(session: Session) -> tuple[int, str]:
    """The head as printed on public documents (the bulletin): its seq and the start of its hash; (0, "") while
    the log is empty. Verify checks such a pair with `printed=`."""
    head = repository.head(session)
    return (head.seq, head.hash[:PRINTED_HASH_LENGTH]) if head is not None and head.seq else (0, "")


# -- verify -----------------------------------------------------------------------------------------------------

def verify(session: Session, *, anchor_file: Path | None = None,
           printed: Mapping[int, str] | None = None) -> VerifyResult:
    """Walk the chain from the start and hold it against the key and the anchors; report the first problem.

    Give it a session that has not read yet, on a snapshot (`Database.snapshot_session`): the anchor file is read
    before the first query, so every anchor in it names an entry that had committed before the snapshot began,
    and appends running meanwhile cannot look like a deleted tail or a rolled-back head. `printed` maps sequence
    numbers to hash prefixes printed outside (on bulletins): each must still be in the log, with that hash.
    """
    printed = printed or {}
    ring = keys.keyring()
    path = anchor_file or get_settings().audit_anchor_file
    configured = ring.ids
    # seq -> anchored hash, as raw bytes to keep memory small; two anchors naming one seq with different hashes
    # (a log rolled back and continued) are rare: the others wait in `conflicting`.
    anchored: dict[int, bytes] = {}
    conflicting: dict[int, set[bytes]] = {}
    lines, top, bad_line = 0, 0, None
    for item in anchors.read(path, ring):
        if isinstance(item, anchors.BadLine):
            bad_line = item
            break
        lines += 1
        pinned = bytes.fromhex(item.hash)
        if anchored.setdefault(item.seq, pinned) != pinned:
            conflicting.setdefault(item.seq, set()).add(pinned)
        top = max(top, item.seq)

    head = repository.head(session)
    # A key that signed nothing here is a configuration problem: say so before anything looks "altered".
    if head is not None and ring.get(head.key_id) is None:
        return _failed(0, "audit_wrong_key", head.seq, found=head.key_id, configured=configured)
    if bad_line is not None:
        return _failed(0, f"audit_anchor_{bad_line.problem}", None, path=str(path), line=bad_line.line,
                       found=bad_line.key_id, configured=configured)

    expected_seq, prev, count = 1, GENESIS, 0
    for entry in repository.entries_in_order(session):
        if entry.seq != expected_seq:
            return _failed(count, "audit_missing", expected_seq)
        if entry.prev_hash != prev:
            return _failed(count, "audit_broken_link", entry.seq)
        digest = entry_hash(seq=entry.seq, at=entry.at, actor=entry.actor, action=entry.action,
                            entity_kind=entry.entity_kind, entity_id=entry.entity_id, reason=entry.reason,
                            payload=entry.payload, prev_hash=entry.prev_hash)
        if digest != entry.hash:
            return _failed(count, "audit_altered", entry.seq)
        key = ring.get(entry.key_id)
        if key is None:
            return _failed(count, "audit_wrong_key", entry.seq, found=entry.key_id, configured=configured)
        if not keys.entry_ok(key, entry.mac, entry.hash):
            return _failed(count, "audit_mac_mismatch", entry.seq)
        at_anchor = anchored.get(entry.seq)
        if at_anchor is not None:
            found = bytes.fromhex(entry.hash)
            if at_anchor != found or conflicting.get(entry.seq, {found}) != {found}:
                return _anchor_failure(count, "audit_anchor_mismatch", path, ring, entry.seq, other_than=entry.hash)
        if entry.seq in printed and not entry.hash.startswith(printed[entry.seq]):
            return _failed(count, "audit_printed_mismatch", entry.seq, hash=printed[entry.seq])
        prev, expected_seq, count = entry.hash, expected_seq + 1, count + 1

    # The head still naming deleted entries says it plainly; a head moved back with them needs the anchors.
    if head is not None and head.seq > count:
        return _failed(count, "audit_head_mismatch", count + 1, expected=head.seq, found=count)
    if top > count:
        return _anchor_failure(count, "audit_tail_deleted", path, ring, top, seq=count + 1, count=count)
    if printed and max(printed) > count:
        return _failed(count, "audit_printed_missing", max(printed), count=count)
    if head is None:
        if count:
            return _failed(count, "audit_head_missing", count)
    else:
        if head.seq < count:
            return _failed(count, "audit_head_behind", head.seq, head=head.seq, count=count)
        if head.hash != prev or not keys.head_ok(ring.get(head.key_id), head.mac, head.seq, head.hash):
            return _failed(count, "audit_head_forged", head.seq)
    if count and not lines:
        return _failed(count, "audit_no_anchors", None, path=str(path), count=count)
    return VerifyResult(True, count, None, None, {"count": count, "anchors": lines, "anchored": top},
                        anchors=lines, anchored_seq=top)


def _failed(checked: int, problem: str, seq: int | None, /, **params: Any) -> VerifyResult:
    return VerifyResult(False, checked, problem, seq, {"seq": seq, **params})


def _anchor_at(path: Path, ring: keys.Keyring, seq: int, *, other_than: str | None = None) -> anchors.Anchor | None:
    """The first valid anchor naming `seq` (with another hash than `other_than`), read again for the message:
    verify keeps only sequence numbers and hashes."""
    for item in anchors.read(path, ring):
        if isinstance(item, anchors.Anchor) and item.seq == seq and item.hash != other_than:
            return item
    return None


def _anchor_failure(checked: int, problem: str, path: Path, ring: keys.Keyring, anchored: int, /, *,
                    other_than: str | None = None, **params: Any) -> VerifyResult:
    anchor = _anchor_at(path, ring, anchored, other_than=other_than)
    when = to_local(dt.datetime.strptime(anchor.at, anchors.TIME_FORMAT).replace(tzinfo=dt.UTC)) if anchor else None
    return _failed(checked, problem, params.pop("seq", anchored), path=str(path), anchored=anchored,
                   line=anchor.line if anchor else "?", at=when.strftime("%Y-%m-%d %H:%M:%S") if when else "?",
                   **params)
