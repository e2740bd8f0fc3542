"""``almen charge``: post a month's recurring charges for every active tenancy (idempotent)."""

from __future__ import annotations

import argparse
from typing import Any

from sqlmodel import col, select

from app.cli import args as types
from app.cli.context import CliContext
from ledger.charging import post_month_charges
from ledger.models import Organisation
from ledger.registry import require_organisation


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "charge", help="post a month's recurring charges (rent, a conto, ...)"
    )
    parser.add_argument("--month", type=types.month, required=True, help="YYYY-MM")
    parser.add_argument("--organisation", type=types.cvr, help="only this CVR")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, context: CliContext) -> int:
    summary = []
    with context.unit_of_work() as session:
        if args.organisation:
            organisations = [require_organisation(session, args.organisation)]
        else:
            organisations = list(session.exec(select(Organisation).order_by(col(Organisation.id))))
        for organisation in organisations:
            result = post_month_charges(
                session,
                organisation,
                args.month,
                booking_date=context.today(),
                created_by="cli:charge",
            )
            summary.append(
                {
                    "cvr": organisation.cvr,
                    "month": str(args.month),
                    "posted": len(result.posted),
                    "already_posted": result.already_posted,
                }
            )
    if args.json:
        context.print_json(summary)
        return 0
    for row in summary:
        context.print(
            f"{row['cvr']} {row['month']}: {row['posted']} charges posted, "
            f"{row['already_posted']} were posted already"
        )
    return 0
