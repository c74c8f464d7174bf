"""Login and logout pages, the change of one's own password, and the admins' account page (create, disable,
reset a password)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from rating_service.accounts import service as accounts
from rating_service.accounts.service import Principal
from rating_service.errors import RatingServiceError
from rating_service.i18n import translate
from rating_service.i18n.accounts import PAGE_TEXT as TEXT
from rating_service.settings import get_settings
from rating_service.web.deps import (
    SESSION_COOKIE,
    AdminUser,
    MaybePrincipal,
    PendingPrincipal,
    PendingUser,
    SessionDep,
    WriteSessionDep,
)
from rating_service.web.errors import PASSWORD_PAGE
from rating_service.web.ui import redirect, render, request_lang

router = APIRouter(include_in_schema=False)
# The login form's pre-session cookie (double submit: the form carries an HMAC of it).
LOGIN_CSRF_COOKIE = "login_csrf"


def _safe_next(target: str | None) -> str:
    # Only local paths: an open redirect would let a phishing link bounce through the login.
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


def _login_form(request: Request, *, next: str | None, error: str | None = None, username: str = "",
                status_code: int = 200, retry_after: int | None = None) -> Response:
    """The login form, carrying the token that binds it to this browser's ``login_csrf`` cookie (set here when
    missing): a login posted from another site lacks the pair and is refused, so nobody can log a victim's
    browser into the attacker's account."""
    secret = request.cookies.get(LOGIN_CSRF_COOKIE)
    fresh = not accounts.is_login_csrf_secret(secret)
    if fresh or secret is None:
        secret = accounts.new_login_csrf_secret()
    response = render(request, "login.html", {"next": _safe_next(next), "error": error, "username": username,
                                              "login_csrf": accounts.login_csrf_token_for(secret),
                                              "bureau_phone": get_settings().bureau_phone},
                      status_code=status_code, catalogue=TEXT)
    if fresh:
        response.set_cookie(LOGIN_CSRF_COOKIE, secret, httponly=True, samesite="lax", path="/login",
                            secure=get_settings().cookies_secure)
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    # The token is bound to this browser's cookie: no shared cache may keep the page.
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, principal: MaybePrincipal, next: str | None = None) -> Response:
    if principal is not None:
        return redirect(_safe_next(next))
    return _login_form(request, next=next)


@router.post("/login", response_class=HTMLResponse)
def login_submit(request: Request, session: WriteSessionDep, username: Annotated[str, Form(max_length=64)],
                 password: Annotated[str, Form(max_length=200)], next: Annotated[str, Form()] = "/",
                 login_csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    lang = request_lang(request, page=True)
    if not accounts.login_csrf_valid(request.cookies.get(LOGIN_CSRF_COOKIE), login_csrf):
        # Checked before the password: a forged post is neither a login attempt nor counted against anyone.
        return _login_form(request, next=next, error=translate("login_csrf_failed", lang), status_code=403)
    try:
        principal, raw = accounts.login(session, username=username, password=password, kind="session",
                                        client=request.client.host if request.client else None)
    except RatingServiceError as exc:
        if exc.status_code not in (401, 429):
            raise
        # The throttle counts and the audit entry must be stored even though the login is refused.
        session.commit()
        return _login_form(request, next=next, error=exc.message(lang), username=username,
                           status_code=exc.status_code,
                           retry_after=exc.params.get("seconds") if exc.status_code == 429 else None)
    # An account with an administrator's password goes to the change first (every other page would send it there).
    response = redirect(PASSWORD_PAGE if principal.must_change_password else _safe_next(next))
    settings = get_settings()
    response.set_cookie(SESSION_COOKIE, raw, httponly=True, samesite="lax", secure=settings.cookies_secure,
                        max_age=settings.session_hours * 3600)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, principal: PendingPrincipal, session: WriteSessionDep) -> Response:
    raw = request.cookies.get(SESSION_COOKIE)
    if raw:
        accounts.logout(session, raw=raw)
    response = redirect("/login")
    response.delete_cookie(SESSION_COOKIE)
    return response


