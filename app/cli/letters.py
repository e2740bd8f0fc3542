"""``almen letters``: write a stored letter or a day's print file to disk (checksum verified)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sqlmodel import select

from app.cli import args as types
from app.cli.context import CliContext, CliError
from ledger.registry import require_organisation
from workflows.arrears.letters import pdf_checksum
from workflows.arrears.models import Letter, PrintBatch


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "letters", help="export stored letters (PDF) and print files"
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    export: argparse.ArgumentParser = actions.add_parser("export", help="one letter as PDF")
    export.add_argument("id", type=int)
    export.add_argument("--out", type=Path, required=True)
    export.set_defaults(handler=export_letter)
    printed: argparse.ArgumentParser = actions.add_parser(
        "print-file", help="the day's print file of an organisation as PDF"
    )
    printed.add_argument("--organisation", type=types.cvr, required=True)
    printed.add_argument("--date", type=types.iso_date, required=True)
    printed.add_argument("--out", type=Path, required=True)
    printed.set_defaults(handler=export_print_file)


def _write(context: CliContext, out: Path, pdf: bytes, checksum: str, what: str) -> None:
    if pdf_checksum(pdf) != checksum:
        raise CliError(f"{what}: the stored PDF does not match its SHA-256; not written")
    out.write_bytes(pdf)
    context.print(f"{what}: {len(pdf)} bytes written to {out} (sha256 {checksum})")


def export_letter(args: argparse.Namespace, context: CliContext) -> int:
    with context.unit_of_work() as session:
        letter = session.get(Letter, args.id)
        if letter is None:
            raise CliError(f"no letter {args.id}")
        _write(context, args.out, letter.pdf, letter.checksum, f"letter {args.id}")
    return 0


def export_print_file(args: argparse.Namespace, context: CliContext) -> int:
    with context.unit_of_work() as session:
        organisation = require_organisation(session, args.organisation)
        batch = session.exec(
            select(PrintBatch).where(
                PrintBatch.organisation_id == organisation.id, PrintBatch.print_date == args.date
            )
        ).first()
        if batch is None:
            raise CliError(f"no print file for {args.organisation} on {args.date.isoformat()}")
        what = f"print file {batch.id} ({batch.letter_count} letters)"
        _write(context, args.out, batch.pdf, batch.checksum, what)
    return 0
