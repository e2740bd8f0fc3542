"""The dispatcher's sender for municipalities that take e-mail."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from email.message import Message
from typing import Protocol

from integrations.email.compose import build_message
from ledger.types import utc_now
from workflows.notifications.dispatch import SendResult
from workflows.notifications.envelope import Outbound
from workflows.notifications.models import AttemptOutcome, DeliveryMethod
from workflows.notifications.registry import DeliveryTarget


class MailTransport(Protocol):
    @property
    def sender(self) -> str: ...

    def send(self, message: Message, recipients: Sequence[str]) -> SendResult: ...


class EmailSender:
    def __init__(self, transport: MailTransport, clock: Callable[[], datetime] = utc_now) -> None:
        self.transport = transport
        self.clock = clock

    def __call__(self, item: Outbound, target: DeliveryTarget) -> SendResult:
        assert target.method is DeliveryMethod.EMAIL and target.emails
        message = build_message(item, target.emails, sender=self.transport.sender, now=self.clock())
        return self.transport.send(message, target.emails)


class UnconfiguredMail:
    """The sender when no mail server is set up: every attempt says so (and is retried)."""

    def __call__(self, item: Outbound, target: DeliveryTarget) -> SendResult:
        return SendResult(
            AttemptOutcome.RETRY,
            "e-mail is not set up on this almen: set ALMEN_SMTP_HOST and ALMEN_MAIL_FROM (or "
            "ALMEN_MAIL_DIR for a folder of .eml files)",
        )