def _password_form(request: Request, principal: Principal, *, error: str | None = None, changed: bool = False,
                   status_code: int = 200) -> Response:
    response = render(request, "password.html", {"forced": principal.must_change_password, "error": error,
                                                 "changed": changed,
                                                 "password_min": get_settings().password_min_length},
                      catalogue=TEXT, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get(PASSWORD_PAGE, response_class=HTMLResponse)
def password_page(request: Request, principal: PendingUser, changed: bool = False) -> Response:
    return _password_form(request, principal, changed=changed and not principal.must_change_password)


@router.post(PASSWORD_PAGE, response_class=HTMLResponse)
def password_submit(request: Request, principal: PendingUser, session: WriteSessionDep,
                    current_password: Annotated[str, Form(max_length=200)],
                    new_password: Annotated[str, Form(max_length=200)],
                    confirm_password: Annotated[str, Form(max_length=200)]) -> Response:
    """Change one's own password; a refusal shows the form again with the rule broken (nothing is stored)."""
    lang = request_lang(request, page=True)
    try:
        if new_password != confirm_password:
            raise RatingServiceError("user_password_mismatch")
        accounts.change_password(session, username=principal.username, current=current_password, new=new_password,
                                 keep_token_id=principal.token_id,
                                 client=request.client.host if request.client else None)
    except RatingServiceError as exc:
        if exc.status_code not in (400, 429):
            raise
        # Returning (not raising) commits: a wrong current password is counted and audited like a failed login.
        response = _password_form(request, principal, error=exc.message(lang), status_code=exc.status_code)
        if exc.status_code == 429:
            response.headers["Retry-After"] = str(exc.params.get("seconds", 1))
        return response
    # After a forced change, on to the account's home; otherwise the form again, saying it is done.
    return redirect("/" if principal.must_change_password else f"{PASSWORD_PAGE}?changed=1")


def _users_page(request: Request, session: Session, *, created: str | None = None,
                reset: dict[str, str] | None = None) -> Response:
    response = render(request, "users.html", {"users": accounts.list_users(session), "created": created,
                                              "reset": reset, "companies": accounts.company_choices(session),
                                              "password_min": get_settings().password_min_length},
                      catalogue=TEXT)
    if reset is not None:
        # The temporary password is on this page: no cache may keep it.
        response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request, principal: AdminUser, session: SessionDep, created: str | None = None) -> Response:
    return _users_page(request, session, created=created)


@router.post("/admin/users")
def create_user(principal: AdminUser, session: WriteSessionDep, username: Annotated[str, Form(max_length=64)],
                password: Annotated[str, Form(max_length=200)], role: Annotated[str, Form(max_length=16)],
                display_name: Annotated[str, Form(max_length=100)] = "",
                credit_code: Annotated[str, Form(max_length=18)] = "") -> Response:
    # The company comes from the register's list; the service checks that the credit code exists.
    accounts.create_user(session, username=username.strip(), password=password, role=role, actor=principal.username,
                         display_name=display_name.strip() or None,
                         credit_code=(credit_code.strip() or None) if role == "company" else None,
                         must_change_password=True)
    return redirect(f"/admin/users?created={username.strip()}")


@router.post("/admin/users/{username}/password", response_class=HTMLResponse)
def reset_password(request: Request, username: str, principal: AdminUser, session: WriteSessionDep) -> Response:
    """Reset an account's password: the page shows the temporary password this once (it is not stored in clear)."""
    temporary = accounts.reset_password(session, username=username, actor=principal.username)
    session.flush()
    return _users_page(request, session, reset={"username": username, "password": temporary})
@router.post("/admin/users/{username}/active")
def set_active(username: str, principal: AdminUser, session: WriteSessionDep,
               active: Annotated[bool, Form()], reason: Annotated[str, Form(max_length=1000)] = "") -> Response:
    accounts.set_active(session, username=username, active=active, actor=principal.username,
                        reason=reason.strip() or None)
    return redirect("/admin/users")
