"""``almen municipality``: the 98 municipalities, how each takes its notifications, and their
API keys for the pull API."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.cli.context import CliContext
from ledger.municipalities import municipality_names
from workflows.notifications.api_keys import create_key, keys_of, revoke_key
from workflows.notifications.models import (
    MunicipalityApiKey,
    MunicipalityDelivery,
    Notification,
    NotificationStatus,
)
from workflows.notifications.registry import DeliveryChoice, require_municipality, set_delivery

WAITING = (NotificationStatus.PENDING, NotificationStatus.SENDING, NotificationStatus.FAILED)


def kommunekode(text: str) -> int:
    if not text.strip().isdigit() or len(text.strip()) > 3:
        raise argparse.ArgumentTypeError(f"expected a kommunekode (e.g. 101), got {text!r}")
    return int(text)


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "municipality", help="municipalities (kommuner): delivery of notifications, API keys"
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    setting: argparse.ArgumentParser = actions.add_parser(
        "set", help="how a municipality takes its notifications: e-mail, webhook or pull only"
    )
    setting.add_argument("--code", type=kommunekode, required=True, help="kommunekode, e.g. 751")
    setting.add_argument(
        "--email", action="append", default=[], metavar="ADDR", help="e-mail address (repeat)"
    )
    setting.add_argument("--webhook", metavar="URL", help="https URL for a signed POST")
    setting.add_argument(
        "--secret", metavar="S", help="the webhook's shared secret (32+ characters; - reads stdin)"
    )
    setting.add_argument(
        "--pull-only", action="store_true", help="only through the API (/municipality/v1)"
    )
    setting.add_argument("--by", default="cli", help="who sets it (kept on the row)")
    setting.add_argument("--json", action="store_true", help="print JSON")
    setting.set_defaults(handler=set_municipality)
    listing: argparse.ArgumentParser = actions.add_parser(
        "list", help="the 98 municipalities with their delivery and waiting notifications"
    )
    listing.add_argument("--configured", action="store_true", help="only those set up")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=list_municipalities)
    _register_keys(actions)


def _register_keys(actions: Any) -> None:
    key: argparse.ArgumentParser = actions.add_parser(
        "key", help="API keys of the municipalities (for /municipality/v1)"
    )
    key_actions = key.add_subparsers(dest="key_action", metavar="ACTION", required=True)
    create: argparse.ArgumentParser = key_actions.add_parser("create", help="a new API key")
    create.add_argument("--code", type=kommunekode, required=True, help="kommunekode")
    create.add_argument("--label", default="", help="e.g. the municipality's system")
    create.add_argument("--by", required=True, help="who creates it")
    create.add_argument("--json", action="store_true", help="print JSON")
    create.set_defaults(handler=create_api_key)
    revoke: argparse.ArgumentParser = key_actions.add_parser("revoke", help="revoke an API key")
    revoke.add_argument("key_id", help="the key's id (the 12 characters after almk_)")
    revoke.add_argument("--by", required=True, help="who revokes it")
    revoke.set_defaults(handler=revoke_api_key)
    listing: argparse.ArgumentParser = key_actions.add_parser("list", help="API keys")
    listing.add_argument("--code", type=kommunekode, help="only this municipality")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=list_api_keys)


def delivery_json(row: MunicipalityDelivery | None, code: int) -> dict[str, Any]:
    """A municipality's setting as shown (the webhook secret never)."""
    return {
        "code": code,
        "name": municipality_names()[code],
        "method": None if row is None else str(row.method),
        "emails": [] if row is None else list(row.email_addresses),
        "webhook_url": None if row is None else row.webhook_url,
        "webhook_secret": None if row is None or row.webhook_secret is None else "(set)",
        "updated_at": None if row is None else row.updated_at.isoformat(),
        "updated_by": None if row is None else row.updated_by,
    }


def set_municipality(args: argparse.Namespace, context: CliContext) -> int:
    secret = args.secret
    if secret == "-":
        secret = sys.stdin.readline().strip()
    choice = DeliveryChoice(args.email, args.webhook, secret, args.pull_only)
    with context.unit_of_work() as session:
        row, warnings = set_delivery(session, args.code, choice, by=f"cli:{args.by}")
        shown = delivery_json(row, args.code)
    for warning in warnings:
        context.warn(warning)
    if args.json:
        context.print_json(shown)
        return 0
    context.print(f"{shown['code']} {shown['name']}: {_describe(shown)}")
    return 0


