"""Tables of municipality notifications (underretninger): the outbox, what it attaches, every
delivery attempt, the municipalities' delivery settings and API keys, and their answers.

``notification``, ``notification_attachment``, ``notification_attempt`` and
``municipality_answer`` carry ``organisation_id``. ``municipality_delivery`` and
``municipality_api_key`` are national reference data like ``pakrav_fee``: a municipality has
one address for notifications and one set of keys whichever organisation writes to it (see
``workflows/notifications/__init__.py``). Nothing here is ever deleted; a key is revoked.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ledger.types import UTCDateTime, enum_type, utc_now


class NotificationKind(StrEnum):
    PAKRAV_FIRST_YEAR = "pakrav_first_year"  # ABL § 59, stk. 11
    EVICTION_REQUEST = "eviction_request"  # ALL § 92, stk. 2
    GUARANTEE_CLAIM = "guarantee_claim"  # ABL § 59, stk. 1 (move-out)


ARREARS_KINDS = frozenset({NotificationKind.PAKRAV_FIRST_YEAR, NotificationKind.EVICTION_REQUEST})


class NotificationStatus(StrEnum):
    """``pending``: waiting for its first push, or for a pull-only municipality to acknowledge
    it; ``sending``: claimed by a dispatcher (until ``claimed_until``); ``failed``: the last
    attempt failed and another follows at ``next_attempt_at``; ``delivered``: accepted by the
    receiver (SMTP, HTTP 2xx) or acknowledged through the API; ``dead_letter``: given up, a
    person must look (``almen notifications list --status dead_letter``)."""

    PENDING = "pending"
    SENDING = "sending"
    DELIVERED = "delivered"
    FAILED = "failed"
    DEAD_LETTER = "dead_letter"


class DeliveryMethod(StrEnum):
    """How a municipality takes its notifications."""

    EMAIL = "email"
    WEBHOOK = "webhook"
    PULL = "pull"  # only through the API (/municipality/v1)


class Channel(StrEnum):
    """The channel of one attempt; ``none``: the municipality has no delivery setting."""

    EMAIL = "email"
    WEBHOOK = "webhook"
    PULL = "pull"
    NONE = "none"


class AttemptOutcome(StrEnum):
    SENDING = "sending"  # claimed, outcome not recorded yet
    DELIVERED = "delivered"
    RETRY = "retry"  # a temporary failure: tried again after a back-off
    REJECTED = "rejected"  # a permanent failure: dead letter
    INTERRUPTED = "interrupted"  # the dispatcher stopped before recording: it is sent again


_ONE_SUBJECT = (
    "(kind = 'guarantee_claim' AND moveout_case_id IS NOT NULL AND arrears_case_id IS NULL) OR "
    "(kind <> 'guarantee_claim' AND arrears_case_id IS NOT NULL AND moveout_case_id IS NULL)"
)


class Notification(SQLModel, table=True):
    """A notification to a municipality (the outbox). Created in the same transaction as the
    event that causes it; sent by the dispatcher (``dispatch.py``). Never holds a CPR number.

    It refers to the arrears case (ABL § 59, stk. 11; ALL § 92, stk. 2) or the move-out case
    (guarantee claim), exactly one of them. ``feed_position`` orders the municipalities' pull
    feed; it is given after commit, in order, so a reader never skips a row.
    """

    __tablename__ = "notification"
    __table_args__ = (
        sa.UniqueConstraint("idempotency_key", name="uq_notification_idempotency_key"),
        sa.UniqueConstraint("feed_position", name="uq_notification_feed_position"),
        sa.CheckConstraint("municipality_code BETWEEN 101 AND 999", name="municipality_code"),
        sa.CheckConstraint(_ONE_SUBJECT, name="subject"),
        sa.CheckConstraint("attempts >= 0", name="attempts"),
        sa.CheckConstraint(
            "status <> 'delivered' OR delivered_at IS NOT NULL", name="delivered_at"
        ),
        sa.CheckConstraint(
            "status <> 'dead_letter' OR dead_letter_reason IS NOT NULL", name="dead_letter"
        ),
        sa.Index("ix_notification_due", "status", "next_attempt_at"),
        sa.Index("ix_notification_feed", "municipality_code", "feed_position"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    municipality_code: int
    kind: NotificationKind = Field(sa_type=enum_type(NotificationKind, "notification_kind"))
    arrears_case_id: int | None = Field(default=None, foreign_key="arrears_case.id", index=True)
    moveout_case_id: int | None = Field(default=None, foreign_key="moveout_case.id", index=True)
    tenancy_id: int = Field(foreign_key="tenancy.id")
    created_on: date
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    status: NotificationStatus = Field(sa_type=enum_type(NotificationStatus, "notification_status"))
    idempotency_key: str = Field(max_length=36)
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    attempts: int = 0  # push attempts since created or last put back (``retry``)
    next_attempt_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    claimed_until: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    claim_token: str | None = Field(default=None, max_length=36)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    delivered_via: Channel | None = Field(
        default=None, sa_type=enum_type(Channel, "delivered_via"), nullable=True
    )
    acknowledged_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    dead_letter_reason: str | None = Field(default=None, max_length=500)
    requeued_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    requeued_by: str | None = Field(default=None, max_length=100)  # who put it back last
    feed_position: int | None = Field(default=None, sa_type=sa.BigInteger)


class NotificationAttachment(SQLModel, table=True):
    """The PDF a notification carries (the påkrav, the eviction request, the guarantee claim),
    a copy of the stored letter with its SHA-256 and where it came from (``letter:17``,
    ``moveout_document:4``). Kept apart so lists of notifications stay light."""

    __tablename__ = "notification_attachment"
    __table_args__ = (sa.CheckConstraint("size_bytes > 0", name="size"),)

    notification_id: int = Field(
        foreign_key="notification.id", primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    filename: str = Field(max_length=100)
    sha256: str = Field(max_length=64)
    size_bytes: int
    pdf: bytes = Field(sa_type=sa.LargeBinary)
    source: str = Field(max_length=60)


class NotificationAttempt(SQLModel, table=True):
    """One delivery attempt (or acknowledgement through the API) of one notification."""

    __tablename__ = "notification_attempt"
    __table_args__ = (
        sa.UniqueConstraint("notification_id", "number", name="uq_notification_attempt_number"),
        sa.CheckConstraint("number >= 1", name="number"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    notification_id: int = Field(foreign_key="notification.id", index=True)
    number: int
    channel: Channel = Field(sa_type=enum_type(Channel, "attempt_channel"))
    target: str = Field(max_length=500)  # the addresses or the webhook URL at the time
    started_at: datetime = Field(sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    outcome: AttemptOutcome = Field(sa_type=enum_type(AttemptOutcome, "attempt_outcome"))
    receipt: str | None = Field(default=None, max_length=1000)  # SMTP reply, HTTP status, error


class MunicipalityDelivery(SQLModel, table=True):
    """How one municipality takes its notifications (national reference data).

    The webhook secret is kept as given: almen must sign with it, so it cannot be hashed.
    """

    __tablename__ = "municipality_delivery"
    __table_args__ = (
        sa.CheckConstraint("municipality_code BETWEEN 101 AND 999", name="municipality_code"),
        sa.CheckConstraint(
            "(method = 'webhook' AND webhook_url IS NOT NULL AND webhook_secret IS NOT NULL) OR "
            "(method <> 'webhook' AND webhook_url IS NULL AND webhook_secret IS NULL)",
            name="webhook",
        ),
    )

    municipality_code: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    method: DeliveryMethod = Field(sa_type=enum_type(DeliveryMethod, "delivery_method"))
    email_addresses: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    webhook_url: str | None = Field(default=None, max_length=500)
    webhook_secret: str | None = Field(default=None, max_length=200)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    updated_by: str = Field(max_length=100)


class MunicipalityApiKey(SQLModel, table=True):
    """An API key of a municipality for ``/municipality/v1`` (national reference data).

    Only the SHA-256 of the token is kept; ``key_id`` is the token's public part, by which the
    row is found before the hash is compared in constant time.
    """

    __tablename__ = "municipality_api_key"
    __table_args__ = (
        sa.UniqueConstraint("key_id", name="uq_municipality_api_key_key_id"),
        sa.CheckConstraint("municipality_code BETWEEN 101 AND 999", name="municipality_code"),
    )

    id: int | None = Field(default=None, primary_key=True)
    municipality_code: int = Field(index=True)
    key_id: str = Field(max_length=16)
    key_hash: str = Field(max_length=64)  # SHA-256 of the whole token, hex
    label: str = Field(default="", max_length=100)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    created_by: str = Field(max_length=100)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    revoked_by: str | None = Field(default=None, max_length=100)


class MunicipalityAnswer(SQLModel, table=True):
    """What a municipality told the organisation about a notification: the meeting held
    (ABL § 59, stk. 12) and, only with the tenant's prior consent, its decision (RSL § 5 a,
    stk. 3). Append-only; the case shows every answer."""

    __tablename__ = "municipality_answer"
    __table_args__ = (
        sa.CheckConstraint("decision IS NULL OR tenant_consent", name="consent"),
        sa.CheckConstraint("municipality_code BETWEEN 101 AND 999", name="municipality_code"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    notification_id: int = Field(foreign_key="notification.id", index=True)
    municipality_code: int
    api_key_id: int = Field(foreign_key="municipality_api_key.id")
    received_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    meeting_held_on: date | None = None
    tenant_consent: bool = False
    decision: str | None = Field(default=None, max_length=2000)
    note: str | None = Field(default=None, max_length=2000)
