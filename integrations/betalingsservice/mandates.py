"""Booking 0603 mandate information: which tenancies pay by Betalingsservice.

0230 (active) and 0231 (registered) make a mandate active; 0232 (cancelled by the debtor's
bank), 0233 (by the creditor) and 0234 (by BS) cancel it, with the end date BS gives. A mandate
is kept per customer number and agreement number; the tenancy is matched when the mandate is
first seen (``matching.CustomerIndex.for_mandate``) and stays with it: a new tenant of the same
unit does not inherit the previous tenant's mandate.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlmodel import Session, col, select

from ledger.bulk import lookup_chunk, one_of
from ledger.chunks import chunked
from ledger.types import utc_now

from .booking import Context, OrganisationReport
from .codes import MandateCode
from .matching import TenancyPeriod, load_customer_index
from .matching import normalise_customer_number as normalised
from .models import BsMandate, MandateStatus
from .records import Mandate

ACTIVE_CODES = frozenset((MandateCode.ACTIVE, MandateCode.REGISTERED))


def apply_mandates(
    context: Context, mandates: Sequence[tuple[int, Mandate]], report: OrganisationReport
) -> None:
    """Create or update a ``bs_mandate`` per record, in file order (a later line wins)."""
    session = context.session
    index = load_customer_index(session, context.organisation_id)
    rows = _existing(
        session, context.organisation_id, {normalised(m.customer_number) for _, m in mandates}
    )
    now = utc_now()
    for line, mandate in mandates:
        customer = normalised(mandate.customer_number)
        row = rows.get((customer, mandate.agreement_number))
        if row is None:
            match = index.for_mandate(mandate.customer_number, mandate.effective_date)
            row = BsMandate(
                organisation_id=context.organisation_id,
                tenancy_id=match.tenancy_id if isinstance(match, TenancyPeriod) else None,
                customer_number=customer,
                agreement_number=mandate.agreement_number,
                status=MandateStatus.ACTIVE,
                transaction_code=mandate.transaction_code.value,
                effective_date=mandate.effective_date,
                delivery_id=context.delivery_id,
                line=line,
            )
            rows[(customer, mandate.agreement_number)] = row
        row.status = (
            MandateStatus.ACTIVE
            if mandate.transaction_code in ACTIVE_CODES
            else MandateStatus.CANCELLED
        )
        row.transaction_code = mandate.transaction_code.value
        row.effective_date, row.end_date = mandate.effective_date, mandate.end_date
        row.delivery_id, row.line, row.updated_at = context.delivery_id, line, now
        session.add(row)
        report.mandates += 1
        if row.tenancy_id is None:
            report.mandates_unmatched += 1
            report.notice(line, f"mandate for customer number {customer}, which no tenancy has")
    session.flush()


def _existing(
    session: Session, organisation_id: int, customers: set[str]
) -> dict[tuple[str, str], BsMandate]:
    found: dict[tuple[str, str], BsMandate] = {}
    for chunk in chunked(sorted(customers), lookup_chunk(session)):
        for row in session.exec(
            select(BsMandate).where(
                BsMandate.organisation_id == organisation_id,
                one_of(session, col(BsMandate.customer_number), chunk),
            )
        ):
            found[(row.customer_number, row.agreement_number)] = row
    return found


def collects_on(mandate: BsMandate, day: date) -> bool:
    """Whether BS may collect on this mandate on ``day``: active and in effect, or cancelled
    with an end date still ahead (a cancellation can take effect up to 180 days later)."""
    if mandate.effective_date > day:
        return False
    if mandate.status is MandateStatus.ACTIVE:
        return mandate.end_date is None or mandate.end_date >= day
    return mandate.end_date is not None and mandate.end_date > day
