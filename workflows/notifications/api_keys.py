"""API keys of the municipalities for the pull API (``/municipality/v1``).

A token is ``almk_<key id>_<secret>``: 12 hex characters that find the row, and 32 random bytes
(URL-safe base64). Only the SHA-256 of the whole token is stored; it is compared in constant
time. A revoked key stays (who revoked it, when) and never works again.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from sqlmodel import Session, col, select

from ledger.types import utc_now
from workflows.notifications.models import MunicipalityApiKey
from workflows.notifications.registry import MunicipalityError, require_municipality

PREFIX = "almk"
MAX_ACTIVE_KEYS = 10  # per municipality
_TOKEN = re.compile(r"^almk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")
_DUMMY_HASH = hashlib.sha256(b"almen: no such key").hexdigest()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_key(
    session: Session, code: int, *, label: str, by: str
) -> tuple[MunicipalityApiKey, str]:
    """A new key for a municipality; returns the row and the token (shown once, never kept)."""
    require_municipality(code)
    active = session.exec(
        select(MunicipalityApiKey).where(
            MunicipalityApiKey.municipality_code == code,
            col(MunicipalityApiKey.revoked_at).is_(None),
        )
    ).all()
    if len(active) >= MAX_ACTIVE_KEYS:
        raise MunicipalityError(
            f"municipality {code} has {len(active)} active keys already; revoke one first"
        )
    key_id = secrets.token_hex(6)
    token = f"{PREFIX}_{key_id}_{secrets.token_urlsafe(32)}"
    assert _TOKEN.match(token)
    row = MunicipalityApiKey(
        municipality_code=code,
        key_id=key_id,
        key_hash=hash_token(token),
        label=label.strip()[:100],
        created_by=by[:100],
    )
    session.add(row)
    session.flush()
    return row, token


def revoke_key(session: Session, key_id: str, *, by: str) -> MunicipalityApiKey:
    row = session.exec(
        select(MunicipalityApiKey).where(MunicipalityApiKey.key_id == key_id)
    ).first()
    if row is None:
        raise MunicipalityError(f"no API key {key_id!r} (see `almen municipality key list`)")
    if row.revoked_at is not None:
        raise MunicipalityError(f"API key {key_id} was revoked already, {row.revoked_at:%Y-%m-%d}")
    row.revoked_at, row.revoked_by = utc_now(), by[:100]
    session.add(row)
    session.flush()
    return row


def verify_token(session: Session, token: str | None) -> MunicipalityApiKey | None:
    """The active key of this token, or None (malformed, unknown, wrong or revoked)."""
    match = _TOKEN.match(token or "")
    row = None
    if match:
        row = session.exec(
            select(MunicipalityApiKey).where(MunicipalityApiKey.key_id == match.group(1))
        ).first()
    stored = _DUMMY_HASH if row is None else row.key_hash
    matches = hmac.compare_digest(hash_token(token or ""), stored)
    if row is None or not matches or row.revoked_at is not None:
        return None
    return row


def keys_of(session: Session, code: int | None = None) -> list[MunicipalityApiKey]:
    query = select(MunicipalityApiKey).order_by(col(MunicipalityApiKey.id))
    if code is not None:
        query = query.where(MunicipalityApiKey.municipality_code == code)
    return list(session.exec(query))
