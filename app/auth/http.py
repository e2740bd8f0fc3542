"""Authentication and authorisation for the HTTP app (``/api/v1`` and the web page).

A request carries ``Authorization: Bearer <token>`` (scripts) or the ``almen_session``
cookie (the browser). A cookie request that changes something must also carry the session's
CSRF token (header ``X-CSRF-Token`` or form field ``csrf_token``); a bearer request need not,
as browsers never add that header on their own.

Organisations are addressed by CVR. An organisation the user is not a member of is answered
exactly like one that does not exist (404), so a URL reveals nothing; a member without the
permission gets 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from fastapi import HTTPException, Request, Response
from sqlmodel import Session, col, select

from app.auth.roles import Permission
from app.auth.service import SESSION_MAX, Principal, csrf_matches, resolve_token
from ledger.models import Organisation
from ledger.types import utc_now

SESSION_COOKIE = "almen_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
NOT_LOGGED_IN = HTTPException(
    status_code=401,
    detail="not logged in: send Authorization: Bearer <token> or log in",
    headers={"WWW-Authenticate": "Bearer"},
)
NO_SUCH_ORGANISATION = HTTPException(status_code=404, detail="no such organisation")
BAD_CSRF = HTTPException(status_code=403, detail="missing or wrong CSRF token")


@dataclass(frozen=True)
class Access:
    """A request allowed to act in one organisation."""

    principal: Principal
    organisation: Organisation

    @property
    def organisation_id(self) -> int:
        assert self.organisation.id is not None
        return self.organisation.id


@dataclass(frozen=True)
class Guard:
    now: Callable[[], datetime] = utc_now

    def principal(
        self, session: Session, request: Request, *, csrf: str | None = None
    ) -> Principal:
        """The logged-in principal (401 if none); CSRF checked on unsafe cookie requests."""
        token, by_cookie = request_token(request)
        principal = None if token is None else resolve_token(session, token, now=self.now())
        if principal is None:
            raise NOT_LOGGED_IN
        if by_cookie and request.method not in SAFE_METHODS:
            offered = csrf or request.headers.get(CSRF_HEADER)
            if not csrf_matches(principal, offered):
                raise BAD_CSRF
        return principal

    def access(
        self,
        session: Session,
        request: Request,
        cvr: str,
        permission: Permission,
        *,
        csrf: str | None = None,
    ) -> Access:
        """The principal acting in organisation ``cvr`` with ``permission``:
        401 not logged in, 404 not a member (or no such organisation), 403 not allowed."""
        principal = self.principal(session, request, csrf=csrf)
        organisation = member_organisation(session, principal, cvr)
        assert organisation.id is not None
        if not principal.may(organisation.id, Permission.READ):
            raise NO_SUCH_ORGANISATION
        if not principal.may(organisation.id, permission):
            raise HTTPException(
                status_code=403, detail=f"your role does not allow this ({permission.value})"
            )
        return Access(principal=principal, organisation=organisation)


def member_organisation(session: Session, principal: Principal, cvr: str) -> Organisation:
    """The organisation with this CVR if the principal is a member of it, else 404."""
    if not (len(cvr) == 8 and cvr.isdigit()):
        raise NO_SUCH_ORGANISATION
    organisation = session.exec(select(Organisation).where(col(Organisation.cvr) == cvr)).first()
    if organisation is None or organisation.id not in principal.roles:
        raise NO_SUCH_ORGANISATION
    return organisation


def request_token(request: Request) -> tuple[str | None, bool]:
    """The token of a request and whether it came in the cookie."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, value = header.partition(" ")
        return (value.strip() or None, False) if scheme.lower() == "bearer" else (None, False)
    cookie = request.cookies.get(SESSION_COOKIE)
    return (cookie, True) if cookie else (None, False)


def set_session_cookie(response: Response, token: str, *, secure: bool) -> None:
    """The browser session cookie: HttpOnly, SameSite=Lax, Secure behind HTTPS."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(SESSION_MAX.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=secure,
        path="/",
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")
