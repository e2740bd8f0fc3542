"""Indskud og depositum (deposits held), a liability, per tenancy.

Held is read from the ledger: minus the balance of the ``deposit`` account per tenancy, from
the postings booked on or before ``as_of``. The report's total is therefore the deposit
account's balance (with the sign of a liability). Beside it the deposit the lease names
(``tenancy.deposit_oere``), which differs while a deposit is unpaid, was paid before the
ledger start, or after move-out.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, col

from ledger.models import LedgerEntry, Posting, Tenancy
from ledger.types import Account, DepositKind
from reports.common import NO_DEPARTMENT, frame, homes, scope
from reports.model import Chart, Report, Table

NAME = "deposits"
TITLE = "Indskud og depositum (forpligtelse)"
DEPARTMENT = "Afdeling"
UNIT = "Lejemål"
TENANTS = "Lejer"
KIND = "Type"
AGREED = "Aftalt"
HELD = "Indestående"
KINDS = {DepositKind.INDSKUD: "Beboerindskud", DepositKind.DEPOSITUM: "Depositum"}


def deposit_balances(session: Session, organisation_id: int, as_of: date) -> dict[int | None, int]:
    """The ``deposit`` account's balance per tenancy (None: lines without a tenancy)."""
    query = (
        sa.select(col(LedgerEntry.tenancy_id), sa.func.sum(col(LedgerEntry.amount_oere)))
        .join(Posting, col(Posting.id) == col(LedgerEntry.posting_id))
        .where(
            col(LedgerEntry.organisation_id) == organisation_id,
            col(LedgerEntry.account) == Account.DEPOSIT,
            col(Posting.booking_date) <= as_of,
        )
        .group_by(col(LedgerEntry.tenancy_id))
    )
    return {tenancy_id: int(total) for tenancy_id, total in session.execute(query)}


def build(session: Session, organisation_id: int, as_of: date) -> Report:
    where = scope(session, organisation_id, as_of)
    balances = deposit_balances(session, organisation_id, as_of)
    units = homes(session, organisation_id)
    leases = {
        tenancy_id: (DepositKind(kind), agreed)
        for tenancy_id, kind, agreed in session.execute(
            sa.select(col(Tenancy.id), col(Tenancy.deposit_kind), col(Tenancy.deposit_oere)).where(
                col(Tenancy.organisation_id) == organisation_id
            )
        )
    }
    rows: list[dict[str, object]] = []
    by_department: dict[str, int] = defaultdict(int)
    agreed_total = 0
    for tenancy_id, balance in balances.items():
        if balance == 0:
            continue
        home = units.get(tenancy_id) if tenancy_id is not None else None
        kind, agreed = leases.get(tenancy_id, (None, 0)) if tenancy_id is not None else (None, 0)
        department = home.department if home else NO_DEPARTMENT
        by_department[department] += -balance
        agreed_total += agreed
        rows.append(
            {
                DEPARTMENT: department,
                UNIT: home.unit_number if home else "",
                TENANTS: home.names if home else "",
                KIND: KINDS[kind] if kind else "",
                AGREED: agreed,
                HELD: -balance,
            }
        )
    rows.sort(key=lambda row: (str(row[DEPARTMENT]), str(row[UNIT])))
    held = -sum(balances.values())
    totals = {
        "held_oere": held,
        "tenancies": len(rows),
        "agreed_oere": agreed_total,
    }
    labels = {
        "held_oere": "Indestående i alt",
        "tenancies": "Lejemål med indestående",
        "agreed_oere": "Aftalt i alt (samme lejemål)",
    }
    departments = sorted(by_department)
    return Report(
        name=NAME,
        title=TITLE,
        as_of=as_of,
        organisation_name=where.organisation_name,
        organisation_cvr=where.organisation_cvr,
        table=Table(
            "Indestående pr. lejemål",
            frame(rows, [DEPARTMENT, UNIT, TENANTS, KIND, AGREED, HELD]),
            money_columns=(AGREED, HELD),
        ),
        totals=totals,
        total_labels=labels,
        chart=Chart(
            "Indestående pr. afdeling",
            tuple(departments),
            tuple(by_department[d] for d in departments),
        ),
        notes=(
            "Indestående: saldoen på kontoen for indskud/depositum (bogført senest "
            "opgørelsesdagen), en forpligtelse over for lejerne. Aftalt: beløbet i lejekontrakten.",
        ),
    )
