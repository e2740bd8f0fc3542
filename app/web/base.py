"""The web page's plumbing: templates and filters, the route class that turns "not logged in"
into a redirect to ``/login`` and refusals into a Danish error page, and what every page of
an organisation shows (who is logged in, which organisation, the CSRF token for forms)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from app.api_v1.common import ApiSettings
from app.auth.http import Access, Guard
from app.auth.roles import DANISH_ROLE, Permission
from app.desk.errors import DeskError
from app.municipality_api import UnitOfWork
from ledger.money import format_kr
from ledger.municipalities import municipality_names

from . import labels

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
COPENHAGEN = ZoneInfo("Europe/Copenhagen")

ERROR_TEXT = {
    400: ("Forespørgslen kunne ikke forstås", "Adressen eller formularen indeholder noget, "
          "systemet ikke kan bruge. Gå tilbage og prøv igen."),
    403: ("Det har du ikke adgang til", "Din rolle giver ikke adgang til denne handling. "
          "Kontakt en administrator, hvis du mener, det er en fejl."),
    404: ("Siden findes ikke", "Vi kan ikke finde det, du leder efter. Det kan være flyttet, "
          "eller også har du ikke adgang til det."),
    409: ("Handlingen kunne ikke udføres", "Sagen er ikke i en tilstand, hvor det kan lade "
          "sig gøre."),
    413: ("Filen er for stor", "Filen er større end tilladt."),
}  # fmt: skip


def _kr(oere: int) -> str:
    return format_kr(oere, suffix=True)


def _dato(day: date | datetime | None) -> str:
    if day is None:
        return ""
    if isinstance(day, datetime):
        return day.astimezone(COPENHAGEN).strftime("%d-%m-%Y")
    return day.strftime("%d-%m-%Y")


def _tidspunkt(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(COPENHAGEN).strftime("%d-%m-%Y kl. %H:%M")


def make_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(kr=_kr, dato=_dato, tidspunkt=_tidspunkt)
    env.globals.update(
        state_name=labels.CASE_STATE,
        step_text=labels.STEP,
        letter_name=labels.LETTER_KIND,
        notification_kind=labels.NOTIFICATION_KIND,
        notification_status=labels.NOTIFICATION_STATUS,
        channel_name=labels.CHANNEL,
        municipality=municipality_names(),
    )
    return env


@dataclass
class Web:
    """What every handler needs: the unit of work, today, settings and the templates."""

    unit_of_work: UnitOfWork
    today: Callable[[], date]
    settings: ApiSettings
    guard: Guard = field(default_factory=Guard)
    env: Environment = field(default_factory=make_environment)

    def html(self, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        body = self.env.get_template(template).render(**context)
        return HTMLResponse(body, status_code=status_code)

    def page(
        self, access: Access, template: str, nav: str, status_code: int = 200, **context: Any
    ) -> HTMLResponse:
        """A page of an organisation, with the header every such page has."""
        return self.html(template, status_code, **org_context(access, nav), **context)

    def error_page(self, status_code: int, detail: str | None = None) -> HTMLResponse:
        title, text = ERROR_TEXT.get(status_code, ERROR_TEXT[400])
        return self.html(
            "error.html", status_code, title=title, text=text, detail=detail, user=None
        )


def org_context(access: Access, nav: str) -> dict[str, Any]:
    principal, org_id = access.principal, access.organisation_id
    roles = sorted(DANISH_ROLE[role] for role in principal.roles.get(org_id, frozenset()))
    return {
        "org": access.organisation,
        "cvr": access.organisation.cvr,
        "user": principal.full_name,
        "roles": ", ".join(roles),
        "csrf": principal.csrf_token or "",
        "nav": nav,
        "may_write": principal.may(org_id, Permission.WRITE),
        "may_approve": principal.may(org_id, Permission.APPROVE),
        "several_orgs": len(principal.organisation_ids) > 1,
    }


def login_redirect(request: Request) -> RedirectResponse:
    target = request.url.path if request.method == "GET" else "/"
    return RedirectResponse(f"/login?naeste={quote(target, safe='/')}", status_code=303)


def web_route_class(web: Web) -> type[APIRoute]:
    """Routes whose refusals become pages: 401 → the login page, 403/404/409 → a Danish page
    with the same status code, a malformed request → 400."""

    class WebRoute(APIRoute):
        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            original = super().get_route_handler()

            async def handler(request: Request) -> Response:
                try:
                    return await original(request)
                except HTTPException as exc:
                    if exc.status_code == 401:
                        return login_redirect(request)
                    return web.error_page(exc.status_code)
                except DeskError as exc:
                    return web.error_page(exc.status_code)
                except RequestValidationError:
                    return web.error_page(400)

            return handler

    return WebRoute


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a path on this site, never another site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def form_text(form: Mapping[str, Any], name: str, limit: int = 2000) -> str:
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""
