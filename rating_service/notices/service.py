"""Issuing documents: numbers and verification codes at publicize, parallel rendering, stored hashes, downloads.

A cycle moving to `publicized` gets, in the same transaction, a bulletin and one notice per rated company,
each with the next document number of the year (枞住建信评〔2025〕N号, never reused) and a verification code.
What each document says is frozen then as its payload; rendering (in parallel worker processes) stores the
PDF and its SHA-256. A file that goes missing is rendered again from the payload and must hash the same.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import json
import logging
import os
import re
import secrets
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from rating_service.audit import service as audit
from rating_service.cycles import facts
from rating_service.cycles import repository as cycles_repo
from rating_service.cycles.models import Cycle, Rating
from rating_service.cycles.wording import fixed, flags, indicator_rows, num, path, path_lines, reasons
from rating_service.db import Database
from rating_service.errors import NotFound, RatingServiceError
from rating_service.i18n import Localized, translate
from rating_service.i18n.explanations import EXPLAIN_TEXT
from rating_service.jobs import service as jobs
from rating_service.methodologies import service as methodologies
from rating_service.notices import repository
from rating_service.notices.models import Document
from rating_service.settings import get_settings
from rating_service.workdays import service as workdays
from reports.model import (
    AppealRecord,
    Bulletin,
    BulletinRow,
    IndicatorRow,
    Issuer,
    Notice,
    ReasonRow,
    RepairDecision,
    Revision,
    as_payload,
    from_payload,
)
from reports.texts import TEXT as DOCUMENT_TEXT
from scoring.methodology import Methodology

log = logging.getLogger(__name__)

# A notice names at most this many evidence records per reason ("… 等，共 N 条"): it must stay 1–2 pages;
# the company portal lists them all.
EVIDENCE_SHOWN = 6
# Evidence records stated in full per reason on a notice (the rest: "共 N 条", all of them on the company's pages):
# three keeps a vetoed company's notice to four pages at the body size GB/T 9704 sets.
NOTICE_FACT_LINES = 3
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
RENDER_BATCH = 50

Progress = Callable[[int, int], None]


class DocumentIntegrityError(RatingServiceError):
    status_code = 500
    code = "document_integrity"


class DocumentsNotWritten(RatingServiceError):
    """Rendering stopped because a PDF could not be written (a full disk, no permission, …). What was written is
    recorded; the rest stays "to render" (no hash), and `rating cycle documents ID --render-missing` (or a
    download) completes it."""

    status_code = 503
    code = "documents_not_written"


# Why a PDF could not be written, and what the operator does about it, by errno.
_WRITE_FAILURES = {
    errno.ENOSPC: (Localized(zh="磁盘空间不足", en="the disk is full"), Localized(zh="释放空间", en="Free some space")),
    errno.EDQUOT: (Localized(zh="超出磁盘配额", en="the disk quota is exceeded"),
                   Localized(zh="释放空间或提高配额", en="Free some space or raise the quota")),
    errno.EACCES: (Localized(zh="没有写入权限", en="no permission to write"),
                   Localized(zh="修正文件夹权限", en="Fix the folder's permissions")),
    errno.EPERM: (Localized(zh="没有写入权限", en="no permission to write"),
                  Localized(zh="修正文件夹权限", en="Fix the folder's permissions")),
    errno.EROFS: (Localized(zh="文件系统为只读", en="the file system is read-only"),
                  Localized(zh="以可写方式挂载", en="Mount it writable")),
}


def _write_failure(error: OSError) -> tuple[Localized, Localized]:
    """(cause, remedy) of a failed write, in words an operator acts on."""
    what = error.strerror or type(error).__name__
    return _WRITE_FAILURES.get(error.errno or 0, (Localized(zh=f"写入失败（{what}）", en=f"writing failed ({what})"),
                                                  Localized(zh="排除故障", en="Fix the cause")))


def documents_not_written(*, error: OSError, folder: Path, cycle_id: int, rendered: int,
                          missing: int) -> DocumentsNotWritten:
    reason, remedy = _write_failure(error)
    return DocumentsNotWritten("documents_not_written", reason=reason, remedy=remedy, folder=str(folder),
                               cycle_id=cycle_id, rendered=rendered, missing=missing)


def issuer() -> Issuer:
    settings = get_settings()
    return Issuer(name=settings.issuer_name, short_name=settings.document_prefix, base_url=settings.public_base_url)


def doc_number(prefix: str, year: int, seq: int) -> str:
    """枞住建信评〔2025〕12号: six-corner brackets, no leading zeros."""
    return f"{prefix}〔{year}〕{seq}号"


def new_verification_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return "-".join(raw[i:i + 4] for i in range(0, 12, 4))


def normalise_code(code: str) -> str:
    raw = "".join(c for c in code.upper() if c.isalnum())
    return "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))


# -- wording a stored rating into a notice ---------------------------------------------------------------------

def notice_for(*, cycle: Cycle, rating: Rating, number: str, code: str, issue_date: dt.date,
               deadline: dt.date, methodology: Methodology, company: facts.CompanyFacts,
               lang: str = "zh") -> Notice:
    """A company's notice: its stored rating worded (`cycles.wording`), its evidence as facts and the veto and
    lists stated in full (``company``: the facts of its evidence, `cycles.facts.explained_facts`)."""
    exp = json.loads(rating.explanation)
    language: Any = lang
    m = methodology
    upgrade = path(exp, language, m)
    worded = reasons(exp, language, m)
    stated = facts.notice_words(company, exp, m, language)
    return Notice(
        issuer=issuer(), doc_number=number, issue_date=issue_date,
        company_name=rating.name or rating.credit_code, credit_code=rating.credit_code,
        cycle_name=cycle.name, period_start=cycle.period_start, period_end=cycle.period_end,
        score=fixed(rating.score, 1), grade=rating.grade, provisional=bool(rating.provisional),
        flags=flags(exp, language, m, with_provisional=False),
        indicators=[IndicatorRow(label=r["label"], measure=r["measure"],
                                 sub_score="" if r["sub_score"] == "-" else r["sub_score"], weight=r["weight"],
                                 earned=r["earned"], lost=r["lost"], note=r["note"])
                    for r in indicator_rows(exp, language, m)],
        reasons=[ReasonRow(label=r["label"], lost=r["lost"],
                           record_ids=[e["record_id"] for e in r["evidence"][:EVIDENCE_SHOWN]],
                           record_count=len(r["evidence"]),
                           evidence=stated.evidence.get(r["code"], [])[:NOTICE_FACT_LINES])
                 for r in worded],
        path_headline=upgrade["headline"], path_steps=path_lines(upgrade, language)[1:],
        appeal_deadline=deadline, appeal_days=cycle.appeal_window_days, methodology_id=rating.methodology_id,
        verification_code=code, bonus=num(exp.get("bonus") or 0), lang=language,
        veto_statement=stated.veto_statement, list_statements=stated.list_statements,
    )


def bulletin_for(*, cycle: Cycle, ratings: Sequence[Any], number: str, issue_date: dt.date,
                 deadline: dt.date, grade_order: list[str], audit_head: tuple[int, str] = (0, ""),
                 code: str = "") -> Bulletin:
    rows: list[BulletinRow] = []
    counts: dict[str, int] = {}
    words = EXPLAIN_TEXT["zh"]
    for rating in sorted(ratings, key=lambda r: (-r.score, r.credit_code)):
        lists = [words[w] for w, on in (("red", rating.red_list), ("black", rating.black_list)) if on]
        rows.append(BulletinRow(company_name=rating.name or rating.credit_code, credit_code=rating.credit_code,
                                score=fixed(rating.score, 1), grade=rating.grade,
                                provisional=bool(rating.provisional), lists=words["flag_sep"].join(lists)))
        counts[rating.grade] = counts.get(rating.grade, 0) + 1
    return Bulletin(issuer=issuer(), doc_number=number, issue_date=issue_date, cycle_name=cycle.name,
                    period_start=cycle.period_start, period_end=cycle.period_end, publicity_end=deadline,
                    methodology_id=cycle.methodology_id, rows=rows,
                    grade_counts=[(g, counts[g]) for g in grade_order if g in counts]
                    + [(g, c) for g, c in sorted(counts.items()) if g not in grade_order],
                    audit_seq=audit_head[0], audit_hash=audit_head[1], verification_code=code)


# -- issuing at publicize ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Numbered:
    """A document number taken from its year's counter, and a fresh verification code."""

    year: int
    seq: int
    number: str
    code: str


