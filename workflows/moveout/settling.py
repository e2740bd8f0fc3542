"""The settlement of a case from the database: gather the ``SettlementInput``, run ``settle``,
store input, output and figures with who and when.

Decisions (the issue is silent):

* Open items are the tenant's account as of the settlement day (never before the tenancy's
  end): rent up to the end date and everything charged since (a heat settlement, say), less
  every payment made up to that day, a late payment after moving out included. A credit not
  used by any charge is an open item with a negative amount ("Indbetalt, ikke anvendt").
  That is the account the settlement is posted on, so after posting it shows exactly what the
  statement says the tenant owes.
* An entry on the account dated after the settlement day is refused (settle later), and so is
  a recurring charge falling due after the tenancy's end (rent beyond the end, ALL § 44,
  stk. 3): it must be credited first.
* A repair's final cost is the sum of its invoices; an item without an invoice counts at its
  estimate (a fixed normalistandsættelsesbeløb, § 26, stk. 2, 2. pkt.), which the notes say.
* A late inspection or a short summons (ALL § 94, stk. 1) carries no sanction in the law, but
  seed 003 says the claim for repairs "kan" be lost: repairs are then charged only when the
  caseworker accepts that explicitly (recorded on the settlement); not needed when the tenant
  left no new address (seed 003: the deadlines are then suspended).
* Settling before the repair-notice deadline without a recorded notice is refused: it would
  lapse the repair claim before the time to give notice has run out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from sqlmodel import Session, col, select

from ledger.accounts import debtor_lines
from ledger.balances import statement
from ledger.charging import RECURRING_SOURCE
from ledger.models import Department, LedgerEntry, Posting, Tenancy
from ledger.money import format_kr
from ledger.types import Account
from workflows.moveout.deadlines import inspection_late, repair_notice_deadline
from workflows.moveout.input_json import settlement_input_to_json
from workflows.moveout.json_io import settlement_from_json, settlement_to_json
from workflows.moveout.model import (
    Attachment,
    OpenItem,
    OpenItemKind,
    OtherClaim,
    Repair,
    Settlement,
    SettlementInput,
)
from workflows.moveout.models import CaseState, MoveoutCase, MoveoutSettlement
from workflows.moveout.service import (
    MoveoutError,
    attachments_of,
    case_dates,
    case_reference,
    claims_of,
    invoices_of,
    items_of,
    log_event,
    tenancy_of,
    unit_of,
)
from workflows.moveout.settlement import settle

_KINDS = {
    "HUSLEJE": OpenItemKind.RENT,
    "ACONTO_VARME": OpenItemKind.ACONTO,
    "ACONTO_VAND": OpenItemKind.ACONTO,
    "ACONTO_KOELING": OpenItemKind.ACONTO,
    "VARMEREGNSKAB": OpenItemKind.UTILITY_SETTLEMENT,
    "VANDREGNSKAB": OpenItemKind.UTILITY_SETTLEMENT,
    "ANTENNE": OpenItemKind.ANTENNA,
    "PAKRAVSGEBYR": OpenItemKind.FEE,
    "RYKKERGEBYR": OpenItemKind.FEE,
}
FREE_CREDIT_TEXT = "Indbetalt, ikke anvendt"


@dataclass(frozen=True, slots=True)
class Gathered:
    """The input and what the caseworker should know about how it was gathered."""

    input: SettlementInput
    notes: tuple[str, ...]


def open_items(session: Session, tenancy: Tenancy, as_of: date) -> tuple[OpenItem, ...]:
    """The tenant's open items as of ``as_of`` (a free credit as a negative item)."""
    assert tenancy.id is not None
    lines = debtor_lines(session, tenancy.organisation_id, [tenancy.id]).get(tenancy.id, [])
    later = [line for line in lines if line.effective_date > as_of]
    if later:
        first = min(line.effective_date for line in later)
        raise MoveoutError(
            f"the tenant's account has {len(later)} entries dated after {as_of} (from {first}): "
            "settle on or after the last of them"
        )
    state = statement(lines, as_of)
    texts = _entry_texts(session, [item.entry_id for item in state.open_items])
    items = []
    for item in state.open_items:
        text = texts.get(item.entry_id) or item.label or "Ikke betalt"
        if item.open_oere != item.amount_oere:
            text = f"{text} (rest af {format_kr(item.amount_oere, suffix=True)})"
        kind = _KINDS.get(item.charge_type or "", OpenItemKind.OTHER)
        items.append(OpenItem(text, item.open_oere, kind))
    if state.free_credit_oere:
        items.append(OpenItem(FREE_CREDIT_TEXT, -state.free_credit_oere, OpenItemKind.OTHER))
    assert sum(i.amount_oere for i in items) == state.balance_oere
    return tuple(items)


