"""``/api/v1/organisations/{cvr}/plans``: payment plans (afdragsordninger): list, one with
its instalments, and agreeing a new one over a tenancy's open cases (write, audited)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from app.api_v1.common import (
    MAX_ID,
    ORG,
    RESPONSES,
    ApiContext,
    Day,
    Id,
    Limit,
    Note,
    Offset,
)  # fmt: skip
from app.auth.roles import Permission
from app.desk import plans
from app.desk.plans import PlanDetail
from workflows.arrears.models import PaymentPlan, PlanStatus
from workflows.arrears.plans import MAX_INSTALMENTS, InstalmentSpec

MAX_OERE = 10**12  # 10 billion kr: far beyond any arrears


class PlanOut(BaseModel):
    id: int
    tenancy_id: int
    status: PlanStatus
    agreed_on: date
    total_oere: int
    ended_on: date | None
    note: str
    created_by: str


class InstalmentOut(BaseModel):
    number: int
    due_date: date
    amount_oere: int
    outcome: str | None
    judged_on: date | None


class PlanDetailOut(PlanOut):
    instalments: list[InstalmentOut]
    case_ids: list[int]


CaseId = Annotated[int, Field(ge=1, le=MAX_ID)]


class InstalmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    due_date: Day
    amount_oere: Annotated[int, Field(ge=1, le=MAX_OERE)]


class PlanIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case_ids: Annotated[
        list[Annotated[int, Field(ge=1, le=MAX_ID)]], Field(min_length=1, max_length=100)
    ]
    instalments: Annotated[list[InstalmentIn], Field(min_length=1, max_length=MAX_INSTALMENTS)]
    agreed_on: Day | None = None  # default: today
    note: Note = ""


def plan_out(plan: PaymentPlan) -> PlanOut:
    assert plan.id is not None
    return PlanOut(
        id=plan.id, tenancy_id=plan.tenancy_id, status=PlanStatus(plan.status),
        agreed_on=plan.agreed_on, total_oere=plan.total_oere, ended_on=plan.ended_on,
        note=plan.note, created_by=plan.created_by,
    )  # fmt: skip


def detail_out(detail: PlanDetail) -> PlanDetailOut:
    return PlanDetailOut(
        **plan_out(detail.plan).model_dump(),
        instalments=[
            InstalmentOut(
                number=i.number,
                due_date=i.due_date,
                amount_oere=i.amount_oere,
                outcome=None if i.outcome is None else str(i.outcome),
                judged_on=i.judged_on,
            )
            for i in detail.instalments
        ],
        case_ids=detail.case_ids,
    )


def plans_router(ctx: ApiContext) -> APIRouter:
    router = APIRouter(prefix=ORG, tags=["payment plans"], responses=RESPONSES)

    @router.get("/plans")
    def list_plans(
        cvr: str,
        request: Request,
        status: PlanStatus | None = None,
        tenancy_id: int | None = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> list[PlanOut]:
        """Payment plans, newest first."""
        with ctx.scope(request, cvr, Permission.READ) as (session, access):
            found = plans.list_plans(
                session, access, status=status, tenancy_id=tenancy_id, limit=limit, offset=offset
            )
            return [plan_out(plan) for plan in found]

    @router.get("/plans/{plan_id}")
    def get_plan(cvr: str, plan_id: Id, request: Request) -> PlanDetailOut:
        """One plan with its instalments (kept or missed) and the cases it covers."""
        with ctx.scope(request, cvr, Permission.READ) as (session, access):
            return detail_out(plans.plan_detail(session, access, plan_id))

    @router.post("/plans", status_code=201)
    def create_plan(cvr: str, body: PlanIn, request: Request) -> PlanDetailOut:
        """Agree a plan: the instalments must add up to what is unpaid of the cases."""
        with ctx.scope(request, cvr, Permission.WRITE) as (session, access):
            detail = plans.create_payment_plan(
                session, access, body.case_ids,
                [InstalmentSpec(i.due_date, i.amount_oere) for i in body.instalments],
                agreed_on=body.agreed_on or ctx.today(), note=body.note,
            )  # fmt: skip
            return detail_out(detail)

    return router
