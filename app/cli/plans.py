"""``almen plans``: payment plans (afdragsordninger) that pause escalation of arrears cases."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from sqlmodel import col, select

from app.cli import args as types
from app.cli.arrears_settings import kroner
from app.cli.context import CliContext
from ledger.money import format_kr
from ledger.registry import require_organisation, tenancy_on
from workflows.arrears.models import ArrearsCase, PaymentPlan
from workflows.arrears.plans import InstalmentSpec, create_plan, plan_with_instalments
from workflows.arrears.states import PLANNABLE_STATES


def instalment(text: str) -> InstalmentSpec:
    """``YYYY-MM-DD=KR`` (kroner the Danish way, e.g. 2026-05-15=1.500,00)."""
    day, sep, amount = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"expected DATE=KRONER, got {text!r}")
    return InstalmentSpec(types.iso_date(day.strip()), kroner(amount))


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "plans", help="payment plans (afdragsordninger)"
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    create: argparse.ArgumentParser = actions.add_parser("create", help="agree a payment plan")
    create.add_argument("--organisation", type=types.cvr, required=True, help="CVR")
    create.add_argument("--unit", required=True, help="unit number")
    create.add_argument(
        "--case", type=int, action="append", dest="cases",
        help="a case the plan covers (repeat); default: every open case of the tenancy",
    )  # fmt: skip
    create.add_argument(
        "--instalment", type=instalment, action="append", required=True, dest="instalments",
        help="DATE=KRONER, e.g. 2026-05-15=1.500,00 (repeat, in date order)",
    )  # fmt: skip
    create.add_argument("--by", required=True, help="who agreed it")
    create.add_argument("--note", default="")
    create.add_argument("--json", action="store_true")
    create.set_defaults(handler=create_command)
    show: argparse.ArgumentParser = actions.add_parser("show", help="one plan")
    show.add_argument("id", type=int)
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=show_command)
    listing: argparse.ArgumentParser = actions.add_parser("list", help="list plans")
    listing.add_argument("--organisation", type=types.cvr, help="only this CVR")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=list_command)


def create_command(args: argparse.Namespace, context: CliContext) -> int:
    today = context.today()
    with context.unit_of_work() as session:
        organisation = require_organisation(session, args.organisation)
        assert organisation.id is not None
        tenancy = tenancy_on(session, organisation.id, args.unit, today)
        case_ids = args.cases or [
            case.id
            for case in session.exec(
                select(ArrearsCase).where(
                    ArrearsCase.tenancy_id == tenancy.id,
                    col(ArrearsCase.state).in_(PLANNABLE_STATES),
                )
            )
        ]
        plan = create_plan(
            session, organisation, case_ids, args.instalments, agreed_on=today,
            actor=f"cli:{args.by}", note=args.note,
        )  # fmt: skip
        assert plan.id is not None
        detail = _detail(session, plan.id)
    _print(context, detail, args.json)
    return 0


def show_command(args: argparse.Namespace, context: CliContext) -> int:
    with context.unit_of_work() as session:
        detail = _detail(session, args.id)
    _print(context, detail, args.json)
    return 0


def list_command(args: argparse.Namespace, context: CliContext) -> int:
    with context.unit_of_work() as session:
        query = select(PaymentPlan).order_by(col(PaymentPlan.id))
        if args.organisation:
            organisation = require_organisation(session, args.organisation)
            query = query.where(PaymentPlan.organisation_id == organisation.id)
        rows: list[dict[str, Any]] = [
            {"id": p.id, "tenancy_id": p.tenancy_id, "status": str(p.status),
             "agreed_on": p.agreed_on.isoformat(), "total_oere": p.total_oere}
            for p in session.exec(query)
        ]  # fmt: skip
    if args.json:
        context.print_json(rows)
        return 0
    for row in rows:
        context.print(
            f"{row['id']:>5}  tenancy {row['tenancy_id']:<6} {row['status']:<10} "
            f"{row['agreed_on']}  {format_kr(row['total_oere'], suffix=True)}"
        )
    return 0


def _detail(session: Any, plan_id: int) -> dict[str, Any]:
    plan, instalments, cases = plan_with_instalments(session, plan_id)

    def iso(value: date | None) -> str | None:
        return None if value is None else value.isoformat()

    return {
        "id": plan.id,
        "tenancy_id": plan.tenancy_id,
        "status": str(plan.status),
        "agreed_on": plan.agreed_on.isoformat(),
        "total_oere": plan.total_oere,
        "ended_on": iso(plan.ended_on),
        "created_by": plan.created_by,
        "instalments": [
            {
                "number": i.number,
                "due_date": i.due_date.isoformat(),
                "amount_oere": i.amount_oere,
                "outcome": None if i.outcome is None else str(i.outcome),
                "judged_on": iso(i.judged_on),
            }
            for i in instalments
        ],
        "cases": [
            {"id": c.id, "due_date": c.due_date.isoformat(), "state": str(c.state)} for c in cases
        ],
    }


def _print(context: CliContext, detail: dict[str, Any], as_json: bool) -> None:
    if as_json:
        context.print_json(detail)
        return
    context.print(
        f"Afdragsordning {detail['id']}: {detail['status']}, aftalt {detail['agreed_on']}, "
        f"i alt {format_kr(detail['total_oere'], suffix=True)}"
    )
    for i in detail["instalments"]:
        context.print(
            f"  {i['number']:>2}. {i['due_date']}  {format_kr(i['amount_oere']):>12}  "
            f"{i['outcome'] or ''}"
        )
    for case in detail["cases"]:
        context.print(f"  case {case['id']} (due {case['due_date']}): {case['state']}")
