"""/api/v1/repair: a company files a repair request (multipart, with evidence) and reads its own; officers read
the queue and accept, refuse or decide (docs/repair.md)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from rating_service.web.errors import API_ERRORS

router = APIRouter(prefix="/api/v1", tags=["repair / 信用修复"], responses=API_ERRORS,
                   default_response_class=JSONResponse)
