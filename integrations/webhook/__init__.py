"""Webhook delivery of municipality notifications: a signed POST of the versioned JSON
envelope (``docs/municipality-api.md``)."""

from integrations.webhook.sender import WebhookSender
from integrations.webhook.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign, verify

__all__ = ["SIGNATURE_HEADER", "TIMESTAMP_HEADER", "WebhookSender", "sign", "verify"]
