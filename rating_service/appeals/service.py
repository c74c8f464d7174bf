"""Filing an appeal: who may, until when, against what, with which evidence.

A company appeals its own preliminary rating while the cycle is publicized and the window is open (until the
end of the cycle's appeal deadline, in the bureau's time zone). It contests records that count against it (the
evidence of its rating) or the calculation, gives grounds, and may attach PDF, JPG or PNG files: the type is
read from the content, the size is limited, PDFs with active content are refused and images are re-encoded
(`evidence`), and files are stored outside any served folder under generated names. One appeal may be pending
per company and cycle. The decision is due a number of working days after filing (the cycle's `decision_days`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import re
import unicodedata
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from rating_service import clock
from rating_service.accounts.service import Principal
from rating_service.appeals import evidence, repository
from rating_service.appeals.models import OUTCOMES, Appeal, AppealAttachment, AppealItem
from rating_service.audit import service as audit
from rating_service.cycles import repository as cycles_repo
from rating_service.cycles import service as cycles
from rating_service.cycles import standing
from rating_service.cycles.models import Cycle
from rating_service.errors import Conflict, Forbidden, NotFound, RatingServiceError
from rating_service.notices import service as notices
from rating_service.settings import get_settings
from rating_service.workdays import service as workdays
from rating_service.workdays.holiday_calendar import CalendarUnknown

# Magic numbers of the accepted types: the name's extension decides nothing.
SIGNATURES = ((b"%PDF-", "application/pdf", "pdf"), (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
              (b"\xff\xd8\xff", "image/jpeg", "jpg"))
MAX_GROUNDS = 5000
MAX_RECORDS = 200


class AppealRefused(RatingServiceError):
    status_code = 400
    code = "appeal_refused"


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


@dataclass(frozen=True)
class Filing:
    scope: str  # "records" or "calculation"
    grounds: str
    records: Sequence[tuple[str, str]]  # (kind, record_id) contested
    attachments: Sequence[Upload] = ()
    # of the records, those whose attribution is contested ("该记录发生时本企业已不再服务该小区")
    attribution: Sequence[tuple[str, str]] = ()


def sniff(data: bytes) -> tuple[str, str] | None:
    """(content type, extension) from the first bytes, or None when it is none of PDF, PNG, JPEG."""
    for magic, content_type, extension in SIGNATURES:
        if data.startswith(magic):
            return content_type, extension
    return None


def display_name(filename: str) -> str:
    """The original file name made harmless for display: no folders, no control characters, at most 100."""
    name = re.split(r"[\\\\/]", filename or "")[-1]
    name = "".join(c for c in unicodedata.normalize("NFC", name) if c.isprintable() and c not in '<>:"|?*')
    name = name.strip(" .")
    return (name or "attachment")[:100]


def contestable_records(*, session: Session, cycle: Cycle, credit_code: str) -> set[tuple[str, str]]:
    """Every record counted for the company in the cycle as it stands (not only its top evidence)."""
    return set(standing.company_facts(session=session, cycle=cycle, credit_code=credit_code).records)


def closed_reason(*, session: Session, cycle: Cycle, credit_code: str) -> RatingServiceError | None:
    """Why the company cannot file now (the window, the cycle's state, a pending appeal), or None."""
    if cycle.status != "publicized":
        return Conflict("appeal_cycle_not_open", cycle=cycle.name)
    return _window_or_pending(session=session, cycle=cycle, credit_code=credit_code)


def _window_or_pending(*, session: Session, cycle: Cycle, credit_code: str) -> Conflict | None:
    """The window closed (in the bureau's time zone), or an appeal of the company still pending; else None."""
    today = clock.local_today()
    if not cycles.window_open_on(cycle, today):
        return Conflict("appeal_window_closed", deadline=cycle.appeal_deadline.isoformat()
                        if cycle.appeal_deadline else "-", today=today.isoformat())
    pending = repository.pending_for(session, cycle_id=cycle.id, credit_code=credit_code)
    if pending is not None:
        return Conflict("appeal_pending_exists", appeal_id=pending.id)
    return None


def file_appeal(*, session: Session, cycle_id: int, principal: Principal, filing: Filing) -> Appeal:
    if principal.is_officer or not principal.credit_code:
        raise Forbidden("appeal_company_only")
    code = principal.credit_code
    cycle = cycles.get_cycle_or_raise(session=session, cycle_id=cycle_id)
    if cycle.status not in ("publicized", "finalized"):
        raise NotFound("cycle_not_found", cycle_id=cycle_id)
    rating = cycles_repo.rating(session, cycle_id=cycle.id, credit_code=code)
    if rating is None:
        raise NotFound("rating_not_found", cycle_id=cycle_id, code=code)
    refused = _window_or_pending(session=session, cycle=cycle, credit_code=code)
    if refused is not None:
        raise refused
    today = clock.local_today()

    grounds = filing.grounds.strip()
    if not grounds:
        raise AppealRefused("appeal_grounds_required")
    if len(grounds) > MAX_GROUNDS:
        raise AppealRefused("appeal_grounds_too_long", limit=MAX_GROUNDS)
    if filing.scope not in ("records", "calculation"):
        raise AppealRefused("appeal_scope_unknown", scope=filing.scope[:20])
    records = list(dict.fromkeys((k.strip(), r.strip()) for k, r in filing.records))
    if filing.scope == "records" and not records:
        raise AppealRefused("appeal_records_required")
    if len(records) > MAX_RECORDS:
        raise AppealRefused("appeal_too_many_records", limit=MAX_RECORDS)
    counted = contestable_records(session=session, cycle=cycle, credit_code=code) if records else set()
    for number, (kind, record_id) in enumerate(records, start=1):
        if (kind, record_id) not in counted:
            raise AppealRefused("appeal_record_not_counted", row=number, record=record_id[:64], kind=kind[:32])
    attribution = {(k.strip(), r.strip()) for k, r in filing.attribution}
    for kind, record_id in attribution:
        if (kind, record_id) not in set(records):
            raise AppealRefused("appeal_attribution_not_chosen", record=record_id[:64])
    stored = _checked_attachments(filing.attachments)
    due_on = workdays.add_working_days(session, today, cycle.decision_days)

    appeal = Appeal(cycle_id=cycle.id, credit_code=code, status="pending", scope=filing.scope, grounds=grounds,
                    filed_at=dt.datetime.now(dt.UTC), filed_by=principal.username, filed_on=today, due_on=due_on,
                    score_before=rating.score, grade_before=rating.grade)
    session.add(appeal)
    cycles.disclosure_changed(session=session, cycle=cycle)  # the public appeal statistics count it
    session.flush()
    session.add_all([AppealItem(appeal_id=appeal.id, kind=k, record_id=r,
                                contest="attribution" if (k, r) in attribution else "data") for k, r in records])
    with stored_files(stored) as files:
        session.add_all([AppealAttachment(appeal_id=appeal.id, created_at=dt.datetime.now(dt.UTC), **vars(kept))
                         for kept in files])
        session.flush()
        audit.record(session, "appeal.file", actor=principal.username, entity_kind="appeal", entity_id=str(appeal.id),
                     payload={"cycle_id": cycle.id, "credit_code": code, "scope": filing.scope,
                              "records": [f"{k}:{r}" for k, r in records], "attachments": len(stored),
                              "attribution": sorted(f"{k}:{r}" for k, r in attribution),
                              "due_on": due_on.isoformat()})
    return appeal


@dataclass(frozen=True)
class StoredFile:
    """A checked upload as written under its generated name: the columns of an attachment row (appeals' and
    repair requests' evidence share the folder and the rules)."""

    filename: str  # the original name made harmless, for display only
    content_type: str
    size: int
    sha256: str
    storage_key: str


@contextlib.contextmanager
def stored_files(checked: Sequence[tuple[Upload, evidence.Evidence]]) -> Iterator[list[StoredFile]]:
    """Writes each checked upload (``checked_attachments``) under a generated name in the attachments folder and
    yields what was written, for the caller's rows; whatever fails inside the block removes the files again, so a
    refused or rolled-back filing leaves none behind."""
    written: list[Path] = []
    try:
        files = []
        for upload, kept in checked:
            key = f"{uuid.uuid4().hex}.{kept.extension}"
            path = attachment_path(key)
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "xb") as out:  # generated name: never an existing file
                out.write(kept.data)
            written.append(path)
            files.append(StoredFile(filename=display_name(upload.filename), content_type=kept.content_type,
                                    size=len(kept.data), sha256=hashlib.sha256(kept.data).hexdigest(),
                                    storage_key=key))
        yield files
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise


