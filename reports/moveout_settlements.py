"""Fraflytningsopgørelser og garantikrav (move-out settlements and guarantee claims).

One row per move-out case with a settlement made for a day on or before ``as_of``: the posted
settlement if there is one (posted settlements are booked on their own day), else the latest.
Beside it the claim on the municipality under its guarantee (ABL § 59, stk. 1), if one was
made by then, with its status now.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, col

from reports.common import frame, homes, scope
from reports.labels import GUARANTEE_STATUSES, MOVEOUT_STATES
from reports.model import Chart, Report, Table
from workflows.moveout.models import CaseState, GuaranteeClaimStatus, MoveoutCase
from workflows.moveout.models import MoveoutGuaranteeClaim as Claim
from workflows.moveout.models import MoveoutSettlement as Settlement

NAME = "moveout-settlements"
TITLE = "Fraflytningsopgørelser og garantikrav"
UNIT, TENANTS, END, STATE = "Lejemål", "Lejer", "Fraflyttet", "Status"
CLAIMS, DEPOSIT, APPLIED = "Krav i alt", "Indskud", "Modregnet i indskud"
GUARANTEE, OWES, REFUND = "Dækkes af garanti", "Lejer skylder", "Tilbagebetales"
CLAIMED, CLAIM_STATUS = "Garantikrav", "Garantikrav status"
MONEY = (CLAIMS, DEPOSIT, APPLIED, GUARANTEE, OWES, REFUND, CLAIMED)
FIGURES = {
    "claims_total_oere": CLAIMS,
    "deposit_applied_oere": APPLIED,
    "guarantee_claim_oere": GUARANTEE,
    "tenant_owes_oere": OWES,
    "refund_oere": REFUND,
}


def _posted(settlement: Settlement) -> bool:
    """Posted settlements are booked on their settlement day (``settlement.as_of``): one
    chosen for ``as_of`` is on the ledger by then if it was posted at all."""
    return settlement.posted_at is not None


def settlements_on(session: Session, organisation_id: int, as_of: date) -> dict[int, Settlement]:
    """Per case: its posted settlement if posted by ``as_of``, else its latest by then."""
    query = (
        sa.select(Settlement)
        .where(col(Settlement.organisation_id) == organisation_id, col(Settlement.as_of) <= as_of)
        .order_by(col(Settlement.id))
    )
    chosen: dict[int, Settlement] = {}
    for settlement in session.execute(query).scalars():
        current = chosen.get(settlement.case_id)
        if current is None or not _posted(current):
            chosen[settlement.case_id] = settlement
    return chosen


def build(session: Session, organisation_id: int, as_of: date) -> Report:
    where = scope(session, organisation_id, as_of)
    chosen = settlements_on(session, organisation_id, as_of)
    cases = {
        case.id: case
        for case in session.execute(
            sa.select(MoveoutCase).where(col(MoveoutCase.organisation_id) == organisation_id)
        ).scalars()
    }
    claims = {
        claim.case_id: claim
        for claim in session.execute(
            sa.select(Claim).where(
                col(Claim.organisation_id) == organisation_id, col(Claim.created_on) <= as_of
            )
        ).scalars()
    }
    units = homes(session, organisation_id)
    rows: list[dict[str, object]] = []
    for case_id, s in sorted(chosen.items(), key=lambda kv: (cases[kv[0]].end_date, kv[0])):
        case = cases[case_id]
        home = units.get(case.tenancy_id)
        claim = claims.get(case_id)
        state = CaseState.POSTED if _posted(s) else CaseState.SETTLED
        rows.append(
            {
                UNIT: home.unit_number if home else "", TENANTS: home.names if home else "",
                END: case.end_date, STATE: MOVEOUT_STATES[state],
                CLAIMS: s.claims_total_oere, DEPOSIT: s.deposit_oere,
                APPLIED: s.deposit_applied_oere, GUARANTEE: s.guarantee_claim_oere,
                OWES: s.tenant_owes_oere, REFUND: s.refund_oere,
                CLAIMED: claim.amount_oere if claim else 0,
                CLAIM_STATUS: GUARANTEE_STATUSES[GuaranteeClaimStatus(claim.status)]
                if claim else "",
            }
        )  # fmt: skip
    totals = {"settlements": len(chosen)}
    totals.update({key: sum(getattr(s, key) for s in chosen.values()) for key in FIGURES})
    totals["posted"] = sum(1 for s in chosen.values() if _posted(s))
    totals["guarantee_claims"] = len(claims)
    totals["guarantee_claimed_oere"] = sum(c.amount_oere for c in claims.values())
    labels = {"settlements": "Opgørelser", **FIGURES, "posted": "Heraf bogført"}
    labels.update(guarantee_claims="Garantikrav til kommunen", guarantee_claimed_oere=CLAIMED)
    return Report(
        name=NAME,
        title=TITLE,
        as_of=as_of,
        organisation_name=where.organisation_name,
        organisation_cvr=where.organisation_cvr,
        table=Table(
            "Opgørelser",
            frame(rows, [UNIT, TENANTS, END, STATE, *MONEY[:-1], CLAIMED, CLAIM_STATUS]),
            money_columns=MONEY,
            date_columns=(END,),
        ),
        totals=totals,
        total_labels=labels,
        chart=Chart(
            "Fraflytninger i alt",
            (CLAIMS, APPLIED, GUARANTEE, OWES, REFUND),
            tuple(totals[key] for key in FIGURES),
        ),
        notes=(
            "Opgørelser pr. en dag senest opgørelsesdagen; en bogført opgørelse er bogført pr. "
            "sin egen dag. Garantikravets status er status nu.",
        ),
    )
