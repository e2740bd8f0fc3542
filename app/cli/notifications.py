"""``almen notifications``: municipality notifications (underretninger) waiting or sent."""

from __future__ import annotations

import argparse
from typing import Any

from sqlmodel import col, select

from app.cli import args as types
from app.cli.context import CliContext, CliError
from ledger.models import Tenancy, Unit
from ledger.registry import require_organisation
from workflows.arrears.models import Notification, NotificationKind, NotificationStatus


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "notifications", help="municipality notifications (ABL § 59 stk. 11, ALL § 92 stk. 2)"
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing: argparse.ArgumentParser = actions.add_parser("list", help="list notifications")
    listing.add_argument("--organisation", type=types.cvr, help="only this CVR")
    listing.add_argument("--kind", choices=[str(k) for k in NotificationKind])
    listing.add_argument("--status", choices=[str(s) for s in NotificationStatus])
    listing.add_argument("--limit", type=int, default=10_000, help="at most this many")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=list_notifications)
    show: argparse.ArgumentParser = actions.add_parser("show", help="one notification's payload")
    show.add_argument("id", type=int)
    show.set_defaults(handler=show_notification)


def list_notifications(args: argparse.Namespace, context: CliContext) -> int:
    with context.unit_of_work() as session:
        query = (
            select(Notification, Unit.unit_number)
            .join(Tenancy, col(Tenancy.id) == col(Notification.tenancy_id))
            .join(Unit, col(Unit.id) == col(Tenancy.unit_id))
            .order_by(col(Notification.id))
            .limit(max(1, min(args.limit, 100_000)))
        )
        if args.organisation:
            organisation = require_organisation(session, args.organisation)
            query = query.where(Notification.organisation_id == organisation.id)
        if args.kind:
            query = query.where(Notification.kind == NotificationKind(args.kind))
        if args.status:
            query = query.where(Notification.status == NotificationStatus(args.status))
        rows = [
            {
                "id": n.id,
                "municipality_code": n.municipality_code,
                "kind": str(n.kind),
                "unit_number": unit_number,
                "created_on": n.created_on.isoformat(),
                "status": str(n.status),
                "case_id": n.case_id,
                "idempotency_key": n.idempotency_key,
            }
            for n, unit_number in session.exec(query)
        ]
    if args.json:
        context.print_json(rows)
        return 0
    for row in rows:
        context.print(
            f"{row['id']:>6}  {row['created_on']}  {row['kind']:<18} kommune "
            f"{row['municipality_code']}  lejemål {row['unit_number']:<10} {row['status']}"
        )
    context.print(f"{len(rows)} notifications")
    return 0


def show_notification(args: argparse.Namespace, context: CliContext) -> int:
    with context.unit_of_work() as session:
        notification = session.get(Notification, args.id)
        if notification is None:
            raise CliError(f"no notification {args.id}")
        context.print_json(notification.payload)
    return 0
