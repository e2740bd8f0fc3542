"""Move-outs (fraflytninger) at the desk, read-only (``read``): the organisation's cases, and
one case with its deadlines, repair items, claims and settlements."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.auth.http import Access
from app.desk.common import own
from ledger.models import Tenancy, Unit
from workflows.moveout.models import (
    CaseState,
    MoveoutCase,
    MoveoutClaim,
    MoveoutDeadline,
    MoveoutItem,
    MoveoutSettlement,
)
from workflows.moveout.service import claims_of, items_of, stored_deadlines

MAX_PAGE = 500


@dataclass(frozen=True, slots=True)
class MoveoutView:
    case: MoveoutCase
    unit_number: str


@dataclass(frozen=True, slots=True)
class MoveoutDetail:
    view: MoveoutView
    deadlines: list[MoveoutDeadline]
    items: list[MoveoutItem]
    claims: list[MoveoutClaim]
    settlements: list[MoveoutSettlement]  # oldest first; the last one counts


def list_moveouts(
    session: Session,
    access: Access,
    *,
    state: CaseState | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[MoveoutView]:
    """The organisation's move-out cases, latest end date first."""
    assert 1 <= limit <= MAX_PAGE and offset >= 0
    query = (
        select(MoveoutCase, Unit.unit_number)
        .join(Tenancy, col(Tenancy.id) == col(MoveoutCase.tenancy_id))
        .join(Unit, col(Unit.id) == col(Tenancy.unit_id))
        .where(MoveoutCase.organisation_id == access.organisation_id)
        .order_by(col(MoveoutCase.end_date).desc(), col(MoveoutCase.id))
        .offset(offset)
        .limit(limit)
    )
    if state is not None:
        query = query.where(MoveoutCase.state == state)
    return [MoveoutView(case, unit) for case, unit in session.exec(query)]


def moveout_detail(session: Session, access: Access, case_id: int) -> MoveoutDetail:
    """One move-out case of the organisation (else ``NotFound``) with what belongs to it."""
    case = own(session, access, MoveoutCase, case_id, "move-out case")
    tenancy = session.get(Tenancy, case.tenancy_id)
    assert tenancy is not None
    unit = session.get(Unit, tenancy.unit_id)
    assert unit is not None
    settlements = session.exec(
        select(MoveoutSettlement)
        .where(MoveoutSettlement.case_id == case_id)
        .order_by(col(MoveoutSettlement.id))
    )
    return MoveoutDetail(
        view=MoveoutView(case, unit.unit_number),
        deadlines=stored_deadlines(session, case),
        items=items_of(session, case),
        claims=claims_of(session, case),
        settlements=list(settlements),
    )
