"""The cycle workflow: create, compute (snapshot → score → store), publicize, finalize.

Computing runs in three steps so that a nation-sized cycle never blocks imports for minutes:
1. a short write transaction fixes the snapshot watermark (the newest change-set, taken under the
   change lock so that no earlier-numbered import is still in flight);
2. a read transaction selects the period's records as of that watermark (a consistent view) and the
   engine rates them in memory;
3. a write transaction checks the cycle is still computable and replaces its stored results.
Because the watermark keeps superseded versions readable, later imports, edits and deletions never
change what a computed cycle is based on, and the cycle can be re-read and verified at any time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session, object_session

from rating_service import clock
from rating_service.accounts.service import Principal
from rating_service.allocator import engine_heap_from_settings
from rating_service.appeals import repository as appeals_repo
from rating_service.audit import service as audit
from rating_service.cycles import repository, text_hash
from rating_service.cycles.models import CYCLE_STATES, Cycle, CycleAction, CycleState, Job, Rating
from rating_service.db import DISCLOSURE_CHANGED, Database
from rating_service.errors import Conflict, InvalidTransition, NotFound, RatingServiceError
from rating_service.i18n import Localized
from rating_service.intake import service as intake
from rating_service.jobs import service as jobs
from rating_service.methodologies import service as methodologies
from rating_service.notices import service as notices
from rating_service.records import repository as records_repo
from rating_service.repair import repository as repair_repo
from rating_service.settings import get_settings, to_local
from scoring.engine import EVENT_DATE, RECORD_KINDS, Period, RatingInputs, RatingResult, rate_companies
from scoring.explain import explanations_utf8
from scoring.methodology import Methodology, MethodologyError

if TYPE_CHECKING:
    import pyarrow as pa

Progress = Callable[[str, int, int], None]
COMPUTE_STAGES = ("snapshot", "selecting", "scoring", "explaining", "storing")
# Which states each action may start from.
ALLOWED_FROM = {"compute": ("draft", "computed"), "publicize": ("computed",), "finalize": ("publicized",)}
# What a company may see: only publicized and finalized cycles (and in them only its own rating).
VISIBLE_TO_COMPANIES = ("publicized", "finalized")


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def _now() -> dt.datetime:
    # The service's clock: the demo runs an earlier year's steps on a simulated day (see rating_service.clock).
    return clock.now()


class NoticeDateRefused(RatingServiceError):
    """A notice date outside what publicizing today allows (back-dated, before the ratings, or too far ahead)."""

    status_code = 400
    code = "notice_date_refused"


@dataclass(frozen=True)
class CycleDraft:
    name: str
    period_start: dt.date
    period_end: dt.date
    methodology_id: str | None = None
    appeal_window_days: int | None = None  # default: the setting
    decision_days: int | None = None  # default: the setting


def get_cycle_or_raise(*, session: Session, cycle_id: int, for_update: bool = False) -> Cycle:
    cycle = repository.cycle(session, cycle_id, for_update=for_update)
    if cycle is None:
        raise NotFound("cycle_not_found", cycle_id=cycle_id)
    return cycle


def list_cycles(*, session: Session, statuses: tuple[str, ...] | None = None) -> list[Cycle]:
    return repository.list_cycles(session, statuses=statuses)


def methodology_of(cycle: Cycle) -> Methodology:
    """The version the cycle was created with (shipped, or adopted and stored)."""
    return methodologies.find(object_session(cycle), cycle.methodology_id)


def create_cycle(*, session: Session, draft: CycleDraft, actor: str) -> Cycle:
    name = draft.name.strip()
    if not name:
        raise RatingServiceError("cycle_name_required")
    if draft.period_end < draft.period_start:
        raise RatingServiceError("cycle_period_reversed", start=draft.period_start.isoformat(),
                                 end=draft.period_end.isoformat())
    try:
        methodology = methodologies.find(session, draft.methodology_id) if draft.methodology_id else \
            methodologies.in_force(session, draft.period_end)
    except (MethodologyError, NotFound, KeyError, LookupError, ValueError) as exc:
        raise RatingServiceError("cycle_methodology_unknown", methodology=draft.methodology_id or "",
                                 day=draft.period_end.isoformat()) from exc
    if repository.cycle_by_name(session, name) is not None:
        raise Conflict("cycle_name_taken", name=name)
    cycle = Cycle(name=name, period_start=draft.period_start, period_end=draft.period_end,
                  methodology_id=methodology.id, status="draft", created_at=_now(), created_by=actor,
                  compute_count=0, appeal_window_days=draft.appeal_window_days or get_settings().appeal_window_days,
                  decision_days=draft.decision_days or get_settings().decision_days)
    session.add(cycle)
    session.flush()
    audit.record(session, "cycle.create", actor=actor, entity_kind="cycle", entity_id=str(cycle.id),
                 payload={"name": name, "period": [draft.period_start.isoformat(), draft.period_end.isoformat()],
                          "methodology": methodology.id})
    return cycle


def _require(cycle: Cycle, action: str) -> None:
    allowed = ALLOWED_FROM[action]
    if cycle.status not in allowed:
        raise InvalidTransition("cycle_transition_refused", action=CycleAction(action).localized(),
                                status=CycleState(cycle.status).localized(), cycle_id=cycle.id,
                                allowed=Localized(zh="、".join(CycleState(s).label("zh") for s in allowed),
                                                  en=", ".join(allowed)))


# -- compute ----------------------------------------------------------------------------------------------

@dataclass
class Snapshot:
    watermark: int
    inputs: RatingInputs
    counts: dict[str, int]  # rows by kind, every kind read

    def digest(self) -> str:
        """``snapshot_digest`` of the frames (seconds for a nation: asked for only where it is stored)."""
        return snapshot_digest({kind: self.inputs.frame(kind) for kind in self.counts})


def snapshot_digest(frames: dict[str, pd.DataFrame]) -> str:
    """SHA-256 over the snapshot's content, independent of row order and of the database engine.

    Per kind: the sorted 64-bit row hashes of ``pd.util.hash_pandas_object(canonical, index=False)``,
    where ``canonical`` holds each column as ``_Column`` describes. The row hashes are computed with the same
    values as that call, a slice of rows at a time (categoricals hash each category once).
    """
    digest = hashlib.sha256()
    for kind in sorted(frames):
        frame = frames[kind]
        digest.update(f"{kind}:{len(frame)}:{','.join(frame.columns)};".encode())
        if frame.empty:
            continue
        rows = _row_hashes(frame)
        rows.sort()
        digest.update(rows.tobytes())
    return digest.hexdigest()


# Rows hashed at a time: a slice's scratch arrays stay small enough to be reused from the heap (and the cache)
# instead of being mapped afresh.
_DIGEST_SLICE = 8_192
_EMPTY_TEXT = np.array([""], dtype=object)


def _row_hashes(frame: pd.DataFrame) -> np.ndarray:
    """Each row's hash as ``hash_pandas_object`` combines its columns' (CPython's tuple hash), a slice at a time."""
    columns = [_Column(frame[name]) for name in frame.columns]
    out = np.empty(len(frame), dtype=np.uint64)
    for start in range(0, len(frame), _DIGEST_SLICE):
        stop = min(start + _DIGEST_SLICE, len(frame))
        rows = np.full(stop - start, 0x345678, dtype=np.uint64)
        mult = np.uint64(1000003)
        for i, column in enumerate(columns):
            inverse_i = len(columns) - i
            rows ^= column.hashes(start, stop)
            rows *= mult
            mult += np.uint64(82520 + inverse_i + inverse_i)
        rows += np.uint64(97531)
        out[start:stop] = rows
    return out


class _Column:
    """A column's 64-bit hash per row (``pd.util.hash_array``) of its canonical form: categorical and text values
    as text ("" when missing), dates as day numbers (NaT: the smallest int64), booleans as they are, floats
    rounded to 6 places (-1e300 when missing)."""

    def __init__(self, values: pd.Series) -> None:
        self.categories: np.ndarray | None = None
        self.hashed: np.ndarray | None = None
        self.values: np.ndarray
        if isinstance(values.dtype, pd.CategoricalDtype):
            # Hash the values, not the codes (category order depends on the read): each category once; code -1
            # (missing) picks the appended hash of "".
            categories = np.asarray(values.cat.categories, dtype=object)
            self.categories = np.append(pd.util.hash_array(categories, categorize=False),
                                        pd.util.hash_array(_EMPTY_TEXT, categorize=False))
            self.values = values.cat.codes.to_numpy()
        elif pd.api.types.is_datetime64_any_dtype(values):
            self.values = values.to_numpy(dtype="datetime64[D]").view(np.int64)
        elif values.dtype == bool:
            self.values = values.to_numpy()
        elif pd.api.types.is_float_dtype(values):
            self.values = values.round(6).fillna(-1e300).to_numpy()
        else:
            # Text, from its Arrow buffers (the Arrow protocol gives the column's chunks as they are, without a
            # copy); text held otherwise becomes Arrow text first (a value that is not text, as its str()).
            if not (isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow"):
                values = values.astype(pd.StringDtype("pyarrow", na_value=np.nan))
            self.hashed = text_hash.hash_texts(values.array.__arrow_array__())

    def hashes(self, start: int, stop: int) -> np.ndarray:
        if self.categories is not None:
            return self.categories[self.values[start:stop]]
        if self.hashed is not None:
            return self.hashed[start:stop]
        return pd.util.hash_array(self.values[start:stop])


def read_snapshot(*, session: Session, watermark: int, period: Period, methodology: Methodology | None = None,
                  repairs_by: dt.datetime | None = None, progress: Progress = _no_progress) -> Snapshot:
    """The records of ``period`` as batch ``watermark`` left them. With a ``methodology`` whose repair rules leave
    repaired records out of later cycles (``counted_after_repair: false``), the records repaired by ``repairs_by``
    (the cycle's compute time) are left out; the default rules keep every record where it occurred.
    ``progress("selecting", 1, 2)`` once the rows are read."""
    frames = repository.read_snapshot(session, watermark=watermark, period_start=period.start,
                                      period_end=period.end)
    progress("selecting", 1, 2)
    if methodology is not None and repairs_by is not None and not methodology.repair_rules().counted_after_repair:
        for kind, record_ids in repair_repo.repaired_records(session, decided_by=repairs_by).items():
            if kind in frames and record_ids:
                frame = frames[kind]
                frames[kind] = frame[~frame["record_id"].astype(str).isin(record_ids)].reset_index(drop=True)
    return Snapshot(watermark, RatingInputs(**frames), {kind: len(frame) for kind, frame in frames.items()})


def compute_cycle(*, database: Database, cycle_id: int, actor: str, progress: Progress = _no_progress,
                  reason: str | None = None) -> Cycle:
    """Freeze the snapshot, rate every company and store the ratings; allowed from draft or computed.

    Owns its transactions (see the module docstring); returns the updated cycle.
    """
    progress("snapshot", 0, 1)
    started = _now()
    with database.write_session() as session:
        cycle = get_cycle_or_raise(session=session, cycle_id=cycle_id, for_update=True)
        _require(cycle, "compute")
        audit.lock_changes(session)
        watermark = records_repo.current_batch(session)
        period = Period(cycle.period_start, cycle.period_end)
        methodology = methodology_of(cycle)
    progress("snapshot", 1, 1)

    progress("selecting", 0, 2)
    with database.snapshot_session() as session:
        snapshot = read_snapshot(session=session, watermark=watermark, period=period, methodology=methodology,
                                 repairs_by=started, progress=progress)
    progress("selecting", 2, 2)

    progress("scoring", 0, 1)
    with engine_heap_from_settings(), \
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="snapshot-digest") as pool:
        # The digest hashes the frozen rows on another core while they are rated: both only read the frames, and
        # the digest's numpy work (text hashed from the Arrow buffers, no Python string per row) and the
        # scoring's let go of the interpreter lock.
        digesting = pool.submit(snapshot.digest)
        result = rate_companies(inputs=snapshot.inputs, period=period, methodology=methodology)
        progress("scoring", 1, 1)
        digest = digesting.result()
        rows = _rating_rows(result, methodology, digest, progress)
    unattributed = _unattributed_rows(result, snapshot.inputs)
    quality = _quality(result, snapshot, unattributed)
    constants = result.constants.as_dict()
    # The snapshot's frames and the scored records (gigabytes for a nation) go before the rows are stored.
    del result, snapshot

    progress("storing", 0, len(rows))
    with database.write_session() as session:
        cycle = get_cycle_or_raise(session=session, cycle_id=cycle_id, for_update=True)
        _require(cycle, "compute")
        repository.clear_results(session, cycle.id)
        for batch in rows.batches(cycle.id):
            repository.store_rows(session, "ratings", ["cycle_id", *RATING_COLUMNS], batch)
        repository.store_rows(session, "cycle_unattributed",
                              ["cycle_id", "kind", "record_id", "community_id", "event_date"],
                              [(cycle.id, *row) for row in unattributed])
        previous = cycle.status
        cycle.status = "computed"
        cycle.computed_at = started  # repairs decided by then are the ones the snapshot read (read_snapshot)
        cycle.computed_by = actor
        cycle.compute_count = (cycle.compute_count or 0) + 1
        cycle.snapshot_batch = watermark
        cycle.snapshot_hash = digest
        cycle.constants = json.dumps(constants)
        # Tickets and patrol findings of the period still waiting for an officer's confirmation (not counted).
        quality["unconfirmed_intake"] = intake.unconfirmed_in_period(session, cycle.period_start, cycle.period_end)
        cycle.quality = json.dumps(quality, ensure_ascii=False)
        cycle.rated = len(rows)
        session.flush()
        audit.record(session, "cycle.compute", actor=actor, entity_kind="cycle", entity_id=str(cycle.id),
                     reason=reason,
                     payload={"from": previous, "to": "computed", "snapshot_batch": watermark,
                              "snapshot_hash": digest, "constants": constants,
                              "rated": len(rows), "compute_count": cycle.compute_count})
    progress("storing", len(rows), len(rows))
    return cycle


RATING_COLUMNS = ["credit_code", "name", "score", "grade", "band_grade", "bonus", "veto", "provisional", "red_list",
                  "black_list", "exposure", "visits", "methodology_id", "snapshot_hash", "explanation"]


@dataclass(frozen=True)
class _RatingRows:
    """The rows of ``ratings`` for a cycle, the explanations kept as Arrow text (UTF-8) and made Python strings a
    chunk at a time as they are written (a nation's explanations take 1,140 MiB as Python strings, 569 MiB in
    Arrow)."""

    companies: list[tuple[Any, ...]]  # each company's RATING_COLUMNS up to methodology_id, in explanation order
    same: tuple[Any, ...]  # methodology_id and snapshot_hash, the same on every row
    explanations: pa.ChunkedArray

    def __len__(self) -> int:
        return len(self.companies)

    def batches(self, cycle_id: int) -> Iterator[list[tuple[Any, ...]]]:
        start = 0
        for chunk in self.explanations.chunks:
            texts = chunk.to_pylist()
            yield [(cycle_id, *row, *self.same, text)
                   for row, text in zip(self.companies[start:start + len(texts)], texts, strict=True)]
            start += len(texts)


def _rating_rows(result: RatingResult, methodology: Methodology, digest: str, progress: Progress) -> _RatingRows:
    companies = result.companies
    total = len(companies)
    progress("explaining", 0, total)
    explanations = explanations_utf8(result, methodology)  # column by column; as json.dumps of explain()

    def floats(name: str) -> list[Any]:
        return companies[name].to_numpy(dtype=float).tolist()

    def flags(name: str) -> list[Any]:
        return companies[name].to_numpy(dtype=bool).tolist()

    def texts(name: str) -> list[str]:
        return [str(v) for v in companies[name].tolist()]

    names = [v if isinstance(v, str) else None for v in companies["name"].tolist()]
    visits = companies["visits"].to_numpy(dtype=np.int64).tolist()
    rows = _RatingRows(list(zip(
        texts("credit_code"), names, floats("score"), texts("grade"), texts("band_grade"), floats("bonus"),
        flags("veto"), flags("provisional"), flags("red_list"), flags("black_list"), floats("exposure"), visits,
        strict=True)), (methodology.id, digest), explanations)
    progress("explaining", total, total)
    return rows


def _unattributed_rows(result: RatingResult, inputs: RatingInputs) -> list[tuple[Any, ...]]:
    found = result.unattributed
    rows: list[tuple[Any, ...]] = []
    if found.empty:
        return rows
    # The engine's records frame is the kinds' frames one after the other: a record's row there gives its row in
    # its kind's frame, checked against the ids (else, or if the frame is built otherwise, they are looked up).
    starts = np.cumsum([0, *(len(inputs.frame(kind)) for kind in RECORD_KINDS)])
    index = result.records.index
    positional = isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1 and \
        len(index) == starts[-1]
    for i, kind in enumerate(RECORD_KINDS):
        mine = found[found["kind"] == kind]
        if mine.empty:
            continue
        frame = inputs.frame(kind)
        ids = mine["record_id"].astype(str)
        picked = None
        if positional:
            candidate = frame.iloc[mine.index.to_numpy() - starts[i]]
            if (candidate["record_id"].astype(str).to_numpy() == ids.to_numpy()).all():
                picked = candidate
        if picked is None:
            picked = frame[frame["record_id"].astype(str).isin(set(ids))]
        communities = picked["community_id"] if "community_id" in picked else pd.Series([None] * len(picked))
        dates = picked[EVENT_DATE[kind]]
        for record_id, community, day in zip(picked["record_id"], communities, dates, strict=True):
            rows.append((kind, str(record_id), None if pd.isna(community) else str(community),
                         None if pd.isna(day) else pd.Timestamp(day).date()))
    return rows


def _quality(result: RatingResult, snapshot: Snapshot, unattributed: list[tuple[Any, ...]]) -> dict[str, Any]:
    companies = result.companies
    by_kind: dict[str, int] = {}
    for row in unattributed:
        by_kind[row[0]] = by_kind.get(row[0], 0) + 1
    return {
        "records": {kind: snapshot.counts.get(kind, 0) for kind in RECORD_KINDS},
        "companies_in_snapshot": snapshot.counts.get("companies", 0),
        "rated": len(companies),
        "unattributed": by_kind,
        "unattributed_total": len(unattributed),
        "no_exposure": int((companies["exposure"] <= 0).sum()),
        "provisional": int(companies["provisional"].sum()),
        "veto": int(companies["veto"].sum()),
    }


# -- other transitions ---------------------------------------------------------------------------------------


def to_local_date(value: dt.datetime) -> dt.date:
    """A stored time's date in the bureau's time zone."""
    return to_local(value).date()


def publicize_cycle(*, session: Session, cycle_id: int, actor: str, notice_date: dt.date | None = None,
                    reason: str | None = None) -> Cycle:
    """computed → publicized: preliminary ratings become visible to companies (and later, the public)."""
    cycle = get_cycle_or_raise(session=session, cycle_id=cycle_id, for_update=True)
    _require(cycle, "publicize")
    today = clock.local_today()
    notice_date = notice_date or today
    check_notice_date(cycle, notice_date, today=today)
    if repository.running_job(session, cycle_id=cycle.id) is not None:
        raise Conflict("cycle_job_running", cycle_id=cycle.id)
    cycle = _move(session, cycle, "publicized", actor=actor, reason=reason,
                  extra={"notice_date": notice_date.isoformat()},
                  apply=lambda c: _stamp_publicized(c, actor, notice_date))
    # Numbers and verification codes in the same transaction; the PDFs are rendered after commit.
    notices.issue_cycle_documents(session=session, cycle=cycle, actor=actor)
    return cycle


@dataclass(frozen=True)
class NoticeDates:
    """The notice dates publicizing a cycle allows today: from ``earliest`` to ``latest``, both included."""

    today: dt.date
    computed_on: dt.date | None  # the day the ratings were computed (bureau time)
    earliest: dt.date
    latest: dt.date


def notice_dates(cycle: Cycle, *, today: dt.date) -> NoticeDates:
    """Not before today (the appeal window runs from the notice date: back-dating shortens it, or closes it before
    anyone is told), nor before the day the ratings were computed (the same thing unless a clock was set back), and
    at most ``notice_date_max_days_ahead`` days ahead (a far-off date would hold the window open)."""
    computed_on = to_local_date(cycle.computed_at) if cycle.computed_at is not None else None
    earliest = max(today, computed_on) if computed_on is not None else today
    return NoticeDates(today=today, computed_on=computed_on, earliest=earliest,
                       latest=today + dt.timedelta(days=get_settings().notice_date_max_days_ahead))


def check_notice_date(cycle: Cycle, notice_date: dt.date, *, today: dt.date) -> None:
    """Refuse a notice date that publicizing today does not allow, naming the date and the bound it breaks."""
    allowed = notice_dates(cycle, today=today)
    day = notice_date.isoformat()
    if notice_date < today:
        raise NoticeDateRefused("notice_date_before_today", notice_date=day, today=today.isoformat())
    if allowed.computed_on is not None and notice_date < allowed.computed_on:
        raise NoticeDateRefused("notice_date_before_compute", notice_date=day, cycle_id=cycle.id,
                                computed_on=allowed.computed_on.isoformat())
    if notice_date > allowed.latest:
        raise NoticeDateRefused("notice_date_too_far", notice_date=day, today=today.isoformat(),
                                days=get_settings().notice_date_max_days_ahead, latest=allowed.latest.isoformat())


def _stamp_publicized(cycle: Cycle, actor: str, notice_date: dt.date) -> None:
    cycle.publicized_at = _now()
    cycle.publicized_by = actor
    cycle.notice_date = notice_date


def window_open_on(cycle: Cycle, day: dt.date) -> bool:
    """Whether companies may still appeal the cycle's ratings on ``day`` (the deadline day included)."""
    return cycle.status == "publicized" and cycle.appeal_deadline is not None and day <= cycle.appeal_deadline


def finalize_cycle(*, session: Session, cycle_id: int, actor: str, reason: str | None = None) -> Cycle:
    """publicized → finalized: the ratings become final and the cycle immutable."""
    cycle = get_cycle_or_raise(session=session, cycle_id=cycle_id, for_update=True)
    _require(cycle, "finalize")
    today = clock.local_today()
    if window_open_on(cycle, today) and cycle.appeal_deadline is not None:
        # Finalizing while companies may still appeal would take that right away from them.
        raise Conflict("cycle_window_open", cycle_id=cycle.id, deadline=cycle.appeal_deadline.isoformat(),
                       today=today.isoformat())
    pending = appeals_repo.pending_count(session, cycle_id=cycle.id)
    if pending:
        raise Conflict("cycle_appeals_pending", cycle_id=cycle.id, count=pending)

    def stamp(c: Cycle) -> None:
        c.finalized_at = _now()
        c.finalized_by = actor

    return _move(session, cycle, "finalized", actor=actor, reason=reason, extra={}, apply=stamp)


def disclosure_changed(*, session: Session, cycle: Cycle) -> None:
    """Something the public sees of the cycle changes: its version moves on, and this process's disclosure
    caches look again as soon as the transaction commits (other processes within their poll interval)."""
    # Incremented in SQL: two appeals filed at once must both move it on.
    cycle.disclosure_version = Cycle.disclosure_version + 1
    session.info[DISCLOSURE_CHANGED] = True


def _move(session: Session, cycle: Cycle, to: str, *, actor: str, reason: str | None, extra: dict[str, Any],
          apply: Callable[[Cycle], None]) -> Cycle:
    assert to in CYCLE_STATES
    previous = cycle.status
    cycle.status = to
    apply(cycle)
    disclosure_changed(session=session, cycle=cycle)
    session.flush()
    action = {"publicized": "cycle.publicize", "finalized": "cycle.finalize"}[to]
    audit.record(session, action, actor=actor, entity_kind="cycle", entity_id=str(cycle.id), reason=reason,
                 payload={"from": previous, "to": to, **extra})
    return cycle


# -- reading results -----------------------------------------------------------------------------------------

def grade_distribution(*, session: Session, cycle: Cycle) -> list[tuple[str, int]]:
    """Every grade of the methodology in order (empty grades included) with its count."""
    counts = repository.grade_counts(session, cycle_id=cycle.id)
    grades = [band.grade for band in methodology_of(cycle).bands]
    return [(grade, counts.get(grade, 0)) for grade in grades]


def get_rating_or_raise(*, session: Session, cycle: Cycle, credit_code: str) -> Rating:
    found = repository.rating(session, cycle_id=cycle.id, credit_code=credit_code)
    if found is None:
        raise NotFound("rating_not_found", cycle_id=cycle.id, code=credit_code)
    return found


def find_rating(*, session: Session, cycle: Cycle, credit_code: str) -> Rating | None:
    """The company's rating in the cycle, or None (no access check: the caller has made it)."""
    return repository.rating(session, cycle_id=cycle.id, credit_code=credit_code)


def rated_names(*, session: Session, cycle: Cycle) -> dict[str, str | None]:
    """Each rated company's name in the cycle, by credit code."""
    return {r.credit_code: r.name for r in repository.list_ratings(session, cycle_id=cycle.id)[0]}


# -- who may see what ----------------------------------------------------------------------------------------
# Officers see every cycle. A company sees only publicized and finalized cycles, and in them only its own
# rating; anything else answers 404, so that a company cannot even learn what exists.

def visible_cycle(session: Any, principal: Principal, cycle_id: int) -> Cycle:
    cycle = get_cycle_or_raise(session=session, cycle_id=cycle_id)
    if not principal.is_officer and cycle.status not in VISIBLE_TO_COMPANIES:
        raise NotFound("cycle_not_found", cycle_id=cycle_id)
    return cycle


def visible_rating(session: Any, principal: Principal, cycle_id: int, credit_code: str) -> tuple[Cycle, Rating]:
    """The cycle and one company's rating in it, if this user may see them; 404 otherwise.

    404, not 403: a company must not learn which other companies were rated.
    """
    cycle = visible_cycle(session, principal, cycle_id)
    if not principal.is_officer and principal.credit_code != credit_code:
        raise NotFound("rating_not_found", cycle_id=cycle_id, code=credit_code)
    return cycle, get_rating_or_raise(session=session, cycle=cycle, credit_code=credit_code)


def quality_report(*, session: Session, cycle: Cycle) -> dict[str, Any]:
    if cycle.quality is None:
        raise InvalidTransition("cycle_not_computed", cycle_id=cycle.id, status=CycleState(cycle.status).localized())
    lists = repository.quality_companies(session, cycle_id=cycle.id)
    return {
        "summary": json.loads(cycle.quality),
        "unattributed": [{"kind": r.kind, "record_id": r.record_id, "community_id": r.community_id,
                          "event_date": r.event_date.isoformat() if r.event_date else None}
                         for r in repository.unattributed(session, cycle_id=cycle.id)],
        "no_exposure": [{"credit_code": r.credit_code, "name": r.name} for r in lists["no_exposure"]],
        "provisional": [{"credit_code": r.credit_code, "name": r.name, "exposure": r.exposure}
                        for r in lists["provisional"]],
    }


# -- compute jobs (run by rating_service.jobs; pages poll their progress) -------------------------------------

def start_job(*, session: Session, kind: str, cycle_id: int, actor: str) -> Job:
    cycle = get_cycle_or_raise(session=session, cycle_id=cycle_id, for_update=True)
    _require(cycle, "compute")
    if repository.running_job(session, cycle_id=cycle_id) is not None:
        raise Conflict("cycle_job_running", cycle_id=cycle_id)
    return jobs.new_job(session, kind=kind, cycle_id=cycle_id, actor=actor)


def start_background_compute(*, database: Database, cycle_id: int, actor: str, reason: str | None = None) -> Job:
    """Start computing the cycle as a background job (rating_service.jobs); the pages and the API poll its row."""
    with database.write_session() as session:
        job = start_job(session=session, kind="compute", cycle_id=cycle_id, actor=actor)
        jobs.run_after_commit(session, database, job, {"cycle_id": cycle_id, "actor": actor, "reason": reason})
    return job


def fail_interrupted_jobs(*, session: Session) -> int:
    """With the embedded queue jobs run in the serving process: when it starts, any job still "running" died with
    the last one. On the real queue they run in workers, which take back the tasks of a lost one: none is failed."""
    if get_settings().queue_backend != "local":
        return 0
    running = repository.running_jobs(session)
    for job in running:
        job.status = "failed"
        job.finished_at = _now()
        job.error = json.dumps({"code": "error", "key": "job_interrupted", "params": {}})
    return len(running)
