"""The accountant's desk as an HTTP API, ``/api/v1`` (OpenAPI at ``/openapi.json``, ``/docs``).

Everything an organisation owns is under ``/api/v1/organisations/{cvr}/...`` and answered
only to its members (``app.auth.http.Guard``); the work itself is ``app.desk``'s, shared
with the web page. One module per feature; each handler is one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from fastapi import APIRouter

from app.api_v1.admin import admin_router, fee_router
from app.api_v1.audit import audit_router
from app.api_v1.auth import auth_router
from app.api_v1.cases import cases_router
from app.api_v1.common import ApiContext, ApiSettings, UnitOfWork
from app.api_v1.moveouts import moveouts_router
from app.api_v1.notifications import notifications_router
from app.api_v1.plans import plans_router
from app.api_v1.reports import reports_router
from app.api_v1.tenancies import tenancies_router
from app.api_v1.uploads import uploads_router

__all__ = ["ApiSettings", "desk_api_router"]


def desk_api_router(
    unit_of_work: UnitOfWork, today: Callable[[], date], settings: ApiSettings | None = None
) -> APIRouter:
    """Every ``/api/v1`` route, each opening its own unit of work from ``unit_of_work``."""
    ctx = ApiContext(unit_of_work, today, settings or ApiSettings())
    router = APIRouter()
    for build in (
        auth_router, tenancies_router, cases_router, plans_router, moveouts_router,
        notifications_router, uploads_router, reports_router, audit_router, admin_router,
        fee_router,
    ):  # fmt: skip
        router.include_router(build(ctx))
    return router