def take_number(session: Session, issue_date: dt.date) -> Numbered:
    (seq,) = repository.take_numbers(session, year=issue_date.year, count=1)
    return Numbered(issue_date.year, seq, doc_number(get_settings().document_prefix, issue_date.year, seq),
                    new_verification_code())


def _add_document(session: Session, *, kind: str, cycle_id: int, credit_code: str | None, numbered: Numbered,
                  issue_date: dt.date, content: Notice | Bulletin | AppealRecord | RepairDecision, actor: str,
                  replaces_id: int | None = None) -> Document:
    document = Document(kind=kind, cycle_id=cycle_id, credit_code=credit_code, doc_year=numbered.year,
                        doc_seq=numbered.seq, doc_number=numbered.number, verification_code=numbered.code,
                        issue_date=issue_date, payload=json.dumps(as_payload(content), ensure_ascii=False),
                        replaces_id=replaces_id, created_at=dt.datetime.now(dt.UTC), created_by=actor)
    session.add(document)
    session.flush()
    return document


ISSUE_BATCH = 2_000  # notices built and inserted per batch: a province's explanations never all in memory


def appeal_deadline(*, session: Session, cycle: Cycle, notice_date: dt.date) -> dt.date:
    """The last day companies may appeal when the cycle's notices are dated ``notice_date``: the cycle's
    ``appeal_window_days`` working days later. Raises CalendarUnknown for a year the calendar does not know."""
    return workdays.add_working_days(session, notice_date, cycle.appeal_window_days)


