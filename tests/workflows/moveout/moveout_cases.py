"""Move-out cases on a database, for the tests: one household in Aarhus moving out in spring
2026, with the dates of ALL § 94 worked by hand.

The tenancy began 1 March 2023, before the organisation's ledger start (1 January 2025), so its
deposit of 20.000 kr was never posted in this ledger. It ends Tuesday 31 March 2026 (37 full
months: the landlord has taken over 37 % of normal refurbishment). The keys came back on Friday
3 April 2026: the inspection must be held by Friday 17 April (§ 94, stk. 1); the summons for an
inspection on Tuesday 14 April must reach the tenant by Tuesday 7 April; the repair notice must
reach the tenant by Tuesday 28 April (§ 94, stk. 2).
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from ledger.models import Organisation, Tenancy
from tests import factories
from workflows.moveout.deadlines import LetterChannel, MoveoutCause
from workflows.moveout.entries import (
    add_invoice,
    add_item,
)
from workflows.moveout.model import RepairCategory
from workflows.moveout.models import LearnedHow, MoveoutCase
from workflows.moveout.service import (
    CaseUpdate,
    record,
    register_moveout,
)

START = date(2023, 3, 1)
END = date(2026, 3, 31)
LEARNED = date(2026, 4, 3)  # a Friday
SUMMONS_SENT = date(2026, 4, 6)
INSPECTION = date(2026, 4, 14)
NOTICE_SENT = date(2026, 4, 20)
INVOICES_IN = date(2026, 5, 4)
SETTLE_ON = date(2026, 5, 10)
RENT = 650_000
DEPOSIT = 2_000_000
ACTOR = "test"


def tenancy(session: Session, *, assigned: bool = False, unit: str = "12-034") -> Tenancy:
    org = _organisation(session)
    t = factories.tenancy(session, org, unit, start=START, assigned=assigned, rent_oere=RENT)
    assert t.deposit_oere == DEPOSIT
    return t


def _organisation(session: Session) -> Organisation:
    from ledger.registry import organisation_by_cvr

    return organisation_by_cvr(session, factories.CVR) or factories.organisation(session)


def rent_jan_to_mar(session: Session, t: Tenancy, *, paid_months: int = 2) -> None:
    """Rent for January to March 2026; the first ``paid_months`` paid on time."""
    for month in (1, 2, 3):
        factories.charge(session, t, RENT, date(2026, month, 1))
    for month in range(1, paid_months + 1):
        factories.pay(session, t, RENT, date(2026, month, 1))


def registered(session: Session, t: Tenancy) -> MoveoutCase:
    return register_moveout(
        session, t, end_date=END, cause=MoveoutCause.NOTICE, actor=ACTOR, as_of=END
    )


def inspected(session: Session, t: Tenancy) -> MoveoutCase:
    """Registered, keys back Friday 3 April, summons 6 April for 14 April, inspection held with
    two items: painting (normal, 20.000 kr) and a kitchen door (damage, 3.000 kr)."""
    case = registered(session, t)
    record(
        session, case,
        CaseUpdate(learned_on=LEARNED, learned_how=LearnedHow.KEYS_RETURNED),
        actor=ACTOR, as_of=LEARNED,
    )  # fmt: skip
    record(
        session, case,
        CaseUpdate(
            summons_sent_on=SUMMONS_SENT, summons_channel=LetterChannel.DIGITAL_POST,
            inspection_planned_on=INSPECTION,
        ),
        actor=ACTOR, as_of=SUMMONS_SENT,
    )  # fmt: skip
    record(session, case, CaseUpdate(inspection_held_on=INSPECTION), actor=ACTOR, as_of=INSPECTION)
    add_item(
        session, case, text="Maling af vægge og lofter", category=RepairCategory.NORMAL,
        estimate_oere=2_000_000, actor=ACTOR,
    )  # fmt: skip
    add_item(
        session, case, text="Ødelagt køkkenlåge", category=RepairCategory.DAMAGE,
        estimate_oere=300_000, actor=ACTOR,
    )  # fmt: skip
    return case


def noticed_and_invoiced(session: Session, t: Tenancy) -> MoveoutCase:
    """Inspected, the repair notice sent by Digital Post on 20 April, invoices in on 4 May:
    painting 21.000 kr, the door 3.000 kr."""
    case = inspected(session, t)
    record(
        session, case,
        CaseUpdate(
            repair_notice_sent_on=NOTICE_SENT, repair_notice_channel=LetterChannel.DIGITAL_POST
        ),
        actor=ACTOR, as_of=NOTICE_SENT,
    )  # fmt: skip
    invoice(session, case, 1, "F-1001", 2_100_000)
    invoice(session, case, 2, "F-1002", 300_000)
    return case


def invoice(session: Session, case: MoveoutCase, item: int, ref: str, amount: int) -> None:
    add_invoice(
        session, case, item_position=item, contractor="Malerfirmaet Aarhus", reference=ref,
        amount_oere=amount, received_on=INVOICES_IN, actor=ACTOR, as_of=INVOICES_IN,
    )  # fmt: skip
