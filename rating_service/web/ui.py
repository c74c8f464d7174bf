"""Shared page machinery: templates, the UI text catalogue (zh/en), the page context and HTML errors."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from rating_service.errors import RatingServiceError
from rating_service.i18n import ROLE_LABELS, STATE_LABELS, Lang, negotiate_lang
from rating_service.i18n.web import UI
from rating_service.settings import get_settings, to_local
from rating_service.web.deps import csrf_token

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=HERE / "templates")


def local_time(value: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored UTC time (SQLite hands it back naive) in the bureau's time zone."""
    return "" if value is None else to_local(value).strftime(fmt)


templates.env.filters["local_time"] = local_time

_TOKEN = re.compile(r"\d{4}-\d{2}-\d{2}|[0-9A-Z]{18}|[\w\u4e00-\u9fff]{2,8}\u3014\d{4}\u3015\d+\u53f7")


def tokens(text: str) -> Markup:
    """Escaped text whose dates, credit codes and document numbers never break across lines (`.token`)."""
    return Markup(_TOKEN.sub(lambda m: f'<span class="token">{m.group(0)}</span>', str(escape(text))))


templates.env.filters["tokens"] = tokens


def request_lang(request: Request, lang: str | None = None, *, page: bool = False) -> Lang:
    """zh or en. Pages follow ?lang= and the switch's cookie and are Chinese otherwise (a browser's
    English Accept-Language does not flip a bureau's site); API answers also honour Accept-Language."""
    explicit = lang or request.query_params.get("lang") or request.cookies.get("lang")
    return negotiate_lang(None if page else request.headers.get("accept-language"), explicit)


def texts(lang: Lang, *catalogues: dict[str, dict[str, str]]) -> dict[str, str]:
    out = {k: v[lang] for k, v in UI.items()}
    for catalogue in catalogues:
        out.update({k: v.get(lang) or v["zh"] for k, v in catalogue.items()})
    return out


def base_context(request: Request, lang: Lang, *catalogues: dict[str, dict[str, str]], user: Any,
                 csrf_token: str) -> dict[str, Any]:
    """What every page's template gets: language, texts, the signed-in user (None on public pages)."""
    return {
        "lang": lang,
        "t": texts(lang, *catalogues),
        "other_lang": "en" if lang == "zh" else "zh",
        "user": user,
        "csrf_token": csrf_token,
        "state_labels": {k: v.render(lang) for k, v in STATE_LABELS.items()},
        "role_labels": {k: v.render(lang) for k, v in ROLE_LABELS.items()},
        "path": request.url.path,
        # The switch keeps the page's other parameters (filters, the running job).
        "lang_switch_url": "?" + urlencode({**dict(request.query_params), "lang": "en" if lang == "zh" else "zh"}),
        "site": site_footer(),
    }


def site_footer() -> list[tuple[str, str]]:
    """(word key, value) of the footer's site fields that are set: owner, enquiry phone, ICP filing."""
    settings = get_settings()
    fields = (("site_owner", settings.site_owner), ("site_phone", settings.site_phone), ("site_icp", settings.site_icp))
    return [(key, value.strip()) for key, value in fields if value and value.strip()]


def render(request: Request, template: str, context: dict[str, Any], *,
           catalogue: dict[str, dict[str, str]] | None = None, status_code: int = 200,
           remember_lang: bool = True) -> HTMLResponse:
    """A page with the shared context: language, texts, the signed-in user, the CSRF token."""
    lang = request_lang(request, page=True)
    base = base_context(request, lang, *([catalogue] if catalogue else []),
                        user=getattr(request.state, "principal", None), csrf_token=csrf_token(request))
    # The app's page hooks add to every page it answers (not error pages: the cause may be the database itself),
    # e.g. the officers' to-do count in the navigation (rating_service/todo/pages.py:nav_context).
    for hook in getattr(request.app.state, "page_hooks", ()) if status_code < 400 else ():
        base |= hook(request, base["user"])
    response = templates.TemplateResponse(request, template, {**base, **context}, status_code=status_code)
    if remember_lang and request.query_params.get("lang") in ("zh", "en"):
        response.set_cookie("lang", lang, samesite="lax")
    return response


def score_chart(points: list[tuple[str, float, str]]) -> dict[str, Any]:
    """A score-by-cycle line chart (0–100) of (cycle name, score, grade) points on a 420 × 220 canvas.

    The canvas is small so its 13-unit text stays readable when a phone shrinks it to ~350 px; the first and last
    labels are anchored inwards (start, end) so a long cycle name never runs off the canvas."""
    width, height, left, right, top, bottom = 420, 220, 36, 14, 28, 34
    n = len(points)
    inner = width - left - right
    out = []
    for i, (cycle, score, grade) in enumerate(points):
        x = left + 10 + (inner - 20) * (i / (n - 1) if n > 1 else 0.5)
        y = top + (height - top - bottom) * (1 - max(0.0, min(100.0, score)) / 100)
        anchor = "middle" if n == 1 or 0 < i < n - 1 else ("start" if i == 0 else "end")
        label_x = x if anchor == "middle" else (x - 10 if anchor == "start" else x + 10)
        out.append({"x": round(x, 1), "y": round(y, 1), "score": score, "grade": grade, "cycle": cycle,
                    "anchor": anchor, "label_x": round(label_x, 1)})
    return {"width": width, "height": height, "left": left, "right": width - right, "points": out,
            "line": " ".join(f"{p['x']},{p['y']}" for p in out),
            "grid": [{"value": v, "y": round(top + (height - top - bottom) * (1 - v / 100), 1)} for v in (0, 50, 100)]}


def error_page(request: Request, exc: RatingServiceError) -> Response:
    """Pages answer errors as HTML: a login redirect for 401, a readable message otherwise."""
    if exc.status_code == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    lang = request_lang(request, page=True)
    # An error answer does not change the visitor's language (``?lang=en`` of a missing CSV is the file's).
    if exc.status_code == 404:  # a page in the public site's style: what was not found, the way home, a search
        return render(request, "not_found.html", {"message": exc.message(lang), "status": 404}, status_code=404,
                      remember_lang=False)
    return render(request, "error.html", {"message": exc.message(lang), "details": exc.details(lang),
                                          "status": exc.status_code}, status_code=exc.status_code,
                  remember_lang=False)


def content_disposition(ascii_name: str, name: str, *, inline: bool = False) -> str:
    """``Content-Disposition`` of a file (RFC 6266): an ASCII ``filename`` for old clients and the name people see
    as ``filename*`` (RFC 5987: UTF-8, percent-encoded); shown in the page when ``inline``, else saved."""
    disposition = "inline" if inline else "attachment"
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def private_download(data: bytes, *, media_type: str, filename: str, ascii_name: str | None = None,
                     inline: bool = False) -> Response:
    """A non-public file: never cached, never sniffed; the name survives non-ASCII (RFC 5987)."""
    return Response(content=data, media_type=media_type, headers={
        "Content-Disposition": content_disposition(ascii_name or filename, filename, inline=inline),
        "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"})


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)
