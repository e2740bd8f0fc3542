"""Importing 0602 payment information: the right ledger entries, once, and arrears that follow."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from bs_ledger import (
    RENT,
    automatic,
    bs_organisation,
    counts,
    export,
    file_0602,
    give_mandates,
    import_bytes,
    padded,
    slip,
)
from sqlmodel import Session, col, select

from integrations.betalingsservice import PaymentCode, SlipCode
from integrations.betalingsservice.errors import BsImportError
from integrations.betalingsservice.importer import imported_before
from integrations.betalingsservice.models import BsCollection, BsSuspenseItem, CollectionStatus
from ledger.accounts import tenancy_statement
from ledger.models import LedgerEntry, Posting, Tenancy
from ledger.types import Account, PaymentMethod, PostingKind
from tests import factories

APRIL = date(2026, 4, 1)
EXPORTED = date(2026, 3, 20)
CHARGED_BACK = date(2026, 4, 20)


@pytest.fixture
def april(session: Session) -> dict[str, Tenancy]:
    """Four tenancies with mandates, April 2026 exported: A pays, B is rejected, C cancels,
    D pays and is charged back on 20 April."""
    organisation = bs_organisation(session)
    tenancies = {
        name: factories.tenancy(session, organisation, f"1-10{number}")
        for number, name in enumerate("ABCD", start=1)
    }
    give_mandates(session, list(tenancies.values()), date(2025, 1, 1))
    references = export(session, organisation, "2026-04", EXPORTED)
    assert len(references) == 4
    session.info["references"] = references
    return tenancies


def _first_0602(session: Session) -> bytes:
    ref = session.info["references"]
    return file_0602(
        [
            automatic(PaymentCode.COMPLETED, "1-101", APRIL, reference=ref["1-101"]),
            automatic(PaymentCode.REJECTED, "1-102", APRIL, reference=ref["1-102"]),
            automatic(PaymentCode.CANCELLED, "1-103", APRIL, reference=ref["1-103"]),
            automatic(PaymentCode.COMPLETED, "1-104", APRIL, reference=ref["1-104"]),
        ],
        "0000000101",
        APRIL,
    )


def _charge_back_0602(session: Session) -> bytes:
    ref = session.info["references"]["1-104"]
    record = automatic(PaymentCode.CHARGED_BACK, "1-104", APRIL, actual=CHARGED_BACK, reference=ref)
    return file_0602([record], "0000000102", date(2026, 4, 21))


def _debtor_entries(session: Session, tenancy: Tenancy) -> list[LedgerEntry]:
    return list(
        session.exec(
            select(LedgerEntry)
            .where(LedgerEntry.tenancy_id == tenancy.id, LedgerEntry.account == Account.DEBTOR)
            .order_by(col(LedgerEntry.id))
        )
    )


def _collection(session: Session, tenancy: Tenancy) -> BsCollection:
    return session.exec(select(BsCollection).where(BsCollection.tenancy_id == tenancy.id)).one()


def test_0602_books_completed_rejected_cancelled_and_charged_back(
    session: Session, april: dict[str, Tenancy]
) -> None:
    first = import_bytes(session, _first_0602(session), APRIL, "0602-101.txt")
    [report] = first.organisations
    assert (report.payments, report.rejected, report.cancelled) == (2, 1, 1)
    assert report.paid_oere == 2 * RENT and report.suspense == 0
    second = import_bytes(session, _charge_back_0602(session), date(2026, 4, 21))
    assert second.organisations[0].charged_back == 1

    a, b, c, d = (april[name] for name in "ABCD")
    # A: the April rent, then the payment at the actual payment date, by Betalingsservice.
    [rent, payment] = _debtor_entries(session, a)
    assert (rent.amount_oere, rent.due_date) == (RENT, APRIL)
    assert (payment.amount_oere, payment.value_date) == (-RENT, APRIL)
    assert payment.method is PaymentMethod.BETALINGSSERVICE
    # B and C: no money moved; their collections say why.
    for tenancy, status in ((b, CollectionStatus.REJECTED), (c, CollectionStatus.CANCELLED)):
        assert [e.amount_oere for e in _debtor_entries(session, tenancy)] == [RENT]
        assert _collection(session, tenancy).status is status
    # D: paid, then the payment reversed with effect from the charge-back date.
    [_, paid, reversal] = _debtor_entries(session, d)
    assert (reversal.amount_oere, reversal.value_date) == (RENT, CHARGED_BACK)
    assert reversal.reverses_entry_id == paid.id
    reversal_posting = session.get(Posting, reversal.posting_id)
    assert reversal_posting is not None
    assert reversal_posting.kind is PostingKind.REVERSAL
    assert reversal_posting.reverses_posting_id == paid.posting_id
    assert reversal_posting.external_ref == "0602-0000000102-3"

    collection_a, collection_d = _collection(session, a), _collection(session, d)
    assert collection_a.status is CollectionStatus.COMPLETED
    assert collection_a.payment_posting_id == payment.posting_id
    assert (collection_a.status_line, collection_a.status_delivery_id) == (
        3,
        report.delivery_id,
    )
    assert collection_d.status is CollectionStatus.CHARGED_BACK
    assert collection_d.payment_posting_id == paid.posting_id
    assert collection_d.reversal_posting_id == reversal.posting_id


def test_every_posting_balances_and_points_to_its_file(
    session: Session, april: dict[str, Tenancy]
) -> None:
    import_bytes(session, _first_0602(session), APRIL, "0602-101.txt")
    rows = session.execute(
        sa.select(Posting.id, Posting.external_ref, Posting.import_batch_id, sa.func.sum(
            LedgerEntry.amount_oere))
        .join(LedgerEntry, col(LedgerEntry.posting_id) == col(Posting.id))
        .where(Posting.source == "betalingsservice")
        .group_by(Posting.id, Posting.external_ref, Posting.import_batch_id)
    ).all()  # fmt: skip
    assert {ref for _, ref, _, _ in rows} == {"0602-0000000101-3", "0602-0000000101-6"}
    assert all(total == 0 and batch is not None for _, _, batch, total in rows)


def test_importing_the_same_file_again_changes_nothing(
    session: Session, april: dict[str, Tenancy]
) -> None:
    data = _first_0602(session)
    import_bytes(session, data, APRIL, "0602-101.txt")
    before = counts(session)
    again = import_bytes(session, data, date(2026, 4, 2), "0602-101-copy.txt")
    assert again.already_imported and again.organisations == []
    assert "0602-101.txt" in again.imported_before[0]
    assert counts(session) == before


def test_the_serial_is_unique_even_if_the_check_were_skipped(
    session: Session, april: dict[str, Tenancy], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _first_0602(session)
    import_bytes(session, data, APRIL)
    from integrations.betalingsservice import importer

    monkeypatch.setattr(importer, "imported_before", lambda session, delivery: [])
    with pytest.raises(sa.exc.IntegrityError), session.begin_nested():
        import_bytes(session, data, APRIL)


def test_the_same_serial_with_other_content_is_refused(
    session: Session, april: dict[str, Tenancy]
) -> None:
    import_bytes(session, _first_0602(session), APRIL, "first.txt")
    other = file_0602([automatic(PaymentCode.COMPLETED, "1-102", APRIL)], "0000000101", APRIL)
    before = counts(session)
    with pytest.raises(BsImportError, match=r"line 1, field delivery_serial: .* first\.txt"):
        import_bytes(session, other, APRIL, "second.txt")
    assert counts(session) == before


def test_all_90_stk_2_rejected_and_cancelled_rent_is_overdue_after_the_last_timely_day(
    session: Session, april: dict[str, Tenancy]
) -> None:
    """No payment exists for a rejected (0237) or cancelled (0238) collection, so the due date
    is simply unpaid: overdue (ALL § 90, stk. 2) once its last timely payment day has passed."""
    import_bytes(session, _first_0602(session), APRIL)
    organisation_id = april["A"].organisation_id
    for name, overdue in (("A", 0), ("B", RENT), ("C", RENT), ("D", 0)):
        tenancy_id = april[name].id
        assert tenancy_id is not None
        on_time = tenancy_statement(session, organisation_id, tenancy_id, APRIL)
        assert on_time.overdue_pligtig_oere == 0, name
        later = tenancy_statement(session, organisation_id, tenancy_id, date(2026, 4, 10))
        assert later.overdue_pligtig_oere == overdue, name


def test_all_90_stk_2_april_rent_charged_back_on_20_april_is_overdue_from_20_april(
    session: Session, april: dict[str, Tenancy]
) -> None:
    """A charge-back reopens the rent it had paid from the charge-back date, not before."""
    import_bytes(session, _first_0602(session), APRIL)
    import_bytes(session, _charge_back_0602(session), date(2026, 4, 21))
    d = april["D"]
    assert d.id is not None
    before = tenancy_statement(session, d.organisation_id, d.id, date(2026, 4, 19))
    after = tenancy_statement(session, d.organisation_id, d.id, CHARGED_BACK)
    assert (before.balance_oere, before.overdue_pligtig_oere) == (0, 0)
    assert (after.balance_oere, after.overdue_pligtig_oere) == (RENT, RENT)
    assert [item.due_date for item in after.open_items] == [APRIL]


def test_a_charge_back_in_the_same_file_as_its_payment(
    session: Session, april: dict[str, Tenancy]
) -> None:
    ref = session.info["references"]["1-101"]
    data = file_0602(
        [
            automatic(PaymentCode.COMPLETED, "1-101", APRIL, reference=ref),
            automatic(PaymentCode.CHARGED_BACK, "1-101", APRIL, actual=date(2026, 4, 8),
                      reference=ref),
        ],
        "0000000103",
        APRIL,
    )  # fmt: skip
    import_bytes(session, data, date(2026, 4, 9))
    amounts = [e.amount_oere for e in _debtor_entries(session, april["A"])]
    assert amounts == [RENT, -RENT, RENT]
    assert _collection(session, april["A"]).status is CollectionStatus.CHARGED_BACK


def test_a_charge_back_without_a_reference_is_matched_on_the_ledger(
    session: Session, april: dict[str, Tenancy]
) -> None:
    """No creditor reference: the one unreversed BS payment of that amount and date."""
    import_bytes(session, _first_0602(session), APRIL)
    record = automatic(PaymentCode.CHARGED_BACK, "1-101", APRIL, actual=CHARGED_BACK)
    import_bytes(session, file_0602([record], "0000000104", CHARGED_BACK), CHARGED_BACK)
    assert [e.amount_oere for e in _debtor_entries(session, april["A"])] == [RENT, -RENT, RENT]


def test_a_charge_back_whose_payment_cannot_be_found_goes_to_the_suspense_list(
    session: Session, april: dict[str, Tenancy]
) -> None:
    record = automatic(PaymentCode.CHARGED_BACK, "1-102", APRIL, actual=CHARGED_BACK)
    report = import_bytes(session, file_0602([record], "0000000105", CHARGED_BACK), CHARGED_BACK)
    assert report.organisations[0].suspense == 1
    assert report.organisations[0].charged_back == 0
    item = session.exec(select(BsSuspenseItem)).one()
    assert (item.direction.value, item.amount_oere, item.line) == ("out", RENT, 3)
    assert "the payment it takes back was not found" in item.reason
    assert [e.amount_oere for e in _debtor_entries(session, april["B"])] == [RENT]


def test_slip_payments_and_their_charge_backs(session: Session, april: dict[str, Tenancy]) -> None:
    paid = date(2026, 4, 3)
    import_bytes(
        session, file_0602([slip(SlipCode.COMPLETED, "1-102", paid)], "0000000106", paid), paid
    )
    back = slip(SlipCode.CHARGED_BACK, "1-102", paid, actual=date(2026, 4, 14))
    import_bytes(session, file_0602([back], "0000000107", date(2026, 4, 15)), date(2026, 4, 15))
    entries = _debtor_entries(session, april["B"])
    assert [(e.amount_oere, e.value_date) for e in entries[1:]] == [
        (-RENT, paid),
        (RENT, date(2026, 4, 14)),
    ]
    assert entries[1].method is PaymentMethod.SLIP


def test_customer_numbers_match_without_leading_zeros(session: Session) -> None:
    organisation = bs_organisation(session)
    tenancy = factories.tenancy(session, organisation, "00042")
    assert tenancy.bs_customer_number == "00042"
    record = automatic(PaymentCode.COMPLETED, "42", APRIL)
    assert record.customer_number == padded("42") == "000000000000042"
    import_bytes(session, file_0602([record], "0000000108", APRIL), APRIL)
    assert [e.amount_oere for e in _debtor_entries(session, tenancy)] == [-RENT]


def test_a_payment_for_a_tenant_who_moved_out_belongs_to_their_tenancy(
    session: Session,
) -> None:
    organisation = bs_organisation(session)
    old = factories.tenancy(session, organisation, "2-201", end=date(2026, 3, 31))
    new = factories.tenancy(session, organisation, "2-201", start=date(2026, 4, 15))
    late = automatic(PaymentCode.COMPLETED, "2-201", date(2026, 4, 2))
    fresh = automatic(PaymentCode.COMPLETED, "2-201", date(2026, 5, 1))
    import_bytes(session, file_0602([late, fresh], "0000000109", date(2026, 5, 1)), APRIL)
    assert [e.value_date for e in _debtor_entries(session, old)] == [date(2026, 4, 2)]
    assert [e.value_date for e in _debtor_entries(session, new)] == [date(2026, 5, 1)]


def test_imported_before_is_found_by_supplier_type_and_serial(
    session: Session, april: dict[str, Tenancy]
) -> None:
    from integrations.betalingsservice import parse

    data = _first_0602(session)
    assert imported_before(session, parse(data)) == []
    import_bytes(session, data, APRIL)
    assert len(imported_before(session, parse(data))) == 1
