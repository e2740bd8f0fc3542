"""Webhook delivery to a real HTTP receiver on this machine that checks the signature the way
``docs/municipality-api.md`` describes and drops repeats by the idempotency key."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator

import pytest
from sqlmodel import Session, select

from app.notify import senders
from app.settings import Settings
from integrations.webhook import sign, verify
from tests.peers import WebhookReceiver
from tests.workflows.notifications.helpers import (
    CPR,
    SECRET,
    FakeClock,
    attempts,
    configure,
    first_year_notifications,
    reload,
    session_uow,
)
from workflows.arrears.models import Letter
from workflows.notifications.dispatch import DispatchReport, dispatch
from workflows.notifications.models import NotificationStatus

FAST = Settings(database_url="unused", webhook_timeout_seconds=1.0)


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver(SECRET) as started:
        yield started


def send(session: Session, clock: FakeClock | None = None) -> DispatchReport:
    return dispatch(session_uow(session), senders(FAST), clock=clock or FakeClock())


def test_a_webhook_municipality_gets_a_correctly_signed_post(
    session: Session, receiver: WebhookReceiver
) -> None:
    _, [notification] = first_year_notifications(session, cpr=CPR)
    configure(session, 751, webhook_url=receiver.url, secret=SECRET)
    assert send(session).delivered == 1
    [delivery] = receiver.deliveries
    assert (delivery.key, delivery.verified, delivery.attempt) == (
        notification.idempotency_key, True, "1",
    )  # fmt: skip
    body = delivery.body
    assert body is not None
    assert body["schema"] == "almen.municipality-notification-envelope.v1"
    assert (body["id"], body["kind"]) == (notification.idempotency_key, "pakrav_first_year")
    assert body["municipality"] == {"code": 751, "name": "Aarhus"}
    assert body["payload"]["pakrav"]["deadline"] == "2026-04-23"
    assert body["payload"]["schema"] == "almen.municipality-notification.v1"
    pdf = base64.b64decode(body["attachment"]["content_base64"])
    letter = session.exec(select(Letter)).one()
    assert pdf == letter.pdf and body["attachment"]["sha256"] == hashlib.sha256(pdf).hexdigest()
    assert CPR not in json.dumps(body) and CPR[:6] not in json.dumps(body["payload"])
    done = reload(session, notification)
    assert (done.status, done.delivered_via) == ("delivered", "webhook")
    [attempt] = attempts(session, notification)
    assert attempt.receipt == 'HTTP 200 OK: {"status":"accepted"}'
    assert attempt.target == receiver.url


def test_500_timeout_and_connection_refused_are_retried_and_accepted_once(
    session: Session, receiver: WebhookReceiver
) -> None:
    _, [notification] = first_year_notifications(session)
    configure(session, 751, webhook_url=receiver.url, secret=SECRET)
    key, clock = notification.idempotency_key, FakeClock()
    receiver.script.extend(["500", "sleep"])  # then: down; then: up
    send(session, clock)
    clock.advance(3600)
    send(session, clock)  # the receiver takes it but answers after our timeout
    receiver.wait_for(2)
    receiver.stop()
    clock.advance(3600)
    send(session, clock)
    receiver.start()
    clock.advance(3600)
    assert send(session, clock).delivered == 1
    history = attempts(session, notification)
    assert [a.outcome for a in history] == ["retry", "retry", "retry", "delivered"]
    receipts = [a.receipt or "" for a in history]
    assert receipts[0] == 'HTTP 500 Internal Server Error: {"error":"injected 500"}'
    assert receipts[1] == "no answer within 1 s (ReadTimeout)"
    assert receipts[2].startswith("ConnectError")
    assert receipts[3] == 'HTTP 200 OK: {"status":"duplicate, dropped"}'
    assert list(receiver.accepted) == [key]  # one notification accepted for the key
    assert [d.answered for d in receiver.seen(key)] == [500, 200, 200]
    assert [d.attempt for d in receiver.seen(key)] == ["1", "2", "4"]


@pytest.mark.parametrize(
    ("injected", "receipt"),
    [
        ("404", 'HTTP 404 Not Found: {"error":"injected 404"}'),
        ("redirect", "HTTP 307 Temporary Redirect"),
    ],
)
def test_4xx_and_redirects_are_final_dead_letters(
    session: Session, receiver: WebhookReceiver, injected: str, receipt: str
) -> None:
    _, [notification] = first_year_notifications(session)
    configure(session, 751, webhook_url=receiver.url, secret=SECRET)
    receiver.script.append(injected)
    send(session)
    dead = reload(session, notification)
    assert dead.status == NotificationStatus.DEAD_LETTER
    assert dead.dead_letter_reason == f"refused by the receiver (webhook): {receipt}"
    assert len(receiver.deliveries) == 1  # no redirect followed, nothing sent elsewhere


def test_429_is_tried_again(session: Session, receiver: WebhookReceiver) -> None:
    _, [notification] = first_year_notifications(session)
    configure(session, 751, webhook_url=receiver.url, secret=SECRET)
    receiver.script.append("429")
    clock = FakeClock()
    send(session, clock)
    assert reload(session, notification).status == NotificationStatus.FAILED
    clock.advance(60)
    send(session, clock)
    assert reload(session, notification).status == NotificationStatus.DELIVERED


def test_a_receiver_with_another_secret_refuses_and_it_is_a_dead_letter(
    session: Session,
) -> None:
    _, [notification] = first_year_notifications(session)
    with WebhookReceiver("another-secret-the-municipality-holds-000") as other:
        configure(session, 751, webhook_url=other.url, secret=SECRET)
        send(session)
        assert [d.verified for d in other.deliveries] == [False]
    dead = reload(session, notification)
    assert dead.status == NotificationStatus.DEAD_LETTER
    assert dead.dead_letter_reason is not None and "HTTP 401" in dead.dead_letter_reason


def test_signature_over_timestamp_and_body() -> None:
    body, now = b'{"id":"x"}', 1_790_000_000
    signature = sign(SECRET, now, body)
    assert signature.startswith("v1=") and len(signature) == 67
    assert verify(SECRET, str(now), signature, body, now=now + 10)
    assert not verify(SECRET, str(now), signature, body + b" ", now=now)  # body changed
    assert not verify(SECRET, str(now + 1), signature, body, now=now)  # timestamp changed
    assert not verify("x" * 32, str(now), signature, body, now=now)  # another secret
    assert not verify(SECRET, str(now), signature, body, now=now + 301)  # too old: a replay
    assert not verify(SECRET, None, signature, body, now=now)
