"""Reading tenants' accounts from the database, and keeping the stored allocation in step."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ledger.allocation import allocate
from ledger.balances import DebtorLine, Statement, statement
from ledger.chunks import chunked
from ledger.models import Allocation, ChargeType, LedgerEntry
from ledger.types import Account

_CHUNK = 500


def debtor_lines(
    session: Session, organisation_id: int, tenancy_ids: Iterable[int]
) -> dict[int, list[DebtorLine]]:
    """Every line on the given tenancies' accounts, by tenancy, in entry order."""
    lines: dict[int, list[DebtorLine]] = defaultdict(list)
    for chunk in chunked(sorted(set(tenancy_ids)), _CHUNK):
        query = (
            select(LedgerEntry, ChargeType)
            .join(ChargeType, col(ChargeType.id) == col(LedgerEntry.charge_type_id), isouter=True)
            .where(
                LedgerEntry.organisation_id == organisation_id,
                LedgerEntry.account == Account.DEBTOR,
                col(LedgerEntry.tenancy_id).in_(chunk),
            )
            .order_by(col(LedgerEntry.id))
        )
        for entry, charge_type in session.exec(query):
            line = _debtor_line(entry, charge_type)
            lines[line.tenancy_id].append(line)
    return dict(lines)


def _debtor_line(entry: LedgerEntry, charge_type: ChargeType | None) -> DebtorLine:
    assert entry.id is not None and entry.tenancy_id is not None
    return DebtorLine(
        entry_id=entry.id,
        tenancy_id=entry.tenancy_id,
        amount_oere=entry.amount_oere,
        due_date=entry.due_date,
        value_date=entry.value_date,
        pligtig=charge_type.pligtig if charge_type is not None else False,
        reverses_entry_id=entry.reverses_entry_id,
        charge_type=charge_type.code if charge_type is not None else None,
        label=charge_type.label if charge_type is not None else entry.text,
    )


def tenancy_statement(
    session: Session, organisation_id: int, tenancy_id: int, as_of: date
) -> Statement:
    """The balance and open items of one tenancy as of ``as_of``."""
    lines = debtor_lines(session, organisation_id, [tenancy_id]).get(tenancy_id, [])
    return statement(lines, as_of)


def reallocate(session: Session, organisation_id: int, tenancy_ids: Iterable[int]) -> int:
    """Bring the stored ``allocation`` rows of these tenancies in line with the ledger.

    Only the difference is written. Returns the number of rows inserted or deleted.
    """
    changed = 0
    for chunk in chunked(sorted(set(tenancy_ids)), _CHUNK):
        lines = debtor_lines(session, organisation_id, chunk)
        wanted: dict[tuple[int, int], tuple[int, int]] = {}
        for tenancy_id, tenancy_lines in lines.items():
            result = allocate(line.as_item() for line in tenancy_lines)
            for pair, amount in result.allocated.items():
                wanted[pair] = (tenancy_id, amount)
        stored = _stored_allocations(session, organisation_id, chunk)
        changed += _apply_difference(session, organisation_id, stored, wanted)
    return changed


def _stored_allocations(
    session: Session, organisation_id: int, tenancy_ids: tuple[int, ...]
) -> dict[tuple[int, int], int]:
    rows = session.exec(
        select(Allocation.credit_entry_id, Allocation.debit_entry_id, Allocation.amount_oere).where(
            Allocation.organisation_id == organisation_id,
            col(Allocation.tenancy_id).in_(tenancy_ids),
        )
    )
    return {(credit, debit): amount for credit, debit, amount in rows}


def _apply_difference(
    session: Session,
    organisation_id: int,
    stored: dict[tuple[int, int], int],
    wanted: dict[tuple[int, int], tuple[int, int]],
) -> int:
    stale = [pair for pair, amount in stored.items() if wanted.get(pair, (0, None))[1] != amount]
    new = [pair for pair, (_, amount) in wanted.items() if stored.get(pair) != amount]
    for chunk in chunked(stale, _CHUNK):
        session.execute(
            sa.delete(Allocation).where(
                sa.tuple_(col(Allocation.credit_entry_id), col(Allocation.debit_entry_id)).in_(
                    chunk
                )
            )
        )
    if new:
        session.execute(
            sa.insert(Allocation),
            [
                {
                    "organisation_id": organisation_id,
                    "tenancy_id": wanted[pair][0],
                    "credit_entry_id": pair[0],
                    "debit_entry_id": pair[1],
                    "amount_oere": wanted[pair][1],
                }
                for pair in new
            ],
        )
    return len(stale) + len(new)