def _describe(shown: dict[str, Any]) -> str:
    method = shown["method"]
    if method == "email":
        return "e-mail to " + ", ".join(shown["emails"])
    if method == "webhook":
        return f"webhook {shown['webhook_url']} (signed with the shared secret)"
    if method == "pull":
        return "pull only (/municipality/v1)"
    return "not set up: notifications wait (almen municipality set)"


def _counts(session: Session) -> tuple[Counter[int], Counter[int], Counter[int]]:
    waiting: Counter[int] = Counter()
    dead: Counter[int] = Counter()
    rows = session.exec(
        select(Notification.municipality_code, Notification.status, sa.func.count())
        .where(col(Notification.status) != NotificationStatus.DELIVERED)
        .group_by(col(Notification.municipality_code), col(Notification.status))
    )
    for code, status, count in rows:
        if status == NotificationStatus.DEAD_LETTER:
            dead[code] += count
        elif status in WAITING:
            waiting[code] += count
    keys: Counter[int] = Counter(
        code
        for code in session.exec(
            select(MunicipalityApiKey.municipality_code).where(
                col(MunicipalityApiKey.revoked_at).is_(None)
            )
        )
    )
    return waiting, dead, keys


def list_municipalities(args: argparse.Namespace, context: CliContext) -> int:
    with context.unit_of_work() as session:
        settings = {
            row.municipality_code: row for row in session.exec(select(MunicipalityDelivery))
        }
        waiting, dead, keys = _counts(session)
    rows = []
    for code in sorted(municipality_names()):
        if args.configured and code not in settings:
            continue
        shown = delivery_json(settings.get(code), code)
        shown.update(waiting=waiting[code], dead_letter=dead[code], api_keys=keys[code])
        rows.append(shown)
    if args.json:
        context.print_json(rows)
        return 0
    for row in rows:
        extra = f"  {row['waiting']} waiting" if row["waiting"] else ""
        extra += f"  {row['dead_letter']} DEAD LETTERS" if row["dead_letter"] else ""
        extra += f"  {row['api_keys']} API keys" if row["api_keys"] else ""
        context.print(f"{row['code']:>3} {row['name']:<20} {_describe(row)}{extra}")
    context.print(f"{len(rows)} municipalities, {len(settings)} set up")
    return 0


def key_json(row: MunicipalityApiKey) -> dict[str, Any]:
    return {
        "key_id": row.key_id,
        "code": row.municipality_code,
        "name": municipality_names().get(row.municipality_code, ""),
        "label": row.label,
        "created_at": row.created_at.isoformat(),
        "created_by": row.created_by,
        "revoked_at": None if row.revoked_at is None else row.revoked_at.isoformat(),
        "revoked_by": row.revoked_by,
    }


def create_api_key(args: argparse.Namespace, context: CliContext) -> int:
    with context.unit_of_work() as session:
        row, token = create_key(session, args.code, label=args.label, by=f"cli:{args.by}")
        shown = key_json(row)
    if args.json:
        context.print_json({**shown, "token": token})
        return 0
    context.print(f"API key {row.key_id} for {row.municipality_code} {shown['name']}:")
    context.print(f"  {token}")
    context.print(
        "Give it to the municipality now: almen keeps only its hash and cannot show it again."
    )
    return 0


def revoke_api_key(args: argparse.Namespace, context: CliContext) -> int:
    with context.unit_of_work() as session:
        row = revoke_key(session, args.key_id, by=f"cli:{args.by}")
    context.print(f"API key {row.key_id} of municipality {row.municipality_code} revoked")
    return 0


def list_api_keys(args: argparse.Namespace, context: CliContext) -> int:
    if args.code is not None:
        require_municipality(args.code)
    with context.unit_of_work() as session:
        rows = [key_json(row) for row in keys_of(session, args.code)]
    if args.json:
        context.print_json(rows)
        return 0
    for row in rows:
        state = "revoked " + row["revoked_at"][:10] if row["revoked_at"] else "active"
        context.print(
            f"{row['key_id']}  {row['code']} {row['name']:<20} {state:<19} {row['label']}"
        )
    context.print(f"{len(rows)} API keys")
    return 0
