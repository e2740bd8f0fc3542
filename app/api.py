"""The HTTP app of ``almen serve``. For now only ``/health`` (the API proper is a later issue)."""

from __future__ import annotations

from typing import Any

from apscheduler.schedulers.base import BaseScheduler
from fastapi import FastAPI


def create_app(scheduler: BaseScheduler | None = None) -> FastAPI:
    app = FastAPI(title="almen", version="0.1.0")

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
