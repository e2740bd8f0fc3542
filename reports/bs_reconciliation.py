"""Afstemning af Betalingsservice: expected vs collected vs rejected vs charged back per month,
and the suspense list (uafstemte indbetalinger).

Per collection month (the month a 0601 asked for; superseded collections left out):

* Forventet: what the 0601 files written on or before ``as_of`` asked for.
* Indbetalt: what the ledger credited the tenants for those collections (the payment posting
  each collection recorded, booked on or before ``as_of``): the money that came in.
* Afvist: collections BS rejected or the debtor cancelled (0237/0238; nothing is booked).
* Tilbageført: what the ledger charged back for them (the reversal postings, 0239).
* Netto: Indbetalt - Tilbageført.
* Uafklaret: Forventet - Indbetalt - Afvist: not answered yet, or paid with another amount.

The suspense list: every item open on ``as_of`` (no resolution booked by then), money in as a
positive amount, a charge-back out as a negative one, so its total is minus the balance of
the ``suspense`` account.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from ledger.models import LedgerEntry, Posting
from ledger.types import Account
from reports.bs_tables import (
    REJECTED_STATUSES,
    SUPERSEDED,
    SUSPENSE_IN,
    bs_collection,
    bs_delivery,
    bs_suspense_item,
)
from reports.common import frame, scope
from reports.model import Chart, Report, Table

NAME = "bs-reconciliation"
TITLE = "Afstemning af Betalingsservice"
MONTH, COUNT, EXPECTED, COLLECTED = "Måned", "Opkrævninger", "Forventet", "Indbetalt"
REJECTED, CHARGED_BACK, NET, OPEN = "Afvist", "Tilbageført", "Netto indbetalt", "Uafklaret"
FIGURES = ("expected", "collected", "rejected", "charged_back")
SUSPENSE_DATE, CUSTOMER, DIRECTION = "Dato", "Kundenr.", "Retning"
AMOUNT, REASON, SOURCE = "Beløb", "Årsag", "Fil"


def _ledger_amounts(
    session: Session, organisation_id: int, posting_column: sa.ColumnElement[int], as_of: date
) -> dict[str, int]:
    """Per collection month: the debtor-side total of the postings ``posting_column`` names."""
    query = (
        sa.select(bs_collection.c.month, sa.func.sum(col(LedgerEntry.amount_oere)))
        .join(LedgerEntry, col(LedgerEntry.posting_id) == posting_column)
        .join(Posting, col(Posting.id) == col(LedgerEntry.posting_id))
        .where(
            bs_collection.c.organisation_id == organisation_id,
            bs_collection.c.status != SUPERSEDED,
            col(LedgerEntry.account) == Account.DEBTOR,
            col(Posting.booking_date) <= as_of,
        )
        .group_by(bs_collection.c.month)
    )
    return {month: int(total) for month, total in session.execute(query)}


def monthly(session: Session, organisation_id: int, as_of: date) -> dict[str, dict[str, int]]:
    asked = (
        sa.select(
            bs_collection.c.month,
            bs_collection.c.status,
            sa.func.count(),
            sa.func.sum(bs_collection.c.amount_oere),
        )
        .join(bs_delivery, bs_delivery.c.id == bs_collection.c.delivery_id)
        .where(
            bs_collection.c.organisation_id == organisation_id,
            bs_collection.c.status != SUPERSEDED,
            bs_delivery.c.created <= as_of,
        )
        .group_by(bs_collection.c.month, bs_collection.c.status)
    )
    months: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys((*FIGURES, "count"), 0))
    for month, status, n, amount in session.execute(asked):
        months[month]["count"] += int(n)
        months[month]["expected"] += int(amount)
        if status in REJECTED_STATUSES:
            months[month]["rejected"] += int(amount)
    paid = _ledger_amounts(session, organisation_id, bs_collection.c.payment_posting_id, as_of)
    back = _ledger_amounts(session, organisation_id, bs_collection.c.reversal_posting_id, as_of)
    for month, amount in paid.items():
        months[month]["collected"] += -amount
    for month, amount in back.items():
        months[month]["charged_back"] += amount
    return dict(months)


def suspense_rows(
    session: Session, organisation_id: int, as_of: date
) -> tuple[list[dict[str, object]], int]:
    """The suspense items open on ``as_of``, and their signed total."""
    booked = aliased(Posting)
    resolved = aliased(Posting)
    item = bs_suspense_item
    query = (
        sa.select(
            bs_delivery.c.file_name,
            item.c.line,
            item.c.direction,
            item.c.customer_number,
            item.c.amount_oere,
            item.c.payment_date,
            item.c.actual_date,
            item.c.reason,
        )
        .join(booked, col(booked.id) == item.c.posting_id)
        .join(bs_delivery, bs_delivery.c.id == item.c.delivery_id)
        .outerjoin(resolved, col(resolved.id) == item.c.resolution_posting_id)
        .where(
            item.c.organisation_id == organisation_id,
            col(booked.booking_date) <= as_of,
            sa.or_(col(resolved.id).is_(None), col(resolved.booking_date) > as_of),
        )
        .order_by(item.c.id)
    )
    rows: list[dict[str, object]] = []
    total = 0
    for file_name, line, direction, customer, amount, paid, actual, reason in session.execute(
        query
    ):
        money_in = direction == SUSPENSE_IN
        signed = int(amount) if money_in else -int(amount)
        total += signed
        rows.append(
            {
                SUSPENSE_DATE: actual or paid,
                CUSTOMER: str(customer).lstrip("0"),
                DIRECTION: "Indbetaling" if money_in else "Tilbageførsel",
                AMOUNT: signed,
                REASON: reason,
                SOURCE: f"{file_name}, linje {line}",
            }
        )
    return rows, total


def build(session: Session, organisation_id: int, as_of: date) -> Report:
    where = scope(session, organisation_id, as_of)
    months = monthly(session, organisation_id, as_of)
    rows: list[dict[str, object]] = []
    for month in sorted(months):
        m = months[month]
        rows.append(
            {
                MONTH: month,
                COUNT: m["count"],
                EXPECTED: m["expected"],
                COLLECTED: m["collected"],
                REJECTED: m["rejected"],
                CHARGED_BACK: m["charged_back"],
                NET: m["collected"] - m["charged_back"],
                OPEN: m["expected"] - m["collected"] - m["rejected"],
            }
        )
    totals = {f"{k}_oere": sum(m[k] for m in months.values()) for k in FIGURES}
    totals["net_collected_oere"] = totals["collected_oere"] - totals["charged_back_oere"]
    totals["open_oere"] = sum(
        m["expected"] - m["collected"] - m["rejected"] for m in months.values()
    )
    suspense, totals["suspense_oere"] = suspense_rows(session, organisation_id, as_of)
    totals["suspense_items"] = len(suspense)
    labels = {
        "expected_oere": EXPECTED, "collected_oere": COLLECTED, "rejected_oere": REJECTED,
        "charged_back_oere": CHARGED_BACK, "net_collected_oere": NET, "open_oere": OPEN,
        "suspense_oere": "Uafstemte indbetalinger (netto)",
        "suspense_items": "Uafstemte poster",
    }  # fmt: skip
    money = (EXPECTED, COLLECTED, REJECTED, CHARGED_BACK, NET, OPEN)
    return Report(
        name=NAME,
        title=TITLE,
        as_of=as_of,
        organisation_name=where.organisation_name,
        organisation_cvr=where.organisation_cvr,
        table=Table("Opkrævninger pr. måned", frame(rows, [MONTH, COUNT, *money]), money),
        extra_tables=(
            Table(
                "Uafstemte indbetalinger",
                frame(suspense, [SUSPENSE_DATE, CUSTOMER, DIRECTION, AMOUNT, REASON, SOURCE]),
                money_columns=(AMOUNT,),
                date_columns=(SUSPENSE_DATE,),
            ),
        ),
        totals=totals,
        total_labels=labels,
        chart=Chart(
            "Betalingsservice i alt",
            (EXPECTED, COLLECTED, REJECTED, CHARGED_BACK),
            tuple(totals[f"{k}_oere"] for k in FIGURES),
        ),
        notes=(
            "Indbetalt og tilbageført: beløbene bogført på lejernes konti for opkrævningerne "
            "(bogført senest opgørelsesdagen). Afvist: afvist af BS eller afmeldt af "
            "betaleren, efter status nu.",
        ),
    )
