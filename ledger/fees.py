"""The påkrav fee (påkravsgebyr), ALL § 90, stk. 2, 5.-8. pkt.

250 kr in 2009 level, indexed yearly by Danmarks Statistik's nettoprisindeks and rounded to
whole kroner; the fee is itself a pligtig pengeydelse. The yearly amounts are *data* (a table
with a source and a confirmed flag per year), never a formula: a fee above the legal amount is
unlawful, so for a year with no amount the newest known amount is used (never more) with a
warning.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

FIRST_FEE_YEAR = 2010  # the first year the indexed amount applies (2009 level = 250 kr)
MAX_FEE_KR = 2_000  # no plausible indexed fee comes near this; larger is a typing error


class FeeError(ValueError):
    """A fee year or amount the table cannot hold or answer."""


@dataclass(frozen=True, slots=True)
class FeeRow:
    """One year of the fee table."""

    year: int
    amount_kr: int
    source: str
    confirmed: bool


@dataclass(frozen=True, slots=True)
class FeeLookup:
    """The fee that applies to a påkrav dispatched in ``year``."""

    year: int
    amount_kr: int
    source: str
    confirmed: bool
    from_year: int  # the table year the amount was taken from
    warning: str | None

    @property
    def amount_oere(self) -> int:
        return self.amount_kr * 100


def check_fee_row(row: FeeRow) -> FeeRow:
    """Validate a row before it enters the table."""
    if row.year < FIRST_FEE_YEAR:
        raise FeeError(f"year {row.year} is before {FIRST_FEE_YEAR}: the indexed fee starts then")
    if not 0 < row.amount_kr <= MAX_FEE_KR:
        raise FeeError(f"fee {row.amount_kr} kr for {row.year} is outside 1-{MAX_FEE_KR} kr")
    if not row.source.strip():
        raise FeeError(f"fee for {row.year} needs a source (e.g. the ministry's guidance)")
    return row


def fee_for_year(table: Sequence[FeeRow], year: int) -> FeeLookup:
    """The påkrav fee for a påkrav dispatched in ``year`` (ALL § 90, stk. 2, 5. pkt.).

    A year in the table gets its amount. A year with no amount gets the newest amount of an
    earlier year, never a later (higher) one, and a warning.
    """
    if year < FIRST_FEE_YEAR:
        raise FeeError(f"no påkrav fee before {FIRST_FEE_YEAR}: year {year} is out of range")
    known = [row for row in table if row.year <= year]
    if not known:
        raise FeeError(f"the fee table has no amount for {year} or any earlier year")
    best = max(known, key=lambda row: row.year)
    warning = None
    if best.year != year:
        warning = (
            f"no påkrav fee configured for {year}; using {best.amount_kr} kr from {best.year}, "
            f"the newest known amount (never more). Add it with: almen fee set --year {year}"
        )
    elif not best.confirmed:
        warning = f"the {year} fee of {best.amount_kr} kr is not confirmed ({best.source})"
    return FeeLookup(
        year=year,
        amount_kr=best.amount_kr,
        source=best.source,
        confirmed=best.confirmed and best.year == year,
        from_year=best.year,
        warning=warning,
    )


def parse_fee_rows(lines: Iterable[str]) -> list[FeeRow]:
    """Read the shipped fee table (CSV: year, amount_kr, source, confirmed)."""
    rows = []
    for record in csv.DictReader(lines):
        rows.append(
            check_fee_row(
                FeeRow(
                    year=int(record["year"]),
                    amount_kr=int(record["amount_kr"]),
                    source=record["source"],
                    confirmed=record["confirmed"].strip().lower() == "true",
                )
            )
        )
    years = [row.year for row in rows]
    assert len(years) == len(set(years)), "the shipped fee table repeats a year"
    return rows


def shipped_fee_rows() -> list[FeeRow]:
    """The fee table that ships with almen (``ledger/data/pakrav_fees.csv``)."""
    text = resources.files("ledger").joinpath("data/pakrav_fees.csv").read_text("utf-8")
    return parse_fee_rows(text.splitlines())
