"""Payment plans (afdragsordninger): pause escalation; a missed instalment resumes it."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from tests import factories
from tests.workflows.arrears.helpers import D, history, nights
from workflows.arrears.models import ArrearsCase, PaymentPlan
from workflows.arrears.plans import InstalmentSpec, create_plan, plan_with_instalments
from workflows.arrears.service import CaseError
from workflows.arrears.states import CaseState

RENT, FEE = 650_000, 33_500
HALF = (RENT + FEE) // 2


def pakrav_sent(session: Session) -> tuple[object, object, ArrearsCase]:
    org = factories.organisation(session, ledger_start=D(2026, 4, 1))
    tenancy = factories.tenancy(session, org, start=D(2025, 1, 1))
    nights(session, org, D(2026, 4, 1), D(2026, 4, 12))
    case = session.exec(__import__("sqlmodel").select(ArrearsCase)).one()
    assert case.state == CaseState.PAKRAV_SENT
    return org, tenancy, case


def plan(session: Session, org: object, case: ArrearsCase) -> PaymentPlan:
    return create_plan(
        session, org, [case.id or 0],  # type: ignore[arg-type]
        [InstalmentSpec(D(2026, 4, 20), HALF), InstalmentSpec(D(2026, 5, 5), HALF)],
        agreed_on=D(2026, 4, 12), actor="cli:Mette",
    )  # fmt: skip


def state(session: Session, case: ArrearsCase) -> CaseState:
    session.expire_all()
    found = session.get(ArrearsCase, case.id)
    assert found is not None
    return CaseState(found.state)


def test_plan_pauses_escalation_past_the_deadline(session: Session) -> None:
    org, tenancy, case = pakrav_sent(session)
    agreed = plan(session, org, case)
    assert state(session, case) == CaseState.PAYMENT_PLAN
    factories.pay(session, tenancy, HALF, D(2026, 4, 20))  # type: ignore[arg-type]
    runs = nights(session, org, D(2026, 4, 13), D(2026, 5, 7))  # type: ignore[arg-type]
    assert state(session, case) == CaseState.PAYMENT_PLAN  # not awaiting approval on 24 April
    assert runs[D(2026, 4, 23)]["plan_instalments_kept"] == 1
    _, instalments, _ = plan_with_instalments(session, agreed.id or 0)
    assert [(i.outcome, i.judged_on) for i in instalments] == [
        ("kept", D(2026, 4, 23)),
        (None, None),
    ]


def test_missed_instalment_resumes_escalation_to_the_approval_queue(session: Session) -> None:
    org, tenancy, case = pakrav_sent(session)
    agreed = plan(session, org, case)
    factories.pay(session, tenancy, HALF, D(2026, 4, 20))  # type: ignore[arg-type]
    runs = nights(session, org, D(2026, 4, 13), D(2026, 5, 8))  # type: ignore[arg-type]
    assert runs[D(2026, 5, 8)]["plan_instalments_missed"] == 1  # judged 3 bank days after 5 May
    assert state(session, case) == CaseState.AWAITING_TERMINATION_APPROVAL
    assert history(session, case.id or 0)[-2:] == [
        ("pakrav_sent", "payment_plan", "cli:Mette"),
        ("payment_plan", "awaiting_termination_approval", "nightly"),
    ]
    session.expire_all()
    assert session.get(PaymentPlan, agreed.id).status == "defaulted"  # type: ignore[union-attr]


def test_instalment_paid_late_by_payment_date_is_missed(session: Session) -> None:
    org, tenancy, case = pakrav_sent(session)
    plan(session, org, case)
    factories.pay(session, tenancy, HALF, D(2026, 4, 21))  # one day after its day  # type: ignore[arg-type]
    nights(session, org, D(2026, 4, 13), D(2026, 4, 23))  # type: ignore[arg-type]
    assert state(session, case) == CaseState.PAKRAV_SENT  # deadline 23 April not yet passed


def test_plan_kept_to_the_end_closes_the_case_as_paid(session: Session) -> None:
    org, tenancy, case = pakrav_sent(session)
    agreed = plan(session, org, case)
    factories.pay(session, tenancy, HALF, D(2026, 4, 20))  # type: ignore[arg-type]
    factories.pay(session, tenancy, HALF + 1, D(2026, 5, 4))  # type: ignore[arg-type]
    nights(session, org, D(2026, 4, 13), D(2026, 5, 9))  # type: ignore[arg-type]
    assert state(session, case) == CaseState.CLOSED_PAID
    session.expire_all()
    assert session.get(PaymentPlan, agreed.id).status == "completed"  # type: ignore[union-attr]


def test_plan_must_add_up_to_what_is_unpaid(session: Session) -> None:
    org, _, case = pakrav_sent(session)
    with pytest.raises(CaseError, match="must be equal"):
        create_plan(session, org, [case.id or 0], [InstalmentSpec(D(2026, 5, 1), 100_000)],  # type: ignore[arg-type]
                    agreed_on=D(2026, 4, 12), actor="x")  # fmt: skip
    with pytest.raises(CaseError, match="must come after"):
        create_plan(session, org, [case.id or 0],  # type: ignore[arg-type]
                    [InstalmentSpec(D(2026, 5, 1), HALF), InstalmentSpec(D(2026, 5, 1), HALF + 1)],
                    agreed_on=D(2026, 4, 12), actor="x")  # fmt: skip
    assert state(session, case) == CaseState.PAKRAV_SENT
