"""``almen deadlines``: the legal dates for one due date (domain.md §2)."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from app.cli import args as types
from app.cli.context import CliContext
from ledger.calendar import pakrav_dates

WEEKDAYS_DA = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
LABELS = {
    "due": "Forfaldsdag",
    "last_timely_payment_day": "Sidste rettidige betalingsdag",
    "earliest_pakrav": "Tidligste påkrav",
    "arrival": "Påkravet kommer frem",
    "deadline": "Påkravsfrist (betaling senest)",
    "earliest_termination": "Tidligste ophævelse",
}


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "deadlines", help="påkrav, deadline and termination dates for a due date"
    )
    parser.add_argument("--due", type=types.iso_date, required=True, help="due date YYYY-MM-DD")
    parser.add_argument(
        "--arrival",
        type=types.iso_date,
        help="the day the påkrav arrived (default: the earliest påkrav day, Digital Post)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, context: CliContext) -> int:
    dates = pakrav_dates(args.due, args.arrival)
    values: dict[str, date] = {
        "due": dates.due,
        "last_timely_payment_day": dates.last_timely_payment_day,
        "earliest_pakrav": dates.earliest_pakrav,
        "arrival": dates.arrival,
        "deadline": dates.deadline,
        "earliest_termination": dates.earliest_termination,
    }
    if args.json:
        context.print_json({key: value.isoformat() for key, value in values.items()})
        return 0
    for key, value in values.items():
        context.print(f"{LABELS[key]:<32} {value.isoformat()} ({WEEKDAYS_DA[value.weekday()]})")
    return 0
