"""/api/v1/auth and /api/v1/users: tokens for API callers; account management for admins."""

from __future__ import annotations

from fastapi import APIRouter, Request

from rating_service.accounts import service as accounts
from rating_service.accounts.models import User
from rating_service.accounts.schemas import MeOut, ReasonIn, TokenOut, TokenRequest, UserIn, UserOut
from rating_service.errors import TooManyAttempts, Unauthorized
from rating_service.web.deps import AdminUser, CurrentUser, SessionDep, WriteSessionDep
from rating_service.web.errors import API_ERRORS, error_responses

router = APIRouter(prefix="/api/v1", tags=["accounts / 账户"], responses=API_ERRORS)


def user_out(user: User) -> UserOut:
    return UserOut(username=user.username, display_name=user.display_name, role=user.role,
                   credit_code=user.credit_code, active=user.active)


@router.post("/auth/token", response_model=TokenOut, responses=error_responses(429),
             summary="Log in and get a bearer token / 获取访问令牌")
def issue_token(body: TokenRequest, request: Request, session: WriteSessionDep) -> TokenOut:
    try:
        principal, raw = accounts.login(session, username=body.username, password=body.password, kind="api",
                                        client=request.client.host if request.client else None, label=body.label)
    except (Unauthorized, TooManyAttempts):
        # The failure counter and lock must be stored even though the login is refused.
        session.commit()
        raise
    return TokenOut(access_token=raw, role=principal.role, credit_code=principal.credit_code)


@router.delete("/auth/token", status_code=204, summary="Revoke the token of this call / 注销令牌")
def revoke_token(request: Request, principal: CurrentUser, session: WriteSessionDep) -> None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        accounts.logout(session, raw=header[7:].strip())


@router.get("/me", summary="Who am I / 当前账户")
def me(principal: CurrentUser) -> MeOut:
    return MeOut(username=principal.username, display_name=principal.display_name, role=principal.role,
                 credit_code=principal.credit_code)


@router.get("/users", response_model=list[UserOut], summary="List accounts (admin) / 账户列表")
def list_users(principal: AdminUser, session: SessionDep) -> list[UserOut]:
    return [user_out(u) for u in accounts.list_users(session)]


@router.post("/users", response_model=UserOut, status_code=201, summary="Create an account (admin) / 新建账户")
def create_user(body: UserIn, principal: AdminUser, session: WriteSessionDep) -> UserOut:
    user = accounts.create_user(session, username=body.username, password=body.password, role=body.role,
                                actor=principal.username, display_name=body.display_name,
                                credit_code=body.credit_code)
    return user_out(user)


@router.post("/users/{username}/disable", response_model=UserOut, summary="Disable an account (admin) / 停用账户")
def disable_user(username: str, body: ReasonIn, principal: AdminUser, session: WriteSessionDep) -> UserOut:
    return user_out(accounts.set_active(session, username=username, active=False, actor=principal.username,
                                        reason=body.reason))


@router.post("/users/{username}/enable", response_model=UserOut, summary="Enable an account (admin) / 启用账户")
def enable_user(username: str, body: ReasonIn, principal: AdminUser, session: WriteSessionDep) -> UserOut:
    return user_out(accounts.set_active(session, username=username, active=True, actor=principal.username,
                                        reason=body.reason))