def _entry_texts(session: Session, entry_ids: list[int]) -> dict[int, str]:
    if not entry_ids:
        return {}
    rows = session.exec(
        select(LedgerEntry.id, LedgerEntry.text).where(col(LedgerEntry.id).in_(entry_ids))
    )
    return {entry_id: text for entry_id, text in rows if entry_id is not None and text}


def rent_beyond_end(session: Session, tenancy: Tenancy) -> list[LedgerEntry]:
    """Recurring charges on the account falling due after the tenancy ended (ALL § 44, stk. 3),
    net of reversals."""
    assert tenancy.end_date is not None
    entries = session.exec(
        select(LedgerEntry)
        .join(Posting, col(Posting.id) == col(LedgerEntry.posting_id))
        .where(
            LedgerEntry.tenancy_id == tenancy.id,
            LedgerEntry.account == Account.DEBTOR,
            Posting.source == RECURRING_SOURCE,
            col(LedgerEntry.due_date) > tenancy.end_date,
        )
    ).all()
    reversed_ids = set(
        session.exec(
            select(LedgerEntry.reverses_entry_id).where(
                col(LedgerEntry.reverses_entry_id).in_([e.id for e in entries])
            )
        )
    )
    return [entry for entry in entries if entry.id not in reversed_ids]


def gather_input(session: Session, case: MoveoutCase, as_of: date) -> Gathered:
    """The settlement input of ``case`` as of ``as_of``, from the ledger and the case."""
    tenancy = tenancy_of(session, case)
    department = session.get(Department, unit_of(session, tenancy).department_id)
    assert department is not None
    notes: list[str] = []
    items = items_of(session, case)
    invoiced: dict[int, int] = {}
    for invoice in invoices_of(session, case):
        invoiced[invoice.item_id] = invoiced.get(invoice.item_id, 0) + invoice.amount_oere
    repairs = []
    for item in items:
        assert item.id is not None
        if item.id not in invoiced:
            notes.append(
                f"item {item.position} ({item.text}) has no invoice: counted at its estimate"
            )
        amount = invoiced.get(item.id, item.estimate_oere)
        repairs.append(Repair(item.text, amount, item.category, item.estimate_oere))
    assigned = tenancy.municipally_assigned
    inp = SettlementInput(
        tenancy_start=tenancy.start_date,
        tenancy_end=case.end_date,
        maintenance_scheme=department.maintenance_scheme,
        deposit_oere=tenancy.deposit_oere,
        takeover_months=department.takeover_months,
        municipally_assigned=assigned,
        guarantee_applies=assigned and case.guarantee_void_reason is None,
        guarantee_void_reason=case.guarantee_void_reason if assigned else None,
        open_items=open_items(session, tenancy, as_of),
        repairs=tuple(repairs),
        other_claims=tuple(OtherClaim(c.text, c.amount_oere) for c in claims_of(session, case)),
        indskudslaan_oere=case.indskudslaan_oere,
        attachments=tuple(
            Attachment(
                a.creditor, a.amount_oere, a.registered_on, a.debtor, Fraction(a.debtor_share)
            )
            for a in attachments_of(session, case)
        ),
        inspection_date=case.inspection_held_on,
        repair_notice_date=case.repair_notice_arrived_on,
        tenant_left_no_address=case.left_no_address,
    )
    return Gathered(inp, tuple(notes))


