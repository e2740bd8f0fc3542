"""Payment plans (afdragsordninger) at the desk: list, one with its instalments, and agreeing
a new one over a tenancy's open cases (``write``, audited). The rules are the workflow's
(``workflows.arrears.plans``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from app.auth import audit
from app.auth.http import Access
from app.auth.roles import Permission
from app.desk.common import own, require
from app.desk.errors import DeskError
from workflows.arrears import plans
from workflows.arrears.models import ArrearsCase, PaymentPlan, PaymentPlanInstalment, PlanStatus
from workflows.arrears.plans import InstalmentSpec
from workflows.arrears.service import CaseError
from workflows.arrears.states import TransitionError

MAX_PAGE = 500


@dataclass(frozen=True, slots=True)
class PlanDetail:
    plan: PaymentPlan
    instalments: list[PaymentPlanInstalment]
    case_ids: list[int]


def list_plans(
    session: Session,
    access: Access,
    *,
    status: PlanStatus | None = None,
    tenancy_id: int | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[PaymentPlan]:
    """The organisation's payment plans, newest first."""
    assert 1 <= limit <= MAX_PAGE and offset >= 0
    query = (
        select(PaymentPlan)
        .where(PaymentPlan.organisation_id == access.organisation_id)
        .order_by(col(PaymentPlan.id).desc())
        .offset(offset)
        .limit(limit)
    )
    if status is not None:
        query = query.where(PaymentPlan.status == status)
    if tenancy_id is not None:
        query = query.where(PaymentPlan.tenancy_id == tenancy_id)
    return list(session.exec(query))


def plan_detail(session: Session, access: Access, plan_id: int) -> PlanDetail:
    """One plan of the organisation (else ``NotFound``) with its instalments and cases."""
    own(session, access, PaymentPlan, plan_id, "payment plan")
    plan, instalments, cases = plans.plan_with_instalments(session, plan_id)
    return PlanDetail(plan, instalments, sorted(c.id for c in cases if c.id is not None))


def create_payment_plan(
    session: Session,
    access: Access,
    case_ids: Sequence[int],
    instalments: Sequence[InstalmentSpec],
    *,
    agreed_on: date,
    note: str = "",
) -> PlanDetail:
    """Agree a plan over ``case_ids`` (open cases of one tenancy of the organisation); the
    instalments must add up to what is unpaid of them on ``agreed_on``. ``DeskError`` (409)
    says why a plan cannot be made; a case of another organisation is ``NotFound``."""
    require(access, Permission.WRITE)
    for case_id in case_ids:
        own(session, access, ArrearsCase, case_id, "arrears case")
    before = {
        str(case.id): str(case.state)
        for case in session.exec(select(ArrearsCase).where(col(ArrearsCase.id).in_(list(case_ids))))
    }
    try:
        plan = plans.create_plan(
            session, access.organisation, case_ids, instalments, agreed_on=agreed_on,
            actor=access.principal.username, note=note,
        )  # fmt: skip
    except (CaseError, TransitionError) as exc:
        raise DeskError(str(exc)) from exc
    detail = plan_detail(session, access, plan.id or 0)
    audit.record(
        session,
        access.principal,
        "plan.create",
        organisation_id=access.organisation_id,
        object_type="payment_plan",
        object_id=plan.id,
        before={"cases": before},
        after={
            "status": str(plan.status),
            "total_oere": plan.total_oere,
            "agreed_on": plan.agreed_on,
            "instalments": [[i.due_date, i.amount_oere] for i in detail.instalments],
            "cases": {str(case_id): "payment_plan" for case_id in detail.case_ids},
        },
        reason=note or None,
    )
    return detail
