"""``almen cases``: arrears cases (restancesager): list, show, approve, reject, close."""

from __future__ import annotations

import argparse
from typing import Any

from sqlmodel import Session, col, select

from app.cli import args as types
from app.cli.context import CliContext
from app.cli.notifications import answer_json, describe_answer, report_text
from app.letters import LETTER_TOOLS
from app.notify import dispatch_now
from ledger.models import Organisation, Tenancy, Unit
from ledger.money import format_kr
from ledger.registry import require_organisation
from workflows.arrears import approvals
from workflows.arrears.letters import letters_of_case
from workflows.arrears.models import ArrearsCase, CaseEvent
from workflows.arrears.service import CaseError, require_case
from workflows.arrears.states import CaseState
from workflows.notifications.models import Notification
from workflows.notifications.pull import answers_of

MAX_LISTED = 100_000


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "cases", help="arrears cases: list, show, approve, reject, close"
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing: argparse.ArgumentParser = actions.add_parser("list", help="list cases")
    listing.add_argument("--organisation", type=types.cvr, help="only this CVR")
    listing.add_argument("--state", choices=[str(s) for s in CaseState], help="only this state")
    listing.add_argument("--limit", type=int, default=10_000, help="at most this many")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=list_cases)
    show: argparse.ArgumentParser = actions.add_parser("show", help="one case with its history")
    show.add_argument("id", type=int)
    show.add_argument("--json", action="store_true", help="print JSON")
    show.set_defaults(handler=show_case)
    approve: argparse.ArgumentParser = actions.add_parser(
        "approve", help="approve a held påkrav, a termination or an eviction request"
    )
    approve.add_argument("id", type=int)
    approve.add_argument("--action", choices=("pakrav", "terminate", "evict"), required=True)
    approve.add_argument("--by", required=True, help="who approves (kept in the history)")
    approve.add_argument(
        "--rehousing-confirmed",
        action="store_true",
        help="assigned plejebolig: another suitable home is offered (ALL § 90, stk. 3)",
    )
    approve.set_defaults(handler=approve_case)
    reject: argparse.ArgumentParser = actions.add_parser(
        "reject", help="decline what waits for approval (the case closes)"
    )
    reject.add_argument("id", type=int)
    reject.add_argument("--reason", required=True)
    reject.add_argument("--by", required=True)
    reject.set_defaults(handler=reject_case)
    close: argparse.ArgumentParser = actions.add_parser("close", help="close a case")
    close.add_argument("id", type=int)
    close.add_argument("--as", dest="close_as", choices=sorted(approvals.CLOSE_AS), required=True)
    close.add_argument("--reason", required=True)
    close.add_argument("--by", required=True)
    close.set_defaults(handler=close_case)


def _actor(by: str) -> str:
    name = by.strip()
    if not name:
        raise CaseError("--by needs a name")
    return f"cli:{name}"[:100]


def list_cases(args: argparse.Namespace, context: CliContext) -> int:
    limit = max(1, min(args.limit, MAX_LISTED))
    with context.unit_of_work() as session:
        query = (
            select(ArrearsCase, Unit.unit_number, Organisation.cvr)
            .join(Tenancy, col(Tenancy.id) == col(ArrearsCase.tenancy_id))
            .join(Unit, col(Unit.id) == col(Tenancy.unit_id))
            .join(Organisation, col(Organisation.id) == col(ArrearsCase.organisation_id))
            .order_by(col(ArrearsCase.id))
            .limit(limit)
        )
        if args.organisation:
            organisation = require_organisation(session, args.organisation)
            query = query.where(ArrearsCase.organisation_id == organisation.id)
        if args.state:
            query = query.where(ArrearsCase.state == CaseState(args.state))
        rows = [case_row(case, unit, cvr) for case, unit, cvr in session.exec(query)]
    if args.json:
        context.print_json(rows)
        return 0
    for row in rows:
        context.print(
            f"{row['id']:>7}  {row['unit_number']:<10} {row['due_date']}  {row['state']:<30} "
            f"påkrav {row['pakrav_date'] or '-':<10}  frist {row['deadline'] or '-':<10}  "
            f"{format_kr(row['amount_oere']):>12}"
        )
    context.print(f"{len(rows)} cases")
    return 0


def case_row(case: ArrearsCase, unit_number: str, cvr: str) -> dict[str, Any]:
    def iso(value: Any) -> Any:
        return None if value is None else value.isoformat()

    return {
        "id": case.id,
        "cvr": cvr,
        "tenancy_id": case.tenancy_id,
        "unit_number": unit_number,
        "state": str(case.state),
        "due_date": iso(case.due_date),
        "sequence": case.sequence,
        "pakrav_date": iso(case.pakrav_date),
        "channel": None if case.channel is None else str(case.channel),
        "arrival_date": iso(case.arrival_date),
        "deadline": iso(case.deadline),
        "earliest_termination": iso(case.earliest_termination),
        "fee_oere": case.fee_oere,
        "fee_year": case.fee_year,
        "amount_oere": case.amount_oere,
        "termination_date": iso(case.termination_date),
        "eviction_date": iso(case.eviction_date),
        "payment_plan_id": case.payment_plan_id,
        "closed_on": iso(case.closed_on),
    }


