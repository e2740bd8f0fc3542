"""The reports by name, and building one."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from reports import (
    arrears_aging,
    bs_reconciliation,
    cases_by_state,
    deposits,
    moveout_settlements,
    notifications,
    pakrav_fees,
)
from reports.model import Report, ReportSpec, UnknownReport

REPORTS: dict[str, ReportSpec] = {
    spec.name: spec
    for spec in (
        ReportSpec(
            arrears_aging.NAME, arrears_aging.TITLE,
            "arrears per department by days past due (0-30, 31-60, 61-90, over 90)",
            arrears_aging.build,
        ),
        ReportSpec(
            pakrav_fees.NAME, pakrav_fees.TITLE,
            "påkrav sent and påkrav fees (from the ledger) per month", pakrav_fees.build,
        ),
        ReportSpec(
            cases_by_state.NAME, cases_by_state.TITLE,
            "arrears cases by state on the day", cases_by_state.build,
        ),
        ReportSpec(
            notifications.NAME, notifications.TITLE,
            "municipality notifications with delivery status and attempts", notifications.build,
        ),
        ReportSpec(
            deposits.NAME, deposits.TITLE,
            "deposits held per tenancy (the deposit account, a liability)", deposits.build,
        ),
        ReportSpec(
            bs_reconciliation.NAME, bs_reconciliation.TITLE,
            "Betalingsservice expected/collected/rejected/charged back per month; suspense list",
            bs_reconciliation.build,
        ),
        ReportSpec(
            moveout_settlements.NAME, moveout_settlements.TITLE,
            "move-out settlements and guarantee claims", moveout_settlements.build,
        ),
    )
}  # fmt: skip


def build_report(session: Session, organisation_id: int, name: str, as_of: date) -> Report:
    """Build report ``name`` for one organisation as of ``as_of`` (reads only, never writes)."""
    spec = REPORTS.get(name)
    if spec is None:
        raise UnknownReport(name, sorted(REPORTS))
    report = spec.builder(session, organisation_id, as_of)
    assert report.name == name and report.as_of == as_of, "the builder made another report"
    return report
