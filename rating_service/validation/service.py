"""Validating a methodology on the bureau's own cycles (back-test, migration, stability, sensitivity, advisory
weights) and trying a draft methodology on a rated cycle (what-if). The figures come from ``scoring.validation``;
this room reads the cycles, rated as they now stand (every appeal decision applied, the frozen constants)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from rating_service import clock
from rating_service.cycles import service as cycles
from rating_service.cycles import standing
from rating_service.cycles.models import Cycle, CycleState
from rating_service.errors import InvalidTransition, RatingServiceError
from rating_service.methodologies import service as methodologies
from scoring import validation
from scoring.engine import rate_companies
from scoring.methodology import Methodology

RATED = ("computed", "publicized", "finalized")


def rated_cycle_or_raise(*, session: Session, cycle_id: int) -> Cycle:
    cycle = cycles.get_cycle_or_raise(session=session, cycle_id=cycle_id)
    if cycle.status not in RATED:
        raise InvalidTransition("cycle_not_computed", cycle_id=cycle.id, status=CycleState(cycle.status).localized())
    return cycle


def _cycle_facts(cycle: Cycle) -> dict[str, Any]:
    return {"id": cycle.id, "name": cycle.name, "status": cycle.status, "methodology_id": cycle.methodology_id,
            "period_start": cycle.period_start.isoformat(), "period_end": cycle.period_end.isoformat()}


@dataclass(frozen=True)
class Report:
    cycle: dict[str, Any]
    next: dict[str, Any]
    methodology_id: str
    grades: list[str]
    weights: dict[str, float]
    outcomes: list[dict[str, str]]
    back_test: validation.BackTest
    migration: validation.Migration
    stability: validation.Stability
    sensitivity: validation.Sensitivity
    advice: dict[str, validation.Advice | None]
    settings: dict[str, Any]
    generated_on: str

    def as_dict(self) -> dict[str, Any]:
        return {"cycle": self.cycle, "next": self.next, "methodology_id": self.methodology_id, "grades": self.grades,
                "weights": self.weights, "outcomes": self.outcomes, "back_test": self.back_test.as_dict(),
                "migration": self.migration.as_dict(), "stability": self.stability.as_dict(),
                "sensitivity": self.sensitivity.as_dict(),
                "advice": {k: (v.as_dict() if v is not None else None) for k, v in self.advice.items()},
                "settings": self.settings, "generated_on": self.generated_on}


def validate(*, session: Session, cycle_id: int, next_id: int, bootstrap: int = 500, draws: int = 200,
             seed: int = 0) -> Report:
    """Cycle ``cycle_id``'s ratings judged by what happened in cycle ``next_id``."""
    if cycle_id == next_id:
        raise RatingServiceError("validation_same_cycle", cycle_id=cycle_id)
    first = rated_cycle_or_raise(session=session, cycle_id=cycle_id)
    then = rated_cycle_or_raise(session=session, cycle_id=next_id)
    if not follows(first, then):
        raise RatingServiceError("validation_next_not_later", cycle=first.name, next=then.name,
                                 cycle_end=first.period_end.isoformat(), next_start=then.period_start.isoformat())
    methodology = cycles.methodology_of(first)
    result, _inputs = standing.rate_amended_cycle(session=session, cycle=first)
    later, later_inputs = standing.rate_amended_cycle(session=session, cycle=then)
    companies = result.companies
    outcomes = validation.next_cycle_outcomes(result=later, inputs=later_inputs)
    scores = companies[["credit_code", "score", "grade"]]
    back = validation.back_test(scores=scores, outcomes=outcomes, grades=methodology.grades, bootstrap=bootstrap,
                                seed=seed)
    by_code = companies.set_index(companies["credit_code"].astype(str))
    later_by_code = later.companies.set_index(later.companies["credit_code"].astype(str))
    # The next cycle may be rated under a later version with other grades: the matrix has every grade of both.
    grades = list(dict.fromkeys([*methodology.grades, *cycles.methodology_of(then).grades]))
    migration = validation.migration_matrix(before=by_code["grade"].astype(str),
                                            after=later_by_code["grade"].astype(str), grades=grades)
    stability = validation.population_stability(expected=companies["score"].astype(float),
                                                actual=later.companies["score"].astype(float))
    sensitivity = validation.sensitivity(frame=companies, methodology=methodology, draws=draws, seed=seed)
    both = [code for code in by_code.index if code in outcomes.index]
    advice: dict[str, validation.Advice | None] = {}
    for definition in validation.DEFAULT_OUTCOMES:
        advice[definition.code] = validation.advisory_weights(
            frame=by_code.loc[both].reset_index(drop=True), methodology=methodology, seed=seed,
            outcome=outcomes.loc[both, definition.code].astype(bool))
    return Report(
        cycle=_cycle_facts(first), next=_cycle_facts(then), methodology_id=methodology.id,
        grades=list(methodology.grades), weights=dict(methodology.weights),
        outcomes=[{"code": d.code, "zh": d.zh, "en": d.en} for d in validation.DEFAULT_OUTCOMES],
        back_test=back, migration=migration, stability=stability, sensitivity=sensitivity, advice=advice,
        settings={"bootstrap": bootstrap, "draws": draws, "seed": seed, "spread": 0.2},
        generated_on=clock.local_today().isoformat())


@dataclass(frozen=True)
class WhatIf:
    cycle: dict[str, Any]
    current: Methodology
    draft: Methodology
    result: validation.WhatIf

    def as_dict(self) -> dict[str, Any]:
        return {"cycle": self.cycle, "current_methodology": self.current.id, "draft_methodology": self.draft.id,
                "rule_changes": methodologies.differences(self.current, self.draft), **self.result.as_dict()}


def what_if(*, session: Session, cycle_id: int, draft: Methodology) -> WhatIf:
    """The cycle rated with ``draft`` next to the methodology it was rated with: same snapshot (appeal decisions
    applied), same frozen constants."""
    cycle = rated_cycle_or_raise(session=session, cycle_id=cycle_id)
    current = cycles.methodology_of(cycle)
    inputs, period, constants = standing.amended_cycle_inputs(session=session, cycle=cycle)
    before = rate_companies(inputs=inputs, period=period, methodology=current, constants=constants)
    after = rate_companies(inputs=inputs, period=period, methodology=draft, constants=constants)
    grades = list(dict.fromkeys([*current.grades, *draft.grades]))
    return WhatIf(cycle=_cycle_facts(cycle), current=current, draft=draft,
                  result=validation.what_if(current=before, draft=after, grades=grades))


def follows(cycle: Cycle, later: Cycle) -> bool:
    """Whether ``later`` can judge ``cycle``: what happened in it must come after the period that was rated."""
    return later.period_start > cycle.period_end


def next_cycle_of(*, session: Session, cycle: Cycle) -> Cycle | None:
    """The rated cycle whose period starts right after this one's, if any (the default 'next' of a back-test)."""
    later = [c for c in cycles.list_cycles(session=session) if c.status in RATED and c.period_start > cycle.period_end]
    later.sort(key=lambda c: (c.period_start, c.id))
    return later[0] if later and later[0].period_start - cycle.period_end <= dt.timedelta(days=40) else None
