"""Every query of intake's items and mappings (SQLAlchemy 2 ``select()``); never commits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, cast

from sqlalchemy import Table, and_, func, insert, or_, select, update
from sqlalchemy.orm import Session, defer

from rating_service.companies.models import Community, Company, Contract
from rating_service.intake.models import (
    CommunityName,
    IntakeItem,
    IntakeMapping,
    IntakeSystem,
    ItemStatus,
    MatchStatus,
    TriageModel,
)
from rating_service.records.repository import insert_rows

CHUNK = 5_000  # numbers per IN (…) query: SQLite allows 32,766 parameters
INSERT_SLICE = 10_000


def _chunks(values: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def stored_by_number(session: Session, kind: str, numbers: Sequence[str]) -> dict[str, tuple[int, str]]:
    """external_no -> (id, content_sha) of the items of ``kind`` already stored under these numbers."""
    found: dict[str, tuple[int, str]] = {}
    unique = sorted(set(numbers))
    if not unique or not session.execute(select(IntakeItem.id).where(IntakeItem.kind == kind).limit(1)).first():
        return found
    for chunk in _chunks(unique):
        rows = session.execute(select(IntakeItem.external_no, IntakeItem.id, IntakeItem.content_sha)
                               .where(IntakeItem.kind == kind, IntakeItem.external_no.in_(chunk)))
        for number, ident, sha in rows:
            found[number] = (ident, sha)
    return found


def stored_by_key(session: Session, system_id: int, keys: Sequence[str]) -> dict[str, tuple[int, str]]:
    """idempotency_key -> (id, content_sha) of the items a system already pushed under these keys."""
    found: dict[str, tuple[int, str]] = {}
    for chunk in _chunks(sorted(set(keys))):
        rows = session.execute(select(IntakeItem.idempotency_key, IntakeItem.id, IntakeItem.content_sha)
                               .where(IntakeItem.system_id == system_id, IntakeItem.idempotency_key.in_(chunk)))
        for key, ident, sha in rows:
            if key is not None:  # the look-up is by key: never None here
                found[key] = (ident, sha)
    return found


def insert_items(session: Session, rows: list[dict[str, Any]], on_slice: Any = None) -> None:
    """Bulk insert in slices, no ORM objects: COPY on PostgreSQL (a 100,000-ticket export's writing stage in
    bench/bench_intake.py: 13.2 s → 4.6 s), executemany through SQLAlchemy's types on SQLite (where dates and times
    are text in SQLAlchemy's own format)."""
    table = cast(Table, IntakeItem.__table__)
    postgresql = session.connection().dialect.name == "postgresql"
    columns = list(rows[0]) if rows else []
    for start in range(0, len(rows), INSERT_SLICE):
        part = rows[start:start + INSERT_SLICE]
        if postgresql:
            insert_rows(session, table, columns, [tuple(row[c] for c in columns) for row in part])
        else:
            session.execute(insert(table), part)
        if on_slice is not None:
            on_slice(min(start + INSERT_SLICE, len(rows)), len(rows))


def known_communities(session: Session, ids: Iterable[str]) -> set[str]:
    wanted = sorted(set(ids))
    found: set[str] = set()
    for chunk in _chunks(wanted):
        found.update(session.execute(select(Community.community_id).where(Community.community_id.in_(chunk)))
                     .scalars())
    return found


def community_names(session: Session, ids: Iterable[str | None]) -> dict[str, str]:
    wanted = sorted({i for i in ids if i})
    names: dict[str, str] = {}
    for chunk in _chunks(wanted):
        query = select(Community.community_id, Community.name).where(Community.community_id.in_(chunk))
        names.update({str(row[0]): str(row[1]) for row in session.execute(query)})
    return names


def system_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    query = select(IntakeSystem.id, IntakeSystem.name).where(IntakeSystem.id.in_(wanted))
    return {int(row[0]): str(row[1]) for row in session.execute(query)}


def items(session: Session, ids: Sequence[int]) -> list[IntakeItem]:
    found: list[IntakeItem] = []
    for chunk in _chunks(sorted(set(ids))):
        found.extend(session.execute(select(IntakeItem).where(IntakeItem.id.in_(chunk))).scalars())
    return found


def item(session: Session, item_id: int) -> IntakeItem | None:
    return session.get(IntakeItem, item_id)


