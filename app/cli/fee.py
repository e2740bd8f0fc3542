"""``almen fee``: the påkrav fee table (ALL § 90, stk. 2)."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli import args as types
from app.cli.context import CliContext
from ledger.fee_table import load_fee_rows, lookup_fee, set_fee
from ledger.fees import FeeRow


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "fee", help="the påkrav fee of a year (whole kroner); `fee set` adds or confirms a year"
    )
    parser.add_argument("--year", type=types.year, help="the year of dispatch")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=show)
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    setter: argparse.ArgumentParser = actions.add_parser("set", help="add or confirm a year")
    setter.add_argument("--year", type=types.year, required=True)
    setter.add_argument("--amount", type=int, required=True, help="whole kroner")
    setter.add_argument("--source", required=True, help="e.g. VEJ nr. 9886 af 04/09/2025")
    setter.add_argument("--by", default="cli", help="who confirms it (kept in the table)")
    setter.set_defaults(handler=set_year)


def show(args: argparse.Namespace, context: CliContext) -> int:
    with context.unit_of_work() as session:
        if args.year is None:
            rows = load_fee_rows(session)
            for row in rows:
                mark = "confirmed" if row.confirmed else "NOT confirmed"
                context.print(f"{row.year}  {row.amount_kr:>4} kr  {mark:<13}  {row.source}")
            return 0
        fee = lookup_fee(session, args.year)
    if fee.warning:
        context.warn(fee.warning)
    if args.json:
        context.print_json(
            {
                "year": fee.year,
                "amount_kr": fee.amount_kr,
                "source": fee.source,
                "confirmed": fee.confirmed,
            }
        )
    else:
        context.print(str(fee.amount_kr))
    return 0


def set_year(args: argparse.Namespace, context: CliContext) -> int:
    with context.unit_of_work() as session:
        row = set_fee(
            session, FeeRow(args.year, args.amount, args.source.strip(), True), by=args.by
        )
        context.print(f"{row.year}: {row.amount_kr} kr, confirmed ({row.source})")
    return 0
