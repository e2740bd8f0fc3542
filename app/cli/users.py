"""``almen users``: people who log in to the API and the web page, their roles per
organisation, and API tokens. Every change is written to the audit log as ``cli``.

The first admin of a new installation::

    printf '%s\\n' 'a-long-password' | almen users create --username anne \\
        --name "Anne Hansen" --organisation 12345674 --role admin --password-stdin
"""

from __future__ import annotations

import argparse
import getpass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from app.auth import audit
from app.auth.models import Membership, TokenKind, User
from app.auth.roles import Role
from app.auth.service import create_user as create_user_row
from app.auth.service import grant, issue_token, require_user, revoke, set_password
from app.cli.context import CliContext, CliError
from ledger.models import Organisation
from ledger.registry import require_organisation
from ledger.types import utc_now

ROLES = [role.value for role in Role]


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "users", help="users of the API and web page, their roles, API tokens"
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="create a user with a first role")
    create.add_argument("--username", required=True)
    create.add_argument("--name", required=True, help="full name, shown in the audit log")
    _role_arguments(create)
    create.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    create.set_defaults(handler=create_user)
    for name, handler, text in (
        ("grant", grant_role, "give a user a role in an organisation"),
        ("revoke", revoke_role, "take a role away"),
    ):
        action = actions.add_parser(name, help=text)
        action.add_argument("--username", required=True)
        _role_arguments(action)
        action.set_defaults(handler=handler)
    password = actions.add_parser("password", help="set a user's password")
    password.add_argument("--username", required=True)
    password.add_argument("--password-stdin", action="store_true")
    password.set_defaults(handler=change_password)
    token = actions.add_parser("token", help="issue an API token (printed once)")
    token.add_argument("--username", required=True)
    token.add_argument("--days", type=int, default=90, help="lifetime, 1-365 days")
    token.add_argument("--label", default=None)
    token.set_defaults(handler=create_token)
    deactivate = actions.add_parser("deactivate", help="stop a user from logging in")
    deactivate.add_argument("--username", required=True)
    deactivate.set_defaults(handler=deactivate_user)
    actions.add_parser("list", help="users and their roles").set_defaults(handler=list_users)


def _role_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--organisation", required=True, metavar="CVR")
    parser.add_argument("--role", required=True, choices=ROLES)


def _read_password(args: argparse.Namespace, context: CliContext) -> str:
    if args.password_stdin:
        return context.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Again: "):
        raise CliError("the two passwords differ")
    return first


def create_user(args: argparse.Namespace, context: CliContext) -> int:
    password = _read_password(args, context)
    with context.unit_of_work() as session:
        organisation = require_organisation(session, args.organisation)
        user = create_user_row(session, args.username, args.name, password, created_by="cli")
        grant(session, user, organisation, Role(args.role), granted_by="cli")
        _audit_membership(session, "user.create", user, organisation, args.role)
        context.print(f"created {user.username} ({args.role} in {organisation.cvr})")
    return 0


def grant_role(args: argparse.Namespace, context: CliContext) -> int:
    with context.unit_of_work() as session:
        organisation = require_organisation(session, args.organisation)
        user = require_user(session, args.username)
        grant(session, user, organisation, Role(args.role), granted_by="cli")
        _audit_membership(session, "user.grant", user, organisation, args.role)
        context.print(f"{user.username}: {args.role} in {organisation.cvr}")
    return 0


def revoke_role(args: argparse.Namespace, context: CliContext) -> int:
    with context.unit_of_work() as session:
        organisation = require_organisation(session, args.organisation)
        user = require_user(session, args.username)
        done = revoke(session, user, organisation, Role(args.role), revoked_by="cli", now=utc_now())
        if not done:
            raise CliError(f"{user.username} has no role {args.role} in {organisation.cvr}")
        _audit_membership(session, "user.revoke", user, organisation, args.role)
        context.print(f"{user.username}: {args.role} in {organisation.cvr} revoked")
    return 0


def _audit_membership(
    session: Session, action: str, user: User, organisation: Organisation, role: str
) -> None:
    audit.record(
        session,
        "cli",
        action,
        organisation_id=organisation.id,
        object_type="user",
        object_id=user.id,
        after={"username": user.username, "role": role},
    )


def change_password(args: argparse.Namespace, context: CliContext) -> int:
    password = _read_password(args, context)
    with context.unit_of_work() as session:
        user = require_user(session, args.username)
        set_password(session, user, password)
        user.failed_logins, user.locked_until = 0, None
        audit.record(
            session, "cli", "user.password", organisation_id=None, object_type="user",
            object_id=user.id,
        )  # fmt: skip
        context.print(f"password of {user.username} set")
    return 0


def create_token(args: argparse.Namespace, context: CliContext) -> int:
    with context.unit_of_work() as session:
        user = require_user(session, args.username)
        issued = issue_token(
            session, user, TokenKind.API, now=utc_now(), lifetime=timedelta(days=args.days),
            label=args.label,
        )  # fmt: skip
        audit.record(
            session, "cli", "token.create", organisation_id=None, object_type="auth_token",
            object_id=issued.row.token_id, after={"username": user.username, "days": args.days},
        )  # fmt: skip
        context.print(issued.token)
        context.warn(f"the token is shown once; it expires {issued.row.expires_at:%Y-%m-%d}")
    return 0


def deactivate_user(args: argparse.Namespace, context: CliContext) -> int:
    with context.unit_of_work() as session:
        user = require_user(session, args.username)
        user.active = False
        session.add(user)
        audit.record(
            session, "cli", "user.deactivate", organisation_id=None, object_type="user",
            object_id=user.id, before={"active": True}, after={"active": False},
        )  # fmt: skip
        context.print(f"{user.username} deactivated")
    return 0


def list_users(args: argparse.Namespace, context: CliContext) -> int:
    with context.unit_of_work() as session:
        rows = session.execute(
            sa.select(
                col(User.username),
                col(User.full_name),
                col(User.active),
                col(Organisation.cvr),
                col(Membership.role),
            )
            .join(Membership, col(Membership.user_id) == col(User.id), isouter=True)
            .join(Organisation, col(Organisation.id) == col(Membership.organisation_id))
            .where(col(Membership.revoked_at).is_(None))
            .order_by(col(User.username), col(Organisation.cvr))
        ).all()
    for username, full_name, active, cvr, role in rows:
        state = "" if active else "  (deactivated)"
        context.print(f"{username:<20} {full_name:<30} {cvr} {role}{state}")
    return 0
