"""/api/v1/auth and /api/v1/users: tokens for API callers; account management for admins."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Request

from rating_service.accounts import service as accounts
from rating_service.accounts.models import User
from rating_service.accounts.schemas import (
    MeOut,
    PasswordChangeIn,
    PasswordResetOut,
    ReasonIn,
    TokenOut,
    TokenRequest,
    UserIn,
    UserOut,
)
from rating_service.accounts.service import Principal
from rating_service.errors import RatingServiceError, TooManyAttempts, Unauthorized
from rating_service.web.deps import AdminUser, PendingUser, SessionDep, WriteSessionDep
from rating_service.web.errors import API_ERRORS, error_responses

router = APIRouter(prefix="/api/v1", tags=["accounts / 账户"], responses=API_ERRORS)


def user_out(user: User) -> UserOut:
    return UserOut(username=user.username, display_name=user.display_name, role=user.role,
                   credit_code=user.credit_code, active=user.active,
                   must_change_password=bool(user.must_change_password))


def me_out(principal: Principal) -> MeOut:
    return MeOut(username=principal.username, display_name=principal.display_name, role=principal.role,
                 credit_code=principal.credit_code, must_change_password=principal.must_change_password)


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
    return TokenOut(access_token=raw, role=principal.role, credit_code=principal.credit_code,
                    must_change_password=principal.must_change_password)


@router.delete("/auth/token", status_code=204, summary="Revoke the token of this call / 注销令牌")
def revoke_token(request: Request, principal: PendingUser, session: WriteSessionDep) -> None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        accounts.logout(session, raw=header[7:].strip())


@router.get("/me", summary="Who am I / 当前账户")
def me(principal: PendingUser) -> MeOut:
    return me_out(principal)


@router.post("/me/password", response_model=MeOut, responses=error_responses(429),
             summary="Change my password / 修改本人密码")
def change_my_password(body: PasswordChangeIn, request: Request, principal: PendingUser,
                       session: WriteSessionDep) -> MeOut:
    """The current password is required; the new one keeps the policy. Every other session and token of the account
    ends; this call's token stays. Open to an account that must change its password (and ends that)."""
    try:
        accounts.change_password(session, username=principal.username, current=body.current_password,
                                 new=body.new_password, keep_token_id=principal.token_id,
                                 client=request.client.host if request.client else None)
    except RatingServiceError as exc:
        if exc.status_code in (400, 429):
            # A wrong current password is counted and audited like a failed login: kept though refused.
            session.commit()
        raise
    return me_out(replace(principal, must_change_password=False))


@router.get("/users", response_model=list[UserOut], summary="List accounts (admin) / 账户列表")
def list_users(principal: AdminUser, session: SessionDep) -> list[UserOut]:
    return [user_out(u) for u in accounts.list_users(session)]


@router.post("/users", response_model=UserOut, status_code=201, summary="Create an account (admin) / 新建账户")
def create_user(body: UserIn, principal: AdminUser, session: WriteSessionDep) -> UserOut:
    user = accounts.create_user(session, username=body.username, password=body.password, role=body.role,
                                actor=principal.username, display_name=body.display_name,
                                credit_code=body.credit_code, must_change_password=True)
    return user_out(user)


@router.post("/users/{username}/reset-password", response_model=PasswordResetOut,
             summary="Reset an account's password (admin) / 重置账户密码")
def reset_password(username: str, body: ReasonIn, principal: AdminUser, session: WriteSessionDep) -> PasswordResetOut:
    """A temporary password, returned this once; the account's sessions and tokens end and it must change the
    password at its next login."""
    temporary = accounts.reset_password(session, username=username, actor=principal.username, reason=body.reason)
    return PasswordResetOut(username=username, temporary_password=temporary)


@router.post("/users/{username}/disable", response_model=UserOut, summary="Disable an account (admin) / 停用账户")
def disable_user(username: str, body: ReasonIn, principal: AdminUser, session: WriteSessionDep) -> UserOut:
    return user_out(accounts.set_active(session, username=username, active=False, actor=principal.username,
                                        reason=body.reason))


@router.post("/users/{username}/enable", response_model=UserOut, summary="Enable an account (admin) / 启用账户")
def enable_user(username: str, body: ReasonIn, principal: AdminUser, session: WriteSessionDep) -> UserOut:
    return user_out(accounts.set_active(session, username=username, active=True, actor=principal.username,
                                        reason=body.reason))