def issue_cycle_documents(*, session: Session, cycle: Cycle, actor: str) -> int:
    """Number and freeze the bulletin and every company's notice of a cycle that is being publicized.

    Runs inside the publicize transaction: either the cycle is publicized with all its documents numbered,
    or nothing happens. A deadline in a year the calendar does not know refuses the whole step.
    """
    assert cycle.notice_date is not None
    issue_date = cycle.notice_date
    deadline = appeal_deadline(session=session, cycle=cycle, notice_date=issue_date)
    cycle.appeal_deadline = deadline
    summaries = repository.rating_summaries(session, cycle_id=cycle.id)
    year = issue_date.year
    numbers = iter(repository.take_numbers(session, year=year, count=len(summaries) + 1))
    prefix = get_settings().document_prefix
    now = dt.datetime.now(dt.UTC)
    rows: list[dict[str, Any]] = []

    def add(kind: str, credit_code: str | None, seq: int, code: str, document: Notice | Bulletin) -> None:
        rows.append({"kind": kind, "cycle_id": cycle.id, "credit_code": credit_code, "doc_year": year,
                     "doc_seq": seq, "doc_number": document.doc_number, "verification_code": code,
                     "issue_date": issue_date, "payload": json.dumps(as_payload(document), ensure_ascii=False),
                     "created_at": now, "created_by": actor})

    seq = first = next(numbers)
    m = methodologies.find(session, cycle.methodology_id)
    bulletin_code = new_verification_code()
    add("bulletin", None, seq, bulletin_code,
        bulletin_for(cycle=cycle, ratings=summaries, number=doc_number(prefix, year, seq), issue_date=issue_date,
                     deadline=deadline, audit_head=audit.printed_head(session),
                     grade_order=[b.grade for b in m.bands], code=bulletin_code))
    batch: list[Rating] = []

    def issue_batch() -> None:
        # The facts of a batch's evidence in one read per record kind (a province's never all in memory).
        evidence = facts.explained_facts(session=session, cycle=cycle,
                                         explanations={r.credit_code: json.loads(r.explanation) for r in batch})
        nonlocal seq
        for rating in batch:
            seq = next(numbers)
            code = new_verification_code()
            add("notice", rating.credit_code, seq, code,
                notice_for(cycle=cycle, rating=rating, number=doc_number(prefix, year, seq), code=code,
                           issue_date=issue_date, deadline=deadline, methodology=m,
                           company=evidence[rating.credit_code]))
        repository.insert_documents(session, rows)
        rows.clear()
        batch.clear()

    for rating in repository.iter_ratings(session, cycle_id=cycle.id, chunk=ISSUE_BATCH):
        batch.append(rating)
        if len(batch) >= ISSUE_BATCH:
            issue_batch()
    issue_batch()
    audit.record(session, "documents.issue", actor=actor, entity_kind="cycle", entity_id=str(cycle.id),
                 payload={"notices": len(summaries), "bulletins": 1, "first": doc_number(prefix, year, first),
                          "last": doc_number(prefix, year, seq), "appeal_deadline": deadline.isoformat()})
    return len(summaries) + 1


