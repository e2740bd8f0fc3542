"""Finding the payment a charge-back (0239, 0299) takes back, and reversing it.

How the original is found, in order; never by a guess:

1. **By the creditor reference** (0239 only): the 0601 collection the 0239 names, if it was
   completed by a 0236 whose payment is on the ledger and not yet reversed.
2. **By the ledger**: on the tenancy the customer number had on the original payment date, the
   one Betalingsservice (or, for 0299, slip) payment of exactly that amount with that payment
   date that is not yet reversed.

If neither finds exactly one payment, the charge-back goes to the suspense list: the money
leaves the bank against the ``suspense`` account, and the accountant resolves it
(``almen bs suspense resolve``), naming the payment if needed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import replace
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from ledger.bulk import lookup_chunk, one_of
from ledger.chunks import chunked
from ledger.models import LedgerEntry, Posting
from ledger.posting import NewPosting, reversal_of
from ledger.types import Account, PaymentMethod, PostingKind

SOURCE = "betalingsservice"


def unreversed_payments(
    session: Session,
    organisation_id: int,
    tenancy_id: int,
    *,
    amount_oere: int,
    payment_date: date,
    method: PaymentMethod,
) -> list[int]:
    """Ids of the tenancy's payments of ``amount_oere`` paid on ``payment_date`` by ``method``
    that no posting reverses yet, oldest first."""
    reversal = aliased(Posting)
    query = (
        sa.select(col(Posting.id))
        .join(LedgerEntry, col(LedgerEntry.posting_id) == col(Posting.id))
        .outerjoin(reversal, col(reversal.reverses_posting_id) == col(Posting.id))
        .where(
            col(Posting.organisation_id) == organisation_id,
            col(Posting.kind) == PostingKind.PAYMENT,
            col(LedgerEntry.account) == Account.DEBTOR,
            col(LedgerEntry.tenancy_id) == tenancy_id,
            col(LedgerEntry.amount_oere) == -amount_oere,
            col(LedgerEntry.value_date) == payment_date,
            col(LedgerEntry.method) == method,
            col(reversal.id).is_(None),
        )
        .order_by(col(Posting.id))
    )
    return [int(posting_id) for posting_id in session.execute(query).scalars()]


def reversed_among(session: Session, posting_ids: Iterable[int]) -> set[int]:
    """Which of these postings a posting reverses already."""
    found: set[int] = set()
    for chunk in chunked(sorted(set(posting_ids)), lookup_chunk(session)):
        found.update(
            int(original)
            for original in session.execute(
                sa.select(col(Posting.reverses_posting_id)).where(
                    one_of(session, col(Posting.reverses_posting_id), chunk)
                )
            ).scalars()
        )
    return found


def is_reversed(session: Session, posting_id: int) -> bool:
    found = session.execute(
        sa.select(col(Posting.id)).where(col(Posting.reverses_posting_id) == posting_id)
    ).first()
    return found is not None


def pick_original(candidates: list[int], taken: Collection[int]) -> int | None:
    """The one candidate not already taken by another charge-back of this file, or ``None``
    when there is none or more than one (no guessing between equal payments)."""
    free = [posting_id for posting_id in candidates if posting_id not in taken]
    return free[0] if len(free) == 1 else None


def charge_back_posting(
    session: Session,
    original_posting_id: int,
    *,
    effective_date: date,
    booking_date: date,
    external_ref: str,
    text: str,
    created_by: str,
    source: str = SOURCE,
    counter_account: str | None = None,
    import_batch_id: int | None = None,
) -> NewPosting:
    """The reversal of a payment, effective on the charge-back date: it reopens what the payment
    had settled. ``counter_account`` replaces the bank side (``suspense`` when the money left
    the bank earlier, against the suspense list)."""
    posting = reversal_of(
        session,
        original_posting_id,
        effective_date=effective_date,
        booking_date=booking_date,
        source=source,
        external_ref=external_ref,
        text=text,
        created_by=created_by,
    )
    lines = posting.lines
    if counter_account is not None:
        lines = tuple(
            line
            if line.account == Account.DEBTOR
            else replace(line, account=counter_account, reverses_entry_id=None)
            for line in lines
        )
    return replace(posting, lines=lines, import_batch_id=import_batch_id)
