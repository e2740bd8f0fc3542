"""``/api/v1/auth/login``, ``/api/v1/auth/logout`` and ``/api/v1/me``.

Login answers an unknown user, a wrong password, a deactivated or locked user alike (401,
one message), and the failed-login count it keeps is committed even then (so the lockout
of ``app.auth.service`` works). Scripts use a bearer token from ``almen users token``.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import BaseModel, ConfigDict
from sqlmodel import Session

from app.api_v1.common import PREFIX, RESPONSES, ApiContext, Name, Password, Problem
from app.auth import audit
from app.auth.http import clear_session_cookie, set_session_cookie
from app.auth.service import Principal, log_in, resolve_token, revoke_token
from ledger.models import Organisation
from ledger.types import utc_now

WRONG = "wrong username or password (or the user is locked or deactivated)"


class LoginBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: Name
    password: Password


class UserOut(BaseModel):
    id: int
    username: str
    full_name: str


class MembershipOut(BaseModel):
    cvr: str
    name: str
    roles: list[str]


class MeOut(BaseModel):
    user: UserOut
    organisations: list[MembershipOut]


class LoginOut(MeOut):
    csrf_token: str
    expires_at: str


def me_of(session: Session, principal: Principal) -> MeOut:
    organisations = []
    for organisation_id in principal.organisation_ids:
        organisation = session.get(Organisation, organisation_id)
        assert organisation is not None
        organisations.append(
            MembershipOut(
                cvr=organisation.cvr,
                name=organisation.name,
                roles=sorted(role.value for role in principal.roles[organisation_id]),
            )
        )
    user = UserOut(id=principal.user_id, username=principal.username, full_name=principal.full_name)
    return MeOut(user=user, organisations=organisations)


def auth_router(ctx: ApiContext) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["auth"], responses=RESPONSES)

    @router.post("/auth/login", responses={401: {"model": Problem}})
    def login(body: LoginBody, response: Response) -> LoginOut:
        """Log in with username and password: a session cookie (``almen_session``) and the
        CSRF token to send as ``X-CSRF-Token`` with every request that changes something."""
        now = utc_now()
        answer: LoginOut | None = None
        with ctx.unit_of_work() as session:
            issued = log_in(session, body.username, body.password, now=now)
            if issued is not None:
                principal = resolve_token(session, issued.token, now=now)
                assert principal is not None and issued.row.csrf_token is not None
                audit.record(
                    session, principal, "auth.login", organisation_id=None,
                    object_type="auth_token", object_id=issued.row.token_id,
                )  # fmt: skip
                me = me_of(session, principal)
                answer = LoginOut(
                    **me.model_dump(),
                    csrf_token=issued.row.csrf_token,
                    expires_at=issued.row.expires_at.isoformat(),
                )
        if answer is None or issued is None:
            raise HTTPException(status_code=401, detail=WRONG)
        set_session_cookie(response, issued.token, secure=ctx.settings.secure_cookies)
        return answer

    @router.post("/auth/logout", status_code=204)
    def logout(request: Request) -> Response:
        """End the session (or revoke the bearer token the request carries)."""
        with ctx.unit_of_work() as session:
            principal = ctx.guard.principal(session, request)
            revoke_token(session, principal.token_id, now=utc_now())
            audit.record(
                session, principal, "auth.logout", organisation_id=None,
                object_type="auth_token", object_id=principal.token_id,
            )  # fmt: skip
        response = Response(status_code=204)
        clear_session_cookie(response)
        return response

    @router.get("/me")
    def me(request: Request) -> MeOut:
        """Who is logged in, and their organisations with their roles in each."""
        with ctx.unit_of_work() as session:
            return me_of(session, ctx.guard.principal(session, request))

    return router
