"""Create users, grant roles, log in, and open/resolve/revoke sessions and API tokens.

Services flush, never commit (the caller's unit of work does). Tokens look like
``alms_<id>_<secret>`` (browser session) or ``almt_<id>_<secret>`` (API token); only the
SHA-256 of the whole token is stored.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from app.auth.models import AuthToken, Membership, TokenKind, User
from app.auth.passwords import hash_password, needs_rehash, verify_password
from app.auth.roles import Permission, Role, permissions_of
from ledger.models import Organisation

SESSION_IDLE = timedelta(minutes=60)
SESSION_MAX = timedelta(hours=10)  # a working day, then log in again
API_TOKEN_MAX_DAYS = 365
MAX_FAILED_LOGINS = 10
LOCKOUT = timedelta(minutes=15)
LAST_USED_RESOLUTION = timedelta(minutes=1)  # don't write on every request
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,99}$")
_PREFIX = {TokenKind.SESSION: "alms", TokenKind.API: "almt"}


class AuthError(ValueError):
    """A user-management request that cannot be done (unknown user, bad name, ...)."""


@dataclass(frozen=True)
class Principal:
    """Who is asking, and what they may do in each organisation (by organisation id)."""

    user_id: int
    username: str
    full_name: str
    roles: dict[int, frozenset[Role]]
    token_id: int
    csrf_token: str | None  # set for browser sessions: unsafe requests must echo it

    def may(self, organisation_id: int, permission: Permission) -> bool:
        return permission in permissions_of(self.roles.get(organisation_id, frozenset()))

    @property
    def organisation_ids(self) -> list[int]:
        return sorted(org for org, roles in self.roles.items() if roles)


@dataclass(frozen=True)
class IssuedToken:
    token: str  # shown once, never stored
    row: AuthToken


def normalise_username(username: str) -> str:
    name = username.strip().lower()
    if not USERNAME.match(name):
        raise AuthError(
            f"username {username!r}: 2-100 characters, letters, digits and . _ @ - only"
        )
    return name


def find_user(session: Session, username: str) -> User | None:
    name = username.strip().lower()
    return session.exec(select(User).where(col(User.username) == name)).first()


def require_user(session: Session, username: str) -> User:
    user = find_user(session, username)
    if user is None:
        raise AuthError(f"no user {username!r}")
    return user


def create_user(
    session: Session, username: str, full_name: str, password: str, *, created_by: str
) -> User:
    name = normalise_username(username)
    if find_user(session, name) is not None:
        raise AuthError(f"user {name!r} exists already")
    if not full_name.strip():
        raise AuthError("a user needs a full name")
    user = User(
        username=name,
        full_name=full_name.strip()[:200],
        password_hash=hash_password(password),
        created_by=created_by,
    )
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    session.add(user)
    session.flush()


def grant(
    session: Session, user: User, organisation: Organisation, role: Role, *, granted_by: str
) -> Membership:
    """Give ``user`` ``role`` in ``organisation`` (idempotent: an active grant is kept)."""
    assert user.id is not None and organisation.id is not None
    existing = _membership(session, user.id, organisation.id, role)
    if existing is not None and existing.revoked_at is None:
        return existing
    if existing is not None:
        existing.revoked_at, existing.revoked_by = None, None
        existing.granted_by = granted_by
        session.add(existing)
        session.flush()
        return existing
    membership = Membership(
        organisation_id=organisation.id, user_id=user.id, role=role, granted_by=granted_by
    )
    session.add(membership)
    session.flush()
    return membership


def revoke(
    session: Session,
    user: User,
    organisation: Organisation,
    role: Role,
    *,
    revoked_by: str,
    now: datetime,
) -> bool:
    assert user.id is not None and organisation.id is not None
    existing = _membership(session, user.id, organisation.id, role)
    if existing is None or existing.revoked_at is not None:
        return False
    existing.revoked_at, existing.revoked_by = now, revoked_by
    session.add(existing)
    session.flush()
    return True


def _membership(
    session: Session, user_id: int, organisation_id: int, role: Role
) -> Membership | None:
    query = select(Membership).where(
        col(Membership.user_id) == user_id,
        col(Membership.organisation_id) == organisation_id,
        col(Membership.role) == role,
    )
    return session.exec(query).first()


def roles_of(session: Session, user_id: int) -> dict[int, frozenset[Role]]:
    query = select(Membership.organisation_id, Membership.role).where(
        col(Membership.user_id) == user_id, col(Membership.revoked_at).is_(None)
    )
    found: dict[int, set[Role]] = {}
    for organisation_id, role in session.exec(query):
        found.setdefault(organisation_id, set()).add(Role(role))
    return {org: frozenset(roles) for org, roles in found.items()}


def authenticate(session: Session, username: str, password: str, *, now: datetime) -> User | None:
    """The active user with this name and password, or None (same time either way).

    After ``MAX_FAILED_LOGINS`` wrong passwords in a row the user is locked for
    ``LOCKOUT``; the count is reset by a successful login.
    """
    user = find_user(session, username)
    ok = verify_password(None if user is None else user.password_hash, password)
    if user is None or not user.active:
        return None
    if user.locked_until is not None and now < user.locked_until:
        return None
    if not ok:
        _count_failure(session, user, now)
        return None
    user.failed_logins, user.locked_until = 0, None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.add(user)
    session.flush()
    return user


def _count_failure(session: Session, user: User, now: datetime) -> None:
    user.failed_logins += 1
    if user.failed_logins >= MAX_FAILED_LOGINS:
        user.failed_logins, user.locked_until = 0, now + LOCKOUT
    session.add(user)
    session.flush()


def issue_token(
    session: Session,
    user: User,
    kind: TokenKind,
    *,
    now: datetime,
    lifetime: timedelta | None = None,
    label: str | None = None,
) -> IssuedToken:
    """A new session (``lifetime`` = SESSION_MAX) or API token (``lifetime`` required)."""
    assert user.id is not None
    if kind is TokenKind.SESSION:
        lifetime = SESSION_MAX
    if lifetime is None or not timedelta(0) < lifetime <= timedelta(days=API_TOKEN_MAX_DAYS):
        raise AuthError(f"an API token lives between 1 and {API_TOKEN_MAX_DAYS} days")
    token_id = secrets.token_hex(6)
    token = f"{_PREFIX[kind]}_{token_id}_{secrets.token_urlsafe(32)}"
    row = AuthToken(
        user_id=user.id,
        kind=kind,
        token_id=token_id,
        secret_sha256=_digest(token),
        csrf_token=secrets.token_urlsafe(32) if kind is TokenKind.SESSION else None,
        label=label,
        created_at=now,
        last_used_at=now,
        expires_at=now + lifetime,
    )
    session.add(row)
    session.flush()
    return IssuedToken(token=token, row=row)


def resolve_token(session: Session, token: str, *, now: datetime) -> Principal | None:
    """The principal behind a live token, or None (unknown, expired, idle, revoked,
    inactive user). Refreshes ``last_used_at`` at most once a minute."""
    if len(token) > 200 or not token.startswith(("alms_", "almt_")):
        return None
    query = select(AuthToken).where(col(AuthToken.secret_sha256) == _digest(token))
    row = session.exec(query).first()
    if row is None or not _alive(row, now):
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    if now - row.last_used_at >= LAST_USED_RESOLUTION:
        row.last_used_at = now
        session.add(row)
        session.flush()
    assert user.id is not None and row.id is not None
    return Principal(
        user_id=user.id,
        username=user.username,
        full_name=user.full_name,
        roles=roles_of(session, user.id),
        token_id=row.id,
        csrf_token=row.csrf_token,
    )


def _alive(row: AuthToken, now: datetime) -> bool:
    if row.revoked_at is not None or now >= row.expires_at:
        return False
    return row.kind is not TokenKind.SESSION or now - row.last_used_at < SESSION_IDLE


def revoke_token(session: Session, token_row_id: int, *, now: datetime) -> None:
    row = session.get(AuthToken, token_row_id)
    if row is not None and row.revoked_at is None:
        row.revoked_at = now
        session.add(row)
        session.flush()


def csrf_matches(principal: Principal, offered: str | None) -> bool:
    if principal.csrf_token is None:
        return True  # bearer tokens are not sent by browsers on their own
    return offered is not None and secrets.compare_digest(principal.csrf_token, offered)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def log_in(session: Session, username: str, password: str, *, now: datetime) -> IssuedToken | None:
    """A new browser session for the right name and password, else None."""
    user = authenticate(session, username, password, now=now)
    return None if user is None else issue_token(session, user, TokenKind.SESSION, now=now)