def check_ready(session: Session, case: MoveoutCase, as_of: date, accept_late: bool) -> list[str]:
    """Refuse a settlement the case is not ready for; return notes on what was accepted."""
    if case.state is CaseState.POSTED:
        raise MoveoutError(f"case {case_reference(case)} is posted already")
    if as_of < case.end_date:
        raise MoveoutError(f"the tenancy runs until {case.end_date}: settle on or after it")
    if case.inspection_held_on is None and not case.inspection_waived:
        raise MoveoutError("record the inspection first (held, or waived when no repair claim)")
    tenancy = tenancy_of(session, case)
    beyond = rent_beyond_end(session, tenancy)
    if beyond:
        raise MoveoutError(
            f"{len(beyond)} recurring charges fall due after the tenancy ended {case.end_date} "
            f"(first: {beyond[0].text!r}); reverse them first (ALL § 44, stk. 3)"
        )
    has_items = bool(items_of(session, case))
    held = case.inspection_held_on
    if has_items and held is not None and case.repair_notice_arrived_on is None:
        deadline = repair_notice_deadline(held)
        if as_of <= deadline and not case.left_no_address:
            raise MoveoutError(
                f"no repair notice is recorded and its deadline {deadline} has not passed: "
                "record the notice, or settle after the deadline (ALL § 94, stk. 2)"
            )
    notes = []
    late = inspection_late(case_dates(session, case)) if has_items else None
    if late and not case.left_no_address:
        if not accept_late:
            raise MoveoutError(
                f"{late}: the claim for repairs may be lost (seed 003); settle with the late "
                "inspection accepted to charge the repairs anyway, or remove the claim"
            )
        notes.append(f"Accepted despite: {late}.")
    return notes


def settle_case(
    session: Session,
    case: MoveoutCase,
    *,
    as_of: date,
    actor: str,
    accept_late_inspection: bool = False,
) -> MoveoutSettlement:
    """Compute and store the settlement of ``case`` as of ``as_of`` (the statement's date)."""
    assert case.id is not None
    accepted = check_ready(session, case, as_of, accept_late_inspection)
    gathered = gather_input(session, case, as_of)
    result = settle(gathered.input)
    output = settlement_to_json(result)
    output["notes"] = [*output["notes"], *gathered.notes, *accepted]
    row = MoveoutSettlement(
        organisation_id=case.organisation_id,
        case_id=case.id,
        as_of=as_of,
        input=settlement_input_to_json(gathered.input),
        result=output,
        claims_total_oere=result.claims_total_oere,
        deposit_oere=result.deposit_oere,
        deposit_applied_oere=result.deposit_applied_oere,
        guarantee_claim_oere=result.guarantee_claim_oere,
        tenant_owes_oere=result.tenant_owes_oere,
        refund_oere=result.refund_oere,
        credit_refund_oere=result.credit_refund_oere,
        paid_to_indskudslaan_oere=result.paid_to_indskudslaan_oere,
        paid_to_attachments_oere=sum(p.amount_oere for p in result.paid_to_attachments),
        late_inspection_accepted=bool(accepted),
        created_by=actor,
    )
    session.add(row)
    case.state = CaseState.SETTLED
    session.add(case)
    session.flush()
    log_event(
        session, case, actor, "settled",
        f"settlement {row.id} as of {as_of}: tenant owes {result.tenant_owes_oere}, refund "
        f"{result.refund_oere}, guarantee {result.guarantee_claim_oere}",
    )  # fmt: skip
    return row


def latest_settlement(session: Session, case: MoveoutCase) -> MoveoutSettlement | None:
    return session.exec(
        select(MoveoutSettlement)
        .where(MoveoutSettlement.case_id == case.id)
        .order_by(col(MoveoutSettlement.id).desc())
    ).first()


def stored_result(row: MoveoutSettlement) -> tuple[SettlementInput, Settlement]:
    """The stored settlement recomputed from its stored input; the figures must agree."""
    inp = settlement_from_json(row.input)
    result = settle(inp)
    assert result.tenant_owes_oere == row.tenant_owes_oere
    assert result.guarantee_claim_oere == row.guarantee_claim_oere
    assert result.refund_oere == row.refund_oere
    assert result.deposit_applied_oere == row.deposit_applied_oere
    return inp, result
