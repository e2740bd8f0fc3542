"""Betalingsservice reconciliation: expected vs collected vs rejected vs charged back per month,
and the suspense list, against the ledger. Files are built with the package's own builders."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, select

from integrations.betalingsservice import (
    AutomaticPayment,
    Mandate,
    MandateCode,
    PaymentCode,
    Sign,
    build_mandate_delivery,
    build_payment_delivery,
    parse,
    write,
)
from integrations.betalingsservice.agreement import save_settings
from integrations.betalingsservice.export import export_month
from integrations.betalingsservice.importer import import_file
from integrations.betalingsservice.models import BsCollection, BsSuspenseItem
from integrations.betalingsservice.records import Collection
from ledger.models import LedgerEntry, Organisation, Posting
from ledger.months import Month
from ledger.types import Account, PostingKind
from reports import build_report
from reports.bs_tables import TABLES
from tests import factories
from tests.reports.support import account_balance, check_all_formats

PBS, GROUP, RENT = "01234567", "00001", 650_000
APRIL, CHARGED_BACK = date(2026, 4, 1), date(2026, 4, 20)
STRAY = 123_400  # a payment for a customer number nobody has


def _record(code: PaymentCode, customer: str, *, reference: str = "", amount: int = RENT,
            actual: date | None = None) -> AutomaticPayment:  # fmt: skip
    money = code in (PaymentCode.COMPLETED, PaymentCode.CHARGED_BACK)
    actual = actual or (APRIL if code is PaymentCode.COMPLETED else None)
    return AutomaticPayment(
        pbs_number=PBS, transaction_code=code, debtor_group=GROUP,
        customer_number=customer.rjust(15, "0"), agreement_number="000000001",
        payment_date=APRIL, sign=Sign.WITHDRAWAL, amount=amount, creditor_reference=reference,
        actual_payment_date=actual, bookkeeping_date=actual, amount_paid=amount if money else 0,
    )  # fmt: skip


def _import_0602(session: Session, records: list[AutomaticPayment], serial: str, day: date) -> None:
    delivery = build_payment_delivery(
        data_supplier_cvr=factories.CVR, delivery_serial=serial, created=day, payments=records
    )
    import_file(session, write(delivery), f"0602-{serial}.txt", today=day, imported_by="test")


def _export(session: Session, org: Organisation, month: str, day: date) -> dict[str, str]:
    result = export_month(
        session, org, Month.parse(month), today=day, exported_by="test", file_name=f"{month}.txt"
    )
    return {
        r.customer_number: r.creditor_reference
        for r in parse(result.data).records()
        if isinstance(r, Collection)
    }


def _organisation(session: Session) -> Organisation:
    """A pays April, B is rejected, C cancels, D pays and is charged back on 20 April; a stray
    payment and a charge-back of a payment never made go to suspense; May is exported, not
    yet answered."""
    org = factories.organisation(session)
    save_settings(
        session, org, pbs_number=PBS, debtor_group=GROUP, data_supplier_cvr=None, updated_by="t"
    )
    tenancies = [factories.tenancy(session, org, f"1-10{n}") for n in range(1, 5)]
    mandates = [
        Mandate(PBS, MandateCode.ACTIVE, GROUP, (t.bs_customer_number or "").rjust(15, "0"),
                "000000001", date(2025, 1, 1), None)
        for t in tenancies
    ]  # fmt: skip
    delivery = build_mandate_delivery(
        data_supplier_cvr=factories.CVR, delivery_serial="0000009001", created=date(2025, 1, 1),
        mandates=mandates,
    )  # fmt: skip
    import_file(session, write(delivery), "0603.txt", today=date(2025, 1, 1), imported_by="t")
    ref = _export(session, org, "2026-04", date(2026, 3, 20))
    first = [
        _record(PaymentCode.COMPLETED, "1-101", reference=ref["1-101"]),
        _record(PaymentCode.REJECTED, "1-102", reference=ref["1-102"]),
        _record(PaymentCode.CANCELLED, "1-103", reference=ref["1-103"]),
        _record(PaymentCode.COMPLETED, "1-104", reference=ref["1-104"]),
        _record(PaymentCode.COMPLETED, "9-999", amount=STRAY),
    ]
    _import_0602(session, first, "0000000101", APRIL)
    back = [
        _record(PaymentCode.CHARGED_BACK, "1-104", reference=ref["1-104"], actual=CHARGED_BACK),
        _record(PaymentCode.CHARGED_BACK, "1-102", actual=CHARGED_BACK),  # never paid
    ]
    _import_0602(session, back, "0000000102", date(2026, 4, 21))
    _export(session, org, "2026-05", date(2026, 4, 21))
    return org


def _bs_ledger(session: Session, org: Organisation, kind: PostingKind, as_of: date) -> int:
    """Debtor-side total of the Betalingsservice postings of a kind, read from the ledger."""
    query = (
        select(sa.func.coalesce(sa.func.sum(LedgerEntry.amount_oere), 0))
        .join(Posting, col(Posting.id) == col(LedgerEntry.posting_id))
        .where(
            Posting.organisation_id == org.id, Posting.source == "betalingsservice",
            Posting.kind == kind, LedgerEntry.account == Account.DEBTOR,
            Posting.booking_date <= as_of,
        )
    )  # fmt: skip
    return int(session.exec(query).one())


def test_expected_collected_rejected_charged_back_per_month(session: Session) -> None:
    org = _organisation(session)
    assert org.id is not None
    as_of = date(2026, 4, 30)
    report = build_report(session, org.id, "bs-reconciliation", as_of)
    assert report.frame.to_dict("records") == [
        {"Måned": "2026-04", "Opkrævninger": 4, "Forventet": 4 * RENT, "Indbetalt": 2 * RENT,
         "Afvist": 2 * RENT, "Tilbageført": RENT, "Netto indbetalt": RENT, "Uafklaret": 0},
        {"Måned": "2026-05", "Opkrævninger": 4, "Forventet": 4 * RENT, "Indbetalt": 0,
         "Afvist": 0, "Tilbageført": 0, "Netto indbetalt": 0, "Uafklaret": 4 * RENT},
    ]  # fmt: skip
    # Reconciled with the ledger: what BS paid to tenants, and what it took back.
    assert report.totals["collected_oere"] == -_bs_ledger(session, org, PostingKind.PAYMENT, as_of)
    assert report.totals["charged_back_oere"] == _bs_ledger(
        session, org, PostingKind.REVERSAL, as_of
    )
    collections = session.exec(select(BsCollection)).all()
    assert report.totals["expected_oere"] == sum(c.amount_oere for c in collections)
    # The suspense list: the stray payment in, the unmatched charge-back out.
    suspense = report.extra_tables[0].frame
    assert list(zip(suspense["Retning"], suspense["Beløb"], strict=True)) == [
        ("Indbetaling", STRAY),
        ("Tilbageførsel", -RENT),
    ]
    assert list(suspense["Kundenr."]) == ["9-999", "1-102"]
    assert list(suspense["Fil"]) == ["0602-0000000101.txt, linje 7", "0602-0000000102.txt, linje 4"]
    assert report.totals["suspense_items"] == len(session.exec(select(BsSuspenseItem)).all())
    assert report.totals["suspense_oere"] == STRAY - RENT
    assert report.totals["suspense_oere"] == -account_balance(
        session, org.id, Account.SUSPENSE, as_of=as_of
    )
    check_all_formats(report)


def test_as_of_before_the_charge_back_and_before_may_was_exported(session: Session) -> None:
    org = _organisation(session)
    assert org.id is not None
    report = build_report(session, org.id, "bs-reconciliation", date(2026, 4, 10))
    assert list(report.frame["Måned"]) == ["2026-04"]
    assert (report.totals["collected_oere"], report.totals["charged_back_oere"]) == (2 * RENT, 0)
    assert (
        report.totals["suspense_oere"]
        == STRAY
        == -account_balance(session, org.id, Account.SUSPENSE, as_of=date(2026, 4, 10))
    )
    before = build_report(session, org.id, "bs-reconciliation", date(2026, 3, 19))
    assert before.frame.empty and before.totals["expected_oere"] == 0
    check_all_formats(before)


def test_the_columns_the_report_reads_exist_in_the_betalingsservice_tables() -> None:
    """``reports.bs_tables`` names columns without importing ``integrations`` (layering)."""
    real = {
        name: SQLModel.metadata.tables[name]
        for name in ("bs_collection", "bs_delivery", "bs_suspense_item")
    }
    for light in TABLES:
        table = real[light.name]
        for column in light.c:
            assert column.name in table.c, f"{light.name}.{column.name}"
            if not isinstance(column.type, sa.types.NullType):
                wanted = table.c[column.name].type.python_type
                assert column.type.python_type is wanted, f"{light.name}.{column.name}"
