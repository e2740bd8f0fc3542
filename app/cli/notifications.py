"""``almen notifications``: municipality notifications (underretninger): list, show, history,
dispatch, retry."""

from __future__ import annotations

import argparse
from typing import Any

from sqlmodel import Session, col, select

from app.cli import args as types
from app.cli.context import CliContext, CliError
from app.notify import dispatch_now
from ledger.models import Tenancy, Unit
from ledger.municipalities import municipality_names
from ledger.registry import require_organisation
from ledger.types import utc_now
from workflows.notifications.dispatch import DispatchReport, requeue
from workflows.notifications.models import (
    MunicipalityDelivery,
    Notification,
    NotificationAttachment,
    NotificationAttempt,
    NotificationKind,
    NotificationStatus,
)
from workflows.notifications.pull import answers_of

MAX_LISTED = 100_000


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "notifications", help="municipality notifications (ABL § 59 stk. 11, ALL § 92 stk. 2)"
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing: argparse.ArgumentParser = actions.add_parser("list", help="list notifications")
    listing.add_argument("--organisation", type=types.cvr, help="only this CVR")
    listing.add_argument("--kind", choices=[str(k) for k in NotificationKind])
    listing.add_argument("--status", choices=[str(s) for s in NotificationStatus])
    listing.add_argument("--municipality", type=int, metavar="CODE", help="only this kommunekode")
    listing.add_argument("--limit", type=int, default=10_000, help="at most this many")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=list_notifications)
    show: argparse.ArgumentParser = actions.add_parser("show", help="one notification's payload")
    show.add_argument("id", type=int)
    show.set_defaults(handler=show_notification)
    history: argparse.ArgumentParser = actions.add_parser(
        "history", help="one notification's delivery: every attempt, and the answers"
    )
    history.add_argument("id", type=int)
    history.add_argument("--json", action="store_true", help="print JSON")
    history.set_defaults(handler=show_history)
    dispatching: argparse.ArgumentParser = actions.add_parser(
        "dispatch", help="send the notifications that are due now"
    )
    dispatching.add_argument("--organisation", type=types.cvr, help="only this CVR")
    dispatching.add_argument("--json", action="store_true", help="print JSON")
    dispatching.set_defaults(handler=dispatch_due)
    retry: argparse.ArgumentParser = actions.add_parser(
        "retry", help="put dead letters (or failed ones) back for sending now"
    )
    retry.add_argument("ids", type=int, nargs="*", metavar="ID")
    retry.add_argument(
        "--all-dead-letters", action="store_true", help="every dead letter (of --municipality)"
    )
    retry.add_argument("--municipality", type=int, metavar="CODE")
    retry.add_argument("--by", required=True, help="who puts them back")
    retry.set_defaults(handler=retry_notifications)


def list_notifications(args: argparse.Namespace, context: CliContext) -> int:
    with context.unit_of_work() as session:
        query = (
            select(Notification, Unit.unit_number, MunicipalityDelivery.method)
            .join(Tenancy, col(Tenancy.id) == col(Notification.tenancy_id))
            .join(Unit, col(Unit.id) == col(Tenancy.unit_id))
            .join(
                MunicipalityDelivery,
                col(MunicipalityDelivery.municipality_code) == col(Notification.municipality_code),
                isouter=True,
            )
            .order_by(col(Notification.id))
            .limit(max(1, min(args.limit, MAX_LISTED)))
        )
        if args.organisation:
            organisation = require_organisation(session, args.organisation)
            query = query.where(Notification.organisation_id == organisation.id)
        if args.kind:
            query = query.where(Notification.kind == NotificationKind(args.kind))
        if args.status:
            query = query.where(Notification.status == NotificationStatus(args.status))
        if args.municipality is not None:
            query = query.where(Notification.municipality_code == args.municipality)
        rows = [_row(n, unit, method) for n, unit, method in session.exec(query)]
    if args.json:
        context.print_json(rows)
        return 0
    for row in rows:
        line = (
            f"{row['id']:>6}  {row['created_on']}  {row['kind']:<18} kommune "
            f"{row['municipality_code']}  lejemål {row['unit_number']:<10} {row['status']:<11} "
            f"via {row['channel']}"
        )
        if row["attempts"]:
            line += f", {row['attempts']} attempts"
        if row["dead_letter_reason"]:
            line += f": {row['dead_letter_reason']}"
        context.print(line)
    context.print(f"{len(rows)} notifications")
    return 0


def _row(n: Notification, unit_number: str, method: str | None) -> dict[str, Any]:
    def stamp(value: Any) -> str | None:
        return None if value is None else value.isoformat()

    return {
        "id": n.id,
        "municipality_code": n.municipality_code,
        "kind": str(n.kind),
        "unit_number": unit_number,
        "created_on": n.created_on.isoformat(),
        "status": str(n.status),
        "channel": "none (not set up)" if method is None else str(method),
        "case_id": n.arrears_case_id,
        "moveout_case_id": n.moveout_case_id,
        "idempotency_key": n.idempotency_key,
        "attempts": n.attempts,
        "next_attempt_at": stamp(n.next_attempt_at)
        if n.status in (NotificationStatus.PENDING, NotificationStatus.FAILED)
        else None,
        "delivered_at": stamp(n.delivered_at),
        "delivered_via": None if n.delivered_via is None else str(n.delivered_via),
        "acknowledged_at": stamp(n.acknowledged_at),
        "dead_letter_reason": n.dead_letter_reason,
        "requeued_at": stamp(n.requeued_at),
        "requeued_by": n.requeued_by,
    }


