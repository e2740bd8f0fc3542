"""The dispatcher on both databases, with senders that record what they are given: claim,
send, record; back-off, the cap and dead letters; pull-only and unconfigured municipalities;
never the wrong municipality; leases; two dispatchers at once."""

from __future__ import annotations

import threading
import time
from collections import Counter, deque
from collections.abc import Iterable

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.database import unit_of_work
from tests import factories
from tests.workflows.notifications.helpers import (
    SECRET,
    FakeClock,
    attempts,
    configure,
    first_year_notifications,
    reload,
    session_uow,
)
from workflows.notifications.dispatch import (
    SendResult,
    claim,
    dispatch,
    record_outcome,
    requeue,
    send_one,
)
from workflows.notifications.envelope import Outbound
from workflows.notifications.models import (
    AttemptOutcome,
    DeliveryMethod,
    Notification,
    NotificationStatus,
)
from workflows.notifications.policy import RetryPolicy
from workflows.notifications.registry import DeliveryTarget


class Recorder:
    """A sender that answers from a script (default: delivered) and remembers each call."""

    def __init__(self, outcomes: Iterable[AttemptOutcome] = (), pause: float = 0) -> None:
        self.outcomes = deque(outcomes)
        self.calls: list[tuple[str, int, int]] = []
        self.pause = pause
        self.lock = threading.Lock()

    def __call__(self, item: Outbound, target: DeliveryTarget) -> SendResult:
        time.sleep(self.pause)
        with self.lock:
            self.calls.append((item.idempotency_key, target.municipality_code, item.attempt))
            outcome = self.outcomes.popleft() if self.outcomes else AttemptOutcome.DELIVERED
        return SendResult(outcome, f"fake: {outcome}")


def senders(
    email: Recorder | None = None, webhook: Recorder | None = None
) -> dict[DeliveryMethod, Recorder]:
    return {
        DeliveryMethod.EMAIL: email or Recorder(),
        DeliveryMethod.WEBHOOK: webhook or Recorder(),
    }


def test_a_notification_is_claimed_sent_and_recorded_delivered(session: Session) -> None:
    _, [notification] = first_year_notifications(session)
    configure(session, 751, emails=["underretning@aarhus.dk"])
    email = Recorder()
    report = dispatch(session_uow(session), senders(email), clock=FakeClock())
    assert (report.published, report.claimed, report.delivered) == (1, 1, 1)
    assert email.calls == [(notification.idempotency_key, 751, 1)]
    done = reload(session, notification)
    assert (done.status, done.delivered_via, done.attempts) == ("delivered", "email", 1)
    assert done.claim_token is None and done.delivered_at is not None
    [attempt] = attempts(session, notification)
    assert (attempt.channel, attempt.target, attempt.outcome) == (
        "email", "underretning@aarhus.dk", "delivered",
    )  # fmt: skip
    assert attempt.receipt == "fake: delivered" and attempt.finished_at is not None
    again = dispatch(session_uow(session), senders(email), clock=FakeClock())
    assert (again.claimed, len(email.calls)) == (0, 1)  # delivered is done


def test_temporary_failures_back_off_then_give_up_as_a_dead_letter(session: Session) -> None:
    _, [notification] = first_year_notifications(session)
    configure(session, 751, emails=["underretning@aarhus.dk"])
    email, clock = Recorder([AttemptOutcome.RETRY] * 3), FakeClock()
    policy = RetryPolicy(max_attempts=3)

    def run() -> NotificationStatus:
        dispatch(session_uow(session), senders(email), clock=clock, policy=policy)
        return reload(session, notification).status

    assert run() == NotificationStatus.FAILED
    assert reload(session, notification).next_attempt_at == clock.now + policy.delay_after(1)
    clock.advance(59)
    assert run() == NotificationStatus.FAILED and len(email.calls) == 1  # not due yet
    clock.advance(1)
    assert run() == NotificationStatus.FAILED and len(email.calls) == 2
    clock.advance(120)
    assert run() == NotificationStatus.DEAD_LETTER and len(email.calls) == 3
    dead = reload(session, notification)
    assert dead.dead_letter_reason == "gave up after 3 attempts; the last: fake: retry"
    clock.advance(86_400)
    assert run() == NotificationStatus.DEAD_LETTER and len(email.calls) == 3
    assert [a.outcome for a in attempts(session, notification)] == ["retry"] * 3
    assert [a.number for a in attempts(session, notification)] == [1, 2, 3]
    # A person puts it back; its history stays and the numbering goes on.
    assert requeue(session, [notification.id or 0], clock(), by="cli:Mette") == [notification.id]
    assert run() == NotificationStatus.DELIVERED
    assert [a.number for a in attempts(session, notification)] == [1, 2, 3, 4]
    assert reload(session, notification).requeued_by == "cli:Mette"


