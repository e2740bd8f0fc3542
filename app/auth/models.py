"""Tables of users, memberships, sessions/tokens and the audit log.

``app_user`` is the one table without ``organisation_id``: a person may work for several
organisations (a shared administration office). What they may see and do is decided by
``membership`` rows, which do carry it. ``audit_event.organisation_id`` is empty only for
national data (the påkrav fee table). Nothing here is deleted: users are deactivated,
memberships and tokens revoked.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.auth.roles import Role
from ledger.types import UTCDateTime, enum_type, utc_now


class TokenKind(StrEnum):
    SESSION = "session"  # a browser session (cookie), short-lived, with a CSRF token
    API = "api"  # a bearer token for scripts, with an explicit expiry


class User(SQLModel, table=True):
    __tablename__ = "app_user"
    __table_args__ = (sa.UniqueConstraint("username", name="uq_app_user_username"),)

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=100)  # stored lower-case
    full_name: str = Field(max_length=200)
    password_hash: str = Field(max_length=200)
    active: bool = True
    failed_logins: int = 0  # since the last successful login
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    created_by: str = Field(max_length=100)


class Membership(SQLModel, table=True):
    """One role of one user in one organisation."""

    __tablename__ = "membership"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "organisation_id", "role", name="uq_membership_role"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    role: Role = Field(sa_type=enum_type(Role, "membership_role"))
    granted_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    granted_by: str = Field(max_length=100)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    revoked_by: str | None = Field(default=None, max_length=100)


class AuthToken(SQLModel, table=True):
    """A browser session or an API token. Only the SHA-256 of the secret is stored (the
    secret has 256 bits of randomness, so a fast hash is enough); ``token_id`` is the public
    part shown in lists."""

    __tablename__ = "auth_token"
    __table_args__ = (
        sa.UniqueConstraint("secret_sha256", name="uq_auth_token_secret"),
        sa.CheckConstraint("expires_at > created_at", name="expiry"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    kind: TokenKind = Field(sa_type=enum_type(TokenKind, "token_kind"))
    token_id: str = Field(max_length=16)
    secret_sha256: str = Field(max_length=64)
    csrf_token: str | None = Field(default=None, max_length=64)
    label: str | None = Field(default=None, max_length=100)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    last_used_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)


class AuditEvent(SQLModel, table=True):
    """One state change made by a person: who, when, what, and the object before and after
    (plain JSON; never a CPR number, never a password or token)."""

    __tablename__ = "audit_event"
    __table_args__ = (sa.Index("ix_audit_event_object", "object_type", "object_id"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int | None = Field(
        default=None, foreign_key="organisation.id", index=True, nullable=True
    )
    user_id: int | None = Field(default=None, foreign_key="app_user.id", nullable=True)
    actor: str = Field(max_length=100)  # the username (or "cli:<name>" for the CLI)
    at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime, index=True)
    action: str = Field(max_length=60)  # e.g. "case.approve_termination", "bs.upload"
    object_type: str = Field(max_length=40)
    object_id: str | None = Field(default=None, max_length=60)
    before: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON, nullable=True)
    after: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON, nullable=True)
    reason: str | None = Field(default=None, max_length=2000)
