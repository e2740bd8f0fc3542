"""``almen balance``: a tenancy's balance and open items as of a day."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli import args as types
from app.cli.context import CliContext
from ledger.accounts import tenancy_statement
from ledger.money import format_kr
from ledger.registry import require_organisation, tenancy_on


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "balance", help="a tenancy's balance and open items (judged by payment date)"
    )
    parser.add_argument("--organisation", type=types.cvr, required=True, help="CVR")
    parser.add_argument("--unit", required=True, help="unit number")
    parser.add_argument("--as-of", type=types.iso_date, help="default: today")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, context: CliContext) -> int:
    as_of = args.as_of or context.today()
    with context.unit_of_work() as session:
        organisation = require_organisation(session, args.organisation)
        assert organisation.id is not None
        tenancy = tenancy_on(session, organisation.id, args.unit, as_of)
        assert tenancy.id is not None
        statement = tenancy_statement(session, organisation.id, tenancy.id, as_of)
    items = [
        {
            "due_date": item.due_date.isoformat(),
            "charge_type": item.charge_type,
            "text": item.label,
            "amount_oere": item.amount_oere,
            "open_oere": item.open_oere,
            "pligtig": item.pligtig,
        }
        for item in statement.open_items
    ]
    if args.json:
        context.print_json(
            {
                "organisation_cvr": organisation.cvr,
                "unit_number": args.unit,
                "tenancy_id": tenancy.id,
                "as_of": as_of.isoformat(),
                "balance_oere": statement.balance_oere,
                "overdue_pligtig_oere": statement.overdue_pligtig_oere,
                "open_items": items,
            }
        )
        return 0
    context.print(f"Lejemål {args.unit} pr. {as_of.isoformat()}")
    context.print(f"Saldo: {format_kr(statement.balance_oere, suffix=True)}")
    context.print(
        f"Forfalden pligtig restance: {format_kr(statement.overdue_pligtig_oere, suffix=True)}"
    )
    for open_item in statement.open_items:
        pligtig = "pligtig" if open_item.pligtig else "ikke pligtig"
        context.print(
            f"  {open_item.due_date.isoformat()}  {open_item.label:<30} "
            f"{format_kr(open_item.open_oere):>12}  ({pligtig})"
        )
    return 0
