"""The outbox dispatcher: publish, claim, send, record.

1. **Publish** (one short transaction under a global lock): every committed notification not
   yet in the pull feed gets the next ``feed_position``. Positions are given in serialised
   transactions after the rows committed, so a municipality reading the feed "after N" never
   skips a row that commits late.
2. **Claim** (one short transaction): due notifications of push municipalities (e-mail,
   webhook, or none set up yet) become ``sending`` with a lease and a claim token, and an
   attempt row is written (``sending``). PostgreSQL: ``FOR UPDATE SKIP LOCKED``, so two
   dispatchers never take the same row; SQLite: a transaction is a database-wide write lock.
3. **Send**, outside any transaction, through the sender injected for the channel.
4. **Record** (one transaction per notification): the attempt's outcome and receipt, and the
   notification ``delivered``, ``failed`` (next attempt after a back-off) or ``dead_letter``.

A crash between 3 and 4 leaves the notification ``sending`` with its lease; when the lease
runs out the next claim marks that attempt ``interrupted`` and sends again with the same
idempotency key: at least once, never lost. ``delivered`` is final: a late record never
undoes it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

import sqlalchemy as sa
from sqlmodel import Session

from ledger.models import table
from ledger.municipalities import municipality_names
from ledger.types import utc_now
from workflows.notifications.envelope import Outbound, OutboundAttachment
from workflows.notifications.models import (
    AttemptOutcome,
    Channel,
    DeliveryMethod,
    NotificationKind,
    NotificationStatus,
)
from workflows.notifications.policy import RetryPolicy
from workflows.notifications.registry import DeliveryTarget, delivery_targets

UnitOfWork = Callable[[], AbstractContextManager[Session]]
Clock = Callable[[], datetime]
MAX_BATCH = 200
MAX_BATCHES = 1_000
MAX_PUBLISH = 10_000
MAX_RECEIPT = 1_000
_FEED_LOCK = (0x6E6F7466, 1)  # "notf": the advisory lock of the pull feed's positions


@dataclass(frozen=True, slots=True)
class SendResult:
    outcome: AttemptOutcome  # delivered, retry or rejected
    receipt: str  # the SMTP reply, the HTTP status, the error

    def __post_init__(self) -> None:
        assert self.outcome in (
            AttemptOutcome.DELIVERED,
            AttemptOutcome.RETRY,
            AttemptOutcome.REJECTED,
        ), f"a send ends delivered, retry or rejected, not {self.outcome}"


class Sender(Protocol):
    def __call__(self, item: Outbound, target: DeliveryTarget) -> SendResult: ...


Senders = Mapping[DeliveryMethod, Sender]


@dataclass(frozen=True, slots=True)
class Claimed:
    item: Outbound
    target: DeliveryTarget | None  # None: the municipality has no delivery setting
    channel: Channel
    attempt_id: int
    attempts: int  # push attempts since created or put back, this one included
    claim_token: str


@dataclass(slots=True)
class DispatchReport:
    published: int = 0
    claimed: int = 0
    delivered: int = 0
    retrying: int = 0
    dead_letter: int = 0
    interrupted: int = 0  # claims found expired: a dispatcher stopped before recording

    def count(self, status: NotificationStatus) -> None:
        if status is NotificationStatus.DELIVERED:
            self.delivered += 1
        elif status is NotificationStatus.DEAD_LETTER:
            self.dead_letter += 1
        else:
            self.retrying += 1

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def dispatch(
    unit_of_work: UnitOfWork,
    senders: Senders,
    *,
    clock: Clock = utc_now,
    policy: RetryPolicy | None = None,
    organisation_id: int | None = None,
    batch_size: int = 20,
    max_batches: int = 50,
) -> DispatchReport:
    """Publish, then send every due notification (of one organisation, or all) once."""
    assert 1 <= batch_size <= MAX_BATCH and 1 <= max_batches <= MAX_BATCHES
    policy = policy or RetryPolicy()
    report = DispatchReport()
    with unit_of_work() as session:
        report.published = publish(session, organisation_id)
    for _ in range(max_batches):
        with unit_of_work() as session:
            batch = claim(session, clock(), policy, organisation_id, batch_size, report)
        if not batch:
            break
        for claimed in batch:
            result = send_one(senders, claimed)
            with unit_of_work() as session:
                status = record_outcome(session, claimed, result, clock(), policy)
            report.count(status)
    return report


def publish(session: Session, organisation_id: int | None, limit: int = MAX_PUBLISH) -> int:
    """Give committed notifications not yet in the pull feed the next positions, in id order."""
    bind = session.connection()
    if bind.dialect.name == "postgresql":
        bind.execute(
            sa.text("SELECT pg_advisory_xact_lock(CAST(:a AS integer), CAST(:b AS integer))"),
            {"a": _FEED_LOCK[0], "b": _FEED_LOCK[1]},
        )
    n = table("notification")
    last = bind.execute(sa.select(sa.func.max(n.c.feed_position))).scalar() or 0
    query = sa.select(n.c.id).where(n.c.feed_position.is_(None)).order_by(n.c.id).limit(limit)
    if organisation_id is not None:
        query = query.where(n.c.organisation_id == organisation_id)
    ids = list(bind.execute(query).scalars())
    if ids:
        bind.execute(
            sa.update(n)
            .where(n.c.id == sa.bindparam("_id"))
            .values(feed_position=sa.bindparam("_position")),
            [{"_id": i, "_position": last + k} for k, i in enumerate(ids, start=1)],
        )
    return len(ids)


def _due(now: datetime) -> sa.ColumnElement[bool]:
    n = table("notification")
    return sa.or_(
        sa.and_(
            n.c.status.in_([NotificationStatus.PENDING, NotificationStatus.FAILED]),
            n.c.next_attempt_at <= now,
        ),
        sa.and_(n.c.status == NotificationStatus.SENDING, n.c.claimed_until < now),
    )


def claim(
    session: Session,
    now: datetime,
    policy: RetryPolicy,
    organisation_id: int | None,
    limit: int,
    report: DispatchReport,
) -> list[Claimed]:
    """Take up to ``limit`` due notifications of push (or not yet set up) municipalities."""
    n, d = table("notification"), table("municipality_delivery")
    pull_only = sa.select(d.c.municipality_code).where(d.c.method == DeliveryMethod.PULL)
    columns = ("id", "status", "attempts", "organisation_id", "municipality_code", "kind",
               "idempotency_key", "created_on", "created_at", "payload")  # fmt: skip
    query = (
        sa.select(*(n.c[name] for name in columns))
        .where(_due(now), n.c.municipality_code.not_in(pull_only))
        .order_by(n.c.next_attempt_at, n.c.id)
        .limit(limit)
    )
    if organisation_id is not None:
        query = query.where(n.c.organisation_id == organisation_id)
    bind = session.connection()
    if bind.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=n)
    rows = [dict(row) for row in bind.execute(query).mappings()]
    if not rows:
        return []
    targets = delivery_targets(session, sorted({row["municipality_code"] for row in rows}))
    attachments = _attachments(session, [row["id"] for row in rows])
    claimed = []
    for row in rows:
        if row["status"] == NotificationStatus.SENDING:
            _interrupt(session, row["id"], now)
            report.interrupted += 1
        if row["attempts"] >= policy.max_attempts:
            _dead_letter(session, row["id"], f"gave up after {row['attempts']} attempts")
            report.dead_letter += 1
            continue
        claimed.append(
            _take(session, row, targets.get(row["municipality_code"]), attachments, now, policy)
        )
    report.claimed += len(claimed)
    return claimed


def _attachments(session: Session, ids: Sequence[int]) -> dict[int, OutboundAttachment]:
    t = table("notification_attachment")
    rows = session.connection().execute(
        sa.select(t.c.notification_id, t.c.filename, t.c.sha256, t.c.pdf).where(
            t.c.notification_id.in_(ids)
        )
    )
    return {row[0]: OutboundAttachment(row[1], row[2], row[3]) for row in rows}


def _interrupt(session: Session, notification_id: int, now: datetime) -> None:
    a = table("notification_attempt")
    session.connection().execute(
        sa.update(a)
        .where(a.c.notification_id == notification_id, a.c.outcome == AttemptOutcome.SENDING)
        .values(
            outcome=AttemptOutcome.INTERRUPTED,
            finished_at=now,
            receipt="the dispatcher stopped before recording the outcome; it may have been "
            "delivered, and is sent again with the same idempotency key",
        )
    )


def _dead_letter(session: Session, notification_id: int, reason: str) -> None:
    n = table("notification")
    session.connection().execute(
        sa.update(n)
        .where(n.c.id == notification_id, n.c.status != NotificationStatus.DELIVERED)
        .values(
            status=NotificationStatus.DEAD_LETTER,
            dead_letter_reason=reason[:500],
            claimed_until=None,
            claim_token=None,
        )
    )


def _channel(target: DeliveryTarget | None) -> Channel:
    return Channel.NONE if target is None else Channel(str(target.method))


def _take(
    session: Session,
    row: Mapping[str, Any],
    target: DeliveryTarget | None,
    attachments: Mapping[int, OutboundAttachment],
    now: datetime,
    policy: RetryPolicy,
) -> Claimed:
    n, a = table("notification"), table("notification_attempt")
    bind = session.connection()
    token = str(uuid.uuid4())
    attempts = row["attempts"] + 1
    bind.execute(
        sa.update(n)
        .where(n.c.id == row["id"])
        .values(
            status=NotificationStatus.SENDING,
            attempts=attempts,
            claimed_until=now + timedelta(seconds=policy.lease_seconds),
            claim_token=token,
        )
    )
    number = 1 + (
        bind.execute(
            sa.select(sa.func.max(a.c.number)).where(a.c.notification_id == row["id"])
        ).scalar()
        or 0
    )
    channel = _channel(target)
    attempt_id = bind.execute(
        sa.insert(a)
        .values(
            organisation_id=row["organisation_id"],
            notification_id=row["id"],
            number=number,
            channel=channel,
            target=(target.describe() if target else "no delivery setting")[:500],
            started_at=now,
            outcome=AttemptOutcome.SENDING,
        )
        .returning(a.c.id)
    ).scalar_one()
    item = Outbound(
        notification_id=row["id"],
        idempotency_key=row["idempotency_key"],
        kind=NotificationKind(row["kind"]),
        organisation_id=row["organisation_id"],
        municipality_code=row["municipality_code"],
        created_on=row["created_on"],
        created_at=row["created_at"],
        payload=row["payload"],
        attachment=attachments.get(row["id"]),
        attempt=number,
    )
    return Claimed(item, target, channel, int(attempt_id), attempts, token)


def send_one(senders: Senders, claimed: Claimed) -> SendResult:
    """Send one claimed notification; every failure becomes a result, never an exception."""
    item, target = claimed.item, claimed.target
    if target is None:
        code = item.municipality_code
        return SendResult(
            AttemptOutcome.RETRY,
            f"municipality {code} ({municipality_names().get(code, '?')}) has no delivery "
            f"setting: almen municipality set --code {code} --email ADDR | --webhook URL "
            "--secret S | --pull-only",
        )
    named = item.payload.get("municipality", {}).get("code")
    if not target.municipality_code == item.municipality_code == named:
        return SendResult(  # never to the wrong municipality (a bug if it ever happens)
            AttemptOutcome.REJECTED,
            f"not sent: the notification is for municipality {item.municipality_code}, its "
            f"payload names {named}, the target is {target.municipality_code}'s",
        )
    sender = senders.get(target.method)
    if sender is None:
        return SendResult(AttemptOutcome.RETRY, f"no sender for {target.method} is set up")
    try:
        return sender(item, target)
    except Exception as exc:  # a sender's bug must not stop the others; it is recorded
        return SendResult(AttemptOutcome.RETRY, f"{type(exc).__name__}: {exc}"[:MAX_RECEIPT])


def record_outcome(
    session: Session,
    claimed: Claimed,
    result: SendResult,
    now: datetime,
    policy: RetryPolicy,
) -> NotificationStatus:
    """Record an attempt's outcome and move the notification on; returns its new status."""
    n, a = table("notification"), table("notification_attempt")
    bind = session.connection()
    bind.execute(
        sa.update(a)
        .where(a.c.id == claimed.attempt_id)
        .values(outcome=result.outcome, finished_at=now, receipt=result.receipt[:MAX_RECEIPT])
    )
    notification_id = claimed.item.notification_id
    if result.outcome is AttemptOutcome.DELIVERED:
        bind.execute(
            sa.update(n)
            .where(n.c.id == notification_id, n.c.status != NotificationStatus.DELIVERED)
            .values(
                status=NotificationStatus.DELIVERED,
                delivered_at=now,
                delivered_via=claimed.channel,
                claimed_until=None,
                claim_token=None,
            )
        )
        return NotificationStatus.DELIVERED
    ours = sa.and_(
        n.c.id == notification_id,
        n.c.claim_token == claimed.claim_token,
        n.c.status == NotificationStatus.SENDING,
    )
    if result.outcome is AttemptOutcome.REJECTED or claimed.attempts >= policy.max_attempts:
        reason = (
            f"refused by the receiver ({claimed.channel}): {result.receipt}"
            if result.outcome is AttemptOutcome.REJECTED
            else f"gave up after {claimed.attempts} attempts; the last: {result.receipt}"
        )
        status = NotificationStatus.DEAD_LETTER
        values: dict[str, Any] = {"dead_letter_reason": reason[:500]}
    else:
        status = NotificationStatus.FAILED
        values = {"next_attempt_at": now + policy.delay_after(claimed.attempts)}
    changed = bind.execute(
        sa.update(n)
        .where(ours)
        .values(status=status, claimed_until=None, claim_token=None, **values)
    ).rowcount
    if changed == 0:  # delivered meanwhile (acknowledged, or a slower attempt got through)
        current = bind.execute(sa.select(n.c.status).where(n.c.id == notification_id)).scalar()
        assert current is not None, f"notification {notification_id} vanished"
        return NotificationStatus(current)
    return status


def requeue(
    session: Session, notification_ids: Sequence[int], now: datetime, *, by: str
) -> list[int]:
    """Put dead letters (or failed ones) back for sending now, with a fresh count of attempts;
    their history stays, and who put them back. Returns the ids put back."""
    n = table("notification")
    bind = session.connection()
    ids = list(
        bind.execute(
            sa.select(n.c.id).where(
                n.c.id.in_(notification_ids),
                n.c.status.in_([NotificationStatus.DEAD_LETTER, NotificationStatus.FAILED]),
            )
        ).scalars()
    )
    if ids:
        bind.execute(
            sa.update(n)
            .where(n.c.id.in_(ids))
            .values(
                status=NotificationStatus.PENDING,
                attempts=0,
                next_attempt_at=now,
                dead_letter_reason=None,
                requeued_at=now,
                requeued_by=by[:100],
            )
        )
    return ids
