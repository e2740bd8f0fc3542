"""The suspense list (uafstemte indbetalinger): money BS moved for no tenancy we could match.

Double entry: a payment nobody can be matched to debits ``bank`` and credits ``suspense``; a
charge-back whose payment cannot be found debits ``suspense`` and credits ``bank``. Bank totals
reconcile with the bank statement at all times. Resolving an item moves the money from
``suspense`` to the tenant's account: a payment on the tenancy at the date the tenant paid, or
the reversal of the payment a charge-back takes back (which reopens what it had settled).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from ledger.accounts import reallocate
from ledger.models import LedgerEntry, Posting
from ledger.posting import Line, NewPosting, post_many
from ledger.registry import tenancy_on
from ledger.types import Account, PaymentMethod, PostingKind, utc_now

from .agreement import lock_organisations
from .chargebacks import charge_back_posting, is_reversed, unreversed_payments
from .errors import BsSetupError
from .models import BsSuspenseItem, SuspenseDirection

RESOLUTION_SOURCE = "bs-suspense"
_SUSPENSE_TEXTS = {
    SuspenseDirection.IN: "Uafstemt indbetaling, {method}, kundenr. {customer}",
    SuspenseDirection.OUT: "Uafstemt tilbageførsel, {method}, kundenr. {customer}",
}
_METHOD_NAMES = {PaymentMethod.BETALINGSSERVICE: "Betalingsservice", PaymentMethod.SLIP: "FI-kort"}


def suspense_posting(
    *,
    organisation_id: int,
    direction: SuspenseDirection,
    amount_oere: int,
    day: date,
    method: PaymentMethod,
    customer_number: str,
    source: str,
    external_ref: str,
    booking_date: date,
    created_by: str,
    import_batch_id: int | None,
) -> NewPosting:
    """Money in (bank against suspense) or out (suspense against bank) for no known tenancy."""
    assert amount_oere > 0, "a suspense amount is positive"
    text = _SUSPENSE_TEXTS[direction].format(
        method=_METHOD_NAMES.get(method, method.value), customer=customer_number.lstrip("0")
    )
    sign = 1 if direction is SuspenseDirection.IN else -1
    return NewPosting(
        organisation_id=organisation_id,
        kind=PostingKind.PAYMENT if direction is SuspenseDirection.IN else PostingKind.ADJUSTMENT,
        booking_date=booking_date,
        source=source,
        external_ref=external_ref,
        text=text,
        lines=(
            Line(Account.BANK, sign * amount_oere, value_date=day, method=method, text=text),
            Line(Account.SUSPENSE, -sign * amount_oere, value_date=day, method=method, text=text),
        ),
        created_by=created_by,
        import_batch_id=import_batch_id,
    )


def open_items(session: Session, organisation_id: int | None = None) -> list[BsSuspenseItem]:
    """Unresolved suspense items, oldest first (of one organisation, or of all)."""
    query = select(BsSuspenseItem).where(col(BsSuspenseItem.resolved_at).is_(None))
    if organisation_id is not None:
        query = query.where(BsSuspenseItem.organisation_id == organisation_id)
    return list(session.exec(query.order_by(col(BsSuspenseItem.id))))


@dataclass(frozen=True, slots=True)
class Resolution:
    item_id: int
    tenancy_id: int
    unit_number: str
    posting_id: int
    reversed_posting_id: int | None  # the payment a charge-back took back


def resolve(
    session: Session,
    item_id: int,
    *,
    unit_number: str,
    resolved_by: str,
    today: date,
    payment_posting_id: int | None = None,
) -> Resolution:
    """Move a suspense item to the tenancy of ``unit_number`` that ran on the payment date.

    A payment becomes a payment on that tenancy at the date the tenant paid. A charge-back
    reverses the payment it takes back: ``payment_posting_id``, or else the one unreversed
    payment of the same amount, date and method on that tenancy (more or none: an error).
    """
    found = session.get(BsSuspenseItem, item_id)
    if found is None:
        raise BsSetupError(f"there is no suspense item {item_id}")
    organisation_id = found.organisation_id
    lock_organisations(session, [organisation_id])
    session.refresh(found)  # as it is now that we hold the lock
    item = found
    if item.resolved_at is not None:
        raise BsSetupError(
            f"suspense item {item_id} was resolved by {item.resolved_by} on "
            f"{item.resolved_at:%Y-%m-%d} (tenancy {item.resolved_tenancy_id})"
        )
    day = item.actual_date or item.payment_date
    tenancy = tenancy_on(session, organisation_id, unit_number, item.payment_date)
    assert tenancy.id is not None
    external_ref = f"resolve-{item.id}"
    reversed_id: int | None = None
    if item.direction is SuspenseDirection.IN:
        posting = _payment_from_suspense(item, tenancy.id, day, external_ref, today, resolved_by)
    else:
        reversed_id = _original_of(session, item, tenancy.id, payment_posting_id)
        posting = charge_back_posting(
            session,
            reversed_id,
            effective_date=day,
            booking_date=today,
            source=RESOLUTION_SOURCE,
            external_ref=external_ref,
            text=f"Tilbageført betaling (uafstemt post {item.id})",
            created_by=resolved_by,
            counter_account=Account.SUSPENSE,
        )
    result = post_many(session, [posting])
    assert len(result.posted) == 1, f"suspense item {item_id} was posted before"
    reallocate(session, organisation_id, result.tenancy_ids)
    item.resolved_tenancy_id = tenancy.id
    item.resolved_by, item.resolved_at = resolved_by, utc_now()
    item.resolution_posting_id = result.posted[0]
    session.add(item)
    session.flush()
    return Resolution(item_id, tenancy.id, unit_number, result.posted[0], reversed_id)


def _payment_from_suspense(
    item: BsSuspenseItem, tenancy_id: int, day: date, external_ref: str, today: date, by: str
) -> NewPosting:
    method = _METHOD_NAMES.get(item.method, item.method.value)
    text = f"Indbetaling, {method} (uafstemt post {item.id})"
    return NewPosting(
        organisation_id=item.organisation_id,
        kind=PostingKind.PAYMENT,
        booking_date=today,
        source=RESOLUTION_SOURCE,
        external_ref=external_ref,
        text=text,
        lines=(
            Line(
                Account.DEBTOR,
                -item.amount_oere,
                tenancy_id=tenancy_id,
                value_date=day,
                method=item.method,
                text=text,
            ),
            Line(Account.SUSPENSE, item.amount_oere, value_date=day, method=item.method, text=text),
        ),
        created_by=by,
    )


def _original_of(
    session: Session, item: BsSuspenseItem, tenancy_id: int, posting_id: int | None
) -> int:
    """The payment a charge-back item takes back, checked against the item."""
    if posting_id is None:
        found = unreversed_payments(
            session,
            item.organisation_id,
            tenancy_id,
            amount_oere=item.amount_oere,
            payment_date=item.payment_date,
            method=item.method,
        )
        if len(found) != 1:
            raise BsSetupError(
                f"the tenancy has {len(found)} unreversed {item.method.value} payments of "
                f"{item.amount_oere} øre paid on {item.payment_date}: name the payment with "
                "--payment POSTING_ID"
            )
        return found[0]
    entry = session.exec(
        select(LedgerEntry)
        .join(Posting, col(Posting.id) == col(LedgerEntry.posting_id))
        .where(
            LedgerEntry.posting_id == posting_id,
            LedgerEntry.account == Account.DEBTOR,
            Posting.kind == PostingKind.PAYMENT,
            Posting.organisation_id == item.organisation_id,
        )
    ).first()
    if entry is None or entry.tenancy_id != tenancy_id or entry.amount_oere != -item.amount_oere:
        raise BsSetupError(
            f"posting {posting_id} is not a payment of {item.amount_oere} øre on that tenancy"
        )
    if is_reversed(session, posting_id):
        raise BsSetupError(f"posting {posting_id} is reversed already")
    return posting_id
