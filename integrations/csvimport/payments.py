"""``almen import payments``: payments with their payment dates (timeliness is judged by them).

Each payment's ``reference`` is its idempotency key (per method): importing the same file
twice posts nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from integrations.csvimport import fields as f
from integrations.csvimport.errors import RowError
from integrations.csvimport.postings import (
    Planned,
    PostingImportReport,
    Resolver,
    import_postings,
)
from integrations.csvimport.reader import CsvFile, CsvRow
from ledger.payments import payment_posting
from ledger.types import PaymentMethod

REQUIRED = ("organisation_cvr", "unit_number", "payment_date", "amount_oere", "method", "reference")
METHOD_ALIASES = {
    "bs": "betalingsservice",
    "indbetalingskort": "slip",
    "fi": "slip",
    "overførsel": "transfer",
    "boligstøtte": "boligstoette",
    "kommune": "municipality",
}


@dataclass(frozen=True, slots=True)
class PaymentRow:
    row: int
    organisation_cvr: str
    unit_number: str
    payment_date: date
    amount_oere: int
    method: PaymentMethod
    reference: str


def parse_row(row: CsvRow, today: date) -> tuple[PaymentRow | None, list[RowError]]:
    r = f.RowReader(row)
    paid = r.read(f.a_date, "payment_date", date.min)
    if paid > today:
        r.fail("payment_date", f"{paid.isoformat()} is in the future")
    parsed = PaymentRow(
        row=row.number,
        organisation_cvr=r.read(f.cvr, "organisation_cvr", ""),
        unit_number=r.read(lambda x, c: f.text(x, c, max_length=20), "unit_number", ""),
        payment_date=paid,
        amount_oere=r.read(lambda x, c: f.oere(x, c, minimum=1), "amount_oere", 0),
        method=r.read(
            lambda x, c: f.choice(x, c, PaymentMethod, METHOD_ALIASES),
            "method",
            PaymentMethod.OTHER,
        ),
        reference=r.read(lambda x, c: f.text(x, c, max_length=100), "reference", ""),
    )
    return (None, r.errors) if r.errors else (parsed, [])


def import_payments(
    session: Session, file: CsvFile, *, today: date, imported_by: str
) -> PostingImportReport:
    """Validate the whole file, then post every payment not imported before."""
    return import_postings(
        session,
        file,
        kind="payments",
        required=REQUIRED,
        parse_row=lambda row: parse_row(row, today),
        plan=lambda resolver, row: _plan(resolver, row, today, imported_by),
        error_column="unit_number",
        imported_by=imported_by,
    )


def _plan(resolver: Resolver, row: PaymentRow, today: date, imported_by: str) -> Planned:
    organisation = resolver.organisation(row.organisation_cvr)
    tenancy = resolver.tenancy(organisation, row.unit_number, row.payment_date, None)
    assert organisation.id is not None and tenancy.id is not None
    posting = payment_posting(
        organisation_id=organisation.id,
        tenancy_id=tenancy.id,
        amount_oere=row.amount_oere,
        payment_date=row.payment_date,
        method=row.method,
        source=f"payments:{row.method}",
        external_ref=row.reference,
        booking_date=today,
        created_by=imported_by,
    )
    return Planned(row.row, posting, tenancy.id, -row.amount_oere, row.payment_date)
