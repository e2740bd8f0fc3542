"""Påkrav sendt og påkravsgebyrer pr. måned (ALL § 90, stk. 2).

Påkrav: the arrears cases whose påkrav went out (``arrears_case.pakrav_date``) in the month.
Fees: the ledger itself, every line on the tenants' accounts with charge type
``PAKRAVSGEBYR`` by the month it is effective (a fee by its due date, a reversed fee by the
day it was reversed), so the report's fee total is the ledger's.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, col

from ledger.charge_types import PAKRAV_FEE
from ledger.models import ChargeType, LedgerEntry
from ledger.types import Account
from reports.common import frame, month_label, scope
from reports.model import Chart, Report, Table
from workflows.arrears.models import ArrearsCase

NAME = "pakrav-fees"
TITLE = "Påkrav og påkravsgebyrer pr. måned"
MONTH = "Måned"
SENT = "Påkrav sendt"
FEES_COUNT = "Gebyrer bogført"
FEES_REVERSED = "Gebyrer tilbageført"
FEES = "Gebyrer netto"


def pakrav_by_month(session: Session, organisation_id: int, as_of: date) -> dict[str, int]:
    query = sa.select(col(ArrearsCase.pakrav_date)).where(
        col(ArrearsCase.organisation_id) == organisation_id,
        col(ArrearsCase.pakrav_date).is_not(None),
        col(ArrearsCase.pakrav_date) <= as_of,
    )
    counts: dict[str, int] = defaultdict(int)
    for (day,) in session.execute(query):
        counts[month_label(day)] += 1
    return counts


def fee_lines(session: Session, organisation_id: int, as_of: date) -> list[tuple[date, int]]:
    """(effective date, signed øre) of every fee line on the tenants' accounts up to ``as_of``."""
    effective = sa.func.coalesce(col(LedgerEntry.due_date), col(LedgerEntry.value_date))
    query = (
        sa.select(effective, col(LedgerEntry.amount_oere))
        .join(ChargeType, col(ChargeType.id) == col(LedgerEntry.charge_type_id))
        .where(
            col(LedgerEntry.organisation_id) == organisation_id,
            col(LedgerEntry.account) == Account.DEBTOR,
            col(ChargeType.code) == PAKRAV_FEE,
            effective <= as_of,
        )
    )
    return [(day, amount) for day, amount in session.execute(query)]


def build(session: Session, organisation_id: int, as_of: date) -> Report:
    where = scope(session, organisation_id, as_of)
    sent = pakrav_by_month(session, organisation_id, as_of)
    charged: dict[str, int] = defaultdict(int)
    reversed_: dict[str, int] = defaultdict(int)
    net: dict[str, int] = defaultdict(int)
    for day, amount in fee_lines(session, organisation_id, as_of):
        month = month_label(day)
        net[month] += amount
        if amount > 0:
            charged[month] += 1
        else:
            reversed_[month] += 1
    months = sorted(set(sent) | set(net))
    rows: list[dict[str, object]] = [
        {
            MONTH: month,
            SENT: sent.get(month, 0),
            FEES_COUNT: charged.get(month, 0),
            FEES_REVERSED: reversed_.get(month, 0),
            FEES: net.get(month, 0),
        }
        for month in months
    ]
    totals = {
        "pakrav_sent": sum(sent.values()),
        "fees_posted": sum(charged.values()),
        "fees_reversed": sum(reversed_.values()),
        "fees_oere": sum(net.values()),
    }
    labels = {
        "pakrav_sent": SENT,
        "fees_posted": FEES_COUNT,
        "fees_reversed": FEES_REVERSED,
        "fees_oere": FEES,
    }
    return Report(
        name=NAME,
        title=TITLE,
        as_of=as_of,
        organisation_name=where.organisation_name,
        organisation_cvr=where.organisation_cvr,
        table=Table(
            "Påkrav og gebyrer",
            frame(rows, [MONTH, SENT, FEES_COUNT, FEES_REVERSED, FEES]),
            money_columns=(FEES,),
        ),
        totals=totals,
        total_labels=labels,
        chart=Chart(
            "Påkrav sendt pr. måned",
            tuple(months[-12:]),
            tuple(sent.get(m, 0) for m in months[-12:]),
            money=False,
        ),
        notes=(
            "Gebyrer fra bogføringen (gebyrtype Påkravsgebyr på lejernes konti) efter "
            "forfaldsdato; tilbageførte gebyrer efter tilbageførselsdato.",
        ),
    )
