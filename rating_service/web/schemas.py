"""Shapes of the web app's own JSON answers (health), and what every room's schemas share.

A room's answers are declared in its ``schemas.py``; routes name them as ``response_model``. Handlers may keep
returning plain dicts: FastAPI checks them against the model and writes the model's fields, in the model's order,
so a model lists its fields in the order the answer has always had them.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

# A free-form JSON object inside an answer (an explanation, an audit payload, a stored summary): its keys vary.
JsonObject = dict[str, Any]


class HealthOut(BaseModel):
    status: str = Field(examples=["ok"])
    version: str


class ReadyOut(BaseModel):
    status: str = Field(examples=["ready"])
    version: str
    checks: dict[str, str] = Field(description="every check by name: ok / 每项检查：ok")