def test_a_permanent_refusal_is_a_dead_letter_at_once(session: Session) -> None:
    _, [notification] = first_year_notifications(session)
    configure(session, 751, webhook_url="https://kommune.example/hook", secret=SECRET)
    webhook = Recorder([AttemptOutcome.REJECTED])
    dispatch(session_uow(session), senders(webhook=webhook), clock=FakeClock())
    dead = reload(session, notification)
    assert dead.status == NotificationStatus.DEAD_LETTER
    assert dead.dead_letter_reason == "refused by the receiver (webhook): fake: rejected"


def test_pull_only_municipalities_are_never_pushed_but_get_the_feed(session: Session) -> None:
    _, [notification] = first_year_notifications(session, [746])
    configure(session, 746, pull_only=True)
    email = Recorder()
    report = dispatch(session_uow(session), senders(email), clock=FakeClock())
    assert (report.published, report.claimed, email.calls) == (1, 0, [])
    waiting = reload(session, notification)
    assert (waiting.status, waiting.feed_position, attempts(session, notification)) == (
        "pending", 1, [],
    )  # fmt: skip


def test_a_municipality_without_a_setting_is_tried_and_told_how_to_fix_it(
    session: Session,
) -> None:
    _, [notification] = first_year_notifications(session)
    report = dispatch(session_uow(session), senders(), clock=FakeClock())
    assert (report.claimed, report.retrying) == (1, 1)
    [attempt] = attempts(session, notification)
    assert (attempt.channel, attempt.outcome) == ("none", "retry")
    assert attempt.receipt is not None and "almen municipality set --code 751" in attempt.receipt
    assert "Aarhus" in attempt.receipt
    # Set up later: the next round after the back-off sends it.
    configure(session, 751, emails=["underretning@aarhus.dk"])
    clock = FakeClock()
    clock.advance(60)
    dispatch(session_uow(session), senders(), clock=clock)
    assert reload(session, notification).status == NotificationStatus.DELIVERED


def test_each_municipality_gets_only_its_own(session: Session) -> None:
    _, notifications = first_year_notifications(session, [751, 746, 751])
    configure(session, 751, emails=["underretning@aarhus.dk"])
    configure(session, 746, webhook_url="https://skanderborg.example/hook", secret=SECRET)
    email, webhook = Recorder(), Recorder()
    dispatch(session_uow(session), senders(email, webhook), clock=FakeClock())
    keys = {n.municipality_code: set() for n in notifications}  # type: dict[int, set[str]]
    for n in notifications:
        keys[n.municipality_code].add(n.idempotency_key)
    assert {(key, code) for key, code, _ in email.calls} == {(k, 751) for k in keys[751]}
    assert {(key, code) for key, code, _ in webhook.calls} == {(k, 746) for k in keys[746]}


def test_a_payload_naming_another_municipality_is_never_sent(session: Session) -> None:
    _, [notification] = first_year_notifications(session)
    configure(session, 751, emails=["underretning@aarhus.dk"])
    tampered = reload(session, notification)
    tampered.payload = {**tampered.payload, "municipality": {"code": 746, "name": "Skanderborg"}}
    session.add(tampered)
    session.flush()
    email = Recorder()
    dispatch(session_uow(session), senders(email), clock=FakeClock())
    assert email.calls == []
    dead = reload(session, notification)
    assert dead.status == NotificationStatus.DEAD_LETTER
    assert dead.dead_letter_reason is not None and "payload names 746" in dead.dead_letter_reason


