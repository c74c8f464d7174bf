"""Intake pages (see rating_service/intake/pages/__init__.py)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
