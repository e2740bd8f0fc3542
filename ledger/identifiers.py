"""Danish identifiers: CVR (organisations) and CPR (persons), via python-stdnum.

Errors are values: each ``check_*`` returns the normalised number or raises
``IdentifierError`` with a message that never contains a full CPR number.
"""

from __future__ import annotations

from datetime import date

from stdnum.dk import cpr as stdnum_cpr
from stdnum.dk import cvr as stdnum_cvr
from stdnum.exceptions import ValidationError

KOMMUNEKODE_MIN = 101
KOMMUNEKODE_MAX = 999


class IdentifierError(ValueError):
    """A malformed CVR, CPR or kommunekode."""


def check_cvr(number: str) -> str:
    """Validate a CVR number (8 digits, modulus-11 check) and return it compacted."""
    try:
        return str(stdnum_cvr.validate(number))
    except ValidationError as exc:
        raise IdentifierError(f"invalid CVR number {number!r}: {exc}") from exc


def check_cpr(number: str) -> str:
    """Validate a CPR number and return its 10 digits.

    Checks length, digits and the embedded birth date. The modulus-11 check is deliberately
    *not* applied: CPR numbers without it have been issued since 2007 (domain.md §1). Unlike
    ``stdnum.dk.cpr.validate`` this does not compare the birth date with today's date, which
    domain code never reads.
    """
    compact = str(stdnum_cpr.compact(number))
    if not compact.isdigit() or len(compact) != 10:
        raise IdentifierError(f"invalid CPR number {mask_cpr(number)}: expected 10 digits")
    try:
        birth: date = stdnum_cpr.get_birth_date(compact)
    except ValidationError as exc:
        raise IdentifierError(f"invalid CPR number {mask_cpr(number)}: no such birth date") from exc
    assert birth.year >= 1858, "CPR birth years start in 1858"
    return compact


def mask_cpr(number: str) -> str:
    """Show a CPR number the way logs and letters may: birth date only ("010190-****")."""
    digits = "".join(ch for ch in number if ch.isdigit())
    if len(digits) < 6:
        return "******-****"
    return f"{digits[:6]}-****"


def check_kommunekode(code: int) -> int:
    """A Danish municipality code is three digits, 101-999 (e.g. 101 København, 851 Aalborg)."""
    if not KOMMUNEKODE_MIN <= code <= KOMMUNEKODE_MAX:
        raise IdentifierError(f"invalid municipality code {code}: expected 101-999")
    return code
