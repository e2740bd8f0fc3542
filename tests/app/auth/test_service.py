"""Users, roles, sessions and tokens (app/auth/service.py), and the audit log's table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from app.auth import audit
from app.auth.models import AuditEvent, TokenKind, User
from app.auth.passwords import PasswordError
from app.auth.roles import Permission, Role
from app.auth.service import (
    LOCKOUT,
    MAX_FAILED_LOGINS,
    SESSION_IDLE,
    AuthError,
    Principal,
    authenticate,
    create_user,
    grant,
    issue_token,
    resolve_token,
    revoke,
    revoke_token,
)
from tests import factories

NOW = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)
PASSWORD = "korrekt hest batteri"


def test_a_user_logs_in_with_the_right_password_only(session: Session) -> None:
    create_user(session, "Anne", "Anne Hansen", PASSWORD, created_by="test")
    user = authenticate(session, "anne", PASSWORD, now=NOW)
    assert user is not None and user.username == "anne"
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert authenticate(session, "anne", PASSWORD + "x", now=NOW) is None
    assert authenticate(session, "nobody", PASSWORD, now=NOW) is None


def test_short_passwords_and_odd_usernames_are_refused(session: Session) -> None:
    with pytest.raises(PasswordError, match="12 characters"):
        create_user(session, "anne", "Anne", "kort", created_by="test")
    with pytest.raises(AuthError, match="letters, digits"):
        create_user(session, "anne hansen", "Anne", PASSWORD, created_by="test")
    create_user(session, "anne", "Anne", PASSWORD, created_by="test")
    with pytest.raises(AuthError, match="exists"):
        create_user(session, "ANNE", "Anne", PASSWORD, created_by="test")


def test_ten_wrong_passwords_lock_the_user_for_a_while(session: Session) -> None:
    create_user(session, "anne", "Anne", PASSWORD, created_by="test")
    for _ in range(MAX_FAILED_LOGINS):
        assert authenticate(session, "anne", "forkert kodeord!", now=NOW) is None
    assert authenticate(session, "anne", PASSWORD, now=NOW) is None  # locked
    later = NOW + LOCKOUT + timedelta(seconds=1)
    assert authenticate(session, "anne", PASSWORD, now=later) is not None


def test_roles_are_per_organisation(session: Session) -> None:
    a = factories.organisation(session)
    b = factories.organisation(session, cvr=factories.OTHER_CVR)
    user = create_user(session, "anne", "Anne", PASSWORD, created_by="test")
    grant(session, user, a, Role.APPROVER, granted_by="test")
    grant(session, user, b, Role.AUDITOR, granted_by="test")
    principal = _login(session, user)
    assert a.id is not None and b.id is not None
    assert principal.may(a.id, Permission.APPROVE)
    assert principal.may(b.id, Permission.READ)
    assert not principal.may(b.id, Permission.WRITE)
    assert not principal.may(a.id, Permission.ADMIN)
    revoke(session, user, a, Role.APPROVER, revoked_by="test", now=NOW)
    assert not _login(session, user).may(a.id, Permission.READ)


def test_an_admin_does_not_approve_without_the_approver_role(session: Session) -> None:
    org = factories.organisation(session)
    user = create_user(session, "anne", "Anne", PASSWORD, created_by="test")
    grant(session, user, org, Role.ADMIN, granted_by="test")
    assert org.id is not None
    assert not _login(session, user).may(org.id, Permission.APPROVE)
    grant(session, user, org, Role.APPROVER, granted_by="test")
    assert _login(session, user).may(org.id, Permission.APPROVE)


def test_a_session_expires_when_idle_and_when_revoked(session: Session) -> None:
    user = create_user(session, "anne", "Anne", PASSWORD, created_by="test")
    issued = issue_token(session, user, TokenKind.SESSION, now=NOW)
    assert issued.token.startswith("alms_")
    assert issued.row.secret_sha256 != issued.token and issued.token not in str(issued.row)
    assert resolve_token(session, issued.token, now=NOW + timedelta(minutes=59)) is not None
    idle = NOW + timedelta(minutes=59) + SESSION_IDLE
    assert resolve_token(session, issued.token, now=idle) is None
    other = issue_token(session, user, TokenKind.SESSION, now=NOW)
    assert other.row.id is not None
    revoke_token(session, other.row.id, now=NOW)
    assert resolve_token(session, other.token, now=NOW) is None
    assert resolve_token(session, other.token[:-1] + "x", now=NOW) is None


def test_an_api_token_lives_its_days_and_not_longer(session: Session) -> None:
    user = create_user(session, "script", "Nightly script", PASSWORD, created_by="test")
    issued = issue_token(session, user, TokenKind.API, now=NOW, lifetime=timedelta(days=30))
    assert resolve_token(session, issued.token, now=NOW + timedelta(days=29)) is not None
    assert resolve_token(session, issued.token, now=NOW + timedelta(days=30)) is None
    with pytest.raises(AuthError, match="365"):
        issue_token(session, user, TokenKind.API, now=NOW, lifetime=timedelta(days=400))


def test_a_deactivated_user_loses_their_sessions(session: Session) -> None:
    user = create_user(session, "anne", "Anne", PASSWORD, created_by="test")
    issued = issue_token(session, user, TokenKind.SESSION, now=NOW)
    user.active = False
    session.add(user)
    session.flush()
    assert resolve_token(session, issued.token, now=NOW) is None
    assert authenticate(session, "anne", PASSWORD, now=NOW) is None


def test_the_audit_log_cannot_be_changed(session: Session) -> None:
    org = factories.organisation(session)
    event = audit.record(
        session, "cli", "test.change", organisation_id=org.id, object_type="thing", object_id=1,
        before={"state": "a"}, after={"state": "b"},
    )  # fmt: skip
    session.flush()
    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        session.execute(sa.update(AuditEvent).values(actor="someone else"))
    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        session.execute(sa.delete(AuditEvent).where(AuditEvent.id == event.id))  # type: ignore[arg-type]


def _login(session: Session, user: User) -> Principal:
    issued = issue_token(session, user, TokenKind.SESSION, now=NOW)
    principal = resolve_token(session, issued.token, now=NOW)
    assert principal is not None
    return principal
