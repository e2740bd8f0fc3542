"""What ``almen moveout`` prints: a case with its deadlines, the deadline list of the night, a
settlement's figures. English labels with the Danish term beside them; amounts in kroner."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from sqlmodel import Session

from app.cli.context import CliContext
from ledger.money import format_kr
from ledger.registry import require_organisation
from workflows.moveout.deadlines import Deadline
from workflows.moveout.models import MoveoutCase
from workflows.moveout.reminders import missed_moveout_deadlines, upcoming_moveout_deadlines
from workflows.moveout.service import (
    attachments_of,
    case_for_unit,
    case_reference,
    claims_of,
    invoices_of,
    items_of,
    stored_deadlines,
)
from workflows.moveout.settling import latest_settlement

CASE_DATES = (
    ("end_date", "Tenancy ends (ophør)"),
    ("learned_on", "Learned of move-out"),
    ("summons_sent_on", "Summons sent (indkaldelse)"),
    ("summons_arrived_on", "Summons arrived"),
    ("inspection_planned_on", "Inspection summoned to"),
    ("inspection_held_on", "Inspection held (syn)"),
    ("repair_notice_sent_on", "Repair notice sent"),
    ("repair_notice_arrived_on", "Repair notice arrived"),
    ("statement_sent_on", "Final statement sent"),
)
FIGURES = (
    ("full_months", "Full months lived", False),
    ("landlord_share_pct", "Landlord's share, % (§ 26)", False),
    ("normal_refurbishment_tenant_oere", "Normal refurbishment, tenant", True),
    ("damage_tenant_oere", "Damage (misligholdelse), tenant", True),
    ("repairs_overrun_oere", "Cut by the 10 % rule", True),
    ("open_items_net_oere", "Open items (net)", True),
    ("other_claims_oere", "Other claims", True),
    ("claims_total_oere", "Claims in all", True),
    ("deposit_oere", "Deposit (indskud)", True),
    ("deposit_applied_oere", "Deposit set off", True),
    ("guarantee_claim_oere", "Guarantee claim (kommunen)", True),
    ("tenant_owes_oere", "Tenant owes", True),
    ("credit_refund_oere", "Credit refunded", True),
    ("paid_to_indskudslaan_oere", "To beboerindskudslån", True),
    ("refund_oere", "Deposit refunded to tenant", True),
)


def kr(oere: int) -> str:
    return format_kr(oere, suffix=True)


def reference(case: MoveoutCase) -> str:
    return case_reference(case)


def report(context: CliContext, args: argparse.Namespace, data: Any, text: str) -> int:
    if getattr(args, "json", False):
        context.print_json(data)
    else:
        context.print(text)
    return 0


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def case_summary(session: Session, case: MoveoutCase, as_of: date) -> dict[str, Any]:
    """The case as JSON: dates, deadlines with their status, items, invoices, settlement."""
    deadlines = []
    for row in stored_deadlines(session, case):
        deadline = Deadline(row.kind, row.due_on, row.done_on, row.basis, row.applies)
        deadlines.append(
            {
                "kind": row.kind.value,
                "due_on": row.due_on.isoformat(),
                "done_on": _day(row.done_on),
                "status": deadline.status(as_of).value,
                "days_left": deadline.days_left(as_of),
                "basis": row.basis,
            }
        )
    settlement = latest_settlement(session, case)
    return {
        "case": case_reference(case),
        "state": case.state.value,
        "cause": case.cause.value,
        "dates": {name: _day(getattr(case, name)) for name, _ in CASE_DATES},
        "left_no_address": case.left_no_address,
        "new_address": case.new_address,
        "guarantee_void_reason": case.guarantee_void_reason,
        "deadlines": deadlines,
        "items": [
            {
                "position": i.position,
                "text": i.text,
                "category": i.category.value,
                "estimate_oere": i.estimate_oere,
            }
            for i in items_of(session, case)
        ],
        "invoices": [
            {"item_id": v.item_id, "reference": v.reference, "amount_oere": v.amount_oere}
            for v in invoices_of(session, case)
        ],
        "claims": [
            {"text": c.text, "amount_oere": c.amount_oere} for c in claims_of(session, case)
        ],
        "attachments": [
            {"creditor": a.creditor, "amount_oere": a.amount_oere}
            for a in attachments_of(session, case)
        ],
        "settlement": None
        if settlement is None
        else {
            "id": settlement.id,
            "as_of": settlement.as_of.isoformat(),
            "posted": settlement.posted_at is not None,
            "tenant_owes_oere": settlement.tenant_owes_oere,
            "refund_oere": settlement.refund_oere,
            "guarantee_claim_oere": settlement.guarantee_claim_oere,
        },
    }


def show_case(args: argparse.Namespace, context: CliContext) -> int:
    as_of = args.as_of or context.today()
    with context.unit_of_work() as session:
        organisation = require_organisation(session, args.organisation)
        assert organisation.id is not None
        summary = case_summary(session, case_for_unit(session, organisation.id, args.unit), as_of)
    if args.json:
        context.print_json(summary)
        return 0
    context.print(f"Move-out case {summary['case']} ({summary['state']}, {summary['cause']})")
    for name, label in CASE_DATES:
        context.print(f"  {label:<30} {summary['dates'][name] or '-'}")
    context.print(f"Deadlines as of {as_of.isoformat()}:")
    for d in summary["deadlines"]:
        done = f", done {d['done_on']}" if d["done_on"] else ""
        context.print(
            f"  {d['kind']:<16} {d['due_on']}  {d['status'].upper():<14}{done}  ({d['basis']})"
        )
    for item in summary["items"]:
        context.print(
            f"  item {item['position']}: {item['text']} ({item['category']}), "
            f"estimate {kr(item['estimate_oere'])}"
        )
    if summary["settlement"]:
        s = summary["settlement"]
        context.print(
            f"Settlement {s['id']} as of {s['as_of']}{' (posted)' if s['posted'] else ''}: "
            f"tenant owes {kr(s['tenant_owes_oere'])}, refund {kr(s['refund_oere'])}, "
            f"guarantee {kr(s['guarantee_claim_oere'])}"
        )
    return 0


def show_deadlines(args: argparse.Namespace, context: CliContext) -> int:
    as_of = args.as_of or context.today()
    with context.unit_of_work() as session:
        organisation = require_organisation(session, args.organisation)
        assert organisation.id is not None
        upcoming = upcoming_moveout_deadlines(session, organisation.id, as_of)
        missed = missed_moveout_deadlines(session, organisation.id, as_of)
    if args.json:
        context.print_json(
            {
                "as_of": as_of.isoformat(),
                "upcoming": [w.as_json() for w in upcoming],
                "missed": [w.as_json() for w in missed],
            }
        )
        return 0
    context.print(f"Move-out deadlines as of {as_of.isoformat()}")
    for title, warnings in (("Due soon", upcoming), ("Missed", missed)):
        context.print(f"{title}: {len(warnings)}")
        for w in warnings:
            context.print(f"  {w.due_on.isoformat()}  {w.message}")
    return 0


def print_settlement(context: CliContext, result: dict[str, Any]) -> None:
    for key, label, money in FIGURES:
        value = result.get(key)
        if value is None:
            continue
        context.print(f"{label:<34} {kr(value) if money else value}")
    for payment in result.get("paid_to_attachments", []):
        context.print(f"{'Udlæg: ' + payment['creditor']:<34} {kr(payment['amount_oere'])}")
    if result.get("repairs_lapsed"):
        context.print(f"Repair claims lapsed: {result['repair_notice_reason']}")
    for note in result.get("notes", []):
        context.print(f"note: {note}")
