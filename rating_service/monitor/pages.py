"""The early-warning pages: the officers' page of sliding companies with their driving records, the weekly
summaries, and a company's own running position."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
