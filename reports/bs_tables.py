"""The Betalingsservice tables, as far as the reconciliation reads them.

``reports`` may import ``ledger`` and ``workflows``, not ``integrations`` (DEVELOPERS.md), so
the report does not import ``integrations.betalingsservice.models``: it names the columns it
reads here, as lightweight SQL table clauses. ``tests/reports`` checks that every column named
here exists, with the same name and type, in the real tables. Dates are typed (SQLite
hands back text for an untyped date column).
"""

from __future__ import annotations

import sqlalchemy as sa

# Values of integrations.betalingsservice.models.CollectionStatus / SuspenseDirection.
SUPERSEDED = "superseded"
REJECTED_STATUSES = ("rejected", "cancelled")
SUSPENSE_IN = "in"

bs_delivery = sa.table(
    "bs_delivery", sa.column("id"), sa.column("created", sa.Date), sa.column("file_name")
)

bs_collection = sa.table(
    "bs_collection",
    sa.column("organisation_id"),
    sa.column("delivery_id"),
    sa.column("month"),
    sa.column("amount_oere", sa.BigInteger),
    sa.column("status"),
    sa.column("payment_posting_id"),
    sa.column("reversal_posting_id"),
)

bs_suspense_item = sa.table(
    "bs_suspense_item",
    sa.column("id"),
    sa.column("organisation_id"),
    sa.column("delivery_id"),
    sa.column("line"),
    sa.column("direction"),
    sa.column("customer_number"),
    sa.column("amount_oere", sa.BigInteger),
    sa.column("payment_date", sa.Date),
    sa.column("actual_date", sa.Date),
    sa.column("reason"),
    sa.column("posting_id"),
    sa.column("resolution_posting_id"),
)

TABLES = (bs_delivery, bs_collection, bs_suspense_item)
