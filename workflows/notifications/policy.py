"""When to try again, and which answers are final (pure).

At-least-once: a notification is sent until a receiver accepts it, with a doubling pause
between attempts and a cap on their number; then it is a dead letter a person must look at.
A permanent refusal (a webhook's 4xx other than 408/429, an SMTP 5xx for the recipient or
the message) is a dead letter at once: sending the same again would get the same answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from workflows.notifications.models import AttemptOutcome

MAX_ATTEMPTS_LIMIT = 50


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_attempts: int = 10
    first_delay_seconds: int = 60
    max_delay_seconds: int = 6 * 3600
    # How long a claimed notification is the claimant's; after that another dispatcher may
    # take it (and send it again with the same key: the receiver drops the repeat).
    lease_seconds: int = 900

    def __post_init__(self) -> None:
        assert 1 <= self.max_attempts <= MAX_ATTEMPTS_LIMIT, "1-50 attempts"
        assert 0 < self.first_delay_seconds <= self.max_delay_seconds
        assert self.lease_seconds >= 60, "a lease shorter than a send is no lease"

    def delay_after(self, attempts: int) -> timedelta:
        """The pause after the ``attempts``-th failed attempt: 1, 2, 4, ... minutes, capped."""
        assert attempts >= 1
        seconds = self.first_delay_seconds * 2 ** min(attempts - 1, 30)
        return timedelta(seconds=min(seconds, self.max_delay_seconds))


def http_outcome(status: int) -> AttemptOutcome:
    """A webhook's answer: 2xx delivered; 408, 429 and 5xx are temporary; a redirect and any
    other 4xx are final (almen follows no redirect: the URL is the municipality's own)."""
    if 200 <= status <= 299:
        return AttemptOutcome.DELIVERED
    if status in (408, 429) or 500 <= status <= 599:
        return AttemptOutcome.RETRY
    if 300 <= status <= 499:
        return AttemptOutcome.REJECTED
    return AttemptOutcome.RETRY  # 1xx or nonsense: try again later


def smtp_outcome(code: int) -> AttemptOutcome:
    """An SMTP server's reply to the recipients or the message (RFC 5321 § 4.2.1): 2xx
    accepted, 4xx temporary, 5xx final."""
    if 200 <= code <= 299:
        return AttemptOutcome.DELIVERED
    if 500 <= code <= 599:
        return AttemptOutcome.REJECTED
    return AttemptOutcome.RETRY