def issue_revised_notice(*, session: Session, cycle: Cycle, credit_code: str, actor: str, issue_date: dt.date,
                         previous_score: float, previous_grade: str,
                         decision_doc_number: str | None = None) -> Document:
    """A revised notice (更正) for a company whose stored rating an appeal decision changed.

    It takes the next number of its year and a new verification code, names the notice it replaces, and marks
    that one as revised, so that verifying the old code says which document is in force.
    """
    previous = repository.latest_notice(session, cycle_id=cycle.id, credit_code=credit_code)
    if previous is None:
        raise NotFound("document_not_found", document_id=credit_code)
    rating = cycles_repo.rating(session, cycle_id=cycle.id, credit_code=credit_code)
    if rating is None:
        raise NotFound("rating_not_found", cycle_id=cycle.id, code=credit_code)
    numbered = take_number(session, issue_date)
    notice = notice_for(cycle=cycle, rating=rating, number=numbered.number, code=numbered.code,
                        issue_date=issue_date, deadline=cycle.appeal_deadline or issue_date,
                        methodology=methodologies.find(session, cycle.methodology_id),
                        company=facts.evidence_facts(session=session, cycle=cycle, rating=rating))
    notice = dataclasses.replace(notice, revision=Revision(
        replaces_doc_number=previous.doc_number, decision_doc_number=decision_doc_number,
        previous_score=fixed(previous_score, 1), previous_grade=previous_grade))
    document = _add_document(session, kind="revised_notice", cycle_id=cycle.id, credit_code=credit_code,
                             numbered=numbered, issue_date=issue_date, content=notice, actor=actor,
                             replaces_id=previous.id)
    previous.revised_by_id = document.id
    audit.record(session, "documents.revise", actor=actor, entity_kind="document", entity_id=str(document.id),
                 payload={"number": numbered.number, "replaces": previous.doc_number, "credit_code": credit_code,
                          "decision": decision_doc_number, "before": {"score": previous_score, "grade": previous_grade},
                          "after": {"score": rating.score, "grade": rating.grade}})
    return document


def add_appeal_record(*, session: Session, cycle: Cycle, credit_code: str, numbered: Numbered, record: AppealRecord,
                      actor: str) -> Document:
    """Store an appeal decision record (异议处理决定书) under a number taken with `take_number`."""
    return _add_document(session, kind="appeal_record", cycle_id=cycle.id, credit_code=credit_code,
                         numbered=numbered, issue_date=record.issue_date, content=record, actor=actor)


def add_repair_decision(*, session: Session, cycle_id: int, credit_code: str, numbered: Numbered,
                        decision: RepairDecision, actor: str) -> Document:
    """Store a credit repair decision (信用修复决定书) under a number taken with `take_number`."""
    return _add_document(session, kind="repair_decision", cycle_id=cycle_id, credit_code=credit_code,
                         numbered=numbered, issue_date=decision.issue_date, content=decision, actor=actor)


# -- rendering and storage --------------------------------------------------------------------------------------

def storage_path(document_id: int, cycle_id: int) -> Path:
    return Path(get_settings().documents_dir) / f"cycle-{cycle_id}" / f"{document_id}.pdf"


