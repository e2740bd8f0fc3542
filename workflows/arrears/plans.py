"""Payment plans (afdragsordninger): agreed instalments pause escalation of the cases they
cover; a missed instalment resumes it (domain.md §6: the organisation is not obliged to offer
one).

A plan covers open cases of one tenancy and must add up to exactly what is unpaid of them on
the day it is agreed. An instalment is judged by payment date on its last timely payment day,
a few bank days later (so payments made in time have arrived): kept when what is unpaid of the
plan's cases is no more than the plan allows by then. Payments settle the oldest arrears first
(the ledger's allocation), so running rent left unpaid becomes a case of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select

from ledger.accounts import debtor_lines
from ledger.balances import statement
from ledger.calendar import last_timely_payment_day
from ledger.models import Organisation
from workflows.arrears.config import ArrearsConfig
from workflows.arrears.models import (
    ArrearsCase,
    InstalmentOutcome,
    PaymentPlan,
    PaymentPlanInstalment,
    PlanStatus,
)
from workflows.arrears.planner import Move, case_remaining, resume_state
from workflows.arrears.rules import (
    instalment_judgement_day,
    instalment_kept,
    scheduled_remaining,
    unpaid_by_due_date,
)
from workflows.arrears.service import CaseError, apply_moves, case_facts
from workflows.arrears.states import PLANNABLE_STATES, CaseState, is_closed

MAX_INSTALMENTS = 60


@dataclass(frozen=True, slots=True)
class InstalmentSpec:
    due_date: date
    amount_oere: int


@dataclass(slots=True)
class PlanDay:
    kept: int = 0
    missed: int = 0
    completed: int = 0
    resumed: list[int] = field(default_factory=list)


def unpaid_of_cases(
    session: Session,
    organisation_id: int,
    tenancy_id: int,
    cases: Sequence[ArrearsCase],
    as_of: date,
) -> int:
    """What is unpaid of ``cases`` as of ``as_of``, judged by payment date."""
    lines = debtor_lines(session, organisation_id, [tenancy_id]).get(tenancy_id, [])
    result = statement(lines, as_of)
    open_by_entry = {item.entry_id: item.open_oere for item in result.open_items}
    by_due = unpaid_by_due_date(result.open_items, as_of, date.min)
    return sum(
        case_remaining(case_facts(case), open_by_entry, by_due.get(case.due_date, ()))
        for case in cases
    )


def create_plan(
    session: Session,
    organisation: Organisation,
    case_ids: Sequence[int],
    instalments: Sequence[InstalmentSpec],
    *,
    agreed_on: date,
    actor: str,
    note: str = "",
) -> PaymentPlan:
    """Agree a plan over ``case_ids`` (one tenancy's open cases) and pause them."""
    assert organisation.id is not None
    cases = _plannable_cases(session, organisation.id, case_ids)
    _check_instalments(instalments, agreed_on)
    tenancy_id = cases[0].tenancy_id
    owed = unpaid_of_cases(session, organisation.id, tenancy_id, cases, agreed_on)
    total = sum(i.amount_oere for i in instalments)
    if owed <= 0:
        raise CaseError("the cases have nothing unpaid: no plan needed")
    if total != owed:
        raise CaseError(
            f"the instalments add up to {total} øre, but {owed} øre is unpaid of the cases "
            f"{', '.join(str(c.id) for c in cases)}: they must be equal"
        )
    plan = PaymentPlan(
        organisation_id=organisation.id,
        tenancy_id=tenancy_id,
        status=PlanStatus.ACTIVE,
        agreed_on=agreed_on,
        total_oere=total,
        note=note[:300],
        created_by=actor,
    )
    session.add(plan)
    session.flush()
    assert plan.id is not None
    for number, spec in enumerate(instalments, start=1):
        session.add(
            PaymentPlanInstalment(
                organisation_id=organisation.id,
                plan_id=plan.id,
                number=number,
                due_date=spec.due_date,
                amount_oere=spec.amount_oere,
            )
        )
    moves = []
    for case in cases:
        assert case.id is not None
        case.payment_plan_id = plan.id
        session.add(case)
        moves.append(
            Move(
                case.id,
                CaseState(case.state),
                CaseState.PAYMENT_PLAN,
                f"payment plan {plan.id} agreed: {len(instalments)} instalments, "
                f"{total} øre; escalation paused",
            )
        )
    session.flush()
    apply_moves(session, organisation.id, moves, agreed_on, actor)
    return plan


def _plannable_cases(
    session: Session, organisation_id: int, case_ids: Sequence[int]
) -> list[ArrearsCase]:
    if not case_ids:
        raise CaseError("a payment plan covers at least one case")
    cases = list(
        session.exec(
            select(ArrearsCase)
            .where(
                ArrearsCase.organisation_id == organisation_id, col(ArrearsCase.id).in_(case_ids)
            )
            .order_by(col(ArrearsCase.due_date))
        )
    )
    missing = set(case_ids) - {case.id for case in cases}
    if missing:
        raise CaseError(f"no such cases of the organisation: {sorted(missing)}")
    if len({case.tenancy_id for case in cases}) != 1:
        raise CaseError("a payment plan covers the cases of one tenancy")
    for case in cases:
        if CaseState(case.state) not in PLANNABLE_STATES:
            raise CaseError(f"case {case.id} is {case.state}: a payment plan cannot cover it")
    return cases


def _check_instalments(instalments: Sequence[InstalmentSpec], agreed_on: date) -> None:
    if not 1 <= len(instalments) <= MAX_INSTALMENTS:
        raise CaseError(f"a payment plan has 1-{MAX_INSTALMENTS} instalments")
    previous = agreed_on
    for number, spec in enumerate(instalments, start=1):
        if spec.amount_oere <= 0:
            raise CaseError(f"instalment {number}: the amount must be positive")
        if spec.due_date < previous or (number > 1 and spec.due_date == previous):
            raise CaseError(
                f"instalment {number}: {spec.due_date.isoformat()} must come after "
                f"{previous.isoformat()} (the agreement or the previous instalment)"
            )
        previous = spec.due_date


def judge_plans(
    session: Session,
    organisation: Organisation,
    config: ArrearsConfig,
    day: date,
    actor: str,
) -> PlanDay:
    """Judge the instalments whose day has come; resume the cases of a missed plan."""
    assert organisation.id is not None
    result = PlanDay()
    plans = session.exec(
        select(PaymentPlan).where(
            PaymentPlan.organisation_id == organisation.id,
            PaymentPlan.status == PlanStatus.ACTIVE,
        )
    ).all()
    for plan in plans:
        _judge_plan(session, organisation.id, config, plan, day, actor, result)
    return result


def _judge_plan(
    session: Session,
    organisation_id: int,
    config: ArrearsConfig,
    plan: PaymentPlan,
    day: date,
    actor: str,
    result: PlanDay,
) -> None:
    cases = list(session.exec(select(ArrearsCase).where(ArrearsCase.payment_plan_id == plan.id)))
    paused = [case for case in cases if case.state == CaseState.PAYMENT_PLAN]
    instalments = list(
        session.exec(
            select(PaymentPlanInstalment)
            .where(PaymentPlanInstalment.plan_id == plan.id)
            .order_by(col(PaymentPlanInstalment.number))
        )
    )
    if all(is_closed(case.state) for case in cases):
        _end(session, plan, PlanStatus.COMPLETED, day)
        result.completed += 1
        return
    schedule = [(i.due_date, i.amount_oere) for i in instalments]
    for instalment in instalments:
        if instalment.outcome is not None:
            continue
        if instalment_judgement_day(instalment.due_date) > day:
            return
        by = last_timely_payment_day(instalment.due_date)
        unpaid = unpaid_of_cases(session, organisation_id, plan.tenancy_id, cases, by)
        allowed = scheduled_remaining(plan.total_oere, schedule, instalment.due_date)
        kept = instalment_kept(unpaid, allowed)
        instalment.outcome = InstalmentOutcome.KEPT if kept else InstalmentOutcome.MISSED
        instalment.judged_on = day
        session.add(instalment)
        if not kept:
            result.missed += 1
            _end(session, plan, PlanStatus.DEFAULTED, day)
            reason = (
                f"instalment {instalment.number} of payment plan {plan.id} due "
                f"{instalment.due_date.isoformat()} missed: {unpaid} øre unpaid by "
                f"{by.isoformat()}, the plan allowed {allowed} øre; escalation resumes"
            )
            _resume(session, organisation_id, config, paused, day, actor, reason, result)
            return
        result.kept += 1
    _end(session, plan, PlanStatus.COMPLETED, day)
    result.completed += 1
    reason = f"payment plan {plan.id} ended with every instalment kept; arrears remain"
    _resume(session, organisation_id, config, paused, day, actor, reason, result)


def _end(session: Session, plan: PaymentPlan, status: PlanStatus, day: date) -> None:
    plan.status = status
    plan.ended_on = day
    session.add(plan)
    session.flush()


def _resume(
    session: Session,
    organisation_id: int,
    config: ArrearsConfig,
    paused: Sequence[ArrearsCase],
    day: date,
    actor: str,
    reason: str,
    result: PlanDay,
) -> None:
    moves = []
    for case in paused:
        assert case.id is not None
        unpaid = unpaid_of_cases(session, organisation_id, case.tenancy_id, [case], day)
        target = resume_state(case_facts(case), day, unpaid, config.min_arrears_oere)
        moves.append(Move(case.id, CaseState.PAYMENT_PLAN, target, reason))
        result.resumed.append(case.id)
    apply_moves(session, organisation_id, moves, day, actor)
    for case in paused:
        session.refresh(case)


def plan_with_instalments(
    session: Session, plan_id: int
) -> tuple[PaymentPlan, list[PaymentPlanInstalment], list[ArrearsCase]]:
    plan = session.get(PaymentPlan, plan_id)
    if plan is None:
        raise CaseError(f"no payment plan {plan_id}")
    instalments = list(
        session.exec(
            select(PaymentPlanInstalment)
            .where(PaymentPlanInstalment.plan_id == plan_id)
            .order_by(col(PaymentPlanInstalment.number))
        )
    )
    cases = list(session.exec(select(ArrearsCase).where(ArrearsCase.payment_plan_id == plan_id)))
    return plan, instalments, cases
