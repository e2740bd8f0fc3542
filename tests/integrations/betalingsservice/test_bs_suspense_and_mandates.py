"""Unmatched money on the suspense list and its resolution; mandates from 0603."""

from __future__ import annotations

from datetime import date

import pytest
from bs_ledger import (
    RENT,
    automatic,
    bs_organisation,
    file_0602,
    file_0603,
    import_bytes,
    mandate,
)
from sqlmodel import Session, col, func, select

from integrations.betalingsservice import MandateCode, PaymentCode
from integrations.betalingsservice.errors import BsSetupError
from integrations.betalingsservice.models import BsMandate, BsSuspenseItem, MandateStatus
from integrations.betalingsservice.suspense import open_items, resolve
from ledger.accounts import tenancy_statement
from ledger.models import LedgerEntry
from ledger.types import Account
from tests import factories
from tests.cli import Runner

PAID = date(2026, 4, 1)


def _account_total(session: Session, account: str) -> int:
    total = session.exec(
        select(func.coalesce(func.sum(LedgerEntry.amount_oere), 0)).where(
            LedgerEntry.account == account
        )
    ).one()
    return int(total)


def test_an_unknown_customer_is_not_dropped_but_put_on_the_suspense_list(
    session: Session,
) -> None:
    bs_organisation(session)
    data = file_0602([automatic(PaymentCode.COMPLETED, "9-999", PAID)], "0000000201", PAID)
    report = import_bytes(session, data, PAID, "0602-201.txt")
    [org] = report.organisations
    assert (org.payments, org.suspense, org.suspense_oere) == (0, 1, RENT)
    [item] = open_items(session)
    assert (item.customer_number, item.amount_oere, item.line) == ("00000000009-999", RENT, 3)
    assert (item.pbs_number, item.debtor_group, item.transaction_code) == (
        "01234567",
        "00001",
        "0236",
    )
    assert item.payment_date == item.actual_date == PAID
    assert "no tenancy has customer number 9-999" in item.reason
    # Double entry: the bank has the money, the suspense account owes it to someone.
    assert _account_total(session, Account.BANK) == RENT
    assert _account_total(session, Account.SUSPENSE) == -RENT
    assert _account_total(session, Account.DEBTOR) == 0


def test_resolving_a_payment_moves_it_to_the_tenant_at_the_date_they_paid(
    session: Session, cli: Runner
) -> None:
    organisation = bs_organisation(session)
    tenancy = factories.tenancy(session, organisation, "1-101")
    factories.charge(session, tenancy, RENT, PAID)
    data = file_0602([automatic(PaymentCode.COMPLETED, "1-1O1", PAID)], "0000000202", PAID)
    import_bytes(session, data, PAID)  # a typo in the customer number: letter O
    [item] = open_items(session)
    listed = cli("bs", "suspense", "list", "--json").json()
    assert [row["id"] for row in listed] == [item.id]
    assert listed[0]["file"] == "bs.txt" and listed[0]["customer_number"] == "1-1O1"

    result = cli("bs", "suspense", "resolve", str(item.id), "--unit", "1-101", "--by", "Mette")
    assert result.code == 0, result.err
    assert "-> unit 1-101" in result.out
    assert tenancy.id is not None
    statement = tenancy_statement(session, organisation.id or 0, tenancy.id, PAID)
    assert statement.balance_oere == 0  # paid on time: the payment date, not today, counts
    assert _account_total(session, Account.SUSPENSE) == 0
    session.refresh(item)
    assert (item.resolved_tenancy_id, item.resolved_by) == (tenancy.id, "Mette")
    assert open_items(session) == []
    again = cli("bs", "suspense", "resolve", str(item.id), "--unit", "1-101", "--by", "Mette")
    assert again.code == 1 and "was resolved by Mette" in again.err


