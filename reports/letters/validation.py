"""Checks a letter's data must pass before it is drawn.

A renderer cannot tell whether the arrears are right, but it can refuse a letter that is void
on its face: a påkrav whose deadline is shorter than 14 days (ALL § 90, stk. 2), a demand for an
item not yet due, an eviction request filed before the municipality was told (ALL § 92,
stk. 2), a CPR number in the text. Each failure raises :class:`LetterError` naming the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta

from ledger.calendar import is_bank_day
from ledger.money import check_amount
from workflows.arrears.letter_data import (
    ClaimLine,
    EvictionRequest,
    PakravLetter,
    Recipient,
    Sender,
    TerminationLetter,
)

MAX_LINES = 200  # claim lines per letter
MAX_NAMES = 8  # tenants on one lease
MAX_TEXT = 300  # characters in one field
PAKRAV_DAYS = 14  # ALL § 90, stk. 2, 1. pkt.

# A CPR number as people write it: ddmmyy-ssss with a real date. Account numbers ("1234
# 0001234567", "FI +71 <12345678") do not look like this, so they pass.
_CPR = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{2})-(\d{4})(?!\d)")


class LetterError(ValueError):
    """Letter data that would give a void or unlawful letter."""


def _looks_like_cpr(text: str) -> bool:
    for match in _CPR.finditer(text):
        day, month, year = (int(g) for g in match.groups()[:3])
        try:
            date(2000 + year, month, day)
        except ValueError:
            continue
        return True
    return False


def _check_text(field: str, value: str, *, required: bool = True) -> None:
    if required and not value.strip():
        raise LetterError(f"{field} is empty")
    if len(value) > MAX_TEXT:
        raise LetterError(f"{field} is longer than {MAX_TEXT} characters")
    if _looks_like_cpr(value):
        raise LetterError(f"{field} contains what looks like a CPR number; letters carry none")


def _check_sender(sender: Sender) -> None:
    for field in ("name", "address", "postcode", "city", "cvr"):
        _check_text(f"sender.{field}", getattr(sender, field))
    for field in ("phone", "email", "payment_details"):
        _check_text(f"sender.{field}", getattr(sender, field), required=False)


def _check_recipient(field: str, recipient: Recipient) -> None:
    if not recipient.names:
        raise LetterError(f"{field}.names is empty: a letter is addressed to the tenant by name")
    if len(recipient.names) > MAX_NAMES:
        raise LetterError(f"{field}.names has more than {MAX_NAMES} names")
    for i, name in enumerate(recipient.names):
        _check_text(f"{field}.names[{i}]", name)
    for part in ("address", "postcode", "city"):
        _check_text(f"{field}.{part}", getattr(recipient, part))


def _check_lines(lines: Iterable[ClaimLine], *, latest_due: date, what: str) -> None:
    lines = tuple(lines)
    if not lines:
        raise LetterError(f"{what} has no claim lines")
    if len(lines) > MAX_LINES:
        raise LetterError(f"{what} has more than {MAX_LINES} claim lines")
    for i, line in enumerate(lines):
        _check_text(f"lines[{i}].text", line.text)
        if line.amount_oere <= 0:
            raise LetterError(f"lines[{i}] ({line.text!r}) is not a positive amount")
        check_amount(line.amount_oere)
        if line.due_date > latest_due:
            raise LetterError(
                f"lines[{i}] ({line.text!r}) falls due {line.due_date.isoformat()}, after "
                f"{latest_due.isoformat()}: it is not in arrears"
            )


def _check_deadline(pakrav_date: date, deadline: date) -> None:
    """ALL § 90, stk. 2: at least 14 days after arrival (never before sending), ending on a
    bank day (a deadline on a helligdag, Saturday or Grundlovsdag moves on)."""
    if deadline < pakrav_date + timedelta(days=PAKRAV_DAYS):
        raise LetterError(
            f"deadline {deadline.isoformat()} is less than {PAKRAV_DAYS} days after the påkrav "
            f"of {pakrav_date.isoformat()} (ALL § 90, stk. 2)"
        )
    if not is_bank_day(deadline):
        raise LetterError(
            f"deadline {deadline.isoformat()} is a helligdag, Saturday or Grundlovsdag: the "
            "deadline moves to the next bank day (ALL § 90, stk. 2, 4. pkt.)"
        )


def _check_case(unit_number: str, case_reference: str) -> None:
    _check_text("unit_number", unit_number)
    _check_text("case_reference", case_reference)


def check_pakrav(letter: PakravLetter) -> None:
    """Påkrav (ALL § 90, stk. 2)."""
    _check_sender(letter.sender)
    _check_recipient("recipient", letter.recipient)
    _check_case(letter.unit_number, letter.case_reference)
    # Only what is overdue may be demanded (ALL § 90, stk. 2); the workflow enforces the
    # three hverdage, this catches an item not even due yet.
    _check_lines(letter.lines, latest_due=letter.dispatch_date - timedelta(days=1), what="påkrav")
    if letter.fee_oere < 0:
        raise LetterError("fee_oere is negative")
    check_amount(letter.fee_oere)
    if letter.fee_oere > 0:
        _check_text("fee_text", letter.fee_text)
    _check_deadline(letter.dispatch_date, letter.deadline)


def check_termination(letter: TerminationLetter) -> None:
    """Ophævelse (ALL § 90, stk. 1, nr. 1): only after the påkrav deadline has passed."""
    _check_sender(letter.sender)
    _check_recipient("recipient", letter.recipient)
    _check_case(letter.unit_number, letter.case_reference)
    _check_deadline(letter.pakrav_date, letter.deadline)
    if letter.termination_date <= letter.deadline:
        raise LetterError(
            f"termination_date {letter.termination_date.isoformat()} is not after the deadline "
            f"{letter.deadline.isoformat()}: payment on the deadline day is in time"
        )
    _check_lines(letter.lines, latest_due=letter.termination_date, what="ophævelse")


def check_eviction_request(request: EvictionRequest) -> None:
    """Anmodning om udsættelse; ALL § 92, stk. 2: the municipality is told no later than the
    request is filed."""
    _check_sender(request.sender)
    _check_text("court", request.court)
    _check_recipient("tenant", request.tenant)
    _check_case(request.unit_number, request.case_reference)
    _check_text("municipality_name", request.municipality_name)
    _check_deadline(request.pakrav_date, request.deadline)
    if request.termination_date <= request.deadline:
        raise LetterError("termination_date is not after the påkrav deadline")
    if request.request_date < request.termination_date:
        raise LetterError("request_date is before the termination_date")
    if request.municipality_notified_on > request.request_date:
        raise LetterError(
            f"municipality_notified_on {request.municipality_notified_on.isoformat()} is after "
            f"the request date {request.request_date.isoformat()}: the municipality must be "
            "told no later than at the same time (ALL § 92, stk. 2)"
        )
    if request.children_in_household is not None and request.children_in_household < 0:
        raise LetterError("children_in_household is negative")
    _check_lines(request.lines, latest_due=request.request_date, what="anmodning om udsættelse")


# Public names for the letters built outside this module (move-out letters).
check_text = _check_text
check_sender = _check_sender
check_recipient = _check_recipient
check_case = _check_case
