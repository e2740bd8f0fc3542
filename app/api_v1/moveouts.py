"""``/api/v1/organisations/{cvr}/moveouts``: move-out cases and their settlements
(read-only; the move-out work itself is ``almen moveout``)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from pydantic import BaseModel

from app.api_v1.common import ORG, RESPONSES, ApiContext, Id, Limit, Offset
from app.auth.roles import Permission
from app.desk import moveouts
from app.desk.moveouts import MoveoutView
from workflows.moveout.models import CaseState, MoveoutSettlement


class MoveoutOut(BaseModel):
    id: int
    tenancy_id: int
    unit_number: str
    state: CaseState
    end_date: date
    cause: str
    inspection_held_on: date | None
    statement_sent_on: date | None


class DeadlineOut(BaseModel):
    kind: str
    due_on: date
    done_on: date | None
    applies: bool
    basis: str


class ItemOut(BaseModel):
    position: int
    text: str
    category: str
    estimate_oere: int


class ClaimOut(BaseModel):
    text: str
    amount_oere: int


class SettlementOut(BaseModel):
    id: int
    as_of: date
    claims_total_oere: int
    deposit_oere: int
    deposit_applied_oere: int
    guarantee_claim_oere: int
    tenant_owes_oere: int
    refund_oere: int
    credit_refund_oere: int
    paid_to_indskudslaan_oere: int
    paid_to_attachments_oere: int
    posted: bool
    created_by: str


class MoveoutDetailOut(MoveoutOut):
    deadlines: list[DeadlineOut]
    items: list[ItemOut]
    claims: list[ClaimOut]
    settlements: list[SettlementOut]


def moveout_out(view: MoveoutView) -> MoveoutOut:
    c = view.case
    assert c.id is not None
    return MoveoutOut(
        id=c.id, tenancy_id=c.tenancy_id, unit_number=view.unit_number,
        state=CaseState(c.state), end_date=c.end_date, cause=str(c.cause),
        inspection_held_on=c.inspection_held_on, statement_sent_on=c.statement_sent_on,
    )  # fmt: skip


def settlement_out(s: MoveoutSettlement) -> SettlementOut:
    assert s.id is not None
    return SettlementOut(
        id=s.id, as_of=s.as_of, claims_total_oere=s.claims_total_oere,
        deposit_oere=s.deposit_oere, deposit_applied_oere=s.deposit_applied_oere,
        guarantee_claim_oere=s.guarantee_claim_oere, tenant_owes_oere=s.tenant_owes_oere,
        refund_oere=s.refund_oere, credit_refund_oere=s.credit_refund_oere,
        paid_to_indskudslaan_oere=s.paid_to_indskudslaan_oere,
        paid_to_attachments_oere=s.paid_to_attachments_oere,
        posted=s.posted_at is not None, created_by=s.created_by,
    )  # fmt: skip


def moveouts_router(ctx: ApiContext) -> APIRouter:
    router = APIRouter(prefix=ORG, tags=["move-outs"], responses=RESPONSES)

    @router.get("/moveouts")
    def list_moveouts(
        cvr: str,
        request: Request,
        state: CaseState | None = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> list[MoveoutOut]:
        """Move-out cases, latest end date first."""
        with ctx.scope(request, cvr, Permission.READ) as (session, access):
            views = moveouts.list_moveouts(session, access, state=state, limit=limit, offset=offset)
            return [moveout_out(view) for view in views]

    @router.get("/moveouts/{case_id}")
    def get_moveout(cvr: str, case_id: Id, request: Request) -> MoveoutDetailOut:
        """One move-out case with deadlines, repair items, claims and settlements."""
        with ctx.scope(request, cvr, Permission.READ) as (session, access):
            d = moveouts.moveout_detail(session, access, case_id)
            return MoveoutDetailOut(
                **moveout_out(d.view).model_dump(),
                deadlines=[
                    DeadlineOut(
                        kind=str(x.kind),
                        due_on=x.due_on,
                        done_on=x.done_on,
                        applies=x.applies,
                        basis=x.basis,
                    )
                    for x in d.deadlines
                ],
                items=[
                    ItemOut(
                        position=i.position,
                        text=i.text,
                        category=str(i.category),
                        estimate_oere=i.estimate_oere,
                    )
                    for i in d.items
                ],
                claims=[ClaimOut(text=c.text, amount_oere=c.amount_oere) for c in d.claims],
                settlements=[settlement_out(s) for s in d.settlements],
            )

    return router