def show_notification(args: argparse.Namespace, context: CliContext) -> int:
    with context.unit_of_work() as session:
        notification = session.get(Notification, args.id)
        if notification is None:
            raise CliError(f"no notification {args.id}")
        context.print_json(notification.payload)
    return 0


def history_of(session: Session, notification_id: int) -> dict[str, Any]:
    notification = session.get(Notification, notification_id)
    if notification is None:
        raise CliError(f"no notification {notification_id}")
    tenancy = session.get(Tenancy, notification.tenancy_id)
    assert tenancy is not None
    unit = session.get(Unit, tenancy.unit_id)
    assert unit is not None
    method = session.exec(
        select(MunicipalityDelivery.method).where(
            MunicipalityDelivery.municipality_code == notification.municipality_code
        )
    ).first()
    detail = _row(notification, unit.unit_number, method)
    detail["municipality_name"] = municipality_names().get(notification.municipality_code, "")
    attachment = session.get(NotificationAttachment, notification_id)
    detail["attachment"] = None if attachment is None else {
        "filename": attachment.filename, "sha256": attachment.sha256,
        "size_bytes": attachment.size_bytes, "source": attachment.source,
    }  # fmt: skip
    detail["attempt_history"] = [
        {
            "number": a.number,
            "channel": str(a.channel),
            "target": a.target,
            "started_at": a.started_at.isoformat(),
            "finished_at": None if a.finished_at is None else a.finished_at.isoformat(),
            "outcome": str(a.outcome),
            "receipt": a.receipt,
        }
        for a in session.exec(
            select(NotificationAttempt)
            .where(NotificationAttempt.notification_id == notification_id)
            .order_by(col(NotificationAttempt.number))
        )
    ]
    detail["answers"] = [answer_json(a) for a in answers_of(session, [notification_id])]
    return detail


def answer_json(answer: Any) -> dict[str, Any]:
    return {
        "received_at": answer.received_at.isoformat(),
        "municipality_code": answer.municipality_code,
        "meeting_held_on": None
        if answer.meeting_held_on is None
        else answer.meeting_held_on.isoformat(),
        "tenant_consent": answer.tenant_consent,
        "decision": answer.decision,
        "note": answer.note,
    }


def show_history(args: argparse.Namespace, context: CliContext) -> int:
    with context.unit_of_work() as session:
        detail = history_of(session, args.id)
    if args.json:
        context.print_json(detail)
        return 0
    context.print(
        f"Notification {detail['id']}: {detail['kind']} to {detail['municipality_name']} "
        f"({detail['municipality_code']}), lejemål {detail['unit_number']}, created "
        f"{detail['created_on']}, key {detail['idempotency_key']}"
    )
    context.print(f"  status: {detail['status']} (via {detail['channel']})")
    for name in ("delivered_at", "delivered_via", "acknowledged_at", "next_attempt_at",
                 "dead_letter_reason", "requeued_at", "requeued_by"):  # fmt: skip
        if detail[name]:
            context.print(f"  {name}: {detail[name]}")
    if detail["attachment"]:
        a = detail["attachment"]
        context.print(
            f"  attachment: {a['filename']} ({a['size_bytes']} bytes, sha256 {a['sha256']})"
        )
    for a in detail["attempt_history"]:
        context.print(
            f"  attempt {a['number']}: {a['started_at']} {a['channel']} {a['target']} -> "
            f"{a['outcome']}: {a['receipt'] or ''}"
        )
    for answer in detail["answers"]:
        context.print(f"  answer {answer['received_at']}: {describe_answer(answer)}")
    return 0


def describe_answer(answer: dict[str, Any]) -> str:
    parts = []
    if answer["meeting_held_on"]:
        parts.append(f"meeting held {answer['meeting_held_on']}")
    if answer["decision"]:
        parts.append(f"decision (shared with the tenant's consent): {answer['decision']}")
    if answer["note"]:
        parts.append(f"note: {answer['note']}")
    return "; ".join(parts)


def report_text(report: DispatchReport) -> str:
    return (
        f"{report.delivered} delivered, {report.retrying} to be tried again, "
        f"{report.dead_letter} dead letters ({report.claimed} attempts; {report.published} "
        "new in the municipalities' feed)"
    )


def dispatch_due(args: argparse.Namespace, context: CliContext) -> int:
    organisation_id = None
    if args.organisation:
        with context.unit_of_work() as session:
            organisation_id = require_organisation(session, args.organisation).id
    report = dispatch_now(context.unit_of_work, context.settings, organisation_id=organisation_id)
    if args.json:
        context.print_json(report.as_dict())
    else:
        context.print(report_text(report))
    return 0


def retry_notifications(args: argparse.Namespace, context: CliContext) -> int:
    if bool(args.ids) == args.all_dead_letters:
        raise CliError("give notification ids, or --all-dead-letters")
    with context.unit_of_work() as session:
        ids = list(args.ids)
        if args.all_dead_letters:
            query = select(Notification.id).where(
                Notification.status == NotificationStatus.DEAD_LETTER
            )
            if args.municipality is not None:
                query = query.where(Notification.municipality_code == args.municipality)
            ids = [i for i in session.exec(query) if i is not None]
        done = requeue(session, ids, utc_now(), by=f"cli:{args.by}")
    skipped = sorted(set(ids) - set(done))
    context.print(f"{len(done)} notifications put back for sending (by {args.by})")
    if skipped:
        context.warn(f"not dead letters or failed, left as they are: {skipped}")
    return 0
