"""Argument types shared by the commands: they fail with a message naming the value."""

from __future__ import annotations

import argparse
from datetime import date

from ledger.identifiers import IdentifierError, check_cvr
from ledger.months import Month


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def month(text: str) -> Month:
    try:
        return Month.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def cvr(text: str) -> str:
    try:
        return check_cvr(text)
    except IdentifierError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def year(text: str) -> int:
    if not text.isdigit() or len(text) != 4:
        raise argparse.ArgumentTypeError(f"expected a year as YYYY, got {text!r}")
    return int(text)
