"""Reading tenants' accounts from the database, and keeping the stored allocation in step."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, col

from ledger.allocation import Item, allocate
from ledger.balances import DebtorLine, Statement, statement
from ledger.bulk import bulk_insert, lookup_chunk, one_of
from ledger.chunks import chunked
from ledger.models import Allocation, ChargeType, LedgerEntry, table
from ledger.types import Account

_CHUNK = 500


def debtor_lines(
    session: Session, organisation_id: int, tenancy_ids: Iterable[int]
) -> dict[int, list[DebtorLine]]:
    """Every line on the given tenancies' accounts, by tenancy, in entry order."""
    lines: dict[int, list[DebtorLine]] = defaultdict(list)
    for chunk in chunked(sorted(set(tenancy_ids)), lookup_chunk(session)):
        query = (
            sa.select(
                col(LedgerEntry.id),
                col(LedgerEntry.tenancy_id),
                col(LedgerEntry.amount_oere),
                col(LedgerEntry.due_date),
                col(LedgerEntry.value_date),
                col(LedgerEntry.reverses_entry_id),
                col(LedgerEntry.text),
                col(ChargeType.pligtig),
                col(ChargeType.code),
                col(ChargeType.label),
            )
            .join(ChargeType, col(ChargeType.id) == col(LedgerEntry.charge_type_id), isouter=True)
            .where(
                col(LedgerEntry.organisation_id) == organisation_id,
                col(LedgerEntry.account) == Account.DEBTOR,
                one_of(session, col(LedgerEntry.tenancy_id), chunk),
            )
            .order_by(col(LedgerEntry.id))
        )
        for row in session.execute(query):
            entry_id, tenancy_id, amount, due, value, reverses, text, pligtig, code, label = row
            assert entry_id is not None and tenancy_id is not None
            lines[tenancy_id].append(
                DebtorLine(
                    entry_id=entry_id,
                    tenancy_id=tenancy_id,
                    amount_oere=amount,
                    due_date=due,
                    value_date=value,
                    pligtig=bool(pligtig),
                    reverses_entry_id=reverses,
                    charge_type=code,
                    label=text or label or "",
                )
            )
    return dict(lines)


def debtor_items(
    session: Session, organisation_id: int, tenancy_ids: Sequence[int]
) -> dict[int, list[Item]]:
    """The allocator's view of every line on the given tenancies' accounts, by tenancy.

    The same lines as :func:`debtor_lines` (``DebtorLine.as_item``), without the texts and
    charge type labels that allocation does not need: reallocating after an import of
    100,000 payments reads and builds only these.
    """
    items: dict[int, list[Item]] = defaultdict(list)
    entry, charge_type = table("ledger_entry"), table("charge_type")
    query = (  # Core, not the ORM: rows as plain tuples
        sa.select(
            entry.c.tenancy_id,
            entry.c.id,
            entry.c.amount_oere,
            entry.c.due_date,
            entry.c.value_date,
            charge_type.c.pligtig,
            entry.c.reverses_entry_id,
        )
        .join(charge_type, charge_type.c.id == entry.c.charge_type_id, isouter=True)
        .where(
            entry.c.organisation_id == organisation_id,
            entry.c.account == Account.DEBTOR.value,
            one_of(session, entry.c.tenancy_id, tenancy_ids),
        )
        .order_by(entry.c.id)
    )
    rows = session.connection().execute(query)
    for tenancy_id, entry_id, amount, due, value, pligtig, reverses in rows:
        day = due if due is not None else value
        assert day is not None, f"debtor line {entry_id} has neither due nor value date"
        items[tenancy_id].append(Item(entry_id, amount, day, bool(pligtig), reverses))
    return dict(items)


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
    for chunk in chunked(sorted(set(tenancy_ids)), lookup_chunk(session)):
        wanted: dict[tuple[int, int], tuple[int, int]] = {}
        for tenancy_id, items in debtor_items(session, organisation_id, chunk).items():
            result = allocate(items)
            for pair, amount in result.allocated.items():
                wanted[pair] = (tenancy_id, amount)
        stored = _stored_allocations(session, organisation_id, chunk)
        changed += _apply_difference(session, organisation_id, stored, wanted)
    return changed


def _stored_allocations(
    session: Session, organisation_id: int, tenancy_ids: tuple[int, ...]
) -> dict[tuple[int, int], int]:
    allocation = table("allocation")  # Core, not the ORM: rows as plain tuples
    rows = session.connection().execute(
        sa.select(
            allocation.c.credit_entry_id, allocation.c.debit_entry_id, allocation.c.amount_oere
        ).where(
            allocation.c.organisation_id == organisation_id,
            one_of(session, allocation.c.tenancy_id, tenancy_ids),
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
        session.connection().execute(
            sa.delete(table("allocation")).where(
                sa.tuple_(col(Allocation.credit_entry_id), col(Allocation.debit_entry_id)).in_(
                    chunk
                )
            )
        )
    bulk_insert(
        session,
        "allocation",
        ("organisation_id", "tenancy_id", "credit_entry_id", "debit_entry_id", "amount_oere"),
        ((organisation_id, wanted[pair][0], pair[0], pair[1], wanted[pair][1]) for pair in new),
    )
    return len(stale) + len(new)
