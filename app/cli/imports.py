"""``almen import tenancies|payments|ledger FILE``: moving in from the old system."""

from __future__ import annotations

import argparse
import getpass
from dataclasses import asdict
from pathlib import Path
from typing import Any

from app.cli import args as types
from app.cli.context import CliContext
from integrations.csvimport.ledger_history import import_ledger
from integrations.csvimport.payments import import_payments
from integrations.csvimport.reader import read_csv
from integrations.csvimport.tenancies import import_tenancies
from ledger.money import format_kr


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "import", help="import tenancies, payments or ledger history from CSV"
    )
    kinds = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
    tenancies: argparse.ArgumentParser = kinds.add_parser("tenancies", help="tenancies CSV")
    tenancies.add_argument(
        "--ledger-start",
        type=types.iso_date,
        help="cut-over date for new organisations (default: first day of next month)",
    )
    tenancies.set_defaults(handler=run_tenancies)
    payments: argparse.ArgumentParser = kinds.add_parser("payments", help="payments CSV")
    payments.set_defaults(handler=run_payments)
    history: argparse.ArgumentParser = kinds.add_parser("ledger", help="ledger history CSV")
    history.set_defaults(handler=run_ledger)
    for sub in (tenancies, payments, history):
        sub.add_argument("file", type=Path, help="the CSV file (UTF-8 or Windows-1252)")
        sub.add_argument("--by", default=None, help="who imports (kept with the import)")
        sub.add_argument("--json", action="store_true", help="print JSON")


def _by(args: argparse.Namespace) -> str:
    return str(args.by or f"cli:{getpass.getuser()}")[:100]


def run_tenancies(args: argparse.Namespace, context: CliContext) -> int:
    file = read_csv(args.file)
    with context.unit_of_work() as session:
        report = import_tenancies(
            session,
            file,
            ledger_start=args.ledger_start,
            today=context.today(),
            imported_by=_by(args),
        )
    if args.json:
        context.print_json(asdict(report))
        return 0
    context.print(
        f"{file.filename}: {report.tenancies_created} tenancies created "
        f"({report.tenants_created} tenants, {report.recurring_charges_created} recurring "
        f"charges), {report.tenancies_unchanged} already registered"
    )
    for cvr in report.organisations_created:
        context.print(f"new organisation: CVR {cvr}")
    return 0


def run_payments(args: argparse.Namespace, context: CliContext) -> int:
    return _run_postings(args, context, import_payments, "payments")


def run_ledger(args: argparse.Namespace, context: CliContext) -> int:
    return _run_postings(args, context, import_ledger, "entries")


def _run_postings(args: argparse.Namespace, context: CliContext, importer: Any, noun: str) -> int:
    file = read_csv(args.file)
    with context.unit_of_work() as session:
        report = importer(session, file, today=context.today(), imported_by=_by(args))
    if args.json:
        context.print_json(asdict(report))
        return 0
    context.print(
        f"{file.filename}: {report.posted} {noun} posted "
        f"(charged {format_kr(report.charged_oere, suffix=True)}, "
        f"paid/credited {format_kr(report.credited_oere, suffix=True)}), "
        f"{report.already_imported} imported before (unchanged)"
    )
    return 0
