"""Termination and eviction need a person; the law's refusals (ALL §§ 90-92)."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.letters import LETTER_TOOLS
from ledger.models import Organisation, Tenancy
from ledger.types import DeliveryChannel, UnitKind
from tests import factories
from tests.workflows.arrears.helpers import D, count, history, night, nights, only_case
from workflows.arrears import approvals
from workflows.arrears.config import update_settings
from workflows.arrears.models import ArrearsCase, Letter
from workflows.arrears.service import CaseError
from workflows.arrears.states import CaseState
from workflows.notifications.models import Notification, NotificationAttachment

RENT, FEE = 650_000, 33_500
COURT = "Fogedretten i Aarhus"


def awaiting(session: Session, **kwargs: object) -> tuple[Organisation, Tenancy, int]:
    """A tenancy whose April 2026 case waits for termination approval on 24 April."""
    org = factories.organisation(session, ledger_start=D(2026, 4, 1))
    tenancy = factories.tenancy(session, org, start=D(2025, 1, 1), **kwargs)  # type: ignore[arg-type]
    update_settings(session, org, {"bailiff_court": COURT, "contact_name": "Mette"}, by="test")
    last = D(2026, 5, 1) if kwargs.get("channel") == DeliveryChannel.LETTER else D(2026, 4, 24)
    nights(session, org, D(2026, 4, 1), last)
    case = only_case(session, tenancy)
    assert case.state == CaseState.AWAITING_TERMINATION_APPROVAL
    return org, tenancy, case.id or 0


def terminate(session: Session, case_id: int, day: object, **kwargs: object) -> approvals.Outcome:
    return approvals.approve_termination(
        session,
        case_id,
        today=day,
        actor="cli:Mette",
        tools=LETTER_TOOLS,
        **kwargs,  # type: ignore[arg-type]
    )


def test_all_90_stk_1_nr_1_termination_approved_sends_the_letter(session: Session) -> None:
    _, tenancy, case_id = awaiting(session)
    outcome = terminate(session, case_id, D(2026, 4, 24))
    case = only_case(session, tenancy)
    assert (case.state, case.termination_date) == (CaseState.TERMINATION_SENT, D(2026, 4, 24))
    letter = session.get(Letter, outcome.letter_id)
    assert letter is not None and (letter.kind, letter.dispatch_date) == (
        "termination",
        D(2026, 4, 24),
    )
    assert history(session, case_id)[-1] == (
        "awaiting_termination_approval", "termination_sent", "cli:Mette",
    )  # fmt: skip


def test_all_90_stk_2_termination_refused_before_the_earliest_termination_day(
    session: Session,
) -> None:
    _, _, case_id = awaiting(session)
    with pytest.raises(CaseError, match="earliest termination day is 2026-04-24"):
        terminate(session, case_id, D(2026, 4, 23))


def test_all_91_stk_2_termination_refused_when_paid_meanwhile_then_closed_as_paid(
    session: Session,
) -> None:
    org, tenancy, case_id = awaiting(session)
    factories.pay(session, tenancy, RENT + FEE, D(2026, 4, 25))
    with pytest.raises(CaseError, match=r"§ 91, stk. 2"):
        terminate(session, case_id, D(2026, 4, 25))
    assert count(session, "letter", kind="termination") == 0
    night(session, org, D(2026, 4, 25))
    assert only_case(session, tenancy).state == CaseState.CLOSED_PAID


def test_all_91_stk_2_a_payment_dated_later_than_today_also_blocks_termination(
    session: Session,
) -> None:
    _, tenancy, case_id = awaiting(session)
    factories.pay(session, tenancy, RENT + FEE, D(2026, 4, 27))  # the tenant's side
    with pytest.raises(CaseError, match=r"§ 91, stk. 2"):
        terminate(session, case_id, D(2026, 4, 25))


def test_all_91_stk_1_termination_refused_below_the_minimum(session: Session) -> None:
    _org, tenancy, case_id = awaiting(session)
    factories.pay(session, tenancy, RENT, D(2026, 4, 24))  # only the fee is left
    with pytest.raises(CaseError, match=r"§ 91, stk. 1"):
        terminate(session, case_id, D(2026, 4, 24))


def test_all_90_stk_3_assigned_plejebolig_needs_rehousing_confirmed(session: Session) -> None:
    _, _, case_id = awaiting(session, kind=UnitKind.PLEJE, assigned=True)
    with pytest.raises(CaseError, match=r"§ 90, stk. 3"):
        terminate(session, case_id, D(2026, 4, 24))
    assert terminate(session, case_id, D(2026, 4, 24), rehousing_confirmed=True).state == (
        CaseState.TERMINATION_SENT
    )


def test_all_92_stk_2_eviction_request_and_municipality_notification_together(
    session: Session,
) -> None:
    _, tenancy, case_id = awaiting(session)
    terminate(session, case_id, D(2026, 4, 24))
    outcome = approvals.approve_eviction(
        session, case_id, today=D(2026, 4, 28), actor="cli:Mette", tools=LETTER_TOOLS
    )
    case = only_case(session, tenancy)
    assert (case.state, case.eviction_date) == (CaseState.EVICTION_REQUESTED, D(2026, 4, 28))
    notification = session.exec(select(Notification)).one()
    assert (notification.kind, notification.created_on) == ("eviction_request", D(2026, 4, 28))
    assert notification.arrears_case_id == outcome.case_id and outcome.notifications == 1
    letter = session.get(Letter, outcome.letter_id)
    attachment = session.get(NotificationAttachment, notification.id)
    assert letter is not None and attachment is not None
    assert (attachment.pdf, attachment.sha256) == (letter.pdf, letter.checksum)
    assert attachment.source == f"letter:{letter.id}"
    payload = notification.payload
    assert payload["legal_basis"].startswith("ALL § 92, stk. 2")
    assert payload["eviction_request"] == {"date": "2026-04-28", "court": COURT}
    assert payload["termination"] == {"date": "2026-04-24"}
    assert payload["pakrav"]["date"] == "2026-04-09"
    assert payload["organisation"]["contact"]["name"] == "Mette"
    # The arrears at filing: everything overdue and pligtig (May's rent is not due yet).
    assert payload["arrears"]["total_oere"] == RENT + FEE
    approvals.close(
        session, case_id, close_as="evicted", today=D(2026, 6, 1), actor="cli:Mette",
        reason="udsat 1. juni",
    )  # fmt: skip
    assert only_case(session, tenancy).state == CaseState.CLOSED_EVICTED


def test_eviction_refused_without_a_bailiff_court(session: Session) -> None:
    org, _, case_id = awaiting(session)
    update_settings(session, org, {"bailiff_court": ""}, by="test")
    terminate(session, case_id, D(2026, 4, 24))
    with pytest.raises(CaseError, match="bailiff court"):
        approvals.approve_eviction(
            session, case_id, today=D(2026, 4, 28), actor="cli:x", tools=LETTER_TOOLS
        )
    assert count(session, "notification") == 0


def test_eviction_refused_until_a_posted_termination_has_arrived(session: Session) -> None:
    org, _, case_id = awaiting(session, channel=DeliveryChannel.LETTER)
    terminate(session, case_id, D(2026, 5, 1))  # after the 1 May print file was made
    evict = {"actor": "cli:x", "tools": LETTER_TOOLS}
    with pytest.raises(CaseError, match="not posted yet"):
        approvals.approve_eviction(session, case_id, today=D(2026, 5, 1), **evict)  # type: ignore[arg-type]
    night(session, org, D(2026, 5, 2))  # printed on 2 May: arrives 5 bank days later, 8 May
    with pytest.raises(CaseError, match="arrives 2026-05-08"):
        approvals.approve_eviction(session, case_id, today=D(2026, 5, 7), **evict)  # type: ignore[arg-type]
    approvals.approve_eviction(session, case_id, today=D(2026, 5, 8), **evict)  # type: ignore[arg-type]


def test_all_91_stk_2_unposted_termination_withheld_when_paid_before_printing(
    session: Session,
) -> None:
    org, tenancy, case_id = awaiting(session, channel=DeliveryChannel.LETTER)
    terminate(session, case_id, D(2026, 5, 1))
    factories.pay(session, tenancy, RENT + FEE, D(2026, 5, 1))
    run = night(session, org, D(2026, 5, 2))
    letter = session.exec(select(Letter).where(Letter.kind == "termination")).one()
    assert (letter.status, letter.print_batch_id) == ("withheld", None)
    session.expire_all()
    april = session.get(ArrearsCase, case_id)
    assert april is not None and april.state == CaseState.CLOSED_PAID
    assert run["withheld_terminations"] == 1


def test_reject_closes_and_the_due_date_is_not_reopened(session: Session) -> None:
    org, tenancy, case_id = awaiting(session)
    with pytest.raises(CaseError, match="reason"):
        approvals.reject(session, case_id, today=D(2026, 4, 24), actor="cli:x", reason=" ")
    approvals.reject(session, case_id, today=D(2026, 4, 24), actor="cli:Mette", reason="aftale")
    night(session, org, D(2026, 4, 25))
    assert only_case(session, tenancy).state == CaseState.CLOSED_REJECTED


def test_close_as_paid_needs_the_ledger_to_agree(session: Session) -> None:
    _, tenancy, case_id = awaiting(session)
    with pytest.raises(CaseError, match="close as settled"):
        approvals.close(session, case_id, close_as="paid", today=D(2026, 4, 24), actor="x",
                        reason="betalt")  # fmt: skip
    approvals.close(session, case_id, close_as="written_off", today=D(2026, 4, 24), actor="x",
                    reason="uerholdeligt")  # fmt: skip
    assert only_case(session, tenancy).state == CaseState.CLOSED_WRITTEN_OFF


def test_approving_the_wrong_state_is_refused(session: Session) -> None:
    _, _, case_id = awaiting(session)
    with pytest.raises(CaseError, match="this needs termination_sent"):
        approvals.approve_eviction(
            session, case_id, today=D(2026, 4, 24), actor="x", tools=LETTER_TOOLS
        )
    with pytest.raises(CaseError, match="no arrears case 999999"):
        terminate(session, 999_999, D(2026, 4, 24))
