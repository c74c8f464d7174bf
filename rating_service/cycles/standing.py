"""The cycle as it stands now: its frozen snapshot with every record decision taken so far, and its frozen constants.

Appeal decisions void or amend records of a publicized cycle; the cycle's stored snapshot never changes, so what
the cycle "is" after them is the snapshot with the decisions applied (``scoring.amend``), rated with the constants
(R0) frozen at compute. Deciding an appeal, the public disclosure and validation all read the cycle from here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from rating_service.cycles import facts
from rating_service.cycles.models import Cycle
from rating_service.cycles.service import methodology_of, read_snapshot
from scoring.amend import RecordDecision, amended_inputs
from scoring.engine import Constants, Period, RatingInputs, RatingResult, rate_companies
from scoring.methodology import Methodology

if TYPE_CHECKING:
    import pandas as pd


def amended_cycle_inputs(*, session: Session, cycle: Cycle, decisions: Sequence[RecordDecision] | None = None
                         ) -> tuple[RatingInputs, Period, Constants]:
    """The cycle's frozen snapshot with the record decisions applied (by default every one taken so far), its
    period and its frozen constants: what ``rate_amended_cycle`` rates, for rating it with another methodology."""
    if decisions is None:
        decisions = facts.decided_items(session, cycle.id)
    period = Period(cycle.period_start, cycle.period_end)
    assert cycle.snapshot_batch is not None and cycle.constants
    snapshot = read_snapshot(session=session, watermark=cycle.snapshot_batch, period=period,
                             methodology=methodology_of(cycle), repairs_by=cycle.computed_at)
    return (amended_inputs(snapshot.inputs, decisions), period,
            Constants(r0=float(json.loads(cycle.constants)["R0"])))


def rate_amended(*, session: Session, cycle: Cycle, decisions: Sequence[RecordDecision] | None = None,
                 with_evidence: bool = True) -> tuple[RatingResult, RatingInputs, Methodology]:
    """The cycle's frozen snapshot with the record decisions applied (by default every one taken so far), rated
    with the frozen constants and the cycle's methodology."""
    inputs, period, constants = amended_cycle_inputs(session=session, cycle=cycle, decisions=decisions)
    methodology = methodology_of(cycle)
    result = rate_companies(inputs=inputs, period=period, methodology=methodology, constants=constants,
                            with_evidence=with_evidence)
    return result, inputs, methodology


def rate_amended_cycle(*, session: Session, cycle: Cycle,
                       with_evidence: bool = True) -> tuple[RatingResult, RatingInputs]:
    """The whole cycle rated as it now stands: the frozen snapshot with every record decision taken so far
    (``with_evidence=False``: without the evidence lists, for a caller that needs only scores and records)."""
    result, inputs, _methodology = rate_amended(session=session, cycle=cycle, with_evidence=with_evidence)
    return result, inputs


# -- a company's counted records as the cycle stands (whole, as facts) ---------------------------------------

def _counted_frame(session: Session, cycle: Cycle) -> pd.DataFrame:
    result, _inputs, _m = rate_amended(session=session, cycle=cycle, with_evidence=False)
    records = result.records
    return records[records["counted"] & (records["attribution"].astype(str) != "unattributed")]


def company_facts(*, session: Session, cycle: Cycle, credit_code: str) -> facts.CompanyFacts:
    """Every record counted for the company in the cycle as it stands (after the cycle's appeal decisions), whole,
    with the evidence order of its stored rating. Rates the cycle once (a county: a fraction of a second)."""
    counted = _counted_frame(session, cycle)
    mine = counted[counted["credit_code"].astype(object) == credit_code]
    points = {(str(k), str(r)): float(p) for k, r, p in zip(mine["kind"], mine["record_id"], mine["points"],
                                                            strict=True)}
    return facts.facts_of(session, cycle, {credit_code: points}, facts.stored_evidence(session, cycle, [credit_code]))[
        credit_code]


def find_record(*, session: Session, cycle: Cycle, kind: str, record_id: str) -> facts.RecordFact | None:
    """The record if it counts for a company in the cycle as it stands (else None), with that company's points."""
    counted = _counted_frame(session, cycle)
    hit = counted[(counted["kind"].astype(str) == kind) & (counted["record_id"].astype(str) == record_id)]
    if not len(hit):
        return None
    code = str(hit["credit_code"].iloc[0])
    found = facts.facts_of(session, cycle, {code: {(kind, record_id): float(hit["points"].iloc[0])}}, {})
    return found[code].records.get((kind, record_id))


def records_by_key(*, session: Session, cycle: Cycle, credit_code: str,
                   keys: Sequence[facts.Key]) -> dict[facts.Key, facts.RecordFact]:
    """Records of the company named by key as imported (no decision applied: a voided record is still there),
    with the points they count for now (0 when they no longer count): what an appeal contested."""
    counted = _counted_frame(session, cycle)
    mine = counted[counted["credit_code"].astype(object) == credit_code]
    wanted = set(keys)
    points = {(str(k), str(r)): float(p) for k, r, p in zip(mine["kind"], mine["record_id"], mine["points"],
                                                            strict=True) if (str(k), str(r)) in wanted}
    return facts.imported_records(session=session, cycle=cycle, credit_code=credit_code, keys=keys,
                                  points=points)


def counted_records(*, session: Session, cycle: Cycle, credit_code: str) -> list[dict[str, Any]]:
    """Every record that counts for the company in the cycle (after the cycle's appeal decisions), with its points
    and how it was attributed: named in the record, or by the contract that covered its community that day
    (the JSON API's rows; ``company_facts`` has the whole records)."""
    company = company_facts(session=session, cycle=cycle, credit_code=credit_code)
    out = []
    for f in company.records.values():
        out.append({"kind": f.kind, "record_id": f.record_id, "date": f.date.isoformat() if f.date else None,
                    "community_id": f.community_id, "community_name": f.community_name, "points": f.points,
                    "attribution": f.attribution, "reasons": list(f.reasons),
                    "contract": None if f.contract is None else {
                        "community_id": f.contract.community_id, "start": f.contract.start.isoformat(),
                        "end": f.contract.end.isoformat() if f.contract.end else None}})
    out.sort(key=lambda r: (r["kind"], r["date"] or "", r["record_id"]))
    return out
