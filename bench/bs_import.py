"""Benchmark importing a 0602 of 100,000 payment records into PostgreSQL and SQLite.

Usage: python bench/bs_import.py [--records N] [--database sqlite|postgresql|both]

Sets up one organisation with N tenancies (bulk inserts), their mandates and April 2026 rent,
exports April's collections (0601) the way ``almen bs export`` does, then imports a generated
0602 answering them: 97% completed (0236), 2% rejected (0237), 1% completed and charged back
in the same file (0239). Prints the time of each step; the import is timed from the file's
bytes to the commit. PostgreSQL: ``ALMEN_BENCH_PG_URL`` (default
``postgresql+psycopg://postgres@127.0.0.1:5432``); a database of its own is created and dropped.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.database import make_engine, unit_of_work
from app.migrate import upgrade_to_head
from integrations.betalingsservice import (
    AutomaticPayment,
    Collection,
    PaymentCode,
    Sign,
    build_payment_delivery,
    parse,
    write,
)
from integrations.betalingsservice.agreement import save_settings
from integrations.betalingsservice.export import export_month
from integrations.betalingsservice.importer import import_file
from ledger.charge_types import RENT, ensure_default_charge_types
from ledger.models import Organisation, table
from ledger.months import Month
from ledger.registry import create_organisation, department
from ledger.types import MaintenanceScheme, utc_now

CVR = "25313763"
PBS = "01234567"
GROUP = "00001"
APRIL = date(2026, 4, 1)
TARGET_SECONDS_POSTGRESQL = 20.0
PG_SERVER = os.environ.get("ALMEN_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432")


@contextmanager
def database(kind: str) -> Iterator[Engine]:
    """A migrated, empty database of the bench's own."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
            upgrade_to_head(engine)
            yield engine
            engine.dispose()
        return
    name = f"almen_bench_{os.getpid()}"
    admin = sa.create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine = make_engine(f"{PG_SERVER}/{name}")
    try:
        upgrade_to_head(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def set_up(session: Session, records: int) -> int:
    """An organisation with ``records`` tenancies, each with rent and an active mandate."""
    organisation = create_organisation(
        session, cvr=CVR, name="Benchmark Boligselskab", ledger_start=date(2026, 1, 1)
    )
    assert organisation.id is not None
    org = organisation.id
    save_settings(
        session, organisation, pbs_number=PBS, debtor_group=GROUP, data_supplier_cvr=None,
        updated_by="bench",
    )  # fmt: skip
    dept = department(session, org, "Afd. 1", MaintenanceScheme.A)
    rent = ensure_default_charge_types(session, org)[RENT].id
    connection = session.connection()
    _bulk(connection, "unit", [
        {"organisation_id": org, "department_id": dept.id, "unit_number": f"{n:06d}",
         "kind": "familie", "address": f"Benchvej {n}", "postcode": "8000", "city": "Aarhus C",
         "municipality_code": 751}
        for n in range(1, records + 1)
    ])  # fmt: skip
    units = {
        number: unit_id
        for number, unit_id in connection.execute(
            sa.select(table("unit").c.unit_number, table("unit").c.id)
        )
    }
    _bulk(connection, "tenancy", [
        {"organisation_id": org, "unit_id": units[f"{n:06d}"], "start_date": date(2020, 1, 1),
         "municipally_assigned": False, "delivery_channel": "digital_post",
         "digital_post_exempt": False, "bs_customer_number": f"{n:06d}",
         "deposit_kind": "indskud", "deposit_oere": 0, "created_at": utc_now()}
        for n in range(1, records + 1)
    ])  # fmt: skip
    tenancies = {
        number: tenancy_id
        for number, tenancy_id in connection.execute(
            sa.select(table("tenancy").c.bs_customer_number, table("tenancy").c.id)
        )
    }
    _bulk(connection, "recurring_charge", [
        {"organisation_id": org, "tenancy_id": tenancies[f"{n:06d}"], "charge_type_id": rent,
         "amount_oere": 400_000 + n % 500 * 1_000, "due_day": 1, "valid_from": date(2020, 1, 1)}
        for n in range(1, records + 1)
    ])  # fmt: skip
    delivery = _bulk_returning_mandate_delivery(connection, org)
    _bulk(connection, "bs_mandate", [
        {"organisation_id": org, "tenancy_id": tenancies[f"{n:06d}"], "customer_number": f"{n:06d}",
         "agreement_number": f"{n:09d}", "status": "active", "transaction_code": "0230",
         "effective_date": date(2020, 1, 1), "delivery_id": delivery, "line": n + 2,
         "updated_at": utc_now()}
        for n in range(1, records + 1)
    ])  # fmt: skip
    return org


def _bulk(connection: sa.Connection, name: str, rows: list[dict[str, object]]) -> None:
    for start in range(0, len(rows), 5000):
        connection.execute(sa.insert(table(name)), rows[start : start + 5000])


def _bulk_returning_mandate_delivery(connection: sa.Connection, org: int) -> int:
    result = connection.execute(
        sa.insert(table("bs_delivery")).returning(table("bs_delivery").c.id),
        {"organisation_id": org, "direction": "in", "delivery_type": "0603",
         "delivery_serial": "0000000001", "data_supplier_cvr": CVR, "created": date(2020, 1, 1),
         "file_name": "bench-0603", "sha256": "0" * 64, "recorded_at": utc_now(),
         "recorded_by": "bench", "records": 0, "amount_oere": 0, "payments": 0, "rejected": 0,
         "cancelled": 0, "charged_back": 0, "suspense": 0, "mandates": 0},
    )  # fmt: skip
    return int(result.scalar_one())


def settle(engine: Engine) -> None:
    """What autovacuum would do after the bulk set-up: fresh planner statistics."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    else:
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")


def answer(collections: list[Collection]) -> bytes:
    """The 0602 BS sends back for a 0601's collections."""
    records: list[AutomaticPayment] = []
    for number, collection in enumerate(collections):
        code = PaymentCode.REJECTED if number % 100 in (1, 2) else PaymentCode.COMPLETED
        records.append(_payment(collection, code))
        if number % 100 == 3:
            records.append(_payment(collection, PaymentCode.CHARGED_BACK, date(2026, 4, 20)))
    delivery = build_payment_delivery(
        data_supplier_cvr=CVR, delivery_serial="0000000777", created=APRIL, payments=records
    )
    return write(delivery)


def _payment(collection: Collection, code: PaymentCode, actual: date = APRIL) -> AutomaticPayment:
    moved = code is not PaymentCode.REJECTED
    return AutomaticPayment(
        pbs_number=PBS, transaction_code=code, debtor_group=GROUP,
        customer_number=collection.customer_number.rjust(15, "0"),
        agreement_number=collection.agreement_number, payment_date=collection.payment_date,
        sign=Sign.WITHDRAWAL, amount=collection.amount,
        creditor_reference=collection.creditor_reference,
        actual_payment_date=actual if moved else None, bookkeeping_date=actual if moved else None,
        amount_paid=collection.amount if moved else 0,
    )  # fmt: skip


def run(kind: str, records: int) -> float:
    with database(kind) as engine:
        started = time.perf_counter()
        with unit_of_work(engine) as session:
            org = set_up(session, records)
        print(f"{kind}: {records:,} tenancies set up in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        with unit_of_work(engine) as session:
            organisation = session.exec(select(Organisation).where(Organisation.id == org)).one()
            exported = export_month(
                session, organisation, Month(2026, 4), today=date(2026, 3, 20),
                exported_by="bench", file_name="0601-2026-04.txt",
            )  # fmt: skip
        print(
            f"{kind}: export of April (charges posted, {exported.collections:,} collections) "
            f"in {time.perf_counter() - started:.1f} s"
        )
        settle(engine)
        collections = [r for r in parse(exported.data).records() if isinstance(r, Collection)]
        data = answer(collections)
        started = time.perf_counter()
        with unit_of_work(engine) as session:
            report = import_file(session, data, "0602-777.txt", today=APRIL, imported_by="bench")
        seconds = time.perf_counter() - started
        [org_report] = report.organisations
        lines = org_report.records
        print(
            f"{kind}: import of {lines:,} 0602 records ({org_report.payments:,} payments, "
            f"{org_report.rejected:,} rejected, {org_report.charged_back:,} charged back, "
            f"{org_report.suspense} on the suspense list) in {seconds:.1f} s: "
            f"{lines / seconds:,.0f} records/s"
        )
        return seconds


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--records", type=int, default=100_000)
    options.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    args = options.parse_args(argv)
    if not 1 <= args.records <= 1_000_000:
        options.error("--records must be within 1..1000000")
    kinds = ("postgresql", "sqlite") if args.database == "both" else (args.database,)
    for kind in kinds:
        seconds = run(kind, args.records)
        if kind == "postgresql" and args.records == 100_000:
            verdict = "within" if seconds < TARGET_SECONDS_POSTGRESQL else "over"
            print(f"postgresql: {verdict} the {TARGET_SECONDS_POSTGRESQL:.0f} s target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