def _write_atomically(target: Path, data: bytes) -> None:
    """Write to a temporary file of its own in the same folder, then rename: readers never see half a file,
    and two writers of the same document (a download during background rendering) never share a temp file.

    The data reaches the disk (fsync) before the rename: a full disk fails here, not later when the kernel writes
    back, and the final path never holds a short file. On failure the temporary file is removed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def render_documents(*, database: Database, cycle_id: int, progress: Progress | None = None,
                     processes: int | None = None) -> int:
    """Render every document of the cycle that has no stored hash yet ("to render"); returns how many.

    Idempotent: a document is recorded (hash, size) only once its file is in place, so running it again renders
    exactly what is still missing. When a file cannot be written (a full disk, no permission) it stops at once,
    since every further document goes to the same folder, records what was written, and raises
    `DocumentsNotWritten` naming the cause, the folder and how many are left.
    """
    from reports.render import render_many

    with database.read_session() as session:
        pending = repository.unrendered(session, cycle_id=cycle_id)
    if not pending:
        return 0
    documents = [from_payload(json.loads(payload)) for _id, payload in pending]
    processes = processes or get_settings().render_processes or None
    done_rows: list[dict[str, Any]] = []

    def flush() -> None:
        with database.write_session() as session:
            repository.store_rendered(session, done_rows)
        done_rows.clear()

    total = len(pending)
    failed: tuple[OSError, Path] | None = None
    results = render_many(documents, processes=processes,
                          progress=(lambda n: progress(n, total)) if progress else None)
    try:
        for result in results:
            document_id = pending[result.index][0]
            target = storage_path(document_id, cycle_id)
            try:
                _write_atomically(target, result.pdf)
            except OSError as exc:
                failed = (exc, target.parent)
                break
            done_rows.append({"id": document_id, "sha256": result.sha256, "size": len(result.pdf),
                              "rendered_at": dt.datetime.now(dt.UTC)})
            if len(done_rows) >= RENDER_BATCH:
                flush()
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()  # stopping early ends the worker processes now
        if done_rows:
            flush()
    if failed is not None:
        error, folder = failed
        raise _not_written(database, error, folder, cycle_id) from error
    return total


def _not_written(database: Database, error: OSError, folder: Path, cycle_id: int) -> DocumentsNotWritten:
    """The error of rendering stopped by a file that could not be written, with the cycle's counts."""
    with database.read_session() as session:
        counts = repository.document_counts(session, cycle_id=cycle_id)
    kinds = [k for k in counts if not k.endswith("_rendered")]
    rendered = sum(counts.get(f"{k}_rendered", 0) for k in kinds)
    return documents_not_written(error=error, folder=folder, cycle_id=cycle_id, rendered=rendered,
                                 missing=sum(counts[k] for k in kinds) - rendered)


@dataclass(frozen=True)
class PdfFile:
    data: bytes
    sha256: str
    fresh: bool  # rendered for the first time and stored: its hash is still to be recorded


def pdf_file(*, document: Document) -> PdfFile:
    """The document's PDF: the stored file when it hashes as recorded, else rendered again and checked.

    Touches no database: callers record a first hash (and the audit entry) in a short write transaction,
    so that rendering never holds SQLite's write lock.
    """
    from reports.render import render, sha256

    target = storage_path(document.id, document.cycle_id)
    if document.sha256 and target.exists():
        data = target.read_bytes()
        if sha256(data) == document.sha256:
            return PdfFile(data=data, sha256=document.sha256, fresh=False)
        log.warning("stored file of document %s does not match its hash; rendering it again", document.id)
    data = render(from_payload(json.loads(document.payload)))
    digest = sha256(data)
    if document.sha256 is not None and digest != document.sha256:
        log.error("document %s renders to %s, recorded %s", document.id, digest, document.sha256)
        raise DocumentIntegrityError("document_hash_mismatch", number=document.doc_number)
    try:
        _write_atomically(target, data)
    except OSError as exc:
        # The reader still gets the document; it stays "to render" (no hash recorded) until a file is in place.
        reason, remedy = _write_failure(exc)
        log.error("%s", translate("document_not_stored", "zh", number=document.doc_number, reason=reason,
                                  remedy=remedy, folder=str(target.parent), cycle_id=document.cycle_id))
        return PdfFile(data=data, sha256=digest, fresh=False)
    return PdfFile(data=data, sha256=digest, fresh=document.sha256 is None)


