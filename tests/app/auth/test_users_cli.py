"""``almen users``: the first admin, roles, tokens; every change in the audit log."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session, select

from app.auth.models import AuditEvent
from app.auth.roles import Permission
from app.auth.service import authenticate, resolve_token
from tests import factories
from tests.cli import Runner

PASSWORD = "et langt kodeord"
NOW = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)


def test_create_the_first_admin_and_log_in(cli: Runner, session: Session) -> None:
    org = factories.organisation(session)
    session.commit()
    result = cli(
        "users", "create", "--username", "anne", "--name", "Anne Hansen",
        "--organisation", org.cvr, "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert authenticate(session, "anne", PASSWORD, now=NOW) is not None
    listed = cli("users", "list")
    assert "anne" in listed.out and "admin" in listed.out and org.cvr in listed.out
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "user.create")).all()
    assert [(e.actor, e.organisation_id, e.after) for e in events] == [
        ("cli", org.id, {"username": "anne", "role": "admin"})
    ]


def test_a_token_from_the_cli_grants_what_the_roles_grant(cli: Runner, session: Session) -> None:
    org = factories.organisation(session)
    session.commit()
    cli(
        "users", "create", "--username", "script", "--name", "Script", "--organisation",
        org.cvr, "--role", "auditor", "--password-stdin", stdin=PASSWORD,
    )  # fmt: skip
    result = cli("users", "token", "--username", "script", "--days", "7")
    assert result.code == 0, result.err
    token = result.out.strip()
    principal = resolve_token(session, token, now=datetime.now(UTC))
    assert principal is not None and org.id is not None
    assert principal.may(org.id, Permission.READ) and not principal.may(org.id, Permission.WRITE)


def test_bad_input_is_named_and_changes_nothing(cli: Runner, session: Session) -> None:
    org = factories.organisation(session)
    session.commit()
    short = cli(
        "users", "create", "--username", "anne", "--name", "Anne", "--organisation", org.cvr,
        "--role", "admin", "--password-stdin", stdin="kort\n",
    )  # fmt: skip
    assert short.code == 1 and "12 characters" in short.err
    unknown = cli("users", "grant", "--username", "ghost", "--organisation", org.cvr, "--role",
                  "auditor")  # fmt: skip
    assert unknown.code == 1 and "no user 'ghost'" in unknown.err
    assert session.exec(select(AuditEvent)).all() == []
