"""The e-mail of one notification: Danish subject and body (``workflows.notifications.message``),
the PDF attached, and headers that stay the same on every attempt (``Message-ID`` and
``X-Almen-Idempotency-Key`` from the notification's key), so a mail system or a person can
drop repeats.

Built with ``email.mime`` and ``email.header.Header``: the newer ``EmailMessage`` folds a long
Danish subject by dropping the space between two encoded words (CPython 3.11: "8260 Viby J"
arrives as "8260 VibyJ"); the legacy encoder keeps every space inside the encoded words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from email import charset as charsets
from email.header import Header
from email.message import Message
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import format_datetime, formataddr

from workflows.notifications.envelope import Outbound
from workflows.notifications.message import compose

_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,63}$")
_UTF8_QP = charsets.Charset("utf-8")
_UTF8_QP.body_encoding = charsets.QP
WIRE = compat32.clone(linesep="\r\n")


def build_message(
    item: Outbound, recipients: Sequence[str], *, sender: str, now: datetime
) -> Message:
    """The message, ready for SMTP (7-bit: the Danish text is encoded)."""
    assert recipients, "an e-mail needs a recipient"
    text = compose(item)
    organisation = item.payload.get("organisation", {})
    message = MIMEMultipart("mixed")
    message["From"] = formataddr(
        (str(organisation.get("name") or "almen"), sender), charset="utf-8"
    )
    message["To"] = ", ".join(recipients)
    reply_to = str(organisation.get("contact", {}).get("email") or "")
    if _ADDRESS.match(reply_to):
        message["Reply-To"] = reply_to
    message["Subject"] = Header(text.subject, "utf-8")  # type: ignore[assignment]
    message["Date"] = format_datetime(now)
    message["Message-ID"] = f"<{item.idempotency_key}@{sender.rsplit('@', 1)[1]}>"
    message["X-Almen-Idempotency-Key"] = item.idempotency_key
    message["X-Almen-Kind"] = str(item.kind)
    message["X-Almen-Attempt"] = str(item.attempt)
    message.attach(MIMEText(text.body, "plain", _UTF8_QP))  # type: ignore[arg-type]
    if item.attachment is not None:
        part = MIMEApplication(item.attachment.pdf, "pdf")
        part.add_header("Content-Disposition", "attachment", filename=item.attachment.filename)
        message.attach(part)
    return message


def wire_bytes(message: Message) -> bytes:
    """The message as sent: CRLF line ends."""
    return message.as_bytes(policy=WIRE)
