"""The HTTP app of ``almen serve``: ``/health`` and, given a database, the municipalities'
pull API under ``/municipality/v1`` (``app/municipality_api.py``), the accountant's desk
API under ``/api/v1`` (``app/api_v1/``), and the accountants' web page (``app/web/``, its
stylesheet under ``/static``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from apscheduler.schedulers.base import BaseScheduler
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from app.api_v1 import ApiSettings, desk_api_router
from app.clock import today_in_denmark
from app.municipality_api import UnitOfWork, municipality_router
from app.web import STATIC, web_router


def create_app(
    scheduler: BaseScheduler | None = None,
    unit_of_work: UnitOfWork | None = None,
    today: Callable[[], date] = today_in_denmark,
    settings: ApiSettings | None = None,
) -> FastAPI:
    app = FastAPI(title="almen", version="0.1.0")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    if unit_of_work is not None:
        app.include_router(municipality_router(unit_of_work, today))
        app.include_router(desk_api_router(unit_of_work, today, settings))
        app.include_router(web_router(unit_of_work, today, settings or ApiSettings()))

    @app.get("/health")
    def health() -> dict[str, Any]:
        jobs = [] if scheduler is None else scheduler.get_jobs()
        return {
            "status": "ok",
            "scheduler": scheduler is not None and scheduler.running,
            "jobs": [
                {
                    "id": job.id,
                    "next_run": _next_run(job),
                }
                for job in jobs
            ],
        }

    return app


def _next_run(job: Any) -> str | None:
    """When the job runs next (a job of a scheduler not yet started has no such time)."""
    when = getattr(job, "next_run_time", None)
    return None if when is None else str(when)
