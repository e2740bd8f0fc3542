"""The accountant's web page (Danish, server-rendered): log in, the dashboard, cases, letters,
Betalingsservice uploads and reports. ``web_router`` is mounted by ``app.api.create_app``;
the stylesheet is served from ``STATIC`` under ``/static``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from fastapi import APIRouter

from app.api_v1.common import ApiSettings
from app.municipality_api import UnitOfWork

from .base import STATIC, Web, web_route_class
from .files import add_files
from .pages import add_pages

__all__ = ["STATIC", "web_router"]


def web_router(
    unit_of_work: UnitOfWork, today: Callable[[], date], settings: ApiSettings
) -> APIRouter:
    web = Web(unit_of_work=unit_of_work, today=today, settings=settings)
    router = APIRouter(route_class=web_route_class(web), include_in_schema=False)
    add_pages(router, web)
    add_files(router, web)
    return router
