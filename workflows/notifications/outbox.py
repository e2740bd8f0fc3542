"""Creating outbox records: the small API the workflows use, in the caller's transaction.

A workflow builds its payload (what the municipality needs, never a CPR number) and a stable
idempotency key of its own, and hands them here with the PDF to attach. The database refuses a
second notification with the same key, so creating again changes nothing.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ledger.chunks import chunked
from ledger.models import table
from ledger.municipalities import is_municipality
from ledger.types import utc_now
from workflows.notifications.models import Notification, NotificationKind, NotificationStatus

MAX_ATTACHMENT_BYTES = 5_000_000
MAX_BATCH = 100_000
_FILENAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}\.pdf$")
_KEY = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@dataclass(frozen=True, slots=True)
class Attachment:
    """A PDF to send with the notification: a copy of a stored letter."""

    filename: str  # ASCII, e.g. "paakrav-RS-000017.pdf"
    pdf: bytes
    source: str  # where the stored original is, e.g. "letter:17", "moveout_document:4"

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


@dataclass(frozen=True, slots=True)
class NewNotification:
    """One notification to create. Exactly one of the case ids is set: the arrears case for
    ``pakrav_first_year`` and ``eviction_request``, the move-out case for ``guarantee_claim``."""

    kind: NotificationKind
    idempotency_key: str
    municipality_code: int
    tenancy_id: int
    payload: dict[str, Any]
    arrears_case_id: int | None = None
    moveout_case_id: int | None = None
    attachment: Attachment | None = None


def check_new(new: NewNotification) -> None:
    """The invariants of an outbox record (a failure here is a bug in the caller)."""
    assert _KEY.match(new.idempotency_key), f"not a UUID key: {new.idempotency_key!r}"
    assert is_municipality(new.municipality_code), f"no municipality {new.municipality_code}"
    named = new.payload.get("municipality", {}).get("code")
    assert named == new.municipality_code, (
        f"the payload names municipality {named}, the notification {new.municipality_code}"
    )
    assert new.payload.get("kind") == str(new.kind), "the payload's kind is the notification's"
    if new.kind is NotificationKind.GUARANTEE_CLAIM:
        assert new.moveout_case_id is not None and new.arrears_case_id is None
    else:
        assert new.arrears_case_id is not None and new.moveout_case_id is None
    if new.attachment is not None:
        pdf = new.attachment.pdf
        assert pdf.startswith(b"%PDF-") and 0 < len(pdf) <= MAX_ATTACHMENT_BYTES, "not a PDF"
        assert _FILENAME.match(new.attachment.filename), new.attachment.filename


def create_notification(
    session: Session, organisation_id: int, new: NewNotification, day: date
) -> int | None:
    """Create one notification unless its key exists; returns its id (None if it existed)."""
    created = _insert(session, organisation_id, [new], day)
    return created[0] if created else None


def create_notifications(
    session: Session, organisation_id: int, news: Sequence[NewNotification], day: date
) -> int:
    """Create the notifications whose key is new; returns how many were created."""
    return len(_insert(session, organisation_id, news, day))


def _insert(
    session: Session, organisation_id: int, news: Sequence[NewNotification], day: date
) -> list[int]:
    assert len(news) <= MAX_BATCH, "too many notifications in one call"
    for new in news:
        check_new(new)
    keyed = {new.idempotency_key: new for new in news}
    existing: set[str] = set()
    for chunk in chunked(sorted(keyed), 500):
        existing.update(
            session.exec(
                select(Notification.idempotency_key).where(
                    col(Notification.idempotency_key).in_(chunk)
                )
            )
        )
    fresh = [new for key, new in keyed.items() if key not in existing]
    if not fresh:
        return []
    now = utc_now()
    rows = [
        {
            "organisation_id": organisation_id,
            "municipality_code": new.municipality_code,
            "kind": new.kind,
            "arrears_case_id": new.arrears_case_id,
            "moveout_case_id": new.moveout_case_id,
            "tenancy_id": new.tenancy_id,
            "created_on": day,
            "created_at": now,
            "status": NotificationStatus.PENDING,
            "idempotency_key": new.idempotency_key,
            "payload": new.payload,
            "attempts": 0,
            "next_attempt_at": now,
        }
        for new in fresh
    ]
    notification = table("notification")
    ids = [
        int(found)
        for found in session.connection()
        .execute(
            sa.insert(notification).returning(notification.c.id, sort_by_parameter_order=True),
            rows,
        )
        .scalars()
    ]
    attachments = [
        {
            "notification_id": notification_id,
            "organisation_id": organisation_id,
            "filename": new.attachment.filename,
            "sha256": new.attachment.sha256,
            "size_bytes": len(new.attachment.pdf),
            "pdf": new.attachment.pdf,
            "source": new.attachment.source,
        }
        for notification_id, new in zip(ids, fresh, strict=True)
        if new.attachment is not None
    ]
    for part in chunked(attachments, 100):
        session.connection().execute(sa.insert(table("notification_attachment")), list(part))
    return ids