def pdf_bytes(*, document: Document, session: Session | None = None) -> bytes:
    """The document's PDF bytes (see `pdf_file`); with a write session, a first hash is recorded in it."""
    pdf = pdf_file(document=document)
    if pdf.fresh and session is not None:
        repository.store_rendered(session, [_rendered_row(document.id, pdf)])
    return pdf.data


def _rendered_row(document_id: int, pdf: PdfFile) -> dict[str, Any]:
    return {"id": document_id, "sha256": pdf.sha256, "size": len(pdf.data), "rendered_at": dt.datetime.now(dt.UTC)}


def render_cycle_documents(*, database: Database, cycle_id: int,
                           progress: Callable[[str, int, int], None] | None = None) -> int:
    """The task of a ``render`` job (after publicize): `render_documents`, reporting progress at the stage
    "rendering". When a file cannot be written, the operator's one line is logged as the CLI prints it, and the
    error is raised (the job fails with it); the documents left stay "to render"."""
    def steps(done: int, total: int) -> None:
        if progress is not None:
            progress("rendering", done, total)

    try:
        return render_documents(database=database, cycle_id=cycle_id, progress=steps)
    except DocumentsNotWritten as exc:
        log.error("%s", exc.message("zh"))
        raise


def documents_to_render(*, database: Database, cycle_id: int) -> list[int]:
    """The first step of a ``render`` job on the queue: the ids of the cycle's documents still to render."""
    with database.read_session() as session:
        return repository.unrendered_ids(session, cycle_id=cycle_id)


def render_document_batch(*, database: Database, cycle_id: int, items: list[int], retried: bool) -> int:
    """One batch of a ``render`` job on the queue: render those of ``items`` still to render, each recorded as soon
    as its file is in place; returns how many were still to render.

    Exactly once, whatever happens to the worker: a first attempt first removes any file left at the batch's paths
    (an earlier database's document of the same id), so a file found there by a later attempt (``retried``) was
    written whole by this batch (files are renamed into place) and is taken as it is, not rendered again.
    """
    from reports.render import render, sha256

    with database.read_session() as session:
        pending = repository.unrendered(session, cycle_id=cycle_id, ids=items)
    targets = {document_id: storage_path(document_id, cycle_id) for document_id, _ in pending}
    for target in targets.values():
        for leftover in target.parent.glob(f".{target.stem}-*.tmp"):
            leftover.unlink(missing_ok=True)  # a write that a lost worker did not finish
        if not retried:
            target.unlink(missing_ok=True)
    for document_id, payload in pending:
        target = targets[document_id]
        if target.exists():
            data = target.read_bytes()
        else:
            data = render(from_payload(json.loads(payload)))
            try:
                _write_atomically(target, data)
            except OSError as exc:
                raise _not_written(database, exc, target.parent, cycle_id) from exc
        with database.write_session() as session:
            repository.store_rendered(session, [{"id": document_id, "sha256": sha256(data), "size": len(data),
                                                 "rendered_at": dt.datetime.now(dt.UTC)}])
    return len(pending)


def render_in_background(*, database: Database, cycle_id: int, session: Session | None = None,
                         actor: str = "system") -> jobs.Submitted | None:
    """After publicize: render the cycle's documents as a background job (worker processes do the work), queued
    when ``session`` (the publicize's) commits, or at once in a session of its own.

    Off when `render_on_publicize` is false; a document not rendered yet is rendered when first downloaded.
    """
    if not get_settings().render_on_publicize:
        return None
    if session is None:
        with database.write_session() as own:
            return render_in_background(database=database, cycle_id=cycle_id, session=own, actor=actor)
    return jobs.submit(session, database, kind="render", cycle_id=cycle_id, actor=actor,
                       arguments={"cycle_id": cycle_id})


# -- access, downloads, verification ----------------------------------------------------------------------------

def get_document_or_raise(*, session: Session, document_id: int) -> Document:
    document = repository.document(session, document_id)
    if document is None:
        raise NotFound("document_not_found", document_id=document_id)
    return document



def document_counts(*, session: Session, cycle_id: int) -> dict[str, int]:
    """kind -> how many documents of the cycle, and kind_rendered -> how many of them are rendered."""
    return repository.document_counts(session, cycle_id=cycle_id)


