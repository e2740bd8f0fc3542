"""``almen settings arrears``: an organisation's arrears settings (show, or change some)."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli import args as types
from app.cli.context import CliContext
from ledger.money import format_kr, parse_kroner
from ledger.registry import require_organisation
from workflows.arrears.config import config_as_json, load_config, update_settings


def yes_no(text: str) -> bool:
    value = text.strip().lower()
    if value in ("yes", "ja", "true", "1"):
        return True
    if value in ("no", "nej", "false", "0"):
        return False
    raise argparse.ArgumentTypeError(f"expected yes or no, got {text!r}")


def kroner(text: str) -> int:
    try:
        return parse_kroner(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


OPTIONS: tuple[tuple[str, str, Any, str], ...] = (
    ("--min-arrears", "min_arrears_oere", kroner,
     "kroner; below it no påkrav (uvæsentlig, ALL § 91 stk. 1); default 500"),
    ("--arrival-bank-days", "letter_arrival_bank_days", int,
     "bank days a posted letter is assumed to take (default 5)"),
    ("--digital-post-connected", "digital_post_connected", yes_no,
     "yes/no: connected to Digital Post (ALL § 5 stk. 3); default yes"),
    ("--hold-pakrav", "hold_pakrav_for_approval", yes_no,
     "yes/no: påkrav wait for a person's approval; default no"),
    ("--nightly-time", "nightly_time", str, "HH:MM Copenhagen time (default 02:30)"),
    ("--cases-from", "cases_from", types.iso_date,
     "first due date almen handles (default: the ledger start)"),
    ("--contact-name", "contact_name", str, "contact person for municipalities"),
    ("--contact-phone", "contact_phone", str, "phone on letters and notifications"),
    ("--contact-email", "contact_email", str, "e-mail on letters and notifications"),
    ("--payment-details", "payment_details", str, "how to pay, printed on letters"),
    ("--bailiff-court", "bailiff_court", str, "e.g. 'Fogedretten i Aarhus'"),
)  # fmt: skip


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "settings", help="organisation settings (arrears)"
    )
    groups = parser.add_subparsers(dest="group", metavar="GROUP", required=True)
    arrears: argparse.ArgumentParser = groups.add_parser(
        "arrears", help="show or change the arrears settings of an organisation"
    )
    arrears.add_argument("--organisation", type=types.cvr, required=True, help="CVR")
    for flag, dest, kind, text in OPTIONS:
        arrears.add_argument(flag, dest=dest, type=kind, help=text)
    arrears.add_argument("--by", default="cli", help="who changes them (kept on the row)")
    arrears.add_argument("--json", action="store_true", help="print JSON")
    arrears.set_defaults(handler=run)


def run(args: argparse.Namespace, context: CliContext) -> int:
    changes = {dest: getattr(args, dest) for _, dest, _, _ in OPTIONS}
    changes = {name: value for name, value in changes.items() if value is not None}
    with context.unit_of_work() as session:
        organisation = require_organisation(session, args.organisation)
        if changes:
            update_settings(session, organisation, changes, by=f"cli:{args.by}")
        config = load_config(session, organisation)
    values = config_as_json(config)
    if args.json:
        context.print_json(values)
        return 0
    for name, value in values.items():
        shown = format_kr(int(str(value)), suffix=True) if name.endswith("_oere") else value
        context.print(f"{name:<26} {shown}")
    return 0
