"""Shared helpers for the arrears tests: run nights, find cases, count what was made."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.letters import LETTER_TOOLS
from ledger.models import Organisation, Tenancy
from workflows.arrears.models import ArrearsCase, CaseEvent
from workflows.arrears.nightly import NightlyDeps, run_organisation

DEPS = NightlyDeps(tools=LETTER_TOOLS, lock_wait_seconds=5)
D = date


def night(
    session: Session, org: Organisation, day: date, deps: NightlyDeps = DEPS
) -> dict[str, Any]:
    """One nightly run as of ``day`` (in the test's transaction)."""
    return run_organisation(session, org, day, deps)


def nights(
    session: Session, org: Organisation, first: date, last: date, deps: NightlyDeps = DEPS
) -> dict[date, dict[str, Any]]:
    """Night by night from ``first`` to ``last``; the summaries by day."""
    out = {}
    day = first
    while day <= last:
        out[day] = night(session, org, day, deps)
        day += timedelta(days=1)
    return out


def cases_of(session: Session, tenancy: Tenancy) -> list[ArrearsCase]:
    session.expire_all()
    return list(
        session.exec(
            select(ArrearsCase)
            .where(ArrearsCase.tenancy_id == tenancy.id)
            .order_by(col(ArrearsCase.due_date), col(ArrearsCase.sequence))
        )
    )


def only_case(session: Session, tenancy: Tenancy) -> ArrearsCase:
    found = cases_of(session, tenancy)
    assert len(found) == 1, f"expected one case, found {[(c.due_date, c.state) for c in found]}"
    return found[0]


def history(session: Session, case_id: int) -> list[tuple[str | None, str, str]]:
    events = session.exec(
        select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(col(CaseEvent.id))
    )
    return [
        (None if e.from_state is None else str(e.from_state), str(e.to_state), e.actor)
        for e in events
    ]


def count(session: Session, table: str, **where: object) -> int:
    t = sa.table(table, *(sa.column(name) for name in where))
    query = sa.select(sa.func.count()).select_from(t)
    for name, value in where.items():
        query = query.where(t.c[name] == value)
    return int(session.connection().execute(query).scalar_one())