def bulletin(*, session: Session, cycle_id: int) -> Document | None:
    """The cycle's bulletin, if issued."""
    return next(iter(repository.list_documents(session, cycle_id=cycle_id, kinds=["bulletin"])[0]), None)


PUBLIC_CYCLE_STATES = ("publicized", "finalized")


def public_bulletin(*, session: Session, cycle_id: int) -> Document:
    """The bulletin (公示名单) of a publicized or finalized cycle, for anyone; 404 for any other cycle (a draft or
    computed cycle's list is not public, and no one learns that it exists)."""
    cycle = session.get(Cycle, cycle_id)
    found = bulletin(session=session, cycle_id=cycle_id) if cycle and cycle.status in PUBLIC_CYCLE_STATES else None
    if found is None:
        raise NotFound("public_bulletin_not_found", cycle_id=cycle_id)
    return found


def public_bulletin_pdf(*, database: Database, cycle_id: int) -> tuple[Document, PdfFile]:
    """The public bulletin and its PDF (rendered outside any write transaction when it is not yet; its first hash
    then recorded). Not audited: the list is public, like the pages that link to it."""
    with database.read_session() as session:
        document = public_bulletin(session=session, cycle_id=cycle_id)
        session.expunge(document)
    pdf = pdf_file(document=document)
    if pdf.fresh:
        with database.write_session() as session:
            repository.store_rendered(session, [_rendered_row(document.id, pdf)])
    return document, pdf


def notice_numbers(*, session: Session, cycle_id: int) -> dict[str, tuple[int, str]]:
    """credit code -> (document id, number) of each company's notice in force."""
    return repository.notice_numbers(session, cycle_id=cycle_id)


def latest_notice(*, session: Session, cycle_id: int, credit_code: str) -> Document | None:
    """The company's notice in force: the newest notice or revised notice not itself revised."""
    return repository.latest_notice(session, cycle_id=cycle_id, credit_code=credit_code)

def ascii_file_name(document: Document) -> str:
    """ASCII file name: the fallback `filename` of a download, and the names inside a cycle's zip."""
    who = document.credit_code or "bulletin"
    return f"{document.kind}-{document.doc_year}-{document.doc_seq}-{who}.pdf"


# Characters that no file name may hold on common systems (and control characters).
_UNSAFE_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def file_name(document: Document) -> str:
    """The download name people see: 信用评价结果告知书_枞住建信评〔2026〕17号_安徽皖江物业服务有限公司.pdf
    (公示名单 without a company); characters unsafe in file names are dropped."""
    words = DOCUMENT_TEXT["zh"]
    parts = [words.get(f"file_{document.kind}", document.kind), document.doc_number]
    if document.credit_code is not None:
        company = json.loads(document.payload).get("company_name") or document.credit_code
        parts.append(company)
    name = "_".join(_UNSAFE_IN_NAMES.sub("", part).strip(" .") for part in parts)
    return f"{name}.pdf"


def download(*, database: Database, document: Document, actor: str) -> bytes:
    """A document's PDF for a user: rendered outside any write transaction, then hash and audit recorded."""
    pdf = pdf_file(document=document)
    with database.write_session() as session:
        if pdf.fresh:
            repository.store_rendered(session, [_rendered_row(document.id, pdf)])
        audit.record(session, "document.download", actor=actor, entity_kind="document", entity_id=str(document.id),
                     payload={"number": document.doc_number, "kind": document.kind,
                              "credit_code": document.credit_code})
    return pdf.data


def notices_zip(*, database: Database, session: Session, cycle: Cycle, actor: str, target: Path) -> int:
    """Write every document of the cycle (bulletin first, then notices by number) into a zip file at `target`.

    Written to disk, not memory: a province's notices run to gigabytes. `session` reads; first hashes and
    the audit entry go into one short write transaction at the end. Returns the number of documents.
    """
    count = 0
    fresh: list[dict[str, Any]] = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:
        offset = 0
        while True:
            documents, _ = repository.list_documents(session, cycle_id=cycle.id, limit=500, offset=offset)
            if not documents:
                break
            for document in documents:
                day = document.issue_date
                info = zipfile.ZipInfo(ascii_file_name(document), date_time=(day.year, day.month, day.day, 0, 0, 0))
                pdf = pdf_file(document=document)
                archive.writestr(info, pdf.data)
                if pdf.fresh:
                    fresh.append(_rendered_row(document.id, pdf))
                count += 1
            offset += len(documents)
    with database.write_session() as writer:
        repository.store_rendered(writer, fresh)
        audit.record(writer, "document.download_all", actor=actor, entity_kind="cycle", entity_id=str(cycle.id),
                     payload={"documents": count})
    return count