def checked_attachments(uploads: Sequence[Upload], *, refused: type[RatingServiceError] = AppealRefused
                        ) -> list[tuple[Upload, evidence.Evidence]]:
    """Each upload with what is stored of it: all of them checked (count, size, type by content) before any is
    opened, then each PDF inspected and each image re-encoded; the first refusal names the file and the reason.
    ``refused``: the error raised (another room's, e.g. credit repair's evidence, with the same messages)."""
    settings = get_settings()
    if len(uploads) > settings.attachments_per_appeal:
        raise refused("appeal_too_many_files", limit=settings.attachments_per_appeal)
    limit = settings.attachment_limit_mb * 1024 * 1024
    typed = []
    for upload in uploads:
        name = display_name(upload.filename)
        if len(upload.data) > limit:
            raise refused("appeal_file_too_large", name=name, limit=f"{settings.attachment_limit_mb} MB")
        if not upload.data:
            raise refused("appeal_file_empty", name=name)
        sniffed = sniff(upload.data)
        if sniffed is None:
            raise refused("appeal_file_type", name=name)
        typed.append((upload, name, *sniffed))
    return [(upload, evidence.checked(name=name, data=upload.data, content_type=content_type, extension=extension))
            for upload, name, content_type, extension in typed]


_checked_attachments = checked_attachments  # the name the appeal filing used first


