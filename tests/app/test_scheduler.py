"""The nightly run on APScheduler inside ``almen serve``, and the ``/health`` route."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.api import create_app
from app.database import unit_of_work
from app.scheduler import build_scheduler, organisations_by_time, run_at
from tests import factories
from tests.workflows.arrears.helpers import count
from workflows.arrears.config import update_settings


def test_one_cron_job_per_nightly_time_in_copenhagen(fresh_engine: Engine) -> None:
    with unit_of_work(fresh_engine) as session:
        first = factories.organisation(session, ledger_start=date(2026, 4, 1))
        other = factories.organisation(session, cvr=factories.OTHER_CVR)
        update_settings(session, other, {"nightly_time": "04:15"}, by="test")
        assert first.id is not None
    assert organisations_by_time(fresh_engine, "02:30") == {
        "02:30": [factories.CVR], "04:15": [factories.OTHER_CVR],
    }  # fmt: skip
    scheduler = build_scheduler(fresh_engine, "02:30")
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"nightly@02:30", "nightly@04:15", "sync-nightly-times"}
    trigger = str(jobs["nightly@02:30"].trigger)
    assert "hour='2'" in trigger and "minute='30'" in trigger
    assert str(jobs["nightly@02:30"].trigger.timezone) == "Europe/Copenhagen"


def test_the_scheduled_job_runs_its_organisations(fresh_engine: Engine) -> None:
    with unit_of_work(fresh_engine) as session:
        org = factories.organisation(session, ledger_start=date(2026, 4, 1))
        factories.tenancy(session, org, start=date(2025, 1, 1))
    run_at(fresh_engine, "02:30", "02:30", as_of=date(2026, 4, 9))
    with Session(fresh_engine) as session:
        assert count(session, "letter") == 1
        assert count(session, "nightly_run") == 1
    run_at(fresh_engine, "02:30", "04:15", as_of=date(2026, 4, 10))  # nobody at 04:15
    with Session(fresh_engine) as session:
        assert count(session, "nightly_run") == 1


def test_health_route_reports_the_scheduler(fresh_engine: Engine) -> None:
    scheduler = build_scheduler(fresh_engine, "02:30")
    body = TestClient(create_app(scheduler)).get("/health").json()
    assert body["status"] == "ok" and body["scheduler"] is False  # built, not started
    assert {job["id"] for job in body["jobs"]} >= {"nightly@02:30"}
