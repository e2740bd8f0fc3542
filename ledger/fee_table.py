"""The påkrav fee table in the database: editable without a code change (``almen fee set``)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from ledger.fees import FeeLookup, FeeRow, check_fee_row, fee_for_year, shipped_fee_rows
from ledger.models import PakravFee
from ledger.types import utc_now


def load_fee_rows(session: Session) -> list[FeeRow]:
    """The whole table, oldest year first."""
    rows = session.exec(select(PakravFee).order_by(col(PakravFee.year))).all()
    return [FeeRow(row.year, row.amount_kr, row.source, row.confirmed) for row in rows]


def lookup_fee(session: Session, year: int) -> FeeLookup:
    """The fee for a påkrav dispatched in ``year`` (see ``ledger.fees.fee_for_year``)."""
    return fee_for_year(load_fee_rows(session), year)


def set_fee(session: Session, row: FeeRow, *, by: str) -> PakravFee:
    """Add a year, or correct/confirm one. Setting a year by hand marks it confirmed."""
    check_fee_row(row)
    existing = session.get(PakravFee, row.year)
    if existing is None:
        existing = PakravFee(year=row.year, amount_kr=row.amount_kr, source=row.source)
        session.add(existing)
    existing.amount_kr = row.amount_kr
    existing.source = row.source
    existing.confirmed = row.confirmed
    existing.updated_at = utc_now()
    existing.updated_by = by
    session.flush()
    return existing


def sync_shipped_fees(session: Session) -> list[int]:
    """Insert the shipped years the database lacks; confirm an unconfirmed year when the
    shipped table confirms the same amount. Never overwrites what a person set."""
    changed = []
    for shipped in shipped_fee_rows():
        existing = session.get(PakravFee, shipped.year)
        if existing is None:
            session.add(
                PakravFee(
                    year=shipped.year,
                    amount_kr=shipped.amount_kr,
                    source=shipped.source,
                    confirmed=shipped.confirmed,
                    updated_by="shipped table",
                )
            )
            changed.append(shipped.year)
        elif (
            shipped.confirmed and not existing.confirmed and existing.amount_kr == shipped.amount_kr
        ):
            existing.confirmed = True
            existing.source = shipped.source
            existing.updated_at = utc_now()
            existing.updated_by = "shipped table"
            changed.append(shipped.year)
    session.flush()
    return changed
