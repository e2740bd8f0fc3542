"""The nightly run on a schedule inside ``almen serve`` (APScheduler, Europe/Copenhagen).

Each organisation runs at its own ``nightly_time`` (``almen settings arrears``), others at
``ALMEN_NIGHTLY_TIME`` (default 02:30). One cron job per distinct time; the jobs are re-read
every few minutes so a changed setting takes effect without a restart. A job runs each of its
organisations in its own transaction, as of the Danish date when it fires.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.clock import DANISH_TIME, today_in_denmark
from app.database import unit_of_work
from app.nightly import AfterCommit, nightly_deps, run_nightly
from app.settings import Settings
from ledger.models import Organisation
from workflows.arrears.models import ArrearsSettings
from workflows.notifications.dispatch import DispatchReport

log = logging.getLogger("almen.scheduler")
SYNC_MINUTES = 10
_JOB_PREFIX = "nightly@"


def organisations_by_time(engine: Engine, default_time: str) -> dict[str, list[str]]:
    """CVR numbers of the organisations, by their nightly time (HH:MM)."""
    with Session(engine) as session:
        rows = session.exec(
            select(Organisation.cvr, ArrearsSettings.nightly_time)
            .join(
                ArrearsSettings,
                col(ArrearsSettings.organisation_id) == col(Organisation.id),
                isouter=True,
            )
            .order_by(col(Organisation.id))
        )
        by_time: dict[str, list[str]] = defaultdict(list)
        for cvr, nightly_time in rows:
            by_time[nightly_time or default_time].append(cvr)
    return dict(by_time)


def run_at(
    engine: Engine,
    default_time: str,
    at: str,
    as_of: date | None = None,
    after_commit: AfterCommit | None = None,
) -> None:
    """The job of one time slot: every organisation whose nightly time is ``at``."""
    day = as_of or today_in_denmark()
    for cvr in organisations_by_time(engine, default_time).get(at, []):
        summaries = run_nightly(
            lambda: unit_of_work(engine),
            day,
            nightly_deps(),
            cvr=cvr,
            payment_files=Settings.from_env().bs_folders,
            after_commit=after_commit,
        )
        for summary in summaries:
            log.info("nightly %s %s: %s", cvr, day.isoformat(), summary.get("status"))


def sync_jobs(
    scheduler: BackgroundScheduler,
    engine: Engine,
    default_time: str,
    after_commit: AfterCommit | None = None,
) -> None:
    """One cron job per distinct nightly time; jobs of times no longer used are removed."""
    wanted = set(organisations_by_time(engine, default_time)) | {default_time}
    for job in scheduler.get_jobs():
        if job.id.startswith(_JOB_PREFIX) and job.id.removeprefix(_JOB_PREFIX) not in wanted:
            job.remove()
    for at in sorted(wanted):
        hour, minute = (int(part) for part in at.split(":"))
        scheduler.add_job(
            run_at,
            CronTrigger(hour=hour, minute=minute, timezone=DANISH_TIME),
            args=[engine, default_time, at],
            kwargs={"after_commit": after_commit},
            id=f"{_JOB_PREFIX}{at}",
            replace_existing=True,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=6 * 3600,
        )


def build_scheduler(
    engine: Engine,
    default_time: str,
    *,
    after_commit: AfterCommit | None = None,
    dispatch: Callable[[], DispatchReport] | None = None,
    dispatch_seconds: int = 15,
) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone=DANISH_TIME)
    sync_jobs(scheduler, engine, default_time, after_commit)
    scheduler.add_job(
        sync_jobs,
        "interval",
        minutes=SYNC_MINUTES,
        args=[scheduler, engine, default_time, after_commit],
        id="sync-nightly-times",
        replace_existing=True,
    )
    if dispatch is not None:
        scheduler.add_job(
            _dispatch_job,
            "interval",
            seconds=dispatch_seconds,
            args=[dispatch],
            id="dispatch-notifications",
            replace_existing=True,
            max_instances=1,
            coalesce=True,
            next_run_time=datetime.now(DANISH_TIME),  # at start, then every interval
        )
    return scheduler


def _dispatch_job(dispatch: Callable[[], DispatchReport]) -> None:
    """Send waiting notifications; a failure (e.g. SQLite busy during a nightly run) is
    logged and the next round tries again."""
    try:
        report = dispatch()
    except Exception:
        log.exception("dispatching notifications failed; the next round tries again")
        return
    if report.claimed or report.published or report.dead_letter:
        log.info("notifications dispatched: %s", report.as_dict())
