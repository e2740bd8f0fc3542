"""Money is an ``int`` number of øre everywhere in the core.

``Decimal`` appears only here, when parsing what people type and printing what they read.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

OERE_PER_KRONE = 100
# A single ledger amount above 100 million kroner is a typing error, not a rent.
MAX_AMOUNT_OERE = 100_000_000 * OERE_PER_KRONE

_DANISH_AMOUNT = re.compile(r"^-?\d{1,3}(\.\d{3})*(,\d{1,2})?$|^-?\d+(,\d{1,2})?$")


class MoneyError(ValueError):
    """An amount that cannot be read as kroner and øre."""


def kroner_to_oere(kroner: int) -> int:
    """Whole kroner to øre."""
    return kroner * OERE_PER_KRONE


def parse_oere(text: str) -> int:
    """Parse an integer øre amount as written in import files ("651200", "-2500")."""
    cleaned = text.strip()
    if not re.fullmatch(r"-?\d+", cleaned):
        raise MoneyError(f"not a whole number of øre: {text!r}")
    value = int(cleaned)
    check_amount(value)
    return value


def parse_kroner(text: str) -> int:
    """Parse a Danish kroner amount ("6.512,00", "6512,5", "-250") into øre."""
    cleaned = text.strip().removesuffix("kr.").removesuffix("kr").strip()
    if not _DANISH_AMOUNT.match(cleaned):
        raise MoneyError(f"not a Danish kroner amount: {text!r}")
    try:
        amount = Decimal(cleaned.replace(".", "").replace(",", "."))
    except InvalidOperation as exc:  # pragma: no cover - the regex already rules this out
        raise MoneyError(f"not a Danish kroner amount: {text!r}") from exc
    oere = int((amount * OERE_PER_KRONE).to_integral_value(rounding=ROUND_HALF_UP))
    check_amount(oere)
    return oere


def check_amount(oere: int) -> None:
    """Reject amounts no rent ledger can hold."""
    if abs(oere) > MAX_AMOUNT_OERE:
        raise MoneyError(f"amount {oere} øre exceeds the limit of {MAX_AMOUNT_OERE} øre")


def format_kr(oere: int, *, suffix: bool = False) -> str:
    """Format øre the Danish way: 123456 -> "1.234,56" (with ``suffix``: "1.234,56 kr.")."""
    sign = "-" if oere < 0 else ""
    kroner, rest = divmod(abs(oere), OERE_PER_KRONE)
    grouped = f"{kroner:,}".replace(",", ".")
    text = f"{sign}{grouped},{rest:02d}"
    return f"{text} kr." if suffix else text


def prorate(amount_oere: int, numerator: int, denominator: int) -> int:
    """``amount * numerator / denominator`` rounded half away from zero, in whole øre."""
    assert denominator > 0, "denominator must be positive"
    assert 0 <= numerator <= denominator, "proration share must be within 0..1"
    exact = Decimal(amount_oere) * numerator / denominator
    return int(exact.to_integral_value(rounding=ROUND_HALF_UP))
