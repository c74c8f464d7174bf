"""Every query of issued documents and their number counters."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from rating_service.cycles.models import Rating
from rating_service.notices.models import Document, DocumentCounter


def take_numbers(session: Session, *, year: int, count: int) -> range:
    """Reserve `count` consecutive document numbers of a year (locked until commit; never handed out twice)."""
    # The year's row may not exist yet: create it without failing when a concurrent transaction does the same,
    # then lock it (PostgreSQL: row lock; SQLite: the write transaction already serialises writers).
    dialect = session.get_bind().dialect.name
    insert_fn = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert_fn(DocumentCounter).values(year=year, last_seq=0).on_conflict_do_nothing())
    counter = session.scalars(select(DocumentCounter).where(DocumentCounter.year == year).with_for_update()
                              .execution_options(populate_existing=True)).one()
    first = counter.last_seq + 1
    counter.last_seq += count
    session.flush()
    return range(first, first + count)


def iter_ratings(session: Session, *, cycle_id: int, chunk: int = 2_000) -> Iterator[Rating]:
    """A cycle's ratings in credit-code order, fetched in chunks."""
    query = select(Rating).where(Rating.cycle_id == cycle_id).order_by(Rating.credit_code)
    yield from session.scalars(query.execution_options(yield_per=chunk))


def rating_summaries(session: Session, *, cycle_id: int) -> list[Any]:
    """What a bulletin lists of each rating (no explanations), in credit-code order."""
    query = (select(Rating.credit_code, Rating.name, Rating.score, Rating.grade, Rating.provisional,
                    Rating.red_list, Rating.black_list)
             .where(Rating.cycle_id == cycle_id).order_by(Rating.credit_code))
    return list(session.execute(query))


def insert_documents(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(Document), list(rows))


def document(session: Session, document_id: int) -> Document | None:
    return session.get(Document, document_id)


def by_verification_code(session: Session, code: str) -> Document | None:
    return session.scalars(select(Document).where(Document.verification_code == code)).first()


def list_documents(session: Session, *, cycle_id: int, credit_code: str | None = None,
                   kinds: Sequence[str] | None = None, with_bulletins: bool = False,
                   limit: int | None = None, offset: int = 0) -> tuple[list[Document], int]:
    query = select(Document).where(Document.cycle_id == cycle_id)
    if credit_code is not None:
        query = query.where((Document.credit_code == credit_code) | (Document.credit_code.is_(None))
                            if with_bulletins else Document.credit_code == credit_code)
    if kinds:
        query = query.where(Document.kind.in_(list(kinds)))
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    query = query.order_by(Document.doc_year, Document.doc_seq).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query)), int(total)


def unrendered(session: Session, *, cycle_id: int, ids: Sequence[int] | None = None) -> list[tuple[int, str]]:
    """(id, payload) of a cycle's documents that have no stored hash yet (of ``ids`` only, when given)."""
    query = (select(Document.id, Document.payload)
             .where(Document.cycle_id == cycle_id, Document.sha256.is_(None)).order_by(Document.id))
    if ids is not None:
        query = query.where(Document.id.in_(list(ids)))
    return [(row.id, row.payload) for row in session.execute(query)]


def unrendered_ids(session: Session, *, cycle_id: int) -> list[int]:
    """Ids of a cycle's documents that have no stored hash yet, in order."""
    return list(session.scalars(select(Document.id).where(Document.cycle_id == cycle_id, Document.sha256.is_(None))
                                .order_by(Document.id)))


def store_rendered(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Set sha256, size and rendered_at of documents (rows carry `id`); only where no hash is stored yet."""
    for row in rows:
        session.execute(update(Document).where(Document.id == row["id"], Document.sha256.is_(None))
                        .values(sha256=row["sha256"], size=row["size"], rendered_at=row["rendered_at"]))


def document_counts(session: Session, *, cycle_id: int) -> dict[str, int]:
    query = (select(Document.kind, func.count(), func.count(Document.sha256))
             .where(Document.cycle_id == cycle_id).group_by(Document.kind))
    counts: dict[str, int] = {}
    for kind, total, rendered in session.execute(query):
        counts[kind] = int(total)
        counts[f"{kind}_rendered"] = int(rendered)
    return counts


def latest_notice(session: Session, *, cycle_id: int, credit_code: str) -> Document | None:
    """The company's notice in force: the newest notice or revised notice not itself revised."""
    query = (select(Document).where(Document.cycle_id == cycle_id, Document.credit_code == credit_code,
                                    Document.kind.in_(("notice", "revised_notice")),
                                    Document.revised_by_id.is_(None))
             .order_by(Document.id.desc()))
    return session.scalars(query).first()


def notice_numbers(session: Session, *, cycle_id: int) -> dict[str, tuple[int, str]]:
    """credit code -> (document id, number) of each company's notice in force."""
    query = (select(Document.credit_code, Document.id, Document.doc_number)
             .where(Document.cycle_id == cycle_id, Document.kind.in_(("notice", "revised_notice")),
                    Document.revised_by_id.is_(None)))
    return {code: (doc_id, number) for code, doc_id, number in session.execute(query) if code}
