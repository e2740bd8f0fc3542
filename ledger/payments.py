"""Payments on a tenant's account: money in (bank) against the tenant's debt (debtor)."""

from __future__ import annotations

from datetime import date

from ledger.posting import Line, NewPosting
from ledger.types import Account, PaymentMethod, PostingKind

PAYMENT_TEXTS = {
    PaymentMethod.BETALINGSSERVICE: "Indbetaling, Betalingsservice",
    PaymentMethod.SLIP: "Indbetaling, indbetalingskort",
    PaymentMethod.TRANSFER: "Indbetaling, bankoverførsel",
    PaymentMethod.BOLIGSTOETTE: "Boligstøtte, Udbetaling Danmark",
    PaymentMethod.MUNICIPALITY: "Betaling fra kommunen",
    PaymentMethod.OTHER: "Indbetaling",
}


def payment_posting(
    *,
    organisation_id: int,
    tenancy_id: int,
    amount_oere: int,
    payment_date: date,
    method: PaymentMethod,
    source: str,
    external_ref: str,
    booking_date: date,
    created_by: str,
    text: str | None = None,
    import_batch_id: int | None = None,
) -> NewPosting:
    """Credit the tenant and debit the bank, effective on the payment date (domain.md §6)."""
    assert amount_oere > 0, "a payment is a positive amount"
    label = text or PAYMENT_TEXTS[method]
    return NewPosting(
        organisation_id=organisation_id,
        kind=PostingKind.PAYMENT,
        booking_date=booking_date,
        source=source,
        external_ref=external_ref,
        text=label,
        lines=(
            Line(
                account=Account.DEBTOR,
                amount_oere=-amount_oere,
                tenancy_id=tenancy_id,
                value_date=payment_date,
                method=method,
                text=label,
            ),
            Line(
                account=Account.BANK,
                amount_oere=amount_oere,
                value_date=payment_date,
                method=method,
                text=label,
            ),
        ),
        created_by=created_by,
        import_batch_id=import_batch_id,
    )
