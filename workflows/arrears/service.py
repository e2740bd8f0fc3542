"""The arrears repository: loading what the planner needs in bulk, and carrying out openings
and state changes with their history. Services flush, never commit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm.util import identity_key
from sqlmodel import Session, col, func, select

from ledger.chunks import chunked
from ledger.models import Tenancy, TenancyTenant, Tenant, Unit, table
from ledger.types import Account, DeliveryChannel, UnitKind, utc_now
from workflows.arrears.models import ArrearsCase
from workflows.arrears.planner import CaseFacts, Move, Open, TenancyFacts
from workflows.arrears.states import OPEN_STATES, CaseState, check_transition, is_closed

_CHUNK = 500
MAX_CASES_PER_RUN = 200_000  # a limit on one night's work; more is a data error upstream


class CaseError(ValueError):
    """A case that does not exist, or an action it does not allow."""


@dataclass(frozen=True, slots=True)
class Event:
    case_id: int
    from_state: CaseState | None
    to_state: CaseState
    reason: str


def candidate_tenancies(session: Session, organisation_id: int, day: date) -> set[int]:
    """Tenancies that may have arrears on ``day``: a positive balance counting what fell due
    and what was paid up to ``day`` (so every open debit is seen), plus those with open cases
    (whose arrears may just have been paid)."""
    entry = table("ledger_entry")
    effective = sa.func.coalesce(entry.c.due_date, entry.c.value_date)
    owing = (
        sa.select(entry.c.tenancy_id)
        .where(
            entry.c.organisation_id == organisation_id,
            entry.c.account == str(Account.DEBTOR),
            effective <= day,
        )
        .group_by(entry.c.tenancy_id)
        .having(sa.func.sum(entry.c.amount_oere) > 0)
    )
    ids = {int(row) for row in session.connection().execute(owing).scalars()}
    cases = table("arrears_case")
    with_cases = sa.select(cases.c.tenancy_id).where(
        cases.c.organisation_id == organisation_id,
        cases.c.state.in_([str(state) for state in OPEN_STATES]),
    )
    ids.update(int(row) for row in session.connection().execute(with_cases).scalars())
    return ids


def load_tenancy_facts(
    session: Session, organisation_id: int, tenancy_ids: Iterable[int]
) -> dict[int, TenancyFacts]:
    """Tenancy, unit and tenant names of each tenancy, in a few bulk queries."""
    facts: dict[int, TenancyFacts] = {}
    for chunk in chunked(sorted(set(tenancy_ids)), _CHUNK):
        names: dict[int, list[str]] = defaultdict(list)
        name_rows = session.exec(
            select(TenancyTenant.tenancy_id, Tenant.name)
            .join(Tenant, col(Tenant.id) == col(TenancyTenant.tenant_id))
            .where(col(TenancyTenant.tenancy_id).in_(chunk))
            .order_by(col(TenancyTenant.tenancy_id), col(TenancyTenant.position))
        )
        for tenancy_id, name in name_rows:
            names[tenancy_id].append(name)
        rows = session.exec(
            select(Tenancy, Unit)
            .join(Unit, col(Unit.id) == col(Tenancy.unit_id))
            .where(Tenancy.organisation_id == organisation_id, col(Tenancy.id).in_(chunk))
        )
        for tenancy, unit in rows:
            assert tenancy.id is not None
            facts[tenancy.id] = _facts(tenancy, unit, tuple(names[tenancy.id]))
    return facts


def _facts(tenancy: Tenancy, unit: Unit, names: tuple[str, ...]) -> TenancyFacts:
    assert tenancy.id is not None
    return TenancyFacts(
        tenancy_id=tenancy.id,
        unit_number=unit.unit_number,
        unit_kind=UnitKind(unit.kind),
        address=unit.address,
        postcode=unit.postcode,
        city=unit.city,
        municipality_code=unit.municipality_code,
        start_date=tenancy.start_date,
        end_date=tenancy.end_date,
        municipally_assigned=tenancy.municipally_assigned,
        delivery_channel=DeliveryChannel(tenancy.delivery_channel),
        digital_post_exempt=tenancy.digital_post_exempt,
        children_in_household=tenancy.children_in_household,
        tenant_names=names,
    )


def case_facts(case: ArrearsCase) -> CaseFacts:
    assert case.id is not None
    demanded = tuple(int(line["entry_id"]) for line in case.lines)
    if case.fee_entry_id is not None:
        demanded += (case.fee_entry_id,)
    return CaseFacts(
        id=case.id,
        tenancy_id=case.tenancy_id,
        due_date=case.due_date,
        sequence=case.sequence,
        state=CaseState(case.state),
        pakrav_date=case.pakrav_date,
        earliest_termination=case.earliest_termination,
        termination_date=case.termination_date,
        demanded_entry_ids=demanded if case.pakrav_date is not None else (),
        payment_plan_id=case.payment_plan_id,
    )


def load_cases(
    session: Session, organisation_id: int, tenancy_ids: Iterable[int]
) -> dict[int, list[CaseFacts]]:
    """Every case (open or closed) of the tenancies, by tenancy, oldest due date first."""
    cases: dict[int, list[CaseFacts]] = defaultdict(list)
    for chunk in chunked(sorted(set(tenancy_ids)), _CHUNK):
        rows = session.exec(
            select(ArrearsCase)
            .where(
                ArrearsCase.organisation_id == organisation_id,
                col(ArrearsCase.tenancy_id).in_(chunk),
            )
            .order_by(col(ArrearsCase.due_date), col(ArrearsCase.sequence))
        )
        for row in rows:
            cases[row.tenancy_id].append(case_facts(row))
    return dict(cases)


def require_case(session: Session, case_id: int) -> ArrearsCase:
    case = session.get(ArrearsCase, case_id)
    if case is None:
        raise CaseError(f"no arrears case {case_id}")
    return case


def open_cases(
    session: Session, organisation_id: int, openings: Sequence[Open], day: date, actor: str
) -> list[CaseFacts]:
    """Insert new cases (state ``opened``) with their first event."""
    assert len(openings) <= MAX_CASES_PER_RUN, "too many new cases for one run"
    cases_table = table("arrears_case")
    now = utc_now()
    opened: list[CaseFacts] = []
    events: list[Event] = []
    for chunk in chunked(openings, _CHUNK):
        rows = [
            {
                "organisation_id": organisation_id,
                "tenancy_id": o.tenancy_id,
                "due_date": o.due_date,
                "sequence": o.sequence,
                "state": CaseState.OPENED,
                "opened_on": day,
                "amount_oere": o.amount_oere,
                "lines": [],
                "created_at": now,
                "updated_at": now,
            }
            for o in chunk
        ]
        ids = session.connection().execute(
            sa.insert(cases_table).returning(cases_table.c.id, sort_by_parameter_order=True), rows
        )
        for o, case_id in zip(chunk, ids.scalars(), strict=True):
            opened.append(
                CaseFacts(
                    int(case_id),
                    o.tenancy_id,
                    o.due_date,
                    o.sequence,
                    CaseState.OPENED,
                    None,
                    None,
                    None,
                    (),
                    None,
                )
            )
            again = f" (case {o.sequence} for this due date)" if o.sequence > 1 else ""
            events.append(
                Event(
                    int(case_id),
                    None,
                    CaseState.OPENED,
                    f"{o.amount_oere} øre of pligtige items due {o.due_date.isoformat()} "
                    f"unpaid after the last timely payment day{again}",
                )
            )
    record_events(session, organisation_id, events, day, actor)
    return opened


def apply_moves(
    session: Session, organisation_id: int, moves: Sequence[Move], day: date, actor: str
) -> None:
    """Change states (each checked against the state machine) and record the history.

    The update is conditional on the state the planner saw: a case another writer moved in the
    meantime makes the whole transaction fail rather than act twice.
    """
    if not moves:
        return
    for move in moves:
        check_transition(move.from_state, move.to_state)
    cases_table = table("arrears_case")
    now = utc_now()
    statement = (
        sa.update(cases_table)
        .where(
            cases_table.c.id == sa.bindparam("b_id"),
            cases_table.c.state == sa.bindparam("b_from"),
        )
        .values(state=sa.bindparam("b_to"), closed_on=sa.bindparam("b_closed"), updated_at=now)
    )
    for chunk in chunked(moves, _CHUNK):
        params = [
            {
                "b_id": m.case_id,
                "b_from": str(m.from_state),
                "b_to": str(m.to_state),
                "b_closed": day if is_closed(m.to_state) else None,
            }
            for m in chunk
        ]
        session.connection().execute(statement, params)
        check_states(session, {m.case_id: m.to_state for m in chunk})
    record_events(
        session,
        organisation_id,
        [Event(m.case_id, m.from_state, m.to_state, m.reason) for m in moves],
        day,
        actor,
    )


def expire_cached_cases(session: Session, case_ids: Iterable[int]) -> None:
    """Core statements bypass the ORM: forget any loaded copy of these cases, so a later read
    in the same transaction sees the database, not a stale state."""
    for case_id in case_ids:
        cached = session.identity_map.get(identity_key(ArrearsCase, case_id))
        if cached is not None:
            session.expire(cached)


def check_states(session: Session, wanted: dict[int, CaseState]) -> None:
    expire_cached_cases(session, wanted)
    cases_table = table("arrears_case")
    rows = session.connection().execute(
        sa.select(cases_table.c.id, cases_table.c.state).where(cases_table.c.id.in_(wanted))
    )
    found = {int(case_id): CaseState(state) for case_id, state in rows}
    stale = [case_id for case_id, state in wanted.items() if found.get(case_id) != state]
    if stale:
        raise CaseError(f"cases {stale[:10]} changed under this run; nothing was done")


def record_events(
    session: Session, organisation_id: int, events: Sequence[Event], day: date, actor: str
) -> None:
    if not events:
        return
    now = utc_now()
    session.connection().execute(
        sa.insert(table("case_event")),
        [
            {
                "organisation_id": organisation_id,
                "case_id": e.case_id,
                "at": now,
                "on_date": day,
                "from_state": None if e.from_state is None else str(e.from_state),
                "to_state": str(e.to_state),
                "actor": actor,
                "reason": e.reason[:500],
            }
            for e in events
        ],
    )


def move_case(
    session: Session, case: ArrearsCase, to_state: CaseState, day: date, actor: str, reason: str
) -> None:
    """One checked state change of a loaded case (for the commands a person runs)."""
    assert case.id is not None
    apply_moves(
        session,
        case.organisation_id,
        [Move(case.id, CaseState(case.state), to_state, reason)],
        day,
        actor,
    )
    session.refresh(case)


def approval_queue_size(session: Session, organisation_id: int) -> int:
    return session.exec(
        select(func.count()).where(
            ArrearsCase.organisation_id == organisation_id,
            col(ArrearsCase.state).in_(
                [CaseState.AWAITING_PAKRAV_APPROVAL, CaseState.AWAITING_TERMINATION_APPROVAL]
            ),
        )
    ).one()
