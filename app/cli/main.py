"""The ``almen`` command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from contextlib import redirect_stderr, redirect_stdout

from app.auth.passwords import PasswordError
from app.auth.service import AuthError
from app.cli import (
    arrears_settings,
    balance,
    bs,
    cases,
    charge,
    deadlines,
    demo,
    fee,
    imports,
    init,
    letters,
    moveout,
    municipality,
    nightly,
    notifications,
    plans,
    report,
    serve,
    users,
    vacancy,
)
from app.cli.context import CliContext, CliError
from integrations.betalingsservice.errors import BsError
from integrations.csvimport.errors import ImportRejected
from ledger.calendar import CalendarError
from ledger.fees import FeeError
from ledger.identifiers import IdentifierError
from ledger.money import MoneyError
from ledger.posting import PostingError
from ledger.registry import RegistryError
from reports.letters.validation import LetterError
from reports.model import ReportError
from workflows.arrears.config import SettingsError
from workflows.arrears.nightly import NightlyError
from workflows.arrears.service import CaseError
from workflows.arrears.states import TransitionError
from workflows.moveout.service import MoveoutError
from workflows.moveout.validation import SettlementInputError
from workflows.notifications.registry import MunicipalityError

COMMANDS = (
    init, deadlines, fee, charge, imports, balance, nightly, cases, notifications, municipality,
    plans, letters, moveout, vacancy, bs, arrears_settings, report, demo, serve, users,
)  # fmt: skip
# Errors that mean "the input was wrong": reported in one line, exit code 1, nothing written.
INPUT_ERRORS = (
    AuthError,
    PasswordError,
    BsError,
    CliError,
    CalendarError,
    CaseError,
    FeeError,
    IdentifierError,
    ImportRejected,
    LetterError,
    MoneyError,
    MoveoutError,
    MunicipalityError,
    NightlyError,
    PostingError,
    RegistryError,
    ReportError,
    SettingsError,
    SettlementInputError,
    TransitionError,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="almen",
        description="Rent ledger, arrears and move-out for Danish social housing (almene boliger).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMANDS:
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None, context: CliContext | None = None) -> int:
    """Run one command; returns the process exit code."""
    try:
        context = context or CliContext()
    except ValueError as exc:  # a malformed ALMEN_* setting in the environment
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        with redirect_stdout(context.stdout), redirect_stderr(context.stderr):
            args = build_parser().parse_args(argv)
    except SystemExit as exited:  # usage errors and --help
        return exited.code if isinstance(exited.code, int) else 2
    try:
        result: int = args.handler(args, context)
        return result
    except INPUT_ERRORS as exc:
        print(f"error: {exc}", file=context.stderr)
        return getattr(exc, "exit_code", 1)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