@dataclass(frozen=True)
class VerifiedRepair:
    """A repair decision on the verified notice's company and cycle: its number, the day its effect starts and the
    public note (「已修复（2026年3月2日，枞住建信评〔2026〕4号）」)."""

    doc_number: str
    repaired_on: dt.date
    note: str

    def as_dict(self) -> dict[str, Any]:
        return {"doc_number": self.doc_number, "repaired_on": self.repaired_on.isoformat(), "note": self.note}


@dataclass(frozen=True)
class Verification:
    code: str
    kind: str
    doc_number: str
    issue_date: dt.date
    cycle_name: str
    cycle_status: str
    company_name: str | None
    credit_code: str | None
    score: str | None
    grade: str | None
    provisional: bool | None
    revised: bool
    revised_by: str | None
    outcome: str | None = None  # a repair decision: 同意修复 / 不予受理 / 不予修复, as printed
    repairs: tuple[VerifiedRepair, ...] = ()  # a notice: the repair decisions on its company in its cycle

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "issue_date": self.issue_date.isoformat(),
                "repairs": [r.as_dict() for r in self.repairs]}


def _repairs_of(session: Session, document: Document) -> tuple[VerifiedRepair, ...]:
    """The repair decisions that now stand beside a company's notice (its rating itself is never rewritten)."""
    from rating_service.repair.public import public_repairs  # the repair room reads this one: imported late

    if document.kind not in ("notice", "revised_notice") or document.credit_code is None:
        return ()
    found = public_repairs(session, cycle_id=document.cycle_id, credit_code=document.credit_code)
    return tuple(VerifiedRepair(doc_number=r.doc_number, repaired_on=r.repaired_on, note=r.note("zh"))
                 for r in found.get(document.credit_code, []))


def verify(*, session: Session, code: str) -> Verification:
    """What a verification code stands for, as issued, and whether the document has since been revised; a
    notice also says which repair decisions stand beside it."""
    document = repository.by_verification_code(session, normalise_code(code))
    if document is None:
        raise NotFound("verification_code_unknown", code=code[:40])
    issued = from_payload(json.loads(document.payload))
    cycle = session.get(Cycle, document.cycle_id)
    assert cycle is not None
    revised_by = repository.document(session, document.revised_by_id) if document.revised_by_id else None
    notice = issued if isinstance(issued, Notice) else None
    if isinstance(issued, AppealRecord):
        return Verification(
            code=document.verification_code, kind=document.kind, doc_number=document.doc_number,
            issue_date=document.issue_date, cycle_name=cycle.name, cycle_status=cycle.status,
            company_name=issued.company_name, credit_code=document.credit_code, score=issued.score_after,
            grade=issued.grade_after, provisional=None, revised=False, revised_by=None)
    if isinstance(issued, RepairDecision):
        return Verification(
            code=document.verification_code, kind=document.kind, doc_number=document.doc_number,
            issue_date=document.issue_date, cycle_name=cycle.name, cycle_status=cycle.status,
            company_name=issued.company_name, credit_code=document.credit_code, score=None, grade=None,
            provisional=None, revised=False, revised_by=None, outcome=issued.outcome)
    return Verification(
        code=document.verification_code, kind=document.kind, doc_number=document.doc_number,
        issue_date=document.issue_date, cycle_name=cycle.name, cycle_status=cycle.status,
        company_name=notice.company_name if notice else None, credit_code=document.credit_code,
        score=notice.score if notice else None, grade=notice.grade if notice else None,
        provisional=notice.provisional if notice else None, revised=revised_by is not None,
        revised_by=revised_by.doc_number if revised_by else None, repairs=_repairs_of(session, document))
