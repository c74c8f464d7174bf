"""The validation room's JSON: a validation report, a what-if of a draft methodology, methodology versions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from rating_service.methodologies import service as methodologies
from rating_service.web.deps import MAX_DB_INT
from rating_service.web.schemas import JsonObject
from scoring.methodology import Methodology


class DraftIn(BaseModel):
    """A draft methodology: YAML text, or the same as a JSON object."""

    yaml: str | None = Field(default=None, max_length=methodologies.MAX_TEXT)
    methodology: dict[str, Any] | None = None

    def parsed(self) -> Methodology:
        return methodologies.parse_text(self.yaml) if self.yaml is not None else \
            methodologies.parse_data(self.methodology)


class WhatIfIn(DraftIn):
    cycle_id: int = Field(ge=1, le=MAX_DB_INT)


class AdoptIn(DraftIn):
    reason: str = Field(max_length=5000)
    based_on: str | None = Field(default=None, max_length=64)


class CycleFactsOut(BaseModel):
    id: int
    name: str
    status: str
    methodology_id: str
    period_start: dt.date
    period_end: dt.date


class OutcomeOut(BaseModel):
    code: str
    zh: str
    en: str


class ValidationOut(BaseModel):
    cycle: CycleFactsOut = Field(description="the cycle judged")
    next: CycleFactsOut = Field(description="the cycle whose outcomes judge it")
    methodology_id: str
    grades: list[str]
    weights: dict[str, float]
    outcomes: list[OutcomeOut]
    back_test: JsonObject = Field(description="AUC/Gini per outcome with bootstrap intervals, event rate per grade")
    migration: JsonObject = Field(description="grade migration matrix, grades best first")
    stability: JsonObject = Field(description="population stability index of the scores, by band")
    sensitivity: JsonObject = Field(description="how ranks and grades move under perturbed weights")
    advice: dict[str, JsonObject | None] = Field(description="advisory weights per outcome (null: none)")
    settings: JsonObject
    generated_on: dt.date


class WhatIfOut(BaseModel):
    cycle: CycleFactsOut
    current_methodology: str
    draft_methodology: str
    current_methodology_id: str
    draft_methodology_id: str
    rule_changes: list[str] = Field(description="the key paths in which the draft scores differently from the "
                                                "cycle's methodology (weights.X, a curve's path, bands, "
                                                "complaints.timeliness, …)")
    migration: JsonObject = Field(description="grade migration matrix current -> draft")
    changes: list[JsonObject] = Field(description="every company whose grade changes, with the reasons")
    score_moves: list[JsonObject] = Field(description="every company whose score changes and grade does not, the "
                                                      "largest change first, with the reasons")


class MethodologyListingOut(BaseModel):
    id: str
    title: str
    effective_from: dt.date
    effective_to: dt.date | None
    source: str = Field(description="shipped | adopted")
    adopted_by: str | None
    reason: str | None
    sha256: str | None
