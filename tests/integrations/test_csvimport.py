"""CSV imports: whole-file validation, every bad row named, nothing written on error,
re-import changes nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, col, func, select

from integrations.csvimport.errors import ImportRejected
from integrations.csvimport.ledger_history import import_ledger
from integrations.csvimport.payments import import_payments
from integrations.csvimport.reader import parse_csv, read_csv
from integrations.csvimport.tenancies import import_tenancies
from ledger.accounts import tenancy_statement
from ledger.models import ImportBatch, LedgerEntry, Organisation, Posting, Tenancy, TenancyTenant
from ledger.registry import require_organisation, tenancy_on

TODAY = date(2026, 11, 21)
HEADER = (
    "organisation_cvr,organisation_name,department,unit_number,unit_kind,maintenance_scheme,"
    "address,postcode,city,municipality_code,tenant_name,tenancy_start,monthly_rent_oere,"
    "municipally_assigned,delivery_channel,deposit_kind,deposit_oere"
)
ROW = ("13585628,Boligselskabet Test,Afd. 1,{unit},familie,A,Engtoften 1,8260,Viby J,751,"
       "{name},{start},{rent},nej,digital_post,indskud,2450000")  # fmt: skip


def count(session: Session, model: type) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def tenancies_file(*rows: str) -> bytes:
    return "\n".join((HEADER, *rows)).encode()


def load_tenancies(session: Session, data_dir: Path) -> None:
    import_tenancies(session, read_csv(data_dir / "tenancies.csv"),
                     ledger_start=date(2026, 10, 1), today=TODAY, imported_by="test")  # fmt: skip


def test_bad_cpr_and_bad_date_are_both_named_and_nothing_is_written(
    session: Session, data_dir: Path
) -> None:
    with pytest.raises(ImportRejected) as rejected:
        import_tenancies(session, read_csv(data_dir / "tenancies_bad.csv"), ledger_start=None,
                         today=TODAY, imported_by="test")  # fmt: skip
    rows = [(error.row, error.column) for error in rejected.value.errors]
    assert rows == [(3, "tenant_cpr"), (4, "tenancy_start")]
    message = str(rejected.value)
    assert "row 3, tenant_cpr" in message and "row 4, tenancy_start" in message
    assert "'2019-13-01' is not a date" in message
    assert "310290-1234" not in message and "310290-****" in message  # never the full CPR
    assert count(session, Organisation) == 0 and count(session, Tenancy) == 0


def test_tenancies_import_creates_everything_and_reimport_changes_nothing(
    session: Session, data_dir: Path
) -> None:
    load_tenancies(session, data_dir)
    organisation = require_organisation(session, "13585628")
    assert organisation.ledger_start == date(2026, 10, 1)
    assert count(session, Tenancy) == 3
    shared = tenancy_on(session, organisation.id or 0, "1-101", TODAY)
    assert count_tenants(session, shared) == 2  # two rows, one tenancy, two tenants
    assignee = tenancy_on(session, organisation.id or 0, "1-102", TODAY)
    assert assignee.municipally_assigned and assignee.digital_post_exempt
    assert str(assignee.delivery_channel) == "letter" and assignee.children_in_household == 3
    assert tenancy_on(session, organisation.id or 0, "2-001", TODAY).bs_customer_number == "2001"
    before = (count(session, Tenancy), count(session, ImportBatch))
    again = import_tenancies(session, read_csv(data_dir / "tenancies.csv"), ledger_start=None,
                             today=TODAY, imported_by="test")  # fmt: skip
    assert (again.tenancies_created, again.tenancies_unchanged) == (0, 3)
    assert count(session, Tenancy) == before[0]


def count_tenants(session: Session, tenancy: Tenancy) -> int:
    return session.exec(
        select(func.count())
        .select_from(TenancyTenant)
        .where(TenancyTenant.tenancy_id == tenancy.id)
    ).one()


def test_default_ledger_start_is_the_first_of_next_month(session: Session) -> None:
    file = parse_csv(tenancies_file(ROW.format(unit="1", name="A B", start="2020-01-01",
                                               rent=500000)), "t.csv")  # fmt: skip
    import_tenancies(session, file, ledger_start=None, today=TODAY, imported_by="test")
    assert require_organisation(session, "13585628").ledger_start == date(2026, 12, 1)


def test_a_registered_tenancy_is_never_changed_by_an_import(session: Session) -> None:
    first = parse_csv(tenancies_file(ROW.format(unit="1", name="A B", start="2020-01-01",
                                                rent=500000)), "t.csv")  # fmt: skip
    import_tenancies(session, first, ledger_start=None, today=TODAY, imported_by="test")
    changed = parse_csv(tenancies_file(ROW.format(unit="1", name="A B", start="2020-01-01",
                                                  rent=510000)), "t.csv")  # fmt: skip
    with pytest.raises(ImportRejected, match="another rent"):
        import_tenancies(session, changed, ledger_start=None, today=TODAY, imported_by="test")


def test_overlapping_tenancies_in_one_file_are_refused(session: Session) -> None:
    file = parse_csv(tenancies_file(
        ROW.format(unit="1", name="A B", start="2020-01-01", rent=500000),
        ROW.format(unit="1", name="C D", start="2021-01-01", rent=500000),
    ), "t.csv")  # fmt: skip
    with pytest.raises(ImportRejected, match="overlaps the tenancy in row 2"):
        import_tenancies(session, file, ledger_start=None, today=TODAY, imported_by="test")


def test_missing_column_and_unknown_values_are_named(session: Session) -> None:
    file = parse_csv(b"organisation_cvr,unit_number\n13585628,1\n", "t.csv")
    with pytest.raises(ImportRejected) as rejected:
        import_tenancies(session, file, ledger_start=None, today=TODAY, imported_by="test")
    assert "row 1, tenant_name: required column is missing" in str(rejected.value)
    odd = ROW.format(unit="1", name="A B", start="2020-01-01", rent=500000).replace(
        ",751,", ",999,").replace("familie", "villa")  # fmt: skip
    with pytest.raises(ImportRejected) as rejected:
        import_tenancies(session, parse_csv(tenancies_file(odd), "t.csv"), ledger_start=None,
                         today=TODAY, imported_by="test")  # fmt: skip
    message = str(rejected.value)
    assert "999 is not one of the 98 municipality codes" in message
    assert "'villa' is not one of familie, ungdom, aeldre, pleje" in message


def test_windows_1252_semicolon_file_from_excel(session: Session) -> None:
    text = tenancies_file(ROW.format(unit="1", name="Søren Ærø", start="01-02-2020",
                                     rent=500000)).decode().replace(",", ";")  # fmt: skip
    import_tenancies(session, parse_csv(text.encode("cp1252"), "excel.csv"), ledger_start=None,
                     today=TODAY, imported_by="test")  # fmt: skip
    tenancy = session.exec(select(Tenancy)).one()
    assert tenancy.start_date == date(2020, 2, 1)


def test_payments_reimport_changes_nothing(session: Session, data_dir: Path) -> None:
    load_tenancies(session, data_dir)
    first = import_payments(session, read_csv(data_dir / "payments.csv"), today=TODAY,
                            imported_by="test")  # fmt: skip
    assert (first.posted, first.already_imported, first.credited_oere) == (3, 0, 1_176_200)
    before = (count(session, Posting), count(session, LedgerEntry), count(session, ImportBatch))
    again = import_payments(session, read_csv(data_dir / "payments.csv"), today=TODAY,
                            imported_by="test")  # fmt: skip
    assert (again.posted, again.already_imported) == (0, 3)
    assert (count(session, Posting), count(session, LedgerEntry),
            count(session, ImportBatch)) == before  # fmt: skip


def test_payment_for_unknown_unit_rejects_the_whole_file(session: Session, data_dir: Path) -> None:
    load_tenancies(session, data_dir)
    file = parse_csv(b"organisation_cvr,unit_number,payment_date,amount_oere,method,reference\n"
                     b"13585628,1-101,2026-11-02,100,transfer,T-1\n"
                     b"13585628,9-999,2026-11-02,100,transfer,T-2\n"
                     b"13585628,1-101,2027-01-02,100,transfer,T-3\n"
                     b"13585628,1-101,2026-11-02,-5,cash,T-4\n", "p.csv")  # fmt: skip
    with pytest.raises(ImportRejected) as rejected:
        import_payments(session, file, today=TODAY, imported_by="test")
    message = str(rejected.value)
    assert "row 3, unit_number: unknown unit '9-999'" in message
    assert "row 4, payment_date: 2027-01-02 is in the future" in message
    assert "row 5, amount_oere: -5 must be at least 1" in message
    assert "row 5, method: 'cash' is not one of" in message
    assert count(session, Posting) == 0


def test_payment_reference_reused_with_other_data_is_refused(
    session: Session, data_dir: Path
) -> None:
    load_tenancies(session, data_dir)
    import_payments(session, read_csv(data_dir / "payments.csv"), today=TODAY, imported_by="t")
    changed = parse_csv(b"organisation_cvr,unit_number,payment_date,amount_oere,method,reference\n"
                        b"13585628,1-102,2026-11-05,300001,slip,FI-88123\n", "p.csv")  # fmt: skip
    with pytest.raises(ImportRejected, match="imported before with another unit, amount or date"):
        import_payments(session, changed, today=TODAY, imported_by="t")


def test_ledger_history_with_credit_notes_and_traceable_batches(
    session: Session, data_dir: Path
) -> None:
    load_tenancies(session, data_dir)
    report = import_ledger(session, read_csv(data_dir / "ledger.csv"), today=TODAY,
                           imported_by="test")  # fmt: skip
    assert report.posted == 3
    organisation = require_organisation(session, "13585628")
    tenancy = tenancy_on(session, organisation.id or 0, "1-101", TODAY)
    statement = tenancy_statement(session, organisation.id or 0, tenancy.id or 0, TODAY)
    assert statement.balance_oere == -12_500  # the heat settlement credit is left over
    batches = session.exec(select(ImportBatch).where(ImportBatch.kind == "ledger")).all()
    assert len(batches) == 1 and len(batches[0].sha256) == 64
    linked = session.exec(
        select(func.count())
        .select_from(Posting)
        .where(col(Posting.import_batch_id) == batches[0].id)
    ).one()
    assert linked == 3


def test_ledger_history_charge_needs_a_known_charge_type(session: Session, data_dir: Path) -> None:
    load_tenancies(session, data_dir)
    file = parse_csv(b"organisation_cvr,unit_number,entry_type,date,amount_oere,reference,"
                     b"charge_type\n13585628,1-101,charge,2026-10-01,100,X-1,PARKERING\n"
                     b"13585628,1-101,charge,2026-10-01,100,X-2,\n", "l.csv")  # fmt: skip
    with pytest.raises(ImportRejected) as rejected:
        import_ledger(session, file, today=TODAY, imported_by="test")
    message = str(rejected.value)
    assert "row 2: unknown charge_type 'PARKERING'" in message
    assert "row 3, charge_type: is required for a charge" in message
