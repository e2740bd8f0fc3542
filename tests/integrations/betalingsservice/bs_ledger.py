"""Test support for the Betalingsservice import and export: an organisation with settings,
tenancies with mandates, and 0602/0603 files built with the package's own builders."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, func, select

from integrations.betalingsservice import (
    AutomaticPayment,
    Mandate,
    MandateCode,
    PaymentCode,
    Sign,
    SlipCode,
    SlipPayment,
    SlipType,
    build_mandate_delivery,
    build_payment_delivery,
    parse,
    write,
)
from integrations.betalingsservice.agreement import save_settings
from integrations.betalingsservice.export import export_month
from integrations.betalingsservice.importer import ImportReport, import_file
from integrations.betalingsservice.records import Collection
from ledger.models import Organisation, Tenancy
from ledger.months import Month
from tests import factories

PBS = "01234567"
GROUP = "00001"
CVR = factories.CVR
RENT = 650_000


def bs_organisation(session: Session, cvr: str = CVR, pbs: str = PBS) -> Organisation:
    organisation = factories.organisation(session, cvr=cvr)
    save_settings(
        session,
        organisation,
        pbs_number=pbs,
        debtor_group=GROUP,
        data_supplier_cvr=None,
        updated_by="test",
    )
    return organisation


def padded(customer: str) -> str:
    """A customer number as BS returns it in 0602/0603: zero-padded to 15."""
    return customer.rjust(15, "0")


def automatic(
    code: PaymentCode,
    customer: str,
    due: date,
    *,
    amount: int = RENT,
    actual: date | None = None,
    reference: str = "",
    pbs: str = PBS,
) -> AutomaticPayment:
    """A 0602 section 0211 record as BS sends it."""
    money = code in (PaymentCode.COMPLETED, PaymentCode.CHARGED_BACK)
    if actual is None and code is PaymentCode.COMPLETED:
        actual = due
    return AutomaticPayment(
        pbs_number=pbs,
        transaction_code=code,
        debtor_group=GROUP,
        customer_number=padded(customer),
        agreement_number="000000001",
        payment_date=due,
        sign=Sign.WITHDRAWAL,
        amount=amount,
        creditor_reference=reference,
        actual_payment_date=actual,
        bookkeeping_date=actual,
        amount_paid=amount if money else 0,
    )


def slip(code: SlipCode, customer: str, paid: date, *, amount: int = RENT,
         actual: date | None = None) -> SlipPayment:  # fmt: skip
    return SlipPayment(
        pbs_number=PBS,
        transaction_code=code,
        debtor_group=GROUP,
        customer_number=padded(customer),
        slip_type=SlipType.FI_71,
        fee_code=0,
        fee=0,
        payment_date=paid,
        sign=Sign.WITHDRAWAL,
        amount=amount,
        reference="",
        archive_reference="",
        actual_date=actual or paid,
        bookkeeping_date=actual or paid,
        amount_paid=amount,
    )


def file_0602(
    records: Sequence[AutomaticPayment | SlipPayment], serial: str, created: date
) -> bytes:
    return write(
        build_payment_delivery(
            data_supplier_cvr=CVR, delivery_serial=serial, created=created, payments=records
        )
    )


def mandate(
    customer: str,
    effective: date,
    code: MandateCode = MandateCode.ACTIVE,
    *,
    end: date | None = None,
    agreement: str = "000000001",
) -> Mandate:
    return Mandate(PBS, code, GROUP, padded(customer), agreement, effective, end)


def file_0603(mandates: Sequence[Mandate], serial: str, created: date) -> bytes:
    return write(
        build_mandate_delivery(
            data_supplier_cvr=CVR, delivery_serial=serial, created=created, mandates=mandates
        )
    )


def import_bytes(session: Session, data: bytes, today: date, name: str = "bs.txt") -> ImportReport:
    return import_file(session, data, name, today=today, imported_by="test")


def give_mandates(session: Session, tenancies: Sequence[Tenancy], effective: date) -> None:
    """Active mandates for these tenancies, through a 0603 import."""
    customers = [t.bs_customer_number for t in tenancies]
    assert all(customers)
    data = file_0603([mandate(c or "", effective) for c in customers], "0000009001", effective)
    import_bytes(session, data, effective, "mandates.txt")


def export(session: Session, organisation: Organisation, month: str, today: date) -> dict[str, str]:
    """Export a month; the creditor reference of each collection by customer number."""
    result = export_month(
        session, organisation, Month.parse(month), today=today, exported_by="test",
        file_name=f"0601-{month}.txt",
    )  # fmt: skip
    return {
        record.customer_number: record.creditor_reference
        for record in parse(result.data).records()
        if isinstance(record, Collection)
    }


TABLES = (
    "posting", "ledger_entry", "allocation", "import_batch", "bs_delivery", "bs_collection",
    "bs_mandate", "bs_suspense_item",
)  # fmt: skip


def counts(session: Session) -> dict[str, int]:
    """Rows per table: "the database is unchanged" in one comparison."""
    return {
        name: session.exec(select(func.count()).select_from(sa.table(name))).one()
        for name in TABLES
    }


def snapshot(session: Session, name: str) -> list[Any]:
    """Every row of a table, for before/after comparisons."""
    return [tuple(row) for row in session.execute(sa.text(f"SELECT * FROM {name} ORDER BY 1"))]
