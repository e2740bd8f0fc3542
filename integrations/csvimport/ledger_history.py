"""``almen import ledger``: account history from the old system, with its original dates.

Columns: ``organisation_cvr, unit_number, entry_type (charge|payment), date, amount_oere,
reference``; optional ``charge_type`` (required for charges: a code such as HUSLEJE),
``method`` (payments), ``text``, ``tenancy_start`` (which tenancy of the unit, when the date
alone does not say). ``date`` is the due date of a charge and the payment date of a payment.
A negative charge is a credit (e.g. a heat settlement refund). History may predate the
organisation's ledger start: that is what it is for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

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
from ledger.charge_types import counter_account, counter_line_tenancy, ensure_default_charge_types
from ledger.payments import payment_posting
from ledger.posting import Line, NewPosting
from ledger.registry import RegistryError
from ledger.types import Account, PaymentMethod, PostingKind

REQUIRED = ("organisation_cvr", "unit_number", "entry_type", "date", "amount_oere", "reference")
SOURCE = "import:ledger"


class EntryType(StrEnum):
    CHARGE = "charge"
    PAYMENT = "payment"


@dataclass(frozen=True, slots=True)
class HistoryRow:
    row: int
    organisation_cvr: str
    unit_number: str
    entry_type: EntryType
    day: date
    amount_oere: int
    reference: str
    charge_type: str | None
    method: PaymentMethod
    text: str | None
    tenancy_start: date | None


def parse_row(row: CsvRow, today: date) -> tuple[HistoryRow | None, list[RowError]]:
    r = f.RowReader(row)
    kind = r.read(
        lambda x, c: f.choice(x, c, EntryType, {"opkrævning": "charge", "indbetaling": "payment"}),
        "entry_type",
        EntryType.CHARGE,
    )
    minimum = None if kind == EntryType.CHARGE else 1
    amount = r.read(lambda x, c: f.oere(x, c, minimum=minimum), "amount_oere", 0)
    if kind == EntryType.CHARGE and amount == 0 and not r.errors:
        r.fail("amount_oere", "a charge of 0 øre")
    day = r.read(f.a_date, "date", date.min)
    charge_type = (r.read(f.optional, "charge_type", None) or "").upper() or None
    if kind == EntryType.CHARGE and charge_type is None:
        r.fail("charge_type", "is required for a charge")
    if kind == EntryType.PAYMENT and day > today:
        r.fail("date", f"payment date {day.isoformat()} is in the future")
    method_given = f.optional(row, "method")
    parsed = HistoryRow(
        row=row.number,
        organisation_cvr=r.read(f.cvr, "organisation_cvr", ""),
        unit_number=r.read(lambda x, c: f.text(x, c, max_length=20), "unit_number", ""),
        entry_type=kind,
        day=day,
        amount_oere=amount,
        reference=r.read(lambda x, c: f.text(x, c, max_length=100), "reference", ""),
        charge_type=charge_type,
        method=r.read(lambda x, c: f.choice(x, c, PaymentMethod), "method", PaymentMethod.OTHER)
        if method_given
        else PaymentMethod.OTHER,
        text=r.read(f.optional, "text", None),
        tenancy_start=r.read(f.optional_date, "tenancy_start", None),
    )
    return (None, r.errors) if r.errors else (parsed, [])


def import_ledger(
    session: Session, file: CsvFile, *, today: date, imported_by: str
) -> PostingImportReport:
    """Validate the whole file, then post every entry not imported before."""
    return import_postings(
        session,
        file,
        kind="ledger",
        required=REQUIRED,
        parse_row=lambda row: parse_row(row, today),
        plan=lambda resolver, row: _plan(session, resolver, row, today, imported_by),
        error_column="",
        imported_by=imported_by,
    )


def _plan(
    session: Session, resolver: Resolver, row: HistoryRow, today: date, imported_by: str
) -> Planned:
    organisation = resolver.organisation(row.organisation_cvr)
    tenancy = resolver.tenancy(organisation, row.unit_number, row.day, row.tenancy_start)
    assert organisation.id is not None and tenancy.id is not None
    if row.entry_type == EntryType.PAYMENT:
        posting = payment_posting(
            organisation_id=organisation.id,
            tenancy_id=tenancy.id,
            amount_oere=row.amount_oere,
            payment_date=row.day,
            method=row.method,
            source=SOURCE,
            external_ref=row.reference,
            booking_date=today,
            created_by=imported_by,
            text=row.text,
        )
        return Planned(row.row, posting, tenancy.id, -row.amount_oere, row.day)
    types = ensure_default_charge_types(session, organisation.id)
    charge_type = types.get(row.charge_type or "")
    if charge_type is None or charge_type.id is None:
        known = ", ".join(sorted(types))
        raise RegistryError(f"unknown charge_type {row.charge_type!r} (known: {known})")
    text = row.text or charge_type.label
    posting = NewPosting(
        organisation_id=organisation.id,
        kind=PostingKind.CHARGE,
        booking_date=today,
        source=SOURCE,
        external_ref=row.reference,
        text=text,
        created_by=imported_by,
        lines=(
            Line(
                Account.DEBTOR,
                row.amount_oere,
                tenancy_id=tenancy.id,
                charge_type_id=charge_type.id,
                due_date=row.day,
                text=text,
            ),
            Line(
                counter_account(charge_type.code),
                -row.amount_oere,
                tenancy_id=counter_line_tenancy(charge_type.code, tenancy.id),
                charge_type_id=charge_type.id,
                text=text,
            ),
        ),
    )
    return Planned(row.row, posting, tenancy.id, row.amount_oere, row.day)
