"""``almen serve``: the scheduler (nightly run) and the HTTP app (``/health`` for now)."""

from __future__ import annotations

import argparse
from typing import Any

import uvicorn

from app.api import create_app
from app.cli.context import CliContext
from app.migrate import schema_status
from app.scheduler import build_scheduler


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "serve", help="run the scheduler (nightly run) and the HTTP app"
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
    scheduler = None
    if not args.no_scheduler:
        scheduler = build_scheduler(engine, context.settings.nightly_time)
        scheduler.start()
        for job in scheduler.get_jobs():
            context.print(f"scheduled {job.id}: next run {getattr(job, 'next_run_time', None)}")
    try:
        uvicorn.run(create_app(scheduler), host=args.host, port=args.port, log_level="info")
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)
    return 0
