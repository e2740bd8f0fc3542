"""The pages: log in and out, choose an organisation, the dashboard, the case list and the
case page with its actions (through ``app.desk.cases``: role checks and audit rows there)."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, Response
from fastapi.responses import RedirectResponse
from sqlmodel import col, select

from app.auth.http import clear_session_cookie, set_session_cookie
from app.auth.roles import Permission
from app.auth.service import log_in, revoke_token
from app.desk import cases as desk
from app.desk.errors import DeskError
from ledger.models import Organisation
from ledger.types import utc_now
from workflows.arrears.states import CaseState

from . import views
from .base import Web, safe_next
from .labels import STATE_ORDER

LOGIN_COOKIE = "almen_login"  # double-submit token of the login form (login CSRF)
DONE = {
    "pakrav": "Påkravet er godkendt og sendes med næste kørsel.",
    "terminate": "Ophævelsen er godkendt og sendt. Brevet ligger under Breve.",
    "evict": "Anmodningen om udsættelse er sendt til fogedretten, og kommunen er underrettet.",
    "afvist": "Sagen er afvist og lukket.",
}
ACTIONS = ("pakrav", "terminate", "evict")
Text = Annotated[str, Form()]


def add_pages(router: APIRouter, web: Web) -> None:
    _add_login(router, web)
    _add_overview(router, web)
    _add_cases(router, web)


def _add_login(router: APIRouter, web: Web) -> None:
    @router.get("/login")
    def login_form(request: Request, naeste: str = "/") -> Response:
        return _login_page(web, safe_next(naeste))

    @router.post("/login")
    def login(
        request: Request,
        brugernavn: Text = "",
        adgangskode: Text = "",
        login_token: Text = "",
        naeste: Text = "/",
    ) -> Response:
        target = safe_next(naeste)
        cookie = request.cookies.get(LOGIN_COOKIE, "")
        if not cookie or not secrets.compare_digest(cookie, login_token):
            return _login_page(web, target, "Siden var udløbet. Prøv at logge ind igen.", 400)
        with web.unit_of_work() as session:
            issued = log_in(session, brugernavn[:100], adgangskode[:1000], now=utc_now())
        if issued is None:
            return _login_page(web, target, "Forkert brugernavn eller adgangskode.", 401)
        response = RedirectResponse(target, status_code=303)
        set_session_cookie(response, issued.token, secure=web.settings.secure_cookies)
        response.delete_cookie(LOGIN_COOKIE, path="/login")
        return response

    @router.post("/logout")
    def logout(request: Request, csrf_token: Text = "") -> Response:
        with web.unit_of_work() as session:
            principal = web.guard.principal(session, request, csrf=csrf_token)
            revoke_token(session, principal.token_id, now=utc_now())
        response = RedirectResponse("/login", status_code=303)
        clear_session_cookie(response)
        return response


def _login_page(web: Web, target: str, error: str | None = None, status: int = 200) -> Response:
    token = secrets.token_urlsafe(32)
    response = web.html(
        "login.html", status, user=None, error=error, login_token=token, naeste=target
    )
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        max_age=3600,
        httponly=True,
        samesite="strict",
        secure=web.settings.secure_cookies,
        path="/login",
    )
    return response


def _add_overview(router: APIRouter, web: Web) -> None:
    @router.get("/")
    def choose(request: Request) -> Response:
        with web.unit_of_work() as session:
            principal = web.guard.principal(session, request)
            organisations = session.exec(
                select(Organisation)
                .where(col(Organisation.id).in_(principal.organisation_ids))
                .order_by(col(Organisation.name))
            ).all()
            if len(organisations) == 1:
                return RedirectResponse(f"/o/{organisations[0].cvr}/", status_code=303)
            return web.html(
                "choose.html",
                user=principal.full_name,
                csrf=principal.csrf_token or "",
                organisations=organisations,
            )

    @router.get("/o/{cvr}/")
    def dashboard(request: Request, cvr: str) -> Response:
        with web.unit_of_work() as session:
            access = web.guard.access(session, request, cvr, Permission.READ)
            board = views.dashboard(session, access.organisation_id, web.today())
            peak = max([point.arrears_oere for point in board.trend] + [1])
            return web.page(access, "dashboard.html", "oversigt", board=board, peak=peak)


def _add_cases(router: APIRouter, web: Web) -> None:
    @router.get("/o/{cvr}/sager")
    def case_list(
        request: Request, cvr: str, tilstand: str = "", afdeling: str = "", soeg: str = ""
    ) -> Response:
        where = _filter(tilstand, afdeling, soeg)
        with web.unit_of_work() as session:
            access = web.guard.access(session, request, cvr, Permission.READ)
            rows = views.case_rows(
                session, access.organisation_id, where=where, limit=views.MAX_LIST + 1
            )
            return web.page(
                access,
                "cases.html",
                "sager",
                rows=rows[: views.MAX_LIST],
                more=len(rows) > views.MAX_LIST,
                limit=views.MAX_LIST,
                where=where,
                states=STATE_ORDER,
                departments=views.departments(session, access.organisation_id),
            )

    @router.get("/o/{cvr}/sager/{case_id}")
    def case_page(request: Request, cvr: str, case_id: int, udfoert: str = "") -> Response:
        return _case_page(web, request, cvr, case_id, done=DONE.get(udfoert))

    @router.post("/o/{cvr}/sager/{case_id}/godkend")
    def approve(
        request: Request,
        cvr: str,
        case_id: int,
        handling: Text = "",
        csrf_token: Text = "",
        genhusning: Text = "",
    ) -> Response:
        if handling not in ACTIONS:
            raise HTTPException(status_code=400)
        try:
            with web.unit_of_work() as session:
                access = web.guard.access(session, request, cvr, Permission.READ, csrf=csrf_token)
                desk.approve(
                    session, access, case_id, handling,  # type: ignore[arg-type]
                    today=web.today(), rehousing_confirmed=genhusning == "ja",
                )  # fmt: skip
        except DeskError as exc:
            if exc.status_code in (403, 404):
                raise
            return _case_page(
                web, request, cvr, case_id, refused=str(exc), status_code=409, csrf=csrf_token
            )
        return RedirectResponse(f"/o/{cvr}/sager/{case_id}?udfoert={handling}", status_code=303)

    @router.post("/o/{cvr}/sager/{case_id}/afvis")
    def reject(
        request: Request, cvr: str, case_id: int, begrundelse: Text = "", csrf_token: Text = ""
    ) -> Response:
        reason = begrundelse.strip()[:500]
        if not reason:
            message = "Skriv en begrundelse for afvisningen."
            return _case_page(
                web, request, cvr, case_id, refused=message, status_code=422, csrf=csrf_token
            )
        try:
            with web.unit_of_work() as session:
                access = web.guard.access(session, request, cvr, Permission.READ, csrf=csrf_token)
                desk.reject(session, access, case_id, today=web.today(), reason=reason)
        except DeskError as exc:
            if exc.status_code in (403, 404):
                raise
            return _case_page(
                web, request, cvr, case_id, refused=str(exc), status_code=409, csrf=csrf_token
            )
        return RedirectResponse(f"/o/{cvr}/sager/{case_id}?udfoert=afvist", status_code=303)


def _filter(tilstand: str, afdeling: str, soeg: str) -> views.CaseFilter:
    """The case list's filters from the query string; a value the form never offers is 400."""
    state = None
    if tilstand:
        if tilstand not in {str(s) for s in CaseState}:
            raise HTTPException(status_code=400)
        state = CaseState(tilstand)
    department_id = None
    if afdeling:
        if not afdeling.isdigit() or len(afdeling) > 12:
            raise HTTPException(status_code=400)
        department_id = int(afdeling)
    return views.CaseFilter(state=state, department_id=department_id, search=soeg.strip()[:100])


def _case_page(
    web: Web,
    request: Request,
    cvr: str,
    case_id: int,
    *,
    done: str | None = None,
    refused: str | None = None,
    status_code: int = 200,
    csrf: str | None = None,
) -> Response:
    with web.unit_of_work() as session:
        access = web.guard.access(session, request, cvr, Permission.READ, csrf=csrf)
        case = desk.case_in(session, access, case_id)
        shown = views.case_page(session, case, web.today())
        return web.page(
            access,
            "case.html",
            "sager",
            status_code,
            page=shown,
            today=web.today(),
            state=CaseState(case.state),
            S=CaseState,
            done=done,
            refused=refused,
        )
