"""The intake JSON API: pushes from other systems (`POST /api/v1/intake/tickets`, per-system keys) and the
administrators' management of those keys."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from rating_service.web.errors import API_ERRORS

router = APIRouter(prefix="/api/v1", tags=["intake / 工单接收"], responses=API_ERRORS,
                   default_response_class=JSONResponse)
