"""The OpenAPI document and the API explorer (/docs), served from local files and optionally behind login.

``RATING_API_DOCS``: ``public`` (development default), ``login`` (production default: any signed-in account,
companies included, since they may call the API) or ``off``. The explorer's scripts come from the
fastapi-offline package, so no page of the service loads anything from a CDN; its start-up script is a static
file, so the page needs no inline script under the Content-Security-Policy. ReDoc (/docs/redoc, a reading view of
the same document) comes from the same package.

Why a PyPI package and not files vendored from npm: fastapi-offline (MIT; Swagger UI's files Apache-2.0, ReDoc's
MIT, their licences named in its LICENSE) ships ``swagger-ui-bundle.js``, ``swagger-ui.css`` and
``redoc.standalone.js`` as package data, so the assets are pinned in pyproject.toml with every other dependency,
upgraded by the same tool, and no multi-megabyte minified file sits in this repository to be reviewed.
tests/rating_service/web/test_api_docs_offline.py checks that the pages name only local URLs and that each answers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from rating_service.errors import Unauthorized
from rating_service.web.deps import MaybePrincipal

DOCS_PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · API</title>
<link rel="stylesheet" href="/docs-assets/swagger-ui.css">
<link rel="icon" href="/docs-assets/favicon.png">
</head>
<body>
<div id="swagger-ui" data-openapi-url="/openapi.json"></div>
<script src="/docs-assets/swagger-ui-bundle.js"></script>
<script src="/static/api-docs.js"></script>
</body>
</html>
"""


REDOC_PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · API (ReDoc)</title>
<link rel="icon" href="/docs-assets/favicon.png">
</head>
<body>
<redoc spec-url="/openapi.json" disable-search></redoc>
<script src="/docs-assets/redoc.standalone.js"></script>
</body>
</html>
"""


def _assets_folder() -> Path:
    import fastapi_offline

    return Path(fastapi_offline.__file__).resolve().parent / "static"


def install(app: FastAPI, *, mode: str) -> None:
    if mode == "off":
        return
    app.mount("/docs-assets", StaticFiles(directory=_assets_folder()), name="docs-assets")

    def allowed(principal: Any) -> None:
        if mode == "login" and principal is None:
            raise Unauthorized("auth_required")

    @app.get("/openapi.json", include_in_schema=False)
    def openapi(principal: MaybePrincipal) -> Response:
        allowed(principal)
        return JSONResponse(app.openapi())

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request, principal: MaybePrincipal) -> Response:
        allowed(principal)  # a page: the error handler turns a 401 into the login redirect
        return HTMLResponse(DOCS_PAGE.format(title=app.title))

    # Under /docs: the explorer's Content-Security-Policy (ReDoc, like Swagger UI, sets inline styles).
    @app.get("/docs/redoc", include_in_schema=False)
    def redoc(request: Request, principal: MaybePrincipal) -> Response:
        allowed(principal)
        return HTMLResponse(REDOC_PAGE.format(title=app.title))
