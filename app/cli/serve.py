"""``almen serve``: the scheduler (nightly run, notifications sent every few seconds) and the
HTTP app (``/health``, the municipalities' pull API ``/municipality/v1``, the desk API
``/api/v1``)."""

from __future__ import annotations

import argparse
from typing import Any

import uvicorn

from app.api import create_app
from app.api_v1 import ApiSettings
from app.cli.context import CliContext
from app.database import unit_of_work
from app.migrate import schema_status
from app.notify import dispatch_now, nightly_dispatch
from app.scheduler import build_scheduler


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "serve", help="run the scheduler (nightly run, notifications) and the HTTP app"
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--no-scheduler", action="store_true", help="HTTP only")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, context: CliContext) -> int:
    engine = context.engine()
    current, head = schema_status(engine)
    if current != head:
        context.warn(f"the database is at schema {current}, not {head}: run `almen init`")
        return 1
    settings = context.settings
    scheduler = None
    if not args.no_scheduler:
        scheduler = build_scheduler(
            engine,
            settings.nightly_time,
            after_commit=nightly_dispatch(settings),
            dispatch=lambda: dispatch_now(lambda: unit_of_work(engine), settings),
            dispatch_seconds=settings.dispatch_interval_seconds,
        )
        scheduler.start()
        for job in scheduler.get_jobs():
            context.print(f"scheduled {job.id}: next run {getattr(job, 'next_run_time', None)}")
    try:
        api_settings = ApiSettings(
            secure_cookies=settings.secure_cookies, upload_max_bytes=settings.upload_max_bytes
        )
        app = create_app(scheduler, lambda: unit_of_work(engine), settings=api_settings)
        uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)
    return 0
