"""A ``SettlementInput`` as JSON with the keys ``settlement_from_json`` reads.

A stored settlement keeps its input in this form: ``almen moveout calculate`` on it gives the
same figures, so any statement can be checked by hand. ``settlement_from_json`` of the output
is the input again (tested).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from workflows.moveout.model import SettlementInput


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def settlement_input_to_json(inp: SettlementInput) -> dict[str, Any]:
    """Every key of the input, written out (defaults too, so the record is explicit)."""
    return {
        "tenancy_start": inp.tenancy_start.isoformat(),
        "tenancy_end": inp.tenancy_end.isoformat(),
        "maintenance_scheme": inp.maintenance_scheme.value,
        "takeover_months": inp.takeover_months,
        "deposit_oere": inp.deposit_oere,
        "municipally_assigned": inp.municipally_assigned,
        "guarantee_applies": inp.guarantee_applies,
        "guarantee_void_reason": (
            None if inp.guarantee_void_reason is None else inp.guarantee_void_reason.value
        ),
        "open_items": [
            {"text": item.text, "amount_oere": item.amount_oere, "kind": item.kind.value}
            for item in inp.open_items
        ],
        "repairs": [
            {"text": r.text, "amount_oere": r.amount_oere, "category": r.category.value}
            | ({} if r.estimate_oere is None else {"estimate_oere": r.estimate_oere})
            for r in inp.repairs
        ],
        "other_claims": [{"text": c.text, "amount_oere": c.amount_oere} for c in inp.other_claims],
        "indskudslaan_oere": inp.indskudslaan_oere,
        "attachments": [
            {
                "creditor": a.creditor,
                "amount_oere": a.amount_oere,
                "registered_on": a.registered_on.isoformat(),
                "debtor": a.debtor,
                "debtor_share": str(a.debtor_share),
            }
            for a in inp.attachments
        ],
        "inspection_date": _day(inp.inspection_date),
        "repair_notice_date": _day(inp.repair_notice_date),
        "tenant_left_no_address": inp.tenant_left_no_address,
    }
