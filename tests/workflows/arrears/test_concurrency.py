"""Two nightly runs at once never double a letter, fee or notification (real commits).

On PostgreSQL the organisation's advisory lock makes the second run wait for the first and
then find nothing to do; on SQLite ``BEGIN IMMEDIATE`` serialises the two transactions.
A slow injected step holds the lock so that the runs really overlap.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.database import unit_of_work
from app.letters import LETTER_TOOLS
from app.nightly import run_nightly
from ledger.models import Organisation
from tests import factories
from tests.workflows.arrears.helpers import D, count
from workflows.arrears.models import NightlyRun
from workflows.arrears.nightly import NightlyDeps


def prepare(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        org = factories.organisation(session, ledger_start=D(2026, 4, 1))
        factories.tenancy(session, org, start=D(2026, 1, 1), assigned=True)
        for n in range(2, 6):
            factories.tenancy(session, org, f"1-1{n:02d}", start=D(2025, 1, 1))


def test_two_runs_at_once_never_double_a_letter_fee_or_notification(fresh_engine: Engine) -> None:
    prepare(fresh_engine)
    inside = threading.Barrier(2, timeout=30)
    overlap: list[float] = []

    def slow_step(session: Session, org: Organisation, day: date) -> Mapping[str, Any]:
        overlap.append(time.monotonic())
        time.sleep(0.5)  # hold the organisation's lock while the other run tries to take it
        return {"slept": 0.5}

    deps = NightlyDeps(tools=LETTER_TOOLS, steps=(("slow", slow_step),), lock_wait_seconds=60)
    results: list[list[dict[str, Any]]] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            inside.wait()
            results.append(run_nightly(lambda: unit_of_work(fresh_engine), D(2026, 4, 9), deps))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    summaries = [summary for result in results for summary in result]
    assert sorted(s["pakrav_issued"] for s in summaries) == [0, 5]
    assert sorted(s["notifications_created"] for s in summaries) == [0, 1]
    assert len(overlap) == 2 and abs(overlap[1] - overlap[0]) >= 0.45  # one after the other
    with Session(fresh_engine) as session:
        assert count(session, "letter") == 5
        assert count(session, "posting", source="pakrav") == 5
        assert count(session, "notification") == 1
        assert count(session, "arrears_case") == 5
        assert len(session.exec(select(NightlyRun)).all()) == 2


def test_a_run_that_cannot_get_the_lock_in_time_skips_and_says_so(fresh_engine: Engine) -> None:
    if fresh_engine.dialect.name != "postgresql":
        return  # SQLite: the second run waits for the busy timeout (30 s), then is skipped
    prepare(fresh_engine)
    deps = NightlyDeps(tools=LETTER_TOOLS, lock_wait_seconds=0.3)
    with unit_of_work(fresh_engine) as holder:
        from workflows.arrears.nightly import lock_organisation

        org = holder.exec(select(Organisation)).one()
        assert lock_organisation(holder, org.id or 0, 0)
        summaries = run_nightly(lambda: unit_of_work(fresh_engine), D(2026, 4, 9), deps)
    assert summaries[0]["status"].startswith("skipped: another run holds")
    with Session(fresh_engine) as session:
        assert count(session, "letter") == 0
