"""What leaves almen for a municipality: one notification with its PDF (pure).

The envelope (schema ``almen.municipality-notification-envelope.v1``, documented in
``docs/municipality-api.md``) is the body of a webhook POST and what the pull API returns.
Its ``id`` is the notification's idempotency key: the same on every attempt, so a receiver
drops repeats by it. The ``payload`` inside keeps its own schema
(``almen.municipality-notification.v1``).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ledger.municipalities import municipality_names
from workflows.notifications.models import NotificationKind

ENVELOPE_SCHEMA = "almen.municipality-notification-envelope.v1"
PAYLOAD_SCHEMA = "almen.municipality-notification.v1"


@dataclass(frozen=True, slots=True)
class OutboundAttachment:
    filename: str
    sha256: str
    pdf: bytes


@dataclass(frozen=True, slots=True)
class Outbound:
    """One notification as a sender sees it."""

    notification_id: int
    idempotency_key: str
    kind: NotificationKind
    organisation_id: int
    municipality_code: int
    created_on: date
    created_at: datetime
    payload: dict[str, Any]
    attachment: OutboundAttachment | None
    attempt: int = 1

    @property
    def legal_basis(self) -> str:
        return str(self.payload.get("legal_basis", ""))


def envelope(item: Outbound, *, with_pdf: bool, pdf_href: str | None = None) -> dict[str, Any]:
    """The envelope of one notification; the PDF inline (base64) when ``with_pdf``."""
    organisation = item.payload.get("organisation", {})
    attachment: dict[str, Any] | None = None
    if item.attachment is not None:
        attachment = {
            "filename": item.attachment.filename,
            "content_type": "application/pdf",
            "sha256": item.attachment.sha256,
            "size_bytes": len(item.attachment.pdf),
        }
        if pdf_href is not None:
            attachment["href"] = pdf_href
        if with_pdf:
            attachment["content_base64"] = base64.b64encode(item.attachment.pdf).decode("ascii")
    return {
        "schema": ENVELOPE_SCHEMA,
        "id": item.idempotency_key,
        "kind": str(item.kind),
        "legal_basis": item.legal_basis,
        "created_on": item.created_on.isoformat(),
        "created_at": item.created_at.isoformat(),
        "municipality": {
            "code": item.municipality_code,
            "name": municipality_names().get(item.municipality_code, ""),
        },
        "organisation": {"cvr": organisation.get("cvr"), "name": organisation.get("name")},
        "payload": item.payload,
        "attachment": attachment,
    }


def canonical_json(value: dict[str, Any]) -> bytes:
    """The exact bytes sent (and signed): UTF-8, sorted keys, no spaces."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
