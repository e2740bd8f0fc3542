"""The påkrav fee table (ALL § 90, stk. 2) at the desk. National data: every logged-in user
may read it; setting a year needs the ``admin`` role in at least one organisation, and its
audit row carries no organisation (``organisation_id`` None)."""

from __future__ import annotations

from sqlmodel import Session

from app.auth import audit
from app.auth.roles import Permission
from app.auth.service import Principal
from app.desk.errors import DeskError, Forbidden
from ledger.fee_table import load_fee_rows, set_fee
from ledger.fees import FeeError, FeeRow
from ledger.models import PakravFee


def fee_table(session: Session) -> list[FeeRow]:
    """Every year of the table, oldest first."""
    return load_fee_rows(session)


def set_fee_year(
    session: Session, principal: Principal, year: int, amount_kr: int, source: str
) -> FeeRow:
    """Add or correct one year (set by hand, so confirmed). ``Forbidden`` unless the
    principal is an admin somewhere; ``DeskError`` (409) for a year or amount out of range."""
    if not any(principal.may(org, Permission.ADMIN) for org in principal.roles):
        raise Forbidden("only an admin may change the påkrav fee table")
    existing = session.get(PakravFee, year)
    before = None
    if existing is not None:
        before = {"amount_kr": existing.amount_kr, "source": existing.source,
                  "confirmed": existing.confirmed}  # fmt: skip
    try:
        row = set_fee(session, FeeRow(year, amount_kr, source.strip(), True), by=principal.username)
    except FeeError as exc:
        raise DeskError(str(exc)) from exc
    audit.record(
        session,
        principal,
        "fee.set",
        organisation_id=None,
        object_type="pakrav_fee",
        object_id=year,
        before=before,
        after={"amount_kr": row.amount_kr, "source": row.source, "confirmed": row.confirmed},
    )
    return FeeRow(row.year, row.amount_kr, row.source, row.confirmed)