def attachment_path(storage_key: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{32}\.(pdf|png|jpg)", storage_key):
        raise ValueError("not a generated attachment name")
    return Path(get_settings().attachments_dir) / storage_key


# -- reading ------------------------------------------------------------------------------------------------------

def visible_appeal(*, session: Session, principal: Principal, appeal_id: int) -> Appeal:
    """The appeal if this user may see it (officers; the company that filed it); 404 otherwise."""
    appeal = repository.appeal(session, appeal_id)
    if appeal is None or (not principal.is_officer and appeal.credit_code != principal.credit_code):
        raise NotFound("appeal_not_found", appeal_id=appeal_id)
    return appeal


def attachment_bytes(*, session: Session, principal: Principal, appeal_id: int,
                     attachment_id: int) -> tuple[AppealAttachment, bytes]:
    appeal = visible_appeal(session=session, principal=principal, appeal_id=appeal_id)
    item = repository.attachment(session, attachment_id)
    if item is None or item.appeal_id != appeal.id:
        raise NotFound("appeal_not_found", appeal_id=appeal_id)
    return item, attachment_path(item.storage_key).read_bytes()


def record_attachment_download(*, database: Any, attachment: AppealAttachment, actor: str) -> None:
    """Attachments are not public: every download is audited (in a short transaction of its own)."""
    with database.write_session() as session:
        audit.record(session, "appeal.attachment_download", actor=actor, entity_kind="appeal",
                     entity_id=str(attachment.appeal_id),
                     payload={"attachment_id": attachment.id, "sha256": attachment.sha256})


def appeal_out(session: Session, appeal: Appeal) -> dict[str, Any]:
    return {
        "id": appeal.id, "cycle_id": appeal.cycle_id, "credit_code": appeal.credit_code, "status": appeal.status,
        "scope": appeal.scope, "grounds": appeal.grounds, "filed_at": appeal.filed_at, "filed_by": appeal.filed_by,
        "filed_on": appeal.filed_on, "due_on": appeal.due_on,
        "overdue": appeal.status == "pending" and clock.local_today() > appeal.due_on,
        "before": {"score": appeal.score_before, "grade": appeal.grade_before},
        "after": None if appeal.score_after is None else {"score": appeal.score_after, "grade": appeal.grade_after},
        "outcome": appeal.outcome, "decision_reasons": appeal.decision_reasons, "decided_at": appeal.decided_at,
        "decision_document_url": f"/api/v1/documents/{appeal.decision_document_id}/pdf"
        if appeal.decision_document_id else None,
        "revised_notice_url": f"/api/v1/documents/{appeal.revised_notice_id}/pdf" if appeal.revised_notice_id else None,
        "items": [{"kind": i.kind, "record_id": i.record_id, "contest": i.contest or "data", "action": i.action,
                   "amendment": json.loads(i.amendment) if i.amendment else None, "finding": i.finding}
                  for i in repository.items(session, appeal.id)],
        "attachments": [{"id": a.id, "filename": a.filename, "content_type": a.content_type, "size": a.size,
                         "sha256": a.sha256, "url": f"/api/v1/appeals/{appeal.id}/attachments/{a.id}"}
                        for a in repository.attachments(session, appeal.id)],
    }


def statistics(*, session: Session, cycle_id: int) -> dict[str, Any]:
    """Filed, pending, upheld, partly upheld, rejected; median working-calendar days from filing to decision."""
    appeals = repository.list_appeals(session, cycle_id=cycle_id)
    decided = [a for a in appeals if a.status == "decided" and a.decided_at is not None]
    days = sorted((cycles.to_local_date(a.decided_at) - a.filed_on).days for a in decided)  # type: ignore[arg-type]
    median = None
    if days:
        middle = len(days) // 2
        median = float(days[middle]) if len(days) % 2 else (days[middle - 1] + days[middle]) / 2
    counts = {outcome: sum(1 for a in decided if a.outcome == outcome) for outcome in OUTCOMES}
    return {"cycle_id": cycle_id, "filed": len(appeals), "pending": len(appeals) - len(decided), **counts,
            "median_days_to_decision": median}


# -- the company's home: where its ratings stand ----------------------------------------------------------------


@dataclass(frozen=True)
class DecisionOutcome:
    """A decided appeal of the company: the outcome, the score and grade before and after, its documents."""

    appeal_id: int
    outcome: str  # an AppealOutcome value; the page shows its label
    decided_on: dt.date | None
    score_before: float
    grade_before: str
    score_after: float | None
    grade_after: str | None
    decision_document_id: int | None  # the decision record (异议处理决定书)
    revised_notice_id: int | None  # the revised notice, when the score or grade changed

    @property
    def changed(self) -> bool:
        return (self.score_after, self.grade_after) != (self.score_before, self.grade_before)


@dataclass(frozen=True)
class CycleStanding:
    """One cycle's banner on a company's home page.

    ``window`` is ``open`` (the company may appeal until ``appeal_deadline``, ``working_days_left`` working days
    from today, today and the deadline included), ``closed`` (publicized, the deadline has passed, not yet final)
    or ``final`` (finalized on ``finalized_on``). ``score``/``grade`` are the rating as it stands now (after any
    decision); ``notice_id`` is the notice in force (the revised one after a change).
    """

    cycle_id: int
    cycle_name: str
    status: str
    window: str
    score: float
    grade: str
    appeal_deadline: dt.date | None
    working_days_left: int | None
    finalized_on: dt.date | None
    notice_id: int | None
    notice_number: str | None
    pending_appeal_id: int | None
    pending_filed_on: dt.date | None
    pending_due_on: dt.date | None
    decisions: list[DecisionOutcome]


def _working_days_left(session: Session, today: dt.date, deadline: dt.date | None) -> int | None:
    if deadline is None or deadline < today:
        return None
    try:
        return workdays.count_working_days(session, today, deadline)
    except CalendarUnknown:  # a year nobody entered: the page still shows the deadline itself
        return None


def _decided_on(session: Session, appeal: Appeal) -> dt.date | None:
    """The day of the decision as the company was told: its decision record's date (the service's day, which the
    demo may simulate), else the local date it was stored."""
    if appeal.decision_document_id is not None:
        return notices.get_document_or_raise(session=session, document_id=appeal.decision_document_id).issue_date
    return cycles.to_local_date(appeal.decided_at) if appeal.decided_at else None


def company_standing(*, session: Session, credit_code: str, today: dt.date) -> list[CycleStanding]:
    """The banners of a company's home, newest cycle first: every publicized cycle it is rated in; when there is
    none, the latest finalized one (what the company was last told)."""
    history = cycles_repo.company_history(session, credit_code=credit_code, statuses=cycles.VISIBLE_TO_COMPANIES)
    shown = [(c, r) for c, r in reversed(history) if c.status == "publicized"]
    if not shown:
        shown = [(c, r) for c, r in reversed(history) if c.status == "finalized"][:1]
    out = []
    for cycle, rating in shown:
        appeals = repository.list_appeals(session, cycle_id=cycle.id, credit_code=credit_code)
        pending = next((a for a in appeals if a.status == "pending"), None)
        decided = sorted((a for a in appeals if a.status == "decided"),
                         key=lambda a: (a.decided_at or dt.datetime.min.replace(tzinfo=dt.UTC), a.id), reverse=True)
        notice = notices.latest_notice(session=session, cycle_id=cycle.id, credit_code=credit_code)
        if cycle.status == "finalized":
            window = "final"
        else:
            window = "open" if cycles.window_open_on(cycle, today) else "closed"
        out.append(CycleStanding(
            cycle_id=cycle.id, cycle_name=cycle.name, status=cycle.status, window=window,
            score=rating.score, grade=rating.grade, appeal_deadline=cycle.appeal_deadline,
            working_days_left=_working_days_left(session, today, cycle.appeal_deadline) if window == "open" else None,
            finalized_on=cycles.to_local_date(cycle.finalized_at) if cycle.finalized_at else None,
            notice_id=notice.id if notice else None, notice_number=notice.doc_number if notice else None,
            pending_appeal_id=pending.id if pending else None, pending_filed_on=pending.filed_on if pending else None,
            pending_due_on=pending.due_on if pending else None,
            decisions=[DecisionOutcome(
                appeal_id=a.id, outcome=a.outcome or "rejected",
                decided_on=_decided_on(session, a),
                score_before=a.score_before, grade_before=a.grade_before, score_after=a.score_after,
                grade_after=a.grade_after, decision_document_id=a.decision_document_id,
                revised_notice_id=a.revised_notice_id) for a in decided]))
    return out