def case_detail(session: Session, case_id: int) -> dict[str, Any]:
    case = require_case(session, case_id)
    tenancy = session.get(Tenancy, case.tenancy_id)
    assert tenancy is not None
    unit = session.get(Unit, tenancy.unit_id)
    organisation = session.get(Organisation, case.organisation_id)
    assert unit is not None and organisation is not None
    detail = case_row(case, unit.unit_number, organisation.cvr)
    detail["lines"] = case.lines
    detail["events"] = [
        {
            "at": event.at.isoformat(),
            "on_date": event.on_date.isoformat(),
            "from_state": None if event.from_state is None else str(event.from_state),
            "to_state": str(event.to_state),
            "actor": event.actor,
            "reason": event.reason,
        }
        for event in session.exec(
            select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(col(CaseEvent.id))
        )
    ]
    detail["letters"] = [
        {
            "id": letter.id,
            "kind": str(letter.kind),
            "channel": str(letter.channel),
            "status": str(letter.status),
            "dispatch_date": letter.dispatch_date.isoformat(),
            "sha256": letter.checksum,
            "size_bytes": letter.size_bytes,
            "print_batch_id": letter.print_batch_id,
        }
        for letter in letters_of_case(session, case_id)
    ]
    notifications = list(
        session.exec(select(Notification).where(Notification.arrears_case_id == case_id))
    )
    answers = answers_of(session, [n.id for n in notifications if n.id is not None])
    detail["notifications"] = [
        {"id": n.id, "kind": str(n.kind), "municipality_code": n.municipality_code,
         "created_on": n.created_on.isoformat(), "status": str(n.status),
         "delivered_at": None if n.delivered_at is None else n.delivered_at.isoformat(),
         "delivered_via": None if n.delivered_via is None else str(n.delivered_via),
         "answers": [answer_json(a) for a in answers if a.notification_id == n.id]}
        for n in notifications
    ]  # fmt: skip
    return detail


def show_case(args: argparse.Namespace, context: CliContext) -> int:
    with context.unit_of_work() as session:
        detail = case_detail(session, args.id)
    if args.json:
        context.print_json(detail)
        return 0
    context.print(
        f"Sag {detail['id']} ({detail['cvr']}), lejemål {detail['unit_number']}, forfald "
        f"{detail['due_date']}: {detail['state']}"
    )
    for key in ("pakrav_date", "channel", "arrival_date", "deadline", "earliest_termination",
                "termination_date", "eviction_date", "payment_plan_id", "closed_on"):  # fmt: skip
        if detail[key] is not None:
            context.print(f"  {key}: {detail[key]}")
    context.print(f"  amount: {format_kr(detail['amount_oere'], suffix=True)}")
    if detail["fee_oere"] is not None:
        context.print(f"  fee: {format_kr(detail['fee_oere'], suffix=True)} ({detail['fee_year']})")
    for line in detail["lines"]:
        context.print(
            f"    {line['due_date']}  {line['text']:<30} {format_kr(line['amount_oere']):>12}"
        )
    context.print("  history:")
    for event in detail["events"]:
        context.print(
            f"    {event['on_date']} {event['from_state'] or '-'} -> {event['to_state']} "
            f"[{event['actor']}] {event['reason']}"
        )
    for letter in detail["letters"]:
        context.print(
            f"  letter {letter['id']}: {letter['kind']} by {letter['channel']} "
            f"{letter['dispatch_date']} ({letter['status']}) sha256 {letter['sha256'][:16]}…"
        )
    for n in detail["notifications"]:
        via = f" via {n['delivered_via']} {n['delivered_at']}" if n["delivered_at"] else ""
        context.print(
            f"  notification {n['id']}: {n['kind']} to municipality {n['municipality_code']} "
            f"({n['status']}{via})"
        )
        for answer in n["answers"]:
            context.print(
                f"    answer from municipality {answer['municipality_code']} "
                f"{answer['received_at'][:10]}: {describe_answer(answer)}"
            )
    return 0


def approve_case(args: argparse.Namespace, context: CliContext) -> int:
    actor, today = _actor(args.by), context.today()
    with context.unit_of_work() as session:
        if args.action == "pakrav":
            outcome = approvals.approve_pakrav(session, args.id, today=today, actor=actor)
        elif args.action == "terminate":
            outcome = approvals.approve_termination(
                session, args.id, today=today, actor=actor, tools=LETTER_TOOLS,
                rehousing_confirmed=args.rehousing_confirmed,
            )  # fmt: skip
        else:
            outcome = approvals.approve_eviction(
                session, args.id, today=today, actor=actor, tools=LETTER_TOOLS
            )
        org_id = require_case(session, outcome.case_id).organisation_id
    context.print(f"case {outcome.case_id}: {outcome.state}")
    if outcome.letter_id is not None:
        context.print(f"  letter {outcome.letter_id} stored")
    if outcome.notifications:
        context.print(f"  {outcome.notifications} municipality notification created")
        # ALL § 92, stk. 2: no later than the request itself, so it goes out now.
        report = dispatch_now(context.unit_of_work, context.settings, organisation_id=org_id)
        context.print(f"  notifications: {report_text(report)}")
    return 0


def reject_case(args: argparse.Namespace, context: CliContext) -> int:
    with context.unit_of_work() as session:
        outcome = approvals.reject(
            session, args.id, today=context.today(), actor=_actor(args.by), reason=args.reason
        )
    context.print(f"case {outcome.case_id}: {outcome.state}")
    return 0


def close_case(args: argparse.Namespace, context: CliContext) -> int:
    with context.unit_of_work() as session:
        outcome = approvals.close(
            session, args.id, close_as=args.close_as, today=context.today(),
            actor=_actor(args.by), reason=args.reason,
        )  # fmt: skip
    context.print(f"case {outcome.case_id}: {outcome.state}")
    return 0
