"""The repair pages: a company's marks, its request form (evidence, the commitment signed in the form) and its
requests; the officers' queue with due dates and the review page (accept, refuse, verify on site, decide)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
