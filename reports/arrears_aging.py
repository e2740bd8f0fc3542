"""Restancer fordelt på alder (arrears aging) per department.

Every open item on the tenants' accounts as of the day (``ledger.balances.statement``: only
items fallen due on or before ``as_of`` are open) is put in a bucket by its age, the days from
its due date to ``as_of``: 0-30, 31-60, 61-90, over 90. An item due today is 0 days old.
Accounts are read in bulk (``ledger.accounts.debtor_lines`` per chunk of tenancies).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from ledger.accounts import debtor_lines
from ledger.balances import OpenItem, statement
from ledger.chunks import chunked
from reports.common import frame, homes, scope
from reports.model import Chart, Report, Table

NAME = "arrears-aging"
TITLE = "Restancer fordelt på alder"
TENANCY_CHUNK = 2_000  # accounts read per query (memory stays flat for any organisation)


@dataclass(frozen=True, slots=True)
class Bucket:
    key: str
    heading: str
    low: int  # days, inclusive
    high: int | None  # days, inclusive; None: no upper bound


BUCKETS = (
    Bucket("days_0_30", "0-30 dage", 0, 30),
    Bucket("days_31_60", "31-60 dage", 31, 60),
    Bucket("days_61_90", "61-90 dage", 61, 90),
    Bucket("days_over_90", "Over 90 dage", 91, None),
)
DEPARTMENT = "Afdeling"
TENANCIES = "Lejemål i restance"
TOTAL = "Restance i alt"


def bucket_of(due_date: date, as_of: date) -> Bucket:
    """The bucket of an item due on ``due_date``, judged on ``as_of``."""
    age = (as_of - due_date).days
    assert age >= 0, f"an open item due {due_date} is not open on {as_of}"
    for bucket in BUCKETS:
        if bucket.high is None or age <= bucket.high:
            return bucket
    raise AssertionError("the last bucket has no upper bound")  # pragma: no cover


def open_items_by_tenancy(
    session: Session, organisation_id: int, tenancy_ids: list[int], as_of: date
) -> dict[int, tuple[OpenItem, ...]]:
    """The open items of every tenancy that has any, as of ``as_of``."""
    found: dict[int, tuple[OpenItem, ...]] = {}
    for chunk in chunked(sorted(tenancy_ids), TENANCY_CHUNK):
        for tenancy_id, lines in debtor_lines(session, organisation_id, chunk).items():
            items = statement(lines, as_of).open_items
            if items:
                found[tenancy_id] = items
    return found


def build(session: Session, organisation_id: int, as_of: date) -> Report:
    where = scope(session, organisation_id, as_of)
    by_tenancy = homes(session, organisation_id)
    open_items = open_items_by_tenancy(session, organisation_id, list(by_tenancy), as_of)
    sums: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    debtors: dict[str, int] = defaultdict(int)
    for tenancy_id, items in open_items.items():
        department = by_tenancy[tenancy_id].department
        debtors[department] += 1
        for item in items:
            sums[department][bucket_of(item.due_date, as_of).key] += item.open_oere
    rows: list[dict[str, object]] = []
    for department in sorted(sums):
        row: dict[str, object] = {DEPARTMENT: department, TENANCIES: debtors[department]}
        row.update({b.heading: sums[department][b.key] for b in BUCKETS})
        row[TOTAL] = sum(sums[department].values())
        rows.append(row)
    totals = {f"{b.key}_oere": sum(s[b.key] for s in sums.values()) for b in BUCKETS}
    totals["total_oere"] = sum(totals.values())
    totals["tenancies"] = len(open_items)
    labels = {f"{b.key}_oere": b.heading for b in BUCKETS}
    labels.update(total_oere=TOTAL, tenancies=TENANCIES)
    money = (*(b.heading for b in BUCKETS), TOTAL)
    return Report(
        name=NAME,
        title=TITLE,
        as_of=as_of,
        organisation_name=where.organisation_name,
        organisation_cvr=where.organisation_cvr,
        table=Table(
            "Restancer pr. afdeling",
            frame(rows, [DEPARTMENT, TENANCIES, *money]),
            money_columns=money,
        ),
        totals=totals,
        total_labels=labels,
        chart=Chart(
            "Restance efter alder",
            tuple(b.heading for b in BUCKETS),
            tuple(totals[f"{b.key}_oere"] for b in BUCKETS),
        ),
        notes=(
            "Alder: dage fra forfaldsdato til opgørelsesdagen. Kun åbne poster, der er forfaldne "
            "senest opgørelsesdagen; indbetalinger regnes fra betalingsdagen.",
        ),
    )
