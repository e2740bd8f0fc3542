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
                    "next_run": None
                    if job.next_run_time is None
                    else job.next_run_time.isoformat(),
                }
                for job in jobs
            ],
        }

    return app
