"""The dispatcher's sender for municipalities with a webhook: one signed POST per attempt.

2xx is delivered; 408, 429, 5xx, timeouts and connection errors are tried again; any other
answer (a redirect, 4xx) is final and the notification becomes a dead letter with the reason.
Redirects are never followed: the URL is the one the municipality gave.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx

from integrations.webhook.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign
from workflows.notifications.dispatch import SendResult
from workflows.notifications.envelope import Outbound, canonical_json, envelope
from workflows.notifications.models import AttemptOutcome, DeliveryMethod
from workflows.notifications.policy import http_outcome
from workflows.notifications.registry import DeliveryTarget

USER_AGENT = "almen-notifications/1"
MAX_RECEIPT_BODY = 300


class WebhookSender:
    def __init__(
        self,
        timeout_seconds: float = 10.0,
        clock: Callable[[], float] = time.time,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        assert 0 < timeout_seconds <= 120
        self.timeout_seconds = timeout_seconds
        self.clock = clock
        self.transport = transport

    def request(self, item: Outbound, secret: str) -> tuple[bytes, dict[str, str]]:
        """The body and headers of one attempt (signed now)."""
        body = canonical_json(envelope(item, with_pdf=True))
        timestamp = int(self.clock())
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "Idempotency-Key": item.idempotency_key,
            "X-Almen-Attempt": str(item.attempt),
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: sign(secret, timestamp, body),
        }
        return body, headers

    def __call__(self, item: Outbound, target: DeliveryTarget) -> SendResult:
        assert target.method is DeliveryMethod.WEBHOOK
        assert target.webhook_url is not None and target.webhook_secret is not None
        body, headers = self.request(item, target.webhook_secret)
        try:
            with httpx.Client(
                timeout=self.timeout_seconds, follow_redirects=False, transport=self.transport
            ) as client:
                response = client.post(target.webhook_url, content=body, headers=headers)
        except httpx.TimeoutException as exc:
            return SendResult(
                AttemptOutcome.RETRY,
                f"no answer within {self.timeout_seconds:g} s ({type(exc).__name__})",
            )
        except httpx.HTTPError as exc:
            return SendResult(AttemptOutcome.RETRY, f"{type(exc).__name__}: {exc}")
        text = response.text[:MAX_RECEIPT_BODY].replace("\n", " ")
        receipt = f"HTTP {response.status_code} {response.reason_phrase}".rstrip()
        if text:
            receipt += f": {text}"
        return SendResult(http_outcome(response.status_code), receipt)
