"""/api/v1/monitor: the running rating of the period to date, for officers (all companies) and for a company (its
own position); never published (docs/monitor.md)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from rating_service.web.errors import API_ERRORS

router = APIRouter(prefix="/api/v1", tags=["monitor / 信用预警"], responses=API_ERRORS,
                   default_response_class=JSONResponse)
