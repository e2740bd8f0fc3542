"""Sending a message: SMTP (STARTTLS or implicit TLS, optional login; plain only to this
machine), or a folder of ``.eml`` files.

Every failure is a ``SendResult``, never an exception: the server's reply (4xx: try again,
5xx for the recipients or the message: final), a connection or TLS error (try again), a
refused login (try again: it is almen's setting, not the municipality's address).
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import Message
from enum import StrEnum
from pathlib import Path

from integrations.email.compose import wire_bytes
from workflows.notifications.dispatch import SendResult
from workflows.notifications.models import AttemptOutcome
from workflows.notifications.policy import smtp_outcome
from workflows.notifications.registry import check_email, is_loopback

MAX_MESSAGE_BYTES = 20_000_000


class NoStartTls(Exception):
    """The server does not offer STARTTLS (and almen does not send in plain text)."""


class SmtpSecurity(StrEnum):
    STARTTLS = "starttls"  # port 587: plain connection upgraded with STARTTLS (required)
    TLS = "tls"  # port 465: TLS from the first byte
    NONE = "none"  # no encryption: only to a server on this machine


DEFAULT_PORTS = {SmtpSecurity.STARTTLS: 587, SmtpSecurity.TLS: 465, SmtpSecurity.NONE: 25}


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    host: str
    sender: str  # the From address (envelope sender too)
    security: SmtpSecurity = SmtpSecurity.STARTTLS
    port: int = 0  # 0: the usual port of ``security``
    username: str | None = None
    password: str | None = None
    timeout_seconds: float = 30.0
    ca_file: str | None = None  # a private CA to trust (else the system's)

    def __post_init__(self) -> None:
        if not self.host:
            raise ValueError("ALMEN_SMTP_HOST is empty")
        if not 0 <= self.port <= 65535:
            raise ValueError(f"ALMEN_SMTP_PORT must be 1-65535, not {self.port}")
        if self.security is SmtpSecurity.NONE and not is_loopback(self.host):
            raise ValueError(
                "ALMEN_SMTP_SECURITY=none sends names and addresses unencrypted: allowed only "
                f"to a server on this machine, not {self.host!r} (use starttls or tls)"
            )
        if (self.username is None) != (self.password is None):
            raise ValueError("ALMEN_SMTP_USER and ALMEN_SMTP_PASSWORD go together")
        if not 0 < self.timeout_seconds <= 300:
            raise ValueError("ALMEN_SMTP_TIMEOUT must be 1-300 seconds")
        check_email(self.sender)

    @property
    def effective_port(self) -> int:
        return self.port or DEFAULT_PORTS[self.security]


class SmtpTransport:
    """One connection per message (notifications are few; a fresh connection fails clean)."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config

    @property
    def sender(self) -> str:
        return self.config.sender

    def send(self, message: Message, recipients: Sequence[str]) -> SendResult:
        config = self.config
        where = f"{config.host}:{config.effective_port}"
        data = wire_bytes(message)
        assert len(data) <= MAX_MESSAGE_BYTES, "message too large"
        try:
            with self._connect() as smtp:
                return self._transaction(smtp, data, recipients)
        except smtplib.SMTPAuthenticationError as exc:
            return _retry(f"{where} refused the login: {exc.smtp_code} {_text(exc.smtp_error)}")
        except NoStartTls:
            return _retry(f"{where} does not offer STARTTLS; almen never falls back to plain text")
        except smtplib.SMTPNotSupportedError as exc:
            return _retry(f"{where}: {exc}")
        except smtplib.SMTPResponseException as exc:
            return SendResult(
                smtp_outcome(exc.smtp_code), f"SMTP {exc.smtp_code} {_text(exc.smtp_error)}"
            )
        except (smtplib.SMTPException, ssl.SSLError, OSError) as exc:
            return _retry(f"could not send through {where}: {type(exc).__name__}: {exc}")

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        context = ssl.create_default_context(cafile=config.ca_file)
        if config.security is SmtpSecurity.TLS:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                config.host, config.effective_port, timeout=config.timeout_seconds,
                context=context,
            )  # fmt: skip
        else:
            smtp = smtplib.SMTP(config.host, config.effective_port, timeout=config.timeout_seconds)
        try:
            smtp.ehlo()
            if config.security is SmtpSecurity.STARTTLS:
                if not smtp.has_extn("starttls"):
                    raise NoStartTls
                smtp.starttls(context=context)
                smtp.ehlo()
            if config.username is not None and config.password is not None:
                smtp.login(config.username, config.password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def _transaction(
        self, smtp: smtplib.SMTP, data: bytes, recipients: Sequence[str]
    ) -> SendResult:
        code, reply = smtp.mail(self.config.sender)
        if code != 250:
            smtp.rset()
            return SendResult(smtp_outcome(code), f"SMTP {code} {_text(reply)} (MAIL FROM)")
        accepted, refused = [], []
        for recipient in recipients:
            code, reply = smtp.rcpt(recipient)
            if code in (250, 251):
                accepted.append(recipient)
            else:
                refused.append((recipient, code, _text(reply)))
        refusals = "; ".join(f"{who}: {code} {text}" for who, code, text in refused)
        if not accepted:
            smtp.rset()
            final = all(smtp_outcome(code) is AttemptOutcome.REJECTED for _, code, _ in refused)
            outcome = AttemptOutcome.REJECTED if final else AttemptOutcome.RETRY
            return SendResult(outcome, f"every recipient refused: {refusals}")
        code, reply = smtp.data(data)
        receipt = f"SMTP {code} {_text(reply)} (to {', '.join(accepted)})"
        if refused:
            receipt += f"; refused {refusals}"
        return SendResult(smtp_outcome(code), receipt)


class MailDirTransport:
    """Writes each message as a ``.eml`` file into a folder (the demo's mailbox; or a pickup
    folder another program sends from). Delivered = the file is written in full."""

    def __init__(self, folder: Path, sender: str = "almen@almen.invalid") -> None:
        self.folder = folder
        self._sender = sender

    @property
    def sender(self) -> str:
        return self._sender

    def send(self, message: Message, recipients: Sequence[str]) -> SendResult:
        key = str(message["X-Almen-Idempotency-Key"])
        attempt = str(message["X-Almen-Attempt"])
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self.folder / f"{key}-{attempt}.eml"
            temporary = path.with_suffix(".tmp")
            temporary.write_bytes(wire_bytes(message))
            os.replace(temporary, path)
        except OSError as exc:
            return _retry(f"could not write to {self.folder}: {exc}")
        return SendResult(
            AttemptOutcome.DELIVERED, f"written to {path} for {', '.join(recipients)}"
        )


def _retry(text: str) -> SendResult:
    return SendResult(AttemptOutcome.RETRY, text)


def _text(reply: bytes | str) -> str:
    return (reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply).strip()