def test_a_sender_that_raises_is_recorded_and_tried_again(session: Session) -> None:
    _, [notification] = first_year_notifications(session)
    configure(session, 751, emails=["underretning@aarhus.dk"])

    def broken(item: Outbound, target: DeliveryTarget) -> SendResult:
        raise RuntimeError("disk full")

    report = dispatch(session_uow(session), {DeliveryMethod.EMAIL: broken}, clock=FakeClock())
    assert report.retrying == 1
    [attempt] = attempts(session, notification)
    assert (attempt.outcome, attempt.receipt) == ("retry", "RuntimeError: disk full")


def test_an_expired_claim_is_interrupted_and_sent_again_with_the_same_key(
    session: Session,
) -> None:
    """The dispatcher stopped after sending, before recording: the lease runs out, the next
    round marks the attempt interrupted and sends again; a late record cannot undo delivery."""
    _, [notification] = first_year_notifications(session)
    configure(session, 751, emails=["underretning@aarhus.dk"])
    clock, policy, email = FakeClock(), RetryPolicy(), Recorder()
    uow = session_uow(session)
    from workflows.notifications.dispatch import DispatchReport

    with uow() as s:
        [lost] = claim(s, clock(), policy, None, 10, DispatchReport())
    first = send_one(senders(email), lost)  # sent; the process "dies" before recording
    assert first.outcome is AttemptOutcome.DELIVERED
    clock.advance(policy.lease_seconds - 1)
    assert dispatch(uow, senders(email), clock=clock).claimed == 0  # still leased
    clock.advance(2)
    report = dispatch(uow, senders(email), clock=clock)
    assert (report.interrupted, report.delivered) == (1, 1)
    assert [call[0] for call in email.calls] == [notification.idempotency_key] * 2
    assert [(a.number, a.outcome) for a in attempts(session, notification)] == [
        (1, "interrupted"), (2, "delivered"),
    ]  # fmt: skip
    with uow() as s:  # the first dispatcher wakes up and records a failure: too late
        status = record_outcome(s, lost, SendResult(AttemptOutcome.RETRY, "late"), clock(), policy)
    assert status == NotificationStatus.DELIVERED
    assert reload(session, notification).status == NotificationStatus.DELIVERED


def test_feed_positions_follow_commit_order_and_are_given_once(session: Session) -> None:
    _, first = first_year_notifications(session, [746, 746])
    configure(session, 746, pull_only=True)
    assert dispatch(session_uow(session), senders(), clock=FakeClock()).published == 2
    assert dispatch(session_uow(session), senders(), clock=FakeClock()).published == 0
    _, later = first_year_notifications(session, [746], cvr=factories.OTHER_CVR)
    assert dispatch(session_uow(session), senders(), clock=FakeClock()).published == 1
    positions = [reload(session, n).feed_position for n in [*first, *later]]
    assert positions == [1, 2, 3]


def test_one_organisations_dispatch_leaves_anothers_notifications_alone(
    session: Session,
) -> None:
    org, [mine] = first_year_notifications(session)
    _, [theirs] = first_year_notifications(session, cvr=factories.OTHER_CVR)
    configure(session, 751, emails=["underretning@aarhus.dk"])
    report = dispatch(session_uow(session), senders(), clock=FakeClock(), organisation_id=org.id)
    assert (report.published, report.delivered) == (1, 1)
    assert reload(session, mine).status == NotificationStatus.DELIVERED
    untouched = reload(session, theirs)
    assert (untouched.status, untouched.feed_position) == ("pending", None)


def test_two_dispatchers_at_once_send_each_notification_once(fresh_engine: Engine) -> None:
    with unit_of_work(fresh_engine) as session:
        _, notifications = first_year_notifications(session, [751] * 12)
        configure(session, 751, emails=["underretning@aarhus.dk"])
        keys = {n.idempotency_key for n in notifications}
    email = Recorder(pause=0.02)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            dispatch(
                lambda: unit_of_work(fresh_engine), senders(email), batch_size=3, clock=FakeClock()
            )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    sent = Counter(key for key, _, _ in email.calls)
    assert set(sent) == keys and set(sent.values()) == {1}
    with Session(fresh_engine) as session:
        statuses = session.exec(
            select(Notification.status).where(col(Notification.idempotency_key).in_(keys))
        ).all()
        assert set(statuses) == {NotificationStatus.DELIVERED}
