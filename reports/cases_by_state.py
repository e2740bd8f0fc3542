"""Restancesager fordelt på tilstand (arrears cases by state) as of a day.

A case's state on ``as_of`` is the state its history (``case_event``) had reached by then:
the last event dated on or before ``as_of``. A case with no event by then did not exist yet.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, col

from reports.common import frame, scope
from reports.labels import CASE_STATES
from reports.model import Chart, Report, Table
from workflows.arrears.models import ArrearsCase, CaseEvent
from workflows.arrears.states import CLOSED_STATES, CaseState

NAME = "cases-by-state"
TITLE = "Restancesager fordelt på tilstand"
STATE = "Tilstand"
CASES = "Sager"
AMOUNT = "Restance (påkrævet)"
FEES = "Påkravsgebyrer"


def states_on(session: Session, organisation_id: int, as_of: date) -> list[tuple[str, int, int]]:
    """(state, demanded øre, fee øre) of every case that existed on ``as_of``."""
    last = (
        sa.select(col(CaseEvent.case_id), sa.func.max(col(CaseEvent.id)).label("event_id"))
        .where(col(CaseEvent.organisation_id) == organisation_id, col(CaseEvent.on_date) <= as_of)
        .group_by(col(CaseEvent.case_id))
        .subquery()
    )
    query = (
        sa.select(col(CaseEvent.to_state), col(ArrearsCase.amount_oere), col(ArrearsCase.fee_oere))
        .join(last, last.c.event_id == col(CaseEvent.id))
        .join(ArrearsCase, col(ArrearsCase.id) == col(CaseEvent.case_id))
    )
    return [(str(state), amount, fee or 0) for state, amount, fee in session.execute(query)]


def build(session: Session, organisation_id: int, as_of: date) -> Report:
    where = scope(session, organisation_id, as_of)
    count: dict[str, int] = defaultdict(int)
    amount: dict[str, int] = defaultdict(int)
    fees: dict[str, int] = defaultdict(int)
    for state, demanded, fee in states_on(session, organisation_id, as_of):
        count[state] += 1
        amount[state] += demanded
        fees[state] += fee
    rows: list[dict[str, object]] = [
        {STATE: CASE_STATES[s], CASES: count[s], AMOUNT: amount[s], FEES: fees[s]}
        for s in CaseState
    ]
    open_states = [s for s in CaseState if s not in CLOSED_STATES]
    totals = {
        "cases": sum(count.values()),
        "open_cases": sum(count[s] for s in open_states),
        "open_amount_oere": sum(amount[s] for s in open_states),
        "fees_oere": sum(fees.values()),
    }
    labels = {
        "cases": "Sager i alt",
        "open_cases": "Åbne sager",
        "open_amount_oere": "Påkrævet i åbne sager",
        "fees_oere": "Påkravsgebyrer i alt",
    }
    shown = [s for s in CaseState if count[s]]
    return Report(
        name=NAME,
        title=TITLE,
        as_of=as_of,
        organisation_name=where.organisation_name,
        organisation_cvr=where.organisation_cvr,
        table=Table(
            "Sager pr. tilstand",
            frame(rows, [STATE, CASES, AMOUNT, FEES]),
            money_columns=(AMOUNT, FEES),
        ),
        totals=totals,
        total_labels=labels,
        chart=Chart(
            "Sager pr. tilstand",
            tuple(CASE_STATES[s] for s in shown),
            tuple(count[s] for s in shown),
            money=False,
        ),
        notes=(
            "Tilstand pr. opgørelsesdagen efter sagens historik. Restance: det beløb, sagen "
            "gælder (ubetalte pligtige ydelser for forfaldsdatoen), som da den blev oprettet.",
        ),
    )
