"""Shared page machinery: templates, the UI text catalogue (zh/en), the page context and HTML errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from rating_service.errors import RatingServiceError
from rating_service.i18n import ROLE_LABELS, STATE_LABELS, Lang, negotiate_lang
from rating_service.settings import to_local
from rating_service.web.deps import csrf_token

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=HERE / "templates")


def local_time(value: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored UTC time (SQLite hands it back naive) in the bureau's time zone."""
    return "" if value is None else to_local(value).strftime(fmt)


templates.env.filters["local_time"] = local_time

UI: dict[str, dict[str, str]] = {
    "title": {"zh": "枞阳县物业服务企业信用评价系统", "en": "Zongyang Property-Company Credit Rating"},
    "issuer": {"zh": "枞阳县住房和城乡建设局", "en": "Zongyang County Housing and Urban-Rural Development Bureau"},
    "overview": {"zh": "数据概览", "en": "Data overview"},
    "companies": {"zh": "物业服务企业", "en": "Property companies"},
    "communities": {"zh": "物业小区", "en": "Managed communities"},
    "credit_code": {"zh": "统一社会信用代码", "en": "Credit code"},
    "name": {"zh": "名称", "en": "Name"},
    "legal_rep": {"zh": "法定代表人", "en": "Legal representative"},
    "managed": {"zh": "在管小区", "en": "Communities"},
    "households": {"zh": "户数", "en": "Households"},
    "community_id": {"zh": "小区编号", "en": "ID"},
    "neighborhood": {"zh": "所属社区", "en": "Neighbourhood"},
    "manager": {"zh": "物业服务企业（今日）", "en": "Managed by (today)"},
    "none": {"zh": "无在管企业", "en": "no manager"},
    "records": {"zh": "记录数", "en": "Records"},
    "last_import": {"zh": "最近导入：", "en": "Last import: "},
    "empty": {
        "zh": "尚无数据。请运行 rating demo 载入演示数据，或用 rating import 导入文件。",
        "en": "No data yet. Run `rating demo` to load the demo data or `rating import` to import files.",
    },
    "switch": {"zh": "English", "en": "中文"},
    "footer": {
        "zh": "依据《枞阳县“城市管理进小区”实施方案》（枞政办秘〔2025〕23号）四（三）建立。",
        "en": "Built under the Zongyang plan 'City management into communities' (枞政办秘〔2025〕23号), §4(3).",
    },
    # navigation and accounts
    "nav_dashboard": {"zh": "工作台", "en": "Dashboard"},
    "nav_imports": {"zh": "数据导入", "en": "Imports"},
    "nav_cycles": {"zh": "评价周期", "en": "Rating cycles"},
    "nav_methodologies": {"zh": "细则与验证", "en": "Methodology"},
    "nav_users": {"zh": "账户管理", "en": "Accounts"},
    "nav_audit": {"zh": "审计日志", "en": "Audit log"},
    "nav_calendar": {"zh": "工作日历", "en": "Calendar"},
    "nav_my_ratings": {"zh": "本企业评价", "en": "My ratings"},
    # the public site (shown to visitors who are not logged in)
    "nav_public": {"zh": "评价结果", "en": "Ratings"},
    "nav_lists": {"zh": "红黑榜", "en": "Red & black lists"},
    "nav_methodology": {"zh": "评价细则", "en": "Methodology"},
    "nav_appeals": {"zh": "异议统计", "en": "Appeals"},
    "nav_open_data": {"zh": "开放数据", "en": "Open data"},
    "nav_verify": {"zh": "文书核验", "en": "Verify a notice"},
    "skip": {"zh": "跳到正文", "en": "Skip to content"},
    # punctuation that follows the language
    "colon": {"zh": "：", "en": ": "},
    "lp": {"zh": "（", "en": " ("},
    "rp": {"zh": "）", "en": ")"},
    "login": {"zh": "登录", "en": "Log in"},
    "logout": {"zh": "退出", "en": "Log out"},
    "username": {"zh": "用户名", "en": "Username"},
    "password": {"zh": "密码", "en": "Password"},
    "login_title": {"zh": "账户登录", "en": "Log in"},
    "login_hint": {
        "zh": "业务人员、管理员和物业服务企业请使用住建局分配的账户登录。",
        "en": "Officers, administrators and property companies log in with the account the bureau issued.",
    },
    "error_title": {"zh": "出错了", "en": "Something went wrong"},
    "back": {"zh": "返回", "en": "Back"},
    "signed_in_as": {"zh": "当前用户", "en": "Signed in as"},
}


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
    }


def render(request: Request, template: str, context: dict[str, Any], *,
           catalogue: dict[str, dict[str, str]] | None = None, status_code: int = 200,
           remember_lang: bool = True) -> HTMLResponse:
    """A page with the shared context: language, texts, the signed-in user, the CSRF token."""
    lang = request_lang(request, page=True)
    base = base_context(request, lang, *([catalogue] if catalogue else []),
                        user=getattr(request.state, "principal", None), csrf_token=csrf_token(request))
    response = templates.TemplateResponse(request, template, {**base, **context}, status_code=status_code)
    if remember_lang and request.query_params.get("lang") in ("zh", "en"):
        response.set_cookie("lang", lang, samesite="lax")
    return response


def score_chart(points: list[tuple[str, float, str]]) -> dict[str, Any]:
    """A score-by-cycle line chart (0–100 on a 600 × 200 canvas) of (cycle name, score, grade) points."""
    width, height, left, top = 600, 200, 40, 26
    n = len(points)
    out = []
    for i, (cycle, score, grade) in enumerate(points):
        x = left + (width - left - 20) * (i / (n - 1) if n > 1 else 0.5)
        y = top + (height - top - 30) * (1 - max(0.0, min(100.0, score)) / 100)
        out.append({"x": round(x, 1), "y": round(y, 1), "score": score, "grade": grade, "cycle": cycle})
    return {"width": width, "height": height, "points": out,
            "line": " ".join(f"{p['x']},{p['y']}" for p in out),
            "grid": [{"value": v, "y": round(top + (height - top - 30) * (1 - v / 100), 1)} for v in (0, 50, 100)]}


def error_page(request: Request, exc: RatingServiceError) -> Response:
    """Pages answer errors as HTML: a login redirect for 401, a readable message otherwise."""
    if exc.status_code == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    lang = request_lang(request, page=True)
    # An error answer does not change the visitor's language (``?lang=en`` of a missing CSV is the file's).
    return render(request, "error.html", {"message": exc.message(lang), "details": exc.details(lang),
                                          "status": exc.status_code}, status_code=exc.status_code,
                  remember_lang=False)


def private_download(data: bytes, *, media_type: str, filename: str, ascii_name: str | None = None,
                     inline: bool = False) -> Response:
    """A non-public file: never cached, never sniffed; the name survives non-ASCII (RFC 5987)."""
    disposition = f"{'inline' if inline else 'attachment'}; filename=\"{ascii_name or filename}\"; " \
                  f"filename*=UTF-8''{quote(filename)}"
    return Response(content=data, media_type=media_type, headers={
        "Content-Disposition": disposition, "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"})


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)
