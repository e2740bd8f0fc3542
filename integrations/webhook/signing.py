"""The webhook signature: HMAC-SHA256 with the municipality's shared secret over
``<timestamp>.<body>``, sent as ``X-Almen-Signature: v1=<hex>`` with ``X-Almen-Timestamp``
(Unix seconds). ``verify`` is what a receiver does (the tests' receiver uses it)."""

from __future__ import annotations

import hashlib
import hmac

TIMESTAMP_HEADER = "X-Almen-Timestamp"
SIGNATURE_HEADER = "X-Almen-Signature"
VERSION = "v1"
TOLERANCE_SECONDS = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"{VERSION}={mac.hexdigest()}"


def verify(
    secret: str,
    timestamp: str | None,
    signature: str | None,
    body: bytes,
    now: float,
    tolerance: int = TOLERANCE_SECONDS,
) -> bool:
    """True if the signature is ours and the timestamp within ``tolerance`` of ``now`` (a
    replayed old request fails; the idempotency key drops a replayed recent one)."""
    if not timestamp or not signature or not timestamp.isdigit():
        return False
    if abs(now - int(timestamp)) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, int(timestamp), body), signature)
