"""Shapes of the web app's own JSON answers (health), and what every room's schemas share.

A room's answers are declared in its ``schemas.py``; routes name them as ``response_model``. Handlers may keep
returning plain dicts: FastAPI checks them against the model and writes the model's fields, in the model's order,
so a model lists its fields in the order the answer has always had them. Routers with response models set
``default_response_class=JSONResponse``: the answer is then written by ``json.dumps`` as before (FastAPI's faster
path writes floats its own way, ``1e-7`` for ``1e-07``). A handler that returns a ``Response`` (the public API's
cached bytes, with their ETags and 304s) sends it as it is; its response model only documents the shape.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, Field, WithJsonSchema

# A free-form JSON object inside an answer (an explanation, an audit payload, a stored summary): its keys vary.
JsonObject = dict[str, Any]

# A moment as the answers have always written it: ISO 8601, in UTC ("Z") when the database keeps the time zone
# (PostgreSQL), without an offset when it does not (SQLite, whose times are UTC as well). Not "date-time" in the
# OpenAPI sense, which requires the offset.
Timestamp = Annotated[dt.datetime, WithJsonSchema({
    "type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$",
    "description": "ISO 8601, UTC / 协调世界时", "examples": ["2026-11-27T08:30:00.123456Z"]})]


class HealthOut(BaseModel):
    status: str = Field(examples=["ok"])
    version: str


class ReadyOut(BaseModel):
    status: str = Field(examples=["ready"])
    version: str
    checks: dict[str, str] = Field(description="every check by name: ok / 每项检查：ok")