def test_resolving_a_charge_back_reverses_the_payment_it_takes_back(session: Session) -> None:
    organisation = bs_organisation(session)
    tenancy = factories.tenancy(session, organisation, "1-101")
    factories.charge(session, tenancy, RENT, PAID)
    import_bytes(
        session, file_0602([automatic(PaymentCode.COMPLETED, "1-101", PAID)], "0000000203", PAID),
        PAID,
    )  # fmt: skip
    back = automatic(PaymentCode.CHARGED_BACK, "7-777", PAID, actual=date(2026, 4, 20))
    import_bytes(session, file_0602([back], "0000000204", date(2026, 4, 21)), date(2026, 4, 21))
    [item] = open_items(session)
    assert item.direction.value == "out"
    assert _account_total(session, Account.SUSPENSE) == RENT
    resolution = resolve(
        session, item.id or 0, unit_number="1-101", resolved_by="Mette", today=date(2026, 4, 22)
    )
    assert resolution.reversed_posting_id is not None
    assert tenancy.id is not None
    after = tenancy_statement(session, tenancy.organisation_id, tenancy.id, date(2026, 4, 20))
    before = tenancy_statement(session, tenancy.organisation_id, tenancy.id, date(2026, 4, 19))
    assert (before.overdue_pligtig_oere, after.overdue_pligtig_oere) == (0, RENT)
    assert _account_total(session, Account.SUSPENSE) == 0
    assert _account_total(session, Account.BANK) == 0


def test_a_charge_back_resolution_needs_exactly_one_payment(session: Session) -> None:
    organisation = bs_organisation(session)
    factories.tenancy(session, organisation, "1-101")
    back = automatic(PaymentCode.CHARGED_BACK, "7-777", PAID, actual=date(2026, 4, 20))
    import_bytes(session, file_0602([back], "0000000205", date(2026, 4, 21)), date(2026, 4, 21))
    [item] = open_items(session)
    with pytest.raises(BsSetupError, match="0 unreversed betalingsservice payments"):
        resolve(session, item.id or 0, unit_number="1-101", resolved_by="M", today=PAID)
    with pytest.raises(BsSetupError, match="posting 999999 is not a payment"):
        resolve(
            session, item.id or 0, unit_number="1-101", resolved_by="M", today=PAID,
            payment_posting_id=999999,
        )  # fmt: skip


def test_mandates_are_set_and_cancelled_by_0603(session: Session) -> None:
    organisation = bs_organisation(session)
    tenancy = factories.tenancy(session, organisation, "1-101", start=date(2026, 5, 1))
    signed = date(2026, 4, 20)  # before moving in: it pays for the new tenancy
    report = import_bytes(
        session,
        file_0603(
            [mandate("1-101", signed, MandateCode.REGISTERED), mandate("5-555", signed)],
            "0000000301",
            signed,
        ),
        signed,
    )
    [org] = report.organisations
    assert (org.mandates, org.mandates_unmatched) == (2, 1)
    assert any("5-555, which no tenancy has" in notice for notice in org.notices)
    row = session.exec(select(BsMandate).where(BsMandate.customer_number == "1-101")).one()
    assert (row.tenancy_id, row.status, row.transaction_code) == (
        tenancy.id,
        MandateStatus.ACTIVE,
        "0231",
    )
    ended = date(2026, 9, 30)
    cancel = mandate("1-101", signed, MandateCode.CANCELLED_BY_BANK, end=ended)
    import_bytes(session, file_0603([cancel], "0000000302", date(2026, 9, 1)), date(2026, 9, 1))
    session.refresh(row)
    assert (row.status, row.end_date, row.transaction_code) == (
        MandateStatus.CANCELLED,
        ended,
        "0232",
    )
    assert session.exec(select(func.count()).select_from(BsMandate)).one() == 2


def test_a_new_tenant_does_not_inherit_the_previous_tenants_mandate(session: Session) -> None:
    organisation = bs_organisation(session)
    old = factories.tenancy(session, organisation, "1-101", end=date(2026, 3, 31))
    factories.tenancy(session, organisation, "1-101", start=date(2026, 4, 1))
    import_bytes(session, file_0603([mandate("1-101", date(2025, 2, 1))], "0000000303", PAID), PAID)
    row = session.exec(select(BsMandate)).one()
    assert row.tenancy_id == old.id


def test_a_customer_number_of_two_units_is_ambiguous(session: Session) -> None:
    organisation = bs_organisation(session)
    factories.tenancy(session, organisation, "1-101")
    factories.tenancy(session, organisation, "01-101")
    data = file_0602([automatic(PaymentCode.COMPLETED, "1-101", PAID)], "0000000206", PAID)
    import_bytes(session, data, PAID)
    [item] = session.exec(select(BsSuspenseItem).order_by(col(BsSuspenseItem.id))).all()
    assert "several units have customer number 1-101" in item.reason