def item_by_number(session: Session, kind: str, number: str) -> IntakeItem | None:
    return session.execute(select(IntakeItem).where(IntakeItem.kind == kind, IntakeItem.external_no == number)) \
        .scalar_one_or_none()


def item_for_record(session: Session, kind: str, record_id: str) -> IntakeItem | None:
    """The confirmed item that became (or was linked to) the record ``record_id`` of its kind."""
    return session.scalars(select(IntakeItem).where(
        IntakeItem.kind == kind, IntakeItem.record_id == record_id,
        IntakeItem.status == ItemStatus.CONFIRMED.value).order_by(IntakeItem.id).limit(1)).first()


def numbers_of(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    query = select(IntakeItem.id, IntakeItem.external_no).where(IntakeItem.id.in_(wanted))
    return {int(row[0]): str(row[1]) for row in session.execute(query)}


def high_confidence(*, bulk_category: float, bulk_relevance: float) -> Any:
    """The condition of an item an officer may confirm in bulk."""
    return and_(
        IntakeItem.match_status == MatchStatus.PROPOSED.value,
        IntakeItem.match_community_id.is_not(None),
        or_(IntakeItem.kind == "patrol",
            and_(IntakeItem.category_suggested.is_not(None),
                 IntakeItem.category_probability >= bulk_category,
                 IntakeItem.relevant_probability >= bulk_relevance)),
    )


def queue_conditions(*, status: str | None, kind: str | None, view: str, q: str | None, high: Any) -> list[Any]:
    conditions: list[Any] = []
    if status and status != "all":
        conditions.append(IntakeItem.status == status)
    if kind:
        conditions.append(IntakeItem.kind == kind)
    if view == "high":
        conditions.append(high)
    elif view == "review":
        conditions.append(~high)
    if q:
        like = f"%{q.replace('%', '').replace('_', '')}%"
        conditions.append(or_(IntakeItem.external_no.like(like), IntakeItem.place_text.like(like),
                              IntakeItem.text.like(like)))
    return conditions


def count_items(session: Session, conditions: list[Any]) -> int:
    return int(session.execute(select(func.count(IntakeItem.id)).where(*conditions)).scalar_one())


def page_items(session: Session, conditions: list[Any], *, offset: int, limit: int) -> list[IntakeItem]:
    return list(session.execute(select(IntakeItem).where(*conditions)
                                .order_by(IntakeItem.received_on, IntakeItem.id).offset(offset).limit(limit))
                .scalars())


def item_ids(session: Session, conditions: list[Any]) -> list[int]:
    return list(session.execute(select(IntakeItem.id).where(*conditions)
                                .order_by(IntakeItem.received_on, IntakeItem.id)).scalars())


def status_counts(session: Session, kind: str | None, *, reviewed_only: bool = False) -> dict[str, int]:
    """Items by status. ``reviewed_only``: leave out the bureau's history, which arrives already decided (its
    decided_at is its created_at); what is left is what went, or goes, through the review queue."""
    query = select(IntakeItem.status, func.count(IntakeItem.id)).group_by(IntakeItem.status)
    if reviewed_only:
        query = query.where(or_(IntakeItem.decided_at.is_(None), IntakeItem.decided_at != IntakeItem.created_at))
    if kind:
        query = query.where(IntakeItem.kind == kind)
    return {status: int(n) for status, n in session.execute(query)}


def pending_between(session: Session, start: dt.date, end: dt.date) -> int:
    return count_items(session, [IntakeItem.status == ItemStatus.PENDING.value,
                                 IntakeItem.received_on >= start, IntakeItem.received_on <= end])


def mapping_row(session: Session, kind: str) -> IntakeMapping | None:
    return session.get(IntakeMapping, kind)


def insert_records(session: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    """Complaint or inspection rows of confirmed items."""
    if rows:
        session.execute(insert(table), rows)


def existing_record_ids(session: Session, table: Any, ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(sorted(set(ids))):
        found.update(session.execute(select(table.c.record_id).where(table.c.record_id.in_(chunk))).scalars())
    return found


# -- triage models ---------------------------------------------------------------------------------------------------

def decided_texts(session: Session, kind: str) -> list[tuple[str | None, str | None, str]]:
    """(text, category, status) of every confirmed or not-property item of ``kind``, oldest first."""
    return [(row[0], row[1], row[2]) for row in session.execute(
        select(IntakeItem.text, IntakeItem.category, IntakeItem.status)
        .where(IntakeItem.kind == kind,
               IntakeItem.status.in_((ItemStatus.CONFIRMED.value, ItemStatus.NOT_PROPERTY.value)))
        .order_by(IntakeItem.id))]


def retire_models(session: Session) -> list[int]:
    """Every active model version made inactive (a new one is about to be stored); their ids."""
    earlier = list(session.scalars(select(TriageModel.id).where(TriageModel.active.is_(True))))
    if earlier:
        session.execute(update(TriageModel).where(TriageModel.id.in_(earlier)).values(active=False))
    return earlier


def models(session: Session) -> list[TriageModel]:
    return list(session.scalars(select(TriageModel).options(defer(TriageModel.model))
                                .order_by(TriageModel.id.desc())))


def active_model_row(session: Session) -> TriageModel | None:
    return session.scalars(select(TriageModel).options(defer(TriageModel.model))
                           .where(TriageModel.active.is_(True)).order_by(TriageModel.id.desc()).limit(1)).first()


def model_bytes(session: Session, model_id: int) -> bytes | None:
    return session.scalar(select(TriageModel.model).where(TriageModel.id == model_id))


# -- a community's page ----------------------------------------------------------------------------------------------

def community(session: Session, community_id: str) -> Community | None:
    return session.get(Community, community_id)


def contracts_of(session: Session, community_id: str) -> list[Any]:
    """(credit_code, company name, start, end) of the community's contracts, newest first."""
    return list(session.execute(
        select(Contract.credit_code, Company.name, Contract.start_date, Contract.end_date)
        .join(Company, Company.credit_code == Contract.credit_code)
        .where(Contract.community_id == community_id)
        .order_by(Contract.start_date.desc(), Contract.id.desc())).all())


def directory_name(session: Session, name_id: int) -> CommunityName | None:
    return session.get(CommunityName, name_id)


def recent_items_of(session: Session, community_id: str, *, limit: int) -> list[IntakeItem]:
    """The latest items decided for the community or (undecided) matched to it, newest first."""
    return list(session.scalars(
        select(IntakeItem)
        .where(or_(IntakeItem.community_id == community_id,
                   (IntakeItem.community_id.is_(None)) & (IntakeItem.match_community_id == community_id)))
        .order_by(IntakeItem.received_on.desc(), IntakeItem.id.desc())
        .limit(limit)).all())


# -- intake systems --------------------------------------------------------------------------------------------------

def systems(session: Session) -> list[IntakeSystem]:
    return list(session.scalars(select(IntakeSystem).order_by(IntakeSystem.name)))


def system(session: Session, system_id: int) -> IntakeSystem | None:
    return session.get(IntakeSystem, system_id)


def system_by_name(session: Session, name: str) -> IntakeSystem | None:
    return session.scalar(select(IntakeSystem).where(IntakeSystem.name == name))


def system_by_key_hash(session: Session, digest: str) -> IntakeSystem | None:
    return session.scalar(select(IntakeSystem).where(IntakeSystem.key_hash == digest))


# -- the community directory -----------------------------------------------------------------------------------------

def official_names(session: Session) -> list[tuple[str, str]]:
    """(community_id, official name) of every community."""
    return [(str(cid), str(name)) for cid, name in session.execute(select(Community.community_id, Community.name))]


def directory_entries(session: Session) -> list[tuple[str, str, str]]:
    """(community_id, text, kind) of every directory name."""
    return [(str(cid), str(text), str(kind)) for cid, text, kind in session.execute(
        select(CommunityName.community_id, CommunityName.text, CommunityName.kind))]


def names_of(session: Session, community_id: str) -> list[CommunityName]:
    return list(session.scalars(
        select(CommunityName).where(CommunityName.community_id == community_id)
        .order_by(CommunityName.kind, CommunityName.text, CommunityName.id)))


def directory_entry(session: Session, community_id: str, kind: str, text: str) -> CommunityName | None:
    return session.scalars(select(CommunityName).where(
        CommunityName.community_id == community_id, CommunityName.kind == kind, CommunityName.text == text)).first()
