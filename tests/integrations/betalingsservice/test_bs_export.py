"""0601 export: one collection per tenancy with a mandate, the month's charges, once a month."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from bs_ledger import RENT, bs_organisation, file_0603, give_mandates, import_bytes, mandate
from sqlmodel import Session, col, select

from integrations.betalingsservice import Collection, MandateCode, TextLine, parse
from integrations.betalingsservice.errors import BsSetupError
from integrations.betalingsservice.export import export_month
from integrations.betalingsservice.models import BsCollection, BsSettings, CollectionStatus
from ledger.charge_types import ACONTO_HEAT, ensure_default_charge_types
from ledger.charging import post_month_charges
from ledger.models import LedgerEntry
from ledger.months import Month
from ledger.posting import post_many, reversal_of
from ledger.registry import add_recurring_charge, require_organisation
from ledger.types import Account
from tests import factories
from tests.cli import Runner

TODAY = date(2026, 7, 10)
AUGUST = Month(2026, 8)  # 1 August 2026 is a Saturday


def _export(
    session: Session, month: Month = AUGUST, *, again: bool = False, today: date = TODAY
) -> bytes:
    organisation = require_organisation(session, factories.CVR)
    result = export_month(
        session, organisation, month, today=today, exported_by="test", file_name="0601.txt",
        again=again,
    )  # fmt: skip
    return result.data


@pytest.fixture
def three(session: Session) -> list[int]:
    """1-101 with rent and a conto heat and a mandate; 1-102 with a mandate cancelled in July;
    1-103 without a mandate."""
    organisation = bs_organisation(session)
    a = factories.tenancy(session, organisation, "1-101")
    b = factories.tenancy(session, organisation, "1-102")
    c = factories.tenancy(session, organisation, "1-103")
    heat = ensure_default_charge_types(session, a.organisation_id)[ACONTO_HEAT].id
    assert heat is not None
    add_recurring_charge(session, a, heat, 45_000, valid_from=date(2025, 1, 1))
    give_mandates(session, [a, b], date(2025, 1, 1))
    cancel = mandate("1-102", date(2025, 1, 1), MandateCode.CANCELLED_BY_CREDITOR,
                     end=date(2026, 7, 31))  # fmt: skip
    import_bytes(session, file_0603([cancel], "0000009002", TODAY), TODAY)
    return [t.id or 0 for t in (a, b, c)]


def test_one_collection_per_tenancy_with_a_mandate_rolled_to_a_bank_day(
    session: Session, three: list[int]
) -> None:
    delivery = parse(_export(session))
    [collection] = [r for r in delivery.records() if isinstance(r, Collection)]
    assert collection.customer_number == "1-101"
    assert collection.payment_date == date(2026, 8, 3)  # Monday after Saturday 1 August
    assert collection.amount == RENT + 45_000
    texts = [r.text for r in delivery.records() if isinstance(r, TextLine)]
    assert texts == ["Husleje august 2026  6.500,00", "A conto varme august 2026  450,00"]
    assert delivery.delivery_serial == "0000000001"
    [row] = session.exec(select(BsCollection)).all()
    assert (row.tenancy_id, row.amount_oere, row.month) == (three[0], RENT + 45_000, "2026-08")
    assert (row.due_date, row.payment_date) == (date(2026, 8, 1), date(2026, 8, 3))
    assert row.creditor_reference == collection.creditor_reference == f"2026-08-{three[0]}-1"
    assert row.status is CollectionStatus.REQUESTED


def test_a_cancelled_mandate_still_collects_before_its_end_date(
    session: Session, three: list[int]
) -> None:
    july = parse(_export(session, Month(2026, 7), today=date(2026, 6, 20)))  # 1 July < 31 July
    assert {r.customer_number for r in july.records() if isinstance(r, Collection)} == {
        "1-101",
        "1-102",
    }


def test_a_reversed_charge_is_not_collected(session: Session, three: list[int]) -> None:
    organisation = require_organisation(session, factories.CVR)
    post_month_charges(session, organisation, AUGUST, booking_date=TODAY, created_by="test")
    heat = session.exec(
        select(LedgerEntry).where(
            LedgerEntry.tenancy_id == three[0],
            LedgerEntry.account == Account.DEBTOR,
            LedgerEntry.amount_oere == 45_000,
        )
    ).one()
    credit = reversal_of(
        session, heat.posting_id, effective_date=date(2026, 8, 1), booking_date=TODAY,
        source="test", external_ref="credit-heat", text="Krediteret", created_by="test",
    )  # fmt: skip
    post_many(session, [credit])
    [collection] = [r for r in parse(_export(session)).records() if isinstance(r, Collection)]
    assert collection.amount == RENT


def test_the_same_month_twice_is_refused_unless_again(session: Session, three: list[int]) -> None:
    _export(session)
    with pytest.raises(BsSetupError, match="2026-08 was exported already in delivery 0000000001"):
        _export(session)
    again = parse(_export(session, again=True))
    assert again.delivery_serial == "0000000002"
    statuses = session.exec(select(BsCollection.status).order_by(col(BsCollection.id))).all()
    assert statuses == [CollectionStatus.SUPERSEDED, CollectionStatus.REQUESTED]
    settings = session.exec(select(BsSettings)).one()
    assert settings.last_delivery_serial == 2


def test_the_charges_are_posted_first_and_only_once(
    session: Session, three: list[int], cli: Runner
) -> None:
    _export(session)
    charged = cli("charge", "--month", "2026-08", "--json", today=TODAY).json()
    assert charged[0]["posted"] == 0 and charged[0]["already_posted"] == 4


def test_a_month_already_due_cannot_be_exported(session: Session, three: list[int]) -> None:
    with pytest.raises(BsSetupError, match="fall due from 2026-07-01, before today"):
        _export(session, Month(2026, 7), today=date(2026, 7, 2))


def test_cli_export_writes_the_file_and_refuses_a_second_run(
    session: Session, three: list[int], cli: Runner, tmp_path: Path
) -> None:
    out = tmp_path / "0601-2026-08.txt"
    first = cli("bs", "export", "--month", "2026-08", "--out", str(out), today=TODAY)
    assert first.code == 0, first.err
    assert "1 collections, 6.950,00 kr." in first.out
    assert parse(out.read_bytes()).delivery_serial == "0000000001"
    other = tmp_path / "again.txt"
    second = cli("bs", "export", "--month", "2026-08", "--out", str(other), today=TODAY)
    assert second.code == 1 and "use --again" in second.err
    assert not other.exists()
    third = cli("bs", "export", "--month", "2026-08", "--out", str(other), "--again", "--json",
                today=TODAY)  # fmt: skip
    assert third.code == 0, third.err
    assert third.json()["superseded_deliveries"] == ["0000000001"]


def test_cli_settings_are_validated(session: Session, cli: Runner) -> None:
    factories.organisation(session)
    factories.organisation(session, cvr=factories.OTHER_CVR)
    session.commit()  # (a failing command rolls back to here)
    cvr = factories.CVR
    bad = cli("bs", "settings", "--organisation", cvr, "--pbs-number", "1234", "--debtor-group",
              "00001")  # fmt: skip
    assert bad.code == 1 and "PBS number must be 8 digits, got '1234'" in bad.err
    bad = cli("bs", "settings", "--organisation", cvr, "--pbs-number", "01234567",
              "--debtor-group", "1")  # fmt: skip
    assert bad.code == 1 and "debtor group must be 5 digits" in bad.err
    bad = cli("bs", "settings", "--organisation", cvr, "--pbs-number", "01234567",
              "--debtor-group", "00001", "--data-supplier-cvr", "12345678")  # fmt: skip
    assert bad.code == 1 and "invalid CVR number" in bad.err
    good = cli("bs", "settings", "--organisation", cvr, "--pbs-number", "01234567",
               "--debtor-group", "00001", "--json")  # fmt: skip
    assert good.code == 0, good.err
    assert good.json() == {
        "organisation": cvr,
        "pbs_number": "01234567",
        "debtor_group": "00001",
        "data_supplier_cvr": cvr,
        "last_delivery_serial": 0,
    }
    taken = cli("bs", "settings", "--organisation", factories.OTHER_CVR, "--pbs-number",
                "01234567", "--debtor-group", "00001")  # fmt: skip
    assert taken.code == 1 and "belongs to another organisation" in taken.err
