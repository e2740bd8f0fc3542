"""The inspection report (synsrapport) items with their estimates, contractors' invoices,
other claims and udlæg of a move-out case. Services flush, never commit; each entry is logged.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from sqlmodel import Session, func, select

from ledger.money import MAX_AMOUNT_OERE
from workflows.moveout.model import RepairCategory
from workflows.moveout.models import (
    CaseState,
    MoveoutAttachment,
    MoveoutCase,
    MoveoutClaim,
    MoveoutInvoice,
    MoveoutItem,
)
from workflows.moveout.service import (
    MoveoutError,
    attachments_of,
    case_reference,
    claims_of,
    invoices_of,
    items_of,
    log_event,
    sync_deadlines,
)

MAX_ITEMS = 40  # inspection report items per case
MAX_INVOICES = 200
MAX_CLAIMS = 20
MAX_ATTACHMENTS = 20
MAX_TEXT = 200


def _open_for_changes(case: MoveoutCase) -> None:
    if case.state is CaseState.POSTED:
        raise MoveoutError(f"case {case_reference(case)} is posted and closed")


def _text(name: str, value: str) -> str:
    cleaned = " ".join(value.split())
    if not cleaned:
        raise MoveoutError(f"{name} must not be empty")
    if len(cleaned) > MAX_TEXT:
        raise MoveoutError(f"{name} is longer than {MAX_TEXT} characters")
    return cleaned


def _amount(name: str, value: int, minimum: int) -> int:
    if not minimum <= value <= MAX_AMOUNT_OERE:
        raise MoveoutError(f"{name} must be {minimum}-{MAX_AMOUNT_OERE} øre, got {value}")
    return value


def add_item(
    session: Session,
    case: MoveoutCase,
    *,
    text: str,
    category: RepairCategory,
    estimate_oere: int,
    actor: str,
) -> MoveoutItem:
    """An item of the inspection report (synsrapport) with its estimated cost.

    Refused once the repair notice is recorded: the notice fixed the scope and the estimate
    the tenant's share is capped by (ALL § 94, stk. 2).
    """
    _open_for_changes(case)
    assert case.id is not None
    if case.inspection_waived:
        raise MoveoutError(
            "the inspection was left out, which is allowed only when no repair claim is made "
            "(ALL § 94, stk. 1, 5. pkt.)"
        )
    if case.inspection_held_on is None:
        raise MoveoutError("record the inspection (inspection_held_on) before its report's items")
    if case.no_repair_claim:
        raise MoveoutError("the case is recorded as making no repair claim")
    if case.repair_notice_sent_on is not None:
        raise MoveoutError(
            f"the repair notice was sent {case.repair_notice_sent_on}: it fixed the repairs and "
            "their estimate (ALL § 94, stk. 2); items cannot be added after it"
        )
    count = session.exec(select(func.count()).where(MoveoutItem.case_id == case.id)).one()
    if count >= MAX_ITEMS:
        raise MoveoutError(f"a case has at most {MAX_ITEMS} items")
    item = MoveoutItem(
        organisation_id=case.organisation_id,
        case_id=case.id,
        position=count + 1,
        text=_text("text", text),
        category=category,
        estimate_oere=_amount("estimate_oere", estimate_oere, 0),
        created_by=actor,
    )
    session.add(item)
    session.flush()
    log_event(
        session, case, actor, "item", f"{item.position}: {item.text}, {category}, {estimate_oere}"
    )
    return item


def add_invoice(
    session: Session,
    case: MoveoutCase,
    *,
    item_position: int,
    contractor: str,
    reference: str,
    amount_oere: int,
    received_on: date,
    actor: str,
    as_of: date,
) -> MoveoutInvoice:
    """A contractor's invoice for item ``item_position``; the same contractor and reference
    twice is refused (an invoice is entered once)."""
    _open_for_changes(case)
    assert case.id is not None
    item = next((i for i in items_of(session, case) if i.position == item_position), None)
    if item is None or item.id is None:
        raise MoveoutError(f"the case has no item {item_position}")
    if received_on > as_of:
        raise MoveoutError(f"received_on {received_on} is in the future")
    contractor, reference = _text("contractor", contractor), _text("reference", reference)
    if len(invoices_of(session, case)) >= MAX_INVOICES:
        raise MoveoutError(f"a case has at most {MAX_INVOICES} invoices")
    duplicate = session.exec(
        select(MoveoutInvoice.id).where(
            MoveoutInvoice.case_id == case.id,
            MoveoutInvoice.contractor == contractor,
            MoveoutInvoice.reference == reference,
        )
    ).first()
    if duplicate is not None:
        raise MoveoutError(f"invoice {reference} from {contractor} is already entered")
    invoice = MoveoutInvoice(
        organisation_id=case.organisation_id,
        case_id=case.id,
        item_id=item.id,
        contractor=contractor,
        reference=reference[:60],
        amount_oere=_amount("amount_oere", amount_oere, 1),
        received_on=received_on,
        created_by=actor,
    )
    session.add(invoice)
    session.flush()
    log_event(session, case, actor, "invoice", f"item {item_position}: {reference}, {amount_oere}")
    sync_deadlines(session, case, as_of=as_of, actor=actor)
    return invoice


def add_claim(
    session: Session, case: MoveoutCase, *, text: str, amount_oere: int, actor: str
) -> MoveoutClaim:
    """Another claim on the tenant (e.g. legal costs), never covered by the guarantee."""
    _open_for_changes(case)
    assert case.id is not None
    if len(claims_of(session, case)) >= MAX_CLAIMS:
        raise MoveoutError(f"a case has at most {MAX_CLAIMS} other claims")
    claim = MoveoutClaim(
        organisation_id=case.organisation_id,
        case_id=case.id,
        text=_text("text", text),
        amount_oere=_amount("amount_oere", amount_oere, 1),
        created_by=actor,
    )
    session.add(claim)
    session.flush()
    log_event(session, case, actor, "claim", f"{claim.text}: {amount_oere}")
    return claim


def add_attachment(
    session: Session,
    case: MoveoutCase,
    *,
    creditor: str,
    amount_oere: int,
    registered_on: date,
    actor: str,
    debtor: str = "tenant",
    debtor_share: str = "1",
) -> MoveoutAttachment:
    """An udlæg in the deposit, in the order the fogedret registered it."""
    _open_for_changes(case)
    assert case.id is not None
    try:
        share = Fraction(debtor_share)
    except (ValueError, ZeroDivisionError):
        raise MoveoutError(
            f'debtor_share must be a fraction like "1/2", got {debtor_share!r}'
        ) from None
    if not 0 < share <= 1:
        raise MoveoutError(f"debtor_share must be above 0 and at most 1, got {debtor_share}")
    if len(attachments_of(session, case)) >= MAX_ATTACHMENTS:
        raise MoveoutError(f"a case has at most {MAX_ATTACHMENTS} udlæg")
    attachment = MoveoutAttachment(
        organisation_id=case.organisation_id,
        case_id=case.id,
        creditor=_text("creditor", creditor),
        amount_oere=_amount("amount_oere", amount_oere, 1),
        registered_on=registered_on,
        debtor=_text("debtor", debtor),
        debtor_share=str(share),
        created_by=actor,
    )
    session.add(attachment)
    session.flush()
    log_event(session, case, actor, "attachment", f"{attachment.creditor}: {amount_oere}")
    return attachment
