"""The organisation's users at the desk (``admin``, audited): list them with their roles,
create a user with a first role, grant and revoke roles.

Two refusals keep the admin role honest: an admin does not change their own roles (else an
admin could make themselves approver and undo the separation of duties in ``roles.py``), and
the organisation's last admin role is not revoked (someone must be able to manage users).
A user who has never been a member of the organisation is answered as not found.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from app.auth import audit
from app.auth.http import Access
from app.auth.models import Membership, User
from app.auth.passwords import PasswordError
from app.auth.roles import Permission, Role
from app.auth.service import AuthError, create_user, grant, revoke
from app.desk.common import require
from app.desk.errors import DeskError, NotFound

MAX_USERS = 10_000


@dataclass(frozen=True, slots=True)
class Member:
    user: User
    roles: list[Role]  # active roles in this organisation (empty: all revoked)


def organisation_users(session: Session, access: Access) -> list[Member]:
    """Everyone who holds or held a role in the organisation, by username."""
    require(access, Permission.ADMIN)
    rows = session.exec(
        select(User, Membership)
        .join(Membership, col(Membership.user_id) == col(User.id))
        .where(Membership.organisation_id == access.organisation_id)
        .order_by(col(User.username), col(Membership.role))
        .limit(MAX_USERS)
    )
    members: dict[int, Member] = {}
    for user, membership in rows:
        assert user.id is not None
        member = members.setdefault(user.id, Member(user, []))
        if membership.revoked_at is None:
            member.roles.append(Role(membership.role))
    return list(members.values())


def member(session: Session, access: Access, user_id: int) -> Member:
    """One user who holds or held a role in the organisation, else ``NotFound``."""
    require(access, Permission.ADMIN)
    for found in organisation_users(session, access):
        if found.user.id == user_id:
            return found
    raise NotFound(f"no user {user_id}")


def create_member(
    session: Session, access: Access, username: str, full_name: str, password: str, role: Role
) -> Member:
    """A new user with ``role`` in the organisation. ``DeskError`` (409) for a taken or bad
    username or a weak password."""
    require(access, Permission.ADMIN)
    by = access.principal.username
    try:
        user = create_user(session, username, full_name, password, created_by=by)
    except (AuthError, PasswordError) as exc:
        raise DeskError(str(exc)) from exc
    grant(session, user, access.organisation, role, granted_by=by)
    _audit(session, access, "user.create", user, None, [role])
    return member(session, access, user.id or 0)


def grant_role(session: Session, access: Access, user_id: int, role: Role) -> Member:
    """Give a member ``role`` (idempotent: an active role is kept, nothing audited)."""
    found = member(session, access, user_id)
    _not_self(access, found)
    if role in found.roles:
        return found
    grant(session, found.user, access.organisation, role, granted_by=access.principal.username)
    _audit(session, access, "user.grant", found.user, found.roles, [*found.roles, role])
    return member(session, access, user_id)


def revoke_role(
    session: Session, access: Access, user_id: int, role: Role, *, now: datetime
) -> Member:
    """Take ``role`` from a member. ``DeskError`` (409) if they do not hold it or it is the
    organisation's last admin."""
    found = member(session, access, user_id)
    _not_self(access, found)
    if role not in found.roles:
        raise DeskError(f"{found.user.username} has no role {role.value} here")
    if role is Role.ADMIN and _admins(session, access) <= 1:
        raise DeskError("the organisation's last admin role cannot be revoked")
    revoke(
        session,
        found.user,
        access.organisation,
        role,
        revoked_by=access.principal.username,
        now=now,
    )
    after = [r for r in found.roles if r is not role]
    _audit(session, access, "user.revoke", found.user, found.roles, after)
    return member(session, access, user_id)


def _not_self(access: Access, found: Member) -> None:
    if found.user.id == access.principal.user_id:
        raise DeskError("you cannot change your own roles: ask another admin")


def _admins(session: Session, access: Access) -> int:
    rows = session.exec(
        select(Membership.id).where(
            Membership.organisation_id == access.organisation_id,
            Membership.role == Role.ADMIN,
            col(Membership.revoked_at).is_(None),
        )
    )
    return len(list(rows))


def _audit(
    session: Session,
    access: Access,
    action: str,
    user: User,
    before: list[Role] | None,
    after: list[Role],
) -> None:
    audit.record(
        session,
        access.principal,
        action,
        organisation_id=access.organisation_id,
        object_type="user",
        object_id=user.id,
        before=None if before is None else {"username": user.username, "roles": sorted(before)},
        after={"username": user.username, "roles": sorted(after)},
    )
